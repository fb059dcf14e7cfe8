"""Arguments: the actor and recipient of each candidate event, found in the dependency tree and coded by
the actor coder (:mod:`brinkwatch.coder.actors`), then the PLOVER coding rules and the choice of the
candidates that are events.

* :class:`Arguments` — finds and codes the heads of a trigger's arguments: actor = subject, passive agent,
  controller of an infinitive; recipient = object, passive subject, object of against/on/with/to/at/…;
* :func:`code` — a candidate's parties and the PLOVER coding rules on its clause: future or promised
  cooperation is AGREE, refused or negated cooperation is REJECT, a future material-conflict act is a THREATEN;
* :func:`settle` — a sentence's coded candidates that are events, main-clause event first: a bare mention or
  a weak trigger needs a party; a suspicion needs a speaker and a party; "X said Y attacked it" is an ACCUSE
  only when the attack falls on X.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

from brinkwatch.coder import actors, cameo, places
from brinkwatch.coder.syntax import (
    CONTENT_DEPS,
    SUBJ_DEPS,
    children_by_dep,
    clause_head,
    context_lemmas,
    depth,
    future,
    future_clause,
    has_condition,
    is_passive,
    negated,
    pobjs,
    promised_object,
    token_table,
)
from brinkwatch.coder.triggers import Cand, match
from brinkwatch.core.records import Party
from brinkwatch.lexicon.events import Entry, Lexicon
from brinkwatch.lexicon.gazetteer import gazetteer

WEAK = 0.5  # lexicon strength at or below which a trigger is an event only with a coded (non-UNK) party
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
SELF_PRONOUNS = frozenset(
    {"it", "they", "we", "us", "them", "i", "me", "he", "him", "she", "her", "itself", "themselves", "ourselves"}
)
CLIMB_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "pcomp", "acl", "relcl", "prep", "pobj"})
GIVING_TYPES = frozenset({"AID", "AGREE"})
DESCENT_PREPS = ("of", "by", "from", "against", "on", "to", "with", "between", "for", "in")
ENTITY_LABELS = frozenset({"NORP", "GPE", "ORG", "LOC", "FAC", "PERSON"})
PARTAKING_PREPS = frozenset({"at", "in", "during"})  # "is at war", "took part in talks": the subject partakes
SOURCE_IS_RECIPIENT = frozenset({"RETREAT"})  # "withdrawal from Lebanon": "from" names whom it concerns
OF_IS_ACTOR = frozenset({"RETREAT", "CONSULT"})  # "the withdrawal of Serbian forces", "a meeting of the Council"
REACTION_TYPES = frozenset({"ACCUSE", "PROTEST"})  # aimed at who did an act, not at whom it hit
JUDGING_TYPES = REACTION_TYPES | {"SUPPORT", "REQUEST"}  # their subject judges or asks for their object's act
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

    def __init__(self, doc: Doc, lex: Lexicon, published: str | None = None) -> None:
        self.lex = lex
        self.coder = actors.ActorCoder(doc, published)
        self._cache: dict[int, list[Party]] = {}

    def parties(self, head: Token) -> list[Party]:
        got = self._cache.get(head.i)
        if got is None:
            got = self._cache[head.i] = list(self.coder.parties(head))
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
            subs = [c for c in kids[i] if dep[c] in ("amod", "compound", "nmod") and doc[c].ent_type_ in ENTITY_LABELS]
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
                    if any(c.dep_ in ("amod", "compound", "nmod") and c.ent_type_ in ENTITY_LABELS for c in t.children)
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
                if passive_modifier(h):
                    break  # "the victims (who were) killed by …": the noun underwent it; the agent is "by"
                patient = existential_patient(h)  # "there were 10 soldiers killed": the noun underwent it
                gerund_of_event = h.tag_ == "VBG" and match(h.head, self.lex) is not None  # "weapons …, lowering"
                if not patient and not gerund_of_event:
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
            out.extend(pobjs(h, ("by",)) or stray_agents(h))
        table = token_table(h.doc)
        dep, lower = table.dep, table.lower
        for k in table.kids[h.i]:
            if dep[k] in SUBJ_DEPS and not (passive and dep[k] == "nsubjpass"):
                if lower[k] in RELATIVE_PRONOUNS and dep[h.i] == "relcl":
                    out.append(h.head)
                else:
                    out.append(h.doc[k])
        return out

    def event_noun_agents(self, heads: list[Token]) -> list[Token]:
        """Recipient heads with each event noun replaced by its own actor: what a reaction is aimed at is who
        did the act, not whom it hit ("condemned Russia's attack on the city" → Russia; "condemned the bombing
        of the embassies" → nobody named)."""
        out: list[Token] = []
        for h in heads:
            entry = match(h, self.lex) if h.pos_ == "NOUN" else None
            if entry is None or entry.pos != "noun" or self.coder.role_of(h) is not None:  # "hostages": people
                out.append(h)
                continue
            out.extend(a for a in self.noun_actor_heads(h, None, own_only=True) if a.i != h.i or self._own_modifier(h))
        return out

    def _own_modifier(self, n: Token) -> bool:
        """An event noun whose modifier names its actor ("the Russian invasion", "Israeli air raids") — not a
        noun for people ("taking Kuwaiti hostages": the hostages are Kuwaiti)."""
        if self.coder.role_of(n) is not None:
            return False
        return any(
            c.dep_ in ("amod", "compound", "nmod")
            and c.ent_type_ in ENTITY_LABELS
            and self.coder.mention_kind(c) not in ("capital", "city", "region")  # "the Madrid summit": the venue
            for c in n.children
        )

    def patient_possessor(self, n: Token) -> bool:
        """ "Laden's extradition", "his arrest": an event noun whose possessor undergoes it (no "of" object)."""
        return n.lemma_.lower() in self.lex.rules.patient_nouns and not pobjs(n, ("of",))

    def noun_actor_heads(self, n: Token, governor: Token | None, own_only: bool = False) -> list[Token]:
        """Actor heads of an event noun: "by", the possessor (not of a patient noun), a modifier that names a
        party, the light verb's subject; ``own_only``: only the noun's own words."""
        heads = pobjs(n, ("by",))
        if not self.patient_possessor(n):
            heads += children_by_dep(n, {"poss"})
        entry = match(n, self.lex)
        if entry is None or entry.type not in SOURCE_IS_RECIPIENT:
            heads += [t for t in pobjs(n, ("from",)) if t.dep_ == "pobj"]  # "warnings from Moscow"
        if own_only:
            pass
        elif governor is not None:
            heads.extend(self.verb_actor_heads(governor))
        elif n.dep_ == "pobj" and n.head.lower_ in PARTAKING_PREPS:  # "is at war", "during demonstrations"
            t = n.head
            for _ in range(3):
                if t.pos_ in ("VERB", "AUX"):
                    heads.extend(self.verb_actor_heads(t))
                    break
                if t.head.i == t.i:
                    break
                t = t.head
        if entry is not None and entry.type in OF_IS_ACTOR and not heads:
            heads += [t for t in pobjs(n, ("of",)) if t.dep_ == "pobj"]  # "the withdrawal of Serbian forces"
        if self._own_modifier(n) and not self.patient_modifier(n):
            heads.insert(0, n)  # "the Russian invasion", "Israeli air raids"
        return heads

    def lender(self, governor: Token | None) -> Token | None:
        """The verb whose subject does the act its object noun names — a light verb ("launched an attack") or a
        plain one ("continued the strikes") — not a verb that judges or asks for the act: who "condemned the
        attack", "praised the ceasefire" or "demanded the withdrawal" did not do it."""
        if governor is None or governor.lemma_.lower() in self.lex.rules.light_verbs:
            return governor
        entry = match(governor, self.lex)
        return None if entry is not None and entry.type in JUDGING_TYPES else governor

    def patient_modifier(self, n: Token) -> bool:
        """ "the Bin Laden investigation": a name compounded with a patient noun undergoes it (an adjective —
        "a Russian investigation" — does it)."""
        return n.lemma_.lower() in self.lex.rules.patient_nouns and any(
            c.dep_ == "compound" and c.pos_ == "PROPN" and c.ent_type_ in ENTITY_LABELS for c in n.children
        )

    # recipient heads ----------------------------------------------------
    def verb_recipient_heads(self, v: Token, entry: Entry) -> list[Token]:
        heads: list[Token] = []
        h = clause_head(v)
        if is_passive(h):
            for s in children_by_dep(h, {"nsubjpass"}):  # "who were killed": the noun the clause modifies
                heads.append(h.head if s.lower_ in RELATIVE_PRONOUNS and h.dep_ == "relcl" else s)
        if existential_patient(h) or (passive_modifier(h) and not children_by_dep(h, {"nsubjpass"})):
            heads.append(h.head)
        force = entry.lemma in self.lex.rules.force_verbs  # "dispatched bombers": the object is the force
        objects = children_by_dep(h, {"dative"} if force else {"dobj", "dative"})
        preps = self.lex.rules.type_recipient_preps.get(entry.type, ()) + self.lex.rules.recipient_preps
        obliques = [t for t in pobjs(h, preps) if t.dep_ == "pobj" and not self.locative(t, entry)]
        if entry.type in GIVING_TYPES:  # "offered its troops to Lebanon": the recipient is the "to"
            heads.extend(obliques + objects)
        else:
            heads.extend(objects + obliques)
        content_is_recipient = entry.role == "absorb" or (entry.role == "claim" and entry.type == "ACCUSE")
        if content_is_recipient or entry.key in self.lex.rules.object_control:
            comps = clauses(v)
            comps += [x for c in comps for x in clauses(c)]
            for c in comps:
                if is_passive(c):  # "decrying that the boy will be used by Castro": the doer is the accused
                    heads.extend(pobjs(c, ("by",)))
                heads.extend(children_by_dep(c, {"nsubj", "nsubjpass"}))
                heads.extend(children_by_dep(c, {"dobj"}))
                preps = self.lex.rules.recipient_preps
                heads.extend(t for t in pobjs(c, preps) if t.dep_ == "pobj" and not self.locative(t, None))
        heads.extend(self.purpose_heads(h))
        if entry.type == "ASSAULT":
            heads.extend(self.hit_by_object(h))
        return heads

    def locative(self, t: Token, entry: Entry | None) -> bool:
        """Is a prepositional object where the event happened rather than whom it concerns — a place or a
        state after a preposition of place ("rallied in Cuba", "in Kharkiv")? Not when the type's own
        prepositions name it ("massed troops near the border") or the verb is done *in* a state ("intervened
        in Syria"), unless the phrase is fronted before its verb ("In Cuba, thousands rallied")."""
        prep = t.head
        rules = self.lex.rules
        if prep.dep_ != "prep" or prep.lower_ not in rules.locative_preps:
            return False
        kind = self.coder.mention_kind(t)
        if kind not in ("country", "capital", "city", "region") and not (
            kind is None and t.lemma_.lower() in self.coder.lex.places  # "in the Ethiopian capital"
        ):
            named = gazetteer().find([t.text])  # a seat that also names its body: "met in Brussels"
            if not named or named[0].place.kind not in ("city", "capital"):
                return False
        verb = prep.head
        doc = self.coder.doc
        after = prep.right_edge.i + 1
        if prep.i < verb.i and (prep.i == prep.sent.start or (after < len(doc) and doc[after].text == ",")):
            return True  # fronted: "In Cuba, …"
        if entry is not None and prep.lower_ in rules.type_recipient_preps.get(entry.type, ()):
            return False
        return verb.lemma_.lower() not in rules.locative_recipient_verbs

    def purpose_heads(self, h: Token) -> list[Token]:
        """Objects of a purpose clause ("opened fire to disperse demonstrators"), a last resort."""
        out: list[Token] = []
        table = token_table(h.doc)
        kids, dep, lower = table.kids, table.dep, table.lower
        for k in kids[h.i]:
            if dep[k] in ("advcl", "xcomp") and any(dep[a] == "aux" and lower[a] == "to" for a in kids[k]):
                c = h.doc[k]
                out.extend(children_by_dep(c, {"dobj"}))
                preps = self.lex.rules.recipient_preps
                out.extend(t for t in pobjs(c, preps) if t.dep_ == "pobj" and not self.locative(t, None))
        return out

    def noun_recipient_heads(self, n: Token, governor: Token | None) -> list[Token]:
        heads = [t for t in pobjs(n, NOUN_PREPS) if t.dep_ == "pobj" and not self.locative(t, None)]
        entry = match(n, self.lex)
        if entry is not None and entry.type in SOURCE_IS_RECIPIENT:  # "withdrawal from Lebanon"
            heads = [t for t in pobjs(n, ("from",)) if t.dep_ == "pobj"] + heads
        if self.patient_possessor(n):  # "Laden's extradition": the possessor undergoes it
            heads = children_by_dep(n, {"poss"}) + heads
        if self.patient_modifier(n) or (n.dep_ == "dobj" and governor is not None and self.coder.role_of(n)):
            heads = [n, *heads]  # "the Bin Laden investigation", "took Kuwaiti hostages"
        if n.dep_ == "compound" and n.head.lemma_.lower() in self.lex.rules.compound_heads:  # "a sanctions package"
            heads.extend(t for t in pobjs(n.head, NOUN_PREPS) if t.dep_ == "pobj")
        if entry is not None and entry.type == "ASSAULT":
            heads.extend(self.struck_heads(n))
        if n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.lemma_.lower() in self.lex.rules.victim_nouns:
            heads.append(n.head.head)  # "the victims of the bombing": whom it hit
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

    def struck_heads(self, n: Token) -> list[Token]:
        """Whom an attack noun hit, read from the verb of its effect: "the bombings killed 247 people", "a blast
        damaged the embassy", "ten were wounded in the blast" (the effect verb is an attack word itself)."""
        verb = n.head
        if n.dep_ == "pobj" and verb.dep_ == "prep" and verb.lower_ in ("in", "by"):
            verb = verb.head
            if not is_passive(verb):
                return []
            targets = children_by_dep(verb, {"nsubjpass"})
        elif n.dep_ == "nsubj":
            targets = children_by_dep(verb, {"dobj"})
            for other in verb.conjuncts:  # "killed a guard and wounded a nurse": both are whom it hit
                if other.i > verb.i and self._harms(other) and not children_by_dep(other, {"nsubj"}):
                    targets += children_by_dep(other, {"dobj"})
        else:
            return []
        if not self._harms(verb):
            return []
        return [t for t in targets if t.lower_ not in RELATIVE_PRONOUNS] or (
            [verb.head] if targets and verb.dep_ == "relcl" else []
        )

    def _harms(self, verb: Token) -> bool:
        """Is ``verb`` an attack word (of the lexicon or the CAMEO dictionary): the effect of an attack?"""
        if verb.pos_ != "VERB":
            return False
        effect = match(verb, self.lex)
        return (effect is not None and effect.type == "ASSAULT") or any(
            str(m.plover) == "ASSAULT" for m in cameo.match_token(verb)
        )

    def hit_by_object(self, h: Token) -> list[Token]:
        """Whom the object of an attack verb hit, read from the clause on it: "fired the shots that killed a
        doctor", "launched rockets that struck a school" (last resort, after the verb's own objects)."""
        out: list[Token] = []
        for o in children_by_dep(h, {"dobj"}):
            for r in o.children:
                if r.dep_ in ("relcl", "acl") and not is_passive(r) and self._harms(r):
                    out.extend(t for t in children_by_dep(r, {"dobj"}) if t.lower_ not in RELATIVE_PRONOUNS)
        return out


def passive_modifier(h: Token) -> bool:
    """A passive clause that modifies a noun: "the victims killed by …", "people who were arrested"."""
    return h.dep_ in ("acl", "relcl") and (is_passive(h) or (h.dep_ == "acl" and h.tag_ == "VBN"))


STRAY_DEPS = frozenset({"npadvmod", "dobj", "advmod", "prep", "pobj", "oprd", "attr"})


def stray_agents(h: Token) -> list[Token]:
    """The agent of a passive whose "by" phrase the parser hung on a neighbour ("was attacked on Monday by
    gunmen": "by" under "Monday"): objects of "by" within the verb's own phrases, not in another clause."""
    out: list[Token] = []
    stack = [(c, 1) for c in h.children if c.dep_ in STRAY_DEPS]
    while stack:
        t, depth = stack.pop()
        if t.dep_ in ("prep", "agent") and t.lower_ == "by" and depth > 1:
            out.extend(c for c in t.children if c.dep_ == "pobj")
            continue
        if depth < 3:
            stack.extend((c, depth + 1) for c in t.children if c.dep_ in STRAY_DEPS)
    return sorted(out, key=lambda t: t.i)


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


def code(c: Cand, args: Arguments, lex: Lexicon) -> None:
    tok = c.tok
    if c.synthetic:
        actor_heads = args.verb_actor_heads(tok)
        content = c.content
        rec_heads: list[Token] = []
        if c.linked is not None:
            rec_heads = [c.linked]
        elif content is not None:
            rec_heads = children_by_dep(content, {"nsubj", "nsubjpass"})
        c.actors, _ = args.first_coded(actor_heads)
        c.recipients, _ = args.first_coded(rec_heads)
        return
    if c.entry.pos == "noun":
        actor_heads = args.noun_actor_heads(tok, args.lender(c.governor))
        rec_heads = args.noun_recipient_heads(tok, c.governor)
        if c.governor is None:
            own = [*pobjs(tok, ("by",)), *children_by_dep(tok, {"poss"}), tok, *rec_heads]
            c.own_party = bool(args.first_coded(own)[0])
    else:
        actor_heads = args.verb_actor_heads(tok)
        rec_heads = args.verb_recipient_heads(tok, c.entry)
        if receiving(c, lex):  # "X received aid from Y": Y gave it to X
            verb = clause_head(tok)
            givers = pobjs(verb, ("from",)) + [g for o in children_by_dep(verb, {"dobj"}) for g in pobjs(o, ("from",))]
            actor_heads, rec_heads = givers, [h for h in actor_heads if h.i not in {g.i for g in givers}]
        else:
            actor_heads, rec_heads = pattern_roles(c, actor_heads, rec_heads)
    c.actors, ahead = args.first_coded(actor_heads)
    rec_heads = [h for h in rec_heads if ahead is None or h.i != ahead.i]
    c.recipient_heads = rec_heads
    if c.event_type in REACTION_TYPES:
        rec_heads = args.event_noun_agents(rec_heads)
    recips, _ = args.first_coded(rec_heads, skip=frozenset(p.country for p in c.actors))
    taken = {(p.start, p.country) for p in c.actors}
    c.recipients = [p for p in recips if (p.start, p.country) not in taken]
    if len(args.coder.states_in(tok.sent)) > 1:  # one state named: a domestic event, both sides are its
        c.actors, c.recipients = one_side_each(c.actors, c.recipients, args.coder.source_of)
    # PLOVER coding rules on the clause's own syntax
    anchor = c.status_tok
    if c.entry.said_type and children_by_dep(tok, {"ccomp"}):
        c.event_type = c.entry.said_type
    if c.event_type in ("MOBILIZE", "CONSULT") and _peacekeeping(c, lex):
        c.event_type = "AID"
    before = c.event_type
    narrated = False  # a future told by the writer, not promised by a party
    if c.event_type in lex.rules.cooperative_types or c.event_type == "AGREE":
        if negated(anchor, lex):
            neg_future = c.entry.neg_type and future(anchor, lex)
            c.event_type = c.entry.neg_type if (neg_future and c.entry.neg_type) else "REJECT"
        elif c.event_type != "AGREE" and future(anchor, lex):
            c.event_type = "AGREE"
            narrated = narrated_future(anchor, lex)
    elif c.event_type in lex.rules.threat_types and future(anchor, lex) and not negated(anchor, lex):
        c.event_type = "THREATEN"
    elif c.event_type in lex.rules.concession_types and announced(anchor, lex) and not negated(anchor, lex):
        c.event_type = "CONCEDE"  # an announced retreat: "will withdraw its troops", "promised to withdraw"
    elif c.event_type in lex.rules.concession_types and _declared(c, lex) and not negated(anchor, lex):
        c.event_type = "CONCEDE"  # a declared ceasefire or withdrawal, not its implementation (PLOVER)
    # a promise, a refusal or a threat: the speech act happened — not a future cooperation the writer narrates
    # ("Poland will join NATO on March 12": PLOVER's AGREE, but nobody's promise; it stays future)
    c.spoken = c.event_type != before and not narrated
    if before in SPOKEN_TYPES and c.event_type == before and future(anchor, lex) and said(anchor, lex):
        c.spoken = True  # "announced it would accept them": saying so is the acceptance
    if c.event_type == before == "THREATEN" and conditional_threat(anchor, lex):
        c.spoken = True  # "threatened to revoke his parole if …": the condition is what was threatened


def between_sides(c: Cand, args: Arguments) -> None:
    """ "talks between Iraq and Iran", "clashes between the army and the rebels": an event noun that names no
    actor otherwise and whose parties are the two sides of a "between" phrase is a dyad, the first side acting
    on the other — both on one side, as they were coded, a dyad query never finds the event. A convention of the
    record, applied after the event model (which reads the parties as it was trained on them)."""
    if c.synthetic or c.entry.pos != "noun" or c.actors:
        return
    for x in pobjs(c.tok, ("between",)):
        ps = args.parties(x)
        first = [p for p in ps if p.start == ps[0].start] if ps else []
        rest = [p for p in ps if p.start != ps[0].start]
        if first and rest:
            sides = {(p.start, p.code) for p in ps}
            c.actors = first
            c.recipients = [*rest, *(r for r in c.recipients if (r.start, r.code) not in sides)]
            return


def conditional_threat(anchor: Token, lex: Lexicon) -> bool:
    """A threat made on a condition: the threatening verb itself carries the if/unless clause, with no modal and
    no negation of its own ("officials threatened to revoke his parole if he did not sign"). PLOVER codes a
    conditional threat as a THREATEN that happened; "would threaten … if" stays hypothetical."""
    h = clause_head(anchor)
    if h.pos_ != "VERB" or negated(anchor, lex):
        return False
    if any(c.dep_ in ("aux", "auxpass") and c.tag_ == "MD" for c in h.children):
        return False
    return has_condition(h)


# Speech-act types whose announcement is the act: a promise, a refusal, a threat said to come
SPOKEN_TYPES = frozenset({"AGREE", "REJECT", "THREATEN"})


def one_side_each(
    actors: list[Party], recipients: list[Party], source_of: Callable[[Party], tuple[int, int] | None]
) -> tuple[list[Party], list[Party]]:
    """Same-country dyads only where the text says so: in a sentence that names several states, a party whose
    state was read from the words of the other side ("Russian jets attacked the village near the Polish
    border": the village is not Russian because the jets are) keeps its sector, not the state (UNK). In a
    sentence that names one state the event is domestic and both sides are that state's ("Egyptian police
    dispersed the demonstrators")."""

    def unknown(p: Party) -> Party:
        return Party(text=p.text, country="UNK", sector=p.sector, name=None, start=p.start, end=p.end)

    def borrowed(p: Party, others: list[Party]) -> bool:
        src = source_of(p)
        if src is None:
            return False
        return any(
            o.country == p.country and o.start is not None and o.end is not None and o.start <= src[0] < o.end
            for o in others
        ) or any(o.country == p.country and source_of(o) == src for o in others)

    if not actors or not recipients:
        return actors, recipients
    recipients = [unknown(r) if borrowed(r, actors) else r for r in recipients]
    actors = [unknown(a) if borrowed(a, recipients) else a for a in actors]
    return actors, recipients


def pattern_roles(c: Cand, actor_heads: list[Token], rec_heads: list[Token]) -> tuple[list[Token], list[Token]]:
    """The roles the matched CAMEO pattern names (its ``$`` source and ``+`` target): the object of the
    preposition it marks comes first ("* (INTO +)": the object of "into" is the target); a target that is the
    subject ("+ * CLOSER (TO …)") is the recipient, not the actor."""
    hints = next((dict(s.roles) for s in c.senses if s.plover == c.event_type and s.roles and not s.default), None)
    if not hints:
        return actor_heads, rec_heads
    verb = clause_head(c.tok)

    def slot(name: str) -> list[Token]:
        if name in ("subject", "object"):
            return []
        return [t for t in pobjs(verb, (name,)) if t.dep_ == "pobj"] + [
            t for o in children_by_dep(verb, {"dobj"}) for t in pobjs(o, (name,)) if t.dep_ == "pobj"
        ]

    source, target = slot(hints.get("source", "")), slot(hints.get("target", ""))
    if hints.get("target") == "subject":
        rec_heads, actor_heads = [*actor_heads, *rec_heads], []
    taken = {t.i for t in (*source, *target)}
    actor_heads = [*(h for h in actor_heads if h.i not in taken), *source]  # the subject first, if any
    rec_heads = [*target, *(h for h in rec_heads if h.i not in taken)]
    return actor_heads, rec_heads


def receiving(c: Cand, lex: Lexicon) -> bool:
    """A verb of receiving ("received", "obtained", "won") or one the CAMEO dictionary reads only in reverse
    (the object's act toward the subject): the giver is the actor, the subject the recipient."""
    if c.entry.pos != "verb" or c.synthetic:
        return False
    if c.entry.lemma in lex.rules.receiving_verbs:
        return True
    own = [s for s in c.senses if s.plover == c.event_type]
    return c.entry.source == "cameo" and bool(own) and all(s.direction == "reverse" for s in own)


def _peacekeeping(c: Cand, lex: Lexicon) -> bool:
    words = lex.rules.peacekeeping_words
    if any(w in words for w in context_lemmas(c.tok)):
        return True
    return any(w in words for p in c.actors for w in p.text.lower().split())


def _self_accusation(child: Cand, speakers: list[Party]) -> bool:
    """Does the reported attack fall on the speaker ("X said Y attacked it")? Not when the speaker
    reports its own act ("the farmers said they would blockade Paris")."""
    mine = {p.country for p in speakers if p.country != "UNK"}
    if mine & {p.country for p in child.actors}:
        return False
    if any(s.pos_ == "PRON" for s in children_by_dep(clause_head(child.tok), {"nsubj"})):
        return False
    for h in child.recipient_heads:
        if h.lower_ in SELF_PRONOUNS:
            return True
    if mine & {p.country for p in child.recipients}:
        return True
    if child.recipients:
        return False
    where = places.locate(child.tok.sent, child.status_tok)  # "Kyiv says Russian forces shelled Kharkiv"
    return where is not None and where.country in mine


def settle(cands: list[Cand], args: Arguments, lex: Lexicon) -> list[Cand]:
    """Code a sentence's candidates (:func:`code`) and keep those that may be events, in reading order with the
    main-clause event (nearest the root) first. Hard rules drop; soft rules only mark (``Cand.soft``): the event
    decision (:mod:`brinkwatch.coder.eventness`) reads the marks."""
    for c in cands:
        code(c, args, lex)
    for c in cands:
        promised(c, cands, lex)
    _share_recipients(cands)
    for c in cands:  # the happening a suspicion ties to a party: that party did it
        if c.parent is not None and c.parent.linked is not None and c.parent.recipients:
            c.actors = [p for p in c.parent.recipients]
            c.recipients = [p for p in c.recipients if p.country not in {a.country for a in c.actors}]
            c.own_party = True
    keep: list[Cand] = []
    for c in cands:  # soft rules: the learned model may overrule them (coder.eventness)
        if _meets_no_one(c, args, lex):
            continue  # "met the standards", "encountered resistance": no meeting, no event
        if _fails_at(c, cands, lex):
            continue  # "failed to agree": the complement is the event (a REJECT)
        if c.absorbed:
            pass
        elif c.entry.pos == "noun" and c.governor is None and not c.own_party:
            c.soft = "bare noun"  # a bare mention ("the talks", "the fighting"): no event without a party
        elif c.entry.strength <= WEAK and not any(p.country != "UNK" for p in (*c.actors, *c.recipients)):
            c.soft = "weak, no party"  # "a precautionary measure", "released an application"
        if c.linked is not None and not (c.actors and c.recipients):
            for k in cands:
                if k.parent is c:
                    k.parent = None
            continue  # a suspicion with no speaker or no party it points at is no accusation
        if c.synthetic and c.event_type == "ACCUSE" and c.linked is None:
            kids = [k for k in cands if k.parent is c]
            speakers = children_by_dep(c.tok, {"nsubj"})
            if (
                not c.actors
                or all(s.pos_ == "PRON" for s in speakers)
                or not any(_self_accusation(k, c.actors) for k in kids)
            ):
                for k in kids:
                    k.parent = None
                continue
            accused = [p for k in kids for p in k.actors if p.country not in {a.country for a in c.actors}]
            if accused:  # "Israel said a bomb was fired at it from Gaza": the accused is the attacker
                c.recipients = accused
        keep.append(c)
    return main_first(_one_per_event(keep, cands))


def _share_recipients(cands: list[Cand]) -> None:
    """One happening told with two verbs ("killed a guard and wounded a nurse", "shelled Juba, killing 20"):
    the verb the other is absorbed into takes the other's recipients too, whichever of the two is kept."""
    at = {c.tok.i: c for c in cands if not c.synthetic}
    for c in cands:
        if not c.absorbed or c.synthetic or c.tok.dep_ not in ("conj", "advcl"):
            continue
        h = at.get(c.tok.head.i)
        if h is None or h.event_type != c.event_type:
            continue
        for a, b in ((h, c), (c, h)):
            have = {(p.code, p.text) for p in a.recipients}
            a.recipients = [*a.recipients, *(p for p in b.recipients if (p.code, p.text) not in have)]


def _fails_at(c: Cand, cands: list[Cand], lex: Lexicon) -> bool:
    """One side of a failure told with two triggers: PLOVER codes a failed agreement a REJECT, carried by the verb
    of failing ("failed to agree": the agreement is no event of its own); another failed act is the event,
    negated, and the verb of failing is none ("failed to capture the city")."""
    if c.synthetic:
        return False
    if c.tok.lemma_.lower() in lex.rules.failure_verbs:
        inner = [k for k in cands if k is not c and not k.synthetic and _failed_by(k, lex) == c.tok]
        return bool(inner) and not any(_agreement(k, lex) for k in inner)
    fail = _failed_by(c, lex)
    return fail is not None and _agreement(c, lex) and any(k.tok == fail for k in cands)


def _failed_by(c: Cand, lex: Lexicon) -> Token | None:
    """The verb of failing whose complement the candidate's clause is ("failed to agree"), or None."""
    h = clause_head(c.status_tok)
    return h.head if h.dep_ == "xcomp" and h.head.lemma_.lower() in lex.rules.failure_verbs else None


def _agreement(c: Cand, lex: Lexicon) -> bool:
    return c.event_type == "AGREE" or c.event_type in lex.rules.cooperative_types


def _meets_no_one(c: Cand, args: Arguments, lex: Lexicon) -> bool:
    """A verb of meeting people (``people_object_verbs``: CAMEO's MEET_PEOPLE block) whose objects name no one."""
    if c.synthetic or c.entry.pos != "verb" or c.tok.lemma_.lower() not in lex.rules.people_object_verbs:
        return False
    objs = children_by_dep(c.tok, {"dobj"})
    return bool(objs) and not any(args.coder.names_people(o) for o in objs)


def promised(c: Cand, cands: list[Cand], lex: Lexicon) -> None:
    """A promise takes the type of what it promises (PLOVER): a vow of force is a THREATEN ("vowed to crush the
    rebels"), a promised retreat a CONCEDE ("promised to withdraw"); other promises stay AGREE."""
    if c.event_type != "AGREE" or c.entry.role != "absorb" or c.tok.lemma_.lower() not in lex.rules.announcing_verbs:
        return
    inner = {k.event_type for k in cands if k is not c and k.absorbed and _promises(k.tok, c.tok, lex)}
    if c.tok.lemma_.lower() in lex.rules.promising_object_verbs:  # CAMEO's patterns: "VOW * REVENGE [138]"
        inner |= {str(m.plover) for m in c.senses if not m.default and str(m.plover) in ("THREATEN", "CONCEDE")}
    for kind in ("THREATEN", "CONCEDE"):
        if kind in inner:
            c.event_type = kind
            return


def narrated_future(anchor: Token, lex: Lexicon) -> bool:
    """A future the clause itself carries (will/would/shall, "going to") with no one reported as saying it
    ("Poland will join NATO on March 12", not "Poland said it will join NATO", nor "pledged to join")."""
    carrier = future_clause(clause_head(anchor), lex)
    return carrier is not None and not said(carrier, lex)


def said(anchor: Token, lex: Lexicon) -> bool:
    """Is the clause the content of a reporting verb ("announced it would accept …")?"""
    h = clause_head(anchor)
    return h.dep_ == "ccomp" and h.head.lemma_.lower() in lex.rules.reporting_verbs


def _declared(c: Cand, lex: Lexicon) -> bool:
    """A retreat noun a declaring verb governs: "declared a ceasefire", "announced the withdrawal"."""
    g = c.governor
    return c.entry.pos == "noun" and g is not None and g.lemma_.lower() in lex.rules.declaring_verbs


def announced(anchor: Token, lex: Lexicon) -> bool:
    """Will/shall ("will withdraw"), or the complement of an announcing verb ("promised to withdraw") — not a
    plan, wish or aim ("plans to withdraw"); or the object noun of a verb that promises it ("pledged a truce")."""
    h = clause_head(anchor)
    if promised_object(h, lex):
        return True
    for _ in range(4):
        if any(c.dep_ == "aux" and c.lower_ in lex.rules.future_aux and c.lower_ != "would" for c in h.children):
            return True
        if h.dep_ == "xcomp" and h.head.lemma_.lower() in lex.rules.announcing_verbs:
            return True
        if h.head.i == h.i:
            break
        if h.dep_ == "conj":  # "promised to withdraw … and release …": the conjunct too
            h = h.head
        elif h.dep_ == "xcomp" and not any(c.dep_ in ("dobj", "dative") for c in h.head.children):
            h = h.head  # "will begin withdrawing": what its subject will do (not "will ask Y to withdraw")
        else:
            break
    return False


def _promises(t: Token, verb: Token, lex: Lexicon) -> bool:
    """``t`` is what ``verb`` promises: its clausal complement ("vowed to crush"), or its object noun where the
    verb promises its object ("vowed new attacks")."""
    if t.dep_ == "dobj" and t.head.i == verb.i:
        return verb.lemma_.lower() in lex.rules.promising_object_verbs
    return _completes(t, verb)


def _completes(t: Token, verb: Token) -> bool:
    """``t`` is (the conjunct of) a clausal complement of ``verb``: "vowed to find and punish"."""
    for _ in range(3):
        if t.head.i == t.i or t.dep_ not in ("xcomp", "ccomp", "conj"):
            return False
        t = t.head
        if t.i == verb.i:
            return True
    return False


def main_first(keep: list[Cand]) -> list[Cand]:
    """Reading order, with the main-clause event (nearest the root) first."""
    keep = sorted(keep, key=lambda c: c.first)
    if keep:
        main = min(keep, key=lambda c: (depth(c.status_tok), c.first))
        keep.remove(main)
        keep.insert(0, main)
    return keep


def _one_per_event(keep: list[Cand], cands: list[Cand]) -> list[Cand]:
    """One candidate per (trigger start, type) — the event id's key: a second one (a noun event whose light
    verb is itself a trigger of the same type) is the same event; its children move to the one kept."""
    first: dict[tuple[int, str], Cand] = {}
    out: list[Cand] = []
    for c in keep:
        key = (c.first, c.event_type)
        kept = first.get(key)
        if kept is None:
            first[key] = c
            out.append(c)
            continue
        if not kept.actors and c.actors:
            kept.actors = c.actors
        if not kept.recipients and c.recipients:
            kept.recipients = c.recipients
        for k in cands:
            if k.parent is c:
                k.parent = kept
    return out
