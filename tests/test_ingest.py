"""Sources → Articles: every format, sniffed by content; stdin and URLs (network faked at fetch_url only)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest

from brinkwatch.core.records import Article, InputFailure
from brinkwatch.core.settings import Settings
from brinkwatch.ingest import sources as ingest

S = Settings()
BODY = "Moscow denied on Thursday that its jets had entered Estonian airspace, officials said."
HTML = f"""<!DOCTYPE html><html><head><title>Jets row</title><meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2025-10-09T08:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Jets row</h1><p>{BODY}</p>
<p>NATO said it would respond to the violation in a measured way after consultations with its members.</p>
</article><footer>Copyright 2025</footer></body></html>"""
RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>World Wire</title>
<item><title>One</title><link>https://news.example/1</link><guid>g-1</guid>
<pubDate>Thu, 09 Oct 2025 10:00:00 GMT</pubDate><description>&lt;p&gt;{BODY}&lt;/p&gt;</description></item>
<item><title>Two</title><link>https://news.example/2</link><description>Estonia protested.</description></item>
</channel></rss>"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><title>A</title><id>urn:a</id><link href="https://atom.example/a"/><updated>2025-10-08T12:00:00Z</updated>
<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>"""


def articles(items: list[Article | InputFailure]) -> list[Article]:
    assert all(isinstance(i, Article) for i in items), [i for i in items if isinstance(i, InputFailure)]
    return [i for i in items if isinstance(i, Article)]


def read(*paths: Path | str) -> list[Article | InputFailure]:
    return list(ingest.iter_articles([str(p) for p in paths], S))


def test_text_file_with_and_without_headline(tmp_path: Path) -> None:
    (tmp_path / "h.txt").write_text(f"NATO weighs tougher rules for pilots\n\n{BODY}\n")
    (tmp_path / "n.txt").write_text(f"{BODY}\nSecond line.\n")
    (tmp_path / "m.md").write_text(f"# Jets row\n\n{BODY}\n")
    h, n, m = articles(read(tmp_path / "h.txt", tmp_path / "n.txt", tmp_path / "m.md"))
    assert h.title == "NATO weighs tougher rules for pilots" and h.text == BODY
    assert n.title is None and n.text.startswith(BODY)  # a sentence is not a headline
    assert m.title == "Jets row" and m.text == BODY
    assert h.doc_id == "h.txt" and h.origin == str(tmp_path / "h.txt") and h.raw_format == "text"


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(HTML)
    (a,) = articles(read(tmp_path / "page.html"))
    assert a.title == "Jets row" and a.author == "Jane Doe" and a.published == "2025-10-09"
    assert BODY in a.text and "Home" not in a.text and "Copyright" not in a.text
    assert a.raw_format == "html"


