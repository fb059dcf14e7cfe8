"""The benchmark behind ``brinkwatch bench`` / ``make bench``: how close ingest comes to the bare parser.

One run, on the same texts:

a. **ceiling** — a fresh process doing ``spacy.load(model)`` + ``nlp.pipe`` over the corpus with
   ``n_process`` 1 and 2 (model load and interpreter start included); the faster one counts.
b. **ingest** — ``brinkwatch ingest`` end to end into a fresh SQLite store, as a whole process (its own
   worker processes included): words/s, articles/s and the ratio to the ceiling.
b4. **breakdown** — one more ingest (a library call with ``timings``): seconds per stage of the writer
   process (engine start, plan, waiting for the parsers, write, incidents refresh) and their shares.
c. **extraction overhead** — one process: ``nlp.pipe`` alone vs ``nlp.pipe`` + ``extract_doc``.
d. **peak memory** of the ingest process tree (psutil, children included): the summed PSS (shared pages
   of forked workers counted once), with the naive RSS sum beside it.
e. **query latency** p50/p95 on a generated store of N events (:func:`synth.populate_store`): dyad series,
   escalation, claims and event search (text and actor filters).
f, g. on request (``--stream-articles``, ``--resume-articles``; ``make bench-scale``): memory while streaming
   100,000 articles, and a 10,000-article ingest killed half-way and resumed (see :mod:`bench_scale`).

Timings are wall-clock on whatever machine runs it: on a shared machine they are noisy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from brinkwatch.coder.parse import DEFAULT_MODEL
from brinkwatch.dev import synth
from brinkwatch.dev.bench_queries import (
    QUERY_KINDS,
    percentiles,
    query_suite,
    refresh_analytics,
    search_term,
    time_query,
)
from brinkwatch.dev.memory import tree_memory

__all__ = ["BenchConfig", "measure", "percentiles", "run_bench", "summary_line", "write_results"]

Progress = Callable[[str], None]


@dataclass(kw_only=True)
class BenchConfig:
    words: int = 150_000  # corpus size for (a)–(d)
    overhead_words: int = 60_000  # the part of the corpus used for (c) (single process, two passes)
    events: int = 1_000_000  # events in the generated query store (e)
    repeats: int = 40  # timed runs per query kind
    rounds: int = 2  # interleaved ceiling / ingest rounds (the best of each counts: the machine may be shared)
    refresh_events: int = 2_000  # a new ingest round on top of the store, for the incremental refresh time
    query_budget_s: float = 90.0  # per query kind (warm-ups included); a kind that overruns is reported
    model: str = DEFAULT_MODEL
    gold_dir: Path | None = None  # real sentences (JSONL with a "text" field); templates when absent
    text_files: list[Path] = field(default_factory=list)  # plain-text articles added to the pool
    out_dir: Path = Path("bench-results")
    work_dir: Path | None = None  # temp dir when None (removed afterwards)
    store_db: str | None = None  # where to generate the query store (a fresh temp SQLite by default)
    skip_ingest: bool = False
    skip_queries: bool = False
    dask: bool = True  # also measure ``ingest --engine dask``
    stream_articles: int = 0  # (f) stream this many short articles through ingest, memory sampled (0: skip)
    resume_articles: int = 0  # (g) kill an ingest of this many articles half-way, resume, compare (0: skip)
    breakdown: bool = True  # one more ingest (library call) reporting where its main process spends time
    quick: bool = False
    seed: int = 7

    @classmethod
    def quick_config(cls, **kw: Any) -> BenchConfig:
        base: dict[str, Any] = {
            "words": 6_000,
            "overhead_words": 3_000,
            "events": 20_000,
            "repeats": 10,
            "refresh_events": 500,
            "dask": False,
            "breakdown": False,
            "rounds": 1,
        }
        base.update(kw)
        return cls(quick=True, **base)


# ------------------------------------------------------------------------------------------ helpers


def measure(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 3600) -> dict[str, Any]:
    """Run ``cmd``; wall seconds, peak memory of its whole process tree, exit code, output tails.

    ``peak_rss_bytes`` is the peak of the tree's summed PSS (proportional set size: pages shared between
    forked workers counted once, what the tree really occupies); ``peak_rss_sum_bytes`` the naive RSS sum.
    """
    import psutil

    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        peak_rss = peak_pss = 0
        try:
            root = psutil.Process(proc.pid)
            while proc.poll() is None:
                rss, pss = tree_memory(root)
                peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
                if time.perf_counter() - t0 > timeout:
                    proc.kill()
                    break
                time.sleep(0.1)
        except psutil.Error:
            pass
        finally:
            proc.wait()
        seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return {
        "seconds": seconds,
        "peak_rss_bytes": peak_pss,
        "peak_rss_sum_bytes": peak_rss,
        "returncode": proc.returncode,
        "stdout": stdout[-4000:],
        "stderr": stderr[-4000:],
    }


def _pool(cfg: BenchConfig) -> tuple[list[str], str]:
    if cfg.gold_dir and Path(cfg.gold_dir).is_dir():
        pool = synth.sentence_pool(sorted(Path(cfg.gold_dir).glob("*.jsonl")), cfg.text_files)
        if pool:
            return pool, f"{len(pool)} real sentences from {cfg.gold_dir}"
    return synth.template_sentences(400, seed=cfg.seed), "400 template sentences (no gold dir)"


def _python() -> str:
    return sys.executable


def _module_cmd(*args: str) -> list[str]:
    return [_python(), "-m", "brinkwatch.dev.bench", *args]


def _check(run: dict[str, Any], what: str) -> None:
    if run["returncode"] != 0:
        raise RuntimeError(f"{what} failed (exit {run['returncode']}): {run['stderr'].strip()[-800:]}")


def _last_json(stdout: str) -> dict[str, Any]:
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return dict(json.loads(line))
            except json.JSONDecodeError:
                continue
    return {}


# ------------------------------------------------------------------------------------------ stages


def ceiling_run(corpus: Path, words: int, model: str, n_process: int) -> dict[str, Any]:
    run = measure(_module_cmd("_ceiling", str(corpus), model, str(n_process)))
    _check(run, f"spaCy ceiling (n_process={n_process})")
    inner = _last_json(run["stdout"])
    return {
        "n_process": n_process,
        "seconds": round(run["seconds"], 2),
        "words_per_s": round(words / run["seconds"], 1),
        "load_seconds": inner.get("load_seconds"),
        "pipe_seconds": inner.get("pipe_seconds"),
        "peak_rss_bytes": run["peak_rss_bytes"],
    }


def bench_ceiling_and_ingest(
    corpus: Path, words: int, articles: int, work: Path, model: str, rounds: int, say: Progress
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Ceiling (n_process 1 once, 2 every round) interleaved with ingest runs; the best of each counts.

    On a shared machine the load drifts: interleaving and taking each side's best run (the least
    disturbed) keeps the ratio honest; the per-round ratios are kept too.
    """
    c_runs: list[dict[str, Any]] = []
    i_runs: list[dict[str, Any]] = []
    for r in range(max(1, rounds)):
        if r == 0:
            c_runs.append(ceiling_run(corpus, words, model, 1))
            say(f"    ceiling n_process=1: {c_runs[-1]['words_per_s']:,.0f} w/s")
        c_runs.append(ceiling_run(corpus, words, model, 2))
        say(f"    ceiling n_process=2: {c_runs[-1]['words_per_s']:,.0f} w/s")
        i_runs.append(bench_ingest(corpus, words, articles, work / f"ingest-{r}.db", c_runs[-1]["words_per_s"]))
        say(f"    ingest: {i_runs[-1]['words_per_s']:,.0f} w/s ({i_runs[-1]['how']})")
    best_c = max(c_runs, key=lambda x: x["words_per_s"])
    best_i = max(i_runs, key=lambda x: x["words_per_s"])
    ceiling = {
        "model": model,
        "runs": {
            str(n): max((x for x in c_runs if x["n_process"] == n), key=lambda x: x["words_per_s"]) for n in (1, 2)
        },
        "all_runs": c_runs,
        "best_n_process": best_c["n_process"],
        "words_per_s": best_c["words_per_s"],
    }
    ingest = dict(best_i)
    ingest["ratio_to_ceiling"] = round(best_i["words_per_s"] / best_c["words_per_s"], 3)
    ingest["ratios_per_round"] = [x["ratio_to_ceiling"] for x in i_runs]  # vs that round's n_process=2 run
    ingest["all_runs"] = [{k: x[k] for k in ("seconds", "words_per_s", "peak_rss_bytes")} for x in i_runs]
    ingest["peak_rss_bytes"] = max(x["peak_rss_bytes"] for x in i_runs)
    ingest["peak_rss_sum_bytes"] = max(x["peak_rss_sum_bytes"] for x in i_runs)
    return ceiling, ingest


