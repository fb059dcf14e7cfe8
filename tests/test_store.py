"""The store on real SQLite and PostgreSQL: one article per transaction, events point to evidence."""

from __future__ import annotations

import pytest

from brinkwatch.core.records import Article, Attribution, Event, Party, Sentence
from brinkwatch.store.writer import Store, StoredArticle


def _item(text_hash: str = "h1") -> StoredArticle:
    text = "Moscow denied that its jets entered Estonian airspace."
    ev = Event(
        doc_id="a1",
        sentence_index=0,
        sentence=text,
        trigger="denied",
        trigger_start=7,
        trigger_end=13,
        event_type="REJECT",
        quad=3,
        score=-2.0,
        actors=[Party(text="Moscow", country="RUS", sector="GOV", start=0, end=6)],
        attribution=[Attribution(text="Financial Times", kind="media")],
        date="2025-10-09",
        date_precision="day",
    )
    return StoredArticle(
        article=Article(doc_id="a1", text=text, tags=["Russia"]),
        text_hash=text_hash,
        status="extracted",
        sentences=[Sentence(index=0, start=0, end=len(text), text=text)],
        events=[ev],
    )


def test_write_and_read_back(db_url: str) -> None:
    with Store(db_url) as store:
        aid = store.write_article(_item())
        stats = store.stats()
        assert stats["articles"] == 1 and stats["events"] == 1 and stats["sentences"] == 1
        (ev,) = store.events(article_id=aid)
        assert ev.event_type == "REJECT" and ev.actors[0].code == "RUSGOV"
        assert ev.sentence[ev.trigger_start - ev.sentence_start : ev.trigger_end - ev.sentence_start] == "denied"
        assert ev.attribution[0].kind == "media"
        assert store.events(actor="RUS") and not store.events(actor="EST")


def test_failed_article_leaves_nothing(db_url: str) -> None:
    item = _item()
    bad = _item("h2")
    bad.events[0].sentence_index = 5  # points to a sentence that is not there: the write must fail whole
    with Store(db_url) as store:
        store.write_article(item)
        try:
            store.write_article(bad)
        except ValueError:
            pass
        else:  # pragma: no cover
            raise AssertionError("a broken article was written")
        assert store.stats()["articles"] == 1
        assert store.article_by_hash("h2") is None


def test_migrations_are_idempotent(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.db"
    with Store(path) as first:
        v1 = first.version
    with Store(path) as second:
        v2 = second.version
    assert v1 == v2 >= 1


def test_party_search_same_answer_either_way(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A common party is searched event by event down the date index, a rare one through its id list: the
    same events, in the same order."""
    import brinkwatch.store.reads as store_mod
    from analytics_data import write_scenario

    with Store(db_url) as store:
        write_scenario(store)
        queries = [
            {"actor": "RUS"},
            {"actor": "rusgov"},
            {"actor": "NATO"},
            {"recipient": "EST"},
            {"actor": "POL", "recipient": "RUS"},
            {"actor": "RUS", "event_type": "REJECT"},
            {"actor": "RUS", "since": "2025-09-10", "limit": 3},
            {"actor": "XYZ"},
        ]
        answers = []
        for frequent in (10**9, 1):  # never common (id lists) / always common (EXISTS down the date index)
            monkeypatch.setattr(store_mod, "FREQUENT_PARTY", frequent)
            answers.append([[e.event_id for e in store.events(**q)] for q in queries])  # type: ignore[arg-type]
        assert answers[0] == answers[1]
        assert answers[0][0] and not answers[0][-1]
        rus = store.events(actor="RUS")
        assert rus and all(any(p.country == "RUS" for p in e.actors) for e in rus)
