"""The actor lexicon: data/actors (countries, capitals, demonyms, IGOs, bodies, people, groups, places, roles)
loaded once per process, plus look-ups by surface form and code. ``actors`` builds the ruler and the coder on it.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from brinkwatch.lexicon.countries import countries

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "actors"
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
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)  # IGO/NGO/WST/IMG code → its record
    roles: dict[tuple[str, ...], str] = field(default_factory=dict)
    max_role_len: int = 1
    places: frozenset[str] = frozenset()
    relational: frozenset[str] = frozenset()
    anaphors: dict[tuple[str, ...], dict[str, Any]] = field(default_factory=dict)
    ethnic: frozenset[str] = frozenset()
    partitives: frozenset[str] = frozenset()

    def known_code(self, code: str) -> bool:
        return code in self.iso or code in self.orgs

    def org_kind(self, code: str) -> str | None:
        rec = self.orgs.get(code)
        return str(rec["kind"]) if rec else None


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return [dict(row) for row in csv.DictReader(fh)]


def read_yaml(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Everything in data/actors, loaded once per process."""
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
    for rec in read_yaml("igos.yaml"):
        lex.orgs[rec["code"]] = rec
        for key in rec["names"]:
            raw.append(Entry(key, rec["code"], rec.get("sector"), rec["name"], rec["kind"], bool(rec.get("exact"))))
    for rec in read_yaml("bodies.yaml"):
        for key in rec["names"]:
            raw.append(Entry(key, rec["code"], rec["sector"], rec["name"], "body"))
    for fname, kind in (("people.csv", "person"), ("groups.csv", "group")):
        for row in read_csv(fname):
            for key in [row["name"], *_split(row["variants"])]:
                raw.append(Entry(key, row["code"], row["sector"] or None, row["name"], kind))
    for row in read_csv("places.csv"):
        for key in [row["name"], *_split(row["variants"])]:
            raw.append(Entry(key, row["code"], None, row["name"], row["kind"]))
    for entry in raw:  # first entry of a surface form wins (countries before capitals before places)
        low = entry.key.lower()
        if low not in lex.by_lower:
            lex.by_lower[low] = entry
            lex.entries.append(entry)
    roles = read_yaml("roles.yaml")
    for sector, words in roles["sectors"].items():
        for word in words:
            lex.roles.setdefault(tuple(str(word).lower().split()), sector)
    lex.max_role_len = max(len(k) for k in lex.roles)
    lex.places = frozenset(roles["places"])
    lex.relational = frozenset(roles["relational"])
    lex.anaphors = {tuple(k.split()): v for k, v in roles["anaphors"].items()}
    lex.ethnic = frozenset(roles["ethnic"])
    lex.partitives = frozenset(roles["partitives"])
    return lex


def parse_ent_id(ent_id: str) -> tuple[str, str | None, str, str] | None:
    """``"RUS|GOV|the Kremlin|body"`` → ("RUS", "GOV", "the Kremlin", "body"); None for foreign ids."""
    parts = ent_id.split("|")
    if len(parts) != 4 or not parts[0]:
        return None
    return parts[0], parts[1] or None, parts[2], parts[3]


def is_international(code: str) -> bool:
    """True for codes of international organisations (IGO and NGO codes: NATO, EU, UN, ICRC, …)."""
    return lexicon().org_kind(code) in ("igo", "ngo")


def code_kind(code: str) -> str:
    """'state' (ISO-3), 'igo', 'ngo', 'west', 'img' or 'unknown'."""
    lex = lexicon()
    if code in lex.iso:
        return "state"
    return lex.org_kind(code) or "unknown"


def country_name(code: str) -> str | None:
    lex = lexicon()
    if code in lex.iso:
        return lex.iso[code]
    rec = lex.orgs.get(code)
    return str(rec["name"]) if rec else None


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
