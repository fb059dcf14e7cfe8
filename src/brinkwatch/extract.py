"""Extraction: a parsed document → PLOVER events with status, attribution, date, place, evidence.
(Interface stub; see issue 3.)"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .records import Event, Sentence
from .settings import Settings

EXTRACTOR_VERSION = "0.0.0"


def sentences_of(doc: Doc) -> list[Sentence]:
    return [Sentence(index=i, start=s.start_char, end=s.end_char, text=s.text) for i, s in enumerate(doc.sents)]


def extract_doc(
    doc: Doc, *, doc_id: str, published: str | None = None, settings: Settings | None = None
) -> tuple[list[Sentence], list[Event]]:
    """Sentences and events of one parsed article (offsets are in ``doc.text``)."""
    return sentences_of(doc), []


def extract_text(
    text: str,
    *,
    published: str | None = None,
    doc_id: str = "text",
    nlp: Language | None = None,
    settings: Settings | None = None,
) -> list[Event]:
    from .parse import load_nlp

    settings = settings or Settings.from_env()
    nlp = nlp or load_nlp(settings.spacy_model)
    return extract_doc(nlp(text), doc_id=doc_id, published=published, settings=settings)[1]
