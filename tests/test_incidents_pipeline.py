"""The merge test set through the real pipeline (normalize → parse → extract → store → incidents).

Recall here is bounded by extraction (a report whose event is not coded, or coded with another type or actor,
cannot merge); precision is the merger's own and must stay high whatever the extractor does.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import sqlalchemy as sa

from analytics_data import merge_records
from brinkwatch.core.settings import Settings
from brinkwatch.pipeline import run as pipeline
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store


def test_merge_set_through_the_pipeline(tmp_path: Path) -> None:
    recs = merge_records()
    src = tmp_path / "merge.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": r["doc_id"], "text": r["text"], "published": r["published"], "source": r["source"]})
            + "\n"
            for r in recs
        ),
        encoding="utf-8",
    )
    db = str(tmp_path / "m.db")
    with Store(db) as store:
        summary = pipeline.ingest([str(src)], store=store, settings=Settings.from_env(db=db, n_process=1))
        assert summary.stored == len(recs) and not summary.failures
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(S.articles.c.doc_id, S.events.c.incident_id).join(
                    S.events, S.events.c.article_id == S.articles.c.id
                )
            ).all()
    incs: dict[str, set[int]] = {}
    for doc, inc in rows:
        incs.setdefault(doc, set()).add(int(inc))
    assert set(incs) <= {r["doc_id"] for r in recs} and len(incs) >= len(recs) // 2
    tp = fp = fn = 0
    for a, b in itertools.combinations(recs, 2):
        gold = a["group"] == b["group"]
        pred = bool(incs.get(a["doc_id"], set()) & incs.get(b["doc_id"], set()))
        tp += gold and pred
        fp += pred and not gold
        fn += gold and not pred
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print(f"merge set through the pipeline: pairwise precision {precision:.3f} recall {recall:.3f}")
    assert tp >= 1 and precision >= 0.9
    # recall is extraction's: measured 0.474 before the extractor's second pass, 0.947 after it with the
    # hand lexicon, 0.632 with the dictionary-scale triggers and the learned eventness decision (2026-12-07:
    # reworded copies of one report now and then get different types, or one is judged no event); 0.800 with
    # the daily strikes of strikes.jsonl added (2026-12-07). The floor
    # only guards against a collapse; precision above is the merger's own.
    assert recall >= 0.5, recall
