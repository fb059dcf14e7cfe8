"""Trigger matching and candidate finding: the tokens of a sentence whose lemma is in the event lexicon
(:mod:`brinkwatch.lexicon.events`) → :class:`Cand` candidates, one per trigger that may be an event.

* :func:`match` — the lexicon entry a token triggers (longest phrase first: "call for", "open fire");
* :func:`candidates` — a sentence's candidates: a noun governed by a light verb carries the event ("held
  talks"); a noun that is an argument of a verb trigger is part of that event; the content of a claim is its
  own candidate whose ``parent`` is the claim; "X speculated that … related to Y" and "X said Y attacked it"
  add synthetic ACCUSE / REQUEST candidates (:func:`_suspicions`, :func:`_reported`);
* :func:`mode_for_cand`, :func:`contexts_for` — the PLOVER mode and contexts from the trigger's words;
* :func:`doc_index` — which tokens of a document may start an event (hashes, no token objects built).

The candidates' parties are found and coded by :mod:`brinkwatch.coder.arguments`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc, Span, Token

from brinkwatch.coder import cameo
from brinkwatch.coder.modality import Modality
from brinkwatch.coder.syntax import (
    CONTENT_DEPS,
    SUBJ_DEPS,
    DocIndex,
    children_by_dep,
    clause_head,
    has_argument,
    in_order,
    misread_verb,
    pobjs,
    purpose_of,
    subject_sources,
    token_table,
    with_conjuncts,
)
from brinkwatch.core.records import Party
from brinkwatch.lexicon.cameo import Candidate as CameoSense
from brinkwatch.lexicon.events import Entry, Lexicon, lexicon

VERB_POS = frozenset({"VERB", "AUX", "ADJ"})
NOUN_POS = frozenset({"NOUN", "PROPN"})
NOT_COMPANIONS = frozenset({"conj", "cc", "punct", "appos", "nsubj", "nsubjpass", "advcl", "ccomp", "xcomp"})
NAME_LABELS = frozenset({"ORG", "GPE", "PERSON", "NORP", "LOC", "FAC", "WORK_OF_ART", "LAW"})
ARG_DEPS = frozenset({"dobj", "dative", "attr", "oprd", "nsubjpass"})
CLAUSE_BOUNDARY = frozenset({"relcl", "advcl", "parataxis"})


@dataclass(slots=True)
class Cand:
    """A trigger on its way to becoming an Event."""

    tok: Token
    entry: Entry
    event_type: str
    status_tok: Token  # the token whose status modality.assess decides
    governor: Token | None = None  # verb lending its subject to a noun trigger
    light: bool = False
    first: int = 0  # token span of the trigger text
    last: int = 0
    parent: Cand | None = None
    synthetic: bool = False
    content: Token | None = None  # the reported clause of a synthetic ACCUSE / REQUEST
    actors: list[Party] = field(default_factory=list)
    recipients: list[Party] = field(default_factory=list)
    recipient_heads: list[Token] = field(default_factory=list)
    own_party: bool = False  # a noun trigger's own arguments (by, possessor, modifiers, objects) code a party
    linked: Token | None = None  # the party a suspicion ties its content to ("… related to Russia")
    senses: tuple[CameoSense, ...] = ()  # the CAMEO dictionary's readings of the trigger token
    soft: str | None = None  # a rule that would drop it without the learned model ("bare noun", …)
    absorbed: bool = False  # the rules count it as part of another candidate's event
    p_event: float | None = None  # the learned model's event probability
    reported_by: Token | None = None  # the report or suspicion it is the content of, when that is no event
    modality: Modality | None = None  # its status, once assessed
    spoken: bool = False  # PLOVER's conversion made it the speech act (future cooperation → AGREE, …)
    learned: float | None = None  # the learned factuality of its trigger


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


def joined_word(tok: Token) -> tuple[str, int] | None:
    """The word a compound that ends in ``tok`` spells when joined, and where it starts: "cease-fire",
    "cease - fire", "cease fire" → "ceasefire" (the tokenizer splits the first two, writers the third, and the
    last part alone may be another word: "fire")."""
    i, doc = tok.i, tok.doc
    if i >= 2 and doc[i - 1].text == "-" and doc[i - 2].is_alpha:
        return doc[i - 2].lower_ + tok.lemma_.lower(), i - 2
    if i >= 1 and doc[i - 1].dep_ == "compound" and doc[i - 1].head.i == i and doc[i - 1].is_alpha:
        return doc[i - 1].lower_ + tok.lemma_.lower(), i - 1
    return None


def match(tok: Token, lex: Lexicon | None = None) -> Entry | None:
    """The lexicon entry ``tok`` triggers, or None (longest phrase first)."""
    lex = lex or lexicon()
    if tok.pos_ in NOUN_POS and tok.i >= 1:
        joined = joined_word(tok)
        if joined is not None and joined[0] in lex.nouns:  # "cease-fire" is a ceasefire, not a firing
            return next((e for e in lex.nouns[joined[0]] if not e.extra and not e.subjects), None)
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
        if in_order(tok):
            return None  # the purpose conjunction "in order to …"
        table = lex.nouns.get(lemma)
        if misread_verb(tok):  # "Putin and Trump meet in Alaska": the tagger read the verb as a noun
            table = lex.verbs.get(tok.lower_) or table
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


def mode_for_cand(c: Cand, lemmas: list[str], lex: Lexicon) -> str | None:
    if c.event_type == "THREATEN" and c.entry.type != "THREATEN":
        return lex.rules.threat_types.get(c.entry.type) or mode_for("THREATEN", c.entry, lemmas, lex)
    if c.synthetic:
        return "allege" if c.event_type == "ACCUSE" else None
    return mode_for(c.event_type, c.entry, lemmas, lex)


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


# ---------------------------------------------------------------- candidates


def _governor(n: Token, objects_only: bool = False) -> Token | None:
    """The verb a noun trigger is the object of (held talks, engaged in a firefight)."""
    t = n
    heads = lexicon().rules.compound_heads
    if t.dep_ == "compound" and t.head.lemma_.lower() in heads and t.head.i > t.i:  # "approved the sanctions package"
        t = t.head
    for _ in range(3):
        if t.dep_ == "conj" and t.head.i != t.i:
            t = t.head
        else:
            break
    if t.dep_ in ARG_DEPS and t.head.pos_ in ("VERB", "AUX"):
        return t.head
    if (
        not objects_only
        and t.dep_ == "pobj"
        and t.head.dep_ == "prep"
        and t.head.lower_ in ("in", "into", "for", "with")
    ):
        g = t.head.head
        if g.pos_ == "VERB":
            return g
    return None


def _arg_nouns(v: Token) -> list[Token]:
    """Nouns that are arguments of a verb (object, attribute, objects of its prepositions), with conjuncts."""
    table = token_table(v.doc)
    doc, kids, dep = v.doc, table.kids, table.dep
    out: list[Token] = []
    for c in kids[v.i]:
        if dep[c] in ARG_DEPS:
            out.extend(with_conjuncts(doc[c]))
        elif dep[c] in ("prep", "agent"):
            for gc in kids[c]:
                if dep[gc] == "pobj":
                    out.extend(with_conjuncts(doc[gc]))
    return out


def _complements(v: Token) -> list[Token]:
    table = token_table(v.doc)
    doc, kids, dep, lower, pos = v.doc, table.kids, table.dep, table.lower, table.pos
    out: list[Token] = []
    h = clause_head(v)
    for c in [*kids[v.i], *(kids[h.i] if h.i != v.i else ())]:
        if dep[c] in CONTENT_DEPS:
            out.extend(with_conjuncts(doc[c]))
        elif dep[c] == "prep" and lower[c] in ("of", "for", "to"):
            for gc in kids[c]:
                if dep[gc] == "pcomp" or (dep[gc] == "pobj" and pos[gc] in ("NOUN", "VERB")):
                    out.extend(with_conjuncts(doc[gc]))
    return out


def _existential(tok: Token) -> bool:
    """ "There were 10 soldiers killed": the participle is the clause's event."""
    noun = tok.head
    return tok.dep_ == "acl" and noun.dep_ == "attr" and any(c.dep_ == "expl" for c in noun.head.children)


