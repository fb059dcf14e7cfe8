"""The status cue lexicon (``data/modality/cues.yaml``), validated and compiled once for
:mod:`brinkwatch.coder.modality`: factuality scores and ranks of the statuses, negation words, modal
auxiliaries, conditional markers, hedging adverbs, noun modifiers and the governing words whose complements
take a status ("denied that …", "accused … of …", "considering …").

A cue is ``[status]`` or ``[status, score]`` (score on the UW/MEANTIME scale −3 … +3). Every status is one of
:data:`brinkwatch.core.ontology.STATUSES`; an unknown key, a bad status or a bare YAML boolean in a word list
is a :class:`~brinkwatch.core.errors.DataError` naming the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from brinkwatch.core.ontology import STATUSES
from brinkwatch.lexicon.loader import Strict, Word, compiled, load_yaml

PATH = "modality/cues.yaml"
VIAS = ("comp", "prep", "obj", "subj")


def _status(value: str) -> str:
    if value not in STATUSES:
        raise ValueError(f"unknown status {value!r} (known: {', '.join(STATUSES)})")
    return value


Status = Annotated[str, AfterValidator(_status)]
Score = Annotated[float, Field(ge=-3.0, le=3.0)]
#: ``[status]`` or ``[status, score]``
Cue = tuple[Status] | tuple[Status, Score]


class NegationSpec(Strict):
    words: list[Word]
    not_before: list[Word]  # "not only …" is no negation
    adverbs: list[Word]  # counterfactual: "nearly collided"
    prepositions: list[Word]  # "without firing"


class GovernorSpec(Strict):
    status: Status
    lemmas: Annotated[list[Word], Field(min_length=1)]
    via: Annotated[list[Literal["comp", "prep", "obj", "subj"]], Field(min_length=1)]
    preps: list[Word] | None = None
    factuality: Score | None = None


class CuesFile(Strict):
    version: int
    factuality: dict[Status, Score]
    rank: list[Status]
    negation: NegationSpec
    modals: dict[Word, Cue] = Field(default_factory=dict)
    markers: dict[Word, Status] = Field(default_factory=dict)
    adverbs: dict[Word, Cue] = Field(default_factory=dict)
    modifiers: dict[Word, Cue] = Field(default_factory=dict)
    governors: list[GovernorSpec] = Field(default_factory=list)
    raising: dict[Word, Cue] = Field(default_factory=dict)
    copula_infinitive: Cue
    light_verbs: list[Word]
    pp_light_verbs: list[Word]
    containers: list[Word]
    claim_nouns: list[Word]
    ruling_out: list[Word]
    transparent: list[Word] = Field(default_factory=list)  # reporting verbs that keep the status (documentation)

    @model_validator(mode="after")
    def _complete(self) -> CuesFile:
        if set(self.factuality) != set(STATUSES):
            raise ValueError(f"factuality: one score per status required ({', '.join(STATUSES)})")
        if sorted(self.rank) != sorted(STATUSES):
            raise ValueError("rank: every status exactly once")
        seen: dict[str, int] = {}
        for i, gov in enumerate(self.governors):
            for lemma in gov.lemmas:
                if lemma in seen:
                    raise ValueError(f"governors.{i}: {lemma!r} is listed twice (also in governors.{seen[lemma]})")
                seen[lemma] = i
        return self


@dataclass(frozen=True, slots=True)
class Governor:
    """A governing word's cue: the status it gives what it governs, through which links, with which score."""

    status: str
    via: frozenset[str]
    preps: frozenset[str] | None
    factuality: float | None


@dataclass(frozen=True, slots=True)
class Lexicon:
    factuality: dict[str, float]
    rank: dict[str, int]
    neg_words: frozenset[str]
    not_before: frozenset[str]
    neg_adverbs: frozenset[str]
    neg_preps: frozenset[str]
    modals: dict[str, tuple[str, float | None]]
    markers: dict[str, str]
    adverbs: dict[str, tuple[str, float | None]]
    modifiers: dict[str, tuple[str, float | None]]
    governors: dict[str, tuple[Governor, ...]]
    raising: dict[str, tuple[str, float | None]]
    copula_infinitive: tuple[str, float | None]
    light_verbs: frozenset[str]
    pp_light_verbs: frozenset[str]
    containers: frozenset[str]
    claim_nouns: frozenset[str]
    ruling_out: frozenset[str]
    transparent: frozenset[str] = frozenset()


def _pair(cue: tuple[str] | tuple[str, float]) -> tuple[str, float | None]:
    return (cue[0], float(cue[1]) if len(cue) == 2 else None)


def _pairs(table: dict[str, tuple[str] | tuple[str, float]]) -> dict[str, tuple[str, float | None]]:
    return {k: _pair(v) for k, v in table.items()}


def compile_cues(raw: CuesFile) -> Lexicon:
    """The cue lexicon of a validated file."""
    governors: dict[str, tuple[Governor, ...]] = {}
    for spec in raw.governors:
        gov = Governor(
            spec.status,
            frozenset(spec.via),
            frozenset(spec.preps) if spec.preps is not None else None,
            float(spec.factuality) if spec.factuality is not None else None,
        )
        for lemma in spec.lemmas:
            governors[lemma] = (gov,)
    neg = raw.negation
    return Lexicon(
        factuality={k: float(v) for k, v in raw.factuality.items()},
        rank={s: i for i, s in enumerate(raw.rank)},
        neg_words=frozenset(neg.words),
        not_before=frozenset(neg.not_before),
        neg_adverbs=frozenset(neg.adverbs),
        neg_preps=frozenset(neg.prepositions),
        modals=_pairs(raw.modals),
        markers=dict(raw.markers),
        adverbs=_pairs(raw.adverbs),
        modifiers=_pairs(raw.modifiers),
        governors=governors,
        raising=_pairs(raw.raising),
        copula_infinitive=_pair(raw.copula_infinitive),
        light_verbs=frozenset(raw.light_verbs),
        pp_light_verbs=frozenset(raw.pp_light_verbs),
        containers=frozenset(raw.containers),
        claim_nouns=frozenset(raw.claim_nouns),
        ruling_out=frozenset(raw.ruling_out),
        transparent=frozenset(raw.transparent),
    )


@compiled
def lexicon() -> Lexicon:
    """The cue lexicon shipped in ``data/modality/cues.yaml`` (loaded once)."""
    return compile_cues(load_yaml(PATH, CuesFile))
