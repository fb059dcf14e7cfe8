"""Dyads: event counts and conflict–cooperation intensity between two sides over time.

A side is a country (ISO-3), an organisation code, or a group from ``data/groups.yaml`` — NATO stands for the
alliance and every member, so ``NATO:RUS`` counts members' actions toward Russia too. Counts are per
incident (each happening once, however many reports), read from the pre-aggregated ``dyad_daily`` table
that ``incidents.refresh`` maintains — or, for whole weeks, from ``dyad_weekly`` (one row per directed pair
and week with every measure as a column, kept in step with ``dyad_daily``), so that a weekly series or
escalation index at 1M events sums a few thousand rows. Series: ``factual`` (asserted), ``rhetoric``
(considered, future, hypothetical measures and all threats) and ``claimed`` (alleged, speculated, denied).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from brinkwatch.lexicon.groups import expand, parse_dyad, watch_list
from brinkwatch.lexicon.ontology import PLOVER_TYPES
from brinkwatch.store import schema as S
from brinkwatch.store.db import chunks
from brinkwatch.store.migrations import STALE_WEEKLY
from brinkwatch.store.reads import dyad_condition
from brinkwatch.store.writer import Store

if TYPE_CHECKING:  # pandas is imported where a frame is built (ingest never needs it)
    import pandas as pd

SERIES = ("factual", "rhetoric", "claimed")
FREQS = {"D": "D", "W": "W"}


def period_start(days: pd.Series, freq: str) -> pd.Series:
    """ISO date of the day (D) or of the Monday starting its week (W)."""
    import pandas as pd

    d = pd.to_datetime(days, errors="coerce")
    if freq.upper().startswith("W"):
        d = d - pd.to_timedelta(d.dt.day_of_week, unit="D")
    return d.dt.strftime("%Y-%m-%d")


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


def _daily_rows(dyad: str, freq: str, directed: bool, since: str | None, until: str | None, *columns: Any) -> Any:
    """The dyad's ``dyad_daily`` rows between ``since`` and ``until`` as a subquery: ``period`` (week or day)
    and ``columns``."""
    dd = S.dyad_daily
    period = week_start(dd.c.day) if freq.upper().startswith("W") else dd.c.day
    days = ([dd.c.day >= since] if since else []) + ([dd.c.day <= until] if until else [])
    q = sa.select(period.label("period"), *columns).where(
        dyad_condition(dd.c.actor, dd.c.recipient, dyad, directed=directed, also=days)
    )
    return q.subquery()


def dyad_counts(
    store: Store,
    a: str,
    b: str,
    freq: str = "W",
    directed: bool = False,
    since: str | None = None,
    until: str | None = None,
) -> pd.DataFrame:
    """Long table: period, direction (A→B / B→A), series, event_type, quad, n (incidents), score_sum.

    Aggregated in the database (per week or day, per direction) from ``dyad_daily``.
    """
    import pandas as pd

    dd = S.dyad_daily
    A, B = parse_dyad(f"{a}:{b}")
    side_a = sorted(expand(A))
    fwd_label, rev_label = f"{A}→{B}", f"{B}→{A}"
    direction = (
        sa.literal(fwd_label)
        if directed
        else sa.case(
            (sa.and_(dd.c.actor.in_(side_a), dd.c.recipient.not_in(side_a)), sa.literal(fwd_label)),
            else_=sa.literal(rev_label),
        )
    )
    columns = (direction.label("direction"), dd.c.series, dd.c.event_type, dd.c.quad, dd.c.n, dd.c.score_sum)
    sub = _daily_rows(f"{A}:{B}", freq, directed, since, until, *columns)
    keys = [sub.c.period, sub.c.direction, sub.c.series, sub.c.event_type, sub.c.quad]
    q = sa.select(*keys, sa.func.sum(sub.c.n), sa.func.sum(sub.c.score_sum)).group_by(*keys)
    cols = ["period", "direction", "series", "event_type", "quad", "n", "score_sum"]
    with store.engine.connect() as conn:
        df = pd.DataFrame([tuple(r) for r in conn.execute(q)], columns=cols)
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["n"] = df["n"].astype(int)
    df["quad"] = df["quad"].astype(int)
    df["score_sum"] = df["score_sum"].astype(float)
    return df.sort_values(["period", "direction", "series", "event_type"]).reset_index(drop=True)[cols]


SERIES_COLUMNS = [
    "period",
    "n",
    "quad1",
    "quad2",
    "quad3",
    "quad4",
    "score_sum",
    "mean_score",
    "conflict",
    "rhetoric_n",
    "rhetoric_score",
    "claimed_n",
]
# the escalation components (see escalation.py)
INDEX_COLUMNS = ["material", "threats", "considered", "claimed", "verbal"]


def _measures(series: Any, event_type: Any, quad: Any, n: Any, score_sum: Any, *, types: bool = True) -> dict[str, Any]:
    """The per-period measures as conditional sums over ``dyad_daily``-shaped columns (name → SQL expression):
    the dyad_series columns, the escalation components and (``types``) the factual count of every PLOVER type.
    """
    fact, rhet, claimed = (series == x for x in SERIES)
    thr = event_type == "THREATEN"

    def total(cond: Any, col: Any = n) -> Any:
        return sa.func.sum(sa.case((cond, col), else_=0))

    measures: dict[str, Any] = {
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
        measures.update({t: total(sa.and_(fact, event_type == t)) for t in PLOVER_TYPES})
    return measures


MEASURES = ["n", "quad1", "quad2", "quad3", "quad4", "score_sum", "rhetoric_n", "rhetoric_score", "claimed_n"]
MEASURES += INDEX_COLUMNS


def _iso_day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _weekly_bounds(freq: str, since: str | None, until: str | None) -> tuple[str | None, str | None] | None:
    """The week range ``dyad_weekly`` answers exactly (first and last week start), or None when it cannot: a
    daily series, or ``since`` not a Monday / ``until`` not a Sunday (partial edge weeks need the days)."""
    if not freq.upper().startswith("W"):
        return None
    lo = hi = None
    if since:
        d = _iso_day(since)
        if d is None or d.weekday() != 0 or len(since) != 10:
            return None
        lo = d.isoformat()
    if until:
        d = _iso_day(until)
        if d is None or d.weekday() != 6 or len(until) != 10:
            return None
        hi = (d - dt.timedelta(days=6)).isoformat()
    return lo, hi


def period_sums(
    store: Store,
    a: str,
    b: str,
    freq: str = "W",
    directed: bool = False,
    since: str | None = None,
    until: str | None = None,
    types: bool = True,
) -> pd.DataFrame:
    """Per period (gaps filled): the dyad_series columns, the escalation components and factual type counts.

    Weekly (whole weeks): plain column sums over the pre-aggregated ``dyad_weekly`` (one row per directed pair
    and week). Otherwise one aggregate query over ``dyad_daily`` with conditional sums, grouped by period.
    """
    import pandas as pd

    A, B = parse_dyad(f"{a}:{b}")
    names = MEASURES + (list(PLOVER_TYPES) if types else [])
    bounds = _weekly_bounds(freq, since, until)
    if bounds is not None:
        ensure_weekly(store)
        dw = S.dyad_weekly
        weeks = ([dw.c.week >= bounds[0]] if bounds[0] else []) + ([dw.c.week <= bounds[1]] if bounds[1] else [])
        q = (
            sa.select(dw.c.week, *[sa.func.sum(dw.c[m]) for m in names])
            .where(dyad_condition(dw.c.actor, dw.c.recipient, f"{A}:{B}", directed=directed, also=weeks))
            .group_by(dw.c.week)
        )
    else:
        dd = S.dyad_daily
        columns = (dd.c.event_type, dd.c.series, dd.c.quad, dd.c.n, dd.c.score_sum)
        sub = _daily_rows(f"{A}:{B}", freq, directed, since, until, *columns)
        measures = _measures(sub.c.series, sub.c.event_type, sub.c.quad, sub.c.n, sub.c.score_sum, types=types)
        q = sa.select(sub.c.period, *[measures[m].label(m) for m in names]).group_by(sub.c.period)
    with store.engine.connect() as conn:
        raw = pd.DataFrame([tuple(r) for r in conn.execute(q)], columns=["period", *names])
    cols = SERIES_COLUMNS + INDEX_COLUMNS + (list(PLOVER_TYPES) if types else [])
    if raw.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame({"period": _all_periods(raw["period"], freq)}).merge(raw, on="period", how="left").fillna(0)
    for c in names:
        out[c] = out[c].astype(float if c in ("score_sum", "rhetoric_score") else int)
        if c in ("score_sum", "rhetoric_score"):
            out[c] = out[c].round(6)  # the same sum whichever table (and summation order) it came from
    out["mean_score"] = [round(x / n, 3) if n else 0.0 for x, n in zip(out["score_sum"], out["n"], strict=True)]
    out["conflict"] = out["quad3"] + out["quad4"]
    return out[cols].reset_index(drop=True)


def rebuild_weekly(conn: sa.Connection, keys: Iterable[tuple[str, str, str]] | None = None) -> int:
    """Recompute ``dyad_weekly`` from ``dyad_daily``: every row, or the weeks and pairs of these (day, actor,
    recipient) ``dyad_daily`` keys (what ``incidents.refresh`` just rebuilt). Returns the row groups written."""
    dd, dw = S.dyad_daily, S.dyad_weekly
    measures = _measures(dd.c.series, dd.c.event_type, dd.c.quad, dd.c.n, dd.c.score_sum)
    names = list(measures)
    into = ["actor", "recipient", "week", *names]
    sums = [measures[m].label(m) for m in names]
    if keys is None:
        cells = (dd.c.actor, dd.c.recipient, dd.c.event_type, dd.c.series, dd.c.quad, dd.c.n, dd.c.score_sum)
        sub = sa.select(week_start(dd.c.day).label("week"), *cells).where(dd.c.day.is_not(None)).subquery()
        m = _measures(sub.c.series, sub.c.event_type, sub.c.quad, sub.c.n, sub.c.score_sum)
        sel = (
            sa.select(sub.c.actor, sub.c.recipient, sub.c.week, *[m[k].label(k) for k in names])
            .where(sub.c.week.is_not(None))
            .group_by(sub.c.actor, sub.c.recipient, sub.c.week)
        )
        conn.execute(dw.delete())
        conn.execute(dw.insert().from_select(into, sel))
        return int(conn.execute(sa.select(sa.func.count()).select_from(dw)).scalar_one())
    by_week: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for day, actor, recipient in keys:
        d = _iso_day(day)
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
                .where(dd.c.day.between(w, end), sa.tuple_(dd.c.actor, dd.c.recipient).in_(pair_in))
                .group_by(dd.c.actor, dd.c.recipient)
            )
            conn.execute(dw.insert().from_select(into, sel))
            written += len(pair_in)
    return written


def _weekly_in_step(conn: sa.Connection) -> bool:
    dd, dw = S.dyad_daily, S.dyad_weekly
    daily = {s: int(n or 0) for s, n in conn.execute(sa.select(dd.c.series, sa.func.sum(dd.c.n)).group_by(dd.c.series))}
    weekly = conn.execute(
        sa.select(sa.func.sum(dw.c.n), sa.func.sum(dw.c.rhetoric_n), sa.func.sum(dw.c.claimed_n))
    ).one()
    return [daily.get(s, 0) for s in SERIES] == [int(x or 0) for x in weekly]


def refresh(store: Store) -> int:
    """Rebuild ``dyad_weekly`` when it is out of step with ``dyad_daily`` (rows written directly, e.g. by a bulk
    load); 0 when it is in step (``incidents.refresh`` keeps it so). Returns the rows rebuilt."""
    with store.engine.begin() as conn:
        _clear_stale(conn)
        if _weekly_in_step(conn):
            return 0
        return rebuild_weekly(conn)


def _clear_stale(conn: sa.Connection) -> bool:
    """Drop the mark a migration leaves when it adds ``dyad_weekly`` to a store with data; True if it was set."""
    st = S.analytics_state
    key, value = STALE_WEEKLY
    return bool(conn.execute(st.delete().where(st.c.key == key, st.c.value == value)).rowcount)


def ensure_weekly(store: Store) -> None:
    """Fill ``dyad_weekly`` from ``dyad_daily`` if a migration marked it stale (a store from before the table)."""
    st = S.analytics_state
    with store.engine.connect() as conn:
        stale = conn.execute(sa.select(st.c.value).where(st.c.key == STALE_WEEKLY[0])).scalar() == STALE_WEEKLY[1]
    if stale:
        with store.engine.begin() as conn:
            if _clear_stale(conn):
                rebuild_weekly(conn)


def dyad_series(
    store: Store,
    a: str,
    b: str,
    freq: str = "W",
    directed: bool = False,
    since: str | None = None,
    until: str | None = None,
) -> pd.DataFrame:
    """One row per period (gaps filled with zeros): factual counts per quad, intensity and rhetoric.

    Columns: period, n (factual incidents), quad1…quad4, score_sum (sum of PLOVER scores, the
    conflict–cooperation intensity), mean_score (Goldstein-like mean), conflict (quad 3+4), rhetoric_n,
    rhetoric_score, claimed_n, and one column per PLOVER type with its factual count.
    """
    df = period_sums(store, a, b, freq=freq, directed=directed, since=since, until=until)
    return df[SERIES_COLUMNS + list(PLOVER_TYPES)]


def _all_periods(periods: pd.Series, freq: str) -> list[str]:
    import pandas as pd

    start, end = pd.Timestamp(min(periods)), pd.Timestamp(max(periods))
    step = "7D" if freq.upper().startswith("W") else "D"
    return [d.strftime("%Y-%m-%d") for d in pd.date_range(start, end, freq=step)]


def top_pairs(store: Store, limit: int = 10) -> list[str]:
    """The busiest undirected country pairs (by incidents) as "A:B" strings."""
    dd = S.dyad_daily
    q = (
        sa.select(dd.c.actor, dd.c.recipient, sa.func.sum(dd.c.n).label("n"))
        .where(dd.c.actor != dd.c.recipient)
        .group_by(dd.c.actor, dd.c.recipient)
        .order_by(sa.desc("n"))
        .limit(limit * 3)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    seen: dict[tuple[str, str], int] = {}
    for act, rec, n in rows:
        key = (min(act, rec), max(act, rec))
        seen[key] = seen.get(key, 0) + int(n)
    ranked = sorted(seen.items(), key=lambda kv: -kv[1])[:limit]
    return [f"{k[0]}:{k[1]}" for k, _ in ranked]


def watched_dyads(store: Store, limit: int = 10) -> list[str]:
    """The watchlist from groups.yaml plus the busiest country pairs, without repeats."""
    out: list[str] = []
    for d in [*watch_list(), *top_pairs(store, limit)]:
        a, b = parse_dyad(d)
        if f"{a}:{b}" not in out and f"{b}:{a}" not in out:
            out.append(f"{a}:{b}")
    return out
