"""Actors: spans of text → parties {text, country, sector, name}.

Two parts, both fed by the actor lexicon (:mod:`brinkwatch.lexicon.actors`: countries, capitals, demonyms,
IGOs, government bodies, people, groups, the places of ``data/gazetteer/places.csv`` that name actors, role
nouns):

* ``add_entity_ruler(nlp)`` adds a phrase-matching component before the statistical NER. It labels
  GPE / NORP / ORG / PERSON spans and stores the code in the entity id (``ent.ent_id_``) as
  ``"COUNTRY|SECTOR|Canonical name|kind"`` (``"RUS|GOV|the Kremlin|body"``, ``"NATO||NATO|igo"``), so NER
  misses (a capital tagged PERSON, Belarus tagged ORG) do not break coding.
* ``ActorCoder(doc)`` turns a span or the syntactic head of an argument into parties. Behaviour:
  - metonymy: capitals and seats of power are the government (Moscow, the Kremlin → RUS GOV);
  - demonym + noun takes the noun's sector ("Russian aircraft" → RUS MIL); possessives likewise;
  - heads that are places ("Estonian airspace", "the border") are not parties: ``party`` returns None;
  - relational nouns with a possessor ("Russia's neighbors") are not the possessor: UNK GOV;
  - "the alliance" / "the bloc" / "member states" → the organisation in focus (last one of that kind
    mentioned earlier in the document; NATO / EU by default);
  - "ethnic Albanians" is coded by the country they live in (another country named in the sentence);
  - a bare role ("police", "the Foreign Ministry", "rebels") takes its country from the sentence: a place
    after "in", else the nearest state mention; UNK when there is none;
  - conjuncts ("Estonia and Poland", "Hungarian and Romanian officials") give one party each (``parties``).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from brinkwatch.coder.discourse import Discourse, pronoun_kind
from brinkwatch.coder.phoenix import form_key
from brinkwatch.coder.places import state_after
from brinkwatch.coder.syntax import TokenTable, token_table
from brinkwatch.core.records import Party
from brinkwatch.lexicon.actors import (
    PLACE_KINDS,
    SECTORS,
    Anaphor,
    Entry,
    Lexicon,
    code_kind,
    country_name,
    is_international,
    iter_codes,
    lexicon,
    lookup,
    parse_ent_id,
)
from brinkwatch.lexicon.events import lexicon as events_lexicon
from brinkwatch.lexicon.phoenix import Candidate, PhoenixActors, phoenix
from brinkwatch.lexicon.sources import source_data

__all__ = [
    "RULER_NAME",
    "SECTORS",
    "ActorCoder",
    "ActorRuler",
    "Entry",
    "Lexicon",
    "Mention",
    "add_entity_ruler",
    "code_entities",
    "code_kind",
    "country_name",
    "is_international",
    "iter_codes",
    "lexicon",
    "lookup",
    "parse_ent_id",
]

RULER_NAME = "brinkwatch_actor_ruler"
ACTOR_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
INNER_DEPS = frozenset({"compound", "amod", "nmod"})  # a name modifying a noun ("the Kalashnikov rifle")
CONTAINED_KINDS = frozenset({"city", "region", "capital"})  # mentions a following state can place elsewhere
# Dependents of the head that start a post-modifier ("rebels in Darfur"): their mentions are weaker.
POST_DEPS = frozenset({"prep", "acl", "relcl", "advcl", "agent"})
SPLIT_DEPS = frozenset({"conj", "cc", "preconj"})
STRIP_POS = frozenset({"PUNCT", "CCONJ", "DET", "SPACE"})
HEAD_POS = frozenset({"NOUN", "PROPN", "NUM", "PRON", "ADJ"})
_UNSET = object()
# Phoenix record kinds → the lexicon's mention kinds; a state record by the role of the form that named it
PHOENIX_KINDS = {"person": "person", "body": "body", "igo": "igo", "ngo": "ngo", "mnc": "group", "group": "group"}
PHOENIX_PLACES = {"name": "country", "demonym": "demonym", "capital": "capital", "place": "region"}
PARTY_KINDS = frozenset({"country", "capital", "igo", "ngo", "img", "west", "body", "group"})  # "it" can be one
COLLECTIVE_WORDS = frozenset({"two", "both", "three"})  # "the two allies", "both countries"


# ---------------------------------------------------------------------------------------------------------
# The entity ruler


class ActorRuler:
    """Phrase matcher over the lexicon: one-token names match case-sensitively (Chad, Turkey, US ≠ us), longer
    names case-insensitively (attr LOWER). Longest match wins; existing entities that overlap are replaced."""

    def __init__(self, nlp: Language) -> None:
        lex = lexicon()
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.labels: dict[int, tuple[str, str]] = {}
        exact: dict[str, list[Doc]] = {}
        lower: dict[str, list[Doc]] = {}
        for entry in lex.entries:
            doc = nlp.make_doc(entry.key)
            if len(doc) == 0:
                continue
            ent_id = entry.ent_id
            self.labels[nlp.vocab.strings.add(ent_id)] = (entry.label, ent_id)
            if len(doc) == 1 or entry.exact:
                forms = {entry.key, entry.key[:1].upper() + entry.key[1:]}
                if len(entry.key) > 3 and not entry.exact:
                    forms.add(entry.key.upper())
                exact.setdefault(ent_id, []).extend(nlp.make_doc(f) for f in sorted(forms))
            else:
                lower.setdefault(ent_id, []).append(doc)
        for ent_id, docs in exact.items():
            self.exact.add(ent_id, docs)
        for ent_id, docs in lower.items():
            self.lower.add(ent_id, docs)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in [*self.exact(doc), *self.lower(doc)]:
            label, ent_id = self.labels[match_id]
            spans.append(Span(doc, start, end, label=label, span_id=ent_id))
        if not spans:
            return doc
        new = filter_spans(spans)
        taken = {i for s in new for i in range(s.start, s.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = sorted([*kept, *new], key=lambda s: s.start)
        return doc


@Language.factory(RULER_NAME)
def _make_actor_ruler(nlp: Language, name: str) -> ActorRuler:
    return ActorRuler(nlp)


def add_entity_ruler(nlp: Language) -> None:
    """Add the data-driven actor ruler before the statistical NER (idempotent)."""
    if RULER_NAME in nlp.pipe_names:
        return
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(RULER_NAME, before="ner")
    else:
        nlp.add_pipe(RULER_NAME, last=True)


# ---------------------------------------------------------------------------------------------------------
# Coding


@dataclass(frozen=True, slots=True)
class Mention:
    """A coded entity in the document (from the ruler's id, or an NER entity found in the lexicon)."""

    start: int  # token offsets
    end: int
    code: str
    sector: str | None
    name: str
    kind: str


def article_date(published: str | dt.date | None) -> dt.date | None:
    """The article's date from ``published`` (an ISO date or datetime; None when absent or unreadable)."""
    if published is None or isinstance(published, dt.date):
        return published
    try:
        return dt.date.fromisoformat(str(published).strip()[:10])
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Source:
    """Where an inferred party's state was read: the words (``text``) and their character offsets (None for a
    rule such as "article: Egypt")."""

    code: str
    text: str
    start: int | None = None
    end: int | None = None


STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})  # sectors that act for a state


