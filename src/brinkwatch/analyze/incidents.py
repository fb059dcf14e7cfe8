"""Incidents: the reports of one happening merged into one.

``refresh(store)`` assigns every event without an incident to a new or existing incident: it reads the new
events and the stored ones they could join (:func:`_candidates`), clusters them (``clusters.assign`` over the
merge rule of ``merge.py``), writes the incidents and their columns, and rebuilds the ``dyad_daily`` rows they
touch (``dyad_daily.py``).

An incident is a connected component of the merge relation (single linkage): a report that matches two
incidents joins them into one, the older keeping its id and key. So the incidents depend only on the
events stored — not on the order reports arrived in, nor on how often ``refresh`` ran while they did (ingest
refreshes every few hundred events; a resumed ingest ends with the same incidents as a clean one).

Duplicate articles (``articles.duplicate_of``) carry no events of their own; they count as further reports of
every incident of the article they copy. ``refresh`` is idempotent and incremental: it reads only events with
``incident_id`` NULL (and duplicates ingested since the last run), and keeps ``dyad_daily`` — the per-day,
per-dyad, per-type aggregate of incidents that dyad and escalation queries read — in step.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from brinkwatch.analyze.clusters import EXEMPLARS, MAX_CANDIDATES, Cluster, assign
from brinkwatch.analyze.dyad_daily import dyad_keys, ensure_current, incident_when, rebuild_dyad_daily
from brinkwatch.analyze.merge import (
    TYPE_FAMILY,
    WIDE_PRECISIONS,
    WINDOW_DAYS,
    MergeEvent,
    content_tokens,
    family_types,
    to_day,
)
from brinkwatch.core.ontology import INCIDENT_STATUS_RANK
from brinkwatch.store import schema as S
from brinkwatch.store.db import chunks
from brinkwatch.store.reads import incident_detail, list_incidents  # the read side, re-exported
from brinkwatch.store.writer import Store

CHUNK = 5000


def _event_query() -> sa.Select[Any]:
    """What the merge rule reads of an event (see ``_to_ev``): not the read model of ``store/reads.py``, only
    the few columns a comparison needs, with the place's name taken from the location JSON by the database."""
    e, a, s = S.events, S.articles, S.sentences
    return (
        sa.select(
            e.c.id,
            e.c.event_type,
            e.c.actor,
            e.c.recipient,
            e.c.date,
            e.c.date_precision,
            e.c.date_source,
            sa.func.coalesce(
                sa.func.nullif(e.c.location["name"].as_string(), ""), e.c.location["text"].as_string()
            ).label("place"),
            e.c.loc_country,
            e.c.incident_id,
            a.c.published,
            s.c.text.label("sentence"),
        )
        .join(a, a.c.id == e.c.article_id)
        .join(s, s.c.id == e.c.sentence_id)
    )


def _to_ev(r: Any) -> MergeEvent:
    """A row of ``_event_query`` as the merge rule sees it."""
    place = r.place  # the location's name (else its text), read from the JSON by the database
    return MergeEvent(
        pk=int(r.id),
        block=(TYPE_FAMILY.get(r.event_type, r.event_type), r.actor),
        recipient=r.recipient,
        day=to_day(r.date) or to_day(r.published),
        precision=r.date_precision or "report",
        place=str(place).lower() if place else None,
        loc_country=r.loc_country,
        tokens=content_tokens(r.sentence or ""),
        incident_id=int(r.incident_id) if r.incident_id is not None else None,
        stated=r.date_source == "clause" and r.date_precision == "day" and r.date is not None,
    )


@lru_cache(maxsize=16)
def _candidate_stmt(has_actor: bool, dated: bool, undated: bool, by_recipient: bool) -> sa.Select[Any]:
    """The candidate query of one block, by shape (compiled once and cached; the values are bound)."""
    e, a = S.events, S.articles
    types: Any = sa.bindparam("types", expanding=True)
    q = _event_query().where(e.c.incident_id.is_not(None), e.c.event_type.in_(types))
    q = q.where(e.c.actor == sa.bindparam("actor") if has_actor else e.c.actor.is_(None))
    if dated:
        # every member within the widest window of the block's new events (nlo…nhi), and members with a
        # wide window of their own (week, month, year precision) within the widest window of all (lo…hi)
        nlo: Any = sa.bindparam("nlo")
        nhi: Any = sa.bindparam("nhi")
        lo: Any = sa.bindparam("lo")
        hi: Any = sa.bindparam("hi")
        wide = e.c.date_precision.in_(sorted(WIDE_PRECISIONS))
        when = [
            e.c.date.between(nlo, nhi),
            sa.and_(e.c.date.is_(None), a.c.published.between(nlo, nhi)),
            sa.and_(wide, e.c.date.between(lo, hi)),
            sa.and_(wide, e.c.date.is_(None), a.c.published.between(lo, hi)),
        ]
        if undated:  # undated events match undated ones only
            when.append(sa.and_(e.c.date.is_(None), a.c.published.is_(None)))
        q = q.where(sa.or_(*when))
    if by_recipient:
        recipients: Any = sa.bindparam("recipients", expanding=True)
        q = q.where(sa.or_(e.c.recipient.in_(recipients), e.c.recipient.is_(None), e.c.recipient == ""))
    return _capped(q)


