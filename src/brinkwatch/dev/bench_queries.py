"""Query-latency part of the benchmark: the query kinds it times, and how (see bench.py).

Each kind calls the library function the product uses (dyads, escalation, claims, ``Store.events``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from brinkwatch.dev import synth


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
    """The analytics refreshes after a bulk load (incidents, then the pre-aggregated dyad tables), timed."""
    from brinkwatch.analyze import dyads, incidents

    out: dict[str, Any] = {}
    for name, fn in (("incidents.refresh", incidents.refresh), ("dyads.refresh", dyads.refresh)):
        t0 = time.perf_counter()
        try:
            res = fn(store)
            out[name] = {"seconds": round(time.perf_counter() - t0, 2), "result": res}
        except Exception as exc:  # reported in the bench's JSON and summary, the run goes on
            out[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out


SEARCH_TERMS = ("airspace", "military", "troops")


def search_term(pool: list[str]) -> str:
    """A word the generated sentences really contain (rarer first: the search must filter, not skim)."""
    for term in SEARCH_TERMS:
        if any(term in s.lower() for s in pool):
            return term
    return "reported"


def query_suite(term: str = "airspace") -> dict[str, tuple[QueryFn, str]]:
    from brinkwatch.analyze import claims, dyads, escalation

    return {
        "dyad": (lambda store, a, b: dyads.dyad_series(store, a, b), "dyads.dyad_series(store, A, B)"),
        "escalation": (
            lambda store, a, b: escalation.escalation(store, dyad=f"{a}:{b}"),
            "escalation.escalation(dyad=A:B)",
        ),
        "claims": (lambda store, a, b: claims.claims(store, dyad=f"{a}:{b}"), "claims.claims(dyad=A:B)"),
        "search_text": (lambda store, a, b: store.events(text=term, limit=50), f"Store.events(text={term!r})"),
        "search_actor": (lambda store, a, b: store.events(actor=a, limit=50), "Store.events(actor=A)"),
    }


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
