"""Opening a store: migrations under a lock (several processes at once), identity and version checked, one
line for every store that cannot be used (issue 15, items 2 and 9)."""

from __future__ import annotations

import contextlib
import multiprocessing
import socket
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from brinkwatch.cli import app
from brinkwatch.core.errors import StoreError
from brinkwatch.store import db, migrations, schema
from brinkwatch.store.writer import Store

runner = CliRunner()


def _open_at_once(url: str, barrier: multiprocessing.synchronize.Barrier) -> None:  # type: ignore[name-defined]
    barrier.wait()
    try:
        Store(url).close()
    except BaseException as exc:  # the parent reads the exit code; the reason goes to stderr
        import sys

        print(f"open failed: {db.describe(exc)}", file=sys.stderr)
        raise SystemExit(3) from None
    raise SystemExit(0)


def _race(url: str, n: int = 4) -> list[int | None]:
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(n)
    procs = [ctx.Process(target=_open_at_once, args=(url, barrier)) for _ in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    return [p.exitcode for p in procs]


def _fresh_pg(admin_url: str, name: str) -> str:
    admin = sa.create_engine(db.resolve_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def test_new_store_opened_by_several_processes_at_once(db_url: str, tmp_path: Path) -> None:
    """Four processes open the same new store at the same moment, five times over: every one opens it and the
    store ends at the latest schema version with each migration recorded once (before the lock, most rounds
    failed with ``UNIQUE constraint failed: schema_migrations.version``)."""
    for round_ in range(5):
        if db_url.startswith("postgresql"):
            url = _fresh_pg(db_url, f"{db_url.rsplit('/', 1)[1]}_r{round_}")
        else:
            url = str(tmp_path / f"race{round_}.db")
        assert _race(url) == [0, 0, 0, 0]
        with Store(url) as store:
            assert store.version == migrations.latest_version()
            with store.engine.connect() as conn:
                versions = list(conn.execute(sa.select(schema.schema_migrations.c.version)).scalars())
        assert sorted(versions) == [v for v, _n, _f in migrations.MIGRATIONS]
        if url.startswith("postgresql"):
            admin = sa.create_engine(db.resolve_url(db_url), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
            admin.dispose()


def test_migrations_are_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A migration that fails leaves the store as it was (all pending migrations are one transaction)."""
    path = tmp_path / "half.db"

    def broken(conn: sa.Connection) -> None:
        raise RuntimeError("migration bug")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:2], (3, "broken", broken)])
    with pytest.raises(RuntimeError):
        Store(path)
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "articles" not in tables and "schema_migrations" not in tables


def test_another_programs_sqlite_file_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('Ada')")
    before = path.read_bytes()
    for command in (["stats"], ["ingest", "-"], ["events"], ["incidents"], ["serve"]):
        result = runner.invoke(app, [*command, "--db", str(path)], input="Kenya deployed police officers.")
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.output, result.output
        assert "not a brinkwatch store (it holds other tables: customers)" in result.stderr
    assert path.read_bytes() == before and not Path(str(path) + "-wal").exists()


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n")
    result = runner.invoke(app, ["stats", "--db", str(path)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "file is not a database" in result.stderr
    assert path.read_text() == "shopping list\n"


def test_a_newer_schema_is_refused(db_url: str) -> None:
    with Store(db_url) as store, store.engine.begin() as conn:
        conn.execute(
            schema.schema_migrations.insert().values(
                version=migrations.latest_version() + 1, name="from the future", applied_at="2030-01-01"
            )
        )
    with pytest.raises(StoreError, match="newer than this brinkwatch"):
        Store(db_url)
    for command in (["ingest", "-"], ["stats"], ["serve"]):
        result = runner.invoke(app, [*command, "--db", db_url], input="NATO met on Monday.")
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (command, result.output)
        assert f"schema version {migrations.latest_version() + 1} is newer" in result.stderr


def test_another_programs_postgresql_database_is_refused(pg_url: str) -> None:
    engine = sa.create_engine(db.resolve_url(pg_url))
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE invoices (id serial PRIMARY KEY, total numeric)"))
    engine.dispose()
    with pytest.raises(StoreError, match="invoices"):
        Store(pg_url)
    engine = sa.create_engine(db.resolve_url(pg_url))
    assert sa.inspect(engine).get_table_names() == ["invoices"]
    engine.dispose()


def test_serve_on_a_busy_port_is_one_line(tmp_path: Path) -> None:
    Store(tmp_path / "s.db").close()  # serve refuses a store that does not exist before it looks at the port
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--port", str(port)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"brinkwatch: cannot serve on 127.0.0.1:{port}: ")
