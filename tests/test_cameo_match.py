"""CAMEO verb patterns: the converter (tools/convert_cameo.py), the derived file and the dependency matcher.

The sentences below are made up for these tests. Each assertion states what PETRARCH-2's dictionary encodes;
where it encodes nothing (no USE * &WMD pattern, no HAND verb) the test pins the absence — no entry is added
by hand to make a sentence come out right.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from brinkwatch.coder import cameo as cm
from brinkwatch.core.ontology import PLOVER_TYPES
from brinkwatch.lexicon import cameo as cameo_data

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "brinkwatch" / "data" / "events" / "cameo_patterns.json"


def _shared() -> Path:
    return Path(os.environ.get("BRINKWATCH_SHARED") or ROOT.parent / "shared")


@pytest.fixture(scope="module")
def converter() -> ModuleType:
    if not (_shared() / "resources" / "petrarch2" / "CAMEO.2.0.txt").is_file():
        pytest.skip("../shared/resources is not beside the project (set BRINKWATCH_SHARED)")
    spec = importlib.util.spec_from_file_location("convert_cameo", ROOT / "tools" / "convert_cameo.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def raw() -> Any:
    return json.loads(DATA.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- converter


def test_converter_is_deterministic_and_matches_the_checked_in_file(converter: ModuleType) -> None:
    lemmas = converter.Lemmas()
    first = converter.dump(converter.build(_shared(), lemmas))
    second = converter.dump(converter.build(_shared(), lemmas))
    assert first == second
    assert first == DATA.read_text(encoding="utf-8"), "stale: run tools/convert_cameo.py"


def test_converter_reads_the_whole_dictionary(converter: ModuleType, raw: Any) -> None:
    counts = raw["_about"]["counts"]
    # 4,668 pattern lines in CAMEO.2.0.txt: the kept ones plus those naming an undefined synset
    assert counts["patterns"] + counts["patterns_skipped"] == 4668
    assert counts["blocks"] == 397
    assert all(s["why"].startswith("undefined synset") for s in raw["skipped"])


def test_crosswalk_fallbacks(converter: ModuleType) -> None:
    xw, roots = converter.parse_crosswalk(_shared() / "resources" / "plover" / "CAMEO2PLOVER-2021.txt")
    types, contexts = converter.parse_plover_md(_shared() / "ontology" / "PLOVER.md")
    assert converter.sense_of("0874", xw, roots, types, contexts)["plover"] == "RETREAT"
    assert converter.sense_of("0874", xw, roots, types, contexts)["via"] == "code"
    parent = converter.sense_of("1952", xw, roots, types, contexts)  # not a CAMEO code: its parent 195
    assert (parent["plover"], parent["via"]) == ("ASSAULT", "parent")
    root = converter.sense_of("176", xw, roots, types, contexts)  # no row: root 17
    assert (root["plover"], root["via"]) == ("COERCE", "root")
    assert converter.sense_of("089", xw, roots, types, contexts)["plover"] is None  # root 08: CONCEDE or RETREAT
    assert converter.sense_of("020", xw, roots, types, contexts)["via"] == "none"


# ---------------------------------------------------------------- derived file


def test_derived_file_validates_and_keeps_its_notices(raw: Any) -> None:
    m = cameo_data.build_model(raw)
    assert len(m.blocks) == raw["_about"]["counts"]["blocks"]
    assert sum(len(p) for p in m.blocks.values()) == raw["_about"]["counts"]["patterns"]
    licence = "\n".join(raw["_about"]["licence"])
    assert "The MIT License" in licence and "Open Event Data Alliance" in licence
    assert "CC BY-SA 4.0" in licence
    for code, sense in m.senses.items():
        assert sense.plover is None or sense.plover in PLOVER_TYPES
        if code[:2] in ("01", "02"):  # public statements and appeals: no PLOVER target, said so
            assert sense.plover is None and sense.via == "none"
    # every entry names where it came from
    assert all(p.line > 0 for pats in m.blocks.values() for p in pats)
    assert all(e.line > 0 for es in m.verbs.values() for e in es)


@pytest.mark.parametrize(
    "path",
    [
        ("extra",),
        ("codes", "190", "extra"),
        ("blocks", "APPREHEND", "patterns", 0, "extra"),
        ("blocks", "APPREHEND", "extra"),
        ("verbs", "capture", 0, "extra"),
    ],
)
def test_unknown_keys_are_an_error(raw: Any, path: tuple[Any, ...]) -> None:
    data = copy.deepcopy(raw)
    node = data
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = 1
    with pytest.raises(ValueError, match="unknown keys"):
        cameo_data.build_model(data)


def test_dangling_references_are_an_error(raw: Any) -> None:
    data = copy.deepcopy(raw)
    data["verbs"]["capture"][0]["block"] = "NO_SUCH_BLOCK"
    with pytest.raises(ValueError, match="unknown block"):
        cameo_data.build_model(data)
    data = copy.deepcopy(raw)
    data["blocks"]["APPREHEND"]["patterns"][0]["code"] = "999"
    with pytest.raises(ValueError, match="not in the codes table"):
        cameo_data.build_model(data)
    data = copy.deepcopy(raw)
    data["codes"]["190"]["plover"] = "FIGHT"
    with pytest.raises(ValueError, match="unknown PLOVER type"):
        cameo_data.build_model(data)


# ---------------------------------------------------------------- matcher


def _cands(nlp: Any, text: str, **kw: Any) -> list[cameo_data.Candidate]:
    return cm.match(nlp(text), **kw)


def _by_lemma(cands: list[cameo_data.Candidate], lemma: str) -> list[cameo_data.Candidate]:
    return [c for c in cands if c.lemma == lemma]


def test_the_object_decides_capture(nlp: Any) -> None:
    town = _by_lemma(_cands(nlp, "The rebels captured the town."), "capture")
    assert [(c.code, c.plover, c.default) for c in town] == [("192", "COERCE", False)]  # occupy territory
    assert town[0].pattern is not None and town[0].mode == "seize"
    soldiers = _by_lemma(_cands(nlp, "The rebels captured three soldiers."), "capture")
    assert [(c.code, c.default) for c in soldiers] == [("171", True)]  # the block's default: seize


def test_passive_subject_is_the_object(nlp: Any) -> None:
    got = _by_lemma(_cands(nlp, "The town was captured by the rebels."), "capture")
    assert [c.code for c in got] == ["192"]


def test_block_road_is_protest_but_the_dictionary_has_no_highway(nlp: Any) -> None:
    road = _by_lemma(_cands(nlp, "Protesters blocked the road."), "block")
    assert [(c.code, c.plover, c.mode) for c in road] == [("144", "PROTEST", "obstruct")]
    highway = _by_lemma(_cands(nlp, "Protesters blocked the highway."), "block")
    assert [(c.code, c.plover, c.default) for c in highway] == [("170", "COERCE", True)]


def test_use_a_weapon_but_no_pattern_for_weapons_of_mass_destruction(nlp: Any) -> None:
    tear = _by_lemma(_cands(nlp, "The regime used tear gas on the crowd."), "use")
    assert [(c.code, c.plover) for c in tear] == [("175", "ASSAULT")]
    assert tear[0].specificity == 2  # head "gas" and modifier "tear"
    assert _by_lemma(_cands(nlp, "The regime used nerve gas."), "use") == []  # &WMD is under no USE pattern


def test_absent_verbs_propose_nothing(nlp: Any) -> None:
    assert _by_lemma(_cands(nlp, "The army handed blankets to the refugees."), "hand") == []
    vowed = _cands(nlp, "The president vowed to crush the rebels.")
    assert _by_lemma(vowed, "vow") == []  # VOW has no default and no pattern for a verb complement
    assert [(c.code, c.plover) for c in _by_lemma(vowed, "crush")] == [("190", "ASSAULT")]


def test_phrasal_verbs_in_either_order(nlp: Any) -> None:
    for text in ("Iran called off the talks.", "Iran called the talks off."):
        got = _by_lemma(_cands(nlp, text), "call")
        assert got and all(c.particle == "off" and c.plover == "SANCTION" for c in got), text
        assert {c.code for c in got} >= {"164"}


def test_most_specific_pattern_wins(nlp: Any) -> None:
    got = _by_lemma(_cands(nlp, "Russia took part in the summit."), "take")
    assert [(c.code, c.plover, c.specificity) for c in got] == [("046", "CONSULT", 3)]
    doc = nlp("Russia took part in the summit.")
    assert [doc[i].lower_ for i in got[0].slots] == ["part", "in", "summit"]
    everything = _by_lemma(_cands(nlp, "Russia took part in the summit.", all_matches=True), "take")
    assert {c.code for c in everything} >= {"046", "030", "171"}  # * PART [030] and the default come later
    assert everything[0].code == "046"


def test_null_pattern_silences_the_default(nlp: Any) -> None:
    assert _by_lemma(_cands(nlp, "They seized the opportunity."), "seize") == []
    assert _by_lemma(_cands(nlp, "They seized the boat."), "seize")[0].code == "1711"


def test_paired_codes_give_directions(nlp: Any) -> None:
    court = _by_lemma(_cands(nlp, "He appeared before the court."), "appear")  # [:173]
    assert [(c.code, c.direction) for c in court] == [("173", "reverse")]
    treaty = _by_lemma(_cands(nlp, "Israel and Egypt signed a peace treaty."), "sign")  # [057:057]
    assert [(c.code, c.plover, c.direction) for c in treaty] == [("057", "SUPPORT", "mutual")]


def test_codes_without_plover_only_on_request(nlp: Any) -> None:
    text = "The ministry asked for humanitarian aid."
    assert _by_lemma(_cands(nlp, text), "ask") == []
    got = _by_lemma(_cands(nlp, text, with_unmapped=True), "ask")
    assert [(c.code, c.plover, c.via, c.particle) for c in got] == [("0233", None, "none", "for")]


def test_span_and_doc_agree(nlp: Any) -> None:
    doc = nlp("Police arrested the opposition leader. The rebels captured the town.")
    whole = cm.match(doc)
    by_sent = [c for s in doc.sents for c in cm.match(s)]
    assert whole == by_sent
    assert [(doc[c.i].lower_, c.code) for c in whole] == [("arrested", "173"), ("captured", "192")]
