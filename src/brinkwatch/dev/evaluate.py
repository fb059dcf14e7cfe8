"""Scoring against gold sets (a development tool behind ``brinkwatch eval``).

The figures follow ``../shared/gold/README.md``:

- events (PLOVER gold sentences): per sentence, *type recall* = some extracted event has the gold type;
  *triple recall* = such an event also shares a country with the gold actors and, when the gold has
  recipients, with the gold recipients; *events per sentence* shows over-generation. A gold code ``IGO``
  matches any extracted party whose country is an international organisation's (``data/actors/igos.yaml``).
- CAMEO (PETRARCH-2 validation sentences): the same, with the gold CAMEO root compared to the roots our
  PLOVER type covers (crosswalk ``data/events/cameo.yaml``, via :mod:`brinkwatch.lexicon.ontology`).
- factuality (MEANTIME): macro-F1 over asserted / uncertain / denied, Pearson r and MAE of the −3 … +3 score.

Only this module (and the ``eval`` command) may look for ``../shared/gold`` (or, in a checkout without it, the
vendored copies in ``tests/data/gold``); the product never does.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language

from brinkwatch.core.records import Event, Party
from brinkwatch.lexicon.ontology import cameo_roots
from brinkwatch.lexicon.scoring import scoring_codes

ExtractFn = Callable[[str], list[Event]]

GOLD_FILES = {
    "events": "plover_gsr_dev.jsonl",
    "cameo": "petrarch2_gsr_afp.jsonl",
    "factuality": "factuality_meantime_dev.jsonl",
}
SEED_FILE = "000_780395971d1f23d5.txt"
SEED_PUBLISHED = "2025-10-10"
LABELS = ("asserted", "uncertain", "denied")


# --------------------------------------------------------------------------------------------- data


@functools.lru_cache(maxsize=1)
def igo_codes() -> frozenset[str]:
    """Codes a gold ``IGO`` matches: every international organisation of ``data/actors/igos.yaml``
    (``actor_data.is_international``: NATO, UNSC, ICTY, G7, … and the ICRC or Amnesty, which the gold sets
    also code IGO) plus ``IGO`` itself (an extractor may code a party as a generic IGO)."""
    from brinkwatch.lexicon.actors import is_international, iter_codes

    return frozenset({code for code in iter_codes() if is_international(code)} | {"IGO"})


def cameo_crosswalk() -> tuple[dict[str, frozenset[str]], str]:
    """PLOVER type → the CAMEO root codes it covers (``data/events/cameo.yaml``), and where the map came from."""
    return {k: frozenset(v) for k, v in cameo_roots().items()}, "data/events/cameo.yaml"


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Records of a JSON-lines file; blank lines skipped; a bad line raises ValueError naming its number."""
    records: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
            if not isinstance(rec, dict):
                raise ValueError(f"{path}:{n}: expected a JSON object")
            records.append(rec)
    return records


def _bases(start: str | Path | None) -> list[Path]:
    """Where to look: ``start`` (default: the current directory), then the checkout this module runs from."""
    return [Path(start) if start else Path.cwd(), Path(__file__).resolve().parents[3]]


def find_gold_dir(start: str | Path | None = None) -> Path | None:
    """The dev gold sets: ``../shared/gold`` relative to ``start`` (default: the current directory), or, in a
    checkout without ``../shared``, its vendored copies in ``tests/data/gold`` (the same files: the test suite
    checks their sha256); then the same beside the checkout this module runs from. None when none is there."""
    for base in _bases(start):
        for cand in (
            base / "shared" / "gold",
            base.parent / "shared" / "gold",
            base / "gold",
            base / "tests" / "data" / "gold",
        ):
            if (cand / GOLD_FILES["events"]).is_file() or (cand / GOLD_FILES["factuality"]).is_file():
                return cand
    return None


def find_seed(gold_dir: Path | None = None, start: str | Path | None = None) -> Path | None:
    """The seed article, ``../shared/seed/<SEED_FILE>``: beside ``gold_dir`` first, then as for the gold.
    It is never vendored (it has no stated licence)."""
    cands = [gold_dir.parent / "seed"] if gold_dir else []
    cands += [c for b in _bases(start) for c in (b / "shared" / "seed", b.parent / "shared" / "seed", b / "seed")]
    for cand in cands:
        if (cand / SEED_FILE).is_file():
            return cand / SEED_FILE
    return None


