"""Is a candidate a political event? A small learned model decides.

The rule coder proposes candidates — lexicon triggers, CAMEO verb senses, reported accusations and demands —
and codes their arguments. Many are not events on real news: everyday senses ("asked why"), idioms ("a price
war"), generic or purpose clauses, statistics, firm-to-firm business, incidents without a political party.
This stage scores each candidate with a gradient-boosted model (LightGBM) over features of the parse, the
proposal and its coded parties: the rules propose and type, the model judges whether it is an event
(:func:`decide`). On the few training events the rules' type beats the model's (measured), so the model does
not retype.

The model is trained by ``tools/train_events.py`` on the team's PLOVER coding of the UW newswire training
sentences (``training/uw_plover_train.jsonl``; the gold sets are never used) and shipped in
``data/models/events.*`` with its feature vocabularies and the thresholds chosen on the dev split.
:func:`features` is the one definition of a candidate's features, for training and prediction alike.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span, Token

from brinkwatch.coder import modality
from brinkwatch.coder.syntax import misread_verb, token_table
from brinkwatch.coder.triggers import Cand
from brinkwatch.core.ontology import PLOVER_TYPES
from brinkwatch.core.records import Party
from brinkwatch.lexicon import loader
from brinkwatch.lexicon.eventive import ratio as eventive_ratio
from brinkwatch.lexicon.loader import compiled

POLITICAL_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "PTY", "REB", "SPY", "PRM", "PRE", "OPP", "UAF"})
MODALS = frozenset({"will", "would", "may", "might", "could", "can", "should", "must", "shall", "wo", "ca"})
MARKS = frozenset({"if", "unless", "whether", "when", "because", "to", "that", "while", "after", "before"})
BUSINESS_ENTS = frozenset({"MONEY", "PERCENT"})
ENT_LABELS = ("GPE", "NORP", "ORG", "PERSON", "MONEY", "PERCENT", "CARDINAL", "DATE", "LOC", "FAC")
SOURCES = ("lexicon", "cameo", "training", "reported", "suspicion")


@dataclass(slots=True)
class Proposal:
    """What the rule coder knows of one candidate, as the model reads it."""

    tok: Token
    status_tok: Token
    event_type: str  # the rule coder's type, after PLOVER's conversions (negated cooperation → REJECT, …)
    source: str  # lexicon | cameo | reported | suspicion
    strength: float = 0.5
    role: str | None = None
    light: bool = False
    governor: Token | None = None
    parent_type: str | None = None
    n_children: int = 0
    actors: Sequence[Party] = ()
    recipients: Sequence[Party] = ()
    soft_drop: str | None = None  # a rule that would drop it ("bare noun", "weak, no party", "absorbed")
    senses: tuple[str, ...] = ()  # PLOVER types the CAMEO dictionary proposes for the token
    sense_pattern: bool = False  # one of them came from a pattern (object/preposition), not a verb default
    sense_specificity: int = 0
    status: str = "asserted"
    converted: bool = False  # a PLOVER rule made its type ("will support" → AGREE): the type model keeps it

    @property
    def types(self) -> tuple[str, ...]:
        """Types the candidate may take: the rule coder's first, then the dictionary's other senses."""
        return (self.event_type, *(t for t in self.senses if t != self.event_type))


@dataclass(slots=True)
class Vocab:
    """Categorical values → small integers (0: unknown), learned from the training candidates."""

    values: dict[str, dict[str, int]] = field(default_factory=dict)

    def code(self, name: str, value: str | None) -> int:
        table = self.values.get(name)
        if table is None or value is None:
            return 0
        return table.get(value, 0)


CATEGORICAL = (
    "lemma",
    "pos",
    "tag",
    "dep",
    "head_lemma",
    "head_dep",
    "rule_type",
    "source",
    "role",
    "parent_type",
    "actor_sector",
    "recipient_sector",
    "subj_pos",
    "subj_ent",
    "dobj_ent",
    "modal",
    "mark",
    "clause_tag",
    "status",
    "soft_drop",
    "subj_lemma",
    "dobj_lemma",
    "prep",
    "pobj_lemma",
    "comp_lemma",
)


def _party_features(ps: Sequence[Party], prefix: str) -> dict[str, Any]:
    coded = [p for p in ps if p.country != "UNK"]
    sectors = [p.sector for p in ps if p.sector]
    return {
        f"{prefix}_n": len(ps),
        f"{prefix}_coded": len(coded),
        f"{prefix}_political": int(
            any(p.sector in POLITICAL_SECTORS or (p.country != "UNK" and not p.sector) for p in ps)
        ),
        f"{prefix}_named": int(any(p.name for p in ps)),
        f"{prefix}_sector": sectors[0] if sectors else None,
    }


def _clause_head(t: Token) -> Token:
    return t.head if t.dep_ == "acomp" else t


def sentence_entities(sent: Span) -> list[str]:
    """The entity labels of a sentence, read from the document's entities (``Span.ents`` rebuilds the whole
    document's entity list on every call: quadratic on a long article)."""
    doc = sent.doc
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:
        ents = list(doc.ents)
        cached = ([e.start for e in ents], [e.label_ for e in ents])
        doc.user_data[_ENTS_KEY] = cached
    starts, labels = cached
    return labels[bisect.bisect_left(starts, sent.start) : bisect.bisect_left(starts, sent.end)]


