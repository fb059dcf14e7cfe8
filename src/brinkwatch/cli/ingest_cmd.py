"""``brinkwatch ingest | events | stats | info | demo`` — thin commands over pipeline.ingest and Store."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from brinkwatch.cli.app import DB_HELP, app, fail
from brinkwatch.cli.checks import open_store, redacted
from brinkwatch.core.records import IngestSummary
from brinkwatch.core.settings import Settings

DATE_HELP = "Date (YYYY-MM-DD) for inputs that carry none."


def _settings(db: str | None, **overrides: Any) -> Settings:
    return Settings.from_env(db=db, **overrides)


def _check_date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise fail(f"{option} expects a date YYYY-MM-DD, got {value!r}") from None


@contextmanager
def _progress_bar(total: int | None = None) -> Iterator[Any]:
    """A rich progress bar on a terminal (None — silence — in pipes): the known total from the start (the inputs
    counted before reading them), articles/s and a time remaining from the average rate since the start (steady:
    articles come in rounds, so a rate over the last seconds jumps)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    speed = TextColumn("{task.fields[rate]} articles/s")
    eta = TextColumn("{task.fields[eta]}")
    with Progress(
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        speed,
        eta,
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=total, rate="-", eta="estimating…")
        start = time.perf_counter()

        def update(done: int, known: int | None) -> None:
            whole = max(done, known or total or 0) or None
            spent = max(1e-9, time.perf_counter() - start)
            rate = done / spent
            left = steady_eta(done, whole, spent)
            bar.update(task, completed=done, total=whole, rate=f"{rate:.1f}", eta=left)

        yield update


def steady_eta(done: int, total: int | None, seconds: float) -> str:
    """Time remaining at the average rate so far ("1:05 left"); "estimating…" before the first article."""
    if not done or not total or seconds <= 0:
        return "estimating…"
    left = max(0.0, (total - done) * seconds / done)
    return f"{int(left // 60)}:{int(left % 60):02d} left"


def summary_line(s: IngestSummary, seconds: float) -> str:
    return (
        f"ingested {s.stored} articles ({s.duplicates} duplicates, {s.unchanged} unchanged, {s.skipped} skipped), "
        f"{s.events} events, {s.failed} failed in {seconds:.1f} s"
    )


def run_ingest(
    inputs: list[str],
    settings: Settings,
    *,
    force: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    published: str | None = None,
) -> IngestSummary:
    """The ingest command's body (also used by ``demo``): progress, one line per failure, summary."""
    from brinkwatch.core.errors import PipelineError, StoreWriteError
    from brinkwatch.ingest.sources import estimate_total
    from brinkwatch.pipeline.run import ingest

    store = open_store(settings)
    start = time.perf_counter()
    undated_before = _undated(store)
    total = estimate_total(inputs) if sys.stderr.isatty() else None
    try:
        with _progress_bar(total) as progress:
            summary = ingest(
                inputs,
                store=store,
                settings=settings,
                force=force,
                engine=engine,
                scheduler=scheduler,
                progress=progress,
                published=published,
            )
        undated = _undated(store) - undated_before
    except PipelineError as exc:
        raise fail(str(exc)) from None
    except StoreWriteError as exc:
        raise _store_write_failed(exc, settings, time.perf_counter() - start) from None
    finally:
        store.close()
    for failure in summary.failures:
        typer.echo(f"failed: {failure.line()}", err=True)
    if undated > 0:
        from brinkwatch.cli.extract_cmd import undated_line

        typer.echo(f"brinkwatch: warning: {undated_line(undated, [])}", err=True)
    typer.echo(summary_line(summary, time.perf_counter() - start))
    return summary


def _store_write_failed(exc: Any, settings: Settings, seconds: float) -> typer.Exit:
    """The store cannot be written: the failures go to stderr and to a side log (the store cannot hold them),
    then one line; exit 2. What was stored before is whole (one transaction per article)."""
    summary = exc.summary if isinstance(exc.summary, IngestSummary) else IngestSummary()
    for failure in summary.failures:
        typer.echo(f"failed: {failure.line()}", err=True)
    log = write_side_log(settings.db, [f.line() for f in summary.failures] + [f"store: {exc}"])
    typer.echo(summary_line(summary, seconds))
    where = f"failures logged in {log}" if log else "failures not logged (nowhere writable)"
    return fail(
        f"cannot write to store {redacted(settings.db)}: {exc}; stopped, {summary.stored} articles stored "
        f"before are whole; {where}",
        code=2,
    )


