"""The demo practice, Harbor Counseling: two clinicians, their clients, differing agreements,
an on-call rota and a conversation in the inbox.

Everything goes through the same service functions the pages call (inviting, licences, hours,
time off, agreements, signatures, shifts, messages), so the demo's audit trail is a real one.
The people, notes and messages are invented.
"""

import os
import sys
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from interlude.accounts.models import Clinician, Practice, User
from interlude.accounts.services import (
    TOTP_DEVICE_NAME,
    accept_invitation,
    add_license,
    confirmed_totp,
    invite_client,
    totp_secret,
)
from interlude.agreements import services as agreements
from interlude.audit.service import record

PRACTICE_NAME = "Harbor Counseling"
PRACTICE_SLUG = "harbor-counseling"
PASSWORD = "interlude-demo"
ADMIN_EMAIL = "admin@harbor.example"


@dataclass(frozen=True)
class ClinicianSpec:
    key: str
    email: str
    full_name: str
    display_name: str
    pronoun: str
    time_zone: str
    modality: str
    licenses: tuple
    hours: tuple  # (weekday, start hour, end hour) in the clinician's zone


@dataclass(frozen=True)
class AgreementSpec:
    preset: str
    changes: dict = field(default_factory=dict)
    notes: str = ""
    signed: bool = True


@dataclass(frozen=True)
class ClientSpec:
    clinician: str
    full_name: str
    email: str
    time_zone: str
    country: str
    region: str
    agreements: tuple
    language: str = "en"
    phone: str = ""
    channels: tuple = ("in_app",)


CLINICIANS = (
    ClinicianSpec(
        key="rivera", email="ana.rivera@harbor.example", full_name="Ana Rivera",
        display_name="Dr. Ana Rivera", pronoun="she", time_zone="America/Los_Angeles",
        modality=Clinician.Modality.DBT, licenses=(("US", "CA"), ("US", "WA"), ("US", "OR")),
        hours=tuple((day, 9, 17) for day in range(5)) + ((5, 10, 12),)),
    ClinicianSpec(
        key="okafor", email="samuel.okafor@harbor.example", full_name="Samuel Okafor",
        display_name="Dr. Samuel Okafor", pronoun="he", time_zone="America/New_York",
        modality=Clinician.Modality.PSYCHODYNAMIC,
        licenses=(("US", "NY"), ("US", "NJ"), ("GB", "")),
        hours=tuple((day, 10, 18) for day in range(4))),
)

CLIENTS = (
    ClientSpec(
        clinician="rivera", full_name="Maya Chen", email="maya.chen@client.example",
        time_zone="America/Los_Angeles", country="US", region="CA",
        phone="+1 213 555 0142", channels=("in_app", "sms"),
        agreements=(AgreementSpec("dbt", notes="Coaching calls for distress-tolerance skills; "
                                               "review the 24-hour rule at each renewal."),)),
    ClientSpec(
        clinician="rivera", full_name="Jordan Ellis", email="jordan.ellis@client.example",
        time_zone="America/Los_Angeles", country="US", region="WA",
        agreements=(AgreementSpec("dbt", {"crisis_route": "on_call", "crisis_hours": []}),)),
    ClientSpec(
        clinician="rivera", full_name="Grace Thompson", email="grace.thompson@client.example",
        time_zone="America/New_York", country="US", region="FL", channels=("in_app", "email"),
        agreements=(
            AgreementSpec("dbt"),
            AgreementSpec("dbt", {"crisis_route": "on_call", "crisis_hours": [],
                                  "coaching_call_minutes": 5, "checkin_weekly_cap": 1},
                          notes="Moving crisis contact to the on-call rota while Dr. Rivera "
                                "reduces evening hours.", signed=False),
        )),
    ClientSpec(
        clinician="okafor", full_name="Priya Natarajan", email="priya.natarajan@client.example",
        time_zone="America/New_York", country="US", region="NY", channels=("in_app", "email"),
        agreements=(AgreementSpec("cbt"),)),
    ClientSpec(
        clinician="okafor", full_name="Daniel Brooks", email="daniel.brooks@client.example",
        time_zone="America/New_York", country="US", region="NY",
        agreements=(AgreementSpec("psychodynamic", notes="Material between sessions is brought "
                                                         "to the next session."),)),
    ClientSpec(
        clinician="okafor", full_name="Oliver Hughes", email="oliver.hughes@client.example",
        time_zone="Europe/London", country="GB", region="",
        agreements=(AgreementSpec("general"),)),
    ClientSpec(
        clinician="okafor", full_name="Lucía Fernández", email="lucia.fernandez@client.example",
        time_zone="Europe/Madrid", country="ES", region="", language="es",
        agreements=(AgreementSpec("psychodynamic", signed=False),)),
)

