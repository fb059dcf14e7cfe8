"""The event lexicon (data/events) is valid data: PLOVER types, modes, contexts, CAMEO crosswalk, rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from brinkwatch.core.errors import DataError
from brinkwatch.core.ontology import PLOVER_TYPES
from brinkwatch.lexicon import events

SRC = {"source": "cameo:test"}  # every trigger names its source


def _yaml(name: str) -> dict:  # type: ignore[type-arg]
    from brinkwatch.lexicon.loader import read_text

    data = yaml.safe_load(read_text(f"events/{name}"))
    assert isinstance(data, dict), name
    return data


def test_types_table_is_plover_08() -> None:
    lex = events.lexicon()
    assert set(lex.types) == set(PLOVER_TYPES) and len(lex.types) == 16
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
    """Every entry loads (the model forbids unknown keys; types, modes, contexts and roles are checked at load)."""
    lex = events.lexicon()
    raw = _yaml(name)
    assert len(raw) > 60
    table = lex.verbs if name == "verbs.yaml" else lex.nouns
    loaded = {e.key for entries in table.values() for e in entries}
    assert {" ".join(k.split()) for k in raw} <= loaded
    for entries in table.values():
        for e in entries:
            assert e.type in PLOVER_TYPES and (e.mode is None or e.mode in lex.types[e.type].modes), e.key
            assert set(e.contexts) <= set(lex.context_names), e.key


def test_contexts_and_mode_cues_use_plover_names() -> None:
    lex = events.lexicon()
    for word, ctxs in lex.contexts.items():
        assert ctxs and set(ctxs) <= set(lex.context_names), word
    for etype, cues in lex.mode_cues.items():
        assert etype in PLOVER_TYPES
        assert set(cues.values()) <= set(lex.types[etype].modes), etype


def test_context_names_are_the_manuals(plover_manual: Path) -> None:
    """The context list (data, checked at load) is PLOVER 0.8's, as ontology/PLOVER.md prints it."""
    text = plover_manual.read_text(encoding="utf-8")
    block = text.split("## Contexts", 1)[1].split("\n", 1)[1].split("##", 1)[0]
    manual = [w.strip().rstrip(".") for w in block.replace("\n", " ").split(",") if w.strip()]
    assert list(events.lexicon().context_names) == manual


def test_the_types_are_the_ontologys() -> None:
    """One type: the event lexicon holds the ontology's PloverType objects, not a second parse."""
    from brinkwatch.lexicon.ontology import plover_types

    lex = events.lexicon()
    assert all(lex.types[t] is plover_types()[t] for t in PLOVER_TYPES)


def test_cameo_crosswalk_covers_every_type() -> None:
    lex = events.lexicon()
    assert set(lex.cameo_roots) == set(PLOVER_TYPES)
    roots = {r for rs in lex.cameo_roots.values() for r in rs}
    assert roots == {f"{i:02d}" for i in range(2, 21)}  # 01 (public statement) has no PLOVER type
    assert lex.cameo_roots["ASSAULT"] == ("18", "19", "20")


def test_rules_are_word_lists() -> None:
    lex = events.lexicon()
    assert "on" in lex.rules.recipient_preps and "hold" in lex.rules.light_verbs
    assert set(lex.rules.cooperative_types) <= set(PLOVER_TYPES)
    assert set(lex.rules.threat_types) <= set(PLOVER_TYPES)


