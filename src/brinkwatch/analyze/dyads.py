"""Dyads: event counts and conflict–cooperation intensity between two sides over time.

A side is a country (ISO-3), an organisation code, or a group from ``data/groups.yaml`` — NATO stands for the
alliance and every member, so ``NATO:RUS`` counts members' actions toward Russia too. Counts are per
incident (each happening once, however many reports), read from the pre-aggregated ``dyad_daily`` table
that ``incidents.refresh`` maintains — or, for whole weeks, from ``dyad_weekly`` (one row per directed pair
and week with every measure as a column, kept in step with ``dyad_daily``), so that a weekly series or
escalation index at 1M events sums a few thousand rows. Series: ``factual`` (asserted), ``rhetoric``
(considered, future, hypothetical measures and all threats) and ``claimed`` (alleged, speculated, denied).

Frequencies: ``D`` (days), ``W`` (weeks starting Monday), ``M`` (months). A daily or weekly series counts the
incidents dated to their day or week (day, week or report precision); a monthly one adds those dated only to
their month; incidents dated only to a year are never spread over periods: :func:`coarse` counts them, with
those a series leaves out for their grain. Background incidents (dated far from their reports: history,
plans; see ``dyad_daily.py``) are left out unless ``background=True``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from brinkwatch.analyze.dyad_daily import (
    ensure_current,
    measures,
    month_start,
    refresh_weekly,
    week_start,
)
from brinkwatch.lexicon.groups import expand, parse_dyad
from brinkwatch.lexicon.ontology import PLOVER_TYPES
from brinkwatch.store import schema as S
from brinkwatch.store.reads import dyad_condition
from brinkwatch.store.writer import Store

if TYPE_CHECKING:  # pandas is imported where a frame is built (ingest never needs it)
    import pandas as pd

FREQS = {"D": "daily", "W": "weekly", "M": "monthly"}
log = logging.getLogger("brinkwatch.analyze.dyads")


def check_freq(freq: str) -> str:
    """D | W | M (any case); anything else raises ValueError."""
    f = str(freq).strip().upper()[:1]
    if f not in FREQS or len(str(freq).strip()) != 1:
        raise ValueError(f"not a frequency: {str(freq)[:20]!r} (D daily, W weekly or M monthly)")
    return f


def _period(col: Any, freq: str) -> Any:
    f = check_freq(freq)
    return week_start(col) if f == "W" else month_start(col) if f == "M" else col


def _placed(dd: sa.Table, freq: str, background: bool) -> Any:
    """The ``dyad_daily`` rows a series of this frequency counts."""
    grains = ["week", "month"] if check_freq(freq) == "M" else ["week"]
    cond = dd.c.grain.in_(grains)
    return cond if background else sa.and_(cond, dd.c.timing == "current")


def _daily_rows(
    dyad: str,
    freq: str,
    directed: bool,
    since: str | None,
    until: str | None,
    *columns: Any,
    background: bool = False,
) -> Any:
    """The dyad's ``dyad_daily`` rows a series of ``freq`` counts, between ``since`` and ``until``, as a
    subquery: ``period`` (day, week or month start) and ``columns``."""
    dd = S.dyad_daily
    days = ([dd.c.day >= since] if since else []) + ([dd.c.day <= until] if until else [])
    q = sa.select(_period(dd.c.day, freq).label("period"), *columns).where(
        dyad_condition(dd.c.actor, dd.c.recipient, dyad, directed=directed, also=days),
        _placed(dd, freq, background),
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
    background: bool = False,
) -> pd.DataFrame:
    """Long table: period, direction (A→B / B→A), series, event_type, quad, n (incidents), score_sum.

    Aggregated in the database (per day, week or month, per direction) from ``dyad_daily``.
    """
    import pandas as pd

    ensure_current(store)
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
    sub = _daily_rows(f"{A}:{B}", freq, directed, since, until, *columns, background=background)
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


MEASURES = ["n", "quad1", "quad2", "quad3", "quad4", "score_sum", "rhetoric_n", "rhetoric_score", "claimed_n"]
MEASURES += INDEX_COLUMNS


def _iso_day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _weekly_bounds(freq: str, since: str | None, until: str | None) -> tuple[str | None, str | None] | None:
    """The week range ``dyad_weekly`` answers exactly (first and last week start), or None when it cannot: a
    daily or monthly series, or ``since`` not a Monday / ``until`` not a Sunday (partial edge weeks need the
    days)."""
    if check_freq(freq) != "W":
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
    background: bool = False,
) -> pd.DataFrame:
    """Per period (gaps filled): the dyad_series columns, the escalation components and factual type counts.

    Weekly (whole weeks, background left out): plain column sums over the pre-aggregated ``dyad_weekly`` (one
    row per directed pair and week). Otherwise one aggregate query over ``dyad_daily`` with conditional sums,
    grouped by period.
    """
    import pandas as pd

    A, B = parse_dyad(f"{a}:{b}")
    names = MEASURES + (list(PLOVER_TYPES) if types else [])
    bounds = None if background else _weekly_bounds(freq, since, until)
    ensure_current(store)
    if bounds is not None:
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
        sub = _daily_rows(f"{A}:{B}", freq, directed, since, until, *columns, background=background)
        ms = measures(sub.c.series, sub.c.event_type, sub.c.quad, sub.c.n, sub.c.score_sum, types=types)
        q = sa.select(sub.c.period, *[ms[m].label(m) for m in names]).group_by(sub.c.period)
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


def refresh(store: Store) -> int:
    """Rebuild ``dyad_weekly`` when it is out of step with ``dyad_daily`` (rows written directly, e.g. by a bulk
    load); 0 when it is in step (``incidents.refresh`` keeps it so). Returns the rows rebuilt."""
    ensure_current(store)
    with store.engine.begin() as conn:
        return refresh_weekly(conn)


def ensure_weekly(store: Store) -> None:
    """Bring the aggregates up to date after a migration (``dyad_daily.ensure_current``)."""
    ensure_current(store)


def dyad_series(
    store: Store,
    a: str,
    b: str,
    freq: str = "W",
    directed: bool = False,
    since: str | None = None,
    until: str | None = None,
    background: bool = False,
) -> pd.DataFrame:
    """One row per period (gaps filled with zeros): factual counts per quad, intensity and rhetoric.

    Columns: period, n (factual incidents), quad1…quad4, score_sum (sum of PLOVER scores, the
    conflict–cooperation intensity), mean_score (Goldstein-like mean), conflict (quad 3+4), rhetoric_n,
    rhetoric_score, claimed_n, and one column per PLOVER type with its factual count.
    """
    df = period_sums(store, a, b, freq=freq, directed=directed, since=since, until=until, background=background)
    return df[SERIES_COLUMNS + list(PLOVER_TYPES)]


COARSE_COLUMNS = ["period", "grain", "timing", "n", "rhetoric_n", "claimed_n"]


def coarse(
    store: Store,
    a: str,
    b: str,
    freq: str = "W",
    directed: bool = False,
    since: str | None = None,
    until: str | None = None,
    background: bool = False,
) -> pd.DataFrame:
    """The incidents a series of ``freq`` leaves out, by their own period: month-dated ones (period
    ``YYYY-MM``; not in a monthly series), year-dated ones (``YYYY``) and — unless ``background`` — background
    ones (``timing``). Columns: COARSE_COLUMNS (factual, rhetoric and claimed incidents)."""
    import pandas as pd

    A, B = parse_dyad(f"{a}:{b}")
    ensure_current(store)
    dd = S.dyad_daily
    days = ([dd.c.day >= since] if since else []) + ([dd.c.day <= until] if until else [])
    period = sa.case(
        (dd.c.grain == "year", sa.func.substr(dd.c.day, 1, 4)),
        (dd.c.grain == "month", sa.func.substr(dd.c.day, 1, 7)),
        else_=sa.func.substr(dd.c.day, 1, 10),
    ).label("period")
    ms = measures(dd.c.series, dd.c.event_type, dd.c.quad, dd.c.n, dd.c.score_sum, types=False)
    q = (
        sa.select(period, dd.c.grain, dd.c.timing, *[ms[m].label(m) for m in ("n", "rhetoric_n", "claimed_n")])
        .where(
            dyad_condition(dd.c.actor, dd.c.recipient, f"{A}:{B}", directed=directed, also=days),
            sa.not_(_placed(dd, freq, background)),
        )
        .group_by(period, dd.c.grain, dd.c.timing)
    )
    with store.engine.connect() as conn:
        df = pd.DataFrame([tuple(r) for r in conn.execute(q)], columns=COARSE_COLUMNS)
    if df.empty:
        return pd.DataFrame(columns=COARSE_COLUMNS)
    for c in ("n", "rhetoric_n", "claimed_n"):
        df[c] = df[c].astype(int)
    return df.sort_values(["timing", "grain", "period"]).reset_index(drop=True)


def coverage(coarse_rows: pd.DataFrame) -> dict[str, int]:
    """What a series left out, in incidents: {month_only, year_only, background}."""
    out = {"month_only": 0, "year_only": 0, "background": 0}
    for r in coarse_rows.to_dict("records"):
        total = int(r["n"]) + int(r["rhetoric_n"]) + int(r["claimed_n"])
        if r["timing"] == "background":
            out["background"] += total
        elif r["grain"] == "month":
            out["month_only"] += total
        elif r["grain"] == "year":
            out["year_only"] += total
    return out


def _all_periods(periods: pd.Series, freq: str) -> list[str]:
    import pandas as pd

    start, end = pd.Timestamp(min(periods)), pd.Timestamp(max(periods))
    f = check_freq(freq)
    step = "7D" if f == "W" else "MS" if f == "M" else "D"
    return [d.strftime("%Y-%m-%d") for d in pd.date_range(start, end, freq=step)]


def top_pairs(store: Store, limit: int = 10) -> list[str]:
    """The busiest undirected pairs of different sides (by incidents in their reports' time) as "A:B"."""
    ensure_current(store)
    dd = S.dyad_daily
    q = (
        sa.select(dd.c.actor, dd.c.recipient, sa.func.sum(dd.c.n).label("n"))
        .where(dd.c.actor != dd.c.recipient, dd.c.timing == "current")
        .group_by(dd.c.actor, dd.c.recipient)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    seen: dict[tuple[str, str], int] = {}
    for act, rec, n in rows:
        key = (min(act, rec), max(act, rec))
        seen[key] = seen.get(key, 0) + int(n)
    ranked = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [f"{k[0]}:{k[1]}" for k, _ in ranked]


WATCH_FILE_ENV = "BRINKWATCH_WATCH_FILE"


def watch_file() -> Path:
    """The user's watch list: ``$BRINKWATCH_WATCH_FILE``, else ``$XDG_CONFIG_HOME/brinkwatch/watch.txt``
    (``~/.config/brinkwatch/watch.txt``)."""
    given = os.environ.get(WATCH_FILE_ENV)
    if given:
        return Path(given).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(base) / "brinkwatch" / "watch.txt"


def read_watch_file(path: Path | None = None) -> tuple[list[str], list[str]]:
    """(the dyads of the watch file, one line per problem): one dyad A:B per line, ``#`` starts a comment; a
    missing file is an empty list."""
    path = path or watch_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot read the watch list ({type(exc).__name__})"]
    out: list[str] = []
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        item = line.split("#", 1)[0].strip()
        if not item:
            continue
        try:
            a, b = parse_dyad(item)
        except ValueError as exc:
            problems.append(f"{path}:{n}: {exc}")
            continue
        out.append(f"{a}:{b}")
    return out, problems


def watched_dyads(store: Store, limit: int = 10, watch: Sequence[str] | None = None) -> list[str]:
    """The dyads to watch when none is given: the user's (``watch``, else the watch file) first, then the
    busiest pairs in the store, without repeats."""
    if watch is None:
        watch, problems = read_watch_file()
        for p in problems:
            log.warning("%s", p)
    out: list[str] = []
    for d in [*watch, *top_pairs(store, limit)]:
        a, b = parse_dyad(d)
        if f"{a}:{b}" not in out and f"{b}:{a}" not in out:
            out.append(f"{a}:{b}")
    return out
