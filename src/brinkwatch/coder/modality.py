"""Status of an event: asserted, negated, alleged, denied, speculated, considered, future, hypothetical.

``assess(trigger)`` reads the dependency tree around an event's trigger word:

1. cues on the trigger's own clause — negation ("did not attack", but not "not only"), modal auxiliaries
   (may → speculated, will → future, should → considered), conditional markers (if → hypothetical), hedging
   adverbs (allegedly, possibly, nearly) and noun modifiers (the alleged incursion, the cancelled drills);
2. then the governing words, walking up through complements, objects, subjects, prepositions and
   coordination: "denied that [X]" → denied, "accused … of [X]" → alleged, "considering allowing pilots to
   [X]" → considered, "the discussions included [X]" → considered, "speculated that [X]" → speculated.

The strongest status found decides (ranking in ``data/modality/cues.yaml``); every cue word is recorded in
``Modality.cues``. The governing word itself stays asserted (Moscow's denial happened) unless it is itself
modalized. Cue words are data: ``data/modality/cues.yaml``, compiled by :mod:`brinkwatch.lexicon.cues`.

The learned score of an event's factuality is :mod:`brinkwatch.coder.factuality` (``assess`` is among its
features); ``assess`` returns the status and a constant per status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Token

from brinkwatch.coder.syntax import CONDITION_MARKS, conditional_clause, has_condition, in_order, token_table
from brinkwatch.core.ontology import STATUSES
from brinkwatch.lexicon.cues import Governor, Lexicon, lexicon

__all__ = ["STATUS_ORDER", "Modality", "assess", "lexicon"]

STATUS_ORDER = STATUSES  # every status a cue may set (their precedence is data: cues.yaml "rank")
_MAX_STEPS = 12


@dataclass(frozen=True, slots=True)
class Modality:
    status: str
    factuality: float  # −3 … +3
    cues: tuple[str, ...] = ()


# ----------------------------------------------------------------------------------------- the walk


class _Found:
    """Cues collected for one trigger; the strongest status wins."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.best: tuple[int, str, float | None] = (0, "asserted", None)
        self.cues: list[str] = []
        self.only: frozenset[str] | None = None  # past an ordinary verb's object: claims and denials only

    def add(self, status: str, cue: str, score: float | None = None) -> None:
        if status == "asserted" or (self.only is not None and status not in self.only):
            return
        if cue not in self.cues:
            self.cues.append(cue)
        rank = self.lex.rank[status]
        if rank > self.best[0]:
            self.best = (rank, status, score)

    def result(self) -> Modality:
        _, status, score = self.best
        return Modality(status, score if score is not None else self.lex.factuality[status], tuple(self.cues))


def _lemma(tok: Token) -> str:
    lemma = (tok.lemma_ or tok.text).lower()
    return lemma.rsplit("-", 1)[-1] if "-" in lemma and not lemma.startswith("-") else lemma


def _is_negation(tok: Token, lex: Lexicon) -> bool:
    word = tok.lower_
    if word not in lex.neg_words or tok.dep_ not in ("neg", "det", "advmod", "preconj", "prep"):
        return False
    if word in ("no", "without") and tok.dep_ not in ("neg", "det"):
        return False
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return not (nxt is not None and nxt.lower_ in lex.not_before)


