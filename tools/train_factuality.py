"""Train the factuality model shipped in ``src/brinkwatch/data/models/`` (``make train``).

Reads the factuality sets of ``../shared`` at build time (the product never does):

- trains on UW train (``training/factuality/uw_train.jsonl``) and MEANTIME train + dev
  (``gold/factuality_meantime_dev.jsonl``, allowed as training data for this model; its figures are
  reported cross-validated only), the dataset of origin a feature (the product asks for UW's conventions);
- chooses the number of boosting rounds and the label thresholds on UW dev;
- reports, rule system beside model, each figure with a 95 % bootstrap interval over sentences: UW dev;
  5-fold cross-validation over UW train + MEANTIME (and MEANTIME's share of it, scored with its own dataset
  feature and with UW's); UDS-IH2 dev (out of domain: web text, other conventions, never trained on).

UDS-IH2 train is not used: pooled with a dataset feature it lowered UW dev (Pearson r 0.787 → 0.770), and
its model's prediction as a feature lifted it by 0.002.

Writes ``factuality.lgb.txt`` (LightGBM text dump) and ``factuality.meta.json`` (thresholds, figures, the
model's sha256). Deterministic: one thread, fixed seeds, the same bytes on every run.

    python tools/train_factuality.py [--shared ../shared] [--out src/brinkwatch/data/models] [--cache DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import numpy  # noqa: E402

from brinkwatch.coder import factuality as factmodel  # noqa: E402
from brinkwatch.dev.evaluate import LABELS, read_jsonl  # noqa: E402

# split → (file under ../shared, whose annotation conventions)
SPLITS = {
    "uw_train": ("training/factuality/uw_train.jsonl", "uw"),
    "uw_dev": ("training/factuality/uw_dev.jsonl", "uw"),
    "meantime": ("gold/factuality_meantime_dev.jsonl", "meantime"),
    "uds_dev": ("training/factuality/uds_ih2_dev.jsonl", "uds"),
}
TRAIN = ("uw_train", "meantime")
SEED = 13
FOLDS = 5
BOOTSTRAP = 1000
MIN_COUNT = 3  # a hashed feature becomes a column when this many training events have it
MAX_ROUNDS = 2000
PATIENCE = 100
PARAMS: dict[str, Any] = {
    "objective": "regression",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.5,
    "lambda_l2": 1.0,
    "max_bin": 63,
    "verbose": -1,
    "num_threads": 1,
    "deterministic": True,
    "force_col_wise": True,
    "seed": SEED,
}
_DATASET_PARAMS = {"max_bin": PARAMS["max_bin"], "verbose": -1, "feature_pre_filter": False}


@dataclass(frozen=True, slots=True)
class Row:
    """One gold event: where it comes from, its gold score, the rule system's score (the "before") and the
    model's input."""

    split: str
    sentence: str  # record id: folds and the bootstrap move whole sentences
    gold: float
    rule: float
    x: factmodel.Features


# ------------------------------------------------------------------------------------------- data


def load_rows(shared: Path, split: str, cache: Path | None = None, limit: int | None = None) -> list[Row]:
    """Parse a split's sentences as ``brinkwatch eval factuality`` does and compute each event's features.
    ``cache``: a directory keeping the parsed sentences between runs (features are always recomputed);
    ``limit``: the first records of the file only."""
    from spacy.tokens import Doc

    from brinkwatch.coder.modality import assess
    from brinkwatch.coder.parse import load_nlp
    from brinkwatch.dev.evaluate import _doc_from_words, _events_of

    rel, dataset = SPLITS[split]
    nlp = load_nlp()
    records = [r for r in read_jsonl(shared / rel)[:limit] if str(r.get("text") or "").split()]
    stored = cache / f"{split}-{limit}.docs" if cache is not None else None
    if stored is not None and stored.is_file():
        docs = [Doc(nlp.vocab).from_bytes(b) for b in pickle.loads(stored.read_bytes())]
    else:
        docs = [_doc_from_words(nlp, str(r["text"]).split()) for r in records]
        if stored is not None:
            stored.parent.mkdir(parents=True, exist_ok=True)
            stored.write_bytes(pickle.dumps([d.to_bytes() for d in docs]))
    rows = []
    for rec, doc in zip(records, docs, strict=True):
        for ev in _events_of(rec):
            s, e = ev["token_span"]
            trigger = doc[s:e].root
            rule = assess(trigger)
            x = factmodel.features(trigger, dataset, rule)
            rows.append(Row(split, str(rec["id"]), float(ev["factuality"]), rule.factuality, x))
    return rows


