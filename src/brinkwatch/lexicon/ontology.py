"""The PLOVER ontology's data, parsed once into one type: quad classes, scores, modes and the CAMEO crosswalk.

* ``data/events/types.yaml`` — each of the 16 PLOVER 0.8 types (exactly :data:`brinkwatch.core.ontology.PLOVER_TYPES`,
  in that order) with its quad class (1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
  4 material conflict), its conflict–cooperation score (−10 … +10) and the scores of its modes;
* ``data/events/cameo.yaml`` — the CAMEO root codes each type covers (its own root first) and the modes
  whose root differs from the type's.

Every module that needs a quad, a score, a mode or a CAMEO root asks here; the event lexicon
(:mod:`brinkwatch.lexicon.events`) holds these same :class:`PloverType` objects. The data is checked
against ``ontology/PLOVER.md`` by ``tests/test_ontology.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field

from brinkwatch.core.errors import DataError
from brinkwatch.core.ontology import PLOVER_TYPES
from brinkwatch.lexicon.loader import Strict, Word, compiled, load_yaml

__all__ = ["PLOVER_TYPES", "PloverType", "cameo_root", "cameo_roots", "plover_types", "quad_of", "score_of"]

TYPES_FILE = "events/types.yaml"
CAMEO_FILE = "events/cameo.yaml"
_CAMEO_ROOT = re.compile(r"^\d\d$")


class TypeSpec(Strict):
    quad: Annotated[int, Field(ge=1, le=4)]
    score: Annotated[float, Field(ge=-10, le=10)]
    modes: dict[Word, Annotated[float, Field(ge=-10, le=10)]] = Field(default_factory=dict)


def _every_type_in_order(types: dict[str, TypeSpec]) -> dict[str, TypeSpec]:
    if tuple(types) != PLOVER_TYPES:
        missing = sorted(set(PLOVER_TYPES) - set(types))
        unknown = sorted(set(types) - set(PLOVER_TYPES))
        raise ValueError(
            f"the 16 PLOVER types in the order of core.ontology.PLOVER_TYPES expected (missing {missing}, "
            f"unknown {unknown})"
        )
    return types


TypesFile = Annotated[dict[str, TypeSpec], AfterValidator(_every_type_in_order)]


def _root(value: str) -> str:
    if not _CAMEO_ROOT.match(value):
        raise ValueError(f'{value!r} is not a two-digit CAMEO root (quote it: "03")')
    return value


CameoRoot = Annotated[str, AfterValidator(_root)]


class CameoFile(Strict):
    plover_to_cameo: dict[str, Annotated[list[CameoRoot], Field(min_length=1)]]
    modes: dict[str, CameoRoot] = Field(default_factory=dict)  # "TYPE.mode" → its root


@dataclass(frozen=True, slots=True)
class PloverType:
    name: str
    quad: int
    score: float
    modes: dict[str, float]  # mode → score


@compiled
def plover_types() -> dict[str, PloverType]:
    """Type name → its quad, score and mode scores, in the order of ``PLOVER_TYPES``."""
    raw = load_yaml(TYPES_FILE, TypesFile)
    return {
        name: PloverType(name=name, quad=spec.quad, score=float(spec.score), modes=dict(spec.modes))
        for name, spec in raw.items()
    }


def quad_of(event_type: str) -> int:
    """The quad class (1–4) of a PLOVER type; KeyError for an unknown type."""
    return plover_types()[event_type].quad


def score_of(event_type: str, mode: str | None = None) -> float:
    """The conflict–cooperation score: the mode's when the type lists that mode, else the type's."""
    info = plover_types()[event_type]
    if mode and mode in info.modes:
        return info.modes[mode]
    return info.score


@compiled
def _cameo() -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, str], str]]:
    raw = load_yaml(CAMEO_FILE, CameoFile)
    types = plover_types()
    if set(raw.plover_to_cameo) != set(types):
        raise DataError(
            f"data/{CAMEO_FILE}: plover_to_cameo must list every PLOVER type once "
            f"(missing {sorted(set(types) - set(raw.plover_to_cameo))}, "
            f"unknown {sorted(set(raw.plover_to_cameo) - set(types))})"
        )
    roots = {name: tuple(rs) for name, rs in raw.plover_to_cameo.items()}
    modes: dict[tuple[str, str], str] = {}
    for key, root in raw.modes.items():
        event_type, _, mode = key.partition(".")
        if event_type not in types or mode not in types[event_type].modes:
            raise DataError(f"data/{CAMEO_FILE}: modes.{key}: not a mode of a PLOVER type (TYPE.mode)")
        modes[(event_type, mode)] = root
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
