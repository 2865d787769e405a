from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CHANNEL_CHOICES, TIME_ZONE_CHOICES


class PlainForm(forms.Form):
    """Labels without a trailing colon, as the pages and assistive technology read them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LoginForm(PlainForm):
    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(
        attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class CodeForm(PlainForm):
    """One field for a six-digit code or a recovery code."""

    code = forms.CharField(
        label=_("One-time code"), max_length=32,
        help_text=_("The six digits from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "off", "spellcheck": "false"}))


class ConfirmDeviceForm(PlainForm):
    code = forms.CharField(
        label=_("Code from your app"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class DisableTwoFactorForm(PlainForm):
    code = forms.CharField(
        label=_("Current code to turn two-step login off"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))


class ClientProfileForm(PlainForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    country = forms.ChoiceField(label=_("Country"))
    region = forms.CharField(
        label=_("State or province"), required=False, max_length=10,
        help_text=_("Its short code, such as NY or ON. Leave blank if it does not apply."))
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    preferred_channels = forms.MultipleChoiceField(
        label=_("How we may contact you"), required=False, choices=CHANNEL_CHOICES,
        widget=forms.CheckboxSelectMultiple)
    quiet_start = forms.TimeField(
        label=_("Quiet hours start"),
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        help_text=_("Between these times we send you nothing, except in an emergency."))
    quiet_end = forms.TimeField(
        label=_("Quiet hours end"),
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = services.country_choices()
        current = self.initial.get("country")
        # A country set elsewhere (by the clinician or the API) stays selectable.
        if current and current not in services.COUNTRY_NAMES:
            choices.append((current, current))
        self.fields["country"].choices = choices

    @classmethod
    def for_client(cls, client, data=None):
        initial = {name: getattr(client, name) for name in services.CLIENT_PROFILE_FIELDS}
        initial["preferred_language"] = client.user.preferred_language
        return cls(data, initial=initial)

    def clean_phone(self):
        return services.clean_phone(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        country = data.get("country")
        if country:
            try:
                data["region"] = services.clean_region(country, data.get("region"))
            except ValidationError as error:
                self.add_error("region", error)
        if "phone" in data:
            try:
                data["preferred_channels"] = services.clean_channels(
                    data.get("preferred_channels"), data["phone"])
            except ValidationError as error:
                self.add_error("preferred_channels", error)
        return data


class LicenseForm(PlainForm):
    country = forms.ChoiceField(label=_("Country"))
    region = forms.CharField(
        label=_("State or province"), required=False, max_length=10,
        help_text=_("Its short code, such as NY; blank covers the whole country."))
    number = forms.CharField(label=_("Licence number"), required=False, max_length=60)

    def __init__(self, *args, prefix_id=None, **kwargs):
        # Each clinician's row has its own form; the prefix keeps label `for` ids unique.
        super().__init__(*args, auto_id=f"id_lic{prefix_id}_%s" if prefix_id else "id_%s",
                         **kwargs)
        self.fields["country"].choices = services.country_choices()


class AlertPhoneForm(PlainForm):
    """The on-call clinician's number for urgent alert texts, set by the practice admin."""

    alert_phone = forms.CharField(
        label=_("Phone for urgent alert texts"), required=False, max_length=32,
        help_text=_("With + and the country code. Used only to text urgent alerts, when the "
                    "practice has text messages turned on; never shown to clients. Leave "
                    "blank for none."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))

    def __init__(self, *args, prefix_id=None, **kwargs):
        # One form per clinician's row; the prefix keeps label `for` ids unique.
        super().__init__(*args, auto_id=f"id_phone{prefix_id}_%s" if prefix_id else "id_%s",
                         **kwargs)

    def clean_alert_phone(self):
        return services.clean_alert_phone(self.cleaned_data.get("alert_phone"))
