"""Helpers for the analytics tests: coded records → stored articles (no extractor involved)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from brinkwatch.core.records import Article, Attribution, Event, Location, Party, Sentence
from brinkwatch.lexicon.ontology import quad_of, score_of
from brinkwatch.store.writer import Store, StoredArticle

HERE = Path(__file__).resolve().parent
MERGE_SET = HERE / "data" / "merge_set"


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def merge_records() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in sorted(MERGE_SET.glob("*.jsonl")):
        out += load_jsonl(p)
    return out


def make_event(rec: dict[str, Any], *, doc_id: str, index: int = 0, start: int = 0) -> Event:
    """One event from a coded record; the trigger is the sentence's first word."""
    text = rec["text"]
    et = rec["event_type"]
    loc = rec.get("location")
    return Event(
        doc_id=doc_id,
        sentence_index=index,
        sentence=text,
        sentence_start=start,
        trigger=text.split()[0],
        trigger_start=start,
        trigger_end=start + len(text.split()[0]),
        event_type=et,
        quad=rec.get("quad", quad_of(et)),
        score=rec.get("score", score_of(et)),
        actors=[Party(text=rec["actor"], country=rec["actor"])] if rec.get("actor") else [],
        recipients=[Party(text=rec["recipient"], country=rec["recipient"])] if rec.get("recipient") else [],
        status=rec.get("status", "asserted"),
        date=rec.get("date"),
        date_precision=rec.get("date_precision", "day"),
        date_source=rec.get("date_source"),
        location=Location(**loc) if loc else None,
        attribution=[Attribution(**a) for a in rec.get("attribution", [])],
        contexts=rec.get("contexts", []),
        parent_event=rec.get("parent_event"),
        cues=rec.get("cues", []),
        confidence=rec.get("confidence", 0.5),
    )


def write_record(store: Store, rec: dict[str, Any], *, duplicate_of: int | None = None) -> int:
    """Store one single-sentence article carrying the record's event (or a duplicate with no events)."""
    text = rec["text"]
    doc_id = rec["doc_id"]
    art = Article(
        doc_id=doc_id,
        text=text,
        source=rec.get("source"),
        published=rec.get("published"),
        tags=rec.get("tags", []),
        title=rec.get("title"),
    )
    h = hashlib.blake2b((doc_id + text).encode(), digest_size=16).hexdigest()
    if duplicate_of is not None:
        return store.write_article(
            StoredArticle(article=art, text_hash=h, status="duplicate", duplicate_of=duplicate_of, similarity=1.0)
        )
    events = [make_event(rec, doc_id=doc_id)] if rec.get("event_type") else []
    return store.write_article(
        StoredArticle(
            article=art,
            text_hash=h,
            status="extracted",
            sentences=[Sentence(index=0, start=0, end=len(text), text=text)],
            events=events,
        )
    )


def write_multi(store: Store, doc_id: str, recs: list[dict[str, Any]], **article: Any) -> int:
    """One article whose sentences are the records' texts, one event per record (``event_type`` set)."""
    sents, events, parts, pos = [], [], [], 0
    for i, rec in enumerate(recs):
        t = rec["text"]
        sents.append(Sentence(index=i, start=pos, end=pos + len(t), text=t))
        if rec.get("event_type"):
            ev = make_event(rec, doc_id=doc_id, index=i, start=pos)
            if rec.get("event_id"):
                ev.event_id = rec["event_id"]
            events.append(ev)
        parts.append(t)
        pos += len(t) + 1
    text = " ".join(parts)
    art = Article(doc_id=doc_id, text=text, **article)
    h = hashlib.blake2b((doc_id + text).encode(), digest_size=16).hexdigest()
    return store.write_article(
        StoredArticle(article=art, text_hash=h, status="extracted", sentences=sents, events=events)
    )


