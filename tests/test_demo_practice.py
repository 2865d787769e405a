"""`interlude demo` loads Harbor Counseling through the real services and prints its logins."""

import re
from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from interlude.accounts.models import Client, Clinician, Practice, User
from interlude.agreements.models import AgreementSignature, ConnectionAgreement, TimeOff
from interlude.agreements.services import current_agreement, is_signed
from interlude.audit.models import AuditEvent
from interlude.audit.service import verify_chain
from interlude.core.demo import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # The demo hashes a password per login; Argon2's cost would dominate these tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo(*args):
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def printed_secret(output, email):
    match = re.search(re.escape(email) + r".*\n\s+TOTP secret ([A-Z2-7 ]+)\n", output)
    assert match, f"no TOTP secret printed for {email}"
    return match.group(1).replace(" ", "")


def counts():
    return {model.__name__: model.objects.count()
            for model in (Practice, User, Clinician, Client, ConnectionAgreement,
                          AgreementSignature, TimeOff, TOTPDevice, AuditEvent)}


def test_it_builds_a_dbt_and_a_psychodynamic_clinician():
    run_demo()
    practice = Practice.objects.get()
    clinicians = Clinician.objects.filter(practice=practice)
    assert sorted(clinicians.values_list("modality", flat=True)) == ["dbt", "psychodynamic"]
    rivera = clinicians.get(modality="dbt")
    assert rivera.time_zone == "America/Los_Angeles"
    assert sorted(rivera.licenses.values_list("region", flat=True)) == ["CA", "OR", "WA"]
    assert rivera.office_hours.filter(weekday=5).count() == 1
    okafor = clinicians.get(modality="psychodynamic")
    assert okafor.time_zone == "America/New_York"
    assert sorted(okafor.office_hours.values_list("weekday", flat=True)) == [0, 1, 2, 3]
    assert sorted(okafor.time_off.values_list("label", flat=True)) == [
        "Conference", "Report writing"]
    assert User.objects.filter(practice=practice, role=User.Role.ADMIN).count() == 1


def test_it_builds_clients_whose_agreements_differ():
    run_demo()
    clients = list(Client.objects.select_related("user"))
    assert len(clients) >= 6
    current = {client.display_name: current_agreement(client) for client in clients}
    assert {a.inbox_open for a in current.values()} == {True, False}
    assert {a.crisis_route for a in current.values()} == {"resources", "clinician", "on_call"}
    zones = {client.time_zone for client in clients}
    assert {"America/Los_Angeles", "America/New_York"} <= zones
    assert any(zone.startswith("Europe/") for zone in zones)
    assert {is_signed(a) for a in current.values()} == {True, False}
    assert any(a.version == 2 and a.client.agreements.get(version=1).signature
               for a in current.values())


def test_it_acknowledges_the_madrid_client_out_of_jurisdiction_in_spanish():
    run_demo()
    client = Client.objects.get(time_zone="Europe/Madrid")
    assert client.user.preferred_language == "es"
    agreement = current_agreement(client)
    assert agreement.jurisdiction_acknowledged_at is not None
    assert not is_signed(agreement)


def test_it_encrypts_the_notes_it_writes():
    run_demo()
    with_notes = ConnectionAgreement.objects.exclude(notes="")
    assert with_notes.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM agreements_connectionagreement WHERE notes <> ''")
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == with_notes.count()
    assert all(value.startswith("enc1:") for value in stored)
    assert not any("Coaching" in value for value in stored)


def test_it_prints_logins_that_work_without_a_phone():
    output = run_demo()
    assert PASSWORD in output
    staff = User.objects.exclude(role=User.Role.CLIENT)
    assert staff.count() == 3
    for user in staff:
        assert user.check_password(PASSWORD)
        assert f"totp {user.email}" in output
        secret = printed_secret(output, user.email)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        code = totp(b32decode(secret), step=device.step, t0=device.t0, digits=device.digits)
        assert device.verify_token(f"{code:06d}")
    for client in Client.objects.select_related("user"):
        assert client.user.email in output
        assert client.user.check_password(PASSWORD)


def test_it_loads_once_and_reprints_the_logins():
    run_demo("--once")
    before = counts()
    output = run_demo("--once")
    assert counts() == before
    assert "ana.rivera@harbor.example" in output
    assert printed_secret(output, "ana.rivera@harbor.example")
    with pytest.raises(CommandError):
        run_demo()
    assert counts() == before


