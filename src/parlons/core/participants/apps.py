from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "parlons.core.participants"
    label = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from parlons.core.participants import receivers  # noqa: F401