PRACTICE_DEFAULTS = {
    "inbox_promise": "I read messages within 1 business day, in my office hours.",
    "inbox_response_business_days": 1,
    "checkin_weekly_cap": 1,
    "crisis_route": "resources",
}


def demo_practice():
    return Practice.objects.filter(slug=PRACTICE_SLUG).first()


def load_demo():
    """Build the demo practice in one transaction and return it."""
    with transaction.atomic(), _no_outgoing_mail():
        practice = Practice.objects.create(name=PRACTICE_NAME, slug=PRACTICE_SLUG,
                                           time_zone="America/New_York", country="US")
        record(None, "create", "Practice", practice.pk, practice=practice, label="demo")
        password = make_password(PASSWORD)
        admin = _staff_user(practice, ADMIN_EMAIL, "Jamie Park", User.Role.ADMIN, password)
        agreements.update_practice_defaults(admin, practice, PRACTICE_DEFAULTS)
        clinicians = {spec.key: _clinician(admin, practice, spec, password) for spec in CLINICIANS}
        _time_off_next_week(clinicians["okafor"])
        for spec in CLIENTS:
            _client(clinicians[spec.clinician], spec)
        build_outbox_examples(practice)
        build_appointments(practice)
        build_schedules(practice)
        build_on_call_rota(practice)
        build_messages(practice)
    return practice


def _no_outgoing_mail():
    # The demo's addresses are invented: its invitations must never reach a mail server.
    return override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _staff_user(practice, email, full_name, role, password):
    user = User.objects.create(email=email, full_name=full_name, practice=practice, role=role,
                               password=password)
    record(None, "create", "User", user.pk, practice=practice, label="demo",
           detail={"role": role})
    # A random secret, printed with the logins, stands in for the phone of a real staff member.
    TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    record(user, "two_factor_enabled", "User", user.pk)
    return user


def _clinician(admin, practice, spec, password):
    user = _staff_user(practice, spec.email, spec.full_name, User.Role.CLINICIAN, password)
    clinician = Clinician.objects.create(
        user=user, practice=practice, display_name=spec.display_name, pronoun=spec.pronoun,
        time_zone=spec.time_zone, modality=spec.modality, on_call_eligible=True)
    record(admin, "create", "Clinician", clinician.pk, detail={"modality": spec.modality})
    for country, region in spec.licenses:
        add_license(admin, clinician, country=country, region=region)
    agreements.set_office_hours(user, clinician,
                                [(day, time(start), time(end)) for day, start, end in spec.hours])
    return clinician


def _time_off_next_week(clinician):
    zone = ZoneInfo(clinician.time_zone)
    today = timezone.now().astimezone(zone).date()
    monday = today + timedelta(days=7 - today.weekday())
    starts_at = datetime.combine(monday, time(0), tzinfo=zone)
    agreements.add_time_off(clinician.user, clinician, starts_at, starts_at + timedelta(days=3),
                            kind="other", label="Conference")


def _client(clinician, spec):
    client, token = invite_client(
        clinician.user, clinician, full_name=spec.full_name, email=spec.email,
        time_zone=spec.time_zone, country=spec.country, region=spec.region,
        language=spec.language, phone=spec.phone, preferred_channels=spec.channels)
    accept_invitation(token, PASSWORD)
    client.user.refresh_from_db()
    for agreement_spec in spec.agreements:
        _agreement(clinician, client, agreement_spec)
    return client


