"""Odd inputs in a walked folder (issue 15, item 14): a FIFO is one line (never opened), UTF-16/32 without a
byte order mark is text, and a file name with a line break cannot forge a second ``failed:`` line.
Before: the FIFO was skipped without a word, BOM-less UTF-16 was "binary (NUL bytes)", and the name wrote a
line of its own on stderr and in the failures table."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brinkwatch.cli import app
from brinkwatch.core.records import Article, InputFailure
from brinkwatch.core.settings import Settings
from brinkwatch.ingest import sources
from brinkwatch.store.writer import Store

TEXT = "Kenya deployed police officers to Haiti on Wednesday, the interior ministry said in a statement."
runner = CliRunner()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT)
    os.mkfifo(tmp_path / "pipe")
    items = list(sources.iter_articles([str(tmp_path)], Settings()))
    failures = [i for i in items if isinstance(i, InputFailure)]
    assert [(Path(f.origin).name, f.reason) for f in failures] == [("pipe", "not a regular file (a FIFO); skipped")]
    assert sum(isinstance(i, Article) for i in items) == 1
    (direct,) = list(sources.iter_articles([str(tmp_path / "pipe")], Settings()))
    assert isinstance(direct, InputFailure) and "(a FIFO)" in direct.reason


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_text_without_a_bom_is_text(tmp_path: Path, encoding: str) -> None:
    text = TEXT + " Officials called it a “first step” — café owners agreed."
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode(encoding))
    (article,) = list(sources.iter_articles([str(path)], Settings()))
    assert isinstance(article, Article) and article.text == text


def test_binary_with_nul_bytes_is_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.dat"
    path.write_bytes(bytes(range(256)) * 40)
    (failure,) = list(sources.iter_articles([str(path)], Settings()))
    assert isinstance(failure, InputFailure) and failure.reason.startswith("binary")


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "evil\nfailed: forged.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (src / "ok.txt").write_text(TEXT)
    db = str(tmp_path / "n.db")
    result = runner.invoke(app, ["ingest", str(src), "--db", db])
    assert result.exit_code == 2
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "evil\\nfailed: forged.txt: binary (PNG image), not text" in failed[0]
    with Store(db) as store:
        (row,) = store.failures()
    assert "\n" not in row["origin"] and row["origin"].endswith("evil\\nfailed: forged.txt")
