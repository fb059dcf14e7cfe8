"""The event lexicon (``data/events``), validated and compiled once: triggers → PLOVER type, mode, contexts.

* ``verbs.yaml`` / ``nouns.yaml`` — lemma-keyed triggers, with the particles, prepositions or objects a
  phrase needs ("call for", "open fire", "hunger strike"); fields: :class:`TriggerSpec`;
* ``contexts.yaml`` — ``names``: the PLOVER 0.8 context list; ``words``: lemma → contexts;
* ``mode_cues.yaml`` — type → {word among the trigger's arguments: mode};
* ``rules.yaml`` — light verbs, reporting verbs, control verbs, recipient prepositions … (:class:`RulesFile`);
* the types' quads, scores and modes and the CAMEO crosswalk come from :mod:`brinkwatch.lexicon.ontology`.

Every name is checked at load: a type among the 16, a mode of that type, a context of the list, a role among
:data:`ROLES`; an unknown key or a bare YAML boolean in a word list is a :class:`~brinkwatch.core.errors.DataError`
naming the file and the entry. The coder (:mod:`brinkwatch.coder.triggers`) matches the compiled
:class:`Lexicon`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, model_validator

from brinkwatch.core.errors import DataError
from brinkwatch.core.ontology import PLOVER_TYPES
from brinkwatch.lexicon.loader import Strict, Word, compiled, load_yaml
from brinkwatch.lexicon.ontology import PloverType, cameo_roots, plover_types

ROLES = ("claim", "absorb", "enabler")


def _plover_type(value: str) -> str:
    if value not in PLOVER_TYPES:
        raise ValueError(f"{value!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    return value


#: one of the 16 PLOVER type names
TypeName = Annotated[str, AfterValidator(_plover_type)]


SOURCE_PATTERN = r"^(cameo|cameo-object|plover|training|attested|exclusion):?"


class TriggerSpec(Strict):
    """One trigger entry of ``verbs.yaml`` / ``nouns.yaml`` (the fields are described at the top of the files)."""

    type: TypeName | None = None  # may be left out only with ``ignore``
    mode: Word | None = None
    contexts: list[Word] = Field(default_factory=list)
    strength: Annotated[float, Field(gt=0.0, le=1.0)] = 0.8
    role: Literal["claim", "absorb", "enabler"] | None = None
    needs_arg: StrictBool = False
    needs_content: StrictBool = False
    light_only: StrictBool = False
    ignore: StrictBool = False
    neg_type: TypeName | None = None
    said_type: TypeName | None = None
    subjects: list[Word] = Field(default_factory=list)
    # where the entry comes from (tools/source_lexicon.py, tools/derive_event_nouns.py): a general resource
    # (cameo:…, cameo-object:…, plover:…), the training data (training:<n>), n >= 3 independent training
    # sentences (attested:<n>), or — for a phrase that is NO event — exclusion
    source: Annotated[str, Field(pattern=SOURCE_PATTERN)]

    @model_validator(mode="after")
    def _typed(self) -> TriggerSpec:
        if self.type is None and not self.ignore:
            raise ValueError("a trigger needs a type (only an ignored phrase may leave it out)")
        return self


TriggerFile = dict[Word, TriggerSpec]


class ContextsFile(Strict):
    names: Annotated[list[Word], Field(min_length=1)]
    words: dict[Word, Annotated[list[Word], Field(min_length=1)]]

    @model_validator(mode="after")
    def _known(self) -> ContextsFile:
        if len(set(self.names)) != len(self.names):
            raise ValueError("names: a context is listed twice")
        known = set(self.names)
        for word, ctxs in self.words.items():
            bad = [c for c in ctxs if c not in known]
            if bad:
                raise ValueError(f"words.{word}: unknown context(s) {bad} (not in names)")
        return self


ModeCuesFile = dict[TypeName, dict[Word, Word]]


class RulesFile(Strict):
    light_verbs: list[Word]
    stative_passives: list[Word]
    type_recipient_preps: dict[TypeName, list[Word]]
    reporting_verbs: list[Word]
    obligation_aux: list[Word]
    object_control: list[Word]
    recipient_preps: list[Word]
    actor_preps: list[Word]
    future_aux: list[Word]
    promise_verbs: list[Word]
    negators: list[Word]
    cooperative_types: list[TypeName]
    threat_types: dict[TypeName, Word]  # a material-conflict type → its THREATEN mode when threatened
    concession_types: list[TypeName]  # a type that is a CONCEDE when announced ("will withdraw")
    announcing_verbs: list[Word]  # "promised to withdraw": an announcement of what it completes
    promising_object_verbs: list[Word]  # "vowed new attacks": the object noun is what is promised
    peacekeeping_words: list[Word]
    force_verbs: list[Word]
    suspicion_verbs: list[Word] = Field(default_factory=list)
    link_verbs: list[Word] = Field(default_factory=list)
    compound_heads: list[Word] = Field(default_factory=list)
    receiving_verbs: list[Word]
    patient_nouns: list[Word]
    locative_preps: list[Word]
    locative_recipient_verbs: list[Word]
    people_object_verbs: list[Word]
    failure_verbs: list[Word]
    victim_nouns: list[Word]
    declaring_verbs: list[Word]
    statement_root: str = ""
    statement_kept: list[str] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry: a trigger lemma plus the words that must accompany it."""

    key: str
    lemma: str
    extra: tuple[str, ...]
    pos: str  # "verb" | "noun"
    type: str
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    strength: float = 0.8
    role: str | None = None
    needs_arg: bool = False
    needs_content: bool = False
    light_only: bool = False
    ignore: bool = False  # a phrase that is no event ("defend against": not SUPPORT)
    neg_type: str | None = None  # type when negated and future ("will not allow" → THREATEN)
    said_type: str | None = None  # type when it reports a clause ("a rights group protested that …")
    subjects: frozenset[str] = frozenset()  # an event only with one of these subjects ("protesters gathered")
    source: str = "lexicon"  # lexicon | cameo (PETRARCH-2's verb dictionary, or a noun derived from it) | training


