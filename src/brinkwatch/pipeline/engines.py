"""Processing engines: parse + extract on Dask workers, results back to the single writer.

``dask_process(articles, settings, scheduler)`` has the same contract as ``pipeline.process(articles,
settings)``: a list of ``(article, sentences, events)`` in input order. The pipeline (the only writer) stores
them, so the store never sees concurrent writers and dedup stays deterministic.

* No ``scheduler``: a :class:`distributed.LocalCluster` of worker *processes* (``settings.n_process``
  workers, 0 = one per core up to 2), one thread each, no dashboard.
* ``scheduler="tcp://host:8786"``: an existing cluster (``dask scheduler`` + ``dask worker`` on each node,
  dask-jobqueue ``SLURMCluster`` or dask-kubernetes ``KubeCluster``); workers need brinkwatch and the
  spaCy model installed.

Each task is a batch of ``settings.batch_size`` articles. A worker loads the model once: ``load_nlp`` is a
module-level cache, so every later batch on that worker reuses it. At most ``2 × workers + 2`` batches are
in flight and results are yielded in input order (:func:`dask_process_iter`), so memory stays bounded
whatever the corpus size.

distributed logs cluster start/stop at INFO and some shutdown noise at WARNING; we raise its loggers to
ERROR while a cluster we started is up (``silence_logs``), so ingest output and pytest stay clean.

:func:`process_pool` is the same idea on one machine without Dask: a persistent pool of worker processes
(spawned once, model loaded once each, ``concurrent.futures``) behind the same ``submit``/``result``
interface, so :func:`dask_process_iter` streams over it too; ``pipeline.ingest`` uses it for the local engine.
spaCy's own ``nlp.pipe(n_process=…)`` starts fresh processes on every call; a pool started once per ingest
does not (on Linux its workers are forked with the model already loaded).
"""

from __future__ import annotations

import gc
import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from brinkwatch.core.records import Article, Event, Sentence
from brinkwatch.core.settings import Settings
from brinkwatch.pipeline.process import process

Processed = tuple[Article, list[Sentence], list[Event]]


def worker_count(settings: Settings) -> int:
    """Workers for a local cluster: ``n_process``, else one per core (at most 2 by default)."""
    if settings.n_process and settings.n_process > 0:
        return settings.n_process
    return max(1, min(2, os.cpu_count() or 1))


def process_batch(articles: list[Article], settings: Settings) -> list[Processed]:
    """Parse and extract a batch in this process (what each Dask task runs on its worker).

    Uses the pipeline's own single-process path, so both engines run the very same code.
    """
    return list(process(articles, settings.replace(n_process=1)))


_DASK_LOGGERS = ("distributed", "distributed.nanny", "distributed.scheduler", "distributed.worker", "tornado")


@contextmanager
def _quiet_distributed() -> Iterator[None]:
    saved = {name: logging.getLogger(name).level for name in _DASK_LOGGERS}
    for name in _DASK_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


