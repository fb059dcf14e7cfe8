"""Attribution chains (issue 3, item 6) with the real spaCy model, on crafted sentences and the seed."""

from __future__ import annotations

import csv
import io
import time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from brinkwatch.coder.attribution import AttributionTracker, source_data
from brinkwatch.core.ontology import ATTRIBUTION_KINDS

SEED_PUBLISHED = "2025-10-10"


def _tok(doc: Any, word: str, after: str = "") -> Any:
    """The first token ``word`` after the text ``after`` in the document."""
    offset = doc.text.index(after) if after else 0
    for t in doc:
        if t.idx >= offset and t.text == word:
            return t
    raise AssertionError(f"no token {word!r} after {after!r}")


def _chain(doc: Any, word: str, after: str = "") -> list[tuple[str, str, str | None]]:
    return [(a.text, a.kind, a.country) for a in AttributionTracker(doc).chain(_tok(doc, word, after))]


# -- data ------------------------------------------------------------------------------------------


def test_source_data_is_valid() -> None:
    data = source_data()
    assert set(data.kinds.values()) <= set(ATTRIBUTION_KINDS)
    assert {k for _, k in data.phrases} <= set(ATTRIBUTION_KINDS)
    for required in ("official", "officials", "diplomat", "spokesman", "ministry", "kremlin", "source", "sources"):
        assert required in data.kinds
    assert data.kinds["officials"] == "official" and data.kinds["spokesman"] == "government"
    assert data.kinds["sources"] == "anonymous" and data.kinds["analyst"] == "expert"
    assert data.kinds["newspaper"] == "media"
    for verb in ("say", "tell", "report", "claim", "reveal", "stress", "warn", "deny", "cite", "quote"):
        assert verb in data.reporting_verbs
    assert all(len(code) >= 2 and code.isupper() for code in [*data.bodies.values(), *data.igos.values()])


