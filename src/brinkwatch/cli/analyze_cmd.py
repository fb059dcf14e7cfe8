"""``brinkwatch incidents | incident | claims | dyad | escalation | alerts | spirals | cohesion | stories | export``.

Thin commands over the analytics library: parse the arguments, call one function, print a rich table (text
from articles is printed as plain text, never as markup) or JSON with ``--json``.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer

from brinkwatch.cli.app import DB_HELP, app, fail
from brinkwatch.core.jsonutil import jsonable

JSON_HELP = "Print JSON instead of a table."
TEXT_COLUMNS = frozenset({"summary", "label", "sentence", "accusers", "deniers", "sources", "sequence", "incidents"})


@contextmanager
def _store(db: str | None) -> Iterator[Any]:
    from brinkwatch.core.settings import Settings
    from brinkwatch.store.writer import Store

    settings = Settings.from_env(db=db)
    try:
        store = Store(settings.db)
    except Exception as exc:  # a bad URL / unreachable server is one clean line
        from brinkwatch.store.db import describe, redact, resolve_url

        raise fail(f"cannot open store {redact(resolve_url(settings.db))}: {describe(exc)}") from None
    try:
        yield store
    finally:
        store.close()


def _dyad(value: str | None) -> str | None:
    if value is None:
        return None
    from brinkwatch.lexicon.groups import parse_dyad

    try:
        a, b = parse_dyad(value)
    except ValueError as exc:
        raise fail(str(exc)) from None
    return f"{a}:{b}"


def _cell(v: Any) -> str:
    if isinstance(v, list):
        parts = []
        for x in v:
            if isinstance(x, dict) and "event_type" in x:
                parts.append(f"#{x.get('id')} {x.get('event_type')} {x.get('actor')}→{x.get('recipient')}")
            elif isinstance(x, dict):
                parts.append(f"{x.get('text')} ({x.get('country')})" if "country" in x else str(x.get("id", x)))
            else:
                parts.append(str(x))
        return ", ".join(parts)
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:g}"
    return "" if v is None else str(v)


def _print(data: Any, columns: Sequence[str], as_json: bool, title: str, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        payload = jsonable(data) if extra is None else {**jsonable(extra), "rows": jsonable(data)}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    rows = jsonable(data)
    console = Console() if sys.stdout.isatty() else Console(width=200)
    if not rows:
        console.print(Text(f"{title}: nothing yet"))
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            if c in TEXT_COLUMNS:
                table.add_column(c, overflow="fold", ratio=1, min_width=20)
            else:
                table.add_column(c, no_wrap=True, min_width=len(c))
        for r in rows:
            table.add_row(*(Text(_cell(r.get(c))) for c in columns))  # Text: article text is never markup
        console.print(table)
    if extra:
        console.print(Text("  ".join(f"{k}: {_cell(v)}" for k, v in extra.items())))


@app.command("incidents")
def incidents_cmd(
    dyad: str | None = typer.Option(None, "--dyad", help="Only incidents between A and B (e.g. NATO:RUS)."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD)."),
    limit: int = typer.Option(50, "--limit", min=0, help="At most this many incidents."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Incidents: reports of one happening merged (reports, outlets, first/last report), newest first."""
    from brinkwatch.analyze.incidents import list_incidents

    with _store(db) as store:
        df = list_incidents(store, dyad=_dyad(dyad), since=since, until=until, limit=limit)
    cols = ["id", "date", "event_type", "actor", "recipient", "status", "n_reports", "n_outlets", "summary"]
    _print(df, cols, as_json, "Incidents")


