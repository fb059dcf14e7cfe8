"""The Phoenix actor data (data/actors/phoenix, tools/convert_phoenix.py), its loader (lexicon.phoenix) and
its ruler (coder.phoenix)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest

from brinkwatch.coder.phoenix import PhoenixRuler
from brinkwatch.core.errors import DataError
from brinkwatch.lexicon import actors as actor_data
from brinkwatch.lexicon.countries import countries
from brinkwatch.lexicon.phoenix import (
    ENT_PREFIX,
    KINDS,
    SECTORS,
    PhoenixActors,
    Role,
    form_key,
    key,
    phoenix,
)
from conftest import tool_module

ROOT = Path(__file__).resolve().parent.parent
PHOENIX_DIR = ROOT / "src" / "brinkwatch" / "data" / "actors" / "phoenix"
BUILD_DIR = ROOT / "tools" / "phoenix"  # the converter's record (dropped forms, evidence): not packaged
DERIVED = ("actors.tsv", "forms.tsv", "dropped.tsv", "agents.tsv", "codes.tsv", "meta.json", "problems.txt")


def _converter() -> ModuleType:
    return tool_module("convert_phoenix")


@pytest.fixture(scope="module")
def converter() -> ModuleType:
    module = _converter()
    if not module.PETRARCH.is_dir():
        pytest.skip(f"{module.PETRARCH} is missing: the converter cannot be re-run")
    return module


# ---------------------------------------------------------------------------------------------------------
# The converter


def test_converter_is_deterministic_and_matches_the_checked_in_files(converter: ModuleType) -> None:
    evidence = converter.read_evidence(BUILD_DIR / "evidence.tsv")
    first, _ = converter.convert(evidence)
    second, _ = converter.convert(evidence)
    assert first == second
    for name in DERIVED:
        where = BUILD_DIR if name in converter.BUILD_FILES else PHOENIX_DIR
        assert first[name] == (where / name).read_text(encoding="utf-8"), f"{name} is stale: re-run the converter"


def test_evidence_case_counts_match_the_training_text(converter: ModuleType) -> None:
    """The case columns of evidence.tsv recounted (the NER columns need a full spaCy pass: see --evidence)."""
    if not converter.TRAINING.is_dir():
        pytest.skip("../shared/training is missing")
    stored = converter.read_evidence(BUILD_DIR / "evidence.tsv")
    words = sorted(stored)[::7]  # a fixed sample keeps this fast
    fresh = converter.count_evidence(set(words), with_ner=False)
    for w in words:
        assert fresh.get(w, [0, 0, 0, 0, 0])[:3] == stored[w][:3], w


def test_dates_and_codes_of_the_converter() -> None:
    conv = _converter()
    assert conv.parse_date("010120") == "2001-01-20"
    assert conv.parse_date("450703") == "1945-07-03"
    assert conv.parse_date("19411207") == "1941-12-07"
    assert conv.parse_date("1920030320") == "2003-03-20"
    assert conv.parse_date("201005011") == "2010-05-01"
    assert conv.parse_date("2004017") is None
    assert conv.parse_date("20100931") is None
    iso = {"USA", "PRI", "GBR", "XKX", "UKR", "TLS"}
    unknown: dict[str, int] = defaultdict(int)
    mapped = {c: conv.map_code(c, iso, unknown) for c in ("USAGOV", "KSVGOV", "USAPRI", "GBRVGBGOV", "TMP")}
    assert (mapped["USAGOV"].country, mapped["USAGOV"].sector) == ("USA", "GOV")
    assert mapped["KSVGOV"].country == "XKX"
    assert mapped["USAPRI"].country == "PRI"
    assert (mapped["GBRVGBGOV"].country, mapped["GBRVGBGOV"].sector) == ("GBR", "GOV")
    assert mapped["TMP"].country == "TLS"
    assert conv.map_code("IGOWSTNAT", iso, unknown).country == "NATO"
    assert conv.map_code("IGOUNOLABILO", iso, unknown).country == "IGOILO"
    assert conv.map_code("MNCUSAMED", iso, unknown).country == "USA"
    assert conv.map_code("MEAREB", iso, unknown).country == "UNK"
    assert conv.map_code("---", iso, unknown) is None
    assert conv.map_code("USAMED", iso, unknown).sector == "JRN"  # CAMEO MED is media
    assert conv.map_code("USAHLH", iso, unknown).sector == "MED"  # CAMEO HLH is health


# ---------------------------------------------------------------------------------------------------------
# The derived files


def test_derived_files_validate() -> None:
    data = phoenix()
    assert len(data.records) > 25_000 and len(data.forms) > 30_000 and len(data.agents) > 4_000
    iso = {c.code for c in countries()}
    for rec in data.records.values():
        assert rec.kind in KINDS, rec
        assert rec.roles, rec
        for role in rec.roles:
            assert role.sector is None or role.sector in SECTORS, rec
            assert (
                role.country in iso or data.code_kind(role.country) or actor_data.code_kind(role.country) != "unknown"
            ), rec
            if role.start and role.end:
                assert role.start < role.end or not rec.hand, rec
    for k, ids in data.forms.items():
        assert k == key(k) and ids and len(set(ids)) == len(ids), k
        assert data.match[k] in ("lower", "title", "upper"), k
    assert set(data.agents.values()) <= SECTORS | {None}


def _copy_data(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "data"
    shutil.copytree(ROOT / "src" / "brinkwatch" / "data", root)
    return root


def test_unknown_columns_and_keys_are_errors(tmp_path: Path) -> None:
    from brinkwatch.lexicon.loader import data_root

    root = _copy_data(tmp_path)
    meta = root / "actors" / "phoenix" / "meta.json"
    good = meta.read_text(encoding="utf-8")
    meta.write_text('{"horizon": "2015-01-01", "surprise": 1}', encoding="utf-8")
    with data_root(root), pytest.raises(DataError, match=r"meta\.json"):
        PhoenixActors()
    meta.write_text(good, encoding="utf-8")
    forms = root / "actors" / "phoenix" / "forms.tsv"
    forms.write_text(
        forms.read_text(encoding="utf-8").replace("form\tid\tmatch\tplace", "form\tid\tmatch\tplace\textra", 1),
        encoding="utf-8",
    )
    with data_root(root), pytest.raises(DataError, match=r"forms\.tsv"):
        PhoenixActors()


def test_hand_files_are_validated(tmp_path: Path) -> None:
    from brinkwatch.lexicon.loader import data_root

    root = _copy_data(tmp_path)
    hand = root / "actors" / "officeholders_recent.csv"
    good = hand.read_text(encoding="utf-8")
    for bad, message in (
        (good.replace("general knowledge", "a blog", 1), "officeholders_recent.csv line 2"),
        (good.replace(",USA,GOV,2009-01-20,", ",USA,XXX,2009-01-20,", 1), "not a PLOVER sector"),
        (good.replace(",USA,GOV,2009-01-20,", ",QQQ,GOV,2009-01-20,", 1), "unknown code 'QQQ'"),
        (good.replace("2009-01-20,2017-01-20", "2017-01-20,2009-01-20", 1), "is not before"),
    ):
        assert bad != good
        hand.write_text(bad, encoding="utf-8")
        with data_root(root), pytest.raises(DataError, match=message):
            PhoenixActors()


def test_every_derived_file_keeps_the_licence() -> None:
    for name in ("actors.tsv", "forms.tsv", "dropped.tsv", "agents.tsv", "codes.tsv", "evidence.tsv"):
        head = ((BUILD_DIR if name in ("dropped.tsv", "evidence.tsv") else PHOENIX_DIR) / name).read_text(
            encoding="utf-8"
        )[:2000]
        assert "The MIT License" in head and "Open Event Data Alliance" in head and "petrarch2" in head, name


def test_one_code_per_name_variant_unless_dated() -> None:
    """No surface form has two different undated countries in two Phoenix records (the conflict rule)."""
    data = phoenix()
    for k, ids in data.forms.items():
        undated = {
            r.country
            for i in ids
            if not data.records[i].hand and not any(x.dated for x in data.records[i].roles)
            for r in data.records[i].roles
        } - {"UNK"}
        assert len(undated) <= 1, (k, undated)


def test_a_project_party_keeps_the_project_code() -> None:
    """Where the project's lexicon names an organisation, Phoenix's record takes the project's code."""
    data = phoenix()
    for text in ("NATO", "Amnesty International", "International Atomic Energy Agency", "European Union"):
        entry = actor_data.lookup(text, fuzzy=False)
        cand = data.resolve(text)
        assert entry is not None and cand is not None and cand.country == entry.code, text


