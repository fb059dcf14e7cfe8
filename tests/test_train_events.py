"""tools/train_events.py: the senses the training coding never holds as events, and their use in extraction."""

from __future__ import annotations

import json
from types import ModuleType

import pytest

from brinkwatch.coder import eventness
from brinkwatch.lexicon import loader
from conftest import tool_module


@pytest.fixture(scope="module")
def trainer() -> ModuleType:
    return tool_module("train_events")


def _rows(trainer: ModuleType, lemma: str, kind: str, n: int, label: str = "NONE", source: str = "cameo") -> list:
    return [
        trainer.Row(f"s{lemma}{i}", {"lemma": lemma, "rule_type": kind, "source": source}, label, (kind,))
        for i in range(n)
    ]


def test_a_sense_is_unattested_only_when_never_coded_as_its_type_in_enough_sentences(trainer: ModuleType) -> None:
    least = trainer.MIN_UNATTESTED
    rows = (
        _rows(trainer, "want", "AGREE", least - 3)  # never an event in `least` candidates: unattested
        + _rows(trainer, "want", "AGREE", 3, label="REQUEST")  # an event, but never of the rules' type: unattested
        + _rows(trainer, "go", "CONSULT", least - 1)  # too few to tell
        + _rows(trainer, "seek", "REQUEST", least + 5)
        + _rows(trainer, "seek", "REQUEST", 1, label="REQUEST")  # coded once as its type: attested
        + _rows(trainer, "say", "ACCUSE", least + 5, source="reported")  # a report's synthetic event: no sense
    )
    assert trainer.unattested(rows) == [("want", "AGREE", least)]
    skip = trainer.skipped(rows, trainer.unattested(rows))
    assert skip.sum() == least and all(skip[:least])


def test_an_unattested_sense_counts_only_when_the_type_model_keeps_the_rules_type(trainer: ModuleType) -> None:
    rows = _rows(trainer, "want", "AGREE", 2, label="REQUEST")
    probs = trainer.np.ones(2)
    classes = list(trainer.CLASSES)
    tprobs = trainer.np.zeros((2, len(classes)))
    tprobs[0, classes.index("AGREE")] = 1.0  # the type model agrees with the rules: dropped
    tprobs[1, classes.index("REQUEST")] = 1.0  # it gives another type: kept, and right
    skip = trainer.np.ones(2, dtype=bool)
    t = trainer.eventness.Thresholds(0.0, 0.0, 0.0)
    got = trainer.figures(rows, probs, {"swant0": 1, "swant1": 1}, t, tprobs, 0.5, skip)
    assert (got["kept"], got["right"]) == (1, 1)
    assert trainer.figures(rows, probs, {"swant0": 1, "swant1": 1}, t, skip=skip)["kept"] == 0


def test_the_shipped_model_drops_what_its_training_never_coded() -> None:
    meta = json.loads(loader.read_text("models/events.meta.json"))
    listed = meta["unattested"]["senses"]
    assert listed and all(n >= meta["unattested"]["min_candidates"] for _w, _k, n in listed)
    model = eventness.model()
    assert model is not None
    assert model.unattested == {(w, k) for w, k, _n in listed}
