"""Extraction: a parsed document → PLOVER events with status, attribution, date, place, evidence.

Per sentence (sentences over ``settings.max_sentence_tokens`` tokens, number tables, verbless fragments
and hashtag lines are not coded):

1. triggers: tokens whose lemma is in the event lexicon (:mod:`brinkwatch.coder.triggers`), verbs and nouns;
   a noun governed by a light verb ("held talks", "conducted an exercise") carries the event and borrows
   the verb's subject; a noun that is an argument of a verb trigger is part of that event;
2. complements: "agreed to cooperate", "demanded that …", "threatened to …" are one event (the content is
   what the event is about); the content of a claim ("accused X of …", "denied that …", "claimed that …")
   is its own event whose ``parent_event`` is the claim's event; "X said Y attacked it" adds an ACCUSE by X
   and "X said Y must …" a REQUEST by X;
3. arguments from the dependency tree: actor = subject, passive agent, controller of an infinitive;
   recipient = object, passive subject, object of against/on/with/to/at/…; coded by ActorCoder;
4. PLOVER coding rules: future or promised cooperation is AGREE, refused or negated cooperation is
   REJECT, a future material-conflict act is a THREATEN;
5. status from :func:`brinkwatch.coder.modality.assess`, attribution, date and place from the context stage.

``confidence`` = lexicon strength × (0.5 + 0.25 if an actor was found + 0.25 if a recipient was found).
Events of a sentence come out in reading order, the main-clause event (nearest the root) first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from brinkwatch.coder import attribution, cameo, dates, eventness, modality, places
from brinkwatch.coder import syntax as deptree
from brinkwatch.coder import triggers as events
from brinkwatch.coder.triggers import Entry, Lexicon, log
from brinkwatch.core.records import Attribution, Event, Location, Party, Sentence
from brinkwatch.core.settings import Settings
from brinkwatch.lexicon import actors as actor_data
from brinkwatch.lexicon.cameo import Candidate as CameoSense

EXTRACTOR_VERSION = "1.0.0"
WEAK = 0.5  # lexicon strength at or below which a trigger is an event only with a coded (non-UNK) party


ARG_DEPS = frozenset({"dobj", "dative", "attr", "oprd", "nsubjpass"})


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
    absorbed: str | None = None  # "absorbed": the rules count it as part of another candidate's event
    p_event: float | None = None  # the learned model's event probability
    modality: modality.Modality | None = None


def sentences_of(doc: Doc, sents: list[Span] | None = None) -> list[Sentence]:
    """The document's sentences (``sents``: ``list(doc.sents)`` when the caller has it already)."""
    text = deptree.token_table(doc).text  # a span's text is its slice of the document's text
    return [
        Sentence(index=i, start=s.start_char, end=s.end_char, text=text[s.start_char : s.end_char])
        for i, s in enumerate(doc.sents if sents is None else sents)
    ]


# ---------------------------------------------------------------- candidates


def _governor(n: Token, objects_only: bool = False) -> Token | None:
    """The verb a noun trigger is the object of (held talks, engaged in a firefight)."""
    t = n
    heads = events.lexicon().rules.compound_heads
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
    table = deptree.token_table(v.doc)
    doc, kids, dep = v.doc, table.kids, table.dep
    out: list[Token] = []
    for c in kids[v.i]:
        if dep[c] in ARG_DEPS:
            out.extend(events.with_conjuncts(doc[c]))
        elif dep[c] in ("prep", "agent"):
            for gc in kids[c]:
                if dep[gc] == "pobj":
                    out.extend(events.with_conjuncts(doc[gc]))
    return out


def _complements(v: Token) -> list[Token]:
    table = deptree.token_table(v.doc)
    doc, kids, dep, lower, pos = v.doc, table.kids, table.dep, table.lower, table.pos
    out: list[Token] = []
    h = events.clause_head(v)
    for c in [*kids[v.i], *(kids[h.i] if h.i != v.i else ())]:
        if dep[c] in events.CONTENT_DEPS:
            out.extend(events.with_conjuncts(doc[c]))
        elif dep[c] == "prep" and lower[c] in ("of", "for", "to"):
            for gc in kids[c]:
                if dep[gc] == "pcomp" or (dep[gc] == "pobj" and pos[gc] in ("NOUN", "VERB")):
                    out.extend(events.with_conjuncts(doc[gc]))
    return out


