"""The PLOVER ontology data (data/events/types.yaml, data/events/cameo.yaml) against ontology/PLOVER.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brinkwatch.lexicon import ontology
from brinkwatch.lexicon.ontology import PLOVER_TYPES, cameo_root, cameo_roots, plover_types, quad_of, score_of


def _number(cell: str) -> float:
    """'−3.5 (note)' → -3.5 (PLOVER.md prints minus signs as U+2212)."""
    match = re.match(r"\s*([−-]?\d+(?:\.\d+)?)", cell)
    assert match, cell
    return float(match.group(1).replace("−", "-"))


def _manual_table(plover_manual: Path) -> dict[str, tuple[int, float, dict[str, float]]]:
    """type → (quad, score, {mode: score}) from PLOVER.md's table of the 16 types."""
    text = plover_manual.read_text(encoding="utf-8")
    table: dict[str, tuple[int, float, dict[str, float]]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not re.fullmatch(r"[A-Z]+", cells[1]):
            continue
        modes: dict[str, float] = {}
        for item in cells[3].split(","):
            item = item.strip()
            if item and item != "—":
                name, value = item.rsplit(" ", 1)
                modes[name] = _number(value)
        table[cells[1]] = (int(cells[0][0]), _number(cells[2]), modes)
    return table


def test_sixteen_types_in_four_quads() -> None:
    assert len(PLOVER_TYPES) == 16 and len(set(PLOVER_TYPES)) == 16
    assert PLOVER_TYPES[0] == "AGREE" and PLOVER_TYPES[-1] == "ASSAULT"
    assert {quad_of(t) for t in PLOVER_TYPES} == {1, 2, 3, 4}
    quads = [quad_of(t) for t in PLOVER_TYPES]
    assert quads == sorted(quads), "types.yaml lists the types by quad class"
    for name, info in plover_types().items():
        assert info.name == name
        assert -10 <= info.score <= 10, name
        assert all(-10 <= v <= 10 for v in info.modes.values()), name
        assert (info.score > 0) == (info.quad in (1, 2)), name  # cooperation above zero (REQUEST is 0)


def test_types_match_the_manual(plover_manual: Path) -> None:
    manual = _manual_table(plover_manual)
    assert list(manual) == list(PLOVER_TYPES)
    for name, (quad, score, modes) in manual.items():
        info = plover_types()[name]
        assert (info.quad, info.score) == (quad, score), name
        # every mode the manual lists (ASSAULT's row is cut short in PLOVER.md: its modes must all be there)
        for mode, mode_score in modes.items():
            assert info.modes.get(mode) == mode_score, (name, mode)
        if name != "ASSAULT":
            assert set(info.modes) == set(modes), name


def test_scores_of_types_and_modes() -> None:
    assert score_of("ACCUSE") == -3.0 and score_of("ACCUSE", "investigate") == -3.5
    assert score_of("CONSULT", "visit") == 4.0 and score_of("CONSULT", "no-such-mode") == 2.5
    assert score_of("ASSAULT", None) == -9.0 and quad_of("SANCTION") == 4
    with pytest.raises(KeyError):
        quad_of("DEMAND")


def test_every_type_has_a_cameo_root() -> None:
    roots = cameo_roots()
    assert set(roots) == set(PLOVER_TYPES)
    covered = [r for rs in roots.values() for r in rs]
    assert all(re.fullmatch(r"0[2-9]|1\d|20", r) for r in covered), covered
    assert set(covered) == {f"{i:02d}" for i in range(2, 21)}  # 01 (public statement) has no PLOVER type
    for t in PLOVER_TYPES:
        assert cameo_root(t) == roots[t][0]


def test_cameo_roots_match_the_manual(plover_manual: Path) -> None:
    roots = cameo_roots()
    # the manual's crosswalk: "NN name goldstein → TYPE[S]" items separated by "·"
    text = plover_manual.read_text(encoding="utf-8").split("## CAMEO root codes", 1)[1]
    items = [i.strip() for i in text.split("\n", 1)[1].replace("\n", " ").split("·")]
    assert len(items) == 20
    pairs = [(item.split(" ", 1)[0], t) for item in items for t in re.findall(r"\b[A-Z]{3,}\b", item.split("→")[1])]
    assert len(pairs) == 20  # 02–20, with 08 twice (CONCEDE / RETREAT), 01 none
    for root, t in pairs:
        assert root in roots[t], (root, t)
    assert {"02"} <= set(roots["REQUEST"]) and {"09", "11"} <= set(roots["ACCUSE"])


def test_mode_roots_lie_within_their_type() -> None:
    modes = ontology._cameo()[1]
    assert modes, "cameo.yaml lists the modes whose root differs"
    for (event_type, mode), root in modes.items():
        assert mode in plover_types()[event_type].modes, (event_type, mode)
        assert root in cameo_roots()[event_type], (event_type, mode)
        assert root != cameo_root(event_type)
    assert cameo_root("ACCUSE", "investigate") == "09" and cameo_root("ASSAULT", "unconventional") == "20"
    assert cameo_root("ASSAULT", "drone") == "18" and cameo_root("REQUEST") == "10" and cameo_root("NOPE") is None
