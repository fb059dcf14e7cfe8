"""Escalation index per dyad per week, change points, and alerts that cite their evidence.

The weekly index of a dyad (both directions, counted per incident) is

    index = 3·M + 2·T + 1·C + 1·A + 0.5·V

* M — factual material-conflict incidents (quad 4, asserted: assaults, mobilisations, sanctions, …)
* T — threats (THREATEN, any status but negated/denied)
* C — conflict measures considered, planned or hypothetical (rhetoric series, quad 3–4, not THREATEN)
* A — alleged or speculated material conflict (claimed series, quad 4)
* V — factual verbal conflict: accusations and rejections (ACCUSE, REJECT asserted; requests — including calls
  for restraint — do not escalate)

Only incidents dated to their day or week, in their reports' time, count (``dyad_daily.py``: month- and
year-dated incidents have no week; background — history, plans — is left out unless ``background=True``).

``trend`` is the index minus the mean of the previous four weeks. A week is a ``change_point`` when
``ruptures`` (binary segmentation, l2 cost, penalty 2·ln(n)·max(var, 1)) starts a new segment there whose mean is higher
than the previous segment's (series of at least 4 weeks), and a ``z_jump`` when it lies at least 2 standard
deviations (sd floored at 1) and 3 points above the mean of the previous up to four weeks. ``jump`` is either.

An **alert** is a jump with evidence (:data:`ALERT_RULE`): the factual (asserted) conflict incidents of the
week, at least two independent ones — reported in at least two different articles — or a single one dated
by its text (day or week precision), which the alert says (``basis``: "rests on one incident"). A jump
driven only by threats, measures considered, claims or one undated report is no alert.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import ruptures as rpt
import sqlalchemy as sa

from brinkwatch.analyze.dyad_daily import grain_of, series_of, timing_of
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


def weekly_index(
    store: Store, dyad: str, since: str | None = None, until: str | None = None, *, background: bool = False
) -> pd.DataFrame:
    """The weekly components and index of one dyad (weeks without incidents filled with zeros)."""
    a, b = parse_dyad(dyad)
    sums = period_sums(store, a, b, freq="W", since=since, until=until, types=False, background=background)
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
    store: Store,
    dyad: str | None = None,
    since: str | None = None,
    until: str | None = None,
    *,
    background: bool = False,
    watch: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Weekly escalation index, trend and change-point flags per dyad (the watched dyads when none is given)."""
    dyads = [dyad] if dyad else watched_dyads(store, watch=watch)
    frames = []
    for d in dyads:
        a, b = parse_dyad(d)
        w = weekly_index(store, f"{a}:{b}", since=since, until=until, background=background)
        if w.empty:
            continue
        w = _annotate(w)
        w.insert(0, "dyad", f"{a}:{b}")
        frames.append(w)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]


INCIDENT_FIELDS = (
    "id",
    "date",
    "date_precision",
    "event_type",
    "status",
    "actor",
    "recipient",
    "quad",
    "score",
    "n_reports",
    "n_outlets",
    "first_reported",
    "summary",
)


def incidents_behind(
    store: Store, dyad: str, week: str, limit: int = 20, *, background: bool = False
) -> list[dict[str, Any]]:
    """The conflict incidents of a dyad the index counted in the week starting ``week`` (most severe first):
    dated to their day or week, in their reports' time unless ``background``; threats and measures
    considered included, negated and denied ones not."""
    i = S.incidents
    start = dt.date.fromisoformat(week)
    end = (start + dt.timedelta(days=6)).isoformat()
    q = (
        sa.select(*(i.c[k] for k in INCIDENT_FIELDS))
        .where(dyad_condition(i.c.actor, i.c.recipient, dyad, also=[i.c.date.between(week, end)]), i.c.quad >= 3)
        .where(sa.or_(i.c.status.is_(None), i.c.status.not_in(["negated", "denied"])))
        .order_by(i.c.score, i.c.n_reports.desc(), i.c.id)
    )
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    out = []
    for r in rows:
        if grain_of(r["date_precision"]) != "week":
            continue
        r["timing"] = timing_of(r["date"], r["date_precision"], r["first_reported"])
        if r["timing"] == "background" and not background:
            continue
        out.append(r)
    return out[: max(0, int(limit))]


