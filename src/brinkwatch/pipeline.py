"""The ingest pipeline: sources → normalize → language → dedup → parse → extract → store → incidents.

``ingest(inputs, store=..., settings=...)`` runs the stages in order (numbered below) in rounds of
articles. The store is the only writer and each article is one transaction, so a kill -9 at any moment
leaves whole articles only, and running the same ingest again finishes the job: what is already stored
(same normalized text) is "unchanged" and adds nothing.

Parsing (``process``) is the pure step an engine may replace: ``engine="dask"`` sends it to
``engines.dask_process_iter`` (imported lazily). Locally, ``settings.n_process`` parser processes
(0 → min(2, cores)) are used only when a round is big enough to pay for starting them — at least
:data:`MIN_ARTICLES_PER_PROCESS` articles and :data:`MIN_CHARS_PER_PROCESS` characters per process —
since spaCy starts fresh processes (each loading the model, ~1–2 s) for every ``nlp.pipe`` call; smaller
rounds are parsed in this process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from . import dedup
from . import ingest as sources
from .normalize import normalize
from .records import Article, Event, IngestSummary, InputFailure, Sentence
from .settings import Settings
from .store import Store, StoredArticle

Processed = tuple[Article, list[Sentence], list[Event]]
ProcessFn = Callable[[list[Article]], list[Processed]]
Progress = Callable[[int, int | None], None]

MIN_ARTICLES_PER_PROCESS = 32
MIN_CHARS_PER_PROCESS = 100_000
ENGINES = ("local", "dask")


class PipelineError(Exception):
    """A problem with the run itself (not with one input): unknown engine, engine not installed."""


# ---------------------------------------------------------------------------------------------- parse step
def parse_processes(settings: Settings, articles: list[Article]) -> int:
    """How many parser processes a round of ``articles`` is worth (see the module doc)."""
    n = settings.n_process if settings.n_process > 0 else min(2, os.cpu_count() or 1)
    chars = sum(len(a.text) for a in articles)
    while n > 1 and (len(articles) < MIN_ARTICLES_PER_PROCESS * n or chars < MIN_CHARS_PER_PROCESS * n):
        n -= 1
    return max(1, n)


def process(articles: list[Article], settings: Settings) -> list[Processed]:
    """Parse + extract: ``(article, sentences, events)`` per article, in input order (pure: no store)."""
    if not articles:
        return []
    from .extract import extract_doc
    from .parse import load_nlp

    nlp = load_nlp(settings.spacy_model)
    longest = max(len(a.text) for a in articles)
    if longest >= nlp.max_length:  # size is bounded upstream by max_article_bytes
        nlp.max_length = longest + 1
    n = parse_processes(settings, articles)
    # 6. parse
    docs = nlp.pipe((a.text for a in articles), batch_size=max(1, settings.batch_size), n_process=n)
    out: list[Processed] = []
    for art, doc in zip(articles, docs, strict=True):
        # 7. extract: sentences and events of the parsed article
        sentences, events = extract_doc(doc, doc_id=art.doc_id, published=art.published, settings=settings)
        out.append((art, list(sentences), list(events)))
    return out


@contextlib.contextmanager
def _engine(engine: str, scheduler: str | None, settings: Settings) -> Iterator[tuple[ProcessFn, int]]:
    """(the parse function for a round, round size) of the chosen engine."""
    if engine == "local":
        n = settings.n_process if settings.n_process > 0 else min(2, os.cpu_count() or 1)
        yield (lambda arts: process(arts, settings)), max(1, settings.batch_size) * n
        return
    if engine != "dask":
        raise PipelineError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    try:  # imported by name: engines imports this module too
        engines: Any = importlib.import_module(f"{__package__}.engines")
    except ModuleNotFoundError as exc:
        raise PipelineError("engine 'dask' needs brinkwatch.engines, which is not installed") from exc
    with engines.dask_client(scheduler, settings) as client:
        workers = engines.worker_count(settings)

        def run(arts: list[Article]) -> list[Processed]:
            return list(engines.dask_process_iter(arts, settings, client=client))

        yield run, max(1, settings.batch_size) * (2 * workers + 2)


# ---------------------------------------------------------------------------------------------- plan
@dataclass(slots=True)
class _Plan:
    article: Article
    text_hash: str
    action: str  # extract | duplicate | skip | replace
    reason: str | None = None
    minhash: Any = None
    key: int | str | None = None  # pending LSH key of an original
    dup_of: int | str | None = None
    similarity: float | None = None
    row_id: int | None = None  # the stored article (replace)


@dataclass
class _Run:
    store: Store
    settings: Settings
    force: bool
    parse: ProcessFn
    index: dedup.NearDuplicateIndex
    summary: IngestSummary
    published: str | None
    ids: dict[int | str, int] = dataclasses.field(default_factory=dict)  # pending key → article id
    n_pending: int = 0

    def fail(self, origin: str, reason: str) -> None:
        failure = InputFailure(origin=origin, reason=reason)
        self.store.record_failure(failure.origin, failure.reason)
        self.summary.failures.append(failure)

    # -------------------------------------------------------------------------------- one round
    def round(self, batch: list[Article], tick: Callable[[int], None] | None = None) -> None:
        plans: list[_Plan] = []
        seen_hashes: set[str] = set()
        taken_ids: set[str] = set()
        for raw in batch:
            plan = self.plan(raw, seen_hashes, taken_ids)
            if plan is not None:
                plans.append(plan)
        # 6. parse (nlp.pipe) and 7. extract (extract_doc) every article to be extracted: see process()
        to_parse = [p.article for p in plans if p.action in ("extract", "replace") and p.reason is None]
        results = self.parse_isolated(to_parse)
        # 8. store: one transaction per article, in input order (an original before its copies)
        for i, p in enumerate(plans, start=1):
            self.write(p, results)
            if tick is not None:
                tick(i)

    def plan(self, raw: Article, seen_hashes: set[str], taken_ids: set[str]) -> _Plan | None:
        where = _where(raw)
        # 2. normalize
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
        h = dedup.text_hash(art.text)
        # 3. language and size: stored, flagged, not extracted
        reason = skip_reason(art, self.settings)
        # 4. exact duplicate: the same normalized text is already stored (or earlier in this round)
        if h in seen_hashes:
            self.summary.unchanged += 1
            return None
        seen_hashes.add(h)
        row = self.store.article_by_hash(h)
        if row is not None:
            if not self.force or row["status"] == "duplicate":
                self.summary.unchanged += 1
                return None
            art.doc_id = row["doc_id"]  # same doc_id → same event ids, swapped atomically
            return _Plan(art, h, "replace", reason=reason, row_id=int(row["id"]))
        art.doc_id = self.unique_doc_id(art.doc_id, h, taken_ids)
        if reason is not None:
            return _Plan(art, h, "skip", reason=reason)
        # 5. near-duplicate (syndicated copy): MinHash + LSH against every stored original
        mh = dedup.minhash_of(art.text)
        hit = self.index.query(mh)
        if hit is not None:
            return _Plan(art, h, "duplicate", minhash=mh, dup_of=hit[0], similarity=round(hit[1], 4))
        key = f"pending:{self.n_pending:012d}"
        self.n_pending += 1
        self.index.add(key, mh)
        return _Plan(art, h, "extract", minhash=mh, key=key)

    def unique_doc_id(self, doc_id: str, h: str, taken: set[str]) -> str:
        """Event ids derive from doc_id, so two different texts never share one."""
        if doc_id in taken or self.store.doc_id_taken(doc_id):
            doc_id = f"{doc_id}#{h[:10]}"
        taken.add(doc_id)
        return doc_id

    def parse_isolated(self, articles: list[Article]) -> dict[int, Processed | Exception]:
        """Parse a round; if it fails, parse article by article so one bad text fails alone."""
        out: dict[int, Processed | Exception] = {}
        if not articles:
            return out
        try:
            for art, res in zip(articles, self.parse(articles), strict=True):
                out[id(art)] = res
            return out
        except Exception:  # isolate the culprit below
            pass
        for art in articles:
            try:
                (res,) = self.parse([art])
                out[id(art)] = res
            except Exception as exc:  # recorded as this article's failure
                out[id(art)] = exc
        return out

    def write(self, p: _Plan, results: dict[int, Processed | Exception]) -> None:
        from .extract import EXTRACTOR_VERSION

        art = p.article
        sentences: list[Sentence] = []
        events: list[Event] = []
        if p.action in ("extract", "replace") and p.reason is None:
            res = results.get(id(art))
            if isinstance(res, Exception) or res is None:
                self.fail(_where(art), f"extraction failed ({type(res).__name__}: {_short(str(res))})")
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
                )
                self.summary.stored += 1
                self.summary.skipped += status == "skipped"
                self.summary.events += len(events)
                return
            item = StoredArticle(
                article=art, text_hash=p.text_hash, status="extracted", sentences=sentences, events=events
            )
            if p.minhash is not None:
                item.minhash = dedup.to_bytes(p.minhash)
            if p.action == "extract":
                item.extractor_version = EXTRACTOR_VERSION
            elif p.action == "skip":
                item.status, item.reason = "skipped", p.reason
            else:  # duplicate
                target = self.ids.get(p.dup_of, p.dup_of) if p.dup_of is not None else None
                if not isinstance(target, int):
                    item.status, item.reason = "skipped", "near-duplicate of an article that failed"
                else:
                    item.status, item.duplicate_of, item.similarity = "duplicate", target, p.similarity
            aid = self.store.write_article(item)
        except Exception as exc:  # the transaction rolled back: nothing half-written
            if self.store.article_by_hash(p.text_hash) is not None:  # another writer stored it meanwhile
                self.summary.unchanged += 1
            else:
                self.fail(_where(art), f"not stored ({type(exc).__name__}: {_short(str(exc))})")
            return
        if p.key is not None:
            self.ids[p.key] = aid
            self.index.rename(p.key, aid)
        self.summary.stored += 1
        self.summary.duplicates += item.status == "duplicate"
        self.summary.skipped += item.status == "skipped"
        self.summary.events += len(events)


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
) -> IngestSummary:
    """Ingest every input into ``store``; bad inputs are recorded and returned, the batch goes on.

    ``published`` is the date given to articles that carry none (``ingest --published``).
    """
    from . import incidents

    summary = IngestSummary()
    total = sources.estimate_total(inputs) if progress is not None else None
    index = dedup.NearDuplicateIndex.from_pairs(settings.near_duplicate_threshold, store.iter_minhashes())
    with _engine(engine, scheduler, settings) as (parse, round_size):
        run = _Run(store, settings, force, parse, index, summary, published)
        done = 0

        def report(n: int) -> None:
            if progress is not None:
                progress(n, max(total, n) if total else None)

        # 1. read sources (lazily: one round of articles in memory at a time)
        for batch in _rounds(sources.iter_articles(inputs, settings, stdin=stdin), round_size, run):
            summary.seen += len(batch)
            run.round(batch, tick=lambda i, base=done: report(base + i))  # type: ignore[misc]  # 2.–8.
            done += len(batch)
            report(done)
    # 9. merge the new events into incidents
    incidents.refresh(store)
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