def _ingest_cmd(corpus: Path, db: Path, engine: str = "local") -> tuple[list[str], str]:
    """The real CLI, as a user runs it."""
    cmd = [_python(), "-m", "brinkwatch", "ingest", str(corpus), "--db", str(db)]
    if engine != "local":
        cmd += ["--engine", engine]
    return cmd, f"brinkwatch ingest --engine {engine} (CLI)"


def bench_breakdown(corpus: Path, db: Path) -> dict[str, Any]:
    """``pipeline.ingest(timings=…)`` in a child: seconds per stage of the writer process and their shares."""
    run = measure(_module_cmd("_breakdown", str(corpus), str(db)))
    _check(run, "ingest breakdown")
    # shares are computed from the rounded seconds the JSON shows, so the two always agree
    secs = {k: round(v, 2) for k, v in _last_json(run["stdout"]).items()}
    total = secs.get("total") or 0.0
    return {
        "how": "pipeline.ingest(timings=...) in a child process (library call, local engine)",
        "seconds": secs,
        "share": {k: round(v / total, 3) for k, v in secs.items() if k != "total" and total},
        "process_seconds": round(run["seconds"], 2),
    }


def _throughput(run: dict[str, Any], words: int, articles: int, ceiling_wps: float) -> dict[str, Any]:
    """Seconds, words and articles per second, the ratio to the extraction ceiling and peak memory of a run."""
    wps = words / run["seconds"]
    return {
        "seconds": round(run["seconds"], 2),
        "words_per_s": round(wps, 1),
        "articles_per_s": round(articles / run["seconds"], 2),
        "ratio_to_ceiling": round(wps / ceiling_wps, 3) if ceiling_wps else None,
        "peak_rss_bytes": run["peak_rss_bytes"],
        "peak_rss_sum_bytes": run["peak_rss_sum_bytes"],
    }


