"""PETRARCH-2's CAMEO verb patterns through PLOVER's crosswalk (``data/events/cameo_patterns.json``, derived by
``tools/convert_cameo.py``): loaded once and validated (an unknown key or a dangling reference is an error), and
indexed for :mod:`brinkwatch.coder.cameo`, which matches them on the dependency tree."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brinkwatch.core.errors import DataError
from brinkwatch.core.ontology import PLOVER_TYPES
from brinkwatch.lexicon import loader
from brinkwatch.lexicon.loader import compiled

DATA_NAME = "cameo_patterns.json"
SCHEMA = 1

TOP_KEYS = frozenset({"_about", "blocks", "codes", "skipped", "synsets", "synset_lines", "transformations", "verbs"})
ABOUT_KEYS = frozenset({"what", "licence", "sources", "lemmatizer", "schema", "counts", "nouns"})
BLOCK_KEYS = frozenset({"line", "code", "patterns"})
PATTERN_KEYS = frozenset({"line", "code", "rcode", "note", "pre", "post", "preps", "roles"})
PREP_KEYS = frozenset({"p", "o", "side"})
ROLE_KEYS = frozenset({"source", "target"})
CODE_KEYS = frozenset({"plover", "via", "xw", "mode", "contexts", "xw_mode", "xw_contexts", "why"})
VIAS = frozenset({"code", "parent", "root", "none"})
VERB_KEYS = frozenset({"block", "line", "stem", "default", "from", "prt", "front", "alias_of"})
SKIPPED_KEYS = frozenset({"line", "why"})
TRANSFORM_KEYS = frozenset(
    {"line", "upper_source", "upper_verb", "lower_source", "lower_target", "lower_verb", "result", "code"}
)

Forms = frozenset[str]
Term = tuple[Forms, tuple[Forms, ...]]  # head forms, modifiers (each: its accepted forms)
Slot = dict[str, list[tuple[Forms, ...]]]  # head form → the modifier lists of the terms with that head


@dataclass(frozen=True, slots=True)
class Sense:
    """A CAMEO code's PLOVER reading through the crosswalk (``via``: code / parent / root / none)."""

    code: str
    plover: str | None
    mode: str | None
    contexts: tuple[str, ...]
    via: str


@dataclass(frozen=True, slots=True)
class Prep:
    forms: Forms
    obj: Slot | None
    pre: bool


