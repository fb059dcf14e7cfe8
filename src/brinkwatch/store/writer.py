"""The record: articles, sentences, events, parties, attributions, tags — written one article per transaction.

A kill -9 at any moment leaves either the whole article (with its sentences and events) or nothing of it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa

from brinkwatch.core.records import Article, Attribution, Event, Location, Party, Sentence
from brinkwatch.store import db as dbmod
from brinkwatch.store import schema as S

T = TypeVar("T")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# multi-row inserts that return the new ids in parameter order (SQLite ≥ 3.35 and PostgreSQL)
_INSERT_ARTICLE = S.articles.insert().returning(S.articles.c.id)  # built once: one compiled statement
_INSERT_SENTENCES = S.sentences.insert().returning(S.sentences.c.id, sort_by_parameter_order=True)
_INSERT_EVENTS = S.events.insert().returning(S.events.c.id, sort_by_parameter_order=True)


@dataclass(slots=True, kw_only=True)
class StoredArticle:
    """What an ingest writes for one article."""

    article: Article
    text_hash: str
    status: str  # extracted | duplicate | skipped
    reason: str | None = None
    duplicate_of: int | None = None
    similarity: float | None = None
    minhash: bytes | None = None
    extractor_version: str | None = None
    sentences: Sequence[Sentence] = ()
    events: Sequence[Event] = ()


class Store:
    """A handle on one store (SQLite file or PostgreSQL database)."""

    def __init__(self, db: str | os.PathLike[str] | None = None, *, engine: sa.Engine | None = None) -> None:
        self.url = dbmod.resolve_url(db) if engine is None else str(engine.url)
        self.engine = engine if engine is not None else dbmod.make_engine(db)
        self.version = dbmod.migrate(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reads used by ingest
    def article_by_hash(self, text_hash: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(S.articles).where(S.articles.c.text_hash == text_hash)).mappings().first()
        return dict(row) if row else None

    def articles_by_hash(self, hashes: Iterable[str]) -> dict[str, dict[str, Any]]:
        """{text_hash: {id, doc_id, status}} of the stored articles with any of these hashes (one query per
        500: ingest plans a chunk of articles with one look-up instead of one per article)."""
        a = S.articles
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(sorted(set(hashes))):
                q = sa.select(a.c.text_hash, a.c.id, a.c.doc_id, a.c.status).where(a.c.text_hash.in_(chunk))
                out.update((r["text_hash"], dict(r)) for r in conn.execute(q).mappings())
        return out

    def doc_ids_taken(self, doc_ids: Iterable[str]) -> set[str]:
        """Which of these doc_ids are already stored."""
        a = S.articles
        out: set[str] = set()
        with self.engine.connect() as conn:
            for chunk in chunks(sorted(set(doc_ids))):
                out.update(str(x) for x in conn.execute(sa.select(a.c.doc_id).where(a.c.doc_id.in_(chunk))).scalars())
        return out

    def iter_minhashes(self) -> Iterator[tuple[int, bytes]]:
        """(article id, serialized MinHash) of every original (non-duplicate) article, oldest first."""
        q = (
            sa.select(S.articles.c.id, S.articles.c.minhash)
            .where(S.articles.c.duplicate_of.is_(None), S.articles.c.minhash.is_not(None))
            .order_by(S.articles.c.id)
        )
        with self.engine.connect() as conn:
            for aid, mh in conn.execute(q):
                yield int(aid), bytes(mh)

    def minhashes(self, ids: list[int]) -> dict[int, bytes]:
        """{article id: serialized MinHash} of these articles (the near-duplicate index checks a hit)."""
        out: dict[int, bytes] = {}
        a = S.articles
        with self.engine.connect() as conn:
            for chunk in chunks(sorted(set(ids))):
                q = sa.select(a.c.id, a.c.minhash).where(a.c.id.in_(chunk), a.c.minhash.is_not(None))
                out.update((int(aid), bytes(mh)) for aid, mh in conn.execute(q))
        return out

    # ------------------------------------------------------------------ writes
    def write_article(self, item: StoredArticle) -> int:
        """Insert one article with everything extracted from it, in one transaction. Returns its id."""
        a = item.article
        with self.engine.begin() as conn:
            row = {
                "doc_id": a.doc_id,
                "text_hash": item.text_hash,
                "url": a.url,
                "title": a.title,
                "author": a.author,
                "source": a.source,
                "published": a.published,
                "language": a.language,
                "origin": a.origin,
                "raw_format": a.raw_format,
                "text": a.text,
                "duplicate_of": item.duplicate_of,
                "similarity": item.similarity,
                "status": item.status,
                "reason": item.reason,
                "minhash": item.minhash,
                "extractor_version": item.extractor_version,
                "ingested_at": now_iso(),
                "n_events": len(item.events),
            }
            article_id = conn.execute(_INSERT_ARTICLE, row).scalar_one()
            if a.tags:
                conn.execute(S.tags.insert(), [{"article_id": article_id, "tag": t} for t in dict.fromkeys(a.tags)])
            self._write_content(conn, article_id, item.sentences, item.events)
        return int(article_id)

    def replace_extraction(
        self,
        article_id: int,
        sentences: Sequence[Sentence],
        events: Sequence[Event],
        *,
        status: str = "extracted",
        reason: str | None = None,
        extractor_version: str | None = None,
    ) -> None:
        """Swap an article's sentences and events for new ones atomically (``ingest --force``)."""
        with self.engine.begin() as conn:
            old = sa.select(S.events.c.id).where(S.events.c.article_id == article_id)
            conn.execute(S.parties.delete().where(S.parties.c.event_id.in_(old)))
            conn.execute(S.attributions.delete().where(S.attributions.c.event_id.in_(old)))
            conn.execute(S.events.delete().where(S.events.c.article_id == article_id))
            conn.execute(S.sentences.delete().where(S.sentences.c.article_id == article_id))
            self._write_content(conn, article_id, sentences, events)
            conn.execute(
                S.articles.update()
                .where(S.articles.c.id == article_id)
                .values(status=status, reason=reason, extractor_version=extractor_version, n_events=len(events))
            )

    def _write_content(
        self, conn: sa.Connection, article_id: int, sentences: Sequence[Sentence], events: Sequence[Event]
    ) -> None:
        """Sentences, events, parties and attributions: one multi-row insert per table (ids in input order)."""
        sent_ids: dict[int, int] = {}
        if sentences:
            rows = [
                {
                    "article_id": article_id,
                    "idx": s.index,
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                    "skip_reason": s.skip_reason,
                }
                for s in sentences
            ]
            ids = conn.execute(_INSERT_SENTENCES, rows).scalars().all()
            sent_ids = {s.index: int(i) for s, i in zip(sentences, ids, strict=True)}
        if not events:
            return
        ev_rows = []
        for ev in events:
            if ev.sentence_index not in sent_ids:
                raise ValueError(f"event {ev.event_id} points to sentence {ev.sentence_index}, not stored")
            ev_rows.append(
                {
                    "event_id": ev.event_id,
                    "article_id": article_id,
                    "sentence_id": sent_ids[ev.sentence_index],
                    **event_row(ev),
                }
            )
        eids = conn.execute(_INSERT_EVENTS, ev_rows).scalars().all()
        parties: list[dict[str, Any]] = []
        attributions: list[dict[str, Any]] = []
        for ev, eid in zip(events, eids, strict=True):
            parties += [party_row(eid, "actor", i, p) for i, p in enumerate(ev.actors)]
            parties += [party_row(eid, "recipient", i, p) for i, p in enumerate(ev.recipients)]
            attributions += [
                {"event_id": eid, "position": i, "text": at.text, "kind": at.kind, "country": at.country}
                for i, at in enumerate(ev.attribution)
            ]
        if parties:
            conn.execute(S.parties.insert(), parties)
        if attributions:
            conn.execute(S.attributions.insert(), attributions)

    def record_failure(self, origin: str, reason: str) -> None:
        """Remember a bad input; the same (origin, reason) again only updates its time (re-runs add nothing)."""
        f = S.failures
        with self.engine.begin() as conn:
            same = sa.and_(f.c.origin == origin, f.c.reason == reason)
            if conn.execute(sa.select(f.c.id).where(same).limit(1)).first() is not None:
                conn.execute(f.update().where(same).values(at=now_iso()))
            else:
                conn.execute(f.insert().values(origin=origin, reason=reason, at=now_iso()))

    def failures(self, limit: int = 100) -> list[dict[str, Any]]:
        """The most recent recorded failures (origin, reason, at)."""
        q = sa.select(S.failures.c.origin, S.failures.c.reason, S.failures.c.at).order_by(S.failures.c.id.desc())
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q.limit(limit)).mappings()]

    # ------------------------------------------------------------------ summaries
    def stats(self) -> dict[str, int]:
        with self.engine.connect() as conn:

            def count(table: sa.Table, *where: Any) -> int:
                q = sa.select(sa.func.count()).select_from(table)
                for w in where:
                    q = q.where(w)
                return int(conn.execute(q).scalar_one())

            return {
                "articles": count(S.articles),
                "duplicates": count(S.articles, S.articles.c.duplicate_of.is_not(None)),
                "skipped": count(S.articles, S.articles.c.status == "skipped"),
                "sentences": count(S.sentences),
                "events": count(S.events),
                "factual_events": count(S.events, S.events.c.factual.is_(True)),
                "parties": count(S.parties),
                "attributions": count(S.attributions),
                "incidents": count(S.incidents),
                "failed": count(S.failures),
            }

    def events(
        self,
        *,
        article_id: int | None = None,
        event_type: str | None = None,
        status: str | None = None,
        actor: str | None = None,
        recipient: str | None = None,
        since: str | None = None,
        until: str | None = None,
        text: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Event]:
        """Events as records, filtered; newest first."""
        e = S.events
        q = sa.select(e, S.articles.c.doc_id).join(S.articles, S.articles.c.id == e.c.article_id)
        q = q.join(S.sentences, S.sentences.c.id == e.c.sentence_id).add_columns(
            S.sentences.c.text.label("sentence_text"), S.sentences.c.start.label("sentence_start")
        )
        if article_id is not None:
            q = q.where(e.c.article_id == article_id)
        if event_type:
            q = q.where(e.c.event_type == event_type.upper())
        if status:
            q = q.where(e.c.status == status)
        if since:
            q = q.where(e.c.date >= since)
        if until:
            q = q.where(e.c.date <= until)
        if text:
            q = q.where(contains(S.sentences.c.text, text))
        scan = text is None and article_id is None  # a walk down the date index can stop at ``limit`` rows
        with self.engine.connect() as conn:
            for role, code in (("actor", actor), ("recipient", recipient)):
                if code:
                    q = q.where(party_match(conn, role, code, e.c.id, scan=scan))
            q = q.order_by(e.c.date.desc(), e.c.id).limit(limit).offset(offset)
            rows = list(conn.execute(q).mappings())
            return self._hydrate(conn, rows)

    def _hydrate(self, conn: sa.Connection, rows: Iterable[Any]) -> list[Event]:
        rows = list(rows)
        ids = [r["id"] for r in rows]
        parts, attrs = event_parts(conn, ids)
        out = []
        for r in rows:
            loc = r["location"]
            out.append(
                Event(
                    event_id=r["event_id"],
                    doc_id=r["doc_id"],
                    sentence_index=r["sentence_index"],
                    sentence=r["sentence_text"],
                    sentence_start=r["sentence_start"],
                    trigger=r["trigger"],
                    trigger_start=r["trigger_start"],
                    trigger_end=r["trigger_end"],
                    event_type=r["event_type"],
                    mode=r["mode"],
                    contexts=list(r["contexts"] or []),
                    quad=r["quad"],
                    score=r["score"],
                    actors=[_party(d) for d in parts[r["id"]]["actor"]],
                    recipients=[_party(d) for d in parts[r["id"]]["recipient"]],
                    status=r["status"],
                    factuality=r["factuality"],
                    cues=list(r["cues"] or []),
                    attribution=[Attribution(**d) for d in attrs[r["id"]]],
                    date=r["date"],
                    date_precision=r["date_precision"],
                    location=Location(**loc) if loc else None,
                    parent_event=r["parent_event"],
                    confidence=r["confidence"],
                )
            )
        return out


