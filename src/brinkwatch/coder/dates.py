"""Event dates anchored on the article's published date.

``DateResolver(published).resolve(sent, trigger)`` finds the time expressions of a sentence (spaCy DATE/TIME
entities plus the regexes of ``data/dates/patterns.yaml``), prefers the one attached to the trigger's own
clause, then one of an enclosing clause (or its "according to" phrase), then a neighbouring clause — never
one inside another event's relative/adverbial/complement clause below the trigger — then the closest in the
tree and in the text, and resolves it against the published date:

* a day ("on Thursday", "yesterday", "September 19", "2025-09-19") → that date, precision ``day``;
  a bare weekday is the most recent such day on or before the published date ("last Thursday" is
  strictly before it);
* a week ("last week", "three weeks ago") → the **Monday** of that week, precision ``week``;
* a month ("last month", "earlier this month", "in January") → the **first day** of that month, precision
  ``month``; a bare month name is the most recent such month not after the published month;
* a year ("in 2024", "last year") → **1 January** of that year, precision ``year``;
* nothing usable → the published date with precision ``report``; no published date → ``(None, "report")``
  (only fully explicit dates with a year still resolve then).

dateparser runs offline, only on short candidate strings, with one cached parser per published date
(``PREFER_DATES_FROM="past"``, ``RELATIVE_BASE`` = the published date). A junk expression is no date, never
an error (dateparser's failures on junk are caught at its call); an error anywhere else is a bug and raises.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import heapq
import re
from typing import Any

from spacy.tokens import Doc, Span, Token

from brinkwatch.coder.syntax import TokenTable, token_table, tree_distance_i
from brinkwatch.lexicon.dates import patterns

MAX_CANDIDATES = 8  # nearest candidates (in the text) that are ranked by tree distance and tried
MAX_CANDIDATE_CHARS = 60  # longer "time expressions" are junk: never handed to dateparser
_MAX_WALK = 80  # bound on dependency-tree walks (degenerate parses of huge sentences)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_WORD = re.compile(
    r"^(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$"
)
_HAS_MONTH = re.compile(
    r"\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_YEAR = re.compile(r"^(19|20)\d\d$")
_HAS_YEAR = re.compile(r"\b(19|20)\d\d\b")
_ISO = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")
_RELATIVE = re.compile(r"^(last|this|next|past)\s+(week|month|year|weekend)$")
_WEEKDAY = re.compile(r"^(?:(last|this|next|past)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$")
_AGO = re.compile(r"\bago\b")
_PART_OF_DAY = re.compile(
    r"(?<=day)\s+(?:morning|afternoon|evening|night)$"  # weekdays and "yesterday" all end in "day"
)
_AMBIGUOUS_MONTHS = {"may", "march"}  # also a modal / a verb: only dates with a day, year or preposition


def parse_published(published: str | None) -> dt.date | None:
    """The date part of an ISO-8601 date/datetime string; None for anything else."""
    if not published or not isinstance(published, str):
        return None
    try:
        return dt.date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


@functools.lru_cache(maxsize=64)
def _parser(base: dt.date | None) -> Any:
    """One dateparser parser per published date (settings objects are expensive to build)."""
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    return DateDataParser(languages=["en"], settings=settings)


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _add_months(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + (d.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _fmt(d: dt.date, precision: str) -> tuple[str, str]:
    return (d.isoformat(), precision)


class DateResolver:
    """Resolves the date of events in one article, anchored on its published date."""

    def __init__(self, published: str | None) -> None:
        self.published = published
        self.base = parse_published(published)
        patterns()  # a malformed data file fails here, not as a silently missing date in resolve_text
        self._cache: dict[str, tuple[str, str] | None] = {}
        self._sent_doc: Doc | None = None
        self._sent_key: tuple[int, int] | None = None
        self._sent_spans: list[tuple[int, int]] = []
        self._sent_roots: dict[tuple[int, int], int] = {}  # root token of each candidate of the sentence

    def resolve(self, sent: Span, trigger: Token) -> tuple[str | None, str]:
        """(ISO date, precision day|week|month|year|report)."""
        for cand in self.candidates(sent, trigger):
            found = self.resolve_text(cand.text)
            if found is not None:
                return found
        return (self.base.isoformat() if self.base else None, "report")

    def candidates(self, sent: Span, trigger: Token) -> list[Span]:
        """Time expressions of the sentence, the one attached to the trigger first."""
        doc = sent.doc
        key = (sent.start, sent.end)
        if self._sent_doc is not doc or self._sent_key != key:  # once per sentence, not per trigger
            self._sent_doc, self._sent_key = doc, key
            self._sent_spans = sorted(_sentence_candidates(sent))
            self._sent_roots = {}
        # candidates are sorted by start: only a window around the trigger can hold the nearest ones
        ti = trigger.i
        pos = bisect.bisect_left(self._sent_spans, (ti, ti))
        window = self._sent_spans[max(0, pos - MAX_CANDIDATES) : pos + MAX_CANDIDATES]
        nearest = heapq.nsmallest(MAX_CANDIDATES, window, key=lambda ab: _gap(ab, ti))
        if not nearest:
            return []
        table = token_table(doc)
        roots = self._sent_roots
        own = _governor(table, ti)
        above = _ancestors(table, own)
        ranked: list[tuple[tuple[int, int, int, int], tuple[int, int]]] = []
        for ab in nearest:
            root = roots.get(ab)
            if root is None:
                root = roots[ab] = doc[ab[0] : ab[1]].root.i
            rank = _attachment(table, root, own, above)
            if rank is not None:
                a, b = ab
                ranked.append(((rank, tree_distance_i(table.heads, root, ti, _MAX_WALK), _gap(ab, ti), a - b), ab))
        ranked.sort(key=lambda r: r[0])
        return [doc[a:b] for _, (a, b) in ranked]

    def resolve_text(self, text: str) -> tuple[str, str] | None:
        """Resolve one time expression; None when it is not a usable date."""
        key = " ".join(text.lower().split())
        if key in self._cache:
            return self._cache[key]
        result = None
        if 0 < len(key) <= MAX_CANDIDATE_CHARS:
            try:
                result = self._resolve(key)
            except (ValueError, OverflowError):  # a date out of range ("year 0" from a hostile anchor): no date
                result = None
        self._cache[key] = result
        return result

    def _resolve(self, s: str) -> tuple[str, str] | None:
        if self.base is None:  # explicit dates only, but dateparser may fill gaps from today: never memoized
            return _resolve_key(s, None)
        return _resolve_memo(s, self.base)


@functools.lru_cache(maxsize=4096)
def _resolve_memo(s: str, base: dt.date) -> tuple[str, str] | None:
    """``_resolve_key`` remembered across articles (a pure function of the expression and the anchor date;
    bounded: workers run for hours)."""
    return _resolve_key(s, base)


def _resolve_key(s: str, base: dt.date | None) -> tuple[str, str] | None:
    """Resolve a normalized (lower-case, single-spaced) time expression against ``base``."""
    pat = patterns()
    s = s.strip(" ,.;:()[]\"'“”‘’")
    s = _strip_words(s, pat.strip_prefixes)
    s = s.replace("mid-", "mid ")
    s = _strip_words(s, pat.fuzzy_modifiers)
    s = _strip_words(s, pat.strip_prefixes)
    s = _PART_OF_DAY.sub("", s).strip()  # "Thursday night" → "Thursday"; "this morning" stays
    if not s or s in pat.not_dates:
        return None
    if base is None:  # no anchor: only explicit dates with a year
        if _ISO.search(s) or (_HAS_YEAR.search(s) and _HAS_MONTH.search(s)):
            return _dateparser(s, base)
        return None
    if s in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return _fmt(base, "day")
    if s in ("yesterday", "last night"):
        return _fmt(base - dt.timedelta(days=1), "day")
    if s == "day before yesterday":
        return _fmt(base - dt.timedelta(days=2), "day")
    m = _WEEKDAY.match(s)
    if m:
        return _fmt(_weekday(base, m.group(1), _WEEKDAYS.index(m.group(2))), "day")
    m = _RELATIVE.match(s)
    if m:
        return _relative(base, m.group(1), m.group(2))
    m = _MONTH_WORD.match(s)
    if m:
        month = _MONTHS[m.group(1)[:3]]
        year = base.year if month <= base.month else base.year - 1
        return _fmt(dt.date(year, month, 1), "month")
    if _YEAR.match(s):
        return _fmt(dt.date(int(s), 1, 1), "year")
    if _ISO.search(s) or _HAS_MONTH.search(s) or _AGO.search(s):
        return _dateparser(s, base)
    return None  # durations ("two years"), vague words: no date


def _dateparser(s: str, base: dt.date | None) -> tuple[str, str] | None:
    try:
        data = _parser(base).get_date_data(s)
    except (ValueError, OverflowError, TypeError, AttributeError, KeyError, IndexError, RecursionError):
        return None  # dateparser's failures on a junk expression: no date
    when = getattr(data, "date_obj", None)
    if when is None:
        return None
    day = when.date()
    period = getattr(data, "period", None) or "day"
    if period == "week":
        return _fmt(_monday(day), "week")
    if period == "month":
        return _fmt(day.replace(day=1), "month")
    if period == "year":
        return _fmt(day.replace(month=1, day=1), "year")
    return _fmt(day, "day")


_last_doc_ents: tuple[Any, list[tuple[int, int]]] = (None, [])  # doc.ents is costly to rebuild per call


def _time_ents(doc: Doc) -> list[tuple[int, int]]:
    """DATE/TIME entity bounds of the document, remembered for the last document (one atomic swap)."""
    global _last_doc_ents
    last = _last_doc_ents
    if last[0] is doc:
        return last[1]
    ents = [(e.start, e.end) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    _last_doc_ents = (doc, ents)
    return ents


def _sentence_candidates(sent: Span) -> list[tuple[int, int]]:
    """Token bounds of the sentence's time expressions: DATE/TIME entities and the data regexes."""
    doc = sent.doc
    found: dict[tuple[int, int], None] = {}
    for start, end in _time_ents(doc):
        if sent.start <= start and end <= sent.end:
            found[(start, end)] = None
    base = sent.start_char
    for a, b in _regex_matches(token_table(doc).text[base : sent.end_char]):
        span = doc.char_span(base + a, base + b, alignment_mode="expand")
        if span is not None and len(span):
            found.setdefault((span.start, span.end), None)
    return list(found)


