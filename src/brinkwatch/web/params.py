"""The one validation of the HTTP API's path and query parameters: every value is checked here, by type, range
and vocabulary, so a bad one is a 422 naming the parameter — never a 500 from the database below.

* ids are 1 … 2³¹−1 (the schema's INTEGER columns: what PostgreSQL stores); ``offset`` and ``limit`` have ranges;
* actor codes and dyads are the lexicon's one vocabulary (:func:`brinkwatch.lexicon.groups.parse_code`,
  :func:`~brinkwatch.lexicon.groups.parse_dyad`: codes of 2–12 letters or digits);
* event types are the 16 PLOVER types, statuses the statuses (any case);
* dates are real ISO dates (``2025``, ``2025-09``, ``2025-09-10``, or a date and time);
* free text has a length limit and no NUL (PostgreSQL cannot hold one);
* a query parameter the route does not take is refused (:func:`known_query_only`), so every filter is
  either honoured or rejected — never silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator

from brinkwatch.core.ontology import PLOVER_TYPES, STATUSES
from brinkwatch.lexicon import groups
from brinkwatch.web.queries import MAX_ID, MAX_LIMIT, MAX_OFFSET

MAX_TEXT = 200


def check_text(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def check_code(value: str | None) -> str | None:
    return None if value is None else groups.parse_code(value)


def check_dyad(value: str | None) -> str | None:
    if value is None:
        return None
    a, b = groups.parse_dyad(value)
    return f"{a}:{b}"


_TYPES = {t.upper(): t for t in PLOVER_TYPES}


def check_event_type(value: str | None) -> str | None:
    if value is None:
        return None
    found = _TYPES.get(value.strip().upper())
    if found is None:
        raise ValueError(f"not a PLOVER event type (one of {', '.join(PLOVER_TYPES)})")
    return found


def check_status(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v not in STATUSES:
        raise ValueError(f"not a status (one of {', '.join(STATUSES)})")
    return v


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(.*))?)?$")


def check_date(value: str | None) -> str | None:
    """An ISO year, month, date or date and time that exists (``2025-02-30`` does not)."""
    if value is None:
        return None
    m = _DATE.match(value)
    bad = ValueError("not an ISO date (YYYY, YYYY-MM, YYYY-MM-DD or an ISO date and time)")
    if m is None:
        raise bad
    year, month, day, rest = m.groups()
    try:
        if rest:
            if rest[0] not in "T ":
                raise bad
            dt.datetime.fromisoformat(value)
        elif day:
            dt.date(int(year), int(month), int(day))
        elif month:
            dt.date(int(year), int(month), 1)
        elif int(year) < 1:
            raise bad
    except ValueError:
        raise bad from None
    return value


# ------------------------------------------------------------------------------------------------ types
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="an id (1 … 2³¹−1)")]
IdQ = Annotated[int | None, Query(ge=1, le=MAX_ID, description="an id (1 … 2³¹−1)")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size (at most {MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"rows to skip (at most {MAX_OFFSET:,})")]
DateQ = Annotated[
    str | None,
    Query(max_length=40, description="ISO date (YYYY-MM-DD; YYYY-MM and YYYY too), inclusive"),
    AfterValidator(check_date),
]
CodeQ = Annotated[
    str | None, Query(max_length=12, description="an actor code (2–12 letters or digits)"), AfterValidator(check_code)
]
CodePath = Annotated[
    str, Path(max_length=12, description="an actor code (2–12 letters or digits)"), AfterValidator(check_code)
]
DyadQ = Annotated[
    str | None,
    Query(max_length=30, description="A:B (actor codes or groups of 2–12 letters), either direction unless directed"),
    AfterValidator(check_dyad),
]
TypeQ = Annotated[
    str | None, Query(max_length=20, description="PLOVER event type (any case)"), AfterValidator(check_event_type)
]
StatusQ = Annotated[str | None, Query(max_length=20, description="event status"), AfterValidator(check_status)]
TextQ = Annotated[str | None, Query(max_length=MAX_TEXT), AfterValidator(check_text)]
ConfidenceQ = Annotated[
    float | None,
    Query(ge=0.0, le=1.0, allow_inf_nan=False, description="the event model's probability of an event, at least"),
]


def dyad_of(value: str | None) -> tuple[str, str] | None:
    """A validated ``A:B`` → ``(A, B)``."""
    return groups.parse_dyad(value) if value else None


# ------------------------------------------------------------------------------------------ unknown ones
_known: dict[int, frozenset[str]] = {}


def _query_names(dependant: Any) -> set[str]:
    """The query parameters a route's dependency tree declares (their aliases: the names on the wire)."""
    names = {str(f.alias) for f in getattr(dependant, "query_params", [])}
    for sub in getattr(dependant, "dependencies", []):
        names |= _query_names(sub)
    return names


def known_query_only(request: Request) -> None:
    """Refuse (422) a query parameter the route does not declare: a misspelt or unsupported filter must not be
    answered as if it were applied."""
    route: Any = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    names = _known.get(id(route))
    if names is None:
        names = _known[id(route)] = frozenset(_query_names(dependant))
    unknown = [k for k in request.query_params if k not in names]
    if unknown:
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ("query", k),
                    "msg": "unknown query parameter"
                    + (f" (this route takes {', '.join(sorted(names))})" if names else ""),
                    "input": request.query_params.get(k),
                }
                for k in unknown
            ]
        )
