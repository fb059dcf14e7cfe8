"""Event triggers and their arguments: lexicon (data/events) → PLOVER type, mode, contexts, quad, score.

The lexicon is data: ``verbs.yaml`` and ``nouns.yaml`` (lemma-keyed triggers, with particles, prepositions
or objects where a phrase decides: "call for", "open fire", "hunger strike"), ``types.yaml`` (quad class,
scores, mode scores), ``mode_cues.yaml``, ``contexts.yaml``, ``rules.yaml`` (light verbs, reporting
verbs, control verbs, recipient prepositions) and ``cameo.yaml`` (CAMEO root crosswalk).

This module matches triggers and finds (and codes, with ActorCoder) the syntactic heads of their arguments;
:mod:`brinkwatch.coder.extract` turns them into :class:`~brinkwatch.core.records.Event` records.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, TypeVar

from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc, Token

from brinkwatch.coder import actors
from brinkwatch.coder.syntax import DocIndex, token_table
from brinkwatch.core.records import Party
from brinkwatch.lexicon.gazetteer import load_yaml
from brinkwatch.lexicon.ontology import PLOVER_TYPES

log = logging.getLogger("brinkwatch.coder.extract")
T = TypeVar("T")

ROLES = ("claim", "absorb", "enabler")
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
SELF_PRONOUNS = frozenset(
    {"it", "they", "we", "us", "them", "i", "me", "he", "him", "she", "her", "itself", "themselves", "ourselves"}
)
SUBJ_DEPS = frozenset({"nsubj", "csubj", "nsubjpass"})
VERB_POS = frozenset({"VERB", "AUX", "ADJ"})
NOUN_POS = frozenset({"NOUN", "PROPN"})
NOT_COMPANIONS = frozenset({"conj", "cc", "punct", "appos", "nsubj", "nsubjpass", "advcl", "ccomp", "xcomp"})
OTHER_CLAUSES = frozenset({"conj", "cc", "advcl", "ccomp", "xcomp", "parataxis", "relcl", "punct"})
NAME_LABELS = frozenset({"ORG", "GPE", "PERSON", "NORP", "LOC", "FAC", "WORK_OF_ART", "LAW"})


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


@dataclass(frozen=True, slots=True)
class TypeInfo:
    quad: int
    score: float
    modes: dict[str, float] = field(default_factory=dict)


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
    peacekeeping_words: frozenset[str]
    force_verbs: frozenset[str]
    suspicion_verbs: frozenset[str] = frozenset()  # "speculated that …", "suspect that …"
    link_verbs: frozenset[str] = frozenset()  # "… may be related to Russia", "linked to", "behind"
    compound_heads: frozenset[str] = frozenset()  # "a sanctions package": the trigger lends the head its role


@dataclass(slots=True)
class Lexicon:
    verbs: dict[str, list[Entry]]  # by the verb's lemma, longest phrase first
    nouns: dict[str, list[Entry]]  # by each word of the phrase, longest phrase first
    types: dict[str, TypeInfo]
    contexts: dict[str, tuple[str, ...]]
    mode_cues: dict[str, dict[str, str]]
    rules: Rules
    cameo_roots: dict[str, tuple[str, ...]]  # PLOVER type → CAMEO roots ("18", "19", "20")
    trigger_lemmas: frozenset[str] = frozenset()

    def type_info(self, event_type: str) -> TypeInfo:
        return self.types[event_type]

    def score(self, event_type: str, mode: str | None) -> float:
        info = self.types[event_type]
        if mode and mode in info.modes:
            return float(info.modes[mode])
        return float(info.score)


def _read_yaml(name: str) -> Any:
    text = resources.files("brinkwatch").joinpath("data", "events", name).read_text(encoding="utf-8")
    return load_yaml(text)


def _entries(raw: dict[str, Any], pos: str) -> list[Entry]:
    out: list[Entry] = []
    for key, spec in raw.items():
        words = str(key).lower().split()
        if not words or not isinstance(spec, dict):
            raise ValueError(f"bad {pos} trigger entry: {key!r}")
        etype = spec.get("type")
        if spec.get("ignore"):
            etype = etype or "SUPPORT"
        if etype not in PLOVER_TYPES:
            raise ValueError(f"{pos} trigger {key!r}: unknown PLOVER type {etype!r}")
        role = spec.get("role")
        if role is not None and role not in ROLES:
            raise ValueError(f"{pos} trigger {key!r}: unknown role {role!r}")
        for extra_type in ("neg_type", "said_type"):
            if spec.get(extra_type) is not None and spec[extra_type] not in PLOVER_TYPES:
                raise ValueError(f"{pos} trigger {key!r}: unknown {extra_type} {spec[extra_type]!r}")
        strength = float(spec.get("strength", 0.8))
        if not 0.0 < strength <= 1.0:
            raise ValueError(f"{pos} trigger {key!r}: strength out of (0, 1]")
        out.append(
            Entry(
                key=" ".join(words),
                lemma=words[0],
                extra=tuple(words[1:]),
                pos=pos,
                type=etype,
                mode=spec.get("mode"),
                contexts=tuple(spec.get("contexts") or ()),
                strength=strength,
                role=role,
                needs_arg=bool(spec.get("needs_arg", False)),
                needs_content=bool(spec.get("needs_content", False)),
                light_only=bool(spec.get("light_only", False)),
                ignore=bool(spec.get("ignore", False)),
                neg_type=spec.get("neg_type"),
                said_type=spec.get("said_type"),
                subjects=frozenset(str(w).lower() for w in spec.get("subjects") or ()),
                source=str(spec.get("source", "lexicon")).split(":")[0],
            )
        )
    return out


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The event lexicon, loaded once per process from ``brinkwatch/data/events``."""
    types_raw = _read_yaml("types.yaml")
    types = {
        name: TypeInfo(
            quad=int(spec["quad"]),
            score=float(spec["score"]),
            modes={str(k): float(v) for k, v in (spec.get("modes") or {}).items()},
        )
        for name, spec in types_raw.items()
    }
    if set(types) != set(PLOVER_TYPES):
        raise ValueError("types.yaml must list exactly the 16 PLOVER types")
    verbs: dict[str, list[Entry]] = {}
    for e in _entries(_read_yaml("verbs.yaml"), "verb"):
        verbs.setdefault(e.lemma, []).append(e)
    nouns: dict[str, list[Entry]] = {}
    for e in [*_entries(_read_yaml("nouns.yaml"), "noun"), *_entries(_read_yaml("nouns_derived.yaml"), "noun")]:
        for word in {e.lemma, *e.extra}:
            nouns.setdefault(word, []).append(e)
    for table in (verbs, nouns):
        for lst in table.values():
            lst.sort(key=lambda e: -len(e.extra))
    rr = _read_yaml("rules.yaml")
    for k, v in rr.items():
        if isinstance(v, list) and any(not isinstance(w, str) for w in v):
            raise ValueError(f"rules.yaml {k}: every word must be a string (quote on/off/no/yes)")
    rules = Rules(
        light_verbs=frozenset(rr["light_verbs"]),
        stative_passives=frozenset(rr["stative_passives"]),
        type_recipient_preps={str(k): tuple(v) for k, v in rr["type_recipient_preps"].items()},
        reporting_verbs=frozenset(rr["reporting_verbs"]),
        obligation_aux=frozenset(rr["obligation_aux"]),
        object_control=frozenset(rr["object_control"]),
        recipient_preps=tuple(rr["recipient_preps"]),
        actor_preps=frozenset(rr["actor_preps"]),
        future_aux=frozenset(rr["future_aux"]),
        promise_verbs=frozenset(rr["promise_verbs"]),
        negators=frozenset(rr["negators"]),
        cooperative_types=frozenset(rr["cooperative_types"]),
        threat_types=dict(rr["threat_types"]),
        peacekeeping_words=frozenset(rr["peacekeeping_words"]),
        force_verbs=frozenset(rr["force_verbs"]),
        suspicion_verbs=frozenset(rr.get("suspicion_verbs") or ()),
        link_verbs=frozenset(rr.get("link_verbs") or ()),
        compound_heads=frozenset(rr.get("compound_heads") or ()),
    )
    contexts = {str(k).lower(): tuple(v) for k, v in _read_yaml("contexts.yaml").items()}
    mode_cues = {str(k): {str(w): str(m) for w, m in v.items()} for k, v in _read_yaml("mode_cues.yaml").items()}
    cameo = {str(k): tuple(str(r) for r in v) for k, v in _read_yaml("cameo.yaml")["plover_to_cameo"].items()}
    lex = Lexicon(
        verbs=verbs,
        nouns=nouns,
        types=types,
        contexts=contexts,
        mode_cues=mode_cues,
        rules=rules,
        cameo_roots=cameo,
    )
    lex.trigger_lemmas = frozenset(verbs) | frozenset(nouns)
    return lex