# A coded NATO–Russia scenario: two calm weeks, then drones, jets, deployments, threats and measures considered.
SCENARIO: list[dict[str, Any]] = [
    {
        "doc_id": "s01",
        "published": "2025-08-26",
        "date": "2025-08-26",
        "event_type": "CONSULT",
        "actor": "NATO",
        "recipient": "RUS",
        "text": "NATO and Russian diplomats held routine talks in Vienna.",
        "tags": ["diplomacy"],
    },
    {
        "doc_id": "s02",
        "published": "2025-09-02",
        "date": "2025-09-02",
        "event_type": "AGREE",
        "actor": "FRA",
        "recipient": "RUS",
        "text": "France agreed to keep its military hotline with Moscow open.",
        "tags": ["diplomacy"],
    },
    {
        "doc_id": "s03",
        "published": "2025-09-10",
        "date": "2025-09-10",
        "event_type": "ASSAULT",
        "actor": "RUS",
        "recipient": "POL",
        "text": "Russian drones violated Polish airspace overnight and were shot down.",
        "tags": ["drones"],
        "contexts": ["military"],
        "source": "Wire A",
    },
    {
        "doc_id": "s04",
        "published": "2025-09-10",
        "date": "2025-09-10",
        "event_type": "ASSAULT",
        "actor": "RUS",
        "recipient": "POL",
        "text": "Several Russian drones violated Polish airspace overnight before jets shot them down.",
        "tags": ["drones"],
        "contexts": ["military"],
        "source": "Wire B",
    },
    {
        "doc_id": "s05",
        "published": "2025-09-11",
        "date": "2025-09-11",
        "event_type": "ACCUSE",
        "actor": "POL",
        "recipient": "RUS",
        "text": "Poland accused Russia of a deliberate provocation.",
        "tags": ["drones"],
    },
    {
        "doc_id": "s06",
        "published": "2025-09-12",
        "date": "2025-09-12",
        "event_type": "MOBILIZE",
        "actor": "NATO",
        "recipient": "RUS",
        "text": "NATO deployed additional fighter jets to Poland.",
        "tags": ["drones"],
        "contexts": ["military"],
    },
    {
        "doc_id": "s07",
        "published": "2025-09-13",
        "date": "2025-09-13",
        "event_type": "THREATEN",
        "actor": "RUS",
        "recipient": "NATO",
        "text": "Moscow warned the alliance that it was playing with fire.",
        "tags": ["drones"],
    },
    {
        "doc_id": "s08",
        "published": "2025-09-16",
        "date": "2025-09-16",
        "event_type": "MOBILIZE",
        "actor": "POL",
        "recipient": "RUS",
        "text": "Poland moved forty thousand troops to its eastern border, a tough deterrence step.",
        "tags": ["drones", "border"],
        "contexts": ["military"],
    },
    {
        "doc_id": "s09",
        "published": "2025-09-19",
        "date": "2025-09-19",
        "event_type": "ASSAULT",
        "actor": "RUS",
        "recipient": "EST",
        "text": "Three Russian MiG-31 jets violated Estonian airspace for twelve minutes.",
        "tags": ["airspace"],
        "contexts": ["military"],
    },
    {
        "doc_id": "s10",
        "published": "2025-09-20",
        "date": "2025-09-20",
        "event_type": "ASSAULT",
        "actor": "NATO",
        "recipient": "RUS",
        "status": "considered",
        "text": "NATO is considering allowing pilots to shoot down Russian drones.",
        "tags": ["airspace"],
        "contexts": ["military"],
    },
    {
        "doc_id": "s11",
        "published": "2025-09-21",
        "date": "2025-09-21",
        "event_type": "REQUEST",
        "actor": "DEU",
        "recipient": "RUS",
        "text": "Germany called for restraint and dialogue with Moscow.",
        "tags": ["airspace"],
    },
    {
        "doc_id": "s12",
        "published": "2025-09-22",
        "date": "2025-09-22",
        "event_type": "SANCTION",
        "actor": "EU",
        "recipient": "RUS",
        "text": "The European Union adopted new sanctions against Russian drone makers.",
        "tags": ["sanctions"],
        "contexts": ["economic"],
    },
    {
        "doc_id": "s13",
        "published": "2025-09-24",
        "date": "2025-09-24",
        "event_type": "ASSAULT",
        "actor": "RUS",
        "recipient": "NATO",
        "text": "Russian bombers simulated strikes on allied bases during an exercise.",
        "tags": ["airspace"],
        "contexts": ["military"],
    },
]


def write_scenario(store: Store) -> dict[str, int]:
    """Write the scenario; return doc_id → article id."""
    return {rec["doc_id"]: write_record(store, {"source": "Demo Wire", **rec}) for rec in SCENARIO}
