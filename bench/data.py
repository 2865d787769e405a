"""A bench practice: one clinician with 1,000 clients, one with 10, every client under a
signed agreement. Rows are bulk-inserted for speed, but the values look like a real caseload."""

import random
from datetime import time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from interlude.accounts.models import Client, Clinician, License, Practice, User
from interlude.agreements.models import AgreementSignature, ConnectionAgreement, OfficeHours
from interlude.agreements.presets import preset_fields

FIRST = ("Maya", "Jordan", "Priya", "Daniel", "Oliver", "Lucía", "Grace", "Noah", "Amara",
         "Mateo", "Hannah", "Kenji", "Sofia", "Elijah", "Zara", "Liam", "Aisha", "Theo",
         "Ines", "Marcus", "Chloe", "Ravi", "Nadia", "Owen", "Leila")
LAST = ("Chen", "Ellis", "Natarajan", "Brooks", "Hughes", "Fernández", "Thompson", "Kim",
        "Okoye", "García", "Schmidt", "Tanaka", "Rossi", "Walker", "Haddad", "Murphy",
        "Nguyen", "Silva", "Novak", "Reyes")
PLACES = (("America/Los_Angeles", "US", "CA"), ("America/Los_Angeles", "US", "WA"),
          ("America/New_York", "US", "NY"), ("America/New_York", "US", "NJ"),
          ("America/Chicago", "US", "IL"), ("America/Denver", "US", "CO"),
          ("Europe/London", "GB", ""), ("Europe/Madrid", "ES", ""))
PRESETS = ("dbt", "cbt", "psychodynamic", "general")
PASSWORD = "bench-password-not-for-use"


def build(sizes):
    """Create the practice and one clinician per size; returns {size: Clinician}."""
    rng = random.Random(1)
    password = make_password(PASSWORD)
    with transaction.atomic():
        practice = Practice.objects.create(name="Bench Practice", slug="bench-practice")
        clinicians = {}
        for size in sizes:
            clinician = _clinician(practice, f"clinician{size}@bench.example", password)
            _clients(clinician, size, password, rng)
            clinicians[size] = clinician
    return clinicians


def _clinician(practice, email, password):
    user = User.objects.create(email=email, full_name=email.split("@")[0], practice=practice,
                               role=User.Role.CLINICIAN, password=password)
    clinician = Clinician.objects.create(user=user, practice=practice, display_name=user.full_name,
                                         time_zone="America/New_York", modality="dbt")
    License.objects.create(clinician=clinician, country="US", region="")
    OfficeHours.objects.bulk_create(
        OfficeHours(clinician=clinician, weekday=day, start=time(9), end=time(17))
        for day in range(5))
    TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
    return clinician


def _clients(clinician, count, password, rng):
    prefix = clinician.user.email.split("@")[0]
    users = User.objects.bulk_create(
        User(email=f"{prefix}.client{i}@bench.example",
             full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
             practice=clinician.practice, role=User.Role.CLIENT, password=password)
        for i in range(count))
    clients = Client.objects.bulk_create(_client(clinician, user, rng) for user in users)
    _agreements(clinician, clients, rng)


def _client(clinician, user, rng):
    zone, country, region = rng.choice(PLACES)
    return Client(user=user, practice=clinician.practice, clinician=clinician,
                  display_name=user.full_name, time_zone=zone, country=country, region=region,
                  preferred_channels=["in_app", "email"],
                  created_at=timezone.now() - timedelta(days=rng.randint(1, 700)))


def _agreements(clinician, clients, rng):
    """Version 1 for everyone, a version 2 for every fifth client; one in 25 has not signed
    their newest version yet."""
    rows, unsigned = [], set()
    for n, client in enumerate(clients):
        versions = 2 if n % 5 == 0 else 1
        for version in range(1, versions + 1):
            preset = rng.choice(PRESETS)
            rows.append(ConnectionAgreement(
                client=client, clinician=clinician, version=version, preset=preset,
                created_by=clinician.user, notes="Reviewed at intake." if n % 3 == 0 else "",
                created_at=client.created_at + timedelta(days=30 * version),
                **preset_fields(preset)))
        if n % 25 == 24:
            unsigned.add(id(rows[-1]))
    signed = [row for row in ConnectionAgreement.objects.bulk_create(rows)
              if id(row) not in unsigned]
    AgreementSignature.objects.bulk_create(
        AgreementSignature(agreement=row, signed_by=row.client.user, version=row.version,
                           signed_at=row.created_at + timedelta(hours=rng.randint(1, 72)))
        for row in signed)
