"""``make bench-serve``: the server under load — 16 readers on the API mix and one writer, for 30 seconds.

The store (~250 articles of synthetic news, ingested through the real pipeline) is built once and copied for
each run. The server is ``brinkwatch serve`` in its own process (as users run it), with a bearer token so the
writer can POST. The load runs in this process: 16 threads read in a closed loop (each waits for its answer,
then asks the next URL of the mix), one thread POSTs distinct articles one after the other. At the end every
posted article must be stored exactly once (counted in the store by its ``doc_id``).

Printed (and written as JSON): requests, errors (any status but the one expected, or no answer), read
throughput and p50/p95/p99, POST p50/p95/max, the server's memory before and after.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brinkwatch.dev import synth

TOKEN = "bench-serve-token"
READERS = 16
SECONDS = 30.0
ARTICLES = 250
POST_PREFIX = "bench-post"


def percentile(samples: Sequence[float], q: float) -> float:
    s = sorted(samples)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def pool_of(gold_dir: Path | None) -> tuple[list[str], str]:
    """Real sentences from gold JSONL files if given, else template sentences (no ../shared needed)."""
    if gold_dir is not None and gold_dir.is_dir():
        pool = synth.sentence_pool(sorted(gold_dir.glob("*.jsonl")))
        if pool:
            return pool, f"{len(pool)} sentences of {gold_dir}"
    return synth.template_sentences(400, seed=3), "400 template sentences"


def build_store(db: Path, pool: list[str], n: int) -> dict[str, Any]:
    """Ingest ``n`` synthetic articles into ``db`` through ``brinkwatch ingest`` (the real pipeline)."""
    corpus = db.with_suffix(".jsonl")
    arts = synth.corpus(pool, target_words=10**9, sentences_per_article=(10, 20), seed=5, prefix="bench-store")
    synth.write_jsonl((a for _, a in zip(range(n), arts, strict=False)), corpus)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "brinkwatch", "ingest", str(corpus), "--db", str(db)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return {"articles": n, "seconds": round(time.perf_counter() - t0, 1)}


def post_bodies(pool: list[str], n: int, prefix: str = POST_PREFIX, seed: int = 9) -> list[bytes]:
    """``n`` distinct articles for the writer (JSON records with their own ``id``)."""
    arts = synth.corpus(pool, target_words=10**9, sentences_per_article=(10, 20), seed=seed, prefix=prefix)
    out = []
    for _, a in zip(range(n), arts, strict=False):
        rec = {"id": a.doc_id, "title": a.title, "text": a.text, "published": a.published, "source": a.source}
        out.append(json.dumps(rec).encode())
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> dict[str, float]:
    """The process's resident memory now and at its peak (MB), from /proc (Linux)."""
    out: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return {"rss_mb": out.get("VmRSS", float("nan")), "peak_mb": out.get("VmHWM", float("nan"))}


def tree_rss_mb(pid: int) -> float:
    """Resident memory of the process and its children (the writer), MB."""
    try:
        import psutil

        p = psutil.Process(pid)
        return round(sum(x.memory_info().rss for x in [p, *p.children(recursive=True)]) / 2**20, 1)
    except Exception:
        return float("nan")


@contextmanager
def server(db: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "BRINKWATCH_TOKEN": TOKEN}
    cmd = [sys.executable, "-m", "brinkwatch", "serve", "--db", str(db), "--port", str(port), "--no-open"]
    log = db.with_suffix(".server.log")
    with open(log, "wb") as err_fh:  # a file, not a pipe: a pipe nobody reads would block the server
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err_fh)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                err = log.read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"server exited {proc.returncode}: {err[-800:]}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/api/stats")
                if c.getresponse().status == 200:
                    c.close()
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not come up in 120 s")
            time.sleep(0.3)
        yield proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _get_json(port: int, path: str) -> Any:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return json.loads(r.read())
    finally:
        c.close()


def _post(port: int, body: bytes) -> int:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        c.request("POST", "/api/articles", body=body, headers=_POST_HEADERS)
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