def bench_ingest(
    corpus: Path, words: int, articles: int, db: Path, ceiling_wps: float, engine: str = "local"
) -> dict[str, Any]:
    cmd, how = _ingest_cmd(corpus, db, engine)
    run = measure(cmd)
    if run["returncode"] not in (0, 2):
        _check(run, "ingest")
    from brinkwatch.store.writer import Store

    with Store(db) as store:
        stats = store.stats()
    return {
        "how": how,
        "command": " ".join(cmd[1:]),
        "returncode": run["returncode"],
        **_throughput(run, words, articles, ceiling_wps),
        "store": stats,
        "stored_all": stats.get("articles") == articles,
    }


def bench_overhead(corpus: Path, model: str) -> dict[str, Any]:
    run = measure(_module_cmd("_overhead", str(corpus), model))
    _check(run, "extraction overhead")
    inner = _last_json(run["stdout"])
    inner["ratio"] = round(inner["pipe_extract_seconds"] / inner["pipe_seconds"], 3)
    inner["extract_share"] = round(inner["ratio"] - 1, 3)
    return inner


def bench_queries(cfg: BenchConfig, pool: list[str], db: str, progress: Progress) -> dict[str, Any]:
    import datetime as _dt

    from brinkwatch.store.writer import Store

    with Store(db) as store:
        progress(f"generating a store of {cfg.events:,} events …")
        gen = synth.populate_store(store.engine, cfg.events, pool=pool, seed=cfg.seed, start=_dt.date(2023, 1, 1))
        progress(f"  {gen['events']:,} events in {gen['seconds']:.1f} s; an incremental round + analytics refresh …")
        # one more ingest round (new events, no incidents yet) at the end of the stream, then the real refresh
        fresh = synth.populate_store(
            store.engine, cfg.refresh_events, pool=pool, seed=cfg.seed + 1, incidents=False,
            start=_dt.date(2023, 1, 1) + _dt.timedelta(days=995), days=5,
        )  # fmt: skip
        refresh = refresh_analytics(store)
        refresh["new_events"] = fresh["events"]
        stats = store.stats()
    term = search_term(pool)
    progress(f"  timing queries ({cfg.repeats} calls each, search term {term!r}) …")
    if cfg.quick:  # small store: in this process (saves a process start per kind)
        with Store(db) as store:
            timed = {kind: time_query(store, kind, repeats=cfg.repeats, term=term) for kind in QUERY_KINDS}
    else:
        timed = time_queries(db, repeats=cfg.repeats, term=term, budget_s=cfg.query_budget_s)
    return {"store": store_label(db), "generated": gen, "refresh": refresh, "stats": stats, "queries": timed}


