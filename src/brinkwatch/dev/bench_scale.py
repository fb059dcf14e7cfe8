"""Scale checks of ``brinkwatch bench --stream-articles N --resume-articles M`` (``make bench-scale``).

f. **stream memory** — ``brinkwatch ingest`` (the CLI, local engine) on N short generated articles as one
   process tree, sampled twice a second: peak memory (summed PSS of the writer and its workers, shared
   pages counted once, as in stage d) and the memory at each tenth of the stream, so anything that
   accumulates per article shows as a rising curve.
g. **resume** — ``brinkwatch ingest`` on M articles killed with SIGKILL (the whole process group) once
   half of them are stored, then run again to completion, and compared with a clean run of the same
   corpus: ``stats``, every article row, every event and the incidents (as sets of event ids under their
   keys) must be equal.

Articles are 2–4 sentences drawn from the same real-sentence pool as the other stages, each under its own
dateline, so the count of articles (what per-article state would grow with) is high for the words parsed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from brinkwatch.dev import synth

Progress = Callable[[str], None]
SAMPLE_SECONDS = 0.5
COUNT_SECONDS = 2.0  # how often the stored-article count is read while streaming (a read-only connection)


def short_corpus(pool: Sequence[str], n: int, path: Path, *, seed: int = 11, prefix: str = "stream") -> dict[str, int]:
    """Write ``n`` short articles (2–4 pool sentences each) as JSONL; their count and words."""
    gen = synth.corpus(pool, target_words=10**15, sentences_per_article=(2, 4), seed=seed, prefix=prefix)
    return synth.write_jsonl(islice(gen, n), path)


def stored_articles(db: Path) -> int | None:
    """Articles stored so far (a read-only look at a store another process is writing), None if unreadable."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:  # not created yet, or busy
        return None
    finally:
        conn.close()


def watch(cmd: list[str], db: Path, *, kill_at: int | None = None, timeout: float = 4 * 3600) -> dict[str, Any]:
    """Run ``cmd`` in its own process group; sample its tree's memory and the articles stored in ``db``.

    With ``kill_at``, the whole group is killed with SIGKILL as soon as that many articles are stored.
    """
    import psutil

    from brinkwatch.dev.memory import tree_memory

    samples: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    killed = False
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, start_new_session=True)
        root = psutil.Process(proc.pid)
        stored: int | None = 0
        last_count = 0.0
        while proc.poll() is None:
            now = time.perf_counter() - t0
            rss, pss = tree_memory(root)
            if kill_at is not None or now - last_count >= COUNT_SECONDS:
                stored, last_count = stored_articles(db) or stored, now
            samples.append({"s": round(now, 1), "stored": stored, "pss": pss, "rss": rss})
            if kill_at is not None and (stored or 0) >= kill_at:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
                break
            if now > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(SAMPLE_SECONDS)
        proc.wait()
        seconds = time.perf_counter() - t0
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return {
        "seconds": seconds,
        "returncode": proc.returncode,
        "killed": killed,
        "samples": samples,
        "stderr": stderr[-2000:],
    }


def _ingest(corpus: Path, db: Path, python: str) -> list[str]:
    return [python, "-m", "brinkwatch", "ingest", str(corpus), "--db", str(db)]


def memory_curve(samples: list[dict[str, Any]], total: int, parts: int = 10) -> list[dict[str, Any]]:
    """Per tenth of the stream: the peak PSS reached until then and when it was reached (seconds), so
    both memory and speed over the stream show."""
    out = []
    for k in range(1, parts + 1):
        upto = total * k // parts
        seen = [x for x in samples if (x["stored"] or 0) <= upto]
        if seen:
            reached = next((x["s"] for x in samples if (x["stored"] or 0) >= upto), None)
            out.append({"stored": upto, "peak_pss_bytes": max(x["pss"] for x in seen), "seconds": reached})
    return out


