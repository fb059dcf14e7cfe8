"""``make bench-serve`` runs end to end (few readers, a few seconds, a tiny store) and reports every figure.

Performance itself is measured by the benchmark (figures in the README), not asserted here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brinkwatch.dev import bench_serve


def test_percentile() -> None:
    assert bench_serve.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert bench_serve.percentile([5], 0.99) == 5


@pytest.mark.slow
def test_bench_serve_reports_every_figure(tmp_path: Path) -> None:
    r = bench_serve.run(work=tmp_path, readers=2, seconds=4, articles=6, say=lambda _m: None)
    assert r["errors"] == 0, r["error_samples"]
    assert r["reads"]["n"] > 0 and r["reads"]["p50_ms"] <= r["reads"]["p99_ms"]
    assert r["posts"]["n"] >= 1
    assert r["stored"]["once"] == r["stored"]["posted"] == r["posts"]["n"]
    text = bench_serve.summary(r)
    for word in ("reads", "POSTs", "p99", "stored once", "server RSS"):
        assert word in text