def test_dropped_forms_name_a_rule() -> None:
    conv_rules = set(_converter().RULES)
    rows = [ln.split("\t") for ln in (BUILD_DIR / "dropped.tsv").read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r[0] and not r[0].startswith("#")][1:]
    assert rows and all(r[2] in conv_rules for r in rows)
    forms = phoenix().forms
    per_record = {"no-code", "null-code", "unk-yields"}  # the same form may stay through another record
    hand = _hand_keys()
    assert all(key(r[0]) not in forms or r[2] in per_record or key(r[0]) in hand for r in rows)


def _hand_keys() -> set[str]:
    data = phoenix()
    return {k for k, ids in data.forms.items() if any(data.records[i].hand for i in ids)}


# ---------------------------------------------------------------------------------------------------------
# Dated resolution


@pytest.mark.parametrize(
    ("text", "date", "country", "sector"),
    [
        ("George W. Bush", dt.date(2008, 6, 1), "USA", "GOV"),
        ("George W. Bush", dt.date(2010, 6, 1), "USA", "ELI"),
        ("President Bush", dt.date(1990, 6, 1), "USA", "GOV"),
        ("Barack Obama", dt.date(2010, 6, 1), "USA", "GOV"),
        ("Barack Obama", dt.date(2019, 6, 1), "USA", "ELI"),
        ("Kofi Annan", dt.date(2000, 6, 1), "UN", None),
        ("Ban Ki-moon", dt.date(2010, 6, 1), "UN", None),
        ("Ban Ki-moon", dt.date(2020, 6, 1), "KOR", "ELI"),
        ("Guterres", dt.date(2020, 6, 1), "UN", None),
        ("Taliban", dt.date(2015, 6, 1), "AFG", "REB"),
        ("Taliban", dt.date(2022, 6, 1), "AFG", "GOV"),
        ("Donald Tusk", dt.date(2016, 6, 1), "EU", None),
        ("Donald Tusk", dt.date(2024, 6, 1), "POL", "GOV"),
    ],
)
def test_dated_roles_resolve_against_the_article_date(
    text: str, date: dt.date, country: str, sector: str | None
) -> None:
    cand = phoenix().resolve(text, date)
    assert cand is not None and (cand.country, cand.sector) == (country, sector), cand


