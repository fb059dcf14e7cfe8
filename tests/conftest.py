"""Shared fixtures: the vendored gold sets, paths to ../shared, a fresh store on a real SQLite file or a real
PostgreSQL database; and the closing line that counts the tests skipped for lack of ../shared.

The dev gold sets are vendored under tests/data/gold (licences in tests/data/gold/LICENCES.md), so the quality
gates run on a fresh clone. Only what may not be vendored is read from ../shared: the seed article (no stated
licence), the ontology summary (ontology/PLOVER.md), training data and resources. A test that needs one of them
asks for its fixture, which skips with "needs ../shared/<kind>" when it is missing; the run then says how many.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BRINKWATCH_SHARED") or ROOT.parent / "shared")  # ../shared unless set
SEED = SHARED / "seed" / "000_780395971d1f23d5.txt"
GOLD = ROOT / "tests" / "data" / "gold"  # vendored copies of ../shared/gold (tests/test_gold_vendored.py)
SHARED_GOLD = SHARED / "gold"
PLOVER_MANUAL = SHARED / "ontology" / "PLOVER.md"
SEED_PUBLISHED = "2025-10-10"

# What a test may skip for when ../shared is not beside the checkout (nothing else of ../shared may be needed).
SHARED_KINDS = ("training", "resources", "seed", "ontology")
_NEEDS = re.compile(r"needs \.\./shared/(\w+)")


def tool_module(name: str) -> ModuleType:
    """A build script of tools/ (``tools/<name>.py``) loaded as a module, for tests of its functions."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def need_shared(kind: str, path: Path) -> Path:
    """``path`` under ../shared, or skip the test with a reason the closing summary counts."""
    assert kind in SHARED_KINDS, kind
    if not path.exists():
        pytest.skip(f"needs ../shared/{kind} ({path.relative_to(SHARED)} is not beside the checkout)")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed article: real input with no stated licence, so it is not vendored."""
    return need_shared("seed", SEED)


@pytest.fixture(scope="session")
def news_article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole news article, for tests that any article will do (engines agree, a store matches, a bound holds).

    The seed when ../shared is beside the checkout (real input: MT artefacts, hashtags, nested claims); else
    the shipped demo corpus's wire texts (fiction, MIT) as one article, so such tests need not skip. Tests of
    what the seed itself says ask for ``seed_path``.
    """
    if SEED.is_file():
        return SEED
    wire = ROOT / "src" / "brinkwatch" / "demo" / "wire.jsonl"
    rows = [json.loads(line) for line in wire.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows if "<" not in r["text"]]  # not the hostile item: a plain-text article
    path = tmp_path_factory.mktemp("article") / "demo_article.txt"
    path.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def plover_manual() -> Path:
    """../shared/ontology/PLOVER.md, the ontology summary the vocabularies are checked against."""
    return need_shared("ontology", PLOVER_MANUAL)


@pytest.fixture(scope="session")
def training_dir() -> Path:
    return need_shared("training", SHARED / "training")


@pytest.fixture(scope="session")
def shared_dir(training_dir: Path) -> Path:
    """../shared, for what reads its training texts as news (skips without them)."""
    return SHARED


@pytest.fixture(scope="session")
def resources_dir() -> Path:
    return need_shared("resources", SHARED / "resources")


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    """The vendored dev gold sets: always there, never a reason to skip."""
    assert (GOLD / "plover_gsr_dev.jsonl").is_file(), f"{GOLD}: the vendored gold sets are missing"
    return GOLD


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line: how many tests were skipped for lack of ../shared, and for what."""
    counts = dict.fromkeys(SHARED_KINDS, 0)
    for report in terminalreporter.stats.get("skipped", []):
        match = _NEEDS.search(_skip_reason(report))
        if match:
            kind = match.group(1)
            counts[kind] = counts.get(kind, 0) + 1
    detail = ", ".join(f"{kind}: {n}" for kind, n in counts.items())
    terminalreporter.write_line(f"skipped for lack of ../shared: {sum(counts.values())} ({detail})")


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The real parser with brinkwatch's components, loaded once per test process."""
    from brinkwatch.coder.parse import load_nlp

    return load_nlp()


def _pg_admin_url() -> str | None:
    return os.environ.get("BRINKWATCH_TEST_PG")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database on the server .ci/run started; dropped afterwards.

    Without BRINKWATCH_TEST_PG the test is skipped locally, and fails in CI (CI=true): the Postgres
    backend is claimed, so CI must really test it.
    """
    admin = _pg_admin_url()
    if not admin:
        if os.environ.get("CI"):
            pytest.fail("BRINKWATCH_TEST_PG is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL server (set BRINKWATCH_TEST_PG)")
    import sqlalchemy as sa

    name = "bw_test_" + uuid.uuid4().hex[:12]
    admin_sa = "postgresql+psycopg://" + admin.split("://", 1)[1]
    engine = sa.create_engine(admin_sa, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store URL: a real SQLite file, then a real PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def data_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the packaged ``brinkwatch/data``; inside the test the lexicon reads it
    (``lexicon.loader.data_root``): write a malformed file there and the loader must refuse it."""
    import shutil
    from importlib import resources

    from brinkwatch.lexicon.loader import data_root

    root = tmp_path / "data"
    with resources.as_file(resources.files("brinkwatch").joinpath("data")) as packaged:
        shutil.copytree(packaged, root)
    with data_root(root):
        yield root
