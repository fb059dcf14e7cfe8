"""Candidate event senses of verbs from PETRARCH-2's CAMEO verb patterns, matched on the dependency tree.

The data is ``data/events/cameo_patterns.json``, derived by ``tools/convert_cameo.py`` from PETRARCH-2's
CAMEO.2.0.txt (MIT) and PLOVER's code-level CAMEO2PLOVER crosswalk (CC BY-SA 4.0). It is loaded once and
validated (an unknown key or a dangling reference is an error).

For each verb of a sentence whose lemma the dictionary lists, :func:`match` proposes CAMEO codes with their
PLOVER type, mode and contexts:

* the verb's entries: a phrasal entry ("call off", "ask for") when its particle is among the verb's
  dependents, else the bare verb (PETRARCH's order);
* the patterns of the entries' synonym blocks: a pattern names words before the verb (its subject), after it
  (object, particle, complement, the verb of an xcomp/ccomp) and prepositional phrases (the preposition and
  the head of its object), e.g. ``* {DIPLOMATIC TIES} [050]`` or ``* (TO BORDER) [154]``. A word matches a
  token's lemma or lower-case form; a modifier must lie in the head's subtree (or just before it);
* the most specific matching pattern wins (most words matched; ties all proposed); a pattern whose code is
  PETRARCH's null code (``[---]``: "seize the opportunity") proposes nothing and silences the default;
* with no pattern, the entry's default code (the verb's own, else its block's), if it has one.

This is a candidate generator, not a coder: a verb proposes the senses the dictionary gives it and a later
stage chooses. Nominal events are not covered: PETRARCH-2's dictionary codes verbs only (its noun synsets are
object classes inside verb patterns).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from brinkwatch.coder.syntax import token_table
from brinkwatch.lexicon.cameo import Candidate, Model, Pattern, Slot, VerbEntry, model

VERB_POS = frozenset({"VERB", "AUX"})
SUBJ_DEPS = frozenset({"nsubj", "csubj"})
# dependents after the verb that a pattern's post-verb words may name
POST_DEPS = frozenset(
    {"dobj", "dative", "attr", "oprd", "acomp", "advmod", "npadvmod", "prt", "xcomp", "ccomp", "prep", "agent"}
)
INNER_DEPS = frozenset({"dobj", "prt", "attr", "acomp", "oprd", "dative"})  # of an xcomp/ccomp/dobj: one level
PREP_DEPS = frozenset({"prep", "agent", "dative"})
NOMINAL_DEPS = frozenset({"dobj", "dative", "attr", "oprd", "nsubjpass", "npadvmod"})
POBJ_DEPS = frozenset({"pobj", "pcomp"})
PRE_EXTRA_DEPS = frozenset({"aux", "auxpass", "neg", "advmod", "npadvmod"})  # legacy "WILL NOT *" patterns
NO_PARTICLE_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "punct", "cc", "conj", "mark", "appos", "parataxis"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
WINDOW = 6  # a modifier lies at most this many tokens from its head


def _token_forms(t: Token) -> tuple[str, str]:
    return t.lemma_.lower(), t.lower_


def _passive(v: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)


class _Scene:
    """What a verb token's patterns can see: tokens by form around it (built once per verb, on demand)."""

    __slots__ = ("_windows", "post", "pre", "preps", "right", "v")

    def __init__(self, v: Token) -> None:
        self.v = v
        self.post: dict[str, list[Token]] = {}
        self.pre: dict[str, list[Token]] = {}
        self.preps: dict[str, list[tuple[Token, Token | None]]] = {}
        self.right: dict[str, list[Token]] = {}
        self._windows: dict[int, frozenset[str]] = {}
        passive = _passive(v)
        post_toks: list[Token] = []
        for c in v.children:
            dep = c.dep_
            if (dep in POST_DEPS and c.i > v.i) or dep in ("dobj", "xcomp", "ccomp", "prt"):
                post_toks.append(c)
                if dep in ("dobj", "xcomp", "ccomp"):
                    post_toks.extend(c.conjuncts)
                    post_toks.extend(g for g in c.children if g.dep_ in INNER_DEPS)
            elif dep == "nsubjpass":
                # the passive subject is the object ("the town was captured"); in a relative clause, the noun
                post_toks.append(v.head if c.lower_ in RELATIVE and v.dep_ == "relcl" else c)
            elif dep in SUBJ_DEPS:
                self._add(self.pre, v.head if c.lower_ in RELATIVE and v.dep_ == "relcl" else c)
            elif dep in PRE_EXTRA_DEPS and c.i < v.i:
                self._add(self.pre, c)
            if dep == "agent" and passive:  # "captured by rebels": the rebels are the subject side
                for g in c.children:
                    if g.dep_ in POBJ_DEPS:
                        self._add(self.pre, g)
        if v.dep_ == "acl" and v.tag_ == "VBN":  # "soldiers captured by …": the noun underwent it
            post_toks.append(v.head)
        if v.dep_ in ("conj", "xcomp") and not self.pre:  # shared subject ("met and agreed", "agreed to …")
            for c in v.head.children:
                if c.dep_ in SUBJ_DEPS:
                    self._add(self.pre, c)
        for t in post_toks:
            self._add(self.post, t)
        # prepositions: on the verb, on its nominal dependents, and down their objects ("(ON STATE) (OF ALERT)");
        # not inside a clausal complement ("ruled that … threats to …": that "to" is not the ruling's)
        owners = [v, *(t for t in post_toks if t.dep_ in NOMINAL_DEPS and t.head.i == v.i)]
        seen: set[int] = set()
        depth = 0
        while owners and depth < 3:
            nxt: list[Token] = []
            for o in owners:
                if o.i in seen:
                    continue
                seen.add(o.i)
                for c in o.children:
                    if (c.dep_ in PREP_DEPS and c.pos_ == "ADP") or c.dep_ == "prep":
                        objs: list[Token | None] = [g for g in c.children if g.dep_ in POBJ_DEPS]
                        for obj in objs or [None]:
                            self.preps.setdefault(c.lower_, []).append((c, obj))
                            if obj is not None:
                                nxt.append(obj)
            owners = nxt
            depth += 1
        # particle candidates: the verb's dependents and theirs, after it
        for c in v.children:
            if c.dep_ in NO_PARTICLE_DEPS or c.i < v.i:
                continue
            self._add(self.right, c)
            for g in c.children:
                if g.i > v.i and g.i - v.i <= 6 and g.dep_ not in NO_PARTICLE_DEPS:
                    self._add(self.right, g)

    @staticmethod
    def _add(table: dict[str, list[Token]], t: Token) -> None:
        lemma, lower = _token_forms(t)
        table.setdefault(lemma, []).append(t)
        if lower != lemma:
            table.setdefault(lower, []).append(t)

    def window(self, t: Token) -> frozenset[str]:
        """Forms of the tokens a modifier of ``t`` may be: its subtree near it, and the two words before it."""
        got = self._windows.get(t.i)
        if got is None:
            table = token_table(t.doc)
            lemma, lower, n = table.lemma, table.lower, table.size
            lo = max(t.left_edge.i, t.i - WINDOW)
            hi = min(t.right_edge.i, t.i + WINDOW)
            words: set[str] = set()
            for k in [*range(lo, hi + 1), t.i - 1, t.i - 2]:
                if 0 <= k < n and k != t.i:
                    words.add(lemma[k])
                    words.add(lower[k])
            got = frozenset(words)
            self._windows[t.i] = got
        return got


