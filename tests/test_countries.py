"""The one countries table (data/actors/countries.csv) and the two loaders that share it."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources
from pathlib import Path

import pytest

from brinkwatch.core.errors import DataError
from brinkwatch.lexicon.actors import lexicon
from brinkwatch.lexicon.countries import PATH, countries, demonym_plural
from brinkwatch.lexicon.gazetteer import _key, gazetteer
from brinkwatch.lexicon.loader import read_text

COLUMNS = ["code", "name", "variants", "demonyms", "capitals", "capital_city", "lat", "lon"]


def _raw() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_text(PATH))))


def test_one_table_with_every_column() -> None:
    rows = _raw()
    assert list(rows[0]) == COLUMNS
    assert len(rows) == len(countries()) >= 200
    assert not resources.files("brinkwatch").joinpath("data/gazetteer/countries.csv").is_file()
    for r in rows:
        assert all(v is not None for v in r.values()), r  # no short rows
        assert re.fullmatch(r"[A-Z]{3}", r["code"]) and r["name"].strip() == r["name"] != "", r
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r
        for col in ("variants", "demonyms", "capitals"):
            assert ";" not in r[col], (r["code"], col)  # lists are |-separated, as in every data table
    by_code = {c.code: c for c in countries()}
    assert by_code["BEL"].capital_city == "Brussels" and "Brussels" not in by_code["BEL"].capitals  # the EU's
    assert by_code["UKR"].capitals == ("Kyiv", "Kiev") and by_code["UKR"].lat > 40


def test_demonym_plurals() -> None:
    assert demonym_plural("Estonian") == "Estonians"
    assert demonym_plural("Chinese") is None and demonym_plural("North Korean") is None
    assert demonym_plural("Swiss") is None and demonym_plural("British") is None
    est = next(c for c in countries() if c.code == "EST")
    assert est.demonym_forms == ["Estonian", "Estonians"]


def test_both_loaders_know_every_name_and_demonym() -> None:
    """A variant or demonym known to the actor lexicon is known to the gazetteer, and the reverse."""
    lex, gaz = lexicon(), gazetteer()
    for c in countries():
        assert lex.iso[c.code] == c.name and gaz.countries[c.code].name == c.name
        for n in (c.name, *c.variants):
            entry = lex.by_lower[n.lower()]
            assert entry.code == c.code, (c.code, n, entry)
            assert gaz.names[_key(n)].country == c.code, (c.code, n)
        for d in c.demonym_forms:
            assert lex.by_lower[d.lower()].code == c.code, (c.code, d)
            assert gaz.demonyms[_key(d)] == c.code, (c.code, d)
        if c.capital_city:
            assert c.capital_city in gaz.capital_names
    assert gaz.demonym(["North", "Koreans"]) == "PRK" and lex.by_lower["north koreans"].code == "PRK"
    assert gaz.demonym(["Afghanis"]) == "AFG" and gaz.names[("czech", "republic")].country == "CZE"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",33.9,67.7", ",north,67.7", r"countries\.csv line 2 \(Afghanistan\): lat"),
        ("AFG,Afghanistan", "Afg,Afghanistan", r"countries\.csv line 2 \(Afghanistan\): code"),
        (",33.9,67.7", ",133.9,67.7", r"countries\.csv line 2 \(Afghanistan\): lat"),
        ("capital_city,lat,lon", "capital_city,lat,lon,population", r"countries\.csv line 2 .*population.*Extra"),
    ],
)
def test_malformed_country_rows_are_refused(data_copy: Path, old: str, new: str, message: str) -> None:
    path = data_copy / "actors" / "countries.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    if "population" in new:  # a column the model does not know: every row gets a cell
        head, *rows = text.splitlines()
        text = "\n".join([head, *[r + ",1" for r in rows]]) + "\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        countries()
