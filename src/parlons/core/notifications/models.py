"""Deliveries: which queued e-mails have left, so that a retried task sends nothing twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """One e-mail handed to the mailer, known by the Message-ID fixed when it was queued.

    Holds no address or content: only the proof that this message was sent.
    """

    message_id = models.CharField(max_length=255, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")

    def __str__(self) -> str:
        return self.message_id
