"""A full ingest into a real PostgreSQL database gives the same record as into SQLite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from brinkwatch.core.settings import Settings
from brinkwatch.store.writer import Store

pipeline = pytest.importorskip("brinkwatch.pipeline.run")


def _inputs(tmp_path: Path, gold_dir: Path, news_article: Path) -> list[str]:
    lines = (gold_dir / "plover_gsr_dev.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    recs = []
    for i in range(0, 40, 4):  # 10 articles of 4 gold sentences each
        texts = [json.loads(x)["text"] for x in lines[i : i + 4]]
        recs.append({"id": f"gsr-{i}", "text": " ".join(texts), "published": "2016-12-0" + str(1 + i % 9)})
    recs.append({"id": "seed", "text": news_article.read_text(encoding="utf-8"), "published": "2025-10-10"})
    recs.append(
        {"id": "seed-copy", "text": news_article.read_text(encoding="utf-8") + "\n(AFP)", "published": "2025-10-10"}
    )
    path = tmp_path / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r) + "\n")
        fh.write('{"id": "broken", "text": 42}\n')  # a bad record: recorded, the batch goes on
    return [str(path)]


def _record(url: str, inputs: list[str]) -> dict[str, Any]:
    settings = Settings(n_process=1)
    with Store(url) as store:
        summary = pipeline.ingest(inputs, store=store, settings=settings)
        events = store.events(limit=10_000)
        out: dict[str, Any] = {
            "summary": {k: v for k, v in summary.to_dict().items() if k != "failures"},
            "stats": store.stats(),
            "events": sorted(json.dumps(e.to_dict(), sort_keys=True) for e in events),
            "nato": sorted(e.event_id for e in store.events(actor="NATO", limit=1000)),
            "search": sorted(e.event_id for e in store.events(text="airspace", limit=1000)),
        }
        again = pipeline.ingest(inputs, store=store, settings=settings)  # resumable: nothing new
        out["again"] = {"stored": again.stored, "unchanged": again.unchanged, "events": store.stats()["events"]}
        try:
            from brinkwatch.analyze import claims, dyads, escalation

            out["dyad"] = dyads.dyad_series(store, "NATO", "RUS").to_json()
            out["escalation"] = escalation.escalation(store, dyad="NATO:RUS").to_json()
            out["claims"] = claims.claims(store).drop(columns=["claim_id"], errors="ignore").to_json()
        except ImportError:  # analytics not there yet
            pass
    return out


@pytest.mark.slow
def test_postgres_ingest_matches_sqlite(tmp_path: Path, pg_url: str, gold_dir: Path, news_article: Path) -> None:
    inputs = _inputs(tmp_path, gold_dir, news_article)
    lite = _record(str(tmp_path / "lite.db"), inputs)
    pg = _record(pg_url, inputs)
    assert lite["summary"]["stored"] == 12 and lite["summary"]["failed"] == 1
    assert lite["stats"]["duplicates"] == 1  # the seed copy
    assert lite["stats"]["events"] > 0 and lite["events"], "nothing extracted"
    assert lite["again"] == {"stored": 0, "unchanged": 12, "events": lite["stats"]["events"]}
    for key in lite:
        assert pg[key] == lite[key], key
