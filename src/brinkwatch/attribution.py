"""Attribution chains: according to whom, outermost first. (Interface stub; see issue 3.)"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .records import Attribution


class AttributionTracker:
    """Reads a document in order; remembers named outlets so "the newspaper" resolves to the paper."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def chain(self, trigger: Token) -> list[Attribution]:
        return []
