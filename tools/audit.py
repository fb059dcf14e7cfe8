"""Precision audit of the extractor on real newswire (measuring.md rule 4), kept re-scorable.

    python tools/audit.py extract --out /work/audit_runs/NAME.jsonl      # every uw_dev sentence → events
    python tools/audit.py sample  --run /work/audit_runs/NAME.jsonl      # the sampled keys
    python tools/audit.py sheet   --run /work/audit_runs/NAME.jsonl      # a judging sheet (text: terminal only)
    python tools/audit.py score   --run /work/audit_runs/NAME.jsonl      # proportions with 95 % Wilson intervals

Each sentence of the UW dev split (1998–2000 newswire, whitespace-tokenized) is extracted on its own, as one
text with published date 2000-01-01. The run file holds text and lives outside the repository; the verdicts
(``audit/uw_dev_verdicts.jsonl``) hold only event keys and judgments. An event key is
``sentence id|trigger offset|trigger length|type|actor codes|recipient codes|status`` (codes sorted, joined
with "+"): any change in what the extractor says about an event gives a new key that needs a new verdict.

The sample ranks every distinct key by sha256(seed:key) and keeps the N smallest: a uniform random sample for
the seed that, unlike shuffling a list, keeps an unchanged event in the sample when other events come or go,
so a re-run after a change needs verdicts for the new keys only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brinkwatch.core.ontology import PLOVER_TYPES, STATUSES
from brinkwatch.dev.newswire import wilson  # the one Wilson interval (95 %: z = Z95 here)

ROOT = Path(__file__).resolve().parents[1]
UW_DEV = Path("training", "factuality", "uw_dev.jsonl")
# ../shared beside the main checkout, or beside the worktrees' folder
DEFAULT_DATA = next((d / "shared" / UW_DEV for d in ROOT.parents if (d / "shared" / UW_DEV).exists()), UW_DEV)
DEFAULT_VERDICTS = ROOT / "audit" / "uw_dev_verdicts.jsonl"
DEFAULT_N = 200
DEFAULT_SEED = 20261207
PUBLISHED = "2000-01-01"
Z95 = 1.959963984540054


# ---------------------------------------------------------------- keys, sample, statistics


def event_key(sid: str, ev: dict[str, Any]) -> str:
    """The stable, text-free key of one extracted event (``ev``: the run file's event record)."""
    actors = "+".join(sorted(ev["actors"]))
    recipients = "+".join(sorted(ev["recipients"]))
    return f"{sid}|{ev['start']}|{ev['length']}|{ev['type']}|{actors}|{recipients}|{ev['status']}"


def sample_keys(keys: Iterable[str], n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> list[str]:
    """N distinct keys drawn uniformly for ``seed`` (ranked by a seeded hash), in key order."""
    distinct = sorted(set(keys))
    ranked = sorted(distinct, key=lambda k: hashlib.sha256(f"{seed}:{k}".encode()).hexdigest())
    return sorted(ranked[:n])


# ---------------------------------------------------------------- run files


@dataclass(frozen=True, slots=True)
class Run:
    meta: dict[str, Any]
    sentences: list[dict[str, Any]]  # {"id", "text", "events": [...]}

    def events(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for s in self.sentences:
            for ev in s["events"]:
                yield event_key(s["id"], ev), ev

    def by_key(self) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
        out: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        for s in self.sentences:
            for ev in s["events"]:
                out.setdefault(event_key(s["id"], ev), (s, ev))
        return out


def read_run(path: Path) -> Run:
    meta: dict[str, Any] = {}
    sentences: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if "meta" in rec:
                meta = rec["meta"]
            else:
                sentences.append(rec)
    return Run(meta, sentences)


def _party(p: Any) -> dict[str, str]:
    return {"code": p.code, "text": p.text}


def _git_head() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "src"], capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def extract(data: Path, out: Path) -> None:
    """Every sentence of ``data`` through the extractor, one text per sentence, into ``out``."""
    from brinkwatch.coder.extract import EXTRACTOR_VERSION, extract_text
    from brinkwatch.coder.parse import load_nlp
    from brinkwatch.core.settings import Settings

    settings = Settings.from_env()
    nlp = load_nlp(settings.spacy_model)
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "data": str(data),
        "commit": _git_head(),
        "extractor_version": EXTRACTOR_VERSION,
        "published": PUBLISHED,
        "unit": "one sentence per extraction call",
        "date": dt.date.today().isoformat(),
    }
    n_sent = n_ev = 0
    with data.open(encoding="utf-8") as f, out.open("w", encoding="utf-8") as w:
        w.write(json.dumps({"meta": meta}) + "\n")
        for line in f:
            rec = json.loads(line)
            text = " ".join(rec["text"].split())
            evs = extract_text(text, published=PUBLISHED, doc_id=rec["id"], nlp=nlp, settings=settings)
            events = [
                {
                    "start": e.trigger_start,
                    "length": e.trigger_end - e.trigger_start,
                    "trigger": e.trigger,
                    "type": e.event_type,
                    "mode": e.mode,
                    "actors": sorted(p.code for p in e.actors),
                    "recipients": sorted(p.code for p in e.recipients),
                    "actor_parties": [_party(p) for p in e.actors],
                    "recipient_parties": [_party(p) for p in e.recipients],
                    "status": e.status,
                    "factual": e.factual,
                    "factuality": e.factuality,
                    "confidence": e.confidence,
                    "parent": e.parent_event,
                    "event_id": e.event_id,
                }
                for e in evs
            ]
            w.write(json.dumps({"id": rec["id"], "text": text, "events": events}) + "\n")
            n_sent += 1
            n_ev += len(events)
    print(f"{n_sent} sentences, {n_ev} events → {out} (commit {meta['commit']})")


# ---------------------------------------------------------------- verdicts and score


def read_verdicts(path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if path.exists():
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    v = json.loads(line)
                    out[v["key"]] = v
    return out


@dataclass(frozen=True, slots=True)
class Proportion:
    label: str
    k: int
    n: int

    def line(self) -> str:
        lo, hi = wilson(self.k, self.n, Z95)
        p = self.k / self.n if self.n else float("nan")
        return f"{self.label:<58} {self.k:>4}/{self.n:<4} {p:5.2f}  [{lo:.2f}, {hi:.2f}]"


def proportions(judged: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[Proportion]:
    """The audit's proportions over (event, verdict) pairs."""
    real = [(e, v) for e, v in judged if v["event"]]
    typed = [(e, v) for e, v in real if v["type_ok"]]
    factual = [(e, v) for e, v in judged if e["status"] == "asserted"]
    return [
        Proportion("real event of the coded type", len(typed), len(judged)),
        Proportion("real event of any type", len(real), len(judged)),
        Proportion("no event at all", len(judged) - len(real), len(judged)),
        Proportion(
            "actor right | real event of the right type", sum(bool(v["actor_ok"]) for _, v in typed), len(typed)
        ),
        Proportion(
            "recipient right | real event of the right type", sum(bool(v["recipient_ok"]) for _, v in typed), len(typed)
        ),
        Proportion(
            "actor and recipient right | real event of the right type",
            sum(bool(v["actor_ok"] and v["recipient_ok"]) for _, v in typed),
            len(typed),
        ),
        Proportion(
            "type, actor and recipient right (of all sampled)",
            sum(bool(v["actor_ok"] and v["recipient_ok"]) for _, v in typed),
            len(judged),
        ),
        Proportion("status right | real event", sum(bool(v["status_ok"]) for _, v in real), len(real)),
        Proportion(
            "real asserted event | flagged factual",
            sum(bool(v["event"] and v["status_ok"]) for _, v in factual),
            len(factual),
        ),
    ]


def score(run: Run, verdicts: dict[str, dict[str, Any]], n: int, seed: int) -> tuple[list[str], list[str]]:
    """The report lines and the sampled keys that have no verdict yet."""
    table = run.by_key()
    keys = sample_keys(table, n, seed)
    judged = [(table[k][1], verdicts[k]) for k in keys if k in verdicts]
    missing = [k for k in keys if k not in verdicts]
    n_sent = len(run.sentences)
    n_events = sum(len(s["events"]) for s in run.sentences)
    with_event = sum(bool(s["events"]) for s in run.sentences)
    lo, hi = wilson(with_event, n_sent, Z95)
    lines = [
        f"run: {run.meta.get('commit', '?')} ({run.meta.get('date', '?')}), {n_sent} sentences, {n_events} events "
        f"({len(table)} distinct keys), {n_events / max(n_sent, 1):.2f} events per sentence, "
        f"sentences with ≥1 event {with_event}/{n_sent} = {with_event / max(n_sent, 1):.2f} [{lo:.2f}, {hi:.2f}]",
        f"sample: {len(keys)} keys (seed {seed}), judged {len(judged)}, without a verdict {len(missing)}",
        "",
        *(p.line() for p in proportions(judged)),
    ]
    kinds = Counter(v.get("kind") or "-" for _, v in judged if not (v["event"] and v["type_ok"]))
    if kinds:
        lines += ["", "not a real event of the coded type, by the judge's kind:"]
        lines += [f"  {c:>4}  {k}" for k, c in kinds.most_common()]
    partial = Counter(
        v.get("kind") or "-"
        for _, v in judged
        if v["event"] and v["type_ok"] and not (v["actor_ok"] and v["recipient_ok"] and v["status_ok"])
    )
    if partial:
        lines += ["", "real events of the coded type with a party or status wrong, by the judge's main kind:"]
        lines += [f"  {c:>4}  {k}" for k, c in partial.most_common()]
    by_type: dict[str, list[int]] = {}
    for e, v in judged:
        row = by_type.setdefault(e["type"], [0, 0])
        row[0] += 1
        row[1] += bool(v["event"] and v["type_ok"])
    lines += ["", "real event of the coded type, by coded type:"]
    lines += [f"  {t:<10} {k:>3}/{n:<3}" for t, (n, k) in sorted(by_type.items(), key=lambda kv: -kv[1][0])]
    return lines, missing


def parse_judgment(line: str, judge: str, date: str) -> dict[str, Any]:
    """One verdict from a judge's line ``key;event;type;actor;recipient;status;kind;note``: event T/F; type "ok"
    or the right type; actor and recipient 1/0; status "ok" or the right status (all but key and event empty
    when there is no event)."""
    fields = [f.strip() for f in line.split(";", 7)]
    if len(fields) != 8:
        raise ValueError(
            f"{len(fields)} fields, not 8 (key;event;type;actor;recipient;status;kind;note): {line[:80]!r}"
        )
    key, event, etype, actor, recipient, status, kind, note = fields
    if not key or event.upper() not in ("T", "F"):
        raise ValueError(f"not a key and T/F: {line[:80]!r}")
    real = event.upper() == "T"
    if real and not (
        (etype == "ok" or etype in PLOVER_TYPES)
        and actor in ("1", "0")
        and recipient in ("1", "0")
        and (status == "ok" or status in STATUSES)
    ):
        raise ValueError(
            f"type must be ok or a PLOVER type, actor and recipient 1 or 0, status ok or a status: {line[:80]!r}"
        )
    if not real and any((etype, actor, recipient, status)):
        raise ValueError(f"no event: type, actor, recipient and status stay empty: {line[:80]!r}")
    v: dict[str, Any] = {"key": key, "event": real}
    if real:
        v["type_ok"] = etype == "ok"
        if etype != "ok":
            v["gold_type"] = etype
        v["actor_ok"], v["recipient_ok"] = actor == "1", recipient == "1"
        v["status_ok"] = status == "ok"
        if status != "ok":
            v["gold_status"] = status
    else:
        v.update(type_ok=None, actor_ok=None, recipient_ok=None, status_ok=None)
    if kind:
        v["kind"] = kind
    v.update(note=note.strip("; "), judge=judge, date=date)
    return v


def record(lines: Iterable[str], path: Path, judge: str, date: str) -> int:
    """Merge judged lines into the verdicts file (a new verdict replaces one with the same key). Every line is
    checked before anything is written: one bad line (ValueError) leaves the file as it was."""
    verdicts = read_verdicts(path)
    judged = [parse_judgment(line, judge, date) for line in lines if line.strip() and not line.startswith("#")]
    n = 0
    for v in judged:
        verdicts[v["key"]] = v
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for k in sorted(verdicts):
            f.write(json.dumps(verdicts[k], ensure_ascii=False) + "\n")
    return n


def sheet(run: Run, keys: list[str]) -> Iterator[str]:
    table = run.by_key()
    for i, k in enumerate(keys, 1):
        s, ev = table[k]
        a, b = ev["start"], ev["start"] + ev["length"]
        text = s["text"]
        parties = [
            f"{role}: " + ("; ".join(f"{p['code']} «{p['text']}»" for p in ev[f"{role}_parties"]) or "—")
            for role in ("actor", "recipient")
        ]
        yield (
            f"#{i} {k}\n  {text[:a]}[[{text[a:b]}]]{text[b:]}\n  {ev['type']} mode={ev['mode']} status={ev['status']}"
            f" factuality={ev['factuality']} parent={'yes' if ev['parent'] else 'no'}\n  " + "\n  ".join(parties) + "\n"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("extract", help="run the extractor over every sentence")
    ex.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ex.add_argument("--out", type=Path, required=True)
    for name in ("sample", "sheet", "score"):
        p = sub.add_parser(name)
        p.add_argument("--run", type=Path, required=True)
        p.add_argument("-n", type=int, default=DEFAULT_N)
        p.add_argument("--seed", type=int, default=DEFAULT_SEED)
        p.add_argument("--verdicts", type=Path, default=DEFAULT_VERDICTS)
        if name == "sheet":
            p.add_argument("--missing", action="store_true", help="only keys without a verdict")
    rec = sub.add_parser("record", help="merge judged lines (key;event;type;actor;recipient;status;kind;note)")
    rec.add_argument("lines", type=Path)
    rec.add_argument("--verdicts", type=Path, default=DEFAULT_VERDICTS)
    rec.add_argument("--judge", required=True)
    rec.add_argument("--date", default=dt.date.today().isoformat())
    args = ap.parse_args(argv)
    if args.cmd == "record":
        try:
            n = record(args.lines.read_text(encoding="utf-8").splitlines(), args.verdicts, args.judge, args.date)
        except ValueError as exc:
            print(f"audit.py record: {exc}; nothing recorded", file=sys.stderr)
            return 2
        print(f"{n} verdicts recorded in {args.verdicts}")
        return 0
    if args.cmd == "extract":
        extract(args.data, args.out)
        return 0
    run = read_run(args.run)
    keys = sample_keys(run.by_key(), args.n, args.seed)
    if args.cmd == "sample":
        print("\n".join(keys))
    elif args.cmd == "sheet":
        if args.missing:
            have = read_verdicts(args.verdicts)
            keys = [k for k in keys if k not in have]
        print("\n".join(sheet(run, keys)))
    else:
        lines, missing = score(run, read_verdicts(args.verdicts), args.n, args.seed)
        print("\n".join(lines))
        if missing:
            print(f"\n{len(missing)} sampled keys without a verdict:")
            print("\n".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