def test_it_leaves_an_audit_trail_that_verifies():
    run_demo()
    checked, broken, reason = verify_chain()
    assert broken is None, reason
    assert checked == AuditEvent.objects.count()
    actions = set(AuditEvent.objects.values_list("object_type", "action"))
    assert {("ConnectionAgreement", "create"), ("ConnectionAgreement", "sign"),
            ("ConnectionAgreement", "jurisdiction_acknowledged"), ("OfficeHours", "update"),
            ("TimeOff", "create"), ("Client", "create"), ("OnCallShift", "create"),
            ("Message", "send"), ("Message", "reply"), ("Message", "keep_for_session")} <= actions


@pytest.mark.django_db
def test_the_demo_has_a_weekly_and_an_appointment_relative_schedule_with_planned_messages():
    from interlude.core.demo import load_demo
    from interlude.outreach.models import Delivery, Schedule

    load_demo()

    weekly = Schedule.objects.get(name="Weekly skills practice")
    relative = Schedule.objects.get(name="Before each session")
    assert weekly.rrule.startswith("FREQ=WEEKLY") and weekly.status == "active"
    assert relative.minutes_before_appointment == 24 * 60
    # Whatever the weekday today, the coming week holds Maya's Monday message.
    from datetime import timedelta

    from django.utils import timezone

    from interlude.outreach.schedules import plan_due_occurrences

    for day in range(7):
        plan_due_occurrences(timezone.now() + timedelta(days=day))
    planned = Delivery.objects.filter(ref_type="schedule", ref_id=str(weekly.pk))
    assert planned.exists()
    assert all(row.recipient.email == "maya.chen@client.example" for row in planned)


def test_the_demo_rota_covers_now_and_the_next_sixty_days_with_a_backup():
    from datetime import timedelta

    from django.utils import timezone

    from interlude.crisis import rota

    run_demo()
    practice = Practice.objects.get()
    assert set(Clinician.objects.values_list("on_call_eligible", flat=True)) == {True}
    now = timezone.now()
    assert rota.gaps(practice, now, now + timedelta(days=60)) == []
    for day in range(0, 60, 3):
        assert len(rota.on_duty(practice, now + timedelta(days=day))) == 2
    assert rota.routes_to_on_call(practice)
    jordan = Client.objects.get(user__email="jordan.ellis@client.example")
    agreement = current_agreement(jordan)
    assert (agreement.crisis_route, is_signed(agreement)) == ("on_call", True)


def test_an_urgent_message_from_the_demo_client_reaches_whoever_is_on_call_now():
    from interlude.crisis import rota
    from interlude.crisis.models import UrgentAlert
    from interlude.inbox.services import send_from_client
    from interlude.outreach.models import Delivery

    run_demo()
    jordan = Client.objects.get(user__email="jordan.ellis@client.example")
    alert = send_from_client(jordan.user, "I want to kill myself tonight").alert
    assert alert.state == UrgentAlert.State.OPEN
    first = rota.on_duty(jordan.practice, alert.created_at)[0]
    assert alert.notices.get().recipient == first
    assert Delivery.objects.filter(ref_type="urgent_alert", recipient=first,
                                   priority=Delivery.URGENT).exists()


def test_the_demo_inbox_holds_a_conversation_with_a_held_and_a_kept_message():
    from django.utils import timezone

    from interlude.inbox.models import AgendaItem, Message

    run_demo()
    priya = Client.objects.get(user__email="priya.natarajan@client.example")
    messages = list(Message.objects.filter(thread__client=priya).order_by("created_at", "pk"))
    assert [m.sender for m in messages] == ["client", "client", "clinician", "client", "system"]
    released, kept, reply, held, auto_reply = messages
    assert all(m.released_at == m.created_at and m.held_until is None
               for m in (released, kept, reply))
    assert released.read_at is not None and kept.read_at is not None
    assert held.released_at is None and held.held_until > timezone.now()
    assert {m.level for m in messages} == {"routine"}
    item = AgendaItem.objects.get()
    assert item.message == kept
    assert item.appointment is not None and item.appointment.client == priya
    assert auto_reply.sender == "system"
