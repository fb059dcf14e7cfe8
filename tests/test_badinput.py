"""Hostile inputs: each gives ONE clear failure line, the batch goes on, nothing is half-written."""

from __future__ import annotations

import json
import os
import random
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brinkwatch.cli import app
from brinkwatch.core.records import Article, InputFailure
from brinkwatch.core.settings import Settings
from brinkwatch.ingest import sources as ingest
from brinkwatch.store.writer import Store

S = Settings()
BIG = 50 * 1024 * 1024
GOOD_LINE = "Officials in {n} said the alliance would discuss new rules for pilots over the Baltic region soon."


def make_bad(d: Path) -> dict[str, str]:
    """Bad inputs (file name → a word its failure line must contain)."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b"  \n\t\n")
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (d / "doc.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (d / "arch.zip").write_bytes(b"PK\x03\x04" + bytes(100))
    rng = random.Random(7)
    (d / "noise.txt").write_bytes(bytes(rng.randrange(1, 256) for _ in range(4096)))  # binary without NULs
    with open(d / "big.txt", "wb") as f:  # 50 MB of real text
        line = b"Moscow denied that its jets entered Estonian airspace, officials said on Thursday.\n"
        for _ in range(BIG // len(line) + 1):
            f.write(line)
    (d / "nobody.html").write_text("<html><head><title>x</title><script>var a=1;</script></head><body></body></html>")
    (d / "bad.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Broken')
    return {
        "empty.txt": "empty",
        "blank.txt": "whitespace",
        "image.png": "PNG",
        "doc.pdf": "PDF",
        "arch.zip": "zip",
        "noise.txt": "binary",
        "big.txt": "max_article_bytes",
        "nobody.html": "no body text",
        "bad.rss": "malformed",
    }


def make_jsonl(path: Path) -> None:
    lines = [
        json.dumps({"id": f"l{n}", "text": GOOD_LINE.format(n=f"city number {n} of {n * 7}")}) for n in range(1, 9)
    ]
    lines[6] = '{"id": "l7", "text": "unterminated'
    path.write_text("\n".join(lines) + "\n")


def make_loop(d: Path) -> Path:
    d.mkdir()
    (d / "inner").mkdir()
    os.symlink(d, d / "inner" / "back")  # inner/back → d: a loop
    return d


def test_each_bad_file_is_one_failure(tmp_path: Path) -> None:
    for name, word in make_bad(tmp_path).items():
        items = list(ingest.iter_articles([str(tmp_path / name)], S))
        assert len(items) == 1 and isinstance(items[0], InputFailure), (name, items)
        assert word in items[0].reason and items[0].origin == str(tmp_path / name)


def test_missing_path_and_symlink_loop(tmp_path: Path) -> None:
    (missing,) = list(ingest.iter_articles([str(tmp_path / "nope.txt")], S))
    assert isinstance(missing, InputFailure) and missing.reason == "no such file or directory"
    loop = make_loop(tmp_path / "loop")
    (loop / "inner" / "a.txt").write_text(GOOD_LINE.format(n="Riga"))
    items = list(ingest.iter_articles([str(loop)], S))
    failures = [i for i in items if isinstance(i, InputFailure)]
    assert len(failures) == 1 and "symlink loop" in failures[0].reason
    assert [a.doc_id for a in items if isinstance(a, Article)] == ["a.txt"]
    os.symlink(tmp_path / "self", tmp_path / "self")  # a symlink to itself
    (selfloop,) = list(ingest.iter_articles([str(tmp_path / "self")], S))
    assert isinstance(selfloop, InputFailure) and "symlink loop" in selfloop.reason


def test_jsonl_with_one_broken_line(tmp_path: Path) -> None:
    make_jsonl(tmp_path / "recs.jsonl")
    items = list(ingest.iter_articles([str(tmp_path / "recs.jsonl")], S))
    failures = [i for i in items if isinstance(i, InputFailure)]
    assert len(items) == 8 and len(failures) == 1
    assert failures[0].line().startswith(f"{tmp_path / 'recs.jsonl'}:7: invalid JSON (")


def test_fifty_megabytes_are_refused_without_being_read(tmp_path: Path) -> None:
    make_bad(tmp_path)
    tracemalloc.start()
    try:
        (failure,) = list(ingest.iter_articles([str(tmp_path / "big.txt")], S))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(failure, InputFailure)
    assert "over max_article_bytes" in failure.reason and "not read" in failure.reason
    assert peak < 2_000_000, f"peak Python memory {peak} bytes for a 50 MB file"


def test_jsonl_over_long_line_is_skipped_unread(tmp_path: Path) -> None:
    small = Settings(max_article_bytes=1000)
    p = tmp_path / "long.jsonl"
    p.write_text(json.dumps({"text": "x " * 5000}) + "\n" + json.dumps({"text": GOOD_LINE.format(n="Oslo")}) + "\n")
    items = list(ingest.iter_articles([str(p)], small))
    assert isinstance(items[0], InputFailure) and items[0].origin.endswith("long.jsonl:1")
    assert isinstance(items[1], Article) and len(items) == 2


def test_bad_records(tmp_path: Path) -> None:
    p = tmp_path / "r.json"
    p.write_text(json.dumps([{"text": 5}, {"title": "no text"}, "a string", {"text": GOOD_LINE.format(n="Kyiv")}]))
    items = list(ingest.iter_articles([str(p)], S))
    reasons = [i.reason for i in items if isinstance(i, InputFailure)]
    assert reasons == ["'text' is not a string", "record has no text or html", "record is a str, not an object"]
    assert isinstance(items[-1], Article)


@pytest.mark.parametrize("db_kind", ["sqlite"])
def test_matrix_in_one_cli_call(tmp_path: Path, news_article: Path, db_kind: str) -> None:
    bad = tmp_path / "bad"
    expected = make_bad(bad)
    good = tmp_path / "good"
    good.mkdir()
    make_jsonl(good / "recs.jsonl")
    english = "The café owner in Tallinn said Russian jets flew low over the old town on Thursday morning."
    (good / "latin1.txt").write_bytes(english.encode("latin-1"))
    loop = make_loop(tmp_path / "loop")
    db = str(tmp_path / "m.db")
    args = [
        "ingest",
        str(news_article),
        str(good),
        *(str(bad / n) for n in expected),
        str(tmp_path / "missing.txt"),
        str(loop),
        "--db",
        db,
        "--published",
        "2025-10-10",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == len(expected) + 3, "\n".join(lines)  # + jsonl line 7, missing path, symlink loop
    for name, word in expected.items():
        (line,) = [ln for ln in lines if f"/{name}:" in ln]
        assert word in line
    assert sum("recs.jsonl:7: invalid JSON" in ln for ln in lines) == 1
    assert "ingested 9 articles" in result.stdout
    with Store(db) as store:
        stats = store.stats()
        assert stats["articles"] == 9 and stats["failed"] == len(lines)
        assert store.article_by_hash("x") is None
        with store.engine.connect() as conn:
            origins = [r[0] for r in conn.exec_driver_sql("SELECT origin FROM articles")]
        assert not any(str(bad) in o for o in origins)
