"""The in-app channel: a Notification row for the recipient, shown on /notifications/.

Sending twice (a dispatcher that died after sending, before recording it) makes no second
notification: the notification is one-to-one with its delivery.
"""

from . import PermanentFailure


class InAppChannel:
    name = "in_app"

    def send(self, delivery):
        from interlude.outreach.models import Notification

        if not delivery.recipient_id:
            raise PermanentFailure("no recipient")
        Notification.objects.get_or_create(
            delivery=delivery,
            defaults={"user_id": delivery.recipient_id, "title": delivery.subject or "",
                      "body": delivery.body or "", "link": in_app_link(delivery)})


def in_app_link(delivery):
    """An in-app delivery's address is the page it points to, a path inside Interlude."""
    address = delivery.address or ""
    return address if address.startswith("/") and not address.startswith("//") else ""
