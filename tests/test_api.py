"""HTTP API tests: FastAPI's TestClient on a real SQLite store written through Store.write_article, and
POST /api/articles through the real ingest pipeline (real spaCy model, real extractor)."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

import brinkwatch
from brinkwatch.core.settings import Settings
from test_web_data import HOSTILE_TITLE, SCRIPT, populate

TOKEN = "test-token-\u00e9-123"  # non-ASCII on purpose: compared as bytes


def _client(db: Path | str, token: str | None = None) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's TestClient warns about httpx at import
        from fastapi.testclient import TestClient
    from brinkwatch.web import create_app

    # the Host a browser sends for http://127.0.0.1 (the server answers only the hosts it knows)
    return TestClient(create_app(str(db), Settings(db=str(db), token=token)), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    db = tmp_path_factory.mktemp("api") / "store.db"
    return db, populate(db)


@pytest.fixture(scope="module")
def client(store_db: tuple[Path, dict[str, Any]]) -> Iterator[Any]:
    with _client(store_db[0]) as c:
        yield c


# ------------------------------------------------------------------------------------------------ reads
def test_stats(client: Any) -> None:
    s = client.get("/api/stats").json()
    assert s["articles"] == 4 and s["events"] == 7 and s["incidents"] >= 5


def test_articles_paginated_with_total(client: Any) -> None:
    r = client.get("/api/articles", params={"limit": 2, "offset": 1}).json()
    assert r["total"] == 4 and r["limit"] == 2 and r["offset"] == 1 and len(r["items"]) == 2
    everything = client.get("/api/articles").json()["items"]
    assert [a["published"] for a in everything] == sorted((a["published"] for a in everything), reverse=True)
    assert client.get("/api/articles", params={"limit": 10_000}).status_code == 422
    assert client.get("/api/articles", params={"offset": -1}).status_code == 422
    assert client.get("/api/articles", params={"q": "Kaliningrad"}).json()["total"] == 1


def test_article_detail_and_404(client: Any, store_db: tuple[Path, dict[str, Any]]) -> None:
    art = client.get(f"/api/articles/{store_db[1]['shootdown']}").json()
    assert art["title"].startswith("NATO jets") and len(art["sentences"]) == 2 and len(art["events"]) == 2
    ev = art["events"][0]
    assert art["text"][ev["trigger_start"] : ev["trigger_end"]] == ev["trigger"]
    assert "minhash" not in art
    assert client.get("/api/articles/999999").status_code == 404
    assert client.get("/api/articles/nope").status_code == 422


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 7),
        ({"dyad": "NATO:RUS"}, 6),  # groups: NATO's members (EST, POL) count as NATO
        ({"dyad": "RUS:NATO", "directed": "true"}, 3),
        ({"status": "denied"}, 1),
        ({"type": "accuse"}, 2),
        ({"actor": "RUS"}, 3),
        ({"recipient": "NATO"}, 1),
        ({"since": "2025-10-01"}, 2),
        ({"until": "2025-09-09"}, 3),
        ({"since": "2025-09-10", "until": "2025-09-30"}, 2),
        ({"q": "drones"}, 3),
        ({"q": "100%_"}, 0),  # LIKE wildcards are literal
        ({"min_confidence": "0.6"}, 1),  # the event model's probability, at least
        ({"min_confidence": "0.5"}, 7),
    ],
)
def test_event_filters(client: Any, params: dict[str, str], expected: int) -> None:
    r = client.get("/api/events", params={**params, "limit": 100})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == expected == len(body["items"])


def test_event_filter_validation(client: Any) -> None:
    bad: tuple[dict[str, Any], ...] = (
        {"dyad": "NATO"},
        {"dyad": "A:B:C"},
        {"since": "last week"},
        {"actor": "R U S"},
        {"limit": 0},
        {"min_confidence": "1.5"},
        {"min_confidence": "nan"},
        {"min_confidence": "high"},
    )
    for params in bad:
        assert client.get("/api/events", params=params).status_code == 422, params


def test_events_carry_evidence(client: Any) -> None:
    items = client.get("/api/events", params={"status": "considered"}).json()["items"]
    (ev,) = items
    assert ev["event_type"] == "MOBILIZE" and ev["status"] == "considered" and ev["factual"] is False
    assert [a["text"] for a in ev["attribution"]] == ["the Financial Times", "two NATO officials"]
    assert ev["actors"][0]["code"] == "NATO" and ev["recipients"][0]["code"] == "RUS"
    assert SCRIPT in ev["sentence"]  # the data is kept as it was written …


def test_json_never_carries_raw_markup(client: Any) -> None:
    # … but the JSON text escapes < > & so it is never markup, whatever reads it
    for url in ("/api/events?status=considered", "/api/articles?limit=10", "/api/export?format=jsonl"):
        r = client.get(url)
        assert r.status_code == 200
        assert "<script" not in r.text and "<img" not in r.text
        assert "\\u003cscript\\u003e" in r.text
    titles = [a["title"] for a in client.get("/api/articles").json()["items"]]
    assert HOSTILE_TITLE in titles


def test_incidents_and_incident_detail(client: Any, store_db: tuple[Path, dict[str, Any]]) -> None:
    r = client.get("/api/incidents", params={"dyad": "NATO:RUS", "limit": 2}).json()
    assert r["total"] >= 2 and len(r["items"]) == 2
    inc = client.get(f"/api/incidents/{store_db[1]['incident']}").json()
    assert inc["event_type"] == "ASSAULT"
    assert sorted(e["source"] for e in inc["events"]) == ["Wire A", "Wire B"]
    assert client.get("/api/incidents/999999").status_code == 404


def test_analytics_endpoints(client: Any) -> None:
    claims = client.get("/api/claims").json()
    assert claims["total"] >= 2
    text = json.dumps(claims)
    assert "Moscow" in text and "Warsaw" in text
    series = client.get("/api/dyads/NATO/RUS/series").json()
    assert series["a"] == "NATO" and series["b"] == "RUS" and len(series["series"]) >= 2
    assert client.get("/api/dyads/NATO/R$S/series").status_code == 422
    esc = client.get("/api/escalation", params={"dyad": "NATO:RUS"}).json()
    assert esc["total"] >= 1 and all(row.get("dyad", "NATO:RUS") == "NATO:RUS" for row in esc["items"])
    for url in ("/api/alerts", "/api/stories", "/api/spirals"):
        r = client.get(url)
        assert r.status_code == 200 and isinstance(r.json()["items"], list), url


def test_export(client: Any) -> None:
    r = client.get("/api/export", params={"format": "jsonl"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = [json.loads(line) for line in r.text.splitlines() if line.strip()]
    assert len(rows) == 7
    r = client.get("/api/export", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == 7
    assert client.get("/api/export", params={"format": "xml"}).status_code == 422


def test_security_headers_everywhere(client: Any) -> None:
    for url in ("/", "/api/stats", "/static/style.css", "/static/plotly.min.js", "/api/nope", "/nope", "/openapi.json"):
        r = client.get(url)
        csp = r.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp, url
        assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp, url
        assert r.headers.get("x-content-type-options") == "nosniff", url
        assert r.headers.get("referrer-policy") == "no-referrer", url


def test_docs_are_local(client: Any) -> None:
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/articles", "/api/incidents/{incident_id}", "/api/export"} <= set(spec["paths"])
    assert spec["info"]["version"] == brinkwatch.__version__  # the package's own, not a stand-in
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/api/events" in page.text
    assert "https://" not in page.text and "http://" not in page.text


def test_plotly_is_served_from_the_package(client: Any) -> None:
    from brinkwatch.web import plotly_js_path

    r = client.get("/static/plotly.min.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.content == plotly_js_path().read_bytes()


# ------------------------------------------------------------------------------------------------ write
def test_post_disabled_without_configured_token(client: Any) -> None:
    r = client.post("/api/articles", json={"text": "x"}, headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db = tmp_path_factory.mktemp("post") / "store.db"
    with _client(db, token=TOKEN) as c:
        yield c


def test_post_needs_the_bearer_token(writer: Any) -> None:
    doc = {"title": "t", "text": "NATO warned Russia."}
    assert writer.post("/api/articles", json=doc).status_code == 401
    r = writer.post("/api/articles", json=doc, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = writer.post("/api/articles", json=doc, headers={"Authorization": ("Bearer " + TOKEN[:-1]).encode()})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert writer.post("/api/articles", json=doc, headers={"Authorization": TOKEN.encode()}).status_code == 401
    basic = {"Authorization": f"Basic {TOKEN}".encode()}
    assert writer.post("/api/articles", json=doc, headers=basic).status_code == 401
    assert writer.get("/api/stats").json()["articles"] == 0


def _auth() -> dict[str, Any]:
    return {"Authorization": ("Bearer " + TOKEN).encode()}


def test_post_refuses_bad_bodies(writer: Any) -> None:
    big = b"a" * (Settings().max_article_bytes + 1)
    r = writer.post("/api/articles", content=big, headers={**_auth(), "Content-Type": "text/plain"})
    assert r.status_code == 413
    assert writer.post("/api/articles", json={"title": "no text"}, headers=_auth()).status_code == 422
    assert writer.post("/api/articles", json={"text": "x", "evil": 1}, headers=_auth()).status_code == 422
    bad_json = {**_auth(), "Content-Type": "application/json"}
    assert writer.post("/api/articles", content=b"{nope", headers=bad_json).status_code == 422
    r = writer.post("/api/articles", content=b"\x89PNG", headers={**_auth(), "Content-Type": "image/png"})
    assert r.status_code == 415
    assert writer.get("/api/stats").json()["articles"] == 0


def test_post_ingests_through_the_pipeline(writer: Any, news_article: Path) -> None:
    doc = {
        "title": f"{SCRIPT} Seed report",
        "text": news_article.read_text(encoding="utf-8"),
        "published": "2025-10-10",
        "source": "Seed Wire",
        "tags": ["seed"],
    }
    r = writer.post("/api/articles", json=doc, headers=_auth())
    assert r.status_code == 201, r.text
    body = r.json()
    aid = body["article_id"]
    assert aid is not None and body["summary"]["stored"] == 1
    art = writer.get(f"/api/articles/{aid}").json()
    assert art["title"] == doc["title"] and art["source"] == "Seed Wire" and "seed" in art["tags"]
    # the same body again adds nothing (the pipeline's dedup)
    again = writer.post("/api/articles", json=doc, headers=_auth()).json()
    assert again["article_id"] is None and writer.get("/api/stats").json()["articles"] == 1
    events = writer.get("/api/events", params={"article_id": aid, "limit": 500}).json()
    assert events["total"] == body["events"] > 0
    assert all(e["article_id"] == aid for e in events["items"])
    page = writer.get(f"/article/{aid}").text
    assert page.count('class="hl hl-trigger') >= 1
    assert str(escape(events["items"][0]["trigger"])) in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Seed report" in page


def test_post_html_body(writer: Any) -> None:
    html = (
        b"<html><head><title>Kaliningrad</title></head><body><article><p>Russia accused NATO of provocations "
        b"near Kaliningrad on Wednesday, officials said.</p><script>alert(1)</script></article></body></html>"
    )
    r = writer.post("/api/articles", content=html, headers={**_auth(), "Content-Type": "text/html"})
    assert r.status_code == 201, r.text
    art = writer.get(f"/api/articles/{r.json()['article_id']}").json()
    assert "Kaliningrad" in art["text"] and "alert(1)" not in art["text"]


def test_reads_on_postgres(pg_url: str) -> None:
    populate(pg_url)
    with _client(pg_url) as c:
        assert c.get("/api/stats").json()["events"] == 7
        assert c.get("/api/events", params={"dyad": "NATO:RUS", "q": "drones"}).json()["total"] == 3
        assert c.get("/api/events", params={"since": "2025-10-01"}).json()["total"] == 2
        assert c.get("/api/articles", params={"q": "KALININGRAD"}).json()["total"] == 1
        for path in ("/", "/dyad/NATO/RUS", "/claims", "/articles", "/search?q=alert"):
            r = c.get(path)
            assert r.status_code == 200 and "<script>alert" not in r.text, path