def test_outlet_list_is_consistent() -> None:
    text = resources.files("brinkwatch").joinpath("data/attribution/outlets.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), "duplicate outlet"
    seen: dict[str, str] = {}
    for r in rows:
        for alias in [r["name"], *filter(None, r["aliases"].split("|"))]:
            assert seen.setdefault(alias, r["name"]) == r["name"], f"alias {alias!r} names two outlets"
        assert r["state"] == "" or (len(r["state"]) == 3 and r["state"].isupper())
    for must in ("Financial Times", "Reuters", "TASS", "Xinhua", "Al Jazeera", "New York Times", "Meduza"):
        assert must in names
    assert source_data().outlets["FT"][0] == "Financial Times"


def test_yaml_words_are_strings() -> None:
    raw = yaml.safe_load(resources.files("brinkwatch").joinpath("data/attribution/sources.yaml").read_text("utf-8"))
    for key in ("anaphora", "reporting_verbs", "content_preps", "quote_verbs"):
        assert all(isinstance(w, str) for w in raw[key]), key


# -- crafted sentences -----------------------------------------------------------------------------


def test_source_quoted_by_outlet(nlp: Any) -> None:
    doc = nlp("According to a source quoted by the Financial Times, NATO is considering new rules.")
    assert _chain(doc, "considering") == [("Financial Times", "media", None), ("a source", "anonymous", None)]
    assert _chain(doc, "rules") == [("Financial Times", "media", None), ("a source", "anonymous", None)]


def test_media_reports(nlp: Any) -> None:
    doc = nlp('According to British media reports, NATO is considering taking "hard" actions against Russia.')
    assert _chain(doc, "considering") == [("British media", "media", None)]
    assert _chain(doc, "actions") == [("British media", "media", None)]


def test_newspaper_resolves_to_outlet_named_before(nlp: Any) -> None:
    text = "The Financial Times published the plan. Two NATO officials told the newspaper that allies will deploy jets."
    doc = nlp(text)
    assert _chain(doc, "deploy") == [("Financial Times", "media", None), ("Two NATO officials", "official", "NATO")]
    # the reporting event itself has no enclosing attribution
    assert _chain(doc, "told") == []


def test_newspaper_without_antecedent_stays_as_written(nlp: Any) -> None:
    doc = nlp("Two NATO officials told the newspaper that allies will deploy jets.")
    assert _chain(doc, "deploy") == [("the newspaper", "media", None), ("Two NATO officials", "official", "NATO")]


def test_anonymous_sources_only_what_the_sentence_states(nlp: Any) -> None:
    doc = nlp("According to the FT, NATO is worried. Sources revealed that the proposal has developed further.")
    assert _chain(doc, "developed") == [("Sources", "anonymous", None)]


def test_government_sources_get_their_country(nlp: Any) -> None:
    doc = nlp("Kremlin spokesman Peskov stressed that the alliance is at war with Russia.")
    assert _chain(doc, "war") == [("Kremlin spokesman Peskov", "government", "RUS")]
    assert _chain(doc, "stressed") == []
    doc = nlp("The Russian Foreign Ministry warned that NATO's measures will increase the risk of misjudgment.")
    assert _chain(doc, "increase") == [("The Russian Foreign Ministry", "government", "RUS")]
    assert _chain(doc, "warned") == []
    doc = nlp("The White House warned that Iran would face consequences.")
    assert _chain(doc, "face") == [("The White House", "government", "USA")]


def test_denial_gets_enclosing_chain_and_its_content_gets_the_denier(nlp: Any) -> None:
    doc = nlp("According to the FT, Moscow denied that its jets entered Estonian airspace.")
    assert _chain(doc, "denied") == [("Financial Times", "media", None)]
    assert _chain(doc, "entered") == [("Financial Times", "media", None), ("Moscow", "government", "RUS")]


def test_told_outlet_and_inverted_said(nlp: Any) -> None:
    doc = nlp("Ukrainian officials told Reuters that Russian troops shelled Kharkiv.")
    assert _chain(doc, "shelled") == [("Reuters", "media", None), ("Ukrainian officials", "official", "UKR")]
    doc = nlp("Russian troops shelled Kharkiv overnight, Ukrainian officials said.")
    assert _chain(doc, "shelled") == [("Ukrainian officials", "official", "UKR")]


def test_quoted_as_saying_and_report_by(nlp: Any) -> None:
    doc = nlp("TASS quoted the Russian Defence Ministry as saying that air defences shot down 30 drones.")
    assert _chain(doc, "shot") == [
        ("TASS", "media", "RUS"),
        ("the Russian Defence Ministry", "government", "RUS"),
    ]
    doc = nlp("According to a report by Reuters, China sent warships to the Taiwan Strait.")
    assert _chain(doc, "sent") == [("Reuters", "media", None)]


def test_experts_and_people_familiar(nlp: Any) -> None:
    doc = nlp("Analysts at the Institute for the Study of War believe Russia will attack in spring.")
    assert _chain(doc, "attack") == [("Analysts at the Institute for the Study of War", "expert", None)]
    doc = nlp("People familiar with the matter said the United States plans to send more missiles.")
    assert _chain(doc, "send") == [("People familiar with the matter", "anonymous", None)]


def test_kind_cues_from_phrases_and_nouns(nlp: Any) -> None:
    doc = nlp("The official CTK news agency said the two countries signed a deal.")
    assert _chain(doc, "signed") == [("The official CTK news agency", "media", None)]
    doc = nlp("The UN refugee agency said thousands fled the fighting.")
    assert _chain(doc, "fled") == [("The UN refugee agency", "official", "UN")]
    doc = nlp("Benin police said the protesters attacked a station.")
    assert _chain(doc, "attacked") == [("Benin police", "government", "BEN")]
    doc = nlp("Diplomats said the talks collapsed.")
    assert _chain(doc, "collapsed") == [("Diplomats", "official", None)]  # no name: no guessed country


def test_unattributed_and_passive_reports(nlp: Any) -> None:
    doc = nlp("Russian jets entered Estonian airspace on Friday.")
    assert _chain(doc, "entered") == []
    doc = nlp("It was reported that troops crossed the border.")
    assert _chain(doc, "crossed") == []


# -- the seed ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_doc(nlp: Any, seed_path: Path) -> Any:
    return nlp(seed_path.read_text("utf-8"))


def test_seed_ft_chain_kept(seed_doc: Any) -> None:
    ft = ("Financial Times", "media", None)
    assert _chain(seed_doc, "considering", "quoted by") == [ft, ("a source", "anonymous", None)]
    assert _chain(seed_doc, "enhance") == [ft, ("a source", "anonymous", None)]
    assert _chain(seed_doc, "discussing") == [ft]
    assert _chain(seed_doc, "unify") == [ft, ("Two NATO officials", "official", "NATO")]


def test_seed_other_sources(seed_doc: Any) -> None:
    assert _chain(seed_doc, "considering") == [("British media", "media", None)]
    assert _chain(seed_doc, "violated") == [("Several Western countries", "government", "WST")]
    # "which Moscow has denied": the denial is the author's statement, not part of the Western claim
    assert _chain(seed_doc, "denied") == []
    assert _chain(seed_doc, "entering") == [("Estonia and Poland", "government", None)]
    assert _chain(seed_doc, "provided") == [("Moscow", "government", "RUS")]
    assert _chain(seed_doc, "developed") == [("Sources", "anonymous", None)]
    assert _chain(seed_doc, "heightening") == [("Russia", "government", "RUS")]
    assert _chain(seed_doc, "war", "Kremlin") == [("Kremlin spokesman Peskov", "government", "RUS")]
    assert _chain(seed_doc, "playing") == [("The Russian Foreign Ministry", "government", "RUS")]
    assert _chain(seed_doc, "warned") == []
    assert _chain(seed_doc, "held") == []


def test_every_seed_token_is_fast_and_well_formed(seed_doc: Any) -> None:
    tracker = AttributionTracker(seed_doc)
    start = time.perf_counter()
    for tok in seed_doc:
        for link in tracker.chain(tok):
            assert link.kind in ATTRIBUTION_KINDS and link.text.strip()
    assert time.perf_counter() - start < 2.0


# -- hostile input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "according to",
        "According to , said that",
        "SAID SAID SAID THAT THAT " * 50,
        "1 2 3 4 | 5 6 7 8 | said | 9 10",
        "the newspaper said the newspaper told the newspaper that the newspaper reported",
    ],
)
def test_junk_never_crashes(nlp: Any, text: str) -> None:
    doc = nlp(text)
    tracker = AttributionTracker(doc)
    for tok in doc:
        assert isinstance(tracker.chain(tok), list)


def test_long_sentence_is_bounded(nlp: Any) -> None:
    doc = nlp("Officials said that " + "the army attacked and " * 800 + "the town fell.")
    tracker = AttributionTracker(doc)
    start = time.perf_counter()
    for tok in list(doc)[::50]:
        tracker.chain(tok)
    assert time.perf_counter() - start < 3.0
