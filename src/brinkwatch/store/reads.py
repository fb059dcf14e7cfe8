"""The read model: events with their evidence, the incident list and one incident in detail.

Every reader of stored events goes through two functions: :func:`event_query` (the joins to the article and
the sentence, and every filter of an :class:`EventFilter`) and :func:`hydrate` (its rows → event records). Two
shapes leave a record: :func:`api_event` (the JSON of the HTTP API and the pages: ``Event.to_dict()`` plus
where the event was found) and :func:`to_event` (an ``Event``: ``Store.events``, the CLI's ``events``). The
CLI's filters (``Store.events``), the API's and the pages' are one :class:`EventFilter`; the incident detail,
the claims ledger and the exports read records (:func:`events_by_ids`, :func:`hydrate`). Only the incident
merge reads a narrow projection of its own (``analyze/incidents.py``: the columns the merge rule needs).

A new ``events`` column touches:

1. ``store/schema.py`` (the column) and ``store/migrations.py`` (a migration adding it);
2. ``core/records.py`` — the ``Event`` field and its ``to_dict`` key;
3. ``store/writer.py`` — ``event_row`` (Event → row).

It is read back by name: :func:`hydrate` takes every column, :func:`to_event` fills each ``Event`` field
from the column of that name, and the API shape and the ``jsonl`` export follow ``Event.to_dict``. Only a
stored form that differs from the record's (a JSON object standing for a nested record, as ``location``) needs
a line in :func:`to_event`. (``dev/synth.py`` writes rows in bulk: a NOT NULL column without a server default
needs a value there too.)

(The writing side of incidents — clustering reports into incidents — is ``analyze/incidents.py``, which
re-exports the incident readers.)
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from brinkwatch.core.records import Attribution, Event, Location, Party
from brinkwatch.lexicon.groups import expand, parse_dyad
from brinkwatch.store import schema as S
from brinkwatch.store.db import chunks

if TYPE_CHECKING:  # pandas is imported where a frame is built (ingest never needs it)
    import pandas as pd


class HasEngine(Protocol):
    """A store handle (``writer.Store``): what the readers need of it."""

    @property
    def engine(self) -> sa.Engine: ...


# --------------------------------------------------------------------------------------------- filters
@dataclasses.dataclass(slots=True, kw_only=True)
class EventFilter:
    """Which events to read: every condition given must hold."""

    article_id: int | None = None
    incident_id: int | None = None
    dyad: tuple[str, str] | None = None  # main dyad (events.actor / events.recipient); groups expand
    directed: bool = False  # the dyad A→B only (else either direction)
    actor: str | None = None  # any actor party with this country or code
    recipient: str | None = None
    event_type: str | None = None  # any case
    status: str | None = None
    statuses: Sequence[str] | None = None
    min_confidence: float | None = None  # the event model's probability that it is an event, at least
    since: str | None = None  # ISO dates, inclusive
    until: str | None = None
    text: str | None = None  # case-insensitive, in the sentence
    # Where the web and the CLI read differently (each as it always has):
    # report_dates — since/until: an undated event counts at its report's publication date, and a bare
    # ``until`` date covers that whole day (the web); False: the event's own date only, which the date index
    # answers (the CLI). text_in_trigger — ``text`` in the sentence or the trigger (the web); False: in the
    # sentence only, which PostgreSQL's trigram index answers (the CLI).
    report_dates: bool = True
    text_in_trigger: bool = True


def contains(col: Any, text: str) -> Any:
    """Case-insensitive substring match; ``%`` and ``_`` in ``text`` are literal."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return col.ilike("%" + escaped + "%", escape="\\")


def party_filter(role: str, code: str) -> sa.Select[Any]:
    """Ids of the events with a party in ``role`` (actor | recipient) whose country or code is ``code``."""
    p = S.parties
    code = code.upper()
    return sa.select(p.c.event_id).where(p.c.role == role, sa.or_(p.c.country == code, p.c.code == code))


FREQUENT_PARTY = 5000  # parties rows from which a party is common enough to look for it event by event


