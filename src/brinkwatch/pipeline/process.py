"""One batch through the parser and the coder: articles → (article, sentences, events), no store.

Both engines run this very code: the local process pool and Dask workers call :func:`process`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from brinkwatch.coder.extract import extract_doc
from brinkwatch.coder.parse import load_nlp
from brinkwatch.core.records import Article, Event, Sentence
from brinkwatch.core.settings import Settings

Processed = tuple[Article, list[Sentence], list[Event]]

MIN_ARTICLES_PER_PROCESS = 32
MIN_CHARS_PER_PROCESS = 100_000


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
    nlp = load_nlp(settings.spacy_model)
    longest = max(len(a.text) for a in articles)
    if longest >= nlp.max_length:  # size is bounded upstream by max_article_bytes
        nlp.max_length = longest + 1
    n = parse_processes(settings, articles)
    # 6. parse
    docs = iter(nlp.pipe((a.text for a in articles), batch_size=max(1, settings.batch_size), n_process=n))
    out: list[Processed] = []
    for art in articles:
        with stage("parse"):
            doc = next(docs)
        # 7. extract: sentences and events of the parsed article
        with stage("extract"):
            sentences, events = extract_doc(doc, doc_id=art.doc_id, published=art.published, settings=settings)
        out.append((art, list(sentences), list(events)))
    return out


STAGE_NOTE = "brinkwatch stage: "


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Mark an exception raised inside with the stage it came from (a note that travels with it from a
    worker process), and let it go on: the writer records it as that article's failure."""
    try:
        yield
    except Exception as exc:
        exc.add_note(STAGE_NOTE + name)
        raise


def stage_of(exc: BaseException) -> str | None:
    """The stage an exception was marked with (:func:`stage`), None when it came from elsewhere."""
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, str) and note.startswith(STAGE_NOTE):
            return note.removeprefix(STAGE_NOTE)
    return None
