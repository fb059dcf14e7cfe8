"""brinkwatch: news → a trustworthy record of PLOVER events, watched for escalation.

The Python API is one import away::

    import brinkwatch
    events = brinkwatch.extract("Moscow denied that its jets entered Estonian airspace.", published="2025-10-10")

Everything public is named in ``__all__``: the records, the status vocabulary, settings, exceptions and the
library entry points (:func:`extract`, :func:`ingest`, :class:`Store`). The stage packages (``core``,
``lexicon``, ``ingest``, ``coder``, ``store``, ``analyze``, ``pipeline``, ``web``, ``cli``, ``dev``) hold the
rest; their modules are importable but not a promise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from brinkwatch.core.errors import BrinkwatchError, DataError, InputError, PipelineError, StageError
from brinkwatch.core.ontology import PLOVER_TYPES, STATUSES, Status
from brinkwatch.core.records import Article, Attribution, Event, IngestSummary, Location, Party, Sentence
from brinkwatch.core.settings import Settings

if TYPE_CHECKING:
    from brinkwatch.store.writer import Store

__version__ = "0.2.0"

__all__ = [
    "PLOVER_TYPES",
    "STATUSES",
    "Article",
    "Attribution",
    "BrinkwatchError",
    "DataError",
    "Event",
    "IngestSummary",
    "InputError",
    "Location",
    "Party",
    "PipelineError",
    "Sentence",
    "Settings",
    "StageError",
    "Status",
    "Store",
    "__version__",
    "extract",
    "ingest",
]


def extract(text: str, *, published: str | None = None, doc_id: str = "text", **kwargs: Any) -> list[Event]:
    """PLOVER events of one text (parsed with the configured spaCy model; nothing is stored)."""
    from brinkwatch.coder.extract import extract_text

    return extract_text(text, published=published, doc_id=doc_id, **kwargs)


def ingest(inputs: list[str], *, db: str | None = None, **kwargs: Any) -> IngestSummary:
    """Ingest files, folders, URLs or ``-`` into the store ``db`` (default: the ``db`` setting)."""
    from brinkwatch.pipeline.run import ingest as run_ingest
    from brinkwatch.store.writer import Store

    settings = kwargs.pop("settings", None) or Settings.from_env()
    with Store(db or settings.db) as store:
        return run_ingest(inputs, store=store, settings=settings, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "Store":  # the store pulls in SQLAlchemy: imported when first asked for
        from brinkwatch.store.writer import Store

        return Store
    raise AttributeError(f"module 'brinkwatch' has no attribute {name!r}")
