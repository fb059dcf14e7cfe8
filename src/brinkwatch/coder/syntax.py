"""Dependency-tree helpers shared by the coder's stages (triggers, arguments, dates, places): per-document token
tables, subjects, objects, prepositional objects, clause heads, negation and future marking, depth."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import DEP, HEAD, IS_ALPHA, LEMMA, LOWER, ORTH, POS
from spacy.tokens import Doc, Span, Token

from brinkwatch.lexicon.events import Lexicon, lexicon


def tree_distance(a: Token, b: Token, limit: int) -> int:
    """Edges between two tokens of one sentence in the dependency tree: up from ``b`` to the root, then up
    from ``a`` until the paths meet. Each walk stops after ``limit`` steps (degenerate parses of huge
    sentences); tokens that do not meet within it are ``2 * limit`` apart."""
    return tree_distance_i(token_table(a.doc).heads, a.i, b.i, limit)


def tree_distance_i(heads: list[int], a: int, b: int, limit: int) -> int:
    """``tree_distance`` on token indices and a document's head indices (``TokenTable.heads``)."""
    depth: dict[int, int] = {}
    tok, steps = b, 0
    while steps < limit:
        depth[tok] = steps
        head = heads[tok]
        if head == tok:
            break
        tok, steps = head, steps + 1
    tok, steps = a, 0
    while steps < limit:
        if tok in depth:
            return steps + depth[tok]
        head = heads[tok]
        if head == tok:
            break
        tok, steps = head, steps + 1
    return 2 * limit


@dataclass(frozen=True, slots=True)
class TokenTable:
    """Per-document token attributes as plain lists indexed by token position, read once with
    ``Doc.to_array`` so that hot loops need not build spaCy ``Token`` objects."""

    doc: Doc
    size: int
    heads: list[int]  # absolute index of each token's head (the token itself for a root)
    pos: list[str]  # coarse part of speech (``Token.pos_``)
    dep: list[str]  # dependency label (``Token.dep_``)
    lower: list[str]  # lower-case form (``Token.lower_``)
    text: str  # ``Doc.text`` (spaCy rebuilds it from every token on each access)
    kids: list[list[int]]  # children of each token in document order (``Token.children``)
    lemma: list[str]  # lower-cased lemma (``Token.lemma_.lower()``)
    orth: list[str]  # verbatim text (``Token.text``)


# the table of the last document only: (doc, table), swapped atomically (workers handle one doc at a time;
# another document simply rebuilds it)
_last: tuple[Any, TokenTable | None] = (None, None)


# string-store hash → string (a hash names one string for good, so this is a pure function); bounded
_names: dict[int, str] = {}
_lemmas: dict[int, str] = {}  # lemma hash → lower-cased lemma
_MAX_NAMES = 200_000


def token_table(doc: Doc) -> TokenTable:
    """The :class:`TokenTable` of ``doc``, remembered for the last document."""
    global _last
    last = _last
    table = last[1]
    if last[0] is doc and table is not None and table.size == len(doc):
        return table
    table = _build(doc)
    _last = (doc, table)
    return table


def _build(doc: Doc) -> TokenTable:
    global _names, _lemmas
    n = len(doc)
    if n == 0:
        return TokenTable(doc, 0, [], [], [], [], doc.text, [], [], [])
    arr = doc.to_array([HEAD, POS, DEP, LOWER, LEMMA, ORTH])
    rel = arr[:, 0].astype(numpy.int64)
    heads = (rel + numpy.arange(n, dtype=numpy.int64)).tolist()
    strings = doc.vocab.strings
    if len(_names) > _MAX_NAMES or len(_lemmas) > _MAX_NAMES:  # bounded: a worker meets new words for hours
        _names, _lemmas = {}, {}  # replaced, not cleared: a thread still filling the old ones is unaffected
    names, lemmas = _names, _lemmas
    cols: list[list[str]] = []
    for k in (1, 2, 3, 5):
        ids = arr[:, k].tolist()
        for h in set(ids).difference(names):
            names[h] = strings[h] if h else ""
        cols.append([names[h] for h in ids])
    ids = arr[:, 4].tolist()
    for h in set(ids).difference(lemmas):
        lemmas[h] = (strings[h] if h else "").lower()
    cols.append([lemmas[h] for h in ids])
    kids: list[list[int]] = [[] for _ in range(n)]
    for i, h in enumerate(heads):
        if h != i:
            kids[h].append(i)
    return TokenTable(doc, n, heads, cols[0], cols[1], cols[2], doc.text, kids, cols[4], cols[3])


