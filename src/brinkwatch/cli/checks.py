"""What every read command checks before it answers: the store exists (a mistyped ``--db`` is an error, exit 2,
and creates nothing — only ``ingest`` and ``demo`` create a store), and each filter names something
(``brinkwatch.analyze.names``: unknown statuses, types, actors, dyads and dates are errors with suggestions,
exit 1 like every usage error)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from brinkwatch.cli.app import fail
from brinkwatch.core.settings import Settings

T = TypeVar("T")


def _redacted(url: str) -> str:
    from brinkwatch.store.db import redact

    return redact(url)


def missing_store(db: str) -> str | None:
    """Why ``db`` is not an existing brinkwatch store (one line), or None when it is one (or cannot be told
    without connecting: a server URL, checked when opened)."""
    from brinkwatch.store.db import resolve_url

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
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"{p} is not a brinkwatch store ({exc})"
    if found is None:
        return f"{p} is not a brinkwatch store (no schema_migrations table)"
    return None


@contextmanager
def read_store(db: str | None) -> Iterator[Any]:
    """The store of a read command: refused (exit 2, one line) if it does not exist; an unreachable server or a
    bad URL is one line too (exit 1)."""
    from brinkwatch.store.writer import Store

    settings = Settings.from_env(db=db)
    why = missing_store(settings.db)
    if why is not None:
        raise fail(why, 2)
    try:
        store = Store(settings.db)
    except Exception as exc:  # a bad URL / unreachable server is one clean line
        from brinkwatch.store.db import resolve_url

        raise fail(f"cannot open store {_redacted(resolve_url(settings.db))}: {type(exc).__name__}") from None
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
                return f"port {port} on {host} is already in use (another server?): choose another with --port"
            return f"cannot serve on {host}:{port}: {exc.strerror or exc}"
    return None
