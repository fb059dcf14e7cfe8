"""The README documents every command and setting as they are (generated from --help, then checked)."""

from __future__ import annotations

from pathlib import Path

from brinkwatch.cli import docs
from brinkwatch.core.settings import settings_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_cli_reference_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert docs.render(text) == text, "README.md is out of date: run `make docs`"


def test_every_command_and_setting_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    names = docs.command_names()
    assert names, "no commands registered"
    for name in names:
        assert f"### `brinkwatch {name}`" in text
    for name, env, _default, _help in settings_table():
        assert f"`{env}`" in text and f"`{name}`" in text


def test_the_two_commands_are_in_the_first_30_lines() -> None:
    head = README.read_text(encoding="utf-8").splitlines()[:30]
    assert any("make demo" in line for line in head)
    assert any("make test" in line for line in head)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_no_merge_conflict_is_left_in_the_docs() -> None:
    """A merge that left its conflict markers in README or NOTICE fails here (test_docs passed with them)."""
    for path in (README, README.parent / "NOTICE"):
        lines = path.read_text(encoding="utf-8").splitlines()
        left = [i + 1 for i, line in enumerate(lines) if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line == "======="]
        assert not left, f"{path.name}: conflict markers on lines {left}"