@dataclass(frozen=True, slots=True)
class Pattern:
    id: str  # "L<line>" of CAMEO.2.0.txt
    line: int
    block: str
    code: str | None
    rcode: str | None
    pre: tuple[Slot, ...]
    post: tuple[Slot, ...]
    preps: tuple[Prep, ...]
    roles: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class VerbEntry:
    lemma: str
    block: str
    line: int
    particles: tuple[str, ...]
    front: tuple[str, ...]
    default: tuple[str | None, str | None] | None  # (forward, reverse) codes of the bare verb, None: no event


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed sense of one verb token."""

    i: int  # the trigger token's index in the document
    lemma: str
    particle: str  # the phrasal particle(s) ("off", "in motion"), "" for a bare verb
    code: str  # CAMEO code
    plover: str | None  # PLOVER type (None: the code has no PLOVER target, only with ``with_unmapped``)
    mode: str | None
    contexts: tuple[str, ...]
    via: str  # how the crosswalk gave the type: code, parent, root, none
    direction: str  # forward: subject → object; reverse: the object's act toward the subject; mutual: both
    default: bool  # the verb's default sense (no pattern matched)
    pattern: str | None  # "L<line>" of the matched pattern, None for a default
    line: int  # CAMEO.2.0.txt line of the pattern or of the verb entry
    block: str
    slots: tuple[int, ...]  # indices of the tokens that matched the pattern's words (and particles)
    specificity: int  # words the pattern matched (0 for a default)
    roles: tuple[tuple[str, str], ...] = ()  # the pattern's $ / + hints: ("target", "to") = the object of "to"


@dataclass(slots=True)
class Model:
    verbs: dict[str, tuple[VerbEntry, ...]]
    blocks: dict[str, tuple[Pattern, ...]]
    senses: dict[str, Sense]
    about: dict[str, Any]


# ---------------------------------------------------------------- loading and validation


def _forms(word: str) -> Forms:
    return frozenset(w for w in word.split("|") if w)


def _check_keys(where: str, obj: Any, allowed: frozenset[str], required: Iterable[str] = ()) -> None:
    if not isinstance(obj, dict):
        raise DataError(f"{DATA_NAME}: {where}: expected an object")
    unknown = set(obj) - allowed
    if unknown:
        raise DataError(f"{DATA_NAME}: {where}: unknown keys {sorted(unknown)}")
    missing = [k for k in required if k not in obj]
    if missing:
        raise DataError(f"{DATA_NAME}: {where}: missing keys {missing}")


def _code_pair(raw: str, where: str, senses: dict[str, Sense]) -> tuple[str | None, str | None]:
    fwd, _, rev = raw.partition(":")
    pair = (fwd or None, rev or None)
    for c in pair:
        if c is not None and c not in senses:
            raise DataError(f"{DATA_NAME}: {where}: code {c} is not in the codes table")
    return pair


def _terms(raw: Any, where: str) -> list[Term]:
    if not isinstance(raw, list) or not raw or not all(isinstance(w, str) and w for w in raw):
        raise DataError(f"{DATA_NAME}: {where}: a term is a non-empty list of words")
    return [(_forms(raw[0]), tuple(_forms(w) for w in raw[1:]))]


def _slot(raw: Any, where: str, synsets: dict[str, list[Term]]) -> Slot:
    if not isinstance(raw, list) or not raw:
        raise DataError(f"{DATA_NAME}: {where}: a slot is a non-empty list of alternatives")
    slot: Slot = {}
    for alt in raw:
        if isinstance(alt, str):
            if alt not in synsets:
                raise DataError(f"{DATA_NAME}: {where}: unknown synset {alt}")
            terms = synsets[alt]
        else:
            terms = _terms(alt, where)
        for head, mods in terms:
            for form in head:
                slot.setdefault(form, []).append(mods)
    for mods_list in slot.values():
        mods_list.sort(key=len, reverse=True)  # the longest alternative first: most specific
    return slot


def load(path: str | Path | None = None) -> Model:
    """Read and validate the derived file (``path``: another copy, for tests)."""
    text = loader.read_text(f"events/{DATA_NAME}") if path is None else Path(path).read_text(encoding="utf-8")
    return build_model(json.loads(text))


@compiled
def model() -> Model:
    """The packaged model, loaded once per process."""
    return load()


def build_model(data: Any) -> Model:
    _check_keys("top level", data, TOP_KEYS, TOP_KEYS)
    about = data["_about"]
    _check_keys("_about", about, ABOUT_KEYS, ("licence", "sources", "schema"))
    if about["schema"] != SCHEMA:
        raise DataError(f"{DATA_NAME}: schema {about['schema']}, this module reads {SCHEMA}")
    senses: dict[str, Sense] = {}
    for code, spec in data["codes"].items():
        _check_keys(f"codes.{code}", spec, CODE_KEYS, ("plover", "via"))
        plover = spec["plover"]
        if plover is not None and plover not in PLOVER_TYPES:
            raise DataError(f"{DATA_NAME}: codes.{code}: unknown PLOVER type {plover!r}")
        if spec["via"] not in VIAS:
            raise DataError(f"{DATA_NAME}: codes.{code}: unknown via {spec['via']!r}")
        senses[code] = Sense(code, plover, spec.get("mode"), tuple(spec.get("contexts") or ()), spec["via"])
    synsets: dict[str, list[Term]] = {}
    for name, members in data["synsets"].items():
        if not name.startswith("&") or not isinstance(members, list):
            raise DataError(f"{DATA_NAME}: synsets.{name}: bad synset")
        synsets[name] = [t for m in members for t in _terms(m, f"synsets.{name}")]
    blocks: dict[str, tuple[Pattern, ...]] = {}
    for name, spec in data["blocks"].items():
        _check_keys(f"blocks.{name}", spec, BLOCK_KEYS, ("line", "patterns"))
        if "code" in spec:
            _code_pair(spec["code"], f"blocks.{name}", senses)
        pats: list[Pattern] = []
        for p in spec["patterns"]:
            where = f"blocks.{name} line {p.get('line')}"
            _check_keys(where, p, PATTERN_KEYS, ("line",))
            for key in ("code", "rcode"):
                if key in p and p[key] not in senses:
                    raise DataError(f"{DATA_NAME}: {where}: code {p[key]} is not in the codes table")
            preps: list[Prep] = []
            for q in p.get("preps", ()):
                _check_keys(where, q, PREP_KEYS, ("p",))
                if q.get("side", "pre") != "pre":
                    raise DataError(f"{DATA_NAME}: {where}: side must be 'pre' when given")
                obj = _slot(q["o"], where, synsets) if "o" in q else None
                preps.append(Prep(_forms(q["p"]), obj, "side" in q))
            roles = p.get("roles", {})
            _check_keys(where, roles, ROLE_KEYS)
            pats.append(
                Pattern(
                    id=f"L{p['line']}",
                    line=int(p["line"]),
                    block=name,
                    code=p.get("code"),
                    rcode=p.get("rcode"),
                    pre=tuple(_slot(s, where, synsets) for s in p.get("pre", ())),
                    post=tuple(_slot(s, where, synsets) for s in p.get("post", ())),
                    preps=tuple(preps),
                    roles=tuple(sorted(roles.items())),
                )
            )
        blocks[name] = tuple(pats)
    verbs: dict[str, tuple[VerbEntry, ...]] = {}
    for lemma, entries in data["verbs"].items():
        out: list[VerbEntry] = []
        for e in entries:
            where = f"verbs.{lemma}"
            _check_keys(where, e, VERB_KEYS, ("block", "line", "stem"))
            if e["block"] not in blocks:
                raise DataError(f"{DATA_NAME}: {where}: unknown block {e['block']}")
            default = _code_pair(e["default"], where, senses) if "default" in e else None
            out.append(
                VerbEntry(
                    lemma=lemma,
                    block=e["block"],
                    line=int(e["line"]),
                    particles=tuple(e.get("prt", ())),
                    front=tuple(e.get("front", ())),
                    default=default,
                )
            )
        verbs[lemma] = tuple(out)
    for s in data["skipped"]:
        _check_keys("skipped", s, SKIPPED_KEYS, SKIPPED_KEYS)
    for t in data["transformations"]:
        _check_keys("transformations", t, TRANSFORM_KEYS, ("line", "result"))
    return Model(verbs=verbs, blocks=blocks, senses=senses, about=about)


# ---------------------------------------------------------------- the verb's surroundings
