"""One batch through the parser and the coder: articles → (article, sentences, events), no store.

Both engines run this very code: the local process pool and Dask workers call :func:`process`.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy
from spacy.language import Language
from spacy.tokens import Doc

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


@dataclass(frozen=True)
class ParsePlan:
    """What of an article the parser reads (see :func:`parse_plan`): ``segments`` — (start, end, parsed)
    spans that cover ``text[:cut]`` in order — and why the text after ``cut`` is not parsed (None: all is)."""

    segments: tuple[tuple[int, int, bool], ...]
    cut: int
    reason: str | None

    @property
    def whole(self) -> bool:
        """Within the caps: the article is parsed in one piece, as if there were no caps."""
        return self.reason is None and all(parsed for _a, _b, parsed in self.segments)


def too_long(settings: Settings) -> str:
    return f"longer than {settings.max_sentence_chars} characters (max_sentence_chars): not parsed"


def parse_plan(text: str, settings: Settings) -> ParsePlan:
    """Bounded cost per article: the parser reads at most ``max_article_sentences`` sentences, none longer
    than ``max_sentence_chars`` characters — about ``max_article_sentences × max_sentence_chars`` characters
    at most, whatever the article. A longer sentence is only tokenized (a recorded reason); what follows the
    last sentence parsed, past the count or after such a sentence, is one sentence record with the reason.
    An article within the caps is parsed whole, as before."""
    segments: list[tuple[int, int, bool]] = []
    n, start = 0, 0
    reason: str | None = None
    for m in itertools.chain(_SENTENCE_END.finditer(text), [None]):
        end = m.end() if m is not None else len(text)
        if end <= start:
            continue
        if not text[start:end].strip():  # whitespace: goes with the segment before it
            if segments:
                segments[-1] = (segments[-1][0], end, segments[-1][2])
            start = end
            continue
        n += 1
        if n > settings.max_article_sentences:
            reason = f"not parsed: the article is over max_article_sentences ({settings.max_article_sentences})"
            break
        parsed = (m.start() if m is not None else end) - start <= settings.max_sentence_chars
        if segments and segments[-1][2] == parsed:
            segments[-1] = (segments[-1][0], end, parsed)
        else:
            segments.append((start, end, parsed))
        start = end
    if segments and not segments[-1][2]:  # nothing parsed after it: no need to tokenize it
        segments.pop()
        reason = f"not parsed: from a sentence longer than max_sentence_chars ({settings.max_sentence_chars})"
    if segments and segments[0][0] > 0:  # leading whitespace
        segments[0] = (0, segments[0][1], segments[0][2])
    cut = segments[-1][1] if segments else 0
    return ParsePlan(tuple(segments), cut if reason is not None else len(text), reason)


def _pieced_doc(nlp: Language, text: str, plan: ParsePlan) -> Doc:
    """The article's Doc from its segments: parsed ones through the pipeline, the others tokenized as one
    sentence each, joined (the text is the article's, offsets unchanged)."""
    parts: list[Doc] = []
    for a, b, parsed in plan.segments:
        if parsed:
            doc = nlp(text[a:b])
        else:
            toks = nlp.tokenizer(text[a:b])
            doc = Doc(
                nlp.vocab,
                words=[t.text for t in toks],
                spaces=[bool(t.whitespace_) for t in toks],
                heads=[0] * len(toks),  # one tree, hence one sentence the coder skips
                deps=["ROOT"] + ["dep"] * (len(toks) - 1),
            )
        doc.tensor = numpy.zeros((len(doc), 0), dtype="float32")  # (not used; widths must agree to join)
        parts.append(doc)
    return Doc.from_docs(parts, ensure_whitespace=False)


def parsed_doc(nlp: Language, text: str, plan: ParsePlan) -> Doc:
    """The Doc of ``text[:plan.cut]`` (a plan that is not ``whole``)."""
    if not plan.segments:
        return nlp.make_doc("")
    doc = _pieced_doc(nlp, text, plan)
    if doc.text != text[: plan.cut]:  # never seen: then parse what comes before the first long sentence
        first = plan.segments[0]
        doc = nlp(text[: first[1]] if first[2] else "")
    return doc


def _with_reasons(sentences: list[Sentence], text: str, plan: ParsePlan, settings: Settings) -> list[Sentence]:
    """The skip reasons of the sentences not parsed, and the rest of the text as one more sentence."""
    holes = [(a, b) for a, b, parsed in plan.segments if not parsed]
    out = [
        dataclasses.replace(s, skip_reason=too_long(settings)) if any(a <= s.start < b for a, b in holes) else s
        for s in sentences
    ]
    if plan.reason is not None:
        start = plan.cut + (len(text[plan.cut :]) - len(text[plan.cut :].lstrip()))
        end = len(text.rstrip())
        if end > start:
            out.append(Sentence(index=len(out), start=start, end=end, text=text[start:end], skip_reason=plan.reason))
    return out


def process(articles: list[Article], settings: Settings) -> list[Processed]:
    """Parse + extract: ``(article, sentences, events)`` per article, in input order (pure: no store).
    An article over the caps is parsed within them (:func:`parse_plan`)."""
    if not articles:
        return []
    nlp = load_nlp(settings.spacy_model)
    plans = [parse_plan(a.text, settings) for a in articles]
    whole = [a.text for a, plan in zip(articles, plans, strict=True) if plan.whole]
    longest = max((len(t) for t in whole), default=0)
    if longest >= nlp.max_length:  # bounded by the caps
        nlp.max_length = longest + 1
    n = parse_processes(settings, articles)
    # 6. parse
    docs = iter(nlp.pipe(whole, batch_size=max(1, settings.batch_size), n_process=n))
    out: list[Processed] = []
    for art, plan in zip(articles, plans, strict=True):
        with stage("parse"):
            doc = next(docs) if plan.whole else parsed_doc(nlp, art.text, plan)
        # 7. extract: sentences and events of the parsed article
        with stage("extract"):
            sentences, events = extract_doc(doc, doc_id=art.doc_id, published=art.published, settings=settings)
        if not plan.whole:
            sentences = _with_reasons(list(sentences), art.text, plan, settings)
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