def store_label(db: str) -> str:
    from brinkwatch.store.db import redact, resolve_url

    return redact(resolve_url(db))


def time_queries(db: str, *, repeats: int, term: str, budget_s: float) -> dict[str, Any]:
    """Each kind in its own process, killed after ``budget_s`` (a pathological plan must not hang the run)."""
    out: dict[str, Any] = {}
    for kind in QUERY_KINDS:
        run = measure(_module_cmd("_query", db, kind, str(repeats), term), timeout=budget_s)
        res = _last_json(run["stdout"])
        if res:
            out[kind] = res
        elif run["returncode"] != 0 and run["seconds"] >= budget_s:
            fn_how = query_suite(term)[kind][1]
            out[kind] = {
                "how": fn_how,
                "error": f"timed out: {repeats + 2} calls did not finish in {budget_s:.0f} s",
                "n": 0,
            }
        else:
            out[kind] = {"error": f"exit {run['returncode']}: {run['stderr'].strip()[-300:]}", "n": 0}
    return out


# ------------------------------------------------------------------------------------------ run


def machine() -> dict[str, Any]:
    import psutil

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
        "cores_logical": os.cpu_count(),
        "cores_physical": psutil.cpu_count(logical=False),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


@contextmanager
def _bytecode_cache(work: Path) -> Iterator[bool]:
    """Let the measured processes use compiled bytecode, as any normal install has it.

    Where ``PYTHONDONTWRITEBYTECODE`` is set (this machine), every process would recompile every module it
    imports — seconds that weigh on ``ingest`` (which imports much more than bare spaCy) and say nothing
    about ingest itself. Children then compile once into a cache under ``work`` (both sides alike).
    """
    keys = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        yield False
        return
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.pop("PYTHONDONTWRITEBYTECODE")
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    try:
        yield True
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _warm_up(corpus: Path, work: Path, model: str) -> None:
    """One tiny ingest (2 processes) and one tiny ceiling run: every module they import gets compiled."""
    rows = corpus.read_text(encoding="utf-8").splitlines()[:8]
    tiny = work / "warm.jsonl"
    tiny.write_text("\n".join(rows) + "\n", encoding="utf-8")
    env = {**os.environ, "BRINKWATCH_BATCH_SIZE": "2"}  # full rounds of 4: the pool starts too
    for cmd in (_ingest_cmd(tiny, work / "warm.db")[0], _module_cmd("_ceiling", str(tiny), model, "2")):
        measure(cmd, env=env, timeout=600)