def as_dataset(rows: Sequence[Row], dataset: str) -> list[Row]:
    """``rows`` asked in another dataset's conventions (its dataset feature switched)."""
    flags = {factmodel.DENSE.index("dataset_" + d): float(d == dataset) for d in factmodel.DATASETS if d != "uw"}
    out = []
    for r in rows:
        dense = list(r.x.dense)
        for k, v in flags.items():
            dense[k] = v
        out.append(Row(r.split, r.sentence, r.gold, r.rule, factmodel.Features(r.x.buckets, tuple(dense))))
    return out


@dataclass(frozen=True)
class Design:
    """The model's columns: the hashed buckets that enough training events have, then the dense features."""

    buckets: tuple[int, ...]

    @classmethod
    def fit(cls, rows: Sequence[Row]) -> Design:
        counts: Counter[int] = Counter()
        for r in rows:
            counts.update(set(r.x.buckets))
        return cls(tuple(sorted(b for b, n in counts.items() if n >= MIN_COUNT)))

    @property
    def names(self) -> list[str]:
        return [f"h{b}" for b in self.buckets] + list(factmodel.DENSE)

    def matrix(self, rows: Sequence[Row]) -> Any:
        nb = len(self.buckets)
        return factmodel.design_matrix(
            [r.x for r in rows],
            {b: k for k, b in enumerate(self.buckets)},
            [(k, nb + k) for k in range(factmodel.N_DENSE)],
            nb + factmodel.N_DENSE,
        )


def _labels(rows: Sequence[Row]) -> Any:
    return numpy.asarray([r.gold for r in rows])


def train(rows: Sequence[Row], rounds: int) -> tuple[Any, Design]:
    import lightgbm

    design = Design.fit(rows)
    data = lightgbm.Dataset(design.matrix(rows), label=_labels(rows), feature_name=design.names, params=_DATASET_PARAMS)
    return lightgbm.train(PARAMS, data, num_boost_round=rounds), design


def best_rounds(train_rows: Sequence[Row], dev_rows: Sequence[Row]) -> int:
    """The round after which UW dev's squared error stops falling (``PATIENCE`` rounds without a gain)."""
    import lightgbm

    design = Design.fit(train_rows)
    tr = lightgbm.Dataset(
        design.matrix(train_rows), label=_labels(train_rows), feature_name=design.names, params=_DATASET_PARAMS
    )
    dv = lightgbm.Dataset(design.matrix(dev_rows), label=_labels(dev_rows), reference=tr, params=_DATASET_PARAMS)
    booster = lightgbm.train(
        {**PARAMS, "metric": "l2"},
        tr,
        num_boost_round=MAX_ROUNDS,
        valid_sets=[dv],
        callbacks=[lightgbm.early_stopping(PATIENCE, verbose=False)],
    )
    return max(1, int(booster.best_iteration))


def predict(booster: Any, design: Design, rows: Sequence[Row]) -> list[float]:
    if not rows:
        return []
    raw = booster.predict(design.matrix(rows), num_threads=1)
    return [min(3.0, max(-3.0, float(v))) for v in raw]


def folds(rows: Sequence[Row], k: int = FOLDS, seed: int = SEED) -> list[int]:
    """Fold of each row: whole sentences, shuffled with a fixed seed."""
    sentences = sorted({r.sentence for r in rows})
    random.Random(seed).shuffle(sentences)
    fold_of = {s: i % k for i, s in enumerate(sentences)}
    return [fold_of[r.sentence] for r in rows]


def cross_validate(rows: Sequence[Row], rounds: int, also: dict[str, str] | None = None) -> dict[str, list[float]]:
    """Out-of-fold predictions of every row (``"own"``: in each row's own dataset conventions), and for
    each ``name: dataset`` of ``also`` the same rows asked in that dataset's conventions."""
    fold = folds(rows)
    out = {name: [0.0] * len(rows) for name in ("own", *(also or {}))}
    for f in range(FOLDS):
        booster, design = train([r for r, g in zip(rows, fold, strict=True) if g != f], rounds)
        held = [k for k, g in enumerate(fold) if g == f]
        test = [rows[k] for k in held]
        asks = {"own": test, **{name: as_dataset(test, ds) for name, ds in (also or {}).items()}}
        for name, asked in asks.items():
            for k, p in zip(held, predict(booster, design, asked), strict=True):
                out[name][k] = p
    return out


# ---------------------------------------------------------------------------------------- figures


def label_ids(scores: Any, asserted_at: float, denied_at: float) -> Any:
    """0 asserted, 1 uncertain, 2 denied (the order of ``LABELS``)."""
    s = numpy.asarray(scores, dtype=float)
    return numpy.where(s >= asserted_at, 0, numpy.where(s <= denied_at, 2, 1))


