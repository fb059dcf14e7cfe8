"""Party.resolved_from (what an inferred party was resolved from) through the record, the store (migration 7),
the reads, the exports and the API JSON."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from brinkwatch.analyze import export
from brinkwatch.core.records import Article, Event, Party, Sentence
from brinkwatch.core.settings import Settings
from brinkwatch.store import schema
from brinkwatch.store.writer import Store, StoredArticle

TEXT = "Sergei Lavrov met Antony Blinken. He urged Washington to lift the sanctions."


def _item() -> StoredArticle:
    start = TEXT.index("He urged")
    ev = Event(
        doc_id="r1",
        sentence_index=1,
        sentence=TEXT[start:],
        sentence_start=start,
        trigger="urged",
        trigger_start=start + 3,
        trigger_end=start + 8,
        event_type="REQUEST",
        quad=1,
        actors=[Party(text="He", country="RUS", sector="GOV", start=start, end=start + 2, resolved_from="Lavrov")],
        recipients=[Party(text="Washington", country="USA", sector="GOV", start=start + 9, end=start + 19)],
        date="2025-10-09",
    )
    sentences = [Sentence(index=0, start=0, end=start - 1, text=TEXT[: start - 1]), Sentence(index=1, start=start,
                 end=len(TEXT), text=TEXT[start:])]  # fmt: skip
    return StoredArticle(
        article=Article(doc_id="r1", text=TEXT), text_hash="r1", status="extracted", sentences=sentences, events=[ev]
    )


def test_the_record_carries_it() -> None:
    party = Party(text="they", country="EGY", sector="GOV", resolved_from="article: Egypt")
    assert party.to_dict()["resolved_from"] == "article: Egypt"
    assert Party(text="Egypt", country="EGY").to_dict()["resolved_from"] is None


def test_stored_read_and_exported(db_url: str, tmp_path: Path) -> None:
    with Store(db_url) as store:
        aid = store.write_article(_item())
        (ev,) = store.events(article_id=aid)
        assert ev.actors[0].resolved_from == "Lavrov" and ev.recipients[0].resolved_from is None
        buf = io.StringIO()
        assert export.export(store, "plover", buf) == 1
        rec = json.loads(buf.getvalue())
        assert rec["actor_resolved_from"] == "Lavrov" and rec["recipient_resolved_from"] is None
        out = tmp_path / "e.jsonl"
        export.export(store, "jsonl", out)
        full = json.loads(out.read_text(encoding="utf-8"))
        assert full["actors"][0]["resolved_from"] == "Lavrov"


def test_api_json_carries_it(tmp_path: Path) -> None:
    db = tmp_path / "api.db"
    with Store(db) as store:
        store.write_article(_item())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's TestClient warns about httpx at import
        from fastapi.testclient import TestClient
    from brinkwatch.web import create_app

    with TestClient(create_app(str(db), Settings(db=str(db))), base_url="http://127.0.0.1") as client:
        items: list[dict[str, Any]] = client.get("/api/events").json()["items"]
    assert items[0]["actors"][0]["resolved_from"] == "Lavrov"


def test_migration_adds_the_column_to_an_older_store(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    Store(db).close()
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:  # make it look like a store from before migration 7
        conn.execute(sa.text("ALTER TABLE parties DROP COLUMN resolved_from"))
        conn.execute(schema.schema_migrations.delete().where(schema.schema_migrations.c.version == 7))
    engine.dispose()
    with Store(db) as store:
        columns = {c["name"] for c in sa.inspect(store.engine).get_columns("parties")}
        assert "resolved_from" in columns and store.version >= 7
        store.write_article(_item())
        assert store.events()[0].actors[0].resolved_from == "Lavrov"
