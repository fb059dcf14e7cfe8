"""One batch through the parser and the coder: articles → (article, sentences, events), no store.

Both engines run this very code: the local process pool and Dask workers call :func:`process`.
"""

from __future__ import annotations

import itertools
import os
import re

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


# A sentence, for the caps, ends at . ! ? or … (closing quotes and brackets included) before whitespace, or
# at a line break: a cheap count before parsing, close to (a little above: "U.S. officials") the parser's.
_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*\s+|\n\s*""")


def parse_extent(text: str, settings: Settings) -> tuple[int, str | None]:
    """How much of ``text`` is parsed: ``(len(text), None)`` for an article within the caps; else the offset
    where parsing stops and why — after ``max_article_sentences`` sentences, or before the first sentence
    longer than ``max_sentence_chars``. The cost of an article is about its parsed length, so the caps bound
    it: at most ``max_article_sentences × max_sentence_chars`` characters are parsed."""
    n, start = 0, 0
    for m in itertools.chain(_SENTENCE_END.finditer(text), [None]):
        end = m.end() if m is not None else len(text)
        if end <= start or not text[start:end].strip():
            start = end
            continue
        if (m.start() if m is not None else end) - start > settings.max_sentence_chars:
            return start, f"not parsed: from a sentence over max_sentence_chars ({settings.max_sentence_chars})"
        n += 1
        if n > settings.max_article_sentences:
            return start, f"not parsed: the article is over max_article_sentences ({settings.max_article_sentences})"
        start = end
    return len(text), None


def unparsed_rest(text: str, cut: int, index: int, reason: str) -> Sentence | None:
    """The text after ``cut`` as one sentence record that says why it was not parsed (None if blank)."""
    start = cut + (len(text[cut:]) - len(text[cut:].lstrip()))
    end = len(text.rstrip())
    if end <= start:
        return None
    return Sentence(index=index, start=start, end=end, text=text[start:end], skip_reason=reason)


def process(articles: list[Article], settings: Settings) -> list[Processed]:
    """Parse + extract: ``(article, sentences, events)`` per article, in input order (pure: no store).
    An article over the caps (:func:`parse_extent`) is parsed up to them; the rest is one sentence record
    with the reason."""
    if not articles:
        return []
    nlp = load_nlp(settings.spacy_model)
    extents = [parse_extent(a.text, settings) for a in articles]
    longest = max(cut for cut, _why in extents)
    if longest >= nlp.max_length:  # size is bounded upstream by max_article_bytes
        nlp.max_length = longest + 1
    n = parse_processes(settings, articles)
    # 6. parse
    texts = (a.text[:cut] for a, (cut, _why) in zip(articles, extents, strict=True))
    docs = nlp.pipe(texts, batch_size=max(1, settings.batch_size), n_process=n)
    out: list[Processed] = []
    for art, (cut, why), doc in zip(articles, extents, docs, strict=True):
        # 7. extract: sentences and events of the parsed article
        sentences, events = extract_doc(doc, doc_id=art.doc_id, published=art.published, settings=settings)
        sentences = list(sentences)
        if why is not None and (rest := unparsed_rest(art.text, cut, len(sentences), why)) is not None:
            sentences.append(rest)
        out.append((art, sentences, list(events)))
    return out