@dataclass(slots=True)
class Rules:
    light_verbs: frozenset[str]
    stative_passives: frozenset[str]
    type_recipient_preps: dict[str, tuple[str, ...]]
    reporting_verbs: frozenset[str]
    obligation_aux: frozenset[str]
    object_control: frozenset[str]
    recipient_preps: tuple[str, ...]
    actor_preps: frozenset[str]
    future_aux: frozenset[str]
    promise_verbs: frozenset[str]
    negators: frozenset[str]
    cooperative_types: frozenset[str]
    threat_types: dict[str, str]
    concession_types: frozenset[str]
    announcing_verbs: frozenset[str]
    promising_object_verbs: frozenset[str]
    peacekeeping_words: frozenset[str]
    force_verbs: frozenset[str]
    suspicion_verbs: frozenset[str] = frozenset()  # "speculated that …", "suspect that …"
    link_verbs: frozenset[str] = frozenset()  # "… may be related to Russia", "linked to", "behind"
    compound_heads: frozenset[str] = frozenset()  # "a sanctions package": the trigger lends the head its role
    receiving_verbs: frozenset[str] = frozenset()  # "X received aid from Y": Y gives, X receives
    patient_nouns: frozenset[str] = frozenset()  # "Laden's extradition": the possessor undergoes it
    locative_preps: frozenset[str] = frozenset()  # "rallied in Cuba": a place, not a recipient
    locative_recipient_verbs: frozenset[str] = frozenset()  # "intervened in Syria": Syria is the recipient
    people_object_verbs: frozenset[str] = frozenset()  # "met the minister" is a meeting, "met the deadline" none
    failure_verbs: frozenset[str] = frozenset()  # "failed to agree" is a REJECT, "failed to capture" no event
    victim_nouns: frozenset[str] = frozenset()  # "the victims of the bombing": whom the event hit
    declaring_verbs: frozenset[str] = frozenset()  # "declared a ceasefire": a CONCEDE, not yet a RETREAT
    statement_root: str = ""  # CAMEO's public-statement root: "declined comment" is no REJECT
    statement_kept: tuple[str, ...] = ()  # its codes that stay events (016: a denial)


@dataclass(slots=True)
class Lexicon:
    verbs: dict[str, list[Entry]]  # by the verb's lemma, longest phrase first
    nouns: dict[str, list[Entry]]  # by each word of the phrase, longest phrase first
    types: dict[str, PloverType]  # the ontology's types (lexicon.ontology), not a copy
    contexts: dict[str, tuple[str, ...]]
    mode_cues: dict[str, dict[str, str]]
    rules: Rules
    cameo_roots: dict[str, tuple[str, ...]]  # PLOVER type → CAMEO roots ("18", "19", "20")
    context_names: tuple[str, ...] = ()  # the PLOVER context list (contexts.yaml ``names``)
    trigger_lemmas: frozenset[str] = frozenset()

    def type_info(self, event_type: str) -> PloverType:
        return self.types[event_type]

    def score(self, event_type: str, mode: str | None) -> float:
        info = self.types[event_type]
        if mode and mode in info.modes:
            return float(info.modes[mode])
        return float(info.score)


def _origin(source: str) -> str:
    """What the event model reads of an entry's source: cameo, training, or lexicon (hand-made)."""
    kind = source.split(":")[0]
    return "cameo" if kind.startswith("cameo") else "training" if kind == "training" else "lexicon"