def party_match(conn: sa.Connection, role: str, code: str, event_pk: Any, *, scan: bool = True) -> Any:
    """A WHERE clause: the event (primary key column ``event_pk``) has a party in ``role`` whose country or code
    is ``code``. For a common party (at least FREQUENT_PARTY rows, counted through the country and code
    indexes) and ``scan``, a correlated EXISTS, so that the newest-first walk down the date index stops after
    the first ``limit`` matches; otherwise the (short) list of matching event ids."""
    p = S.parties
    code = code.upper()
    if scan:
        sample = sa.select(p.c.id).where(p.c.role == role, sa.or_(p.c.country == code, p.c.code == code))
        n = conn.execute(sa.select(sa.func.count()).select_from(sample.limit(FREQUENT_PARTY).subquery())).scalar()
        if int(n or 0) >= FREQUENT_PARTY:
            return (
                sa.select(p.c.id)
                .where(p.c.event_id == event_pk, p.c.role == role, sa.or_(p.c.country == code, p.c.code == code))
                .exists()
            )
    return event_pk.in_(party_filter(role, code))


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


# --------------------------------------------------------------------------------------------- events
def _select() -> sa.Select[Any]:
    """Every events column, with its article's and its sentence's fields."""
    e, a, s = S.events, S.articles, S.sentences
    return (
        sa.select(
            e,
            a.c.doc_id,
            a.c.source,
            a.c.published,
            a.c.url,
            a.c.origin,
            s.c.text.label("sentence"),
            s.c.start.label("sentence_start"),
            a.c.title,
        )
        .join(a, a.c.id == e.c.article_id)
        .join(s, s.c.id == e.c.sentence_id)
    )


def event_query(conn: sa.Connection, f: EventFilter, *, walk: bool = False) -> sa.Select[Any]:
    """The events ``f`` selects, joined to their article and sentence (not ordered: the caller orders).

    ``walk``: the caller reads them newest first down the date index and stops at a limit — then a common party
    is tested event by event (:func:`party_match`) rather than listed.
    """
    e, a, s = S.events, S.articles, S.sentences
    q = _select()
    if f.article_id is not None:
        q = q.where(e.c.article_id == f.article_id)
    if f.incident_id is not None:
        q = q.where(e.c.incident_id == f.incident_id)
    if f.dyad:
        q = q.where(dyad_condition(e.c.actor, e.c.recipient, f"{f.dyad[0]}:{f.dyad[1]}", directed=f.directed))
    for role, code in (("actor", f.actor), ("recipient", f.recipient)):
        if code:
            q = q.where(party_match(conn, role, code, e.c.id, scan=walk))
    if f.event_type:
        q = q.where(e.c.event_type == f.event_type.upper())
    if f.status:
        q = q.where(e.c.status == f.status)
    if f.statuses:
        q = q.where(e.c.status.in_(list(f.statuses)))
    if f.min_confidence is not None:
        q = q.where(e.c.confidence >= f.min_confidence)
    when = sa.func.coalesce(e.c.date, a.c.published) if f.report_dates else e.c.date
    if f.since:
        q = q.where(when >= f.since)
    if f.until:
        whole_day = f.report_dates and len(f.until) == 10
        q = q.where(when <= (f.until + "\uffff" if whole_day else f.until))
    if f.text:
        found = contains(s.c.text, f.text)
        q = q.where(sa.or_(found, contains(e.c.trigger, f.text)) if f.text_in_trigger else found)
    return q


PARTY_FIELDS = ("text", "code", "country", "sector", "name", "start", "end", "resolved_from")
ATTRIBUTION_FIELDS = ("text", "kind", "country")


def _parties(
    conn: sa.Connection, ids: Sequence[int]
) -> tuple[dict[int, dict[str, list[dict[str, Any]]]], dict[int, list[dict[str, Any]]]]:
    """The parties (``{event pk: {"actor": [...], "recipient": [...]}}``, in order) and the attribution
    chains (``{event pk: [...]}``, outermost first) of these events, as plain dicts."""
    parts: dict[int, dict[str, list[dict[str, Any]]]] = {i: {"actor": [], "recipient": []} for i in ids}
    attrs: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    p, at = S.parties, S.attributions
    for chunk in chunks(sorted(set(ids))):
        q = sa.select(p.c.event_id, p.c.role, *(p.c[k] for k in PARTY_FIELDS)).where(p.c.event_id.in_(chunk))
        for eid, role, *values in conn.execute(q.order_by(p.c.position)):
            parts[eid]["actor" if role == "actor" else "recipient"].append(dict(zip(PARTY_FIELDS, values, strict=True)))
        q = sa.select(at.c.event_id, *(at.c[k] for k in ATTRIBUTION_FIELDS)).where(at.c.event_id.in_(chunk))
        for eid, *values in conn.execute(q.order_by(at.c.position)):
            attrs[eid].append(dict(zip(ATTRIBUTION_FIELDS, values, strict=True)))
    return parts, attrs