CLAUSE_BOUNDARY = frozenset({"relcl", "advcl", "parataxis"})


def _existential(tok: Token) -> bool:
    """ "There were 10 soldiers killed": the participle is the clause's event."""
    noun = tok.head
    return tok.dep_ == "acl" and noun.dep_ == "attr" and any(c.dep_ == "expl" for c in noun.head.children)


def _subtree_triggers(root: Token, raw: dict[int, tuple[Token, Entry]], skip: Token | None = None) -> list[int]:
    """Triggers inside a claim's content: its subtree without relative/adverbial clauses hung on it
    ("… airspace, which Moscow has denied, when Estonia accused …" are not part of the claim)."""
    table = deptree.token_table(root.doc)
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


def _senses(sent: Span) -> dict[int, list[CameoSense]]:
    """The CAMEO dictionary's PLOVER readings of the sentence's verbs, by token."""
    out: dict[int, list[CameoSense]] = {}
    for m in cameo.match(sent):
        if m.plover is not None:
            out.setdefault(m.i, []).append(m)
    return out


CAMEO_STRENGTH = (0.4, 0.6)  # a verb's default sense (no pattern matched), a pattern's


def _cameo_entry(found: list[CameoSense]) -> Entry:
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


def _candidates(sent: Span, lex: Lexicon, tokens: list[Token]) -> list[Cand]:
    """Trigger candidates of one sentence; ``tokens``: its tokens whose lemma is a trigger word."""
    raw: dict[int, tuple[Token, Entry]] = {}
    for tok in tokens:
        e = events.match(tok, lex)
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
    senses = _senses(sent)
    for i, found in senses.items():
        if i not in raw:
            tok = sent.doc[i]
            if tok.dep_ == "amod" or (tok.dep_ == "acl" and tok.tag_ == "VBN" and not _existential(tok)):
                continue  # background, as for lexicon verbs
            raw[i] = (tok, _cameo_entry(found))
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
        for n in _arg_nouns(events.clause_head(tok)):
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
            for d in events.children_by_dep(tok, {"dobj"}):
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
                            absorbed.update(x.i for x in events.with_conjuncts(gc))
    governing = {g.i for i, g in governors.items() if i not in absorbed}
    for i, (tok, e) in raw.items():
        if e.pos != "verb":
            continue
        purpose = tok.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in tok.children)
        if purpose and tok.head.i in governing:  # "began a hunger strike to demand …"
            absorbed.add(i)
            continue
        if tok.head.i not in raw or tok.head.i in dropped:
            continue
        same = raw[tok.head.i][1].type == e.type
        if same and (tok.dep_ == "conj" or (tok.dep_ == "advcl" and tok.tag_ == "VBG")):
            absorbed.add(i)  # "shelled Juba, killing 20", "killed one and wounded two": one attack
        elif purpose:
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
        if e.needs_arg and not events.has_argument(events.clause_head(tok)):
            continue
        g = governors.get(i)
        if e.pos == "noun":
            if e.light_only and g is None:
                continue
            light = g is not None and g.lemma_.lower() in lex.rules.light_verbs
            status_tok = g if (light and g is not None) else tok
            first, last = (g.i, tok.i) if (light and g is not None and 0 < tok.i - g.i <= 8) else (tok.i, tok.i)
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
            cand.soft = cand.absorbed = "absorbed"
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
    out.extend(_reported([t for t in tokens if t.i not in done], lex, raw, cands))
    return out


