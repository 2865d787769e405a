"""Helpers for the appointment, reminder and signed-link tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from interlude.agreements.models import AgreementSignature
from interlude.outreach import appointments
from interlude.outreach.models import Delivery
from tests import factories


def signed_client(clinician, **kw):
    """A client whose signed agreement opens automated messages, so reminders may go."""
    client = factories.client(clinician, **kw)
    agreement = factories.agreement(client, automated_open=True)
    AgreementSignature.objects.create(agreement=agreement, signed_by=client.user, version=1)
    return client


def local(text, zone):
    """"2030-03-04 10:00" on the clock of `zone`, as an aware instant."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def freeze(monkeypatch, instant):
    monkeypatch.setattr(timezone, "now", lambda: instant)


def book(client, start, minutes=50, kind="video", location="https://video.example/room/1"):
    """An appointment made by the client's own clinician."""
    from datetime import timedelta

    return appointments.create_appointment(client.clinician.user, client, start=start,
                                           end=start + timedelta(minutes=minutes), kind=kind,
                                           location=location)


def reminders_of(appointment, state=None):
    rows = Delivery.objects.filter(ref_type="appointment", ref_id=str(appointment.pk),
                                   kind="reminder")
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("due_at", "channel")