@functools.lru_cache(maxsize=2048)
def _regex_matches(text: str) -> tuple[tuple[int, int], ...]:
    """Character bounds of the data regexes' matches in a sentence's text, in pattern order (a pure function
    of the text, remembered for repeated sentences: wire copies, boilerplate; bounded)."""
    out: list[tuple[int, int]] = []
    for rx in patterns().candidates:
        for m in rx.finditer(text):
            if m.group(0).strip().lower().rstrip(".") in _AMBIGUOUS_MONTHS:
                continue
            out.append((m.start(), m.end()))
    return tuple(out)


def _strip_words(s: str, words: tuple[str, ...]) -> str:
    changed = True
    while changed and s:
        changed = False
        for w in words:
            if s == w:
                return ""
            if s.startswith(w + " "):
                s = s[len(w) + 1 :].lstrip()
                changed = True
    return s


def _weekday(base: dt.date, which: str | None, wd: int) -> dt.date:
    delta = (base.weekday() - wd) % 7
    if which == "next":
        return base + dt.timedelta(days=(wd - base.weekday()) % 7 or 7)
    if which in ("last", "past") and delta == 0:
        delta = 7
    return base - dt.timedelta(days=delta)


def _relative(base: dt.date, which: str, unit: str) -> tuple[str, str]:
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
    if unit == "week":
        return _fmt(_monday(base) + dt.timedelta(weeks=step), "week")
    if unit == "weekend":  # the Saturday of that weekend, precision day
        sat = base - dt.timedelta(days=(base.weekday() - 5) % 7)  # latest Saturday not after base
        if step < 0 and base.weekday() >= 5:
            sat -= dt.timedelta(weeks=1)
        elif step > 0:
            sat += dt.timedelta(weeks=1)
        return _fmt(sat, "day")
    if unit == "month":
        return _fmt(_add_months(base.replace(day=1), step), "month")
    return _fmt(dt.date(base.year + step, 1, 1), "year")


