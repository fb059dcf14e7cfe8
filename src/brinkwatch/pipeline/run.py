"""The ingest pipeline: sources → normalize → language → dedup → parse → extract → store → incidents.

``ingest(inputs, store=..., settings=...)`` runs the stages in order (numbered below) in rounds of
articles. The store is the only writer and each article is one transaction, so a kill -9 at any moment
leaves whole articles only, and running the same ingest again finishes the job: what is already stored
(same normalized text) is "unchanged" and adds nothing.

Parse + extract (``process``) is the pure step an engine runs elsewhere, streamed: a round is planned
(normalize, dedup) and *submitted* as tasks, then the previous round is written task by task as each
parse comes in, while the next one is parsed, so the single writer and the parsers overlap (at most
:data:`ROUNDS_IN_FLIGHT` rounds in flight). The writer also merges the stored events into incidents every
:data:`REFRESH_EVENTS` events while the workers parse (incidents do not depend on when that runs), so
little is left for the end of the stream.

* ``engine="local"``: ``settings.n_process`` worker processes (0 → min(2, cores)) from
  :func:`engines.process_pool`, started once per ingest, running parse AND extract (on Linux forked
  from this process after one model load, as ``nlp.pipe(n_process=…)`` does; elsewhere spawned, each
  loading the model once); results stream back to this single writer. The pool starts once a round is
  full (more input follows) or big enough to pay for it (at least :data:`MIN_ARTICLES_PER_PROCESS`
  articles and :data:`MIN_CHARS_PER_PROCESS` characters per process); smaller ingests, and
  ``n_process=1``, parse in this process.
* ``engine="dask"``: the same tasks on Dask workers (``engines.dask_client``, imported lazily).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from brinkwatch.core.errors import PipelineError, StageError, StoreWriteError
from brinkwatch.core.records import Article, Event, IngestSummary, InputFailure, Sentence
from brinkwatch.core.settings import Settings
from brinkwatch.ingest import dedup
from brinkwatch.ingest import sources as sources
from brinkwatch.ingest.normalize import normalize
from brinkwatch.pipeline import engines
from brinkwatch.pipeline.process import Processed, parse_processes, process, stage_of
from brinkwatch.store import db as dbmod
from brinkwatch.store.writer import Store, StoredArticle

Progress = Callable[[int, int | None], None]

ENGINES = ("local", "dask")
ROUNDS_IN_FLIGHT = 2  # a round is written while the next one is parsed
TASKS_PER_BATCH = 4  # tasks of batch_size / 4 articles on a pool or cluster
REFRESH_EVENTS = 500  # merge stored events into incidents once this many await (while the workers parse) …
REFRESH_SHARE = 0.2  # … unless merging has taken this share of the ingest so far (a dense store: merge less often)
REFRESH_MAX = 5_000  # … but never let more than this many wait (the merge after the last parse stays short)


class _Later:
    """A round parsed in this process when its result is asked for (same interface as a future)."""

    def __init__(self, articles: list[Article], settings: Settings) -> None:
        self.articles, self.settings = articles, settings

    def result(self) -> list[Processed]:
        return process(self.articles, self.settings)


class _Submitter:
    """``submit(articles)`` → a handle whose ``result()`` is ``process(articles)``, run by the engine."""

    def __init__(self, settings: Settings, client: Any = None, *, pool_ok: bool = False) -> None:
        self.settings = settings
        self.one = settings.replace(n_process=1)
        self.client = client  # a Dask client, or the local process pool once started
        self.pool_ok = pool_ok  # local engine: may start engines.process_pool
        self.workers = 1
        self.round_size = max(1, settings.batch_size)  # set by _engine
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> _Submitter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def prepare(self, batch: list[Article]) -> None:
        """Start the local pool (before planning the round) if worth it: a round big enough for several
        processes, or a full round (more input follows: a long stream of short articles)."""
        worth = parse_processes(self.settings, batch) > 1 or len(batch) >= self.round_size
        if self.client is None and self.pool_ok and worth:
            self.client = self._stack.enter_context(engines.process_pool(self.settings))
            self.workers = engines.worker_count(self.settings)

    @property
    def task_size(self) -> int:
        """Articles per task: a round (``batch_size`` × workers) makes :data:`TASKS_PER_BATCH` tasks per
        worker — small enough that the workers finish the last ones close together and the writer stores
        each task as it comes in (the stream's tail stays short)."""
        size = self.settings.batch_size // TASKS_PER_BATCH if self.client is not None else self.settings.batch_size
        return max(1, size)

    def submit(self, articles: list[Article]) -> Any:
        """A handle on the parse + extract of ``articles`` (one task; computed here if no pool/cluster)."""
        if self.client is None:
            return _Later(articles, self.one)
        return self.client.submit(engines.process_batch, articles, self.settings, pure=False)


@contextlib.contextmanager
def _engine(engine: str, scheduler: str | None, settings: Settings) -> Iterator[tuple[_Submitter, int]]:
    """(the submitter of the chosen engine, round size)."""
    n = settings.n_process if settings.n_process > 0 else min(2, os.cpu_count() or 1)
    if engine == "local":
        with _Submitter(settings, pool_ok=n > 1) as sub:
            sub.round_size = max(1, settings.batch_size) * max(1, n)
            yield sub, sub.round_size
        return
    if engine != "dask":
        raise PipelineError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    with engines.dask_client(scheduler, settings) as client, _Submitter(settings, client) as sub:
        sub.workers = engines.worker_count(settings)
        yield sub, max(1, settings.batch_size) * sub.workers


# ---------------------------------------------------------------------------------------------- plan
@dataclass(slots=True, eq=False)
class _Plan:
    article: Article
    text_hash: str
    action: str  # extract | duplicate | skip | replace
    reason: str | None = None
    minhash: bytes | None = None
    key: int | str | None = None  # pending LSH key of an original
    dup_of: int | str | None = None
    original: _Plan | None = None  # the pending original a duplicate copies (its article_id once stored)
    similarity: float | None = None
    row_id: int | None = None  # the stored article (replace)
    new_date: bool = False  # replace: the article gets the published date it was stored without
    article_id: int | None = None  # set once written
    copy_of: int | None = None  # an original found, at write, to copy an article another process stored
    foreign_seen: int = 0  # how many of the run's ``foreign`` originals the index held when this was planned


@dataclass(eq=False)
class _Unit:
    """One task of a round: its plans in input order (articles not parsed included) and the engine's handle
    on the parse + extract of those to parse (None when there are none)."""

    plans: list[_Plan]
    handle: Any = None


@dataclass(eq=False)
class _Round:
    """A planned round in flight: its tasks, what it reserves (hashes, doc_ids), how many articles it read."""

    units: list[_Unit]
    hashes: set[str]
    doc_ids: set[str]
    size: int = 0  # articles read (failed and unchanged ones included)


@dataclass
class _Run:
    store: Store
    settings: Settings
    force: bool
    engine: _Submitter
    summary: IngestSummary
    published: str | None
    _index: dedup.NearDuplicateIndex | None = None
    seen_id: int = 0  # the last stored original the index holds (later ones are looked up at each write)
    foreign: list[int] = dataclasses.field(default_factory=list)  # originals other processes stored meanwhile
    timings: dict[str, float] = dataclasses.field(default_factory=dict)  # seconds per stage (see ingest)

    @contextlib.contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - t0

    in_flight: deque[_Round] = dataclasses.field(default_factory=deque)
    pending: dict[str, _Plan] = dataclasses.field(default_factory=dict)  # pending LSH key → its plan
    n_pending: int = 0
    merged_events: int = 0  # summary.events at the last incident refresh
    started: float = dataclasses.field(default_factory=time.perf_counter)

    @property
    def unmerged(self) -> int:
        """Events stored since the last incident refresh."""
        return self.summary.events - self.merged_events

    def merge_due(self) -> bool:
        """Enough events await, and merging has not yet taken :data:`REFRESH_SHARE` of the time so far (on a
        dense store each merge reads more history, so it then waits for more events per merge) — or too many
        await (:data:`REFRESH_MAX`: what is left for the end of the stream stays bounded)."""
        if self.unmerged >= REFRESH_MAX:
            return True
        spent = self.timings.get("incidents", 0.0)
        return self.unmerged >= REFRESH_EVENTS and spent <= REFRESH_SHARE * (time.perf_counter() - self.started)

    def refresh_incidents(self) -> None:
        """9. merge the stored events into incidents (the result does not depend on when this runs)."""
        from brinkwatch.analyze import incidents

        with self.timed("incidents"), _store_writes():
            for attempt in range(1, REFRESH_ATTEMPTS + 1):
                try:
                    incidents.refresh(self.store)
                    break
                except sa.exc.DBAPIError as exc:
                    # another process's refresh created the same incident (or wrote between our read and
                    # write): its chunk is rolled back whole, and the next refresh reads the store as it is now
                    if attempt == REFRESH_ATTEMPTS or not _concurrent_write(exc):
                        raise
                    time.sleep(0.2 * attempt)
        self.merged_events = self.summary.events

    @property
    def index(self) -> dedup.NearDuplicateIndex:
        """The near-duplicate index, rebuilt from the store on first use (after the pool has started)."""
        if self._index is None:

            def pairs() -> Iterator[tuple[int, bytes]]:
                for aid, mh in self.store.iter_minhashes():
                    self.seen_id = max(self.seen_id, aid)
                    yield aid, mh

            self._index = dedup.NearDuplicateIndex.from_pairs(
                self.settings.near_duplicate_threshold, pairs(), fetch=self.store.minhashes
            )
        return self._index

    def fail(self, origin: str, reason: str) -> None:
        """Report a bad input (kept in the summary first: a store that cannot record it stops the run)."""
        failure = InputFailure(origin=origin, reason=reason)
        self.summary.failures.append(failure)
        with _store_writes():
            self.store.record_failure(failure.origin, failure.reason)

    # -------------------------------------------------------------------------------- rounds
    def submit(self, batch: list[Article]) -> None:
        """Plan a round (2.–5.) and hand its parse + extract (6.–7.) to the engine, task by task as the
        plans come (the workers start on the first task while the rest is planned); don't wait."""
        with self.timed("start_engine"):
            self.engine.prepare(batch)
        t0 = time.perf_counter()
        rnd = _Round([], set(), set(), len(batch))
        plans: list[_Plan] = []
        chunk: list[Article] = []
        step = self.engine.task_size
        for start in range(0, len(batch), step):
            # 2. normalize a task's worth of articles, then look their hashes and doc_ids up at once
            ready = [x for x in map(self.normalized, batch[start : start + step]) if x is not None]
            known = self.store.articles_by_hash(h for _, h in ready)
            taken = self.store.doc_ids_taken(a.doc_id for a, _ in ready)
            for art, h in ready:
                plan = self.plan(art, h, rnd, known, taken)
                if plan is None:
                    continue
                plans.append(plan)
                if plan.action in ("extract", "replace") and plan.reason is None:
                    chunk.append(plan.article)
                    if len(chunk) >= step:
                        rnd.units.append(_Unit(plans, self.engine.submit(chunk)))
                        plans, chunk = [], []
        if plans:
            rnd.units.append(_Unit(plans, self.engine.submit(chunk) if chunk else None))
        self.in_flight.append(rnd)
        self.timings["plan"] = self.timings.get("plan", 0.0) + time.perf_counter() - t0

    def finish(self, tick: Callable[[int], None] | None = None) -> int:
        """Write the oldest round in flight (8.), each task as soon as its parse is in (the workers go on
        with the next ones); returns how many articles the round read."""
        rnd = self.in_flight.popleft()
        i = 0
        for unit in rnd.units:
            with self.timed("wait_for_parse"):
                results = self.parse_isolated(unit)
            with self.timed("write"):
                # 8. store: one transaction per article, in input order (an original before its copies)
                for p in unit.plans:
                    self.write(p, results)
                    i += 1
                    if tick is not None:
                        tick(i)
            if self.merge_due():
                self.refresh_incidents()  # while the workers parse the next tasks: the stream's tail stays short
        return rnd.size

    def normalized(self, raw: Article) -> tuple[Article, str] | None:
        """2. the normalized article and its text hash (None, recorded as a failure, if nothing is left)."""
        where = _where(raw)
        try:
            art = normalize(raw)
        except Exception as exc:  # hostile text must not stop the batch
            self.fail(where, f"normalization failed ({type(exc).__name__}: {_short(str(exc))})")
            return None
        if not art.text.strip():
            self.fail(where, "no text after normalization")
            return None
        if art.published is None and self.published:
            art.published = self.published
        return art, dedup.text_hash(art.text)

    def plan(
        self, art: Article, h: str, rnd: _Round, known: dict[str, dict[str, Any]], taken: set[str]
    ) -> _Plan | None:
        """What to do with a normalized article; ``known``/``taken``: the stored hashes and doc_ids among
        its task's articles (looked up together)."""
        # 3. language and size: stored, flagged, not extracted
        reason = skip_reason(art, self.settings)
        # 4. exact duplicate: the same normalized text is already stored (or earlier in the rounds in flight)
        if h in rnd.hashes or any(h in r.hashes for r in self.in_flight):
            self.summary.unchanged += 1
            return None
        rnd.hashes.add(h)
        row = known.get(h)
        if row is not None:
            # stored without a date, now given one (--published): re-extracted, its events dated against it
            dated = bool(self.published) and not row.get("published") and art.published == self.published
            if (not self.force and not dated) or row["status"] == "duplicate":
                self.summary.unchanged += 1
                return None
            art.doc_id = row["doc_id"]  # same doc_id → same event ids, swapped atomically
            return _Plan(art, h, "replace", reason=reason, row_id=int(row["id"]), new_date=dated)
        art.doc_id = self.unique_doc_id(art.doc_id, h, rnd, taken)
        if reason is not None:
            return _Plan(art, h, "skip", reason=reason)
        # 5. near-duplicate (syndicated copy): MinHash + LSH against every stored original
        mh = dedup.to_bytes(dedup.minhash_of(art.text))
        hit = self.index.query(mh)
        if hit is not None:
            original = self.pending.get(hit[0]) if isinstance(hit[0], str) else None
            return _Plan(art, h, "duplicate", minhash=mh, dup_of=hit[0], original=original, similarity=round(hit[1], 4))
        key = f"pending:{self.n_pending:012d}"
        self.n_pending += 1
        self.index.add(key, mh)
        plan = _Plan(art, h, "extract", minhash=mh, key=key, foreign_seen=len(self.foreign))
        self.pending[key] = plan
        return plan

    def unique_doc_id(self, doc_id: str, h: str, rnd: _Round, stored: set[str]) -> str:
        """Event ids derive from doc_id, so two different texts never share one."""
        taken = doc_id in rnd.doc_ids or any(doc_id in r.doc_ids for r in self.in_flight)
        if taken or doc_id in stored:
            doc_id = f"{doc_id}#{h[:10]}"
        rnd.doc_ids.add(doc_id)
        return doc_id

    def parse_isolated(self, unit: _Unit) -> dict[int, Processed | Exception]:
        """A task's results; if its parse failed, parse article by article so one bad text fails alone."""
        out: dict[int, Processed | Exception] = {}
        articles = [p.article for p in unit.plans if p.action in ("extract", "replace") and p.reason is None]
        if not articles or unit.handle is None:
            return out
        try:
            for art, res in zip(articles, unit.handle.result(), strict=True):
                out[id(art)] = res
            return out
        except Exception:  # isolate the culprit below
            pass
        for art in articles:
            try:
                (res,) = self.engine.submit([art]).result()
                out[id(art)] = res
            except Exception as exc:  # recorded as this article's failure
                out[id(art)] = exc
        return out

    def write(self, p: _Plan, results: dict[int, Processed | Exception]) -> None:
        from brinkwatch.coder.extract import EXTRACTOR_VERSION

        art = p.article
        if p.key is not None:
            self.pending.pop(str(p.key), None)
        sentences: list[Sentence] = []
        events: list[Event] = []
        if p.action in ("extract", "replace") and p.reason is None:
            res = results.get(id(art))
            if isinstance(res, Exception) or res is None:
                self.fail(_where(art), processing_failure(res))
                return
            _, sentences, events = res
            events = _unique_events(events)
        try:
            if p.action == "replace":
                assert p.row_id is not None
                status = "skipped" if p.reason else "extracted"
                self.store.replace_extraction(
                    p.row_id,
                    sentences,
                    events,
                    status=status,
                    reason=p.reason,
                    extractor_version=None if p.reason else EXTRACTOR_VERSION,
                    published=art.published if p.new_date else None,
                )
                self.summary.stored += 1
                self.summary.skipped += status == "skipped"
                self.summary.events += len(events)
                return
            item = StoredArticle(
                article=art,
                text_hash=p.text_hash,
                status="extracted",
                sentences=sentences,
                events=events,
                minhash=p.minhash,
            )
            if p.action == "extract":
                item.extractor_version = EXTRACTOR_VERSION
            elif p.action == "skip":
                item.status, item.reason = "skipped", p.reason
            else:  # duplicate
                target = p.original.article_id if p.original is not None else p.dup_of
                if p.original is not None and p.original.copy_of is not None:
                    target = p.original.copy_of  # its original turned out a copy of another process's article
                if not isinstance(target, int):
                    item.status, item.reason = "skipped", "near-duplicate of an article that failed"
                else:
                    item.status, item.duplicate_of, item.similarity = "duplicate", target, p.similarity
            aid = self.write_new(p, item)
        except (sa.exc.SQLAlchemyError, ValueError, OSError) as exc:  # refused by the database or the disk:
            # the transaction rolled back, nothing half-written; anything else is a bug and stops the run
            why = dbmod.unwritable(exc)
            if why is not None:  # no later article can be stored either: stop the run
                raise StoreWriteError(why) from exc
            if self.store.article_by_hash(p.text_hash) is not None:  # another writer stored it meanwhile
                self.summary.unchanged += 1
            else:
                self.fail(_where(art), f"not stored ({type(exc).__name__}: {_short(str(exc))})")
            return
        p.article_id = aid
        if p.key is not None:
            if p.copy_of is None:
                self.index.rename(p.key, aid)
            else:
                self.index.discard(p.key)
        self.summary.stored += 1
        self.summary.duplicates += item.status == "duplicate"
        self.summary.skipped += item.status == "skipped"
        self.summary.events += len(item.events)

    def write_new(self, p: _Plan, item: StoredArticle) -> int:
        """8. insert a new article under the store's write lock, after adding to the near-duplicate index the
        originals other processes stored since it was loaded: an original of ours that copies one of them is
        stored as its copy (two concurrent ingests of a syndicated story keep one original)."""
        with self.store.write_transaction() as conn:
            if self._index is not None:
                fresh = self.store.originals_after(conn, self.seen_id)
                for aid, mh in fresh:
                    with contextlib.suppress(ValueError):  # a damaged signature is simply not matched
                        self._index.add(aid, mh)
                    self.foreign.append(aid)
                if fresh:
                    self.seen_id = fresh[-1][0]
                since = self.foreign[p.foreign_seen :]  # stored by others after this article was planned
                if since and p.action == "extract" and p.minhash is not None:
                    hit = self._index.query(p.minhash, among=set(since))
                    if hit is not None and isinstance(hit[0], int):
                        p.copy_of = hit[0]
                        item.status, item.duplicate_of, item.similarity = "duplicate", hit[0], round(hit[1], 4)
                        item.sentences, item.events, item.extractor_version = (), (), None
            aid = self.store.write_article(item, conn)
        if self._index is not None:
            self.seen_id = aid  # nothing else was written between the look-up and this article (the lock)
        return aid


REFRESH_ATTEMPTS = 5


def _concurrent_write(exc: Exception) -> bool:
    """A write that collided with another process's (worth running again), not a broken store or bad data."""
    if isinstance(exc, sa.exc.IntegrityError):
        return True
    return "database is locked" in str(getattr(exc, "orig", exc)) or getattr(
        getattr(exc, "orig", None), "sqlstate", None
    ) in ("40001", "40P01")  # PostgreSQL serialization failure, deadlock


@contextlib.contextmanager
def _store_writes() -> Iterator[None]:
    """A write the run cannot go on without: a store that cannot be written raises StoreWriteError."""
    try:
        yield
    except StoreWriteError:
        raise
    except Exception as exc:
        why = dbmod.unwritable(exc)
        if why is None:
            raise
        raise StoreWriteError(why) from exc


def _unique_events(events: list[Event]) -> list[Event]:
    """One event per event_id (the store's unique key): an extractor's repeat would fail the article."""
    seen: set[str] = set()
    out = []
    for ev in events:
        if ev.event_id not in seen:
            seen.add(ev.event_id)
            out.append(ev)
    return out


def skip_reason(article: Article, settings: Settings) -> str | None:
    """Why an article is stored but not extracted (size, language), or None."""
    size = len(article.text.encode("utf-8", errors="surrogatepass"))
    if size > settings.max_article_bytes:
        return f"article is {size} bytes, over max_article_bytes ({settings.max_article_bytes})"
    wanted = {x.strip().lower() for x in settings.languages.split(",") if x.strip()}
    lang = (article.language or "").lower().replace("_", "-").split("-")[0]
    if lang and wanted and lang not in wanted:
        return f"language {lang} not extracted"
    return None


def _where(art: Article) -> str:
    origin = art.origin or art.doc_id
    return origin if art.doc_id in origin else f"{origin} ({art.doc_id})"


def processing_failure(exc: BaseException | None) -> str:
    """The recorded reason of an article whose parse or extraction failed, led by the stage:
    ``parse failed (…)``, ``extraction failed (…)``, or a coder stage's own (``StageError``: ``<stage> failed on
    <field> (…)``); ``extraction failed (…)`` too when the stage is unknown (a worker that died)."""
    if isinstance(exc, StageError):
        cause = exc.cause
        return f"{exc.stage} failed on {exc.field} ({type(cause).__name__}: {_short(str(cause))})"
    what = "parse failed" if exc is not None and stage_of(exc) == "parse" else "extraction failed"
    return f"{what} ({type(exc).__name__}: {_short(str(exc))})"


def _short(s: str, n: int = 160) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


# ---------------------------------------------------------------------------------------------- entry point
def ingest(
    inputs: list[str],
    *,
    store: Store,
    settings: Settings,
    force: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
    published: str | None = None,
    stdin: Any = None,
    timings: dict[str, float] | None = None,
) -> IngestSummary:
    """Ingest every input into ``store``; bad inputs are recorded and returned, the batch goes on. A store
    that cannot be written stops the run: :class:`StoreWriteError` (its ``summary``: what was done so far).

    ``published`` is the date given to articles that carry none (``ingest --published``). ``timings``, if
    given, receives the seconds this process spent per stage: ``start_engine`` (pool start, model load),
    ``plan`` (read, normalize, dedup, submit), ``wait_for_parse`` (idle while the engine parses, or
    parsing here without a pool), ``write`` (store), ``incidents`` (the refresh), ``total``.
    """
    t_start = time.perf_counter()
    summary = IngestSummary()
    try:
        total = sources.estimate_total(inputs) if progress is not None else None
        with _engine(engine, scheduler, settings) as (submitter, round_size):
            run = _Run(store, settings, force, submitter, summary, published)
            done = 0

            def report(n: int) -> None:
                if progress is not None:
                    progress(n, max(total, n) if total else None)

            def finish_oldest() -> None:
                nonlocal done
                base = done
                done += run.finish(tick=lambda i: report(base + i))
                report(done)

            # 1. read sources (lazily: a few rounds of articles in memory at a time)
            for batch in _rounds(sources.iter_articles(inputs, settings, stdin=stdin), round_size, run):
                summary.seen += len(batch)
                run.submit(batch)  # 2.–7.: planned here, parsed and extracted by the engine

                while len(run.in_flight) >= ROUNDS_IN_FLIGHT:
                    finish_oldest()  # 8. (while the rounds after it are parsed)
            while run.in_flight:
                finish_oldest()
        run.refresh_incidents()  # 9. the rest (and the copies of stored articles)
    except StoreWriteError as exc:  # the store cannot be written: what was done so far goes with the error
        exc.summary = summary
        raise
    if timings is not None:
        timings.update(run.timings, total=time.perf_counter() - t_start)
    return summary


def _rounds(items: Iterable[Article | InputFailure], size: int, run: _Run) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        if isinstance(item, InputFailure):
            run.fail(item.origin, item.reason)
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
