"""Dedup: exact by hash, syndicated near-copies by MinHash + LSH, the index rebuilt from the store."""

from __future__ import annotations

import random
from pathlib import Path

from brinkwatch.core.settings import Settings
from brinkwatch.ingest import dedup
from brinkwatch.pipeline.run import ingest
from brinkwatch.store.writer import Store

WORDS = [
    "nato",
    "russia",
    "estonia",
    "airspace",
    "jets",
    "pilots",
    "border",
    "drones",
    "summit",
    "alliance",
    "officials",
    "said",
    "minister",
    "warned",
    "exercise",
    "troops",
    "sanctions",
    "talks",
    "ceasefire",
    "missile",
    "defence",
    "navy",
    "baltic",
    "poland",
    "ukraine",
    "kremlin",
    "envoy",
]

COUNT_SENTS = "SELECT count(*) FROM sentences WHERE article_id = ?"


def report(seed: int, n: int = 120) -> str:
    rng = random.Random(seed)
    sents = []
    for _ in range(n // 10):
        sents.append(" ".join(rng.choice(WORDS) for _ in range(10)).capitalize() + ".")
    return " ".join(sents)


def test_hash_is_stable_and_distinguishes() -> None:
    assert dedup.text_hash("abc") == dedup.text_hash("abc")
    assert dedup.text_hash("abc") != dedup.text_hash("abd")
    assert len(dedup.text_hash("abc")) == 32


def test_minhash_round_trip_and_similarity() -> None:
    a = report(1)
    b = a.replace("Nato", "The nato", 1) + " Reuters contributed."
    ma, mb, mc = dedup.minhash_of(a), dedup.minhash_of(b), dedup.minhash_of(report(2))
    back = dedup.from_bytes(dedup.to_bytes(ma))
    assert back.jaccard(ma) == 1.0
    assert ma.jaccard(mb) > 0.8 > ma.jaccard(mc)
    index = dedup.NearDuplicateIndex(0.8)
    index.add(7, ma)
    hit = index.query(mb)
    assert hit is not None and hit[0] == 7 and hit[1] > 0.8
    assert index.query(mc) is None


def test_syndicated_copy_is_a_duplicate_not_extracted(tmp_path: Path) -> None:
    original = report(3)
    copy = original[:-1] + ", a syndicated copy."
    other = report(4)
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_original.txt").write_text(original)
    (d / "b_copy.txt").write_text(copy)
    (d / "c_other.txt").write_text(other)
    settings = Settings(db=str(tmp_path / "s.db"))
    with Store(settings.db) as store:
        s = ingest([str(d)], store=store, settings=settings)
        assert (s.stored, s.duplicates, s.failed) == (3, 1, 0)
        with store.engine.connect() as conn:
            rows = {r.doc_id: r for r in conn.exec_driver_sql("SELECT * FROM articles")}
        orig, dup = rows["a_original.txt"], rows["b_copy.txt"]
        assert dup.status == "duplicate" and dup.duplicate_of == orig.id and dup.similarity >= 0.8
        assert rows["c_other.txt"].duplicate_of is None and rows["c_other.txt"].status == "extracted"
        with store.engine.connect() as conn:
            n_dup_sents = conn.exec_driver_sql(COUNT_SENTS, (dup.id,)).scalar()
            n_orig_sents = conn.exec_driver_sql(COUNT_SENTS, (orig.id,)).scalar()
        assert n_dup_sents == 0 and n_orig_sents > 0


def test_index_is_rebuilt_from_the_store_in_a_later_run(db_url: str, tmp_path: Path) -> None:
    original = report(5)
    (tmp_path / "first.txt").write_text(original)
    (tmp_path / "later.txt").write_text("Updated: " + original)
    settings = Settings(db=db_url)
    with Store(db_url) as store:
        ingest([str(tmp_path / "first.txt")], store=store, settings=settings)
    with Store(db_url) as store:  # a new process would see only the store
        s = ingest([str(tmp_path / "later.txt")], store=store, settings=settings)
        assert s.duplicates == 1
        assert len(list(store.iter_minhashes())) == 1  # only the original is an index entry
        assert store.stats()["duplicates"] == 1
