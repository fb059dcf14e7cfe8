"""The analytics behind the pages and the API, cached while the store does not change.

Every function returns JSON-ready ``list[dict]`` / ``dict`` whatever the analytics layer returned (pandas
DataFrames, dicts, records), with the ``source`` the API reports beside it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from brinkwatch.analyze import claims as claims_mod
from brinkwatch.analyze import dyads
from brinkwatch.analyze import escalation as escalation_mod
from brinkwatch.analyze import incidents as incidents_mod
from brinkwatch.analyze import spirals as spirals_mod
from brinkwatch.analyze import stories as stories_mod
from brinkwatch.core.jsonutil import jsonable
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store
from brinkwatch.web import queries as Q

CACHE_SECONDS = 60.0
_cache: dict[tuple[Any, ...], tuple[float, tuple[Any, ...], Any]] = {}
_cache_lock = threading.Lock()


def fingerprint(store: Store) -> tuple[Any, ...]:
    """Changes whenever an ingest adds or re-extracts anything (ids only grow) or incidents are merged."""
    e, a, i = S.events, S.articles, S.incidents
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(
                sa.select(sa.func.max(a.c.id)).scalar_subquery(),
                sa.select(sa.func.max(e.c.id)).scalar_subquery(),
                sa.select(sa.func.count()).select_from(e).scalar_subquery(),
                sa.select(sa.func.max(i.c.id)).scalar_subquery(),
                sa.select(sa.func.sum(i.c.n_reports)).scalar_subquery(),
            )
        ).one()
    return tuple(row)


def _call(fn: Callable[..., Any], store: Store, *args: Any, **kwargs: Any) -> Any:
    """``fn(store, …)`` as JSON-ready values, kept while the store does not change
    (at most CACHE_SECONDS). An error in the analytics is an error of the page: nothing stands in for it."""
    key = (store.url, fn.__module__, fn.__qualname__, args, tuple(sorted(kwargs.items())))
    fp = fingerprint(store)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[1] == fp and now - hit[0] < CACHE_SECONDS:
            return hit[2]
    value = jsonable(fn(store, *args, **kwargs))
    with _cache_lock:
        if len(_cache) > 256:
            _cache.clear()
        _cache[key] = (now, fp, value)
    return value


def _records(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [v if isinstance(v, dict) else {"value": v} for v in value]
    if isinstance(value, dict):
        return [value]
    return []


def incidents(
    store: Store,
    *,
    dyad: tuple[str, str] | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]], str]:
    """(total, page of incidents, source): the incidents table the analytics fill, read page by page."""
    total, rows = Q.list_incidents_table(store.engine, dyad=dyad, since=since, until=until, limit=limit, offset=offset)
    return total, rows, "incidents-table"


def incident(store: Store, incident_id: int) -> dict[str, Any] | None:
    """The incident with its reports (``events``), each carrying its article and sentence."""
    row = Q.incident_row(store.engine, incident_id)
    value = _call(incidents_mod.incident_detail, store, incident_id)
    detail: dict[str, Any] = value if isinstance(value, dict) else {}
    if row is None and not detail:
        return None
    head: dict[str, Any] = detail["incident"] if isinstance(detail.get("incident"), dict) else {}
    out: dict[str, Any] = {**(row or {}), **head}
    out["id"] = incident_id
    # the reports as our event dicts (offsets + parties are needed to highlight the sentences)
    out["events"] = Q.list_events(store.engine, Q.EventFilter(incident_id=incident_id), limit=2000, offset=0)[1]
    with_events = {ev["article_id"] for ev in out["events"]}
    # syndicated copies are stored but not extracted: reports without events of their own
    out["copies"] = [
        r
        for r in detail.get("reports") or []
        if isinstance(r, dict) and r.get("article_id") not in with_events and r.get("duplicate_of") is not None
    ]
    return out


def claims(store: Store) -> tuple[list[dict[str, Any]], str]:
    return _records(_call(claims_mod.claims, store)), "analytics"


def dyad_series(store: Store, a: str, b: str, *, freq: str = "W", directed: bool = False) -> tuple[Any, str]:
    return _call(dyads.dyad_series, store, a, b, freq=freq, directed=directed), "analytics"


def escalation(store: Store, dyad: tuple[str, str] | None = None) -> tuple[list[dict[str, Any]], str]:
    return _records(_call(escalation_mod.escalation, store, dyad=_str(dyad))), "analytics"


def alerts(store: Store) -> tuple[list[dict[str, Any]], str]:
    return _records(_call(escalation_mod.alerts, store)), "analytics"


def stories(store: Store) -> tuple[list[dict[str, Any]], str]:
    return _records(_call(stories_mod.hot_stories, store)), "analytics"


def spirals(store: Store) -> tuple[list[dict[str, Any]], str]:
    return _records(_call(spirals_mod.spirals, store)), "analytics"


def _str(dyad: tuple[str, str] | None) -> str | None:
    return f"{dyad[0]}:{dyad[1]}" if dyad else None


def latest_per_dyad(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Weekly escalation rows → one row per dyad (its latest week) with its recent index history, in order."""
    if not rows or "week" not in rows[0]:
        return rows
    by: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault(str(r.get("dyad")), []).append(r)
    out = []
    for dyad, rs in by.items():
        rs = sorted(rs, key=lambda r: str(r.get("week")))
        last = dict(rs[-1])
        last["history"] = [r.get("index") for r in rs[-12:]]
        last["peak"] = max(float(r.get("index") or 0) for r in rs)
        last["jumps"] = sum(1 for r in rs if r.get("jump"))
        last["dyad"] = dyad
        out.append(last)
    return out  # in the analytics' order: the watchlist first, then the busiest pairs


def dyad_of(row: dict[str, Any]) -> tuple[str, str] | None:
    """The (a, b) codes of a dyad record, whatever the analytics called them."""
    if isinstance(row.get("dyad"), str):
        try:
            return Q.parse_dyad(row["dyad"])
        except ValueError:
            return None
    for ka, kb in (("a", "b"), ("actor", "recipient"), ("source", "target"), ("side_a", "side_b")):
        if row.get(ka) and row.get(kb):
            return str(row[ka]), str(row[kb])
    return None
