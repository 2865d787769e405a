from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "interlude.crisis"
    label = "crisis"

    def ready(self):
        from . import alerts  # noqa: F401 - registers the escalation of failed alert deliveries
