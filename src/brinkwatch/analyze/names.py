"""What a user types for a side, a status, a type or a date, read as the record's codes — or refused with a
suggestion. Every command reads its filters through here, so that a misspelt filter is an error, never an empty
answer.

* a side (``--actor``, a dyad's A or B): a code (RUS, NATO, RUSGOV, a group of ``data/groups.yaml``), a name or
  alias the actor lexicon knows ("Russia", "the US", "European Union"), else a name parties in the store were
  written as ("Kurds") when they carry one code; anything else raises :class:`UnknownName` naming the closest
  names and codes;
* a status (any case) of the eight; a PLOVER type (any case) of the sixteen;
* a date: ``YYYY-MM-DD``, ``YYYY-MM`` (its first day), ``YYYY``, ``today``, ``yesterday``, ``N days|weeks|months|
  years ago``, ``last week|month|year`` (its first day), relative to ``today``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from functools import lru_cache

import sqlalchemy as sa

from brinkwatch.core.ontology import PLOVER_TYPES, STATUSES
from brinkwatch.lexicon import actors as actor_lexicon
from brinkwatch.lexicon import groups
from brinkwatch.store import schema as S
from brinkwatch.store.reads import HasEngine


class UnknownName(ValueError):
    """A filter value that names nothing in the record's vocabulary (the message suggests what does)."""


def _suggest(value: str, choices: dict[str, str], n: int = 3) -> str:
    """ "; did you mean X, Y?" from the closest of ``choices`` (lower-case key → shown form), or ""."""
    close = difflib.get_close_matches(value.lower(), list(choices), n=n, cutoff=0.6)
    shown = list(dict.fromkeys(choices[c] for c in close))
    return f"; did you mean {', '.join(shown)}?" if shown else ""


def status(value: str) -> str:
    """A status of the record (any case)."""
    v = str(value).strip().lower()
    if v in STATUSES:
        return v
    hint = _suggest(v, {s: s for s in STATUSES})
    raise UnknownName(f"unknown status {str(value)[:40]!r} (one of {', '.join(STATUSES)}){hint}")


def event_type(value: str) -> str:
    """A PLOVER event type (any case)."""
    v = str(value).strip().upper()
    if v in PLOVER_TYPES:
        return v
    hint = _suggest(v, {t.lower(): t for t in PLOVER_TYPES})
    raise UnknownName(f"unknown event type {str(value)[:40]!r} (PLOVER: {', '.join(PLOVER_TYPES)}){hint}")


@lru_cache(maxsize=1)
def _sectors() -> frozenset[str]:
    return frozenset(actor_lexicon.SECTORS)


def known_code(code: str) -> bool:
    """A code the record's vocabulary has: a country, an organisation, a group, or a country or organisation
    with a PLOVER sector (RUSGOV, NATOMIL)."""
    lex = actor_lexicon.lexicon()
    if code in lex.iso or code in lex.orgs or code in groups.groups_file().groups:
        return True
    return any((code[:cut] in lex.iso or code[:cut] in lex.orgs) and code[cut:] in _sectors() for cut in (3, 4, 5))


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """lower-case name or code → how a suggestion shows it ("Russia (RUS)")."""
    lex = actor_lexicon.lexicon()
    out: dict[str, str] = {}
    for e in lex.entries:
        if e.kind in ("country", "igo", "ngo", "group", "body", "demonym"):
            out.setdefault(e.key.lower(), f"{e.key} ({e.code}{e.sector or ''})")
    for code in (*lex.iso, *lex.orgs, *groups.groups_file().groups):
        out.setdefault(code.lower(), code)
    return out


def _store_codes(store: HasEngine, name: str) -> Counter[str]:
    """The country codes of the parties written with this name (or its singular/plural) in the store."""
    p = S.parties
    low = name.strip().lower()
    forms = {low, low.removeprefix("the "), low.removesuffix("s"), low + "s"}
    forms |= {f.removeprefix("the ") for f in list(forms)}
    conds = [sa.func.lower(p.c.text) == f for f in forms if f]
    conds += [sa.func.lower(p.c.text) == "the " + f for f in forms if f]
    conds += [sa.func.lower(p.c.name) == f for f in forms if f]
    q = sa.select(p.c.country, sa.func.count()).where(sa.or_(*conds)).group_by(p.c.country)
    with store.engine.connect() as conn:
        return Counter({str(c): int(n) for c, n in conn.execute(q) if c})