_ENTS_KEY = "brinkwatch.eventness.ents"
_SENT_KEY = "brinkwatch.eventness.sentence"


def sentence_features(sent: Span) -> dict[str, Any]:
    """The features every candidate of a sentence shares, computed once per sentence (kept with the document)."""
    doc = sent.doc
    memo: dict[tuple[int, int], dict[str, Any]] | None = doc.user_data.get(_SENT_KEY)
    if memo is None:
        memo = doc.user_data[_SENT_KEY] = {}
    got = memo.get((sent.start, sent.end))
    if got is None:
        text = token_table(doc).text[sent.start_char : sent.end_char]
        ents = sentence_entities(sent)
        got = {
            "question": int(text.rstrip().endswith("?")),
            "quoted": int('"' in text or "“" in text),
            "n_words": sum(1 for w in sent if not w.is_punct),
            **{f"ents_{lab}": ents.count(lab) for lab in ENT_LABELS},
            "business": sum(1 for lab in ents if lab in BUSINESS_ENTS),
        }
        memo[(sent.start, sent.end)] = got
    return got


def raw_features(p: Proposal, sent: Span) -> dict[str, Any]:
    """The named features of one candidate (strings for categorical ones)."""
    t = p.tok
    h = _clause_head(p.status_tok)
    kids = list(h.children)
    subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
    dobj = next((c for c in kids if c.dep_ == "dobj"), None)
    aux = [c.lower_ for c in kids if c.dep_ in ("aux", "auxpass")]
    modal = next((a for a in aux if a in MODALS), None)
    mark = next((c.lower_ for c in kids if c.dep_ == "mark" and c.lower_ in MARKS), None)
    if mark is None and any(c.dep_ == "aux" and c.lower_ == "to" for c in kids):
        mark = "to"
    ancestors = list(h.ancestors)[:8]
    prep = next((c for c in t.children if c.dep_ in ("prep", "agent")), None)
    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
    comp = next((c for c in kids if c.dep_ in ("xcomp", "ccomp")), None)
    tobj = dobj if t.i == h.i else next((c for c in t.children if c.dep_ == "dobj"), dobj)
    misread = misread_verb(t)  # "Trump and Putin meet": read as the verb it is
    eventive, uses = eventive_ratio(t.lemma_.lower(), "NOUN" if t.pos_ in ("NOUN", "PROPN") and not misread else "VERB")
    f: dict[str, Any] = {
        "lemma": t.lemma_.lower(),
        "eventive": eventive,
        "eventive_uses": min(uses, 1000),
        "pos": "VERB" if misread else t.pos_,
        "tag": "VBP" if misread else t.tag_,
        "dep": t.dep_,
        "head_lemma": t.head.lemma_.lower() if t.head.i != t.i else None,
        "head_dep": t.head.dep_ if t.head.i != t.i else None,
        "rule_type": p.event_type,
        "source": p.source,
        "role": p.role,
        "parent_type": p.parent_type,
        "strength": p.strength,
        "light": int(p.light),
        "has_governor": int(p.governor is not None),
        "n_children": p.n_children,
        "n_senses": len(p.senses),
        "sense_agrees": int(p.event_type in p.senses),
        "sense_pattern": int(p.sense_pattern),
        "sense_specificity": p.sense_specificity,
        **{f"sense_{ty}": int(ty in p.senses) for ty in PLOVER_TYPES},
        **_party_features(p.actors, "actor"),
        **_party_features(p.recipients, "recipient"),
        "same_country": int(
            bool({a.country for a in p.actors if a.country != "UNK"} & {r.country for r in p.recipients})
        ),
        "same_code": int(bool({a.code for a in p.actors} & {r.code for r in p.recipients})),  # internal
        "noun_modifier": int(t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.head.pos_ in ("NOUN", "PROPN")),
        "subj_pos": subj.pos_ if subj is not None else None,
        "subj_ent": subj.ent_type_ or None if subj is not None else None,
        "subj_bare_plural": int(
            subj is not None
            and subj.tag_ in ("NNS", "NNPS")
            and not any(c.dep_ in ("det", "poss", "nummod") for c in subj.children)
        ),
        "dobj_ent": dobj.ent_type_ or None if dobj is not None else None,
        "subj_lemma": subj.lemma_.lower() if subj is not None else None,
        "dobj_lemma": tobj.lemma_.lower() if tobj is not None else None,
        "prep": prep.lower_ if prep is not None else None,
        "pobj_lemma": pobj.lemma_.lower() if pobj is not None else None,
        "comp_lemma": comp.lemma_.lower() if comp is not None else None,
        "has_ccomp": int(any(c.dep_ == "ccomp" for c in kids)),
        "has_subj": int(subj is not None),
        "has_dobj": int(dobj is not None),
        "has_pobj": int(any(c.dep_ == "prep" for c in kids)),
        "negated": int(any(c.dep_ == "neg" for c in kids)),
        "modal": modal,
        "mark": mark,
        "clause_tag": h.tag_,
        "passive": int(any(c.dep_ in ("nsubjpass", "auxpass") for c in kids)),
        "in_relcl": int(any(a.dep_ in ("relcl", "acl") for a in [h, *ancestors])),
        "in_advcl": int(any(a.dep_ == "advcl" for a in [h, *ancestors])),
        "in_content": int(any(a.dep_ in ("ccomp", "xcomp") for a in [h, *ancestors])),
        "depth": len(list(t.ancestors)),
        **sentence_features(sent),
        "status": p.status,
        "soft_drop": p.soft_drop,
        "converted": int(p.converted),
    }
    return f


