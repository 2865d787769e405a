"""Risk triage of client messages: pure Python, no Django, explainable reasons.

    from interlude.triage import assess
    result = assess("I'm not suicidal, just exhausted")
    result.level    # 'elevated'
    result.reasons  # [Reason(rule=..., words="suicidal", modifier="en.negation.simple", ...)]

The lexicons and rules are JSON files in data/, one per language, that a clinician can read
and extend; every rule carries the examples that its tests check.
"""

from interlude.triage.engine import LEVELS, Reason, TriageResult, assess, detect_language

__all__ = ["LEVELS", "Reason", "TriageResult", "assess", "detect_language"]