_POST_HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def read_mix(port: int, seed: int = 1) -> list[str]:
    """The URLs readers cycle through: every read endpoint, with ids, dyads and words the store holds."""
    arts = _get_json(port, "/api/articles?limit=100")["items"]
    incs = _get_json(port, "/api/incidents?limit=100")["items"]
    esc = _get_json(port, "/api/escalation")["items"]
    dyads = sorted({str(r["dyad"]) for r in esc if isinstance(r.get("dyad"), str) and ":" in r["dyad"]})[:8]
    dyads = dyads or ["RUS:UKR"]
    rng = random.Random(seed)
    urls = [
        "/api/stats",
        "/api/articles?limit=20",
        "/api/articles?q=troops&limit=20",
        "/api/events?limit=50",
        "/api/events?status=alleged",
        "/api/events?q=drone",
        "/api/incidents",
        "/api/claims",
        "/api/escalation",
        "/api/alerts",
        "/api/stories",
        "/api/spirals",
    ]
    for _ in range(12):
        if arts:
            urls.append(f"/api/articles/{rng.choice(arts)['id']}")
        if incs:
            urls.append(f"/api/incidents/{rng.choice(incs)['id']}")
        d = rng.choice(dyads)
        a, b = d.split(":", 1)
        urls.append(f"/api/events?dyad={urllib.parse.quote(d)}&limit=50")
        urls.append(f"/api/dyads/{a}/{b}/series")
        urls.append(f"/api/escalation?dyad={urllib.parse.quote(d)}")
    rng.shuffle(urls)
    return urls


@dataclass
class Load:
    reads: list[tuple[float, float, str]] = field(default_factory=list)  # (start offset s, latency s, url)
    posts: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    posted: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _reader(port: int, urls: list[str], offset: int, stop: float, t0: float, load: Load) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    i = offset
    while time.monotonic() < stop:
        url = urls[i % len(urls)]
        i += 1
        start = time.monotonic()
        try:
            conn.request("GET", url)
            r = conn.getresponse()
            r.read()
            ok = r.status == 200
            status = str(r.status)
        except (OSError, http.client.HTTPException) as exc:
            ok, status = False, type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        took = time.monotonic() - start
        with load.lock:
            load.reads.append((start - t0, took, url))
            if not ok:
                load.errors.append(f"GET {url}: {status}")
    conn.close()


def _writer(port: int, bodies: list[bytes], stop: float, load: Load) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = _POST_HEADERS
    for body in bodies:
        if time.monotonic() >= stop:
            break
        doc_id = json.loads(body)["id"]
        start = time.monotonic()
        try:
            conn.request("POST", "/api/articles", body=body, headers=headers)
            r = conn.getresponse()
            text = r.read()
            ok, status = r.status == 201, f"{r.status} {text[:200]!r}"
        except (OSError, http.client.HTTPException) as exc:
            ok, status = False, type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        with load.lock:
            load.posts.append(time.monotonic() - start)
            load.posted.append(doc_id)
            if not ok:
                load.errors.append(f"POST {doc_id}: {status}")
    conn.close()


def stored_once(db: Path, doc_ids: list[str]) -> dict[str, int]:
    """How many of the posted doc_ids the store holds once, not at all, or more than once."""
    import sqlalchemy as sa

    from brinkwatch.store import schema as S
    from brinkwatch.store.db import make_engine

    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            a = S.articles
            rows = conn.execute(
                sa.select(a.c.doc_id, sa.func.count()).where(a.c.doc_id.like(POST_PREFIX + "%")).group_by(a.c.doc_id)
            ).all()
    finally:
        engine.dispose()
    counts = {str(d): int(n) for d, n in rows}
    return {
        "posted": len(doc_ids),
        "once": sum(1 for d in doc_ids if counts.get(d) == 1),
        "missing": sum(1 for d in doc_ids if d not in counts),
        "more_than_once": sum(1 for n in counts.values() if n > 1),
    }


