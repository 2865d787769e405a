"""Crisis lines by jurisdiction.

Sources: 988lifeline.org, crisistextline.org, 988.ca, samaritans.org, lifeline.org.au, the EU's
112 rules, sanidad.gob.es; the directory findahelpline.com for everywhere else.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "crisis_resources.json"


@dataclass(frozen=True)
class CrisisResource:
    name: str
    how: str
    phone: str
    text: str
    url: str
    hours: str


@lru_cache(maxsize=1)
def _all():
    return json.loads(DATA.read_text(encoding="utf-8"))


def resources_for(country, region=""):
    """The crisis lines for a client's jurisdiction, local ones first, the directory last."""
    country = (country or "").upper()
    local = [r for r in _all() if country in r["countries"]]
    fallback = [r for r in _all() if "*" in r["countries"]]
    return [CrisisResource(**{k: v for k, v in r.items() if k != "countries"})
            for r in local + fallback]
