from django.urls import path

from . import views_staff

urlpatterns = [
    path("", views_staff.inbox, name="inbox"),
    path("<int:pk>/", views_staff.thread, name="inbox_thread"),
    path("<int:pk>/reply/", views_staff.reply, name="inbox_reply"),
    path("<int:pk>/held/", views_staff.look_at_held, name="inbox_held"),
    path("messages/<int:pk>/next-session/", views_staff.keep_for_session,
         name="inbox_keep_for_session"),
    path("messages/<int:pk>/unpin/", views_staff.unpin, name="inbox_unpin"),
    path("agenda/<int:pk>/", views_staff.session_agenda, name="session_agenda"),
]