# ---------------------------------------------------------------- matching


def companions(tok: Token) -> set[str]:
    """Lemmas of the words that may complete a phrase trigger headed by ``tok``."""
    out: set[str] = set()
    for c in tok.children:
        if c.dep_ in NOT_COMPANIONS:
            continue
        out.add(c.lemma_.lower())
        if c.dep_ in ("prep", "agent", "dobj", "prt"):
            for gc in c.children:
                if gc.dep_ in ("pobj", "compound", "amod"):
                    out.add(gc.lemma_.lower())
                    out.add(gc.lower_)
    return out


def match(tok: Token, lex: Lexicon | None = None) -> Entry | None:
    """The lexicon entry ``tok`` triggers, or None (longest phrase first)."""
    lex = lex or lexicon()
    lemma = tok.lemma_.lower()
    if lemma not in lex.trigger_lemmas:
        lower = tok.lower_
        if lower not in lex.trigger_lemmas:
            return None
        lemma = lower
    pos = tok.pos_
    if pos in VERB_POS:
        table = lex.verbs.get(lemma)
        if pos == "ADJ" and tok.dep_ not in ("acomp", "ROOT", "conj"):
            return None
    elif pos in NOUN_POS:
        if tok.ent_type_ in NAME_LABELS or (tok.dep_ == "compound" and tok.head.pos_ == "PROPN"):
            return None  # part of a name ("the Ceasefire Violations Committee")
        table = lex.nouns.get(lemma)
    else:
        return None
    if not table:
        return None
    comp: set[str] | None = None
    for e in table:
        if e.subjects and not any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in e.subjects for c in subject_sources(tok)
        ):
            continue
        words = (e.lemma, *e.extra)
        if len(words) == 1:
            return e
        if comp is None:
            comp = companions(tok)
        if all(w == lemma or w in comp for w in words) and lemma in words:
            return e
    return None