def _local(node: Token, found: _Found, *, negation: str, modals: bool) -> None:
    """Cues on ``node``'s own clause. ``negation``: "negated" (same clause), a weaker status (outer clause)
    or "" (ignore); ``modals``: whether modal auxiliaries and markers count."""
    lex = found.lex
    if modals and node.pos_ in ("VERB", "AUX"):
        # multi-word subordinators right before the clause: "in case Russia attacks"
        start = node.left_edge.i
        lower: list[str] | None = None
        for words, marker, status in _multiword_markers(lex):
            if start >= len(words):
                if lower is None:
                    lower = token_table(node.doc).lower
                if lower[start - len(words) : start] == words:
                    found.add(status, marker)
    kids = list(node.children)
    kids += [g for c in kids if c.dep_ in ("aux", "auxpass") for g in c.children if g.dep_ in ("aux", "neg")]
    for child in kids:
        dep, word = child.dep_, child.lower_
        if negation and (_is_negation(child, lex) or (dep == "advmod" and word in lex.neg_adverbs)):
            found.add(negation, child.text)
        elif not modals:
            continue
        elif dep in ("aux", "auxpass") and child.tag_ == "MD" and word in lex.modals:
            status, score = lex.modals[word]
            if word in ("would", "'d") and has_condition(node):
                status, score = "hypothetical", None
            found.add(status, child.text, score)
        elif dep in ("mark", "advmod") and word in lex.markers and child.i < node.i:
            found.add(lex.markers[word], child.text)
        elif dep == "advmod" and word in lex.adverbs:
            found.add(*_with_cue(lex.adverbs[word], child.text))
        elif dep in ("amod", "acl", "compound", "nmod", "advmod") and _modifier(child, lex) is not None:
            if dep != "acl" or child.tag_ in ("VBN", "JJ"):
                word = _modifier(child, lex) or word
                found.add(*_with_cue(lex.modifiers[word], word))
        elif conditional_clause(child):
            found.add("hypothetical", next(t.text for t in child.children if t.lower_ in CONDITION_MARKS))
        elif dep in ("parataxis", "relcl") and _parenthetical(child, lex) is not None:
            gov = _parenthetical(child, lex)
            if gov is not None:
                found.add(gov.status, child.text, gov.factuality)
        elif dep in ("dobj", "pobj", "attr") and child.pos_ in ("NOUN", "PROPN"):
            for grand in child.children:
                gov = _parenthetical(grand, lex) if grand.dep_ == "relcl" else None
                if gov is not None:
                    found.add(gov.status, grand.text, gov.factuality)


_multi_markers: tuple[Any, tuple[tuple[list[str], str, str], ...]] = (None, ())  # (lexicon, its markers)


def _multiword_markers(lex: Lexicon) -> tuple[tuple[list[str], str, str], ...]:
    """(words, marker, status) of the lexicon's multi-word markers, in lexicon order (kept per lexicon)."""
    global _multi_markers
    last = _multi_markers
    if last[0] is lex:
        return last[1]
    out = tuple((m.split(), m, st) for m, st in lex.markers.items() if len(m.split()) > 1)
    _multi_markers = (lex, out)
    return out


def _modifier(tok: Token, lex: Lexicon) -> str | None:
    """The modifier's entry in the lexicon: "so-called" (also split as so - called), "now-cancelled"."""
    doc = tok.doc
    joined = doc[tok.i - 2].lower_ + "-" + tok.lower_ if tok.i >= 2 and doc[tok.i - 1].text == "-" else ""
    for word in (joined, tok.lower_, _lemma(tok), tok.lower_.rsplit("-", 1)[-1]):
        if word and word in lex.modifiers:
            return word
    return None


DEFINITE = frozenset({"the", "this", "that", "these", "those"})


def presupposed(tok: Token) -> bool:
    """An event noun the text takes as known: definite ("the bombing", "last Friday's bombings", "Kopp's
    arrest") and carrying no doubt of its own ("the so-called invasion", "the alleged attack" are doubted). A
    pronoun's possession is no such mark: "said NATO was heightening tensions with its deployments" reports the
    deployments as part of the claim.
    A report or a claim about it concerns who did it or what it means, not whether it happened: "letters claim
    responsibility for the Atlanta clinic bombing", "accused of masterminding the attack" (the team's coding of
    the training newswire codes such nouns asserted in 6 of 8)."""
    if tok.pos_ != "NOUN":
        return False
    lex = lexicon()
    definite = False
    for c in tok.children:
        if (c.dep_ == "poss" and c.pos_ != "PRON") or (c.dep_ == "det" and c.lower_ in DEFINITE):
            definite = True
        elif c.dep_ in ("amod", "acl", "compound", "nmod", "advmod") and _modifier(c, lex) is not None:
            return False
    return definite


def _with_cue(pair: tuple[str, float | None], cue: str) -> tuple[str, str, float | None]:
    return pair[0], cue, pair[1]


def _parenthetical(tok: Token, lex: Lexicon) -> Governor | None:
    """ ", which Moscow has denied" / ", Moscow claimed": a reporting clause about the trigger's clause."""
    gov = _governor(tok, "comp", lex)
    if gov is None or gov.status not in ("alleged", "denied", "speculated"):
        return None
    if tok.dep_ == "relcl":
        prev = tok.doc[tok.left_edge.i - 1] if tok.left_edge.i > 0 else None
        pron = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass") and c.lower_ in ("which", "what")]
        return gov if pron and prev is not None and prev.text == "," else None
    has_content = any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in tok.children)
    return None if has_content else gov


