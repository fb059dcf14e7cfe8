"""The pipeline on real stores: re-runs add nothing, --force swaps atomically, skips, isolation, kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from brinkwatch.core.errors import PipelineError
from brinkwatch.core.records import Article
from brinkwatch.core.settings import Settings
from brinkwatch.pipeline import run as pipeline
from brinkwatch.pipeline.process import parse_processes, process
from brinkwatch.pipeline.run import ingest
from brinkwatch.store.writer import Store

ROOT = Path(__file__).resolve().parent.parent
VOCAB = [
    "the",
    "a",
    "of",
    "to",
    "in",
    "and",
    "said",
    "on",
    "for",
    "with",
    "that",
    "by",
    "from",
    "at",
    "as",
    "minister",
    "government",
    "army",
    "border",
    "talks",
    "officials",
    "president",
    "military",
    "forces",
    "country",
    "capital",
    "city",
    "region",
    "week",
    "report",
    "sanctions",
    "agreement",
    "security",
    "meeting",
    "troops",
    "visit",
    "foreign",
    "aid",
    "protest",
    "police",
    "election",
    "parliament",
    "leaders",
    "summit",
    "defence",
    "navy",
    "ceasefire",
]


def story(i: int, words: int = 60) -> str:
    rng = random.Random(i)
    sents = [" ".join(rng.choice(VOCAB) for _ in range(12)).capitalize() + "." for _ in range(words // 12)]
    return f"Report {i}: " + " ".join(sents)


def write_records(path: Path, texts: list[str], **extra: object) -> None:
    path.write_text("\n".join(json.dumps({"id": f"d{i}", "text": t, **extra}) for i, t in enumerate(texts)) + "\n")


def table(store: Store, sql: str) -> list[tuple[object, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql)]


def test_reingest_adds_nothing_and_force_swaps(db_url: str, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    write_records(src, [story(1), story(2), story(3)])
    settings = Settings(db=db_url)
    with Store(db_url) as store:
        first = ingest([str(src)], store=store, settings=settings)
        assert (first.seen, first.stored, first.unchanged, first.failed) == (3, 3, 0, 0)
        stats = store.stats()
        again = ingest([str(src)], store=store, settings=settings)
        assert (again.stored, again.unchanged) == (0, 3)
        assert store.stats() == stats
        forced = ingest([str(src)], store=store, settings=settings, force=True)
        assert (forced.stored, forced.unchanged) == (3, 0)
        assert store.stats() == stats  # same text → same sentences and event ids, swapped in place
        assert table(store, "SELECT count(*) FROM articles WHERE status = 'extracted'") == [(3,)]


def test_language_and_size_are_stored_as_skipped(tmp_path: Path) -> None:
    ru = "Москва в четверг отрицала, что её самолёты вошли в воздушное пространство Эстонии, заявили чиновники."
    src = tmp_path / "in.jsonl"
    write_records(src, [ru, story(4, words=300), story(5)])
    settings = Settings(db=str(tmp_path / "s.db"), max_article_bytes=1000)
    with Store(settings.db) as store:
        s = ingest([str(src)], store=store, settings=settings)
        assert (s.stored, s.skipped, s.failed) == (3, 2, 0)
        rows = dict(table(store, "SELECT doc_id, reason FROM articles WHERE status = 'skipped'"))
        assert rows["d0"] == "language ru not extracted"
        assert "over max_article_bytes (1000)" in str(rows["d1"])
        n_sents = table(
            store,
            "SELECT a.doc_id, count(s.id) FROM articles a LEFT JOIN sentences s "
            "ON s.article_id = a.id GROUP BY a.doc_id ORDER BY a.doc_id",
        )
        assert [(d, n > 0) for d, n in n_sents] == [("d0", False), ("d1", False), ("d2", True)]


def test_default_published_and_doc_id_collisions(tmp_path: Path) -> None:
    for sub, i in (("a", 6), ("b", 7)):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text(story(i))
    dated = tmp_path / "dated.jsonl"
    write_records(dated, [story(8)], published="2024-01-02")
    settings = Settings(db=str(tmp_path / "s.db"))
    with Store(settings.db) as store:
        ingest(
            [str(tmp_path / "a"), str(tmp_path / "b"), str(dated)],
            store=store,
            settings=settings,
            published="2025-10-10",
        )
        rows = table(store, "SELECT doc_id, published FROM articles ORDER BY id")
    assert rows[0] == ("same.txt", "2025-10-10")
    assert str(rows[1][0]).startswith("same.txt#") and rows[1][1] == "2025-10-10"
    assert rows[2] == ("d0", "2024-01-02")


def test_process_contract() -> None:
    arts = [Article(doc_id="p1", text="NATO met on Monday. Russia objected."), Article(doc_id="p2", text="Calm.")]
    out = process(arts, Settings())
    assert [a.doc_id for a, _, _ in out] == ["p1", "p2"]
    sents = out[0][1]
    assert len(sents) == 2 and all(arts[0].text[s.start : s.end] == s.text for s in sents)


def test_parse_processes_only_for_big_rounds() -> None:
    small = [Article(doc_id=str(i), text="x" * 100) for i in range(10)]
    big = [Article(doc_id=str(i), text="x" * 10_000) for i in range(200)]
    assert parse_processes(Settings(n_process=2), small) == 1
    assert parse_processes(Settings(n_process=2), big) == 2
    assert parse_processes(Settings(n_process=1), big) == 1


def test_unknown_engine(tmp_path: Path) -> None:
    with Store(str(tmp_path / "s.db")) as store, pytest.raises(PipelineError, match="unknown engine"):
        ingest([], store=store, settings=Settings(), engine="spark")


def test_one_failing_article_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from brinkwatch.pipeline import process as step

    real = step.extract_doc

    def flaky(doc, **kw):  # type: ignore[no-untyped-def]
        if "EXPLODE" in doc.text:
            raise RuntimeError("boom")
        return real(doc, **kw)

    monkeypatch.setattr(step, "extract_doc", flaky)
    src = tmp_path / "in.jsonl"
    write_records(src, [story(9), story(10) + " EXPLODE now.", story(11)])
    settings = Settings(db=str(tmp_path / "s.db"), n_process=1)  # the patch lives in this process
    seen: list[tuple[int, int | None]] = []
    with Store(settings.db) as store:
        s = ingest([str(src)], store=store, settings=settings, progress=lambda d, t: seen.append((d, t)))
        assert (s.stored, s.failed) == (2, 1)
        assert "extraction failed (RuntimeError: boom)" in s.failures[0].reason
        assert store.stats()["articles"] == 2 and store.stats()["failed"] == 1
        assert store.failures()[0]["origin"].endswith("(d1)")
    assert seen and seen[-1][0] == 3


def test_a_failing_stage_is_named_and_fails_its_article_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in one stage (here the dates) is no silently missing field: the article is recorded as failed, with
    the stage and the field it failed on; the other articles are stored."""
    from brinkwatch.coder import dates

    real = dates.DateResolver.resolve_with_source

    def broken(self, sent, trigger):  # type: ignore[no-untyped-def]
        if "EXPLODE" in sent.doc.text:
            raise ValueError("boom")
        return real(self, sent, trigger)

    monkeypatch.setattr(dates.DateResolver, "resolve_with_source", broken)
    src = tmp_path / "in.jsonl"
    event = " Russian troops attacked Kharkiv on Monday."
    write_records(src, [story(12) + event, story(13) + event + " EXPLODE now.", story(14) + event])
    settings = Settings(db=str(tmp_path / "s.db"), n_process=1)  # the patch lives in this process
    with Store(settings.db) as store:
        s = ingest([str(src)], store=store, settings=settings)
        assert (s.stored, s.failed) == (2, 1)
        assert s.failures[0].reason == "coder.dates failed on date (ValueError: boom)"
        assert store.failures()[0]["origin"].endswith("(d1)")
        assert store.stats()["events"] >= 2  # the others' events (dates included) are stored


