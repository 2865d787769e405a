from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "interlude.outreach"
    label = "outreach"

    def ready(self):
        from . import checks  # noqa: F401 - registers the start-up checks
