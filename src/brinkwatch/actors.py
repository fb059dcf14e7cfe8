"""Actors: spans of text → parties {text, country, sector, name}. (Interface stub; see issue 3.)"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .records import Party


def add_entity_ruler(nlp: Language) -> None:
    """Add an entity ruler built from data/actors before the statistical NER."""
    return None


class ActorCoder:
    """Codes the actors of one document; keeps document memory ("the alliance" → the IGO in focus)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def parties(self, head: Token) -> list[Party]:
        """The parties a syntactic argument (its head token) denotes; conjuncts split into several."""
        return []

    def party(self, span: Span) -> Party | None:
        """Code one span (an entity or noun chunk) as a party, or None."""
        return None
