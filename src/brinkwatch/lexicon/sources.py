"""Who reports: outlets (``data/attribution/outlets.csv``) and the source nouns, phrases and reporting cues of
``data/attribution/sources.yaml``, for the attribution chains (:mod:`brinkwatch.coder.attribution`) and the
gazetteer's government bodies and IGO words."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import field_validator

from brinkwatch.core.errors import DataError
from brinkwatch.core.ontology import ATTRIBUTION_KINDS
from brinkwatch.lexicon.loader import Strict, Word, compiled, load_csv, load_yaml, split_cell


class OutletRow(Strict):
    name: str
    aliases: str | None = None
    state: str | None = None


class SourcesFile(Strict):
    kinds: dict[str, list[Word]]
    phrases: dict[str, list[Word]]
    anaphora: list[Word]
    bodies: dict[str, str]
    igos: dict[str, str]
    reporting_verbs: list[Word]
    content_preps: list[Word]
    quote_verbs: list[Word]

    @field_validator("kinds", "phrases")
    @classmethod
    def _known_kinds(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        bad = sorted(set(v) - set(ATTRIBUTION_KINDS))
        if bad:
            raise ValueError(f"unknown attribution kind(s) {bad} (known: {', '.join(ATTRIBUTION_KINDS)})")
        return v


@dataclass(frozen=True, slots=True)
class SourceData:
    outlets: dict[str, tuple[str, str | None]]  # alias (as written) → (canonical name, state ISO-3 or None)
    kinds: dict[str, str]  # noun → kind
    phrases: tuple[tuple[str, str], ...]  # (lower phrase, kind), longest first
    anaphora: frozenset[str]
    bodies: dict[str, str]
    igos: dict[str, str]
    reporting_verbs: frozenset[str]
    content_preps: frozenset[str]
    quote_verbs: frozenset[str]


@compiled
def source_data() -> SourceData:
    """Outlets and source cues, loaded once and checked."""
    outlets: dict[str, tuple[str, str | None]] = {}
    for row in load_csv("attribution/outlets.csv", OutletRow):
        entry = (row.name, row.state)
        for alias in [row.name, *split_cell(row.aliases)]:
            outlets.setdefault(alias, entry)
    raw = load_yaml("attribution/sources.yaml", SourcesFile)
    kinds: dict[str, str] = {}
    for kind, nouns in raw.kinds.items():
        for noun in sorted(set(nouns)):
            kinds.setdefault(noun, kind)
    phrases = [(p, k) for k, ps in raw.phrases.items() for p in sorted(set(ps))]
    if not outlets:
        raise DataError("data/attribution/outlets.csv: no outlets")
    return SourceData(
        outlets=outlets,
        kinds=kinds,
        phrases=tuple(sorted(phrases, key=lambda p: -len(p[0]))),
        anaphora=frozenset(raw.anaphora),
        bodies={k.lower(): v for k, v in raw.bodies.items()},
        igos={k.lower(): v for k, v in raw.igos.items()},
        reporting_verbs=frozenset(raw.reporting_verbs),
        content_preps=frozenset(raw.content_preps),
        quote_verbs=frozenset(raw.quote_verbs),
    )
