"""Short English texts are extracted (issue 15, item 13): under 400 letters English is taken when the
classifier scores it close to the best. Before, "Kenya deployed police officers to Haiti on Wednesday." was
Nigerian Pidgin and stored as skipped, exit 0."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brinkwatch.cli import app
from brinkwatch.ingest.normalize import detect_language

runner = CliRunner()
SHORT_ENGLISH = [
    "Kenya deployed police officers to Haiti on Wednesday.",
    "Nigeria deployed troops to Borno state after the attack.",
    "Estonia summoned the Russian ambassador on Friday.",
]


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_is_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_short_snippets_of_other_languages_are_not_called_english() -> None:
    path = Path(__file__).parent / "data" / "languages" / "news_paragraphs.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    checked = 0
    for row in rows:
        for sentence in re.split(r"(?<=[.!?])\s+", row["text"]):
            words = sentence.split()
            for k in (5, 8, 12, len(words)):
                snippet = " ".join(words[:k])
                if sum(ch.isalpha() for ch in snippet) >= 40:
                    checked += 1
                    assert detect_language(snippet) != "en", (row["language"], snippet)
    assert checked >= 60


def test_a_short_english_article_is_extracted(tmp_path: Path) -> None:
    src = tmp_path / "kenya.txt"
    src.write_text(SHORT_ENGLISH[0] + "\n")
    db = str(tmp_path / "k.db")
    result = runner.invoke(app, ["ingest", str(src), "--db", db])
    assert result.exit_code == 0 and "0 skipped" in result.stdout, result.output
    events = json.loads(runner.invoke(app, ["events", "--db", db, "--json"]).stdout)
    assert [e["event_type"] for e in events] == ["MOBILIZE"]
