"""``dyad_daily``: the per-day, per-dyad, per-type aggregate of incidents that dyad and escalation queries read,
rebuilt for the (day, actor, recipient) keys an incident refresh touched (and ``dyad_weekly`` with it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from brinkwatch.analyze.dyads import rebuild_weekly
from brinkwatch.core.ontology import CLAIMED_STATUSES, RHETORIC_STATUSES
from brinkwatch.store import schema as S
from brinkwatch.store.db import chunks


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
    select = sa.select(i.c.date, i.c.actor, i.c.recipient, i.c.event_type, i.c.status, i.c.quad, i.c.score).where(
        i.c.actor == a, i.c.recipient == r, i.c.date.in_(sa.bindparam("days", expanding=True))
    )
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
