"""Operations state: when each periodic task is next due."""

from django.db import models


class ScheduledRun(models.Model):
    """The next time a periodic task is due; one row per task key.

    Workers claim a due run with a conditional update, so that several workers on
    several machines enqueue each run once.
    """

    key = models.CharField(max_length=80, unique=True)
    next_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key
