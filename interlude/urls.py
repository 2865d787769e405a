from django.contrib import admin
from django.urls import include, path

from interlude.api.api import api
from interlude.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("ping/", core_views.ping, name="ping"),
    path("", include("interlude.accounts.urls")),
    path("", include("interlude.agreements.urls")),
    path("me/", include("interlude.agreements.urls_client")),
    path("", include("interlude.crisis.urls")),
    path("me/messages/", include("interlude.inbox.urls_client")),
    path("inbox/", include("interlude.inbox.urls_staff")),
    path("audit/", include("interlude.audit.urls")),
    path("clients/<int:client_pk>/schedules/", include("interlude.outreach.urls_schedules")),
    path("deliveries/", include("interlude.outreach.urls_deliveries")),
    path("notifications/", include("interlude.outreach.urls_notifications")),
    path("", include("interlude.outreach.urls_feeds")),
    path("", include("interlude.outreach.urls_appointments")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
