from django import forms
from django.utils.translation import gettext_lazy as _

from interlude.accounts.models import Client

from .service import TrailFilter, known_values


def _menu(values, everything_label):
    return [("", everything_label)] + [(v, v) for v in values]


class TrailFilterForm(forms.Form):
    """Narrows one practice's audit trail. Every choice is limited to that practice."""

    actor = forms.CharField(label=_("Who"), required=False, max_length=254,
                            help_text=_("Part of a name or email address."))
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Record type"), required=False)
    client = forms.ModelChoiceField(label=_("Client"), required=False,
                                    queryset=Client.objects.none(), empty_label=_("All clients"))
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = _menu(known_values(practice, "action"), _("All actions"))
        self.fields["object_type"].choices = _menu(known_values(practice, "object_type"),
                                                   _("All record types"))
        self.fields["client"].queryset = (Client.objects.filter(practice_id=practice.pk)
                                          .order_by("display_name"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def trail_filter(self):
        data = self.cleaned_data
        client = data.get("client")
        return TrailFilter(actor=data.get("actor", "").strip(), action=data.get("action", ""),
                           object_type=data.get("object_type", ""),
                           client_id=client.pk if client else None,
                           date_from=data.get("date_from"), date_to=data.get("date_to"))

    def used_filters(self):
        """What the admin filtered on, for the audit record of this view (no free text)."""
        trail = self.trail_filter()
        used = {name: value for name, value in trail._asdict().items()
                if value not in (None, "") and name != "actor"}
        if trail.actor:
            used["actor"] = "(text search)"
        return {k: str(v) for k, v in used.items()}
