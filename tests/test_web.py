"""Pages (server-rendered) on a real SQLite store: hostile text is escaped everywhere, no inline script or
style, no external URL, navigation links overview → dyad → incident → article; highlighting from offsets."""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from brinkwatch.core.settings import Settings
from brinkwatch.web.highlight import Span, highlight
from brinkwatch.web.pages import chart_of, safe_url
from test_web_data import HOSTILE_TITLE, IMG_ESCAPED, SCRIPT_ESCAPED, populate


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, Any]]]:
    db = tmp_path_factory.mktemp("web") / "store.db"
    ids = populate(db)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's TestClient warns about httpx at import
        from fastapi.testclient import TestClient
    from brinkwatch.web import create_app

    with TestClient(create_app(str(db), Settings(db=str(db))), base_url="http://127.0.0.1") as c:
        yield c, ids


def _hostile_incident(client: Any, ids: dict[str, Any]) -> int:
    ev = client.get("/api/events", params={"article_id": ids["hostile"]}).json()["items"][0]
    return int(ev["incident_id"])


def _pages(client: Any, ids: dict[str, Any]) -> list[str]:
    return [
        "/",
        "/dyad/NATO/RUS",
        f"/incident/{_hostile_incident(client, ids)}",
        f"/incident/{ids['incident']}",
        f"/article/{ids['hostile']}",
        f"/article/{ids['shootdown']}",
        "/claims",
        "/articles",
        "/search?q=alert",
        "/search?q=NATO",
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/api/docs",
        "/incident/999999",
        "/article/999999",
    ]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(text: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(text)
    return p.tags


def test_hostile_text_is_escaped_on_every_page(site: tuple[Any, dict[str, Any]]) -> None:
    client, ids = site
    for path in _pages(client, ids):
        r = client.get(path)
        assert r.status_code in (200, 404), path
        assert r.headers["content-type"].startswith("text/html"), path
        assert "<script>alert" not in r.text, path
        assert "<img src=x" not in r.text and "onerror=alert(1)>" not in r.text.replace("&gt;", ""), path
        # the only tags are ours: no img at all, scripts only from /static
        for tag, attrs in _tags(r.text):
            assert tag != "img", path
            assert not any(k.startswith("on") for k in attrs), (path, tag, attrs)
            assert "style" not in attrs, (path, tag)  # CSP style-src 'self': no inline styles
            if tag == "script":
                assert (attrs.get("src") or "").startswith("/static/"), path
            for k in ("src", "href"):
                v = attrs.get(k) or ""
                assert not v.startswith(("http:", "https:", "//", "javascript:")), (path, k, v)


@pytest.mark.parametrize("path_key", ["overview", "article", "incident", "search", "dyad", "articles"])
def test_hostile_text_shows_as_text(site: tuple[Any, dict[str, Any]], path_key: str) -> None:
    client, ids = site
    path = {
        "overview": "/",
        "article": f"/article/{ids['hostile']}",
        "incident": f"/incident/{_hostile_incident(client, ids)}",
        "search": "/search?q=alert",
        "dyad": "/dyad/NATO/RUS",
        "articles": "/articles",
    }[path_key]
    text = client.get(path).text
    assert SCRIPT_ESCAPED in text, path
    if path_key in ("overview", "article", "articles"):
        assert html.escape(HOSTILE_TITLE, quote=False) in text
    if path_key == "article":
        assert IMG_ESCAPED in text


def test_navigation_overview_dyad_incident_article(site: tuple[Any, dict[str, Any]]) -> None:
    client, ids = site
    home = client.get("/").text
    assert 'href="/dyad/NATO/RUS"' in home
    dyad = client.get("/dyad/NATO/RUS").text
    assert f'href="/incident/{ids["incident"]}"' in dyad
    assert "data-chart=" in dyad and '<script src="/static/plotly.min.js">' in dyad
    inc = client.get(f"/incident/{ids['incident']}").text
    assert f'href="/article/{ids["shootdown"]}#ev-' in inc and f'href="/article/{ids["syndicated"]}#ev-' in inc
    assert "Wire A" in inc and "Wire B" in inc
    art = client.get(f"/article/{ids['shootdown']}").text
    assert '<mark class="hl hl-trigger st-asserted"' in art and ">shot down</mark>" in art
    assert '<mark class="hl hl-actor"' in art and ">NATO fighter jets</mark>" in art
    assert f'href="/incident/{ids["incident"]}"' in art


def test_status_badges_and_claims(site: tuple[Any, dict[str, Any]]) -> None:
    client, _ = site
    claims = client.get("/claims").text
    assert re.search(r'class="badge[^"]* st-denied"', claims) and re.search(r'class="badge[^"]* st-alleged"', claims)
    assert "Moscow" in claims and "Warsaw" in claims
    dyad = client.get("/dyad/NATO/RUS").text
    for status in ("asserted", "considered", "denied", "alleged"):
        assert f'class="badge st-{status}"' in dyad, status


def test_not_found_and_bad_input_pages(site: tuple[Any, dict[str, Any]]) -> None:
    client, _ = site
    assert client.get("/incident/999999").status_code == 404
    assert client.get("/article/999999").status_code == 404
    assert client.get("/dyad/NATO/R%3Cx%3E").status_code == 404
    r = client.get("/article/abc")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert client.get("/search", params={"q": "x" * 500}).status_code == 422


def test_chart_data_is_attribute_safe(site: tuple[Any, dict[str, Any]]) -> None:
    client, _ = site
    text = client.get("/dyad/NATO/RUS").text
    charts = [a for t, a in _tags(text) if t == "div" and "data-chart" in a]
    assert len(charts) >= 2
    import json

    for a in charts:
        spec = json.loads(a["data-chart"] or "")
        assert spec["x"] and spec["traces"] and all(len(t["y"]) == len(spec["x"]) for t in spec["traces"])


# ------------------------------------------------------------------------------------------------ units
def test_highlight_escapes_and_marks() -> None:
    text = "A <b>NATO</b> jet shot down a drone & left."
    start = text.index("shot down")
    out = str(highlight(text, [Span(start, start + 9, "trigger", title='x"<y', status="asserted")]))
    assert out.startswith("A &lt;b&gt;NATO&lt;/b&gt; jet ")
    assert '<mark class="hl hl-trigger st-asserted" title="x&#34;&lt;y">shot down</mark>' in out
    assert out.endswith(" a drone &amp; left.")


def test_highlight_ignores_bad_and_overlapping_spans() -> None:
    text = "Russia accused NATO."
    spans = [
        Span(0, 6, "actor"),
        Span(3, 10, "trigger"),  # overlaps the actor: dropped
        Span(15, 19, "recipient"),
        Span(-5, 2, "trigger"),
        Span(10, 100, "trigger"),
        Span(7, 7, "trigger"),
        Span(7, 14, "<script>"),  # unknown kind: dropped
    ]
    out = str(highlight(text, spans))
    assert out == '<mark class="hl hl-actor">Russia</mark> accused <mark class="hl hl-recipient">NATO</mark>.'


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=80),
    st.lists(st.tuples(st.integers(-5, 90), st.integers(-5, 90), st.sampled_from(["trigger", "actor", "x"]))),
)
def test_highlight_keeps_the_text_and_adds_only_marks(text: str, raw: list[tuple[int, int, str]]) -> None:
    out = str(highlight(text, [Span(a, b, k, title=text[:5]) for a, b, k in raw]))
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", out)) == text
    assert {t for t, _ in _tags(out)} <= {"mark"}


