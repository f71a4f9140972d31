from django.apps import AppConfig
from django.core import checks


class RegistryConfig(AppConfig):
    name = "parlons.core.registry"
    label = "registry"
    verbose_name = "Module registry"

    def ready(self) -> None:
        from parlons.core.registry.checks import check_modules

        checks.register(check_modules, "parlons")
