"""Learned factuality of an event (issue 13): a gradient-boosted regression over the dependency parse.

``score(trigger)`` / ``score_many(triggers)`` give the factuality of the event whose trigger word is
``trigger`` on the UW / MEANTIME scale (−3 certainly did not happen … +3 certainly happened), and
``label_of_score`` the three-way label (asserted / uncertain / denied) with the thresholds chosen on UW dev.

Features of one trigger (``features``), read from the spaCy parse of its sentence:

- the trigger itself: lemma, part of speech, tag, dependency label, morphology (tense, aspect, mood, verb form),
  its own dependents (determiner, possessive, preposition, pronoun subject, date words);
- the function words on its clause and on each governing clause up to the sentence root (aux, neg, mark,
  advmod, prt, determiners of its arguments), keyed by how many clauses up they sit;
- the governing words and the dependency path to them ("said" → ccomp, "refused" → xcomp, "plan" → acl);
- the sentence: question mark, imperative root, if / unless / whether clauses, modal and negation counts
  (double negation, "no country", "never");
- the words around the trigger (a window of lower-case forms and lemmas) and the sentence's lemmas;
- the rule system's own reading (:func:`brinkwatch.modality.assess`: status, score, cue words; the status
  of the trigger's head too);
- the dataset whose annotation conventions the score follows (``uw`` at run time; the shipped model learned
  UW's and MEANTIME's, and reads ``uds`` as ``uw``: UDS-IH2 is only measured on).

String features are hashed (crc32) into ``2**HASH_BITS`` buckets; the model names its columns by bucket
(``h<bucket>``) or by dense feature name, so the shipped file says which columns it reads. The model
(``data/models/factuality.lgb.txt``, a LightGBM text dump) and its meta (``factuality.meta.json``: the
label thresholds, the training figures, the model's sha256) are built by ``tools/train_factuality.py``
(``make train``) and loaded once per process.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.tokens import Token

from brinkwatch.coder.modality import Modality, assess, lexicon
from brinkwatch.coder.syntax import token_table
from brinkwatch.lexicon import loader
from brinkwatch.lexicon.loader import compiled

FEATURE_VERSION = 4
HASH_BITS = 20
MODEL_FILE = "models/factuality.lgb.txt"
META_FILE = "models/factuality.meta.json"
# the annotation conventions a score can be asked in: UW newswire (the default, and every article at run time),
# MEANTIME (Wikinews) and UDS-IH2 (web text); the model learns their differences from a dataset feature
DATASETS = ("uw", "meantime", "uds")

# clausal links: crossing one starts a governing clause
CLAUSAL = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "csubjpass", "parataxis", "pcomp", "conj"})
# function-word children read on each clause of the chain
FUNCTION_DEPS = frozenset({"aux", "auxpass", "neg", "mark", "advmod", "prt", "expl", "preconj", "npadvmod"})
ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "pobj"})
WINDOW = 3
BAG = 6
MAX_STEPS = 10

DENSE = (
    "rule_factuality",
    "dataset_meantime",
    "dataset_uds",
    "n_tokens",
    "position",
    "depth",
    "clauses_up",
    "neg_own",
    "neg_outer",
    "neg_total",
    "modal_own",
    "modal_outer",
    "conditional",
    "question",
    "subtree",
    "quoted",
)
N_DENSE = len(DENSE)
_DENSE_INDEX = {name: k for k, name in enumerate(DENSE)}


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & ((1 << HASH_BITS) - 1)


@functools.lru_cache(maxsize=1)
def _word_classes() -> tuple[frozenset[str], frozenset[str]]:
    """Negation words and one-word conditional subordinators ("if", "unless", "whether"), from the rule
    system's cue lexicon (``data/modality/cues.yaml``)."""
    lex = lexicon()
    conditional = {m for m, st in lex.markers.items() if st in ("hypothetical", "speculated") and " " not in m}
    return lex.neg_words | lex.neg_preps, frozenset(conditional)


