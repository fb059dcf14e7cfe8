"""Event places from an offline gazetteer. (Interface stub; see issue 3.)"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .records import Location


def locate(sent: Span, trigger: Token) -> Location | None:
    return None
