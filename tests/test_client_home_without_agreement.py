import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_client_without_an_agreement_sees_their_home_page(client):
    w = f.world()
    client.force_login(w.client.user)

    response = client.get("/me/")

    assert response.status_code == 200
    assert w.client.agreements.count() == 0


def test_is_signed_says_no_when_there_is_no_agreement():
    from interlude.agreements.services import is_signed

    assert is_signed(None) is False
