from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "interlude.api"
    label = "api"
