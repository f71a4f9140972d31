from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "parlons.core.operations"
    label = "operations"
    verbose_name = "Operations"
