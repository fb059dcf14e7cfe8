"""Scoring on real newswire: the UW sentences (1998–2000 news, ``../shared/training/factuality``) against the
team's exhaustive PLOVER coding of them (``training/uw_plover_{train,dev}.jsonl``: ids, token indexes, codes
and labels — no text; the text stays in ../shared).

Every political event the coders found is gold (``political: false`` ones — crimes and firm-to-firm deals —
are events the product should not code). An extracted event *matches* a gold event when their triggers
overlap (the gold trigger is one token; an extracted trigger may span a light verb and its noun). Matching is
one-to-one, same type first. Reported, each with a 95 % Wilson interval:

- ``precision_type`` — extracted events matching a gold event of the same type; ``precision_any`` — of any
  type; ``recall_type`` — gold events found with their type;
- ``actor_ok`` / ``recipient_ok`` / ``both_ok`` — among type-right matches: a party list is right when it
  shares a code with the gold list, or both are empty (a gold ``UNK`` party accepts an unknown or missing one);
- ``status_ok`` — among any-type matches, the same status; ``factual_precision`` — of extracted events flagged
  ``factual``, those matching a gold event coded asserted.

The train split teaches models; choose on dev; the held-out test sets stay unseen.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brinkwatch.core.records import Event, Party

ExtractFn = Callable[[str], list[Event]]
PUBLISHED = "2000-01-01"  # the UW sentences carry no date; any fixed day keeps runs comparable
SPLITS = ("train", "dev", "uds")  # uds: web sentences of UDS-IH2 train the team coded (training only)
TEXT_FILES = {"train": "uw_train", "dev": "uw_dev", "uds": "uds_ih2_train"}
ROOT = Path(__file__).resolve().parents[3]


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of k successes in n trials ((0, 1) when n is 0)."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


def proportion(k: int, n: int) -> dict[str, Any]:
    lo, hi = wilson(k, n)
    return {"k": k, "n": n, "value": round(k / n, 3) if n else None, "ci95": [round(lo, 3), round(hi, 3)]}


@dataclass(slots=True)
class Sentence:
    id: str
    tokens: list[str]
    gold: list[dict[str, Any]]  # political events
    other: list[dict[str, Any]] = field(default_factory=list)  # coded but not political

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def span(self, i: int) -> tuple[int, int]:
        start = sum(len(t) + 1 for t in self.tokens[:i])
        return start, start + len(self.tokens[i])


def find_training_dir(start: Path | None = None) -> Path | None:
    """``../shared/training/factuality`` next to the checkout (or ``start``)."""
    for base in [start or Path.cwd(), ROOT]:
        for cand in (base / "shared" / "training" / "factuality", base.parent / "shared" / "training" / "factuality"):
            if (cand / "uw_dev.jsonl").is_file():
                return cand
    return None


def load(split: str, text_dir: Path | None = None, coding_dir: Path | None = None) -> list[Sentence]:
    """The split's sentences with their coded events (text from ../shared, coding from ``training/``)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (choose from {', '.join(SPLITS)})")
    text_dir = text_dir or find_training_dir()
    if text_dir is None:
        raise FileNotFoundError("../shared/training/factuality not found (the UW sentences are not shipped)")
    coding_dir = coding_dir or ROOT / "training"
    texts = {}
    with open(text_dir / f"{TEXT_FILES[split]}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            texts[rec["id"]] = rec["text"].split(" ")
    out: list[Sentence] = []
    coding = "uds_plover_train" if split == "uds" else f"uw_plover_{split}"
    with open(coding_dir / f"{coding}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            evs = rec["events"]
            out.append(
                Sentence(
                    rec["id"],
                    texts[rec["id"]],
                    [e for e in evs if e["political"]],
                    [e for e in evs if not e["political"]],
                )
            )
    return out


def _codes(parties: Iterable[dict[str, Any]] | None) -> list[str]:
    return [str(p["code"]) for p in parties or []]


def parties_ok(pred: list[Party], gold: list[str]) -> bool:
    """Does an extracted party list agree with the coded one (see the module doc)?"""
    known = [g for g in gold if g != "UNK"]
    if not gold:
        return not pred
    if not known:
        return not pred or all(p.country == "UNK" for p in pred)
    have = {p.country for p in pred} | {p.code for p in pred} | {(p.name or "").upper() for p in pred}
    return any(g in have or any(c.startswith(g) for c in have if c) for g in known)


def match(sent: Sentence, events: list[Event]) -> list[tuple[Event, dict[str, Any] | None]]:
    """Each extracted event with the gold event it matches (or None); one-to-one, same type first."""
    spans = [sent.span(int(g["trigger"])) for g in sent.gold]
    free = set(range(len(sent.gold)))
    out: list[tuple[Event, dict[str, Any] | None]] = []
    for e in events:
        hits = [i for i in sorted(free) if spans[i][0] < e.trigger_end and e.trigger_start < spans[i][1]]
        same = [i for i in hits if sent.gold[i]["type"] == e.event_type]
        pick: int | None = (same or hits)[0] if hits else None
        if pick is not None:
            free.discard(pick)
        out.append((e, None if pick is None else sent.gold[pick]))
    return out


def score(sentences: list[Sentence], extract_fn: ExtractFn) -> dict[str, Any]:
    n_events = n_gold = type_ok = any_ok = 0
    actor_ok = recipient_ok = both_ok = status_n = status_hits = factual_n = factual_ok = 0
    nonpolitical = 0
    by_type: Counter[str] = Counter()
    by_type_ok: Counter[str] = Counter()
    for sent in sentences:
        events = extract_fn(sent.text)
        n_events += len(events)
        n_gold += len(sent.gold)
        other_spans = [sent.span(int(g["trigger"])) for g in sent.other]
        for e, g in match(sent, events):
            by_type[e.event_type] += 1
            if g is None:
                nonpolitical += any(s < e.trigger_end and e.trigger_start < t for s, t in other_spans)
            if e.factual:
                factual_n += 1
                factual_ok += g is not None and g["status"] == "asserted"
            if g is None:
                continue
            any_ok += 1
            status_n += 1
            status_hits += e.status == g["status"]
            if g["type"] != e.event_type:
                continue
            type_ok += 1
            by_type_ok[e.event_type] += 1
            a = parties_ok(e.actors, _codes(g.get("actor")))
            r = parties_ok(e.recipients, _codes(g.get("recipient")))
            actor_ok += a
            recipient_ok += r
            both_ok += a and r
    found = type_ok  # matching is one-to-one: each type-right match is one gold event found with its type
    return {
        "sentences": len(sentences),
        "events": n_events,
        "events_per_sentence": round(n_events / max(1, len(sentences)), 3),
        "gold_events": n_gold,
        "precision_type": proportion(type_ok, n_events),
        "precision_any": proportion(any_ok, n_events),
        "recall_type": proportion(found, n_gold),
        "nonpolitical_share": proportion(nonpolitical, n_events),
        "actor_ok": proportion(actor_ok, type_ok),
        "recipient_ok": proportion(recipient_ok, type_ok),
        "both_ok": proportion(both_ok, type_ok),
        "status_ok": proportion(status_hits, status_n),
        "factual_precision": proportion(factual_ok, factual_n),
        "precision_by_type": {t: proportion(by_type_ok[t], n) for t, n in sorted(by_type.items())},
    }


def run(split: str = "dev", extract_fn: ExtractFn | None = None) -> dict[str, Any]:
    """Score the extractor (default: the product's, model loaded once) on a UW split."""
    if extract_fn is None:
        from brinkwatch.coder.extract import extract_text
        from brinkwatch.coder.parse import load_nlp
        from brinkwatch.core.settings import Settings

        nlp = load_nlp(Settings.from_env().spacy_model)

        def extract_fn(text: str) -> list[Event]:
            return extract_text(text, published=PUBLISHED, nlp=nlp)

    return {"split": split, **score(load(split), extract_fn)}
