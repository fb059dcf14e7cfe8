"""Acceptance on the seed article through the real pipeline (extractor included): the claims ledger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brinkwatch.cli import app


@pytest.fixture(scope="module")
def seed_claims(seed_path: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    db = str(tmp_path_factory.mktemp("seed") / "seed.db")
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(seed_path), "--db", db])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["claims", "--json", "--db", db])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_airspace_allegation_accusers_and_denier(seed_claims: list[dict]) -> None:
    airspace = [c for c in seed_claims if "airspace" in c["summary"]]
    assert airspace, [c["summary"] for c in seed_claims]
    c = airspace[0]
    assert {"WST", "EST", "POL"} <= {a["country"] for a in c["accusers"]}
    assert "RUS" in {d["country"] for d in c["deniers"]}
    assert c["actor"] == "RUS" and c["state"] == "contested"
    assert c["first_said"] == "2025-10-10" or c["first_said"] is None or c["first_said"] <= "2025-10-10"
