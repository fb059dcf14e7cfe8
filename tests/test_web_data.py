"""A small, real store for the web tests: articles, sentences, events and incidents written through Store.

Includes one hostile article whose title, outlet and text carry ``<script>`` and ``<img onerror>``. The
module's own test checks the store it builds (offsets point at the words they claim to).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from brinkwatch.core.records import Article, Attribution, Event, Party, Sentence
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store, StoredArticle

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
HOSTILE_TITLE = f"{SCRIPT} NATO weighs {IMG} response"


def _party(text: str, sent: str, base: int, phrase: str, country: str, sector: str | None = None) -> Party:
    i = sent.index(phrase)
    return Party(text=phrase, country=country, sector=sector, name=country, start=base + i, end=base + i + len(phrase))


def _event(
    doc_id: str,
    sentences: list[Sentence],
    idx: int,
    trigger: str,
    etype: str,
    *,
    status: str = "asserted",
    quad: int = 4,
    score: float = -8.0,
    actor: tuple[str, str] | None = None,
    recipient: tuple[str, str] | None = None,
    date: str | None = None,
    attribution: list[Attribution] | None = None,
    confidence: float = 0.5,
) -> Event:
    s = sentences[idx]
    t = s.text.index(trigger)
    return Event(
        doc_id=doc_id,
        sentence_index=idx,
        sentence=s.text,
        sentence_start=s.start,
        trigger=trigger,
        trigger_start=s.start + t,
        trigger_end=s.start + t + len(trigger),
        event_type=etype,
        quad=quad,
        score=score,
        status=status,
        factuality=3.0 if status == "asserted" else 0.0,
        actors=[_party(actor[1], s.text, s.start, actor[1], actor[0])] if actor else [],
        recipients=[_party(recipient[1], s.text, s.start, recipient[1], recipient[0])] if recipient else [],
        attribution=attribution or [],
        date=date,
        date_precision="day",
        cues=["denied"] if status == "denied" else [],
        confidence=confidence,
    )


def _sentences(text: str) -> list[Sentence]:
    out = []
    pos = 0
    for i, part in enumerate(text.split("\n")):
        out.append(Sentence(index=i, start=pos, end=pos + len(part), text=part))
        pos += len(part) + 1
    return out


def _write(
    store: Store, doc_id: str, title: str, source: str, published: str, lines: list[str], specs: list[dict[str, Any]]
) -> int:
    text = "\n".join(lines)
    sents = _sentences(text)
    events = [_event(doc_id, sents, **spec) for spec in specs]
    art = Article(doc_id=doc_id, text=text, title=title, source=source, published=published, tags=["test"])
    return store.write_article(
        StoredArticle(
            article=art,
            text_hash=hashlib.blake2b(text.encode(), digest_size=16).hexdigest(),
            status="extracted",
            sentences=sents,
            events=events,
        )
    )


# the shoot-down both wires report (the same event, hence one incident)
SHOOTDOWN: dict[str, Any] = dict(
    idx=0,
    trigger="shot down",
    etype="ASSAULT",
    actor=("NATO", "NATO fighter jets"),
    recipient=("RUS", "Russian drones"),
    date="2025-09-09",
)


def populate(db: str | Path) -> dict[str, Any]:
    """Write the test corpus into ``db``; return the ids the tests look for."""
    store = Store(str(db))
    ids: dict[str, Any] = {}
    ft = [
        Attribution(text="the Financial Times", kind="media"),
        Attribution(text="two NATO officials", kind="official"),
    ]
    ids["shootdown"] = _write(
        store,
        "wire-a-1",
        "NATO jets shoot down Russian drones over Estonia",
        "Wire A",
        "2025-09-10",
        [
            "NATO fighter jets shot down two Russian drones over Estonia on Tuesday.",
            "Moscow denied that its drones had entered Estonian airspace.",
        ],
        [
            SHOOTDOWN,
            dict(
                idx=1,
                trigger="entered",
                etype="COERCE",
                status="denied",
                quad=4,
                score=-6.0,
                actor=("RUS", "its drones"),
                recipient=("EST", "Estonian"),
                date="2025-09-09",
                attribution=[Attribution(text="Moscow", kind="government", country="RUS")],
                confidence=0.9,  # the one event the model is sure of (filters by confidence)
            ),
        ],
    )
    ids["syndicated"] = _write(
        store,
        "wire-b-1",
        "Russian drones downed by NATO jets over Estonia",
        "Wire B",
        "2025-09-11",
        [
            "Two Russian drones were shot down by NATO fighter jets over Estonia, officials said.",
            "Western governments accused Russia of testing the alliance.",
        ],
        [
            SHOOTDOWN,
            dict(
                idx=1,
                trigger="accused",
                etype="ACCUSE",
                quad=3,
                score=-4.0,
                actor=("WST", "Western governments"),
                recipient=("RUS", "Russia"),
                date="2025-09-11",
            ),
        ],
    )
    ids["hostile"] = _write(
        store,
        "evil-1",
        HOSTILE_TITLE,
        f"<b>Evil Outlet</b>{IMG}",
        "2025-09-24",
        [
            f"NATO is considering deploying more fighter jets to Russia's border {SCRIPT} officials said.",
            f"The plan {IMG} was discussed in Brussels.",
        ],
        [
            dict(
                idx=0,
                trigger="deploying",
                etype="MOBILIZE",
                status="considered",
                quad=4,
                score=-5.0,
                actor=("NATO", "NATO"),
                recipient=("RUS", "Russia"),
                date="2025-09-24",
                attribution=ft,
            ),
        ],
    )
    ids["accuse"] = _write(
        store,
        "wire-c-1",
        "Russia accuses NATO of provocations near Kaliningrad",
        "Wire C",
        "2025-10-08",
        [
            "Russia accused NATO of provocations near Kaliningrad on Wednesday.",
            "Russian bombers violated Polish airspace, Warsaw alleged.",
        ],
        [
            dict(
                idx=0,
                trigger="accused",
                etype="ACCUSE",
                quad=3,
                score=-4.0,
                actor=("RUS", "Russia"),
                recipient=("NATO", "NATO"),
                date="2025-10-08",
            ),
            dict(
                idx=1,
                trigger="violated",
                etype="ASSAULT",
                status="alleged",
                quad=4,
                score=-7.0,
                actor=("RUS", "Russian bombers"),
                recipient=("POL", "Polish"),
                date="2025-10-07",
                attribution=[Attribution(text="Warsaw", kind="government", country="POL")],
            ),
        ],
    )
    ensure_incidents(store)
    with store.engine.connect() as conn:
        ids["incident"] = conn.execute(
            sa.select(S.events.c.incident_id).where(S.events.c.trigger == "shot down").limit(1)
        ).scalar_one()
    store.close()
    return ids


def ensure_incidents(store: Store) -> None:
    """Incidents from the analytics (incidents.refresh); when it makes none, one per (type, dyad, date)."""
    from brinkwatch.analyze import incidents

    incidents.refresh(store)
    e = S.events
    with store.engine.begin() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(S.incidents)).scalar_one():
            return
        rows = (
            conn.execute(
                sa.select(
                    e.c.id,
                    e.c.event_id,
                    e.c.event_type,
                    e.c.actor,
                    e.c.recipient,
                    e.c.date,
                    e.c.status,
                    e.c.score,
                    e.c.quad,
                    S.articles.c.source,
                    S.articles.c.published,
                )
                .join(S.articles, S.articles.c.id == e.c.article_id)
                .order_by(e.c.id)
            )
            .mappings()
            .all()
        )
        groups: dict[tuple[Any, ...], list[Any]] = {}
        for r in rows:
            groups.setdefault((r["event_type"], r["actor"], r["recipient"], r["date"]), []).append(r)
        for (etype, actor, recipient, date), rs in groups.items():
            iid = conn.execute(
                S.incidents.insert()
                .values(
                    key=rs[0]["event_id"],
                    event_type=etype,
                    actor=actor,
                    recipient=recipient,
                    status="asserted" if any(r["status"] == "asserted" for r in rs) else rs[0]["status"],
                    date=date,
                    first_reported=min(r["published"] for r in rs),
                    last_reported=max(r["published"] for r in rs),
                    n_reports=len(rs),
                    n_outlets=len({r["source"] for r in rs}),
                    score=rs[0]["score"],
                    quad=rs[0]["quad"],
                    summary=f"{actor} {etype.lower()} {recipient}",
                )
                .returning(S.incidents.c.id)
            ).scalar_one()
            conn.execute(e.update().where(e.c.id.in_([r["id"] for r in rs])).values(incident_id=iid))


def test_populate_offsets(tmp_path: Path) -> None:
    ids = populate(tmp_path / "w.db")
    store = Store(str(tmp_path / "w.db"))
    try:
        assert store.stats()["articles"] == 4
        evs = store.events(limit=100)
        assert len(evs) == 7
        with store.engine.connect() as conn:
            texts = dict(conn.execute(sa.select(S.articles.c.doc_id, S.articles.c.text)).all())
        for ev in evs:
            assert texts[ev.doc_id][ev.trigger_start : ev.trigger_end] == ev.trigger
            for p in ev.actors + ev.recipients:
                assert p.start is not None and p.end is not None
                assert texts[ev.doc_id][p.start : p.end] == p.text
        assert ids["incident"] is not None
    finally:
        store.close()
