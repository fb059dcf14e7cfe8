"""``brinkwatch incidents | incident | claims | dyad | escalation | alerts | spirals | cohesion | stories | export``.

Thin commands over the analytics library: check the arguments (``checks.py``: the store exists, every filter
names something), call one function, print a rich table (text from articles is printed as plain text, never as
markup) or JSON with ``--json``. Long outputs have a ``--limit`` (and ``escalation`` a ``--weeks``).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from typing import Any

import typer

from brinkwatch.cli import checks
from brinkwatch.cli.app import DB_HELP, app, fail
from brinkwatch.core.jsonutil import jsonable

JSON_HELP = "Print JSON instead of a table."
TEXT_COLUMNS = frozenset(
    {"summary", "label", "sentence", "accusers", "deniers", "sources", "sequence", "incidents", "evidence"}
)
DYAD_HELP = "A:B — codes (RUS, NATO, EU) or names (Russia:Ukraine); groups stand for their members."
SINCE_HELP = "From this date (YYYY-MM-DD, YYYY-MM, YYYY, yesterday, '3 weeks ago', 'last month')."
UNTIL_HELP = "Up to this date (as --since)."
BACKGROUND_HELP = "Count background incidents too (dated far from their reports: history, plans)."
WATCH_HELP = "A:B (default: your watch list, then the busiest pairs)."


def _store(db: str | None) -> Any:
    """The store of a read command (refused, exit 2, when it does not exist)."""
    return checks.read_store(db)


def _cell(v: Any) -> str:
    if isinstance(v, list):
        parts = []
        for x in v:
            if isinstance(x, dict) and "event_type" in x:
                when = f" {x.get('date')}" if x.get("date") else ""
                parts.append(f"#{x.get('id')}{when} {x.get('event_type')} {x.get('actor')}→{x.get('recipient')}")
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
    since: str | None = typer.Option(None, "--since", help=SINCE_HELP),
    until: str | None = typer.Option(None, "--until", help=UNTIL_HELP),
    limit: int = typer.Option(50, "--limit", min=0, help="At most this many incidents."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Incidents: reports of one happening merged (reports, outlets, first/last report), newest first."""
    from brinkwatch.analyze.incidents import list_incidents

    since, until = checks.when(since, "--since"), checks.when(until, "--until")
    with _store(db) as store:
        d = checks.dyad(dyad, store, "--dyad")
        df = list_incidents(store, dyad=d, since=since, until=until, limit=limit)
    cols = ["id", "date", "date_precision", "event_type", "actor", "recipient", "status", "n_reports", "n_outlets"]
    _print(df, [*cols, "summary"], as_json, "Incidents")


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
    since: str | None = typer.Option(None, "--since", help=SINCE_HELP),
    limit: int = typer.Option(500, "--limit", min=0, help="Read at most this many claim events."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """The claims ledger: alleged, speculated and denied events — accusers, deniers, evidence, status, state and
    incident."""
    from brinkwatch.analyze.claims import claims

    since = checks.when(since, "--since")
    with _store(db) as store:
        df = claims(store, since=since, dyad=checks.dyad(dyad, store, "--dyad"), limit=limit)
    cols = ["event_type", "actor", "recipient", "statuses", "state", "accusers", "deniers", "sources", "first_said"]
    _print(df, [*cols, "evidence", "incident_id", "summary"], as_json, "Claims")


@app.command("dyad")
def dyad_cmd(
    dyad: str = typer.Argument(..., help=DYAD_HELP),
    freq: str = typer.Option("W", "--freq", help="D (daily), W (weekly, from Monday) or M (monthly)."),
    directed: bool = typer.Option(False, "--directed", help="Only A→B (default: both directions)."),
    since: str | None = typer.Option(None, "--since", help=SINCE_HELP),
    until: str | None = typer.Option(None, "--until", help=UNTIL_HELP),
    background: bool = typer.Option(False, "--background", help=BACKGROUND_HELP),
    limit: int = typer.Option(52, "--limit", min=0, help="The latest this many periods (0: all)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Counts per quad and type, intensity (sum and mean of PLOVER scores) and the rhetoric series of a dyad.

    Daily and weekly series count incidents dated to their day or week; monthly adds those dated only to their
    month; incidents dated only to a year, and background (history, plans), are counted apart."""
    from brinkwatch.analyze.dyads import FREQS, coarse, coverage, dyad_series

    f = checks.freq(freq)
    since, until = checks.when(since, "--since"), checks.when(until, "--until")
    with _store(db) as store:
        a, b = (checks.dyad(dyad, store) or "").split(":")
        kw: dict[str, Any] = {"freq": f, "directed": directed, "since": since, "until": until, "background": background}
        df = dyad_series(store, a, b, **kw)
        left = coarse(store, a, b, **kw)
    shown = df.tail(limit) if limit else df
    out = coverage(left)
    if as_json:
        payload = {"dyad": f"{a}:{b}", "freq": f, "directed": directed, "periods": len(df)}
        payload |= {"rows": jsonable(shown), "not_counted": out, "coarse": jsonable(left)}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    cols = ["period", "n", "quad1", "quad2", "quad3", "quad4", "score_sum", "mean_score", "rhetoric_n", "claimed_n"]
    extra: dict[str, Any] = {"periods": f"{len(shown)} of {len(df)}"}
    extra |= {f"not counted ({k.replace('_', ' ')})": v for k, v in out.items()}
    _print(shown, cols, False, f"{a}{'→' if directed else ':'}{b} ({FREQS[f]})", extra=extra)


@app.command("escalation")
def escalation_cmd(
    dyad: str | None = typer.Option(None, "--dyad", help=WATCH_HELP),
    since: str | None = typer.Option(None, "--since", help=SINCE_HELP),
    weeks: int = typer.Option(12, "--weeks", min=0, help="The latest this many weeks of each dyad (0: all)."),
    limit: int = typer.Option(200, "--limit", min=0, help="At most this many rows (0: all)."),
    background: bool = typer.Option(False, "--background", help=BACKGROUND_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Weekly escalation index per dyad with trend and change points; --json adds the alerts (jumps with their
    evidence)."""
    from brinkwatch.analyze.escalation import alerts, escalation

    since = checks.when(since, "--since")
    with _store(db) as store:
        d = checks.dyad(dyad, store, "--dyad")
        df = escalation(store, dyad=d, since=since, background=background)
        if weeks and not df.empty:
            df = df.groupby("dyad", sort=False, group_keys=False).tail(weeks)
        if limit:
            df = df.head(limit)
        jumps = alerts(store, dyad=d, since=since, background=background) if as_json else None
    if as_json:
        payload = {"weeks": jsonable(df), "jumps": jsonable(jumps)}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    cols = ["dyad", "week", "index", "material", "threats", "considered", "claimed", "verbal", "trend", "jump"]
    _print(df, cols, False, "Escalation index")


@app.command("alerts")
def alerts_cmd(
    dyad: str | None = typer.Option(None, "--dyad", help=WATCH_HELP),
    since: str | None = typer.Option(None, "--since", help=SINCE_HELP),
    limit: int = typer.Option(20, "--limit", min=0, help="The latest this many alerts (0: all)."),
    background: bool = typer.Option(False, "--background", help=BACKGROUND_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Dyad-weeks whose escalation index jumped with evidence — at least two independent factual incidents, or one
    dated by its text (said so) — each with its incidents and its rule."""
    from brinkwatch.analyze.escalation import ALERT_RULE, alerts

    since = checks.when(since, "--since")
    with _store(db) as store:
        df = alerts(store, dyad=checks.dyad(dyad, store, "--dyad"), since=since, background=background)
    if not df.empty:
        df = df.sort_values(["week", "dyad"], ascending=[False, True])
        if limit:
            df = df.head(limit)
    cols = ["dyad", "week", "index", "previous", "basis", "evidence"]
    _print(df, cols, as_json, "Alerts", extra=None if as_json else {"rule": ALERT_RULE})


@app.command("spirals")
def spirals_cmd(
    dyad: str | None = typer.Option(None, "--dyad", help=WATCH_HELP),
    series: str = typer.Option("both", "--series", help="material (hostile acts), threats, or both."),
    window: int = typer.Option(14, "--window", min=0, help="Days within which a reaction follows an action."),
    min_exchanges: int = typer.Option(2, "--min-exchanges", min=2, help="Fewest alternating moves in a chain."),
    limit: int = typer.Option(20, "--limit", min=0, help="The latest this many spirals (0: all)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Action–reaction spirals: A→B hostile, then B→A within the window, repeated — material acts and threats as
    separate series, each incident dated in time order."""
    from brinkwatch.analyze.spirals import SERIES, spirals

    chosen = list(SERIES) if series == "both" else [series]
    if any(s not in SERIES for s in chosen):
        raise fail(f"--series: one of material, threats or both, not {series[:20]!r}")
    with _store(db) as store:
        d = checks.dyad(dyad, store, "--dyad")
        df = spirals(store, dyad=d, window=window, min_exchanges=min_exchanges, series=chosen)
    if not df.empty:
        df = df.sort_values(["end", "dyad"], ascending=[False, True])
        if limit:
            df = df.head(limit)
    _print(df, ["dyad", "series", "start", "end", "n_moves", "n_incidents", "sequence"], as_json, "Spirals")


@app.command("cohesion")
def cohesion_cmd(
    pair: str = typer.Argument(..., help="GROUP:TARGET, e.g. NATO:RUS."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Members' stances toward a target (hawkish / restraint) and how far they diverge."""
    from brinkwatch.analyze.cohesion import cohesion, divergence

    with _store(db) as store:
        g, t = (checks.dyad(pair, store, "GROUP:TARGET") or "").split(":")
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

    until = checks.when(until, "--until")
    with _store(db) as store:
        df = hot_stories(store, days=days, until=until, limit=limit)
    _print(df, ["kind", "key", "label", "n_now", "n_before", "growth"], as_json, f"Hot stories ({days} days)")


@app.command("export")
def export_cmd(
    fmt: str = typer.Option("jsonl", "--format", help="csv | parquet | jsonl | plover (PLOVER-JSON lines)."),
    out: str | None = typer.Option(None, "--out", help="Output file (default: stdout; parquet needs a file)."),
    since: str | None = typer.Option(None, "--since", help=SINCE_HELP),
    until: str | None = typer.Option(None, "--until", help=UNTIL_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Export every event with its article (id, title, URL, outlet), every actor and recipient, status,
    factuality, attribution, incident and CAMEO root code."""
    from brinkwatch.analyze.export import FORMATS, export

    if fmt.lower() not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt.lower() == "parquet" and not out:
        raise fail("--format parquet needs --out FILE")
    since, until = checks.when(since, "--since"), checks.when(until, "--until")
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
