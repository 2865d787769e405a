from django.urls import path

from . import views_notifications as views

urlpatterns = [
    path("", views.notifications, name="notifications"),
    path("<int:pk>/read/", views.mark_read, name="notification_read"),
    path("read-all/", views.mark_all_read, name="notifications_read_all"),
]