def _subtree_triggers(root: Token, raw: dict[int, tuple[Token, Entry]], skip: Token | None = None) -> list[int]:
    """Triggers inside a claim's content: its subtree without relative/adverbial clauses hung on it
    ("… airspace, which Moscow has denied, when Estonia accused …" are not part of the claim)."""
    table = token_table(root.doc)
    kids, dep = table.kids, table.dep
    skip_i = -1 if skip is None else skip.i
    out: list[int] = []
    stack = [root.i]
    while stack:
        t = stack.pop()
        if t in raw:
            out.append(t)
        stack.extend(c for c in kids[t] if dep[c] not in CLAUSE_BOUNDARY and c != skip_i)
    return sorted(out)


def cameo_senses(sent: Span, lex: Lexicon) -> tuple[dict[int, list[CameoSense]], set[int]]:
    """The CAMEO dictionary's PLOVER readings of the sentence's verbs, by token; and the verbs whose patterns
    read them only as a public statement ("declined comment", "delivered a message": no PLOVER event)."""
    out: dict[int, list[CameoSense]] = {}
    patterned: dict[int, list[CameoSense]] = {}
    for m in cameo.match(sent, with_unmapped=True):
        if m.plover is not None:
            out.setdefault(m.i, []).append(m)
        if not m.default:
            patterned.setdefault(m.i, []).append(m)
    root, kept = lex.rules.statement_root, lex.rules.statement_kept
    said = {
        i
        for i, ms in patterned.items()
        if root and all(m.plover is None and m.code.startswith(root) and not m.code.startswith(kept) for m in ms)
    }
    return out, said


