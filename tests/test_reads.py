"""The one read model of events (store/reads.py): what is written comes back whole, in each shape, through one
filter type for the CLI, the API and the pages."""

from __future__ import annotations

import dataclasses

from brinkwatch.analyze.export import FULL_KEYS, PLOVER_FIELDS, full_record, iter_events, plover_record
from brinkwatch.core.records import Article, Attribution, Event, Location, Party, Sentence
from brinkwatch.store import reads
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store, StoredArticle
from brinkwatch.web import queries as Q

TEXT = "Poland said Russian drones entered its airspace. Moscow, which denied it, spoke of a provocation."


def _event() -> Event:
    """An event with every field set away from its default (a new field must be set here to be tested)."""
    second = TEXT.index("Moscow")
    return Event(
        doc_id="doc-1",
        sentence_index=1,
        sentence=TEXT[second:],
        sentence_start=second,
        trigger="provocation",
        trigger_start=TEXT.index("provocation"),
        trigger_end=TEXT.index("provocation") + len("provocation"),
        event_type="ACCUSE",
        mode="disapprove",
        contexts=["military"],
        quad=3,
        score=-4.0,
        actors=[Party(text="Moscow", country="RUS", sector="GOV", name="Russia", start=second, end=second + 6)],
        recipients=[Party(text="Poland", country="POL", start=0, end=6)],
        status="alleged",
        factuality=-1.5,
        attribution=[Attribution(text="Moscow", kind="official", country="RUS")],
        date="2025-09-10",
        date_precision="day",
        date_source="clause",
        location=Location(text="Warsaw", country="POL", name="Warsaw", kind="city", lat=52.2, lon=21.0),
        parent_event="0123456789abcdef0123",
        confidence=0.75,
        cues=["spoke of"],
        event_id="fedcba9876543210fedc",
    )


def _write(store: Store, ev: Event, *, text_hash: str = "h1", published: str | None = "2025-09-11") -> int:
    first = TEXT.index("Moscow")
    art = Article(
        doc_id=ev.doc_id, text=TEXT, title="Drones over Poland", source="Wire", published=published, origin="wire.jsonl"
    )
    return store.write_article(
        StoredArticle(
            article=art,
            text_hash=text_hash,
            status="extracted",
            sentences=[
                Sentence(index=0, start=0, end=first - 1, text=TEXT[: first - 1]),
                Sentence(index=1, start=first, end=len(TEXT), text=TEXT[first:]),
            ],
            events=[ev],
        )
    )


def test_an_event_comes_back_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ev = _event()
    for f in dataclasses.fields(Event):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        assert getattr(ev, f.name) != default, f"set {f.name} in _event(): the round trip must cover it"
    with Store(tmp_path / "s.db") as store:
        aid = _write(store, ev)
        (back,) = store.events(article_id=aid)
    assert back.to_dict() == ev.to_dict()


def test_the_shapes_come_from_one_record(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A record holds every events column; the API shape is Event.to_dict() with where the event was found and
    its main dyad; the jsonl export is Event.to_dict() with incident and article fields."""
    ev = _event()
    with Store(tmp_path / "s.db") as store:
        aid = _write(store, ev)
        with store.engine.connect() as conn:
            (rec,) = reads.hydrate(conn, conn.execute(reads.event_query(conn, reads.EventFilter())))
        (api,) = Q.list_events(store.engine, Q.EventFilter(article_id=aid))[1]
        (exported,) = list(iter_events(store))
    assert {c.name for c in S.events.columns} - {"id"} <= set(rec) and list(rec)[-1] == "pk"
    keys = list(ev.to_dict())
    at = keys.index("doc_id") + 1
    keys[at:at] = reads.WHERE_KEYS
    at = keys.index("recipients") + 1
    keys[at:at] = ["actor", "recipient"]
    assert list(api) == keys
    assert {k: api[k] for k in ev.to_dict()} == ev.to_dict()
    assert (api["title"], api["source"], api["article_id"], api["actor"], api["recipient"]) == (
        "Drones over Poland",
        "Wire",
        aid,
        "RUS",
        "POL",
    )
    assert list(FULL_KEYS) == [*ev.to_dict(), "article_id", "title", "source", "published", "url", "incident_id"]
    assert exported == rec
    assert list(full_record(exported)) == [*FULL_KEYS, "cameo_root"] and list(plover_record(exported)) == PLOVER_FIELDS
    # no link: the export says where the article was read from (the record's origin)
    assert exported["url"] is None and full_record(exported)["url"] == plover_record(exported)["url"] == "wire.jsonl"


def test_one_filter_type_read_two_ways(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The CLI (Store.events) dates an event by its own date and finds text in the sentence; the web falls back
    to the report's date for an undated event and also looks in the trigger — one EventFilter, two settings."""
    undated = dataclasses.replace(_event(), date=None, date_precision="report", event_id="", trigger="zzyzx")
    with Store(tmp_path / "s.db") as store:
        _write(store, undated, published="2025-09-11T08:00:00")
        assert [e.event_id for e in store.events(since="2025-09-11", until="2025-09-11")] == []
        web = Q.list_events(store.engine, Q.EventFilter(since="2025-09-11", until="2025-09-11"))
        assert [e["event_id"] for e in web[1]] == [undated.event_id] and web[0] == 1
        assert store.events(text="zzyzx") == []
        assert Q.list_events(store.engine, Q.EventFilter(text="zzyzx"))[0] == 1
        assert (
            len(store.events(text="provocation")) == Q.list_events(store.engine, Q.EventFilter(text="provocation"))[0]
        )
