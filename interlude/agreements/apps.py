from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "interlude.agreements"
    label = "agreements"
