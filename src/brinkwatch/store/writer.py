"""The record: articles, sentences, events, parties, attributions, tags — written one article per transaction.

A kill -9 at any moment leaves either the whole article (with its sentences and events) or nothing of it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from brinkwatch.core.records import Article, Event, Party, Sentence
from brinkwatch.store import db as dbmod
from brinkwatch.store import reads
from brinkwatch.store import schema as S
from brinkwatch.store.db import chunks


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# multi-row inserts that return the new ids in parameter order (SQLite ≥ 3.35 and PostgreSQL)
_INSERT_ARTICLE = S.articles.insert().returning(S.articles.c.id)  # built once: one compiled statement
_INSERT_SENTENCES = S.sentences.insert().returning(S.sentences.c.id, sort_by_parameter_order=True)
_INSERT_EVENTS = S.events.insert().returning(S.events.c.id, sort_by_parameter_order=True)
_ORIGINALS_AFTER = (  # built once: this runs before every article insert
    sa.select(S.articles.c.id, S.articles.c.minhash)
    .where(
        S.articles.c.id > sa.bindparam("after"), S.articles.c.duplicate_of.is_(None), S.articles.c.minhash.is_not(None)
    )
    .order_by(S.articles.c.id)
)
ARTICLE_WRITE_LOCK = 0x6272_6B78  # PostgreSQL advisory lock key serializing article inserts across processes


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
        try:
            self.version = dbmod.migrate(self.engine)
        except BaseException:
            if engine is None:
                self.engine.dispose()
            raise

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
        """{text_hash: {id, doc_id, status, published}} of the stored articles with any of these hashes (one query
        per 500: ingest plans a chunk of articles with one look-up instead of one per article)."""
        a = S.articles
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(sorted(set(hashes))):
                cols = (a.c.text_hash, a.c.id, a.c.doc_id, a.c.status, a.c.published)
                q = sa.select(*cols).where(a.c.text_hash.in_(chunk))
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
    @contextmanager
    def write_transaction(self) -> Iterator[sa.Connection]:
        """One transaction holding the store's write lock from its first statement (SQLite ``BEGIN
        IMMEDIATE``, PostgreSQL a transaction-level advisory lock): no other process writes an article
        between what it reads and what it writes, and article ids follow the order of commits."""
        with self.engine.begin() as conn:
            if self.dialect == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": ARTICLE_WRITE_LOCK})
            yield conn

    def originals_after(self, conn: sa.Connection, after_id: int) -> list[tuple[int, bytes]]:
        """(id, serialized MinHash) of the originals stored after article ``after_id``, oldest first: what
        other processes wrote since a near-duplicate index was loaded (read inside :meth:`write_transaction`)."""
        return [(int(aid), bytes(mh)) for aid, mh in conn.execute(_ORIGINALS_AFTER, {"after": after_id})]

    def write_article(self, item: StoredArticle, conn: sa.Connection | None = None) -> int:
        """Insert one article with everything extracted from it, in one transaction (``conn``'s, else a
        :meth:`write_transaction` of its own). Returns its id."""
        if conn is None:
            with self.write_transaction() as own:
                return self._insert_article(own, item)
        return self._insert_article(conn, item)

    def _insert_article(self, conn: sa.Connection, item: StoredArticle) -> int:
        a = item.article
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
        published: str | None = None,
    ) -> None:
        """Swap an article's sentences and events for new ones atomically (``ingest --force``; ``published``: the
        date a re-ingest gives an article stored without one)."""
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
            if published is not None:
                conn.execute(S.articles.update().where(S.articles.c.id == article_id).values(published=published))

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
        with self.write_transaction() as conn:  # read and write under one lock: concurrent ingests record too
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
        min_confidence: float | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Event]:
        """Events as records, filtered (on the event's own date; ``text`` in the sentence); newest first."""
        f = reads.EventFilter(
            article_id=article_id,
            event_type=event_type,
            status=status,
            min_confidence=min_confidence,
            actor=actor,
            recipient=recipient,
            since=since,
            until=until,
            text=text,
            report_dates=False,
            text_in_trigger=False,
        )
        with self.engine.connect() as conn:
            return [reads.to_event(r) for r in reads.newest_events(conn, f, limit=limit, offset=offset)]


# ------------------------------------------------------------------ rows
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
        "date_source": ev.date_source,
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
