"""A NUL byte (or another control character) in a record's one-line fields is dropped at normalization, so
PostgreSQL stores the article as SQLite does (issue 15, item 10). Before, PostgreSQL refused the row ("text
fields cannot contain NUL") and the article was lost."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from brinkwatch.core.settings import Settings
from brinkwatch.pipeline.run import ingest
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store

TEXT = "Kenya deployed police officers to Haiti on Wednesday, the interior ministry said in a statement."


def test_nul_in_fields_is_stored_on_both_backends(tmp_path: Path, db_url: str) -> None:
    rec = {
        "id": "k\u00001",
        "text": TEXT,
        "title": "Kenya\u0000 deploys police",
        "source": "Wire\u0000 Service",
        "author": "A.\u0000 Writer",
        "url": "https://news.example/k1\u0000",
        "tags": ["Hai\u0000ti"],
    }
    src = tmp_path / "nul.jsonl"
    src.write_text(json.dumps(rec) + "\n")
    with Store(db_url) as store:
        summary = ingest([str(src)], store=store, settings=Settings.from_env(n_process=1))
        assert (summary.stored, summary.failed) == (1, 0), summary.failures
        a = S.articles
        with store.engine.connect() as conn:
            row = conn.execute(sa.select(a.c.doc_id, a.c.title, a.c.source, a.c.author, a.c.url)).one()
            tags = list(conn.execute(sa.select(S.tags.c.tag)).scalars())
    assert tuple(row) == ("k1", "Kenya deploys police", "Wire Service", "A. Writer", "https://news.example/k1")
    assert tags == ["Haiti"]
