"""Command-line interface: ``brinkwatch COMMAND``. Each module registers its commands on ``app``."""

from __future__ import annotations

import importlib

from .app import app

# Each module below owns a group of commands; a module that is not there yet is skipped.
_COMMAND_MODULES = ("ingest_cmd", "extract_cmd", "eval_cmd", "analyze_cmd", "serve_cmd", "bench_cmd")

for _name in _COMMAND_MODULES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # pragma: no cover - only while a module is being written
        if exc.name != f"{__name__}.{_name}":
            raise


def main() -> None:
    app()


__all__ = ["app", "main"]
