"""Incidents: the reports of one happening merged into one.

``refresh(store)`` assigns every event without an incident to a new or existing incident. Two events are
one happening when all of these hold:

* compatible event types (the same type, or a family such as ASSAULT/COERCE),
* the same main actor country, and the same main recipient country — or no recipient on one side (a report
  that leaves it out, "drones entered the airspace", joins one that names it),
* dates within a window (±3 days; ±7 for week precision, ±31 for month/year precision),
* no conflicting place (both located in different countries never merge),
* similar sentences: a text similarity (rapidfuzz ``token_set_ratio`` blended with the Jaccard overlap of
  lightly stemmed content words) of at least ``MERGE_SIM``, or ``MERGE_SIM_SAME_PLACE`` when both are dated
  to the same day at day precision and located at the same named place.

An incident is a connected component of that relation (single linkage): a report that matches two
incidents joins them into one, the older keeping its id and key. So the incidents depend only on the
events stored — not on the order reports arrived in, nor on how often ``refresh`` ran while they did (ingest
refreshes every few hundred events; a resumed ingest ends with the same incidents as a clean one).

Duplicate articles (``articles.duplicate_of``) carry no events of their own; they count as further reports of
every incident of the article they copy. ``refresh`` is idempotent and incremental: it reads only events with
``incident_id`` NULL (and duplicates ingested since the last run), and keeps ``dyad_daily`` — the per-day,
per-dyad, per-type aggregate of incidents that dyad and escalation queries read — in step.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from brinkwatch.analyze.dyads import ensure_weekly, rebuild_weekly
from brinkwatch.core.ontology import CLAIMED_STATUSES, INCIDENT_STATUS_RANK, RHETORIC_STATUSES
from brinkwatch.store import schema as S
from brinkwatch.store.db import chunks
from brinkwatch.store.reads import incident_detail, list_incidents  # the read side, re-exported
from brinkwatch.store.writer import Store

TYPE_FAMILY: dict[str, str] = {"COERCE": "ASSAULT"}  # an incursion is coded either way by different reports
WINDOW_DAYS: dict[str, int] = {"day": 3, "report": 3, "week": 7, "month": 31, "year": 31}
WIDE_PRECISIONS = frozenset(p for p, days in WINDOW_DAYS.items() if days > 3)  # members reached from afar
MERGE_SIM = 0.4
MERGE_SIM_SAME_PLACE = 0.3
CHUNK = 5000
_EXTRA_STOP = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "according",
        "reported",
        "reports",
        "report",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "week",
        "month",
        "ministry",
        "official",
        "officials",
        "spokesman",
        "spokeswoman",
        "statement",
    ]
)
_WORD = re.compile(r"[a-z0-9][a-z0-9\-]*")


def series_of(event_type: str, status: str | None) -> str | None:
    """Which dyad series an incident counts in: factual, rhetoric (measures not taken, threats) or claimed."""
    status = status or "asserted"
    if status in ("negated", "denied") and event_type == "THREATEN":
        return None
    if event_type == "THREATEN" or status in RHETORIC_STATUSES:
        return "rhetoric"
    if status == "asserted":
        return "factual"
    if status in CLAIMED_STATUSES:
        return "claimed"
    return None


def _stem(w: str) -> str:
    if w.endswith("ian") and len(w) > 5:
        w = w[:-1]  # estonian → estonia, russian → russia
    for suf in ("ation", "ion", "ing", "ed", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


@lru_cache(maxsize=65536)
def content_tokens(text: str) -> frozenset[str]:
    """Lower-cased, lightly stemmed content words of a sentence (stop words and reporting verbs dropped)."""
    out = set()
    for w in _WORD.findall(text.lower()):
        if w in STOP_WORDS or w in _EXTRA_STOP or len(w) < 2:
            continue
        out.add(_stem(w))
    return frozenset(out)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """0 … 1: the mean of rapidfuzz token_set_ratio and the Jaccard overlap of two content-word sets."""
    if not a or not b:
        return 0.0
    jacc = len(a & b) / len(a | b)
    tsr = fuzz.token_set_ratio(" ".join(sorted(a)), " ".join(sorted(b))) / 100.0
    return (jacc + tsr) / 2


def _to_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass(slots=True)
class _Ev:
    pk: int
    block: tuple[str, str | None]
    recipient: str | None
    day: dt.date | None
    precision: str
    place: str | None
    loc_country: str | None
    tokens: frozenset[str]
    incident_id: int | None = None


@dataclass(slots=True, eq=False)
class _Cluster:
    incident_id: int | None
    members: list[_Ev] = field(default_factory=list)
    absorbed: list[int] = field(default_factory=list)  # stored incidents merged into this one
    into: _Cluster | None = None  # the cluster this one was merged into

    def root(self) -> _Cluster:
        cl = self
        while cl.into is not None:
            cl = cl.into
        return cl

    def rank(self) -> tuple[int, int]:
        """Which of two clusters survives their merge: the older stored incident (incident ids grow with
        their first event's id), else the one whose first event came first."""
        if self.incident_id is not None:
            return (0, self.incident_id)
        return (1, self.members[0].pk)


def _window(a: _Ev, b: _Ev) -> int:
    return max(WINDOW_DAYS.get(a.precision, 3), WINDOW_DAYS.get(b.precision, 3))


def same_happening(a: _Ev, b: _Ev) -> bool:
    """The merge rule (both events already share type family and actor)."""
    if a.recipient and b.recipient and a.recipient != b.recipient:
        return False
    if a.day is None or b.day is None:
        if a.day is not b.day:
            return False
        gap = 0
    else:
        gap = abs((a.day - b.day).days)
        if gap > _window(a, b):
            return False
    if a.loc_country and b.loc_country and a.loc_country != b.loc_country:
        return False
    sim = similarity(a.tokens, b.tokens)
    if sim >= MERGE_SIM:
        return True
    same_day = gap == 0 and a.precision == b.precision == "day"
    return same_day and sim >= MERGE_SIM_SAME_PLACE and a.place is not None and a.place == b.place


def _event_query() -> sa.Select[Any]:
    e, a, s = S.events, S.articles, S.sentences
    return (
        sa.select(
            e.c.id,
            e.c.event_type,
            e.c.actor,
            e.c.recipient,
            e.c.date,
            e.c.date_precision,
            sa.func.coalesce(
                sa.func.nullif(e.c.location["name"].as_string(), ""), e.c.location["text"].as_string()
            ).label("place"),
            e.c.loc_country,
            e.c.incident_id,
            a.c.published,
            s.c.text.label("sentence"),
        )
        .join(a, a.c.id == e.c.article_id)
        .join(s, s.c.id == e.c.sentence_id)
    )


def _to_ev(r: Any) -> _Ev:
    place = r.place  # the location's name (else its text), read from the JSON by the database
    return _Ev(
        pk=int(r.id),
        block=(TYPE_FAMILY.get(r.event_type, r.event_type), r.actor),
        recipient=r.recipient,
        day=_to_day(r.date) or _to_day(r.published),
        precision=r.date_precision or "report",
        place=str(place).lower() if place else None,
        loc_country=r.loc_country,
        tokens=content_tokens(r.sentence or ""),
        incident_id=int(r.incident_id) if r.incident_id is not None else None,
    )


def _family_types(family: str) -> list[str]:
    return sorted({family} | {t for t, f in TYPE_FAMILY.items() if f == family})


@lru_cache(maxsize=16)
def _candidate_stmt(has_actor: bool, dated: bool, undated: bool, by_recipient: bool) -> sa.Select[Any]:
    """The candidate query of one block, by shape (compiled once and cached; the values are bound)."""
    e, a = S.events, S.articles
    types: Any = sa.bindparam("types", expanding=True)
    q = _event_query().where(e.c.incident_id.is_not(None), e.c.event_type.in_(types))
    q = q.where(e.c.actor == sa.bindparam("actor") if has_actor else e.c.actor.is_(None))
    if dated:
        # every member within the widest window of the block's new events (nlo…nhi), and members with a
        # wide window of their own (week, month, year precision) within the widest window of all (lo…hi)
        nlo: Any = sa.bindparam("nlo")
        nhi: Any = sa.bindparam("nhi")
        lo: Any = sa.bindparam("lo")
        hi: Any = sa.bindparam("hi")
        wide = e.c.date_precision.in_(sorted(WIDE_PRECISIONS))
        when = [
            e.c.date.between(nlo, nhi),
            sa.and_(e.c.date.is_(None), a.c.published.between(nlo, nhi)),
            sa.and_(wide, e.c.date.between(lo, hi)),
            sa.and_(wide, e.c.date.is_(None), a.c.published.between(lo, hi)),
        ]
        if undated:  # undated events match undated ones only
            when.append(sa.and_(e.c.date.is_(None), a.c.published.is_(None)))
        q = q.where(sa.or_(*when))
    if by_recipient:
        recipients: Any = sa.bindparam("recipients", expanding=True)
        q = q.where(sa.or_(e.c.recipient.in_(recipients), e.c.recipient.is_(None), e.c.recipient == ""))
    return q


def _candidates(conn: sa.Connection, new: list[_Ev]) -> list[_Ev]:
    """Events already in an incident that a new event could join: per block (type family, actor), those dated
    within the widest merge window of the block's new events, with a compatible recipient — indexed lookups on
    events(actor, event_type, date), never a scan of the dyad's whole history."""
    span = max(WINDOW_DAYS.values())
    dated = any(x.day is not None for x in new)  # undated new events then match nothing already stored
    blocks: dict[tuple[str, str | None], list[_Ev]] = defaultdict(list)
    for ev in new:
        blocks[ev.block].append(ev)
    out: list[_Ev] = []
    for (family, actor), evs in sorted(blocks.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        params: dict[str, Any] = {"types": _family_types(family)}
        if actor:
            params["actor"] = actor
        if dated:
            days = [x.day for x in evs if x.day is not None] or [x.day for x in new if x.day is not None]
            near = max(WINDOW_DAYS.get(x.precision, 3) for x in evs)
            params["nlo"] = (min(days) - dt.timedelta(days=near)).isoformat()
            params["nhi"] = (max(days) + dt.timedelta(days=near)).isoformat()
            params["lo"] = (min(days) - dt.timedelta(days=span)).isoformat()
            params["hi"] = (max(days) + dt.timedelta(days=span)).isoformat()
        by_recipient = all(x.recipient for x in evs)
        if by_recipient:
            params["recipients"] = sorted({str(x.recipient) for x in evs})
        undated = dated and any(x.day is None for x in evs)
        q = _candidate_stmt(bool(actor), dated, undated, by_recipient)
        out += [ev for ev in map(_to_ev, conn.execute(q, params)) if ev.block == (family, actor)]
    return sorted(out, key=lambda ev: ev.pk)  # a stable order, whatever plan the database chose


_Entry = tuple[int, _Ev, "_Cluster"]


class _Index:
    """Members by (block, day): all of them, by recipient, and the wide-window ones (week, month or year
    precision), each list in the order members were added — so a lookup visits, in that order, only members
    that can pass the recipient and date tests of :func:`same_happening`."""

    def __init__(self) -> None:
        self.seq = 0
        self.all: dict[tuple[Any, dt.date | None], list[_Entry]] = defaultdict(list)
        self.by_recipient: dict[tuple[Any, dt.date | None, str | None], list[_Entry]] = defaultdict(list)
        self.wide: dict[tuple[Any, dt.date | None], list[_Entry]] = defaultdict(list)
        self.days: dict[Any, list[dt.date]] = defaultdict(list)  # per block, the days members have (sorted)

    def add(self, ev: _Ev, cl: _Cluster) -> None:
        self.seq += 1
        entry = (self.seq, ev, cl)
        if ev.day is not None and (ev.block, ev.day) not in self.all:
            bisect.insort(self.days[ev.block], ev.day)
        self.all[(ev.block, ev.day)].append(entry)
        self.by_recipient[(ev.block, ev.day, ev.recipient or None)].append(entry)
        if ev.precision in WIDE_PRECISIONS:
            self.wide[(ev.block, ev.day)].append(entry)

    def days_near(self, ev: _Ev, span: int) -> list[tuple[dt.date | None, bool]]:
        """The days within ``span`` of ``ev``'s that have members of its block (in date order), each with
        whether it lies inside ``ev``'s own window; undated events look at undated members only."""
        if ev.day is None:
            return [(None, True)]
        days = self.days.get(ev.block, [])
        lo = bisect.bisect_left(days, ev.day - dt.timedelta(days=span))
        hi = bisect.bisect_right(days, ev.day + dt.timedelta(days=span))
        own = WINDOW_DAYS.get(ev.precision, 3)
        return [(d, abs((d - ev.day).days) <= own) for d in days[lo:hi]]

    def near(self, ev: _Ev, day: dt.date | None, within: bool) -> Iterable[_Entry]:
        """Members dated ``day`` that could be ``ev``'s happening; ``within`` is false when the day lies outside
        ``ev``'s own window (then only wide-window members can reach it)."""
        if not within:
            return self.wide.get((ev.block, day), ())
        if not ev.recipient:
            return self.all.get((ev.block, day), ())
        same = self.by_recipient.get((ev.block, day, ev.recipient), [])
        unnamed = self.by_recipient.get((ev.block, day, None), [])
        if not same or not unnamed:
            return same or unnamed
        return heapq.merge(same, unnamed, key=lambda t: t[0])


def _assign(new: list[_Ev], old: list[_Ev]) -> list[_Cluster]:
    """Cluster the new events with each other and with stored incidents: single linkage over the
    :func:`same_happening` relation. A new event joins every cluster it matches a member of; clusters it
    bridges become one (the older survives, see :meth:`_Cluster.rank`). The partition is the connected
    components of that relation, so it depends only on the events — not on their order, nor on how ingest
    cut them into rounds or refreshes (a resumed ingest equals a clean one).

    Returns the surviving clusters that are new or gained members; ``absorbed`` lists the stored incidents
    each one swallowed. Members are indexed by (block, day), so an event is compared only with events in its
    date window, and not with further members of a cluster it already matched.
    """
    index = _Index()
    by_incident: dict[int, _Cluster] = {}
    for ev in old:
        assert ev.incident_id is not None
        cl = by_incident.get(ev.incident_id)
        if cl is None:
            cl = by_incident[ev.incident_id] = _Cluster(ev.incident_id)
        cl.members.append(ev)
        index.add(ev, cl)
    span = max(WINDOW_DAYS.values())
    touched: list[_Cluster] = []
    for ev in sorted(new, key=lambda x: x.pk):
        matched: list[_Cluster] = []
        for day, within in index.days_near(ev, span):
            for _seq, m, cl in index.near(ev, day, within):
                root = cl.root()
                if not any(root is x for x in matched) and same_happening(ev, m):
                    matched.append(root)
        if not matched:
            target = _Cluster(None)
        else:
            target = min(matched, key=_Cluster.rank)
            for other in matched:
                if other is not target:
                    other.into = target
                    target.members += other.members
                    target.absorbed += other.absorbed
                    if other.incident_id is not None:
                        target.absorbed.append(other.incident_id)
        target.members.append(ev)
        index.add(ev, target)
        touched.append(target)
    survivors = {id(cl): cl for cl in touched if cl.into is None}  # in order of first touch
    return list(survivors.values())


def _create_incidents(conn: sa.Connection, clusters: list[_Cluster]) -> None:
    """Insert one incident per new cluster (in order; keyed by its first event's event_id) and set their ids."""
    e, i = S.events, S.incidents
    first_pks = [cl.members[0].pk for cl in clusters]
    event_ids: dict[int, str] = {}
    for chunk in chunks(first_pks):
        event_ids.update(
            (int(pk), str(eid)) for pk, eid in conn.execute(sa.select(e.c.id, e.c.event_id).where(e.c.id.in_(chunk)))
        )
    rows: list[dict[str, Any]] = [
        {
            "key": event_ids[cl.members[0].pk],
            "event_type": cl.members[0].block[0],
            "actor": cl.members[0].block[1],
            "recipient": cl.members[0].recipient,
        }
        for cl in clusters
    ]
    ids: dict[str, int] = {}
    for part in chunks(rows):
        res = conn.execute(i.insert().returning(i.c.key, i.c.id, sort_by_parameter_order=True), list(part))
        ids.update((str(k), int(v)) for k, v in res)
    for cl, row in zip(clusters, rows, strict=True):
        cl.incident_id = ids[str(row["key"])]


def _merge_stored(conn: sa.Connection, clusters: list[_Cluster]) -> None:
    """Move the events of the stored incidents a cluster absorbed to its incident; drop the absorbed ones."""
    e, i = S.events, S.incidents
    for cl in clusters:
        for chunk in chunks(sorted(set(cl.absorbed))):
            conn.execute(e.update().where(e.c.incident_id.in_(chunk)).values(incident_id=cl.incident_id))
            conn.execute(i.delete().where(i.c.id.in_(chunk)))


def _dyad_keys(conn: sa.Connection, incident_ids: Iterable[int]) -> set[tuple[str, str, str]]:
    i = S.incidents
    keys: set[tuple[str, str, str]] = set()
    for chunk in chunks(sorted(set(incident_ids))):
        for d, a, r in conn.execute(sa.select(i.c.date, i.c.actor, i.c.recipient).where(i.c.id.in_(chunk))):
            if d and a and r:
                keys.add((d, a, r))
    return keys


def _recompute_incidents(conn: sa.Connection, incident_ids: Sequence[int]) -> None:
    """Recompute every stored column of these incidents from their events, reports and duplicates."""
    e, a = S.events, S.articles
    for chunk in chunks(sorted(set(incident_ids))):
        rows = conn.execute(
            sa.select(
                e.c.incident_id,
                e.c.event_id,
                e.c.event_type,
                e.c.recipient,
                e.c.status,
                e.c.date,
                e.c.quad,
                e.c.score,
                e.c.article_id,
                a.c.published,
                a.c.source,
                S.sentences.c.text,
            )
            .join(a, a.c.id == e.c.article_id)
            .join(S.sentences, S.sentences.c.id == e.c.sentence_id)
            .where(e.c.incident_id.in_(chunk))
            .order_by(e.c.id)
        ).all()
        by_inc: dict[int, list[Any]] = defaultdict(list)
        art_ids: set[int] = set()
        for r in rows:
            by_inc[int(r.incident_id)].append(r)
            art_ids.add(int(r.article_id))
        arts: dict[int, tuple[str | None, str | None]] = {}
        dups: dict[int, list[int]] = defaultdict(list)
        for sub in chunks(sorted(art_ids)):
            for aid, dup_of, pub, src in conn.execute(
                sa.select(a.c.id, a.c.duplicate_of, a.c.published, a.c.source).where(
                    sa.or_(a.c.id.in_(sub), a.c.duplicate_of.in_(sub))
                )
            ):
                arts[int(aid)] = (pub, src)
                if dup_of is not None:
                    dups[int(dup_of)].append(int(aid))
        updates = []
        for iid, evs in by_inc.items():
            reports = {int(r.article_id) for r in evs}
            reports |= {d for aid in list(reports) for d in dups.get(aid, [])}
            pubs = [str(arts[x][0]) for x in reports if arts.get(x) and arts[x][0]]
            sources = {arts[x][1] or "(unknown outlet)" for x in reports if x in arts}
            best = min(evs, key=lambda r: (INCIDENT_STATUS_RANK.get(r.status, 9), r.published or "9999", r.event_id))
            asserted_days = [r.date or (r.published or "")[:10] for r in evs if r.status == "asserted"]
            all_days = [r.date or (r.published or "")[:10] for r in evs]
            days = [str(d) for d in (asserted_days or all_days) if d]
            named = Counter(r.recipient for r in evs if r.recipient)
            recipient = best.recipient or (named.most_common(1)[0][0] if named else None)
            updates.append(
                {
                    "_id": iid,
                    "event_type": best.event_type,
                    "recipient": recipient,
                    "status": best.status,
                    "date": min(days)[:10] if days else None,
                    "first_reported": min(pubs) if pubs else None,
                    "last_reported": max(pubs) if pubs else None,
                    "n_reports": len(reports),
                    "n_outlets": len(sources),
                    "score": float(best.score),
                    "quad": int(best.quad),
                    "summary": best.text,
                }
            )
        if updates:
            i = S.incidents
            conn.execute(
                i.update()
                .where(i.c.id == sa.bindparam("_id"))
                .values({k: sa.bindparam(k) for k in updates[0] if k != "_id"}),
                updates,
            )


@lru_cache(maxsize=1)
def _daily_stmts() -> tuple[Any, Any]:
    """Delete the dyad_daily rows of one (day, actor, recipient) key; select the incidents of one dyad on a
    list of days. Both compiled once (the lists are expanded at execution)."""
    dd, i = S.dyad_daily, S.incidents
    a: Any = sa.bindparam("a")
    r: Any = sa.bindparam("r")
    delete = dd.delete().where(dd.c.day == sa.bindparam("d"), dd.c.actor == a, dd.c.recipient == r)
    select = sa.select(i.c.date, i.c.actor, i.c.recipient, i.c.event_type, i.c.status, i.c.quad, i.c.score).where(
        i.c.actor == a, i.c.recipient == r, i.c.date.in_(sa.bindparam("days", expanding=True))
    )
    return delete, select


def _rebuild_dyad_daily(conn: sa.Connection, keys: set[tuple[str, str, str]]) -> None:
    """Recompute the dyad_daily rows of these (day, actor, recipient) keys from the incidents table (index
    look-ups per dyad on both tables)."""
    if not keys:
        return
    delete, select = _daily_stmts()
    conn.execute(delete, [{"d": d, "a": a, "r": r} for d, a, r in sorted(keys)])
    by_dyad: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d, a, r in sorted(keys):
        by_dyad[(a, r)].append(d)
    agg: dict[tuple[str, str, str, str, str], list[float]] = {}
    for (actor, recipient), days in by_dyad.items():
        for part in chunks(days):
            for d, act, rec, et, st, quad, score in conn.execute(select, {"a": actor, "r": recipient, "days": part}):
                series = series_of(et, st)
                if series is None:
                    continue
                cell = agg.setdefault((d, act, rec, et, series), [quad or 0, 0, 0.0])
                cell[1] += 1
                cell[2] += float(score or 0.0)
    rows = [
        {
            "day": k[0],
            "actor": k[1],
            "recipient": k[2],
            "event_type": k[3],
            "series": k[4],
            "quad": int(v[0]),
            "n": int(v[1]),
            "score_sum": v[2],
        }
        for k, v in agg.items()
    ]
    if rows:
        conn.execute(S.dyad_daily.insert(), rows)
    rebuild_weekly(conn, keys)


def _state(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(S.analytics_state.c.value).where(S.analytics_state.c.key == key)).scalar()


def _set_state(conn: sa.Connection, key: str, value: str) -> None:
    st = S.analytics_state
    if conn.execute(st.update().where(st.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(st.insert().values(key=key, value=value))


def _incidents_of_new_duplicates(conn: sa.Connection) -> set[int]:
    a, e = S.articles, S.events
    last = int(_state(conn, "dup_article_max") or 0)
    rows = conn.execute(sa.select(a.c.id, a.c.duplicate_of).where(a.c.id > last, a.c.duplicate_of.is_not(None))).all()
    top = conn.execute(sa.select(sa.func.max(a.c.id))).scalar()
    if top is not None:
        _set_state(conn, "dup_article_max", str(int(top)))
    originals = sorted({int(r.duplicate_of) for r in rows})
    out: set[int] = set()
    for chunk in chunks(originals):
        q = sa.select(e.c.incident_id).where(e.c.article_id.in_(chunk), e.c.incident_id.is_not(None)).distinct()
        out |= {int(x) for x in conn.execute(q).scalars()}
    return out


def _drop_orphans(conn: sa.Connection) -> set[tuple[str, str, str]]:
    """Delete incidents left without events (after ``ingest --force``); return their dyad keys."""
    i, e = S.incidents, S.events
    has_event = sa.select(e.c.id).where(e.c.incident_id == i.c.id).exists()
    rows = conn.execute(sa.select(i.c.id, i.c.date, i.c.actor, i.c.recipient).where(~has_event)).all()
    if not rows:
        return set()
    for chunk in chunks([int(r.id) for r in rows]):
        conn.execute(i.delete().where(i.c.id.in_(chunk)))
    return {(r.date, r.actor, r.recipient) for r in rows if r.date and r.actor and r.recipient}


ASSIGNED_KEY = "assigned_events"  # analytics_state: events with an incident after the last refresh


def assigned_events(conn: sa.Connection) -> int:
    """How many events have an incident (counted on the incident_id index)."""
    return int(conn.execute(sa.select(sa.func.count(S.events.c.incident_id))).scalar_one())


def refresh(store: Store) -> int:
    """Assign every event without an incident to one (new or existing); return incidents touched.

    Incidents can lose their events only when events are deleted (``ingest --force`` re-extracting an article),
    so the search for orphans runs only when fewer events have an incident than the last refresh left.
    """
    touched: set[int] = set()
    assigned = 0
    ensure_weekly(store)
    with store.engine.begin() as conn:
        before = assigned_events(conn)
        seen = _state(conn, ASSIGNED_KEY)
        keys = _drop_orphans(conn) if seen is None or before < int(seen) else set()
        dup_touched = _incidents_of_new_duplicates(conn)
        if dup_touched:
            _recompute_incidents(conn, sorted(dup_touched))
        touched |= dup_touched
        if keys:
            _rebuild_dyad_daily(conn, keys)
    last_pk = 0
    while True:
        with store.engine.begin() as conn:
            q = _event_query().where(S.events.c.incident_id.is_(None), S.events.c.id > last_pk)
            new = [_to_ev(r) for r in conn.execute(q.order_by(S.events.c.id).limit(CHUNK))]
            if not new:
                break
            last_pk = max(x.pk for x in new)
            clusters = _assign(new, _candidates(conn, new))
            old_ids = [c.incident_id for c in clusters if c.incident_id is not None]
            absorbed = [x for c in clusters for x in c.absorbed]
            keys = _dyad_keys(conn, old_ids + absorbed)
            _create_incidents(conn, [cl for cl in clusters if cl.incident_id is None])
            _merge_stored(conn, clusters)
            assignments = []
            for cl in clusters:
                assignments += [{"_pk": m.pk, "_iid": cl.incident_id} for m in cl.members if m.incident_id is None]
            conn.execute(
                S.events.update().where(S.events.c.id == sa.bindparam("_pk")).values(incident_id=sa.bindparam("_iid")),
                assignments,
            )
            assigned += len(assignments)
            ids = [c.incident_id for c in clusters if c.incident_id is not None]
            _recompute_incidents(conn, ids)
            keys |= _dyad_keys(conn, ids)
            _rebuild_dyad_daily(conn, keys)
            touched.update(ids)
    with store.engine.begin() as conn:
        _set_state(conn, ASSIGNED_KEY, str(before + assigned))
    return len(touched)


__all__ = ["incident_detail", "list_incidents", "refresh", "series_of"]
