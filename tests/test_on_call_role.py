import pytest

from interlude.audit.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def url(clinician):
    return f"/practice/clinicians/{clinician.pk}/on-call/"


def test_an_admin_puts_a_clinician_on_the_on_call_rota_and_it_is_audited(client):
    w = f.world()
    f.verified_login(client, w.admin)

    response = client.post(url(w.clinician), {"on_call": "1"})

    assert response.status_code == 302
    w.clinician.refresh_from_db()
    assert w.clinician.on_call_eligible is True
    event = AuditEvent.objects.get(action="update", object_type="Clinician")
    assert event.detail == {"on_call_eligible": True}
    assert event.actor == w.admin


def test_an_admin_takes_a_clinician_off_the_rota(client):
    w = f.world()
    w.clinician.on_call_eligible = True
    w.clinician.save()
    f.verified_login(client, w.admin)

    client.post(url(w.clinician), {"on_call": "0"})

    w.clinician.refresh_from_db()
    assert w.clinician.on_call_eligible is False


@pytest.mark.parametrize("who", ["clinician", "foreign_admin"])
def test_it_refuses_anyone_but_the_practices_admin(client, who):
    w = f.world()
    user = getattr(w, who)
    f.verified_login(client, getattr(user, "user", user))

    response = client.post(url(w.other_clinician), {"on_call": "1"})

    assert response.status_code == 404
    w.other_clinician.refresh_from_db()
    assert w.other_clinician.on_call_eligible is False
    assert not AuditEvent.objects.filter(object_type="Clinician").exists()


def test_it_refuses_a_client(client):
    w = f.world()
    client.force_login(w.client.user)

    assert client.post(url(w.clinician), {"on_call": "1"}).status_code == 404
    w.clinician.refresh_from_db()
    assert w.clinician.on_call_eligible is False
