"""Escalation index per dyad per week, change points, and alerts with the incidents behind each jump.

The weekly index of a dyad (both directions, counted per incident) is

    index = 3·M + 2·T + 1·C + 1·A + 0.5·V

* M — factual material-conflict incidents (quad 4, asserted: assaults, mobilisations, sanctions, …)
* T — threats (THREATEN, any status but negated/denied)
* C — conflict measures considered, planned or hypothetical (rhetoric series, quad 3–4, not THREATEN)
* A — alleged or speculated material conflict (claimed series, quad 4)
* V — factual verbal conflict: accusations and rejections (ACCUSE, REJECT asserted; requests — including calls
  for restraint — do not escalate)

``trend`` is the index minus the mean of the previous four weeks. A week is a ``change_point`` when
``ruptures`` (binary segmentation, l2 cost, penalty 2·ln(n)·max(var, 1)) starts a new segment there whose mean is higher
than the previous segment's (series of at least 4 weeks), and a ``z_jump`` when it lies at least 2 standard
deviations (sd floored at 1) and 3 points above the mean of the previous up to four weeks. ``jump`` is either.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import ruptures as rpt
import sqlalchemy as sa

from brinkwatch.analyze.dyads import period_sums, watched_dyads
from brinkwatch.lexicon.groups import parse_dyad
from brinkwatch.store import schema as S
from brinkwatch.store.reads import dyad_condition
from brinkwatch.store.writer import Store

WEIGHTS = {"material": 3.0, "threats": 2.0, "considered": 1.0, "claimed": 1.0, "verbal": 0.5}
COLUMNS = [
    "dyad",
    "week",
    "index",
    "material",
    "threats",
    "considered",
    "claimed",
    "verbal",
    "trend",
    "z",
    "change_point",
    "z_jump",
    "jump",
]


def weekly_index(store: Store, dyad: str, since: str | None = None, until: str | None = None) -> pd.DataFrame:
    """The weekly components and index of one dyad (weeks without incidents filled with zeros)."""
    a, b = parse_dyad(dyad)
    sums = period_sums(store, a, b, freq="W", since=since, until=until, types=False)
    cols = ["week", *WEIGHTS, "index"]
    if sums.empty:
        return pd.DataFrame(columns=cols)
    out = sums[["period", *WEIGHTS]].rename(columns={"period": "week"})
    out["index"] = sum(WEIGHTS[k] * out[k] for k in WEIGHTS)
    return out[cols]


def _change_points(x: np.ndarray) -> set[int]:
    n = len(x)
    if n < 4 or float(np.ptp(x)) == 0.0:
        return set()
    pen = 2.0 * math.log(n) * max(float(np.var(x)), 1.0)
    bkps = rpt.Binseg(model="l2", min_size=2, jump=1).fit(x.reshape(-1, 1)).predict(pen=pen)
    out: set[int] = set()
    edges = [0, *bkps]
    for i in range(1, len(edges) - 1):
        before = x[edges[i - 1] : edges[i]]
        after = x[edges[i] : edges[i + 1]]
        if len(before) and len(after) and after.mean() > before.mean():
            out.add(edges[i])
    return out


def _annotate(df: pd.DataFrame) -> pd.DataFrame:
    x = df["index"].to_numpy(dtype=float)
    trend, zs, zj = [], [], []
    for i, v in enumerate(x):
        prev = x[max(0, i - 4) : i]
        mu = float(prev.mean()) if len(prev) else 0.0
        sd = max(float(prev.std()) if len(prev) > 1 else 0.0, 1.0)
        z = (v - mu) / sd if len(prev) >= 2 else 0.0
        trend.append(round(float(v - mu), 3) if len(prev) else 0.0)
        zs.append(round(float(z), 3))
        zj.append(bool(len(prev) >= 2 and z >= 2.0 and v - mu >= 3.0))
    cps = _change_points(x)
    df = df.copy()
    df["trend"], df["z"], df["z_jump"] = trend, zs, zj
    df["change_point"] = [i in cps for i in range(len(x))]
    df["jump"] = df["change_point"] | df["z_jump"]
    return df


def escalation(
    store: Store, dyad: str | None = None, since: str | None = None, until: str | None = None
) -> pd.DataFrame:
    """Weekly escalation index, trend and change-point flags per dyad (the watchlist when no dyad is given)."""
    dyads = [dyad] if dyad else watched_dyads(store)
    frames = []
    for d in dyads:
        a, b = parse_dyad(d)
        w = weekly_index(store, f"{a}:{b}", since=since, until=until)
        if w.empty:
            continue
        w = _annotate(w)
        w.insert(0, "dyad", f"{a}:{b}")
        frames.append(w)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def incidents_behind(store: Store, dyad: str, week: str, limit: int = 20) -> list[dict[str, Any]]:
    """The conflict incidents of a dyad in the week starting ``week`` (most severe first)."""
    i = S.incidents
    start = dt.date.fromisoformat(week)
    end = (start + dt.timedelta(days=6)).isoformat()
    q = (
        sa.select(
            i.c.id,
            i.c.date,
            i.c.event_type,
            i.c.status,
            i.c.actor,
            i.c.recipient,
            i.c.quad,
            i.c.score,
            i.c.n_reports,
            i.c.n_outlets,
            i.c.summary,
        )
        .where(dyad_condition(i.c.actor, i.c.recipient, dyad, also=[i.c.date.between(week, end)]), i.c.quad >= 3)
        .where(sa.or_(i.c.status.is_(None), i.c.status.not_in(["negated", "denied"])))
        .order_by(i.c.score, i.c.n_reports.desc(), i.c.id)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def alerts(store: Store, dyad: str | None = None, since: str | None = None) -> pd.DataFrame:
    """The dyad-weeks that jumped, each with the incidents behind the jump (column ``incidents``)."""
    esc = escalation(store, dyad=dyad, since=since)
    cols = ["dyad", "week", "index", "previous", "change_point", "z_jump", "incidents"]
    if esc.empty:
        return pd.DataFrame(columns=cols)
    hits = esc[esc["jump"]]
    rows = []
    for r in hits.to_dict("records"):
        rows.append(
            {
                "dyad": str(r["dyad"]),
                "week": str(r["week"]),
                "index": float(r["index"]),
                "previous": round(float(r["index"]) - float(r["trend"]), 3),
                "change_point": bool(r["change_point"]),
                "z_jump": bool(r["z_jump"]),
                "incidents": incidents_behind(store, str(r["dyad"]), str(r["week"])),
            }
        )
    return pd.DataFrame(rows, columns=cols)
