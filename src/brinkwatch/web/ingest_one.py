"""POST /api/articles → the very code ``brinkwatch ingest -`` runs, in the server's one writer.

``brinkwatch.pipeline.run.ingest(["-"], stdin=...)`` sniffs the body (a JSON record, HTML or plain text),
normalizes, deduplicates, parses, extracts, stores (one transaction per article) and refreshes incidents.

:class:`Writer` is the server's single writer queue (as datasette has one write thread): request bodies
wait in one bounded queue and are ingested one at a time, in order, by one child process that keeps the
parser loaded. Reads never wait for it — they run in the server process, and the store lets readers read
while one writer writes (SQLite in WAL mode; PostgreSQL's MVCC) — and its CPU time and memory are not the
server's: a parse holds no lock the readers need (the GIL included), an article that takes a gigabyte
gives it back when the child is recycled (:data:`RECYCLE_MB`), and a child that dies (killed, out of
memory) fails that one request and is started again for the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import sqlalchemy as sa

from brinkwatch.core.settings import Settings
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store

MAX_PENDING = 64  # bodies waiting for the writer; past this a POST gets 503 (Retry-After)
TIMEOUT_SECONDS = 600.0  # one article's ingest; past this the child is killed and the request fails
RECYCLE_MB = 1000  # a writer whose resident memory passed this after an article is replaced (idle: ~0.4 GB)


def _max_id(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(S.articles.c.id), 0))).scalar_one())


def ingest_body(body: bytes, *, store: Store, settings: Settings) -> dict[str, Any]:
    """Ingest one request body; return the ingest summary and the articles it stored.

    The caller serializes calls (one writer): the new articles are those with an id above the old maximum.
    """
    from brinkwatch.pipeline import run as pipeline  # the parser's imports: only the writer process needs them

    before = _max_id(store)
    summary = pipeline.ingest(["-"], store=store, settings=settings, stdin=io.BytesIO(body))
    a = S.articles
    with store.engine.connect() as conn:
        rows = [
            dict(r)
            for r in conn.execute(
                sa.select(a.c.id, a.c.doc_id, a.c.title, a.c.status, a.c.reason, a.c.n_events, a.c.duplicate_of)
                .where(a.c.id > before)
                .order_by(a.c.id)
            ).mappings()
        ]
    result = summary.to_dict() if hasattr(summary, "to_dict") else {"result": str(summary)}
    if not rows and result.get("failures"):
        raise ValueError("; ".join(str(f) for f in result["failures"]))
    return {
        "article_id": rows[0]["id"] if rows else None,
        "articles": rows,
        "events": sum(int(r["n_events"] or 0) for r in rows),
        "summary": result,
    }


class WriterBusy(Exception):
    """The queue is full: the client should retry later (503)."""


class WriteFailed(Exception):
    """The writer could not ingest the body (it died, or took longer than the timeout)."""


# ---------------------------------------------------------------------------------------------- the child
def _rss_mb() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):  # not Linux: never recycled for memory
        return 0.0


def child_main(conn: Connection, db: str, settings: Settings, recycle_mb: float) -> None:
    """The writer process: load the parser, then ingest each body it is sent and answer, until told to stop
    (None) or its memory passed ``recycle_mb`` (it answers, then exits; the server starts another)."""
    from brinkwatch.coder.parse import load_nlp

    store = Store(db)
    try:
        load_nlp(settings.spacy_model)
        conn.send(("ready", None))
        while True:
            try:
                body = conn.recv_bytes()
            except EOFError:
                return
            if not body:  # the stop message
                return
            try:
                reply: tuple[str, Any] = ("ok", ingest_body(body, store=store, settings=settings))
            except ValueError as exc:
                reply = ("refused", str(exc))
            except Exception as exc:  # the request fails with this message; the writer goes on
                reply = ("error", f"{type(exc).__name__}: {exc}"[:500])
            recycle = recycle_mb > 0 and _rss_mb() > recycle_mb
            conn.send((reply[0], reply[1], recycle))
            if recycle:
                return
    finally:
        store.close()


# ---------------------------------------------------------------------------------------------- the queue
@dataclass(eq=False)
class _Job:
    body: bytes
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[dict[str, Any]]
    queued: float = field(default_factory=time.monotonic)


class Writer:
    """The server's single writer: :meth:`submit` queues a body, one thread hands the bodies in order to one
    child process (started on the first write, or by :meth:`start`), and the future gets the result.

    ``on_write`` runs after every article stored (the analytics cache reads the store's version afresh).
    """

    def __init__(
        self,
        db: str,
        settings: Settings,
        *,
        max_pending: int = MAX_PENDING,
        timeout: float = TIMEOUT_SECONDS,
        recycle_mb: float = RECYCLE_MB,
        on_write: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        # one process parses: a process pool per request would cost a pool start (and its memory) per POST
        self.settings = settings.replace(n_process=1)
        self.timeout = timeout
        self.recycle_mb = recycle_mb
        self.on_write = on_write
        self._jobs: queue.Queue[_Job | None] = queue.Queue(maxsize=max_pending)
        self._thread: threading.Thread | None = None
        self._proc: Any = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()
        self.stopped = 0  # children stopped (recycled, died, killed)
        self.busy = threading.Event()  # set while the child ingests a body

    # -- the server's side
    def start(self) -> None:
        """Start the dispatcher (and so the child: the parser loads before the first request needs it)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="brinkwatch-writer", daemon=True)
                self._thread.start()

    async def submit(self, body: bytes) -> dict[str, Any]:
        """Ingest ``body`` after the bodies queued before it; raise ValueError (refused), WriterBusy, WriteFailed."""
        self.start()
        loop = asyncio.get_running_loop()
        job = _Job(body, loop, loop.create_future())
        try:
            self._jobs.put_nowait(job)
        except queue.Full:
            raise WriterBusy(f"{self._jobs.maxsize} articles are waiting to be written") from None
        return await job.future

    def close(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join(timeout=self.timeout + 30)
        self._stop_child()

    # -- the dispatcher thread
    def _run(self) -> None:
        with contextlib.suppress(WriteFailed):  # a child that cannot start fails the first request instead
            self._ensure_child()
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if job.future.done():  # the client went away while it waited
                continue
            try:
                outcome: tuple[str, Any] = ("ok", self._ingest(job.body))
            except (ValueError, WriteFailed) as exc:
                outcome = ("error", exc)
            job.loop.call_soon_threadsafe(_settle, job.future, outcome)
            if self._proc is None and self._jobs.empty():  # recycled or died: the next one loads its parser now
                with contextlib.suppress(WriteFailed):
                    self._ensure_child()

    def _ensure_child(self) -> Connection:
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            return self._conn
        self._stop_child()
        ctx = multiprocessing.get_context("spawn")  # the server has threads: never fork it
        parent, child = ctx.Pipe()
        proc = ctx.Process(
            target=child_main,
            args=(child, self.db, self.settings, self.recycle_mb),
            name="brinkwatch-writer",
            daemon=True,
        )
        proc.start()
        child.close()
        self._proc, self._conn = proc, parent
        if not parent.poll(self.timeout):
            self._stop_child(kill=True)
            raise WriteFailed("the writer process did not start")
        try:
            kind, _ = parent.recv()
        except EOFError:
            self._stop_child(kill=True)
            raise WriteFailed("the writer process exited while starting") from None
        if kind != "ready":  # pragma: no cover - the child only says ready
            raise WriteFailed(f"the writer process said {kind!r}")
        return parent

    def _ingest(self, body: bytes) -> dict[str, Any]:
        conn = self._ensure_child()
        self.busy.set()
        try:
            conn.send_bytes(body)
            if not conn.poll(self.timeout):
                self._stop_child(kill=True)
                raise WriteFailed(f"ingesting this article took more than {self.timeout:.0f} s; it was stopped")
            kind, value, recycle = conn.recv()
        except (EOFError, OSError):
            self._stop_child(kill=True)
            raise WriteFailed("the writer process died while ingesting this article; it was restarted") from None
        finally:
            self.busy.clear()
        if recycle:
            self._stop_child()
        if kind == "ok" and self.on_write is not None:
            self.on_write()
        if kind == "refused":
            raise ValueError(value)
        if kind == "error":
            if self.on_write is not None:
                self.on_write()  # part of it may be stored
            raise WriteFailed(str(value))
        result: dict[str, Any] = value
        return result

    def _stop_child(self, kill: bool = False) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if proc is None:
            return
        self.stopped += 1
        if conn is not None:
            if not kill:
                with contextlib.suppress(OSError):
                    conn.send_bytes(b"")
            conn.close()
        proc.join(timeout=0 if kill else 30)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=10)


def _settle(future: asyncio.Future[dict[str, Any]], outcome: tuple[str, Any]) -> None:
    if future.done():
        return
    kind, value = outcome
    if kind == "ok":
        future.set_result(value)
    else:
        future.set_exception(value)
