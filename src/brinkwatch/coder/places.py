"""Event places from the offline gazetteer (``data/gazetteer``).

``locate(sent, trigger)`` looks at the trigger's own clause (its subtree without content/relative/
adverbial/coordinated clauses; for a noun trigger also the place phrases of the verb that governs it) and
collects place mentions:

* gazetteer names that are objects of a spatial preposition (``spatial.yaml``: "in", "over", "near",
  "along", "at", "into" … take any place; "on", "to", "towards" only cities, regions and seas, because
  "sanctions on Russia" names a target, not a place), or modifiers of such an object ("in the Kharkiv
  region");
* "<demonym / IGO> <place noun>" anywhere in the clause: "Estonian airspace" → Estonia (kind region, the
  country's centroid: the area is the country's); "the Russian border" → Russia (kind region, **no
  coordinates**: a border is a line and the centroid would mislead a map); "EU airspace" → the European
  Union region (no ISO-3 country);
* other GPE/LOC/FAC entities under a strong spatial preposition → text only (no country, no coordinates).

Subjects and objects are actors, not places ("Moscow denied", "accused NATO"), so they are never taken.
A city or region that is the direct object of a verb ("struck Kharkiv") counts too, one rank less specific;
countries and capitals as objects are actors ("accused Russia", "warned Moscow") and never count.
The most specific mention wins (city, then region/sea, then country, then an unknown place), ties going to
the mention closest to the trigger in the tree. No place → None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from brinkwatch.coder.syntax import token_table, tree_distance
from brinkwatch.core.records import Location
from brinkwatch.lexicon.gazetteer import Gazetteer, Match, Place, gazetteer

_EXCLUDED_CLAUSES = frozenset({"ccomp", "parataxis", "relcl", "advcl", "acl", "csubj", "xcomp"})
_SPECIFICITY = {"city": 0, "region": 1, "sea": 1, "country": 2}
_MAX_WALK = 100
_MAX_SCOPE = 400  # tokens of a clause that are looked at (5,000-token "sentences" stay fast)


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int  # token indices in the doc
    end: int
    location: Location
    rank: int


def locate(sent: Span, trigger: Token) -> Location | None:
    """The most specific place named in the trigger's clause, or None."""
    mentions = _mentions(sent, trigger, gazetteer())
    if not mentions:
        return None
    best = min(
        mentions, key=lambda m: (m.rank, tree_distance(sent.doc[m.start : m.end].root, trigger, _MAX_WALK), m.start)
    )
    return best.location


def _scope(trigger: Token) -> set[int]:
    """Token indices of the trigger's own clause."""
    table = token_table(trigger.doc)
    kids, deps, tags, lower = table.kids, table.dep, table.pos, table.lower
    out: set[int] = set()
    stack = [trigger.i]
    while stack and len(out) < _MAX_SCOPE:
        i = stack.pop()
        out.add(i)
        for k in kids[i]:
            if tags[k] in ("VERB", "AUX") and (deps[k] in _EXCLUDED_CLAUSES or deps[k] == "conj"):
                continue  # content/relative/adverbial clauses and coordinated verbs are other events
            if lower[k] == "according":  # "according to the New York Times" names a source, not a place
                continue
            stack.append(k)
    head = trigger.head
    if trigger.pos_ in ("NOUN", "PROPN") and head.i != trigger.i and head.pos_ in ("VERB", "AUX"):
        for kid in head.children:  # "held a summit last week in Brussels": the verb's place phrases
            if kid.dep_ == "prep":
                out.update(t.i for t in kid.subtree if len(out) < _MAX_SCOPE)
    return out


_Facts = tuple[list[Match], list[tuple[int, int, str]], list[int]]
# per-sentence facts of the last document only: (doc, {(start, end): facts}), swapped atomically
_sent_cache: tuple[Any, dict[tuple[int, int], _Facts]] = (None, {})
_last_doc_ents: tuple[Any, list[tuple[int, int, str]]] = (None, [])  # doc.ents is costly to rebuild per call