def _capped(q: sa.Select[Any]) -> sa.Select[Any]:
    """The candidates the member index would keep (``clusters.MemberIndex``), chosen by the database so a busy
    dyad-day is not read whole: per incident, day and recipient the first report of each sentence (and
    precision, date source, place), at most :data:`clusters.EXEMPLARS` of them; then per day, recipient and
    window width the latest :data:`clusters.MAX_CANDIDATES`."""
    e, a, s = S.events, S.articles, S.sentences
    day = sa.func.coalesce(e.c.date, sa.func.substr(a.c.published, 1, 10))
    rec = sa.func.coalesce(e.c.recipient, "")
    place = sa.func.coalesce(q.selected_columns.place, "")
    same_wording = sa.func.row_number().over(
        partition_by=[e.c.incident_id, day, rec, s.c.text, e.c.date_precision, e.c.date_source, place, e.c.loc_country],
        order_by=e.c.id,
    )
    q1 = q.add_columns(day.label("_day"), rec.label("_rec"), same_wording.label("_n1")).subquery()
    wide = sa.case((q1.c.date_precision.in_(sorted(WIDE_PRECISIONS)), 1), else_=0)
    nth_wording = sa.func.row_number().over(partition_by=[q1.c.incident_id, q1.c._day, q1.c._rec], order_by=q1.c.id)
    q2 = sa.select(q1, wide.label("_wide"), nth_wording.label("_n2")).where(q1.c._n1 == 1).subquery()
    latest = sa.func.row_number().over(partition_by=[q2.c._day, q2.c._rec, q2.c._wide], order_by=q2.c.id.desc())
    q3 = sa.select(q2, latest.label("_n3")).where(q2.c._n2 <= EXEMPLARS).subquery()
    return sa.select(*(q3.c[c.name] for c in q.selected_columns)).where(q3.c._n3 <= MAX_CANDIDATES)