def _governor(head: Token, via: str, lex: Lexicon, prep: str | None = None) -> Governor | None:
    entries = lex.governors.get(_lemma(head))
    if not entries:
        return None
    for gov in entries:
        if via in gov.via and (prep is None or gov.preps is None or prep in gov.preps):
            return gov
    return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


_MEMO_KEY = "brinkwatch.modality"


def assess(trigger: Token) -> Modality:
    """How the text presents the event whose trigger word is ``trigger`` (read once per token and document: the
    event decision, the record and the factuality model all ask)."""
    memo: dict[int, Modality] | None = trigger.doc.user_data.get(_MEMO_KEY)
    if memo is None:
        memo = trigger.doc.user_data[_MEMO_KEY] = {}
    got = memo.get(trigger.i)
    if got is None:
        got = memo[trigger.i] = _assess(trigger)
    return got


def _assess(trigger: Token) -> Modality:
    lex = lexicon()
    found = _Found(lex)
    node = trigger
    negation, modals = "negated", True
    came_via_content = False
    for _ in range(_MAX_STEPS):
        _local(node, found, negation=negation, modals=modals)
        step = _step(node, found, came_via_content)
        if step is None:
            break
        node, negation, modals, came_via_content = step
    return found.result()


def _step(node: Token, found: _Found, came_via_content: bool) -> tuple[Token, str, bool, bool] | None:
    """Cross one dependency link upwards: record the governor's cue; say how its own cues count."""
    lex = found.lex
    dep, head = node.dep_, node.head
    if head is node or dep == "ROOT":
        return None
    if in_order(head) and dep in ("acl", "ccomp", "relcl", "advcl"):
        # "cut their armies in order to meet the standards": a purpose clause of the verb, as "to meet" is
        return head.head.head, "negated", True, False
    if dep in ("aux", "auxpass", "prt", "acomp", "attr", "oprd", "appos", "neg", "compound"):
        if dep == "compound" and node.pos_ not in ("NOUN", "PROPN"):
            return None
        return head, "negated", True, False
    if dep == "conj":
        # "will own … and license …" share the modal; a conjunct with its own auxiliary or subject does not
        own = any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in node.children)
        return _conj_target(node), ("negated" if _or_coordination(head) and not own else ""), not own, False
    content = dep in ("acl", "relcl") and _is_content_clause(node, head, lex)
    if dep in ("xcomp", "ccomp", "csubj") or content:
        _comp_cue(node, head, found)
        if dep == "xcomp" or (content and head.pos_ in ("NOUN", "PROPN")):
            return head, "negated", True, True
        return head, "speculated", True, True
    if dep == "acl":
        # a participle listed after a noun ("the discussions included weapons …, lowering the threshold")
        return (head, "", False, False) if node.tag_ == "VBG" else None
    if dep == "advcl":
        # purpose infinitives and bare participles share the head's status ("will deploy jets to deter",
        # "accused … of heightening tensions by expanding …"); finite or when/after/because clauses do not
        marks = {c.lower_ for c in node.children if c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB")}
        infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.children)
        finite = any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in node.children)
        if infinitive and not any(c.dep_ in ("xcomp", "ccomp") for c in head.children):
            gov = _governor(head, "comp", found.lex)
            if gov is not None and gov.status == "considered":
                # "called for the rebels to be expelled": the parser hangs a request's or plan's content on it
                # as an adverbial clause; it is the content, not a purpose that shares the call's status
                found.add(gov.status, head.text, gov.factuality)
                return head, "negated", True, True
        if infinitive or (marks <= {"by"} and not finite):
            return head, "negated", True, False
        return None
    if dep in ("pobj", "pcomp") and head.dep_ in ("prep", "agent", "dative"):
        return _prep_step(node, head, found)
    if dep in ("dobj", "obj", "dative"):
        return _obj_step(node, head, found, came_via_content)
    if dep in ("nsubj", "nsubjpass", "csubjpass"):
        return _subj_step(node, head, found)
    return None


