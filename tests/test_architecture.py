"""The package's shape holds: stages as layers (import-linter contracts in pyproject.toml), no cycles, no
imports by string, a docstring per stage saying what it holds and may import."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "brinkwatch"
STAGES = ("core", "lexicon", "ingest", "coder", "store", "analyze", "pipeline", "web", "cli", "dev")
LINT = str(Path(sys.executable).with_name("lint-imports"))


def _lint(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([LINT, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_stages_are_packages_with_a_docstring() -> None:
    for stage in STAGES:
        init = PKG / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and doc.startswith(f"{stage} — "), f"{init}: the docstring starts with '{stage} — '"
        assert "import" in doc.lower(), f"{init}: the docstring says what the stage may import"
    flat = sorted(p.name for p in PKG.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py"], f"modules outside the stages: {flat}"


def test_the_import_contracts_hold() -> None:
    result = _lint(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 kept, 0 broken" in result.stdout


def test_a_forbidden_import_breaks_the_contract(tmp_path: Path) -> None:
    """The layers contract is not vacuous: core importing the web layer makes lint-imports fail."""
    shutil.copytree(PKG, tmp_path / "src" / "brinkwatch", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    records = tmp_path / "src" / "brinkwatch" / "core" / "records.py"
    records.write_text(records.read_text(encoding="utf-8") + "\nfrom brinkwatch.web import api  # noqa\n")
    result = _lint(tmp_path, tmp_path / "src")
    assert result.returncode != 0
    assert "brinkwatch.core is not allowed to import brinkwatch.web" in result.stdout


@pytest.mark.parametrize("path", sorted(PKG.rglob("*.py")), ids=lambda p: str(p.relative_to(PKG)))
def test_no_imports_by_string(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            assert name not in ("import_module", "__import__"), f"{path.name}:{node.lineno} imports by string"


def test_no_merge_conflict_markers_left() -> None:
    """No text file of the repository keeps a merge's conflict markers (a README once shipped with them)."""
    root = Path(__file__).resolve().parents[1]
    found = []
    for sub in ("src", "tests", "tools", "training", "README.md", "Makefile", "NOTICE", "pyproject.toml"):
        base = root / sub
        paths = [base] if base.is_file() else [p for p in base.rglob("*") if p.is_file()] if base.is_dir() else []
        for p in paths:
            if p.suffix in (".pyc", ".pkl", ".parquet", ".db") or "__pycache__" in p.parts:
                continue
            try:
                lines = p.read_text(encoding="utf-8").splitlines()
            except (UnicodeDecodeError, OSError):
                continue
            found += [
                f"{p.relative_to(root)}:{i + 1}" for i, x in enumerate(lines) if x.startswith(("<<<<<<< ", ">>>>>>> "))
            ]
    assert not found, found
