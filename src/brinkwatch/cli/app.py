"""The Typer application every command module registers on (library first: commands stay thin)."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="brinkwatch",
    help="Turn news into a record of PLOVER events (who did what to whom, whether it happened, "
    "according to whom) and watch it for escalation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# The project's exit codes: 1 = usage error, 2 = some input failed or cannot be used (a store that does not
# exist or is not a brinkwatch store, a port in use). Click uses 2 for usage errors (missing argument, bad
# option value); make them 1 so "2" keeps one meaning.
def _usage_errors_exit_1() -> None:
    import click.exceptions

    click.exceptions.UsageError.exit_code = 1
    try:  # typer ≥ 0.20 vendors its own click
        from typer._click import exceptions as vendored  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return
    vendored.UsageError.exit_code = 1


_usage_errors_exit_1()


DB_HELP = "Store: SQLite path or SQLAlchemy URL (default: $BRINKWATCH_DB, else ./brinkwatch.db)."


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clean error line and return the Exit to raise (1 = usage error)."""
    typer.echo(f"brinkwatch: {message}", err=True)
    return typer.Exit(code)
