"""Measure the CAMEO pattern matcher as a candidate generator, beside the hand lexicon (extract.py's triggers).

    .venv/bin/python tools/measure_cameo.py [--shared ../shared] [--json out.json]

Figures only (no sentence text is written anywhere); nothing here feeds back into the data:

* PLOVER gold dev (``gold/plover_gsr_dev.jsonl``): per sentence, is the gold type among the proposals of
  (a) the CAMEO matcher (best patterns / defaults), (b) the same with every matching pattern, (c) the hand
  lexicon's candidates after its coding rules and before the party filters, (d) the extractor's final events,
  and the unions; how many proposals per sentence (candidates, and distinct types);
* UW factuality train (``training/factuality/uw_train.jsonl``, whitespace-tokenized newswire): proposals per
  sentence, and the matcher's time per sentence (the parse excluded).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from brinkwatch.settings import Settings
from spacy.language import Language
from spacy.tokens import Doc

from brinkwatch.coder import cameo as cm
from brinkwatch.coder import extract
from brinkwatch.coder import triggers as events
from brinkwatch.coder.parse import load_nlp
from brinkwatch.lexicon import cameo as cameo_data

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_SHARED = Path(os.environ.get("BRINKWATCH_SHARED") or ROOT.parent / "shared")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def doc_from_words(nlp: Language, words: list[str]) -> Doc:
    doc = Doc(nlp.vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def lexicon_candidates(doc: Doc, settings: Settings) -> list[tuple[int, str]]:
    """(trigger token, type) of extract.py's candidates after its coding rules, before its party filters."""
    lex = events.lexicon()
    index = events.doc_index(doc, lex)
    args = events.Arguments(doc, lex)
    out: list[tuple[int, str]] = []
    for sent in doc.sents:
        if index.codable(sent, settings.max_sentence_tokens) is not None:
            continue
        for c in extract._candidates(sent, lex, [doc[i] for i in index.tokens(sent)]):
            extract._code(c, args, lex)
            out.append((c.tok.i, c.event_type))
    return out


def extractor_events(doc: Doc, settings: Settings) -> list[tuple[int, str]]:
    _, evs = extract.extract_doc(doc, doc_id="m", published=None, settings=settings)
    return [(e.trigger_start, e.event_type) for e in evs]


def matcher(doc: Doc, **kw: Any) -> list[tuple[int, str]]:
    return [(c.i, c.plover) for c in cm.match(doc, **kw) if c.plover is not None]


def with_coder_rules(doc: Doc, **kw: Any) -> list[tuple[int, str]]:
    """The matcher's types passed through the PLOVER coding rules extract._code applies to every trigger
    (future/promised cooperation → AGREE, negated cooperation → REJECT, future force → THREATEN): what an
    integration into the coder would see. The rules are the project's, unchanged."""
    lex = events.lexicon()
    out: list[tuple[int, str]] = []
    for c in cm.match(doc, **kw):
        t = c.plover
        if t is None:
            continue
        tok = doc[c.i]
        if t in lex.rules.cooperative_types or t == "AGREE":
            if events.negated(tok, lex):
                t = "REJECT"
            elif t != "AGREE" and events.future(tok, lex):
                t = "AGREE"
        elif t in lex.rules.threat_types and events.future(tok, lex) and not events.negated(tok, lex):
            t = "THREATEN"
        out.append((c.i, t))
    return out


Source = Callable[[Doc], list[tuple[int, str]]]


def summarize(rows: list[dict[str, Any]], name: str, gold_types: list[str] | None) -> dict[str, Any]:
    cands = [len(r[name]) for r in rows]
    types = [len({t for _, t in r[name]}) for r in rows]
    out: dict[str, Any] = {
        "sentences": len(rows),
        "candidates_per_sentence": round(statistics.mean(cands), 2),
        "types_per_sentence": round(statistics.mean(types), 2),
        "sentences_with_none": sum(1 for n in cands if n == 0),
    }
    if gold_types is not None:
        hits = [g in {t for _, t in r[name]} for r, g in zip(rows, gold_types, strict=True)]
        out["type_recall"] = round(sum(hits) / len(hits), 3)
        out["hits"] = sum(hits)
        per: dict[str, list[int]] = {}
        for g, h in zip(gold_types, hits, strict=True):
            per.setdefault(g, [0, 0])
            per[g][0] += int(h)
            per[g][1] += 1
        out["per_type"] = {k: f"{v[0]}/{v[1]}" for k, v in sorted(per.items())}
    return out


def union(*names: str) -> Callable[[dict[str, Any]], list[tuple[int, str]]]:
    def run(r: dict[str, Any]) -> list[tuple[int, str]]:
        seen: set[tuple[int, str]] = set()
        for n in names:
            seen.update((-1, t) for _, t in r[n])  # types only: token offsets differ across sources
        return sorted(seen)

    return run


