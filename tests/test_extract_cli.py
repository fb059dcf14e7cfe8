"""``brinkwatch extract``: text files, stdin and JSON lines in, one JSON object per event out."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from brinkwatch.cli import app

runner = CliRunner()
FIELDS = {
    "doc_id", "sentence_index", "sentence", "trigger", "event_type", "mode", "contexts", "quad", "score",
    "actors", "recipients", "status", "factual", "factuality", "attribution", "date", "date_precision",
    "location", "parent_event", "confidence",
}  # fmt: skip


def lines(out: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in out.splitlines() if x.strip()]


def test_text_file_to_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text("Moscow denied that its jets violated Estonian airspace on Thursday.\n", encoding="utf-8")
    r = runner.invoke(app, ["extract", str(f), "--published", "2025-10-10"])
    assert r.exit_code == 0, r.output
    evs = lines(r.stdout)
    assert len(evs) == 2 and all(set(e) >= FIELDS for e in evs)
    reject, child = evs
    assert reject["event_type"] == "REJECT" and reject["actors"][0]["country"] == "RUS"
    assert child["parent_event"] == reject["event_id"] and child["factual"] is False
    assert reject["doc_id"].endswith("report.txt") and reject["sentence_index"] == 0
    assert reject["date"] is not None and reject["date"].startswith("2025-10")


def test_jsonl_records_and_a_bad_line(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    f.write_text(
        json.dumps({"id": "a1", "text": "Iran threatened to shell Iraqi towns.", "published": "2024-03-01"})
        + "\n{not json\n"
        + json.dumps({"id": "a2", "text": "Russia deployed troops to the border."})
        + "\n",
        encoding="utf-8",
    )
    r = runner.invoke(app, ["extract", str(f), "--published", "2025-10-10"])
    assert r.exit_code == 2
    evs = lines(r.stdout)
    assert {e["doc_id"] for e in evs} == {"a1", "a2"}
    assert next(e for e in evs if e["doc_id"] == "a1")["event_type"] == "THREATEN"
    assert len([x for x in r.stderr.splitlines() if x.strip()]) == 1 and "batch.jsonl:2" in r.stderr


def test_stdin_and_table() -> None:
    text = "The European Union imposed sanctions on Russia on Friday.\n"
    r = runner.invoke(app, ["extract", "-", "--format", "table"], input=text)
    assert r.exit_code == 0, r.output
    assert "SANCTION" in r.stdout and "EU" in r.stdout and "RUS" in r.stdout
    empty = runner.invoke(app, ["extract", "-"], input="")
    assert empty.exit_code in (0, 2) and empty.stdout.strip() == ""


def test_usage_errors(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("Russia attacked Ukraine.", encoding="utf-8")
    assert runner.invoke(app, ["extract", str(f), "--format", "xml"]).exit_code == 1
    assert runner.invoke(app, ["extract", str(f), "--published", "yesterday"]).exit_code == 1
    missing = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "nope.txt" in missing.stderr
