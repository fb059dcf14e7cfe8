"""The seed article (published 2025-10-10): what was only considered is not factual; what happened is."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_arming_drones_is_discussed(seed_events: list[Event]) -> None:
    e = find(seed_events, "weapons with drones", "weapons")
    assert not e.factual and "technology" in e.contexts


def test_border_exercises_are_considered(seed_events: list[Event]) -> None:
    e = find(seed_events, "considering military exercises", "exercises", "MOBILIZE")
    assert not e.factual


def test_lower_firing_threshold_is_discussed(seed_events: list[Event]) -> None:
    e = find(seed_events, "open fire against potential threats", "open fire", "ASSAULT")
    assert not e.factual and codes(e.actors) == {"NATO"}


def test_stricter_response_is_discussed(seed_events: list[Event]) -> None:
    e = find(seed_events, "stricter response", "response")
    assert not e.factual and codes(e.actors) == {"NATO"} and codes(e.recipients) == {"RUS"}


def test_hard_actions_against_russia_are_considered(seed_events: list[Event]) -> None:
    e = find(seed_events, "hard", "actions")
    assert not e.factual and codes(e.actors) == {"NATO"} and codes(e.recipients) == {"RUS"}


def test_drone_interference_is_speculated_by_western_media(seed_events: list[Event]) -> None:
    by_id = {e.event_id: e for e in seed_events}
    e = find(seed_events, "Western media also speculated", "interference")
    assert e.status == "speculated" and not e.factual and codes(e.actors) == {"RUS"}
    speaker = by_id[e.parent_event or ""]
    assert speaker.event_type == "ACCUSE" and codes(speaker.recipients) == {"RUS"}
    assert [(p.country, p.sector) for p in speaker.actors] == [("WST", "JRN")]


def test_bare_role_takes_the_governing_subject_not_a_later_mention(seed_events: list[Event]) -> None:
    e = find(seed_events, "considering military exercises", "exercises", "MOBILIZE")
    assert "RUS" not in codes(e.actors)


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
    entering = find(seed_events, "Estonia and Poland accused", "entering", "MOBILIZE")
    assert entering.parent_event == baltic.event_id and not entering.factual
    assert codes(entering.actors) == {"RUS"}
    violated = find(seed_events, "Several Western countries", "violated", "MOBILIZE")
    assert by_id[violated.parent_event or ""].trigger == "claimed" and not violated.factual
    deployments = find(seed_events, "Russia has repeatedly accused NATO", "deployments", "MOBILIZE")
    assert deployments.parent_event is not None and not deployments.factual
    for e in seed_events:
        if e.parent_event is not None:
            assert e.parent_event in by_id and not e.factual, (e.trigger, e.status)


def test_moscow_denial_is_asserted(seed_events: list[Event]) -> None:
    e = find(seed_events, "which Moscow has denied", "denied", "REJECT")
    assert e.factual and codes(e.actors) == {"RUS"}


def test_eu_summit_is_asserted(seed_events: list[Event]) -> None:
    e = find(seed_events, "held a summit", "summit", "CONSULT")
    assert e.factual and codes(e.actors) == {"EU"} and e.mode == "multilateral"


def test_western_2025_exercise_and_tu160_flights_are_asserted(seed_events: list[Event]) -> None:
    drill = find(seed_events, "Western 2025", "exercise", "MOBILIZE")
    assert drill.factual and codes(drill.actors) == {"RUS"} and codes(drill.recipients) == {"BLR"}
    bombers = find(seed_events, "Tu-160", "dispatching", "MOBILIZE")
    assert bombers.factual and codes(bombers.actors) == {"RUS"}


def test_foreign_ministry_warning_is_asserted(seed_events: list[Event]) -> None:
    e = find(seed_events, "Foreign Ministry warned", "warned", "THREATEN")
    assert e.factual and codes(e.actors) == {"RUS"} and codes(e.recipients) == {"NATO"}
    assert any(p.sector == "GOV" for p in e.actors)


def test_peskov_is_russia(seed_events: list[Event]) -> None:
    e = find(seed_events, "Peskov", "stressed", "ACCUSE")
    assert codes(e.actors) == {"RUS"} and codes(e.recipients) == {"NATO"}
    war = find(seed_events, "Peskov", "war", "ASSAULT")
    assert war.parent_event == e.event_id and not war.factual


# ---------------------------------------------------------------- nothing uncertain is factual; no hashtags


def test_nothing_considered_alleged_or_speculated_is_factual(seed_events: list[Event]) -> None:
    uncertain_markers = ("is considering", "are discussing", "discussions included", "speculated")
    # the speech act "Western media speculated that …" happened; what it speculates about is not factual
    speakers = {e.parent_event for e in seed_events if e.status == "speculated"}
    for e in seed_events:
        if e.event_id in speakers and e.event_type == "ACCUSE" and e.trigger == "speculated":
            continue
        if any(m in e.sentence for m in uncertain_markers) and "Moscow said" not in e.sentence:
            assert not e.factual, (e.sentence_index, e.trigger, e.status)
        if e.status in ("considered", "alleged", "speculated", "hypothetical", "future", "denied", "negated"):
            assert e.factual is False and e.to_dict()["factual"] is False
    assert sum(e.factual for e in seed_events) >= 8


def test_hashtags_are_not_events(seed_events: list[Event]) -> None:
    assert not [e for e in seed_events if "#" in e.sentence]