def run_bench(cfg: BenchConfig, progress: Progress | None = None) -> dict[str, Any]:
    """Run every stage; return the results dict (what ``bench`` writes as JSON)."""
    say = progress or (lambda _m: None)
    t_start = time.perf_counter()
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(cfg).items()},
    }
    results["config"]["text_files"] = [str(p) for p in cfg.text_files]
    pool, pool_desc = _pool(cfg)
    with tempfile.TemporaryDirectory(prefix="brinkwatch-bench-", dir=cfg.work_dir) as tmp:
        work = Path(tmp)
        corpus_path = work / "corpus.jsonl"
        info = synth.write_jsonl(synth.corpus(pool, target_words=cfg.words, seed=cfg.seed), corpus_path)
        over_path = work / "overhead.jsonl"
        over_info = synth.write_jsonl(synth.corpus(pool, target_words=cfg.overhead_words, seed=cfg.seed), over_path)
        results["corpus"] = {**info, "pool": pool_desc, "overhead_subset": over_info}
        say(f"corpus: {info['articles']:,} articles, {info['words']:,} words ({pool_desc})")
        if not cfg.skip_ingest:
            with _bytecode_cache(work) as cached:
                if cached:
                    say("warming a bytecode cache for the measured processes (PYTHONDONTWRITEBYTECODE is set) …")
                    _warm_up(corpus_path, work, cfg.model)
                    results["bytecode"] = "compiled once into a cache before timing (PYTHONDONTWRITEBYTECODE was set)"
                _ingest_stages(cfg, results, info, corpus_path, over_path, work, say)
        _scale_stages(cfg, results, pool, work, say)
        if not cfg.skip_queries:
            say("(e) query latency …")
            db = cfg.store_db or str(work / "queries.db")
            _stage(results, "queries", lambda: bench_queries(cfg, pool, db, say))
    results["errors"] = {k: v["error"] for k, v in results.items() if isinstance(v, dict) and "error" in v}
    for kind, q in (results.get("queries") or {}).get("queries", {}).items():
        if "error" in q:
            results["errors"][f"queries.{kind}"] = q["error"]
    for msg in results["errors"].values():
        say(f"error: {msg}")
    results["seconds"] = round(time.perf_counter() - t_start, 1)
    results["summary"] = summary_line(results)
    return results


def _ingest_stages(
    cfg: BenchConfig,
    results: dict[str, Any],
    info: dict[str, Any],
    corpus_path: Path,
    over_path: Path,
    work: Path,
    say: Progress,
) -> None:
    """Stages (a)–(c): ceiling and ingest rounds, dask, breakdown, extraction overhead."""
    say(f"(a, b) spaCy ceiling (n_process 1 and 2) and ingest, {cfg.rounds} round(s) …")
    both = _stage(
        results,
        "ceiling",
        lambda: dict(
            zip(
                ("ceiling", "ingest"),
                bench_ceiling_and_ingest(
                    corpus_path, info["words"], info["articles"], work, cfg.model, cfg.rounds, say
                ),
                strict=True,
            )
        ),
    )
    ceiling = ing = None
    if both:
        results["ceiling"], results["ingest"] = ceiling, ing = both["ceiling"], both["ingest"]
        results["peak_rss_bytes"] = ing["peak_rss_bytes"]
        say(
            f"    best: ingest {ing['words_per_s']:,.0f} w/s = {ing['ratio_to_ceiling']} × ceiling "
            f"{ceiling['words_per_s']:,.0f} w/s (n_process={ceiling['best_n_process']})"
        )
    ceiling_wps = ceiling["words_per_s"] if ceiling else 0.0
    if cfg.dask:
        say("(b2) ingest --engine dask (LocalCluster, 2 workers) …")
        dk = _stage(
            results,
            "ingest_dask",
            lambda: bench_ingest(corpus_path, info["words"], info["articles"], work / "dask.db", ceiling_wps, "dask"),
        )
        if dk:
            say(f"    {dk['words_per_s']:,.0f} w/s = {dk['ratio_to_ceiling']} × ceiling")
    if cfg.breakdown:
        say("(b4) where the ingest process spends its time …")
        bd = _stage(results, "ingest_breakdown", lambda: bench_breakdown(corpus_path, work / "breakdown.db"))
        if bd:
            say("    " + ", ".join(f"{k} {v:.1f} s" for k, v in bd["seconds"].items()))
    say("(c) extraction overhead …")
    ov = _stage(results, "overhead", lambda: bench_overhead(over_path, cfg.model))
    if ov:
        say(f"    pipe+extract / pipe = {ov['ratio']}")