def _lemma(tok: Token) -> str:
    return (tok.lemma_ or tok.text).lower()


@dataclass(frozen=True, slots=True)
class Features:
    """One trigger's features: hashed string features (bucket ids, with repeats) and the dense values."""

    buckets: tuple[int, ...]
    dense: tuple[float, ...]


def feature_strings(trigger: Token, rule: Modality | None = None) -> tuple[list[str], dict[str, float]]:
    """The readable features of ``trigger`` (for debugging and tests) and its dense values, without the
    dataset. ``rule``: the rule system's reading, computed when not given."""
    rule = rule if rule is not None else assess(trigger)
    neg_words, conditionals = _word_classes()
    out: list[str] = []
    add = out.append
    dense: dict[str, float] = {}
    doc = trigger.doc
    sent = trigger.sent
    lemma = _lemma(trigger)
    add("L:" + lemma)
    add("P:" + trigger.pos_)
    add("T:" + trigger.tag_)
    add("D:" + trigger.dep_)
    add(f"LD:{lemma}:{trigger.dep_}")
    add(f"PD:{trigger.pos_}:{trigger.dep_}")
    for m in trigger.morph:
        add("M:" + m)
    add(f"PT:{trigger.pos_}:{trigger.tag_}:{trigger.head.tag_}")
    add(f"LS:{lemma}:{rule.status}")
    for child in trigger.children:
        dep = child.dep_
        add("K:" + dep)
        if dep in ("det", "poss", "prep", "case", "nummod", "predet", "agent", "dative") or (
            dep in ("nsubj", "nsubjpass") and child.pos_ == "PRON"
        ):
            add(f"K:{dep}:{child.lower_}")
        for grand in (child, *child.children):
            if grand.ent_type_ in ("DATE", "TIME") and grand.is_alpha:
                add(f"TD:{grand.lower_}")
    if trigger.head is not trigger:
        add("GS:" + assess(trigger.head).status)
    table = token_table(doc)
    lo, hi = sent.start, sent.end
    for j in range(lo, hi):
        if table.lower[j].isalpha():
            add("S:" + table.lemma[j])

    # the chain of governing words up to the sentence root
    node = trigger
    clauses = 0
    path: list[str] = []
    neg = [0, 0]
    modal = [0, 0]
    conditional = 0
    for step in range(MAX_STEPS):
        level = min(clauses, 2)
        for child in node.children:
            dep, word = child.dep_, child.lower_
            if dep in FUNCTION_DEPS or (dep == "det" and word in neg_words):
                add(f"C{level}:{dep}:{word}")
                add(f"C:{dep}:{word}")
                if word in neg_words:
                    neg[min(clauses, 1)] += 1
                if child.tag_ == "MD":
                    modal[min(clauses, 1)] += 1
                    add(f"MD{level}:{word}")
                if dep == "mark" and word in conditionals:
                    conditional += 1
                    add(f"COND{level}:{word}")
            elif dep in ARG_DEPS or (dep == "prep" and step == 0):
                for grand in child.children:
                    if grand.dep_ in ("det", "neg", "advmod", "amod", "nummod", "poss") and (
                        grand.lower_ in neg_words or grand.dep_ == "det"
                    ):
                        add(f"A{level}:{dep}:{grand.lower_}")
                        if grand.lower_ in neg_words:
                            neg[min(clauses, 1)] += 1
                if dep == "prep":
                    add(f"PREP:{word}")
            elif dep == "advcl":
                marks = [g.lower_ for g in child.children if g.dep_ in ("mark", "advmod") and g.i < child.i]
                for m in marks[:2]:
                    add(f"ADVCL{level}:{m}")
                    if m in conditionals:
                        conditional += 1
            elif dep in ("amod", "compound", "nmod", "acomp") and step == 0:
                add(f"MOD:{dep}:{_lemma(child)}")
        if step > 0 and node.tag_:
            add(f"GT{level}:{node.tag_}")
            for m in node.morph:
                if m.startswith(("Tense", "Mood", "VerbForm", "Aspect")):
                    add(f"GM{level}:{m}")
        head = node.head
        if head is node or node.dep_ == "ROOT":
            break
        dep = node.dep_
        path.append(dep)
        hl = _lemma(head)
        if dep in CLAUSAL:
            clauses += 1
            if clauses <= 2:
                add(f"GOV{clauses}:{hl}")
                add(f"GOV{clauses}:{dep}:{hl}")
                add(f"GOVP{clauses}:{head.pos_}:{dep}")
        if step < 3:
            add(f"H{step}:{dep}:{hl}")
        add(f"H:{dep}:{hl}")
        add(f"HL:{hl}")
        node = head
    root = node
    add("PATH:" + ">".join(path[:3]))
    add("PATH1:" + ">".join(path[:1]))
    add(f"ROOT:{_lemma(root)}")
    add(f"ROOTT:{root.tag_}")
    imperative = root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "expl") for c in root.children)
    if imperative:
        add("IMPERATIVE")
    question = "?" in table.orth[lo:hi]
    if question:
        add("QUESTION")
    nneg = neg[0] + neg[1]
    add(f"NEG:{min(neg[0], 2)}:{min(neg[1], 2)}")
    if nneg >= 2:
        add("DOUBLENEG")

    # the words around the trigger
    i = trigger.i
    for off in range(-WINDOW, WINDOW + 1):
        j = i + off
        if off and lo <= j < hi:
            add(f"W{off}:{table.lower[j]}")
    for j in range(max(lo, i - BAG), i):
        add("WL:" + table.lemma[j])
    for j in range(i + 1, min(hi, i + 1 + BAG)):
        add("WR:" + table.lemma[j])

    # the rule system's reading
    add("RS:" + rule.status)
    for cue in rule.cues:
        add("RC:" + cue.lower())
        add(f"RSC:{rule.status}:{cue.lower()}")
    quotes = sum(1 for w in table.orth[lo:i] if w in ('"', "``", "''", "“", "”"))

    n = hi - lo
    dense.update(
        rule_factuality=rule.factuality,
        n_tokens=float(n),
        position=(i - lo) / n if n else 0.0,
        depth=float(len(path)),
        clauses_up=float(clauses),
        neg_own=float(neg[0]),
        neg_outer=float(neg[1]),
        neg_total=float(nneg),
        modal_own=float(modal[0]),
        modal_outer=float(modal[1]),
        conditional=float(conditional),
        question=float(question),
        subtree=float(trigger.right_edge.i - trigger.left_edge.i + 1),
        quoted=float(quotes % 2),
    )
    return out, dense


