"""The wording of automated messages: default templates as data, and a practice's own.

A template is a subject and a body with {placeholders}, filled with `str.format_map`. A
practice's `MessageTemplate` for a kind, channel and language replaces the default wording.

Checked when saved, never at send time. Saving refuses an unknown placeholder, a positional
one (`{0}`), attribute or index access (`{client.user}`), a format spec or conversion and an
unbalanced brace, each with a message that names the placeholders that are allowed. Sending
never raises: a placeholder with no value comes out empty, and a stored template that no longer
renders falls back to the default wording, so a reminder is never lost to a typo.

The minimum necessary: no template can put clinical detail (modality, notes, measures) into a
message, because no placeholder carries it. Email and SMS travel outside Interlude, so the
appointment's address or video link ({location}) and a client's name in a notice to the
clinician are offered in the in-app channel only, behind the login.
"""

import logging
import string
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interlude.audit.service import record

from .models import CHANNELS, MessageTemplate

logger = logging.getLogger(__name__)

KINDS = tuple(MessageTemplate.Kind.values)
CHANNEL_NAMES = tuple(name for name, _label in CHANNELS)
LANGUAGES = ("en", "es")
SMS_MAX_LENGTH = 480

PLACEHOLDER_HELP = {
    "client_first_name": gettext_lazy("The client's first name"),
    "client_name": gettext_lazy("The client's name as the clinician knows it"),
    "clinician_name": gettext_lazy("The clinician's name as clients see it"),
    "practice_name": gettext_lazy("The practice's name"),
    "date": gettext_lazy("The appointment's day, in the reader's time zone and language"),
    "time": gettext_lazy("The appointment's time, in the reader's time zone"),
    "kind": gettext_lazy("Video, phone or in person, in the reader's language"),
    "location": gettext_lazy("The address or video link (in-app only)"),
    "confirm_url": gettext_lazy("A signed link that confirms the appointment"),
    "cancel_url": gettext_lazy("A signed link that cancels the appointment"),
    "reply_keywords": gettext_lazy("How to confirm or cancel by replying to the text"),
    "appointments_url": gettext_lazy("The clinician's appointments page"),
    "site_url": gettext_lazy("The address of Interlude"),
    "message": gettext_lazy("The scheduled message itself (in-app only)"),
}

_REMINDER = ("client_first_name", "clinician_name", "practice_name", "date", "time", "kind")
_NOTICE = ("clinician_name", "practice_name", "date", "time", "kind", "appointments_url")
_SCHEDULED = ("client_first_name", "clinician_name", "practice_name", "site_url")
_TO_CLIENT = ("client_first_name", "clinician_name", "practice_name", "date", "time", "kind",
              "appointments_url")

PLACEHOLDERS = {
    ("reminder", "in_app"): (*_REMINDER, "location", "confirm_url", "cancel_url"),
    ("reminder", "email"): (*_REMINDER, "confirm_url", "cancel_url"),
    ("reminder", "sms"): (*_REMINDER, "reply_keywords"),
    ("cancelled_notice", "in_app"): (*_NOTICE, "client_name"),
    ("cancelled_notice", "email"): _NOTICE,
    ("cancelled_notice", "sms"): _NOTICE,
    ("cancelled_by_clinician", "in_app"): _TO_CLIENT,
    ("cancelled_by_clinician", "email"): _TO_CLIENT,
    ("cancelled_by_clinician", "sms"): _TO_CLIENT,
    ("scheduled_message", "in_app"): (*_SCHEDULED, "message"),
    ("scheduled_message", "email"): _SCHEDULED,
    ("scheduled_message", "sms"): _SCHEDULED,
}

