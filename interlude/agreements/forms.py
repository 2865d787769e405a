"""Forms for the staff pages: agreements, office hours, time off, practice defaults, invitations.

Forms only parse and check what a person typed; the rules themselves live in
`agreements.services` and `accounts.services`, which the views call with the cleaned values.
"""

from datetime import time

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from interlude.accounts.forms import PlainForm
from interlude.accounts.models import CHANNEL_CHOICES, TIME_ZONE_CHOICES

from .models import WEEKDAYS, ConnectionAgreement, TimeOff
from .presets import PRESETS

TIME_INPUT = {"type": "time"}


def _time_field(label):
    return forms.TimeField(label=label, required=False,
                           widget=forms.TimeInput(attrs=TIME_INPUT, format="%H:%M"))


# One base for every form: labels without a trailing colon, as assistive technology reads them.
StaffForm = PlainForm


# --- weekly windows (office hours, practice hours, crisis hours) --------------------------

class WeeklyWindows:
    """Up to `per_day` [start, end) windows on each weekday, as pairs of time inputs.

    Field names are `<prefix><weekday>_<n>_start` / `_end`; the page groups them in one
    fieldset per weekday.
    """

    # Each label is unique within its weekday's fieldset, so each input can be named alone.
    LABELS = ((_("From"), _("Until")), (_("Second window from"), _("Second window until")))

    def __init__(self, form, prefix, per_day):
        self.form = form
        self.prefix = prefix
        self.per_day = per_day
        for day, _name in WEEKDAYS:
            for n in range(per_day):
                start, end = self.names(day, n)
                form.fields[start] = _time_field(self.LABELS[n][0])
                form.fields[end] = _time_field(self.LABELS[n][1])

    def names(self, day, n):
        return f"{self.prefix}{day}_{n}_start", f"{self.prefix}{day}_{n}_end"

    @staticmethod
    def initial(prefix, per_day, windows):
        """Initial form data from [(weekday, start, end), ...]; extra windows are dropped."""
        data, used = {}, {}
        for day, start, end in sorted(windows):
            n = used.get(day, 0)
            if n >= per_day:
                continue
            used[day] = n + 1
            data[f"{prefix}{day}_{n}_start"] = start
            data[f"{prefix}{day}_{n}_end"] = end
        return data

    def days(self):
        """For the template: each weekday's name and its (start, end) bound fields."""
        groups = []
        for day, name in WEEKDAYS:
            rows = []
            for n in range(self.per_day):
                start, end = self.names(day, n)
                rows.append({"start": self.form[start], "end": self.form[end]})
            groups.append({"day": day, "name": name, "rows": rows})
        return groups

    def clean(self):
        """The windows as [(weekday, start, end)], adding an error to the field at fault."""
        windows = []
        for day, name in WEEKDAYS:
            spans = [span for n in range(self.per_day) if (span := self._span(day, name, n))]
            self._check_overlap(day, name, spans)
            windows.extend((day, start, end) for _n, start, end in spans)
        return windows

    def _span(self, day, name, n):
        data = self.form.cleaned_data
        start_name, end_name = self.names(day, n)
        if start_name in self.form.errors or end_name in self.form.errors:
            return None
        start, end = data.get(start_name), data.get(end_name)
        if start is None and end is None:
            return None
        if start is None:
            self.form.add_error(start_name, _("%(day)s: add the time this window starts.")
                                % {"day": name})
            return None
        if end is None:
            self.form.add_error(end_name, _("%(day)s: add the time this window ends.")
                                % {"day": name})
            return None
        if end <= start:
            self.form.add_error(end_name, _("%(day)s: the window must end after it starts "
                                            "(%(start)s), on the same day.")
                                % {"day": name, "start": start.strftime("%H:%M")})
            return None
        return (n, start, end)

    def _check_overlap(self, day, name, spans):
        spans.sort(key=lambda span: span[1])
        for (_n1, _s1, end1), (n2, start2, _e2) in zip(spans, spans[1:], strict=False):
            if start2 < end1:
                self.form.add_error(self.names(day, n2)[0],
                                    _("%(day)s: the two windows overlap.") % {"day": name})


