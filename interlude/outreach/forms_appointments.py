"""Forms for appointments, reminder rules and message templates.

They parse what a person typed; the rules live in appointments.py, reminders.py and
templates_text.py. Dates and times are typed in the clinician's own zone.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from interlude.accounts.forms import PlainForm

from .models import Appointment

DURATIONS = (15, 30, 45, 50, 60, 75, 90, 120)
UNITS = [("minutes", _("minutes")), ("hours", _("hours")), ("days", _("days"))]
UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 1440}


def local_instant(day, clock, zone):
    """The instant a clock in `zone` reads `day` `clock`; None for a time the clock skips.
    A repeated time (the clocks going back) means its first occurrence."""
    tz = ZoneInfo(zone)
    naive = datetime.combine(day, clock)
    aware = naive.replace(tzinfo=tz, fold=0)
    if aware.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None) != naive:
        return None
    return aware


class AppointmentTimeForm(PlainForm):
    """Day, start time and length in the clinician's zone, cleaned to `start` and `end`."""

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"},
                                                                  format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(
        attrs={"type": "time"}, format="%H:%M"))
    duration = forms.TypedChoiceField(label=_("Length"), choices=(), coerce=int, initial=50)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["duration"].choices = [
            (m, ngettext("%(n)s minute", "%(n)s minutes", m) % {"n": m}) for m in DURATIONS]
        self.fields["start_time"].help_text = gettext("Your time zone: %(zone)s") % {
            "zone": zone}

    def clean(self):
        cleaned = super().clean()
        day, clock = cleaned.get("day"), cleaned.get("start_time")
        if day and clock:
            start = local_instant(day, clock, self.zone)
            if start is None:
                self.add_error("start_time", gettext(
                    "The clocks change that night in %(zone)s: this time does not exist. "
                    "Choose another.") % {"zone": self.zone})
            else:
                cleaned["start"] = start
                cleaned["end"] = start + timedelta(minutes=cleaned.get("duration") or 50)
        return cleaned


class AppointmentForm(AppointmentTimeForm):
    client = forms.ModelChoiceField(label=_("Client"), queryset=None,
                                    empty_label=_("Choose a client"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Appointment.Kind.choices,
                             initial=Appointment.Kind.VIDEO)
    location = forms.CharField(
        label=_("Address or video link (optional)"), max_length=300, required=False,
        help_text=_("Shown to the client in Interlude only, never in an email or text."))

    field_order = ["client", "day", "start_time", "duration", "kind", "location"]

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients


class MoveForm(AppointmentTimeForm):
    pass


class ReminderRuleForm(PlainForm):
    amount = forms.IntegerField(label=_("How long before"), min_value=1, max_value=20160)
    unit = forms.ChoiceField(label=_("Unit"), choices=UNITS, initial="hours")

    def minutes(self):
        return self.cleaned_data["amount"] * UNIT_MINUTES[self.cleaned_data["unit"]]


class MessageTemplateForm(PlainForm):
    subject = forms.CharField(label=_("Subject or title"), max_length=200, required=False)
    body = forms.CharField(label=_("Message"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 8}))
