"""Quality gate: event extraction measured three ways, none of them a ratchet (../shared/docs/measuring.md).

1. The dev gold sets (vendored in tests/data/gold; scoring as ../shared/gold/README.md says): nothing is chosen
   on them any more, so their figures are a measurement, pinned with a noise tolerance. A sentence lost
   or won is noise, not a failure: each floor is the measured value minus about two standard errors.
2. The event and type models' own figures, cross-validated on the training coding (5 folds, in the models'
   metadata): a retrained model that is clearly worse fails here.
3. Real newswire the project was not built on (the UW dev split, the team's PLOVER coding in
   training/uw_plover_dev.jsonl; needs ../shared/training, skipped without it): precision and recall with
   Wilson intervals; its floors sit below the measured interval's lower end.

The figures below were measured on 2026-12-07 (extractor 2.0.0 with the dictionary-scale triggers, the learned
eventness decision and the Phoenix actors). Before that work the dev gold gave type recall 0.901 and
triple recall 0.779 — but 0.69 on a held-out third of the same source: lexicon entries fitted to dev sentences.
A changed gold file fails loudly (its sha256 is pinned).
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

import pytest

from brinkwatch.dev.evaluate import score_cameo, score_events
from brinkwatch.lexicon import loader

PLOVER_FILE = "plover_gsr_dev.jsonl"
PLOVER_SHA256 = "7eba622b4d2a834731b8cebd0d2be43ce36aa3c338997ea316d62eefa7f26237"
PETRARCH_FILE = "petrarch2_gsr_afp.jsonl"
PETRARCH_SHA256 = "a8dbce683fc0d4344859096d80f7fb255d2b631abe2f6d5a96a3e7eec3bd538d"

# measured (n = 213 PLOVER sentences, 78 PETRARCH-2 sentences)
MEASURED = {"type_recall": 0.723, "triple_recall": 0.573, "events_per_sentence": 1.31}
MEASURED_CAMEO = {"root_recall": 0.595, "dyad_recall": 0.392}
MAX_EVENTS_PER_SENTENCE = 1.5  # the target; measured 1.31
# the 5-fold cross-validated figures of the event model at its chosen thresholds (train coding, 2,044 events;
# measured precision 0.61, recall 0.31; the floors are about two standard errors below)
CV_FLOORS = {"precision": 0.50, "recall": 0.29}
# UW dev newswire (197 events, 379 coded): type precision 0.548 (0.48–0.62), recall 0.285 (0.24–0.33),
# status right 0.81 (0.73–0.87), factual precision 0.53 (0.45–0.61)
NEWSWIRE_FLOORS = {"precision_type": 0.46, "recall_type": 0.26, "status_ok": 0.73, "factual_precision": 0.42}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _floor(value: float, n: int) -> float:
    """The measured proportion minus two standard errors (binomial, n trials): the noise a changed parse of a
    few sentences makes, not a ratchet."""
    return value - 2 * math.sqrt(value * (1 - value) / n)


@pytest.fixture(scope="module")
def plover(gold_dir: Path, nlp: Any) -> dict[str, Any]:
    return score_events(gold_dir / PLOVER_FILE, nlp=nlp)


@pytest.fixture(scope="module")
def cameo(gold_dir: Path, nlp: Any) -> dict[str, Any]:
    return score_cameo(gold_dir / PETRARCH_FILE, nlp=nlp)


def test_gold_files_are_the_pinned_ones(gold_dir: Path) -> None:
    assert _sha(gold_dir / PLOVER_FILE) == PLOVER_SHA256, "gold changed: re-measure"
    assert _sha(gold_dir / PETRARCH_FILE) == PETRARCH_SHA256, "gold changed: re-measure"


def test_the_floor_is_two_standard_errors_below() -> None:
    assert _floor(0.5, 100) == pytest.approx(0.4)
    assert _floor(0.784, 213) == pytest.approx(0.7276, abs=1e-3)


def test_plover_gold(plover: dict[str, Any]) -> None:
    n = plover["n"]
    assert n == 213
    for name in ("type_recall", "triple_recall"):
        assert plover[name] >= _floor(MEASURED[name], n), (name, plover[name])
    assert plover["events_per_sentence"] <= MAX_EVENTS_PER_SENTENCE, plover["events_per_sentence"]


def test_petrarch_cameo_roots(cameo: dict[str, Any]) -> None:
    n = cameo["n"]
    assert n == 78 and cameo["crosswalk"] == "data/events/cameo.yaml"
    for name, value in MEASURED_CAMEO.items():
        assert cameo[name] >= _floor(value, n), (name, cameo[name])


def test_the_event_model_cross_validates() -> None:
    """The shipped model's 5-fold figures on the training coding, at the thresholds it was shipped with
    (chosen on the UW dev split, not on the folds)."""
    meta = json.loads(loader.read_text("models/events.meta.json"))
    t = meta["thresholds"]
    at = meta["figures"]["cv5_train"]["at_shipped"]
    assert all(abs(at[k] - t[k]) < 1e-9 for k in t) and at["retype_at"] == meta["type_model"]["retype_at"]
    for name, floor in CV_FLOORS.items():
        assert at[name] >= floor, (name, at[name])
    assert "dev" in meta["thresholds_chosen_on"] and "dev" in meta["type_model"]["retype_at_chosen_on"]
    # the type model earns its place: cross-validated, it codes more events with the right type than the rules
    types = meta["figures"]["cv5_train"]["types"]
    assert types["coded_right"] > types["rules_right"], types


def test_the_shipped_event_models_are_what_training_gave() -> None:
    """Both model files hash to what tools/train_events.py recorded when it wrote them (``make train``
    rebuilds them deterministically: one thread, fixed seeds)."""
    meta = json.loads(loader.read_text("models/events.meta.json"))
    assert set(meta["sha256"]) == {"events.lgb.txt", meta["type_model"]["file"]}
    for name, digest in meta["sha256"].items():
        assert hashlib.sha256(loader.read_text(f"models/{name}").encode()).hexdigest() == digest, name


@pytest.mark.slow
def test_newswire_dev(training_dir: Path) -> None:
    """Real newswire, coded by the team (training/uw_plover_dev.jsonl), never trained on: the issue's
    real-news measure where this checkout can reach it."""
    from brinkwatch.dev import newswire

    r = newswire.run("dev")
    assert r["sentences"] == 992
    for name, floor in NEWSWIRE_FLOORS.items():
        assert r[name]["value"] >= floor, (name, r[name])
