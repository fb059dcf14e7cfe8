"""Validate every data file under src/brinkwatch/data/actors (schema, codes, sectors, conflicts)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from brinkwatch import actors
from brinkwatch.actors import DATA_DIR, SECTORS, lexicon, read_csv, read_yaml

ISO3 = re.compile(r"^[A-Z]{3}$")
ORG_KINDS = {"igo", "ngo", "west", "img"}
NON_UN = {"XKX", "TWN", "PSE", "VAT", "HKG", "MAC", "ESH", "GRL", "PRI"}


def _codes() -> tuple[set[str], set[str]]:
    iso = {row["code"] for row in read_csv("countries.csv")}
    orgs = {rec["code"] for rec in read_yaml("igos.yaml")}
    return iso, orgs


def test_every_data_file_is_known() -> None:
    files = {p.name for p in DATA_DIR.iterdir() if p.is_file()}
    assert files == {
        "countries.csv",
        "igos.yaml",
        "bodies.yaml",
        "people.csv",
        "groups.csv",
        "places.csv",
        "roles.yaml",
        "officeholders_recent.csv",  # read by brinkwatch.phoenix_actors (tests/test_phoenix_actors.py)
        "groups_recent.csv",
    }


def test_plover_sectors_match_the_ontology(shared_dir: Path) -> None:
    text = (shared_dir / "ontology" / "PLOVER.md").read_text(encoding="utf-8")
    block = text.split("Sector codes:", 1)[1].split("International organisations", 1)[0]
    documented = set(re.findall(r"\b([A-Z]{3})\b", block))
    assert documented == set(SECTORS)


def test_countries() -> None:
    rows = read_csv("countries.csv")
    assert list(rows[0]) == ["code", "name", "variants", "demonyms", "capitals", "capital_city", "lat", "lon"]
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate country code"
    for r in rows:
        assert ISO3.match(r["code"]), r
        assert r["name"].strip(), r
        for field in ("variants", "demonyms", "capitals"):
            assert all(v.strip() == v and v for v in r[field].split(";")) if r[field] else True, r
    un_members = set(codes) - NON_UN
    assert len(un_members) == 193
    assert {"XKX", "TWN", "PSE"} <= set(codes)
    by_name = {r["code"]: r for r in rows}
    for code, variant in (
        ("GBR", "Britain"),
        ("GBR", "UK"),
        ("GBR", "U.K."),
        ("USA", "US"),
        ("USA", "U.S."),
        ("USA", "America"),
        ("USA", "United States"),
    ):
        assert variant in by_name[code]["variants"].split(";") or variant == by_name[code]["name"]
    assert "Kiev" in by_name["UKR"]["capitals"] and "Kyiv" in by_name["UKR"]["capitals"]


def test_organisations() -> None:
    recs = read_yaml("igos.yaml")
    codes = [r["code"] for r in recs]
    assert len(codes) == len(set(codes))
    iso, _ = _codes()
    for r in recs:
        assert set(r) <= {"code", "name", "kind", "names", "sector", "alliance", "bloc", "exact"}, r
        assert re.match(r"^[A-Z0-9]{2,8}$", r["code"]) and r["code"] not in iso, r
        assert r["kind"] in ORG_KINDS, r
        assert r["names"] and all(isinstance(n, str) and n.strip() for n in r["names"]), r
        assert r.get("sector") in SECTORS | {None}, r
    assert {"NATO", "EU", "UN", "OSCE", "AU", "ASEAN", "IAEA", "WHO", "IMF", "WB", "ARL", "OPEC", "ICC", "WST"} <= set(
        codes
    )


@pytest.mark.parametrize("name", ["bodies.yaml"])
def test_bodies(name: str) -> None:
    iso, orgs = _codes()
    for r in read_yaml(name):
        assert set(r) == {"code", "sector", "name", "names"}, r
        assert r["code"] in iso | orgs, r
        assert r["sector"] in SECTORS, r
        assert r["names"] and all(isinstance(n, str) and n.strip() for n in r["names"]), r


@pytest.mark.parametrize("name", ["people.csv", "groups.csv"])
def test_people_and_groups(name: str) -> None:
    iso, orgs = _codes()
    rows = read_csv(name)
    assert list(rows[0]) == ["code", "sector", "name", "variants"]
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))
    for r in rows:
        assert r["code"] in iso | orgs, r
        assert r["sector"] in SECTORS, r
        assert r["name"].strip(), r
    if name == "people.csv":
        assert len(rows) >= 40


def test_places() -> None:
    iso, _ = _codes()
    for r in read_csv("places.csv"):
        assert r["code"] in iso and r["kind"] in ("city", "region"), r


def test_roles() -> None:
    data = read_yaml("roles.yaml")
    assert set(data) == {"sectors", "places", "relational", "anaphors", "partitives", "ethnic"}
    seen: dict[str, str] = {}
    for sector, words in data["sectors"].items():
        assert sector in SECTORS
        for word in words:
            key = str(word).lower()
            assert seen.get(key, sector) == sector, f"{word!r} is both {seen[key]} and {sector}"
            seen[key] = sector
    _, orgs = _codes()
    for spec in data["anaphors"].values():
        assert spec["kind"] in ("alliance", "bloc", "any")
        assert spec["default"] in orgs
        assert spec["sector"] in SECTORS | {None}
    assert seen["police"] == "COP" and seen["troops"] == "MIL" and seen["rebels"] == "REB"
    assert seen["journalists"] == "JRN" and seen["protesters"] == "CVL" and seen["opposition"] == "OPP"


def test_no_surface_form_has_two_codes() -> None:
    """The same words (case-insensitive) never mean two different actors across the files."""
    forms: dict[str, set[str]] = defaultdict(set)
    for r in read_csv("countries.csv"):
        for f in [r["name"], *r["variants"].split(";"), *r["demonyms"].split(";"), *r["capitals"].split(";")]:
            if f:
                forms[f.lower()].add(r["code"])
    for r in read_yaml("igos.yaml") + read_yaml("bodies.yaml"):
        for f in r["names"]:
            forms[f.lower()].add(r["code"])
    for name in ("people.csv", "groups.csv", "places.csv"):
        for r in read_csv(name):
            for f in [r["name"], *r["variants"].split(";")]:
                if f:
                    forms[f.lower()].add(r["code"])
    conflicts = {f: c for f, c in forms.items() if len(c) > 1}
    assert conflicts == {}


def test_lexicon_loads_every_code() -> None:
    lex = lexicon()
    iso, orgs = _codes()
    assert set(lex.iso) == iso and set(lex.orgs) == orgs
    assert set(actors.iter_codes()) == iso | orgs
    assert all(lex.known_code(e.code) for e in lex.entries)
    assert lex.by_lower["kremlin"].ent_id == "RUS|GOV|the Kremlin|body"
