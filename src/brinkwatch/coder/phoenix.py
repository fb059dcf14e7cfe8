"""The dictionary ruler: a spaCy component that tags every surface form of the Phoenix dictionaries
(:mod:`brinkwatch.lexicon.phoenix`) in a parsed document — one-token forms case-sensitively, longer ones on
LOWER, the longest match wins — as GPE / NORP / ORG / PERSON with the entity id ``PHX|<form key>``; the actor
coder (:mod:`brinkwatch.coder.actors`) resolves the key against the article's date.

Tables of word hashes, not spaCy's EntityRuler (with 34k forms it costs seconds per 1,000 words) nor its
PhraseMatcher (building it makes a lexeme per new word: seconds at every start).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, cast

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from brinkwatch.lexicon.phoenix import ENT_PREFIX, PhoenixActors, case_variants, form_key, phoenix

__all__ = ["ENT_PREFIX", "RULER_NAME", "PhoenixRuler", "add_phoenix_ruler", "form_key"]

RULER_NAME = "brinkwatch_phoenix_ruler"
_PLAIN = re.compile(r"^[A-Za-z]+(?: [A-Za-z]+)*$")


class PhoenixRuler:
    """Every surface form, matched by the hashes of its words: one-token forms on ORTH (as written and, for
    names, in UPPER case), longer forms on LOWER; the longest match wins. A match replaces the statistical NER's
    entities it overlaps; entities that carry an entity id (the project's own ruler) are kept unless
    ``overwrite``.

    Tables of word-hash tuples rather than spaCy's PhraseMatcher: adding 34k phrases to a PhraseMatcher makes a
    lexeme for each new word (73k of them, seconds at every start); a hash needs none, and a document is read
    with one dictionary look-up per position and phrase length."""

    def __init__(self, nlp: Language, overwrite: bool = False, data: PhoenixActors | None = None) -> None:
        data = data or phoenix()
        self.overwrite = overwrite
        self.labels: dict[str, str] = {}
        exact: dict[str, list[str]] = defaultdict(list)
        lower: dict[str, list[str]] = defaultdict(list)
        for form, match, label, ent_id in data.patterns():
            self.labels[ent_id] = label
            if match == "lower":
                lower[ent_id].append(form)
            else:
                exact[ent_id].extend(case_variants(form, match))
        tokenizer = cast(Any, nlp.tokenizer)
        specials = set(getattr(tokenizer, "rules", None) or {})  # "Im" → "I", "m"; "cannot" → "can", "not"
        # words of letters only are their own tokens: hashed as they are; the others as the tokenizer splits them
        texts = sorted(
            {
                t
                for store in (exact, lower)
                for v in store.values()
                for t in v
                if not _PLAIN.match(t) or specials.intersection(t.split())
            }
        )
        made = {
            text: [tok.text for tok in doc]
            for text, doc in zip(texts, tokenizer.pipe(texts, batch_size=2000), strict=True)
        }
        self.exact: dict[tuple[int, ...], list[str]] = defaultdict(list)
        self.lower: dict[tuple[int, ...], list[str]] = defaultdict(list)
        for store, table, low in ((exact, self.exact, False), (lower, self.lower, True)):
            for ent_id, forms in store.items():
                for f in forms:
                    words = made.get(f) or f.split()
                    key = tuple(hash_string(w.lower() if low else w) for w in words)
                    if ent_id not in table[key]:
                        table[key].append(ent_id)
        # the lengths of the forms that begin with each word: a word that begins none costs one look-up
        self.starts: tuple[dict[int, tuple[int, ...]], dict[int, tuple[int, ...]]] = (
            _lengths_by_first(self.exact),
            _lengths_by_first(self.lower),
        )

    def _matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        out: list[tuple[str, int, int]] = []
        for table, starts, attr in ((self.exact, self.starts[0], ORTH), (self.lower, self.starts[1], LOWER)):
            ids = doc.to_array([attr]).tolist()
            n = len(ids)
            for i, first in enumerate(ids):
                for size in starts.get(first, ()):
                    if i + size > n:
                        break
                    for ent_id in table.get(tuple(ids[i : i + size]), ()):
                        out.append((ent_id, i, i + size))
        return out

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=self.labels[ent_id], span_id=ent_id)
            for ent_id, start, end in self._matches(doc)
        ]
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


def _lengths_by_first(table: dict[tuple[int, ...], list[str]]) -> dict[int, tuple[int, ...]]:
    """For each first word hash, the lengths of the table's forms that begin with it, shortest first."""
    sizes: dict[int, set[int]] = defaultdict(set)
    for key in table:
        sizes[key[0]].add(len(key))
    return {first: tuple(sorted(s)) for first, s in sizes.items()}


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