def _conj_target(node: Token) -> Token:
    """A bare infinitive coordinated with a verb that took the infinitive complement ("considering allowing
    pilots to fire, and enhance its presence") belongs with that complement."""
    head = node.head
    if node.tag_ == "VB" and head.tag_ != "VB" and not any(c.dep_ in ("nsubj", "aux") for c in node.children):
        comps = [c for c in head.children if c.dep_ in ("xcomp", "ccomp") and c.i < node.i]
        if comps:
            return comps[-1]
    return head


def _or_coordination(head: Token) -> bool:
    return any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in head.children)


def _is_content_clause(node: Token, head: Token, lex: Lexicon) -> bool:
    """ "plans to attack", "the claim that it attacked" — not a reduced relative ("the proposal, initiated by …")."""
    if _governor(head, "comp", lex) is None and _lemma(head) not in lex.claim_nouns:
        return False
    return any(
        (c.dep_ == "aux" and c.tag_ == "TO") or (c.dep_ == "mark" and c.lower_ in ("that", "whether", "if"))
        for c in node.children
    )


def _comp_cue(node: Token, head: Token, found: _Found) -> None:
    lex = found.lex
    lemma = _lemma(head)
    if node.dep_ == "xcomp" and _is_passive(head) and lemma in lex.raising:
        found.add(*_with_cue(lex.raising[lemma], head.text))
        return
    if lemma == "be" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.children):
        # "it is urgent to X" / "the aim is to X": the predicate governs; a bare "is to X" is a plan
        preds = [c for c in head.children if c.dep_ in ("acomp", "attr") and c.i != node.i]
        pgov = next((g for g in (_governor(p, "comp", lex) for p in preds) if g is not None), None)
        if pgov is not None:
            found.add(pgov.status, preds[0].text, pgov.factuality)
        elif not preds:
            found.add(*_with_cue(lex.copula_infinitive, head.text))
        return
    gov = _governor(head, "comp", lex)
    if gov is not None and not (gov.status == "negated" and node.dep_ != "xcomp"):
        found.add(gov.status, head.text, gov.factuality)


def _prep_step(node: Token, prep: Token, found: _Found) -> tuple[Token, str, bool, bool] | None:
    lex = found.lex
    head = prep.head
    word = prep.lower_
    if word in lex.neg_preps:
        found.add("negated", prep.text)
    if prep is head:
        return None
    # "in" after a verb says where or why ("were killed in the bombing", "was delayed in the talks"), not what
    # was called off; after a noun it may ("a delay in delivery")
    gov = None if word == "in" and head.pos_ in ("VERB", "AUX") else _governor(head, "prep", lex, word)
    if gov is not None:
        found.add(gov.status, head.text, gov.factuality)
        return head, "negated", True, True
    if head.dep_ in ("dobj", "nsubjpass") and head.head is not head:
        # "accused Russian aircraft of entering", "Russia was accused of …" (object noun between)
        gov = _governor(head.head, "prep", lex, word)
        if gov is not None:
            found.add(gov.status, head.head.text, gov.factuality)
            return head.head, "negated", True, True
    if head.pos_ in ("VERB", "AUX") and _lemma(head) in lex.light_verbs | lex.pp_light_verbs:
        return head, "negated", True, False
    if head.pos_ in ("VERB", "AUX") and node.dep_ == "pcomp" and word in ("by", "through", "via"):
        return head, "negated", True, False  # the means: "heightening tensions by expanding …"
    return None


def _obj_step(node: Token, head: Token, found: _Found, came_via_content: bool) -> tuple[Token, str, bool, bool] | None:
    lex = found.lex
    lemma = _lemma(head)
    if came_via_content and _lemma(node) in lex.claim_nouns:
        gov = _governor(head, "comp", lex)
        if gov is not None and gov.status == "denied":
            found.add("denied", head.text, gov.factuality)
            return head, "speculated", True, False
    if lemma in lex.ruling_out and any(c.dep_ == "prt" and c.lower_ == "out" for c in head.children):
        # "ruled out a response" → not happening; "has not ruled out a response" → possible
        negated = any(_is_negation(c, lex) for c in head.children)
        found.add("speculated" if negated else "negated", head.text + " out")
        return head, "", True, False
    gov = _governor(head, "obj", lex)
    if gov is not None and gov.status == "denied" and _lemma(node) in lex.claim_nouns:
        return None  # "denied the accusations": the accusations were made; their content is what is denied
    if gov is not None:
        found.add(gov.status, head.text, gov.factuality)
        return head, "speculated", True, False
    if lemma in lex.containers:
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        sgov = _governor(subj, "comp", lex) if subj is not None else None
        if subj is not None and sgov is not None and sgov.status in ("considered", "future", "speculated"):
            found.add(sgov.status, subj.text, sgov.factuality)
            return head, "", False, False
    if lemma in lex.light_verbs:
        return head, "negated", True, False
    # The object of another verb keeps its own status ("may condemn the attack", "efforts to ease the effect")
    # except that it is part of a claim or denial that governs the clause ("accused NATO of … expanding its
    # deployments" → deployments alleged).
    found.only = frozenset({"alleged", "denied"})
    return head, "", False, False


