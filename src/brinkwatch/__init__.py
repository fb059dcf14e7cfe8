"""brinkwatch: news → a trustworthy record of PLOVER events, watched for escalation.

The Python API is one import away::

    import brinkwatch
    events = brinkwatch.extract("Moscow denied that its jets entered Estonian airspace.", published="2025-10-10")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .records import Article, Attribution, Event, Location, Party, Sentence, Status
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Attribution",
    "Event",
    "Location",
    "Party",
    "Sentence",
    "Settings",
    "Status",
    "__version__",
    "extract",
]

if TYPE_CHECKING:
    from .records import Event as _Event


def extract(text: str, *, published: str | None = None, doc_id: str = "text", **kwargs: Any) -> list[_Event]:
    """Extract PLOVER events from one text (see :func:`brinkwatch.extract.extract_text`)."""
    from .extract import extract_text

    return extract_text(text, published=published, doc_id=doc_id, **kwargs)
