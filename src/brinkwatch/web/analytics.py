"""The analytics behind the pages and the API, cached per store version.

Every function returns JSON-ready ``list[dict]`` / ``dict`` whatever the analytics layer returned (pandas
DataFrames, dicts, records), with the ``source`` the API reports beside it.

The cache (:class:`AnalyticsCache`):

* keyed by the store's version (:func:`fingerprint`: what ingest and the incident merge change), read at most
  every :data:`VERSION_SECONDS` — and at once after this server's own writer stored something
  (:func:`touch`), so a client reads its own write;
* single-flight: when the version moves, the first request for a value starts its one computation and
  every concurrent request for the same value waits for that one (no stampede after a write); at most one
  computation per value runs at a time;
* reads never wait long for writes: a request that has a value of an older version waits at most
  :data:`STALE_WAIT` seconds for the fresh one, then gets the older one (the computation goes on, and the
  next request gets its result). Under a stream of writes a value is thus at most one computation old; on a
  quiet server the fresh value comes back within that wait (a client reads its own write). Only the very
  first computation of a value is waited for to its end, and an error in it is the request's error;
* bounded per shape of call, LRU: the values of one function called with the same parameters present
  (``escalation()`` and ``escalation(dyad=…)`` are two shapes) share one bucket of at most
  :data:`PER_BUCKET` entries. A flood of requests for distinct dyads evicts only older dyads' values —
  never the overview's escalation, alerts, stories or claims.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
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

VERSION_SECONDS = 1.0  # a write by another process (the CLI) is seen within this
PER_BUCKET = 64
STALE_WAIT = 0.25  # seconds a request with an older value waits for the fresh one


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


@dataclass(eq=False)
class _Flight:
    """One computation in progress; the requests that want its value wait on ``done``."""

    version: Any
    done: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    error: BaseException | None = None


class AnalyticsCache:
    """Values of analytics functions per (store, function, call shape), for the current store version."""

    def __init__(
        self, per_bucket: int = PER_BUCKET, version_seconds: float = VERSION_SECONDS, stale_wait: float = STALE_WAIT
    ) -> None:
        self.per_bucket = per_bucket
        self.version_seconds = version_seconds
        self.stale_wait = stale_wait
        self._lock = threading.Lock()
        self._buckets: dict[tuple[Any, ...], OrderedDict[tuple[Any, ...], tuple[Any, Any]]] = {}
        self._flights: dict[tuple[Any, ...], _Flight] = {}
        self._versions: dict[str, tuple[float, Any]] = {}  # store url → (read at, version)
        self.computed = 0  # how many values were computed (tests and the bench read it)
        self.stale = 0  # how many requests got an older version's value

    def version(self, store: Store) -> Any:
        now = time.monotonic()
        with self._lock:
            seen = self._versions.get(store.url)
            if seen is not None and now - seen[0] < self.version_seconds:
                return seen[1]
        v = fingerprint(store)
        with self._lock:
            self._versions[store.url] = (now, v)
        return v

    def touch(self, store: Store) -> None:
        """The store changed (this server wrote to it): read its version afresh on the next call."""
        with self._lock:
            self._versions.pop(store.url, None)

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()
            self._versions.clear()

    def get(self, fn: Callable[..., Any], store: Store, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        shape = tuple(k for k, v in sorted(kwargs.items()) if v is not None)
        bucket_key = (store.url, fn.__module__, fn.__qualname__, len(args), shape)
        key = (args, tuple(sorted(kwargs.items())))
        version = self.version(store)
        with self._lock:
            bucket = self._buckets.setdefault(bucket_key, OrderedDict())
            hit = bucket.get(key)
            if hit is not None and hit[0] == version:
                bucket.move_to_end(key)
                return hit[1]
            flight = self._flights.get((bucket_key, key))
            if flight is None:
                flight = self._flights[(bucket_key, key)] = _Flight(version)
                worker = threading.Thread(
                    target=self._compute,
                    args=(flight, bucket, bucket_key, key, fn, store, args, kwargs),
                    name="brinkwatch-analytics",
                    daemon=True,
                )
                worker.start()
        if hit is not None and not flight.done.wait(self.stale_wait):
            with self._lock:
                self.stale += 1
            return hit[1]
        flight.done.wait()
        if flight.error is not None:
            raise flight.error
        return flight.value

    def _compute(
        self,
        flight: _Flight,
        bucket: OrderedDict[tuple[Any, ...], tuple[Any, Any]],
        bucket_key: tuple[Any, ...],
        key: tuple[Any, ...],
        fn: Callable[..., Any],
        store: Store,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        try:
            flight.value = jsonable(fn(store, *args, **kwargs))
        except Exception as exc:  # the waiting requests raise it
            flight.error = exc
        finally:
            with self._lock:
                self._flights.pop((bucket_key, key), None)
                if flight.error is None:
                    self.computed += 1
                    bucket[key] = (flight.version, flight.value)
                    bucket.move_to_end(key)
                    while len(bucket) > self.per_bucket:
                        bucket.popitem(last=False)
            flight.done.set()


CACHE = AnalyticsCache()


def touch(store: Store) -> None:
    CACHE.touch(store)


def _call(fn: Callable[..., Any], store: Store, *args: Any, **kwargs: Any) -> Any:
    """``fn(store, …)`` as JSON-ready values, from the cache while the store's version holds. An error in the
    analytics is an error of the page: nothing stands in for it."""
    return CACHE.get(fn, store, args, kwargs)


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
    if not Q.storable_id(incident_id):
        return None
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


def claims(
    store: Store, *, dyad: tuple[str, str] | None = None, since: str | None = None
) -> tuple[list[dict[str, Any]], str]:
    return _records(_call(claims_mod.claims, store, dyad=_str(dyad), since=since)), "analytics"


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
