"""Sentences extraction does not code are stored with the reason (bounded time, nothing silently dropped)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from brinkwatch.core.settings import Settings
from brinkwatch.pipeline.run import ingest
from brinkwatch.store import schema
from brinkwatch.store.writer import Store

GOOD = "Russian fighter jets violated Estonian airspace on Tuesday, the Estonian defence ministry said."
TABLE = "12.5 13.1 14.9 15.2 | 16.0 17.3 18.8 | 19.4 20.1 21.7 | 22.2 23.9 24.4 | 25.0 26.6 27.3"
LONG = "Officials met in Geneva and " + " and ".join(f"delegation {i} spoke" for i in range(1700)) + "."


def _sentences(store: Store) -> list[tuple[str, str | None]]:
    with store.engine.connect() as conn:
        q = sa.select(schema.sentences.c.text, schema.sentences.c.skip_reason).order_by(schema.sentences.c.idx)
        return [(t, r) for t, r in conn.execute(q)]


def test_uncoded_sentences_keep_their_reason(tmp_path: Path) -> None:
    src = tmp_path / "article.txt"
    src.write_text(f"{GOOD}\n\n{LONG}\n\n{TABLE}\n", encoding="utf-8")
    db = tmp_path / "s.db"
    settings = Settings.from_env(db=str(db))
    with Store(db) as store:
        summary = ingest([str(src)], store=store, settings=settings)
        assert summary.failed == 0 and summary.stored == 1
        rows = _sentences(store)
        assert store.stats()["events"] >= 1
    reasons = {text[:20]: reason for text, reason in rows}
    assert reasons[GOOD[:20]] is None
    assert reasons[TABLE[:20]] in {"no verb", "mostly numbers or symbols"}, rows
    assert any(r and r.startswith("longer than") for r in reasons.values()), rows


def test_migration_adds_the_column_to_an_older_store(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    Store(db).close()
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:  # make it look like a store from before migration 6
        conn.execute(sa.text("ALTER TABLE sentences DROP COLUMN skip_reason"))
        conn.execute(schema.schema_migrations.delete().where(schema.schema_migrations.c.version == 6))
    engine.dispose()
    with Store(db) as store:
        columns = {c["name"] for c in sa.inspect(store.engine).get_columns("sentences")}
        assert "skip_reason" in columns
        assert store.version >= 6
