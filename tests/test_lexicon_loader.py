"""lexicon/loader.py is the one reader of brinkwatch/data: every data file goes through it, validated by a model
that forbids unknown keys, and a malformed file is a DataError naming the file and the entry."""

from __future__ import annotations

import ast
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from brinkwatch.coder import eventness, factuality
from brinkwatch.core.errors import DataError
from brinkwatch.lexicon import (
    actors,
    cameo,
    cues,
    dates,
    eventive,
    events,
    gazetteer,
    groups,
    loader,
    ontology,
    phoenix,
    scoring,
    sources,
)

PKG = Path(__file__).resolve().parents[1] / "src" / "brinkwatch"


def _compile_everything() -> None:
    events.lexicon()
    cues.lexicon()
    dates.patterns()
    gazetteer.gazetteer()
    actors.lexicon()
    sources.source_data()
    groups.groups_file()
    scoring.scoring_codes()
    ontology.cameo_roots()
    cameo.model()
    eventive.table()
    eventness.model()
    factuality.model()
    phoenix.phoenix()


def test_only_the_loader_parses_files() -> None:
    """No module but lexicon/loader.py imports a file parser (yaml, csv) or reads packaged resources in the
    coder and the lexicon; nothing else in the package imports yaml."""
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).as_posix()
        if rel == "lexicon/loader.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        assert "yaml" not in imported, rel
        if rel.startswith(("coder/", "lexicon/")):
            assert not imported & {"csv", "importlib.resources"}, (rel, imported)


def test_every_data_file_is_read_through_the_loader(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: set[str] = set()
    real = loader.read_text

    def spy(path: str) -> str:
        read.add(path)
        return real(path)

    monkeypatch.setattr(loader, "read_text", spy)
    _compile_everything()
    files = {p.relative_to(data_copy).as_posix() for p in data_copy.rglob("*") if p.is_file() and p.suffix != ".md"}
    assert read == files


def test_data_root_leaves_the_packaged_data_alone(data_copy: Path) -> None:
    """Inside data_root() nothing is cached; outside it the packaged lexicon is the one compiled before."""
    with loader.data_root(resources.files("brinkwatch").joinpath("data")):  # type: ignore[arg-type]
        pass
    packaged = events.lexicon()
    (data_copy / "events" / "verbs.yaml").write_text("smash: {type: SMASH}\n", encoding="utf-8")
    with pytest.raises(DataError):
        events.lexicon()
    with loader.data_root(Path(str(resources.files("brinkwatch").joinpath("data")))):
        assert events.lexicon() is not packaged  # built afresh inside a data_root, never cached
    assert loader._root == data_copy  # the fixture's root is restored after a nested block


def test_packaged_lexicon_is_built_once() -> None:
    assert events.lexicon() is events.lexicon()
    assert actors.lexicon() is actors.lexicon() and gazetteer.gazetteer() is gazetteer.gazetteer()


def _edit_yaml(root: Path, name: str, edit: Callable[[Any], None]) -> None:
    path = root / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _edit_text(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


YAML_CASES = [
    ("dates/patterns.yaml", lambda d: d["strip_prefixes"].append(True), dates.patterns, r"strip_prefixes\.\d+.*quote"),
    ("dates/patterns.yaml", lambda d: d["candidates"].append("(unclosed"), dates.patterns, r"candidates\.\d+"),
    ("dates/patterns.yaml", lambda d: d.update({"holidays": ["xmas"]}), dates.patterns, r"holidays.*[Ee]xtra"),
    ("gazetteer/spatial.yaml", lambda d: d["weak_preps"].append(True), gazetteer.gazetteer, r"weak_preps\.\d+.*quote"),
    ("gazetteer/spatial.yaml", lambda d: d.update({"far_preps": ["beyond"]}), gazetteer.gazetteer, r"far_preps"),
    ("attribution/sources.yaml", lambda d: d["kinds"].update({"rumour": ["gossip"]}), sources.source_data, r"kinds"),
    ("attribution/sources.yaml", lambda d: d["anaphora"].append(False), sources.source_data, r"anaphora\.\d+.*quote"),
    ("groups.yaml", lambda d: d["groups"]["NATO"].update({"founded": 1949}), groups.groups_file, r"NATO\.founded"),
    ("modality/scoring.yaml", lambda d: d.update({"notes": "x"}), scoring.scoring_codes, r"notes.*[Ee]xtra"),
    ("modality/scoring.yaml", lambda d: d["unconstrained_codes"].append(7), scoring.scoring_codes, r"unconstrained"),
]


@pytest.mark.parametrize(("name", "edit", "load", "where"), YAML_CASES)
def test_malformed_yaml_is_refused(
    data_copy: Path, name: str, edit: Callable[[Any], None], load: Callable[[], Any], where: str
) -> None:
    _edit_yaml(data_copy, name, edit)
    with pytest.raises(DataError, match=rf"data/{name}: .*{where}"):
        load()


CSV_CASES = [
    ("gazetteer/places.csv", "Kabul,AFG,city,34.53,", "Kabul,AFG,town,34.53,", gazetteer.gazetteer, r"\(Kabul\): kind"),
    ("gazetteer/places.csv", "Kabul,AFG,city,34.53,", "Kabul,AFG,city,north,", gazetteer.gazetteer, r"\(Kabul\): lat"),
    ("gazetteer/places.csv", "Kabul,AFG,", "Kabul,Afghanistan,", gazetteer.gazetteer, r"\(Kabul\): country"),
    (
        "gazetteer/places.csv",
        "Kursk,RUS,city,51.73,36.19,,RUS",
        "Kursk,RUS,city,51.73,36.19,,Rus",
        actors.lexicon,
        "actor",
    ),
    ("attribution/outlets.csv", "name,aliases,state", "name,aliases,country", sources.source_data, r"country"),
]


@pytest.mark.parametrize(("name", "old", "new", "load", "where"), CSV_CASES)
def test_malformed_rows_are_refused(
    data_copy: Path, name: str, old: str, new: str, load: Callable[[], Any], where: str
) -> None:
    _edit_text(data_copy, name, old, new)
    with pytest.raises(DataError, match=rf"data/{name} line \d+.*{where}"):
        load()


def test_invalid_yaml_names_the_file(data_copy: Path) -> None:
    (data_copy / "events" / "rules.yaml").write_text("light_verbs: [hold\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"data/events/rules\.yaml: not valid YAML"):
        events.lexicon()
