"""The actor lexicon: data/actors (countries, capitals, demonyms, IGOs, bodies, people, groups, roles) and the
places table (``data/gazetteer/places.csv``, rows with an ``actor`` code), validated and loaded once per process
through :mod:`brinkwatch.lexicon.loader`, plus look-ups by surface form and code. ``coder.actors`` builds the
ruler and the coder on it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool

from brinkwatch.core.errors import DataError
from brinkwatch.lexicon.countries import countries
from brinkwatch.lexicon.gazetteer import places
from brinkwatch.lexicon.loader import Strict, Word, compiled, load_csv, load_yaml, split_cell

SECTORS: frozenset[str] = frozenset(
    {"COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS"}
    | {"CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC"}
)  # PLOVER sector codes (ontology/PLOVER.md)
LABELS = {
    "country": "GPE",
    "capital": "GPE",
    "city": "GPE",
    "region": "GPE",
    "demonym": "NORP",
    "igo": "ORG",
    "ngo": "ORG",
    "img": "ORG",
    "west": "NORP",
    "body": "ORG",
    "group": "ORG",
    "person": "PERSON",
}
PLACE_KINDS = frozenset({"city", "region"})


def _sector(value: str) -> str:
    if value not in SECTORS:
        raise ValueError(f"{value!r} is not a PLOVER sector ({', '.join(sorted(SECTORS))})")
    return value


Sector = Annotated[str, AfterValidator(_sector)]
Code = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,12}$")]
Names = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class Org(Strict):
    """An international organisation (``igos.yaml``) with its own actor code."""

    code: Code
    name: str
    kind: Literal["igo", "ngo", "west", "img"]
    names: Names  # one-word names match case-sensitively, longer ones case-insensitively
    sector: Sector | None = None  # the sector of a bare mention (None: the organisation as such)
    alliance: StrictBool = False  # what "the alliance" can refer to
    bloc: StrictBool = False  # what "the bloc" can refer to
    exact: StrictBool = False  # every name matches case-sensitively


class Body(Strict):
    """A named government body, institution or metonym (``bodies.yaml``)."""

    code: Code
    sector: Sector
    name: str
    names: Names


class NamedRow(Strict):
    """A row of ``people.csv`` / ``groups.csv``."""

    code: Code
    sector: Sector
    name: str
    variants: str | None = None


class Anaphor(Strict):
    """ "the alliance", "member states": the organisation in focus (``kind``), else ``default``."""

    kind: Literal["alliance", "bloc", "any"]
    default: Code
    sector: Sector | None = None


class RolesFile(Strict):
    sectors: dict[Sector, list[Word]]
    places: list[Word]
    relational: list[Word]
    anaphors: dict[Word, Anaphor]
    partitives: list[Word]
    ethnic: list[Word]
    institutions: list[Word]
    patrons: list[Word]
    generic_heads: list[Word]


@dataclass(frozen=True, slots=True)
class Entry:
    """One surface form of a known actor or place."""

    key: str
    code: str
    sector: str | None
    name: str
    kind: str
    exact: bool = False

    @property
    def ent_id(self) -> str:
        return f"{self.code}|{self.sector or ''}|{self.name}|{self.kind}"

    @property
    def label(self) -> str:
        return LABELS[self.kind]


@dataclass(slots=True)
class Lexicon:
    entries: list[Entry] = field(default_factory=list)
    by_lower: dict[str, Entry] = field(default_factory=dict)
    iso: dict[str, str] = field(default_factory=dict)  # ISO-3 code → country name
    orgs: dict[str, Org] = field(default_factory=dict)  # IGO/NGO/WST/IMG code → its record
    roles: dict[tuple[str, ...], str] = field(default_factory=dict)
    max_role_len: int = 1
    places: frozenset[str] = frozenset()
    relational: frozenset[str] = frozenset()
    anaphors: dict[tuple[str, ...], Anaphor] = field(default_factory=dict)
    ethnic: frozenset[str] = frozenset()
    partitives: frozenset[str] = frozenset()
    institutions: frozenset[str] = frozenset()
    patrons: frozenset[str] = frozenset()
    generic_heads: frozenset[str] = frozenset()

    def known_code(self, code: str) -> bool:
        return code in self.iso or code in self.orgs

    def org_kind(self, code: str) -> str | None:
        rec = self.orgs.get(code)
        return rec.kind if rec else None


@compiled
def lexicon() -> Lexicon:
    """Everything in data/actors (and the places that name actors), loaded and checked once per process."""
    lex = Lexicon()
    raw: list[Entry] = []
    for country in countries():  # the one countries table, shared with the gazetteer
        code, name = country.code, country.name
        lex.iso[code] = name
        for key in [name, *country.variants]:
            raw.append(Entry(key, code, None, name, "country"))
        for dem in country.demonym_forms:  # with regular plurals
            raw.append(Entry(dem, code, None, name, "demonym"))
        for cap in country.capitals:
            raw.append(Entry(cap, code, "GOV", name, "capital"))
    for org in load_yaml("actors/igos.yaml", list[Org]):
        lex.orgs[org.code] = org
        for key in org.names:
            raw.append(Entry(key, org.code, org.sector, org.name, org.kind, org.exact))
    for body in load_yaml("actors/bodies.yaml", list[Body]):
        for key in body.names:
            raw.append(Entry(key, body.code, body.sector, body.name, "body"))
    for fname, kind in (("actors/people.csv", "person"), ("actors/groups.csv", "group")):
        for row in load_csv(fname, NamedRow):
            for key in [row.name, *split_cell(row.variants)]:
                raw.append(Entry(key, row.code, row.sector, row.name, kind))
    for place in places():  # the one places table, shared with the gazetteer: rows that name an actor
        if place.actor is None:
            continue
        for key in [place.name, *split_cell(place.aliases)]:
            raw.append(Entry(key, place.actor, None, place.name, place.kind))
    for entry in raw:  # first entry of a surface form wins (countries before capitals before places)
        low = entry.key.lower()
        if low not in lex.by_lower:
            lex.by_lower[low] = entry
            lex.entries.append(entry)
    roles = load_yaml("actors/roles.yaml", RolesFile)
    for sector, words in roles.sectors.items():
        for word in words:
            lex.roles.setdefault(tuple(word.split()), sector)
    lex.max_role_len = max(len(k) for k in lex.roles)
    lex.places = frozenset(roles.places)
    lex.relational = frozenset(roles.relational)
    lex.anaphors = {tuple(k.split()): v for k, v in roles.anaphors.items()}
    lex.ethnic = frozenset(roles.ethnic)
    lex.partitives = frozenset(roles.partitives)
    lex.institutions = frozenset(roles.institutions)
    lex.patrons = frozenset(roles.patrons)
    lex.generic_heads = frozenset(roles.generic_heads)
    known = set(lex.iso) | set(lex.orgs)
    unknown = sorted({e.code for e in lex.entries} - known)
    if unknown:
        raise DataError(f"data/actors: actor codes that are neither a country nor an organisation: {unknown}")
    bad = sorted({a.default for a in lex.anaphors.values()} - set(lex.orgs))
    if bad:
        raise DataError(f"data/actors/roles.yaml: anaphors: default(s) {bad} are not organisations of igos.yaml")
    return lex


def parse_ent_id(ent_id: str) -> tuple[str, str | None, str, str] | None:
    """``"RUS|GOV|the Kremlin|body"`` → ("RUS", "GOV", "the Kremlin", "body"); None for foreign ids."""
    parts = ent_id.split("|")
    if len(parts) != 4 or not parts[0]:
        return None
    return parts[0], parts[1] or None, parts[2], parts[3]


def _marked(code: str) -> str | None:
    """The kind an organisation code states itself: the dictionary's ``IGO…`` / ``NGO…`` codes (IGOILO)."""
    if code.startswith("IGO"):
        return "igo"
    if code.startswith("NGO"):
        return "ngo"
    return None


