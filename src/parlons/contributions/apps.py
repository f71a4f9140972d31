from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "parlons.contributions"
    label = "contributions"
    verbose_name = _("Contributions")

    def ready(self) -> None:
        from parlons.contributions.checks import check_targets

        checks.register(check_targets, "parlons")