class WeeklyHoursForm(StaffForm):
    """A clinician's (or the practice's default) weekly office hours: two windows a day."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.weekly = WeeklyWindows(self, "d", per_day=2)

    @classmethod
    def from_rows(cls, rows, **kwargs):
        windows = [(row.weekday, row.start, row.end) for row in rows]
        return cls(initial=WeeklyWindows.initial("d", 2, windows), **kwargs)

    def clean(self):
        cleaned = super().clean()
        cleaned["windows"] = self.weekly.clean()
        return cleaned


# --- time off ----------------------------------------------------------------------------

class TimeOffForm(StaffForm):
    """Dates and times are read in the clinician's zone: the view activates it while cleaning."""

    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                       format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                     format="%Y-%m-%dT%H:%M"))
    kind = forms.ChoiceField(label=_("Kind"), choices=TimeOff.Kind.choices)
    label = forms.CharField(label=_("Label (optional)"), max_length=120, required=False,
                            help_text=_("Shown to you only, e.g. \"Summer holiday\"."))

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Time off must end after it starts."))
        return cleaned


# --- practice defaults -------------------------------------------------------------------

class PracticeDefaultsForm(StaffForm):
    inbox_promise = forms.CharField(
        label=_("Default inbox promise"), max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What a client reads before sending a message."))
    inbox_response_business_days = forms.IntegerField(
        label=_("Response time (business days)"), min_value=0, max_value=30)
    checkin_weekly_cap = forms.IntegerField(
        label=_("Check-ins per week (0 for none)"), min_value=0, max_value=7)
    checkin_minutes = forms.IntegerField(label=_("Check-in length (minutes)"),
                                         min_value=5, max_value=30)
    crisis_route = forms.ChoiceField(label=_("Default crisis route"),
                                     choices=ConnectionAgreement.CrisisRoute.choices,
                                     widget=forms.RadioSelect)


# --- the connection agreement ------------------------------------------------------------

BOOLEAN_FIELDS = ("self_help_open", "automated_open", "inbox_open", "inbox_may_not_reply",
                  "checkins_open", "coaching_calls", "twenty_four_hour_rule")


class AgreementForm(StaffForm):
    """Every field of a new agreement version, prefilled from a preset and editable."""

    preset = forms.ChoiceField(choices=[(key, key) for key in PRESETS],
                               widget=forms.HiddenInput)
    self_help_open = forms.BooleanField(label=_("Self-help tools"), required=False)
    automated_open = forms.BooleanField(
        label=_("Automated messages (reminders, measures)"), required=False)
    inbox_open = forms.BooleanField(label=_("Open inbox"), required=False)
    inbox_promise = forms.CharField(
        label=_("What the client can expect"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the client before they send a message."))
    inbox_response_business_days = forms.IntegerField(
        label=_("Read within (business days)"), min_value=0, max_value=30, required=False)
    inbox_may_not_reply = forms.BooleanField(
        label=_("I may not reply; we talk about it next session"), required=False)
    checkins_open = forms.BooleanField(label=_("Scheduled check-ins"), required=False)
    checkin_weekly_cap = forms.IntegerField(label=_("Check-ins per week"), min_value=0,
                                            max_value=7, required=False)
    checkin_minutes = forms.IntegerField(label=_("Check-in length (minutes)"), min_value=1,
                                         max_value=60, required=False)
    crisis_route = forms.ChoiceField(label=_("Crisis route"),
                                     choices=ConnectionAgreement.CrisisRoute.choices,
                                     widget=forms.RadioSelect)
    coaching_calls = forms.BooleanField(label=_("Phone coaching calls"), required=False)
    coaching_call_minutes = forms.IntegerField(label=_("Coaching call length (minutes)"),
                                               min_value=1, max_value=60, required=False)
    twenty_four_hour_rule = forms.BooleanField(
        label=_("The 24-hour rule: no coaching for 24 hours after self-harm"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Anything else you agreed. Stored encrypted."))

    def __init__(self, *args, covered=True, jurisdiction="", inbox_risk="", **kwargs):
        super().__init__(*args, **kwargs)
        self.crisis = WeeklyWindows(self, "crisis", per_day=1)
        self.covered = covered
        # The warning's text when opening the inbox needs a second thought (risk history).
        self.inbox_risk = inbox_risk
        if inbox_risk:
            self.fields["confirm_open_inbox_risk"] = forms.BooleanField(
                label=_("I have weighed this client's urgent messages and still open the "
                        "inbox."), required=False)
        if not covered:
            self.fields["acknowledge_jurisdiction"] = forms.BooleanField(
                label=_("I understand that I hold no licence in %(place)s and take "
                        "responsibility for offering telehealth across borders.")
                % {"place": jurisdiction},
                error_messages={"required": _("Tick the acknowledgement to offer this "
                                              "agreement across borders.")})

    @classmethod
    def initial_from(cls, fields, preset):
        """Initial data from agreement fields as the services hold them."""
        initial = {k: v for k, v in fields.items() if k != "crisis_hours"}
        initial["preset"] = preset
        windows = [(day, _parse_hhmm(start), _parse_hhmm(end))
                   for day, start, end in fields.get("crisis_hours") or []]
        initial.update(WeeklyWindows.initial("crisis", 1, windows))
        return initial

    def clean(self):
        cleaned = super().clean()
        cleaned["crisis_hours"] = [[day, start.strftime("%H:%M"), end.strftime("%H:%M")]
                                   for day, start, end in self.crisis.clean()]
        if (self.inbox_risk and cleaned.get("inbox_open")
                and not cleaned.get("confirm_open_inbox_risk")):
            self.add_error("confirm_open_inbox_risk", _(
                "This client has sent urgent messages before: tick the confirmation to open "
                "the inbox, or leave the inbox closed."))
        return cleaned

    def agreement_fields(self):
        """The cleaned values in the shape `services.create_agreement` takes."""
        data = self.cleaned_data
        fields = {name: data[name] for name in BOOLEAN_FIELDS}
        fields.update(
            inbox_promise=data["inbox_promise"].strip(),
            inbox_response_business_days=data["inbox_response_business_days"],
            checkin_weekly_cap=data["checkin_weekly_cap"] or 0,
            checkin_minutes=_minutes(data["checkin_minutes"], data["checkins_open"]),
            crisis_route=data["crisis_route"],
            crisis_hours=data["crisis_hours"],
            coaching_call_minutes=data["coaching_call_minutes"],
            notes=data["notes"],
        )
        return fields

    def add_service_errors(self, error):
        """Attach a ValidationError from the services to the fields it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            # Crisis hours are a group of inputs; their rule belongs next to the route choice.
            target = "crisis_route" if field == "crisis_hours" else field
            self.add_error(target if target in self.fields else None, messages)


def _minutes(value, checkins_open):
    if value is not None:
        return value
    # An empty length is an error only when check-ins are open; the services say so.
    return 0 if checkins_open else 10


def _parse_hhmm(value):
    return time.fromisoformat(value)


# --- inviting a client -------------------------------------------------------------------

class InviteClientForm(StaffForm):
    clinician = forms.ModelChoiceField(label=_("Clinician"), queryset=None,
                                       empty_label=_("Choose a clinician"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    country = forms.ChoiceField(label=_("Country"))
    region = forms.CharField(label=_("State or province (optional)"), max_length=10,
                             required=False,
                             help_text=_("A code such as NY or ON; it decides licensing and "
                                         "crisis lines."))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=32, required=False)
    preferred_channels = forms.MultipleChoiceField(
        label=_("How the client would like to hear from us"), choices=CHANNEL_CHOICES,
        required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, clinicians=None, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices
        if clinicians is None:
            # A clinician invites to their own caseload: nothing to choose.
            del self.fields["clinician"]
        else:
            self.fields["clinician"].queryset = clinicians


# --- licences ------------------------------------------------------------------------------