CAMEO_STRENGTH = (0.4, 0.6)  # a verb's default sense (no pattern matched), a pattern's


def cameo_entry(found: list[CameoSense]) -> Entry:
    """A trigger the CAMEO dictionary proposes and the lexicon lacks: its most specific sense."""
    best = max(found, key=lambda m: (m.specificity, not m.default))
    return Entry(
        key=f"{best.lemma} {best.particle}".strip(),
        lemma=best.lemma,
        extra=(),
        pos="verb",
        type=str(best.plover),
        mode=best.mode,
        contexts=best.contexts,
        strength=CAMEO_STRENGTH[0] if best.default else CAMEO_STRENGTH[1],
        source="cameo",
    )


def candidates(sent: Span, lex: Lexicon, tokens: list[Token]) -> list[Cand]:
    """Trigger candidates of one sentence; ``tokens``: its tokens whose lemma is a trigger word."""
    raw: dict[int, tuple[Token, Entry]] = {}
    for tok in tokens:
        e = match(tok, lex)
        if e is not None:
            if (
                e.pos == "verb"
                and not _existential(tok)
                and (
                    tok.dep_ == "amod"
                    or (tok.dep_ == "acl" and (tok.tag_ == "VBN" or (tok.tag_ == "VBG" and e.role != "absorb")))
                )
            ):
                continue  # "the banned movement", "property seized by …": background, not an event
            raw[tok.i] = (tok, e)
    senses, said = cameo_senses(sent, lex)
    for i in said:
        if i in raw and raw[i][1].pos == "verb" and not raw[i][1].extra:
            del raw[i]  # "declined comment", "released a statement": a statement, no PLOVER event
    for i, found in senses.items():
        if i not in raw:
            tok = sent.doc[i]
            if tok.dep_ == "amod" or (tok.dep_ == "acl" and tok.tag_ == "VBN" and not _existential(tok)):
                continue  # background, as for lexicon verbs
            found = _outside_speech(tok, found, lex)
            if not found:
                continue  # "said … attacked": the report is no attack; the rule for reports codes it
            raw[i] = (tok, cameo_entry(found))
    cands: dict[int, Cand] = {}
    absorbed: set[int] = set()
    dropped: set[int] = set()
    # nouns first: a light verb yields to the noun it governs
    governors: dict[int, Token] = {}
    for i, (tok, e) in raw.items():
        if e.pos != "noun":
            continue
        g = _governor(tok, objects_only=e.light_only)
        if g is None:
            continue
        governors[i] = g
        ge = raw.get(g.i)
        if ge is not None and ge[1].pos == "verb":
            if not ge[1].extra and g.lemma_.lower() in lex.rules.light_verbs:
                dropped.add(g.i)
            else:
                absorbed.add(i)
    # verbs absorb their argument nouns and, for absorb/enabler/claim roles, see to their complements
    parents: dict[int, int] = {}
    for i, (tok, e) in raw.items():
        if e.pos != "verb" or i in dropped:
            continue
        for n in _arg_nouns(clause_head(tok)):
            if n.i in raw and raw[n.i][1].pos == "noun":
                absorbed.add(n.i)
        comps = [c for c in _complements(tok) if c.i in raw]
        if e.role == "absorb":
            stack = list(_complements(tok))
            seen: set[int] = set()
            while stack and len(seen) < 40:
                c = stack.pop()
                if c.i in seen:
                    continue
                seen.add(c.i)
                if c.i in raw:
                    absorbed.add(c.i)
                stack.extend(_arg_nouns(c))
                stack.extend(_complements(c))
        elif e.role == "enabler" and comps:
            dropped.add(i)
        elif e.role == "claim":
            roots = _complements(tok)
            for d in children_by_dep(tok, {"dobj"}):
                roots.extend(x for x in _complements(d) if x.pos_ in ("VERB", "NOUN"))
            inside = [j for r in roots for j in _subtree_triggers(r, raw) if j != i]
            for j in inside:
                parents.setdefault(j, i)
            if e.needs_content and not inside:
                dropped.add(i)
    # nouns absorb what hangs on them (suspension of air links, call for sanctions)
    for i, (tok, e) in raw.items():
        if e.pos == "noun" and i not in absorbed:
            for c in tok.children:
                if c.dep_ in ("compound", "amod", "nmod"):
                    absorbed.add(c.i)
                elif c.dep_ == "prep":
                    for gc in c.children:
                        if gc.dep_ in ("pobj", "pcomp"):
                            absorbed.update(x.i for x in with_conjuncts(gc))
    governing = {g.i for i, g in governors.items() if i not in absorbed}
    for i, (tok, e) in raw.items():
        if e.pos != "verb":
            continue
        served = purpose_of(tok)  # the verb an infinitive ("to demand", "in order to demand") serves
        if served is not None and served.i in governing:  # "began a hunger strike to demand …"
            absorbed.add(i)
            continue
        obj = tok.head
        fired = tok.dep_ == "relcl" and obj.dep_ == "dobj" and obj.head.i in raw and obj.head.i not in dropped
        if fired and raw[obj.head.i][1].type == e.type == "ASSAULT":
            absorbed.add(i)  # "fired rockets that struck a school": the rockets' hit is the firing's
            continue
        head = served if served is not None else tok.head
        if head.i not in raw or head.i in dropped:
            continue
        same = raw[head.i][1].type == e.type
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        if same and ((tok.dep_ == "conj" and not own_subject) or (tok.dep_ == "advcl" and tok.tag_ == "VBG")):
            absorbed.add(i)  # "shelled Juba, killing 20", "killed one and wounded two": one attack (not "troops
            # shelled Kharkiv and drones struck a refinery": a conjoined clause with its own subject is its own)
        elif served is not None:
            absorbed.add(i)  # purpose: "began a hunger strike to demand …", "opened the bridge to allow …"
    # a verb carries at most one noun event: its object first ("completed its investigation into …")
    by_governor: dict[int, list[int]] = {}
    for i, g in governors.items():
        if i not in absorbed:
            by_governor.setdefault(g.i, []).append(i)
    for members in by_governor.values():
        if len(members) > 1:
            members.sort(key=lambda i: (raw[i][0].dep_ not in ARG_DEPS, i))
            absorbed.update(members[1:])
    inner: list[Cand] = []  # absorbed triggers: part of another event for the rules; the model may keep them
    for i, (tok, e) in raw.items():
        if i in dropped or e.ignore:
            continue
        if e.needs_arg and not has_argument(clause_head(tok)):
            continue
        g = governors.get(i)
        if e.pos == "noun":
            if e.light_only and g is None:
                continue
            light = g is not None and g.lemma_.lower() in lex.rules.light_verbs
            status_tok = g if (light and g is not None) else tok
            first, last = (g.i, tok.i) if (light and g is not None and 0 < tok.i - g.i <= 8) else (tok.i, tok.i)
            joined = joined_word(tok) if first == tok.i else None
            if joined is not None and joined[0] == e.lemma:
                first = joined[1]  # the whole compound is the trigger: "cease-fire"
            cand = Cand(tok, e, e.type, status_tok, governor=g, light=light, first=first, last=last)
        else:
            first, last = tok.i, tok.i
            for c in tok.children:
                if c.dep_ == "prt" and c.lower_ in e.extra:
                    last = max(last, c.i)
                if c.dep_ == "dobj" and c.lemma_.lower() in e.extra and c.i - tok.i <= 3:
                    last = max(last, c.i)
            cand = Cand(tok, e, e.type, tok, first=first, last=last)
        if i in absorbed:
            cand.soft, cand.absorbed = "absorbed", True
            inner.append(cand)
        else:
            cands[i] = cand
    for child, parent in parents.items():
        if child in cands and parent in cands:
            cands[child].parent = cands[parent]
    for cand in [*cands.values(), *inner]:
        cand.senses = tuple(senses.get(cand.tok.i, ()))
    out = [*cands.values(), *inner]
    out.extend(_suspicions(tokens, lex, raw, cands))
    done = {c.tok.i for c in out if c.synthetic}
    every = {**{c.tok.i: c for c in inner}, **cands}  # a reported attack may be an absorbed noun
    out.extend(_reported([t for t in tokens if t.i not in done], lex, raw, every))
    return out