def _link_target(c: Token, lex: Lexicon) -> Token | None:
    """The party a clause ties its subject to: "… may be related / linked to Russia", "… was behind it"."""
    lemma = c.lemma_.lower()
    if lemma in lex.rules.link_verbs:
        found = [t for t in events.pobjs(c, ("to", "with")) if t.dep_ == "pobj"]
        return found[0] if found else None
    if lemma == "be":
        found = [t for t in events.pobjs(c, ("behind",)) if t.dep_ == "pobj"]
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
        if not events.children_by_dep(tok, events.SUBJ_DEPS):
            continue
        for c in events.children_by_dep(tok, {"ccomp"}):
            target = _link_target(c, lex)
            if target is None:
                continue
            cand = Cand(tok, acc, "ACCUSE", tok, first=tok.i, last=tok.i, synthetic=True, content=c, linked=target)
            for subj in events.children_by_dep(c, {"nsubj", "nsubjpass"}):
                for j in _subtree_triggers(subj, raw):
                    kid = cands.get(j)
                    if kid is not None and kid.parent is None:
                        kid.parent = cand
            out.append(cand)
            break
    return out


def _reported(
    tokens: list[Token], lex: Lexicon, raw: dict[int, tuple[Token, Entry]], cands: dict[int, Cand]
) -> list[Cand]:
    """ "X said Y must …" → REQUEST by X; "X said Y attacked it" → ACCUSE by X with the attack as child."""
    out: list[Cand] = []
    for tok in tokens:
        if tok.pos_ != "VERB" or tok.i in raw or tok.lemma_.lower() not in lex.rules.reporting_verbs:
            continue
        if not events.children_by_dep(tok, events.SUBJ_DEPS):
            continue
        contents = [c for c in events.children_by_dep(tok, {"ccomp"}) if c.i > tok.i]
        if tok.dep_ == "ccomp" and tok.head.i > tok.i:
            contents.append(tok.head)  # an inverted parse: "Peskov stressed that … the alliance is at war"
        for c in contents:
            if any(a.dep_ == "aux" and a.lower_ in lex.rules.obligation_aux for a in c.children):
                req = lex.verbs.get("demand", [None])[0]
                if req is not None:
                    out.append(Cand(tok, req, "REQUEST", tok, first=tok.i, last=tok.i, synthetic=True, content=c))
                    for x in (c, *[n for n in _arg_nouns(c)]):
                        if x.i in cands:
                            del cands[x.i]
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


# ---------------------------------------------------------------- coding


def _code(c: Cand, args: events.Arguments, lex: Lexicon) -> None:
    tok = c.tok
    if c.synthetic:
        actor_heads = args.verb_actor_heads(tok)
        content = c.content
        rec_heads: list[Token] = []
        if c.linked is not None:
            rec_heads = [c.linked]
        elif content is not None:
            rec_heads = events.children_by_dep(content, {"nsubj", "nsubjpass"})
        c.actors, _ = args.first_coded(actor_heads)
        c.recipients, _ = args.first_coded(rec_heads)
        return
    if c.entry.pos == "noun":
        actor_heads = args.noun_actor_heads(tok, c.governor)
        rec_heads = args.noun_recipient_heads(tok, c.governor)
        if c.governor is None:
            own = [*events.pobjs(tok, ("by",)), *events.children_by_dep(tok, {"poss"}), tok, *rec_heads]
            c.own_party = bool(args.first_coded(own)[0])
    else:
        actor_heads = args.verb_actor_heads(tok)
        rec_heads = args.verb_recipient_heads(tok, c.entry)
    c.actors, ahead = args.first_coded(actor_heads)
    rec_heads = [h for h in rec_heads if ahead is None or h.i != ahead.i]
    c.recipient_heads = rec_heads
    recips, _ = args.first_coded(rec_heads, skip=frozenset(p.country for p in c.actors))
    taken = {(p.start, p.country) for p in c.actors}
    c.recipients = [p for p in recips if (p.start, p.country) not in taken]
    # PLOVER coding rules on the clause's own syntax
    anchor = c.status_tok
    if c.entry.said_type and events.children_by_dep(tok, {"ccomp"}):
        c.event_type = c.entry.said_type
    if c.event_type in ("MOBILIZE", "CONSULT") and _peacekeeping(c, lex):
        c.event_type = "AID"
    if c.event_type in lex.rules.cooperative_types or c.event_type == "AGREE":
        if events.negated(anchor, lex):
            neg_future = c.entry.neg_type and events.future(anchor, lex)
            c.event_type = c.entry.neg_type if (neg_future and c.entry.neg_type) else "REJECT"
        elif c.event_type != "AGREE" and events.future(anchor, lex):
            c.event_type = "AGREE"
    elif c.event_type in lex.rules.threat_types and events.future(anchor, lex) and not events.negated(anchor, lex):
        c.event_type = "THREATEN"


