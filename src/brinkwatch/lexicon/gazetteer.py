"""The offline gazetteer: countries, capitals and conflict places.

* countries — the one countries table (``data/actors/countries.csv``, read by :mod:`brinkwatch.lexicon.countries`):
  code, name, variants, demonyms, capital city, centroid lat/lon (every UN member plus a few widely
  reported territories: Palestine, Taiwan, Kosovo, Western Sahara, Hong Kong, Greenland);
* ``data/gazetteer/places.csv`` — the one places table, shared with the actor lexicon: name, country (ISO-3,
  empty for seas and multinational regions), kind (city | region | sea), lat, lon, aliases (``|``-separated),
  actor (the actor code the place's names stand for — :mod:`brinkwatch.lexicon.actors` — or empty);
* ``spatial.yaml`` — the prepositions and nouns that make a phrase a place (used by ``places``);
* ``subdivisions.csv`` — states a city's name is followed by ("Birmingham, Ala.", "Paris, Texas"): name,
  abbreviations (``|``-separated; the AP style ones), country, by_name (false where a country shares the name:
  "Tbilisi, Georgia") — the US states for now.

Loaded once per process. ``Gazetteer.find(tokens)`` scans capitalised token sequences for the longest known
name; ``country_code(tokens)`` codes a phrase's country from names, demonyms, capitals (metonymy) and the
attribution data's government bodies and IGO words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from brinkwatch.lexicon.countries import ISO3, countries
from brinkwatch.lexicon.loader import Strict, Word, compiled, load_csv, load_yaml, split_cell
from brinkwatch.lexicon.sources import source_data

KINDS: tuple[str, ...] = ("country", "city", "region", "sea")
PLACES = "gazetteer/places.csv"
_CONNECTORS = frozenset({"the", "of", "and", "de", "al", "el", "la", "ez", "-", "on", "del", "della"})


class PlaceRow(Strict):
    """A row of ``data/gazetteer/places.csv``."""

    name: str
    country: ISO3 | None = None  # where it lies; empty for seas and multinational regions
    kind: Literal["city", "region", "sea"]
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    aliases: str | None = None
    actor: Annotated[str, Field(pattern=r"^[A-Z0-9]{2,12}$")] | None = None  # the actor code its names stand for


class SubdivisionRow(Strict):
    """A row of ``data/gazetteer/subdivisions.csv``."""

    name: str
    abbreviations: str | None = None
    country: ISO3
    by_name: bool  # false where a country shares the name ("Tbilisi, Georgia"): only the abbreviation places


class SpatialFile(Strict):
    strong_preps: list[Word]
    weak_preps: list[Word]
    area_nouns: list[Word]
    line_nouns: list[Word]


def places() -> tuple[PlaceRow, ...]:
    """The rows of the one places table (validated once)."""
    return load_csv(PLACES, PlaceRow)


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None  # ISO-3; None for seas / multinational regions
    kind: str  # country | city | region | sea
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # index in the token sequence given to ``find``
    end: int
    place: Place


def _key(text: str) -> tuple[str, ...]:
    """Lower-cased words of a name, as the tokenizer splits simple names ("Rostov-on-Don" keeps hyphens)."""
    return tuple(text.lower().replace("-", " - ").replace("'s", " 's").split())


class Gazetteer:
    """Names → places; demonyms → countries."""

    def __init__(self) -> None:
        self.countries: dict[str, Place] = {}
        self.capitals: dict[str, str] = {}  # iso3 → capital name
        self.names: dict[tuple[str, ...], Place] = {}
        self.demonyms: dict[tuple[str, ...], str] = {}
        for country in countries():  # the one countries table, shared with the actor lexicon
            place = Place(country.name, country.code, "country", country.lat, country.lon)
            self.countries[country.code] = place
            if country.capital_city:
                self.capitals[country.code] = country.capital_city
            for n in [country.name, *country.variants]:
                self.names.setdefault(_key(n), place)
            for d in country.demonym_forms:
                self.demonyms.setdefault(_key(d), country.code)
        for row in places():
            place = Place(row.name, row.country, row.kind, row.lat, row.lon)
            for n in [row.name, *split_cell(row.aliases)]:
                self.names.setdefault(_key(n), place)
        self.subdivisions: dict[tuple[str, ...], str] = {}  # a state's name or abbreviation → its country
        for sub in load_csv("gazetteer/subdivisions.csv", SubdivisionRow):
            for n in [sub.name, *split_cell(sub.abbreviations)] if sub.by_name else split_cell(sub.abbreviations):
                self.subdivisions[tuple(n.lower().split())] = sub.country
        spatial = load_yaml("gazetteer/spatial.yaml", SpatialFile)
        self.strong_preps = frozenset(spatial.strong_preps)
        self.weak_preps = frozenset(spatial.weak_preps)
        self.area_nouns = frozenset(spatial.area_nouns)
        self.line_nouns = frozenset(spatial.line_nouns)
        self.capital_names = frozenset(self.capitals.values())
        self.max_len = max(len(k) for k in [*self.names, *self.demonyms])
        self._longest: dict[str, int] = {}  # first word of a name → words of the longest name it starts
        for k in self.names:
            if k:
                self._longest[k[0]] = max(self._longest.get(k[0], 0), len(k))
        data = source_data()
        self.bodies = {_key(k): v for k, v in data.bodies.items()}
        self.igos = {_key(k): v for k, v in data.igos.items()}

    def find(self, words: Sequence[str]) -> list[Match]:
        """Longest known place names in a token sequence (names must be capitalised, as in news text)."""
        out: list[Match] = []
        lowered = [w.lower() for w in words]
        i, n = 0, len(words)
        while i < n:
            hit = None
            longest = self._longest.get(lowered[i], 0)  # no name starts with most words: skip them
            if longest and words[i][:1].isupper():
                for size in range(min(self.max_len, longest, n - i), 0, -1):
                    place = self.names.get(tuple(lowered[i : i + size]))
                    if place is not None and _capitalised(words[i : i + size]):
                        hit = Match(i, i + size, place)
                        break
            if hit is not None:
                out.append(hit)
                i = hit.end
            else:
                i += 1
        return out

    def container(self, words: Sequence[str]) -> tuple[str, int] | None:
        """The country of the state that ``words`` start with after a place's name — ", Ala.", ", Texas" — and
        how many words it takes (comma included); None when they name none. Only states (``subdivisions.csv``):
        after a country the comma is a list as often as not ("struck Gaza, Lebanon and Syria")."""
        if not words or words[0] != ",":
            return None
        for size in (3, 2, 1):
            key = tuple(w.lower() for w in words[1 : 1 + size])
            if len(key) == size and _capitalised(words[1 : 1 + size]) and key in self.subdivisions:
                return self.subdivisions[key], 1 + size
        return None

    def demonym(self, words: Sequence[str]) -> str | None:
        """The country of a demonym or IGO adjective ("Russian" → RUS, "EU" → EU), else None."""
        key = tuple(w.lower() for w in words)
        return self.demonyms.get(key) or self.igos.get(key)

    def country_code(self, words: Sequence[str]) -> str | None:
        """The first country / IGO a phrase names: bodies (Kremlin), IGOs, demonyms, names, capitals."""
        lowered = [w.lower() for w in words]
        n = len(words)
        for i in range(n):
            for size in range(min(self.max_len, n - i), 0, -1):
                key = tuple(lowered[i : i + size])
                code = self.bodies.get(key) or self.igos.get(key) or self.demonyms.get(key)
                if code is None and words[i][:1].isupper():
                    place = self.names.get(key)
                    if place is not None and _capitalised(words[i : i + size]):
                        code = place.country
                if code:
                    return code
        return None


def _capitalised(words: Sequence[str]) -> bool:
    return all(w[:1].isupper() or w.lower() in _CONNECTORS or not w[:1].isalpha() for w in words)


@compiled
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process."""
    return Gazetteer()