@app.command("incident")
def incident_cmd(
    incident_id: int = typer.Argument(..., help="Incident id."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """One incident with its events and every report (outlet, sentence, trigger offsets)."""
    from brinkwatch.analyze.incidents import incident_detail

    with _store(db) as store:
        detail = incident_detail(store, incident_id)
    if detail is None:
        raise fail(f"no incident {incident_id}")
    if as_json:
        typer.echo(json.dumps(jsonable(detail), ensure_ascii=False, indent=1))
        return
    head = detail["incident"]
    rows = [
        {
            "source": r["source"],
            "published": r["published"],
            "doc_id": r["doc_id"],
            "sentence": " | ".join(s["text"] for s in r["sentences"]) or "(syndicated copy)",
        }
        for r in detail["reports"]
    ]
    title = f"Incident {head['id']}: {head['event_type']} {head['actor']}→{head['recipient']} {head['date']}"
    _print(rows, ["source", "published", "doc_id", "sentence"], False, title)


@app.command("claims")
def claims_cmd(
    dyad: str | None = typer.Option(None, "--dyad", help="Only claims between A and B."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    limit: int = typer.Option(500, "--limit", min=0, help="Read at most this many claim events."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """The claims ledger: alleged, speculated and denied events — accusers, deniers, evidence, state."""
    from brinkwatch.analyze.claims import claims

    with _store(db) as store:
        df = claims(store, since=since, dyad=_dyad(dyad), limit=limit)
    cols = [
        "event_type",
        "actor",
        "recipient",
        "accusers",
        "deniers",
        "sources",
        "first_said",
        "evidence",
        "state",
        "summary",
    ]
    _print(df, cols, as_json, "Claims")


@app.command("dyad")
def dyad_cmd(
    dyad: str = typer.Argument(..., help="A:B — countries (ISO-3) or groups (NATO, EU, WST)."),
    freq: str = typer.Option("W", "--freq", help="W (weekly) or D (daily)."),
    directed: bool = typer.Option(False, "--directed", help="Only A→B (default: both directions)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Counts per quad and type, intensity (sum and mean of PLOVER scores) and the rhetoric series of a dyad."""
    from brinkwatch.analyze.dyads import dyad_series

    if freq.upper() not in ("W", "D"):
        raise fail(f"--freq must be W or D, not {freq!r}")
    a, b = (_dyad(dyad) or "").split(":")
    with _store(db) as store:
        df = dyad_series(store, a, b, freq=freq.upper(), directed=directed)
    cols = ["period", "n", "quad1", "quad2", "quad3", "quad4", "score_sum", "mean_score", "rhetoric_n", "claimed_n"]
    _print(df, cols, as_json, f"{a}{'→' if directed else ':'}{b} ({'weekly' if freq.upper() == 'W' else 'daily'})")


@app.command("escalation")
def escalation_cmd(
    dyad: str | None = typer.Option(None, "--dyad", help="A:B (default: the watchlist and busiest pairs)."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Weekly escalation index per dyad with trend and change points; --json adds the incidents behind jumps."""
    from brinkwatch.analyze.escalation import alerts, escalation

    d = _dyad(dyad)
    with _store(db) as store:
        df = escalation(store, dyad=d, since=since)
        jumps = alerts(store, dyad=d, since=since) if as_json else None
    if as_json:
        payload = {"weeks": jsonable(df), "jumps": jsonable(jumps)}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    cols = ["dyad", "week", "index", "material", "threats", "considered", "claimed", "verbal", "trend", "jump"]
    _print(df, cols, False, "Escalation index")


@app.command("alerts")
def alerts_cmd(
    dyad: str | None = typer.Option(None, "--dyad", help="A:B (default: the watchlist and busiest pairs)."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Dyads whose escalation index jumped, with the incidents behind each jump."""
    from brinkwatch.analyze.escalation import alerts

    with _store(db) as store:
        df = alerts(store, dyad=_dyad(dyad), since=since)
    _print(df, ["dyad", "week", "index", "previous", "change_point", "incidents"], as_json, "Alerts")


@app.command("spirals")
def spirals_cmd(
    dyad: str | None = typer.Option(None, "--dyad", help="A:B (default: the watchlist and busiest pairs)."),
    window: int = typer.Option(14, "--window", min=0, help="Days within which a reaction follows an action."),
    min_exchanges: int = typer.Option(2, "--min-exchanges", min=2, help="Fewest alternating moves in a chain."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Action–reaction spirals: A→B hostile, then B→A hostile within the window, repeated."""
    from brinkwatch.analyze.spirals import spirals

    with _store(db) as store:
        df = spirals(store, dyad=_dyad(dyad), window=window, min_exchanges=min_exchanges)
    _print(df, ["dyad", "start", "end", "n_moves", "n_incidents", "sequence"], as_json, "Spirals")


@app.command("cohesion")
def cohesion_cmd(
    pair: str = typer.Argument(..., help="GROUP:TARGET, e.g. NATO:RUS."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Members' stances toward a target (hawkish / restraint) and how far they diverge."""
    from brinkwatch.analyze.cohesion import cohesion, divergence

    g, t = (_dyad(pair) or "").split(":")
    with _store(db) as store:
        df = cohesion(store, g, t)
    _print(
        df,
        ["member", "n", "mean_score", "hawkish", "restraint", "stance"],
        as_json,
        f"{g} toward {t}",
        extra=divergence(df),
    )


@app.command("stories")
def stories_cmd(
    days: int = typer.Option(7, "--days", min=1, help="Window length in days."),
    until: str | None = typer.Option(None, "--until", help="Window end (default: the latest report)."),
    limit: int = typer.Option(20, "--limit", min=0, help="At most this many rows."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Hot stories: incidents, tags and contexts growing fastest vs the previous window."""
    from brinkwatch.analyze.stories import hot_stories

    with _store(db) as store:
        df = hot_stories(store, days=days, until=until, limit=limit)
    _print(df, ["kind", "key", "label", "n_now", "n_before", "growth"], as_json, f"Hot stories ({days} days)")


@app.command("export")
def export_cmd(
    fmt: str = typer.Option("jsonl", "--format", help="csv | parquet | jsonl | plover (PLOVER-JSON lines)."),
    out: str | None = typer.Option(None, "--out", help="Output file (default: stdout; parquet needs a file)."),
    since: str | None = typer.Option(None, "--since", help="Events from this date (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Events up to this date (YYYY-MM-DD)."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Export every event: PLOVER-JSON with status, factuality, attribution, incident and CAMEO root code."""
    from brinkwatch.analyze.export import FORMATS, export

    if fmt.lower() not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt.lower() == "parquet" and not out:
        raise fail("--format parquet needs --out FILE")
    with _store(db) as store:
        try:
            n = export(store, fmt, out if out else sys.stdout, since=since, until=until)
        except BrokenPipeError:  # `… | head`: the reader has had enough
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:
            raise fail(f"cannot write {out}: {exc.strerror or exc}") from None
    if out:
        typer.echo(f"exported {n} events to {out}", err=True)
