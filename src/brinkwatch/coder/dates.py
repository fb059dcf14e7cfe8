"""Event dates anchored on the article's published date, each with its precision and where it came from.

``DateResolver(published).resolve_with_source(sent, trigger)`` gives an event, in this order:

1. **clause** — a time expression of the event's own clause (spaCy DATE/TIME entities plus the regexes of
   ``data/dates/patterns.yaml``): one modifying the trigger's clause, else one of a clause sharing its time
   (the verb an infinitive completes, the clause a "when" clause modifies, a conjunct without its own subject,
   the "according to …" phrase of the report). Never a date that modifies a noun phrase other than the
   trigger ("violated the 1997 treaty", "the 1956 crisis", "Western 2025"), nor one of another clause (an
   enclosing reporting clause, a relative, adverbial or complement clause);
2. **narrative** — the time the text sets: the date of its sentence's main clause ("In September 2015,
   Russia began air strikes and the US protested"); else, for a past-tense event, the date an
   earlier sentence set with a past-tense main clause (narrative past: "In September 2015,
   Russia began air strikes. The strikes hit …") until a present- or future-tense main clause returns the
   text to the time of the report (wire copy puts each sentence in a paragraph of its own: a blank line
   does not end the narrative);
3. **report** — the published date, precision ``report``; no published date → ``(None, "report")`` (only
   fully explicit dates with a year still resolve then).

An expression resolves against the published date:

* a day ("on Thursday", "yesterday", "September 19", "2025-09-19") → that date, precision ``day``;
  a bare weekday is the most recent such day on or before the published date ("last Thursday" is
  strictly before it);
* a week ("last week", "three weeks ago") → the **Monday** of that week, precision ``week``;
* a month ("last month", "earlier this month", "in January") → the **first day** of that month, precision
  ``month``; a bare month name is the most recent such month not after the published month;
* a year ("in 2024", "last year") → **1 January** of that year, precision ``year``;
* nothing usable → no date from this expression.

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

from brinkwatch.coder.syntax import TokenTable, misread_verb, token_table, tree_distance_i
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
    """Resolves the date of events in one article, anchored on its published date.

    Read the article's events in text order (extraction does): the narrative time a sentence sets carries to
    the past-tense events of the sentences after it."""

    def __init__(self, published: str | None) -> None:
        self.published = published
        self.base = parse_published(published)
        patterns()  # a malformed data file fails here, not as a silently missing date in resolve_text
        self._cache: dict[tuple[str, bool], tuple[str, str] | None] = {}
        self._sent_doc: Doc | None = None
        self._sent_key: tuple[int, int] | None = None
        self._sent_spans: list[tuple[int, int]] = []
        self._sent_roots: dict[tuple[int, int], int] = {}  # root token of each candidate of the sentence
        self._sent_nouns: dict[tuple[int, int], tuple[tuple[int, bool], ...]] = {}  # nouns it hangs from
        # the narrative: the document's sentences, how far they have been read, the time carried forward
        self._doc: Doc | None = None
        self._sents: list[Span] = []
        self._starts: list[int] = []
        self._read = 0  # sentences [0, _read) have moved the carried narrative time
        self._carry: tuple[str, str] | None = None
        self._root_times: dict[int, tuple[tuple[str, str] | None, str | None]] = {}

    def resolve(self, sent: Span, trigger: Token) -> tuple[str | None, str]:
        """(ISO date, precision day|week|month|year|report)."""
        date, precision, _ = self.resolve_with_source(sent, trigger)
        return date, precision

    def resolve_with_source(self, sent: Span, trigger: Token) -> tuple[str | None, str, str]:
        """(ISO date, precision, source): source ``clause`` (a time expression of the event's own clause),
        ``narrative`` (the time the sentence's main clause, or for a past-tense event an earlier sentence, sets)
        or ``report`` (the published date)."""
        for cand in self.candidates(sent, trigger):  # read forward or back as the clause it modifies speaks
            found = self.resolve_text(cand.text, ahead=_looks_ahead(cand.root))
            if found is not None:
                return found[0], found[1], "clause"
        found = self.narrative(sent, trigger)
        if found is not None:
            return found[0], found[1], "narrative"
        return (self.base.isoformat() if self.base else None, "report", "report")

    def after_report(self, date: str | None) -> bool:
        """Does a resolved date (the first day of its day, week, month or year) fall after the published day?"""
        if date is None or self.base is None:
            return False
        try:
            return dt.date.fromisoformat(date) > self.base
        except ValueError:
            return False

    # ------------------------------------------------------------------ the event's own clause
    def candidates(self, sent: Span, trigger: Token) -> list[Span]:
        """Time expressions of the event's own clause, closest first: those modifying the trigger's clause,
        then those of a clause sharing its time (the verb an infinitive completes, the clause a "when" clause
        modifies, a conjunct without a subject of its own, the "according to" phrase of the report). Never one
        that modifies a noun phrase other than the trigger ("the 1997 treaty", "the crisis of 1956") or that
        lies inside another event's clause."""
        doc = sent.doc
        key = (sent.start, sent.end)
        if self._sent_doc is not doc or self._sent_key != key:  # once per sentence, not per trigger
            self._sent_doc, self._sent_key = doc, key
            self._sent_spans = sorted(_sentence_candidates(sent))
            self._sent_roots = {}
            self._sent_nouns = {}
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
        above = _same_time_ancestors(table, own)
        ranked: list[tuple[tuple[int, int, int, int], tuple[int, int]]] = []
        for ab in nearest:
            root = roots.get(ab)
            if root is None:
                root = roots[ab] = doc[ab[0] : ab[1]].root.i
            nouns = self._sent_nouns.get(ab)
            if nouns is None:
                nouns = self._sent_nouns[ab] = _nouns_above(table, root)
            if any(not ok and n != ti for n, ok in nouns):
                continue  # it dates a noun phrase ("the 1997 treaty"), not this event
            rank = _attachment(table, root, own, above)
            if rank is not None:
                a, b = ab
                ranked.append(((rank, tree_distance_i(table.heads, root, ti, _MAX_WALK), _gap(ab, ti), a - b), ab))
        ranked.sort(key=lambda r: r[0])
        return [doc[a:b] for _, (a, b) in ranked]

    # ------------------------------------------------------------------ the narrative time
    def narrative(self, sent: Span, trigger: Token) -> tuple[str, str] | None:
        """The time the text sets for an event without a date of its own: the time of its sentence's main
        clause ("In September 2015, Russia began air strikes and the US protested"), else — for a past-tense
        event — the time an earlier sentence set in the past tense and no present- or future-tense main clause
        has ended since ("In September 2015, Russia began air strikes. The strikes hit …")."""
        k = self._sentence_index(sent)
        if k is None:
            return None
        self._advance(k)
        here, _ = self._root_time(k)
        if here is not None:
            return here
        if self._carry is not None and _clause_tense(trigger) == "past":
            return self._carry
        return None

    def _sentence_index(self, sent: Span) -> int | None:
        doc = sent.doc
        if self._doc is not doc:
            self._doc = doc
            self._sents = list(doc.sents)
            self._starts = [s.start for s in self._sents]
            self._read, self._carry, self._root_times = 0, None, {}
        k = bisect.bisect_left(self._starts, sent.start)
        if k >= len(self._sents) or self._starts[k] != sent.start:
            return None
        if k < self._read:  # read out of order: start over (the carried time depends only on the text)
            self._read, self._carry = 0, None
        return k

    def _advance(self, k: int) -> None:
        """Move the carried narrative time over the sentences before sentence ``k``."""
        while self._read < k:
            j = self._read
            time, tense = self._root_time(j)
            if time is not None and tense == "past":
                self._carry = time
            elif tense in ("present", "future"):
                self._carry = None  # the text is back to the time of the report
            self._read += 1

    def _root_time(self, k: int) -> tuple[tuple[str, str] | None, str | None]:
        """(the date of sentence ``k``'s main clause, or None; the main clause's tense)."""
        hit = self._root_times.get(k)
        if hit is None:
            sent = self._sents[k]
            root = sent.root
            table = token_table(sent.doc)
            time = None
            if table.pos[root.i] in ("VERB", "AUX"):
                for cand in self.candidates(sent, root):
                    if _attachment(table, cand.root.i, _governor(table, root.i), {root.i}) != 0:
                        continue  # the main clause's own expressions only
                    time = self.resolve_text(cand.text)
                    if time is not None:
                        break
            hit = self._root_times[k] = (time, _clause_tense(root))
        return hit

    # ------------------------------------------------------------------ one expression
    def resolve_text(self, text: str, ahead: bool = False) -> tuple[str, str] | None:
        """Resolve one time expression; None when it is not a usable date. ``ahead``: the clause looks forward
        (future or simple present: "meets on Friday"), so a bare weekday or month is the next one, not the last."""
        key = " ".join(text.lower().split())
        memo = (key, ahead)
        if memo in self._cache:
            return self._cache[memo]
        result = None
        if 0 < len(key) <= MAX_CANDIDATE_CHARS:
            try:
                result = self._resolve(key, ahead)
            except (ValueError, OverflowError):  # a date out of range ("year 0" from a hostile anchor): no date
                result = None
        self._cache[memo] = result
        return result

    def _resolve(self, s: str, ahead: bool) -> tuple[str, str] | None:
        if self.base is None:  # explicit dates only, but dateparser may fill gaps from today: never memoized
            return _resolve_key(s, None, ahead)
        return _resolve_memo(s, self.base, ahead)


@functools.lru_cache(maxsize=4096)
def _resolve_memo(s: str, base: dt.date, ahead: bool) -> tuple[str, str] | None:
    """``_resolve_key`` remembered across articles (a pure function of the expression and the anchor date;
    bounded: workers run for hours)."""
    return _resolve_key(s, base, ahead)


def _resolve_key(s: str, base: dt.date | None, ahead: bool = False) -> tuple[str, str] | None:
    """Resolve a normalized (lower-case, single-spaced) time expression against ``base``; ``ahead``: a bare
    weekday or month name is the next one (from the anchor day on), not the last."""
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
        which = m.group(1) or ("coming" if ahead else None)
        return _fmt(_weekday(base, which, _WEEKDAYS.index(m.group(2))), "day")
    m = _RELATIVE.match(s)
    if m:
        return _relative(base, m.group(1), m.group(2))
    m = _MONTH_WORD.match(s)
    if m:
        month = _MONTHS[m.group(1)[:3]]
        if ahead:
            year = base.year if month >= base.month else base.year + 1
        else:
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
    """The weekday ``wd`` nearest ``base`` in the direction ``which`` says: last/past (before the anchor day),
    next (after it), coming (from the anchor day on), none or this (on or before it)."""
    delta = (base.weekday() - wd) % 7
    if which == "coming":
        return base + dt.timedelta(days=(wd - base.weekday()) % 7)
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


#: verbs whose infinitive complement happens when they do ("began to withdraw"; not "ordered him to appear")
_ASPECTUAL = frozenset(
    {"begin", "start", "continue", "resume", "stop", "cease", "finish", "keep", "try", "attempt", "manage", "fail"}
)
_SAME_TIME_MARKERS = frozenset({"when", "as", "while", "whilst", "once"})


def _same_time_ancestors(table: TokenTable, own: int) -> set[int]:
    """The clause of ``own`` and the clauses above it that share its time: the verb an infinitive completes
    ("began to withdraw"), the clause a "when"/"as"/"while" clause modifies ("denied last month, when Estonia
    accused …"). Not the verb of a reported clause ("said on Thursday that …"): a complement has its own time.
    """
    heads, deps, pos = table.heads, table.dep, table.pos
    out = {own}
    cur = own
    for _ in range(_MAX_WALK):
        head = heads[cur]
        if head == cur:
            break
        dep = deps[cur]
        if dep == "xcomp" or (dep == "advcl" and (_same_time_marker(table, cur) or _participle(table, cur))):
            cur = _governor(table, head)
            out.add(cur)
            continue
        if pos[cur] not in ("VERB", "AUX"):  # a nominal clause head: climb to its verb
            nxt = _governor(table, head)
            if nxt == cur:
                break
            cur = nxt
            out.add(cur)
            continue
        break
    return out


def _same_time_marker(table: TokenTable, i: int) -> bool:
    return any(table.lower[k] in _SAME_TIME_MARKERS for k in table.kids[i])


def _participle(table: TokenTable, i: int) -> bool:
    """A subjectless participle clause without a marker ("opened fire on Monday, killing two"): same time."""
    deps = table.dep
    if table.doc[i].tag_ != "VBG":
        return False
    return not any(deps[k] in ("nsubj", "nsubjpass", "mark", "aux") for k in table.kids[i])


_NOMINAL_LINKS = frozenset({"compound", "nummod", "amod", "poss", "nmod", "appos", "quantmod", "det", "case"})


def _nouns_above(table: TokenTable, root: int) -> tuple[tuple[int, bool], ...]:
    """The nouns a time expression (its root token) hangs from on its way up to its clause's verb, each with
    whether the link is still a time adverbial (a preposition other than "of", a bare noun phrase: "threatened
    NATO with retaliation on Monday", where the parser hangs the day on the noun) rather than part of the noun
    phrase: a year that describes a noun ("the 1997 treaty", "the 1956 crisis", "Western 2025", "the treaty
    of 1997") is that noun's, not the event's — unless the noun is the event's trigger ("Tuesday's attack"),
    which the caller decides."""
    heads, pos, deps, lower = table.heads, table.pos, table.dep, table.lower
    out: list[tuple[int, bool]] = []
    prev, cur = root, heads[root]
    for _ in range(_MAX_WALK):
        if cur == prev or pos[cur] in ("VERB", "AUX"):
            break
        if pos[cur] in ("NOUN", "PROPN", "PRON", "NUM", "X"):
            link = deps[prev]
            nominal = link in _NOMINAL_LINKS or (link == "prep" and lower[prev] == "of") or pos[prev] == "NUM"
            out.append((cur, not nominal))
        prev, cur = cur, heads[cur]
    return tuple(out)


def _attachment(table: TokenTable, root: int, own: int, above: set[int]) -> int | None:
    """How a time expression (its root token) relates to the trigger's clause; lower is closer, None
    excludes it.

    0: it modifies the trigger's own clause ("held a summit last week"); 1: a clause sharing its time
    (``above``: see :func:`_same_time_ancestors`; or the infinitive completing an aspectual trigger verb), or the
    "according to …" phrase of a clause above (the date of
    the report: "according to a source quoted by the FT on Thursday, NATO is considering …"); 2: a conjunct of
    the trigger's clause that has no subject of its own ("attacked and occupied the town on Monday"). A date of
    any other clause — an enclosing reporting clause, a relative, adverbial or complement clause — is that
    clause's event's, never the trigger's (the narrative time covers the rest: :meth:`DateResolver.narrative`).
    """
    gov = _governor(table, root)
    if gov == own:
        return 0
    if gov in above:
        return 1
    heads, lower, deps, kids = table.heads, table.lower, table.dep, table.kids
    path = _ancestors(table, gov)
    everything_above = _ancestors(table, own)
    for t in path:
        if lower[t] == "according" and heads[t] in everything_above:
            return 1
    if table.lemma[own] in _ASPECTUAL:  # the infinitive that completes it: "began to withdraw troops on Monday"
        cur = gov
        while deps[cur] == "xcomp" and heads[cur] != cur:
            cur = _governor(table, heads[cur])
            if cur == own:
                return 1
    for a, b in ((gov, own), (own, gov)):  # a subjectless conjunct shares its clause's time
        if deps[a] == "conj" and heads[a] == b and not any(deps[k] in ("nsubj", "nsubjpass") for k in kids[a]):
            return 2
    return None


def _looks_ahead(tok: Token) -> bool:
    """The clause of ``tok`` (a time expression's head) speaks of what is to come: a modal ("will meet on
    Friday", "would meet"), "going to", a simple or progressive present ("meets on Friday", "is meeting Monday":
    news style for what is scheduled), or an infinitive under one of those ("plans to meet on Friday"). A perfect
    ("has met", "could have met") or a past looks back; a noun reads its verb's clause."""
    cur = tok
    for _ in range(_MAX_WALK):
        if misread_verb(cur):
            return True  # "Putin and Trump meet on Friday", the verb read as a noun
        if cur.pos_ in ("VERB", "AUX"):
            if any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() == "have" for c in cur.children):
                return False  # a perfect: "has met on Monday"
            tense = _verb_tense(cur)  # a modal is future, "is meeting" / "meets" present, "met" past
            if tense is not None:
                return tense != "past"
            if cur.lower_ == "going" and any(c.dep_ == "xcomp" for c in cur.children):
                return True  # "going to meet", its auxiliary dropped
            if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in cur.children) and cur.dep_ not in ("xcomp", "conj"):
                return False  # a participle or bare form without a clause of its own to read
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _clause_tense(tok: Token) -> str | None:
    """past | present | future of the clause a token belongs to (its verb, or the verb above an infinitive,
    participle or noun); None when nothing says. Past: a past-tense verb or a past auxiliary ("had entered",
    "was shot"); future: a modal ("will", "would", "may"); present: a present verb or auxiliary ("has
    violated", "says")."""
    cur = tok
    for _ in range(_MAX_WALK):
        if cur.pos_ in ("VERB", "AUX"):
            tense = _verb_tense(cur)
            if tense is not None:
                return tense
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _verb_tense(verb: Token) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ == "MD" for a in auxes):
        return "future"
    if any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    return None


def _gap(bounds: tuple[int, int], i: int) -> int:
    start, end = bounds
    return 0 if start <= i < end else min(abs(start - i), abs(end - 1 - i))
