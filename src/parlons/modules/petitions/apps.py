from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "parlons.modules.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from parlons.core.registry import registry
        from parlons.modules.petitions.module import declaration

        registry.register(declaration)

        from parlons.config.lean import routes
        from parlons.modules.petitions.lean import register

        register(routes)
