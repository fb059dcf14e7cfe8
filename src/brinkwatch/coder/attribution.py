"""Attribution chains: according to whom an event is reported, outermost first.

``AttributionTracker(doc).chain(trigger)`` walks from the trigger up the dependency tree and collects the
attribution frames the trigger sits in, innermost first, then returns them outermost first:

* a reporting verb (``data/attribution/sources.yaml`` ``reporting_verbs``: say, tell, report, claim, deny,
  warn, accuse …) attributes its *content* (ccomp / xcomp / parataxis / dobj / "of/about/against" obliques)
  to its subject; the reporting event itself only gets the chain of any enclosing frame;
* "According to X, …" attributes the whole clause it attaches to (and the clauses below it) to X;
* a parenthetical or mis-parsed reporting clause without its own content ("…, Peskov said";
  "Peskov stressed that…" parsed as a ccomp of the content) attributes the clause it hangs from;
* inside one frame the outlet comes first: "a source quoted by the Financial Times" → [Financial Times,
  a source]; "Two NATO officials told the newspaper" → [the outlet named last before, Two NATO officials].

Decision: a chain holds only what the text states in the sentence, plus "the newspaper"-style anaphora
(resolved to the last outlet named before it in the document). "Sources revealed …" is [Sources], even in
an article that cited the FT earlier. Outlets are named by their canonical name ("FT" → "Financial Times");
other sources keep their words as written. ``country`` is set for government and official sources (ISO-3,
an IGO code such as NATO/EU, or WST) and for state media (TASS → RUS).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from brinkwatch.coder.syntax import token_table
from brinkwatch.core.records import Attribution
from brinkwatch.lexicon.sources import source_data

_MAX_WALK = 60  # bound on walks up the tree (degenerate parses)
_MAX_SOURCE_TOKENS = 12
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "parataxis", "dobj", "obj", "attr", "oprd"})
_PARENTHETICAL_DEPS = frozenset({"ccomp", "parataxis", "advcl"})
_DROP_FROM_SOURCE = frozenset({"acl", "relcl", "advcl", "parataxis", "ccomp", "punct", "prep", "appos"})
_CLAUSES = frozenset({"acl", "relcl", "advcl", "parataxis", "ccomp"})
_KEEP_PREPS = frozenset({"of", "from", "at", "in", "within", "with", "close", "inside"})
_SKIP_SUBJECTS = frozenset({"it", "there", "this", "that", "which", "what", "i", "you", "one"})
_RELATIVE = frozenset({"who", "which", "that"})
_SUBJ = frozenset({"nsubj", "csubj"})


_MATCHERS: dict[int, tuple[Vocab, PhraseMatcher]] = {}


def _outlet_matcher(vocab: Vocab) -> PhraseMatcher:
    """A case-sensitive phrase matcher of outlet names and aliases, one per vocab."""
    cached = _MATCHERS.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    from spacy.lang.en import English

    tokenizer = English().tokenizer
    matcher = PhraseMatcher(vocab, attr="ORTH")
    for alias in source_data().outlets:
        matcher.add(alias, [Doc(vocab, words=[t.text for t in tokenizer(alias)])])
    _MATCHERS[id(vocab)] = (vocab, matcher)
    return matcher


class AttributionTracker:
    """Reads a document in order; remembers named outlets so "the newspaper" resolves to the paper."""

    def __init__(self, doc: Doc, coder: Any = None) -> None:
        """``coder``: an ActorCoder of ``doc`` already built by the caller (else one is built when needed)."""
        self.doc = doc
        self.data = source_data()
        self._outlets: list[tuple[int, int, str, str | None]] = []  # (start, end, canonical, state)
        matches = _outlet_matcher(doc.vocab)(doc)
        taken: set[int] = set()
        for match_id, start, end in sorted(matches, key=lambda m: (m[1], -(m[2] - m[1]))):
            if start in taken:
                continue
            taken.update(range(start, end))
            name, state = self.data.outlets[doc.vocab.strings[match_id]]
            self._outlets.append((start, end, name, state))
        self._actor_coder: Any = coder if coder is not None and getattr(coder, "doc", None) is doc else None
        # frames of reporting verbs / "according to" phrases by token: triggers of one sentence share them
        self._frame_memo: dict[tuple[str, int], list[Attribution]] = {}

    def _memo(self, kind: str, tok: Token, make: Any) -> list[Attribution]:
        """``make(tok)`` once per token of this document; callers get their own link objects."""
        key = (kind, tok.i)
        frame = self._frame_memo.get(key)
        if frame is None:
            frame = self._frame_memo[key] = make(tok)
        return [dataclasses.replace(link) for link in frame]

    def chain(self, trigger: Token) -> list[Attribution]:
        """The attribution chain of the event whose trigger this is, outermost first."""
        frames = self._frames(trigger)
        chain: list[Attribution] = []
        for frame in reversed(frames):
            for link in frame:
                if not chain or (chain[-1].text, chain[-1].kind) != (link.text, link.kind):
                    chain.append(link)
        return chain

    # -- frames ---------------------------------------------------------------------------------------

    def _frames(self, trigger: Token) -> list[list[Attribution]]:
        """Attribution frames around the trigger, innermost first (each frame outermost link first)."""
        frames: list[list[Attribution]] = []
        child: Token | None = None
        node = trigger
        doc = trigger.doc
        table = token_table(doc)
        kids, dep, lower, lemma = table.kids, table.dep, table.lower, table.lemma
        for _ in range(_MAX_WALK):
            if child is not None and self._is_content(node, child):
                frame = self._memo("verb", node, self._verb_frame)
                if frame:
                    frames.append(frame)
            for k in kids[node.i]:  # labels from the token table: only the children that matter are built
                if child is not None and k == child.i:
                    continue
                if lower[k] == "according":
                    frame = self._memo("according", doc[k], self._according_frame)
                    if frame:
                        frames.append(frame)
                elif (
                    dep[k] in _PARENTHETICAL_DEPS
                    and lemma[k] in self.data.reporting_verbs
                    and not _has_content(doc[k])
                    and k != trigger.i
                ):
                    frame = self._memo("verb", doc[k], self._verb_frame)
                    if frame:
                        frames.append(frame)
            if node.head.i == node.i or self._closed(node):
                break
            child, node = node, node.head
        return frames

    def _closed(self, node: Token) -> bool:
        """A relative clause with its own reporting verb and source ("…, which Moscow has denied") is the
        author's statement about the antecedent: frames above it do not apply."""
        return node.dep_ == "relcl" and node.lemma_.lower() in self.data.reporting_verbs and _subject(node) is not None

    def _is_content(self, verb: Token, child: Token) -> bool:
        """Is ``child`` (on the path from the trigger) the content of the reporting verb ``verb``?"""
        if verb.lemma_.lower() not in self.data.reporting_verbs or verb.pos_ not in ("VERB", "AUX"):
            return False
        if child.dep_ in _CONTENT_DEPS:
            return not (child.dep_ in ("dobj", "obj") and self._media_noun(child))
        if child.dep_ == "prep":
            return child.lower_ in self.data.content_preps
        return False

    def _verb_frame(self, verb: Token) -> list[Attribution]:
        subj = _subject(verb)
        if subj is None:
            return self._quoted_as_saying(verb)
        links: list[Attribution] = []
        for kid in verb.children:  # "told the newspaper / Reuters", "said in an interview with the BBC"
            target = kid
            if kid.dep_ == "prep" and kid.lower_ in ("to", "with", "in"):
                target = next((g for g in kid.children if g.dep_ == "pobj"), kid)
            if target.i != kid.i or kid.dep_ in ("dobj", "dative", "obj"):
                outlet = self._outlet_link(target)
                if outlet is None and self.data.kinds.get(target.lower_) == "media" and target.pos_ == "NOUN":
                    outlet = self._describe(target)  # "told the newspaper" with no paper named before
                if outlet is not None:
                    links.append(outlet)
        links.extend(self._source_links(subj))
        return links

    def _quoted_as_saying(self, verb: Token) -> list[Attribution]:
        """ "TASS quoted the ministry as saying that …" → [TASS, the ministry]."""
        as_ = verb.head
        quote = as_.head
        if as_.lower_ != "as" or quote.i == as_.i or quote.lemma_.lower() not in self.data.quote_verbs:
            return []
        links: list[Attribution] = []
        subj = _subject(quote)
        if subj is not None:
            links.extend(self._source_links(subj))
        obj = next((k for k in quote.children if k.dep_ in ("dobj", "obj")), None)
        if obj is not None:
            links.extend(self._source_links(obj))
        return links

    def _according_frame(self, according: Token) -> list[Attribution]:
        to = next((k for k in according.children if k.lower_ == "to"), None)
        pobj = None
        if to is not None:
            pobj = next((k for k in to.children if k.dep_ == "pobj"), None)
        if pobj is None:  # "according to" parsed flat
            nxt = according.nbor(1) if according.i + 1 < len(according.doc) else None
            if nxt is not None and nxt.lower_ == "to":
                pobj = next((k for k in nxt.children if k.dep_ == "pobj"), None)
        return self._source_links(pobj) if pobj is not None else []

    # -- sources --------------------------------------------------------------------------------------

    def _source_links(self, head: Token) -> list[Attribution]:
        """Links for one source phrase: an outlet that quotes it first, then the phrase itself."""
        links: list[Attribution] = []
        for kid in head.children:  # "a source quoted / cited by the Financial Times"
            if kid.dep_ == "acl" and kid.lemma_.lower() in self.data.quote_verbs:
                for agent in kid.children:
                    if agent.dep_ == "agent" or agent.lower_ == "by":
                        obj = next((g for g in agent.children if g.dep_ == "pobj"), None)
                        if obj is not None:
                            links.extend(self._source_links(obj))
        # "a report by / in / from Reuters" → the outlet
        if head.lemma_.lower() in ("report", "article", "story") or self._media_noun(head):
            for kid in head.children:
                if kid.dep_ == "prep" and kid.lower_ in ("by", "in", "from", "of"):
                    obj = next((g for g in kid.children if g.dep_ == "pobj"), None)
                    outlet = self._outlet_link(obj) if obj is not None else None
                    if outlet is not None:
                        return [*links, outlet]
        own = self._outlet_link(head) or self._describe(head)
        links.append(own)
        return links

    def _outlet_link(self, head: Token) -> Attribution | None:
        """The outlet a phrase names ("Reuters", "the FT") or points back to ("the newspaper")."""
        lo, hi = _phrase_bounds(head)
        for start, end, name, state in self._outlets:
            if start >= lo and end <= hi + 1:
                return Attribution(text=name, kind="media", country=state)
        if self._anaphor(head, lo, hi):
            before = [o for o in self._outlets if o[1] <= head.i]
            if before:
                _, _, name, state = before[-1]
                return Attribution(text=name, kind="media", country=state)
        return None

    def _anaphor(self, head: Token, lo: int, hi: int) -> bool:
        if head.lower_ not in self.data.anaphora:
            return False
        words = [t.lower_ for t in head.doc[lo : hi + 1]]
        return words[:1] == ["the"] and len(words) == 2

    def _media_noun(self, tok: Token) -> bool:
        return self.data.kinds.get(tok.lower_) == "media" or any(o[0] <= tok.i < o[1] for o in self._outlets)

    def _describe(self, head: Token) -> Attribution:
        lo, hi = _phrase_bounds(head)
        toks = list(head.doc[lo : hi + 1])
        if head.lemma_.lower() == "report" and head.i == hi and len(toks) > 1:
            # "British media reports" → "British media"; "a report" stays
            rest = [t for t in toks if t.i != head.i and t.dep_ != "det"]
            if rest and any(self.data.kinds.get(t.lower_) == "media" or t.pos_ in ("ADJ", "PROPN") for t in rest):
                toks = [t for t in toks if t.i != head.i and not (t.dep_ == "det" and t.i == lo)]
        text = _text(toks)
        kind = self._kind(head, toks)
        country = None
        if kind in ("government", "official") or (kind == "media" and any(t.lower_ == "state" for t in toks)):
            country = self._country(toks)  # officials, governments and state media speak for a state
        return Attribution(text=text, kind=kind, country=country)

    def _kind(self, head: Token, toks: list[Token]) -> str:
        lower = " ".join(t.lower_ for t in toks)
        for phrase, kind in self.data.phrases:
            if f" {phrase} " in f" {lower} ":
                return kind
        ordered = [head, *sorted((t for t in toks if t.i != head.i), key=lambda t: -t.i)]
        for tok in ordered:
            noun_kind = self.data.kinds.get(tok.lower_) or self.data.kinds.get(tok.lemma_.lower())
            if noun_kind and tok.pos_ in ("NOUN", "PROPN", "ADJ", "X"):
                return noun_kind
        if any(t.lower_ in self.data.bodies for t in toks):
            return "government"
        if head.ent_type_ in ("GPE",) or self._gazetteer().country_code([head.text]) is not None:
            return "government"
        party = self._party(toks)
        if party is not None and getattr(party, "sector", None) in ("GOV", "MIL"):
            return "government" if party.sector == "GOV" else "official"
        return "other"

    def _country(self, toks: list[Token]) -> str | None:
        codes: list[str] = []
        words = [t.text for t in toks]
        gaz = self._gazetteer()
        # conjoined sources ("Estonia and Poland") → one code only when they agree
        groups: list[list[str]] = [[]]
        for w, t in zip(words, toks, strict=True):
            if t.dep_ == "cc" or w == ",":
                groups.append([])
            else:
                groups[-1].append(w)
        for group in groups:
            code = gaz.country_code(group) if group else None
            if code:
                codes.append(code)
        if codes:
            return codes[0] if len(set(codes)) == 1 else None
        if not any(t.pos_ == "PROPN" or t.ent_type_ for t in toks):
            return None  # "diplomats said": no name to code, so no country (never guess from elsewhere)
        party = self._party(toks)
        country = getattr(party, "country", None) if party is not None else None
        return country if isinstance(country, str) and country and country != "UNK" else None

    def _party(self, toks: list[Token]) -> Any:
        """The party the actor coder makes of the source phrase (None when it codes none)."""
        if self._actor_coder is None:
            from brinkwatch.coder.actors import ActorCoder

            self._actor_coder = ActorCoder(self.doc)
        return self._actor_coder.party(self.doc[toks[0].i : toks[-1].i + 1])

    @staticmethod
    def _gazetteer() -> Any:
        from brinkwatch.lexicon.gazetteer import gazetteer

        return gazetteer()


