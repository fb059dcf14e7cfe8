"""The pre-aggregated dyad tables and when an incident counts where.

``dyad_daily`` is the per-day, per-dyad, per-type aggregate of incidents that dyad and escalation queries read,
rebuilt for the (day, actor, recipient) keys an incident refresh touched; ``dyad_weekly`` sums its rows that
belong in a week (one row per directed pair and week, every measure a column), kept in step with it.

Time as analysts use it — each incident row carries:

* ``grain``: how finely its date is known. ``week`` for day, week and report precision (it has its week);
  ``month`` when only the month is known ("in September"), ``year`` when only the year is ("in 2018"). A
  weekly or daily series counts only ``week`` rows (a month-dated incident is not put on the 1st of the
  month); a monthly series counts ``week`` and ``month`` rows; ``year`` rows are counted apart, never spread;
* ``timing``: ``current``, or ``background`` when its date lies more than :data:`BACKGROUND_DAYS` before its
  first report (history: "the 1956 crisis", "in 2018 they took the town" in a 2024 article) or after it
  (plans, predictions). Background incidents stay in the record and in searches; series, escalation and
  alerts leave them out unless asked (``background=True``).

An incident's date (:func:`incident_when`) is the earliest date of its most finely dated reports among the
asserted ones (else among all): a report saying "on Tuesday" outranks one dated only by its publication, which
outranks "last month".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from brinkwatch.core.ontology import CLAIMED_STATUSES, PLOVER_TYPES, RHETORIC_STATUSES
from brinkwatch.store import schema as S
from brinkwatch.store.db import chunks
from brinkwatch.store.migrations import STALE_DAILY, STALE_WEEKLY

SERIES = ("factual", "rhetoric", "claimed")
BACKGROUND_DAYS = 30  # an incident dated more than this before (or after) its first report is background
#: the finest precision first: the date an incident takes
PRECISION_RANK = {"day": 0, "week": 1, "report": 2, "month": 3, "year": 4}
GRAINS = ("week", "month", "year")


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


def grain_of(precision: str | None) -> str:
    """week (day, week, report precision; or not known) | month | year."""
    return precision if precision in ("month", "year") else "week"


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def period_end(day: dt.date, precision: str | None) -> dt.date:
    """The last day a date of this precision may stand for (a month-dated event may be on the 30th)."""
    if precision == "week":
        return day + dt.timedelta(days=6)
    if precision == "month":
        nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    if precision == "year":
        return dt.date(day.year, 12, 31)
    return day


def timing_of(date: Any, precision: str | None, first_reported: Any) -> str:
    """current | background: whether the date falls within BACKGROUND_DAYS of the first report."""
    day, reported = _day(date), _day(first_reported)
    if day is None or reported is None:
        return "current"
    pad = dt.timedelta(days=BACKGROUND_DAYS)
    if period_end(day, precision) < reported - pad or day > reported + pad:
        return "background"
    return "current"


def incident_when(rows: Iterable[tuple[Any, Any, Any, Any]]) -> tuple[str | None, str | None]:
    """(date, precision) of an incident from its events' (date, precision, status, published): the earliest
    date of the most finely dated asserted events (else of all); an undated event counts at its report's
    publication date with precision ``report``."""
    dated: list[tuple[int, str, str, bool]] = []
    for date, precision, status, published in rows:
        day = str(date)[:10] if date else (str(published)[:10] if published else None)
        if not day:
            continue
        prec = str(precision) if date and precision else "report"
        dated.append((PRECISION_RANK.get(prec, 2), day, prec, status == "asserted"))
    pool = [d for d in dated if d[3]] or dated
    if not pool:
        return None, None
    best = min(d[0] for d in pool)
    day, prec = min((d[1], d[2]) for d in pool if d[0] == best)
    return day, prec


# --------------------------------------------------------------------------------------------- SQL helpers
class week_start(FunctionElement[str]):
    """SQL: the ISO date (text) of the Monday starting the week of an ISO date (text) column."""

    type = sa.Text()
    inherit_cache = True
    name = "week_start"


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: Any, **kw: Any) -> str:
    (arg,) = list(element.clauses)
    return str(compiler.process(sa.func.date(arg, sa.literal("-6 days"), sa.literal("weekday 1")), **kw))


@compiles(week_start, "postgresql")
def _week_start_pg(element: week_start, compiler: Any, **kw: Any) -> str:
    (arg,) = list(element.clauses)
    monday = sa.func.date_trunc(sa.literal("week"), sa.cast(arg, sa.Date))
    return str(compiler.process(sa.func.to_char(monday, sa.literal("YYYY-MM-DD")), **kw))


def month_start(col: Any) -> Any:
    """SQL: the ISO date (text) of the first day of the month of an ISO date (text) column."""
    return sa.func.substr(col, 1, 7) + sa.literal("-01")


def in_weeks(table: sa.Table, *, background: bool = False) -> Any:
    """The rows of a ``dyad_daily``-shaped table that belong in a week (and, unless ``background``, current)."""
    cond = table.c.grain == "week"
    return cond if background else sa.and_(cond, table.c.timing == "current")


def measures(series: Any, event_type: Any, quad: Any, n: Any, score_sum: Any, *, types: bool = True) -> dict[str, Any]:
    """The per-period measures as conditional sums over ``dyad_daily``-shaped columns (name → SQL expression):
    the dyad series columns, the escalation components and (``types``) the factual count of every PLOVER type.
    """
    fact, rhet, claimed = (series == x for x in SERIES)
    thr = event_type == "THREATEN"

    def total(cond: Any, col: Any = n) -> Any:
        return sa.func.sum(sa.case((cond, col), else_=0))

    out: dict[str, Any] = {
        "n": total(fact),
        **{f"quad{q}": total(sa.and_(fact, quad == q)) for q in (1, 2, 3, 4)},
        "score_sum": total(fact, score_sum),
        "rhetoric_n": total(rhet),
        "rhetoric_score": total(rhet, score_sum),
        "claimed_n": total(claimed),
        "material": total(sa.and_(fact, quad == 4)),
        "threats": total(sa.and_(rhet, thr)),
        "considered": total(sa.and_(rhet, ~thr, quad >= 3)),
        "claimed": total(sa.and_(claimed, quad == 4)),
        "verbal": total(sa.and_(fact, event_type.in_(["ACCUSE", "REJECT"]))),
    }
    if types:
        out.update({t: total(sa.and_(fact, event_type == t)) for t in PLOVER_TYPES})
    return out


# --------------------------------------------------------------------------------------------- dyad_daily
def dyad_keys(conn: sa.Connection, incident_ids: Iterable[int]) -> set[tuple[str, str, str]]:
    i = S.incidents
    keys: set[tuple[str, str, str]] = set()
    for chunk in chunks(sorted(set(incident_ids))):
        for d, a, r in conn.execute(sa.select(i.c.date, i.c.actor, i.c.recipient).where(i.c.id.in_(chunk))):
            if d and a and r:
                keys.add((d, a, r))
    return keys


@lru_cache(maxsize=1)
def _daily_stmts() -> tuple[Any, Any]:
    """Delete the dyad_daily rows of one (day, actor, recipient) key; select the incidents of one dyad on a
    list of days. Both compiled once (the lists are expanded at execution)."""
    dd, i = S.dyad_daily, S.incidents
    a: Any = sa.bindparam("a")
    r: Any = sa.bindparam("r")
    delete = dd.delete().where(dd.c.day == sa.bindparam("d"), dd.c.actor == a, dd.c.recipient == r)
    select = sa.select(
        i.c.date,
        i.c.actor,
        i.c.recipient,
        i.c.event_type,
        i.c.status,
        i.c.quad,
        i.c.score,
        i.c.date_precision,
        i.c.first_reported,
    ).where(i.c.actor == a, i.c.recipient == r, i.c.date.in_(sa.bindparam("days", expanding=True)))
    return delete, select


def rebuild_dyad_daily(conn: sa.Connection, keys: set[tuple[str, str, str]]) -> None:
    """Recompute the dyad_daily rows of these (day, actor, recipient) keys from the incidents table (index
    look-ups per dyad on both tables)."""
    if not keys:
        return
    delete, select = _daily_stmts()
    conn.execute(delete, [{"d": d, "a": a, "r": r} for d, a, r in sorted(keys)])
    by_dyad: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d, a, r in sorted(keys):
        by_dyad[(a, r)].append(d)
    agg: dict[tuple[str, str, str, str, str, str, str], list[float]] = {}
    for (actor, recipient), days in by_dyad.items():
        for part in chunks(days):
            rows = conn.execute(select, {"a": actor, "r": recipient, "days": part})
            for d, act, rec, et, st, quad, score, precision, first in rows:
                series = series_of(et, st)
                if series is None:
                    continue
                key = (d, act, rec, et, series, grain_of(precision), timing_of(d, precision, first))
                cell = agg.setdefault(key, [quad or 0, 0, 0.0])
                cell[1] += 1
                cell[2] += float(score or 0.0)
    rows_out = [
        {
            "day": k[0],
            "actor": k[1],
            "recipient": k[2],
            "event_type": k[3],
            "series": k[4],
            "grain": k[5],
            "timing": k[6],
            "quad": int(v[0]),
            "n": int(v[1]),
            "score_sum": v[2],
        }
        for k, v in agg.items()
    ]
    if rows_out:
        conn.execute(S.dyad_daily.insert(), rows_out)
    rebuild_weekly(conn, keys)


# --------------------------------------------------------------------------------------------- dyad_weekly
def rebuild_weekly(conn: sa.Connection, keys: Iterable[tuple[str, str, str]] | None = None) -> int:
    """Recompute ``dyad_weekly`` from ``dyad_daily`` (its current, week-grain rows): every row, or the weeks and
    pairs of these (day, actor, recipient) ``dyad_daily`` keys (what a refresh just rebuilt). Returns the row
    groups written."""
    dd, dw = S.dyad_daily, S.dyad_weekly
    m = measures(dd.c.series, dd.c.event_type, dd.c.quad, dd.c.n, dd.c.score_sum)
    names = list(m)
    into = ["actor", "recipient", "week", *names]
    sums = [m[k].label(k) for k in names]
    if keys is None:
        cells = (dd.c.actor, dd.c.recipient, dd.c.event_type, dd.c.series, dd.c.quad, dd.c.n, dd.c.score_sum)
        sub = (
            sa.select(week_start(dd.c.day).label("week"), *cells).where(dd.c.day.is_not(None), in_weeks(dd)).subquery()
        )
        ms = measures(sub.c.series, sub.c.event_type, sub.c.quad, sub.c.n, sub.c.score_sum)
        sel = (
            sa.select(sub.c.actor, sub.c.recipient, sub.c.week, *[ms[k].label(k) for k in names])
            .where(sub.c.week.is_not(None))
            .group_by(sub.c.actor, sub.c.recipient, sub.c.week)
        )
        conn.execute(dw.delete())
        conn.execute(dw.insert().from_select(into, sel))
        return int(conn.execute(sa.select(sa.func.count()).select_from(dw)).scalar_one())
    by_week: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for day, actor, recipient in keys:
        d = _day(day)
        if d is not None and actor and recipient:
            by_week[(d - dt.timedelta(days=d.weekday())).isoformat()].add((actor, recipient))
    written = 0
    for w, pairs in sorted(by_week.items()):
        end = (dt.date.fromisoformat(w) + dt.timedelta(days=6)).isoformat()
        for chunk in chunks(sorted(pairs), 300):
            pair_in = list(chunk)
            conn.execute(dw.delete().where(dw.c.week == w, sa.tuple_(dw.c.actor, dw.c.recipient).in_(pair_in)))
            sel = (
                sa.select(dd.c.actor, dd.c.recipient, sa.literal(w, sa.Text).label("week"), *sums)
                .where(dd.c.day.between(w, end), sa.tuple_(dd.c.actor, dd.c.recipient).in_(pair_in), in_weeks(dd))
                .group_by(dd.c.actor, dd.c.recipient)
            )
            conn.execute(dw.insert().from_select(into, sel))
            written += len(pair_in)
    return written


def _weekly_in_step(conn: sa.Connection) -> bool:
    dd, dw = S.dyad_daily, S.dyad_weekly
    q = sa.select(dd.c.series, sa.func.sum(dd.c.n)).where(in_weeks(dd)).group_by(dd.c.series)
    daily = {s: int(n or 0) for s, n in conn.execute(q)}
    weekly = conn.execute(
        sa.select(sa.func.sum(dw.c.n), sa.func.sum(dw.c.rhetoric_n), sa.func.sum(dw.c.claimed_n))
    ).one()
    return [daily.get(s, 0) for s in SERIES] == [int(x or 0) for x in weekly]


def refresh_weekly(conn: sa.Connection) -> int:
    """Rebuild ``dyad_weekly`` when it is out of step with ``dyad_daily`` (rows written directly, e.g. by a bulk
    load); 0 when it is in step. Returns the rows rebuilt."""
    _clear(conn, STALE_WEEKLY)
    if _weekly_in_step(conn):
        return 0
    return rebuild_weekly(conn)


def _clear(conn: sa.Connection, mark: tuple[str, str]) -> bool:
    """Drop a mark a migration left in ``analytics_state``; True if it was set."""
    st = S.analytics_state
    key, value = mark
    return bool(conn.execute(st.delete().where(st.c.key == key, st.c.value == value)).rowcount)


def _marked(conn: sa.Connection, mark: tuple[str, str]) -> bool:
    st = S.analytics_state
    return conn.execute(sa.select(st.c.value).where(st.c.key == mark[0])).scalar() == mark[1]


def ensure_current(conn_source: Any) -> None:
    """Bring the aggregates up to date after a migration (``conn_source``: a store or an engine holder):
    migration 8 leaves incident dates to recompute (:func:`recompute_dates`, then every ``dyad_daily`` row of
    the incidents); migration 3 leaves ``dyad_weekly`` to fill. A no-op once done (two indexed look-ups)."""
    engine: sa.Engine = conn_source.engine
    with engine.connect() as conn:
        daily, weekly = _marked(conn, STALE_DAILY), _marked(conn, STALE_WEEKLY)
    if not (daily or weekly):
        return
    with engine.begin() as conn:
        if daily and _clear(conn, STALE_DAILY):
            ids = [int(x) for x in conn.execute(sa.select(S.incidents.c.id)).scalars()]
            keys = dyad_keys(conn, ids)  # the rows of the dates before, and after
            recompute_dates(conn, ids)
            rebuild_dyad_daily(conn, keys | dyad_keys(conn, ids))
        if _clear(conn, STALE_WEEKLY):
            rebuild_weekly(conn)


def recompute_dates(conn: sa.Connection, incident_ids: Sequence[int]) -> None:
    """Set the date and date precision of these incidents from their events (:func:`incident_when`)."""
    e, a, i = S.events, S.articles, S.incidents
    for chunk in chunks(sorted(set(incident_ids))):
        rows = conn.execute(
            sa.select(e.c.incident_id, e.c.date, e.c.date_precision, e.c.status, a.c.published)
            .join(a, a.c.id == e.c.article_id)
            .where(e.c.incident_id.in_(chunk))
        ).all()
        by_inc: dict[int, list[tuple[Any, Any, Any, Any]]] = defaultdict(list)
        for iid, date, precision, status, published in rows:
            by_inc[int(iid)].append((date, precision, status, published))
        updates = []
        for iid, evs in by_inc.items():
            date, precision = incident_when(evs)
            updates.append({"_id": iid, "date": date, "date_precision": precision})
        if updates:
            conn.execute(
                i.update()
                .where(i.c.id == sa.bindparam("_id"))
                .values(date=sa.bindparam("date"), date_precision=sa.bindparam("date_precision")),
                updates,
            )
