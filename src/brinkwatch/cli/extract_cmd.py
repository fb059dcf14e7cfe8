"""``brinkwatch extract INPUT`` — events of text files, stdin or JSON lines, printed (nothing is stored)."""

from __future__ import annotations

import json
import re
from typing import Annotated

import typer

from brinkwatch.cli.app import app, fail
from brinkwatch.core.records import Event, InputFailure

FORMATS = ("jsonl", "table")


@app.command("extract")
def extract_command(
    inputs: Annotated[
        list[str], typer.Argument(help='Text/HTML files, directories, "-" for stdin, or .jsonl of {"id", "text"}.')
    ],
    published: Annotated[
        str | None, typer.Option("--published", help="Date (YYYY-MM-DD) for inputs that carry none.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl (one event per line) or table.")] = "jsonl",
    model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline (default: setting spacy_model).")] = None,
) -> None:
    """Extract PLOVER events (with status, attribution, date, place, evidence) and print them."""
    from brinkwatch.core.settings import Settings
    from brinkwatch.pipeline.preview import extract_inputs

    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}")
    if published is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
        raise fail("--published must be YYYY-MM-DD")
    settings = Settings.from_env(spacy_model=model)
    try:
        from brinkwatch.coder.parse import load_nlp

        nlp = load_nlp(settings.spacy_model)
    except OSError as exc:
        raise fail(f"cannot load spaCy model {settings.spacy_model!r}: {exc}") from None
    failed = 0
    undated: list[str] = []
    table: list[Event] = []
    for item in extract_inputs(inputs, published=published, settings=settings, nlp=nlp):
        if isinstance(item, InputFailure):
            failed += 1
            typer.echo(f"brinkwatch: {item.line()}", err=True)
            continue
        article, events = item
        if not (article.published or published):
            undated.append(article.doc_id)
        if fmt == "jsonl":
            for e in events:
                typer.echo(json.dumps(e.to_dict(), ensure_ascii=False))
        else:
            table.extend(events)
    if fmt == "table":
        _print_table(table)
    if undated:
        typer.echo(f"brinkwatch: warning: {undated_line(len(undated), undated[:3])}", err=True)
    if failed:
        raise typer.Exit(2)


def undated_line(n: int, examples: list[str]) -> str:
    """The warning for articles without a published date."""
    shown = f" ({', '.join(examples)}{', …' if n > len(examples) else ''})" if examples else ""
    return (
        f"{n} article{'s' if n != 1 else ''} without a published date{shown}: their events have no date unless "
        "the text names a full one; give --published YYYY-MM-DD or a published field"
    )


def _print_table(events: list[Event]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"{len(events)} events", show_lines=False)
    for col in ("doc", "s#", "type", "mode", "trigger", "actors", "recipients", "status", "date", "conf"):
        t.add_column(col, overflow="fold")
    for e in events:
        t.add_row(
            e.doc_id,
            str(e.sentence_index),
            e.event_type,
            e.mode or "",
            e.trigger,
            ", ".join(p.code for p in e.actors),
            ", ".join(p.code for p in e.recipients),
            e.status + ("" if e.parent_event is None else " (child)"),
            e.date or "",
            f"{e.confidence:.2f}",
        )
    console = Console()
    if not console.is_terminal:  # a pipe: do not fold the columns to 80 characters
        console = Console(width=200)
    console.print(t)
