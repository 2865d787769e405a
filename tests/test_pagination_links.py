"""Long lists link to their other pages with the page's own words for older and newer."""

import pytest

from interlude.audit.service import record
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_audit_trail_links_to_older_events_and_back(client):
    w = f.world()
    for n in range(60):
        record(w.admin, "view", "Client", n, practice=w.practice)
    f.verified_login(client, w.admin)

    first = client.get("/audit/").content.decode()
    second = client.get("/audit/", {"page": 2}).content.decode()

    assert "Older events</a>" in first and "Newer events</a>" not in first
    assert "Newer events</a>" in second and "Page 2 of" in second
