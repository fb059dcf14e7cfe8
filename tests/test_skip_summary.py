"""The closing line that counts the tests skipped for lack of ../shared, by kind (tests/conftest.py)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from conftest import SHARED, need_shared, pytest_terminal_summary


class _Reporter:
    def __init__(self, reasons: list[Any]) -> None:
        self.stats = {"skipped": [SimpleNamespace(longrepr=r) for r in reasons]}
        self.lines: list[str] = []

    def write_line(self, line: str) -> None:
        self.lines.append(line)


def test_skips_are_counted_by_kind() -> None:
    reasons = [
        ("t.py", 1, "Skipped: needs ../shared/seed (seed/x.txt is not beside the checkout)"),
        ("t.py", 2, "Skipped: needs ../shared/seed (seed/x.txt is not beside the checkout)"),
        ("t.py", 3, "Skipped: needs ../shared/training (training is not beside the checkout)"),
        ("t.py", 4, "Skipped: no PostgreSQL server (set BRINKWATCH_TEST_PG)"),  # not for lack of ../shared
        "Skipped: needs ../shared/ontology (ontology/PLOVER.md is not beside the checkout)",
    ]
    reporter = _Reporter(reasons)
    pytest_terminal_summary(reporter)  # type: ignore[arg-type]
    assert reporter.lines == ["skipped for lack of ../shared: 4 (training: 1, resources: 0, seed: 2, ontology: 1)"]


def test_need_shared_skips_with_the_counted_reason(tmp_path: Any) -> None:
    with pytest.raises(AssertionError):
        need_shared("gold", tmp_path)  # gold is vendored: never a reason to skip
    with pytest.raises(pytest.skip.Exception, match=r"needs \.\./shared/resources"):
        need_shared("resources", SHARED / "no-such-resource")
