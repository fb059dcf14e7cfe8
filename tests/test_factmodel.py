"""The learned factuality model (brinkwatch.coder.factuality): the shipped file, its features, scores and speed."""

from __future__ import annotations

import hashlib
import json
import time
from importlib import resources

import pytest
from spacy.language import Language
from spacy.tokens import Token

from brinkwatch.coder import factuality as factmodel
from brinkwatch.coder.modality import assess
from brinkwatch.dev.evaluate import _doc_from_words


def _tok(nlp: Language, sentence: str, word: str) -> Token:
    doc = _doc_from_words(nlp, sentence.split())
    hits = [t for t in doc if t.text == word]
    assert hits, f"{word!r} not in {sentence!r}"
    return hits[0]


def test_shipped_model_matches_its_meta() -> None:
    files = resources.files("brinkwatch")
    raw = files.joinpath("data", factmodel.MODEL_FILE).read_bytes()
    meta = json.loads(files.joinpath("data", factmodel.META_FILE).read_text("utf-8"))
    assert hashlib.sha256(raw).hexdigest() == meta["sha256"], "model and meta differ: run `make train`"
    assert len(raw) == meta["bytes"] <= 2_000_000
    assert meta["feature_version"] == factmodel.FEATURE_VERSION and meta["hash_bits"] == factmodel.HASH_BITS
    th = meta["thresholds"]
    assert -3 < th["denied"] < th["asserted"] < 3
    assert meta["training"]["limit"] is None  # the shipped model is the full run, not a test's subset
    m = factmodel.model()
    assert m is factmodel.model()  # loaded once per process
    assert (m.asserted_at, m.denied_at) == (th["asserted"], th["denied"])


def test_model_file_checks(nlp: Language) -> None:
    files = resources.files("brinkwatch")
    text = files.joinpath("data", factmodel.MODEL_FILE).read_text("utf-8")
    meta = json.loads(files.joinpath("data", factmodel.META_FILE).read_text("utf-8"))
    with pytest.raises(ValueError, match="other features"):
        factmodel.FactModel.from_text(text, {**meta, "feature_version": factmodel.FEATURE_VERSION + 1})
    with pytest.raises(ValueError, match="unknown column"):
        factmodel.FactModel.from_text(text.replace("feature_names=h", "feature_names=x", 1), meta)
    with pytest.raises(ValueError, match="unknown dataset"):
        factmodel.features(_tok(nlp, "Russia attacked the town .", "attacked"), "twitter")


FEATURE_CASES = [
    # sentence, trigger, features that must be there
    (
        "He said that Russia attacked the town .",
        "attacked",
        {"GOV1:say", "GOV1:ccomp:say", "PATH:ccomp", "RS:asserted"},
    ),
    ("Russia did not attack the town .", "attack", {"C0:neg:not", "C0:aux:did", "RS:negated", "NEG:1:0"}),
    ("He did not say that Russia would never attack .", "attack", {"DOUBLENEG", "MD0:would", "C1:neg:not"}),
    ("If NATO shoots down a jet , Russia will retaliate .", "shoots", {"COND0:if", "RS:hypothetical"}),
    ("Russia will retaliate if NATO shoots down a jet .", "retaliate", {"ADVCL0:if", "MD0:will"}),
    ("Did Russia attack the town ?", "attack", {"QUESTION"}),
    ("Stop the attack on the town .", "attack", {"IMPERATIVE", "H0:dobj:stop"}),
    ("No country attacked the town .", "attacked", {"A0:nsubj:no", "NEG:1:0"}),
    ("Russia refused to withdraw its troops .", "withdraw", {"GOV1:refuse", "C0:aux:to", "PATH:xcomp"}),
    ("The possible sale of the company was announced .", "sale", {"MOD:amod:possible", "K:det:the"}),
]