def _mark_alleged(child: Event, parent: Event) -> None:
    """The content of an accusation is alleged ("X said Y attacked it"), whatever its own clause says."""
    empty: dict[str, float] = {}
    scale = events.guard("modality.lexicon", lambda: dict(modality.lexicon().factuality), empty)
    child.status = "alleged"
    child.factuality = float(scale.get("alleged", 2.0))
    child.cues = [*child.cues, parent.trigger]


def _peacekeeping(c: Cand, lex: Lexicon) -> bool:
    words = lex.rules.peacekeeping_words
    if any(w in words for w in events.context_lemmas(c.tok)):
        return True
    return any(w in words for p in c.actors for w in p.text.lower().split())


def _self_accusation(child: Cand, speakers: list[Party]) -> bool:
    """Does the reported attack fall on the speaker ("X said Y attacked it")? Not when the speaker
    reports its own act ("the farmers said they would blockade Paris")."""
    mine = {p.country for p in speakers if p.country != "UNK"}
    if mine & {p.country for p in child.actors}:
        return False
    if any(s.pos_ == "PRON" for s in events.children_by_dep(events.clause_head(child.tok), {"nsubj"})):
        return False
    for h in child.recipient_heads:
        if h.lower_ in events.SELF_PRONOUNS:
            return True
    return bool(mine & {p.country for p in child.recipients})


Observer = Callable[[int, Span, list[Cand], list[eventness.Proposal]], None]


def extract_doc(
    doc: Doc,
    *,
    doc_id: str,
    published: str | None = None,
    settings: Settings | None = None,
    learned: bool = True,
    observe: Observer | None = None,
) -> tuple[list[Sentence], list[Event]]:
    """Sentences and events of one parsed article (offsets are in ``doc.text``).

    ``learned=False``: the rules alone decide what is an event (no learned model); ``observe``: called with
    every sentence's candidates before the decision (training and inspection)."""
    settings = settings or Settings.from_env()
    sents = list(doc.sents)
    sentences = sentences_of(doc, sents)
    if not doc.has_annotation("DEP"):
        return [dataclasses.replace(s, skip_reason="not parsed") for s in sentences], []
    lex = events.lexicon()
    args = events.Arguments(doc, lex)
    tracker = events.guard("AttributionTracker", lambda: attribution.AttributionTracker(doc, args.coder), None)
    resolver = events.guard("DateResolver", lambda: dates.DateResolver(published), None)
    out: list[Event] = []
    model = eventness.model() if learned else None
    index_ = events.doc_index(doc, lex)
    for index, sent in enumerate(sents):
        reason = index_.codable(sent, settings.max_sentence_tokens)
        if reason is not None:
            log.debug("%s: sentence %d not coded: %s", doc_id, index, reason)
            sentences[index] = dataclasses.replace(sentences[index], skip_reason=reason)
            continue
        cands = _candidates(sent, lex, [doc[i] for i in index_.tokens(sent)])
        if not cands:
            continue
        for c in cands:
            _code(c, args, lex)
        for c in cands:  # the happening a suspicion ties to a party: that party did it
            if c.parent is not None and c.parent.linked is not None and c.parent.recipients:
                c.actors = [p for p in c.parent.recipients]
                c.recipients = [p for p in c.recipients if p.country not in {a.country for a in c.actors}]
                c.own_party = True
        keep: list[Cand] = []
        for c in cands:
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
                speakers = events.children_by_dep(c.tok, {"nsubj"})
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
        keep = _one_per_event(keep, cands)
        keep = _decide(keep, cands, sent, model, observe, index)
        keep.sort(key=lambda c: c.first)
        if keep:
            main = min(keep, key=lambda c: (events.depth(c.status_tok), c.first))
            keep.remove(main)
            keep.insert(0, main)
        made: dict[int, Event] = {}
        for c in keep:
            made[id(c)] = _event(c, doc, sent, sentences[index].text, index, doc_id, lex, tracker, resolver)
        for c in keep:
            if c.parent is not None and id(c.parent) in made:
                child, parent = made[id(c)], made[id(c.parent)]
                child.parent_event = parent.event_id
                if parent.event_type == "ACCUSE" and child.status == "asserted":
                    _mark_alleged(child, parent)
        out.extend(made[id(c)] for c in keep)
    return sentences, out


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


