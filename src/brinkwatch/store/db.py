"""Connecting to the store: SQLite file by default, PostgreSQL by URL; migrations on open."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

from brinkwatch.core.errors import StoreError, StoreWriteError
from brinkwatch.store import migrations, schema

T = TypeVar("T")


def chunks(items: Sequence[T], n: int = 500) -> Iterator[Sequence[T]]:
    """Slices of at most ``n`` items (keeps ``IN (…)`` lists within every driver's limits)."""
    for i in range(0, len(items), n):
        yield items[i : i + n]


def resolve_url(db: str | os.PathLike[str] | None) -> str:
    """A path becomes a SQLite URL; a URL (``postgresql://…``, ``sqlite:///…``) is kept as it is."""
    if db is None:
        db = os.environ.get("BRINKWATCH_DB") or "brinkwatch.db"
    db = str(db)
    if "://" in db:
        if db.startswith("postgresql://") or db.startswith("postgres://"):
            # psycopg 3 is the driver we ship
            db = "postgresql+psycopg://" + db.split("://", 1)[1]
        return db
    return "sqlite:///" + str(Path(db).expanduser().resolve())


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA busy_timeout=30000")
    # WAL is a property of the file: set it on our stores (and new ones) only, never on another program's
    # database opened by mistake (migrate refuses that one without changing it)
    first = cur.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name = 'schema_migrations' DESC LIMIT 1"
    ).fetchone()
    if first is None or first[0] == "schema_migrations":
        _retry_locked(lambda: cur.execute("PRAGMA journal_mode=WAL"))
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _retry_locked(step: Callable[[], object], seconds: float = 30.0) -> None:
    """Run ``step``, again while SQLite answers "database is locked": switching a new file to WAL needs it
    alone for a moment, and SQLite does not wait for that (busy_timeout does not cover it) — several
    processes opening one new store at once met it under load."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def make_engine(db: str | os.PathLike[str] | None = None) -> sa.Engine:
    url = resolve_url(db)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, future=True)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = sa.create_engine(url, future=True, pool_pre_ping=True)
    return engine


MIGRATION_LOCK = 0x6272_6B77  # PostgreSQL advisory lock key ("brkw") held while migrations run
SQLITE_INTERNAL = ("sqlite_",)


def migrate(engine: sa.Engine) -> int:
    """Check that the database is a brinkwatch store (or empty) whose schema this code knows, apply every
    migration not yet applied, and return the schema version.

    Several processes may open a new store at once: the migrations run under the store's write lock
    (SQLite ``BEGIN IMMEDIATE``, PostgreSQL a transaction-level advisory lock), all pending ones in one
    transaction, after reading again which are applied — the second process finds them done. Opening an
    up-to-date store takes no lock. Raises :class:`StoreError` (one line) for a database that is not a
    brinkwatch store or whose schema is newer than this code.
    """
    with engine.connect() as conn:
        done = applied_versions(conn)
    if any(v not in done for v, _n, _f in migrations.MIGRATIONS):
        with engine.begin() as conn:
            _lock(conn)
            done = applied_versions(conn)  # another process may have migrated while we waited
            if not done:
                schema.schema_migrations.create(conn, checkfirst=True)
            for version, name, fn in migrations.MIGRATIONS:
                if version in done:
                    continue
                fn(conn)
                conn.execute(
                    schema.schema_migrations.insert().values(
                        version=version, name=name, applied_at=dt.datetime.now(dt.UTC).isoformat()
                    )
                )
    ensure_indexes(engine)
    return migrations.latest_version()


def _lock(conn: sa.Connection) -> None:
    """Take the store's write lock for the rest of this transaction (its first statement)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # waits up to busy_timeout for another writer
    elif conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})


def not_a_store(tables: list[str]) -> str:
    """Why a database holding ``tables`` (and no ``schema_migrations`` of ours) is refused: one line."""
    if not tables:
        return "not a brinkwatch store (an empty database); nothing was changed"
    shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    return f"not a brinkwatch store (it holds other tables: {shown}); nothing was changed"


