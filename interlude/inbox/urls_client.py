from django.urls import path

from . import views_client

urlpatterns = [
    path("", views_client.my_messages, name="my_messages"),
    path("sent/<int:pk>/", views_client.message_sent, name="message_sent"),
]