# ---------------------------------------------------------------- syntax helpers


def subject_sources(tok: Token) -> list[Token]:
    """The children of a verb and, for a conjoined verb without its own subject, of the verb it joins."""
    kids = list(tok.children)
    if tok.dep_ == "conj" and not any(c.dep_ in SUBJ_DEPS for c in kids):
        kids.extend(tok.head.children)
    return kids


def children_by_dep(tok: Token, deps: frozenset[str] | set[str] | tuple[str, ...]) -> list[Token]:
    table = token_table(tok.doc)  # labels from the document's table: only the matching children are built
    doc, dep = tok.doc, table.dep
    return [doc[k] for k in table.kids[tok.i] if dep[k] in deps]


def with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *tok.conjuncts] if tok.conjuncts else [tok]


def pobjs(tok: Token, preps: tuple[str, ...] | frozenset[str]) -> list[Token]:
    """Objects of ``tok``'s prepositions whose lemma is in ``preps`` (ordered as ``preps``)."""
    table = token_table(tok.doc)
    kids, dep, lower = table.kids, table.dep, table.lower
    found: list[tuple[int, int]] = []
    for c in kids[tok.i]:
        if dep[c] in ("prep", "agent", "dative") and lower[c] in preps:
            rank = preps.index(lower[c]) if isinstance(preps, tuple) else 0
            for gc in kids[c]:
                if dep[gc] in ("pobj", "pcomp"):
                    found.append((rank, gc))
    found.sort()
    doc = tok.doc
    return [doc[i] for _, i in found]


def is_passive(verb: Token) -> bool:
    """A passive clause (not a stative one: "Israel is opposed to …" has Israel as its actor)."""
    table = token_table(verb.doc)
    if table.lemma[verb.i] in lexicon().rules.stative_passives:
        return False
    dep = table.dep
    return any(dep[k] in ("nsubjpass", "auxpass", "agent") for k in table.kids[verb.i])


def clause_head(tok: Token) -> Token:
    """For a predicative adjective (is willing, is opposed), the copula; else the token."""
    if tok.dep_ == "acomp" and tok.pos_ in ("ADJ", "VERB"):
        return tok.head
    return tok


