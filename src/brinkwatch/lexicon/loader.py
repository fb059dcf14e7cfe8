"""The one reader of ``brinkwatch/data``: every data file is read here, parsed once per process, and validated
against a pydantic model that forbids unknown keys, so a typo in a data file is an error at load naming the
file and the entry — never a silently ignored key.

* :func:`load_yaml` (``path``, model) — a YAML mapping or list validated as ``model``;
* :func:`load_csv` (``path``, row model) — a CSV file as a tuple of rows (cells are strings; empty cells are
  ``None``; list cells use ``|`` between items — :func:`split_cell`);
* :func:`load_tsv` (``path``, header) — a tab-separated file whose ``#`` lines are comments (a licence header)
  as a tuple of rows, its header exactly ``header`` (large derived tables: no model per row);
* :func:`load_json` (``path``) — a JSON file, parsed (the caller checks its keys);
* :class:`Strict` — the base of every data model (unknown keys forbidden, frozen);
* :func:`compiled` — the cache of a module's compile step (``lexicon()``, ``gazetteer()`` …), kept per data root;
* :func:`data_root` — a context manager that reads ``data/`` from another directory (tests write malformed
  copies of a file there and see the error).

YAML quirks are handled once: ``on``/``off``/``no``/``yes`` stay strings only when quoted, so word lists are
typed ``list[Word]`` and reject a bare boolean with a message saying to quote it.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import threading
from collections.abc import Callable, Hashable, Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter, ValidationError

from brinkwatch.core.errors import DataError

M = TypeVar("M")
T = TypeVar("T")

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


_root: Path | None = None  # None: the packaged ``brinkwatch/data``; else the directory data_root() points at
_lock = threading.RLock()  # re-entrant: one compile step calls another


@contextlib.contextmanager
def data_root(path: str | Path) -> Iterator[Path]:
    """Read ``data/`` from ``path`` inside the block — a seam for tests: a malformed copy of a data file must
    raise DataError naming it. Inside the block nothing is cached (every call reads and compiles afresh), so
    the packaged data's caches are neither used nor disturbed."""
    global _root
    old = _root
    _root = Path(path)
    try:
        yield _root
    finally:
        _root = old


def compiled(fn: Callable[[], T]) -> Callable[[], T]:
    """The cache of a module's compile step (``lexicon()``, ``gazetteer()`` …): built once per process from the
    packaged data; built afresh on every call inside :func:`data_root`."""
    done: list[T] = []

    @functools.wraps(fn)
    def wrapper() -> T:
        if _root is not None:
            return fn()
        if done:
            return done[0]
        with _lock:
            if not done:
                done.append(fn())
        return done[0]

    return wrapper


def read_text(path: str) -> str:
    """The text of ``data/<path>`` (UTF-8)."""
    if _root is not None:
        return _root.joinpath(*path.split("/")).read_text(encoding="utf-8")
    return resources.files("brinkwatch").joinpath("data", *path.split("/")).read_text(encoding="utf-8")


def _parse_yaml(path: str) -> Any:
    try:
        return yaml.load(read_text(path), Loader=_YAML_LOADER)  # a safe loader (CSafeLoader / SafeLoader)
    except yaml.YAMLError as exc:
        raise DataError(f"data/{path}: not valid YAML: {exc}") from None


def _parse_csv(path: str) -> tuple[dict[str, str | None], ...]:
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


def _validate_yaml(path: str, model: Any) -> Any:
    try:
        return TypeAdapter(model).validate_python(_parse_yaml(path))
    except ValidationError as exc:
        raise DataError(f"data/{path}: {_first_error(exc)} ({exc.error_count()} error(s))") from None


def _validate_rows(path: str, model: Any) -> Any:
    adapter = TypeAdapter(model)
    out = []
    for i, row in enumerate(_parse_csv(path), start=2):
        try:
            out.append(adapter.validate_python({k: v for k, v in row.items() if v is not None}))
        except ValidationError as exc:
            name = row.get("name") or row.get("code")
            entry = f" ({name})" if name else ""
            raise DataError(f"data/{path} line {i}{entry}: {_first_error(exc)}") from None
    return tuple(out)


_validate_yaml_once = functools.cache(_validate_yaml)
_validate_rows_once = functools.cache(_validate_rows)


def load_yaml(path: str, model: type[M]) -> M:
    """``data/<path>`` parsed once and validated as ``model`` (cached: the same object on every call).
    ``model``: a pydantic model or any type pydantic validates (``dict[str, Spec]``, ``list[Row]``)."""
    if _root is not None:
        return cast(M, _validate_yaml(path, model))
    return cast(M, _validate_yaml_once(path, cast(Hashable, model)))


def load_csv(path: str, model: type[M]) -> tuple[M, ...]:
    """The rows of ``data/<path>``, each validated as ``model`` (empty cells left out: the model's default)."""
    if _root is not None:
        return cast("tuple[M, ...]", _validate_rows(path, model))
    return cast("tuple[M, ...]", _validate_rows_once(path, cast(Hashable, model)))


def _parse_tsv(path: str, header: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    lines = [ln for ln in read_text(path).splitlines() if ln and not ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    if tuple(reader.fieldnames or ()) != header:
        raise DataError(f"data/{path}: columns {reader.fieldnames}, expected {list(header)}")
    out = []
    for row in reader:
        if None in row or any(v is None for v in row.values()):
            raise DataError(f"data/{path} line {reader.line_num}: {len(row)} cells, expected {len(header)}")
        out.append(row)
    return tuple(out)


def load_tsv(path: str, header: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    """The rows of ``data/<path>`` (tab-separated, ``#`` lines skipped), the header checked; the caller
    validates the cells. Not cached: the caller's compile step is."""
    return _parse_tsv(path, header)


def load_json(path: str) -> Any:
    """``data/<path>`` parsed as JSON (not cached: the caller's compile step is)."""
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise DataError(f"data/{path}: not valid JSON: {exc}") from None


def split_cell(cell: str | None) -> list[str]:
    """A list cell of a CSV file: items separated by ``|``."""
    return [p.strip() for p in (cell or "").split("|") if p.strip()]
