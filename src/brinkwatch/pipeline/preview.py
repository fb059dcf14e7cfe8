"""Extraction without a store: inputs → articles (normalized) → events, for ``brinkwatch extract``."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language

from brinkwatch.coder.extract import extract_doc
from brinkwatch.coder.parse import load_nlp
from brinkwatch.core.records import Article, Event, InputFailure
from brinkwatch.core.settings import Settings
from brinkwatch.ingest.normalize import normalize
from brinkwatch.ingest.sources import iter_articles
from brinkwatch.pipeline.process import parse_plan, parsed_doc


def extract_inputs(
    inputs: list[str],
    *,
    published: str | None = None,
    settings: Settings | None = None,
    nlp: Language | None = None,
) -> Iterator[tuple[Article, list[Event]] | InputFailure]:
    """Each article of ``inputs`` (files, directories, "-" for stdin, .jsonl of {"id", "text",
    "published"?}) with its events, or one InputFailure per bad input; nothing is stored.
    ``published`` is the date for articles that carry none."""

    settings = settings or Settings.from_env()
    nlp = nlp or load_nlp(settings.spacy_model)
    for item in iter_articles(inputs, settings):
        if isinstance(item, InputFailure):
            yield item
            continue
        article = normalize(item)
        if len(article.text.encode("utf-8", "replace")) > settings.max_article_bytes:
            yield InputFailure(origin=article.origin or article.doc_id, reason="over max_article_bytes, not parsed")
            continue
        when = article.published or published
        plan = parse_plan(article.text, settings)  # over the caps: parsed within them, as ingest does
        doc = nlp(article.text) if plan.whole else parsed_doc(nlp, article.text, plan)
        yield article, extract_doc(doc, doc_id=article.doc_id, published=when, settings=settings)[1]