def _count(db: Path) -> int:
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brinkwatch", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


N_KILL_CORPUS = 1000


@pytest.mark.slow
def test_kill_9_midway_then_resume_equals_a_clean_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # enough articles that the run cannot finish between two polls, however fast ingest gets
    for i in range(N_KILL_CORPUS):
        (corpus / f"{i:04d}.txt").write_text(story(1000 + i, words=24))
    # a syndicated copy, so dedup state must also survive the kill
    (corpus / "9999_copy.txt").write_text(story(1000 + 3, words=24) + " Reuters contributed.")
    env = {**os.environ, "BRINKWATCH_BATCH_SIZE": "10", "BRINKWATCH_N_PROCESS": "1"}
    env.pop("BRINKWATCH_DB", None)
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "brinkwatch", "ingest", str(corpus), "--db", str(killed_db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    at_kill = 0
    while time.monotonic() < deadline and proc.poll() is None:
        at_kill = _count(killed_db)
        if at_kill >= 5:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert 5 <= _count(killed_db) < N_KILL_CORPUS + 1
    resumed = _run(["ingest", str(corpus), "--db", str(killed_db)], env)
    assert resumed.returncode == 0, resumed.stderr
    assert "unchanged" in resumed.stdout
    # the clean single run, right after the resumed one (a subprocess too: the very same code and settings)
    clean = _run(["ingest", str(corpus), "--db", str(clean_db)], env)
    assert clean.returncode == 0, clean.stderr
    with Store(str(killed_db)) as a, Store(str(clean_db)) as b:
        assert a.stats() == b.stats()
        assert a.stats()["articles"] == N_KILL_CORPUS + 1 and a.stats()["duplicates"] == 1
        q = "SELECT doc_id, text_hash, status, duplicate_of IS NULL, n_events FROM articles ORDER BY doc_id"
        assert table(a, q) == table(b, q)


def test_pipeline_module_documents_its_steps() -> None:
    from brinkwatch.pipeline import process as step

    src = Path(pipeline.__file__).read_text(encoding="utf-8") + Path(step.__file__).read_text(encoding="utf-8")
    for n in range(1, 10):
        assert f"# {n}. " in src
