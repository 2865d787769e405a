from django.urls import path

from . import views, views_alerts

urlpatterns = [
    path("me/safety-plan/", views.client_safety_plan, name="client_safety_plan"),
    path("clients/<int:pk>/safety-plan/", views.staff_safety_plan, name="staff_safety_plan"),
    path("safety-plan-sw.js", views.service_worker, name="safety_plan_worker"),
    path("alerts/", views_alerts.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views_alerts.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", views_alerts.acknowledge, name="alert_acknowledge"),
    path("on-call/", views_alerts.on_call_rota, name="on_call_rota"),
    path("on-call/<int:pk>/remove/", views_alerts.on_call_remove, name="on_call_remove"),
]