ALERT_RULE = (
    "a week whose escalation index (3·material + 2·threats + considered + claimed + 0.5·verbal conflict "
    "incidents) is ≥ 2 sd and ≥ 3 points above the mean of the 4 weeks before, or starts a higher segment "
    "(change point); and at least two independent factual conflict incidents that week (reported in "
    "different articles), or one dated by its text"
)
ALERT_COLUMNS = [
    "dyad",
    "week",
    "index",
    "previous",
    "change_point",
    "z_jump",
    "basis",
    "n_evidence",
    "evidence",
    "rule",
    "incidents",
]


def _articles_of(store: Store, incident_ids: list[int]) -> dict[int, set[int]]:
    """The articles (originals and their copies) reporting each incident."""
    e, a = S.events, S.articles
    out: dict[int, set[int]] = {i: set() for i in incident_ids}
    if not incident_ids:
        return out
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(e.c.incident_id, e.c.article_id).where(e.c.incident_id.in_(incident_ids)).distinct()
        ).all()
        originals = sorted({int(r.article_id) for r in rows})
        copies: dict[int, set[int]] = {}
        for k in range(0, len(originals), 500):
            for aid, dup in conn.execute(
                sa.select(a.c.id, a.c.duplicate_of).where(a.c.duplicate_of.in_(originals[k : k + 500]))
            ):
                copies.setdefault(int(dup), set()).add(int(aid))
    for iid, aid in rows:
        out[int(iid)] |= {int(aid), *copies.get(int(aid), set())}
    return out


def evidence_of(store: Store, behind: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int, str | None]:
    """(the factual conflict incidents among ``behind`` — asserted, threats excluded —, how many are
    independent, the basis of an alert or None when they cannot carry one). Independent: a greedy count of
    incidents each reported in an article no other counted one was (two incidents coded from one article are one
    piece of evidence)."""
    facts = [dict(r) for r in behind if series_of(str(r["event_type"]), r.get("status")) == "factual"]
    arts = _articles_of(store, [int(r["id"]) for r in facts])
    used: set[int] = set()
    independent = 0
    for r in sorted(facts, key=lambda r: (len(arts[int(r["id"])]), int(r["id"]))):
        mine = arts[int(r["id"])] - used
        r["articles"] = sorted(arts[int(r["id"])])
        if mine:
            independent += 1
            used.add(min(mine))
    if independent >= 2:
        return facts, independent, f"{independent} independent factual incidents"
    textual = [r for r in facts if r.get("date_precision") in ("day", "week")]
    if independent == 1 and textual:
        return facts, 1, "rests on one incident"
    return facts, independent, None


def alerts(
    store: Store,
    dyad: str | None = None,
    since: str | None = None,
    *,
    background: bool = False,
    watch: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The dyad-weeks that jumped with evidence (:data:`ALERT_RULE`), each with its ``basis``, its factual
    ``evidence`` (incidents with the articles reporting them), the ``rule`` and every incident behind the index
    that week (``incidents``)."""
    esc = escalation(store, dyad=dyad, since=since, background=background, watch=watch)
    if esc.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    hits = esc[esc["jump"]]
    rows = []
    for r in hits.to_dict("records"):
        behind = incidents_behind(store, str(r["dyad"]), str(r["week"]), limit=100, background=background)
        evidence, n, basis = evidence_of(store, behind)
        if basis is None:
            continue
        rows.append(
            {
                "dyad": str(r["dyad"]),
                "week": str(r["week"]),
                "index": float(r["index"]),
                "previous": round(float(r["index"]) - float(r["trend"]), 3),
                "change_point": bool(r["change_point"]),
                "z_jump": bool(r["z_jump"]),
                "basis": basis,
                "n_evidence": n,
                "evidence": evidence,
                "rule": ALERT_RULE,
                "incidents": behind[:20],
            }
        )
    return pd.DataFrame(rows, columns=ALERT_COLUMNS)
