"""Reading incidents back: events with their evidence, the incident list and one incident in detail.

(The writing side — clustering reports into incidents — is ``incidents.py``, which re-exports these.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from brinkwatch.lexicon.groups import expand, parse_dyad
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store, chunks, event_parts

if TYPE_CHECKING:  # pandas is imported where a frame is built (ingest never needs it)
    import pandas as pd


def events_by_ids(conn: sa.Connection, pks: Sequence[int]) -> list[dict[str, Any]]:
    """Events (by primary key) as JSON-ready dicts with parties, attribution, article and sentence."""
    e, a, s = S.events, S.articles, S.sentences
    out: list[dict[str, Any]] = []
    for chunk in chunks(sorted(set(pks))):
        rows = conn.execute(
            sa.select(
                e,
                a.c.doc_id,
                a.c.source,
                a.c.published,
                a.c.url,
                s.c.text.label("sentence"),
                s.c.start.label("sentence_start"),
            )
            .join(a, a.c.id == e.c.article_id)
            .join(s, s.c.id == e.c.sentence_id)
            .where(e.c.id.in_(chunk))
        ).mappings()
        recs = {int(r["id"]): dict(r) for r in rows}
        parts, attrs = event_parts(conn, list(recs))
        for pk, rec in recs.items():
            rec["actors"], rec["recipients"] = parts[pk]["actor"], parts[pk]["recipient"]
            rec["attribution"] = attrs[pk]
        out.extend(recs.values())
    for rec in out:
        rec["pk"] = rec.pop("id")
    out.sort(key=lambda r: (r["date"] or "", r["pk"]))
    return out


def list_incidents(
    store: Store,
    dyad: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 100,
    *,
    directed: bool = False,
) -> pd.DataFrame:
    """Incidents, newest first; ``dyad`` "A:B" (countries or groups) keeps those between the two sides."""
    import pandas as pd

    i = S.incidents
    q = sa.select(i)
    dates = ([i.c.date >= since] if since else []) + ([i.c.date <= until] if until else [])
    if dyad:
        q = q.where(dyad_condition(i.c.actor, i.c.recipient, dyad, directed=directed, also=dates))
    elif dates:
        q = q.where(*dates)
    q = q.order_by(i.c.date.desc(), i.c.n_reports.desc(), i.c.id).limit(max(0, int(limit)))
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    cols = [c.name for c in i.columns]
    return pd.DataFrame(rows, columns=cols)


def incident_detail(store: Store, incident_id: int) -> dict[str, Any] | None:
    """One incident: its row, its events (with evidence offsets) and its reports grouped by outlet."""
    i, e, a = S.incidents, S.events, S.articles
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(i).where(i.c.id == int(incident_id))).mappings().first()
        if row is None:
            return None
        pks = list(conn.execute(sa.select(e.c.id).where(e.c.incident_id == int(incident_id))).scalars())
        evs = events_by_ids(conn, pks)
        art_ids = sorted({x["article_id"] for x in evs})
        arts = [
            dict(r)
            for r in conn.execute(
                sa.select(a.c.id, a.c.doc_id, a.c.url, a.c.title, a.c.source, a.c.published, a.c.duplicate_of)
                .where(sa.or_(a.c.id.in_(art_ids), a.c.duplicate_of.in_(art_ids)))
                .order_by(a.c.published, a.c.id)
            ).mappings()
        ]
    reports = []
    for art in arts:
        origin = art["duplicate_of"] if art["duplicate_of"] is not None else art["id"]
        mine = [x for x in evs if x["article_id"] == origin]
        reports.append(
            {
                "article_id": art["id"],
                "doc_id": art["doc_id"],
                "url": art["url"],
                "title": art["title"],
                "source": art["source"],
                "published": art["published"],
                "duplicate_of": art["duplicate_of"],
                "sentences": [
                    {
                        "sentence_index": x["sentence_index"],
                        "text": x["sentence"],
                        "trigger": x["trigger"],
                        "trigger_start": x["trigger_start"] - x["sentence_start"],
                        "trigger_end": x["trigger_end"] - x["sentence_start"],
                        "event_id": x["event_id"],
                        "actors": x["actors"],
                        "recipients": x["recipients"],
                    }
                    for x in mine
                ],
            }
        )
    outlets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rep in reports:
        outlets[rep["source"] or "(unknown outlet)"].append(rep)
    return {
        "incident": dict(row),
        "events": evs,
        "reports": reports,
        "outlets": [{"source": k, "reports": v} for k, v in outlets.items()],
    }


def dyad_condition(
    actor_col: Any, recipient_col: Any, dyad: str, *, directed: bool = False, also: Sequence[Any] = ()
) -> Any:
    """A WHERE clause for rows between the two sides (A→B, and B→A unless directed).

    ``also``: further conditions (a date range) repeated inside each direction, so that the database can use
    them in the index search of each branch of the OR.
    """
    a, b = parse_dyad(dyad)
    sa_, sb = sorted(expand(a)), sorted(expand(b))
    fwd = sa.and_(actor_col.in_(sa_), recipient_col.in_(sb), *also)
    if directed:
        return fwd
    return sa.or_(fwd, sa.and_(actor_col.in_(sb), recipient_col.in_(sa_), *also))
