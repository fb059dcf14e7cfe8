"""Generated documentation: the README's CLI reference (from ``--help``) and settings table.

``python -m brinkwatch.cli.docs`` rewrites the generated blocks of README.md in place; ``--check`` exits 1
when they are out of date (the test suite runs the check, so the README never lies about the CLI).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from brinkwatch.cli import app
from brinkwatch.core.settings import settings_table

CLI_START, CLI_END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"
SET_START, SET_END = "<!-- settings:start -->", "<!-- settings:end -->"


def _plain_help(cmd: Any, name: str, parent: Any = None) -> str:
    """``--help`` as plain text (typer's own click, with rich's boxes switched off for the README)."""
    ctx = cmd.context_class(cmd, info_name=name, parent=parent, terminal_width=100, max_content_width=100)
    mode = getattr(cmd, "rich_markup_mode", None)
    cmd.rich_markup_mode = None
    try:
        return str(cmd.get_help(ctx)).rstrip()
    finally:
        cmd.rich_markup_mode = mode


def command_group() -> Any:
    """The click group behind the typer app (typer vendors click, so it is duck-typed here)."""
    return typer.main.get_command(app)


def command_names() -> list[str]:
    group = command_group()
    root = group.context_class(group, info_name="brinkwatch")
    return [n for n in group.list_commands(root) if not getattr(group.get_command(root, n), "hidden", False)]


def cli_reference() -> str:
    group = command_group()
    root = group.context_class(group, info_name="brinkwatch")
    parts = ["```text", _plain_help(group, "brinkwatch"), "```"]
    for name in sorted(group.list_commands(root)):
        cmd = group.get_command(root, name)
        if cmd is None or cmd.hidden:
            continue
        parts += ["", f"### `brinkwatch {name}`", "", "```text", _plain_help(cmd, name, root), "```"]
    return "\n".join(parts)


def settings_reference() -> str:
    rows = ["| setting | environment variable | default | what it does |", "|---|---|---|---|"]
    for name, env, default, help_ in settings_table():
        rows.append(f"| `{name}` | `{env}` | `{default!r}` | {help_} |")
    return "\n".join(rows)


def _replace(text: str, start: str, end: str, body: str) -> str:
    a, b = text.index(start) + len(start), text.index(end)
    return text[:a] + "\n" + body + "\n" + text[b:]


def render(readme: str) -> str:
    readme = _replace(readme, CLI_START, CLI_END, cli_reference())
    return _replace(readme, SET_START, SET_END, settings_reference())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(__file__).resolve().parents[3] / "README.md"
    old = path.read_text(encoding="utf-8")
    new = render(old)
    if "--check" in argv:
        if new != old:
            print("README.md is out of date: run `make docs`", file=sys.stderr)
            return 1
        return 0
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
