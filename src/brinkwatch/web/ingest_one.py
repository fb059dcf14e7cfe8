"""POST /api/articles → the very code ``brinkwatch ingest -`` runs: the body goes in as stdin would.

``brinkwatch.pipeline.run.ingest(["-"], stdin=...)`` sniffs the body (a JSON record, HTML or plain text),
normalizes, deduplicates, parses, extracts, stores (one transaction per article) and refreshes incidents.
"""

from __future__ import annotations

import io
from typing import Any

import sqlalchemy as sa

from brinkwatch.core.settings import Settings
from brinkwatch.pipeline import run as pipeline
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store


def _max_id(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(S.articles.c.id), 0))).scalar_one())


def ingest_body(body: bytes, *, store: Store, settings: Settings) -> dict[str, Any]:
    """Ingest one request body; return the ingest summary and the articles it stored.

    The caller serializes calls (one writer): the new articles are those with an id above the old maximum.
    """
    before = _max_id(store)
    summary = pipeline.ingest(["-"], store=store, settings=settings, stdin=io.BytesIO(body))
    a = S.articles
    with store.engine.connect() as conn:
        rows = [
            dict(r)
            for r in conn.execute(
                sa.select(a.c.id, a.c.doc_id, a.c.title, a.c.status, a.c.reason, a.c.n_events, a.c.duplicate_of)
                .where(a.c.id > before)
                .order_by(a.c.id)
            ).mappings()
        ]
    result = summary.to_dict() if hasattr(summary, "to_dict") else {"result": str(summary)}
    if not rows and result.get("failures"):
        raise ValueError("; ".join(str(f) for f in result["failures"]))
    return {
        "article_id": rows[0]["id"] if rows else None,
        "articles": rows,
        "events": sum(int(r["n_events"] or 0) for r in rows),
        "summary": result,
    }
