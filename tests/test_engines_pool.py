"""The local engine streams through a process pool: 1 and 2 processes store exactly the same events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brinkwatch.core.settings import Settings
from brinkwatch.pipeline import process as step
from brinkwatch.pipeline import run as pipeline
from brinkwatch.store.writer import Store


def _corpus(gold_dir: Path, news_article: Path, out: Path) -> Path:
    lines = (gold_dir / "plover_gsr_dev.jsonl").read_text(encoding="utf-8").splitlines()[:24]
    rows = [
        {"id": f"gsr-{i}", "text": json.loads(line)["text"], "published": "2016-12-01"} for i, line in enumerate(lines)
    ]
    rows.append({"id": "seed", "text": news_article.read_text(encoding="utf-8"), "published": "2025-10-10"})
    out.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return out


def _stored(db: str) -> tuple[list[str], list[tuple[object, ...]]]:
    with Store(db) as store:
        events = sorted(json.dumps(ev.to_dict(), sort_keys=True) for ev in store.events(limit=100_000))
        with store.engine.connect() as conn:
            arts = [tuple(r) for r in conn.exec_driver_sql("SELECT doc_id, status, n_events FROM articles ORDER BY id")]
    return events, arts


@pytest.mark.slow
def test_one_and_two_processes_store_the_same(
    gold_dir: Path, news_article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _corpus(gold_dir, news_article, tmp_path / "in.jsonl")
    # a small corpus: let the pool start anyway (it normally waits for rounds worth two processes)
    monkeypatch.setattr(step, "MIN_ARTICLES_PER_PROCESS", 1)
    monkeypatch.setattr(step, "MIN_CHARS_PER_PROCESS", 1)
    started: list[int] = []
    real_prepare = pipeline._Submitter.prepare

    def prepare(self: pipeline._Submitter, batch: list) -> None:  # type: ignore[type-arg]
        real_prepare(self, batch)
        started.append(self.workers if self.client is not None else 1)

    monkeypatch.setattr(pipeline._Submitter, "prepare", prepare)
    out = {}
    for n in (1, 2):
        db = str(tmp_path / f"n{n}.db")
        settings = Settings(db=db, n_process=n, batch_size=4)  # rounds of 4 × n, several tasks in flight
        with Store(db) as store:
            summary = pipeline.ingest([str(src)], store=store, settings=settings)
        assert (summary.stored, summary.failed) == (25, 0)
        out[n] = _stored(db)
    assert set(started) == {1, 2}  # the 2-process run really used the pool
    assert out[1][1] == out[2][1]  # same articles, same order, same event counts
    assert out[1][0], "no event found"
    assert out[1][0] == out[2][0]
