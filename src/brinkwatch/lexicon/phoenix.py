"""Dictionary-scale actors: the Phoenix dictionaries of PETRARCH-2 (``data/actors/phoenix``, built by
``tools/convert_phoenix.py``) plus two hand files of later parties (``data/actors/officeholders_recent.csv``,
``data/actors/groups_recent.csv``, source "general knowledge"), read through :mod:`brinkwatch.lexicon.loader`.

* ``phoenix()`` loads everything once per process and validates it (an unknown column, kind, sector or code
  is an error).
* ``PhoenixActors.lookup(text, date)`` → candidate parties for a span text, resolved against the article's
  date: a role valid on that date wins (hand file first), then an undated hand entry, then the dictionary's
  roles (valid on the date; open-ended ones past the dictionary's horizon; undated fallbacks), and last the
  role nearest in time. ``resolve`` returns the best one.
* ``PhoenixActors.agent_sector(noun)`` → the PLOVER sector of an agent noun ("rebels" → REB).
* ``PhoenixActors.patterns()`` → every surface form with its match mode, entity label and entity id
  ``PHX|<form key>``: the input of the coder's phrase matcher (:mod:`brinkwatch.coder.phoenix`), which labels
  the spans; the coder resolves the key against the article's date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from brinkwatch.core.errors import DataError
from brinkwatch.lexicon.actors import SECTORS, Org, Sector
from brinkwatch.lexicon.countries import countries
from brinkwatch.lexicon.loader import Strict, compiled, load_csv, load_json, load_tsv, load_yaml, split_cell

PHOENIX = "actors/phoenix"
KINDS = frozenset({"state", "person", "body", "igo", "ngo", "mnc", "group"})
MATCHES = frozenset({"lower", "title", "upper"})
PLACES = frozenset({"", "name", "demonym", "capital", "place"})
CODE_KINDS = frozenset({"project", "historical", "unknown", "igo", "ngo", "img", "cameo-iso", "territory"})
HEADERS = {
    "actors.tsv": ("id", "kind", "name", "roles", "cameo"),
    "forms.tsv": ("form", "id", "match", "place"),
    "agents.tsv": ("form", "sector", "cameo"),
    "codes.tsv": ("code", "kind", "name"),
}
META_KEYS = frozenset(
    {
        "agents",
        "dropped",
        "form_rows",
        "forms",
        "horizon",
        "kinds",
        "licence",
        "problems",
        "reassigned_to_project_codes",
    }
    | {"records", "records_kept", "roles", "rules", "source", "unknown_segments"}
)
ENT_PREFIX = "PHX|"
# Resolution tiers, best first
TIERS = ("hand-dated", "hand-undated", "dated", "stale", "undated", "nearest")


class HandRow(Strict):
    """A row of ``officeholders_recent.csv`` / ``groups_recent.csv``: one role of one party (a party's rows are
    its roles; its name and ``|``-separated variants are its surface forms). Dates are ISO; ``end`` is
    exclusive, empty = still."""

    name: str = Field(min_length=1)
    variants: str | None = None
    country: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
    sector: Sector | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    role: str | None = None  # officeholders_recent.csv
    note: str | None = None  # groups_recent.csv
    source: Literal["general knowledge"]


@dataclass(frozen=True, slots=True)
class Role:
    country: str
    sector: str | None
    start: dt.date | None = None
    end: dt.date | None = None  # exclusive; None = open

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def valid(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)

    def distance(self, date: dt.date) -> int:
        if self.start is not None and date < self.start:
            return (self.start - date).days
        if self.end is not None and date >= self.end:
            return (date - self.end).days + 1
        return 0


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    kind: str
    name: str
    roles: tuple[Role, ...]
    hand: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """One party a span can denote: ``code`` is CAMEO-style country + sector (``USAGOV``)."""

    country: str
    sector: str | None
    name: str
    kind: str
    id: str
    how: str  # one of TIERS

    @property
    def code(self) -> str:
        return self.country + (self.sector or "")

    def as_party(self, text: str) -> dict[str, Any]:
        return {"text": text, "code": self.code, "country": self.country, "sector": self.sector, "name": self.name}


def key(text: str) -> str:
    """The lookup key of a surface form: lower case, single spaces, curly apostrophes made straight."""
    return " ".join(text.replace("’", "'").lower().split())


def _date(text: str, where: str) -> dt.date | None:
    if not text:
        return None
    try:
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DataError(f"{where}: bad date {text!r}") from exc


def _sector(text: str, where: str) -> str | None:
    if text and text not in SECTORS:
        raise DataError(f"{where}: unknown sector {text!r}")
    return text or None


class PhoenixActors:
    """The loaded dictionaries: records, surface forms, agent nouns and the codes they use."""

    def __init__(self) -> None:
        self.records: dict[str, Record] = {}
        self.forms: dict[str, tuple[str, ...]] = {}  # key → record ids (hand-file ids first)
        self.display: dict[str, str] = {}  # key → the form as written
        self.match: dict[str, str] = {}  # key → lower | title | upper
        self.place: dict[str, str] = {}  # key → name | demonym | capital | place ("" for non-places)
        self.agents: dict[str, str | None] = {}
        self.codes: dict[str, tuple[str, str]] = {}  # non-state code → (kind, name)
        self.meta: dict[str, Any] = {}
        self.horizon = dt.date.max
        self._surnames: dict[str, list[str]] | None = None  # last word of a person's name → record ids
        self._load()

    # -- loading ------------------------------------------------------------------------------------------

    def _load(self) -> None:
        meta = load_json(f"{PHOENIX}/meta.json")
        if set(meta) != META_KEYS:
            raise DataError(f"data/{PHOENIX}/meta.json: keys {sorted(set(meta) ^ META_KEYS)} differ")
        self.meta = meta
        self.horizon = dt.date.fromisoformat(meta["horizon"])
        iso = self._iso()
        for row in load_tsv(f"{PHOENIX}/codes.tsv", HEADERS["codes.tsv"]):
            if row["kind"] not in CODE_KINDS:
                raise DataError(f"data/{PHOENIX}/codes.tsv: unknown kind {row['kind']!r}")
            if row["kind"] not in ("cameo-iso", "territory"):
                self.codes[row["code"]] = (row["kind"], row["name"])
        known = iso | set(self.codes)
        for row in load_tsv(f"{PHOENIX}/actors.tsv", HEADERS["actors.tsv"]):
            rid = row["id"]
            if row["kind"] not in KINDS:
                raise DataError(f"data/{PHOENIX}/actors.tsv {rid}: unknown kind {row['kind']!r}")
            roles = []
            for spec in row["roles"].split():
                parts = spec.split("/")
                if len(parts) not in (2, 3):
                    raise DataError(f"data/{PHOENIX}/actors.tsv {rid}: bad role {spec!r}")
                country, sector = parts[0], _sector(parts[1], f"data/{PHOENIX}/actors.tsv {rid}")
                if country not in known:
                    raise DataError(f"data/{PHOENIX}/actors.tsv {rid}: unknown code {country!r}")
                start = end = None
                if len(parts) == 3:
                    a, _, b = parts[2].partition("-")
                    start, end = (
                        _date(a, f"data/{PHOENIX}/actors.tsv {rid}"),
                        _date(b, f"data/{PHOENIX}/actors.tsv {rid}"),
                    )
                roles.append(Role(country, sector, start, end))
            if not roles or rid in self.records:
                raise DataError(f"data/{PHOENIX}/actors.tsv {rid}: no roles or a duplicate id")
            self.records[rid] = Record(rid, row["kind"], row["name"], tuple(roles))
        forms: dict[str, list[str]] = defaultdict(list)
        for row in load_tsv(f"{PHOENIX}/forms.tsv", HEADERS["forms.tsv"]):
            k = key(row["form"])
            if row["id"] not in self.records or row["match"] not in MATCHES or row["place"] not in PLACES:
                raise DataError(f"data/{PHOENIX}/forms.tsv: bad row {row}")
            forms[k].append(row["id"])
            self.display.setdefault(k, row["form"])
            self.match.setdefault(k, row["match"])
            if row["place"]:
                self.place[k] = row["place"]
        for row in load_tsv(f"{PHOENIX}/agents.tsv", HEADERS["agents.tsv"]):
            self.agents.setdefault(row["form"], _sector(row["sector"], f"data/{PHOENIX}/agents.tsv {row['form']}"))
        hand = self._load_hand(known)
        for k, ids in hand.items():
            forms[k] = ids + [i for i in forms.get(k, []) if i not in ids]
        self.forms = {k: tuple(v) for k, v in forms.items()}

    @staticmethod
    def _iso() -> set[str]:
        return {c.code for c in countries()}

    def _load_hand(self, known: set[str]) -> dict[str, list[str]]:
        """The hand files: one record per name (its rows are its roles); name and variants are its forms."""
        orgs = {org.code for org in load_yaml("actors/igos.yaml", list[Org])}
        forms: dict[str, list[str]] = defaultdict(list)
        for fname, kind_of in (("officeholders_recent.csv", "person"), ("groups_recent.csv", "group")):
            grouped: dict[str, list[HandRow]] = defaultdict(list)
            for row in load_csv(f"actors/{fname}", HandRow):
                grouped[row.name].append(row)
            for name, rows in grouped.items():
                rid = f"{'H' if kind_of == 'person' else 'G'}:{name}"
                roles = []
                variants: list[str] = [name]
                for row in rows:
                    where = f"data/actors/{fname} {name}"
                    if row.country not in known and row.country not in orgs:
                        raise DataError(f"{where}: unknown code {row.country!r}")
                    if row.start and row.end and row.start >= row.end:
                        raise DataError(f"{where}: start {row.start} is not before end {row.end}")
                    roles.append(Role(row.country, row.sector, row.start, row.end))
                    variants += split_cell(row.variants)
                self.records[rid] = Record(rid, kind_of, name, tuple(roles), hand=True)
                for v in dict.fromkeys(variants):
                    k = key(v)
                    if rid not in forms[k]:
                        forms[k].append(rid)
                    self.display.setdefault(k, v)
                    self.match.setdefault(k, _match_of(v))
        return forms

    # -- look-ups -----------------------------------------------------------------------------------------

    def lookup(self, text: str, date: dt.date | None = None) -> list[Candidate]:
        """Every party the text can denote, best first (distinct country and sector)."""
        k = key(text)
        ids = self.forms.get(k)
        if ids is None:
            k = k.removeprefix("the ").removesuffix("'s")
            ids = self.forms.get(k)
        if not ids:
            return []
        ranked: list[tuple[int, int, Candidate]] = []
        for order, rid in enumerate(ids):
            rec = self.records[rid]
            for role in rec.roles:
                tier, rank = self._tier(rec, role, date)
                ranked.append((tier, rank * 10_000 + order, self._candidate(rec, role, TIERS[tier])))
        ranked.sort(key=lambda t: (t[0], t[1]))
        out: list[Candidate] = []
        seen: set[tuple[str, str | None]] = set()
        for _, _, cand in ranked:
            if (cand.country, cand.sector) not in seen:
                seen.add((cand.country, cand.sector))
                out.append(cand)
        return out

    def resolve(self, text: str, date: dt.date | None = None) -> Candidate | None:
        """The best party for a span text on the article's date, or None."""
        found = self.lookup(text, date)
        return found[0] if found else None

    def _tier(self, rec: Record, role: Role, date: dt.date | None) -> tuple[int, int]:
        """(tier, rank within the tier: smaller is better) of one role on a date."""
        if not role.dated:
            if role.country == "UNK" and any(r.dated for r in rec.roles):
                return 5, 1 << 20  # "[ELI]" with no country: weaker than the country of a dated role
            return (1 if rec.hand else 4), 0
        if date is None:  # no article date: the latest role after the undated ones
            latest = role.start or dt.date.min
            return 5, (dt.date.max - latest).days
        if role.valid(date):
            if not rec.hand and role.end is None and date > self.horizon:
                return 3, 0  # open-ended in the dictionary, which knows nothing after its horizon
            newer_first = (date - role.start).days if role.start else 1 << 20
            return (0 if rec.hand else 2), newer_first
        return 5, role.distance(date)

    @staticmethod
    def _candidate(rec: Record, role: Role, how: str) -> Candidate:
        return Candidate(role.country, role.sector, rec.name, rec.kind, rec.id, how)

    def surname(self, word: str, date: dt.date | None) -> Candidate | None:
        """The office holder a bare surname names on the article's date ("Kuchma" in 2000 → UKR GOV): the
        people of the dictionary whose name ends in ``word`` and who hold a dated office (GOV) on that date,
        when they all serve one state; None without a date, or when two states have such a namesake."""
        if date is None:
            return None
        if self._surnames is None:
            index: dict[str, list[str]] = defaultdict(list)
            for k, ids in self.forms.items():
                words = k.split()
                if len(words) > 1 and words[-1].isalpha() and len(words[-1]) > 2:
                    for rid in ids:
                        if self.records[rid].kind == "person" and rid not in index[words[-1]]:
                            index[words[-1]].append(rid)
            self._surnames = dict(index)
        found: list[Candidate] = []
        for rid in self._surnames.get(key(word), ()):
            rec = self.records[rid]
            for role in rec.roles:
                if role.start is None or role.sector != "GOV" or not role.valid(date):
                    continue
                if not rec.hand and role.end is None and date > self.horizon:
                    continue  # open-ended in the dictionary, which knows nothing after its horizon
                found.append(self._candidate(rec, role, "dated"))
        if not found or len({c.country for c in found}) != 1:
            return None
        return found[0]

    def agent_sector(self, noun: str) -> str | None:
        """The PLOVER sector of an agent noun or phrase ("foreign minister" → GOV), None if unknown."""
        return self.agents.get(key(noun))

    def is_agent(self, noun: str) -> bool:
        return key(noun) in self.agents

    def code_kind(self, code: str) -> str | None:
        """'igo', 'ngo', 'img', 'historical', 'unknown' or 'project' for a non-state code the data uses."""
        got = self.codes.get(code)
        return got[0] if got else None

    def label(self, k: str) -> str:
        """The spaCy entity label of a form key: GPE / NORP / ORG / PERSON."""
        ids = self.forms[k]
        kinds = {self.records[i].kind for i in ids}
        if kinds <= {"state"}:
            return "NORP" if self.place.get(k) == "demonym" else "GPE"
        if kinds <= {"person"}:
            return "PERSON"
        return "ORG"

    def patterns(self) -> Iterator[tuple[str, str, str, str]]:
        """(form as written, match mode, label, entity id) for every surface form, sorted by key: the
        input of a PhraseMatcher or an EntityRuler (``{"label", "pattern", "id"}``; a ``title`` form matches
        as written and in UPPER case, an ``upper`` form as written, a ``lower`` form on LOWER)."""
        for k in sorted(self.forms):
            yield self.display[k], self.match[k], self.label(k), ENT_PREFIX + k

    def entity_ruler_patterns(self) -> list[dict[str, Any]]:
        """The patterns in spaCy EntityRuler format (token patterns on ORTH or LOWER)."""
        out: list[dict[str, Any]] = []
        for form, match, label, ent_id in self.patterns():
            toks = form.split()
            if match == "lower":
                out.append({"label": label, "id": ent_id, "pattern": [{"LOWER": t.lower()} for t in toks]})
            else:
                for variant in case_variants(form, match):
                    out.append({"label": label, "id": ent_id, "pattern": [{"ORTH": t} for t in variant.split()]})
        return out


def _match_of(form: str) -> str:
    if len(form.split()) > 1:
        return "lower"
    letters = [c for c in form if c.isalpha()]
    return "upper" if letters and all(c.isupper() for c in letters) and len(letters) <= 5 else "title"


def case_variants(form: str, match: str) -> list[str]:
    """The spellings a one-token form matches as written: itself, Capitalised and UPPER (an acronym: itself)."""
    if match == "upper":
        return [form]
    return sorted({form, form[:1].upper() + form[1:], form.upper()})


@compiled
def phoenix() -> PhoenixActors:
    """The dictionaries, loaded and validated once per process."""
    return PhoenixActors()


def form_key(ent_id: str) -> str | None:
    """``"PHX|barack obama"`` → ``"barack obama"``; None for other entity ids."""
    return ent_id[len(ENT_PREFIX) :] if ent_id.startswith(ENT_PREFIX) else None


def iter_records(kind: str | None = None) -> Iterable[Record]:
    """Every record (optionally of one kind)."""
    return (r for r in phoenix().records.values() if kind is None or r.kind == kind)
