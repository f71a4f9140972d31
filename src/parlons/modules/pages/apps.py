from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "parlons.modules.pages"
    label = "pages"
    verbose_name = _("Information pages")

    def ready(self) -> None:
        from parlons.core.registry import registry
        from parlons.modules.pages.module import declaration

        registry.register(declaration)
