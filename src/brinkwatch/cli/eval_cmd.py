"""``brinkwatch eval`` (score the dev gold sets and the seed) and ``brinkwatch factuality``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from brinkwatch.cli.app import app, fail


@app.command("eval")
def eval_command(
    what: Annotated[str, typer.Argument(help="events | cameo | factuality | seed | all")] = "all",
    gold: Annotated[
        Path | None, typer.Argument(help="Gold file (default: ../shared/gold/<dev set>; seed text for seed).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
    misses: Annotated[bool, typer.Option("--misses", help="With --json: include every miss for debugging.")] = False,
    rules: Annotated[bool, typer.Option("--rules", help="Factuality by the rules, not the model.")] = False,
) -> None:
    """Score extraction on the dev gold sets (figures of ../shared/gold/README.md) and summarize the seed."""
    from brinkwatch.dev.evaluate import report_lines, run_eval

    try:
        results = run_eval(what, gold, scorer="rules" if rules else "model")
    except (ValueError, FileNotFoundError, OSError) as exc:
        raise fail(str(exc)) from None
    if as_json:
        out: dict[str, Any] = {
            k: {kk: vv for kk, vv in v.items() if misses or kk != "misses"} for k, v in results.items()
        }
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        for line in report_lines(results):
            typer.echo(line)


@app.command("factuality")
def factuality_command(
    file: Annotated[Path, typer.Argument(help="JSONL records: whitespace-tokenized text + events[].token_span.")],
    rules: Annotated[bool, typer.Option("--rules", help="The rules' score per status, not the learned model.")] = False,
) -> None:
    """Factuality (−3 … +3) and label asserted | uncertain | denied for each event of each record (the learned
    model; the status is the rule system's)."""
    from brinkwatch.dev.evaluate import factuality_predictions, read_jsonl

    try:
        records = read_jsonl(file)
    except (ValueError, OSError) as exc:
        raise fail(str(exc)) from None
    bad = 0
    for out in factuality_predictions(records, scorer="rules" if rules else "model"):
        bad += sum(1 for e in out["events"] if e.get("error"))
        typer.echo(json.dumps(out, ensure_ascii=False))
    if bad:
        typer.echo(f"brinkwatch: {bad} event(s) with a bad token_span", err=True)
        raise typer.Exit(2)