def _agreement(clinician, client, spec):
    fields = agreements.initial_fields(client, spec.preset)
    fields.update(spec.changes, notes=spec.notes)
    agreement = agreements.create_agreement(
        clinician.user, client, fields, preset=spec.preset,
        acknowledge_jurisdiction=not agreements.jurisdiction_covered(clinician, client))
    if spec.signed:
        agreements.sign_agreement(client.user, agreement, user_agent="Interlude demo")
    return agreement


# --- the outbox ----------------------------------------------------------------------------

def build_outbox_examples(practice, now=None):
    """Deliveries in every state, so the admin's Deliveries page has something to show: welcome
    notes already delivered in the app, check-in prompts waiting for their time, and two emails
    that failed for good (a refused address, a mail server that kept saying "later")."""
    from interlude.outreach.channels.in_app import InAppChannel
    from interlude.outreach.models import Delivery
    from interlude.outreach.outbox import enqueue

    now = now or timezone.now()
    clients = list(practice.clients.select_related("user").order_by("user__email"))
    for client in clients:
        delivery = enqueue(
            practice=practice, channel="in_app", kind="welcome", recipient=client.user,
            idempotency_key=f"demo:welcome:{client.pk}", due_at=now - timedelta(hours=2),
            subject="Welcome to Interlude",
            body="Your agreement and crisis help are always one tap away.")
        InAppChannel().send(delivery)
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.SENT, sent_at=now - timedelta(hours=2), attempts=1,
            claimed_by="demo")
    for days, client in enumerate(clients[:3], start=1):
        enqueue(practice=practice, channel="in_app", kind="scheduled_message",
                recipient=client.user, idempotency_key=f"demo:check-in:{client.pk}",
                due_at=now + timedelta(days=days), subject="A gentle check-in",
                body="How did this week's practice go? Note it in the app when you can.")
    refused = {"grace.thompson@client.example": ("PermanentFailure: SMTP 550: the server "
                                                 "refused the message", 1),
               "priya.natarajan@client.example": ("TemporaryFailure: SMTP 451: the server "
                                                  "refused for now", 8)}
    for client in clients:
        if client.user.email not in refused:
            continue
        error, attempts = refused[client.user.email]
        delivery = enqueue(
            practice=practice, channel="email", kind="scheduled_message", recipient=client.user,
            address=client.user.email, idempotency_key=f"demo:email:{client.pk}",
            due_at=now - timedelta(days=1), subject="A message from Harbor Counseling",
            body="You have a new message in Interlude.")
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.DEAD, attempts=attempts, last_error=error, claimed_by="demo")


# --- appointments and reminders --------------------------------------------------------------

# (client, which working day from tomorrow, local hour in the clinician's zone, kind, then)
APPOINTMENTS = (
    ("maya.chen@client.example", 1, 10, "video", "confirm"),
    ("maya.chen@client.example", 6, 10, "video", ""),
    ("jordan.ellis@client.example", 2, 11, "in_person", ""),
    ("grace.thompson@client.example", 2, 14, "phone", "cancel"),
    ("grace.thompson@client.example", 4, 14, "phone", ""),
    ("priya.natarajan@client.example", 1, 15, "video", "confirm"),
    ("daniel.brooks@client.example", 2, 12, "in_person", ""),
    ("oliver.hughes@client.example", 3, 11, "video", ""),
)
LOCATIONS = {"video": "https://video.harbor.example/room/{pk}", "phone": "",
             "in_person": "Harbor Counseling, 12 Pier Street, room 3"}


