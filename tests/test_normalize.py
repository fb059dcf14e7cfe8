"""Normalization: mojibake, quotes, whitespace, MT artefacts (without breaking names), hashtags, language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brinkwatch.core.records import Article
from brinkwatch.ingest.normalize import (
    LANGUAGE_SAMPLE_CHARS,
    clearly_english,
    detect_language,
    normalize,
    normalize_text,
    split_hashtags,
)


def norm(text: str) -> str:
    return normalize_text(text)[0]


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("between member states.The current rules vary", "between member states. The current rules vary"),
        (
            "Peskov previously stressed thatDue to NATO's support",
            "Peskov previously stressed that Due to NATO's support",
        ),
        ("Russian military aircraft,And significantly enhance", "Russian military aircraft, And significantly enhance"),
        ("support for Ukraine , the alliance", "support for Ukraine, the alliance"),
        ("a “stricter response” and NATO’s wing", 'a "stricter response" and NATO\'s wing'),
        ("cafÃ© and naÃ¯ve", "café and naïve"),
        ("one  two\t\tthree\u00a0four", "one two three four"),
        ("para one\n\n\n\n  para two  \nline", "para one\n\npara two\nline"),
        ("e\u0301te\u0301", "\u00e9t\u00e9"),  # NFC
        ("zero\u200bwidth", "zerowidth"),
    ],
)
def test_repairs(raw: str, fixed: str) -> None:
    assert norm(raw) == fixed


@pytest.mark.parametrize(
    "keep",
    [
        "the iPhone and the MacBook",
        "McDonald said YouTube and PlayStation",
        "the U.S. and the U.K. said, e.g. sanctions",
        "growth of 3.5 percent",
        "see example.com or news.bbc.co.uk for details",
        "visit https://example.org/News.Today now",
        "write to press@nato.int today",
        "the function hasOwnProperty returned",
        "Example.Com is a site",
    ],
)
def test_names_and_abbreviations_are_untouched(keep: str) -> None:
    assert norm(keep) == keep


def test_seed_is_repaired(seed_path: Path) -> None:
    art = normalize(Article(doc_id="seed", text=seed_path.read_text(encoding="utf-8")))
    assert "member states. The current rules" in art.text
    assert "stressed that Due to" in art.text
    assert "aircraft, And significantly" in art.text
    assert "“" not in art.text and "”" not in art.text and '"drone wall"' in art.text
    assert art.tags == ["Russia", "I want to make headlines", "Talk about hot topics", "Military", "International"]
    assert "#" not in art.text and art.text.endswith("once the gun is wiped out.")
    assert art.language == "en"
    assert art.text.count("\n") >= 10  # paragraph (line) breaks kept


@pytest.mark.parametrize(
    ("raw", "text", "tags"),
    [
        ("It happened.\n#Russia #Military", "It happened.", ["Russia", "Military"]),
        ("It happened. #Russia #Military", "It happened.", ["Russia", "Military"]),
        ("It happened.\n# Russia # # Talk about it #", "It happened.", ["Russia", "Talk about it"]),
        ("We back #Ukraine today", "We back #Ukraine today", []),  # not trailing social tags
        ("Ranked #1 in the world.", "Ranked #1 in the world.", []),
    ],
)
def test_hashtags(raw: str, text: str, tags: list[str]) -> None:
    assert split_hashtags(raw) == (text, tags) or (tags == [] and split_hashtags(raw)[1] == [])
    assert normalize_text(raw) == (text, tags)


def test_tags_are_merged_with_given_ones() -> None:
    art = normalize(Article(doc_id="x", text="Troops moved.\n#Army", tags=["Russia", "Army"]))
    assert art.tags == ["Russia", "Army"] and art.text == "Troops moved."


def test_language() -> None:
    assert detect_language("Moscow denied on Thursday that its jets had entered Estonian airspace.") == "en"
    assert detect_language("Москва в четверг отрицала, что её самолёты вошли в воздушное пространство Эстонии.") == "ru"
    assert detect_language("Short.") is None
    given = normalize(Article(doc_id="x", text="Moscow denied that its jets entered airspace.", language="de"))
    assert given.language == "de"  # a declared language is kept


pieces = st.sampled_from(
    [
        "states.The",
        "thatDue",
        "aircraft,And",
        " , ",
        "U.S.",
        "e.g.",
        "3.5",
        "example.com",
        "iPhone",
        "“q”",
        "‘s’",
        "cafÃ©",
        "\n",
        "\n\n\n",
        "\t",
        "\u00a0",
        "\u200b",
        "#",
        "# Russia #",
        " #Tag",
        ".",
        "e\u0301",
        "\r\n",
    ]
)
texts = st.one_of(st.text(), st.lists(st.one_of(pieces, st.text(max_size=5)), max_size=30).map("".join))


@given(texts)
@settings(max_examples=300, deadline=None)
def test_normalize_never_crashes_and_is_idempotent(text: str) -> None:
    once = normalize(Article(doc_id="h", text=text))
    twice = normalize(once)
    assert twice.text == once.text
    assert twice.tags == once.tags
    assert twice.language == once.language


def _paragraphs() -> list[dict[str, str]]:
    path = Path(__file__).parent / "data" / "languages" / "news_paragraphs.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_english_shortcut_never_claims_another_language() -> None:
    rows = _paragraphs()
    assert len(rows) >= 10
    for row in rows:
        assert not clearly_english(row["text"]), row["language"]
        assert detect_language(row["text"]) == row["language"]  # the classifier still decides them


def test_english_shortcut_agrees_with_the_classifier_on_english_gold(gold_dir: Path, news_article: Path) -> None:
    import py3langid

    texts = [news_article.read_text(encoding="utf-8")]
    with (gold_dir / "plover_gsr_dev.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    sentences = [str(r.get("text") or r.get("sentence") or "") for r in rows]
    texts += [" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)]  # article-sized samples
    shortcut = [t for t in texts if clearly_english(t[:LANGUAGE_SAMPLE_CHARS])]
    assert len(shortcut) >= 0.9 * len(texts)  # the shortcut takes almost all English news
    for t in shortcut:
        assert py3langid.classify(t[:LANGUAGE_SAMPLE_CHARS])[0] == "en"
