"""Acceptance on the bundled demo corpus through the real pipeline: the rise, its incidents, merged reports."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brinkwatch.cli import app

runner = CliRunner()
DEMO = Path(str(resources.files("brinkwatch") / "demo"))


def test_demo_corpus_is_marked_fictional() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "FICTIONAL" in readme
    files = sorted(p.name for p in DEMO.iterdir() if p.name != "README.md")
    assert {".jsonl", ".html", ".xml", ".txt"} == {Path(f).suffix for f in files}
    records = [json.loads(line) for line in (DEMO / "wire.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all("(fictional)" in r["source"] for r in records)
    for name in files:
        assert "fictional" in (DEMO / name).read_text(encoding="utf-8").lower(), name
    n_items = len(records) + (DEMO / "feed.xml").read_text(encoding="utf-8").count("<item>") + 2
    assert 15 <= n_items <= 30
    assert any("<script>alert(1)</script>" in r["title"] and "onerror=alert(1)" in r["text"] for r in records)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("demo") / "demo.db")
    files = [str(p) for p in sorted(DEMO.iterdir()) if p.name != "README.md"]
    res = runner.invoke(app, ["ingest", *files, "--db", db])
    assert res.exit_code == 0, res.output
    return db


def _json(args: list[str]) -> object:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.slow
def test_escalation_rises_with_incidents_behind(demo_db: str) -> None:
    esc = _json(["escalation", "--dyad", "NATO:RUS", "--json", "--db", demo_db])
    weeks = esc["weeks"]
    assert len(weeks) >= 5
    assert weeks[0]["index"] == 0 and max(w["index"] for w in weeks) >= 6
    jump = esc["jumps"][0]
    assert jump["week"] == "2025-09-08" and jump["previous"] == 0
    assert {i["event_type"] for i in jump["incidents"]} & {"ASSAULT", "MOBILIZE", "COERCE"}
    assert any("drone" in i["summary"].lower() for i in jump["incidents"])
    # the last week is the peak, and a jump too
    last = weeks[-1]
    assert last["index"] == max(w["index"] for w in weeks) and last["jump"]
    assert esc["jumps"][-1]["week"] == last["week"] and len(esc["jumps"][-1]["incidents"]) >= 3


@pytest.mark.slow
def test_syndicated_copy_and_follow_up_merge(demo_db: str) -> None:
    incs = _json(["incidents", "--json", "--limit", "500", "--db", demo_db])
    drones = [i for i in incs if "drones violated Polish airspace" in (i["summary"] or "")]
    assert len(drones) == 1, drones
    d = drones[0]
    # the wire, its syndicated copy, the reworded follow-up (and Poland's accusation, when coded as its content)
    assert d["n_reports"] >= 3 and d["n_outlets"] == 3
    detail = _json(["incident", str(d["id"]), "--json", "--db", demo_db])
    reports = {r["doc_id"]: r for r in detail["reports"]}
    assert {"demo-04", "demo-05", "poland-drones.html"} <= set(reports)
    assert reports["demo-05"]["duplicate_of"] is not None
    assert "Polish military officials" in reports["poland-drones.html"]["sentences"][0]["text"]