def _match_slot(slot: Slot, pool: dict[str, list[Token]], scene: _Scene) -> tuple[int, Token] | None:
    """The best (size, token) a slot matches among ``pool``'s tokens."""
    best: tuple[int, Token] | None = None
    for form, toks in pool.items():
        mods_list = slot.get(form)
        if mods_list is None:
            continue
        for t in toks:
            for mods in mods_list:  # longest first
                if best is not None and len(mods) + 1 <= best[0]:
                    break
                if not mods or all(not m.isdisjoint(scene.window(t)) for m in mods):
                    best = (1 + len(mods), t)
                    break
    return best


def _match_pattern(p: Pattern, scene: _Scene) -> tuple[int, list[int]] | None:
    size = 0
    toks: list[int] = []
    for slots, pool in ((p.pre, scene.pre), (p.post, scene.post)):
        for slot in slots:
            got = _match_slot(slot, pool, scene)
            if got is None:
                return None
            size += got[0]
            toks.append(got[1].i)
    for prep in p.preps:
        best: tuple[int, list[int]] | None = None
        for form in prep.forms:
            for ptok, obj in scene.preps.get(form, ()):
                if prep.obj is None:
                    cand = (1, [ptok.i])
                elif obj is None:
                    continue
                else:
                    got = _match_slot(prep.obj, {f: [obj] for f in _token_forms(obj)}, scene)
                    if got is None:
                        continue
                    cand = (1 + got[0], [ptok.i, obj.i])
                if best is None or cand[0] > best[0]:
                    best = cand
        if best is None:
            return None
        size += best[0]
        toks.extend(best[1])
    return size, toks