def default_extract_fn(nlp: Language | None = None) -> ExtractFn:
    from brinkwatch.coder.extract import extract_text

    def run(text: str) -> list[Event]:
        return extract_text(text, published=None, nlp=nlp)

    return run


# ------------------------------------------------------------------------------------------- events


def _norm_code(code: str) -> str:
    return scoring_codes().gold_code_aliases.get(code, code)


def _party_matches(party: Party, gold_code: str) -> bool:
    code = _norm_code(gold_code)
    if code in scoring_codes().unconstrained_codes:
        return True
    if code == "IGO" or code.startswith("IGO"):
        return party.country in igo_codes()
    return party.country == code


def _shares(parties: Iterable[Party], gold_codes: list[str]) -> bool:
    if not gold_codes:
        return True
    return any(_party_matches(p, c) for p in parties for c in gold_codes)


def _codes(items: Any) -> list[str]:
    return [str(a["code"]) for a in items or [] if isinstance(a, dict) and a.get("code")]


def _event_brief(e: Event) -> dict[str, Any]:
    return {
        "type": e.event_type,
        "trigger": e.trigger,
        "status": e.status,
        "actors": [p.country for p in e.actors],
        "recipients": [p.country for p in e.recipients],
    }


def score_events(
    gold_path: str | Path, extract_fn: ExtractFn | None = None, *, nlp: Language | None = None
) -> dict[str, Any]:
    """Type recall, triple recall and events per sentence on PLOVER gold sentences (one event each).

    Returns ``{"n", "type_recall", "triple_recall", "events_per_sentence", "misses": [...]}``; each miss
    names the record, the gold event and what was extracted.
    """
    run = extract_fn or default_extract_fn(nlp)
    n = type_hits = triple_hits = n_events = 0
    misses: list[dict[str, Any]] = []
    for rec in read_jsonl(gold_path):
        text, gold_type = rec.get("text"), rec.get("event_type")
        if not isinstance(text, str) or not isinstance(gold_type, str):
            continue
        actors, recipients = _codes(rec.get("actors")), _codes(rec.get("recipients"))
        events = run(text)
        n += 1
        n_events += len(events)
        typed = [e for e in events if e.event_type == gold_type]
        type_hit = bool(typed)
        triple_hit = any(_shares(e.actors, actors) and _shares(e.recipients, recipients) for e in typed)
        type_hits += type_hit
        triple_hits += triple_hit
        if not triple_hit:
            misses.append(
                {
                    "id": rec.get("id"),
                    "text": text,
                    "gold": {"type": gold_type, "actors": actors, "recipients": recipients},
                    "type_hit": type_hit,
                    "extracted": [_event_brief(e) for e in events],
                }
            )
    return {
        "n": n,
        "type_recall": _ratio(type_hits, n),
        "triple_recall": _ratio(triple_hits, n),
        "events_per_sentence": _ratio(n_events, n),
        "misses": misses,
    }


def score_cameo(
    gold_path: str | Path, extract_fn: ExtractFn | None = None, *, nlp: Language | None = None
) -> dict[str, Any]:
    """CAMEO root agreement on PETRARCH-2's validation sentences (a regression check, not truth).

    Per gold event: *root recall* = some extracted event's PLOVER type covers the gold CAMEO root;
    *dyad recall* = that event's actors share the gold source country and its recipients the target
    country (first three letters of the CAMEO actor code; ``---`` and IGO codes as in ``score_events``).
    Gold roots with no PLOVER counterpart (01 public statement) are counted apart. Sentences marked
    ``noevents`` report how many came out empty.
    """
    run = extract_fn or default_extract_fn(nlp)
    crosswalk, source = cameo_crosswalk()
    n = n_events = n_gold = n_unmapped = root_hits = dyad_hits = quiet_n = quiet_ok = 0
    covered = {root for roots in crosswalk.values() for root in roots}
    misses: list[dict[str, Any]] = []
    for rec in read_jsonl(gold_path):
        text = rec.get("text")
        if not isinstance(text, str) or rec.get("evaluate") is False:
            continue
        events = run(text)
        n += 1
        n_events += len(events)
        if rec.get("noevents"):
            quiet_n += 1
            quiet_ok += not events
            continue
        for g in rec.get("events") or []:
            root = str(g.get("code", ""))[:2]
            if root not in covered:
                n_unmapped += 1
                continue
            n_gold += 1
            src, tgt = _cameo_country(str(g.get("source", ""))), _cameo_country(str(g.get("target", "")))
            typed = [e for e in events if root in crosswalk.get(e.event_type, frozenset())]
            dyad = any(_shares(e.actors, [src]) and _shares(e.recipients, [tgt]) for e in typed)
            root_hits += bool(typed)
            dyad_hits += dyad
            if not dyad:
                misses.append(
                    {"id": rec.get("id"), "text": text, "gold": g, "extracted": [_event_brief(e) for e in events]}
                )
    return {
        "n": n,
        "gold_events": n_gold,
        "unmapped_gold_events": n_unmapped,
        "root_recall": _ratio(root_hits, n_gold),
        "dyad_recall": _ratio(dyad_hits, n_gold),
        "events_per_sentence": _ratio(n_events, n),
        "noevent_sentences": quiet_n,
        "noevent_sentences_empty": quiet_ok,
        "crosswalk": source,
        "misses": misses,
    }


