from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "parlons.modules.surveys"
    label = "surveys"
    verbose_name = _("Questionnaires and quizzes")

    def ready(self) -> None:
        from parlons.core.registry import registry
        from parlons.modules.surveys.module import declaration

        registry.register(declaration)