# ------------------------------------------------------------------ query helpers (also used by incidents, web)
PARTY_FIELDS = ("text", "code", "country", "sector", "name", "start", "end", "resolved_from")
ATTRIBUTION_FIELDS = ("text", "kind", "country")


def chunks(items: Sequence[T], n: int = 500) -> Iterator[Sequence[T]]:
    """Slices of at most ``n`` items (keeps ``IN (…)`` lists within every driver's limits)."""
    for i in range(0, len(items), n):
        yield items[i : i + n]


def contains(col: Any, text: str) -> Any:
    """Case-insensitive substring match; ``%`` and ``_`` in ``text`` are literal."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return col.ilike("%" + escaped + "%", escape="\\")


def _party(d: dict[str, Any]) -> Party:
    """A stored party dict (``PARTY_FIELDS``) as a record (its code is derived, not stored)."""
    return Party(**{k: v for k, v in d.items() if k != "code"})


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


def event_parts(
    conn: sa.Connection, ids: Sequence[int]
) -> tuple[dict[int, dict[str, list[dict[str, Any]]]], dict[int, list[dict[str, Any]]]]:
    """The parties (``{event pk: {"actor": [...], "recipient": [...]}}``, in order) and the attribution
    chains (``{event pk: [...]}``, outermost first) of these events, as plain dicts."""
    parts: dict[int, dict[str, list[dict[str, Any]]]] = {i: {"actor": [], "recipient": []} for i in ids}
    attrs: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    p, at = S.parties, S.attributions
    for chunk in chunks(sorted(set(ids))):
        for r in conn.execute(sa.select(p).where(p.c.event_id.in_(chunk)).order_by(p.c.position)).mappings():
            role = "actor" if r["role"] == "actor" else "recipient"
            parts[r["event_id"]][role].append({k: r[k] for k in PARTY_FIELDS})
        for r in conn.execute(sa.select(at).where(at.c.event_id.in_(chunk)).order_by(at.c.position)).mappings():
            attrs[r["event_id"]].append({k: r[k] for k in ATTRIBUTION_FIELDS})
    return parts, attrs


def event_row(ev: Event) -> dict[str, Any]:
    """The events-table columns of one event (without its ids)."""
    return {
        "sentence_index": ev.sentence_index,
        "trigger": ev.trigger,
        "trigger_start": ev.trigger_start,
        "trigger_end": ev.trigger_end,
        "event_type": ev.event_type,
        "mode": ev.mode,
        "contexts": list(ev.contexts),
        "quad": ev.quad,
        "score": ev.score,
        "status": ev.status,
        "factual": ev.factual,
        "factuality": ev.factuality,
        "cues": list(ev.cues),
        "date": ev.date,
        "date_precision": ev.date_precision,
        "location": ev.location.to_dict() if ev.location else None,
        "loc_country": ev.location.country if ev.location else None,
        "parent_event": ev.parent_event,
        "confidence": ev.confidence,
        "actor": ev.actors[0].country if ev.actors else None,
        "recipient": ev.recipients[0].country if ev.recipients else None,
    }


def party_row(event_pk: int, role: str, position: int, p: Party) -> dict[str, Any]:
    return {
        "event_id": event_pk,
        "role": role,
        "position": position,
        "text": p.text,
        "code": p.code,
        "country": p.country,
        "sector": p.sector,
        "name": p.name,
        "start": p.start,
        "end": p.end,
        "resolved_from": p.resolved_from,
    }