def _cameo_country(code: str) -> str:
    if code.startswith("IGO"):
        return "IGO"
    return code[:3] if len(code) >= 3 else "---"


def _ratio(a: float, b: float) -> float:
    return round(a / b, 4) if b else 0.0


# -------------------------------------------------------------------------------------- factuality


def label_of(factuality: float) -> str:
    """MEANTIME ``modality3``: asserted ≥ 2, denied ≤ −2, else uncertain."""
    if factuality >= 2:
        return "asserted"
    if factuality <= -2:
        return "denied"
    return "uncertain"


SCORERS = ("model", "rules")


def factuality_predictions(
    records: Iterable[dict[str, Any]], nlp: Language | None = None, scorer: str = "model"
) -> Iterator[dict[str, Any]]:
    """For records shaped like MEANTIME's (whitespace-tokenized ``text``, ``events`` with ``token_span``),
    one ``{"id", "events": [{"token_span", "factuality", "label", "status"}]}`` per record. ``scorer``
    "model": score and label from the learned model (``coder.factuality``, one batch per record); "rules": the rule
    system's constant per status (``modality.assess``). ``status`` is always the rules' (the status logic
    extraction uses). Bad spans are reported per event, not raised."""
    from brinkwatch.coder.factuality import score_many
    from brinkwatch.coder.modality import assess
    from brinkwatch.coder.parse import load_nlp

    if scorer not in SCORERS:
        raise ValueError(f"unknown scorer {scorer!r} (choose from {', '.join(SCORERS)})")
    nlp = nlp or load_nlp()
    for rec in records:
        words = str(rec.get("text") or "").split()
        out: list[dict[str, Any]] = []
        doc = _doc_from_words(nlp, words) if words else None
        heads: list[tuple[dict[str, Any], Any]] = []
        for ev in _events_of(rec):
            span = ev.get("token_span") if isinstance(ev, dict) else None
            item: dict[str, Any] = {"token_span": span}
            if (
                doc is None
                or not isinstance(span, list)
                or len(span) != 2
                or not all(isinstance(i, int) for i in span)
                or not 0 <= span[0] < span[1] <= len(doc)
            ):
                item.update(factuality=None, label=None, error="bad token_span")
            else:
                heads.append((item, doc[span[0] : span[1]].root))
            out.append(item)
        if scorer == "model" and heads:
            for (item, _), fs in zip(heads, score_many([h for _, h in heads]), strict=True):
                item.update(factuality=fs.factuality, label=fs.label, status=fs.rule.status)
        else:
            for item, head in heads:
                m = assess(head)
                item.update(factuality=m.factuality, label=label_of(m.factuality), status=m.status)
        yield {"id": rec.get("id"), "events": out}


def _events_of(rec: dict[str, Any]) -> list[Any]:
    events = rec.get("events")
    return events if isinstance(events, list) else []


