"""Action–reaction spirals: A→B hostile, then B→A hostile within a window, repeated — in the order they happened.

Two series, never mixed: ``material`` — factual (asserted) material-conflict incidents (quad 4: assaults,
coercion, mobilisation, sanctions), and ``threats`` — threats (THREATEN, not negated or denied). Requests,
refusals, accusations and other words are no moves. Only incidents dated to their day or week, in their
reports' time, can be ordered: month- and year-dated incidents and background (history, plans) are left out.

Incidents of one side in a row form one move; a move by the other side within ``window`` days of the
previous move's last incident continues the chain. A chain of at least ``min_exchanges`` moves (default 2: an
action and a reaction) is a spiral, reported with its moves in time order (``sequence``: date, direction and
type of each incident) and its incidents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa

from brinkwatch.analyze.dyad_daily import grain_of, timing_of
from brinkwatch.analyze.dyads import watched_dyads
from brinkwatch.lexicon.groups import expand, parse_dyad
from brinkwatch.store import schema as S
from brinkwatch.store.reads import dyad_condition
from brinkwatch.store.writer import Store

SERIES = ("material", "threats")
COLUMNS = ["dyad", "series", "start", "end", "n_moves", "n_incidents", "sequence", "incident_ids", "moves"]


def _series_condition(series: str) -> Any:
    i = S.incidents
    if series == "material":
        return sa.and_(i.c.quad == 4, i.c.status == "asserted")
    if series == "threats":
        said = sa.or_(i.c.status.is_(None), i.c.status.not_in(["negated", "denied"]))
        return sa.and_(i.c.event_type == "THREATEN", said)
    raise ValueError(f"not a spiral series: {series!r} (one of {', '.join(SERIES)})")


def _hostile(store: Store, dyad: str, series: str, since: str | None, until: str | None) -> list[dict[str, Any]]:
    i = S.incidents
    q = sa.select(
        i.c.id,
        i.c.date,
        i.c.date_precision,
        i.c.first_reported,
        i.c.actor,
        i.c.recipient,
        i.c.event_type,
        i.c.status,
        i.c.summary,
    ).where(dyad_condition(i.c.actor, i.c.recipient, dyad), _series_condition(series), i.c.date.is_not(None))
    if since:
        q = q.where(i.c.date >= since)
    if until:
        q = q.where(i.c.date <= until)
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q.order_by(i.c.date, i.c.id)).mappings()]
    return [
        r
        for r in rows
        if grain_of(r["date_precision"]) == "week"
        and timing_of(r["date"], r["date_precision"], r["first_reported"]) == "current"
    ]


def find_spirals(
    store: Store,
    dyad: str,
    window: int = 14,
    min_exchanges: int = 2,
    since: str | None = None,
    until: str | None = None,
    series: str = "material",
) -> list[dict[str, Any]]:
    """The spirals of one dyad in one series, oldest first."""
    a, b = parse_dyad(dyad)
    side_a = expand(a)
    chains: list[list[dict[str, Any]]] = []  # each: list of moves {direction, incidents}
    current: list[dict[str, Any]] = []
    last_day: dt.date | None = None
    for inc in _hostile(store, f"{a}:{b}", series, since, until):
        day = dt.date.fromisoformat(str(inc["date"])[:10])
        direction = f"{a}→{b}" if inc["actor"] in side_a else f"{b}→{a}"
        if current and last_day is not None and (day - last_day).days <= window:
            if current[-1]["direction"] == direction:
                current[-1]["incidents"].append(inc)
            else:
                current.append({"direction": direction, "incidents": [inc]})
        else:
            if current:
                chains.append(current)
            current = [{"direction": direction, "incidents": [inc]}]
        last_day = day
    if current:
        chains.append(current)
    out = []
    keys = ("id", "date", "date_precision", "actor", "recipient", "event_type", "status", "summary")
    for ch in chains:
        if len(ch) < min_exchanges:
            continue
        incs = [x for m in ch for x in m["incidents"]]
        out.append(
            {
                "dyad": f"{a}:{b}",
                "series": series,
                "start": incs[0]["date"],
                "end": incs[-1]["date"],
                "n_moves": len(ch),
                "n_incidents": len(incs),
                "sequence": " › ".join(
                    f"{x['date']} {m['direction']} {x['event_type']}" for m in ch for x in m["incidents"]
                ),
                "incident_ids": [int(x["id"]) for x in incs],
                "moves": [
                    {
                        "direction": m["direction"],
                        "start": m["incidents"][0]["date"],
                        "end": m["incidents"][-1]["date"],
                        "incidents": [{k: x[k] for k in keys} for x in m["incidents"]],
                    }
                    for m in ch
                ],
            }
        )
    return out


def spirals(
    store: Store,
    dyad: str | None = None,
    window: int = 14,
    min_exchanges: int = 2,
    since: str | None = None,
    *,
    series: Sequence[str] = SERIES,
    watch: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Spirals of one dyad, or of every watched dyad when none is given, in each of ``series``."""
    rows: list[dict[str, Any]] = []
    for d in [dyad] if dyad else watched_dyads(store, watch=watch):
        for s in series:
            rows += find_spirals(store, d, window=window, min_exchanges=min_exchanges, since=since, series=s)
    return pd.DataFrame(rows, columns=COLUMNS)
