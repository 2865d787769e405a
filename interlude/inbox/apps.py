from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "interlude.inbox"
    label = "inbox"