def _doc_from_words(nlp: Language, words: list[str]) -> Any:
    from spacy.tokens import Doc

    doc = Doc(nlp.vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def score_factuality(gold_path: str | Path, *, nlp: Language | None = None, scorer: str = "model") -> dict[str, Any]:
    """Macro-F1 over asserted / uncertain / denied, Pearson r and MAE of the score, per-class P/R/F1,
    the always-"asserted" baseline, and the misclassified events; ``scorer`` as in ``factuality_predictions``.
    ``in_sample`` says when the model was trained on this very file (its figures there measure nothing)."""
    records = read_jsonl(gold_path)
    gold: list[float] = []
    pred: list[float] = []
    gl: list[str] = []
    pl: list[str] = []
    misses: list[dict[str, Any]] = []
    for rec, out in zip(records, factuality_predictions(records, nlp, scorer), strict=True):
        words = str(rec.get("text") or "").split()
        for g, p in zip(_events_of(rec), out["events"], strict=True):
            if (
                not isinstance(g, dict)
                or p.get("factuality") is None
                or not isinstance(g.get("factuality"), int | float)
            ):
                continue
            gold.append(float(g["factuality"]))
            pred.append(float(p["factuality"]))
            glabel = str(g.get("modality3") or label_of(float(g["factuality"])))
            gl.append(glabel)
            pl.append(p["label"])
            if glabel != p["label"]:
                s, e = p["token_span"]
                misses.append(
                    {
                        "id": rec.get("id"),
                        "trigger": " ".join(words[s:e]),
                        "gold": g["factuality"],
                        "pred": p["factuality"],
                        "status": p.get("status"),
                        "text": " ".join(words),
                    }
                )
    per_class = classification_report(gl, pl)
    baseline = classification_report(gl, ["asserted"] * len(gl))
    return {
        "n": len(gold),
        "scorer": scorer,
        "in_sample": scorer == "model" and _trained_on(gold_path),
        "gold_counts": dict(Counter(gl)),
        "macro_f1": per_class["macro_f1"],
        "pearson_r": round(pearson(gold, pred), 4),
        "mae": round(sum(abs(a - b) for a, b in zip(gold, pred, strict=True)) / len(gold), 4) if gold else 0.0,
        "per_class": per_class["classes"],
        "baseline_asserted_macro_f1": baseline["macro_f1"],
        "misses": misses,
    }


def _trained_on(path: str | Path) -> bool:
    from brinkwatch.coder.factuality import model

    return Path(path).name in {Path(f).name for f in model().meta["training"]["trained_on_files"]}


def classification_report(gold: list[str], pred: list[str], labels: tuple[str, ...] = LABELS) -> dict[str, Any]:
    classes: dict[str, dict[str, float]] = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        classes[lab] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": tp + fn}
    macro = sum(c["f1"] for c in classes.values()) / len(labels) if labels else 0.0
    return {"classes": classes, "macro_f1": round(macro, 4)}


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else 0.0


# --------------------------------------------------------------------------------------------- seed


def summarize_seed(
    seed_path: str | Path, *, nlp: Language | None = None, published: str = SEED_PUBLISHED
) -> dict[str, Any]:
    """Events extracted from the seed article: count, statuses, types, and one line per event."""
    from brinkwatch.coder.extract import extract_text

    text = Path(seed_path).read_text(encoding="utf-8")
    events = extract_text(text, published=published, doc_id=Path(seed_path).name, nlp=nlp)
    return {
        "n": len(events),
        "statuses": dict(Counter(e.status for e in events)),
        "types": dict(Counter(e.event_type for e in events)),
        "factual": sum(e.factual for e in events),
        "events": [
            {
                "sentence_index": e.sentence_index,
                "trigger": e.trigger,
                "type": e.event_type,
                "status": e.status,
                "factuality": e.factuality,
                "cues": list(e.cues),
                "actors": [p.country for p in e.actors],
                "recipients": [p.country for p in e.recipients],
            }
            for e in events
        ],
    }


# ------------------------------------------------------------------------------------------ runner

EVAL_TARGETS = ("events", "cameo", "factuality", "seed", "all")


def run_eval(
    what: str,
    path: str | Path | None = None,
    *,
    nlp: Language | None = None,
    gold_dir: str | Path | None = None,
    scorer: str = "model",
) -> dict[str, dict[str, Any]]:
    """Score one dev set (``events`` | ``cameo`` | ``factuality`` | ``seed``) or ``all`` of them.

    ``path`` overrides the gold file (or the seed text) for a single target; otherwise files are looked
    up in ``gold_dir`` or by :func:`find_gold_dir` (the seed by :func:`find_seed`). Raises FileNotFoundError
    when a file cannot be found — except the seed under ``all``: a checkout without ``../shared`` scores the
    vendored gold sets and reports the seed as ``{"skipped": reason}``.
    ``scorer``: who scores factuality ("model" or "rules", see ``factuality_predictions``).
    """
    if what not in EVAL_TARGETS:
        raise ValueError(f"unknown eval target {what!r} (choose from {', '.join(EVAL_TARGETS)})")
    if what == "all" and path is not None:
        raise ValueError("eval all takes no file: it runs every dev set and the seed")
    names = ("events", "cameo", "factuality", "seed") if what == "all" else (what,)
    base = Path(gold_dir) if gold_dir else find_gold_dir()
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        if path is not None:
            file = Path(path)
        elif name == "seed":
            seed = find_seed(base)
            if seed is None:
                reason = f"no seed article found (looked for ../shared/seed/{SEED_FILE})"
                if what == "all":
                    results[name] = {"skipped": reason}
                    continue
                raise FileNotFoundError(reason + "; pass the file")
            file = seed
        elif base is None:
            raise FileNotFoundError(
                "no gold directory found (looked for ../shared/gold and tests/data/gold); pass the file"
            )
        else:
            file = base / GOLD_FILES[name]
        if not file.is_file():
            raise FileNotFoundError(f"{file}: no such file")
        if name == "events":
            results[name] = score_events(file, nlp=nlp)
        elif name == "cameo":
            results[name] = score_cameo(file, nlp=nlp)
        elif name == "factuality":
            results[name] = score_factuality(file, nlp=nlp, scorer=scorer)
        else:
            results[name] = summarize_seed(file, nlp=nlp)
        results[name]["file"] = str(file)
    return results


def report_lines(results: dict[str, dict[str, Any]]) -> list[str]:
    """Human-readable figures, one block per scored set."""
    lines: list[str] = []
    for name, r in results.items():
        lines.append(f"[{name}] {r.get('file', '')}")
        if "skipped" in r:
            lines.append(f"  skipped: {r['skipped']}")
        elif name == "events":
            lines.append(
                f"  sentences {r['n']}  type recall {r['type_recall']:.3f}  triple recall {r['triple_recall']:.3f}"
                f"  events/sentence {r['events_per_sentence']:.2f}"
            )
        elif name == "cameo":
            lines.append(
                f"  sentences {r['n']}  gold events {r['gold_events']} (+{r['unmapped_gold_events']} with no PLOVER"
                f" root)  root recall {r['root_recall']:.3f}  dyad recall {r['dyad_recall']:.3f}"
                f"  events/sentence {r['events_per_sentence']:.2f}"
            )
            lines.append(
                f"  no-event sentences left empty {r['noevent_sentences_empty']}/{r['noevent_sentences']}"
                f"  crosswalk {r['crosswalk']}"
            )
        elif name == "factuality":
            lines.append(
                f"  events {r['n']} {r['gold_counts']}  macro-F1 {r['macro_f1']:.3f}  Pearson r {r['pearson_r']:.3f}"
                f"  MAE {r['mae']:.3f}  (always-asserted macro-F1 {r['baseline_asserted_macro_f1']:.3f})"
            )
            lines.append(
                f"  scored by the {r['scorer']}"
                + ("  (in-sample: the model was trained on this file)" if r.get("in_sample") else "")
            )
            for lab, c in r["per_class"].items():
                lines.append(
                    f"  {lab:<10} P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}  n {c['support']}"
                )
        elif name == "seed":
            lines.append(f"  events {r['n']}  factual {r['factual']}  statuses {r['statuses']}")
            lines.append(f"  types {r['types']}")
            for e in r["events"]:
                lines.append(
                    f"  s{e['sentence_index']:<3} {e['type']:<10} {e['status']:<12} {e['factuality']:+.1f}"
                    f"  {e['trigger']!r}  {'/'.join(e['actors']) or '-'} -> {'/'.join(e['recipients']) or '-'}"
                    + (f"  cues: {', '.join(e['cues'])}" if e["cues"] else "")
                )
    return lines
