"""The compact near-duplicate index: the same answers as datasketch's MinHashLSH, a fraction of the memory,
and copies found across the rounds in flight of a streamed ingest."""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from brinkwatch.core.settings import Settings
from brinkwatch.ingest import dedup
from brinkwatch.pipeline.run import ingest
from brinkwatch.store.writer import Store
from test_dedup import report


def _random_sigs(n: int, seed: int = 1) -> list[bytes]:
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 2**32, size=dedup.NUM_PERM, dtype=np.uint32).tobytes() for _ in range(n)]


def _perturbed(sig: bytes, k: int, rng: np.random.Generator) -> bytes:
    q = np.frombuffer(sig, dtype=np.uint32).copy()
    q[rng.permutation(dedup.NUM_PERM)[:k]] = rng.integers(0, 2**32, size=k, dtype=np.uint32)
    return q.tobytes()


DEFAULT_FREEZE = dedup.FREEZE_AT


@pytest.mark.parametrize("freeze_at", [DEFAULT_FREEZE, 700])  # the open table only, and sorted runs too
def test_same_answers_as_datasketch_lsh(freeze_at: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup, "FREEZE_AT", freeze_at)
    sigs = _random_sigs(1500)
    stored = dict(enumerate(sigs))
    ours = dedup.NearDuplicateIndex.from_pairs(0.8, stored.items(), fetch=lambda ids: {i: stored[i] for i in ids})
    ref = MinHashLSH(threshold=0.8, num_perm=dedup.NUM_PERM)
    for i, s in stored.items():
        ref.insert(i, dedup.from_bytes(s))
    rng = np.random.default_rng(2)
    hits = 0
    for n, k in enumerate(rng.integers(0, 60, size=300)):
        q = _perturbed(sigs[n], int(k), rng)
        mq = dedup.from_bytes(q)
        expect = [key for key in ref.query(mq) if mq.jaccard(dedup.from_bytes(stored[key])) >= 0.8]
        got = ours.query(q)
        if expect:
            hits += 1
            assert got is not None and got[0] == min(expect)
            assert abs(got[1] - mq.jaccard(dedup.from_bytes(stored[got[0]]))) < 1e-12
        else:
            assert got is None
    assert 50 < hits < 300  # both outcomes were exercised
    assert (len(ours.runs) > 1) == (freeze_at < DEFAULT_FREEZE)  # several sorted runs were searched


def test_pending_keys_stay_open_when_the_stored_ones_are_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup, "FREEZE_AT", 50)
    sigs = _random_sigs(40, seed=5)
    stored = {i: s for i, s in enumerate(sigs[:30])}
    index = dedup.NearDuplicateIndex.from_pairs(0.8, stored.items(), fetch=lambda ids: {i: stored[i] for i in ids})
    for n, sig in enumerate(sigs[30:]):
        index.add(f"pending:{n}", sig)
    assert index.runs and len(index) == 40
    assert all(isinstance(k, str) for hit in index.open.values() for k in (hit if isinstance(hit, tuple) else (hit,)))
    assert index.query(sigs[3]) == (3, 1.0)  # a stored one, from a sorted run
    assert index.query(sigs[35]) == ("pending:5", 1.0)  # a pending one, from the open table
    stored[100] = sigs[35]
    index.rename("pending:5", 100)
    assert index.query(sigs[35]) == (100, 1.0) and len(index) == 40


def test_pending_keys_rename_and_minhash_objects() -> None:
    a, b = report(21), report(22)
    index = dedup.NearDuplicateIndex(0.8, fetch=lambda ids: {})  # nothing stored yet
    index.add("pending:1", dedup.minhash_of(a))
    hit = index.query(dedup.minhash_of(a + " Reuters."))
    assert hit is not None and hit[0] == "pending:1"
    index.rename("pending:1", 7)  # stored: its signature now comes from the store only
    assert index.query(dedup.minhash_of(a)) is None  # fetch returned nothing: not verifiable, no match
    assert index.query(dedup.minhash_of(b)) is None
    assert isinstance(dedup.minhash_of(a), MinHash) and len(index) == 1


def test_memory_per_article_is_small() -> None:
    n = 30_000
    sigs = _random_sigs(n, seed=3)
    gc.collect()
    tracemalloc.start()
    index = dedup.NearDuplicateIndex.from_pairs(0.8, enumerate(sigs), fetch=lambda ids: {})
    gc.collect()
    used, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(index) == n and index.runs
    # datasketch's MinHashLSH + a MinHash per article took ~5,100 bytes per article; one dict entry per
    # band ~1,100; sorted runs take 16 bytes per band (the open table holds fewer than FREEZE_AT entries)
    assert used / n < 400, f"{used / n:.0f} bytes per article"


def test_copies_across_rounds_in_flight(tmp_path: Path) -> None:
    """Rounds of 2 with two rounds in flight: a copy is planned before its original is written."""
    texts = [report(31), report(32), report(33), report(31), report(33)[:-1] + ", a syndicated copy.", report(34)]
    src = tmp_path / "in.jsonl"
    rows = [{"id": f"d{i}", "text": t} for i, t in enumerate(texts)]
    rows.append({"id": "d0", "text": report(35)})  # a doc_id already taken (in flight) by another text
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    settings = Settings(db=str(tmp_path / "s.db"), batch_size=2, n_process=1)
    with Store(settings.db) as store:
        s = ingest([str(src)], store=store, settings=settings)
        assert (s.seen, s.stored, s.unchanged, s.duplicates, s.failed) == (7, 6, 1, 1, 0)
        with store.engine.connect() as conn:
            got = {r.doc_id: r for r in conn.exec_driver_sql("SELECT id, doc_id, status, duplicate_of FROM articles")}
    assert got["d4"].status == "duplicate" and got["d4"].duplicate_of == got["d2"].id
    assert "d3" not in got  # the exact copy of d0 added nothing
    assert len([k for k in got if k.startswith("d0")]) == 2 and len(set(got)) == 6