def negated(anchor: Token, lex: Lexicon) -> bool:
    heads = {anchor, clause_head(anchor)}
    for h in heads:
        for c in h.children:
            if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in lex.rules.negators):
                return True
    return False


def future(anchor: Token, lex: Lexicon) -> bool:
    """Will/would/shall, "going to", or the complement of a promise verb (pledged to, offered to)."""
    h = clause_head(anchor)
    for c in h.children:
        if c.dep_ == "aux" and c.lower_ in lex.rules.future_aux:
            return True
    if h.dep_ in ("xcomp", "ccomp") and h.head.i != h.i:
        head = h.head
        if head.lemma_.lower() in lex.rules.promise_verbs or head.lower_ in ("willing", "ready", "prepared"):
            return True
        if head.lemma_.lower() == "go" and head.tag_ == "VBG":
            return True
    return False


def depth(tok: Token) -> int:
    heads = token_table(tok.doc).heads
    i, d = tok.i, 0
    while heads[i] != i and d < 60:
        i = heads[i]
        d += 1
    return d


def context_lemmas(tok: Token) -> list[str]:
    """Lemmas of the trigger, its dependents and theirs (bounded: two levels)."""
    table = token_table(tok.doc)
    kids, dep, lemma = table.kids, table.dep, table.lemma
    out = [lemma[tok.i]]
    for c in kids[tok.i]:
        if dep[c] in OTHER_CLAUSES:
            continue
        out.append(lemma[c])
        for gc in kids[c]:
            out.append(lemma[gc])
            if dep[gc] == "pobj":
                out.extend(lemma[g] for g in kids[gc] if dep[g] in ("amod", "compound"))
    return out


def contexts_for(entry: Entry, lemmas: list[str], lex: Lexicon) -> list[str]:
    seen: list[str] = list(entry.contexts)
    for w in lemmas:
        for ctx in lex.contexts.get(w, ()):
            if ctx not in seen:
                seen.append(ctx)
    return seen


def mode_for(event_type: str, entry: Entry, lemmas: list[str], lex: Lexicon) -> str | None:
    if entry.mode and entry.type == event_type:
        return entry.mode
    cues = lex.mode_cues.get(event_type)
    if not cues:
        return None
    present = set(lemmas)
    for word, mode in cues.items():
        if word in present:
            return mode
    return None


def has_argument(tok: Token) -> bool:
    """An object, a prepositional object, a particle or a possessor (needs_arg triggers)."""
    for c in tok.children:
        if c.dep_ in ("dobj", "dative", "prt", "poss", "nsubjpass", "attr"):
            return True
        if c.dep_ in ("prep", "agent") and any(gc.dep_ in ("pobj", "pcomp") for gc in c.children):
            return True
    return False


def doc_index(doc: Doc, lex: Lexicon) -> DocIndex:
    """The document's :class:`~brinkwatch.coder.syntax.DocIndex` for this lexicon's trigger words."""
    return DocIndex.of(doc, _trigger_set(lex))


@functools.lru_cache(maxsize=1)
def _trigger_hashes(words: frozenset[str]) -> frozenset[int]:
    return frozenset(hash_string(w) for w in words)


_trigger_sets: tuple[Any, frozenset[int]] = (None, frozenset())  # (lexicon, trigger_hashes) in use


def _trigger_set(lex: Lexicon) -> frozenset[int]:
    """``trigger_hashes`` kept for the lexicon in use (no set union per document)."""
    global _trigger_sets
    last = _trigger_sets
    if last[0] is lex:
        return last[1]
    words = trigger_hashes(lex)
    _trigger_sets = (lex, words)
    return words


def trigger_hashes(lex: Lexicon) -> frozenset[int]:
    """Hashes of every word that can start an event: trigger lemmas and reporting verbs."""
    return _trigger_hashes(lex.trigger_lemmas | lex.rules.reporting_verbs | lex.rules.suspicion_verbs)


# ---------------------------------------------------------------- arguments


def guard(what: str, fn: Callable[[], T], default: T) -> T:
    """Run another stage's function; a failure there costs that field, never the article."""
    try:
        return fn()
    except Exception as exc:  # pragma: no cover - depends on other stages' bugs
        log.warning("extract: %s failed: %s: %s", what, type(exc).__name__, exc)
        return default


