"""Actor coding on the seed article and on the constructions the brief lists (real model, no mocks)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, Span

from brinkwatch.coder.actors import ActorCoder, code_entities, code_kind, is_international, lookup, parse_ent_id
from brinkwatch.core.records import Party


def _span(doc: Doc, text: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(text, start + 1)
    span = doc.char_span(start, start + len(text), alignment_mode="expand")
    assert span is not None
    return span


def _code(nlp: spacy.language.Language, sentence: str, text: str) -> tuple[str, str | None] | None:
    doc = nlp(sentence)
    party = ActorCoder(doc).party(_span(doc, text))
    return (party.country, party.sector) if party else None


def _heads(nlp: spacy.language.Language, sentence: str, word: str) -> list[tuple[str, str | None]]:
    doc = nlp(sentence)
    head = next(t for t in doc if t.text == word)
    return [(p.country, p.sector) for p in ActorCoder(doc).parties(head)]


@pytest.fixture(scope="module")
def seed(nlp: spacy.language.Language, seed_path: Path) -> tuple[Doc, ActorCoder]:
    doc = nlp(seed_path.read_text(encoding="utf-8"))
    return doc, ActorCoder(doc)


@pytest.mark.parametrize(
    ("text", "nth", "country", "sector"),
    [
        ("Moscow", 0, "RUS", "GOV"),
        ("Moscow", 1, "RUS", "GOV"),
        ("Kremlin spokesman Peskov", 0, "RUS", "GOV"),
        ("The Russian Foreign Ministry", 0, "RUS", "GOV"),
        ("NATO", 0, "NATO", None),
        ("the EU", 0, "EU", None),
        ("Several Western countries", 0, "WST", "GOV"),
        ("Western media", 0, "WST", "JRN"),
        ("unauthorized Russian military aircraft", 0, "RUS", "MIL"),
        ("Russian aircraft", 0, "RUS", "MIL"),
        ("the Russian military", 0, "RUS", "MIL"),
        ("Several NATO member states", 0, "NATO", "GOV"),
        ("Two NATO officials", 0, "NATO", "GOV"),
        ("the alliance", 0, "NATO", None),
        ("the West", 0, "WST", None),
        ("Russia", 0, "RUS", None),
        ("Ukraine", 0, "UKR", None),
        ("Belarus", 0, "BLR", None),
        ("the Financial Times", 0, "GBR", "JRN"),
    ],
)
def test_seed_spans(seed: tuple[Doc, ActorCoder], text: str, nth: int, country: str, sector: str | None) -> None:
    doc, coder = seed
    span = _span(doc, text, nth)
    party = coder.party(span)
    assert party is not None, text
    assert (party.country, party.sector) == (country, sector)
    assert party.text == span.text
    assert party.start is not None and party.end is not None
    assert doc.text[party.start : party.end] == party.text


def test_seed_people_and_conjuncts(seed: tuple[Doc, ActorCoder]) -> None:
    doc, coder = seed
    peskov = next(t for t in doc if t.text == "Peskov")
    [party] = coder.parties(peskov)
    assert party.name == "Dmitry Peskov" and party.code == "RUSGOV"
    estonia = next(t for t in doc if t.text == "Estonia")
    assert [p.country for p in coder.parties(estonia)] == ["EST", "POL"]
    france = next(t for t in doc if t.text == "France")
    assert [p.country for p in coder.parties(france)] == ["FRA", "GBR"]
    neighbors = next(t for t in doc if t.text == "neighbors")
    [n] = coder.parties(neighbors)
    assert n.country == "UNK" and n.name == "neighbors of Russia"


def test_seed_places_are_not_parties(seed: tuple[Doc, ActorCoder]) -> None:
    doc, coder = seed
    assert coder.party(_span(doc, "EU airspace")) is None
    assert coder.party(_span(doc, "the Russian border")) is None
    assert coder.party(_span(doc, "its airspace")) is None


def test_seed_entities_carry_codes(seed: tuple[Doc, ActorCoder]) -> None:
    doc, _ = seed
    ids = {e.text: e.ent_id_ for e in doc.ents if e.ent_id_}
    assert parse_ent_id(ids["Moscow"]) == ("RUS", "GOV", "Russia", "capital")
    assert parse_ent_id(ids["Kremlin"]) == ("RUS", "GOV", "the Kremlin", "body")
    assert parse_ent_id(ids["Estonia"]) == ("EST", None, "Estonia", "country")
    parties = code_entities(doc)
    assert {"RUS", "NATO", "EU", "EST", "POL", "WST", "FRA", "GBR", "UKR", "BLR"} <= {p.country for p in parties}


@pytest.mark.parametrize(
    ("sentence", "text", "expected"),
    [
        ("Senior Hungarian and Romanian officials agreed on Wednesday.", "Hungarian", ("HUN", "GOV")),
        ("Senior Hungarian and Romanian officials agreed on Wednesday.", "Romanian", ("ROU", "GOV")),
        ("Russia's military said it shot down drones.", "Russia's military", ("RUS", "MIL")),
        ("Washington imposed new sanctions.", "Washington", ("USA", "GOV")),
        ("Kiev said the attack failed.", "Kiev", ("UKR", "GOV")),
        ("The Pentagon sent more jets.", "The Pentagon", ("USA", "MIL")),
        ("Downing Street rejected the claim.", "Downing Street", ("GBR", "GOV")),
        ("The Knesset passed the law.", "The Knesset", ("ISR", "LEG")),
        ("Rebels in Darfur attacked a convoy.", "Rebels in Darfur", ("SDN", "REB")),
        ("Israeli soldiers arrested 100 Palestinians.", "Israeli soldiers", ("ISR", "MIL")),
        ("Israeli soldiers arrested 100 Palestinians.", "Palestinians", ("PSE", "CVL")),
        ("Turkish police dispersed the protesters.", "Turkish police", ("TUR", "COP")),
        ("Egyptian demonstrators rioted.", "Egyptian demonstrators", ("EGY", "CVL")),
        ("Stoltenberg said the alliance was ready.", "Stoltenberg", ("NATO", "GOV")),
        ("Von der Leyen announced the package.", "Von der Leyen", ("EU", "GOV")),
        ("Guterres urged restraint.", "Guterres", ("UN", "GOV")),
        ("The bloc agreed on sanctions after ASEAN met.", "The bloc", ("EU", None)),
        ("Up to 100 ethnic Albanians demonstrated on Tuesday in Serbia.", "ethnic Albanians", ("SRB", "CVL")),
        ("Thousands of Nigerians rallied in Lagos.", "Thousands of Nigerians", ("NGA", "CVL")),
        ("Ethopia has agreed to re-open its borders.", "Ethopia", ("ETH", None)),
        ("U.S. negotiator Paul Nitze met them.", "U.S. negotiator Paul Nitze", ("USA", "GOV")),
        ("The U.N. Security Council met.", "U.N. Security Council", ("UNSC", "GOV")),
        (
            "German Foreign Minister Oskar Fischer will visit Albania.",
            "German Foreign Minister Oskar Fischer",
            ("DEU", "GOV"),
        ),
    ],
)
def test_constructions(nlp: spacy.language.Language, sentence: str, text: str, expected: tuple[str, str]) -> None:
    assert _code(nlp, sentence, text) == expected


def test_parties_split_conjoined_modifiers(nlp: spacy.language.Language) -> None:
    assert _heads(nlp, "Senior Hungarian and Romanian officials agreed on Wednesday.", "officials") == [
        ("HUN", "GOV"),
        ("ROU", "GOV"),
    ]
    assert _heads(nlp, "US and British forces must ensure security.", "forces") == [("USA", "MIL"), ("GBR", "MIL")]
    assert _heads(nlp, "Jordan and Britain have agreed to hold exercises.", "Jordan") == [("JOR", None), ("GBR", None)]


def test_alliance_follows_focus(nlp: spacy.language.Language) -> None:
    doc = nlp("The CSTO met in Minsk. The alliance said it would respond. NATO warned. The alliance agreed.")
    coder = ActorCoder(doc)
    first = _span(doc, "The alliance")
    second = _span(doc, "The alliance", 1)
    assert coder.party(first).country == "CSTO"  # type: ignore[union-attr]
    assert coder.party(second).country == "NATO"  # type: ignore[union-attr]
    assert ActorCoder(nlp("The alliance is divided.")).party(nlp("The alliance is divided.")[:2]) is not None


def test_abstract_nouns_and_non_actors(nlp: spacy.language.Language) -> None:
    assert _heads(nlp, "NATO is considering hard actions against Russia.", "actions") == []
    assert _heads(nlp, "They met on Thursday.", "Thursday") == []
    assert _heads(nlp, "Estonian airspace was violated.", "airspace") == []
    assert _heads(nlp, "Russia's neighbors initiated the proposal.", "neighbors") == [("UNK", "GOV")]
    # a bare role takes the country from its sentence (subject of the governing clause)
    assert _heads(nlp, "Russia has responded by dispatching Tu-160 strategic bombers.", "bombers") == [("RUS", "MIL")]
    assert _heads(nlp, "The police said nothing.", "police") == [("UNK", "COP")]


def test_helpers() -> None:
    assert is_international("NATO") and is_international("ICRC") and not is_international("RUS")
    assert code_kind("WST") == "west" and code_kind("RUS") == "state" and code_kind("XYZ") == "unknown"
    assert lookup("Byelorussia") is not None and lookup("Byelorussia").code == "BLR"  # type: ignore[union-attr]
    assert lookup("Zzyzx Qwerty") is None
    assert parse_ent_id("") is None and parse_ent_id("a|b") is None


def test_hostile_input_never_crashes(nlp: spacy.language.Language) -> None:
    rng = random.Random(7)
    alphabet = "abcXYZ .,;'\"#@!?-–—’\u200b\t\n0123456789ÄÖßπ日本\U0001f600 US U.S. NATO Kremlin the alliance of's"
    junk = ["", " ", "\n\n", "#######", "'s 's 's", "the the the", "US US US US", "and and and"]
    junk += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 200))) for _ in range(25)]
    for text in junk:
        doc = nlp(text)
        coder = ActorCoder(doc)
        for tok in doc:
            for party in coder.parties(tok):
                assert isinstance(party, Party) and party.country
        for ent in doc.ents:
            coder.party(ent)
        assert coder.party(doc[0:0]) is None
