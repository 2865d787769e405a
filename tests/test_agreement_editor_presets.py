"""Each modality preset prefills the agreement form, and saving it stores the preset's values;
any field can be changed after the preset."""

from html.parser import HTMLParser

import pytest

from interlude.agreements import services
from interlude.agreements.models import ConnectionAgreement
from interlude.agreements.presets import PRESETS
from interlude.agreements.services import initial_fields
from tests import factories as f

pytestmark = pytest.mark.django_db


class FormReader(HTMLParser):
    """What a browser would submit from each form of a page, as the page renders it."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self._form[self._select] = attrs.get("value", "")

    def _input(self, attrs):
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if not name or kind in ("submit", "button"):
            return
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self._form.setdefault(name, []).append(attrs.get("value", "on"))
            return
        self._form[name] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            # Browsers drop the newline that follows <textarea>.
            value = self._form[self._textarea]
            self._form[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def form_with(response, field_name):
    """The data of the page's form that has `field_name`."""
    reader = FormReader()
    reader.feed(response.content.decode())
    return next(form for form in reader.forms if field_name in form)


def new_agreement_url(client_):
    return f"/clients/{client_.pk}/agreements/new/"


@pytest.mark.parametrize("preset", list(PRESETS))
def test_it_stores_the_presets_values_when_saved_unchanged(client, preset):
    w = f.world()
    f.verified_login(client, w.clinician.user)
    page = client.get(new_agreement_url(w.client), {"preset": preset})
    assert page.status_code == 200

    response = client.post(new_agreement_url(w.client), form_with(page, "preset"))

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{w.client.pk}/"
    agreement = ConnectionAgreement.objects.get(client=w.client)
    assert agreement.version == 1
    assert agreement.preset == preset
    assert agreement.created_by == w.clinician.user
    for name, value in initial_fields(w.client, preset).items():
        assert getattr(agreement, name) == value, name


def test_it_stores_a_field_changed_after_the_preset(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)
    page = client.get(new_agreement_url(w.client), {"preset": "dbt"})
    data = form_with(page, "preset")
    assert data["checkin_weekly_cap"] == "2"
    data["checkin_weekly_cap"] = "3"
    data["inbox_promise"] = "I read messages on weekdays."
    data["crisis0_0_start"] = "07:30"
    data["crisis6_0_start"], data["crisis6_0_end"] = "12:00", "13:00"
    data["notes"] = "Coaching is for skills use, not for processing."

    response = client.post(new_agreement_url(w.client), data)

    assert response.status_code == 302
    agreement = ConnectionAgreement.objects.get(client=w.client)
    assert agreement.preset == "dbt"
    assert agreement.checkin_weekly_cap == 3
    assert agreement.inbox_promise == "I read messages on weekdays."
    assert agreement.crisis_hours[0] == [0, "07:30", "20:00"]
    assert agreement.crisis_hours[-1] == [6, "12:00", "13:00"]
    assert agreement.notes == "Coaching is for skills use, not for processing."
    # The rest is still the preset's.
    assert agreement.coaching_calls is True
    assert agreement.twenty_four_hour_rule is True
    assert agreement.crisis_route == "clinician"


def test_it_can_close_a_channel_the_preset_opened(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)
    data = form_with(client.get(new_agreement_url(w.client), {"preset": "cbt"}), "preset")
    del data["checkins_open"]

    client.post(new_agreement_url(w.client), data)

    agreement = ConnectionAgreement.objects.get(client=w.client)
    assert agreement.checkins_open is False
    assert agreement.inbox_open is True


def test_it_starts_from_the_clinicians_modality_when_no_preset_is_chosen(client):
    w = f.world()
    w.clinician.modality = "psychodynamic"
    w.clinician.save()
    f.verified_login(client, w.clinician.user)

    page = client.get(new_agreement_url(w.client))

    data = form_with(page, "preset")
    assert data["preset"] == "psychodynamic"
    assert "inbox_open" not in data


def test_it_tells_the_clinician_the_version_is_offered_and_awaits_signature(client):
    w = f.world()
    f.verified_login(client, w.clinician.user)
    data = form_with(client.get(new_agreement_url(w.client), {"preset": "general"}), "preset")

    response = client.post(new_agreement_url(w.client), data, follow=True)

    content = response.content.decode()
    assert (f"Version 1 offered; channels stay closed until {w.client.display_name} signs it."
            in content)
    assert "Awaiting signature" in content
    assert not services.is_signed(services.current_agreement(w.client))