def figures(gold: Any, pred: Any, gold_ids: Any, pred_ids: Any) -> dict[str, float]:
    """Macro-F1 over the three labels, Pearson r and MAE of the score, F1 of each label."""
    conf = numpy.bincount(gold_ids * 3 + pred_ids, minlength=9).reshape(3, 3)
    tp = numpy.diag(conf).astype(float)
    prec = numpy.divide(tp, conf.sum(0), out=numpy.zeros(3), where=conf.sum(0) > 0)
    rec = numpy.divide(tp, conf.sum(1), out=numpy.zeros(3), where=conf.sum(1) > 0)
    f1 = numpy.divide(2 * prec * rec, prec + rec, out=numpy.zeros(3), where=(prec + rec) > 0)
    g, p = gold - gold.mean(), pred - pred.mean()
    denom = float(numpy.sqrt((g * g).sum() * (p * p).sum()))
    out = {
        "macro_f1": float(f1.mean()),
        "pearson_r": float((g * p).sum() / denom) if denom else 0.0,
        "mae": float(numpy.abs(gold - pred).mean()),
    }
    out.update({f"f1_{lab}": float(f1[k]) for k, lab in enumerate(LABELS)})
    return out


def bootstrap(rows: Sequence[Row], pred: Sequence[float], asserted_at: float, denied_at: float) -> dict[str, Any]:
    """Each figure with a 95 % percentile interval over ``BOOTSTRAP`` resamples of whole sentences."""
    gold = numpy.asarray([r.gold for r in rows])
    p = numpy.asarray(pred, dtype=float)
    gid = label_ids(gold, 2.0, -2.0)  # MEANTIME's modality3: asserted >= 2, denied <= -2
    pid = label_ids(p, asserted_at, denied_at)
    groups: dict[str, list[int]] = {}
    for k, r in enumerate(rows):
        groups.setdefault(r.sentence, []).append(k)
    members = [numpy.asarray(v) for v in groups.values()]
    point = figures(gold, p, gid, pid)
    rng = numpy.random.default_rng(SEED)
    samples: dict[str, list[float]] = {k: [] for k in point}
    for _ in range(BOOTSTRAP):
        idx = numpy.concatenate([members[j] for j in rng.integers(0, len(members), len(members))])
        for name, v in figures(gold[idx], p[idx], gid[idx], pid[idx]).items():
            samples[name].append(v)
    out: dict[str, Any] = {"n": len(rows), "sentences": len(members)}
    for name, v in point.items():
        lo, hi = numpy.percentile(samples[name], [2.5, 97.5])
        out[name] = [round(v, 4), round(float(lo), 4), round(float(hi), 4)]
    return out


def choose_thresholds(gold: Sequence[float], pred: Sequence[float]) -> dict[str, Any]:
    """The cut points on the score (steps of 0.05) that separate the labels best (macro-F1), and the range
    of cut points within 0.005 of the best (how sharp the choice is)."""
    g = numpy.asarray(gold)
    gid = label_ids(g, 2.0, -2.0)
    p = numpy.asarray(pred)
    grid_a = [round(float(a), 2) for a in numpy.arange(0.5, 2.801, 0.05)]
    grid_d = [round(float(d), 2) for d in numpy.arange(-2.8, -0.449, 0.05)]
    scores = {(a, d): figures(g, p, gid, label_ids(p, a, d))["macro_f1"] for a in grid_a for d in grid_d}
    best = max(scores.values())
    (a, d) = next(k for k, v in scores.items() if v == best)  # grid order: the lowest cut points first
    near = [k for k, v in scores.items() if v >= best - 0.005]
    return {
        "asserted": a,
        "denied": d,
        "macro_f1": round(best, 4),
        "near_best_asserted": [min(k[0] for k in near), max(k[0] for k in near)],
        "near_best_denied": [min(k[1] for k in near), max(k[1] for k in near)],
    }


# ------------------------------------------------------------------------------------------- main


