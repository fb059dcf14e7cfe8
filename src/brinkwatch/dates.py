"""Event dates anchored on the article's published date. (Interface stub; see issue 3.)"""

from __future__ import annotations

from spacy.tokens import Span, Token


class DateResolver:
    def __init__(self, published: str | None) -> None:
        self.published = published

    def resolve(self, sent: Span, trigger: Token) -> tuple[str | None, str]:
        """(ISO date, precision day|week|month|year|report)."""
        return (self.published[:10] if self.published else None, "report")
