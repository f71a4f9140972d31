from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "parlons.modules.budgets"
    label = "budgets"
    verbose_name = _("Participatory budget")

    def ready(self) -> None:
        from parlons.contributions.targets import targets
        from parlons.core.registry import registry
        from parlons.modules.budgets.module import PROJECT, declaration

        registry.register(declaration)
        targets.register(PROJECT)
