"""NOTICE names every data file the project ships or vendors, and names no file that is gone.

A data file is any file under the package's data folders (src/brinkwatch/data, the demo corpus, the web's
static assets) or under tests/data, except the README.md / LICENCES.md that describe a folder. Adding one
without a NOTICE row fails here; NOTICE says how to add the row.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "NOTICE"
DATA_DIRS = ("src/brinkwatch/data", "src/brinkwatch/demo", "src/brinkwatch/web/static", "tests/data")
FOLDER_DOCS = {"README.md", "LICENCES.md"}
SKIPPED_PARTS = {"__pycache__"}


def data_files() -> list[str]:
    found = []
    for top in DATA_DIRS:
        for path in sorted((ROOT / top).rglob("*")):
            rel = path.relative_to(ROOT)
            if path.is_file() and path.name not in FOLDER_DOCS and not SKIPPED_PARTS & set(rel.parts):
                found.append(rel.as_posix())
    return found


def named_in_notice() -> set[str]:
    """Every `path` in backticks in NOTICE that points under one of the data folders."""
    text = NOTICE.read_text(encoding="utf-8")
    return {p for p in re.findall(r"`([^`\s]+)`", text) if p.startswith(DATA_DIRS)}


def test_there_are_data_files_to_check() -> None:
    files = data_files()
    assert "src/brinkwatch/data/events/verbs.yaml" in files and "tests/data/gold/plover_gsr_dev.jsonl" in files


def test_every_data_file_is_named_in_notice() -> None:
    missing = [f for f in data_files() if f not in named_in_notice()]
    assert not missing, f"data files not named in NOTICE (add a row, see 'How to add an entry'): {missing}"


def test_notice_names_no_file_that_is_gone() -> None:
    stale = sorted(p for p in named_in_notice() if not (ROOT / p).is_file())
    assert not stale, f"NOTICE names files that do not exist: {stale}"


def test_notice_is_the_one_file() -> None:
    parts = ROOT / "NOTICE.parts"
    fragments = sorted(p.name for p in parts.iterdir()) if parts.is_dir() else []
    assert not fragments, f"fold NOTICE.parts/{fragments} into NOTICE and delete them: NOTICE is the one file"


def test_licence_files_are_there() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "MIT" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert (ROOT / "tests" / "data" / "gold" / "LICENCES.md").is_file()
