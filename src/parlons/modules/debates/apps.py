from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebatesConfig(AppConfig):
    name = "parlons.modules.debates"
    label = "debates"
    verbose_name = _("Debates and consultations")

    def ready(self) -> None:
        from parlons.contributions.targets import targets
        from parlons.core.registry import registry
        from parlons.modules.debates.module import TARGETS, declaration

        registry.register(declaration)
        for target in TARGETS:
            targets.register(target)
