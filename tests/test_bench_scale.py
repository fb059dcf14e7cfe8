"""The scale stages of the benchmark (``bench --stream-articles/--resume-articles``) measure what they claim.

No timing thresholds: the stages are run small, and what is checked is that they kill, resume and compare
for real (and that the comparison would see a difference).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from brinkwatch.dev import bench_scale, synth


def _pool(gold_dir: Path) -> list[str]:
    return synth.sentence_pool(sorted(gold_dir.glob("*.jsonl")), [])


def test_short_corpus_writes_distinct_short_articles(tmp_path: Path, gold_dir: Path) -> None:
    path = tmp_path / "c.jsonl"
    info = bench_scale.short_corpus(_pool(gold_dir), 60, path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert info["articles"] == len(rows) == 60
    assert len({r["text"] for r in rows}) == 60 and len({r["id"] for r in rows}) == 60
    assert info["words"] == sum(len(r["text"].split()) for r in rows)
    assert max(len(r["text"].split()) for r in rows) < 400  # a few sentences, not a long article


def test_memory_curve_is_the_running_peak_per_tenth() -> None:
    points = [(0, 5), (10, 7), (20, 6), (50, 9), (100, 8)]
    samples = [{"s": float(i), "stored": s, "pss": p, "rss": p} for i, (s, p) in enumerate(points)]
    curve = bench_scale.memory_curve(samples, 100, parts=4)
    assert [c["stored"] for c in curve] == [25, 50, 75, 100]
    assert [c["peak_pss_bytes"] for c in curve] == [7, 9, 9, 9]
    assert [c["seconds"] for c in curve] == [3.0, 3.0, 4.0, 4.0]  # when each quarter was stored


def test_stored_articles_reads_a_store_or_says_none(tmp_path: Path) -> None:
    assert bench_scale.stored_articles(tmp_path / "missing.db") is None
    db = tmp_path / "x.db"
    with closing(sqlite3.connect(db)) as conn, conn:  # commits, then closes (3.13 warns on an unclosed one)
        conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO articles (id) VALUES (?)", [(i,) for i in range(7)])
    assert bench_scale.stored_articles(db) == 7


@pytest.mark.slow
def test_resume_stage_kills_resumes_and_compares(tmp_path: Path, gold_dir: Path) -> None:
    said: list[str] = []
    out = bench_scale.bench_resume(_pool(gold_dir), 160, tmp_path, sys.executable, said.append)
    assert out["killed"] is True and 80 <= (out["stored_when_killed"] or 0) < 160
    assert out["identical"] is True, out["equal"]
    assert out["stats"]["articles"] == 160 and out["stats"]["events"] > 0 and out["stats"]["incidents"] > 0
    # the comparison sees a difference: drop one incident from the resumed store
    cut, clean = tmp_path / "resume-cut.db", tmp_path / "resume-clean.db"
    with closing(sqlite3.connect(cut)) as conn, conn:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("DELETE FROM incidents WHERE id = (SELECT min(id) FROM incidents)")
    a, b = bench_scale._fingerprint(cut), bench_scale._fingerprint(clean)
    assert a["incidents"] != b["incidents"] and a["stats"] != b["stats"]
