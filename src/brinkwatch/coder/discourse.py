"""Discourse: what a word that names no party points at, across the sentences of one article.

Pure syntax and order — which *token* is meant; the actor coder (:mod:`brinkwatch.coder.actors`) codes it and
marks the party as inferred (``Party.resolved_from``):

* :meth:`Discourse.antecedent` — a personal pronoun ("he", "its", "they") → the nearest earlier noun phrase
  of the same kind (``fits``): the subject of a clause that governs it, else the nearest before it in its
  sentence, then in up to :data:`WINDOW` earlier sentences (their subject first, then left to right). The
  first noun phrase that fits is the antecedent even when it names no party we know: a pronoun never
  skips it for an older, coded one;
* :meth:`Discourse.speaker` — "we", "our", "I": the speaker of the quote they stand in: the subject of the
  reporting verb ("said", "told") that governs them, else of a reporting clause beside them in the sentence,
  else — in a sentence that is a quotation — of a contentless reporting clause in the next sentence
  (``"…," the minister said.``) or of the reporting verb of the sentence before;
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from spacy.tokens import Doc, Span, Token

from brinkwatch.coder.syntax import token_table

WINDOW = 3  # earlier sentences a pronoun or a collective may reach back to
PERSON = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
THING = frozenset({"it", "its", "itself"})
PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
FIRST = frozenset({"we", "us", "our", "ours", "ourselves", "i", "me", "my"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
OBJECTS = frozenset({"dobj", "dative", "pobj", "iobj"})
NP_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "dative", "appos", "conj", "attr", "poss", "ROOT"})
CONTENT = frozenset({"ccomp", "xcomp", "parataxis", "dobj", "advcl", "conj"})
QUOTES = frozenset({'"', "“", "”", "``", "''", "«", "»"})


def pronoun_kind(tok: Token) -> str | None:
    """'person', 'thing', 'plural' or 'first' for a personal pronoun, None for any other token."""
    if tok.pos_ != "PRON":
        return None
    low = tok.lower_
    if low in PERSON:
        return "person"
    if low in THING:
        return None if tok.dep_ == "expl" else "thing"
    if low in PLURAL:
        return "plural"
    if low in FIRST:
        return "first"
    return None


class Discourse:
    """The sentences of one parsed document and the walks over them."""

    def __init__(self, doc: Doc, reporting: frozenset[str]) -> None:
        self.doc = doc
        self.reporting = reporting
        self.sents: list[Span] = list(doc.sents) if doc.has_annotation("DEP") else [doc[:]]
        self._sent_of: list[int] = [0] * len(doc)
        for n, s in enumerate(self.sents):
            for i in range(s.start, s.end):
                self._sent_of[i] = n

    def sentence(self, tok: Token) -> int:
        return self._sent_of[tok.i]

    # -- pronouns -----------------------------------------------------------------------------------------

    def antecedent(self, pron: Token, kind: str, fits: Callable[[Token, str], bool]) -> Token | None:
        """The noun phrase head a third-person pronoun refers to (see the module doc), or None."""
        inside = {t.i for t in pron.head.subtree} if pron.dep_ == "poss" else {pron.i}
        if pron.dep_ in OBJECTS and not pron.lower_.endswith(("self", "selves")):
            # "Jane Doe met him": an object pronoun is not the subject of its own verb
            inside |= {c.i for c in pron.head.children if c.dep_ in SUBJECTS}
        for t in self._governing_subjects(pron):
            if t.i < pron.i and t.i not in inside and fits(t, kind):
                return t
        n = self.sentence(pron)
        for t in reversed(list(self._heads(self.sents[n], end=pron.i))):
            if (
                t.i not in inside
                and not any(a.i in inside for a in t.ancestors if a.i != pron.head.i)
                and fits(t, kind)
            ):
                return t
        for back in range(1, WINDOW + 1):
            if n - back < 0:
                break
            sent = self.sents[n - back]
            heads = list(self._heads(sent))
            subjects = [t for t in heads if t.dep_ in SUBJECTS and t.head.dep_ == "ROOT"]
            for t in [*subjects, *heads]:
                if fits(t, kind):
                    return t
        return None

    def _governing_subjects(self, tok: Token) -> Iterator[Token]:
        """Subjects of the clauses that govern ``tok``, innermost first."""
        t = tok
        for _ in range(12):
            if t.head.i == t.i:
                return
            child, t = t, t.head
            if t.pos_ in ("VERB", "AUX"):
                for c in t.children:
                    if c.dep_ in SUBJECTS and c.i != child.i and c.pos_ != "PRON":
                        yield c

    def _heads(self, sent: Span, end: int | None = None) -> Iterator[Token]:
        """Heads of the noun phrases of a sentence (before token ``end``), left to right."""
        table = token_table(self.doc)
        pos, dep = table.pos, table.dep
        stop = sent.end if end is None else min(end, sent.end)
        for i in range(sent.start, stop):
            if pos[i] in ("NOUN", "PROPN") and dep[i] in NP_DEPS:
                yield self.doc[i]

    # -- the speaker of a quote ---------------------------------------------------------------------------

    def speaker(self, pron: Token) -> Token | None:
        """The subject of the reporting verb whose quote holds a first-person pronoun (module doc), or None."""
        t = pron
        for _ in range(12):  # a reporting verb governing the pronoun's clause
            if t.head.i == t.i:
                break
            child, t = t, t.head
            if t.lemma_.lower() in self.reporting and child.dep_ in CONTENT:
                subj = self._subject(t)
                if subj is not None:
                    return subj
        n = self.sentence(pron)
        sent = self.sents[n]
        for t in sent:  # a reporting clause beside the quote: '"We will …," the minister said'
            if t.lemma_.lower() in self.reporting and not t.is_ancestor(pron) and t.i != pron.i:
                subj = self._subject(t)
                if subj is not None:
                    return subj
        if not any(t.text in QUOTES for t in sent):
            return None
        if n + 1 < len(self.sents):  # '"We will …"' + 'the minister said.'
            nxt = self.sents[n + 1]
            for t in nxt:
                if t.lemma_.lower() in self.reporting and not any(c.dep_ in ("ccomp", "dobj") for c in t.children):
                    subj = self._subject(t)
                    if subj is not None:
                        return subj
        if n > 0:  # 'The minister said on Monday:' + '"We will …"'
            for t in self.sents[n - 1]:
                if t.lemma_.lower() in self.reporting and t.pos_ in ("VERB", "AUX"):
                    subj = self._subject(t)
                    if subj is not None:
                        return subj
        return None

    @staticmethod
    def _subject(verb: Token) -> Token | None:
        subj = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
        if subj is None or subj.lower_ in FIRST or subj.lower_ in ("it", "this", "that", "there"):
            return None
        return subj
