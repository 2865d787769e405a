"""Risk triage of client messages: pure Python, no Django, explainable reasons.

    from interlude.triage import assess
    result = assess("I'm not suicidal, just exhausted")
    result.level    # 'elevated'
    result.reasons  # [Reason(rule=..., words="suicidal", modifier="en.negation.simple", ...)]

The lexicons and rules are JSON files in data/, one per language, that a clinician can read
and extend; every rule carries the examples that its tests check. The learned layer trains at
first use; a server calls warm() at start-up to pay that cost before the first message.
"""

from interlude.triage.engine import LEVELS, Reason, TriageResult, assess, detect_language
from interlude.triage.learned import warm

__all__ = ["LEVELS", "Reason", "TriageResult", "assess", "detect_language", "warm"]