# per block: the patterns by one form each of them needs in the scene (the first slot's head forms, or the
# first preposition's), and those that need none; built once per model and block (each entry holds its model,
# so that the id in its key cannot pass to another model)
_Anchors = tuple[dict[tuple[str, str], list[int]], list[int]]
_anchors: dict[tuple[int, str], tuple[Model, _Anchors]] = {}


def _anchored(m: Model, block: str) -> _Anchors:
    key = (id(m), block)
    held = _anchors.get(key)
    got = held[1] if held is not None and held[0] is m else None
    if got is None:
        by_form: dict[tuple[str, str], list[int]] = {}
        free: list[int] = []
        for k, p in enumerate(m.blocks[block]):
            if p.post:
                need = [("post", f) for f in p.post[0]]
            elif p.pre:
                need = [("pre", f) for f in p.pre[0]]
            elif p.preps:
                need = [("prep", f) for f in p.preps[0].forms]
            else:
                free.append(k)
                continue
            for f in need:
                by_form.setdefault(f, []).append(k)
        got = (by_form, free)
        _anchors[key] = (m, got)
    return got


def _patterns_seen(m: Model, block: str, scene: _Scene) -> list[Pattern]:
    """The block's patterns whose first slot can match a word of the scene, in the block's order: the others
    cannot match (each slot needs one of its head forms among the scene's words), so they are not tried."""
    by_form, free = _anchored(m, block)
    picked = set(free)
    for pool, forms in (("post", scene.post), ("pre", scene.pre), ("prep", scene.preps)):
        for f in forms:
            hit = by_form.get((pool, f))
            if hit:
                picked.update(hit)
    patterns = m.blocks[block]
    return [patterns[k] for k in sorted(picked)]


def _particles_ok(e: VerbEntry, v: Token, scene: _Scene) -> list[int] | None:
    """Token indices of a phrasal entry's particles and front words, or None when one is missing."""
    out: list[int] = []
    for w in e.particles:
        toks = scene.right.get(w)
        if not toks:
            return None
        out.append(toks[0].i)
    doc = v.doc
    for w in e.front:
        found = [k for k in range(max(0, v.i - 3), v.i) if doc[k].lower_ == w]
        if not found:
            return None
        out.append(found[-1])
    return out


def _entries(v: Token, m: Model) -> tuple[str, tuple[VerbEntry, ...]] | None:
    lemma = v.lemma_.lower()
    entries = m.verbs.get(lemma)
    if entries is None:
        lemma = v.lower_
        entries = m.verbs.get(lemma)
    return None if entries is None else (lemma, entries)


