"""The analytics commands end to end on a real SQLite store: tables, --json, exit codes, hostile text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analytics_data import write_record, write_scenario
from brinkwatch.analyze import incidents
from brinkwatch.cli import app
from brinkwatch.store.writer import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "s.db")
    with Store(path) as store:
        write_scenario(store)
        write_record(
            store,
            {
                "doc_id": "evil",
                "published": "2025-09-23",
                "date": "2025-09-23",
                "event_type": "PROTEST",
                "actor": "POL",
                "recipient": "RUS",
                "text": "[bold red]x[/bold red] <script>alert(1)</script> protest",
            },
        )
        incidents.refresh(store)
    return path


def _json(args: list[str]) -> object:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_json_outputs(store_path: str) -> None:
    inc = _json(["incidents", "--json", "--db", store_path])
    assert isinstance(inc, list) and any(r["n_reports"] == 2 for r in inc)
    one = _json(["incident", str(inc[0]["id"]), "--json", "--db", store_path])
    assert one["incident"]["id"] == inc[0]["id"] and one["reports"]
    dy = _json(["dyad", "NATO:RUS", "--json", "--db", store_path])
    assert dy["rows"][0]["period"] == "2025-08-25" and dy["not_counted"]["background"] == 0
    esc = _json(["escalation", "--dyad", "NATO:RUS", "--json", "--db", store_path])
    assert {"weeks", "jumps"} == set(esc) and esc["jumps"][0]["incidents"]
    assert _json(["alerts", "--json", "--db", store_path])
    sp = _json(["spirals", "--dyad", "NATO:RUS", "--json", "--db", store_path])
    assert sp[0]["n_moves"] >= 2
    co = _json(["cohesion", "NATO:RUS", "--json", "--db", store_path])
    assert co["majority"] == "restraint" and len(co["rows"]) == 3
    st = _json(["stories", "--until", "2025-09-14", "--json", "--db", store_path])
    assert st[0]["key"] == "drones"
    (cl,) = _json(["claims", "--json", "--db", store_path])  # Poland's accusation, without content or denial
    assert cl["accusers"] == [{"text": "POL", "country": "POL"}] and cl["actor"] == "RUS" and cl["state"] == "open"


def test_tables_print_article_text_literally(store_path: str) -> None:
    res = runner.invoke(app, ["incidents", "--db", store_path], env={"COLUMNS": "250"})
    assert res.exit_code == 0
    assert "[bold red]x[/bold red]" in res.stdout and "<script>alert(1)</script>" in res.stdout
    for cmd in (
        ["dyad", "NATO:RUS"],
        ["escalation"],
        ["alerts"],
        ["spirals"],
        ["cohesion", "NATO:RUS"],
        ["stories"],
        ["claims"],
    ):
        res = runner.invoke(app, [*cmd, "--db", store_path])
        assert res.exit_code == 0, (cmd, res.output)


def test_export_command(store_path: str, tmp_path: Path) -> None:
    res = runner.invoke(app, ["export", "--format", "plover", "--db", store_path])
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 14
    out = tmp_path / "e.parquet"
    res = runner.invoke(app, ["export", "--format", "parquet", "--out", str(out), "--db", store_path])
    assert res.exit_code == 0 and out.stat().st_size > 0


@pytest.mark.parametrize(
    "args",
    [
        ["dyad", "NATO"],
        ["dyad", "NATO:RUS", "--freq", "Y"],
        ["cohesion", "x;y"],
        ["escalation", "--dyad", "A:B:C"],
        ["export", "--format", "xml"],
        ["export", "--format", "parquet"],
        ["incident", "424242"],
    ],
)
def test_usage_errors_exit_1(store_path: str, args: list[str]) -> None:
    res = runner.invoke(app, [*args, "--db", store_path])
    assert res.exit_code == 1 and "Traceback" not in res.output