# (kind, channel, language) -> (subject, body). SMS and in-app subjects are titles only.
DEFAULTS = {
    ("reminder", "in_app", "en"): (
        "Appointment reminder",
        "Hello {client_first_name}, this is a reminder of your {kind} appointment with "
        "{clinician_name} on {date} at {time} (your time).\n"
        "Where: {location}\n"
        "Confirm: {confirm_url}\nCancel: {cancel_url}"),
    ("reminder", "in_app", "es"): (
        "Recordatorio de cita",
        "Hola, {client_first_name}: te recordamos tu cita {kind} con {clinician_name} el "
        "{date} a las {time} (tu hora).\n"
        "Dónde: {location}\n"
        "Confirmar: {confirm_url}\nCancelar: {cancel_url}"),
    ("reminder", "email", "en"): (
        "Reminder: your appointment on {date} at {time}",
        "Hello {client_first_name},\n\n"
        "This is a reminder of your {kind} appointment with {clinician_name} on {date} at "
        "{time} (your time).\n\n"
        "Confirm that you will come: {confirm_url}\n"
        "Cancel the appointment: {cancel_url}\n\n"
        "Sign in to Interlude to see the details.\n\n"
        "{practice_name}"),
    ("reminder", "email", "es"): (
        "Recordatorio: tu cita del {date} a las {time}",
        "Hola, {client_first_name}:\n\n"
        "Te recordamos tu cita {kind} con {clinician_name} el {date} a las {time} "
        "(tu hora).\n\n"
        "Confirmar que vienes: {confirm_url}\n"
        "Cancelar la cita: {cancel_url}\n\n"
        "Entra en Interlude para ver los detalles.\n\n"
        "{practice_name}"),
    ("reminder", "sms", "en"): (
        "",
        "{practice_name}: reminder of your {kind} appointment on {date} at {time}. "
        "{reply_keywords}"),
    ("reminder", "sms", "es"): (
        "",
        "{practice_name}: recordatorio de tu cita {kind} el {date} a las {time}. "
        "{reply_keywords}"),
    ("cancelled_notice", "in_app", "en"): (
        "Appointment cancelled",
        "{client_name} cancelled the {kind} appointment on {date} at {time}. The slot is free "
        "again.\n{appointments_url}"),
    ("cancelled_notice", "in_app", "es"): (
        "Cita cancelada",
        "{client_name} canceló la cita {kind} del {date} a las {time}. El hueco vuelve a "
        "estar libre.\n{appointments_url}"),
    ("cancelled_notice", "email", "en"): (
        "An appointment on {date} was cancelled",
        "Hello {clinician_name},\n\n"
        "The {kind} appointment on {date} at {time} was cancelled. The slot is free again.\n\n"
        "Sign in to see your appointments: {appointments_url}\n\n{practice_name}"),
    ("cancelled_notice", "email", "es"): (
        "Se canceló una cita del {date}",
        "Hola, {clinician_name}:\n\n"
        "Se canceló la cita {kind} del {date} a las {time}. El hueco vuelve a estar libre.\n\n"
        "Entra para ver tus citas: {appointments_url}\n\n{practice_name}"),
    ("cancelled_notice", "sms", "en"): (
        "", "{practice_name}: the appointment on {date} at {time} was cancelled."),
    ("cancelled_notice", "sms", "es"): (
        "", "{practice_name}: se canceló la cita del {date} a las {time}."),
    ("cancelled_by_clinician", "in_app", "en"): (
        "Appointment cancelled",
        "Hello {client_first_name}, {clinician_name} had to cancel your {kind} appointment on "
        "{date} at {time} (your time). {practice_name} will be in touch to find a new time.\n"
        "{appointments_url}"),
    ("cancelled_by_clinician", "in_app", "es"): (
        "Cita cancelada",
        "Hola, {client_first_name}: {clinician_name} tuvo que cancelar tu cita {kind} del "
        "{date} a las {time} (tu hora). {practice_name} se pondrá en contacto contigo para "
        "buscar otra hora.\n{appointments_url}"),
    ("cancelled_by_clinician", "email", "en"): (
        "Your appointment on {date} was cancelled",
        "Hello {client_first_name},\n\n"
        "{clinician_name} had to cancel your {kind} appointment on {date} at {time} "
        "(your time). We will be in touch to find a new time.\n\n"
        "Your appointments: {appointments_url}\n\n{practice_name}"),
    ("cancelled_by_clinician", "email", "es"): (
        "Se canceló tu cita del {date}",
        "Hola, {client_first_name}:\n\n"
        "{clinician_name} tuvo que cancelar tu cita {kind} del {date} a las {time} "
        "(tu hora). Nos pondremos en contacto contigo para buscar otra hora.\n\n"
        "Tus citas: {appointments_url}\n\n{practice_name}"),
    ("cancelled_by_clinician", "sms", "en"): (
        "", "{practice_name}: your appointment on {date} at {time} was cancelled. We will be "
            "in touch to find a new time."),
    ("cancelled_by_clinician", "sms", "es"): (
        "", "{practice_name}: se canceló tu cita del {date} a las {time}. Te contactaremos "
            "para buscar otra hora."),
    ("scheduled_message", "in_app", "en"): ("A message from {practice_name}", "{message}"),
    ("scheduled_message", "in_app", "es"): ("Un mensaje de {practice_name}", "{message}"),
    ("scheduled_message", "email", "en"): (
        "A message from {practice_name}",
        "Hello {client_first_name},\n\n"
        "There is a new message for you in Interlude. Sign in to read it: {site_url}\n\n"
        "{practice_name}"),
    ("scheduled_message", "email", "es"): (
        "Un mensaje de {practice_name}",
        "Hola, {client_first_name}:\n\n"
        "Tienes un mensaje nuevo en Interlude. Entra para leerlo: {site_url}\n\n"
        "{practice_name}"),
    ("scheduled_message", "sms", "en"): (
        "", "{practice_name}: there is a new message for you in Interlude. {site_url}"),
    ("scheduled_message", "sms", "es"): (
        "", "{practice_name}: tienes un mensaje nuevo en Interlude. {site_url}"),
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def language_of(code):
    """"es-MX" -> "es"; a language without templates falls back to English."""
    base = (code or "en").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def allowed_placeholders(kind, channel):
    return PLACEHOLDERS.get((kind, channel), ())


def default_template(kind, channel, language):
    return DEFAULTS.get((kind, channel, language_of(language))) or DEFAULTS[(kind, channel, "en")]


# --- checking and filling ------------------------------------------------------------------

def placeholders_in(text):
    """The names a template uses; ValueError for anything but plain {name} placeholders."""
    names = []
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is None:
            continue
        if not field.isidentifier():
            raise ValueError(field)
        if spec or conversion:
            raise ValueError(field)
        names.append(field)
    return names


def _braced(names):
    return ", ".join(f"{{{name}}}" for name in names)


def _problems(text, allowed):
    try:
        names = placeholders_in(text)
    except ValueError:
        return [_("Use placeholders written as {name} only, with the names listed below; "
                  "write a literal brace as {{ or }}.")]
    unknown = sorted(set(names) - set(allowed))
    if not unknown:
        return []
    return [_("Unknown placeholder: %(names)s. You can use: %(allowed)s.") % {
        "names": _braced(unknown), "allowed": _braced(allowed)}]


def validate(kind, channel, subject, body):
    """Raise one ValidationError naming every problem of a template about to be saved."""
    if (kind, channel) not in PLACEHOLDERS:
        raise ValidationError(_("There is no such kind of message or channel."))
    allowed = allowed_placeholders(kind, channel)
    errors = {}
    if subject_problems := _problems(subject, allowed):
        errors["subject"] = subject_problems
    body_problems = _problems(body, allowed) if body.strip() else [_("Write the message.")]
    if channel == "sms" and len(body) > SMS_MAX_LENGTH:
        body_problems.append(_("A text message template can be at most %(n)s characters.")
                             % {"n": SMS_MAX_LENGTH})
    if body_problems:
        errors["body"] = body_problems
    if errors:
        raise ValidationError(errors)


class _Blanks(dict):
    """A placeholder without a value comes out empty rather than failing a delivery."""

    def __missing__(self, key):
        return ""


def fill(text, context):
    placeholders_in(text)  # refuses attribute and index access before format_map sees them
    return text.format_map(_Blanks({key: str(value) for key, value in context.items()}))


def render(practice, kind, channel, language, context):
    """The subject and body of one message, in the practice's wording if it has its own."""
    language = language_of(language)
    own = MessageTemplate.objects.filter(practice=practice, kind=kind, channel=channel,
                                         language=language).first()
    if own is not None:
        try:
            return Rendered(fill(own.subject, context), fill(own.body, context))
        except (ValueError, IndexError, KeyError):
            logger.warning("Message template %s does not render; using the default", own.pk)
    subject, body = default_template(kind, channel, language)
    return Rendered(fill(subject, context), fill(body, context))


# --- the practice's own templates ------------------------------------------------------------

def _check_admin(actor, practice):
    if not (actor.is_authenticated and actor.is_admin and actor.practice_id == practice.pk):
        raise PermissionDenied("Only the practice's admins edit its message templates.")


def _check_key(kind, channel, language):
    if (kind, channel) not in PLACEHOLDERS or language not in LANGUAGES:
        raise ValidationError(_("There is no such kind of message, channel or language."))


def save_template(actor, practice, *, kind, channel, language, subject, body, request=None):
    """Store the practice's wording for one kind, channel and language; audited."""
    _check_admin(actor, practice)
    _check_key(kind, channel, language)
    subject, body = (subject or "").strip(), (body or "").strip()
    validate(kind, channel, subject, body)
    with transaction.atomic():
        row, created = MessageTemplate.objects.update_or_create(
            practice=practice, kind=kind, channel=channel, language=language,
            defaults={"subject": subject, "body": body})
        record(actor, "create" if created else "update", "MessageTemplate", row.pk,
               request=request, practice=practice,
               detail={"kind": kind, "channel": channel, "language": language})
    return row


def reset_template(actor, practice, *, kind, channel, language, request=None):
    """Go back to the default wording; audited. Returns whether there was an override."""
    _check_admin(actor, practice)
    _check_key(kind, channel, language)
    with transaction.atomic():
        row = MessageTemplate.objects.filter(practice=practice, kind=kind, channel=channel,
                                             language=language).first()
        if row is None:
            return False
        record(actor, "delete", "MessageTemplate", row.pk, request=request, practice=practice,
               detail={"kind": kind, "channel": channel, "language": language})
        row.delete()
    return True


SAMPLE = {
    "en": {"client_first_name": "Alex", "client_name": "Alex Sample",
           "clinician_name": "Dr. Sample", "date": "Monday 2 March", "time": "10:00",
           "kind": "video", "location": "https://video.example/room",
           "reply_keywords": "Reply C to confirm or X to cancel.",
           "message": "This is where the scheduled message goes."},
    "es": {"client_first_name": "Alex", "client_name": "Alex Ejemplo",
           "clinician_name": "Dra. Ejemplo", "date": "lunes 2 de marzo", "time": "10:00",
           "kind": "por videollamada", "location": "https://video.example/room",
           "reply_keywords": "Responde C para confirmar o X para cancelar.",
           "message": "Aquí va el mensaje programado."},
}


def sample_context(practice, language, site_url):
    """Made-up values for the editor's preview: no real client's data."""
    context = dict(SAMPLE[language_of(language)])
    context.update(practice_name=practice.name, site_url=site_url,
                   confirm_url=f"{site_url}/a/sample/confirm/",
                   cancel_url=f"{site_url}/a/sample/cancel/",
                   appointments_url=f"{site_url}/appointments/")
    return context


def preview(practice, kind, channel, language, subject, body, site_url):
    context = sample_context(practice, language, site_url)
    return Rendered(fill(subject, context), fill(body, context))
