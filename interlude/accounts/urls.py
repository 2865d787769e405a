from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("account/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/recovery-codes/", views.two_factor_recovery_codes,
         name="two_factor_recovery_codes"),
    path("account/two-factor/turn-off/", views.two_factor_disable, name="two_factor_disable"),
    path("invite/<str:token>/", views.invite_accept, name="invite_accept"),
    path("me/profile/", views.client_profile, name="client_profile"),
    path("me/crisis/", views.client_crisis, name="client_crisis"),
    path("practice/", views.practice_home, name="practice_home"),
    path("practice/clinicians/<int:pk>/licences/", views.practice_license_add,
         name="practice_license_add"),
    path("practice/clinicians/<int:pk>/on-call/", views.practice_on_call,
         name="practice_on_call"),
    path("practice/licences/<int:pk>/remove/", views.practice_license_remove,
         name="practice_license_remove"),
]