def is_international(code: str) -> bool:
    """True for codes of international organisations (IGO and NGO codes: NATO, EU, UN, ICRC, IGOILO, …)."""
    return (lexicon().org_kind(code) or _marked(code)) in ("igo", "ngo")


def code_kind(code: str) -> str:
    """'state' (ISO-3), 'igo', 'ngo', 'west', 'img' or 'unknown' (an ``IGO…``/``NGO…`` code is igo/ngo)."""
    lex = lexicon()
    if code in lex.iso:
        return "state"
    return lex.org_kind(code) or _marked(code) or "unknown"


def country_name(code: str) -> str | None:
    lex = lexicon()
    if code in lex.iso:
        return lex.iso[code]
    rec = lex.orgs.get(code)
    return rec.name if rec else None


@functools.lru_cache(maxsize=4096)
def lookup(text: str, fuzzy: bool = True) -> Entry | None:
    """A lexicon entry for an entity text the ruler did not tag (exact, then a close spelling: "Ethopia")."""
    lex = lexicon()
    low = " ".join(text.lower().split())
    for cand in (low, low.removeprefix("the "), low.removesuffix("'s").removesuffix("’s")):
        if cand in lex.by_lower:
            return lex.by_lower[cand]
    if not fuzzy or len(low) < 6:
        return None
    from rapidfuzz import fuzz, process

    best = process.extractOne(low, list(lex.by_lower), scorer=fuzz.ratio, score_cutoff=88)
    if best is None:
        return None
    entry = lex.by_lower[best[0]]
    return entry if entry.kind not in ("person",) else None


def iter_codes() -> Iterable[str]:
    """Every code the lexicon knows (ISO-3 and organisation codes)."""
    lex = lexicon()
    yield from lex.iso
    yield from lex.orgs
