"""`make demo` installs only runtime dependencies (issue 14, item 7): requirements-run.lock pins exactly what
requirements.lock pins for the runtime, none of the test tools; duckdb (for the export tests) is a pinned dev
dependency."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)", re.MULTILINE)
DEV_TOOLS = {"pytest", "mypy", "ruff", "playwright", "hypothesis", "import-linter", "duckdb", "pandas-stubs"}


def _pins(name: str) -> dict[str, str]:
    return {k.lower(): v for k, v in PIN.findall((ROOT / name).read_text(encoding="utf-8"))}


def test_runtime_lock_is_the_dev_lock_without_the_tools() -> None:
    dev, run = _pins("requirements.lock"), _pins("requirements-run.lock")
    assert run and all(dev.get(k) == v for k, v in run.items()), "the two locks pin different versions"
    assert not DEV_TOOLS & set(run) and set(dev) >= DEV_TOOLS
    assert {"spacy", "fastapi", "uvicorn", "lightgbm", "pyarrow"} <= set(run)


def test_make_demo_uses_the_runtime_lock() -> None:
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    demo = re.search(r"^demo: (.+)$", make, re.MULTILINE)
    assert demo is not None and demo.group(1).strip() == "$(RUN_STAMP)"
    assert "requirements-run.lock" in make