class ActorCoder:
    """Codes the actors of one document; keeps document memory ("the alliance" → the IGO in focus).
    ``published``: the article's date — dated dictionary roles (office holders) are resolved against it."""

    def __init__(self, doc: Doc, published: str | dt.date | None = None) -> None:
        self.doc = doc
        self.lex = lexicon()
        self.phx: PhoenixActors = phoenix()
        self.date = article_date(published)
        self.venue_preps = events_lexicon().rules.locative_preps  # "in", "at", "near" …: where, not who
        self.mentions: list[Mention] = []
        self._at: dict[int, Mention] = {}
        self._coding: set[int] = set()  # heads whose parties are being coded (a reference back to one is cut)
        self._table: TokenTable = token_table(doc)
        self._roles: dict[int, str | None] = {}  # _role per token (a function of the doc and its mentions)
        self._starts: list[int] = []  # mention bounds for bisecting (entities are sorted, never overlap)
        self._ends: list[int] = []
        self._discourse: Discourse | None = None
        self._inferred: dict[int, str] = {}  # mention start → the earlier mention it was resolved from
        self._sources: dict[tuple[int | None, str], tuple[int, int]] = {}  # (party start, state) → source offsets
        self._canonical: dict[tuple[int | None, str], str] = {}  # (party start, state) → the record's sector
        people: dict[str, tuple[Mention, str]] = {}  # a coded person's surname → (mention, text)
        for ent in doc.ents:
            mention = self._mention(ent)
            if mention is None and ent.label_ == "PERSON":  # "Castro" after "Fidel Castro": the same person
                earlier = people.get(ent[-1].lower_)
                if earlier is not None:
                    m0, text = earlier
                    mention = Mention(ent.start, ent.end, m0.code, m0.sector, m0.name, m0.kind)
                    self._inferred[ent.start] = text
            if mention is not None and mention.kind in CONTAINED_KINDS:
                mention = self._contained(mention)
            if mention is not None:
                self.mentions.append(mention)
                for i in range(ent.start, ent.end):
                    self._at[i] = mention
                if mention.kind == "person" and len(ent) > 1 and ent.start not in self._inferred:
                    people[ent[-1].lower_] = (mention, ent.text)
        self._introduced_people(people)
        self._defined_acronyms()
        starts = [m.start for m in self.mentions]
        ends = [m.end for m in self.mentions]
        if all(a <= b for a, b in zip(ends, starts[1:], strict=False)):
            self._starts, self._ends = starts, ends
        else:  # never for doc.ents; keeps _overlapping exact if it were so
            self._starts, self._ends = [], []

    def _introduced_people(self, known: dict[str, tuple[Mention, str]]) -> None:
        """A person named again by surname is the person named before: one the dictionaries know (``known``:
        surname → its latest full mention and text) where the NER tags the surname as an organisation or as a place
        the gazetteer does not know ("Castro thanked Reno"), or misses it; and one they do not know, introduced
        by an apposition ("Ricardo Alarcon, the head of Cuba's National Assembly"; "Pakistan's interior
        minister, Rehman Malik"). The later mention is coded as the first one's, inferred from it; a name
        modifying a noun ("the Kalashnikov rifle") is not the person."""
        people = dict(known)
        added = False
        for ent in self.doc.ents:
            if ent.label_ not in ("PERSON", "ORG", "GPE") or ent.start in self._at:
                continue
            surname = ent[-1].lower_
            earlier = people.get(surname)
            named = ent.label_ == "PERSON" or len(ent) == 1  # a lone surname is often tagged ORG or GPE
            if earlier is not None and earlier[0].start < ent.start and named and ent.root.dep_ not in INNER_DEPS:
                self._add_inferred(ent.start, ent.end, earlier[0], "person", earlier[1])
                added = True
            elif ent.label_ == "PERSON" and len(ent) > 1 and surname not in people:
                party = self._apposed_party(ent)
                if party is not None:
                    people[surname] = (
                        Mention(ent.start, ent.end, party.country, party.sector, ent.text, "person"),
                        ent.text,
                    )
        if people:
            for tok in self.doc:  # a surname the NER missed ("Dukhanin praised …" after "Mikhail Dukhanin, …")
                if tok.pos_ != "PROPN" or tok.ent_iob_ != "O" or tok.dep_ in INNER_DEPS or tok.i in self._at:
                    continue
                earlier = people.get(tok.lower_)
                if earlier is not None and earlier[0].start < tok.i:
                    self._add_inferred(tok.i, tok.i + 1, earlier[0], "person", earlier[1])
                    added = True
        if added:
            self.mentions.sort(key=lambda m: m.start)

    def _defined_acronyms(self) -> None:
        """An acronym the article defines after a coded name ("the Rapid Support Forces (RSF)") is that party
        wherever the article uses it — also where a dictionary knows the letters as another party (RSF,
        Reporters Without Borders). Only a name of an organisation or group whose capitalised words' initials
        spell the acronym defines it; the later mention is inferred from the name."""
        doc = self.doc
        defined: dict[str, Mention] = {}
        for tok in doc:
            if tok.text != "(" or tok.i == 0 or tok.i + 2 >= len(doc) or doc[tok.i + 2].text != ")":
                continue
            acr = doc[tok.i + 1].text
            named = self._at.get(tok.i - 1)
            if named is None or named.end != tok.i or named.kind in NOT_ACRONYM_KINDS or not _acronym(acr):
                continue
            if _initials_spell(acr, doc[named.start : named.end].text) and acr not in defined:
                defined[acr] = named
        if not defined:
            return
        for tok in doc:
            named = defined.get(tok.text)
            if named is None or tok.i < named.end:
                continue
            old = self._at.get(tok.i)
            if old is not None and (old.end - old.start > 1 or (old.code, old.sector) == (named.code, named.sector)):
                continue  # a longer name holds it, or it already is that party
            if old is not None:
                self.mentions.remove(old)
            self._add_inferred(tok.i, tok.i + 1, named, named.kind, doc[named.start : named.end].text)
        self.mentions.sort(key=lambda m: m.start)

    def _add_inferred(self, start: int, end: int, like: Mention, kind: str, source: str) -> None:
        """A mention of tokens [start, end) coded as ``like``, inferred from the text ``source`` (the caller sorts
        ``mentions`` once it has added them all)."""
        m = Mention(start, end, like.code, like.sector, like.name, kind)
        self._inferred[start] = source
        self.mentions.append(m)
        for i in range(start, end):
            self._at[i] = m

    def _apposed_party(self, ent: Span) -> Party | None:
        """The coded party an apposition makes of a name: its own apposition, or the noun phrase it apposes."""
        root = ent.root
        spans: list[Span] = []
        if any(c.dep_ == "appos" and not ent.start <= c.i < ent.end for c in root.children):
            whole = self._arg_span(root)  # the name with its apposition, coded as an argument would be
            if whole is not None:
                spans.append(whole)
        if root.dep_ == "appos" and root.head.i < ent.start and root.head.pos_ in ("NOUN", "PROPN"):
            spans.append(self.doc[root.head.left_edge.i : root.head.i + 1])
        for span in spans:
            coded = [p for p in self._code(span) if p.country != "UNK"]
            if len(coded) == 1:
                return coded[0]
        return None

    def _contained(self, m: Mention) -> Mention:
        """A place followed by the state it lies in is that state's: "Birmingham, Ala." (not England's),
        "Paris, Texas" (a city, not France's capital)."""
        inside = state_after(self.doc, m.end)
        if inside is None or inside[0] == m.code:
            return m
        return Mention(m.start, m.end, inside[0], m.sector, m.name, "city")

    def _mention(self, ent: Span) -> Mention | None:
        ent_id = ent.ent_id_  # (a span's entity id is its root's: computed once here)
        if ent_id:
            phx_key = form_key(ent_id)
            if phx_key is not None:
                return self._phoenix_mention(ent, phx_key)
            parsed = _parsed_ent_id(ent_id)
            if parsed is not None:
                if parsed[3] in ("person", "group") and self.date is not None:  # the role held that day
                    dated = self.phx.lookup(parsed[2], self.date)
                    if dated and dated[0].how in ("hand-dated", "dated") and dated[0].kind == parsed[3]:
                        return Mention(ent.start, ent.end, dated[0].country, dated[0].sector, parsed[2], parsed[3])
                return Mention(ent.start, ent.end, *parsed)
        if ent.label_ not in ("GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"):
            return None
        entry = lookup(ent.text, fuzzy=ent.label_ in ("GPE", "NORP", "LOC"))
        if entry is not None:
            return Mention(ent.start, ent.end, entry.code, entry.sector, entry.name, entry.kind)
        found = self._phoenix_mention(ent, ent.text)
        if found is None and ent.label_ == "PERSON" and len(ent) == 1:  # "Kuchma": the office holder of the day
            cand = self.phx.surname(ent.text, self.date)
            if cand is not None:
                found = Mention(ent.start, ent.end, cand.country, cand.sector, cand.name, "person")
        return found

    def _phoenix_mention(self, ent: Span, text: str) -> Mention | None:
        """A dictionary party for an entity (its form key or its text), resolved on the article's date."""
        found = self.phx.lookup(text, self.date)
        if not found:
            return None
        cand: Candidate = found[0]
        if cand.kind == "state":
            kind = PHOENIX_PLACES.get(self.phx.place.get(self.phx_key(text), ""), "body")
            if kind == "region":  # the dictionary's places include spellings of the state itself ("Ethopia")
                entry = lookup(ent.text)
                if entry is not None and entry.kind == "country" and entry.code == cand.country:
                    kind = "country"
        else:
            kind = PHOENIX_KINDS.get(cand.kind, "group")
        sector = None if kind in ("country", "demonym") else cand.sector
        return Mention(ent.start, ent.end, cand.country, sector, cand.name, kind)

    def phx_key(self, text: str) -> str:
        from brinkwatch.lexicon.phoenix import key

        k = key(text)
        return k if k in self.phx.forms else k.removeprefix("the ").removesuffix("'s")

    # -- public interface -------------------------------------------------------------------------------

    def parties(self, head: Token) -> list[Party]:
        """The parties a syntactic argument (its head token) denotes; conjuncts split into several."""
        if head.pos_ == "ADP" or head.dep_ == "agent":  # "by Russia's neighbors" → the object
            head = next((c for c in head.children if c.dep_ == "pobj"), head)
        heads = sorted({head, *head.conjuncts, *_listed(head)}, key=lambda t: t.i)
        out: list[Party] = []
        seen: set[tuple[str, str | None]] = set()
        for h in heads:
            span = self._arg_span(h)
            if span is None or h.i in self._coding:
                continue  # a span already being coded further up ("Putin himself": the reflexive's antecedent)
            self._coding.add(h.i)
            try:
                coded = self._code(span)
            finally:
                self._coding.discard(h.i)
            for party in coded:
                if (party.country, party.sector) not in seen:
                    seen.add((party.country, party.sector))
                    out.append(party)
        return out

    def role_of(self, tok: Token) -> str | None:
        """The sector of a noun for people in the project's roles (``roles.yaml``: "hostages" → CVL), else None
        (the dictionary's agent nouns are left out: they include event words such as "settlement")."""
        return self.lex.roles.get((tok.lower_,)) or self.lex.roles.get((tok.lemma_.lower(),))

    def states_in(self, span: Span) -> set[str]:
        """The states a span (a sentence) names."""
        return {m.code for m in self._overlapping(span.start, span.end) if m.code in self.lex.iso}

    def mention_kind(self, tok: Token) -> str | None:
        """The kind of the coded mention at ``tok`` (country, capital, city, region, person, …), None if none."""
        m = self._at.get(tok.i)
        return m.kind if m is not None else None

    def party(self, span: Span) -> Party | None:
        """Code one span (an entity or noun chunk) as a party, or None."""
        coded = self._code(span)
        return coded[0] if coded else None

    # -- internals --------------------------------------------------------------------------------------

    def _arg_span(self, head: Token) -> Span | None:
        """The head's subtree without its conjuncts, trimmed of edge punctuation/determiners."""
        table = self._table
        kids, deps = table.kids, table.dep
        drop: set[int] = set()  # children whose subtrees are left out
        listed: set[int] | None = None
        for k in kids[head.i]:
            if deps[k] in SPLIT_DEPS:
                drop.add(k)
            elif deps[k] == "appos":
                if listed is None:
                    listed = {t.i for t in _listed(head)}
                if k in listed:
                    drop.add(k)
        pos: set[int] = set()  # the head's subtree without the dropped children's
        stack = [head.i]
        while stack:
            i = stack.pop()
            if i not in pos:  # (a tree has no cycles; a hand-built doc might)
                pos.add(i)
                stack.extend(k for k in kids[i] if k not in drop)
        # keep the contiguous run around the head
        lo = hi = head.i
        while lo - 1 in pos:
            lo -= 1
        while hi + 1 in pos:
            hi += 1
        tags = self._table.pos
        while lo < head.i and tags[lo] in STRIP_POS:
            lo += 1
        while hi > head.i and tags[hi] in STRIP_POS:
            hi -= 1
        doc = self.doc
        if hi + 1 < len(doc) and doc[hi + 1].text == ")" and any(doc[k].text == "(" for k in range(lo, hi + 1)):
            hi += 1  # "the Rapid Support Forces (RSF)": the parenthesis closes inside the party's text
        return doc[lo : hi + 1]

    def _party(
        self,
        span: Span,
        m: Mention | None,
        code: str,
        sector: str | None,
        name: str | None,
        resolved_from: str | Source | None = None,
    ) -> Party:
        if isinstance(resolved_from, Source):
            if resolved_from.start is not None and resolved_from.end is not None:
                self._sources[(span.start_char, code)] = (resolved_from.start, resolved_from.end)
            resolved_from = resolved_from.text
        if resolved_from is None and m is not None:
            resolved_from = self._inferred.get(m.start)
        return Party(
            text=span.text,
            country=code,
            sector=sector,
            name=name if name is not None else (m.name if m else country_name(code)),
            start=span.start_char,
            end=span.end_char,
            resolved_from=resolved_from,
        )

    @property
    def discourse(self) -> Discourse:
        if self._discourse is None:
            self._discourse = Discourse(self.doc, source_data().reporting_verbs)
        return self._discourse

    def names_people(self, tok: Token) -> bool:
        """Does the word itself name a party or people — a known actor, a role or agent noun, a pronoun, a name,
        a relation ("his counterpart"), a number of them — rather than a thing ("the standards", "NATO's
        requirements", "fierce resistance")?"""
        lex = self.lex
        low, lemma = tok.lower_, tok.lemma_.lower()
        return (
            tok.i in self._at
            or tok.pos_ in ("PROPN", "PRON", "NUM")
            or tok.ent_type_ in ACTOR_LABELS
            or self._role(tok) is not None
            or any(w in vocab for w in (low, lemma) for vocab in (lex.relational, lex.partitives, lex.generic_heads))
            or (low,) in lex.anaphors
            or (lemma,) in lex.anaphors
        )

    def _role(self, tok: Token) -> str | None:
        """The sector of the longest role phrase ending at ``tok`` ("foreign minister", "police")."""
        i = tok.i
        got = self._roles.get(i, _UNSET)
        if got is _UNSET:
            got = self._roles[i] = self._role_at(tok)
        return got  # type: ignore[return-value]

    def _role_at(self, tok: Token) -> str | None:
        """The role of the phrase ending at ``tok``; a generic head takes its modifier's ("rebel leaders" →
        REB, "police officials" → COP; "leaders" alone → GOV)."""
        own = self._role_words(tok)
        if tok.lower_ in self.lex.generic_heads or tok.lemma_.lower() in self.lex.generic_heads:
            for c in tok.children:
                if c.dep_ in ("compound", "amod") and c.i == tok.i - 1 and c.i not in self._at:
                    mod = self._role_words(c)
                    if mod is not None and c.lower_ not in self.lex.generic_heads:
                        return mod
        return own

    def _role_words(self, tok: Token) -> str | None:
        """The project's role nouns (``roles.yaml``) first, then the dictionary's agent nouns."""
        i = tok.i
        at, lower, roles = self._at, self._table.lower, self.lex.roles
        for n in range(min(self.lex.max_role_len, i + 1), 0, -1):
            if n > 1 and any(j in at for j in range(i - n + 1, i + 1)):
                continue
            key = tuple(lower[i - n + 1 : i + 1])
            if key in roles:
                return roles[key]
            if n == 1 and (tok.lemma_.lower(),) in roles:
                return roles[(tok.lemma_.lower(),)]
        agents = self.phx.agents
        for n in range(min(3, i + 1), 0, -1):
            if n > 1 and any(j in at for j in range(i - n + 1, i + 1)):
                continue
            got = agents.get(" ".join(lower[i - n + 1 : i + 1]))
            if got is not None:
                return got
        return None

    def _head_of(self, span: Span) -> Token:
        """``_head_of`` on the document's token table (no Token objects built for the span's tokens)."""
        table = self._table
        if span.doc is not self.doc or table.size != len(self.doc):
            return _head_of(span)
        start, end = span.start, span.end
        heads, tags = table.heads, table.pos
        tops = [i for i in range(start, end) if heads[i] < start or heads[i] >= end or heads[i] == i]
        nominal = [i for i in tops if tags[i] in HEAD_POS]
        if len(tops) > 1 and nominal:
            return self.doc[nominal[-1]]
        root = span.root
        if tags[root.i] in ("VERB", "AUX"):  # a mis-parse ("The Red Cross operating in Iraq"): take its subject
            subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and start <= c.i < end]
            nouns = [i for i in range(start, end) if tags[i] in ("NOUN", "PROPN") and i < root.i]
            if subj:
                return subj[-1]
            if nouns:
                return self.doc[nouns[-1]]
        return root

    def _anaphor(self, span: Span, root: Token) -> tuple[Mention | None, Anaphor] | None:
        for n in (2, 1):
            if root.i - n + 1 < span.start:
                continue
            key = tuple(self._table.lower[root.i - n + 1 : root.i + 1])
            lemma_key = (*key[:-1], root.lemma_.lower())
            spec = self.lex.anaphors.get(key) or self.lex.anaphors.get(lemma_key)
            if spec is None:
                continue
            for m in reversed(self._before(span.start)):
                if m.start >= span.start:
                    continue
                kind = self.lex.org_kind(m.code)
                if kind != "igo":
                    continue
                rec = self.lex.orgs[m.code]
                if spec.kind == "any" or getattr(rec, spec.kind):
                    return m, spec
            return None, spec
        return None

    def _overlapping(self, start: int, end: int) -> list[Mention]:
        """Mentions overlapping tokens [start, end), in order (entities do not overlap: a bisect window)."""
        mentions = self.mentions
        if len(self._starts) != len(mentions):  # mentions changed by a caller: scan them all
            return [m for m in mentions if not (m.end <= start or m.start >= end)]
        lo = bisect.bisect_right(self._ends, start)
        hi = bisect.bisect_left(self._starts, end)
        return mentions[lo:hi] if lo < hi else []

    def _before(self, start: int) -> list[Mention]:
        """Mentions starting before token ``start`` (all mentions when they cannot be bisected)."""
        if len(self._starts) != len(self.mentions):
            return self.mentions
        return self.mentions[: bisect.bisect_left(self._starts, start)]

    def _core_and_post(self, span: Span, root: Token) -> tuple[list[Mention], list[Mention]]:
        inside = self._overlapping(span.start, span.end)
        if not inside:
            return [], []
        post: set[int] = set()
        doers: set[int] = set()  # the "by" agent of a clause on the head: another party
        # state agents ("ministers of member states meeting in the Ethiopian capital") are not of the state
        # where a clause on them places them; civilians are coded by where they live and work
        state_agent = self._role(root) in STATE_SECTORS
        for child in root.children:
            if child.dep_ in POST_DEPS and child.i > root.i:
                post.update(t.i for t in child.subtree)
                for t in child.subtree if state_agent else ():
                    if t.dep_ == "prep" and t.lower_ in self.venue_preps and t.head.i != root.i:
                        doers.update(x.i for x in t.subtree)
                if child.dep_ in ("acl", "relcl"):
                    for by in child.children:
                        if by.dep_ == "agent" or (by.dep_ == "prep" and by.lower_ == "by"):
                            doers.update(t.i for t in by.subtree)
        core: list[Mention] = []
        later: list[Mention] = []
        for m in inside:
            if m.start in doers:
                continue  # "the victims, who were killed by Russian troops": not Russian
            (later if m.start in post else core).append(m)
        return core, later

    def _code(self, span: Span) -> list[Party]:
        if len(span) == 0:
            return []
        lex = self.lex
        root = self._head_of(span)
        head_m = self._at.get(root.i)
        kind = pronoun_kind(root) if head_m is None else None
        if kind is not None:
            return self._pronoun(span, root, kind)
        if head_m is None and (root.lower_ in lex.partitives or root.pos_ == "NUM"):
            inner = self._partitive_object(span, root)
            if inner is not None:
                return [self._retext(p, span) for p in inner]
        if head_m is None and root.pos_ == "PROPN" and root.ent_iob_ == "O":
            entry = lookup(root.text)
            if entry is not None:
                head_m = Mention(root.i, root.i + 1, entry.code, entry.sector, entry.name, entry.kind)
        role = self._role(root)
        lemma = root.lemma_.lower()
        if head_m is None and (lemma in lex.places or root.lower_ in lex.places):
            return []
        core, post = self._core_and_post(span, root)
        core = [m for m in core if not self._patron(m)]  # "Iranian-backed militias": Iran backs them, is not them
        if head_m is not None:
            party = self._from_head(span, root, head_m, core)
            return [] if party is None else [party]
        # relational nouns with a possessor: "Russia's neighbors" are not Russia
        if root.lower_ in lex.relational or lemma in lex.relational:
            owner = next((m for m in core if any(self.doc[i].dep_ == "poss" for i in range(m.start, m.end))), None)
            if owner is not None:
                rel_sector = self._modifier_role(span, root) or "GOV"
                if post:  # "Israel's militia ally in southern Lebanon"
                    return [self._party(span, post[0], post[0].code, rel_sector, None)]
                return [self._party(span, None, "UNK", rel_sector, f"{root.text} of {owner.name}")]
        modifiers = [m for m in core if m.end <= root.i or m.start > root.i]
        if not modifiers:
            collective = self._collective(span, root, role)
            if collective:
                return collective
            ana = self._anaphor(span, root)
            if ana is not None:
                m, spec = ana
                return [self._party(span, m, m.code if m else spec.default, spec.sector or role, None)]
        if root.ent_type_ and root.ent_type_ not in ACTOR_LABELS:
            return []  # a date, number, continent, event …
        named = root.pos_ == "PROPN" or root.ent_type_ in ("PERSON", "ORG")
        sector = role or (self._modifier_role(span, root) or self._apposed_role(span, root) if named else None)
        if named and sector is None and not modifiers:  # "Jane Doe, the Ruritanian minister": the apposition
            apposed = self._apposition(span, root)
            if apposed is not None:
                return [apposed]
        if sector is None and not named:  # an abstract noun: only its possessor can be a party
            modifiers = [m for m in modifiers if self._owner_like(m)]
            post = []
        if modifiers:
            return self._from_modifiers(span, root, modifiers, sector)
        if sector is None and not named:
            return []  # an abstract noun ("actions against Russia"): not a party
        owner = self._pronoun_owner(root)
        if owner is not None:  # "its pilots" → the organisation or state named before "its"
            return [self._party(span, owner, owner.code, sector, None, self._source(owner))]
        if post:
            m = post[0]
            return [self._party(span, m, m.code, sector or _mention_sector(m), None)]
        if named and sector in (None, "SOC"):
            return [self._party(span, None, "UNK", sector, None)]  # a name we do not know: kept as text, UNK
        got = self._context(span) or self._discourse_country(span)
        if got is None:
            return [self._party(span, None, "UNK", sector, None)]
        return [self._party(span, None, got.code, sector, None, got)]

    # -- parties the words do not name: pronouns, collectives, appositions, patrons ----------------------

    def _pronoun(self, span: Span, pron: Token, kind: str) -> list[Party]:
        """A personal pronoun → the parties of its antecedent (of the speaker of its quote for "we"), marked
        as resolved from it; nothing when the antecedent is unknown."""
        disc = self.discourse
        target = disc.speaker(pron) if kind == "first" else disc.antecedent(pron, kind, self._fits)
        if target is None or target.i == pron.i:
            return []
        out: list[Party] = []
        for p in self.parties(target):
            where = self.source_of(p) or (p.start, p.end)
            source = Source(p.country, p.resolved_from or p.text, where[0], where[1])
            out.append(self._party(span, None, p.country, p.sector, p.name, source))
        return out

    def _fits(self, tok: Token, kind: str) -> bool:
        """Can the noun phrase headed by ``tok`` be what a pronoun of ``kind`` refers to?"""
        m = self._at.get(tok.i)
        ent = tok.ent_type_
        plural = tok.tag_ in ("NNS", "NNPS")
        institution = tok.lemma_.lower() in self.lex.institutions
        if kind == "person":
            if m is not None:
                return m.kind == "person"
            if ent:
                return ent == "PERSON"
            return tok.pos_ == "NOUN" and not plural and not institution and self._role(tok) is not None
        if kind == "thing":
            if m is not None:
                return m.kind in PARTY_KINDS
            if ent:
                return ent in ("ORG", "GPE")
            return tok.pos_ == "NOUN" and not plural and institution
        if m is not None:  # plural
            return m.kind in ("demonym", "group", "igo", "ngo", "img", "west", "body") or plural or bool(tok.conjuncts)
        if ent:
            return ent in ("ORG", "NORP") or (bool(tok.conjuncts) and ent in ("GPE", "PERSON"))
        return tok.pos_ == "NOUN" and (plural or bool(tok.conjuncts)) and self._role(tok) is not None

    def _collective(self, span: Span, root: Token, role: str | None) -> list[Party]:
        """ "the two allies", "both countries", "the two presidents": the last two (three) distinct states or
        organisations named before, in the sentence or the few before it."""
        if root.tag_ not in ("NNS", "NNPS"):
            return []
        count = next((c.lower_ for c in root.children if c.lower_ in COLLECTIVE_WORDS and c.i < root.i), None)
        lemma = root.lemma_.lower()
        if count is None or (role is None and lemma not in self.lex.relational and lemma != "side"):
            return []
        want = 3 if count == "three" else 2
        first_sent = max(0, self.discourse.sentence(root) - 3)
        lowest = self.discourse.sents[first_sent].start
        found: list[Mention] = []
        for m in reversed(self._before(span.start)):
            if m.start < lowest:
                break
            if m.kind in PLACE_KINDS or m.code == "UNK" or any(f.code == m.code for f in found):
                continue
            if m.code in self.lex.iso or self.lex.org_kind(m.code) == "igo" or m.kind == "person":
                found.append(m)
            if len(found) == want:
                break
        if len(found) < want:
            return []
        sector = None if lemma in ("side", "country", "nation", "state") else role
        return [
            self._party(span, m, m.code, sector if m.kind != "person" else (m.sector or sector), None, self._source(m))
            for m in reversed(found)
        ]

    def _apposition(self, span: Span, root: Token) -> Party | None:
        """An unknown name with a coded apposition ("Jane Doe, the Ruritanian foreign minister")."""
        for child in root.children:
            if child.dep_ == "appos" and span.start <= child.i < span.end:
                inner = self.doc[child.left_edge.i : min(child.right_edge.i + 1, span.end)]
                coded = self._code(inner)
                if coded and coded[0].country != "UNK":
                    return self._retext(coded[0], span)
        return None

    def _apposed_role(self, span: Span, root: Token) -> str | None:
        """The sector an apposition gives a name: "Jane Doe, Hungary's foreign minister" → GOV."""
        for child in root.children:
            if child.dep_ == "appos" and span.start <= child.i < span.end and child.i not in self._at:
                role = self._role(child)
                if role is not None:
                    return role
        return None

    def _patron(self, m: Mention) -> bool:
        """ "Iranian-backed", "Russia-supported": the mention backs the party, it is not the party."""
        tok = self.doc[m.end - 1]
        head = tok.head
        if head.i != tok.i and head.tag_ == "VBN" and head.lower_ in self.lex.patrons and head.i > tok.i:
            return True
        nxt = self.doc[m.end : m.end + 2]
        return len(nxt) == 2 and nxt[0].text == "-" and nxt[1].lower_ in self.lex.patrons

    def _mention_text(self, m: Mention) -> str:
        return self.doc[m.start : m.end].text

    def _source(self, m: Mention) -> Source:
        span = self.doc[m.start : m.end]
        return Source(m.code, span.text, span.start_char, span.end_char)

    def canonical(self, party: Party) -> Party:
        """The party as the record codes it: a non-state group's members under the group's own code ("Hamas
        fighters" PSEREB, as "Hamas"), so that a dyad finds every report of it."""
        sector = self._canonical.get((party.start, party.country))
        if sector is None or sector == party.sector:
            return party
        return dataclasses.replace(party, sector=sector)

    def source_of(self, party: Party) -> tuple[int, int] | None:
        """The character offsets of the words an inferred party's state was read from (None if not read from
        a mention of this document)."""
        return self._sources.get((party.start, party.country))

    def _discourse_country(self, span: Span) -> Source | None:
        """A bare role's state from the sentences before it: the one state the nearest of them names, else the
        state the article is about (named at least twice, twice as often as any other), else None."""
        if any(t.pos_ == "PROPN" for t in span):
            return None  # "the activist Jane Doe": a named person is not placed by the sentences around
        disc = self.discourse
        n = disc.sentence(self.doc[span.start])
        for back in range(1, 4):
            if n - back < 0:
                break
            sent = disc.sents[n - back]
            states = [m for m in self._overlapping(sent.start, sent.end) if m.code in self.lex.iso]
            codes = {m.code for m in states}
            if len(codes) == 1:
                return self._source(states[0])
            if codes:  # several: the state of that sentence's subject ("The Russian ministry summoned …")
                subj = next((t for t in sent.root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
                mine = [m for m in states if subj is not None and _names_subject(subj, m.start)]
                if mine:
                    return self._source(mine[-1])
                break
        counts: dict[str, int] = {}
        for m in self._before(span.start):
            if m.code in self.lex.iso:
                counts[m.code] = counts.get(m.code, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            code = ranked[0][0]
            return Source(code, f"article: {country_name(code) or code}")
        return None

    def _from_head(self, span: Span, root: Token, m: Mention, core: list[Mention]) -> Party | None:
        if m.kind in PLACE_KINDS:
            return None  # a place is where an event happens (its location), never a party
        sector = _mention_sector(m)
        if m.kind == "body":  # a generic body name owned by another state: "Rwanda's Senate" is not the US's
            owners = [
                o
                for o in core
                if o is not m
                and o.end <= m.start
                and o.code in self.lex.iso
                and o.code != m.code
                and any(self.doc[i].dep_ in ("poss", "compound", "amod", "nmod") for i in range(o.start, o.end))
            ]
            if owners:
                return self._party(span, None, owners[-1].code, sector, None)
        if m.kind == "demonym":  # "Palestinians", "the Russians", "ethnic Albanians"
            det = any(t.dep_ == "det" and t.lower_ == "the" for t in root.children)
            sector = None if det else "CVL"
            noun = _governing_noun(root)
            if noun is not None and not (span.start <= noun.i < span.end):  # "Hungarian" in "… officials"
                role = self._role(noun)
                sector = role  # "Hungarian officials" → GOV; "Estonian airspace", "the Ukrainian border" → the state
            if self._is_ethnic(span):  # coded by the state they live in, when the sentence names it
                got = self._context(span, exclude=m.code)
                return self._party(span, None, got.code if got else m.code, sector, None, got)
        if m.kind == "person" or m.kind in PLACE_KINDS or m.kind == "country":
            role = self._modifier_role(span, root)
            if m.kind == "person" and role and m.sector in (None, "ELI"):
                sector = role  # the title the text gives ("President X") over a dictionary role of another day
        if m.kind == "person":  # the text's title over the dictionary: "U.N. mediator Diego Cordovez"
            titled = [o for o in core if o is not m and o.end <= m.start and self._state_like(o)]
            if titled and titled[-1].code != m.code:
                return self._party(span, None, titled[-1].code, self._modifier_role(span, root) or sector, m.name)
            apposed = self._apposition(span, root)
            if apposed is not None and apposed.country != m.code:  # "Kenzo Oshima, the UN relief coordinator"
                apposed.name = m.name
                return apposed
        if m.kind == "west":  # "western governments": the West, the head's sector
            sector = self._role(root) or sector
        return self._party(span, m, m.code, sector, None)

    def _from_modifiers(self, span: Span, root: Token, mods: list[Mention], sector: str | None) -> list[Party]:
        lex = self.lex
        before = [m for m in mods if m.end <= root.i]
        chosen = before[-1] if before else mods[0]
        # conjoined modifiers: "Hungarian and Romanian officials", "U.S. and Russian negotiators"
        group = [chosen]
        conj_tokens = {t.i for i in range(chosen.start, chosen.end) for t in self.doc[i].conjuncts}
        for m in mods:
            if m is not chosen and any(i in conj_tokens for i in range(m.start, m.end)):
                group.append(m)
        group.sort(key=lambda m: m.start)
        out: list[Party] = []
        for m in group:
            if m.kind == "demonym" and self._is_ethnic(span):
                got = self._context(span, exclude=m.code)
                out.append(self._party(span, None, got.code if got else m.code, sector or "CVL", None, got))
                continue
            sec = sector if sector is not None else _mention_sector(m)
            if m.sector and m.kind in ("group", "body", "igo", "ngo", "img") and root.lower_ in lex.generic_heads:
                sec = m.sector  # "Hamas leaders": the group's sector
            elif m.kind == "group" and m.sector in NONSTATE_SECTORS and sector in ("MIL", "REB", "SOC"):
                # "Hamas fighters", "the militant group Hamas" are the group: one code in the record, the
                # group's (the event model reads the head noun's sector, as it was trained)
                self._canonical[(span.start_char, m.code)] = m.sector
            if m.kind in PLACE_KINDS and sector is None:
                sec = None
            out.append(self._party(span, m, m.code, sec, None))
        if len(out) > 1 or not lex:
            return out
        return out

    def _modifier_role(self, span: Span, root: Token) -> str | None:
        """Nearest role word left of the head inside the span ("Foreign Minister Oskar Fischer")."""
        for i in range(root.i - 1, span.start - 1, -1):
            tok = self.doc[i]
            if i in self._at:
                continue
            role = self._role(tok)
            if role is not None and tok.pos_ in ("NOUN", "PROPN"):
                return role
        return None

    def _partitive_object(self, span: Span, root: Token) -> list[Party] | None:
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ == "of" and span.start <= child.i < span.end:
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.i < span.end:
                        inner = self.doc[pobj.left_edge.i : min(pobj.right_edge.i + 1, span.end)]
                        coded = self._code(inner)
                        return coded or None
        return None

    @staticmethod
    def _retext(party: Party, span: Span) -> Party:
        party.text, party.start, party.end = span.text, span.start_char, span.end_char
        return party

    def _root_in_unknown_org(self, span: Span, root: Token) -> bool:
        return root.ent_type_ == "ORG" and root.i not in self._at

    def _has_unknown_entity(self, span: Span) -> bool:
        return any(e.label_ in ("PERSON", "ORG") and e.start >= span.start and e.end <= span.end for e in span.ents)

    def _is_ethnic(self, span: Span) -> bool:
        return any(t.lower_ in self.lex.ethnic for t in span)

    def _owner_like(self, m: Mention) -> bool:
        """A possessor ("NATO's measures") or a named organisation/state as a noun modifier ("UN
        peacekeepers", "UNITA wing") — not an adjective ("Russian invasion", "Western exercise")."""
        if m.kind in PLACE_KINDS:
            return False  # "the Birmingham bombing": where, not who
        deps = {self.doc[i].dep_ for i in range(m.start, m.end)}
        if "poss" in deps:
            return True
        return m.kind not in ("demonym", "west") and bool(deps & {"compound", "nmod"})

    def _pronoun_owner(self, root: Token) -> Mention | None:
        """The antecedent of a possessive "its"/"their" on the head: the last actor named before it."""
        pron = next((c for c in root.children if c.dep_ == "poss" and c.lower_ in ("its", "their")), None)
        if pron is None:
            return None
        sent_start = pron.sent.start if self.doc.has_annotation("DEP") else 0
        subj = self._governing_subject(root)  # "NATO was heightening tensions with its deployments"
        if subj is not None and subj.end <= pron.i:
            return subj
        for m in reversed(self.mentions):
            if m.end <= pron.i and m.start >= sent_start and m.kind not in PLACE_KINDS:
                return m
        return None

    def _governing_subject(self, tok: Token) -> Mention | None:
        """The actor mention heading the subject of the nearest clause that governs ``tok``."""
        inside = tok
        t = tok
        for _ in range(8):
            if t.head.i == t.i:
                return None
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                for child in t.children:
                    if child.dep_ in ("nsubj", "nsubjpass") and child.i != inside.i:
                        m = self._at.get(child.i)
                        return m if m is not None and m.kind not in PLACE_KINDS else None
            inside = t
        return None

    def _subject_country(self, span: Span, exclude: str | None) -> Source | None:
        """The state that is the subject of a clause governing the span ("Russia ... dispatching bombers"), with
        the words that name it."""
        tok = self._head_of(span)
        if tok.dep_ == "conj" and tok.head.pos_ == "NOUN":  # "Russian drones and aircraft": shared modifier
            for mod in tok.head.children:
                m = self._at.get(mod.i)
                if mod.dep_ in ("amod", "compound") and m is not None and m.code != exclude and self._state_like(m):
                    return self._source(m)
        while tok.head.i != tok.i:
            tok = tok.head
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            if tok.dep_ == "pcomp" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
                owner = tok.head.head if tok.head.dep_ == "prep" else tok.head  # "accused Russia of sending …"
                for obj in owner.children:
                    m = self._at.get(obj.i)
                    if obj.dep_ == "dobj" and m is not None and m.code != exclude and self._state_like(m):
                        return self._source(m)
            for child in tok.children:
                if child.dep_ not in ("nsubj", "nsubjpass") or span.start <= child.i < span.end:
                    continue
                for i in range(child.i, child.left_edge.i - 1, -1):  # "Burmese troops", "Russia", "NATO"
                    m = self._at.get(i)
                    if m is not None and m.code != exclude and self._state_like(m):
                        return self._source(m)
                if child.pos_ == "NOUN" and child.i not in self._at:  # "alliance members" → the IGO in focus
                    subj = self.doc[child.left_edge.i : child.i + 1]
                    ana = next(filter(None, (self._anaphor(subj, t) for t in reversed(subj))), None)
                    code = (ana[0].code if ana[0] is not None else ana[1].default) if ana else None
                    if code and code != exclude:
                        return Source(str(code), subj.text, subj.start_char, subj.end_char)
        return None

    def _state_like(self, m: Mention) -> bool:
        """A state or an intergovernmental organisation (NATO, the EU) that can own a bare role's members."""
        return m.code in self.lex.iso or (m.kind == "igo" and self.lex.org_kind(m.code) == "igo")

    def _context(self, span: Span, exclude: str | None = None) -> Source | None:
        """A state for a bare role from its sentence, with the words that name it: a place after "in" (where
        it is), the subject of a governing clause, else the nearest state mention."""
        sent = span.sent if self.doc.has_annotation("DEP") else self.doc[:]
        cands = [
            m
            for m in self.mentions
            if m.start >= sent.start
            and m.end <= sent.end
            and m.code in self.lex.iso
            and m.code != exclude
            and (m.start >= span.end or m.end <= span.start or exclude is not None)
            and not self._patron(m)
        ]
        for m in cands:
            prev = self.doc[m.start - 1] if m.start > 0 else None
            if prev is not None and prev.lower_ in ("in", "inside", "within") and m.kind != "demonym":
                return self._source(m)
        subj = self._subject_country(span, exclude) if exclude is None else None
        if subj is not None:
            return subj
        if not cands:
            return None
        best = min(cands, key=lambda m: min(abs(m.start - span.end), abs(span.start - m.end)))
        verb = _governing_verb(self._head_of(span))
        if verb is not None and _coargument(self.doc[best.end - 1], verb):
            # "The ministry accused Warsaw": the other side of its own verb, a guess the sentences before may beat
            earlier = self._discourse_country(span)
            if earlier is not None:
                return earlier
        return self._source(best)


def _names_subject(subj: Token, i: int) -> bool:
    """Does token ``i`` name the subject's own state: a premodifier ("The Russian ministry"), or an "of" phrase or
    apposition on it ("King Hussein of Jordan") — not another party it mentions ("Talks with Libya")?"""
    if subj.left_edge.i <= i <= subj.i:
        return True
    for c in subj.children:
        own = c.dep_ == "appos" or (c.dep_ == "prep" and c.lower_ == "of")
        if own and c.left_edge.i <= i <= c.right_edge.i:
            return True
    return False


def _head_of(span: Span) -> Token:
    """The span's head: of the tokens attached outside the span, the rightmost nominal (English NPs are
    head-final: in the fragment "Moslem fundamentalist" spaCy's root is "Moslem")."""
    tops = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    nominal = [t for t in tops if t.pos_ in ("NOUN", "PROPN", "NUM", "PRON", "ADJ")]
    if len(tops) > 1 and nominal:
        return nominal[-1]
    root = span.root
    if root.pos_ in ("VERB", "AUX"):  # a mis-parse ("The Red Cross operating in Iraq"): take its subject
        subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and span.start <= c.i < span.end]
        nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN") and t.i < root.i]
        if subj or nouns:
            return (subj or nouns)[-1] if subj else nouns[-1]
    return root


@functools.lru_cache(maxsize=4096)
def _parsed_ent_id(ent_id: str) -> tuple[str, str | None, str, str] | None:
    """``parse_ent_id`` remembered (the entity ruler's ids are few; bounded)."""
    return parse_ent_id(ent_id)


NONSTATE_SECTORS = frozenset({"REB", "OPP", "PTY", "UAF"})  # groups whose members are not a state's forces
NOT_ACRONYM_KINDS = frozenset({"country", "demonym", "person", "city", "region", "capital", "place"})


def _acronym(text: str) -> bool:
    """Capitals, 2–8 characters with at least two letters ("RSF", "SPLM-N"): what an article defines in
    parentheses."""
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(text) <= 8 and len(letters) >= 2 and text.upper() == text and text[0].isalpha()


def _initials_spell(acronym: str, name: str) -> bool:
    """Do the initials of the name's capitalised words (hyphenated parts too) spell the acronym's letters, in
    order, beginning with the first ("Rapid Support Forces" → RSF; "Islamic State of Iraq and the Levant" →
    ISIL; not "Kurdistan Workers' Party" → PKK, a name in another language)?"""
    initials = [w[0] for w in name.replace("-", " ").split() if w[:1].isupper()]
    letters = [c for c in acronym if c.isalpha()]
    if not initials or letters[0] != initials[0]:
        return False
    it = iter(initials)
    return all(any(c == i for i in it) for c in letters)


def _listed(head: Token) -> list[Token]:
    """A list parsed as apposition: "The US, Russia, and Switzerland" (Russia appos, Switzerland its conj)."""
    table = token_table(head.doc)
    dep, pos = table.dep, table.pos
    doc = head.doc
    out: list[Token] = []
    for k in table.kids[head.i]:
        if dep[k] == "appos" and pos[k] == "PROPN":
            c = doc[k]
            if c.ent_type_ in ("GPE", "ORG", "NORP") and c.conjuncts:
                out.extend([c, *c.conjuncts])
    return out


CORE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "attr", "agent", "iobj"})
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "within", "across", "throughout", "around", "outside"})