@contextmanager
def dask_client(scheduler: str | None, settings: Settings) -> Iterator[Any]:
    """A ``distributed.Client`` on ``scheduler``, or on a LocalCluster started (and stopped) here."""
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    with _quiet_distributed():
        cluster = LocalCluster(
            n_workers=worker_count(settings),
            threads_per_worker=1,
            processes=True,
            # The scheduler always runs an HTTP server (health routes); None would still mean port 8787,
            # which another cluster may hold: take a free loopback port instead.
            dashboard_address="127.0.0.1:0",
            host="127.0.0.1",
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()


class PoolClient:
    """A ``concurrent.futures`` process pool with the two methods of a Dask client the stream uses."""

    def __init__(self, executor: Any, n_workers: int) -> None:
        self.executor = executor
        self.n_workers = n_workers

    def submit(self, fn: Any, *args: Any, pure: bool = False) -> Any:
        return self.executor.submit(fn, *args)

    def scheduler_info(self) -> dict[str, Any]:
        return {"workers": {str(i): {} for i in range(self.n_workers)}}


def _warm_worker(model: str) -> None:
    """Load the model and everything extraction reads (lexicons, gazetteer, dateparser's locale data) once in
    the new worker — or, before a fork, once in the parent for every worker."""
    from brinkwatch.coder.extract import warm
    from brinkwatch.coder.parse import load_nlp

    warm(load_nlp(model))


PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL_SECONDS = 1.0


def _start_worker(model: str, parent: int) -> None:
    """Pool initializer: tie the worker's life to the ingest that started it, then warm it.

    A worker blocks on the task queue, whose write end its sibling workers hold too: when the parent is
    killed (SIGKILL, SIGTERM, the OOM killer) no end-of-file ever comes and, left alone, the workers would
    live on, each holding a parsed model. On Linux the kernel sends the worker SIGKILL when the parent dies
    (``PR_SET_PDEATHSIG``); everywhere a daemon thread also checks every second that the parent is still
    the one that started it."""
    _die_with_parent(parent)
    _warm_worker(model)


def _die_with_parent(parent: int) -> None:
    import signal
    import sys
    import threading

    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl here: the thread below still watches
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="brinkwatch-parent-watch", daemon=True).start()


@contextmanager
def process_pool(settings: Settings, *, fork: bool | None = None) -> Iterator[PoolClient]:
    """``worker_count(settings)`` worker processes for the life of the block (one ingest).

    ``fork`` (default: where the platform has it, i.e. Linux): the model is loaded once here and the
    workers are forked with it already in memory — no interpreter start, no imports, no model load per
    worker (what ``nlp.pipe(n_process=…)`` does too). Otherwise workers are spawned and each loads the
    model once (pool initializer). Either way a worker ends when this process does, however it ends
    (:func:`_start_worker`).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = worker_count(settings)
    if fork is None:
        fork = "fork" in multiprocessing.get_all_start_methods()
    ctx: Any
    if fork:
        _warm_worker(settings.spacy_model)  # inherited by every worker
        # the model's objects go to the collector's permanent generation before the fork: the workers'
        # collections then never walk (and so never copy-on-write) the pages they share with this process
        gc.freeze()
        # the workers only parse and extract: they never touch the store's connections or threads
        ctx = multiprocessing.get_context("fork")
    else:
        ctx = multiprocessing.get_context("spawn")  # no inherited connections, locks or threads
    try:
        with ProcessPoolExecutor(
            max_workers=n, mp_context=ctx, initializer=_start_worker, initargs=(settings.spacy_model, os.getpid())
        ) as executor:
            try:
                yield PoolClient(executor, n)
            except BaseException:  # the run stops: tasks not yet started are dropped, not parsed
                executor.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        if fork:
            gc.unfreeze()  # a long-lived caller (the web server, tests) collects as before


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


def dask_process_iter(
    articles: Iterable[Article],
    settings: Settings,
    scheduler: str | None = None,
    *,
    client: Any = None,
) -> Iterator[Processed]:
    """Stream ``(article, sentences, events)`` in input order, parsing on Dask workers.

    Pass ``client`` to reuse a running client (e.g. across several calls) — a Dask ``Client`` or a
    :func:`process_pool`; otherwise one is opened on ``scheduler`` (or a LocalCluster) for the duration.
    """
    if client is None:
        with dask_client(scheduler, settings) as own:
            yield from dask_process_iter(articles, settings, client=own)
        return
    n_workers = max(1, len(client.scheduler_info().get("workers", {})) or worker_count(settings))
    window = 2 * n_workers + 2
    pending: deque[Any] = deque()
    size = max(1, settings.batch_size)
    for batch in _batches(articles, size):
        pending.append(client.submit(process_batch, batch, settings, pure=False))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def dask_process(articles: list[Article], settings: Settings, scheduler: str | None = None) -> list[Processed]:
    """Parse + extract ``articles`` on Dask (same contract as ``pipeline.process``)."""
    return list(dask_process_iter(articles, settings, scheduler))
