"""The one countries table, ``data/actors/countries.csv``, loaded once for the actor lexicon and the gazetteer.

Columns: ``code`` (ISO-3; XKX for Kosovo), ``name``, ``variants`` (other names of the country),
``demonyms`` (singular, plus plurals the rule of :func:`demonym_plural` cannot make: "North Koreans"),
``capitals`` (names that stand for the government: Moscow, Kiev → RUS GOV / UKR GOV), ``capital_city``
(the capital's row in ``data/gazetteer/places.csv``; may differ from ``capitals``: Brussels is the EU's),
``lat``/``lon`` (approximate centroid, decimal degrees). Lists are ``;``-separated.
Validated by tests/test_actors_data.py and tests/test_places.py.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

PATH = "data/actors/countries.csv"


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


def split(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split(";") if v.strip())


@functools.lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """Every row of the countries table, in file order."""
    text = resources.files("brinkwatch").joinpath(PATH).read_text(encoding="utf-8")
    return tuple(
        Country(
            code=row["code"],
            name=row["name"],
            variants=split(row["variants"]),
            demonyms=split(row["demonyms"]),
            capitals=split(row["capitals"]),
            capital_city=row["capital_city"] or None,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
        )
        for row in csv.DictReader(io.StringIO(text))
    )
