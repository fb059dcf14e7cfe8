"""cli — the thin command line, ``brinkwatch COMMAND``: each module registers its commands on ``app`` and calls the
library. May import every other package (dev included: ``eval``, ``bench``)."""

from __future__ import annotations

from brinkwatch.cli.app import app

# each module below owns a group of commands and registers them on ``app`` when imported, in this order
# (the order ``brinkwatch --help`` lists them)
# isort: off
from brinkwatch.cli import ingest_cmd, extract_cmd, eval_cmd, analyze_cmd, serve_cmd, bench_cmd  # noqa: F401
# isort: on


def main() -> None:
    app()


__all__ = ["app", "main"]
