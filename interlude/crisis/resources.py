"""Crisis lines by jurisdiction.

Sources: 988lifeline.org, crisistextline.org, 988.ca, samaritans.org, lifeline.org.au, the EU's
112 rules, sanidad.gob.es; the directory findahelpline.com for everywhere else.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import get_language

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


def resources_for(country, region="", language=None):
    """The crisis lines for a client's jurisdiction, local ones first, the directory last,
    named and described in `language` (the active language by default) where the data has it."""
    country = (country or "").upper()
    language = (language or get_language() or "en")[:2]
    local = [r for r in _all() if country in r["countries"]]
    fallback = [r for r in _all() if "*" in r["countries"]]
    return [_in_language(r, language) for r in local + fallback]


def _in_language(row, language):
    return CrisisResource(
        name=row.get(f"name_{language}", row["name"]), how=row.get(f"how_{language}", row["how"]),
        phone=row["phone"], text=row["text"], url=row["url"], hours=row["hours"])
