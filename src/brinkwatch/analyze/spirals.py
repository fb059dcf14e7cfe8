"""Action–reaction spirals: A→B hostile, then B→A hostile within a window, repeated.

Hostile = a factual (asserted) verbal or material conflict incident (quad 3 or 4). Incidents of one side in a
row form one move; a move by the other side within ``window`` days of the previous move's last incident
continues the chain. A chain of at least ``min_exchanges`` moves (default 2: an action and a reaction) is a
spiral, reported with its incidents.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa

from brinkwatch.analyze.dyads import watched_dyads
from brinkwatch.lexicon.groups import expand, parse_dyad
from brinkwatch.store import schema as S
from brinkwatch.store.reads import dyad_condition
from brinkwatch.store.writer import Store

COLUMNS = ["dyad", "start", "end", "n_moves", "n_incidents", "sequence", "incident_ids", "moves"]


def _hostile(store: Store, dyad: str, since: str | None, until: str | None) -> list[dict[str, Any]]:
    i = S.incidents
    q = sa.select(i.c.id, i.c.date, i.c.actor, i.c.recipient, i.c.event_type, i.c.summary).where(
        dyad_condition(i.c.actor, i.c.recipient, dyad),
        i.c.quad.in_([3, 4]),
        i.c.status == "asserted",
        i.c.date.is_not(None),
    )
    if since:
        q = q.where(i.c.date >= since)
    if until:
        q = q.where(i.c.date <= until)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q.order_by(i.c.date, i.c.id)).mappings()]


def find_spirals(
    store: Store,
    dyad: str,
    window: int = 14,
    min_exchanges: int = 2,
    since: str | None = None,
    until: str | None = None,
) -> list[dict[str, Any]]:
    """The spirals of one dyad, oldest first."""
    a, b = parse_dyad(dyad)
    side_a = expand(a)
    chains: list[list[dict[str, Any]]] = []  # each: list of moves {direction, incidents}
    current: list[dict[str, Any]] = []
    last_day: dt.date | None = None
    for inc in _hostile(store, f"{a}:{b}", since, until):
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
    for ch in chains:
        if len(ch) < min_exchanges:
            continue
        incs = [x for m in ch for x in m["incidents"]]
        out.append(
            {
                "dyad": f"{a}:{b}",
                "start": incs[0]["date"],
                "end": incs[-1]["date"],
                "n_moves": len(ch),
                "n_incidents": len(incs),
                "sequence": ", ".join(m["direction"] for m in ch),
                "incident_ids": [int(x["id"]) for x in incs],
                "moves": [
                    {
                        "direction": m["direction"],
                        "incidents": [
                            {k: x[k] for k in ("id", "date", "actor", "recipient", "event_type", "summary")}
                            for x in m["incidents"]
                        ],
                    }
                    for m in ch
                ],
            }
        )
    return out


def spirals(
    store: Store, dyad: str | None = None, window: int = 14, min_exchanges: int = 2, since: str | None = None
) -> pd.DataFrame:
    """Spirals of one dyad, or of every watched dyad when none is given."""
    rows: list[dict[str, Any]] = []
    for d in [dyad] if dyad else watched_dyads(store):
        rows += find_spirals(store, d, window=window, min_exchanges=min_exchanges, since=since)
    return pd.DataFrame(rows, columns=COLUMNS)
