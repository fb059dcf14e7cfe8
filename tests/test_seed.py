"""The seed article (published 2025-10-10): what was only considered is not factual; what happened is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from brinkwatch.coder.extract import extract_doc
from brinkwatch.core.records import Event
from brinkwatch.core.settings import Settings

PUBLISHED = "2025-10-10"


@pytest.fixture(scope="module")
def seed_events(nlp, seed_path: Path) -> list[Event]:  # type: ignore[no-untyped-def]
    text = seed_path.read_text(encoding="utf-8")
    _, evs = extract_doc(nlp(text), doc_id="seed", published=PUBLISHED, settings=Settings())
    assert evs
    return evs


@pytest.fixture(scope="module")
def seed_proposals(nlp, seed_path: Path) -> list[Event]:  # type: ignore[no-untyped-def]
    """The rules' events before the learned decision: for pins of a status, a mode or a party, which the rules
    decide, on an event the model keeps or drops near its bar from one retraining to the next (whether it is kept
    is measured by the key's score, below)."""
    text = seed_path.read_text(encoding="utf-8")
    return extract_doc(nlp(text), doc_id="seed", published=PUBLISHED, settings=Settings(), learned=False)[1]


def find(evs: list[Event], in_sentence: str, trigger: str, etype: str | None = None) -> Event:
    found = [
        e
        for e in evs
        if in_sentence in e.sentence and trigger in e.trigger and (etype is None or e.event_type == etype)
    ]
    assert found, f"no {etype or 'event'} {trigger!r} in the sentence with {in_sentence!r}: " + repr(
        [(e.sentence_index, e.event_type, e.trigger) for e in evs]
    )
    return found[0]


def codes(parties) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.country for p in parties}


# ---------------------------------------------------------------- only considered: present, not factual


def test_pilots_allowed_to_fire_is_considered(seed_events: list[Event]) -> None:
    e = find(seed_events, "allowing its pilots", "fire", "ASSAULT")
    assert not e.factual and e.status != "asserted"
    assert codes(e.actors) == {"NATO"} and "RUS" in codes(e.recipients)


def test_more_presence_on_the_border_is_considered(seed_events: list[Event]) -> None:
    e = find(seed_events, "allowing its pilots", "presence", "MOBILIZE")
    assert not e.factual and codes(e.actors) == {"NATO"}


def test_hard_actions_against_russia_are_considered(seed_events: list[Event]) -> None:
    e = find(seed_events, "hard", "actions")
    assert not e.factual and codes(e.actors) == {"NATO"} and codes(e.recipients) == {"RUS"}


# ---------------------------------------------------------------- what happened: present, asserted


def test_accusations_are_asserted(seed_events: list[Event]) -> None:
    west = find(seed_events, "Several Western countries", "claimed", "ACCUSE")
    assert west.factual and codes(west.actors) == {"WST"} and codes(west.recipients) == {"RUS"}
    baltic = find(seed_events, "Estonia and Poland accused", "accused", "ACCUSE")
    assert baltic.factual and codes(baltic.actors) == {"EST", "POL"} and codes(baltic.recipients) == {"RUS"}
    russia = find(seed_events, "Russia has repeatedly accused NATO", "accused", "ACCUSE")
    assert russia.factual and codes(russia.actors) == {"RUS"} and codes(russia.recipients) == {"NATO"}


def test_what_is_alleged_is_a_child_and_not_factual(seed_events: list[Event]) -> None:
    by_id = {e.event_id: e for e in seed_events}
    baltic = find(seed_events, "Estonia and Poland accused", "accused", "ACCUSE")
    assert baltic.factual
    violated = find(seed_events, "Several Western countries", "violated", "MOBILIZE")
    assert by_id[violated.parent_event or ""].trigger == "claimed" and not violated.factual
    for e in seed_events:
        if e.parent_event is not None:
            assert e.parent_event in by_id and not e.factual, (e.trigger, e.status)


def test_moscow_denial_is_asserted(seed_events: list[Event]) -> None:
    e = find(seed_events, "which Moscow has denied", "denied", "REJECT")
    assert e.factual and codes(e.actors) == {"RUS"}


def test_eu_summit_is_asserted(seed_proposals: list[Event]) -> None:
    e = find(seed_proposals, "held a summit", "summit", "CONSULT")
    assert e.factual and codes(e.actors) == {"EU"} and e.mode == "multilateral"


def test_western_2025_exercise_is_asserted(seed_events: list[Event]) -> None:
    drill = find(seed_events, "Western 2025", "exercise", "MOBILIZE")
    assert drill.factual and codes(drill.actors) == {"RUS"} and codes(drill.recipients) == {"BLR"}


def test_foreign_ministry_warning_is_asserted(seed_events: list[Event]) -> None:
    e = find(seed_events, "Foreign Ministry warned", "warned", "THREATEN")
    assert e.factual and codes(e.actors) == {"RUS"} and codes(e.recipients) == {"NATO"}
    assert any(p.sector == "GOV" for p in e.actors)


def test_peskov_is_russia(seed_events: list[Event]) -> None:
    e = find(seed_events, "Peskov", "stressed", "ACCUSE")
    assert codes(e.actors) == {"RUS"} and codes(e.recipients) == {"NATO"}
    for war in (x for x in seed_events if x.sentence_index == e.sentence_index and x.event_type == "ASSAULT"):
        assert not war.factual  # "the alliance is de facto at war": what Peskov says, when it is kept


