"""The wheel people install works away from the checkout.

Builds a wheel from a copy of the sources, installs it into a fresh venv outside the checkout with the
pinned dependencies (the lock as constraints: only the runtime dependencies, at the locked versions), and
from a directory outside the checkout runs `brinkwatch demo --no-serve` and `brinkwatch extract`. The
package data (data/, the demo corpus, web templates and static files) must be in the installed package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "brinkwatch"
ARTICLE = (
    "Russian fighter jets entered Estonian airspace on Tuesday, the Estonian defence ministry said.\n\n"
    "NATO condemned the incursion, and Estonia summoned the Russian ambassador in Tallinn.\n"
)

pytestmark = pytest.mark.slow


def _lock() -> Path:
    """The lock the Makefile picks for this interpreter."""
    ver = f"{sys.version_info.major}{sys.version_info.minor}"
    own = ROOT / f"requirements-py{ver}.lock"
    return own if own.is_file() else ROOT / "requirements.lock"


def _uv() -> str:
    found = Path(sysconfig.get_path("scripts")) / "uv"
    if found.is_file():
        return str(found)
    which = shutil.which("uv")
    if which is None:
        pytest.fail("uv is not installed in the test venv (make setup installs it)")
    return which


def _env() -> dict[str, str]:
    """The environment of a person's shell: no PYTHONPATH, no brinkwatch settings, no active venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRINKWATCH_", "PYTHON", "VIRTUAL_ENV"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert res.returncode == 0, (
        f"{cmd} exited {res.returncode}\nstdout:\n{res.stdout[-3000:]}\nstderr:\n{res.stderr[-3000:]}"
    )
    return res


def _package_files(base: Path) -> set[str]:
    """Files of the package that are not Python modules (data, templates, static, demo)."""
    return {
        p.relative_to(base).as_posix()
        for p in base.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(venv, a work directory outside the checkout, env) with the wheel installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    assert ROOT not in tmp.parents, "the temporary directory must be outside the checkout"
    env = _env()
    uv = _uv()
    # A copy of what the sdist holds: building there leaves no build/ or egg-info in the checkout.
    src = tmp / "src-copy"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "NOTICE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    dist = tmp / "dist"
    # the build backend of the test venv (setuptools is pinned in the lock): no download, no isolation
    _run(
        [uv, "build", "--wheel", "--no-build-isolation", "--python", sys.executable, "-o", str(dist), str(src)],
        tmp,
        env,
    )
    wheels = list(dist.glob("brinkwatch-*-py3-none-any.whl"))
    assert len(wheels) == 1, wheels
    venv = tmp / "venv"
    _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], tmp, env)
    _run(
        [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheels[0]), "-c", str(_lock())],
        tmp,
        env,
    )
    work = tmp / "work"
    work.mkdir()
    return venv, work, env


def test_the_wheel_is_installed_not_the_checkout(installed: tuple[Path, Path, dict[str, str]]) -> None:
    venv, work, env = installed
    where = _run([str(venv / "bin" / "python"), "-c", "import brinkwatch; print(brinkwatch.__file__)"], work, env)
    module = Path(where.stdout.strip())
    assert venv in module.parents and ROOT not in module.parents, module
    assert _package_files(module.parent) >= _package_files(PACKAGE), "package data missing from the wheel"
    assert {"data/events/verbs.yaml", "demo/wire.jsonl", "web/templates/base.html", "web/static/style.css"} <= (
        _package_files(module.parent)
    )
    meta = _run(
        [str(venv / "bin" / "python"), "-c", "import importlib.metadata as m; print(m.version('brinkwatch'))"],
        work,
        env,
    )
    assert meta.stdout.strip()
    licences = list(venv.rglob("brinkwatch-*.dist-info/licenses/NOTICE"))
    assert licences, "NOTICE is not in the wheel's metadata"


def test_demo_runs_from_the_wheel(installed: tuple[Path, Path, dict[str, str]]) -> None:
    venv, work, env = installed
    db = work / "demo.db"
    res = _run([str(venv / "bin" / "brinkwatch"), "demo", "--no-serve", "--db", str(db)], work, env)
    stats = dict(
        line.split(": ", 1) for line in res.stdout.splitlines() if ": " in line and not line.startswith("ingested")
    )
    assert int(stats["articles"]) >= 20 and int(stats["events"]) >= 20 and int(stats["failed"]) == 0, res.stdout
    assert db.is_file()


def test_extract_runs_from_the_wheel(installed: tuple[Path, Path, dict[str, str]]) -> None:
    venv, work, env = installed
    article = work / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    res = _run([str(venv / "bin" / "brinkwatch"), "extract", "article.txt", "--published", "2025-10-10"], work, env)
    events = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert events, res.stdout + res.stderr
    assert {"ACCUSE"} <= {e["event_type"] for e in events}
    assert all(e["doc_id"] == "article.txt" for e in events)