def side_log_path(db: str) -> Path:
    """Where failures go when the store cannot take them: beside a SQLite file, else in the temp directory."""
    from brinkwatch.store.db import resolve_url

    url = resolve_url(db)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///") + ".failures.log")
    return Path(tempfile.gettempdir()) / "brinkwatch-failures.log"


def write_side_log(db: str, lines: list[str]) -> Path | None:
    """Append ``lines`` (with the time) to the side log, or to the temp directory's if that one cannot be
    written (a full disk); the path written, or None."""
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text = "".join(f"{at}\t{line}\n" for line in lines)
    for path in dict.fromkeys([side_log_path(db), Path(tempfile.gettempdir()) / "brinkwatch-failures.log"]):
        try:
            with open(path, "a", encoding="utf-8") as f:
                f.write(text)
            return path
        except OSError:
            with contextlib.suppress(OSError):
                if path.stat().st_size == 0:
                    path.unlink()  # created, then nothing fitted
            continue
    return None


def _undated(store: Any) -> int:
    """How many stored, extracted articles have no published date."""
    import sqlalchemy as sa

    from brinkwatch.store import schema as S

    a = S.articles
    q = sa.select(sa.func.count()).select_from(a).where(a.c.published.is_(None), a.c.status == "extracted")
    with store.engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


