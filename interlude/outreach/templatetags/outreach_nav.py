"""The unread-notifications count in the navigation: one indexed count per page."""

from django import template

register = template.Library()


@register.simple_tag
def unread_notifications(user):
    if user is None or not user.is_authenticated:
        return 0
    from interlude.outreach.models import Notification

    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
