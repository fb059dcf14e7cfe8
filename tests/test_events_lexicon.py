"""The event lexicon (data/events) is valid data: PLOVER types, modes, contexts, CAMEO crosswalk, rules."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from brinkwatch.coder import triggers as events

PLOVER_CONTEXTS = {
    "military",
    "intelligence",
    "executive",
    "legislative",
    "election",
    "political_institutions",
    "pro_democracy",
    "pro_autocracy",
    "economic",
    "legal",
    "reparations",
    "human_rights",
    "rights_freedoms",
    "repression",
    "human_security",
    "gender",
    "lgbt",
    "religion_ethnicity",
    "diplomatic",
    "territory",
    "peacekeeping",
    "health",
    "asylum",
    "migration",
    "disasters",
    "natural_resource",
    "environment",
    "technology",
    "terrorism",
    "cbrn",
    "cyber",
    "misinformation",
    "crime",
    "corruption",
    "illegal_drugs",
    "trafficking",
}


def _yaml(name: str) -> dict:  # type: ignore[type-arg]
    text = resources.files("brinkwatch").joinpath("data", "events", name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict), name
    return data


def test_types_table_is_plover_08() -> None:
    lex = events.lexicon()
    assert set(lex.types) == set(events.PLOVER_TYPES) and len(lex.types) == 16
    quads = {t: lex.types[t].quad for t in lex.types}
    assert {t for t, q in quads.items() if q == 1} == {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"}
    assert {t for t, q in quads.items() if q == 4} == {"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    for name, info in lex.types.items():
        assert -10 <= info.score <= 10, name
        assert all(-10 <= v <= 10 for v in info.modes.values()), name
        # conflict types score below zero, cooperation above (REQUEST is 0)
        assert (info.score > 0) == (info.quad in (1, 2)), name
    assert lex.score("ACCUSE", None) == -3.0
    assert lex.score("ASSAULT", "firearms") == -9.0
    assert lex.score("CONSULT", "visit") == 4.0
    assert lex.score("CONSULT", "no-such-mode") == 2.5


@pytest.mark.parametrize("name", ["verbs.yaml", "nouns.yaml"])
def test_trigger_entries_are_valid(name: str) -> None:
    lex = events.lexicon()
    raw = _yaml(name)
    assert len(raw) > 60
    for key, spec in raw.items():
        assert isinstance(key, str) and key == key.lower() and key.strip(), key
        assert spec["type"] in events.PLOVER_TYPES, key
        mode = spec.get("mode")
        if mode is not None:
            assert mode in lex.types[spec["type"]].modes, f"{key}: mode {mode} not a {spec['type']} mode"
        for ctx in spec.get("contexts") or ():
            assert ctx in PLOVER_CONTEXTS, f"{key}: {ctx}"
        assert set(spec) <= {
            "type",
            "mode",
            "contexts",
            "strength",
            "role",
            "needs_arg",
            "needs_content",
            "light_only",
            "ignore",
            "neg_type",
            "said_type",
            "subjects",
        }, key
        subjects = spec.get("subjects")
        assert subjects is None or (subjects and all(isinstance(w, str) and w == w.lower() for w in subjects)), key


def test_contexts_and_mode_cues_use_plover_names() -> None:
    lex = events.lexicon()
    for word, ctxs in lex.contexts.items():
        assert ctxs and set(ctxs) <= PLOVER_CONTEXTS, word
    for etype, cues in lex.mode_cues.items():
        assert etype in events.PLOVER_TYPES
        assert set(cues.values()) <= set(lex.types[etype].modes), etype


def test_cameo_crosswalk_covers_every_type() -> None:
    lex = events.lexicon()
    assert set(lex.cameo_roots) == set(events.PLOVER_TYPES)
    roots = {r for rs in lex.cameo_roots.values() for r in rs}
    assert roots == {f"{i:02d}" for i in range(2, 21)}  # 01 (public statement) has no PLOVER type
    assert lex.cameo_roots["ASSAULT"] == ("18", "19", "20")


def test_rules_are_word_lists() -> None:
    rules = _yaml("rules.yaml")
    for key, value in rules.items():
        if isinstance(value, list):
            assert all(isinstance(w, str) and w for w in value), key  # YAML 1.1: "on"/"no" must be quoted
    lex = events.lexicon()
    assert "on" in lex.rules.recipient_preps and "hold" in lex.rules.light_verbs
    assert set(lex.rules.cooperative_types) <= set(events.PLOVER_TYPES)
    assert set(lex.rules.threat_types) <= set(events.PLOVER_TYPES)


def test_bad_entry_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown PLOVER type"):
        events._entries({"smash": {"type": "SMASH"}}, "verb")
    with pytest.raises(ValueError, match="role"):
        events._entries({"smash": {"type": "ASSAULT", "role": "boss"}}, "verb")
    with pytest.raises(ValueError, match="strength"):
        events._entries({"smash": {"type": "ASSAULT", "strength": 3}}, "verb")
    (e,) = events._entries({"Open Fire": {"type": "ASSAULT", "mode": "firearms"}}, "verb")
    assert (e.lemma, e.extra, e.mode) == ("open", ("fire",), "firearms")
