"""What goes in and out of the API. Input schemas carry the limits a caller can check before
sending; the rules in the services still have the last word (and answer 422 the same way)."""

from datetime import datetime, time
from enum import StrEnum
from typing import Annotated
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import (
    AwareDatetime,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

HHMM_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
HHMM = Annotated[str, StringConstraints(pattern=HHMM_PATTERN)]
Weekday = Annotated[int, Field(ge=0, le=6, description="0 is Monday, 6 is Sunday")]
TIME_ZONES = frozenset(tz for tz in available_timezones() if "/" in tz)


class Preset(StrEnum):
    dbt = "dbt"
    cbt = "cbt"
    psychodynamic = "psychodynamic"
    general = "general"


class CrisisRoute(StrEnum):
    resources = "resources"
    clinician = "clinician"
    on_call = "on_call"


class Channel(StrEnum):
    self_help = "self_help"
    automated = "automated"
    inbox = "inbox"
    checkins = "checkins"
    crisis = "crisis"


class ContactChannel(StrEnum):
    in_app = "in_app"
    email = "email"
    sms = "sms"


class Language(StrEnum):
    en = "en"
    es = "es"


class TimeOffKind(StrEnum):
    vacation = "vacation"
    unplugged = "unplugged"
    sick = "sick"
    other = "other"


class AgreementStatus(StrEnum):
    none = "none"
    awaiting_signature = "awaiting_signature"
    signed = "signed"


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def parse_hhmm(value: str) -> time:
    return time.fromisoformat(value)


class In(Schema):
    """An input body: a field the API does not know is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None
    code: str | None = None


# --- who am I -------------------------------------------------------------------------------

class PracticeOut(Schema):
    id: int
    name: str
    slug: str
    time_zone: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    is_admin: bool = Field(
        description="May administer the practice: an admin, or a clinician who is also one")
    language: str
    practice: PracticeOut | None
    clinician_id: int | None = None
    client_id: int | None = None


# --- clients --------------------------------------------------------------------------------

class ClinicianRef(Schema):
    id: int
    display_name: str


class AgreementSummary(Schema):
    version: int | None
    status: AgreementStatus


class ClientListItem(Schema):
    id: int
    display_name: str
    clinician: ClinicianRef
    time_zone: str
    is_active: bool
    agreement: AgreementSummary


class ClientPage(Schema):
    items: list[ClientListItem]
    count: int
    page: int
    page_size: int
    pages: int


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class ClientOut(Schema):
    id: int
    display_name: str
    email: str
    language: str
    time_zone: str
    country: str
    region: str
    jurisdiction: str
    phone: str
    preferred_channels: list[str]
    is_active: bool
    created_at: datetime
    clinician: ClinicianRef
    agreement: AgreementSummary


class InviteIn(In):
    full_name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)
    time_zone: str = Field(max_length=64, examples=["America/New_York"])
    country: str = Field(min_length=2, max_length=2, examples=["US"],
                         description="ISO 3166-1 alpha-2 country code")
    region: str = Field("", max_length=10, examples=["NY"],
                        description="State or province code; blank if the country has none")
    language: Language = Language.en
    phone: str = Field("", max_length=32)
    preferred_channels: list[ContactChannel] = Field(default_factory=list, max_length=3)
    clinician_id: int | None = Field(
        None, description="Whose client this is; a clinician may leave it out for themself.")

    @field_validator("email")
    @classmethod
    def _email(cls, value):
        try:
            validate_email(value.strip())
        except DjangoValidationError as exc:
            raise ValueError("Enter a valid email address.") from exc
        return value.strip().lower()

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value):
        if value not in TIME_ZONES:
            raise ValueError("Unknown time zone; use an IANA name such as America/New_York.")
        return value


class InviteOut(ClientOut):
    invitation_sent: bool = Field(
        description="Whether the email with the one-time link went out. The link itself is "
                    "never returned: only the client may set their password.")


# --- agreements -----------------------------------------------------------------------------

class WindowOut(Schema):
    weekday: int
    start: str = Field(examples=["09:00"])
    end: str = Field(examples=["17:00"])


class CrisisWindow(In):
    weekday: Weekday
    start: HHMM
    end: HHMM

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.end <= self.start:
            raise ValueError("A window must end after it starts, on the same day.")
        return self


NOT_NULLABLE = (
    "self_help_open", "automated_open", "inbox_open", "inbox_promise", "inbox_may_not_reply",
    "checkins_open", "checkin_weekly_cap", "checkin_minutes", "crisis_route", "crisis_hours",
    "coaching_calls", "twenty_four_hour_rule", "notes",
)


class AgreementFieldsIn(In):
    """Changes to the preset's prefilled values; leave a field out to keep the preset's value."""

    self_help_open: bool | None = None
    automated_open: bool | None = None
    inbox_open: bool | None = None
    inbox_promise: str | None = Field(None, max_length=300)
    inbox_response_business_days: int | None = Field(None, ge=1, le=10)
    inbox_may_not_reply: bool | None = None
    checkins_open: bool | None = None
    checkin_weekly_cap: int | None = Field(None, ge=0, le=7)
    checkin_minutes: int | None = Field(None, ge=5, le=30)
    crisis_route: CrisisRoute | None = None
    crisis_hours: list[CrisisWindow] | None = Field(None, max_length=28)
    coaching_calls: bool | None = None
    coaching_call_minutes: int | None = Field(None, ge=5, le=15)
    twenty_four_hour_rule: bool | None = None
    notes: str | None = Field(None, max_length=5000)

    @field_validator(*NOT_NULLABLE)
    @classmethod
    def _not_null(cls, value):
        # Only values the caller sent reach here: null means "clear", which these cannot be.
        if value is None:
            raise ValueError("This field cannot be null; leave it out to keep the preset's value.")
        return value

    def changes(self):
        """The fields the caller sent, in the form the services take."""
        values = self.model_dump(exclude_unset=True, mode="json")
        if "crisis_hours" in values:
            values["crisis_hours"] = [[w["weekday"], w["start"], w["end"]]
                                      for w in values["crisis_hours"]]
        return values


class AgreementIn(In):
    preset: Preset = Preset.general
    fields: AgreementFieldsIn = Field(default_factory=AgreementFieldsIn)
    acknowledge_jurisdiction: bool = Field(
        False, description="Offer the agreement even though the clinician holds no licence "
                           "for the client's jurisdiction.")
    confirm_open_inbox_risk: bool = Field(
        False, description="Open the inbox although the client has sent urgent messages before "
                           "(the clinician has weighed the risk history).")


class AgreementFieldsOut(Schema):
    self_help_open: bool
    automated_open: bool
    inbox_open: bool
    inbox_promise: str
    inbox_response_business_days: int | None
    inbox_may_not_reply: bool
    checkins_open: bool
    checkin_weekly_cap: int
    checkin_minutes: int
    crisis_route: CrisisRoute
    crisis_hours: list[WindowOut]
    coaching_calls: bool
    coaching_call_minutes: int | None
    twenty_four_hour_rule: bool


class AgreementOut(AgreementFieldsOut):
    client_id: int
    version: int
    preset: Preset
    clinician: ClinicianRef
    created_at: datetime
    status: AgreementStatus
    signed_at: datetime | None
    jurisdiction_acknowledged_at: datetime | None
    notes: str


class AgreementVersion(Schema):
    version: int
    preset: Preset
    created_at: datetime
    status: AgreementStatus
    signed_at: datetime | None


class PresetOut(Schema):
    key: Preset
    label: str
    summary: str


class PrefilledOut(PresetOut):
    client_id: int
    fields: AgreementFieldsOut
    jurisdiction_covered: bool


class SignIn(In):
    version: int = Field(ge=1, description="The version the client read and agrees to.")


class SignatureOut(Schema):
    version: int
    signed_at: datetime


# --- availability ---------------------------------------------------------------------------

class AvailabilityQuery(Schema):
    channel: Channel
    at: AwareDatetime | None = Field(
        None, description="ISO 8601 with an offset, e.g. 2025-03-10T14:00:00-04:00; "
                          "default now")


class AvailabilityOut(Schema):
    channel: Channel
    at: datetime
    allowed: bool
    next_seen_at: datetime | None
    reason: str
    detail: str


# --- office hours and time off --------------------------------------------------------------

class HoursWindow(In):
    weekday: Weekday
    start: HHMM
    end: HHMM

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.end <= self.start:
            raise ValueError("Office hours must end after they start, on the same day.")
        return self


class OfficeHoursIn(In):
    windows: list[HoursWindow] = Field(max_length=42)


class OfficeHoursOut(Schema):
    time_zone: str
    windows: list[WindowOut]


class TimeOffIn(In):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    kind: TimeOffKind = TimeOffKind.vacation
    label: str = Field("", max_length=120)

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.ends_at <= self.starts_at:
            raise ValueError("Time off must end after it starts.")
        return self


class TimeOffOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    kind: TimeOffKind
    label: str


# --- practice defaults ----------------------------------------------------------------------

class PracticeDefaultsIn(In):
    inbox_promise: str = Field(min_length=1, max_length=300)
    inbox_response_business_days: int = Field(ge=1, le=10)
    checkin_weekly_cap: int = Field(ge=0, le=7)
    checkin_minutes: int = Field(ge=5, le=30)
    crisis_route: CrisisRoute


class PracticeDefaultsOut(Schema):
    inbox_promise: str
    inbox_response_business_days: int
    checkin_weekly_cap: int
    checkin_minutes: int
    crisis_route: str


# --- tokens ---------------------------------------------------------------------------------

class TokenIn(In):
    name: str = Field(min_length=1, max_length=100, examples=["reporting script"])


class TokenOut(Schema):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="The secret, shown this once. Send it as "
                                   "'Authorization: Bearer <token>'.")
