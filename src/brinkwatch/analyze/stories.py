"""Hot stories: the incidents and topics (tags, contexts) growing fastest in a window vs the one before.

Growth counts reports: articles published in the window (a syndicated copy counts), compared with the
previous window of the same length. ``ratio`` is (now + 1) / (before + 1); rows are ranked by the absolute
growth, then the ratio.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pandas as pd
import sqlalchemy as sa

from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store

COLUMNS = ["kind", "key", "label", "n_now", "n_before", "growth", "ratio"]


def _latest(conn: sa.Connection) -> str | None:
    return conn.execute(sa.select(sa.func.max(S.articles.c.published))).scalar()


def _natural(key: str) -> tuple[int, int, str]:
    """Incident ids in numeric order (9 before 10), other keys as text."""
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def hot_stories(store: Store, days: int = 7, until: str | None = None, limit: int = 20) -> pd.DataFrame:
    """Fastest-growing incidents, tags and contexts in the ``days`` up to ``until`` (default: latest report)."""
    a, e, i = S.articles, S.events, S.incidents
    with store.engine.connect() as conn:
        end_s = until or _latest(conn)
        if not end_s:
            return pd.DataFrame(columns=COLUMNS)
        try:
            end = dt.date.fromisoformat(str(end_s)[:10])
        except ValueError:
            return pd.DataFrame(columns=COLUMNS)
        mid = end - dt.timedelta(days=days)
        start = mid - dt.timedelta(days=days)
        bounds = (start.isoformat(), (end + dt.timedelta(days=1)).isoformat())
        origin = sa.func.coalesce(a.c.duplicate_of, a.c.id)
        arts = conn.execute(
            sa.select(a.c.id, origin.label("origin"), a.c.published).where(
                a.c.published >= bounds[0], a.c.published < bounds[1]
            )
        ).all()
        when = {int(r.id): ("now" if str(r.published)[:10] > mid.isoformat() else "before") for r in arts}
        origin_of = {int(r.id): int(r.origin) for r in arts}
        origins = sorted(set(origin_of.values()))
        ev_rows: list[Any] = []
        for k in range(0, len(origins), 500):
            ev_rows += conn.execute(
                sa.select(e.c.article_id, e.c.incident_id, e.c.contexts).where(e.c.article_id.in_(origins[k : k + 500]))
            ).all()
        tag_rows: list[Any] = []
        ids = sorted(when)
        for k in range(0, len(ids), 500):
            tag_rows += conn.execute(
                sa.select(S.tags.c.article_id, S.tags.c.tag).where(S.tags.c.article_id.in_(ids[k : k + 500]))
            ).all()
        inc_ids = sorted({int(r.incident_id) for r in ev_rows if r.incident_id is not None})
        labels = {
            int(r.id): r.summary
            for k in range(0, len(inc_ids), 500)
            for r in conn.execute(sa.select(i.c.id, i.c.summary).where(i.c.id.in_(inc_ids[k : k + 500])))
        }
    by_origin: dict[int, list[Any]] = {}
    for r in ev_rows:
        by_origin.setdefault(int(r.article_id), []).append(r)
    counts: dict[str, Counter[Any]] = {"now": Counter(), "before": Counter()}
    for aid, w in when.items():
        evs = by_origin.get(origin_of[aid], [])
        keys: set[tuple[str, Any]] = {("incident", int(r.incident_id)) for r in evs if r.incident_id is not None}
        keys |= {("context", str(c)) for r in evs for c in (r.contexts or [])}
        counts[w].update(keys)
    for aid, tag in tag_rows:
        counts[when[int(aid)]][("tag", str(tag))] += 1
    rows: list[dict[str, Any]] = []
    for key in set(counts["now"]) | set(counts["before"]):
        now, before = counts["now"][key], counts["before"][key]
        label = labels.get(key[1], "") if key[0] == "incident" else key[1]
        rows.append(
            {
                "kind": key[0],
                "key": str(key[1]),
                "label": label,
                "n_now": now,
                "n_before": before,
                "growth": now - before,
                "ratio": round((now + 1) / (before + 1), 3),
            }
        )
    rows.sort(key=lambda r: (-r["growth"], -r["ratio"], r["kind"], _natural(r["key"])))
    return pd.DataFrame(rows[: max(0, int(limit))], columns=COLUMNS)