def features(trigger: Token, dataset: str = "uw", rule: Modality | None = None) -> Features:
    """The model's input for ``trigger``; ``dataset``: whose annotation conventions the score follows
    (one of ``DATASETS``; "uw" at run time)."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r} (choose from {', '.join(DATASETS)})")
    strings, named = feature_strings(trigger, rule)
    dense = [0.0] * N_DENSE
    for name, value in named.items():
        dense[_DENSE_INDEX[name]] = value
    if dataset != "uw":
        dense[_DENSE_INDEX["dataset_" + dataset]] = 1.0
    return Features(tuple(_bucket(s) for s in strings), tuple(dense))


# ------------------------------------------------------------------------------------------- model


def design_matrix(
    rows: Sequence[Features], columns: dict[int, int], dense_columns: Sequence[tuple[int, int]], n_columns: int
) -> Any:
    """A CSR matrix of ``rows``: ``columns`` maps a hash bucket to its column (other buckets are dropped),
    ``dense_columns`` pairs an index of ``Features.dense`` with its column. Shared by training and prediction."""
    from scipy.sparse import csr_matrix

    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for row in rows:
        seen: dict[int, float] = {}
        for b in row.buckets:
            col = columns.get(b)
            if col is not None:
                seen[col] = 1.0
        for k, col in dense_columns:
            v = row.dense[k]
            if v:
                seen[col] = v
        for col in sorted(seen):
            indices.append(col)
            data.append(seen[col])
        indptr.append(len(indices))
    return csr_matrix(
        (numpy.asarray(data, dtype=numpy.float64), numpy.asarray(indices, dtype=numpy.int32), indptr),
        shape=(len(rows), n_columns),
    )


@dataclass(frozen=True)
class FactModel:
    """A loaded model: the booster, which column each hashed bucket and dense feature fills, thresholds."""

    booster: Any
    columns: dict[int, int]  # hash bucket → column
    dense_columns: tuple[tuple[int, int], ...]  # (index in Features.dense, column)
    n_columns: int
    asserted_at: float  # score ≥ this → asserted
    denied_at: float  # score ≤ this → denied
    meta: dict[str, Any]

    @classmethod
    def from_text(cls, model_text: str, meta: dict[str, Any]) -> FactModel:
        import lightgbm

        booster = lightgbm.Booster(model_str=model_text)
        names = booster.feature_name()
        columns: dict[int, int] = {}
        dense: list[tuple[int, int]] = []
        for col, name in enumerate(names):
            if name.startswith("h") and name[1:].isdigit():
                columns[int(name[1:])] = col
            elif name in _DENSE_INDEX:
                dense.append((_DENSE_INDEX[name], col))
            else:
                raise ValueError(f"factuality model: unknown column {name!r}")
        if meta.get("feature_version") != FEATURE_VERSION or meta.get("hash_bits") != HASH_BITS:
            raise ValueError("factuality model: built for other features; run `make train`")
        th = meta["thresholds"]
        return cls(booster, columns, tuple(dense), len(names), float(th["asserted"]), float(th["denied"]), meta)

    def matrix(self, rows: Sequence[Features]) -> Any:
        """The CSR matrix of ``rows`` in this model's columns (buckets the model does not read are dropped)."""
        return design_matrix(rows, self.columns, self.dense_columns, self.n_columns)

    def predict(self, rows: Sequence[Features]) -> list[float]:
        """Scores, clipped to −3 … 3."""
        if not rows:
            return []
        raw = self.booster.predict(self.matrix(rows), num_threads=1)
        return [min(3.0, max(-3.0, float(v))) for v in raw]

    def label(self, score: float) -> str:
        if score >= self.asserted_at:
            return "asserted"
        if score <= self.denied_at:
            return "denied"
        return "uncertain"


