from django.urls import path

from . import views_deliveries as views

urlpatterns = [
    path("", views.deliveries, name="deliveries"),
    path("<int:pk>/retry/", views.retry, name="delivery_retry"),
    path("retry-all/", views.retry_all, name="delivery_retry_all"),
]