def test_json_array_object_and_jsonl(tmp_path: Path) -> None:
    recs = [
        {
            "id": "r1",
            "url": "https://x.example/1",
            "title": "T",
            "text": BODY,
            "published": "9 October 2025",
            "source": "Wire",
            "language": "en",
            "tags": ["Russia"],
        },
        {"html": f"<p>{BODY}</p><p>More text here.</p>", "published": "2025-10-08T10:00:00+00:00"},
    ]
    (tmp_path / "arr.json").write_text(json.dumps(recs))
    (tmp_path / "one.json").write_text(json.dumps(recs[0]))
    (tmp_path / "lines.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    a1, a2, o, l1, l2 = articles(read(tmp_path / "arr.json", tmp_path / "one.json", tmp_path / "lines.jsonl"))
    assert (a1.doc_id, a1.url, a1.source, a1.published, a1.tags) == (
        "r1",
        "https://x.example/1",
        "Wire",
        "2025-10-09",
        ["Russia"],
    )
    assert a2.doc_id == "arr.json#2" and BODY in a2.text and a2.published == "2025-10-08"
    assert o.doc_id == "r1" and o.raw_format == "json"
    assert l1.raw_format == "jsonl" and l2.doc_id == "lines.jsonl:2"


def test_rss_and_atom(tmp_path: Path) -> None:
    (tmp_path / "feed.rss").write_text(RSS)
    (tmp_path / "feed.atom").write_text(ATOM)
    r1, r2, a = articles(read(tmp_path / "feed.rss", tmp_path / "feed.atom"))
    assert r1.text == BODY and r1.url == "https://news.example/1" and r1.source == "World Wire"
    assert r1.published == "2025-10-09" and r1.doc_id == "g-1" and r1.raw_format == "rss"
    assert r2.text == "Estonia protested." and r2.published is None
    assert a.text == BODY and a.source == "Atom Desk" and a.published == "2025-10-08" and a.raw_format == "atom"


def test_directory_is_sniffed_by_content_not_extension(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.dat").write_text(HTML)  # HTML without .html
    (tmp_path / "feed.txt").write_text(RSS)  # a feed called .txt
    (tmp_path / "recs").write_text(json.dumps({"id": "j", "text": BODY}))  # JSON, no extension
    (tmp_path / ".hidden.txt").write_text(BODY)  # hidden: skipped
    got = articles(read(tmp_path))
    assert sorted(a.raw_format or "" for a in got) == ["html", "json", "rss", "rss"]


def test_latin1_and_broken_utf8_are_decoded(tmp_path: Path) -> None:
    text = "Le café est très chaud, à côté de l'église, dit le ministre français aujourd'hui."
    (tmp_path / "latin1.txt").write_bytes(text.encode("latin-1"))
    (tmp_path / "broken.txt").write_bytes(("Café crème. " + BODY).encode() + b"\xff\xfe trailing")
    latin, broken = articles(read(tmp_path / "latin1.txt", tmp_path / "broken.txt"))
    assert latin.text == text
    assert broken.text.startswith("Café crème. Moscow") and "\ufffd" in broken.text


def test_stdin() -> None:
    items = list(ingest.iter_articles(["-"], S, stdin=io.BytesIO(json.dumps({"text": BODY}).encode())))
    (a,) = articles(items)
    assert a.text == BODY and a.origin == "stdin"


def test_url_page_and_feed_through_the_one_seam(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = {
        "https://news.example/story": (HTML.encode(), "text/html; charset=utf-8"),
        "https://news.example/feed": (RSS.encode(), "application/rss+xml"),
    }
    calls: list[str] = []

    def fake_fetch(url: str, timeout: float, max_bytes: int = 0, **_: object) -> tuple[bytes, str | None]:
        calls.append(url)
        if url not in pages:
            raise httpx.ConnectError("no route")
        return pages[url]

    monkeypatch.setattr(ingest, "fetch_url", fake_fetch)
    items = list(ingest.iter_articles([*pages, "https://down.example/x"], S))
    page, f1, f2, failure = items
    assert isinstance(page, Article) and page.url == "https://news.example/story" and BODY in page.text
    assert isinstance(f1, Article) and f1.source == "World Wire" and isinstance(f2, Article)
    assert isinstance(failure, InputFailure) and failure.origin == "https://down.example/x"
    assert "fetch failed (ConnectError" in failure.reason
    assert calls == [*pages, "https://down.example/x"]


def test_fetch_url_with_mock_transport() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/big":
            return httpx.Response(200, content=b"x" * 5000)
        if request.url.path == "/gone":
            return httpx.Response(404)
        return httpx.Response(200, content=HTML.encode(), headers={"content-type": "text/html"})

    t = httpx.MockTransport(handler)
    body, ctype = ingest.fetch_url("https://news.example/a", 5.0, transport=t)
    assert body == HTML.encode() and ctype == "text/html"
    with pytest.raises(ingest.InputError, match="over max_input_bytes"):
        ingest.fetch_url("https://news.example/big", 5.0, 1000, transport=t)
    with pytest.raises(httpx.HTTPStatusError):
        ingest.fetch_url("https://news.example/gone", 5.0, transport=t)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"<!doctype html><p>x", "html"),
        (b"\xef\xbb\xbf  <html>", "html"),
        (b'<?xml version="1.0"?>\n<rss version="2.0">', "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b'[{"text": "a"}]', "json"),
        (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b"Plain words.", "text"),
        (b"\x89PNG\r\n\x1a\n", "binary (PNG image)"),
        (b"%PDF-1.7", "binary (PDF document)"),
        (b"PK\x03\x04", "binary (zip archive)"),
        (b"ab\x00cd", "binary (NUL bytes)"),
        (b"  \n ", "empty"),
    ],
)
def test_sniff(head: bytes, kind: str) -> None:
    assert ingest.sniff(head) == kind


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-10-09", "2025-10-09"),
        ("Thu, 09 Oct 2025 10:00:00 GMT", "2025-10-09"),
        ("9 October 2025", "2025-10-09"),
        ("2025-13-40", None),
        ("not a date", None),
        (None, None),
    ],
)
def test_iso_date(value: str | None, iso: str | None) -> None:
    assert ingest.iso_date(value) == iso
