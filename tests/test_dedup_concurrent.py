"""Near-duplicates across processes: two ingests running at once keep one original of a syndicated story
(issue 15, item 11). Before, each process only knew the originals stored when its index was loaded, so a copy
written by the other one meanwhile was stored as a second original."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from brinkwatch.core.settings import Settings
from brinkwatch.pipeline.run import ingest
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store

PLACES = ["Tallinn", "Riga", "Vilnius", "Warsaw", "Helsinki", "Oslo", "Kyiv", "Ankara", "Sofia", "Prague"]
SENTENCES = [
    "Officials in {p} said on Monday that the ministry would hold talks with NATO about the airspace incidents.",
    "Protesters gathered outside the embassy in {p} on Tuesday to demand the release of detained journalists.",
    "The defence minister of {p} warned that drones had crossed the border twice in a week.",
    "Diplomats from {p} met their counterparts to discuss sanctions and the ceasefire talks.",
    "Police in {p} arrested four men suspected of sabotage near a rail depot, prosecutors said.",
]


WORDS = ("nato", "russia", "estonia", "airspace", "jets", "pilots", "border", "drones", "summit", "alliance",
         "officials", "minister", "warned", "exercise", "troops", "sanctions", "talks", "ceasefire", "missile",
         "defence", "navy", "baltic", "poland", "ukraine", "kremlin", "envoy")  # fmt: skip


def story(i: int) -> str:
    """A story of about 200 words, far from every other ``i`` (random words between the sentences)."""
    rng = random.Random(i)
    place = PLACES[i % len(PLACES)]
    sents = [rng.choice(SENTENCES).format(p=place) + " " + " ".join(rng.choice(WORDS) for _ in range(12)).capitalize()
             + "." for _k in range(8)]  # fmt: skip
    return " ".join(sents)


def copy_of(text: str) -> str:
    """A syndicated copy: the same story with an outlet's line at the end (similarity well above 0.8)."""
    return text + " Reporting by the wire service; editing by the desk."


def _originals(store: Store) -> dict[str, int | None]:
    a = S.articles
    with store.engine.connect() as conn:
        return {r.doc_id: r.duplicate_of for r in conn.execute(sa.select(a.c.doc_id, a.c.duplicate_of))}


def test_an_original_stored_by_another_process_meanwhile_makes_ours_a_copy(tmp_path: Path) -> None:
    """Deterministic interleaving: this ingest loads its index, then another writer stores the original, then
    this ingest writes its (already parsed) copy — which must be stored as a duplicate of that original."""
    path = tmp_path / "s.db"
    settings = Settings.from_env(n_process=1)
    first, second = tmp_path / "wire.txt", tmp_path / "paper.txt"
    first.write_text(story(1))
    second.write_text(copy_of(story(1)))

    class LoadsThenTheOtherWrites(Store):
        def iter_minhashes(self) -> Iterator[tuple[int, bytes]]:
            yield from super().iter_minhashes()
            with Store(path) as other:  # the other process stores the wire story now
                assert ingest([str(first)], store=other, settings=settings).stored == 1

    with LoadsThenTheOtherWrites(path) as store:
        summary = ingest([str(second)], store=store, settings=settings)
    assert (summary.stored, summary.duplicates, summary.events) == (1, 1, 0)
    with Store(path) as store:
        rows = _originals(store)
        a = S.articles
        with store.engine.connect() as conn:
            wire_id = conn.execute(sa.select(a.c.id).where(a.c.doc_id == "wire.txt")).scalar_one()
            copies = conn.execute(sa.select(sa.func.count()).select_from(S.sentences)).scalar_one()
        assert rows == {"wire.txt": None, "paper.txt": wire_id}
        assert copies == len(list(_sentences_of(store, wire_id)))  # the copy stored no sentences


def _sentences_of(store: Store, article_id: int) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(S.sentences.c.id).where(S.sentences.c.article_id == article_id)).scalars())


def test_two_concurrent_ingests_keep_one_original_per_story(tmp_path: Path, db_url: str) -> None:
    n = 24
    wire, papers = tmp_path / "wire.jsonl", tmp_path / "papers.jsonl"
    wire.write_text("".join(json.dumps({"id": f"wire-{i}", "text": story(i)}) + "\n" for i in range(n)))
    papers.write_text("".join(json.dumps({"id": f"paper-{i}", "text": copy_of(story(i))}) + "\n" for i in range(n)))
    db = db_url
    env = {**os.environ, "BRINKWATCH_N_PROCESS": "1", "BRINKWATCH_BATCH_SIZE": "4"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "brinkwatch", "ingest", str(src), "--db", str(db)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for src in (wire, papers)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    with Store(db) as store:
        rows = _originals(store)
    assert len(rows) == 2 * n
    for i in range(n):
        kept = [d for d in (f"wire-{i}", f"paper-{i}") if rows[d] is None]
        assert len(kept) == 1, f"story {i}: originals {kept}"
