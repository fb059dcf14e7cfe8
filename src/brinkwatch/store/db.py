"""Connecting to the store: SQLite file by default, PostgreSQL by URL; migrations on open."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

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
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(db: str | os.PathLike[str] | None = None) -> sa.Engine:
    url = resolve_url(db)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, future=True)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = sa.create_engine(url, future=True, pool_pre_ping=True)
    return engine


def migrate(engine: sa.Engine) -> int:
    """Apply every migration not yet applied; return the schema version."""
    with engine.begin() as conn:
        schema.schema_migrations.create(conn, checkfirst=True)
    with engine.connect() as conn:
        done = {row[0] for row in conn.execute(sa.select(schema.schema_migrations.c.version))}
    for version, name, fn in migrations.MIGRATIONS:
        if version in done:
            continue
        with engine.begin() as conn:
            fn(conn)
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=version, name=name, applied_at=dt.datetime.now(dt.UTC).isoformat()
                )
            )
    ensure_indexes(engine)
    return migrations.latest_version()


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