@compiled
def model() -> FactModel:
    """The shipped model (``data/models/factuality.lgb.txt`` and its meta), loaded once per process."""
    meta = json.loads(loader.read_text(META_FILE))
    return FactModel.from_text(loader.read_text(MODEL_FILE), meta)


@dataclass(frozen=True, slots=True)
class FactScore:
    factuality: float  # −3 … +3
    label: str  # asserted | uncertain | denied
    rule: Modality  # the rule system's reading, one of the model's inputs


def score_many(triggers: Iterable[Token], rules: Sequence[Modality] | None = None) -> list[FactScore]:
    """The model's factuality for several triggers (one prediction call: batch a document's events)."""
    toks = list(triggers)
    readings = list(rules) if rules is not None else [assess(t) for t in toks]
    if len(readings) != len(toks):
        raise ValueError("one rule reading per trigger")
    m = model()
    scores = m.predict([features(t, rule=r) for t, r in zip(toks, readings, strict=True)])
    return [FactScore(round(s, 3), m.label(s), r) for s, r in zip(scores, readings, strict=True)]


def score(trigger: Token, rule: Modality | None = None) -> FactScore:
    """The model's factuality of one event."""
    return score_many([trigger], None if rule is None else [rule])[0]


def label_of_score(value: float) -> str:
    """asserted / uncertain / denied for a model score, with the shipped thresholds."""
    return model().label(value)
