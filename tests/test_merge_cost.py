"""Incident merging has a bounded cost per dyad-day (issue 15): events written directly (no extractor), so the
merge is measured alone — the per-article sentence caps of ingest are tested elsewhere."""

from __future__ import annotations

import itertools
import random
import resource
import time
from typing import Any

import pytest

from analytics_data import merge_records, write_multi
from brinkwatch.analyze import clusters, incidents
from brinkwatch.analyze.merge import TYPE_FAMILY, MergeEvent, content_tokens, to_day
from brinkwatch.store.writer import Store

D3 = "Iran threatened to close the Strait of Hormuz on Sunday."


def _rec(text: str) -> dict[str, Any]:
    return {
        "text": text,
        "event_type": "THREATEN",
        "actor": "IRN",
        "recipient": "USA",
        "date": "2025-06-01",
        "published": "2025-06-01",
    }


def test_one_sentence_repeated_ten_thousand_times_merges_in_seconds(tmp_path: Any) -> None:
    """The d3 article of the issue (one sentence over and over): every copy is the one incident, and the merge
    is linear — before the cap 4,000 copies took 8 s and 10,000 about a minute (quadratic)."""
    n = 10_000
    with Store(tmp_path / "d3.db") as store:
        write_multi(store, "d3", [_rec(D3)] * n, published="2025-06-01")
        t0 = time.perf_counter()
        assert incidents.refresh(store) == 1
        took = time.perf_counter() - t0
        assert store.stats()["incidents"] == 1
        inc = incidents.list_incidents(store)
        assert int(inc.iloc[0]["n_reports"]) == 1  # one article
        # a second article with the same sentence joins it, and reads only what it needs of the 10,000
        write_multi(store, "d3-again", [_rec(D3)] * 50, published="2025-06-01")
        t1 = time.perf_counter()
        assert incidents.refresh(store) == 1
        again = time.perf_counter() - t1
    print(f"merge: {n} copies of one sentence in {took:.2f} s; 50 more in {again:.2f} s")
    assert took < 15, took
    assert again < 3, again
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1_500_000  # KB: well under 1.5 GB


def _distinct(n: int, seed: int = 0) -> list[str]:
    """Sentences that share no content word: no two are one happening."""
    rng = random.Random(seed)
    vocab = list({"".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=9)) for _ in range(10 * n)})
    rng.shuffle(vocab)
    return [f"Iran {' '.join(vocab[i * 8 : i * 8 + 8])}." for i in range(n)]


def test_distinct_reports_on_one_dyad_day_are_compared_with_at_most_the_cap(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """3,000 different happenings of one dyad on one day: each new report is compared with at most
    MAX_CANDIDATES of them (before: with all of them, 4.5 million comparisons)."""
    calls = 0
    real = clusters.same_happening

    def counting(a: MergeEvent, b: MergeEvent) -> bool:
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(clusters, "same_happening", counting)
    n = 3000
    with Store(tmp_path / "distinct.db") as store:
        write_multi(store, "many", [_rec(t) for t in _distinct(n)], published="2025-06-01")
        assert incidents.refresh(store) == n
    assert calls <= n * clusters.MAX_CANDIDATES, calls


def _ev(i: int, r: dict[str, Any]) -> MergeEvent:
    return MergeEvent(
        pk=i,
        block=(TYPE_FAMILY.get(r["event_type"], r["event_type"]), r.get("actor")),
        recipient=r.get("recipient"),
        day=to_day(r.get("date")) or to_day(r.get("published")),
        precision=r.get("date_precision", "day"),
        place=None,
        loc_country=None,
        tokens=content_tokens(r["text"]),
        stated=r.get("date_source") == "clause",
    )


def _pairwise(recs: list[dict[str, Any]], **caps: int) -> tuple[float, float]:
    found = clusters.assign([_ev(i, r) for i, r in enumerate(recs)], [], **caps)
    label = {m.pk: k for k, cl in enumerate(found) for m in cl.members}
    tp = fp = fn = 0
    for a, b in itertools.combinations(range(len(recs)), 2):
        gold, pred = recs[a]["group"] == recs[b]["group"], label[a] == label[b]
        tp += gold and pred
        fp += pred and not gold
        fn += gold and not pred
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


UNCAPPED = {"exemplars": 10**9, "max_candidates": 10**9}


def test_what_the_caps_cost_in_merge_quality() -> None:
    """On the merge set the caps never bind: the same pairs merge. With 60 reworded copies of every report (word
    dropout: 1,980 reports, up to 240 per incident and day) they bind, and recall stays what it was."""
    recs = merge_records()
    assert _pairwise(recs) == _pairwise(recs, **UNCAPPED) == (1.0, 1.0)
    rng = random.Random(1)
    stress = []
    for r in recs:
        words = r["text"].split()
        for _ in range(60):
            stress.append({**r, "text": " ".join(w for w in words if rng.random() > 0.25) or r["text"]})
    rng.shuffle(stress)
    capped, uncapped = _pairwise(stress), _pairwise(stress, **UNCAPPED)
    print(f"stress set: capped P/R {capped[0]:.3f}/{capped[1]:.3f}, uncapped {uncapped[0]:.3f}/{uncapped[1]:.3f}")
    assert capped[1] >= uncapped[1] - 0.02
    assert capped[0] >= uncapped[0] - 0.02
