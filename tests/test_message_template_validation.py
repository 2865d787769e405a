"""A practice's template is checked when it is saved: unknown placeholders, positional ones,
attribute or index access, format specs and stray braces are refused with a clear message;
the address or video link is refused in email and SMS. Sending never raises."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from interlude.audit.models import AuditEvent
from interlude.outreach import templates_text
from interlude.outreach.models import MessageTemplate
from tests import factories as f

pytestmark = pytest.mark.django_db


def save(user, practice, body, channel="email", subject="Reminder", kind="reminder",
         language="en"):
    return templates_text.save_template(user, practice, kind=kind, channel=channel,
                                        language=language, subject=subject, body=body)


def test_it_saves_a_template_with_known_placeholders_and_audits_it():
    w = f.world()

    row = save(w.admin, w.practice, "Hi {client_first_name}, see you {date} at {time}.")

    assert MessageTemplate.objects.get() == row
    assert (row.kind, row.channel, row.language) == ("reminder", "email", "en")
    event = AuditEvent.objects.get(object_type="MessageTemplate")
    assert event.action == "create" and event.actor == w.admin
    assert event.detail == {"kind": "reminder", "channel": "email", "language": "en"}
    save(w.admin, w.practice, "Hello {client_first_name}.")
    assert MessageTemplate.objects.get().body == "Hello {client_first_name}."
    assert AuditEvent.objects.filter(object_type="MessageTemplate", action="update").exists()


@pytest.mark.parametrize(("body", "message"), [
    ("Hi {first_name}", "Unknown placeholder: {first_name}. You can use: {client_first_name}"),
    ("Your notes: {notes}", "Unknown placeholder: {notes}."),
    ("Hi {0}", "Use placeholders written as {name} only"),
    ("Hi {client_first_name.upper}", "Use placeholders written as {name} only"),
    ("Hi {client_first_name[0]}", "Use placeholders written as {name} only"),
    ("At {time:>10}", "Use placeholders written as {name} only"),
    ("At {time!r}", "Use placeholders written as {name} only"),
    ("An unclosed { brace", "Use placeholders written as {name} only"),
    ("Join at {location}", "Unknown placeholder: {location}."),
    ("", "Write the message."),
])
def test_it_refuses_a_template_with_a_bad_placeholder(body, message):
    w = f.world()

    with pytest.raises(ValidationError) as refused:
        save(w.admin, w.practice, body)

    assert message in refused.value.message_dict["body"][0]
    assert not MessageTemplate.objects.exists()
    assert not AuditEvent.objects.filter(object_type="MessageTemplate").exists()


def test_it_checks_the_subject_too_and_offers_the_location_in_app_only():
    w = f.world()
    with pytest.raises(ValidationError) as refused:
        save(w.admin, w.practice, "Fine {date}", subject="About {diagnosis}")
    assert "{diagnosis}" in refused.value.message_dict["subject"][0]

    row = save(w.admin, w.practice, "Join at {location}", channel="in_app")
    assert row.channel == "in_app"
    with pytest.raises(ValidationError):
        save(w.admin, w.practice, "Join at {location}", channel="sms", subject="")


def test_a_literal_brace_is_written_twice():
    w = f.world()
    row = save(w.admin, w.practice, "Reply {{C}} to confirm, {client_first_name}.")
    words = templates_text.render(w.practice, "reminder", "email", "en",
                                  {"client_first_name": "Ana"})
    assert row.pk and words.body == "Reply {C} to confirm, Ana."


def test_only_the_practices_admins_save_templates():
    w = f.world()
    for user in (w.clinician.user, w.client.user, w.foreign_admin):
        with pytest.raises(PermissionDenied):
            save(user, w.practice, "Hi {client_first_name}")
    assert not MessageTemplate.objects.exists()


def test_sending_never_raises_and_a_broken_stored_template_falls_back_to_the_default():
    w = f.world()
    # Written around the checks, as an old row or a database edit could be.
    MessageTemplate.objects.create(practice=w.practice, kind="reminder", channel="sms",
                                   language="en", body="Hi {client_first_name.__class__}")
    MessageTemplate.objects.create(practice=w.practice, kind="reminder", channel="email",
                                   language="en", subject="", body="Hi {nickname}, {date}")
    context = {"client_first_name": "Ana", "practice_name": "Harbor", "date": "Monday",
               "time": "9:00", "kind": "video", "reply_keywords": "Reply C."}

    sms = templates_text.render(w.practice, "reminder", "sms", "en", context)
    email = templates_text.render(w.practice, "reminder", "email", "en", context)

    assert sms.body == "Harbor: reminder of your video appointment on Monday at 9:00. Reply C."
    assert email.body == "Hi , Monday"  # an unknown placeholder comes out empty
