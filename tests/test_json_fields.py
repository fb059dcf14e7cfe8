"""JSON record fields are type-checked: a wrong-typed field or a bad date is one line and ignored, the
article is kept when its text is good (issue 15, item 12). Before, a dict became the title and a list the
source through str(), and a bad ``published`` was dropped without a word."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from brinkwatch.cli import app
from brinkwatch.core.records import Article, InputFailure
from brinkwatch.core.settings import Settings
from brinkwatch.ingest import sources

TEXT = "Kenya deployed police officers to Haiti on Wednesday, the interior ministry said in a statement."
runner = CliRunner()


def _items(tmp_path: Path, records: list[object]) -> list[Article | InputFailure]:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return list(sources.iter_articles([str(path)], Settings()))


def test_each_bad_field_is_one_line_and_the_article_is_kept(tmp_path: Path) -> None:
    rec = {
        "id": "k1",
        "text": TEXT,
        "title": {"en": "Kenya deploys police"},
        "source": ["AP", "Reuters"],
        "author": 42,
        "url": True,
        "published": "the day after the storm",
        "tags": ["Haiti", 7, "Kenya"],
        "language": "en",
    }
    *failures, article = _items(tmp_path, [rec])
    assert isinstance(article, Article)
    assert article.doc_id == "k1"
    assert (article.title, article.source, article.author, article.url) == (None, None, None, None)
    assert article.published is None and article.tags == ["Haiti", "Kenya"] and article.language == "en"
    reasons = {f.reason for f in failures if isinstance(f, InputFailure)}
    assert reasons == {
        "'title' is an object, not a string; ignored",
        "'source' is a list, not a string; ignored",
        "'author' is a number, not a string; ignored",
        "'url' is true/false, not a string; ignored",
        "'published' 'the day after the storm' is not a date; ignored",
        "'tags' holds a number, not a string; that tag ignored",
    }
    assert all(f.origin.endswith("in.jsonl:1") for f in failures)


def test_good_records_say_nothing(tmp_path: Path) -> None:
    rec = {"id": 7, "text": TEXT, "title": "Kenya deploys police", "published": "2025-10-08", "tags": "Haiti, Kenya"}
    (article,) = _items(tmp_path, [rec])
    assert isinstance(article, Article)
    assert (article.doc_id, article.title, article.published, article.tags) == (
        "7",
        "Kenya deploys police",
        "2025-10-08",
        ["Haiti", "Kenya"],
    )


def test_other_wrong_types(tmp_path: Path) -> None:
    items = _items(tmp_path, [{"id": {"a": 1}, "text": TEXT, "tags": {"a": 1}, "date": 20251008}])
    *failures, article = items
    assert isinstance(article, Article) and article.doc_id.endswith("in.jsonl:1") and article.tags == []
    assert sorted(f.reason for f in failures if isinstance(f, InputFailure)) == [
        "'date' is a number, not a date string; ignored",
        "'id' is an object, not a string or integer; ignored",
        "'tags' is an object, not a list; ignored",
    ]


def test_cli_stores_the_article_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "k2", "text": TEXT, "title": ["a", "list"]}))
    db = str(tmp_path / "j.db")
    result = runner.invoke(app, ["ingest", str(path), "--db", db])
    assert result.exit_code == 2
    assert f"failed: {path}: 'title' is a list, not a string; ignored" in result.stderr
    stats = json.loads(runner.invoke(app, ["stats", "--db", db, "--json"]).stdout)
    assert stats["articles"] == 1
