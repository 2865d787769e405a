from django.urls import path

from . import views_schedules as views

urlpatterns = [
    path("", views.schedule_list, name="schedule_list"),
    path("<int:pk>/edit/", views.schedule_edit, name="schedule_edit"),
    path("<int:pk>/pause/", views.schedule_pause, name="schedule_pause"),
    path("<int:pk>/resume/", views.schedule_resume, name="schedule_resume"),
    path("<int:pk>/end/", views.schedule_end, name="schedule_end"),
]