def _scale_stages(cfg: BenchConfig, results: dict[str, Any], pool: list[str], work: Path, say: Progress) -> None:
    """Stages (f) and (g), when asked for."""
    from brinkwatch.dev import bench_scale

    if cfg.stream_articles > 0:
        say(f"(f) memory while streaming {cfg.stream_articles:,} articles …")
        st = _stage(
            results, "stream", lambda: bench_scale.bench_stream_memory(pool, cfg.stream_articles, work, _python(), say)
        )
        if st:
            say(
                f"    {st['seconds']:.0f} s, {st['articles_per_s']:,.0f} articles/s; peak {_gb(st['peak_rss_bytes'])}, "
                f"growth after the first fifth {st['growth_after_first_fifth_bytes'] / 2**20:,.0f} MB"
            )
    if cfg.resume_articles > 0:
        say(f"(g) resume after SIGKILL, {cfg.resume_articles:,} articles …")
        rs = _stage(
            results, "resume", lambda: bench_scale.bench_resume(pool, cfg.resume_articles, work, _python(), say)
        )
        if rs:
            say(f"    identical to a clean run: {rs['identical']} {rs['equal']}")


def _stage(results: dict[str, Any], name: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
    """Run one stage; a failure is recorded in the results (the other stages still run)."""
    try:
        out = fn()
    except Exception as exc:
        results[name] = {"error": f"{type(exc).__name__}: {exc}"[-1500:]}
        return None
    results[name] = out
    return out


def write_results(results: dict[str, Any], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    path = out_dir / f"bench-{stamp}.json"
    if path.exists():
        path = out_dir / f"bench-{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _gb(n: int | None) -> str:
    return f"{(n or 0) / 2**30:.2f} GB"


def summary_line(r: dict[str, Any]) -> str:
    parts = []
    ing, ceil, ov = (r.get(k) if "error" not in (r.get(k) or {}) else None for k in ("ingest", "ceiling", "overhead"))
    for k in ("ceiling", "ingest", "ingest_dask", "overhead"):
        if "error" in (r.get(k) or {}):
            parts.append(f"{k} FAILED")
    if ing and ceil and ing.get("ratio_to_ceiling") is not None:
        parts.append(
            f"ingest {ing['words_per_s']:,.0f} w/s ({ing['articles_per_s']:,.1f} articles/s) = "
            f"{ing['ratio_to_ceiling']:.2f} × spaCy ceiling {ceil['words_per_s']:,.0f} w/s "
            f"({ceil['best_n_process']} proc)"
        )
    dk = r.get("ingest_dask")
    if dk and "error" not in dk and dk.get("ratio_to_ceiling") is not None:
        parts.append(f"dask engine {dk['words_per_s']:,.0f} w/s = {dk['ratio_to_ceiling']:.2f} ×")
    if ov:
        parts.append(f"extraction {ov['extract_share'] * 100:+.0f}%")
    bd = r.get("ingest_breakdown")
    if bd and "error" not in bd and "incidents" in bd.get("share", {}):
        parts.append(f"incidents refresh {bd['share']['incidents'] * 100:.0f}% of ingest")
    if ing:
        parts.append(f"peak RSS {_gb(ing['peak_rss_bytes'])}")
    st, rs = r.get("stream"), r.get("resume")
    if st and "error" not in st:
        parts.append(f"{st['articles']:,} articles streamed at peak {_gb(st['peak_rss_bytes'])}")
    if rs and "error" not in rs:
        parts.append(f"{rs['articles']:,}-article ingest killed and resumed: identical {rs['identical']}")
    for k in ("stream", "resume"):
        if "error" in (r.get(k) or {}):
            parts.append(f"{k} FAILED")
    q = r.get("queries")
    if q and "error" not in q:
        qs = q["queries"]
        for key in ("dyad", "escalation", "claims", "search_text", "search_actor"):
            if key in qs and qs[key].get("n"):
                parts.append(f"{key.replace('_', ' ')} p95 {qs[key]['p95_ms']:,.0f} ms")
            elif key in qs:
                parts.append(f"{key.replace('_', ' ')} FAILED")
        parts.append(f"at {q['stats']['events']:,} events")
    return "; ".join(parts)


# ------------------------------------------------------------------------------------------ children
# ``python -m brinkwatch.dev.bench _ceiling|_overhead|_breakdown|_query …``: the measured processes.


def _child_ceiling(corpus: Path, model: str, n_process: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    import spacy

    nlp = spacy.load(model)
    t1 = time.perf_counter()
    texts = [a.text for a in synth.read_jsonl(corpus)]
    n = 0
    for _doc in nlp.pipe(texts, n_process=n_process, batch_size=32):
        n += 1
    t2 = time.perf_counter()
    return {"docs": n, "load_seconds": round(t1 - t0, 3), "pipe_seconds": round(t2 - t1, 3)}


def _child_overhead(corpus: Path, model: str) -> dict[str, Any]:
    from brinkwatch.coder.extract import extract_doc
    from brinkwatch.coder.parse import load_nlp
    from brinkwatch.core.settings import Settings

    settings = Settings.from_env(spacy_model=model)
    nlp = load_nlp(model)
    arts = synth.read_jsonl(corpus)
    texts = [a.text for a in arts]
    list(nlp.pipe(texts[:2]))  # warm up
    t0 = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=32):
        pass
    t1 = time.perf_counter()
    n_events = 0
    for art, doc in zip(arts, nlp.pipe(texts, batch_size=32), strict=True):
        n_events += len(extract_doc(doc, doc_id=art.doc_id, published=art.published, settings=settings)[1])
    t2 = time.perf_counter()
    return {
        "docs": len(texts),
        "events": n_events,
        "pipe_seconds": round(t1 - t0, 3),
        "pipe_extract_seconds": round(t2 - t1, 3),
    }


def _child_breakdown(corpus: Path, db: Path) -> dict[str, float]:
    from brinkwatch.core.settings import Settings
    from brinkwatch.pipeline.run import ingest
    from brinkwatch.store.writer import Store

    timings: dict[str, float] = {}
    with Store(db) as store:
        ingest([str(corpus)], store=store, settings=Settings.from_env(), timings=timings)
    return timings


def _child_main(argv: list[str]) -> int:
    cmd, *args = argv
    if cmd == "_ceiling":
        out = _child_ceiling(Path(args[0]), args[1], int(args[2]))
    elif cmd == "_overhead":
        out = _child_overhead(Path(args[0]), args[1])
    elif cmd == "_query":
        from brinkwatch.store.writer import Store

        with Store(args[0]) as store:
            out = time_query(store, args[1], repeats=int(args[2]), term=args[3])
    elif cmd == "_breakdown":
        out = _child_breakdown(Path(args[0]), Path(args[1]))
    else:
        print(f"unknown bench child command {cmd!r}", file=sys.stderr)
        return 1
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(_child_main(sys.argv[1:]))
