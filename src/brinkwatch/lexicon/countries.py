"""The one countries table, ``data/actors/countries.csv``, loaded once for the actor lexicon and the gazetteer.

Columns: ``code`` (ISO-3; XKX for Kosovo), ``name``, ``variants`` (other names of the country),
``demonyms`` (singular, plus plurals the rule of :func:`demonym_plural` cannot make: "North Koreans"),
``capitals`` (names that stand for the government: Moscow, Kiev → RUS GOV / UKR GOV), ``capital_city``
(the capital's row in ``data/gazetteer/places.csv``; may differ from ``capitals``: Brussels is the EU's),
``lat``/``lon`` (approximate centroid, decimal degrees). Lists are ``|``-separated, as in every data table.
Read through :mod:`brinkwatch.lexicon.loader` (:class:`CountryRow`); also checked by tests/test_actors_data.py
and tests/test_places.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field

from brinkwatch.lexicon.loader import Strict, compiled, load_csv, split_cell

PATH = "actors/countries.csv"


def _iso3(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ValueError(f"{value!r} is not an ISO-3 code (three capital letters)")
    return value


#: an ISO 3166-1 alpha-3 code (XKX for Kosovo)
ISO3 = Annotated[str, AfterValidator(_iso3)]


class CountryRow(Strict):
    code: ISO3
    name: str
    variants: str | None = None
    demonyms: str | None = None
    capitals: str | None = None
    capital_city: str | None = None
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    variants: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]
    capital_city: str | None
    lat: float
    lon: float

    @property
    def demonym_forms(self) -> list[str]:
        """Each demonym followed by its regular plural (when it has one): Estonian, Estonians, …"""
        out: list[str] = []
        for dem in self.demonyms:
            out.append(dem)
            plural = demonym_plural(dem)
            if plural:
                out.append(plural)
        return out


def demonym_plural(demonym: str) -> str | None:
    """The regular plural of a one-word demonym ("Russian" → "Russians"); None where it takes no "s"."""
    low = demonym.lower()
    if low.endswith(("ese", "ish", "ch", "sh", "ss", "z", "s", "i-kiribati")) or " " in demonym:
        return None
    return demonym + "s"


@compiled
def countries() -> tuple[Country, ...]:
    """Every row of the countries table, in file order."""
    return tuple(
        Country(
            code=row.code,
            name=row.name,
            variants=tuple(split_cell(row.variants)),
            demonyms=tuple(split_cell(row.demonyms)),
            capitals=tuple(split_cell(row.capitals)),
            capital_city=row.capital_city,
            lat=row.lat,
            lon=row.lon,
        )
        for row in load_csv(PATH, CountryRow)
    )