def build_appointments(practice, now=None):
    """Upcoming appointments for most clients (two confirmed, one cancelled by the client), the
    practice's default reminders 48 and 2 hours before, and Maya Chen's own at 24 hours. The
    reminders land in the outbox through the same rules as the pages'."""
    from interlude.outreach import appointments, reminders

    now = now or timezone.now()
    admin = practice.users.filter(role=User.Role.ADMIN).first()
    for minutes in (2880, 120):
        reminders.add_rule(admin, practice, minutes)
    clients = {c.user.email: c for c in practice.clients.select_related("user", "clinician",
                                                                          "clinician__user")}
    maya = clients["maya.chen@client.example"]
    reminders.add_rule(maya.clinician.user, practice, 1440, client=maya)
    for email, day, hour, kind, then in APPOINTMENTS:
        client = clients[email]
        start = _working_day(client.clinician, day, hour, now)
        appointment = appointments.create_appointment(
            client.clinician.user, client, start=start, end=start + timedelta(minutes=50),
            kind=kind, location=LOCATIONS[kind].format(pk=client.pk))
        if then == "confirm":
            appointments.confirm_appointment(client.user, appointment)
        elif then == "cancel":
            appointments.cancel_appointment(client.user, appointment)


def build_schedules(practice, now=None):
    """A weekly skills prompt for Maya Chen (Mondays 9:00 her time) and a check-in prompt the
    day before each of Priya Natarajan's appointments, planned through the schedule rules."""
    from interlude.outreach import schedules

    now = now or timezone.now()
    clients = {c.user.email: c for c in practice.clients.select_related("user", "clinician",
                                                                          "clinician__user")}
    maya = clients["maya.chen@client.example"]
    monday = now.astimezone(ZoneInfo(maya.time_zone)).date() + timedelta(days=1)
    schedules.create_schedule(
        maya.clinician.user, maya, name="Weekly skills practice", channel="in_app",
        body="Good morning. Which skill will you practise this week? Log it in your diary card.",
        rrule="FREQ=WEEKLY;BYDAY=MO", dtstart_local=datetime.combine(monday, time(9)))
    priya = clients["priya.natarajan@client.example"]
    schedules.create_schedule(
        priya.clinician.user, priya, name="Before each session", channel="in_app",
        body="Tomorrow we meet. Jot down one thing from this week you want to talk about.",
        minutes_before_appointment=24 * 60)


def _working_day(clinician, n, hour, now):
    """The n-th Monday-to-Thursday from tomorrow, in the clinician's zone, off time off."""
    from interlude.agreements.availability import time_off_for

    zone = ZoneInfo(clinician.time_zone)
    day = now.astimezone(zone).date()
    while n:
        day += timedelta(days=1)
        start = datetime.combine(day, time(hour), tzinfo=zone)
        if day.weekday() < 4 and not time_off_for(clinician, start, start + timedelta(hours=1)):
            n -= 1
    return start


# --- the on-call rota -------------------------------------------------------------------------

ROTA_WEEKS = 9


def build_on_call_rota(practice, now=None):
    """Week-long shifts until nine weeks from the start of today (the practice's zone): the two
    clinicians take turns at position 1, the other one is the backup at position 2.

    Weeks start where the rota already there ends, so `make run` calls this on every start and
    the demo client whose crisis route is the rota never finds it run out."""
    from django.db.models import Max

    from interlude.crisis import rota
    from interlude.crisis.models import OnCallShift

    now = now or timezone.now()
    admin = practice.users.filter(role=User.Role.ADMIN).first()
    zone = ZoneInfo(practice.time_zone)
    today = now.astimezone(zone).date()
    horizon = today + timedelta(weeks=ROTA_WEEKS)
    last = OnCallShift.objects.filter(practice=practice).aggregate(end=Max("ends_at"))["end"]
    day = max(today, last.astimezone(zone).date()) if last else today
    pair = list(rota.eligible_clinicians(practice).order_by("user__email"))
    while day < horizon:
        starts = datetime.combine(day, time(0), tzinfo=zone)
        ends = datetime.combine(day + timedelta(weeks=1), time(0), tzinfo=zone)
        order = pair if (day - today).days // 7 % 2 == 0 else pair[::-1]
        for position, clinician in enumerate(order, start=1):
            rota.add_shift(admin, practice, clinician, starts, ends, position, now=now)
        day += timedelta(weeks=1)


# --- the inbox -------------------------------------------------------------------------------

