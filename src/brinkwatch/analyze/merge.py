"""The merge rule: when two events are reports of one happening (pure: no store, no SQL).

Two events are one happening when all of these hold:

* compatible event types (the same type, or a family such as ASSAULT/COERCE),
* the same main actor country, and the same main recipient country — or no recipient on one side (a report
  that leaves it out, "drones entered the airspace", joins one that names it),
* dates within a window (±3 days; ±7 for week precision, ±31 for month/year precision) — but two events each
  dated to a day by their own clause ("struck Kyiv on Monday", "struck Kyiv again on Tuesday") are one
  happening only on the same day: the window is for dates read from the report, not for dates the text states
  (daily strikes on one dyad are a series, not one incident reported many times),
* no conflicting place (both located in different countries never merge),
* similar sentences: a text similarity (rapidfuzz ``token_set_ratio`` blended with the Jaccard overlap of
  lightly stemmed content words) of at least ``MERGE_SIM``, or ``MERGE_SIM_SAME_PLACE`` when both are dated
  to the same day at day precision and located at the same named place.

:func:`same_happening` decides for two events already in one block (type family and actor); ``clusters.py``
builds incidents from the relation, ``incidents.py`` reads and writes the store.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

TYPE_FAMILY: dict[str, str] = {"COERCE": "ASSAULT"}  # an incursion is coded either way by different reports
WINDOW_DAYS: dict[str, int] = {"day": 3, "report": 3, "week": 7, "month": 31, "year": 31}
WIDE_PRECISIONS = frozenset(p for p, days in WINDOW_DAYS.items() if days > 3)  # members reached from afar
MERGE_SIM = 0.4
MERGE_SIM_SAME_PLACE = 0.3
_EXTRA_STOP = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "according",
        "reported",
        "reports",
        "report",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "week",
        "month",
        "ministry",
        "official",
        "officials",
        "spokesman",
        "spokeswoman",
        "statement",
    ]
)
_WORD = re.compile(r"[a-z0-9][a-z0-9\-]*")


def _stem(w: str) -> str:
    if w.endswith("ian") and len(w) > 5:
        w = w[:-1]  # estonian → estonia, russian → russia
    for suf in ("ation", "ion", "ing", "ed", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


@lru_cache(maxsize=65536)
def content_tokens(text: str) -> frozenset[str]:
    """Lower-cased, lightly stemmed content words of a sentence (stop words and reporting verbs dropped)."""
    out = set()
    for w in _WORD.findall(text.lower()):
        if w in STOP_WORDS or w in _EXTRA_STOP or len(w) < 2:
            continue
        out.add(_stem(w))
    return frozenset(out)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """0 … 1: the mean of rapidfuzz token_set_ratio and the Jaccard overlap of two content-word sets."""
    if not a or not b:
        return 0.0
    jacc = len(a & b) / len(a | b)
    tsr = fuzz.token_set_ratio(" ".join(sorted(a)), " ".join(sorted(b))) / 100.0
    return (jacc + tsr) / 2


def to_day(value: str | None) -> dt.date | None:
    """The date of an ISO date or datetime string; None when there is none or it is not one."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass(slots=True)
class MergeEvent:
    """An event as the merge rule sees it (``incidents.py`` reads them from the store)."""

    pk: int
    block: tuple[str, str | None]  # (type family, main actor): only events of one block are compared
    recipient: str | None
    day: dt.date | None  # the event's date, else its report's
    precision: str
    place: str | None  # the location's name (else its text), lower-cased
    loc_country: str | None
    tokens: frozenset[str]  # content_tokens of its sentence
    incident_id: int | None = None
    stated: bool = False  # its own clause dates it to the day ("on Monday"), not the report or the narrative


def window(a: MergeEvent, b: MergeEvent) -> int:
    """Days two events' dates may lie apart: the wider of their precisions' windows."""
    return max(WINDOW_DAYS.get(a.precision, 3), WINDOW_DAYS.get(b.precision, 3))


def same_happening(a: MergeEvent, b: MergeEvent) -> bool:
    """The merge rule (both events already share type family and actor)."""
    if a.recipient and b.recipient and a.recipient != b.recipient:
        return False
    if a.day is None or b.day is None:
        if a.day is not b.day:
            return False
        gap = 0
    else:
        gap = abs((a.day - b.day).days)
        if gap > window(a, b) or (gap and a.stated and b.stated):
            return False
    if a.loc_country and b.loc_country and a.loc_country != b.loc_country:
        return False
    sim = similarity(a.tokens, b.tokens)
    if sim >= MERGE_SIM:
        return True
    same_day = gap == 0 and a.precision == b.precision == "day"
    return same_day and sim >= MERGE_SIM_SAME_PLACE and a.place is not None and a.place == b.place


def family_types(family: str) -> list[str]:
    """The event types of one family (the family's own type first in sorted order)."""
    return sorted({family} | {t for t, f in TYPE_FAMILY.items() if f == family})