def bench_stream_memory(pool: Sequence[str], n: int, work: Path, python: str, say: Progress) -> dict[str, Any]:
    corpus, db = work / "stream.jsonl", work / "stream.db"
    info = short_corpus(pool, n, corpus)
    say(f"    {info['articles']:,} articles, {info['words']:,} words; ingesting …")
    run = watch(_ingest(corpus, db, python), db)
    if run["returncode"] not in (0, 2):
        raise RuntimeError(f"stream ingest failed (exit {run['returncode']}): {run['stderr'][-800:]}")
    from brinkwatch.store.writer import Store

    with Store(db) as store:
        stats = store.stats()
    samples = run["samples"]
    curve = memory_curve(samples, info["articles"])
    peak = max((x["pss"] for x in samples), default=0)
    early = curve[1]["peak_pss_bytes"] if len(curve) > 1 else peak
    return {
        "how": "brinkwatch ingest (CLI, local engine) on short articles; tree PSS sampled every 0.5 s",
        **info,
        "seconds": round(run["seconds"], 1),
        "articles_per_s": round(info["articles"] / run["seconds"], 1),
        "words_per_s": round(info["words"] / run["seconds"], 1),
        "peak_rss_bytes": peak,
        "peak_rss_sum_bytes": max((x["rss"] for x in samples), default=0),
        "growth_after_first_fifth_bytes": peak - early,
        "curve": curve,
        "store": stats,
        "stored_all": stats["articles"] == info["articles"],
    }


def _fingerprint(db: Path) -> dict[str, Any]:
    """What a resumed ingest must reproduce: stats, article rows, events, incidents by key."""
    from brinkwatch.store.writer import Store

    with Store(db) as store:
        stats = store.stats()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        articles = conn.execute(
            "SELECT a.doc_id, a.text_hash, a.status, a.reason, a.n_events, a.extractor_version, o.doc_id "
            "FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of ORDER BY a.doc_id"
        ).fetchall()
        events = conn.execute(
            "SELECT event_id, event_type, status, actor, recipient, date, factual FROM events ORDER BY event_id"
        ).fetchall()
        incidents: dict[str, list[str]] = {}
        for key, eid in conn.execute(
            "SELECT i.key, e.event_id FROM events e JOIN incidents i ON i.id = e.incident_id ORDER BY e.event_id"
        ):
            incidents.setdefault(str(key), []).append(str(eid))
    finally:
        conn.close()
    return {"stats": stats, "articles": articles, "events": events, "incidents": incidents}


def bench_resume(pool: Sequence[str], n: int, work: Path, python: str, say: Progress) -> dict[str, Any]:
    corpus = work / "resume.jsonl"
    info = short_corpus(pool, n, corpus, seed=13, prefix="resume")
    cut, clean = work / "resume-cut.db", work / "resume-clean.db"
    say(f"    {info['articles']:,} articles: killing ingest with SIGKILL at {n // 2:,} stored …")
    first = watch(_ingest(corpus, cut, python), cut, kill_at=n // 2)
    at_kill = stored_articles(cut)
    say(f"    killed: {first['killed']} with {at_kill} stored; resuming …")
    second = watch(_ingest(corpus, cut, python), cut)
    say("    a clean run of the same corpus …")
    ref = watch(_ingest(corpus, clean, python), clean)
    for what, run in (("resumed ingest", second), ("clean ingest", ref)):
        if run["returncode"] not in (0, 2):
            raise RuntimeError(f"{what} failed (exit {run['returncode']}): {run['stderr'][-800:]}")
    a, b = _fingerprint(cut), _fingerprint(clean)
    equal = {k: a[k] == b[k] for k in ("stats", "articles", "events", "incidents")}
    return {
        "how": "ingest killed (SIGKILL to its process group) half-way, run again, compared with a clean run",
        **info,
        "killed": first["killed"],
        "stored_when_killed": at_kill,
        "seconds_until_kill": round(first["seconds"], 1),
        "seconds_resumed": round(second["seconds"], 1),
        "seconds_clean": round(ref["seconds"], 1),
        "equal": equal,
        "identical": all(equal.values()),
        "stats": b["stats"],
    }
