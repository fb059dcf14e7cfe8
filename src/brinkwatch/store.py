"""The record: articles, sentences, events, parties, attributions, tags — written one article per transaction.

A kill -9 at any moment leaves either the whole article (with its sentences and events) or nothing of it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from . import db as dbmod
from . import schema as S
from .records import Article, Attribution, Event, Location, Party, Sentence


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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

    def doc_id_taken(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            q = sa.select(S.articles.c.id).where(S.articles.c.doc_id == doc_id).limit(1)
            return conn.execute(q).first() is not None

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

    # ------------------------------------------------------------------ writes
    def write_article(self, item: StoredArticle) -> int:
        """Insert one article with everything extracted from it, in one transaction. Returns its id."""
        a = item.article
        with self.engine.begin() as conn:
            article_id = conn.execute(
                S.articles.insert()
                .values(
                    doc_id=a.doc_id,
                    text_hash=item.text_hash,
                    url=a.url,
                    title=a.title,
                    author=a.author,
                    source=a.source,
                    published=a.published,
                    language=a.language,
                    origin=a.origin,
                    raw_format=a.raw_format,
                    text=a.text,
                    duplicate_of=item.duplicate_of,
                    similarity=item.similarity,
                    status=item.status,
                    reason=item.reason,
                    minhash=item.minhash,
                    extractor_version=item.extractor_version,
                    ingested_at=now_iso(),
                    n_events=len(item.events),
                )
                .returning(S.articles.c.id)
            ).scalar_one()
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
        sent_ids: dict[int, int] = {}
        for s in sentences:
            sid = conn.execute(
                S.sentences.insert()
                .values(article_id=article_id, idx=s.index, start=s.start, end=s.end, text=s.text)
                .returning(S.sentences.c.id)
            ).scalar_one()
            sent_ids[s.index] = int(sid)
        for ev in events:
            if ev.sentence_index not in sent_ids:
                raise ValueError(f"event {ev.event_id} points to sentence {ev.sentence_index}, not stored")
            eid = conn.execute(
                S.events.insert()
                .values(
                    event_id=ev.event_id,
                    article_id=article_id,
                    sentence_id=sent_ids[ev.sentence_index],
                    **event_row(ev),
                )
                .returning(S.events.c.id)
            ).scalar_one()
            rows = [party_row(eid, "actor", i, p) for i, p in enumerate(ev.actors)]
            rows += [party_row(eid, "recipient", i, p) for i, p in enumerate(ev.recipients)]
            if rows:
                conn.execute(S.parties.insert(), rows)
            if ev.attribution:
                conn.execute(
                    S.attributions.insert(),
                    [
                        {"event_id": eid, "position": i, "text": at.text, "kind": at.kind, "country": at.country}
                        for i, at in enumerate(ev.attribution)
                    ],
                )

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
        if actor:
            q = q.where(e.c.id.in_(_party_filter("actor", actor)))
        if recipient:
            q = q.where(e.c.id.in_(_party_filter("recipient", recipient)))
        if since:
            q = q.where(e.c.date >= since)
        if until:
            q = q.where(e.c.date <= until)
        if text:
            q = q.where(S.sentences.c.text.ilike("%" + _escape_like(text) + "%", escape="\\"))
        q = q.order_by(e.c.date.desc(), e.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = list(conn.execute(q).mappings())
            return self._hydrate(conn, rows)

    def _hydrate(self, conn: sa.Connection, rows: Iterable[Any]) -> list[Event]:
        rows = list(rows)
        ids = [r["id"] for r in rows]
        parts: dict[int, dict[str, list[Party]]] = {i: {"actor": [], "recipient": []} for i in ids}
        attrs: dict[int, list[Attribution]] = {i: [] for i in ids}
        if ids:
            for p in conn.execute(
                sa.select(S.parties).where(S.parties.c.event_id.in_(ids)).order_by(S.parties.c.position)
            ).mappings():
                parts[p["event_id"]][p["role"]].append(
                    Party(
                        text=p["text"],
                        country=p["country"],
                        sector=p["sector"],
                        name=p["name"],
                        start=p["start"],
                        end=p["end"],
                    )
                )
            for at in conn.execute(
                sa.select(S.attributions).where(S.attributions.c.event_id.in_(ids)).order_by(S.attributions.c.position)
            ).mappings():
                attrs[at["event_id"]].append(Attribution(text=at["text"], kind=at["kind"], country=at["country"]))
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
                    actors=parts[r["id"]]["actor"],
                    recipients=parts[r["id"]]["recipient"],
                    status=r["status"],
                    factuality=r["factuality"],
                    cues=list(r["cues"] or []),
                    attribution=attrs[r["id"]],
                    date=r["date"],
                    date_precision=r["date_precision"],
                    location=Location(**loc) if loc else None,
                    parent_event=r["parent_event"],
                    confidence=r["confidence"],
                )
            )
        return out


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _party_filter(role: str, code: str) -> sa.Select[Any]:
    p = S.parties
    code = code.upper()
    return sa.select(p.c.event_id).where(p.c.role == role, sa.or_(p.c.country == code, p.c.code == code))


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
    }
