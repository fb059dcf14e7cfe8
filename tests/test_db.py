"""db.py and synth.py on real SQLite files and a real PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics_data import write_record
from brinkwatch.dev import synth
from brinkwatch.store import db
from brinkwatch.store.writer import Store


def test_resolve_url_maps_paths_and_postgres() -> None:
    assert db.resolve_url("x.db").startswith("sqlite:////")
    assert db.resolve_url("postgresql://u@h:5432/d") == "postgresql+psycopg://u@h:5432/d"
    assert db.resolve_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.resolve_url("sqlite:///rel.db") == "sqlite:///rel.db"


def test_redact_hides_the_password() -> None:
    out = db.redact("postgresql+psycopg://bob:s3cret@h/d")
    assert "s3cret" not in out and "bob" in out


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://bob:s3cret@127.0.0.1:abc/d",  # a port SQLAlchemy cannot read: ValueError
        "postgresql://bob:s3c@ret@[::1/d",  # a broken IPv6 host, and an @ in the password
    ],
)
def test_redact_hides_the_password_of_a_malformed_url(url: str) -> None:
    """A URL SQLAlchemy refuses still loses its password (it used to come back whole)."""
    out = db.redact(url)
    assert "s3c" not in out and "ret" not in out and out.startswith("postgresql") and "bob:***@" in out


def test_redact_keeps_what_has_no_password() -> None:
    assert db.redact("demo.db") == "demo.db"  # a bare path: ArgumentError, nothing to hide
    assert db.redact("postgresql://h:5432/d") == "postgresql://h:5432/d"


def test_corpus_texts_are_unique_and_reach_the_target() -> None:
    pool = synth.template_sentences(60, seed=1)
    arts = list(synth.corpus(pool, target_words=5_000, seed=3))
    words = sum(len(a.text.split()) for a in arts)
    assert 5_000 <= words < 5_000 + 1_000
    assert len({a.text for a in arts}) == len(arts) == len({a.doc_id for a in arts})
    assert all(a.published and a.language == "en" for a in arts)


def test_corpus_is_reproducible() -> None:
    pool = synth.template_sentences(40)
    a = [x.text for x in synth.corpus(pool, target_words=2_000, seed=5)]
    b = [x.text for x in synth.corpus(pool, target_words=2_000, seed=5)]
    assert a == b


def test_jsonl_round_trip(tmp_path: Path) -> None:
    arts = list(synth.corpus(synth.template_sentences(30), target_words=1_000))
    info = synth.write_jsonl(arts, tmp_path / "c.jsonl")
    back = synth.read_jsonl(tmp_path / "c.jsonl")
    assert info["articles"] == len(arts) == len(back)
    assert [a.text for a in back] == [a.text for a in arts]


def _accusation(doc_id: str) -> dict[str, str]:
    """A coded one-event article (written by analytics_data.write_record)."""
    text = "Russia accused NATO of provocations."
    return {"doc_id": doc_id, "text": text, "event_type": "ACCUSE", "actor": "RUS", "recipient": "NATO"}


def test_populate_store_then_ordinary_writes(db_url: str) -> None:
    """A bulk-loaded store is a normal store: counts add up, queries work, the next write gets fresh ids."""
    with Store(db_url) as store:
        gen = synth.populate_store(store.engine, 3_000, chunk=1_000, seed=2)
        stats = store.stats()
        assert stats["events"] == gen["events"] == 3_000
        assert stats["parties"] == 2 * 3_000 == gen["parties"]
        assert stats["sentences"] == 3_000 and stats["articles"] == gen["articles"] == 600
        nato = store.events(actor="NATO", limit=20)
        assert nato and all(any(p.country == "NATO" for p in e.actors) for e in nato)
        hits = store.events(text="Dispatch", limit=5) + store.events(text="reported", limit=5)
        assert hits and all("reported" in e.sentence or "Dispatch" in e.sentence for e in hits)
        # sequences were moved past the explicit ids: ordinary inserts still work
        aid = write_record(store, _accusation("after-bulk"))
        assert aid > gen["articles"]
        (ev,) = store.events(article_id=aid)
        assert ev.event_type == "ACCUSE" and ev.recipients[0].country == "NATO"
        # a second bulk load appends after the existing rows
        synth.populate_store(store.engine, 500, seed=3)
        assert store.stats()["events"] == 3_501


def test_reset_sequences_and_analyze_are_harmless_on_an_empty_store(db_url: str) -> None:
    with Store(db_url) as store:
        db.reset_sequences(store.engine)
        db.analyze(store.engine)
        assert write_record(store, _accusation("first")) >= 1


def test_migration_3_fills_dyad_weekly_on_an_older_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store at schema version 2 with dyad_daily rows gets dyad_weekly, its indexes and the refresh's event
    count when it is next opened; the migration marks the weekly table stale and the first weekly query (or
    incident refresh) fills it."""
    import sqlalchemy as sa

    from brinkwatch.analyze import dyads
    from brinkwatch.store import migrations, schema

    path = tmp_path / "old.db"
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:2])
        engine = db.make_engine(path)
        assert db.migrate(engine) == 2
        with engine.begin() as conn:
            conn.execute(
                schema.dyad_daily.insert(),
                [
                    {"day": "2025-09-10", "actor": "POL", "recipient": "RUS", "event_type": "ASSAULT",
                     "series": "factual", "quad": 4, "n": 2, "score_sum": -19.0},
                    {"day": "2025-09-12", "actor": "RUS", "recipient": "EST", "event_type": "THREATEN",
                     "series": "rhetoric", "quad": 3, "n": 1, "score_sum": -4.0},
                ],
            )  # fmt: skip
        engine.dispose()
    with Store(path) as store:
        assert store.version >= 3
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(schema.dyad_weekly)).scalar() == 0
        dyads.ensure_weekly(store)
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(schema.dyad_weekly)).mappings().all()
            names = {ix["name"] for ix in sa.inspect(conn).get_indexes("events")}
            state = conn.execute(sa.select(schema.analytics_state.c.value).where(
                schema.analytics_state.c.key == "assigned_events")).scalar()  # fmt: skip
        assert {(r["actor"], r["week"], r["n"], r["material"], r["threats"]) for r in rows} == {
            ("POL", "2025-09-08", 2, 2, 0),
            ("RUS", "2025-09-08", 0, 0, 1),
        }
        assert {"ix_events_parent_event", "ix_events_actor_type_date"} <= names and state == "0"
        df = dyads.period_sums(store, "NATO", "RUS", types=False)
        assert list(df["period"]) == ["2025-09-08"] and int(df["material"][0]) == 2 and int(df["threats"][0]) == 1