def _governor(table: TokenTable, i: int) -> int:
    """The clause a token belongs to: its nearest verb ancestor (the token itself for verbs), else the root."""
    heads, tags = table.heads, table.pos
    cur = i
    for _ in range(_MAX_WALK):
        if tags[cur] in ("VERB", "AUX"):
            return cur
        if heads[cur] == cur:
            return cur
        cur = heads[cur]
    return cur


def _ancestors(table: TokenTable, i: int) -> set[int]:
    heads = table.heads
    out: set[int] = set()
    cur = i
    for _ in range(_MAX_WALK):
        out.add(cur)
        if heads[cur] == cur:
            break
        cur = heads[cur]
    return out


def _attachment(table: TokenTable, root: int, own: int, above: set[int]) -> int | None:
    """How a time expression (its root token) relates to the trigger's clause; lower is closer, None
    excludes it.

    0: it modifies the trigger's own clause ("held a summit last week"); 1: it modifies a clause that
    contains the trigger, or the "according to …" phrase of one (the date of the report: "according to a
    source quoted by the FT on Thursday, NATO is considering …"); 2: a neighbouring clause (conjuncts,
    infinitives). A date inside another event's relative/adverbial/complement clause below the trigger
    ("claimed that Russia violated …, which Moscow denied last month") is that event's, never the trigger's.
    """
    gov = _governor(table, root)
    if gov == own:
        return 0
    if gov in above:
        return 1
    heads, lower, deps = table.heads, table.lower, table.dep
    path = _ancestors(table, gov)
    for t in path:
        if lower[t] == "according" and heads[t] in above:
            return 1
    if own in path:  # below the trigger: only through non-clausal links
        cur = gov
        for _ in range(_MAX_WALK):
            if cur == own:
                return 2
            if deps[cur] in _OTHER_CLAUSES:
                return None
            cur = heads[cur]
        return None
    return 2


_OTHER_CLAUSES = frozenset({"relcl", "advcl", "ccomp", "parataxis", "acl", "csubj", "pcomp"})


def _gap(bounds: tuple[int, int], i: int) -> int:
    start, end = bounds
    return 0 if start <= i < end else min(abs(start - i), abs(end - 1 - i))