@dataclass(slots=True)
class EventModel:
    """The shipped model: a LightGBM booster, its feature names and vocabularies, and the thresholds of
    :func:`decide`."""

    booster: Any
    names: list[str]
    vocab: Vocab
    thresholds: Thresholds
    meta: dict[str, Any]
    typer: Any = None  # the type model (LightGBM multiclass over the same rows), when shipped
    classes: tuple[str, ...] = ()  # its classes, in output order
    retype_at: float = 1.0  # the probability at which its type replaces the rules'
    # (lemma, type) senses the training coding never holds as an event of that type in many sentences
    unattested: frozenset[tuple[str, str]] = frozenset()
    plan: list[tuple[str, dict[str, int] | None]] = field(init=False)  # (name, its vocabulary): from the above

    def __post_init__(self) -> None:
        empty: dict[str, int] = {}  # a categorical feature without a vocabulary codes every value 0
        self.plan = [(n, self.vocab.values.get(n, empty) if n in CATEGORICAL else None) for n in self.names]

    def row(self, f: dict[str, Any]) -> list[float]:
        """The model's input row for named features ``f`` (categorical values coded, 0 when unknown)."""
        get = f.get
        out: list[float] = []
        append = out.append
        for n, table in self.plan:
            v = get(n)
            if table is None:
                append(float(v or 0))
            else:
                append(0.0 if v is None else float(table.get(v, 0)))
        return out

    def predict(self, rows: list[list[float]]) -> list[float]:
        """The event probability of each row."""
        if not rows:
            return []
        import numpy as np

        return [float(x) for x in self.booster.predict(np.asarray(rows, dtype=np.float64), num_threads=1)]

    def type_probs(self, rows: list[list[float]]) -> list[list[float]]:
        """Each row's probability of every class of the type model (empty lists without one)."""
        if not rows or self.typer is None:
            return [[] for _ in rows]
        import numpy as np

        out = self.typer.predict(np.asarray(rows, dtype=np.float64), num_threads=1)
        return [[float(x) for x in r] for r in out]