def _participle(verb: Token) -> bool:
    """A past participle that is not a perfect tense: "the talks, delayed again, …", not "the fighting has killed
    dozens" (its subject did the killing; nothing called it off)."""
    return verb.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


def _subj_step(node: Token, head: Token, found: _Found) -> tuple[Token, str, bool, bool] | None:
    lex = found.lex
    raising = any(c.dep_ == "xcomp" for c in head.children)
    if raising:
        # "the order, believed to be worth …": the order is real, its worth is the belief; but a scheduled
        # subject is itself planned ("the deliveries are scheduled to be in time", "talks are set to resume")
        pair = lex.raising.get(_lemma(head))
        if pair is not None and pair[0] == "future" and _is_passive(head):
            found.add(*_with_cue(pair, head.text))
    elif node.dep_ == "csubjpass" or node.dep_ == "nsubjpass" or _participle(head) or head.pos_ == "ADJ":
        gov = _governor(head, "subj", lex)
        if gov is not None:
            found.add(gov.status, head.text, gov.factuality)
            return head, "speculated", True, False
    elif _lemma(head) in ("seem", "appear"):
        gov = _governor(head, "subj", lex)
        if gov is not None:
            found.add(gov.status, head.text, gov.factuality)
    if _lemma(head) in lex.light_verbs and node.pos_ in ("NOUN", "PROPN"):
        return head, "negated", True, False
    # the subject of a clause: only what governs the clause counts ("speculated that incidents may be …")
    return head, "", False, False


def as_future(mod: Modality, cue: str, asserted_at: float) -> Modality:
    """An asserted event that its own clause dates after the report ("meets his counterpart on Monday"): announced,
    not yet happened — status future, its score kept below the asserted cut ``asserted_at``."""
    score = min(mod.factuality, float(lexicon().factuality.get("future", 2.5)), asserted_at - 0.05)
    return Modality("future", score, (*mod.cues, cue))


def settle(
    rule: Modality, learned: float | None, asserted_at: float, denied_at: float, spoken: bool, doubt_at: float
) -> Modality:
    """The status and factuality an event is recorded with: the cues' status (what kind of not-happened) and the
    learned score (how far it happened) together.

    * a speech act PLOVER's rules made of a modalized clause (a promise, a refusal, a threat: "will not allow"
      is a REJECT, "will strike unless" a THREATEN) happened when it was spoken: asserted, unless someone else
      only alleges, denies or speculates it;
    * the cues found no doubt but the model does (its score below ``doubt_at``): speculated, or negated below
      the denial cut — most errors of the cues alone were uncertain events read as asserted;
    * otherwise the cues' status. The factuality is the learned score, kept on the side of its status's cut
      (an asserted event at or above ``asserted_at``, any other below it), so that ``factual`` and the score
      never disagree; without a model, the cues' constant."""
    if spoken and rule.status in ("future", "considered", "hypothetical", "negated", "asserted"):
        return Modality("asserted", max(learned if learned is not None else rule.factuality, asserted_at), rule.cues)
    if learned is None:
        return rule
    if rule.status == "asserted":
        if learned >= doubt_at:
            return Modality("asserted", max(learned, asserted_at), rule.cues)
        return Modality("negated" if learned <= denied_at else "speculated", learned, rule.cues)
    if rule.status in ("negated", "denied"):
        return Modality(rule.status, min(learned, denied_at), rule.cues)
    return Modality(rule.status, min(max(learned, denied_at + 0.05), asserted_at - 0.05), rule.cues)