def test_a_dictionary_role_open_past_its_horizon_is_stale() -> None:
    data = phoenix()
    after = data.horizon + dt.timedelta(days=400)
    cands = data.lookup("Mr. Obama", after)  # a form only the dictionary has
    assert cands and cands[0].how == "stale" and cands[0].country == "USA"
    inside = data.lookup("Mr. Obama", dt.date(2012, 1, 1))
    assert inside[0].how == "dated"


def test_role_validity_is_half_open() -> None:
    role = Role("USA", "GOV", dt.date(2009, 1, 20), dt.date(2017, 1, 20))
    assert role.valid(dt.date(2009, 1, 20)) and not role.valid(dt.date(2017, 1, 20))
    assert role.distance(dt.date(2008, 1, 20)) == 366 and role.distance(dt.date(2010, 1, 1)) == 0


def test_undated_entries_are_fallbacks() -> None:
    data = phoenix()
    assert data.resolve("Kabul").country == "AFG"  # type: ignore[union-attr]
    assert data.resolve("the Hezbollah") is not None
    assert data.resolve("no such party anywhere") is None


# ---------------------------------------------------------------------------------------------------------
# Agents and the ruler


@pytest.mark.parametrize(
    ("noun", "sector"),
    [("rebels", "REB"), ("foreign minister", "GOV"), ("journalists", "JRN"), ("police", "COP"), ("doctors", "MED")],
)
def test_agent_nouns_give_sectors(noun: str, sector: str) -> None:
    assert phoenix().agent_sector(noun) == sector


def test_the_ruler_tags_dictionary_names(nlp) -> None:  # type: ignore[no-untyped-def]
    ruler = PhoenixRuler(nlp)
    doc = ruler(nlp("Lashkar-e-Taiba fighters attacked a post near Jalalabad, the ANSF said."))
    keys = {form_key(e.ent_id_) for e in doc.ents if e.ent_id_.startswith(ENT_PREFIX)}
    assert {"lashkar-e-taiba", "ansf"} <= keys, keys  # replaces the NER's PERSON / id-less ORG
    jalalabad = next(e for e in doc.ents if e.text == "Jalalabad")
    assert not jalalabad.ent_id_.startswith(ENT_PREFIX)  # the project's ruler keeps its own entity
    assert phoenix().resolve("ANSF").country == "AFG"  # type: ignore[union-attr]
    patterns = phoenix().entity_ruler_patterns()
    assert any(p["id"] == ENT_PREFIX + "ansf" for p in patterns)
    assert all(re.match(r"^(GPE|NORP|ORG|PERSON)$", p["label"]) for p in patterns[:1000])


def test_the_ruler_is_added_after_the_ner_once(nlp) -> None:  # type: ignore[no-untyped-def]
    import spacy

    from brinkwatch.coder.phoenix import RULER_NAME, add_phoenix_ruler

    blank = spacy.blank("en")
    add_phoenix_ruler(blank)
    add_phoenix_ruler(blank)
    assert blank.pipe_names == [RULER_NAME]
    doc = blank("Im Sothi met the ANSF.")  # a form the tokenizer splits ("Im" → "I", "m") still matches
    assert {e.text for e in doc.ents} >= {"ANSF", "Im Sothi"}
