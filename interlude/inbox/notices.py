"""What the inbox tells people, through the outbox: never message text outside the app.

In-app notices may name the client (they are read inside Interlude); emails carry counts and a
link only, because email leaves Interlude.
"""

import contextlib

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from interlude.agreements.availability import current_agreement
from interlude.outreach import outbox
from interlude.outreach.channels import ChannelUnavailable

from .expectations import day_and_time
from .models import Message


def _link(name, *args):
    return reverse(name, args=args)


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def clinician_gone(message):
    """A message for a clinician whose account is switched off would be read by nobody: the
    practice's admins are told (no message text) so they can move the client to someone."""
    from interlude.crisis.alerts import practice_admins

    thread = message.thread
    for admin in practice_admins(thread.practice):
        with translation.override(admin.preferred_language):
            title = _("A message for %(clinician)s is waiting, but their account is switched "
                      "off. Assign %(client)s to another clinician.") % {
                "clinician": thread.clinician.display_name,
                "client": thread.client.display_name}
        outbox.enqueue(practice=thread.practice, channel="in_app", kind="inbox_orphan",
                       idempotency_key=f"message:{message.pk}:orphan:{admin.pk}",
                       recipient=admin, subject=title, ref=("thread", thread.pk))


def urgent_not_sent(client, at, key):
    """An urgent text that the agreement gave no channel for was not stored, but its writer's
    clinician must not be left unaware that they tried: one in-app notice, without the words,
    inside office hours or at the start of the next ones (no alert: nobody was named for
    crises). `key` makes it once per attempt."""
    from interlude.agreements.availability import reading_hours

    clinician = client.clinician
    user = clinician.user
    if not user.is_active:
        return
    answer = reading_hours(clinician, at)
    due = at if answer.allowed or answer.next_seen_at is None else answer.next_seen_at
    with translation.override(user.preferred_language):
        day, at_time = day_and_time(at, clinician.time_zone)
        title = _("%(name)s tried to send you a message on %(day)s at %(at_time)s that was "
                  "assessed as urgent. Their agreement opens no messages, so it was not sent "
                  "or stored; they were shown their safety plan and the crisis lines.") % {
            "name": client.display_name, "day": day, "at_time": at_time}
    outbox.enqueue(practice=client.practice, channel="in_app", kind="urgent_not_sent",
                   idempotency_key=f"urgent-not-sent:{key}", recipient=user, subject=title,
                   address=_link("client_detail", client.pk), ref=("client", client.pk),
                   due_at=due)


def new_message(message):
    """One in-app notice to the clinician for a message released inside office hours."""
    thread = message.thread
    user = thread.clinician.user
    if not user.is_active:
        clinician_gone(message)
        return
    with translation.override(user.preferred_language):
        title = _("New message from %(name)s") % {"name": thread.client.display_name}
        if message.level == Message.Level.ELEVATED:
            title = _("New message from %(name)s (flagged for attention)") % {
                "name": thread.client.display_name}
    outbox.enqueue(practice=thread.practice, channel="in_app", kind="inbox_message",
                   idempotency_key=f"message:{message.pk}:clinician", recipient=user,
                   subject=title, address=_link("inbox_thread", thread.pk),
                   ref=("thread", thread.pk))


def auto_reply_text(message, until):
    """The agreement's promise, when the message will be read, and where urgent help is."""
    client = message.thread.client
    clinician = message.thread.clinician
    agreement = current_agreement(client)
    promise = (agreement.inbox_promise if agreement else "") or ""
    with translation.override(client.user.preferred_language):
        day, at_time = day_and_time(until, client.time_zone)
        # "Not reading now" covers time off as well as the hours outside the week's windows.
        text = _("Thank you for your message. %(name)s is not reading messages right now; "
                 "your message will be read from %(day)s %(at_time)s your time.") % {
            "name": clinician.display_name, "day": day, "at_time": at_time}
        if promise:
            text += " " + promise
        text += " " + _("If you are in danger or need help now, use your crisis plan: "
                        "the Crisis help button on every page.")
    return text


def auto_reply(message, until, at):
    """The automatic reply, once per held batch: a message in the thread and an in-app notice.

    The client sees it at once; the clinician sees it with the batch it answered, when that is
    released: shown out of hours, it would move the thread up their inbox and tell them a
    message is waiting."""
    thread = message.thread
    text = auto_reply_text(message, until)
    reply = Message.objects.create(thread=thread, sender=Message.Sender.SYSTEM, body=text,
                                   created_at=at, read_at=at)
    client_user = thread.client.user
    with translation.override(client_user.preferred_language):
        title = _("Your message is waiting for your clinician's hours")
    outbox.enqueue(practice=thread.practice, channel="in_app", kind="inbox_auto_reply",
                   idempotency_key=f"message:{message.pk}:auto-reply", recipient=client_user,
                   subject=title, address=_link("my_messages"), ref=("thread", thread.pk))
    return reply


def reply_to_client(message):
    thread = message.thread
    client_user = thread.client.user
    with translation.override(client_user.preferred_language):
        title = _("%(name)s replied to your message") % {"name": thread.clinician.display_name}
    outbox.enqueue(practice=thread.practice, channel="in_app", kind="inbox_reply",
                   idempotency_key=f"message:{message.pk}:client", recipient=client_user,
                   subject=title, address=_link("my_messages"), ref=("thread", thread.pk))


def digest_words(messages, language):
    clients = {message.thread.client_id for message in messages}
    elevated = sum(message.level == Message.Level.ELEVATED for message in messages)
    with translation.override(language):
        text = ngettext("%(count)s message arrived outside your hours",
                        "%(count)s messages arrived outside your hours",
                        len(messages)) % {"count": len(messages)}
        text += " " + ngettext("from %(count)s client.", "from %(count)s clients.",
                               len(clients)) % {"count": len(clients)}
        if elevated:
            text += " " + ngettext("%(count)s is flagged for attention.",
                                   "%(count)s are flagged for attention.",
                                   elevated) % {"count": elevated}
        subject = _("Your inbox digest")
    return subject, text


def digest(clinician, messages, key):
    """One digest at the start of office hours, in-app and by email: counts and a link only,
    since an email leaves Interlude; the inbox it links to shows who wrote."""
    user = clinician.user
    practice = clinician.practice
    if not user.is_active:
        for message in messages:
            clinician_gone(message)
        return
    subject, text = digest_words(messages, user.preferred_language)
    inbox_path = _link("inbox")
    outbox.enqueue(practice=practice, channel="in_app", kind="inbox_digest",
                   idempotency_key=f"{key}:in_app", recipient=user, subject=subject,
                   body=text, address=inbox_path, ref=("clinician", clinician.pk))
    if user.email:
        # A practice without email still gets the in-app digest.
        with contextlib.suppress(ChannelUnavailable):
            outbox.enqueue(practice=practice, channel="email", kind="inbox_digest",
                           idempotency_key=f"{key}:email", recipient=user, address=user.email,
                           subject=subject, body=f"{text}\n\n{_absolute(inbox_path)}",
                           ref=("clinician", clinician.pk))