CONVERSATION_CLIENT = "priya.natarajan@client.example"
CONVERSATION = (
    "I tried the thought record after our last session. Writing down the evidence for and "
    "against helped more than I expected.",
    "Could we talk about my sister's visit at the next session? I would like to plan for it.",
)
REPLY = ("Thank you, Priya. I am glad the thought record helped. I have kept your sister's "
         "visit for our next session.")
HELD = "One more thing: I skipped the team meeting again today. I will bring my notes."


def build_messages(practice, now=None):
    """Priya Natarajan's thread with Dr. Okafor: two messages sent in his last office hours
    (one kept for the next session), his reply, and one sent now while he is unplugged for the
    afternoon, held until his next window."""
    from interlude.inbox import agenda, services

    now = now or timezone.now()
    priya = practice.clients.select_related("user", "clinician__user").get(
        user__email=CONVERSATION_CLIENT)
    okafor = priya.clinician
    at = _last_working_noon(okafor, now - timedelta(hours=1))
    sent = [services.send_from_client(priya.user, text, at=at + timedelta(minutes=20 * n))
            for n, text in enumerate(CONVERSATION)]
    agenda.keep_for_session(okafor.user, sent[1].message)
    services.reply(okafor.user, sent[0].message.thread, REPLY)
    # After the reply, which is stamped with the clock, not with `now`.
    later = max(now, timezone.now())
    agreements.add_time_off(okafor.user, okafor, later - timedelta(minutes=30),
                            later + timedelta(hours=3), kind="unplugged", label="Report writing")
    services.send_from_client(priya.user, HELD, at=later)


def _last_working_noon(clinician, before):
    """Noon of the clinician's latest working day (in their zone) that is before `before`."""
    zone = ZoneInfo(clinician.time_zone)
    days = {row.weekday for row in clinician.office_hours.all()}
    day = before.astimezone(zone).date()
    for _back in range(8):
        noon = datetime.combine(day, time(12), tzinfo=zone)
        if day.weekday() in days and noon <= before:
            return noon
        day -= timedelta(days=1)
    return before


# --- the logins ------------------------------------------------------------------------------

def _secret(user):
    device = confirmed_totp(user)
    return totp_secret(device) if device else "(none: set one up after logging in)"


def _program():
    """How to call `interlude` again from this shell: `make run` calls `.venv/bin/interlude`
    in development mode, which a plain shell does not set."""
    program = sys.argv[0] if sys.argv else ""
    program = program if os.path.basename(program) == "interlude" else "interlude"
    return f"INTERLUDE_MODE=dev {program}" if settings.DEV else program


def _role_label(user):
    if user.is_clinician:
        return f"clinician, {user.clinician.get_modality_display()}"
    return "practice admin" if user.is_admin else "client"


def _agreement_summary(client):
    current = agreements.current_agreement(client)
    if current is None:
        return "no agreement yet"
    inbox = "inbox open" if current.inbox_open else "inbox closed"
    state = "signed" if agreements.is_signed(current) else "awaiting signature"
    return (f"{client.clinician.display_name}; {client.jurisdiction}, {client.time_zone}; "
            f"v{current.version} {state}; {inbox}; crisis: {current.get_crisis_route_display()}")


def login_lines(practice):
    """The block printed after loading: who can log in, with which password and codes."""
    program = _program()
    staff = practice.users.exclude(role=User.Role.CLIENT).select_related("clinician")
    staff = sorted(staff, key=lambda u: (u.role != User.Role.ADMIN, u.full_name))
    clients = practice.clients.select_related("user", "clinician").order_by("user__email")
    lines = [f"Demo practice: {practice.name}. Every demo password is: {PASSWORD}", "",
             "Staff (a one-time code is asked after the password):"]
    for user in staff:
        lines += [f"  {user.email:<34} {user.full_name}: {_role_label(user)}",
                  f"      TOTP secret {_secret(user)}",
                  f"      current code: {program} totp {user.email}"]
    lines += ["", "Clients:"]
    for client in clients:
        lines += [f"  {client.user.email:<34} {client.display_name}",
                  f"      {_agreement_summary(client)}"]
    return lines