def _entries(path: str, pos: str, types: dict[str, PloverType], contexts: frozenset[str]) -> list[Entry]:
    out: list[Entry] = []
    for key, spec in load_yaml(path, TriggerFile).items():
        words = key.split()
        etype = spec.type or "SUPPORT"  # an ignored phrase without a type
        where = f"data/{path}: {key}"
        if spec.mode is not None and spec.mode not in types[etype].modes:
            raise DataError(f"{where}.mode: {spec.mode!r} is not a mode of {etype}")
        bad = [c for c in spec.contexts if c not in contexts]
        if bad:
            raise DataError(f"{where}.contexts: unknown context(s) {bad} (see contexts.yaml names)")
        out.append(
            Entry(
                key=" ".join(words),
                lemma=words[0],
                extra=tuple(words[1:]),
                pos=pos,
                type=etype,
                mode=spec.mode,
                contexts=tuple(spec.contexts),
                strength=float(spec.strength),
                role=spec.role,
                needs_arg=spec.needs_arg,
                needs_content=spec.needs_content,
                light_only=spec.light_only,
                ignore=spec.ignore,
                neg_type=spec.neg_type,
                said_type=spec.said_type,
                subjects=frozenset(spec.subjects),
                source=_origin(spec.source),
            )
        )
    return out


def _rules(types: dict[str, PloverType]) -> Rules:
    rr = load_yaml("events/rules.yaml", RulesFile)
    threat_modes = types["THREATEN"].modes
    for etype, mode in rr.threat_types.items():
        if mode not in threat_modes:
            raise DataError(f"data/events/rules.yaml: threat_types.{etype}: {mode!r} is not a THREATEN mode")
    return Rules(
        light_verbs=frozenset(rr.light_verbs),
        stative_passives=frozenset(rr.stative_passives),
        type_recipient_preps={k: tuple(v) for k, v in rr.type_recipient_preps.items()},
        reporting_verbs=frozenset(rr.reporting_verbs),
        obligation_aux=frozenset(rr.obligation_aux),
        object_control=frozenset(rr.object_control),
        recipient_preps=tuple(rr.recipient_preps),
        actor_preps=frozenset(rr.actor_preps),
        future_aux=frozenset(rr.future_aux),
        promise_verbs=frozenset(rr.promise_verbs),
        negators=frozenset(rr.negators),
        cooperative_types=frozenset(rr.cooperative_types),
        threat_types=dict(rr.threat_types),
        concession_types=frozenset(rr.concession_types),
        announcing_verbs=frozenset(rr.announcing_verbs),
        promising_object_verbs=frozenset(rr.promising_object_verbs),
        peacekeeping_words=frozenset(rr.peacekeeping_words),
        force_verbs=frozenset(rr.force_verbs),
        suspicion_verbs=frozenset(rr.suspicion_verbs),
        link_verbs=frozenset(rr.link_verbs),
        compound_heads=frozenset(rr.compound_heads),
        receiving_verbs=frozenset(rr.receiving_verbs),
        patient_nouns=frozenset(rr.patient_nouns),
        locative_preps=frozenset(rr.locative_preps),
        locative_recipient_verbs=frozenset(rr.locative_recipient_verbs),
        people_object_verbs=frozenset(rr.people_object_verbs),
        failure_verbs=frozenset(rr.failure_verbs),
        victim_nouns=frozenset(rr.victim_nouns),
        declaring_verbs=frozenset(rr.declaring_verbs),
        statement_root=rr.statement_root,
        statement_kept=tuple(rr.statement_kept),
    )


@compiled
def lexicon() -> Lexicon:
    """The event lexicon, loaded and checked once per process."""
    types = plover_types()
    ctx = load_yaml("events/contexts.yaml", ContextsFile)
    names = frozenset(ctx.names)
    verbs: dict[str, list[Entry]] = {}
    for e in _entries("events/verbs.yaml", "verb", types, names):
        verbs.setdefault(e.lemma, []).append(e)
    nouns: dict[str, list[Entry]] = {}
    derived = _entries("events/nouns_derived.yaml", "noun", types, names)
    for e in [*_entries("events/nouns.yaml", "noun", types, names), *derived]:
        for word in {e.lemma, *e.extra}:
            nouns.setdefault(word, []).append(e)
    for table in (verbs, nouns):
        for lst in table.values():
            lst.sort(key=lambda e: -len(e.extra))
    mode_cues = load_yaml("events/mode_cues.yaml", ModeCuesFile)
    for etype, cues in mode_cues.items():
        bad = sorted({m for m in cues.values() if m not in types[etype].modes})
        if bad:
            raise DataError(f"data/events/mode_cues.yaml: {etype}: {bad} not mode(s) of {etype}")
    lex = Lexicon(
        verbs=verbs,
        nouns=nouns,
        types=types,
        contexts={w: tuple(cs) for w, cs in ctx.words.items()},
        mode_cues={k: dict(v) for k, v in mode_cues.items()},
        rules=_rules(types),
        cameo_roots=cameo_roots(),
        context_names=tuple(ctx.names),
    )
    lex.trigger_lemmas = frozenset(verbs) | frozenset(nouns)
    return lex
