from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "interlude.crisis"
    label = "crisis"
