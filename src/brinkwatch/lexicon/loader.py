"""The one reader of ``brinkwatch/data``: every data file is read here, parsed once per process, and validated
against a pydantic model that forbids unknown keys, so a typo in a data file is an error at load naming the
file and the entry — never a silently ignored key.

* :func:`load_yaml` (``path``, model) — a YAML mapping or list validated as ``model``;
* :func:`load_csv` (``path``, row model) — a CSV file as a tuple of rows (cells are strings; empty cells are
  ``None``; list cells use ``|`` between items — :func:`split_cell`);
* :class:`Strict` — the base of every data model (unknown keys forbidden, frozen).

YAML quirks are handled once: ``on``/``off``/``no``/``yes`` stay strings only when quoted, so word lists are
typed ``list[Word]`` and reject a bare boolean with a message saying to quote it.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Hashable
from importlib import resources
from typing import Annotated, Any, TypeVar, cast

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter, ValidationError

from brinkwatch.core.errors import DataError

M = TypeVar("M")

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Strict(BaseModel):
    """Base of the data models: unknown keys are errors; values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _word(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a word (quote words such as 'on', 'off', 'no', 'yes')")
    return value.strip().lower()


#: a non-empty string, lower-cased (a YAML boolean is refused: quote it)
Word = Annotated[str, BeforeValidator(_word)]


def read_text(path: str) -> str:
    """The text of ``data/<path>`` (UTF-8)."""
    return resources.files("brinkwatch").joinpath("data", *path.split("/")).read_text(encoding="utf-8")


@functools.cache
def _yaml(path: str) -> Any:
    try:
        return yaml.load(read_text(path), Loader=_YAML_LOADER)  # a safe loader (CSafeLoader / SafeLoader)
    except yaml.YAMLError as exc:
        raise DataError(f"data/{path}: not valid YAML: {exc}") from None


@functools.cache
def _csv(path: str) -> tuple[dict[str, str | None], ...]:
    rows = csv.DictReader(io.StringIO(read_text(path)))
    out = []
    for row in rows:
        if None in row:
            raise DataError(f"data/{path} line {rows.line_num}: more cells than the header has columns")
        out.append({k: (v.strip() or None) if isinstance(v, str) else None for k, v in row.items()})
    return tuple(out)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(top)"
    return f"{where}: {err['msg']}"


@functools.cache
def _validated(path: str, model: Any) -> Any:
    try:
        return TypeAdapter(model).validate_python(_yaml(path))
    except ValidationError as exc:
        raise DataError(f"data/{path}: {_first_error(exc)} ({exc.error_count()} error(s))") from None


def load_yaml(path: str, model: type[M]) -> M:
    """``data/<path>`` parsed once and validated as ``model`` (cached: the same object on every call)."""
    return cast(M, _validated(path, cast(Hashable, model)))


@functools.cache
def _rows(path: str, model: Any) -> Any:
    adapter = TypeAdapter(model)
    out = []
    for i, row in enumerate(_csv(path), start=2):
        try:
            out.append(adapter.validate_python({k: v for k, v in row.items() if v is not None}))
        except ValidationError as exc:
            raise DataError(f"data/{path} line {i}: {_first_error(exc)}") from None
    return tuple(out)


def load_csv(path: str, model: type[M]) -> tuple[M, ...]:
    """The rows of ``data/<path>``, each validated as ``model`` (empty cells left out: the model's default)."""
    return cast("tuple[M, ...]", _rows(path, cast(Hashable, model)))


def split_cell(cell: str | None) -> list[str]:
    """A list cell of a CSV file: items separated by ``|``."""
    return [p.strip() for p in (cell or "").split("|") if p.strip()]