def measure(docs: list[Doc], settings: Settings) -> tuple[list[dict[str, Any]], list[float]]:
    rows: list[dict[str, Any]] = []
    times: list[float] = []
    for doc in docs:
        t0 = time.perf_counter()
        best = matcher(doc)
        times.append(time.perf_counter() - t0)
        rows.append(
            {
                "cameo": best,
                "cameo_all": matcher(doc, all_matches=True),
                "cameo_rules": with_coder_rules(doc),
                "cameo_unmapped": [(c.i, c.code) for c in cm.match(doc, with_unmapped=True) if c.plover is None],
                "lexicon": lexicon_candidates(doc, settings),
                "events": extractor_events(doc, settings),
            }
        )
    for r in rows:
        r["cameo+lexicon"] = union("cameo", "lexicon")(r)
        r["cameo+events"] = union("cameo", "events")(r)
        r["cameo_all+lexicon"] = union("cameo_all", "lexicon")(r)
        r["cameo_rules+events"] = union("cameo_rules", "events")(r)
    return rows, times


SOURCES = (
    "cameo",
    "cameo_all",
    "cameo_rules",
    "lexicon",
    "events",
    "cameo+lexicon",
    "cameo+events",
    "cameo_all+lexicon",
    "cameo_rules+events",
)


def overlap(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Trigger tokens both propose, and whether the matcher's senses include the lexicon's type there."""
    both = same = only_cameo = only_lex = 0
    for r in rows:
        cam: dict[int, set[str]] = {}
        for i, t in r["cameo"]:
            cam.setdefault(i, set()).add(t)
        lex: dict[int, set[str]] = {}
        for i, t in r["lexicon"]:
            lex.setdefault(i, set()).add(t)
        for i, types in lex.items():
            if i in cam:
                both += 1
                same += bool(types & cam[i])
            else:
                only_lex += 1
        only_cameo += sum(1 for i in cam if i not in lex)
    return {
        "tokens_both": both,
        "tokens_both_lexicon_type_among_cameo": same,
        "tokens_only_cameo": only_cameo,
        "tokens_only_lexicon": only_lex,
    }


def timing(times: list[float]) -> dict[str, float]:
    ms = sorted(t * 1000 for t in times)
    return {
        "mean_ms": round(statistics.mean(ms), 3),
        "median_ms": round(ms[len(ms) // 2], 3),
        "p95_ms": round(ms[int(len(ms) * 0.95)], 3),
        "max_ms": round(ms[-1], 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--json", type=Path, default=None, help="write the figures here as JSON")
    ap.add_argument("--uw-limit", type=int, default=0, help="only the first N UW sentences (0: all)")
    args = ap.parse_args(argv)
    nlp = load_nlp()
    settings = Settings.from_env()
    cameo_data.model()
    events.lexicon()
    report: dict[str, Any] = {"model": cameo_data.model().about["counts"]}

    gold = read_jsonl(args.shared / "gold" / "plover_gsr_dev.jsonl")
    gold_docs = [nlp(r["text"]) for r in gold]
    gold_types = [str(r["event_type"]) for r in gold]
    rows, times = measure(gold_docs, settings)
    report["gold_dev"] = {name: summarize(rows, name, gold_types) for name in SOURCES}
    report["gold_dev"]["matcher_time"] = timing(times)
    unmapped = Counter(code[:2] for r in rows for _, code in r["cameo_unmapped"])
    req = [i for i, g in enumerate(gold_types) if g == "REQUEST"]
    report["gold_dev"]["unmapped_codes_by_root"] = dict(sorted(unmapped.items()))
    report["gold_dev"]["request_gold_with_a_02x_proposal"] = (
        f"{sum(1 for i in req if any(c.startswith('02') for _, c in rows[i]['cameo_unmapped']))}/{len(req)}"
    )
    report["gold_dev"]["request_gold_hit_by_cameo"] = (
        f"{sum(1 for i in req if 'REQUEST' in {t for _, t in rows[i]['cameo']})}/{len(req)}"
    )

    uw = read_jsonl(args.shared / "training" / "factuality" / "uw_train.jsonl")
    if args.uw_limit:
        uw = uw[: args.uw_limit]
    uw_docs = [doc_from_words(nlp, str(r["text"]).split()) for r in uw]
    uw_rows, uw_times = measure(uw_docs, settings)
    report["uw_train"] = {name: summarize(uw_rows, name, None) for name in SOURCES}
    report["uw_train"]["matcher_time"] = timing(uw_times)
    report["uw_train"]["trigger_overlap"] = overlap(uw_rows)
    report["gold_dev"]["trigger_overlap"] = overlap(rows)
    report["uw_train"]["tokens_per_sentence"] = round(statistics.mean(len(d) for d in uw_docs), 1)
    # a second timed pass over the parsed sentences (warm caches), all sentences in one loop
    t0 = time.perf_counter()
    n = sum(len(cm.match(d)) for d in uw_docs)
    report["uw_train"]["matcher_loop_ms_per_sentence"] = round((time.perf_counter() - t0) * 1000 / len(uw_docs), 3)
    report["uw_train"]["cameo_codes_by_root"] = dict(
        sorted(Counter(c.code[:2] for d in uw_docs for c in cm.match(d)).items())
    )
    report["uw_train"]["cameo_default_share"] = round(
        sum(1 for d in uw_docs for c in cm.match(d) if c.default) / max(1, n), 3
    )
    text = json.dumps(report, indent=1, sort_keys=True)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
