"""``brinkwatch bench``: ingest vs the bare spaCy ceiling, peak RSS and query latency (see bench.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from brinkwatch.cli.app import app, fail

_GOLD_GUESS = Path("..") / "shared" / "gold"
_SEED_GUESS = Path("..") / "shared" / "seed"


@app.command("bench")
def bench(
    quick: bool = typer.Option(False, "--quick", help="Small corpus and 20,000 events (for tests, ~1 minute)."),
    words: int = typer.Option(0, "--words", help="Corpus words for the ingest measurements (default 150,000)."),
    events: int = typer.Option(0, "--events", help="Events in the generated query store (default 1,000,000)."),
    gold: Path | None = typer.Option(
        None, "--gold", help="Directory of gold JSONL files for real sentences (default ../shared/gold if present)."
    ),
    text: list[Path] = typer.Option(
        [], "--text", help="Plain-text articles to add to the sentence pool (default ../shared/seed/*.txt)."
    ),
    out: Path = typer.Option(Path("bench-results"), "--out", help="Directory for bench-<date>.json."),
    store_db: str | None = typer.Option(
        None, "--store-db", help="Generate the query store here (e.g. postgresql://…); default a temp SQLite file."
    ),
    model: str | None = typer.Option(None, "--model", help="spaCy pipeline (default: the spacy_model setting)."),
    skip_ingest: bool = typer.Option(False, "--skip-ingest", help="Only the query-latency part."),
    skip_queries: bool = typer.Option(False, "--skip-queries", help="Only the ingest part."),
    dask: bool = typer.Option(True, "--dask/--no-dask", help="Also time ingest --engine dask (not with --quick)."),
    repeats: int = typer.Option(0, "--repeats", help="Timed calls per query kind (default 40; 10 with --quick)."),
    rounds: int = typer.Option(0, "--rounds", help="Interleaved ceiling/ingest rounds, best counts (default 2)."),
    stream_articles: int = typer.Option(
        0, "--stream-articles", help="Also stream this many short articles through ingest, memory sampled."
    ),
    resume_articles: int = typer.Option(
        0, "--resume-articles", help="Also kill an ingest of this many articles half-way, resume, compare."
    ),
) -> None:
    """Measure ingest against the bare spaCy parse, peak memory and query latency; write JSON + a summary."""
    from brinkwatch.core.settings import Settings
    from brinkwatch.dev.bench import BenchConfig, run_bench, write_results

    gold_dir = gold if gold is not None else (_GOLD_GUESS if _GOLD_GUESS.is_dir() else None)
    if gold is not None and not gold.is_dir():
        raise fail(f"--gold {gold}: not a directory")
    if not text and gold is None and _SEED_GUESS.is_dir():
        text = sorted(_SEED_GUESS.glob("*.txt"))
    for t in text:
        if not t.is_file():
            raise fail(f"--text {t}: not a file")
    if min(words, events, repeats, rounds, stream_articles, resume_articles) < 0:
        raise fail("--words, --events, --repeats, --rounds and the article counts must be positive")
    kw: dict[str, object] = {
        "gold_dir": gold_dir,
        "text_files": list(text),
        "out_dir": out,
        "store_db": store_db,
        "model": model or Settings.from_env().spacy_model,
        "skip_ingest": skip_ingest,
        "skip_queries": skip_queries,
        "stream_articles": stream_articles,
        "resume_articles": resume_articles,
    }
    if not dask:
        kw["dask"] = False
    if words:
        kw["words"] = words
        kw["overhead_words"] = min(words, BenchConfig().overhead_words)
    if events:
        kw["events"] = events
    if repeats:
        kw["repeats"] = repeats
    if rounds:
        kw["rounds"] = rounds
    cfg = BenchConfig.quick_config(**kw) if quick else BenchConfig(**kw)  # type: ignore[arg-type]
    try:
        results = run_bench(cfg, progress=lambda m: typer.echo(m, err=True))
    except RuntimeError as exc:
        raise fail(str(exc), 2) from exc
    path = write_results(results, out)
    typer.echo(f"wrote {path}", err=True)
    typer.echo(results["summary"])
    if results["errors"]:
        raise typer.Exit(2)