def _proposal(c: Cand) -> eventness.Proposal:
    if c.modality is None:
        c.modality = modality.assess(c.status_tok)
    return eventness.Proposal(
        tok=c.tok,
        status_tok=c.status_tok,
        event_type=c.event_type,
        source=("suspicion" if c.linked is not None else "reported") if c.synthetic else c.entry.source,
        strength=c.entry.strength,
        role=c.entry.role,
        light=c.light,
        governor=c.governor,
        parent_type=c.parent.event_type if c.parent is not None else None,
        actors=c.actors,
        recipients=c.recipients,
        soft_drop=c.soft,
        senses=tuple(dict.fromkeys(str(m.plover) for m in c.senses)),
        sense_pattern=any(not m.default for m in c.senses),
        sense_specificity=max((m.specificity for m in c.senses), default=0),
        status=c.modality.status,
    )


def _decide(
    keep: list[Cand],
    cands: list[Cand],
    sent: Span,
    model: eventness.EventModel | None,
    observe: Observer | None,
    index: int,
) -> list[Cand]:
    """The candidates that are events: the learned model's call (with its type), else the rules'."""
    proposals = [_proposal(c) for c in keep]
    for p, c in zip(proposals, keep, strict=True):
        p.n_children = sum(1 for k in keep if k.parent is c)
    if observe is not None:
        observe(index, sent, keep, proposals)
    if model is None:
        out = [c for c in keep if c.soft is None]
    else:
        probs = model.predict([model.row(eventness.raw_features(p, sent)) for p in proposals])
        out = []
        for c, p, pr in zip(keep, proposals, probs, strict=True):
            chosen, c.p_event = eventness.decide(p, pr, model.veto, model.rescue)
            if chosen is not None:
                c.event_type = chosen
                out.append(c)
        out = _one_happening(out)
    kept = {id(c) for c in out}
    for c in cands:
        if c.parent is not None and id(c.parent) not in kept:
            c.parent = None
    return out


def _one_happening(kept: list[Cand]) -> list[Cand]:
    """An absorbed trigger the model keeps beside the trigger that absorbs it, with the same type, is the same
    happening ("the bombing killed 20", "shelled the town, killing 20"): the more probable one stays."""
    drop: set[int] = set()
    for x in kept:
        if not x.absorbed:
            continue
        for y in kept:
            if y is x or y.event_type != x.event_type or id(y) in drop:
                continue
            if x.tok.is_ancestor(y.tok) or y.tok.is_ancestor(x.tok) or x.tok.head.i == y.tok.head.i:
                drop.add(id(x) if (x.p_event or 0.0) <= (y.p_event or 0.0) else id(y))
                break
    return [c for c in kept if id(c) not in drop]