def applied_versions(conn: sa.Connection) -> set[int]:
    """The migrations recorded in the store (empty for an empty database). Raises :class:`StoreError` when the
    database holds other tables and no ``schema_migrations`` of ours, or a version newer than this code."""
    tables = [t for t in sa.inspect(conn).get_table_names() if not t.startswith(SQLITE_INTERNAL)]
    if "schema_migrations" not in tables:
        if tables:
            raise StoreError(not_a_store(tables))
        return set()
    columns = {c["name"] for c in sa.inspect(conn).get_columns("schema_migrations")}
    if not {"version", "name", "applied_at"} <= columns:
        raise StoreError("not a brinkwatch store (its schema_migrations table is another program's)")
    try:
        done = {int(v) for v in conn.execute(sa.select(schema.schema_migrations.c.version)).scalars()}
    except (TypeError, ValueError):
        raise StoreError("not a brinkwatch store (its schema_migrations table is another program's)") from None
    newest, ours = max(done, default=0), migrations.latest_version()
    if newest > ours:
        raise StoreError(
            f"the store's schema version {newest} is newer than this brinkwatch's ({ours}): upgrade brinkwatch "
            "to use it; nothing was changed"
        )
    return done


def describe(exc: BaseException) -> str:
    """One line for a database error: the driver's own message without SQLAlchemy's SQL and links."""
    if isinstance(exc, StoreError):
        return str(exc)
    orig = getattr(exc, "orig", None)
    text = str(orig) if orig is not None else str(exc)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return f"{type(orig if orig is not None else exc).__name__}: {first}"[:300]


# Indexes the queries need that the schema does not declare: (name, table, columns). Created with IF NOT EXISTS
# on every open (a no-op once there); an index the schema itself declares is skipped. Empty now: the claims
# index on events(parent_event) that lived here became schema migration 3 (which keeps an index of that name
# an older store already has).
EXTRA_INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


def ensure_indexes(engine: sa.Engine) -> list[str]:
    """Create the :data:`EXTRA_INDEXES` that are missing; return the names created or checked."""
    if not EXTRA_INDEXES:
        return []
    declared = {
        tuple(c.name for c in ix.columns)
        for table in schema.metadata.tables.values()
        for ix in table.indexes
        if table.name in {t for _n, t, _c in EXTRA_INDEXES}
    }
    names = []
    with engine.begin() as conn:
        for name, table, cols in EXTRA_INDEXES:
            if cols in declared or table not in schema.metadata.tables:
                continue
            collist = ", ".join(f'"{c}"' for c in cols)
            conn.execute(sa.text(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({collist})'))
            names.append(name)
    return names


def redact(url: str) -> str:
    """The URL without its password, for ``info``, logs and error messages — also when it is malformed."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):  # not a URL SQLAlchemy reads (a bad port, a bare path)
        return _PASSWORD.sub(r"\1***@", url)


_PASSWORD = re.compile(r"(://[^/@:]*:).*@")  # scheme://user:password@ (up to the last @: passwords may hold one)


def reset_sequences(engine: sa.Engine) -> None:
    """Move every PostgreSQL id sequence past the largest id (after rows were inserted with explicit ids,
    e.g. a bulk load or a copy from SQLite). SQLite needs nothing: its rowids follow max(id)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in schema.metadata.sorted_tables:
            if "id" not in table.c or not table.c.id.autoincrement or not table.c.id.primary_key:
                continue
            seq = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}).scalar()
            if not seq:
                continue
            conn.execute(
                sa.text(
                    f'SELECT setval(:seq, COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'  # noqa: S608 - our table names
                ),
                {"seq": seq},
            )


def analyze(engine: sa.Engine) -> None:
    """Refresh the query planner's statistics (after a bulk load or a large ingest)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))


# What a database error says when the store itself cannot take a write (every later write would fail too),
# as opposed to one article's data being refused.
SQLITE_UNWRITABLE = (
    "database or disk is full",
    "disk i/o error",
    "readonly database",
    "unable to open database file",
    "database disk image is malformed",
    "file is not a database",
)
# PostgreSQL SQLSTATE classes and codes: 08 connection, 53 insufficient resources (disk full, out of memory,
# too many connections), 57 operator intervention (shutdown), 58 system error (I/O); 25006 read-only
# transaction
PG_UNWRITABLE_CLASSES = ("08", "53", "57", "58")
PG_UNWRITABLE_CODES = ("25006",)


def unwritable(exc: BaseException) -> str | None:
    """One line saying why the store cannot be written at all (disk full, read-only, I/O error, connection
    lost), or None when ``exc`` is about one write only."""
    import errno

    if isinstance(exc, StoreWriteError):
        return str(exc)
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, OSError) and orig.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO):
        return f"{type(orig).__name__}: {orig.strerror or orig}"
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str) and (sqlstate[:2] in PG_UNWRITABLE_CLASSES or sqlstate in PG_UNWRITABLE_CODES):
        return describe(exc)
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return describe(exc)
    message = str(orig).lower()
    if type(orig).__module__.startswith("sqlite3") and any(m in message for m in SQLITE_UNWRITABLE):
        return describe(exc)
    return None
