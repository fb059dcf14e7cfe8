"""Validate every data file of the actor lexicon (schema at load, codes, sectors, conflicts)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from brinkwatch.coder import actors
from brinkwatch.coder.actors import SECTORS, lexicon
from brinkwatch.core.errors import DataError
from brinkwatch.lexicon.actors import Body, NamedRow, Org, RolesFile
from brinkwatch.lexicon.countries import countries
from brinkwatch.lexicon.gazetteer import places
from brinkwatch.lexicon.loader import load_csv, load_yaml, read_text, split_cell

ISO3 = re.compile(r"^[A-Z]{3}$")
NON_UN = {"XKX", "TWN", "PSE", "VAT", "HKG", "MAC", "ESH", "GRL", "PRI"}


def _codes() -> tuple[set[str], set[str]]:
    iso = {c.code for c in countries()}
    orgs = {o.code for o in load_yaml("actors/igos.yaml", list[Org])}
    return iso, orgs


def test_every_data_file_is_known() -> None:
    from importlib import resources

    files = {p.name for p in resources.files("brinkwatch").joinpath("data", "actors").iterdir() if p.is_file()}
    assert files == {
        "countries.csv",
        "igos.yaml",
        "bodies.yaml",
        "people.csv",
        "groups.csv",
        "roles.yaml",
        "officeholders_recent.csv",  # read by brinkwatch.lexicon.phoenix (tests/test_phoenix_actors.py)
        "groups_recent.csv",
    }


def test_plover_sectors_match_the_ontology(plover_manual: Path) -> None:
    text = plover_manual.read_text(encoding="utf-8")
    block = text.split("Sector codes:", 1)[1].split("International organisations", 1)[0]
    documented = set(re.findall(r"\b([A-Z]{3})\b", block))
    assert documented == set(SECTORS)


def test_countries() -> None:
    assert read_text("actors/countries.csv").splitlines()[0].split(",") == [
        "code", "name", "variants", "demonyms", "capitals", "capital_city", "lat", "lon"
    ]  # fmt: skip
    rows = countries()
    codes = [c.code for c in rows]
    assert len(codes) == len(set(codes)), "duplicate country code"
    for c in rows:
        assert c.name.strip() and all(v.strip() == v and v for v in (*c.variants, *c.demonyms, *c.capitals)), c
    un_members = set(codes) - NON_UN
    assert len(un_members) == 193
    assert {"XKX", "TWN", "PSE"} <= set(codes)
    by_code = {c.code: c for c in rows}
    for code, variant in (
        ("GBR", "Britain"),
        ("GBR", "UK"),
        ("GBR", "U.K."),
        ("USA", "US"),
        ("USA", "U.S."),
        ("USA", "America"),
        ("USA", "United States"),
    ):
        assert variant in by_code[code].variants or variant == by_code[code].name
    assert "Kiev" in by_code["UKR"].capitals and "Kyiv" in by_code["UKR"].capitals


def test_organisations() -> None:
    recs = load_yaml("actors/igos.yaml", list[Org])
    codes = [r.code for r in recs]
    assert len(codes) == len(set(codes))
    iso, _ = _codes()
    assert not set(codes) & iso
    assert {"NATO", "EU", "UN", "OSCE", "AU", "ASEAN", "IAEA", "WHO", "IMF", "WB", "ARL", "OPEC", "ICC", "WST"} <= set(
        codes
    )


def test_bodies() -> None:
    iso, orgs = _codes()
    for r in load_yaml("actors/bodies.yaml", list[Body]):
        assert r.code in iso | orgs, r


@pytest.mark.parametrize("name", ["people.csv", "groups.csv"])
def test_people_and_groups(name: str) -> None:
    iso, orgs = _codes()
    assert read_text(f"actors/{name}").splitlines()[0] == "code,sector,name,variants"
    rows = load_csv(f"actors/{name}", NamedRow)
    names = [r.name for r in rows]
    assert len(names) == len(set(names))
    for r in rows:
        assert r.code in iso | orgs, r
    if name == "people.csv":
        assert len(rows) >= 40


def test_places() -> None:
    """The places that name actors: rows of the one places table (data/gazetteer/places.csv) with an actor code."""
    iso, _ = _codes()
    named = [p for p in places() if p.actor is not None]
    assert named and all(p.actor in iso for p in named)


def test_roles() -> None:
    data = load_yaml("actors/roles.yaml", RolesFile)
    seen: dict[str, str] = {}
    for sector, words in data.sectors.items():
        for word in words:
            assert seen.get(word, sector) == sector, f"{word!r} is both {seen[word]} and {sector}"
            seen[word] = sector
    _, orgs = _codes()
    for spec in data.anaphors.values():
        assert spec.default in orgs
    assert seen["police"] == "COP" and seen["troops"] == "MIL" and seen["rebels"] == "REB"
    assert seen["journalists"] == "JRN" and seen["protesters"] == "CVL" and seen["opposition"] == "OPP"


def test_no_surface_form_has_two_codes() -> None:
    """The same words (case-insensitive) never mean two different actors across the files."""
    forms: dict[str, set[str]] = defaultdict(set)
    for c in countries():
        for f in [c.name, *c.variants, *c.demonyms, *c.capitals]:
            forms[f.lower()].add(c.code)
    for r in [*load_yaml("actors/igos.yaml", list[Org]), *load_yaml("actors/bodies.yaml", list[Body])]:
        for f in r.names:
            forms[f.lower()].add(r.code)
    for name in ("people.csv", "groups.csv"):
        for row in load_csv(f"actors/{name}", NamedRow):
            for f in [row.name, *split_cell(row.variants)]:
                forms[f.lower()].add(row.code)
    for place in places():
        if place.actor is not None:
            for f in [place.name, *split_cell(place.aliases)]:
                forms[f.lower()].add(place.actor)
    conflicts = {f: c for f, c in forms.items() if len(c) > 1}
    assert conflicts == {}


def test_lexicon_loads_every_code() -> None:
    lex = lexicon()
    iso, orgs = _codes()
    assert set(lex.iso) == iso and set(lex.orgs) == orgs
    assert set(actors.iter_codes()) == iso | orgs
    assert all(lex.known_code(e.code) for e in lex.entries)
    assert lex.by_lower["kremlin"].ent_id == "RUS|GOV|the Kremlin|body"


# ------------------------------------------------------------------------------ malformed data is refused


def _edit_yaml(root: Path, name: str, edit) -> None:  # type: ignore[no-untyped-def]
    path = root / "actors" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        ("igos.yaml", lambda d: d[0].update({"members": ["USA"]}), r"igos\.yaml: 0\.members.*[Ee]xtra"),
        ("igos.yaml", lambda d: d[0].update({"exact": "yes"}), r"igos\.yaml: 0\.exact"),
        ("igos.yaml", lambda d: d[0].update({"kind": "club"}), r"igos\.yaml: 0\.kind"),
        ("bodies.yaml", lambda d: d[0].update({"sector": "XXX"}), r"bodies\.yaml: 0\.sector.*not a PLOVER sector"),
        ("bodies.yaml", lambda d: d[0].update({"names": []}), r"bodies\.yaml: 0\.names"),
        ("roles.yaml", lambda d: d["places"].append(False), r"roles\.yaml: places\.\d+.*quote"),
        ("roles.yaml", lambda d: d["anaphors"]["alliance"].update({"size": 2}), r"anaphors\.alliance\.size"),
        ("roles.yaml", lambda d: d["anaphors"]["alliance"].update({"default": "RUS"}), r"roles\.yaml: anaphors.*RUS"),
        ("roles.yaml", lambda d: d.update({"titles": ["sir"]}), r"roles\.yaml: titles.*[Ee]xtra"),
    ],
)
def test_malformed_actor_yaml_is_refused(data_copy: Path, name: str, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    _edit_yaml(data_copy, name, edit)
    with pytest.raises(DataError, match=message):
        lexicon()


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "people.csv",
            "RUS,GOV,Vladimir Putin",
            "RUS,BOSS,Vladimir Putin",
            r"people\.csv line 2 \(Vladimir Putin\): sec",
        ),
        ("groups.csv", "code,sector,name,variants", "code,sector,name,variant", r"groups\.csv line 2 .*variant.*Extra"),
        ("people.csv", "RUS,GOV,Vladimir Putin", "XYZ,GOV,Vladimir Putin", r"data/actors: .*XYZ"),
    ],
)
def test_malformed_actor_rows_are_refused(data_copy: Path, name: str, old: str, new: str, message: str) -> None:
    path = data_copy / "actors" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        lexicon()