def match_token(
    v: Token, m: Model | None = None, *, all_matches: bool = False, with_unmapped: bool = False
) -> list[Candidate]:
    """The senses the dictionary proposes for verb token ``v`` (see the module doc).

    ``all_matches``: every matching pattern (most specific first) and the defaults, not only the best.
    ``with_unmapped``: also codes without a PLOVER type (CAMEO 01x statements, 02x appeals)."""
    m = m or model()
    if v.pos_ not in VERB_POS:
        return []
    found = _entries(v, m)
    if found is None:
        return []
    lemma, entries = found
    scene = _Scene(v)
    phrasal: list[tuple[VerbEntry, list[int]]] = []
    bare: list[tuple[VerbEntry, list[int]]] = []
    for e in entries:
        if e.particles or e.front:
            got = _particles_ok(e, v, scene)
            if got is not None:
                phrasal.append((e, got))
        else:
            bare.append((e, []))
    if phrasal:  # PETRARCH tries the multi-word verbs first; the longest phrase wins
        longest = max(len(e.particles) + len(e.front) for e, _ in phrasal)
        chosen = [(e, t) for e, t in phrasal if len(e.particles) + len(e.front) == longest]
    else:
        chosen = bare
    if not chosen:
        return []
    matches: list[tuple[int, Pattern, list[int], VerbEntry, list[int]]] = []
    seen_blocks: set[str] = set()
    for e, prt_toks in chosen:
        if e.block in seen_blocks:
            continue
        seen_blocks.add(e.block)
        for p in _patterns_seen(m, e.block, scene):
            hit = _match_pattern(p, scene)
            if hit is not None:
                matches.append((hit[0], p, hit[1], e, prt_toks))
    matches.sort(key=lambda x: (-x[0], x[1].line))
    out: list[Candidate] = []
    if matches:
        top = matches[0][0]
        for size, p, toks, e, prt_toks in matches:
            if size < top and not all_matches:
                break
            slots = tuple(sorted({*toks, *prt_toks}))
            out.extend(_senses(v, lemma, e, (p.code, p.rcode), p, slots, size, m, with_unmapped))
        if not all_matches:
            return _unique(out)
    for e, prt_toks in chosen:
        if e.default is not None:
            out.extend(_senses(v, lemma, e, e.default, None, tuple(sorted(prt_toks)), 0, m, with_unmapped))
    return _unique(out)


def _senses(
    v: Token,
    lemma: str,
    e: VerbEntry,
    pair: tuple[str | None, str | None],
    p: Pattern | None,
    slots: tuple[int, ...],
    size: int,
    m: Model,
    with_unmapped: bool,
) -> Iterator[Candidate]:
    fwd, rev = pair
    for code, direction in ((fwd, "forward"), (rev, "reverse")):
        if code is None:
            continue
        if direction == "reverse" and code == fwd:
            continue  # [050:050]: one mutual event
        s = m.senses[code]
        if s.plover is None and not with_unmapped:
            continue
        yield Candidate(
            i=v.i,
            lemma=lemma,
            particle=" ".join(e.particles),
            code=code,
            plover=s.plover,
            mode=s.mode,
            contexts=s.contexts,
            via=s.via,
            direction="mutual" if code == rev and code == fwd else direction,
            default=p is None,
            pattern=None if p is None else p.id,
            line=e.line if p is None else p.line,
            block=e.block,
            slots=slots,
            specificity=size,
            roles=() if p is None else p.roles,
        )


def _unique(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per (token, code, direction): the first (most specific) one."""
    seen: set[tuple[int, str, str]] = set()
    out: list[Candidate] = []
    for c in cands:
        key = (c.i, c.code, c.direction)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def match(
    doc: Doc | Span, m: Model | None = None, *, all_matches: bool = False, with_unmapped: bool = False
) -> list[Candidate]:
    """Candidates of every verb of a parsed document or sentence, in token order."""
    m = m or model()
    verbs = m.verbs
    whole = doc if isinstance(doc, Doc) else doc.doc
    table = token_table(whole)  # the verbs found on plain lists: no Token object built for the other words
    pos, lemma, lower = table.pos, table.lemma, table.lower
    start, end = (0, len(whole)) if isinstance(doc, Doc) else (doc.start, doc.end)
    out: list[Candidate] = []
    for i in range(start, end):
        if pos[i] in VERB_POS and (lemma[i] in verbs or lower[i] in verbs):
            out.extend(match_token(whole[i], m, all_matches=all_matches, with_unmapped=with_unmapped))
    return out