def _link_target(c: Token, lex: Lexicon) -> Token | None:
    """The party a clause ties its subject to: "… may be related / linked to Russia", "… was behind it"."""
    lemma = c.lemma_.lower()
    if lemma in lex.rules.link_verbs:
        found = [t for t in pobjs(c, ("to", "with")) if t.dep_ == "pobj"]
        return found[0] if found else None
    if lemma == "be":
        found = [t for t in pobjs(c, ("behind",)) if t.dep_ == "pobj"]
        return found[0] if found else None
    return None


def _suspicions(
    tokens: list[Token], lex: Lexicon, raw: dict[int, tuple[Token, Entry]], cands: dict[int, Cand]
) -> list[Cand]:
    """ "X speculated that the drone incidents may be related to Russia" → an ACCUSE by X toward Russia
    whose child is the happening in the clause's subject (its actor: the party it is tied to)."""
    out: list[Cand] = []
    acc = lex.verbs.get("accuse", [None])[0]
    if acc is None:
        return out
    for tok in tokens:
        if tok.pos_ != "VERB" or tok.i in raw or tok.lemma_.lower() not in lex.rules.suspicion_verbs:
            continue
        if not children_by_dep(tok, SUBJ_DEPS):
            continue
        for c in children_by_dep(tok, {"ccomp"}):
            target = _link_target(c, lex)
            if target is None:
                continue
            cand = Cand(tok, acc, "ACCUSE", tok, first=tok.i, last=tok.i, synthetic=True, content=c, linked=target)
            for subj in children_by_dep(c, {"nsubj", "nsubjpass"}):
                for j in _subtree_triggers(subj, raw):
                    kid = cands.get(j)
                    if kid is not None and kid.parent is None:
                        kid.parent = cand
            out.append(cand)
            break
    return out


