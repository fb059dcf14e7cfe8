"""The bench's ingest breakdown: where the writer process spends its time, from a real child ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from brinkwatch.dev import bench, synth

STAGES = ("start_engine", "plan", "wait_for_parse", "write", "incidents")


@pytest.mark.slow
def test_breakdown_reports_every_stage(tmp_path: Path, gold_dir: Path) -> None:
    pool = synth.sentence_pool(sorted(gold_dir.glob("*.jsonl")), [])
    info = synth.write_jsonl(synth.corpus(pool, target_words=3_000, seed=3), tmp_path / "c.jsonl")
    bd = bench.bench_breakdown(tmp_path / "c.jsonl", tmp_path / "b.db")
    secs = bd["seconds"]
    assert set(STAGES) <= set(secs) and secs["total"] > 0
    assert all(secs[k] >= 0 for k in STAGES)
    assert sum(secs[k] for k in STAGES) <= secs["total"] * 1.05 + 0.05  # stages do not overlap in the writer
    assert bd["share"]["incidents"] == pytest.approx(secs["incidents"] / secs["total"], abs=0.002)
    assert bd["process_seconds"] >= secs["total"]
    from brinkwatch.store.writer import Store

    with Store(tmp_path / "b.db") as store:
        assert store.stats()["articles"] == info["articles"]
    line = bench.summary_line({"ingest_breakdown": bd})
    assert "incidents refresh" in line
