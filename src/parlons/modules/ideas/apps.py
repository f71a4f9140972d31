from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "parlons.modules.ideas"
    label = "ideas"
    verbose_name = _("Idea box")

    def ready(self) -> None:
        from parlons.contributions.targets import targets
        from parlons.core.registry import registry
        from parlons.modules.ideas.module import IDEA, declaration

        registry.register(declaration)
        targets.register(IDEA)
