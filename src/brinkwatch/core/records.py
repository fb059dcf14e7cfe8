"""Typed records that flow through every stage: ingest → normalize → parse → extract → store → analyze.

Every stage takes and returns these records; nothing passes loose dicts between stages. ``to_dict`` gives
the JSON shape used by the CLI (``extract --format jsonl``), the HTTP API and the exports.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from brinkwatch.core.ontology import Status


@dataclass(slots=True, kw_only=True)
class Article:
    """One news item as ingested (before and after normalization)."""

    doc_id: str  # the record's own id, else the file name / URL
    text: str
    title: str | None = None
    url: str | None = None
    author: str | None = None
    source: str | None = None  # outlet name ("Financial Times"), feed title, …
    published: str | None = None  # ISO-8601 date or datetime
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    origin: str | None = None  # path, URL or "stdin" it came from
    raw_format: str | None = None  # text | html | json | jsonl | rss | atom

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(slots=True, frozen=True, kw_only=True)
class Sentence:
    index: int  # position in the article, 0-based
    start: int  # character offsets in the normalized article text
    end: int
    text: str
    skip_reason: str | None = None  # why extraction did not code it (too long, no verb, a number table, …)


@dataclass(slots=True, kw_only=True)
class Party:
    """An actor or recipient of an event."""

    text: str  # as written ("Kremlin spokesman Peskov")
    country: str  # ISO-3, an IGO code (NATO, EU, UN, …), WST for the West, UNK when unknown
    sector: str | None = None  # PLOVER sector (GOV, MIL, …)
    name: str | None = None  # canonical name ("Russia", "Dmitry Peskov")
    start: int | None = None  # character offsets in the article text
    end: int | None = None
    # an inferred party: what it was resolved from — the antecedent's text ("he" ← "Sergei Lavrov"), or the rule
    # ("article: Russia" for bare "officials" in an article about Russia); None when the text names it
    resolved_from: str | None = None

    @property
    def code(self) -> str:
        """CAMEO-style combined code: country + sector (``RUSGOV``)."""
        return self.country + (self.sector or "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "name": self.name,
            "start": self.start,
            "end": self.end,
            "resolved_from": self.resolved_from,
        }


@dataclass(slots=True, kw_only=True)
class Attribution:
    """One link of a source chain, outermost first ("FT", then "two NATO officials")."""

    text: str
    kind: str  # one of ATTRIBUTION_KINDS
    country: str | None = None  # when the source is a state's official/government

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "country": self.country}


@dataclass(slots=True, kw_only=True)
class Location:
    text: str
    country: str | None = None  # ISO-3
    name: str | None = None  # gazetteer name
    kind: str | None = None  # country | city | region
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(slots=True, kw_only=True)
class Event:
    """One PLOVER event with its status, source chain and evidence."""

    doc_id: str
    sentence_index: int
    sentence: str
    trigger: str
    trigger_start: int  # character offsets of the trigger in the article text
    trigger_end: int
    event_type: str  # PLOVER 0.8 type (AGREE … ASSAULT)
    mode: str | None = None
    contexts: list[str] = field(default_factory=list)
    quad: int = 0  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    score: float = 0.0  # PLOVER conflict–cooperation score (−10 … +10)
    actors: list[Party] = field(default_factory=list)
    recipients: list[Party] = field(default_factory=list)
    status: str = Status.ASSERTED.value
    factuality: float = 3.0  # −3 … +3, UW/MEANTIME scale
    attribution: list[Attribution] = field(default_factory=list)
    date: str | None = None  # ISO date
    date_precision: str = "report"
    date_source: str | None = None  # clause | narrative | report: where the date came from (None: not known)
    location: Location | None = None
    parent_event: str | None = None  # event_id of the event whose content this is
    confidence: float = 0.5
    sentence_start: int = 0  # character offset of the sentence in the article text
    cues: list[str] = field(default_factory=list)  # the words that decided the status (evidence)
    event_id: str = ""

    def __post_init__(self) -> None:
        if not self.event_id:
            self.event_id = make_event_id(self.doc_id, self.sentence_index, self.trigger_start, self.event_type)

    @property
    def factual(self) -> bool:
        return self.status == Status.ASSERTED.value

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
            "trigger": self.trigger,
            "trigger_start": self.trigger_start,
            "trigger_end": self.trigger_end,
            "event_type": self.event_type,
            "mode": self.mode,
            "contexts": list(self.contexts),
            "quad": self.quad,
            "score": self.score,
            "actors": [p.to_dict() for p in self.actors],
            "recipients": [p.to_dict() for p in self.recipients],
            "status": self.status,
            "factual": self.factual,
            "factuality": self.factuality,
            "cues": list(self.cues),
            "attribution": [a.to_dict() for a in self.attribution],
            "date": self.date,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
            "location": self.location.to_dict() if self.location else None,
            "parent_event": self.parent_event,
            "confidence": self.confidence,
        }


def make_event_id(doc_id: str, sentence_index: int, trigger_start: int, event_type: str) -> str:
    """A stable id: the same article text always gives the same event ids."""
    key = f"{doc_id}\x1f{sentence_index}\x1f{trigger_start}\x1f{event_type}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()


@dataclass(slots=True, kw_only=True)
class InputFailure:
    """One bad input: what it was and why it was refused. The batch goes on.

    Control characters in either (a file name with a line break, a reason quoting the input) are written as
    escapes (``\\n``), so one failure is always one line — on stderr and in the store's failures."""

    origin: str
    reason: str

    def __post_init__(self) -> None:
        self.origin = one_line(self.origin)
        self.reason = one_line(self.reason)

    def line(self) -> str:
        return f"{self.origin}: {self.reason}"


_CONTROLS = {i: f"\\x{i:02x}" for i in (*range(0x20), 0x7F)} | {
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x85: "\\x85",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def one_line(s: str) -> str:
    """``s`` with its control characters and line separators written as escapes."""
    return s.translate(_CONTROLS)


@dataclass(slots=True, kw_only=True)
class IngestSummary:
    seen: int = 0
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0  # already in the store, nothing added
    skipped: int = 0  # stored but not extracted (language, size, empty) with a reason
    events: int = 0
    failures: list[InputFailure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in ("seen", "stored", "duplicates", "unchanged", "skipped", "events")}
        d["failed"] = self.failed
        d["failures"] = [f.line() for f in self.failures]
        return d