def _event(
    c: Cand,
    doc: Doc,
    sent: Span,
    sent_text: str,
    index: int,
    doc_id: str,
    lex: Lexicon,
    tracker: attribution.AttributionTracker | None,
    resolver: dates.DateResolver | None,
) -> Event:
    span = doc[c.first : c.last + 1]
    lemmas = events.context_lemmas(c.tok)
    if c.governor is not None:
        lemmas.extend(events.context_lemmas(c.governor))
    mode = mode_for_cand(c, lemmas, lex)
    status_tok = c.status_tok
    mod = c.modality or events.guard(
        "modality.assess", lambda: modality.assess(status_tok), modality.Modality("asserted", 3.0)
    )
    chain: list[Attribution] = []
    if tracker is not None:
        no_chain: list[Attribution] = []
        chain = list(events.guard("attribution.chain", lambda: tracker.chain(status_tok), no_chain))
    report: tuple[str | None, str] = (None, "report")
    date, precision = report
    if resolver is not None:
        date, precision = events.guard("dates.resolve", lambda: resolver.resolve(sent, status_tok), report)
    location: Location | None = events.guard("places.locate", lambda: places.locate(sent, status_tok), None)
    if location is None:
        location = _owned_place(c)
    info = lex.type_info(c.event_type)
    completeness = 0.5 + (0.25 if c.actors else 0.0) + (0.25 if c.recipients else 0.0)
    return Event(
        doc_id=doc_id,
        sentence_index=index,
        sentence=sent_text,
        sentence_start=sent.start_char,
        trigger=span.text,
        trigger_start=span.start_char,
        trigger_end=span.end_char,
        event_type=c.event_type,
        mode=mode,
        contexts=events.contexts_for(c.entry, lemmas, lex),
        quad=info.quad,
        score=lex.score(c.event_type, mode),
        actors=c.actors,
        recipients=c.recipients,
        status=mod.status,
        factuality=float(mod.factuality),
        cues=list(mod.cues),
        attribution=chain,
        date=date,
        date_precision=precision or "report",
        location=location,
        confidence=round(c.entry.strength * completeness, 3),
    )


OWNED_PLACES = frozenset({"airspace", "territory", "waters", "soil"})


def _owned_place(c: Cand) -> Location | None:
    """An incursion into one state's airspace ("violated its airspace", the owner resolved as recipient)
    happened in that state."""
    states = {p.country for p in c.recipients if p.country in actor_data.lexicon().iso}
    if len(states) != 1 or not any(h.lemma_.lower() in OWNED_PLACES for h in c.recipient_heads):
        return None
    code = states.pop()
    head = next(h for h in c.recipient_heads if h.lemma_.lower() in OWNED_PLACES)
    return Location(
        text=head.doc[head.left_edge.i : head.i + 1].text,
        country=code,
        name=actor_data.country_name(code),
        kind="country",
    )


def mode_for_cand(c: Cand, lemmas: list[str], lex: Lexicon) -> str | None:
    if c.event_type == "THREATEN" and c.entry.type != "THREATEN":
        return lex.rules.threat_types.get(c.entry.type) or events.mode_for("THREATEN", c.entry, lemmas, lex)
    if c.synthetic:
        return "allege" if c.event_type == "ACCUSE" else None
    return events.mode_for(c.event_type, c.entry, lemmas, lex)


def uncoded_sentences(doc: Doc, settings: Settings | None = None) -> list[tuple[int, str]]:
    """(sentence index, reason) for every sentence extraction does not code (too long, a number table,
    no verb, a hashtag line): the recorded reason for what is skipped."""
    settings = settings or Settings.from_env()
    index = events.doc_index(doc, events.lexicon())
    out: list[tuple[int, str]] = []
    for i, sent in enumerate(doc.sents):
        reason = index.codable(sent, settings.max_sentence_tokens)
        if reason is not None:
            out.append((i, reason))
    return out


WARM_TEXT = (
    "On Thursday, Reuters reported that NATO officials said Russian jets had violated Estonian airspace over "
    "the Gulf of Finland on September 19, three weeks ago."
)


def warm(nlp: Language | None = None, settings: Settings | None = None) -> None:
    """Load everything extraction reads once per process (event, modality and source lexicons, the
    gazetteer, the outlet matcher, dateparser's locale data) by extracting one sentence.

    Call it where the model is loaded before worker processes are forked: the workers then inherit it
    instead of each paying for it (about 0.3 s) on its first article. Outputs do not change."""
    from brinkwatch.coder.parse import load_nlp

    settings = settings or Settings.from_env()
    nlp = nlp or load_nlp(settings.spacy_model)
    extract_doc(nlp(WARM_TEXT), doc_id="warm-up", published="2025-10-10", settings=settings)


def extract_text(
    text: str,
    *,
    published: str | None = None,
    doc_id: str = "text",
    nlp: Language | None = None,
    settings: Settings | None = None,
) -> list[Event]:
    from brinkwatch.coder.parse import load_nlp

    settings = settings or Settings.from_env()
    nlp = nlp or load_nlp(settings.spacy_model)
    return extract_doc(nlp(text), doc_id=doc_id, published=published, settings=settings)[1]