def _coargument(tok: Token, verb: Token) -> bool:
    """Is ``tok`` inside another argument of ``verb`` — its subject, object or the object of a preposition that
    is not one of place ("The ministry accused Warsaw": Warsaw is the other side, not the ministry's state;
    "police deployed in Lagos": Lagos is where it happens)?"""
    t = tok
    for _ in range(12):
        if t.head.i == t.i:
            return False
        if t.head.i == verb.i:
            return t.dep_ in CORE_DEPS or (t.dep_ == "prep" and t.lower_ not in PLACE_PREPS)
        t = t.head
    return False


def _governing_verb(tok: Token) -> Token | None:
    """The nearest verb above a token (itself excluded), None at the root."""
    t = tok
    for _ in range(12):
        if t.head.i == t.i:
            return None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def _governing_noun(tok: Token) -> Token | None:
    """The noun an adjective/compound modifies, through coordination ("Hungarian and Romanian officials")."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in ("amod", "compound", "nmod") and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head
    return None


def _mention_sector(m: Mention) -> str | None:
    if m.kind in PLACE_KINDS:
        return None
    return m.sector


def code_entities(doc: Doc) -> list[Party]:
    """Every coded entity mention of a document as a party (for inspection and the CLI)."""
    coder = ActorCoder(doc)
    out: list[Party] = []
    for ent in doc.ents:
        party = coder.party(ent)
        if party is not None:
            out.append(party)
    return out