def run(
    shared: Path,
    out: Path | None,
    *,
    cache: Path | None = None,
    limit: int | None = None,
    log: Callable[[str], None] = print,
) -> tuple[str, dict[str, Any]]:
    """Train and measure; write the model and its meta into ``out`` when given. ``limit``: read only the first
    ``limit`` records of each file (a quick run for the tests). Returns the model text and the meta."""
    t0 = time.perf_counter()
    data = {s: load_rows(shared, s, cache, limit) for s in SPLITS}
    log(f"features: {', '.join(f'{s} {len(r)}' for s, r in data.items())} ({time.perf_counter() - t0:.0f} s)")
    train_rows = [r for s in TRAIN for r in data[s]]
    dev = data["uw_dev"]

    rounds = best_rounds(train_rows, dev)
    booster, design = train(train_rows, rounds)
    dev_pred = predict(booster, design, dev)
    th = choose_thresholds([r.gold for r in dev], dev_pred)
    a, d = th["asserted"], th["denied"]
    log(f"chosen on UW dev: {rounds} rounds; asserted >= {a}, denied <= {d} ({time.perf_counter() - t0:.0f} s)")

    def both(rows: Sequence[Row], pred: Sequence[float]) -> dict[str, Any]:
        return {"rules": bootstrap(rows, [r.rule for r in rows], 2.0, -2.0), "model": bootstrap(rows, pred, a, d)}

    report: dict[str, Any] = {"uw_dev": both(dev, dev_pred)}
    report["uw_dev"]["model_cut_at_2"] = bootstrap(dev, dev_pred, 2.0, -2.0)
    cv = cross_validate(train_rows, rounds, {"as_uw": "uw"})
    report["cv5_uw_train_meantime"] = both(train_rows, cv["own"])
    uw_cv = [k for k, r in enumerate(train_rows) if r.split == "uw_train"]
    th_cv = choose_thresholds([train_rows[k].gold for k in uw_cv], [cv["own"][k] for k in uw_cv])
    for split in TRAIN:
        idx = [k for k, r in enumerate(train_rows) if r.split == split]
        report[f"cv5_{split}"] = both([train_rows[k] for k in idx], [cv["own"][k] for k in idx])
    mt = [k for k, r in enumerate(train_rows) if r.split == "meantime"]
    report["cv5_meantime"]["model_as_uw"] = bootstrap([train_rows[k] for k in mt], [cv["as_uw"][k] for k in mt], a, d)
    uds = data["uds_dev"]
    report["uds_dev"] = both(uds, predict(booster, design, uds))
    log(f"measured ({time.perf_counter() - t0:.0f} s)")

    text = booster.model_to_string()
    meta: dict[str, Any] = {
        "model": Path(factmodel.MODEL_FILE).name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "bytes": len(text.encode("utf-8")),
        "feature_version": factmodel.FEATURE_VERSION,
        "hash_bits": factmodel.HASH_BITS,
        "thresholds": th,
        "thresholds_on_cv5_uw_train": th_cv,  # for comparison only: how stable the choice on UW dev is
        "training": {
            "files": {s: SPLITS[s][0] for s in SPLITS},
            "trained_on": list(TRAIN),
            "trained_on_files": [SPLITS[s][0] for s in TRAIN],
            "events": {s: len(r) for s, r in data.items()},
            "limit": limit,
            "columns": len(design.names),
            "rounds": rounds,
            "params": {k: v for k, v in PARAMS.items() if k not in ("verbose", "num_threads")},
            "min_count": MIN_COUNT,
            "folds": FOLDS,
            "bootstrap": BOOTSTRAP,
        },
        "figures": report,
        "figures_format": "[value, 2.5 %, 97.5 %] over resampled sentences; rules cut at 2 / -2",
    }
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / Path(factmodel.MODEL_FILE).name).write_text(text, encoding="utf-8")
        (out / Path(factmodel.META_FILE).name).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    log(f"model {meta['bytes'] / 1e6:.2f} MB, sha256 {meta['sha256'][:12]}")
    return text, meta


def summary(meta: dict[str, Any]) -> list[str]:
    lines = []
    for split, fig in meta["figures"].items():
        for who, f in fig.items():
            parts = [f"{k} {v[0]:.3f} [{v[1]:.2f}, {v[2]:.2f}]" for k, v in f.items() if isinstance(v, list)]
            lines.append(f"{split:<22} {who:<14} n={f['n']:<6} " + "  ".join(parts))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    out = ROOT / "src" / "brinkwatch" / "data" / Path(factmodel.MODEL_FILE).parent
    ap.add_argument("--out", type=Path, default=out)
    ap.add_argument("--cache", type=Path, default=None, help="keep the parsed sentences here between runs")
    ap.add_argument("--limit", type=int, default=None, help="only the first N records of each file")
    ap.add_argument("--dry-run", action="store_true", help="measure only; write nothing")
    args = ap.parse_args(argv)
    if not (args.shared / "training" / "factuality").is_dir():
        print(f"{args.shared}/training/factuality: not found (pass --shared)", file=sys.stderr)
        return 2
    _, meta = run(args.shared, None if args.dry_run else args.out, cache=args.cache, limit=args.limit)
    for line in summary(meta):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