def _outside_speech(tok: Token, found: list[CameoSense], lex: Lexicon) -> list[CameoSense]:
    """A reporting verb's CAMEO senses whose words lie outside what it reports: CAMEO's "SAY … ATTACK [190]"
    codes the speaker as the attacker; the reported attack is the content's own event (see :func:`_reported`)."""
    lemma = tok.lemma_.lower()
    if lemma in lex.rules.link_verbs:  # "… may be related to Russia": a tie a suspicion names, no cooperation
        return [f for f in found if not f.default]
    speech = lemma in lex.rules.reporting_verbs
    if not (speech or lemma in lex.rules.suspicion_verbs):
        return found
    inside = {t.i for c in tok.children if c.dep_ == "ccomp" for t in c.subtree}
    if not inside:
        return found
    # what is reported or suspected is its own event: no sense read into it, and no default sense for a
    # suspicion that reports something (the rule for suspicions codes it)
    return [f for f in found if not any(s in inside for s in f.slots) and (speech or not f.default)]


def _reported(
    tokens: list[Token], lex: Lexicon, raw: dict[int, tuple[Token, Entry]], cands: dict[int, Cand]
) -> list[Cand]:
    """ "X said Y must …" → REQUEST by X; "X said Y attacked it" → ACCUSE by X with the attack as child."""
    out: list[Cand] = []
    for tok in tokens:
        if tok.pos_ != "VERB" or tok.i in raw or tok.lemma_.lower() not in lex.rules.reporting_verbs:
            continue
        if not children_by_dep(tok, SUBJ_DEPS):
            continue
        contents = [c for c in children_by_dep(tok, {"ccomp"}) if c.i > tok.i]
        if tok.dep_ == "ccomp" and tok.head.i > tok.i:
            contents.append(tok.head)  # an inverted parse: "Peskov stressed that … the alliance is at war"
        for c in contents:
            if any(a.dep_ == "aux" and a.lower_ in lex.rules.obligation_aux for a in c.children):
                req = lex.verbs.get("demand", [None])[0]
                if req is not None:
                    cand = Cand(tok, req, "REQUEST", tok, first=tok.i, last=tok.i, synthetic=True, content=c)
                    out.append(cand)
                    for x in (c, *_arg_nouns(c)):  # what must be done is the demand's content: its child
                        if x.i in cands and cands[x.i].parent is None:
                            cands[x.i].parent = cand
                    break
            inside = [cands[j] for j in _subtree_triggers(c, raw, skip=tok) if j in cands]
            conflict = [k for k in inside if lex.types[k.event_type].quad == 4 and k.parent is None]
            child = conflict[0] if conflict else None
            if child is not None:
                acc = lex.verbs.get("accuse", [None])[0]
                if acc is not None:
                    cand = Cand(tok, acc, "ACCUSE", tok, first=tok.i, last=tok.i, synthetic=True, content=c)
                    child.parent = cand
                    out.append(cand)
                    break
    return out
