"""Small builders for test data. Every access test uses `world()`: two practices, two
clinicians in the first, a client for each, and an admin; the others must be refused."""

import itertools
from dataclasses import dataclass
from datetime import time

from django_otp.plugins.otp_totp.models import TOTPDevice

from interlude.accounts.models import Client, Clinician, License, Practice, User
from interlude.agreements.models import ConnectionAgreement, OfficeHours

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def practice(name=None, **kw):
    n = next(_seq)
    return Practice.objects.create(name=name or f"Practice {n}", slug=f"practice-{n}", **kw)


def clinician(practice_, name=None, time_zone="America/Los_Angeles", modality="general",
              licensed=(("US", ""),), with_totp=True, **kw):
    n = next(_seq)
    user = User.objects.create_user(f"clinician{n}@example.org", PASSWORD,
                                    full_name=name or f"Clinician {n}", practice=practice_,
                                    role=User.Role.CLINICIAN)
    row = Clinician.objects.create(user=user, practice=practice_,
                                   display_name=name or f"Dr. Clinician {n}",
                                   time_zone=time_zone, modality=modality, **kw)
    for country, region in licensed:
        License.objects.create(clinician=row, country=country, region=region)
    if with_totp:
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return row


def admin(practice_, with_totp=True):
    n = next(_seq)
    user = User.objects.create_user(f"admin{n}@example.org", PASSWORD, full_name=f"Admin {n}",
                                    practice=practice_, role=User.Role.ADMIN)
    if with_totp:
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def client(clinician_, name=None, time_zone="America/New_York", country="US", region="NY",
           language="en", **kw):
    n = next(_seq)
    user = User.objects.create_user(f"client{n}@example.org", PASSWORD,
                                    full_name=name or f"Client {n}",
                                    practice=clinician_.practice, role=User.Role.CLIENT,
                                    preferred_language=language)
    return Client.objects.create(user=user, practice=clinician_.practice, clinician=clinician_,
                                 display_name=name or f"Client {n}", time_zone=time_zone,
                                 country=country, region=region, **kw)


def weekday_hours(clinician_, start=time(9), end=time(17), days=range(5)):
    for day in days:
        OfficeHours.objects.create(clinician=clinician_, weekday=day, start=start, end=end)


def agreement(client_, version=1, **fields):
    defaults = {"inbox_open": True, "inbox_promise": "I read messages within 1 business day."}
    defaults.update(fields)
    return ConnectionAgreement.objects.create(client=client_, clinician=client_.clinician,
                                              version=version, **defaults)


@dataclass
class World:
    practice: Practice
    clinician: Clinician
    client: Client
    admin: User
    other_clinician: Clinician
    other_client: Client
    other_practice: Practice
    foreign_clinician: Clinician
    foreign_client: Client
    foreign_admin: User


def world():
    home = practice("Harbor Counseling")
    away = practice("Elsewhere Therapy")
    c1 = clinician(home)
    c2 = clinician(home)
    c3 = clinician(away)
    return World(practice=home, clinician=c1, client=client(c1), admin=admin(home),
                 other_clinician=c2, other_client=client(c2), other_practice=away,
                 foreign_clinician=c3, foreign_client=client(c3), foreign_admin=admin(away))


def verified_login(django_client, user):
    """Log a test client in as `user`, past the second factor, as the login pages would."""
    from django_otp import DEVICE_ID_SESSION_KEY

    django_client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = django_client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return django_client
