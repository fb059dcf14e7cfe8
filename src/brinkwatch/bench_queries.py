"""Query-latency part of the benchmark: the query kinds it times, and how (see bench.py).

Each kind calls the library function the product uses (dyads, escalation, claims, ``Store.events``);
when a module is missing, a plain SQL equivalent labelled "sql-fallback" stands in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from . import synth


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    s = sorted(samples_ms)
    if not s:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "max_ms": float("nan"), "n": 0}

    def pct(q: float) -> float:
        k = (len(s) - 1) * q
        lo = int(k)
        hi = min(lo + 1, len(s) - 1)
        return s[lo] + (s[hi] - s[lo]) * (k - lo)

    return {"p50_ms": round(pct(0.5), 2), "p95_ms": round(pct(0.95), 2), "max_ms": round(s[-1], 2), "n": len(s)}


QueryFn = Callable[[Any, str, str], Any]


def refresh_analytics(store: Any) -> dict[str, Any]:
    """Run whatever analytics refresh exists after a bulk load (incidents, pre-aggregated dyad tables)."""
    import importlib

    out: dict[str, Any] = {}
    for mod_name, fn_name in (("incidents", "refresh"), ("dyads", "refresh"), ("dyads", "refresh_daily")):
        try:
            mod = importlib.import_module(f"brinkwatch.{mod_name}")
        except ImportError:
            continue
        fn = getattr(mod, fn_name, None)
        if not callable(fn):
            continue
        t0 = time.perf_counter()
        try:
            res = fn(store)
            out[f"{mod_name}.{fn_name}"] = {"seconds": round(time.perf_counter() - t0, 2), "result": _jsonable(res)}
        except Exception as exc:
            out[f"{mod_name}.{fn_name}"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out


def _jsonable(x: Any) -> Any:
    if isinstance(x, int | float | str | bool) or x is None:
        return x
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in list(x.items())[:20]}
    return str(x)[:200]


def _sql_dyad(store: Any, a: str, b: str) -> Any:
    import sqlalchemy as sa

    from . import schema as S

    e = S.events
    q = (
        sa.select(e.c.date, sa.func.count(), sa.func.sum(e.c.score))
        .where(e.c.actor == a, e.c.recipient == b, e.c.date.is_not(None))
        .group_by(e.c.date)
        .order_by(e.c.date)
    )
    with store.engine.connect() as conn:
        return conn.execute(q).all()


def _sql_escalation(store: Any, a: str, b: str) -> Any:
    import sqlalchemy as sa

    from . import schema as S

    e = S.events
    week = sa.func.substr(e.c.date, 1, 7)
    q = (
        sa.select(week, sa.func.sum(e.c.score), sa.func.count())
        .where(sa.or_(sa.and_(e.c.actor == a, e.c.recipient == b), sa.and_(e.c.actor == b, e.c.recipient == a)))
        .where(e.c.quad >= 3, e.c.factual.is_(True))
        .group_by(week)
        .order_by(week)
    )
    with store.engine.connect() as conn:
        return conn.execute(q).all()


def _sql_claims(store: Any, a: str, b: str) -> Any:
    import sqlalchemy as sa

    from . import schema as S

    e, at = S.events, S.attributions
    q = (
        sa.select(e.c.event_id, e.c.status, e.c.date, at.c.text, at.c.kind)
        .join(at, at.c.event_id == e.c.id)
        .where(e.c.actor == a, e.c.status.in_(("alleged", "denied", "speculated")))
        .order_by(e.c.date.desc())
        .limit(50)
    )
    with store.engine.connect() as conn:
        return conn.execute(q).all()


def _library_query(kind: str) -> tuple[QueryFn | None, str]:
    """The product's own function for a query kind, adapted to (store, a, b); None when absent."""
    import importlib

    try:
        if kind == "dyad":
            dyads: Any = importlib.import_module("brinkwatch.dyads")
            return (lambda store, a, b: dyads.dyad_series(store, a, b)), "dyads.dyad_series(store, A, B)"
        if kind == "escalation":
            esc: Any = importlib.import_module("brinkwatch.escalation")
            return (lambda store, a, b: esc.escalation(store, dyad=f"{a}:{b}")), "escalation.escalation(dyad=A:B)"
        if kind == "claims":
            cl: Any = importlib.import_module("brinkwatch.claims")
            return (lambda store, a, b: cl.claims(store, dyad=f"{a}:{b}")), "claims.claims(dyad=A:B)"
    except (ImportError, AttributeError):
        pass
    return None, ""


SEARCH_TERMS = ("airspace", "military", "troops")


def search_term(pool: list[str]) -> str:
    """A word the generated sentences really contain (rarer first: the search must filter, not skim)."""
    for term in SEARCH_TERMS:
        if any(term in s.lower() for s in pool):
            return term
    return "reported"


def query_suite(term: str = "airspace") -> dict[str, tuple[QueryFn, str]]:
    suite: dict[str, tuple[QueryFn, str]] = {}
    fallbacks: dict[str, QueryFn] = {"dyad": _sql_dyad, "escalation": _sql_escalation, "claims": _sql_claims}
    for kind, fb in fallbacks.items():
        fn, how = _library_query(kind)
        suite[kind] = (fn, how) if fn is not None else (fb, "sql-fallback")
    suite["search_text"] = (lambda store, a, b: store.events(text=term, limit=50), f"Store.events(text={term!r})")
    suite["search_actor"] = (lambda store, a, b: store.events(actor=a, limit=50), "Store.events(actor=A)")
    return suite


QUERY_KINDS = ("dyad", "escalation", "claims", "search_text", "search_actor")


def time_query(store: Any, kind: str, *, repeats: int = 40, term: str = "airspace") -> dict[str, Any]:
    """p50/p95 of one query kind, alternating NATO:RUS with the other hot dyads; 2 untimed warm-ups."""
    fn, how = query_suite(term)[kind]
    dyads = list(synth.HOT_DYADS)
    samples: list[float] = []
    rows = 0
    try:
        for i in range(repeats + 2):
            a, b = dyads[0] if i % 2 == 0 else dyads[i % len(dyads)]
            t0 = time.perf_counter()
            res = fn(store, a, b)
            ms = (time.perf_counter() - t0) * 1000
            if i >= 2:
                samples.append(ms)
            rows = max(rows, len(res) if hasattr(res, "__len__") else 1)
    except Exception as exc:
        return {"how": how, "error": f"{type(exc).__name__}: {exc}"[:300], "n": 0}
    return {"how": how, **percentiles(samples), "max_rows": rows}