def _rewrite(root: Path, name: str, edit) -> None:  # type: ignore[no-untyped-def]
    path = root / "events" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        (
            "verbs.yaml",
            lambda d: d.update({"smash": {**SRC, "type": "SMASH"}}),
            r"verbs\.yaml: smash\.type.*not a PLOVER",
        ),
        (
            "verbs.yaml",
            lambda d: d.update({"smash": {**SRC, "type": "ASSAULT", "role": "boss"}}),
            r"smash\.role",
        ),
        (
            "verbs.yaml",
            lambda d: d.update({"smash": {**SRC, "type": "ASSAULT", "strength": 3}}),
            r"smash\.strength",
        ),
        (
            "verbs.yaml",
            lambda d: d.update({"smash": {**SRC, "type": "ASSAULT", "strenght": 1}}),
            r"smash\.strenght.*[Ee]xtra",
        ),
        (
            "verbs.yaml",
            lambda d: d.update({"smash": {**SRC, "type": "ASSAULT", "mode": "gentle"}}),
            r"smash\.mode",
        ),
        (
            "verbs.yaml",
            lambda d: d.update({"smash": {**SRC, "type": "ASSAULT", "contexts": ["sports"]}}),
            r"smash\.contexts",
        ),
        (
            "verbs.yaml",
            lambda d: d.update({"smash": {**SRC, "type": "ASSAULT", "subjects": [False]}}),
            r"smash\.subjects.*quo",
        ),
        (
            "verbs.yaml",
            lambda d: d.update({True: {**SRC, "type": "ASSAULT"}}),
            r"verbs\.yaml: .*True is not a word.*quote",
        ),
        (
            "nouns.yaml",
            lambda d: d.update({"raid": {**SRC, "type": "ASSAULT", "needs_arg": "yes"}}),
            r"nouns\.yaml: raid\.needs",
        ),
        ("rules.yaml", lambda d: d["light_verbs"].append(True), r"rules\.yaml: light_verbs\.\d+.*quote"),
        ("rules.yaml", lambda d: d.update({"heavy_verbs": ["lift"]}), r"rules\.yaml: heavy_verbs.*[Ee]xtra"),
        ("rules.yaml", lambda d: d["threat_types"].update({"AID": "kindness"}), r"threat_types\.AID"),
        ("contexts.yaml", lambda d: d["words"].update({"goal": ["football"]}), r"contexts.*words\.goal.*football"),
        ("contexts.yaml", lambda d: d["names"].append(False), r"contexts\.yaml: names\.\d+.*quote"),
        ("contexts.yaml", lambda d: d.update({"colours": {}}), r"contexts\.yaml: colours.*[Ee]xtra"),
        ("mode_cues.yaml", lambda d: d.update({"ATTACK": {"drone": "drone"}}), r"mode_cues\.yaml: ATTACK"),
        ("mode_cues.yaml", lambda d: d["ASSAULT"].update({"lance": "jousting"}), r"mode_cues\.yaml: ASSAULT.*jousting"),
        ("types.yaml", lambda d: d["AGREE"].update({"colour": "blue"}), r"types\.yaml: AGREE\.colour.*[Ee]xtra"),
        ("types.yaml", lambda d: d["AGREE"].update({"quad": "one"}), r"types\.yaml: AGREE\.quad"),
        ("types.yaml", lambda d: d.pop("AID"), r"types\.yaml.*missing \['AID'\]"),
        ("cameo.yaml", lambda d: d["plover_to_cameo"].update({"AGREE": [3]}), r"cameo\.yaml: plover_to_cameo\.AGREE"),
        ("cameo.yaml", lambda d: d.update({"notes": "x"}), r"cameo\.yaml: notes.*[Ee]xtra"),
    ],
)
def test_malformed_event_data_is_refused(data_copy: Path, name: str, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    """An unknown key, a wrong type, an unknown name or a bare YAML boolean: DataError naming file and entry."""
    _rewrite(data_copy, name, edit)
    with pytest.raises(DataError, match=message):
        events.lexicon()


def test_phrase_entries_are_split_and_lowered(data_copy: Path) -> None:
    _rewrite(data_copy, "verbs.yaml", lambda d: d.update({"Lob  Shells": {**SRC, "type": "ASSAULT"}}))
    (e,) = [e for e in events.lexicon().verbs["lob"] if e.key == "lob shells"]
    assert (e.lemma, e.extra, e.type) == ("lob", ("shells",), "ASSAULT")


SOURCES = ("cameo", "cameo-object", "plover", "training", "attested", "exclusion")


@pytest.mark.parametrize("name", ["verbs.yaml", "nouns.yaml", "nouns_derived.yaml"])
def test_every_lexicon_entry_names_its_source(name: str) -> None:
    """Learn, don't memorize: each trigger comes from a general resource (CAMEO, PLOVER), the training data, or
    at least three independent training sentences — never from one gold sentence (tools/source_lexicon.py)."""
    for key, spec in _yaml(name).items():
        source = str(spec.get("source", ""))
        kind, _, detail = source.partition(":")
        assert kind in SOURCES, (key, source)
        if kind == "attested":
            assert int(detail) >= 3, (key, source)
        if kind == "training":
            assert int(detail) >= 1, (key, source)
        if kind == "exclusion":
            assert spec.get("ignore") is True, (key, "only a phrase that is no event may be an exclusion")


def test_an_entry_without_a_source_is_refused(data_copy: Path) -> None:
    _rewrite(data_copy, "verbs.yaml", lambda d: d.update({"befriend": {"type": "SUPPORT"}}))
    with pytest.raises(DataError, match=r"verbs\.yaml: befriend\.source"):
        events.lexicon()
    _rewrite(data_copy, "verbs.yaml", lambda d: d.update({"befriend": {"type": "SUPPORT", "source": "gold:12"}}))
    with pytest.raises(DataError, match=r"befriend\.source"):
        events.lexicon()
