from django.urls import path

from . import views

urlpatterns = [
    path("clients/", views.client_list, name="client_list"),
    path("clients/invite/", views.client_invite, name="client_invite"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
    path("clients/<int:pk>/agreements/new/", views.agreement_new, name="agreement_new"),
    path("clients/<int:pk>/agreements/<int:version>/", views.agreement_detail,
         name="agreement_detail"),
    path("hours/", views.office_hours, name="office_hours"),
    path("hours/time-off/<int:pk>/delete/", views.time_off_delete, name="time_off_delete"),
    path("licenses/", views.licenses, name="licenses"),
    path("licenses/<int:pk>/delete/", views.license_delete, name="license_delete"),
    path("practice/defaults/", views.practice_defaults, name="practice_defaults"),
]