# ---------------------------------------------------------------- nothing uncertain is factual; no hashtags


def test_nothing_considered_alleged_or_speculated_is_factual(seed_events: list[Event]) -> None:
    uncertain_markers = ("is considering", "discussions included", "speculated")
    # the speech act "Western media speculated that …" happened (whether or not what it speculates about is
    # kept as an event of its own); what it speculates about is not factual
    for e in seed_events:
        if e.event_type == "ACCUSE" and e.trigger == "speculated" and e.status == "asserted":
            continue
        if any(m in e.sentence for m in uncertain_markers) and "Moscow said" not in e.sentence:
            assert not e.factual, (e.sentence_index, e.trigger, e.status)
        if e.status in ("considered", "alleged", "speculated", "hypothetical", "future", "denied", "negated"):
            assert e.factual is False and e.to_dict()["factual"] is False
    assert sum(e.factual for e in seed_events) >= 8


def test_hashtags_are_not_events(seed_events: list[Event]) -> None:
    assert not [e for e in seed_events if "#" in e.sentence]


# ---------------------------------------------------------------- the whole record against the team's key

KEY = Path(__file__).parent / "data" / "seed" / "key.yaml"


def _key() -> list[dict[str, Any]]:
    rows = yaml.safe_load(KEY.read_text(encoding="utf-8"))["events"]
    return [{"required": True, **r} for r in rows]


def score_against_key(evs: list[Event], key: list[dict[str, Any]]) -> dict[str, Any]:
    """One-to-one matching: an event matches an unused key entry of its sentence and one of its types (a
    required entry first, then one whose actor it names). Precision over the events, recall over the
    required entries, status and actor agreement over the matches."""
    used: set[int] = set()
    pairs: list[tuple[Event, dict[str, Any]]] = []
    unmatched: list[Event] = []
    for e in evs:
        fits = [i for i, k in enumerate(key) if i not in used and k["in"] in e.sentence and e.event_type in k["types"]]
        if not fits:
            unmatched.append(e)
            continue
        best = min(fits, key=lambda i: (not key[i]["required"], not (codes(e.actors) & set(key[i]["actor"]))))
        used.add(best)
        pairs.append((e, key[best]))
    required = [i for i, k in enumerate(key) if k["required"]]
    return {
        "precision": len(pairs) / len(evs) if evs else 0.0,
        "recall": sum(1 for i in required if i in used) / len(required),
        "status": sum(e.status in k["status"] for e, k in pairs) / max(1, len(pairs)),
        "actor": sum(codes(e.actors) == set(k["actor"]) for e, k in pairs) / max(1, len(pairs)),
        "unmatched": [(e.sentence_index, e.event_type, e.trigger) for e in unmatched],
        "missed": [(key[i]["in"], key[i]["types"]) for i in required if i not in used],
    }


def test_the_key_is_well_formed(seed_path: Path) -> None:
    """Every key entry names a sentence of the seed, PLOVER types and statuses of the vocabulary."""
    from brinkwatch.core.ontology import PLOVER_TYPES, STATUSES

    text = " ".join(seed_path.read_text(encoding="utf-8").split())
    for k in _key():
        assert k["in"] in text, k
        assert set(k["types"]) <= set(PLOVER_TYPES) and set(k["status"]) <= set(STATUSES), k
        assert set(k) <= {"in", "types", "status", "actor", "recipient", "required"}, k


def test_the_record_agrees_with_the_key(seed_events: list[Event]) -> None:
    """The issue's target is ≥ 0.8 of the seed's events right. Measured (event model of 2026-12-07, after the
    cease-fire rule): precision 19/20, recall of the required happenings 13/18 (the rules alone: 25/37 and 17/18),
    status and actors right on every match (earlier: 16/16 and 21/21; 15/18). The floors sit below with room for an
    event or two of noise; they are no ratchet."""
    s = score_against_key(seed_events, _key())
    assert s["precision"] >= 0.8, s
    assert s["recall"] >= 0.65, s
    assert s["status"] >= 0.85, s
    assert s["actor"] >= 0.65, s


def test_the_key_scoring_counts_misses_and_false_events() -> None:
    """The scorer itself: an event of a type the key does not hold is a false event; a required entry no
    event matches is a miss; a second event cannot take an entry already matched."""
    key = [
        {"in": "A hit B", "types": ["ASSAULT"], "status": ["asserted"], "actor": ["AAA"], "required": True},
        {"in": "A hit B", "types": ["ACCUSE"], "status": ["asserted"], "actor": ["AAA"], "required": True},
    ]

    def ev(etype: str, status: str = "asserted") -> Event:
        return Event(
            doc_id="d",
            sentence_index=0,
            sentence="A hit B.",
            trigger="hit",
            trigger_start=2,
            trigger_end=5,
            event_type=etype,
            status=status,
        )

    s = score_against_key([ev("ASSAULT"), ev("ASSAULT"), ev("AID")], key)
    assert s["precision"] == pytest.approx(1 / 3) and s["recall"] == 0.5 and s["status"] == 1.0
    assert s["missed"] == [("A hit B", ["ACCUSE"])] and len(s["unmatched"]) == 2
