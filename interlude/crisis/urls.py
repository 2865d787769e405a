from django.urls import path

from . import views

urlpatterns = [
    path("me/safety-plan/", views.client_safety_plan, name="client_safety_plan"),
    path("clients/<int:pk>/safety-plan/", views.staff_safety_plan, name="staff_safety_plan"),
    path("safety-plan-sw.js", views.service_worker, name="safety_plan_worker"),
]