def _place_ents(doc: Doc) -> list[tuple[int, int, str]]:
    """GPE/LOC/FAC entity bounds of the document, remembered for the last document (one atomic swap)."""
    global _last_doc_ents
    last = _last_doc_ents
    if last[0] is doc:
        return last[1]
    ents = [(e.start, e.end, e.label_) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")]
    _last_doc_ents = (doc, ents)
    return ents


def _sentence_facts(sent: Span, gaz: Gazetteer) -> _Facts:
    """Gazetteer matches, place entities and place nouns of a sentence, computed once per sentence."""
    global _sent_cache
    doc = sent.doc
    cache = _sent_cache
    if cache[0] is not doc:
        cache = _sent_cache = (doc, {})
    key = (sent.start, sent.end)
    facts = cache[1].get(key)
    if facts is None:
        words = token_table(doc).orth[sent.start : sent.end]
        matches = gaz.find(words)
        ents = [e for e in _place_ents(doc) if sent.start <= e[0] and e[1] <= sent.end]
        nouns = [
            sent.start + k for k, w in enumerate(words) if w.lower() in gaz.area_nouns or w.lower() in gaz.line_nouns
        ]
        facts = cache[1][key] = (matches, ents, nouns)
    return facts


def _mentions(sent: Span, trigger: Token, gaz: Gazetteer) -> list[_Mention]:
    scope = _scope(trigger)
    doc = sent.doc
    matches, ents, nouns = _sentence_facts(sent, gaz)
    found: list[_Mention] = []
    covered: set[int] = set()
    # 1. "<demonym> <place noun>": Estonian airspace, the Russian border, EU airspace
    for idx in nouns:
        if idx not in scope:
            continue
        tok = doc[idx]
        noun = tok.lower_
        for mod in tok.children:
            if mod.dep_ not in ("amod", "compound", "nmod", "poss") or mod.i >= tok.i:
                continue
            code = gaz.demonym([mod.text])
            place = _country_place(gaz, code, mod.text)
            if place is None:
                continue
            start = min(mod.i, tok.i)
            det = doc[start - 1] if start > sent.start else None
            if det is not None and det.lower_ == "the":
                start -= 1
            found.append(_Mention(start, tok.i + 1, _region(doc[start : tok.i + 1].text, place, noun, gaz), 1))
            covered.update(range(start, tok.i + 1))
            break
    # 2. gazetteer names under spatial prepositions
    lo, hi = min(scope), max(scope)
    for m in matches:
        start, end = sent.start + m.start, sent.start + m.end
        if end <= lo or start > hi:
            continue
        if any(i in covered for i in range(start, end)) or not any(i in scope for i in range(start, end)):
            continue
        root = doc[start:end].root
        prep = _governing_prep(root)
        if prep is None:
            # "struck Kharkiv", "captured Bakhmut": a city/region object is where it happened; countries
            # and capitals as objects are actors ("accused Russia", "warned Moscow")
            if _is_object(root) and _object_place(m.place, gaz):
                found.append(
                    _Mention(start, end, _location(doc[start:end].text, m.place), 1 + _SPECIFICITY[m.place.kind])
                )
                covered.update(range(start, end))
            continue
        weak = prep in gaz.weak_preps
        if weak and m.place.kind == "country":
            continue
        if prep not in gaz.strong_preps and not weak:
            continue
        loc = _location(doc[start:end].text, m.place)
        inside = state_after(doc, end, gaz)
        if inside is not None and inside[0] != m.place.country and m.place.kind != "country":
            # "Paris, Texas": another place of that name, in the state named after it (coordinates unknown)
            end += inside[1]
            loc = Location(text=doc[start:end].text, country=inside[0], name=m.place.name, kind="city")
        found.append(_Mention(start, end, loc, _SPECIFICITY[m.place.kind]))
        covered.update(range(start, end))
    # 3. other place entities under strong prepositions → text only (and the state's country: "Birmingham, Ala.")
    for e_start, e_end, _label in ents:
        if any(i in covered for i in range(e_start, e_end)) or not any(i in scope for i in range(e_start, e_end)):
            continue
        ent = doc[e_start:e_end]
        prep = _governing_prep(ent.root)
        if prep is not None and prep in gaz.strong_preps:
            inside = state_after(doc, e_end, gaz)
            if inside is None:
                found.append(_Mention(e_start, e_end, Location(text=ent.text), 3))
            else:
                text = doc[e_start : e_end + inside[1]].text
                found.append(_Mention(e_start, e_end, Location(text=text, country=inside[0], kind="city"), 3))
    return found


def state_after(doc: Doc, end: int, gaz: Gazetteer | None = None) -> tuple[str, int] | None:
    """The country of a state named right after a place that ends at token ``end`` (", Ala.", ", Texas"), with
    the tokens it takes; None when none is named (read for the event's place and for the place's party)."""
    return (gaz or gazetteer()).container([t.text for t in doc[end : min(len(doc), end + 4)]])


def _object_place(place: Place, gaz: Gazetteer) -> bool:
    """Cities (not capitals) and national regions; blocs and continents as objects are actors ("pushing Europe")."""
    if place.name in gaz.capital_names:
        return False
    return place.kind == "city" or (place.kind == "region" and place.country is not None)


def _is_object(root: Token) -> bool:
    tok = root
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("dobj", "obj") and tok.head.pos_ in ("VERB", "AUX")


def _governing_prep(root: Token) -> str | None:
    """The preposition whose object this phrase is (directly or as a modifier of the object)."""
    tok = root
    for _ in range(3):
        if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
            return tok.head.lower_
        if tok.dep_ in ("compound", "amod", "nmod", "poss", "appos", "conj") and tok.head.i != tok.i:
            tok = tok.head
            continue
        return None
    return None


def _country_place(gaz: Gazetteer, code: str | None, text: str) -> Place | None:
    if code is None:
        return None
    if code in gaz.countries:
        return gaz.countries[code]
    # IGO / bloc adjectives ("EU airspace"): a region named in the gazetteer, if any
    return gaz.names.get((text.lower(),)) or gaz.names.get(tuple(code.lower().split()))


def _region(text: str, place: Place, noun: str, gaz: Gazetteer) -> Location:
    line = noun in gaz.line_nouns
    return Location(
        text=text,
        country=place.country,
        name=f"{place.name} {noun}",
        kind="region",
        lat=None if line else place.lat,
        lon=None if line else place.lon,
    )


def _location(text: str, place: Place) -> Location:
    return Location(text=text, country=place.country, name=place.name, kind=place.kind, lat=place.lat, lon=place.lon)