def hydrate(conn: sa.Connection, rows: sa.CursorResult[Any] | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows of :func:`event_query` (its executed result, or the rows as mappings) as event records, in their
    order: every events column as stored (``id`` as ``pk``, last), the article's doc_id, source, published date,
    url, origin (where it was read from) and title, the ``sentence`` and its offset ``sentence_start``, the
    parties (``actors``, ``recipients``: PARTY_FIELDS dicts) and the ``attribution`` chain (ATTRIBUTION_FIELDS
    dicts, outermost first)."""
    if isinstance(rows, sa.CursorResult):
        keys = list(rows.keys())
        recs = [dict(zip(keys, row, strict=True)) for row in rows]
    else:
        recs = [dict(r) for r in rows]
    parts, attrs = _parties(conn, [r["id"] for r in recs])
    for rec in recs:
        pk = rec.pop("id")
        rec["actors"], rec["recipients"] = parts[pk]["actor"], parts[pk]["recipient"]
        rec["attribution"] = attrs[pk]
        rec["pk"] = pk
    return recs


def events_by_ids(conn: sa.Connection, pks: Sequence[int]) -> list[dict[str, Any]]:
    """Events (by primary key) as records (:func:`hydrate`), by date, then primary key."""
    out: list[dict[str, Any]] = []
    for chunk in chunks(sorted(set(pks))):
        out += hydrate(conn, conn.execute(_select().where(S.events.c.id.in_(chunk))))
    out.sort(key=lambda r: (r["date"] or "", r["pk"]))
    return out


def newest_events(conn: sa.Connection, f: EventFilter, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """The events ``f`` selects as records, newest first (then in id order): the CLI's list."""
    e = S.events
    walk = f.text is None and f.article_id is None  # a walk down the date index can stop at ``limit`` rows
    q = event_query(conn, f, walk=walk).order_by(e.c.date.desc(), e.c.id).limit(limit).offset(offset)
    return hydrate(conn, conn.execute(q))


# ------------------------------------------------------------------------------------- record shapes
# Event.to_dict()'s keys, in its order: the JSON shape of an event (an instance is needed to list them)
RECORD_KEYS = tuple(
    Event(doc_id="", sentence_index=0, sentence="", trigger="", trigger_start=0, trigger_end=0, event_type="")
    .to_dict()
    .keys()
)
WHERE_KEYS = ("article_id", "title", "source", "published", "url", "incident_id")  # where an event was found
_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))


def api_event(rec: dict[str, Any]) -> dict[str, Any]:
    """A record in the JSON shape of the API and the pages: ``Event.to_dict()``'s keys with where the event
    was found (WHERE_KEYS) after ``doc_id``, and the main dyad (``actor``, ``recipient``) after the parties."""
    out: dict[str, Any] = {}
    for k in RECORD_KEYS:
        if k not in rec:
            continue  # a record field the store does not keep
        v = rec[k]
        out[k] = bool(v) if k == "factual" else list(v or []) if k in ("contexts", "cues") else v
        if k == "doc_id":
            out.update((w, rec[w]) for w in WHERE_KEYS)
        elif k == "recipients":
            out["actor"], out["recipient"] = rec["actor"], rec["recipient"]
    return out


def _party(d: dict[str, Any]) -> Party:
    """A stored party dict (``PARTY_FIELDS``) as a record (its code is derived, not stored)."""
    return Party(**{k: v for k, v in d.items() if k != "code"})


def to_event(rec: dict[str, Any]) -> Event:
    """A record as an ``Event``: each field from the column of its name; nested records rebuilt."""
    kw = {k: rec[k] for k in _EVENT_FIELDS if k in rec}
    kw["contexts"] = list(rec["contexts"] or [])
    kw["cues"] = list(rec["cues"] or [])
    kw["actors"] = [_party(d) for d in rec["actors"]]
    kw["recipients"] = [_party(d) for d in rec["recipients"]]
    kw["attribution"] = [Attribution(**d) for d in rec["attribution"]]
    kw["location"] = Location(**rec["location"]) if rec["location"] else None
    return Event(**kw)


# --------------------------------------------------------------------------------------------- incidents
def list_incidents(
    store: HasEngine,
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


def incident_detail(store: HasEngine, incident_id: int) -> dict[str, Any] | None:
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
        # the events as records; their article's title is in "reports" (the shape `incident --json` has had)
        "events": [{k: v for k, v in x.items() if k != "title"} for x in evs],
        "reports": reports,
        "outlets": [{"source": k, "reports": v} for k, v in outlets.items()],
    }
