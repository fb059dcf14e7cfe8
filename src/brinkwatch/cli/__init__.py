"""Command-line interface: ``brinkwatch COMMAND``. Each module registers its commands on ``app``."""

from __future__ import annotations

import importlib

from .app import app

# Each module below owns a group of commands and registers them on ``app`` when imported.
_COMMAND_MODULES = ("ingest_cmd", "extract_cmd", "eval_cmd", "analyze_cmd", "serve_cmd", "bench_cmd")

for _name in _COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    app()


__all__ = ["app", "main"]
