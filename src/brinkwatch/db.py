"""Connecting to the store: SQLite file by default, PostgreSQL by URL; migrations on open."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import sqlalchemy as sa

from . import schema


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
    for version, name, fn in schema.MIGRATIONS:
        if version in done:
            continue
        with engine.begin() as conn:
            fn(conn)
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=version, name=name, applied_at=dt.datetime.now(dt.UTC).isoformat()
                )
            )
    return schema.latest_version()


def redact(url: str) -> str:
    """The URL without its password, for ``info`` and logs."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as given, minus nothing secret
        return url
