"""Train the event model (``brinkwatch.coder.eventness``) from the team's PLOVER coding of the UW newswire.

    python tools/train_events.py [--shared ../shared] [--out src/brinkwatch/data/models] [--check]

1. Parse every UW sentence of the train and dev splits (text from ``../shared/training/factuality``) and run
   the coder with the learned model off, collecting every candidate the rules propose (``extract_doc``'s
   ``observe`` hook) with its features (``eventness.raw_features``).
2. Label each candidate by the coded events (``training/uw_plover_*.jsonl``): a candidate whose trigger span
   overlaps a political event's trigger is an event, its type kept for the figures (one candidate per coded
   event, same type first, then the candidate nearest the clause root); every other candidate is NONE.
3. Cross-validate on train (5 folds by sentence) for honest figures; fit on all of train; choose the three
   thresholds of ``eventness.decide`` on dev and train's out-of-fold predictions counted together (the best
   F0.5 of type-right events: precision first; among near-ties the higher precision; dev alone is too small to
   choose between neighbouring settings);
   write ``events.lgb.txt`` and ``events.meta.json`` (features, vocabularies, classes, thresholds, figures,
   sha256 of the inputs). Deterministic: one thread, fixed seeds; ``--check`` rebuilds in memory and fails if
   the shipped files differ.

Gold sets are never read. The UW text never enters the repository: only the trained model and numbers do.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
from spacy.tokens import Span

from brinkwatch.coder import eventness
from brinkwatch.coder.extract import extract_doc
from brinkwatch.coder.parse import load_nlp
from brinkwatch.coder.triggers import Cand
from brinkwatch.core.ontology import PLOVER_TYPES
from brinkwatch.core.settings import Settings
from brinkwatch.dev import newswire

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "brinkwatch" / "data" / "models"
MIN_COUNT = 3  # a categorical value seen fewer times in train is "unknown"
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 10,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "max_cat_to_onehot": 8,
    "cat_smooth": 10,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "seed": 20261207,
    "verbose": -1,
}
ROUNDS = 300
NONE = "NONE"  # the label of a candidate that matches no coded event
CLASSES = PLOVER_TYPES  # the type model's classes, in its output order
TYPE_PARAMS: dict[str, Any] = {
    **{k: v for k, v in PARAMS.items() if k not in ("objective", "bagging_fraction", "bagging_freq")},
    "objective": "multiclass",
    "num_class": len(CLASSES),
    "min_data_in_leaf": 5,
    "learning_rate": 0.1,  # half the rounds of the event model's rate: the multiclass model's trees cost per row
}
TYPE_ROUNDS = 75
RETYPE_GRID = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: never retype (the rules' type)
SYNTHETIC = ("suspicion", "reported")  # sources of the rules' synthetic candidates (never retyped)


@dataclass(slots=True)
class Row:
    sent_id: str
    features: dict[str, Any]
    label: str
    types: tuple[str, ...]


def collect(split: str, shared: Path | None) -> tuple[list[Row], dict[str, int]]:
    """Every candidate of the split with its features and label; and the count of coded events per sentence."""
    text_dir = shared / "training" / "factuality" if shared else None
    sentences = newswire.load(split, text_dir=text_dir)
    nlp = load_nlp(Settings.from_env().spacy_model)
    rows: list[Row] = []
    golds: dict[str, int] = {}
    for sent_rec in sentences:
        golds[sent_rec.id] = len(sent_rec.gold)
        seen: list[tuple[Span, list[Cand], list[eventness.Proposal]]] = []

        def observe(_i: int, sent: Span, cands: list[Cand], props: list[eventness.Proposal]) -> None:
            seen.append((sent, cands, props))  # noqa: B023 - consumed before the next sentence

        doc = nlp(sent_rec.text)
        extract_doc(doc, doc_id=sent_rec.id, published=newswire.PUBLISHED, learned=False, observe=observe)
        for sent, cands, props in seen:
            labels = label(sent_rec, sent, cands, props)
            for p, lab in zip(props, labels, strict=True):
                rows.append(Row(sent_rec.id, eventness.raw_features(p, sent), lab, p.types))
    return rows, golds


def label(sent_rec: newswire.Sentence, sent: Span, cands: list[Cand], props: list[eventness.Proposal]) -> list[str]:
    doc = sent.doc
    spans = [sent_rec.span(int(g["trigger"])) for g in sent_rec.gold]
    out = [NONE] * len(cands)
    order = sorted(range(len(cands)), key=lambda k: len(list(cands[k].status_tok.ancestors)))
    free = set(range(len(sent_rec.gold)))
    for want_same in (True, False):
        for k in order:
            if out[k] != NONE:
                continue
            c = cands[k]
            start, end = doc[c.first].idx, doc[c.last].idx + len(doc[c.last].text)
            for g in sorted(free):
                s, e = spans[g]
                if s < end and start < e and (not want_same or sent_rec.gold[g]["type"] in props[k].types):
                    out[k] = sent_rec.gold[g]["type"]
                    free.discard(g)
                    break
    return out


def vocab(rows: list[Row]) -> eventness.Vocab:
    counts: dict[str, Counter[str]] = {n: Counter() for n in eventness.CATEGORICAL}
    for r in rows:
        for n in eventness.CATEGORICAL:
            v = r.features.get(n)
            if v is not None:
                counts[n][str(v)] += 1
    values = {
        n: {v: i + 1 for i, (v, _k) in enumerate(sorted((v, k) for v, k in c.items() if k >= MIN_COUNT))}
        for n, c in counts.items()
    }
    return eventness.Vocab(values)


def names_of(rows: list[Row]) -> list[str]:
    return sorted({n for r in rows for n in r.features})


def matrix(rows: list[Row], names: list[str], voc: eventness.Vocab) -> tuple[np.ndarray, np.ndarray]:
    m = eventness.EventModel(None, names, voc, eventness.Thresholds(0, 0, 0), {})
    x = np.asarray([m.row(r.features) for r in rows], dtype=np.float64)
    y = np.asarray([r.label != NONE for r in rows], dtype=np.int32)
    return x, y


def _train(x: np.ndarray, y: np.ndarray, names: list[str], params: dict[str, Any], rounds: int) -> lgb.Booster:
    cats = [i for i, n in enumerate(names) if n in eventness.CATEGORICAL]
    data = lgb.Dataset(x, y, feature_name=names, categorical_feature=cats, free_raw_data=False)
    return lgb.train(params, data, num_boost_round=rounds)


def fit(rows: list[Row], names: list[str], voc: eventness.Vocab) -> lgb.Booster:
    x, y = matrix(rows, names, voc)
    return _train(x, y, names, PARAMS, ROUNDS)


def predictions(booster: lgb.Booster, rows: list[Row], names: list[str], voc: eventness.Vocab) -> np.ndarray:
    x, _ = matrix(rows, names, voc)
    return np.asarray(booster.predict(x))


def fit_types(rows: list[Row], names: list[str], voc: eventness.Vocab) -> lgb.Booster:
    """The type model: which PLOVER type a candidate that is an event has (trained on the event rows only)."""
    events = [r for r in rows if r.label != NONE]
    x, _ = matrix(events, names, voc)
    y = np.asarray([CLASSES.index(r.label) for r in events], dtype=np.int32)
    return _train(x, y, names, TYPE_PARAMS, TYPE_ROUNDS)


def coded_type(r: Row, tprobs: np.ndarray | None, at: float) -> str:
    """The type the product codes for this row: the type model's where it is sure enough, else the rules'."""
    if tprobs is None or r.features.get("source") in SYNTHETIC or r.features.get("converted"):
        return r.types[0]  # a report's synthetic event, or a type PLOVER's conversion rules made
    return eventness.retype(r.types[0], [float(x) for x in tprobs], CLASSES, at)


MIN_UNATTESTED = 20  # candidates (each its own sentence or trigger) a sense needs before its absence counts


def sense(r: Row) -> tuple[str, str]:
    return str(r.features["lemma"]), str(r.features["rule_type"])


def unattested(rows: list[Row]) -> list[tuple[str, str, int]]:
    """The (lemma, type) senses the rules propose at least MIN_UNATTESTED times in the training coding and the
    coders never code as an event of that type there ("plan" as an AGREE, "go" as a CONSULT, "want" as an AGREE):
    never an event of the rules' type, whatever the model says on other text — kept only when the type model
    gives it another type. Synthetic candidates (a report's ACCUSE) are not a lemma's sense."""
    n: Counter[tuple[str, str]] = Counter()
    coded: Counter[tuple[str, str]] = Counter()
    for r in rows:
        if r.features.get("source") in SYNTHETIC:
            continue
        n[sense(r)] += 1
        coded[sense(r)] += r.label == sense(r)[1]
    return sorted((w, kind, k) for (w, kind), k in n.items() if k >= MIN_UNATTESTED and not coded[(w, kind)])


def figures(
    rows: list[Row],
    probs: np.ndarray,
    golds: dict[str, int],
    t: eventness.Thresholds,
    tprobs: np.ndarray | None = None,
    at: float = 1.01,
    skip: np.ndarray | None = None,
) -> dict[str, Any]:
    """Precision / recall of type-right events when ``eventness.decide`` keeps candidates with thresholds ``t``
    and the type model retypes at ``at`` (recall over every coded event, found or not by the rules); senses in
    ``skip`` (a row's sense is unattested, :func:`unattested`) are no event unless the type model retypes them."""
    kept = right = 0
    for i, (r, pr) in enumerate(zip(rows, probs, strict=True)):
        f = r.features
        bar = eventness.needed(
            f.get("soft_drop"), bool(f.get("actor_political")), bool(f.get("recipient_political")), t
        )
        if float(pr) < bar:
            continue
        kind = coded_type(r, tprobs[i] if tprobs is not None else None, at)
        if skip is not None and skip[i] and kind == r.types[0]:
            continue  # an unattested sense the type model does not retype
        kept += 1
        right += kind == r.label
    n_gold = sum(golds.values())
    prec = right / kept if kept else 0.0
    rec = right / n_gold if n_gold else 0.0
    f05 = 1.25 * prec * rec / (0.25 * prec + rec) if prec + rec else 0.0
    return {**dataclasses.asdict(t), "retype_at": at, "kept": kept, "right": right, "gold": n_gold,
            "precision": round(prec, 4), "recall": round(rec, 4), "f05": round(f05, 4)}  # fmt: skip


# Each tier's bar within what its meaning allows (eventness.needed): a dyad the rules keep goes only when the
# model is all but sure it is no event (≤ 0.2), a one-party event when it rather thinks so (≤ 0.5), a rescued
# candidate stays only when the model is confident it is one (≥ 0.5) — within those, the data decides
GRID = [
    eventness.Thresholds(d / 100, v / 100, r / 100)
    for d in (0, 2, 5, 10, 20)
    for v in (5, 10, 15, 20, 30, 40, 50)
    for r in (50, 60, 70, 80, 90)
    if d <= v <= r
]
TIE = 0.005  # F0.5 within this of the best counts as a tie: then the higher precision (the issue: precision first)


def skipped(rows: list[Row], never: list[tuple[str, str, int]]) -> np.ndarray:
    senses = {(lemma, kind) for lemma, kind, _n in never}
    return np.array([sense(r) in senses for r in rows], dtype=bool)


@dataclass(frozen=True)
class Scored:
    """Candidates with the model's out-of-sample probabilities: the dev split, or train's out-of-fold ones."""

    rows: list[Row]
    probs: np.ndarray
    golds: dict[str, int]
    skip: np.ndarray | None
    tprobs: np.ndarray | None = None


def pooled(figs: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures of several splits at one setting, counted together."""
    kept, right, gold = (sum(f[k] for f in figs) for k in ("kept", "right", "gold"))
    prec = right / kept if kept else 0.0
    rec = right / gold if gold else 0.0
    f05 = 1.25 * prec * rec / (0.25 * prec + rec) if prec + rec else 0.0
    return {**{k: figs[0][k] for k in ("dyad", "veto", "rescue", "retype_at")}, "kept": kept, "right": right,
            "gold": gold, "precision": round(prec, 4), "recall": round(rec, 4), "f05": round(f05, 4)}  # fmt: skip


def choose(sets: list[Scored]) -> tuple[eventness.Thresholds, list[dict[str, Any]]]:
    """The thresholds with the best F0.5 (precision first) over these splits counted together; among ties, the
    higher precision. Dev alone (379 coded events) flips between neighbouring settings with each retraining:
    the curve is flat there, and a choice that moves with noise is no choice."""
    curve = [pooled([figures(s.rows, s.probs, s.golds, t, skip=s.skip) for s in sets]) for t in GRID]
    top = max(c["f05"] for c in curve)
    best = max((c for c in curve if c["f05"] >= top - TIE), key=lambda c: (c["precision"], c["f05"]))
    return eventness.Thresholds(best["dyad"], best["veto"], best["rescue"]), curve


def choose_retype(sets: list[Scored], t: eventness.Thresholds) -> tuple[float, list[dict[str, Any]]]:
    """The type model's threshold with the best F0.5 at the event thresholds ``t`` over these splits counted
    together; among ties, the higher."""
    curve = [pooled([figures(s.rows, s.probs, s.golds, t, s.tprobs, at, s.skip) for s in sets]) for at in RETYPE_GRID]
    top = max(c["f05"] for c in curve)
    best = max((c for c in curve if c["f05"] >= top - TIE), key=lambda c: c["retype_at"])
    return float(best["retype_at"]), curve


def type_accuracy(rows: list[Row], tprobs: np.ndarray, at: float) -> dict[str, Any]:
    """Over the candidates that are events: how often the rules' type, and the coded type, is the right one."""
    idx = [i for i, r in enumerate(rows) if r.label != NONE]
    rules = sum(rows[i].types[0] == rows[i].label for i in idx)
    model = sum(coded_type(rows[i], tprobs[i], at) == rows[i].label for i in idx)
    return {"events": len(idx), "rules_right": rules, "coded_right": model, "retype_at": at}


def cross_validate(
    rows: list[Row], golds: dict[str, int], folds: int = 5
) -> tuple[dict[str, Any], np.ndarray, np.ndarray, np.ndarray]:
    """Out-of-fold event and type probabilities, and which rows the other folds' unattested senses drop."""
    ids = sorted({r.sent_id for r in rows} | set(golds))
    fold_of = {sid: int(hashlib.sha256(sid.encode()).hexdigest(), 16) % folds for sid in ids}
    probs = np.zeros(len(rows))
    tprobs = np.zeros((len(rows), len(CLASSES)))
    skip = np.zeros(len(rows), dtype=bool)
    for k in range(folds):
        train = [r for r in rows if fold_of[r.sent_id] != k]
        test_idx = [i for i, r in enumerate(rows) if fold_of[r.sent_id] == k]
        names = names_of(train)
        voc = vocab(train)
        booster = fit(train, names, voc)
        test = [rows[i] for i in test_idx]
        probs[test_idx] = predictions(booster, test, names, voc)
        tprobs[test_idx] = predictions(fit_types(train, names, voc), test, names, voc)
        skip[test_idx] = skipped(test, unattested(train))
    return {"curve": [figures(rows, probs, golds, t, skip=skip) for t in GRID]}, probs, tprobs, skip


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def collected(split: str, shared: Path | None, cache: Path | None) -> tuple[list[Row], dict[str, int]]:
    """``collect``, kept in ``cache`` (a pickle outside the repository) while the coder's code and the team's
    coding are unchanged."""
    import pickle

    pkg = ROOT / "src" / "brinkwatch"
    kinds = (".py", ".yaml", ".csv", ".json", ".tsv")
    inputs = [p for p in sorted(pkg.rglob("*")) if p.is_file() and p.suffix in kinds]
    inputs += sorted((ROOT / "training").glob("*.jsonl"))  # the team's coding: a new round is a new cache
    code = b"".join(p.read_bytes() for p in inputs if "models" not in p.parts)
    key = hashlib.sha256(code + split.encode()).hexdigest()[:16]
    path = cache / f"events-{split}-{key}.pkl" if cache else None
    if path is not None and path.is_file():
        with path.open("rb") as fh:
            got: tuple[list[Row], dict[str, int]] = pickle.load(fh)
            return got
    got = collect(split, shared)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            pickle.dump(got, fh)
    return got


def build(shared: Path | None, cache: Path | None = None) -> tuple[str, str, dict[str, Any]]:
    train_rows, train_golds = collected("train", shared, cache)
    uds_rows, uds_golds = collected("uds", shared, cache)
    train_rows, train_golds = train_rows + uds_rows, {**train_golds, **uds_golds}
    dev_rows, dev_golds = collected("dev", shared, cache)
    cv, cv_probs, cv_tprobs, cv_skip = cross_validate(train_rows, train_golds)
    names = names_of(train_rows)
    voc = vocab(train_rows)
    booster = fit(train_rows, names, voc)
    typer = fit_types(train_rows, names, voc)
    never = unattested(train_rows)
    dev_probs = predictions(booster, dev_rows, names, voc)
    dev_tprobs = predictions(typer, dev_rows, names, voc)
    dev_skip = skipped(dev_rows, never)
    sets = [
        Scored(dev_rows, dev_probs, dev_golds, dev_skip, dev_tprobs),
        Scored(train_rows, cv_probs, train_golds, cv_skip, cv_tprobs),
    ]
    thresholds, pooled_curve = choose(sets)
    retype_at, retype_curve = choose_retype(sets, thresholds)
    curve = [figures(dev_rows, dev_probs, dev_golds, t, skip=dev_skip) for t in GRID]
    cv["at_shipped"] = figures(train_rows, cv_probs, train_golds, thresholds, cv_tprobs, retype_at, cv_skip)
    cv["at_shipped_rules_types"] = figures(train_rows, cv_probs, train_golds, thresholds, skip=cv_skip)
    cv["types"] = type_accuracy(train_rows, cv_tprobs, retype_at)
    meta = {
        "what": "brinkwatch event model: the probability that a candidate is a political event (LightGBM binary)",
        "trained_on": "training/uw_plover_train.jsonl and uds_plover_train.jsonl (the team's PLOVER coding of the UW "
        "newswire train split and of 2,778 UDS-IH2 train web sentences)",
        "thresholds_chosen_on": "training/uw_plover_dev.jsonl (dev split) and the 5-fold out-of-fold predictions on "
        "the training coding, counted together: the best F0.5 (precision first)",
        "features": names,
        "vocab": voc.values,
        "thresholds": dataclasses.asdict(thresholds),
        "unattested": {
            "what": "senses (lemma, type) the rules propose at least min_candidates times in the training coding "
            "and the coders never code as an event of that type there: no event unless the type model retypes it",
            "min_candidates": MIN_UNATTESTED,
            "senses": [list(x) for x in never],
        },
        "params": PARAMS,
        "rounds": ROUNDS,
        "candidates": {"train": len(train_rows), "dev": len(dev_rows)},
        "labels_train": dict(sorted(Counter(r.label for r in train_rows).items())),
        "figures": {
            "cv5_train": cv,
            "dev_curve": curve,
            "dev_at_shipped": figures(dev_rows, dev_probs, dev_golds, thresholds, dev_tprobs, retype_at, dev_skip),
            "pooled_curve": pooled_curve,
            "pooled_retype_curve": retype_curve,
        },
        "type_model": {
            "what": "the PLOVER type of a candidate that is an event (LightGBM multiclass, the same features); "
            "its type replaces the rules' where its probability is at least retype_at",
            "file": "event_types.lgb.txt",
            "classes": list(CLASSES),
            "retype_at": retype_at,
            "retype_at_chosen_on": "training/uw_plover_dev.jsonl (dev split) and the out-of-fold predictions on the "
            "training coding, counted together, after the event thresholds: best F0.5",
            "params": TYPE_PARAMS,
            "rounds": TYPE_ROUNDS,
        },
        "inputs": {
            name: sha256(ROOT / "training" / name)
            for name in ("uw_plover_train.jsonl", "uds_plover_train.jsonl", "uw_plover_dev.jsonl")
        },
    }
    return booster.model_to_string(), typer.model_to_string(), meta


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=None, help="the shared folder (default: ../shared)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="rebuild in memory; exit 1 if the shipped model differs")
    ap.add_argument("--cache", type=Path, default=None, help="keep parsed candidates here between runs")
    args = ap.parse_args()
    model_text, types_text, meta = build(args.shared, args.cache)
    meta["sha256"] = {  # the shipped files are what this training gave (tests/test_gate_events.py checks)
        "events.lgb.txt": hashlib.sha256(model_text.encode()).hexdigest(),
        meta["type_model"]["file"]: hashlib.sha256(types_text.encode()).hexdigest(),
    }
    meta_text = json.dumps(meta, indent=1, sort_keys=True) + "\n"
    meta_path, model_path = args.out / "events.meta.json", args.out / "events.lgb.txt"
    types_path = args.out / meta["type_model"]["file"]
    if args.check:
        same = (
            model_path.read_text() == model_text
            and types_path.read_text() == types_text
            and meta_path.read_text() == meta_text
        )
        print("the shipped event model is what training gives" if same else "the shipped event model differs")
        return 0 if same else 1
    args.out.mkdir(parents=True, exist_ok=True)
    model_path.write_text(model_text)
    types_path.write_text(types_text)
    meta_path.write_text(meta_text)
    t = meta["thresholds"]
    dev = next(c for c in meta["figures"]["dev_curve"] if all(c[k] == v for k, v in t.items()))
    at = meta["type_model"]["retype_at"]
    dev_typed = meta["figures"]["dev_at_shipped"]
    assert dev_typed["retype_at"] == at
    cv = meta["figures"]["cv5_train"]
    print(
        json.dumps(
            {
                "thresholds": t,
                "dev": dev,
                "dev_typed": dev_typed,
                "cv5": cv["at_shipped"],
                "cv5_rules_types": cv["at_shipped_rules_types"],
                "cv5_types": cv["types"],
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
