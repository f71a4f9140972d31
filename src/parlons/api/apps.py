from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "parlons.api"
    label = "api"
    verbose_name = "API"