@app.command("ingest")
def ingest_cmd(
    inputs: list[str] = typer.Argument(..., help="Files, directories, http(s) URLs, or - for stdin."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    force: bool = typer.Option(False, "--force", help="Re-extract articles already stored (atomically)."),
    engine: str = typer.Option("local", "--engine", help="Parsing engine: local | dask."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler URL (engine dask)."),
    published: str | None = typer.Option(None, "--published", help=DATE_HELP),
    max_article_bytes: int | None = typer.Option(
        None, "--max-article-bytes", min=1, help="Articles larger than this are stored as skipped."
    ),
) -> None:
    """Ingest news (text, HTML, JSON/JSONL, RSS/Atom) into the store; exit 2 if any input failed."""
    if engine not in ("local", "dask"):
        raise fail(f"--engine must be local or dask, got {engine!r}")
    date = _check_date(published, "--published")
    settings = _settings(db, max_article_bytes=max_article_bytes)
    summary = run_ingest(inputs, settings, force=force, engine=engine, scheduler=scheduler, published=date)
    raise typer.Exit(2 if summary.failed else 0)


@app.command("events")
def events_cmd(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    event_type: str | None = typer.Option(None, "--type", help="PLOVER event type (ASSAULT, THREATEN, …)."),
    status: str | None = typer.Option(None, "--status", help="asserted, negated, alleged, denied, …"),
    actor: str | None = typer.Option(None, "--actor", help="Actor: a code (RUS, RUSGOV) or a name (Russia)."),
    recipient: str | None = typer.Option(None, "--recipient", help="Recipient: a code or a name."),
    since: str | None = typer.Option(None, "--since", help="Events on or after this date (YYYY-MM-DD, yesterday, …)."),
    until: str | None = typer.Option(None, "--until", help="Events on or before this date."),
    search: str | None = typer.Option(None, "--search", help="Text the sentence contains."),
    min_confidence: float | None = typer.Option(
        None, "--min-confidence", min=0.0, max=1.0, help="The event model's probability that it is an event, at least."
    ),
    limit: int = typer.Option(100, "--limit", min=1, max=100_000, help="At most this many events."),
    as_json: bool = typer.Option(False, "--json", help="JSON array instead of lines."),
) -> None:
    """List stored events, newest first."""
    from brinkwatch.cli import checks

    since, until = checks.when(since, "--since"), checks.when(until, "--until")
    event_type, status = checks.event_type(event_type), checks.status(status)
    with checks.read_store(db) as store:
        actor = checks.side(actor, store, "--actor")
        recipient = checks.side(recipient, store, "--recipient")
        events = store.events(
            event_type=event_type,
            status=status,
            actor=actor,
            recipient=recipient,
            since=since,
            until=until,
            text=search,
            min_confidence=min_confidence,
            limit=limit,
        )
    if as_json:
        typer.echo(json.dumps([e.to_dict() for e in events], ensure_ascii=False, indent=1))
        return
    for e in events:
        actors = ",".join(p.code for p in e.actors) or "-"
        recipients = ",".join(p.code for p in e.recipients) or "-"
        sentence = " ".join(e.sentence.split())
        typer.echo(
            f"{e.date or '-'}\t{e.event_type}\t{e.status}\t{actors}->{recipients}\t{e.trigger}\t{sentence[:160]}"
        )


@app.command("stats")
def stats_cmd(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="JSON object instead of lines."),
) -> None:
    """Counts of articles, duplicates, sentences, events, incidents and failures in the store."""
    from brinkwatch.cli import checks

    with checks.read_store(db) as store:
        stats = store.stats()
    if as_json:
        typer.echo(json.dumps(stats, sort_keys=True))
        return
    for k, v in stats.items():
        typer.echo(f"{k}: {v}")


def info_dict(settings: Settings) -> dict[str, Any]:
    """Versions, model, store (password redacted), schema version and settings."""
    import importlib.metadata

    import spacy

    from brinkwatch import __version__
    from brinkwatch.store import migrations

    try:
        model_version: str | None = importlib.metadata.version(settings.spacy_model)
    except importlib.metadata.PackageNotFoundError:
        model_version = None
    return {
        "brinkwatch": __version__,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "spacy_model": {"name": settings.spacy_model, "version": model_version},
        "store": redacted(settings.db),
        "schema_version": migrations.latest_version(),
        "settings": {**settings.to_dict(), "db": redacted(settings.db)},
    }


@app.command("info")
def info_cmd(as_json: bool = typer.Option(False, "--json", help="JSON object instead of lines.")) -> None:
    """Versions, parser model, store URL (password hidden), schema version and every setting."""
    info = info_dict(_settings(None))
    if as_json:
        typer.echo(json.dumps(info, indent=1, default=str))
        return
    for k, v in info.items():
        if isinstance(v, dict):
            typer.echo(f"{k}:")
            for k2, v2 in v.items():
                typer.echo(f"  {k2}: {v2}")
        else:
            typer.echo(f"{k}: {v}")


def _is_corpus_file(name: str) -> bool:
    """Demo corpus files: everything but package and documentation files."""
    lower = name.lower()
    return not (
        lower.startswith(("_", ".", "readme", "license"))
        or lower.endswith((".py", ".pyc", ".yaml", ".yml", ".toml", ".cfg"))
    )


@app.command("demo")
def demo_cmd(
    db: str = typer.Option("demo.db", "--db", help="Store for the demo."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Dashboard port."),
    no_open: bool = typer.Option(False, "--no-open", help="Do not open a browser."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Ingest and print stats only."),
) -> None:
    """Ingest the bundled demo corpus, print its stats, then serve the dashboard on 127.0.0.1."""
    from importlib import resources

    corpus = resources.files("brinkwatch") / "demo"
    files = sorted(p.name for p in corpus.iterdir() if _is_corpus_file(p.name)) if corpus.is_dir() else []
    if not files:
        raise fail("the demo corpus is not bundled yet (src/brinkwatch/demo/ is empty)")
    settings = _settings(db)
    with resources.as_file(corpus) as path:
        summary = run_ingest([str(path / name) for name in files], settings)
    store = open_store(settings)
    try:
        for k, v in store.stats().items():
            typer.echo(f"{k}: {v}")
    finally:
        store.close()
    if no_serve:
        raise typer.Exit(2 if summary.failed else 0)
    from brinkwatch import web
    from brinkwatch.cli import checks

    busy = checks.port_in_use("127.0.0.1", port)
    if busy is not None:
        raise fail(busy, 2)
    typer.echo(f"dashboard on http://127.0.0.1:{port}  (Ctrl+C to stop)")
    web.run(db=settings.db, host="127.0.0.1", port=port, open_browser=not no_open)
