"""A store that cannot be written (a full disk) stops the ingest with one line and exit 2; the failures go to
stderr and a side log, never into the full store; what was stored before is whole (issue 15, item 5).

Before: a 133-line traceback and exit 1 (the failure was recorded in the store that was full)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brinkwatch.cli import app
from brinkwatch.store import db as dbmod
from brinkwatch.store.writer import Store

runner = CliRunner()

TEXT = (
    "Officials in {city} said on Monday that the ministry would hold talks with NATO about the airspace "
    "incidents, and that the talks would begin next week. Protesters gathered outside the embassy in {city} "
    "on Tuesday to demand the release of the detained journalists, according to local media."
)
CITIES = ["Tallinn", "Riga", "Vilnius", "Warsaw", "Helsinki", "Oslo", "Berlin", "Paris", "Madrid", "Rome",
          "Vienna", "Prague", "Budapest", "Sofia", "Athens", "Lisbon", "Dublin", "Bern", "Ankara", "Kyiv"]  # fmt: skip


def _full_after(pages: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every new connection may grow the file to ``pages`` pages only (SQLite reports a full disk)."""
    pragmas = dbmod._sqlite_pragmas

    def limited(conn: object, record: object) -> None:
        pragmas(conn, record)
        conn.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[attr-defined]

    monkeypatch.setattr(dbmod, "_sqlite_pragmas", limited)


def test_full_store_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "full.db"
    Store(db).close()
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    src = tmp_path / "news"
    src.mkdir()
    for i, city in enumerate(CITIES):
        (src / f"{i:02d}.txt").write_text(TEXT.format(city=city) * 6)
    (src / "00-bad.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)  # a failure to record
    monkeypatch.setenv("BRINKWATCH_N_PROCESS", "1")
    _full_after(pages + 12, monkeypatch)
    result = runner.invoke(app, ["ingest", str(src), "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"brinkwatch: cannot write to store sqlite:///{db}: OperationalError: database or disk")
    assert "failures logged in" in last
    assert "failed: " + str(src / "00-bad.bin") in result.stderr
    log = Path(str(db) + ".failures.log")
    logged = log.read_text()
    assert "00-bad.bin" in logged and "database or disk is full" in logged
    monkeypatch.undo()
    with Store(db) as store:
        stats = store.stats()
        assert 0 < stats["articles"] < len(CITIES)  # some were stored before the store filled up …
        with store.engine.connect() as conn:  # … each whole: with its sentences
            bare = conn.exec_driver_sql(
                "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = a.id)"
            ).scalar()
        assert bare == 0
    again = runner.invoke(app, ["ingest", str(src), "--db", str(db)])  # room again: the re-run finishes the job
    assert again.exit_code == 2 and "cannot write" not in again.stderr  # (exit 2: the PNG is still refused)
    with Store(db) as store:
        assert store.stats()["articles"] == len(CITIES)


def test_unwritable_says_which_errors_stop_a_run() -> None:
    import errno

    import sqlalchemy as sa

    def wrapped(orig: Exception) -> sa.exc.DBAPIError:
        return sa.exc.OperationalError("INSERT …", {}, orig)

    assert dbmod.unwritable(wrapped(sqlite3.OperationalError("database or disk is full")))
    assert dbmod.unwritable(wrapped(sqlite3.OperationalError("attempt to write a readonly database")))
    assert dbmod.unwritable(OSError(errno.ENOSPC, "No space left on device"))
    assert dbmod.unwritable(sa.exc.IntegrityError("INSERT …", {}, sqlite3.IntegrityError("UNIQUE"))) is None
    assert dbmod.unwritable(ValueError("event points to sentence 3, not stored")) is None
