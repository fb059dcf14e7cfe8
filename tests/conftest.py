"""Shared fixtures: paths to ../shared, a fresh store on a real SQLite file or a real PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BRINKWATCH_SHARED") or ROOT.parent / "shared")  # ../shared unless set
SEED = SHARED / "seed" / "000_780395971d1f23d5.txt"
GOLD = SHARED / "gold"
SEED_PUBLISHED = "2025-10-10"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED


@pytest.fixture(scope="session")
def seed_path(shared_dir: Path) -> Path:
    return SEED


@pytest.fixture(scope="session")
def gold_dir(shared_dir: Path) -> Path:
    return GOLD


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
