"""The Dask engine gives exactly what the local engine gives, on real text with the real model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from brinkwatch.core.records import Article
from brinkwatch.core.settings import Settings
from brinkwatch.pipeline import engines

SEED_PUBLISHED = "2025-10-10"


def _corpus(gold_dir: Path, news_article: Path) -> list[Article]:
    lines = (gold_dir / "plover_gsr_dev.jsonl").read_text(encoding="utf-8").splitlines()
    arts = [
        Article(doc_id=f"gsr-{i}", text=json.loads(line)["text"], published="2016-12-01", language="en")
        for i, line in enumerate(lines[:20])
    ]
    arts.append(Article(doc_id="seed", text=news_article.read_text(encoding="utf-8"), published=SEED_PUBLISHED))
    return arts


def _local(articles: list[Article], settings: Settings) -> list[Any]:
    from brinkwatch.pipeline import run as pipeline

    return list(pipeline.process(articles, settings))


def _events(results: list[Any]) -> list[str]:
    return sorted(json.dumps(ev.to_dict(), sort_keys=True) for _art, _sents, evs in results for ev in evs)


def _sentences(results: list[Any]) -> list[tuple[str, int, int, int]]:
    return [(art.doc_id, s.index, s.start, s.end) for art, sents, _evs in results for s in sents]


@pytest.mark.slow
def test_dask_and_local_give_the_same_events(gold_dir: Path, news_article: Path) -> None:
    articles = _corpus(gold_dir, news_article)
    settings = Settings(n_process=2, batch_size=4)  # 6 batches over 2 worker processes
    local = _local(articles, settings.replace(n_process=1))
    dask = engines.dask_process(articles, settings)
    assert [a.doc_id for a, _s, _e in dask] == [a.doc_id for a in articles]  # input order kept
    assert _sentences(dask) == _sentences(local)
    local_events = _events(local)
    assert local_events, "the extractor found no event in the seed and 20 gold sentences"
    assert _events(dask) == local_events


def test_batches_cover_everything_once() -> None:
    arts = [Article(doc_id=str(i), text="x") for i in range(10)]
    batches = list(engines._batches(arts, 4))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert [a.doc_id for b in batches for a in b] == [str(i) for i in range(10)]


def test_worker_count_follows_settings() -> None:
    assert engines.worker_count(Settings(n_process=3)) == 3
    assert 1 <= engines.worker_count(Settings(n_process=0)) <= 2


@pytest.mark.slow
def test_process_pool_gives_the_same_as_local(gold_dir: Path, news_article: Path) -> None:
    articles = _corpus(gold_dir, news_article)
    settings = Settings(n_process=2, batch_size=5)
    local = _local(articles, settings.replace(n_process=1))
    with engines.process_pool(settings) as pool:
        first = list(engines.dask_process_iter(articles[:7], settings, client=pool))
        rest = list(engines.dask_process_iter(articles[7:], settings, client=pool))  # the pool is reused
    pooled = first + rest
    assert [a.doc_id for a, _s, _e in pooled] == [a.doc_id for a in articles]
    assert _sentences(pooled) == _sentences(local)
    assert _events(pooled) == _events(local)