def _subject(verb: Token) -> Token | None:
    """The source of a reporting verb: its subject (relative pronouns resolved; xcomp borrows the head's)."""
    subj = next((k for k in verb.children if k.dep_ in _SUBJ), None)
    if subj is None and verb.dep_ in ("xcomp", "conj") and verb.head is not verb:
        subj = next((k for k in verb.head.children if k.dep_ in _SUBJ), None)
    if subj is None:
        return None
    if subj.lower_ in _RELATIVE and verb.dep_ == "relcl":
        return verb.head
    if subj.lower_ in _SKIP_SUBJECTS or subj.pos_ == "PUNCT":
        return None
    return subj


def _has_content(verb: Token) -> bool:
    return any(k.dep_ in ("ccomp", "xcomp") for k in verb.children)


def _phrase_bounds(head: Token) -> tuple[int, int]:
    """Token bounds of a source phrase: the head's subtree without its clauses and most of its own
    prepositional phrases ("a source quoted by …", "officials on Thursday"); deeper words are kept whole
    ("Analysts at the Institute for the Study of War")."""
    keep = [head]
    stack = [k for k in head.children]
    while stack:
        tok = stack.pop()
        direct = tok.head.i == head.i
        if tok.dep_ in _CLAUSES or (
            direct and tok.dep_ in _DROP_FROM_SOURCE and not (tok.dep_ == "prep" and tok.lower_ in _KEEP_PREPS)
        ):
            continue
        keep.append(tok)
        stack.extend(tok.children)
    idx = sorted(t.i for t in keep)
    # contiguous run around the head
    lo = hi = head.i
    present = set(idx)
    while lo - 1 in present and head.i - (lo - 1) < _MAX_SOURCE_TOKENS:
        lo -= 1
    while hi + 1 in present and (hi + 1) - head.i < _MAX_SOURCE_TOKENS:
        hi += 1
    doc = head.doc
    while lo < hi and (doc[lo].is_punct or doc[lo].lower_ in ("according", "to")):
        lo += 1
    while hi > lo and (doc[hi].is_punct or doc[hi].dep_ == "cc"):
        hi -= 1
    return lo, hi


def _text(toks: Iterable[Token]) -> str:
    parts = list(toks)
    if not parts:
        return ""
    doc = parts[0].doc
    return doc[parts[0].i : parts[-1].i + 1].text.strip() if _contiguous(parts) else " ".join(t.text for t in parts)


def _contiguous(toks: list[Token]) -> bool:
    return all(b.i == a.i + 1 for a, b in itertools.pairwise(toks))