@dataclass(slots=True)
class DocIndex:
    """Per-document arrays (``Doc.to_array``): which tokens may be triggers (a set lookup of lemma and
    lower-case hashes, no token objects built) and the counts that decide whether a sentence is coded."""

    candidates: list[int]  # sorted token indices whose lemma or lower form is a trigger or reporting word
    alpha: list[int]  # cumulative counts, index i = count over tokens [0, i)
    verbs: list[int]
    hashes: list[int]

    @classmethod
    def of(cls, doc: Doc, words: frozenset[int]) -> DocIndex:
        """``words``: hashes of the lemmas / lower-case forms that can start an event."""
        arr = doc.to_array([LEMMA, LOWER, POS, IS_ALPHA])
        hits = [i for i, (lemma, lower) in enumerate(arr[:, :2].tolist()) if lemma in words or lower in words]
        zero = numpy.zeros(1, dtype=numpy.int64)
        verb_pos = (doc.vocab.strings["VERB"], doc.vocab.strings["AUX"])
        hash_key = doc.vocab.strings.add("#")
        pos = arr[:, 2]
        # plain lists: per-sentence look-ups on Python ints are cheaper than numpy scalar indexing
        return cls(
            candidates=hits,
            alpha=numpy.concatenate([zero, numpy.cumsum(arr[:, 3].astype(numpy.int64))]).tolist(),
            verbs=numpy.concatenate(
                [zero, numpy.cumsum(((pos == verb_pos[0]) | (pos == verb_pos[1])).astype(numpy.int64))]
            ).tolist(),
            hashes=numpy.concatenate([zero, numpy.cumsum((arr[:, 1] == hash_key).astype(numpy.int64))]).tolist(),
        )

    def tokens(self, sent: Span) -> list[int]:
        cands = self.candidates
        return cands[bisect.bisect_left(cands, sent.start) : bisect.bisect_left(cands, sent.end)]

    def codable(self, sent: Span, max_tokens: int) -> str | None:
        """None when the sentence is coded, else the reason it is not."""
        n = len(sent)
        if n == 0:
            return "empty"
        if n > max_tokens:
            return f"longer than {max_tokens} tokens"
        a, b = sent.start, sent.end
        if self.hashes[b] - self.hashes[a] >= 2:
            return "hashtag line"
        if self.verbs[b] == self.verbs[a] and not misread_verb(sent.root):
            return "no verb"
        if (self.alpha[b] - self.alpha[a]) * 10 < n * 4:
            return "mostly numbers or symbols"
        return None


# ---------------------------------------------------------------- dependency helpers


def misread_verb(tok: Token) -> bool:
    """A plural-subject present-tense verb the tagger read as a singular noun: the root of its sentence with a
    subject of its own and no determiner ("Putin and Trump meet in Alaska on Friday")."""
    return (
        tok.dep_ == "ROOT"
        and tok.tag_ == "NN"
        and any(c.dep_ == "nsubj" for c in tok.children)
        and not any(c.dep_ in ("det", "poss", "amod", "nummod", "compound") for c in tok.children)
    )


def in_order(tok: Token) -> bool:
    """ "order" in the purpose conjunction "in order to …" / "in order that …": the object of "in" with no
    determiner, whose clause hangs on it ("cut their armies in order to meet NATO's standards") — no order."""
    return (
        tok.lower_ == "order"
        and tok.dep_ == "pobj"
        and tok.head.lower_ == "in"
        and not any(c.dep_ in ("det", "poss", "amod", "compound", "prep") for c in tok.children)
        and any(c.dep_ in ("acl", "ccomp", "relcl", "advcl") for c in tok.children)
    )


def purpose_of(tok: Token) -> Token | None:
    """The verb a purpose clause serves: the head of an infinitival adverbial clause ("moved to protect"), or
    the verb "in order to" hangs on ("moved in order to protect"); None for any other clause."""
    if tok.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in tok.children):
        return tok.head
    if tok.dep_ in ("acl", "ccomp", "relcl", "advcl") and in_order(tok.head):
        return tok.head.head.head
    return None


SUBJ_DEPS = frozenset({"nsubj", "csubj", "nsubjpass"})
OTHER_CLAUSES = frozenset({"conj", "cc", "advcl", "ccomp", "xcomp", "parataxis", "relcl", "punct"})
CONTENT_DEPS = frozenset({"ccomp", "xcomp"})


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


CONDITION_MARKS = ("if", "unless")


def conditional_clause(tok: Token) -> bool:
    """An adverbial clause opened by if/unless ("… if he did not sign")."""
    return tok.dep_ == "advcl" and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in CONDITION_MARKS for c in tok.children
    )


def has_condition(verb: Token) -> bool:
    """An if/unless clause attached to this verb."""
    return any(conditional_clause(c) for c in verb.children)


def promised_object(h: Token, lex: Lexicon) -> bool:
    """A noun that is the object of a verb that promises its object ("vowed new attacks", "pledged a truce")."""
    return h.dep_ == "dobj" and h.pos_ == "NOUN" and h.head.lemma_.lower() in lex.rules.promising_object_verbs


def future_clause(h: Token, lex: Lexicon) -> Token | None:
    """The clause whose grammar makes clause head ``h`` future: ``h`` itself with will/would/shall, the "going" of
    "going to" — else None."""
    if any(c.dep_ == "aux" and c.lower_ in lex.rules.future_aux for c in h.children):
        return h
    head = h.head
    if h.dep_ in ("xcomp", "ccomp") and head.i != h.i and head.lemma_.lower() == "go" and head.tag_ == "VBG":
        return head
    return None


def future(anchor: Token, lex: Lexicon) -> bool:
    """Will/would/shall, "going to", the complement of a promise verb (pledged to, offered to), or the object
    noun of one that promises it ("vowed new attacks", "pledged aid")."""
    h = clause_head(anchor)
    if future_clause(h, lex) is not None or promised_object(h, lex):
        return True
    if h.dep_ in ("xcomp", "ccomp") and h.head.i != h.i:
        head = h.head
        if head.lemma_.lower() in lex.rules.promise_verbs or head.lower_ in ("willing", "ready", "prepared"):
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


def has_argument(tok: Token) -> bool:
    """An object, a prepositional object, a particle or a possessor (needs_arg triggers)."""
    for c in tok.children:
        if c.dep_ in ("dobj", "dative", "prt", "poss", "nsubjpass", "attr"):
            return True
        if c.dep_ in ("prep", "agent") and any(gc.dep_ in ("pobj", "pcomp") for gc in c.children):
            return True
    return False
