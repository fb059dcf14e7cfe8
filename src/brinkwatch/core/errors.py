"""The project's exceptions, in one place. Each is a :class:`BrinkwatchError`, so a caller can catch them all."""

from __future__ import annotations

from typing import Any


class BrinkwatchError(Exception):
    """Base of every error brinkwatch raises on purpose."""


class InputError(BrinkwatchError):
    """A bad input; the message is the reason shown to the user (one line)."""


class DataError(BrinkwatchError, ValueError):
    """A packaged data file (lexicon, dictionary, gazetteer, model) is malformed; names the file and entry."""


class PipelineError(BrinkwatchError):
    """A problem with the run itself (not with one input): unknown engine, engine not installed."""


class StageError(BrinkwatchError):
    """A stage failed on one article: ``stage`` and ``field`` say where, the article is recorded as failed."""

    def __init__(self, stage: str, field: str, cause: BaseException) -> None:
        self.stage, self.field, self.cause = stage, field, cause
        super().__init__(f"{stage} failed on {field} ({type(cause).__name__}: {cause})")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its own arguments: it comes back from a worker process (``args`` holds the message)."""
        return (type(self), (self.stage, self.field, self.cause), self.__dict__)


class StoreError(BrinkwatchError):
    """The store cannot be used: not a brinkwatch store, a newer schema than this code, unreachable. One line."""


class StoreWriteError(StoreError):
    """The store cannot be written (disk full, read-only, I/O error, connection lost): nothing more can be
    stored, so the run stops. The message is one line; ``summary`` (an ``IngestSummary``), when an ingest
    raised it, holds what was done and the failures that could not be recorded in the store."""

    summary: object = None
