"""The dictionary ruler: a spaCy component that tags every surface form of the Phoenix dictionaries
(:mod:`brinkwatch.lexicon.phoenix`) in a parsed document — one-token forms case-sensitively, longer ones on
LOWER, the longest match wins — as GPE / NORP / ORG / PERSON with the entity id ``PHX|<form key>``; the actor
coder (:mod:`brinkwatch.coder.actors`) resolves the key against the article's date.

Two PhraseMatchers, not spaCy's EntityRuler: with 34k forms the EntityRuler costs seconds per 1,000 words,
the matchers about a millisecond.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, cast

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from brinkwatch.lexicon.phoenix import ENT_PREFIX, PhoenixActors, case_variants, form_key, phoenix

__all__ = ["ENT_PREFIX", "RULER_NAME", "PhoenixRuler", "add_phoenix_ruler", "form_key"]

RULER_NAME = "brinkwatch_phoenix_ruler"
_PLAIN = re.compile(r"^[A-Za-z]+(?: [A-Za-z]+)*$")


class PhoenixRuler:
    """PhraseMatchers over every surface form: one-token forms on ORTH (as written and, for names, in UPPER
    case), longer forms on LOWER; the longest match wins. A match replaces the statistical NER's entities it
    overlaps; entities that carry an entity id (the project's own ruler) are kept unless ``overwrite``."""

    def __init__(self, nlp: Language, overwrite: bool = False, data: PhoenixActors | None = None) -> None:
        data = data or phoenix()
        self.overwrite = overwrite
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.labels: dict[int, tuple[str, str]] = {}
        exact: dict[str, list[str]] = defaultdict(list)
        lower: dict[str, list[str]] = defaultdict(list)
        for form, match, label, ent_id in data.patterns():
            self.labels[nlp.vocab.strings.add(ent_id)] = (label, ent_id)
            if match == "lower":
                lower[ent_id].append(form)
            else:
                exact[ent_id].extend(case_variants(form, match))
        tokenizer = cast(Any, nlp.tokenizer)
        specials = set(getattr(tokenizer, "rules", None) or {})  # "Im" → "I", "m"; "cannot" → "can", "not"
        for store, matcher in ((exact, self.exact), (lower, self.lower)):
            # words of letters only are their own tokens: no tokenizer needed (the slow part of building)
            texts = [t for v in store.values() for t in v if not _PLAIN.match(t) or specials.intersection(t.split())]
            made = dict(zip(texts, tokenizer.pipe(texts, batch_size=2000), strict=True))
            for ent_id, forms in store.items():
                matcher.add(ent_id, [made.get(f) or Doc(nlp.vocab, words=f.split()) for f in forms])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in [*self.exact(doc), *self.lower(doc)]:
            label, ent_id = self.labels[match_id]
            spans.append(Span(doc, start, end, label=label, span_id=ent_id))
        if not spans:
            return doc
        new = filter_spans(spans)
        ruled = [e for e in doc.ents if e.ent_id_ and not self.overwrite]  # another ruler's entities stay
        have = {i for e in ruled for i in range(e.start, e.end)}
        new = [s for s in new if not any(i in have for i in range(s.start, s.end))]
        taken = {i for s in new for i in range(s.start, s.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = sorted([*kept, *new], key=lambda s: s.start)
        return doc


@Language.factory(RULER_NAME, default_config={"overwrite": False})
def _make_phoenix_ruler(nlp: Language, name: str, overwrite: bool) -> PhoenixRuler:
    return PhoenixRuler(nlp, overwrite=overwrite)


def add_phoenix_ruler(nlp: Language, after: str | None = None, overwrite: bool = False) -> None:
    """Add the dictionary ruler (idempotent): after ``after`` (default: the statistical NER, whose entities it
    replaces where a dictionary form matches — the setting measured in tools/measure_phoenix.py — else last)."""
    if RULER_NAME in nlp.pipe_names:
        return
    if after is None:
        after = "ner" if "ner" in nlp.pipe_names else (nlp.pipe_names[-1] if nlp.pipe_names else None)
    if after is not None:
        nlp.add_pipe(RULER_NAME, after=after, config={"overwrite": overwrite})
    else:
        nlp.add_pipe(RULER_NAME, first=True, config={"overwrite": overwrite})