def _stored_code(store: HasEngine, code: str) -> bool:
    p = S.parties
    with store.engine.connect() as conn:
        q = sa.select(p.c.id).where(sa.or_(p.c.country == code, p.c.code == code)).limit(1)
        return conn.execute(q).first() is not None


def side(value: str, store: HasEngine | None = None) -> str:
    """The code a side stands for (see the module doc); raises UnknownName with suggestions."""
    text = " ".join(str(value).split())
    if not text:
        raise UnknownName("an actor is empty (give a code such as RUS or NATO, or a name such as Russia)")
    if len(text) > 80:
        raise UnknownName(f"not an actor: {text[:40]!r}… (too long)")
    if any(ord(ch) < 32 for ch in text):  # a NUL or another control character: no name has one (nor can PostgreSQL)
        raise UnknownName(f"not an actor: {text[:40]!r} (control characters)")
    up = text.upper()
    if groups.CODE.match(up) and (known_code(up) or (store is not None and _stored_code(store, up))):
        return up
    entry = actor_lexicon.lookup(text, fuzzy=False)
    if entry is not None and entry.kind != "person":
        return entry.code
    if store is not None:
        found = _store_codes(store, text)
        if len(found) == 1:
            return next(iter(found))
        if found:
            codes = ", ".join(f"{c} ({n} mentions)" for c, n in found.most_common(5))
            raise UnknownName(f"{text!r} has no code of its own; in this store it is coded as {codes}: give one")
    raise UnknownName(f"unknown actor {text[:40]!r} (a code such as RUS or NATO, or a name){_suggest(text, _names())}")


def dyad(value: str, store: HasEngine | None = None) -> str:
    """ "A:B" with each side read by :func:`side` ("Russia:Ukraine" → "RUS:UKR")."""
    text = str(value)
    parts = text.split(":") if ":" in text else text.split("-") if text.count("-") == 1 else [text]
    if len(parts) != 2:
        raise UnknownName(f"not a dyad: {text[:40]!r} (expected A:B, e.g. NATO:RUS or Russia:Ukraine)")
    return f"{side(parts[0], store)}:{side(parts[1], store)}"


_AGO = re.compile(r"^(\d{1,4}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(day|week|month|year)s?\s+ago$")
_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_WORDS.update({"eight": 8, "nine": 9, "ten": 10})
DATE_HELP = "YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, 'N days ago', 'last week'"


def _months_back(d: dt.date, n: int) -> dt.date:
    index = d.year * 12 + d.month - 1 - n
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(d.day, 28))


def when(value: str, today: dt.date | None = None) -> str:
    """An ISO date for a date filter (see the module doc); raises UnknownName for anything else."""
    text = " ".join(str(value).strip().lower().split())
    today = today or dt.date.today()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return dt.date.fromisoformat(text + "-01").isoformat()
        if re.fullmatch(r"\d{4}", text) and int(text) >= 1000:
            return f"{text}-01-01"
    except ValueError:
        pass
    else:
        if text in ("today", "now"):
            return today.isoformat()
        if text == "yesterday":
            return (today - dt.timedelta(days=1)).isoformat()
        m = _AGO.match(text)
        if m:
            n = int(m.group(1)) if m.group(1).isdigit() else _WORDS[m.group(1)]
            unit = m.group(2)
            if unit in ("day", "week"):
                return (today - dt.timedelta(days=n * (7 if unit == "week" else 1))).isoformat()
            return _months_back(today, n * (12 if unit == "year" else 1)).isoformat()
        if text == "last week":
            return (today - dt.timedelta(days=today.weekday() + 7)).isoformat()
        if text == "last month":
            return _months_back(today.replace(day=1), 1).replace(day=1).isoformat()
        if text == "last year":
            return f"{today.year - 1}-01-01"
    raise UnknownName(f"not a date: {str(value)[:40]!r} ({DATE_HELP})")
