#!/usr/bin/env python3
"""Measure the Phoenix actor data (no tuning: figures only).

1. Gold actor spans (``../shared/gold/plover_gsr_dev.jsonl``, ``actors[]``/``recipients[]`` with a code): the
   share whose ``actorText`` a look-up codes to the gold country — the current lexicon
   (``brinkwatch.lexicon.actors.lookup``), the Phoenix look-up (``brinkwatch.lexicon.phoenix``), both (lexicon
   first), and the current ``ActorCoder`` on the parsed sentence for reference. Gold ``IGO`` matches any
   organisation code (IGO or NGO); JAP/ITL are read as JPN/ITA, as in tests/test_actors_gold.py.
2. Cost: load time and memory of the data, and parse time per 1,000 words with and without the ruler on
   UW sentences (``../shared/training/factuality/uw_dev.jsonl``; fixed seed).

Usage: ``python tools/measure_phoenix.py [--sentences 300] [--skip-parse]``
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared"
)
GOLD_ALIASES = {"JAP": "JPN", "ITL": "ITA"}


def rss_mb() -> float:
    with open("/proc/self/status", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def org_like(code: str) -> bool:
    from brinkwatch.lexicon.actors import code_kind
    from brinkwatch.lexicon.phoenix import phoenix

    return (
        code_kind(code) in ("igo", "ngo")
        or phoenix().code_kind(code) in ("igo", "ngo")
        or code.startswith(("IGO", "NGO"))
    )


def matches(gold: str, predicted: str | None) -> bool:
    if predicted is None:
        return False
    gold = GOLD_ALIASES.get(gold, gold)
    if gold == "IGO":
        return org_like(predicted)
    if gold == "NGO":
        return predicted.startswith("NGO") or (org_like(predicted) and predicted not in ("UN", "NATO", "EU"))
    return gold == predicted


def gold_spans() -> list[tuple[dict, dict]]:
    path = SHARED / "gold" / "plover_gsr_dev.jsonl"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out += [(rec, g) for g in rec["actors"] + rec["recipients"] if g.get("code")]
    return out


def measure_gold() -> dict[str, object]:
    from brinkwatch.lexicon.actors import lookup
    from brinkwatch.lexicon.phoenix import phoenix

    ph = phoenix()
    spans = gold_spans()
    counts = {"lexicon": 0, "phoenix": 0, "both": 0, "phoenix_found": 0, "lexicon_found": 0}
    misses: list[tuple[str, str, str | None]] = []
    for _, g in spans:
        text = g["actorText"].strip()
        entry = lookup(text)
        lex = entry.code if entry else None
        cand = ph.resolve(text)
        phx = cand.country if cand else None
        counts["lexicon_found"] += lex is not None
        counts["phoenix_found"] += phx is not None
        counts["lexicon"] += matches(g["code"], lex)
        counts["phoenix"] += matches(g["code"], phx)
        both = lex if lex is not None else phx
        counts["both"] += matches(g["code"], both)
        if not matches(g["code"], phx):
            misses.append((text, g["code"], phx))
    for _, g in spans:  # the longest known name inside the span ("Iraqi troops" → "Iraqi")
        text = g["actorText"].strip()
        lex_c = inside(text, lambda k: e.code if (e := lookup(k, fuzzy=False)) else None)
        phx_c = inside(text, lambda k: c.country if (c := ph.resolve(k)) else None)
        counts["inside_lexicon"] = counts.get("inside_lexicon", 0) + matches(g["code"], lex_c)
        counts["inside_phoenix"] = counts.get("inside_phoenix", 0) + matches(g["code"], phx_c)
        counts["inside_both"] = counts.get("inside_both", 0) + matches(g["code"], lex_c or phx_c)
    n = len(spans)
    return {
        "spans": n,
        **{k: f"{v}/{n} = {v / n:.3f}" for k, v in counts.items()},
    }


def inside(text: str, code_of) -> str | None:  # type: ignore[no-untyped-def]
    words = text.replace("'s", " 's").split()
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            code = code_of(" ".join(words[i : i + n]))
            if code is not None:
                return str(code)
    return None


def measure_coder() -> str:
    """The current ActorCoder on parsed gold sentences (tests/test_actors_gold.py's procedure)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from brinkwatch.coder.parse import load_nlp
    from test_actors_gold import _score

    nlp = load_nlp()
    path = SHARED / "gold" / "plover_gsr_dev.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = list(nlp.pipe([r["text"] for r in records]))
    total, correct, _, _, _ = _score(records, docs)
    return f"{correct}/{total} = {correct / total:.3f}"


def measure_cost(n_sentences: int) -> dict[str, object]:
    import subprocess

    import spacy

    from brinkwatch.coder.parse import load_nlp
    from brinkwatch.coder.phoenix import PhoenixRuler
    from brinkwatch.lexicon.phoenix import phoenix

    probe = (
        "import gc, time, sys; sys.path.insert(0, 'tools'); from measure_phoenix import rss_mb; "
        "import brinkwatch.lexicon.phoenix as m; gc.collect(); r0 = rss_mb(); t = time.perf_counter(); "
        "m.phoenix(); dt_ = time.perf_counter() - t; gc.collect(); print(round(dt_, 2), round(rss_mb() - r0, 1))"
    )
    got = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    load_s, load_mb = got.stdout.split()
    out: dict[str, object] = {"load_s": float(load_s), "load_rss_mb": float(load_mb)}
    ph = phoenix()
    lines = (SHARED / "training" / "factuality" / "uw_dev.jsonl").read_text(encoding="utf-8").splitlines()
    random.Random(12).shuffle(lines)
    texts = [json.loads(line)["text"] for line in lines[:n_sentences]]
    words = sum(len(t.split()) for t in texts)
    out["sentences"], out["words"] = len(texts), words
    nlp = load_nlp()
    list(nlp.pipe(texts[:20]))  # warm up
    before = rss_mb()
    t = time.perf_counter()
    ruler = PhoenixRuler(nlp, data=ph)
    out["ruler_build_s"] = round(time.perf_counter() - t, 2)
    out["ruler_rss_mb"] = round(rss_mb() - before, 1)

    def timed(fn) -> float:  # type: ignore[no-untyped-def]
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        return best

    base = timed(lambda: list(nlp.pipe(texts)))
    docs = list(nlp.pipe(texts))
    only_ruler = timed(lambda: [ruler(d) for d in docs])
    out["parse_ms_per_1000_words"] = round(base / words * 1e6, 1)
    out["ruler_ms_per_1000_words"] = round(only_ruler / words * 1e6, 2)
    out["overhead_share"] = f"{only_ruler / base:.3%}"
    # the same via spaCy's EntityRuler (token patterns), for comparison
    t = time.perf_counter()
    er_nlp = spacy.blank("en")
    er: Any = er_nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None, "overwrite_ents": False})
    er.add_patterns(ph.entity_ruler_patterns())
    out["entity_ruler_build_s"] = round(time.perf_counter() - t, 2)
    plain = [er_nlp.make_doc(tx) for tx in texts]
    er_time = timed(lambda: [er(er_nlp.make_doc(d.text)) for d in plain])
    out["entity_ruler_ms_per_1000_words"] = round(er_time / words * 1e6, 2)
    fresh = list(nlp.pipe(texts))
    out["entities_before"] = sum(len(d.ents) for d in fresh)
    out["project_ruler_entities"] = sum(1 for d in fresh for e in d.ents if e.ent_id_)
    found = sum(1 for d in fresh for e in ruler(d).ents if e.ent_id_.startswith("PHX|"))
    out["phoenix_entities_added"] = found
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=300)
    ap.add_argument("--skip-parse", action="store_true")
    args = ap.parse_args()
    result: dict[str, object] = {"gold": measure_gold()}
    if not args.skip_parse:
        result["coder"] = measure_coder()
        result["cost"] = measure_cost(args.sentences)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
