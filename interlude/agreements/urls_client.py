from django.urls import path

from . import views_client

urlpatterns = [
    path("", views_client.client_home, name="client_home"),
    path("agreement/", views_client.client_agreement, name="client_agreement"),
    path("agreement/sign/", views_client.client_agreement_sign, name="client_agreement_sign"),
    path("agreement/history/", views_client.client_agreement_history,
         name="client_agreement_history"),
]
