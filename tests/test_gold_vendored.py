"""The vendored dev gold sets (tests/data/gold) are the project's gold sets, byte for byte.

The quality gates read the vendored copies, so a fresh clone without ../shared runs them. Each copy must
have the sha256 the gates pinned; when ../shared/gold is beside the checkout, it must also equal that
file (a gold set updated there and not here fails here, loudly).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import GOLD, SHARED_GOLD
from test_gate_events import PETRARCH_FILE, PETRARCH_SHA256, PLOVER_FILE, PLOVER_SHA256
from test_gate_factuality import GOLD_FILE as MEANTIME_FILE
from test_gate_factuality import GOLD_SHA256 as MEANTIME_SHA256

PINNED = {PLOVER_FILE: PLOVER_SHA256, PETRARCH_FILE: PETRARCH_SHA256, MEANTIME_FILE: MEANTIME_SHA256}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_vendored_files_are_the_three_dev_sets() -> None:
    assert sorted(p.name for p in GOLD.glob("*.jsonl")) == sorted(PINNED)


@pytest.mark.parametrize("name", sorted(PINNED))
def test_vendored_copy_is_the_pinned_gold(name: str) -> None:
    assert _sha(GOLD / name) == PINNED[name], f"tests/data/gold/{name} differs from the gold the gates pinned"
    shared = SHARED_GOLD / name
    if shared.is_file():  # without ../shared the pin is the check; with it, the file itself too
        assert _sha(shared) == _sha(GOLD / name), f"tests/data/gold/{name} differs from ../shared/gold/{name}"


def test_every_vendored_file_has_its_licence_notice() -> None:
    licences = (GOLD / "LICENCES.md").read_text(encoding="utf-8")
    for name in PINNED:
        assert f"`{name}`" in licences, f"{name} is not described in tests/data/gold/LICENCES.md"
    for needed in ("CC BY-SA 4.0", "CC BY 4.0", "CC BY 2.5", "MIT"):
        assert needed in licences
