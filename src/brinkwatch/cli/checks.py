"""What every read command checks before it answers: the store exists and is a brinkwatch store (a mistyped
``--db`` is an error, exit 2, and creates nothing — only ``ingest`` and ``demo`` create a store), and each
filter names something (``brinkwatch.analyze.names``: unknown statuses, types, actors, dyads and dates are
errors with suggestions, exit 1 like every usage error)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from brinkwatch.cli.app import fail
from brinkwatch.core.settings import Settings

T = TypeVar("T")


def redacted(db: str) -> str:
    """``db`` as a URL fit to print (a password in it hidden)."""
    from brinkwatch.store.db import redact, resolve_url

    return redact(resolve_url(db))


def missing_store(db: str) -> str | None:
    """Why ``db`` is not an existing brinkwatch store (one line), or None when it is one (or cannot be told
    without connecting: a server URL, checked when opened)."""
    from brinkwatch.store.db import SQLITE_INTERNAL, not_a_store, resolve_url

    url = resolve_url(db)
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///") :]
    if path in ("", ":memory:") or path.startswith("file:"):
        return None
    p = Path(path)
    if not p.exists():
        return f"no store at {p} (check --db or $BRINKWATCH_DB; `brinkwatch ingest` creates one)"
    if p.is_dir():
        return f"{p} is a directory, not a store"
    try:
        conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"{p} is not a brinkwatch store ({exc})"
    tables = [t for t in tables if not t.startswith(SQLITE_INTERNAL)]
    if "schema_migrations" not in tables:
        return f"{p} is {not_a_store(tables)}"
    return None


def open_store(settings: Settings) -> Any:
    """The store ``settings.db`` names, opened (and migrated). A database that is not a brinkwatch store, or
    whose schema is newer than this code, is refused (one line, exit 2: the input cannot be used); a bad URL or
    an unreachable server is one line too (exit 1)."""
    from brinkwatch.core.errors import StoreError
    from brinkwatch.store.db import describe
    from brinkwatch.store.writer import Store

    try:
        return Store(settings.db)
    except StoreError as exc:
        raise fail(f"cannot open store {redacted(settings.db)}: {exc}", 2) from None
    except Exception as exc:  # a bad URL, an unreachable server: one clean line
        raise fail(f"cannot open store {redacted(settings.db)}: {describe(exc)}") from None


@contextmanager
def read_store(db: str | None) -> Iterator[Any]:
    """The store of a read command: refused (exit 2, one line) if it does not exist or is not a brinkwatch
    store; an unreachable server or a bad URL is one line too (exit 1)."""
    settings = Settings.from_env(db=db)
    why = missing_store(settings.db)
    if why is not None:
        raise fail(why, 2)
    store = open_store(settings)
    try:
        yield store
    finally:
        store.close()


def checked(fn: Callable[..., T], value: Any, *args: Any, option: str = "") -> T:
    """``fn(value, …)`` of ``brinkwatch.analyze.names``; its error as one line (exit 1)."""
    from brinkwatch.analyze.names import UnknownName

    try:
        return fn(value, *args)
    except UnknownName as exc:
        raise fail(f"{option}: {exc}" if option else str(exc)) from None


def when(value: str | None, option: str) -> str | None:
    from brinkwatch.analyze import names

    return None if value is None else checked(names.when, value, option=option)


def side(value: str | None, store: Any, option: str) -> str | None:
    from brinkwatch.analyze import names

    return None if value is None else checked(names.side, value, store, option=option)


def dyad(value: str | None, store: Any, option: str = "dyad") -> str | None:
    from brinkwatch.analyze import names

    return None if value is None else checked(names.dyad, value, store, option=option)


def status(value: str | None) -> str | None:
    from brinkwatch.analyze import names

    return None if value is None else checked(names.status, value, option="--status")


def event_type(value: str | None) -> str | None:
    from brinkwatch.analyze import names

    return None if value is None else checked(names.event_type, value, option="--type")


def freq(value: str) -> str:
    from brinkwatch.analyze.dyads import check_freq

    try:
        return check_freq(value)
    except ValueError as exc:
        raise fail(f"--freq: {exc}") from None


def port_in_use(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be served on (one line), or None when it is free."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (
                    f"cannot serve on {host}:{port}: the port is already in use (another server?); "
                    "choose another with --port"
                )
            return f"cannot serve on {host}:{port}: {exc.strerror or exc}"
    return None
