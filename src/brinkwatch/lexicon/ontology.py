"""The PLOVER ontology, loaded once from the events data: types, quad classes, scores and the CAMEO crosswalk.

* ``data/events/types.yaml`` — each of the 16 PLOVER 0.8 types with its quad class (1 verbal cooperation,
  2 material cooperation, 3 verbal conflict, 4 material conflict), its conflict–cooperation score
  (−10 … +10) and the scores of its modes;
* ``data/events/cameo.yaml`` — the CAMEO root codes each type covers (its own root first) and the modes
  whose root differs from the type's.

Every module that needs the type list, a quad, a score or a CAMEO root asks here (validated by
``tests/test_ontology.py`` against ``ontology/PLOVER.md``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class PloverType:
    name: str
    quad: int
    score: float
    modes: dict[str, float]  # mode → score


def _read(name: str) -> Any:
    text = resources.files("brinkwatch").joinpath("data", "events", name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"data/events/{name}: expected a mapping")
    return data


@functools.lru_cache(maxsize=1)
def plover_types() -> dict[str, PloverType]:
    """Type name → its quad, score and mode scores, in the order of ``types.yaml``."""
    return {
        str(name): PloverType(
            name=str(name),
            quad=int(spec["quad"]),
            score=float(spec["score"]),
            modes={str(k): float(v) for k, v in (spec.get("modes") or {}).items()},
        )
        for name, spec in _read("types.yaml").items()
    }


PLOVER_TYPES: tuple[str, ...] = tuple(plover_types())


def quad_of(event_type: str) -> int:
    """The quad class (1–4) of a PLOVER type; KeyError for an unknown type."""
    return plover_types()[event_type].quad


def score_of(event_type: str, mode: str | None = None) -> float:
    """The conflict–cooperation score: the mode's when the type lists that mode, else the type's."""
    info = plover_types()[event_type]
    if mode and mode in info.modes:
        return info.modes[mode]
    return info.score


@functools.lru_cache(maxsize=1)
def _cameo() -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, str], str]]:
    data = _read("cameo.yaml")
    roots = {str(k): tuple(str(r) for r in v) for k, v in data["plover_to_cameo"].items()}
    modes: dict[tuple[str, str], str] = {}
    for key, root in (data.get("modes") or {}).items():
        event_type, _, mode = str(key).partition(".")
        modes[(event_type, mode)] = str(root)
    return roots, modes


def cameo_roots() -> dict[str, tuple[str, ...]]:
    """PLOVER type → every CAMEO root code it covers, the type's own root first."""
    return dict(_cameo()[0])


def cameo_root(event_type: str, mode: str | None = None) -> str | None:
    """The one CAMEO root of a type (or of its mode, where that differs); None for an unknown type."""
    roots, modes = _cameo()
    if mode and (event_type, mode) in modes:
        return modes[(event_type, mode)]
    own = roots.get(event_type)
    return own[0] if own else None