def run(
    *,
    work: Path,
    readers: int = READERS,
    seconds: float = SECONDS,
    articles: int = ARTICLES,
    gold_dir: Path | None = None,
    say: Any = print,
) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    pool, pool_label = pool_of(gold_dir)
    base = work / f"store-{articles}.db"
    built: dict[str, Any] = {"articles": articles, "cached": True}
    if not base.exists():
        say(f"building the store: {articles} articles through brinkwatch ingest …")
        tmp = work / "building.db"
        for p in work.glob("building.db*"):
            p.unlink()
        built = build_store(tmp, pool, articles)
        tmp.rename(base)
    db = work / "run.db"
    for p in work.glob("run.db*"):
        p.unlink()
    shutil.copyfile(base, db)
    port = free_port()
    bodies = post_bodies(pool, 400)
    load = Load()
    with server(db, port) as proc:
        urls = read_mix(port)
        for u in urls:  # warm: every analytics value computed once before the clock starts
            _get_json(port, u)
        warm = post_bodies(pool, 1, prefix="bench-warm", seed=99)[0]  # the writer has loaded its parser
        _post(port, warm)
        mem_before = rss_mb(proc.pid)
        tree_before = tree_rss_mb(proc.pid)
        say(f"load: {readers} readers + 1 writer for {seconds:.0f} s on {len(urls)} URLs …")
        t0 = time.monotonic()
        stop = t0 + seconds
        threads = [
            threading.Thread(target=_reader, args=(port, urls, i * 7, stop, t0, load), daemon=True)
            for i in range(readers)
        ]
        threads.append(threading.Thread(target=_writer, args=(port, bodies, stop, load), daemon=True))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        mem_after = rss_mb(proc.pid)
        tree_after = tree_rss_mb(proc.pid)
    reads = [x[1] for x in load.reads]
    by_kind: dict[str, list[float]] = {}
    for _s, took, url in load.reads:
        kind = url.split("?")[0]
        kind = "/".join("{id}" if part.isdigit() else part for part in kind.split("/"))
        if kind.startswith("/api/dyads/"):
            kind = "/api/dyads/{a}/{b}/series"
        by_kind.setdefault(kind, []).append(took)
    once = stored_once(db, load.posted)

    def ms(x: float) -> float:
        return round(x * 1000, 1)

    return {
        "store": {**built, "sentences": pool_label},
        "readers": readers,
        "seconds": round(elapsed, 1),
        "requests": len(reads) + len(load.posts),
        "errors": len(load.errors),
        "error_samples": load.errors[:10],
        "reads": {
            "n": len(reads),
            "per_second": round(len(reads) / elapsed, 1),
            "p50_ms": ms(percentile(reads, 0.5)),
            "p95_ms": ms(percentile(reads, 0.95)),
            "p99_ms": ms(percentile(reads, 0.99)),
            "max_ms": ms(max(reads, default=float("nan"))),
        },
        "reads_by_kind_p95_ms": {k: ms(percentile(v, 0.95)) for k, v in sorted(by_kind.items())},
        "posts": {
            "n": len(load.posts),
            "p50_ms": ms(percentile(load.posts, 0.5)),
            "p95_ms": ms(percentile(load.posts, 0.95)),
            "max_ms": ms(max(load.posts, default=float("nan"))),
        },
        "stored": once,
        "server_memory_mb": {
            "before": mem_before,
            "after": mem_after,
            "with_children_before": tree_before,
            "with_children_after": tree_after,
        },
        "cores": os.cpu_count(),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }


def summary(r: dict[str, Any]) -> str:
    rd, po, st = r["reads"], r["posts"], r["stored"]
    mem = r["server_memory_mb"]
    return "\n".join(
        [
            f"bench-serve: {r['readers']} readers + 1 writer, {r['seconds']} s, store of {r['store']['articles']} "
            f"articles ({r['store']['sentences']})",
            f"  requests {r['requests']}, errors {r['errors']}",
            f"  reads  {rd['n']} ({rd['per_second']}/s)  p50 {rd['p50_ms']} ms  p95 {rd['p95_ms']} ms  "
            f"p99 {rd['p99_ms']} ms  max {rd['max_ms']} ms",
            f"  POSTs  {po['n']}  p50 {po['p50_ms']} ms  p95 {po['p95_ms']} ms  max {po['max_ms']} ms",
            f"  stored once {st['once']}/{st['posted']} (missing {st['missing']}, more than once "
            f"{st['more_than_once']})",
            f"  server RSS {mem['before']['rss_mb']} → {mem['after']['rss_mb']} MB (peak {mem['after']['peak_mb']}); "
            f"with the writer {mem['with_children_before']} → {mem['with_children_after']} MB",
            f"  (cores {r['cores']}, load average {r['load_avg']})",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m brinkwatch.dev.bench_serve", description=__doc__)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "brinkwatch-bench-serve")
    ap.add_argument("--readers", type=int, default=READERS)
    ap.add_argument("--seconds", type=float, default=SECONDS)
    ap.add_argument("--articles", type=int, default=ARTICLES)
    ap.add_argument("--gold", type=Path, default=None, help="gold JSONL directory for real sentences")
    ap.add_argument("--out", type=Path, default=None, help="write the results here as JSON")
    args = ap.parse_args(argv)
    if min(args.readers, args.articles) < 1 or args.seconds <= 0:
        print("bench-serve: --readers, --articles and --seconds must be positive", file=sys.stderr)
        return 2
    r = run(work=args.work, readers=args.readers, seconds=args.seconds, articles=args.articles, gold_dir=args.gold)
    print(summary(r))
    print(json.dumps({k: v for k, v in r.items() if k != "error_samples"}))
    if r["error_samples"]:
        print("errors, first ones:", *r["error_samples"], sep="\n  ", file=sys.stderr)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
