from django.urls import path

from . import views_appointments as views

urlpatterns = [
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("appointments/new/", views.appointment_new, name="appointment_new"),
    path("appointments/<int:pk>/move/", views.appointment_move, name="appointment_move"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("me/appointments/", views.my_appointments, name="my_appointments"),
    path("me/appointments/<int:pk>/confirm/", views.my_appointment_confirm,
         name="my_appointment_confirm"),
    path("me/appointments/<int:pk>/cancel/", views.my_appointment_cancel,
         name="my_appointment_cancel"),
    path("a/<str:token>/confirm/", views.appointment_link, {"action": "confirm"},
         name="appointment_link_confirm"),
    path("a/<str:token>/cancel/", views.appointment_link, {"action": "cancel"},
         name="appointment_link_cancel"),
    path("clients/<int:pk>/reminders/", views.client_reminders, name="client_reminders"),
    path("clients/<int:pk>/reminders/<int:rule_pk>/remove/", views.client_reminder_remove,
         name="client_reminder_remove"),
    path("practice/reminders/", views.practice_reminders, name="practice_reminders"),
    path("practice/reminders/<int:pk>/remove/", views.practice_reminder_remove,
         name="practice_reminder_remove"),
    path("practice/templates/", views.message_templates, name="message_templates"),
    path("practice/templates/<str:kind>/<str:channel>/<str:language>/",
         views.message_template_edit, name="message_template_edit"),
]
