"""Modality presets: sensible starting points for a connection agreement.

Each preset only prefills; every field can be changed before the agreement is offered.
Sources: Linehan's DBT phone coaching (purposes, 5-10 minute calls, the 24-hour rule after
self-harm); common CBT and psychodynamic practice on between-session contact.
"""

from django.utils.translation import gettext_lazy as _

WEEKDAY_EVENINGS = [[d, "08:00", "20:00"] for d in range(5)] + [[5, "10:00", "14:00"]]

PRESETS = {
    "dbt": {
        "label": _("DBT: phone coaching in set hours"),
        "summary": _("Skills coaching calls of 5-10 minutes in set hours, the 24-hour rule "
                     "after self-harm, an inbox read in office hours."),
        "fields": {
            "self_help_open": True,
            "automated_open": True,
            "inbox_open": True,
            "inbox_promise": _("I read messages in my office hours, within 1 business day. "
                               "For help using a skill in a hard moment, call for coaching."),
            "inbox_response_business_days": 1,
            "inbox_may_not_reply": False,
            "checkins_open": True,
            "checkin_weekly_cap": 2,
            "checkin_minutes": 10,
            "crisis_route": "clinician",
            "crisis_hours": WEEKDAY_EVENINGS,
            "coaching_calls": True,
            "coaching_call_minutes": 10,
            "twenty_four_hour_rule": True,
        },
    },
    "cbt": {
        "label": _("CBT: homework questions between sessions"),
        "summary": _("An inbox for scheduling and homework questions, one brief check-in "
                     "a week, crisis lines for emergencies."),
        "fields": {
            "self_help_open": True,
            "automated_open": True,
            "inbox_open": True,
            "inbox_promise": _("I read messages within 2 business days and reply to questions "
                               "about scheduling and homework."),
            "inbox_response_business_days": 2,
            "inbox_may_not_reply": False,
            "checkins_open": True,
            "checkin_weekly_cap": 1,
            "checkin_minutes": 10,
            "crisis_route": "resources",
            "crisis_hours": [],
            "coaching_calls": False,
            "coaching_call_minutes": None,
            "twenty_four_hour_rule": False,
        },
    },
    "psychodynamic": {
        "label": _("Psychodynamic: minimal contact"),
        "summary": _("Between-session material is brought to the next session; reminders "
                     "and crisis lines only."),
        "fields": {
            "self_help_open": False,
            "automated_open": True,
            "inbox_open": False,
            "inbox_promise": "",
            "inbox_response_business_days": None,
            "inbox_may_not_reply": True,
            "checkins_open": False,
            "checkin_weekly_cap": 0,
            "checkin_minutes": 10,
            "crisis_route": "resources",
            "crisis_hours": [],
            "coaching_calls": False,
            "coaching_call_minutes": None,
            "twenty_four_hour_rule": False,
        },
    },
    "general": {
        "label": _("General: the practice's defaults"),
        "summary": _("The practice's default inbox promise and check-in cap."),
        "fields": None,  # taken from PracticeDefaults
    },
}


def preset_fields(preset, practice_defaults=None):
    """The field values a preset prefills, as plain Python values (strings, not lazy)."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}")
    fields = PRESETS[preset]["fields"]
    if fields is None:
        fields = _general_fields(practice_defaults)
    return {k: (str(v) if hasattr(v, "_proxy____cast") else v) for k, v in fields.items()}


def _general_fields(defaults):
    promise = defaults.inbox_promise if defaults else str(
        _("I read messages within 1 business day and reply when a reply is needed."))
    return {
        "self_help_open": True,
        "automated_open": True,
        "inbox_open": True,
        "inbox_promise": promise,
        "inbox_response_business_days": defaults.inbox_response_business_days if defaults else 1,
        "inbox_may_not_reply": False,
        "checkins_open": bool(defaults and defaults.checkin_weekly_cap),
        "checkin_weekly_cap": defaults.checkin_weekly_cap if defaults else 1,
        "checkin_minutes": defaults.checkin_minutes if defaults else 10,
        "crisis_route": defaults.crisis_route if defaults else "resources",
        "crisis_hours": [],
        "coaching_calls": False,
        "coaching_call_minutes": None,
        "twenty_four_hour_rule": False,
    }
