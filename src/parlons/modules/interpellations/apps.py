from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterpellationsConfig(AppConfig):
    name = "parlons.modules.interpellations"
    label = "interpellations"
    verbose_name = _("Interpellation of representatives")

    def ready(self) -> None:
        from parlons.core.registry import registry
        from parlons.modules.interpellations.module import declaration

        registry.register(declaration)
