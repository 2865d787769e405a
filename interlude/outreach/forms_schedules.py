"""The schedule form: plain fields a clinician fills in, turned into an RFC 5545 rule or a
number of minutes before each appointment. The rules themselves (and most checks) live in
`schedules`; this form only shapes the input."""

from datetime import date, datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import recurrence
from .models import CHANNELS

TIMING = [("repeat", gettext_lazy("On a repeating schedule")),
          ("appointment", gettext_lazy("Before each appointment"))]
FREQUENCY = [("daily", gettext_lazy("Every day")), ("weekly", gettext_lazy("Every week")),
             ("monthly", gettext_lazy("Every month"))]
WEEKDAYS = [("MO", gettext_lazy("Monday")), ("TU", gettext_lazy("Tuesday")),
            ("WE", gettext_lazy("Wednesday")), ("TH", gettext_lazy("Thursday")),
            ("FR", gettext_lazy("Friday")), ("SA", gettext_lazy("Saturday")),
            ("SU", gettext_lazy("Sunday"))]
UNITS = [("minutes", gettext_lazy("minutes")), ("hours", gettext_lazy("hours")),
         ("days", gettext_lazy("days"))]
UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 24 * 60}
# The simple fields can say exactly these rule parts; anything else is edited as a rule.
SIMPLE_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE", "BYMONTHDAY", "COUNT",
                "UNTIL"}


class ScheduleForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=120,
        help_text=gettext_lazy("For you and the practice; the client does not see it."))
    channel = forms.ChoiceField(
        label=gettext_lazy("Send by"), choices=CHANNELS,
        help_text=gettext_lazy("Email and text messages travel outside Interlude: write "
                               "nothing clinical in them."))
    body = forms.CharField(
        label=gettext_lazy("Message"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Sent to the client as written."))
    timing = forms.ChoiceField(label=gettext_lazy("When"), choices=TIMING,
                               widget=forms.RadioSelect, initial="repeat")

    frequency = forms.ChoiceField(label=gettext_lazy("Repeats"), choices=FREQUENCY,
                                  required=False, initial="weekly")
    interval = forms.IntegerField(
        label=gettext_lazy("Every how many days, weeks or months"), min_value=1,
        max_value=12, required=False, initial=1)
    weekdays = forms.MultipleChoiceField(
        label=gettext_lazy("On these days (for a weekly schedule)"), choices=WEEKDAYS,
        required=False, widget=forms.CheckboxSelectMultiple)
    time_of_day = forms.TimeField(
        label=gettext_lazy("Time of day, in the client's time zone"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    start_date = forms.DateField(
        label=gettext_lazy("Starting on"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("A monthly schedule repeats on this day of the month."))
    end_date = forms.DateField(
        label=gettext_lazy("Ending on (optional)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    count = forms.IntegerField(
        label=gettext_lazy("Or stop after this many messages (optional)"), min_value=1,
        max_value=500, required=False)
    rule = forms.CharField(
        label=gettext_lazy("Or a recurrence rule (RFC 5545), for experts (optional)"),
        max_length=500, required=False,
        help_text=gettext_lazy("For example FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=18. When filled "
                               "in, it replaces the repeat fields above except the start."))

    before_amount = forms.IntegerField(label=gettext_lazy("How long before"), min_value=1,
                                       max_value=43200, required=False)
    before_unit = forms.ChoiceField(label=gettext_lazy("Minutes, hours or days"), choices=UNITS,
                                    required=False, initial="days")

    def clean(self):
        data = super().clean()
        data.update(rrule=None, dtstart_local=None, minutes_before_appointment=None)
        if data.get("timing") == "appointment":
            self._clean_appointment(data)
        elif data.get("timing") == "repeat":
            self._clean_repeat(data)
        return data

    def _clean_appointment(self, data):
        amount = data.get("before_amount")
        if amount is None:
            self.add_error("before_amount", _("Say how long before each appointment."))
            return
        data["minutes_before_appointment"] = amount * UNIT_MINUTES[data.get("before_unit")
                                                                   or "days"]

    def _clean_repeat(self, data):
        for name, message in (("start_date", _("Say when the schedule starts.")),
                              ("time_of_day", _("Say at what time of day."))):
            if data.get(name) is None:
                self.add_error(name, message)
        if self.errors:
            return
        data["dtstart_local"] = recurrence.local_date_time(data["start_date"],
                                                           data["time_of_day"])
        if (data.get("rule") or "").strip():
            data["rrule"] = data["rule"].strip()
            return
        if data.get("end_date") and data.get("count"):
            self.add_error("count", _("Give an end date or a number of messages, not both."))
            return
        if data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date is before the start."))
            return
        if data.get("frequency") == "weekly" and not data.get("weekdays"):
            self.add_error("weekdays", _("Choose at least one day of the week."))
            return
        data["rrule"] = build_rule(data)

    def service_fields(self):
        data = self.cleaned_data
        return {"name": data["name"], "channel": data["channel"], "body": data["body"],
                "rrule": data["rrule"], "dtstart_local": data["dtstart_local"],
                "minutes_before_appointment": data["minutes_before_appointment"]}


def build_rule(data):
    """RRULE text from the simple fields."""
    clock = data["time_of_day"]
    parts = [f"FREQ={(data.get('frequency') or 'weekly').upper()}"]
    if (data.get("interval") or 1) > 1:
        parts.append(f"INTERVAL={data['interval']}")
    if data.get("frequency") == "weekly":
        order = [code for code, _label in WEEKDAYS]
        parts.append("BYDAY=" + ",".join(sorted(data["weekdays"], key=order.index)))
    if data.get("frequency") == "monthly":
        parts.append(f"BYMONTHDAY={data['start_date'].day}")
    parts += [f"BYHOUR={clock.hour}", f"BYMINUTE={clock.minute}"]
    if data.get("count"):
        parts.append(f"COUNT={data['count']}")
    elif data.get("end_date"):
        parts.append(f"UNTIL={data['end_date']:%Y%m%d}T235959")
    return ";".join(parts)


def _simple_fields(parts, start):
    """The simple fields saying `parts`, or None when they cannot."""
    freq = parts.get("FREQ", "").lower()
    if freq not in dict(FREQUENCY) or not set(parts) <= SIMPLE_PARTS:
        return None
    weekly_days = parts.get("BYDAY", "").split(",") if "BYDAY" in parts else []
    if (freq == "weekly") != bool(weekly_days) or not set(weekly_days) <= dict(WEEKDAYS).keys():
        return None
    if parts.get("BYMONTHDAY") != (str(start.day) if freq == "monthly" else None):
        return None
    if parts.get("BYHOUR", str(start.hour)) != str(start.hour) or parts.get(
            "BYMINUTE", str(start.minute)) != str(start.minute):
        return None
    interval = int(parts.get("INTERVAL", "1"))
    if interval > 12:
        return None
    until = parts.get("UNTIL")
    return {"frequency": freq, "interval": interval, "weekdays": weekly_days,
            "count": int(parts["COUNT"]) if "COUNT" in parts else None,
            "end_date": datetime.strptime(until, "%Y%m%dT%H%M%S").date() if until else None}


def initial_for(schedule, start):
    """The form's starting values for an existing schedule (`start`: its naive DTSTART)."""
    initial = {"name": schedule.name, "channel": schedule.channel, "body": schedule.body}
    if schedule.minutes_before_appointment is not None:
        minutes = schedule.minutes_before_appointment
        unit = next(name for name in ("days", "hours", "minutes")
                    if minutes % UNIT_MINUTES[name] == 0)
        initial.update(timing="appointment", before_unit=unit,
                       before_amount=minutes // UNIT_MINUTES[unit])
        return initial
    initial.update(timing="repeat", start_date=start.date(), time_of_day=start.time())
    simple = _simple_fields(recurrence.parse_rule(schedule.rrule).parts, start)
    if simple is None:
        initial["rule"] = schedule.rrule
    else:
        initial.update(simple)
    return initial


def today_initial(zone_today: date):
    return {"timing": "repeat", "frequency": "weekly", "interval": 1,
            "start_date": zone_today, "before_unit": "days"}