@pytest.mark.parametrize(("sentence", "word", "expected"), FEATURE_CASES)
def test_features_read_the_parse(nlp: Language, sentence: str, word: str, expected: set[str]) -> None:
    strings, dense = factmodel.feature_strings(_tok(nlp, sentence, word))
    assert expected <= set(strings), sorted(expected - set(strings))
    assert set(dense) == set(factmodel.DENSE) - {f"dataset_{d}" for d in factmodel.DATASETS}


def test_dense_counts(nlp: Language) -> None:
    _, dense = factmodel.feature_strings(_tok(nlp, "He did not say that Russia would never attack .", "attack"))
    assert (dense["neg_own"], dense["neg_outer"], dense["neg_total"]) == (1.0, 1.0, 2.0)
    assert dense["modal_own"] == 1.0 and dense["clauses_up"] == 1.0 and dense["rule_factuality"] == -3.0
    x = factmodel.features(_tok(nlp, "Russia attacked the town .", "attacked"), "meantime")
    assert x.dense[factmodel.DENSE.index("dataset_meantime")] == 1.0
    assert x.dense[factmodel.DENSE.index("dataset_uds")] == 0.0


def test_scores_follow_the_wording(nlp: Language) -> None:
    def fs(sentence: str, word: str) -> factmodel.FactScore:
        return factmodel.score(_tok(nlp, sentence, word))

    happened = fs("Russian troops attacked the village on Monday .", "attacked")
    maybe = fs("Russian troops may attack the village on Monday .", "attack")
    negated = fs("Russian troops did not attack the village on Monday .", "attack")
    assert happened.label == "asserted" and happened.factuality >= 2.5
    assert maybe.label == "uncertain"
    assert negated.label == "denied" and negated.factuality < 0
    assert happened.factuality > maybe.factuality > negated.factuality
    assert happened.rule.status == "asserted" and negated.rule.status == "negated"
    # one batch gives the same scores as one call per event
    toks = [_tok(nlp, s, w) for s, w in (("Russia attacked the town .", "attacked"), ("Russia may attack .", "attack"))]
    assert [s.factuality for s in factmodel.score_many(toks)] == [factmodel.score(t).factuality for t in toks]
    assert factmodel.score_many([]) == []
    with pytest.raises(ValueError, match="one rule reading per trigger"):
        factmodel.score_many(toks, [assess(toks[0])])


def test_a_reading_given_is_the_reading_used(nlp: Language) -> None:
    tok = _tok(nlp, "Moscow denied that its jets entered Estonian airspace .", "entered")
    assert factmodel.score(tok, assess(tok)).factuality == factmodel.score(tok).factuality
    assert -3.0 <= factmodel.score(tok).factuality <= 3.0


def test_labels_from_the_thresholds() -> None:
    m = factmodel.model()
    assert factmodel.label_of_score(3.0) == "asserted" and factmodel.label_of_score(-3.0) == "denied"
    assert factmodel.label_of_score(m.asserted_at) == "asserted"
    assert factmodel.label_of_score(m.denied_at) == "denied"
    assert factmodel.label_of_score((m.asserted_at + m.denied_at) / 2) == "uncertain"


TEXT = (
    "NATO said on Friday that Russian jets had entered Estonian airspace for twelve minutes . "
    "Moscow denied the claim and said its aircraft never left international waters . "
    "Officials are considering allowing pilots to fire on intruding aircraft if the incursions continue . "
    "The alliance may hold new exercises in the Baltic , but no decision has been taken . "
    "Analysts doubt that the talks planned for next week will produce an agreement . "
) * 4


def test_prediction_takes_under_a_millisecond_per_event(nlp: Language) -> None:
    doc = nlp(TEXT)
    events = [t for t in doc if t.pos_ in ("VERB", "NOUN")]
    assert len(events) > 80
    factmodel.score_many(events[:2])  # the model loaded
    best = min(_timed(lambda: factmodel.score_many(events)) for _ in range(3))
    per_event = best / len(events)
    assert per_event < 1e-3, f"{per_event * 1e6:.0f} µs per event"


def _timed(fn: object) -> float:
    assert callable(fn)
    t = time.process_time()
    fn()
    return time.process_time() - t