CONTENT_DEPS = frozenset({"ccomp", "xcomp"})
CLIMB_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "pcomp", "acl", "relcl", "prep", "pobj"})
GIVING_TYPES = frozenset({"AID", "AGREE"})
DESCENT_PREPS = ("of", "by", "from", "against", "on", "to", "with", "between", "for", "in")
ENTITY_LABELS = frozenset({"NORP", "GPE", "ORG", "LOC", "FAC", "PERSON"})
NOUN_PREPS = (
    "against",
    "on",
    "upon",
    "to",
    "toward",
    "towards",
    "at",
    "into",
    "of",
    "with",
    "between",
    "for",
    "over",
    "in",
)


class Arguments:
    """Finds and codes actor and recipient heads of triggers within one document."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.lex = lex
        self.coder = guard("ActorCoder", lambda: actors.ActorCoder(doc), None)
        self._cache: dict[int, list[Party]] = {}

    def parties(self, head: Token) -> list[Party]:
        if self.coder is None:
            return []
        got = self._cache.get(head.i)
        if got is None:
            coder = self.coder
            no_parties: list[Party] = []
            got = list(guard("ActorCoder.parties", lambda: coder.parties(head), no_parties))
            self._cache[head.i] = got
        return got

    def first_coded(self, heads: list[Token], skip: frozenset[str] = frozenset()) -> tuple[list[Party], Token | None]:
        """The parties of the first head that codes to any, looking inside a head that does not
        ("an Indian proposal", "calls by Belarus's rulers", "restrictions against German goods").
        ``skip``: the actor's countries — a recipient written "its troops" is the actor's own."""
        fallback: tuple[list[Party], Token | None] = ([], None)
        for h in heads:
            own = bool(skip) and pronominal(h)
            ps = self._descend(h, inside_only=own)
            if own and (not ps or all(p.country in skip for p in ps)):
                ps = self.antecedent(h, skip)  # "accused Russian aircraft of entering its airspace"
            if ps and own and all(p.country in skip for p in ps):
                continue
            if ps and skip and h.pos_ != "PROPN" and all(p.country in skip for p in ps):
                # "withdraw (UN) inspectors from Iraq": prefer a recipient other than the actor itself
                if fallback[1] is None:
                    fallback = (ps, h)
                continue
            if ps:
                return ps, h
        return fallback

    def antecedent(self, h: Token, skip: frozenset[str]) -> list[Party]:
        """The owner of "its"/"their" on a recipient noun: the subject of a governing clause that is not the
        actor ("Estonia said Russian jets violated its airspace" → Estonia)."""
        if not any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in h.children):
            return []
        inside = {t.i for t in h.subtree}
        t = h
        for _ in range(12):
            if t.head.i == t.i:
                break
            t = t.head
            if t.pos_ not in ("VERB", "AUX"):
                continue
            for s in children_by_dep(t, SUBJ_DEPS):
                if s.i in inside or s.pos_ == "PRON":
                    continue
                ps = [p for p in self._descend(s) if p.country not in skip and p.country != "UNK"]
                if ps:
                    return ps
        return []

    def _descend(self, head: Token, inside_only: bool = False) -> list[Party]:
        """Breadth-first into modifiers, prepositional objects and possessors (``inside_only``: not the
        head itself nor its pronoun possessor — "his commitment to the Zambian people")."""
        doc = head.doc
        table = token_table(doc)
        kids, dep, pos = table.kids, table.dep, table.pos
        queue: list[tuple[int, int]] = [(head.i, 0)]
        seen = 0
        while queue and seen < 12:
            i, d = queue.pop(0)
            seen += 1
            tok = doc[i]
            ps = [] if (inside_only and d == 0) else self.parties(tok)
            if ps:
                return ps
            if d >= 3 or pos[i] not in ("NOUN", "PROPN", "NUM", "PRON", "ADJ"):
                continue
            poss = [] if (inside_only and d == 0) else [c for c in kids[i] if dep[c] == "poss"]
            subs = [c for c in kids[i] if dep[c] in ("amod", "compound") and doc[c].ent_type_ in ENTITY_LABELS]
            subs += [c for c in poss if pos[c] != "PRON"]
            subs += [t.i for t in pobjs(tok, DESCENT_PREPS)]
            subs += [c for c in poss if pos[c] == "PRON"]
            for acl in kids[i]:
                if dep[acl] == "acl":
                    subs.extend(t.i for t in pobjs(doc[acl], ("in", "on", "against", "by")))
            for clause in kids[i]:
                if dep[clause] in ("acl", "ccomp"):
                    subs.extend(c for c in kids[clause] if dep[c] == "nsubj")
            queue.extend((x, d + 1) for x in subs)
        return []

    # actor heads --------------------------------------------------------
    def verb_actor_heads(self, v: Token) -> list[Token]:
        heads: list[Token] = []
        h = clause_head(v)
        via_conj = False
        for _ in range(5):
            own = self._own_subjects(h, grammatical=via_conj)
            heads.extend(own)
            # "approve a plan that will not allow …": an antecedent that is no party passes to the approver
            uncoded_relative = h.dep_ == "relcl" and [t.i for t in own] == [h.head.i] and not self._descend(h.head)
            if own and not all(pronominal(s) for s in own) and not uncoded_relative:
                break
            if not via_conj and is_passive(h) and not own:
                # "were killed in Israeli tank shelling": the attack's modifier; else the actor is unknown
                heads.extend(
                    t
                    for t in pobjs(h, ("in", "during", "from"))
                    if any(c.dep_ in ("amod", "compound") and c.ent_type_ in ENTITY_LABELS for c in t.children)
                )
                break
            if h.dep_ in ("xcomp", "ccomp") and h.head.lemma_.lower() in self.lex.rules.object_control:
                heads.extend(children_by_dep(h.head, {"dobj"}))
            if h.dep_ == "pcomp" and h.head.dep_ == "prep":
                owner = h.head.head
                if owner.pos_ in ("NOUN", "PROPN"):  # "accused Russian aircraft of entering …"
                    heads.append(owner)
                else:
                    heads.extend(children_by_dep(owner, {"dobj"}))
            if h.dep_ in ("acl", "relcl") and h.head.pos_ in ("NOUN", "PROPN", "PRON"):
                patient = existential_patient(h)  # "there were 10 soldiers killed": the noun underwent it
                gerund_of_event = h.tag_ == "VBG" and match(h.head, self.lex) is not None  # "weapons …, lowering"
                if (not is_passive(h) or h.dep_ == "relcl") and not patient and not gerund_of_event:
                    heads.append(h.head)  # not an event noun ("weapons …, lowering the threshold"): no agent
                # "issued a declaration demanding …": the issuer
                noun = h.head
                if noun.dep_ in ("dobj", "pobj") and noun.head.pos_ in ("VERB", "ADP"):
                    h = noun.head if noun.head.pos_ == "VERB" else noun.head.head
                    h = clause_head(h)
                    via_conj = False
                    continue
                break
            if h.dep_ not in CLIMB_DEPS or h.head.i == h.i:
                break
            via_conj = h.dep_ in ("conj", "xcomp")  # shared subject / subject control, even of a passive
            h = h.head
            if h.dep_ == "prep":
                h = h.head
            h = clause_head(h)
        return heads

    def _own_subjects(self, h: Token, grammatical: bool = False) -> list[Token]:
        """Actor heads of a clause: the passive agent or the subject (``grammatical``: the subject
        even of a passive, as shared with a conjoined verb: "was indicted … and will resign")."""
        out: list[Token] = []
        passive = is_passive(h) and not grammatical
        if passive:
            out.extend(pobjs(h, ("by",)))
        table = token_table(h.doc)
        dep, lower = table.dep, table.lower
        for k in table.kids[h.i]:
            if dep[k] in SUBJ_DEPS and not (passive and dep[k] == "nsubjpass"):
                if lower[k] in RELATIVE_PRONOUNS and dep[h.i] == "relcl":
                    out.append(h.head)
                else:
                    out.append(h.doc[k])
        return out

    def noun_actor_heads(self, n: Token, governor: Token | None) -> list[Token]:
        heads = pobjs(n, ("by",)) + children_by_dep(n, {"poss"})
        if governor is not None:
            heads.extend(self.verb_actor_heads(governor))
        elif n.dep_ == "pobj":  # "threw stones during demonstrations", "is at war": the clause's subject
            t = n.head
            for _ in range(3):
                if t.pos_ in ("VERB", "AUX"):
                    heads.extend(self.verb_actor_heads(t))
                    break
                if t.head.i == t.i:
                    break
                t = t.head
        if any(c.dep_ in ("amod", "compound") and c.ent_type_ in ENTITY_LABELS for c in n.children):
            heads.insert(0, n)  # "the Russian invasion", "Israeli air raids"
        return heads

    # recipient heads ----------------------------------------------------
    def verb_recipient_heads(self, v: Token, entry: Entry) -> list[Token]:
        heads: list[Token] = []
        h = clause_head(v)
        if is_passive(h):
            heads.extend(children_by_dep(h, {"nsubjpass"}))
        if existential_patient(h):
            heads.append(h.head)
        force = entry.lemma in self.lex.rules.force_verbs  # "dispatched bombers": the object is the force
        objects = children_by_dep(h, {"dative"} if force else {"dobj", "dative"})
        preps = self.lex.rules.type_recipient_preps.get(entry.type, ()) + self.lex.rules.recipient_preps
        obliques = [t for t in pobjs(h, preps) if t.dep_ == "pobj"]
        if entry.type in GIVING_TYPES:  # "offered its troops to Lebanon": the recipient is the "to"
            heads.extend(obliques + objects)
        else:
            heads.extend(objects + obliques)
        content_is_recipient = entry.role == "absorb" or (entry.role == "claim" and entry.type == "ACCUSE")
        if content_is_recipient or entry.key in self.lex.rules.object_control:
            comps = clauses(v)
            comps += [x for c in comps for x in clauses(c)]
            for c in comps:
                heads.extend(children_by_dep(c, {"nsubj", "nsubjpass"}))
                heads.extend(children_by_dep(c, {"dobj"}))
                heads.extend(t for t in pobjs(c, self.lex.rules.recipient_preps) if t.dep_ == "pobj")
        heads.extend(self.purpose_heads(h))
        return heads

    def purpose_heads(self, h: Token) -> list[Token]:
        """Objects of a purpose clause ("opened fire to disperse demonstrators"), a last resort."""
        out: list[Token] = []
        table = token_table(h.doc)
        kids, dep, lower = table.kids, table.dep, table.lower
        for k in kids[h.i]:
            if dep[k] in ("advcl", "xcomp") and any(dep[a] == "aux" and lower[a] == "to" for a in kids[k]):
                c = h.doc[k]
                out.extend(children_by_dep(c, {"dobj"}))
                out.extend(t for t in pobjs(c, self.lex.rules.recipient_preps) if t.dep_ == "pobj")
        return out

    def noun_recipient_heads(self, n: Token, governor: Token | None) -> list[Token]:
        heads = [t for t in pobjs(n, NOUN_PREPS) if t.dep_ == "pobj"]
        if n.dep_ == "compound" and n.head.lemma_.lower() in self.lex.rules.compound_heads:  # "a sanctions package"
            heads.extend(t for t in pobjs(n.head, NOUN_PREPS) if t.dep_ == "pobj")
        if governor is not None:
            heads.extend(children_by_dep(governor, {"dative"}))
            heads.extend(t for t in pobjs(governor, self.lex.rules.recipient_preps) if t.dep_ == "pobj" and t.i != n.i)
            for d in children_by_dep(governor, {"dobj"}):  # "heightening tensions on Russia's borders with …"
                if d.i != n.i:
                    heads.extend(
                        t for t in pobjs(d, ("on", "against", "along", "toward", "towards")) if t.dep_ == "pobj"
                    )
            heads.extend(self.purpose_heads(governor))
        return heads


def existential_patient(h: Token) -> bool:
    """ "There were 10 soldiers killed": the participle's noun is what underwent the event."""
    noun = h.head
    return (
        h.dep_ == "acl"
        and h.tag_ == "VBN"
        and noun.dep_ == "attr"
        and any(c.dep_ == "expl" for c in noun.head.children)
    )


def pronominal(tok: Token) -> bool:
    if tok.pos_ == "PRON":
        return True
    return any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children)


def clauses(v: Token) -> list[Token]:
    """Clausal complements (xcomp/ccomp) of a verb or predicative adjective and of its copula."""
    h = clause_head(v)
    seen = [c for c in v.children if c.dep_ in CONTENT_DEPS]
    if h.i != v.i:
        seen += [c for c in h.children if c.dep_ in CONTENT_DEPS]
    return seen