def _candidates(conn: sa.Connection, new: list[MergeEvent]) -> list[MergeEvent]:
    """Events already in an incident that a new event could join: per block (type family, actor), those dated
    within the widest merge window of the block's new events, with a compatible recipient — indexed lookups on
    events(actor, event_type, date), never a scan of the dyad's whole history."""
    span = max(WINDOW_DAYS.values())
    dated = any(x.day is not None for x in new)  # undated new events then match nothing already stored
    blocks: dict[tuple[str, str | None], list[MergeEvent]] = defaultdict(list)
    for ev in new:
        blocks[ev.block].append(ev)
    out: list[MergeEvent] = []
    for (family, actor), evs in sorted(blocks.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        params: dict[str, Any] = {"types": family_types(family)}
        if actor:
            params["actor"] = actor
        if dated:
            days = [x.day for x in evs if x.day is not None] or [x.day for x in new if x.day is not None]
            near = max(WINDOW_DAYS.get(x.precision, 3) for x in evs)
            params["nlo"] = (min(days) - dt.timedelta(days=near)).isoformat()
            params["nhi"] = (max(days) + dt.timedelta(days=near)).isoformat()
            params["lo"] = (min(days) - dt.timedelta(days=span)).isoformat()
            params["hi"] = (max(days) + dt.timedelta(days=span)).isoformat()
        by_recipient = all(x.recipient for x in evs)
        if by_recipient:
            params["recipients"] = sorted({str(x.recipient) for x in evs})
        undated = dated and any(x.day is None for x in evs)
        q = _candidate_stmt(bool(actor), dated, undated, by_recipient)
        out += [ev for ev in map(_to_ev, conn.execute(q, params)) if ev.block == (family, actor)]
    return sorted(out, key=lambda ev: ev.pk)  # a stable order, whatever plan the database chose


def _create_incidents(conn: sa.Connection, clusters: list[Cluster]) -> None:
    """Insert one incident per new cluster (in order; keyed by its first event's event_id) and set their ids."""
    e, i = S.events, S.incidents
    first_pks = [cl.members[0].pk for cl in clusters]
    event_ids: dict[int, str] = {}
    for chunk in chunks(first_pks):
        event_ids.update(
            (int(pk), str(eid)) for pk, eid in conn.execute(sa.select(e.c.id, e.c.event_id).where(e.c.id.in_(chunk)))
        )
    rows: list[dict[str, Any]] = [
        {
            "key": event_ids[cl.members[0].pk],
            "event_type": cl.members[0].block[0],
            "actor": cl.members[0].block[1],
            "recipient": cl.members[0].recipient,
        }
        for cl in clusters
    ]
    ids: dict[str, int] = {}
    for part in chunks(rows):
        res = conn.execute(i.insert().returning(i.c.key, i.c.id, sort_by_parameter_order=True), list(part))
        ids.update((str(k), int(v)) for k, v in res)
    for cl, row in zip(clusters, rows, strict=True):
        cl.incident_id = ids[str(row["key"])]


def _merge_stored(conn: sa.Connection, clusters: list[Cluster]) -> None:
    """Move the events of the stored incidents a cluster absorbed to its incident; drop the absorbed ones."""
    e, i = S.events, S.incidents
    for cl in clusters:
        for chunk in chunks(sorted(set(cl.absorbed))):
            conn.execute(e.update().where(e.c.incident_id.in_(chunk)).values(incident_id=cl.incident_id))
            conn.execute(i.delete().where(i.c.id.in_(chunk)))


def _recompute_incidents(conn: sa.Connection, incident_ids: Sequence[int]) -> None:
    """Recompute every stored column of these incidents from their events, reports and duplicates."""
    e, a = S.events, S.articles
    for chunk in chunks(sorted(set(incident_ids))):
        rows = conn.execute(
            sa.select(
                e.c.incident_id,
                e.c.event_id,
                e.c.event_type,
                e.c.recipient,
                e.c.status,
                e.c.date,
                e.c.date_precision,
                e.c.quad,
                e.c.score,
                e.c.article_id,
                e.c.sentence_id,
                a.c.published,
                a.c.source,
            )
            .join(a, a.c.id == e.c.article_id)
            .where(e.c.incident_id.in_(chunk))
            .order_by(e.c.id)
        ).all()
        by_inc: dict[int, list[Any]] = defaultdict(list)
        art_ids: set[int] = set()
        for r in rows:
            by_inc[int(r.incident_id)].append(r)
            art_ids.add(int(r.article_id))
        arts: dict[int, tuple[str | None, str | None]] = {}
        dups: dict[int, list[int]] = defaultdict(list)
        for sub in chunks(sorted(art_ids)):
            for aid, dup_of, pub, src in conn.execute(
                sa.select(a.c.id, a.c.duplicate_of, a.c.published, a.c.source).where(
                    sa.or_(a.c.id.in_(sub), a.c.duplicate_of.in_(sub))
                )
            ):
                arts[int(aid)] = (pub, src)
                if dup_of is not None:
                    dups[int(dup_of)].append(int(aid))
        updates = []
        bests = {iid: _best(evs) for iid, evs in by_inc.items()}
        texts: dict[int, str] = {}  # the summary: the best report's sentence (only those are read)
        for sub in chunks(sorted({int(b.sentence_id) for b in bests.values()})):
            q = sa.select(S.sentences.c.id, S.sentences.c.text).where(S.sentences.c.id.in_(sub))
            texts.update((int(i), str(t)) for i, t in conn.execute(q))
        for iid, evs in by_inc.items():
            reports = {int(r.article_id) for r in evs}
            reports |= {d for aid in list(reports) for d in dups.get(aid, [])}
            pubs = [str(arts[x][0]) for x in reports if arts.get(x) and arts[x][0]]
            sources = {arts[x][1] or "(unknown outlet)" for x in reports if x in arts}
            best = bests[iid]
            date, precision = incident_when((r.date, r.date_precision, r.status, r.published) for r in evs)
            named = Counter(r.recipient for r in evs if r.recipient)
            recipient = best.recipient or (named.most_common(1)[0][0] if named else None)
            updates.append(
                {
                    "_id": iid,
                    "event_type": best.event_type,
                    "recipient": recipient,
                    "status": best.status,
                    "date": date,
                    "date_precision": precision,
                    "first_reported": min(pubs) if pubs else None,
                    "last_reported": max(pubs) if pubs else None,
                    "n_reports": len(reports),
                    "n_outlets": len(sources),
                    "score": float(best.score),
                    "quad": int(best.quad),
                    "summary": texts.get(int(best.sentence_id)),
                }
            )
        if updates:
            i = S.incidents
            conn.execute(
                i.update()
                .where(i.c.id == sa.bindparam("_id"))
                .values({k: sa.bindparam(k) for k in updates[0] if k != "_id"}),
                updates,
            )


def _best(evs: list[Any]) -> Any:
    """The report that speaks for an incident: the most factual status, then the first published."""
    return min(evs, key=lambda r: (INCIDENT_STATUS_RANK.get(r.status, 9), r.published or "9999", r.event_id))


def _state(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(S.analytics_state.c.value).where(S.analytics_state.c.key == key)).scalar()


def _set_state(conn: sa.Connection, key: str, value: str) -> None:
    st = S.analytics_state
    if conn.execute(st.update().where(st.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(st.insert().values(key=key, value=value))


def _incidents_of_new_duplicates(conn: sa.Connection) -> set[int]:
    a, e = S.articles, S.events
    last = int(_state(conn, "dup_article_max") or 0)
    rows = conn.execute(sa.select(a.c.id, a.c.duplicate_of).where(a.c.id > last, a.c.duplicate_of.is_not(None))).all()
    top = conn.execute(sa.select(sa.func.max(a.c.id))).scalar()
    if top is not None:
        _set_state(conn, "dup_article_max", str(int(top)))
    originals = sorted({int(r.duplicate_of) for r in rows})
    out: set[int] = set()
    for chunk in chunks(originals):
        q = sa.select(e.c.incident_id).where(e.c.article_id.in_(chunk), e.c.incident_id.is_not(None)).distinct()
        out |= {int(x) for x in conn.execute(q).scalars()}
    return out


def _drop_orphans(conn: sa.Connection) -> set[tuple[str, str, str]]:
    """Delete incidents left without events (after ``ingest --force``); return their dyad keys."""
    i, e = S.incidents, S.events
    has_event = sa.select(e.c.id).where(e.c.incident_id == i.c.id).exists()
    rows = conn.execute(sa.select(i.c.id, i.c.date, i.c.actor, i.c.recipient).where(~has_event)).all()
    if not rows:
        return set()
    for chunk in chunks([int(r.id) for r in rows]):
        conn.execute(i.delete().where(i.c.id.in_(chunk)))
    return {(r.date, r.actor, r.recipient) for r in rows if r.date and r.actor and r.recipient}


ASSIGNED_KEY = "assigned_events"  # analytics_state: events with an incident after the last refresh


def assigned_events(conn: sa.Connection) -> int:
    """How many events have an incident (counted on the incident_id index)."""
    return int(conn.execute(sa.select(sa.func.count(S.events.c.incident_id))).scalar_one())


def refresh(store: Store) -> int:
    """Assign every event without an incident to one (new or existing); return incidents touched.

    Incidents can lose their events only when events are deleted (``ingest --force`` re-extracting an article),
    so the search for orphans runs only when fewer events have an incident than the last refresh left.
    """
    touched: set[int] = set()
    assigned = 0
    ensure_current(store)
    with store.engine.begin() as conn:
        before = assigned_events(conn)
        seen = _state(conn, ASSIGNED_KEY)
        keys = _drop_orphans(conn) if seen is None or before < int(seen) else set()
        dup_touched = _incidents_of_new_duplicates(conn)
        if dup_touched:  # a copy may move an incident's first report, and with it its timing (dyad_daily)
            keys |= dyad_keys(conn, dup_touched)
            _recompute_incidents(conn, sorted(dup_touched))
            keys |= dyad_keys(conn, dup_touched)
        touched |= dup_touched
        if keys:
            rebuild_dyad_daily(conn, keys)
    last_pk = 0
    while True:
        with store.engine.begin() as conn:
            q = _event_query().where(S.events.c.incident_id.is_(None), S.events.c.id > last_pk)
            new = [_to_ev(r) for r in conn.execute(q.order_by(S.events.c.id).limit(CHUNK))]
            if not new:
                break
            last_pk = max(x.pk for x in new)
            clusters = assign(new, _candidates(conn, new))
            old_ids = [c.incident_id for c in clusters if c.incident_id is not None]
            absorbed = [x for c in clusters for x in c.absorbed]
            keys = dyad_keys(conn, old_ids + absorbed)
            _create_incidents(conn, [cl for cl in clusters if cl.incident_id is None])
            _merge_stored(conn, clusters)
            assignments = []
            for cl in clusters:
                assignments += [{"_pk": m.pk, "_iid": cl.incident_id} for m in cl.members if m.incident_id is None]
            conn.execute(
                S.events.update().where(S.events.c.id == sa.bindparam("_pk")).values(incident_id=sa.bindparam("_iid")),
                assignments,
            )
            assigned += len(assignments)
            ids = [c.incident_id for c in clusters if c.incident_id is not None]
            _recompute_incidents(conn, ids)
            keys |= dyad_keys(conn, ids)
            rebuild_dyad_daily(conn, keys)
            touched.update(ids)
    with store.engine.begin() as conn:
        _set_state(conn, ASSIGNED_KEY, str(before + assigned))
    return len(touched)


__all__ = ["incident_detail", "list_incidents", "refresh"]
