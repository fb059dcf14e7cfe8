"""Read queries behind the HTTP API and the pages (SQLAlchemy Core only: no SQL assembled from strings).

Events are read through the store's read model (``store/reads.py``: one filter type, one query, one
hydration) and come back in its API shape (``reads.api_event``: ``Event.to_dict()`` plus where they were found
— ``article_id``, ``title``, ``source``, ``published``, ``url``, ``incident_id``), so the API and the templates
share one representation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from brinkwatch.lexicon import groups
from brinkwatch.store import reads
from brinkwatch.store import schema as S
from brinkwatch.store.reads import EventFilter, contains, dyad_condition

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_ID = 2**31 - 1  # ids are INTEGER columns (32 bits on PostgreSQL): an id beyond is no row, not an error
MAX_OFFSET = 10_000_000


def clamp(limit: int | None, offset: int | None, *, max_limit: int = MAX_LIMIT) -> tuple[int, int]:
    """A page size in 1 … ``max_limit`` and an offset in 0 … MAX_OFFSET (past the rows: an empty page)."""
    lim = DEFAULT_LIMIT if limit is None else max(1, min(int(limit), max_limit))
    off = 0 if offset is None else max(0, min(int(offset), MAX_OFFSET))
    return lim, off


def storable_id(value: int | None) -> bool:
    """Whether ``value`` can be a stored id at all (the HTTP layer refuses others; callers get None back)."""
    return value is not None and 0 < int(value) <= MAX_ID


def _term(text: str | None) -> str | None:
    """A search term the databases can compare (PostgreSQL refuses NUL in text; no stored text holds one)."""
    return text.replace("\x00", "") if text else text


def _count(conn: sa.Connection, q: sa.Select[Any]) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(q.order_by(None).subquery())).scalar_one())


def _page(
    conn: sa.Connection, sel: sa.Select[Any], order: Sequence[Any], limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """How many rows ``sel`` selects, and one page of them (as dicts) in ``order``."""
    total = _count(conn, sel)
    rows = conn.execute(sel.order_by(*order).limit(limit).offset(offset)).mappings()
    return total, [dict(r) for r in rows]


# --------------------------------------------------------------------------------------------- articles
_ARTICLE_COLS = (
    S.articles.c.id,
    S.articles.c.doc_id,
    S.articles.c.url,
    S.articles.c.title,
    S.articles.c.author,
    S.articles.c.source,
    S.articles.c.published,
    S.articles.c.language,
    S.articles.c.status,
    S.articles.c.reason,
    S.articles.c.duplicate_of,
    S.articles.c.similarity,
    S.articles.c.ingested_at,
    S.articles.c.n_events,
)


def list_articles(
    engine: sa.Engine, *, q: str | None = None, source: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    a = S.articles
    limit, offset = clamp(limit, offset)
    q, source = _term(q), _term(source)
    sel = sa.select(*_ARTICLE_COLS)
    if q:
        sel = sel.where(sa.or_(contains(a.c.title, q), contains(a.c.text, q)))
    if source:
        sel = sel.where(a.c.source == source)
    with engine.connect() as conn:
        return _page(conn, sel, [a.c.published.desc().nulls_last(), a.c.id.desc()], limit, offset)


def article_detail(engine: sa.Engine, article_id: int) -> dict[str, Any] | None:
    if not storable_id(article_id):
        return None
    a = S.articles
    with engine.connect() as conn:
        row = conn.execute(sa.select(*_ARTICLE_COLS, a.c.text).where(a.c.id == article_id)).mappings().first()
        if row is None:
            return None
        out = dict(row)
        out["tags"] = [t for (t,) in conn.execute(sa.select(S.tags.c.tag).where(S.tags.c.article_id == article_id))]
        out["sentences"] = [
            dict(r)
            for r in conn.execute(
                sa.select(S.sentences.c.idx, S.sentences.c.start, S.sentences.c.end, S.sentences.c.text)
                .where(S.sentences.c.article_id == article_id)
                .order_by(S.sentences.c.idx)
            ).mappings()
        ]
    out["events"] = list_events(engine, EventFilter(article_id=article_id), limit=10_000, offset=0)[1]
    return out


# --------------------------------------------------------------------------------------------- events
def parse_dyad(dyad: str | None) -> tuple[str, str] | None:
    """``"NATO:RUS"`` → ``("NATO", "RUS")``; None for no dyad; anything else → ValueError."""
    return groups.parse_dyad(dyad) if dyad else None


def dyad_clause(actor_col: Any, recipient_col: Any, dyad: tuple[str, str], *, directed: bool = False) -> Any:
    """Rows between the two sides; groups (NATO, EU, WST) expand to their members."""
    return dyad_condition(actor_col, recipient_col, f"{dyad[0]}:{dyad[1]}", directed=directed)


def list_events(
    engine: sa.Engine, f: EventFilter, *, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """How many events ``f`` selects, and one page of them (newest first; an article's in text order)."""
    e = S.events
    limit, offset = clamp(limit, offset, max_limit=max(limit, 1))
    for name in ("article_id", "incident_id"):
        if getattr(f, name) is not None and not storable_id(getattr(f, name)):
            return 0, []
    f = dataclasses.replace(f, text=_term(f.text))
    if f.article_id is not None:
        order: list[Any] = [e.c.trigger_start, e.c.id]
    else:
        order = [e.c.date.desc().nulls_last(), e.c.id.desc()]
    with engine.connect() as conn:
        total, rows = _page(conn, reads.event_query(conn, f), order, limit, offset)
        return total, [reads.api_event(r) for r in reads.hydrate(conn, rows)]


# --------------------------------------------------------------------------------------------- incidents
def list_incidents_table(
    engine: sa.Engine,
    *,
    dyad: tuple[str, str] | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Incidents straight from the incidents table (used when the analytics module is not there)."""
    i = S.incidents
    limit, offset = clamp(limit, offset)
    sel = sa.select(i)
    if dyad:
        sel = sel.where(dyad_clause(i.c.actor, i.c.recipient, dyad))
    if since:
        sel = sel.where(i.c.date >= since)
    if until:
        sel = sel.where(i.c.date <= (until + "\uffff" if len(until) == 10 else until))
    with engine.connect() as conn:
        return _page(conn, sel, [i.c.date.desc().nulls_last(), i.c.id.desc()], limit, offset)


def incident_row(engine: sa.Engine, incident_id: int) -> dict[str, Any] | None:
    if not storable_id(incident_id):
        return None
    with engine.connect() as conn:
        row = conn.execute(sa.select(S.incidents).where(S.incidents.c.id == incident_id)).mappings().first()
    return dict(row) if row else None


def search_articles(engine: sa.Engine, q: str, limit: int = 50) -> tuple[int, list[dict[str, Any]]]:
    return list_articles(engine, q=q, limit=limit, offset=0)