def test_safe_url() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "//evil", "ftp://x", None, 3):
        assert safe_url(bad) is None


def test_chart_of_analytics_and_fallback_rows() -> None:
    rows = [
        {"period": "2025-09-15", "n": 2, "rhetoric_n": 1, "claimed_n": 0, "score_sum": -10.0, "rhetoric_score": -2.0},
        {"period": "2025-09-08", "n": 1, "rhetoric_n": 0, "claimed_n": 1, "score_sum": -4.0, "rhetoric_score": 0.0},
    ]
    c = chart_of(rows)
    assert c["x"] == ["2025-09-08", "2025-09-15"]
    assert [t["name"] for t in c["counts"]] == ["factual", "rhetoric", "claimed"]
    assert c["counts"][0]["y"] == [1, 2]
    assert c["intensity"][0]["y"] == [4.0, 10.0]  # conflict intensity: negated scores
    fb = chart_of([{"week": "2025-09-08", "factual": 1, "rhetoric": 2, "factual_intensity": 3.0}])
    assert [t["name"] for t in fb["counts"]] == ["factual", "rhetoric"] and fb["intensity"][0]["y"] == [3.0]
    assert chart_of([]) == {"x": [], "counts": [], "intensity": []}
    assert chart_of([{"nothing": 1}])["x"] == []


def test_serve_command_is_registered() -> None:
    from brinkwatch.cli import app

    r = CliRunner().invoke(app, ["serve", "--help"])
    assert r.exit_code == 0
    assert "--host" in r.output and "127.0.0.1" in r.output and "--port" in r.output and "--open" in r.output


def test_create_app_uses_the_settings_store(tmp_path: Path) -> None:
    from brinkwatch.web import create_app

    db = tmp_path / "fresh.db"
    app = create_app(settings=Settings(db=str(db)))
    try:
        assert db.exists() and app.state.store.stats()["articles"] == 0
        assert app.docs_url is None and app.redoc_url is None
    finally:
        app.state.store.close()
