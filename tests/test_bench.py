"""``brinkwatch bench --quick`` runs end to end and reports every figure with sane values.

Performance itself is measured by the benchmark, not asserted here: no timing thresholds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from brinkwatch.dev import bench


@pytest.mark.slow
def test_bench_quick_reports_every_figure(tmp_path: Path, gold_dir: Path, news_article: Path) -> None:
    out = tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "brinkwatch",
            "bench",
            "--quick",
            "--gold",
            str(gold_dir),
            "--text",
            str(news_article),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=540,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (path,) = list(out.glob("bench-*.json"))
    r = json.loads(path.read_text(encoding="utf-8"))
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary == r["summary"]
    assert "× spaCy ceiling" in summary and "peak RSS" in summary and "dyad p95" in summary

    corpus = r["corpus"]
    assert corpus["articles"] >= 5 and corpus["words"] >= 6_000 and "real sentences" in corpus["pool"]

    ceiling = r["ceiling"]
    assert set(ceiling["runs"]) == {"1", "2"} and ceiling["best_n_process"] in (1, 2)
    assert ceiling["words_per_s"] == max(run["words_per_s"] for run in ceiling["runs"].values()) > 0

    ing = r["ingest"]
    assert ing["returncode"] == 0 and ing["stored_all"], ing
    assert ing["store"]["articles"] == corpus["articles"] and ing["store"]["sentences"] > corpus["articles"]
    assert ing["words_per_s"] > 0 and ing["articles_per_s"] > 0
    assert ing["ratio_to_ceiling"] == pytest.approx(ing["words_per_s"] / ceiling["words_per_s"], rel=0.01)
    assert 50 * 2**20 < ing["peak_rss_bytes"] < 16 * 2**30  # a loaded model, and not runaway

    ov = r["overhead"]
    assert ov["docs"] > 0 and ov["pipe_seconds"] > 0 and ov["pipe_extract_seconds"] > 0
    assert ov["ratio"] == pytest.approx(ov["pipe_extract_seconds"] / ov["pipe_seconds"], abs=0.01)

    q = r["queries"]
    assert q["generated"]["events"] == 20_000 and q["refresh"]["new_events"] == 500
    assert q["stats"]["events"] == 20_500 and q["stats"]["incidents"] > 20_000  # the new round was merged
    assert q["refresh"]["incidents.refresh"]["seconds"] >= 0
    for kind in ("dyad", "escalation", "claims", "search_text", "search_actor"):
        t = q["queries"][kind]
        assert "error" not in t, t
        assert t["n"] == 10 and 0 < t["p50_ms"] <= t["p95_ms"] <= t["max_ms"]
        assert t["max_rows"] > 0, f"{kind} found nothing on the generated store"
    assert r["machine"]["cores_logical"] >= 1 and r["seconds"] > 0


def test_percentiles() -> None:
    p = bench.percentiles([float(x) for x in range(1, 101)])
    assert p["p50_ms"] == pytest.approx(50.5) and p["p95_ms"] == pytest.approx(95.05) and p["max_ms"] == 100
    assert bench.percentiles([])["n"] == 0


def test_summary_line_quotes_the_figures() -> None:
    r = {
        "ceiling": {"words_per_s": 4700.0, "best_n_process": 2},
        "ingest": {"words_per_s": 3900.0, "articles_per_s": 9.5, "ratio_to_ceiling": 0.83, "peak_rss_bytes": 2**30},
        "overhead": {"extract_share": 0.12},
        "queries": {"stats": {"events": 1_000_000}, "queries": {"dyad": {"n": 40, "p95_ms": 40.2}}},
    }
    line = bench.summary_line(r)
    assert line.startswith("ingest 3,900 w/s (9.5 articles/s) = 0.83 × spaCy ceiling 4,700 w/s (2 proc)")
    assert "extraction +12%" in line and "peak RSS 1.00 GB" in line and "dyad p95 40 ms; at 1,000,000 events" in line


def test_measure_reports_failure_and_memory() -> None:
    ok = bench.measure([sys.executable, "-c", "x = bytearray(60_000_000); import time; time.sleep(0.3)"])
    assert ok["returncode"] == 0 and ok["peak_rss_bytes"] > 50_000_000
    bad = bench.measure([sys.executable, "-c", "import sys; sys.exit(3)"])
    assert bad["returncode"] == 3
