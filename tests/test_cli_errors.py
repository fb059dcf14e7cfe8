"""Errors, not silence (issue 14, items 3 and 4): a mistyped store is refused and created by nothing; unknown
statuses, types, actors, dyads and dates are errors with suggestions; names resolve to codes; long outputs have
limits; the monthly series; the claims table shows status, state and incident."""

from __future__ import annotations

import contextlib
import json
import socket
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analytics_data import write_scenario
from brinkwatch.analyze import incidents
from brinkwatch.cli import app
from brinkwatch.store.writer import Store

runner = CliRunner()

READ_COMMANDS = [
    ["stats"],
    ["events"],
    ["incidents"],
    ["incident", "1"],
    ["claims"],
    ["dyad", "NATO:RUS"],
    ["escalation"],
    ["alerts"],
    ["spirals"],
    ["cohesion", "NATO:RUS"],
    ["stories"],
    ["export"],
    ["serve", "--port", "1"],
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "s.db")
    with Store(path) as store:
        write_scenario(store)
        incidents.refresh(store)
    return path


@pytest.mark.parametrize("cmd", READ_COMMANDS, ids=lambda c: c[0])
def test_a_mistyped_store_is_refused_and_not_created(tmp_path: Path, cmd: list[str]) -> None:
    typo = tmp_path / "typo.db"
    res = runner.invoke(app, [*cmd, "--db", str(typo)])
    assert res.exit_code == 2, res.output
    assert res.stderr.startswith("brinkwatch: no store at") and len(res.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_database_that_is_not_a_store_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with contextlib.closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    before = other.read_bytes()
    res = runner.invoke(app, ["stats", "--db", str(other)])
    assert res.exit_code == 2 and "not a brinkwatch store" in res.stderr
    assert other.read_bytes() == before


def test_ingest_still_creates_a_store(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("NATO said on Monday that it would hold talks with Russia about the airspace incidents.\n")
    db = tmp_path / "new.db"
    res = runner.invoke(app, ["ingest", str(src), "--db", str(db), "--published", "2025-10-06"])
    assert res.exit_code == 0, res.output
    assert runner.invoke(app, ["stats", "--db", str(db)]).exit_code == 0


def _out(args: list[str]) -> str:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return res.stdout


def test_names_resolve_to_codes(store_path: str) -> None:
    db = ["--db", store_path]
    assert _out(["dyad", "Russia:Poland", "--json", *db]) == _out(["dyad", "RUS:POL", "--json", *db])
    assert json.loads(_out(["dyad", "russia:poland", "--json", *db]))["dyad"] == "RUS:POL"
    by_name = _out(["events", "--actor", "Russia", *db])
    assert by_name and by_name == _out(["events", "--actor", "RUS", *db])
    assert _out(["events", "--status", "Considered", *db]) == _out(["events", "--status", "considered", *db])
    assert _out(["events", "--type", "assault", *db]) == _out(["events", "--type", "ASSAULT", *db])
    assert _out(["claims", "--since", "yesterday", *db])  # parses (nothing that recent: "nothing yet")
    assert _out(["events", "--since", "2025-09", "--until", "2025-09-12", *db])


def test_events_by_the_event_models_confidence(store_path: str) -> None:
    db = ["--db", store_path]
    every = json.loads(_out(["events", "--json", *db]))
    least = min(e["confidence"] for e in every)
    assert every and every == json.loads(_out(["events", "--json", "--min-confidence", str(least), *db]))
    above = json.loads(_out(["events", "--json", "--min-confidence", str(least + 0.01), *db]))
    assert above == [e for e in every if e["confidence"] >= least + 0.01]
    res = runner.invoke(app, ["events", "--min-confidence", "1.5", *db])
    assert res.exit_code == 1 and "--min-confidence" in res.output  # a bad filter, as the others (below)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["events", "--status", "Denyed"], "did you mean denied"),
        (["events", "--type", "ASSAULTS"], "did you mean ASSAULT"),
        (["events", "--actor", "Rusia"], "did you mean Russia (RUS)"),
        (["dyad", "Rusia:Ukraine"], "unknown actor 'Rusia'"),
        (["dyad", "RUS"], "not a dyad"),
        (["claims", "--since", "yestreday"], "not a date"),
        (["escalation", "--since", "next week"], "not a date"),
        (["events", "--until", "2025-13-01"], "not a date"),
        (["dyad", "NATO:RUS", "--freq", "Q"], "not a frequency"),
        (["spirals", "--series", "words"], "--series"),
    ],
)
def test_bad_filters_are_errors_with_a_suggestion(store_path: str, args: list[str], said: str) -> None:
    res = runner.invoke(app, [*args, "--db", store_path])
    assert res.exit_code == 1, res.output
    assert said in res.stderr and len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.output


def test_long_outputs_have_limits_and_a_monthly_series(store_path: str) -> None:
    db = ["--db", store_path]
    esc = json.loads(_out(["escalation", "--dyad", "NATO:RUS", "--weeks", "2", "--json", *db]))
    assert [w["week"] for w in esc["weeks"]] == ["2025-09-15", "2025-09-22"]
    esc = json.loads(_out(["escalation", "--json", "--limit", "3", *db]))
    assert len(esc["weeks"]) == 3
    monthly = json.loads(_out(["dyad", "NATO:RUS", "--freq", "M", "--json", *db]))
    assert [r["period"] for r in monthly["rows"]] == ["2025-08-01", "2025-09-01"]
    assert sum(r["n"] for r in monthly["rows"]) == sum(
        r["n"] for r in json.loads(_out(["dyad", "NATO:RUS", "--json", *db]))["rows"]
    )
    last = json.loads(_out(["dyad", "NATO:RUS", "--limit", "2", "--json", *db]))
    assert len(last["rows"]) == 2 and last["periods"] > 2


def test_claims_table_shows_status_state_and_incident(store_path: str) -> None:
    res = runner.invoke(app, ["claims", "--db", store_path], env={"COLUMNS": "250"})
    assert res.exit_code == 0
    for column in ("statuses", "state", "incident_id"):
        assert column in res.stdout


def test_serve_on_a_busy_port_is_one_line(store_path: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        res = runner.invoke(app, ["serve", "--db", store_path, "--port", str(port)])
    assert res.exit_code == 2 and "already in use" in res.stderr and "Traceback" not in res.output
