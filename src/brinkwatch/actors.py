"""Actors: spans of text → parties {text, country, sector, name}. (Interface stub; see issue 3.)"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Span, Token

from .records import Party


def add_entity_ruler(nlp: Language) -> None:
    """Add an entity ruler built from data/actors before the statistical NER."""
    return None


def parties_for(head: Token) -> list[Party]:
    """The parties a syntactic argument denotes: its subtree resolved, conjuncts split ("Estonia and
    Poland" → two parties). Empty when nothing codable is found."""
    return []


def party_for_span(span: Span) -> Party | None:
    """Code one span (an entity or noun chunk) as a party, or None."""
    return None