def retype(rule_type: str, probs: Sequence[float], classes: Sequence[str], at: float) -> str:
    """The type to code: the type model's, where it is at least ``at`` sure of a type other than the rules'
    ("vowed to crush the rebels" is a THREATEN, "joined the coalition" a COOPERATE); else the rules'."""
    if not probs:
        return rule_type
    best = max(range(len(probs)), key=lambda k: probs[k])
    return classes[best] if classes[best] != rule_type and probs[best] >= at else rule_type


def political(parties: Sequence[Party]) -> bool:
    """Does one of the parties act for a state, an organisation or an armed or political group?"""
    return any(q.sector in POLITICAL_SECTORS or (q.country != "UNK" and not q.sector) for q in parties)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The event probability a candidate needs (see :func:`needed`)."""

    dyad: float  # the rules keep it and political parties stand on both sides
    veto: float  # the rules keep it and a political party stands on one side
    rescue: float  # a soft rule drops it, or no political party takes part


def needed(soft_drop: str | None, actor_political: bool, recipient_political: bool, t: Thresholds) -> float:
    """The rules propose and type; the model judges eventness. An interaction between political parties the
    rules keep is dropped only when the model is all but sure it is no event (``dyad``); a kept candidate with
    one political party, when the model rather thinks so (``veto``); one a soft rule drops (a bare noun, a weak
    trigger without a party, a trigger absorbed by another) or without any political party stays only when the
    model is confident it is an event (``rescue``)."""
    if soft_drop is None and actor_political and recipient_political:
        return t.dyad
    if soft_drop is None and (actor_political or recipient_political):
        return t.veto
    return t.rescue


def decide(p: Proposal, event_p: float, t: Thresholds) -> tuple[str | None, float]:
    """(the type to code — the rules' —, the event probability); type None when it is no event."""
    bar = needed(p.soft_drop, political(p.actors), political(p.recipients), t)
    return (p.event_type if event_p >= bar else None), event_p


@compiled
def model() -> EventModel | None:
    """The packaged model (None when this build ships none: the rules decide alone)."""
    try:
        meta = json.loads(loader.read_text("models/events.meta.json"))
        text = loader.read_text("models/events.lgb.txt")
    except FileNotFoundError:
        return None
    import lightgbm

    booster = lightgbm.Booster(model_str=text)
    typed = meta.get("type_model")
    typer = lightgbm.Booster(model_str=loader.read_text("models/event_types.lgb.txt")) if typed else None
    return EventModel(
        booster=booster,
        names=list(meta["features"]),
        vocab=Vocab({k: dict(v) for k, v in meta["vocab"].items()}),
        thresholds=Thresholds(**{k: float(v) for k, v in meta["thresholds"].items()}),
        meta=meta,
        typer=typer,
        classes=tuple(typed["classes"]) if typed else (),
        retype_at=float(typed["retype_at"]) if typed else 1.0,
        unattested=frozenset((str(w), str(k)) for w, k, _n in meta.get("unattested", {}).get("senses", [])),
    )


# ---------------------------------------------------------------- the decision over a sentence's candidates

Observer = Callable[[int, Span, list[Cand], list[Proposal]], None]


def proposal(c: Cand) -> Proposal:
    """What the model reads of a coded candidate (its status is assessed here, once)."""
    if c.modality is None:
        c.modality = modality.assess(c.status_tok)
    return Proposal(
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
        converted=not c.synthetic and c.event_type != c.entry.type,
    )


@dataclass(slots=True)
class Pending:
    """One sentence's coded candidates waiting for the decision."""

    index: int
    sent: Span
    cands: list[Cand]  # every candidate (parents may point at any)
    keep: list[Cand]  # those the hard rules let through
    proposals: list[Proposal] = field(default_factory=list)


def events_of(pending: list[Pending], model: EventModel | None, observe: Observer | None = None) -> None:
    """Decide which candidates of a document are events — one model call for the whole document — and leave
    them in each sentence's ``keep``: the learned model's call (see :func:`decide`); without a model, the
    rules' (every soft mark drops). Children of a dropped candidate lose their parent."""
    rows: list[list[float]] = []
    for p in pending:
        p.proposals = [proposal(c) for c in p.keep]
        for pr, c in zip(p.proposals, p.keep, strict=True):
            pr.n_children = sum(1 for k in p.keep if k.parent is c)
        if observe is not None:
            observe(p.index, p.sent, p.keep, p.proposals)
        if model is not None:
            rows.extend(model.row(raw_features(pr, p.sent)) for pr in p.proposals)
    probs = iter(model.predict(rows)) if model is not None else None
    chosen_rows = iter(rows)
    decided: list[list[Cand]] = []
    typed: list[tuple[Cand, list[float]]] = []
    unheld: set[int] = set()  # kept candidates of a sense the training coding never holds as its type
    for p in pending:
        if probs is None or model is None:
            decided.append([c for c in p.keep if c.soft is None])
            continue
        out = []
        for c, pr in zip(p.keep, p.proposals, strict=True):
            chosen, c.p_event = decide(pr, next(probs), model.thresholds)
            row = next(chosen_rows)
            if chosen is not None:
                out.append(c)
                if (c.tok.lemma_.lower(), pr.event_type) in model.unattested:
                    unheld.add(id(c))  # "plan" as an AGREE: no event unless the type model gives another type
                if not c.synthetic:
                    typed.append((c, row))
        decided.append(out)
    if model is not None and model.typer is not None and typed:  # one call for the document's kept events
        for (c, _row), tp in zip(typed, model.type_probs([r for _c, r in typed]), strict=True):
            if c.event_type == c.entry.type:  # PLOVER's conversions stand ("will hold talks" is an AGREE)
                kind = retype(c.event_type, tp, model.classes, model.retype_at)
                if kind != c.event_type:
                    unheld.discard(id(c))
                c.event_type = kind
    for p, out in zip(pending, decided, strict=True):
        out = [c for c in out if id(c) not in unheld]
        out += reported_accusations(p.keep, out)
        if model is not None:
            out = one_happening(out)
        kept = {id(c) for c in out}
        for c in p.cands:
            if c.parent is not None and id(c.parent) not in kept:
                if c.parent.synthetic and c.parent.event_type == "ACCUSE":
                    c.reported_by = c.parent.tok  # still only what somebody says or suspects
                c.parent = None
        p.keep = out


def reported_accusations(cands: list[Cand], out: list[Cand]) -> list[Cand]:
    """PLOVER: "X said Y attacked it" is an ACCUSE by X — the report's synthetic ACCUSE among ``cands`` that
    ``out`` lacks while it keeps the reported attack (its child): the attack is an event, so is the accusation."""
    kept = {id(c) for c in out}
    return [
        c
        for c in cands
        if c.synthetic
        and c.event_type == "ACCUSE"
        and c.linked is None
        and id(c) not in kept
        and any(k.parent is c and id(k) in kept for k in cands)
    ]


def one_happening(kept: list[Cand]) -> list[Cand]:
    """An absorbed trigger kept beside the trigger that absorbs it, with the same type, is the same happening
    ("shelled the town, killing 20"); so is an event noun kept beside the verb it is the subject of ("Israeli
    strikes killed 30", "the bombing killed 20": the team's coding of the training sentences codes one event
    in 12 of 15 such sentences). The more probable one stays."""
    drop: set[int] = set()
    for x in kept:
        if id(x) in drop:
            continue
        for y in kept:
            if y is x or y.event_type != x.event_type or id(y) in drop:
                continue
            if x.absorbed and (x.tok.is_ancestor(y.tok) or y.tok.is_ancestor(x.tok) or x.tok.head.i == y.tok.head.i):
                drop.add(id(x) if (x.p_event or 0.0) <= (y.p_event or 0.0) else id(y))
                break
            if _caused_by(x, y):  # the noun (y) stays on a tie: the coding's one event is the noun
                drop.add(id(x) if (x.p_event or 0.0) <= (y.p_event or 0.0) else id(y))
                break
    return [c for c in kept if id(c) not in drop]


def _caused_by(verb: Cand, noun: Cand) -> bool:
    """Is ``noun`` an event noun that is the subject of ``verb``'s clause ("the strikes killed 30")?"""
    n = noun.tok
    return (
        not verb.synthetic
        and not noun.synthetic
        and n.dep_ == "nsubj"
        and n.head.i == verb.tok.i
        and n.pos_ == "NOUN"
        and verb.tok.pos_ == "VERB"
    )
