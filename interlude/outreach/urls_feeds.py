from django.urls import path

from . import views_feeds

urlpatterns = [
    path("calendar/", views_feeds.calendar_page, name="calendar_page"),
    path("calendar/new/", views_feeds.calendar_new, name="calendar_new"),
    path("calendar/off/", views_feeds.calendar_off, name="calendar_off"),
    path("calendar/<str:token>.ics", views_feeds.calendar_ics, name="calendar_feed"),
    path("sms/inbound/", views_feeds.sms_webhook, name="sms_inbound"),
]
