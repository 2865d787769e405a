"""The safety plan form: seven text areas. The limits themselves are checked by
`crisis.safety_plans`, which the views call with what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from interlude.accounts.forms import PlainForm

from .models import STEPS
from .rota import MAX_POSITION
from .safety_plans import MAX_STEP_LENGTH

HELP = {
    "warning_signs": _("Thoughts, images, moods, situations or behaviours that tell me a crisis "
                       "may be starting."),
    "coping_strategies": _("For example: going for a walk, music, a shower, breathing slowly."),
    "distraction_contacts": _("Names and phone numbers, and places where I can be around "
                              "people."),
    "help_contacts": _("Names and phone numbers of people I can tell that I am struggling."),
    "professional_contacts": _("My therapist, other clinicians, urgent care, crisis lines."),
    "environment_safety": _("How I keep away from things I could use to hurt myself."),
    "reasons_for_living": _("The people, things and hopes that matter most to me."),
}


class SafetyPlanForm(PlainForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in STEPS:
            # No max_length here: the rules give one clear message for a step that is too long.
            self.fields[name] = forms.CharField(
                label=label, required=False, help_text=HELP[name], strip=False,
                widget=forms.Textarea(attrs={"rows": 3, "data-max": MAX_STEP_LENGTH}))

    @classmethod
    def initial_from(cls, plan):
        return {name: getattr(plan, name) for name, _label in STEPS} if plan else {}


class OnCallShiftForm(PlainForm):
    """One shift. Times are read in the practice's zone: the view activates it while cleaning."""

    clinician = forms.ModelChoiceField(
        label=_("Clinician"), queryset=None, empty_label=_("Choose a clinician"),
        error_messages={"invalid_choice": _("Choose an active, on-call eligible clinician of "
                                            "this practice.")},
        help_text=_("Only active clinicians marked on-call eligible on the Practice page."))
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                       format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                     format="%Y-%m-%dT%H:%M"))
    position = forms.IntegerField(
        label=_("Position"), min_value=1, max_value=MAX_POSITION, initial=1,
        help_text=_("1 is called first; 2 is the backup if 1 does not acknowledge in time; "
                    "and so on."))

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = clinicians

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A shift must end after it starts."))
        return cleaned
