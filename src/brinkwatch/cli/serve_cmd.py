"""``brinkwatch serve``: the dashboard and HTTP API (FastAPI + uvicorn), on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

from typing import Annotated

import typer

from brinkwatch.cli.app import DB_HELP, app, fail


@app.command("serve")
def serve_command(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    host: Annotated[
        str, typer.Option("--host", help="Interface to bind (127.0.0.1: this machine only; 0.0.0.0 exposes it).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the dashboard in a web browser once it is up.")
    ] = False,
) -> None:
    """Serve the dashboard and the JSON API (docs at /api/docs). POST /api/articles needs $BRINKWATCH_TOKEN."""
    from brinkwatch.cli import checks
    from brinkwatch.core.settings import Settings
    from brinkwatch.web import run

    settings = Settings.from_env(db=db)
    why = checks.missing_store(settings.db)
    if why is not None:
        raise fail(why, 2)
    checks.open_store(settings).close()  # a newer schema or an unreachable server: one line, not a traceback
    why = checks.port_in_use(host, port)
    if why is not None:
        raise fail(why, 2)
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"brinkwatch: warning: serving on {host}: reachable from other machines", err=True)
    try:
        run(settings.db, host=host, port=port, open_browser=open_browser, settings=settings)
    except OSError as exc:
        raise fail(f"cannot serve on {host}:{port}: {exc.strerror or exc}", 2) from None
