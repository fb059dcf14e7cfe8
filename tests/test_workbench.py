"""The dashboard as a workbench (issue 14, item 6): filters (date range, type, status, actor, dyad), the incidents
list with paging and totals, the dyad picker, the map of located events from local assets, downloads of the
current view, titles for untitled articles, and search with paging."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analytics_data import write_multi, write_record
from brinkwatch.analyze import incidents
from brinkwatch.core.settings import Settings
from brinkwatch.store.writer import Store

KYIV = {"text": "Kyiv", "name": "Kyiv", "country": "UKR", "kind": "city", "lat": 50.45, "lon": 30.52}
TALLINN = {"text": "Tallinn", "name": "Tallinn", "country": "EST", "kind": "city", "lat": 59.44, "lon": 24.75}


def _rec(doc: str, day: str, et: str, actor: str, recipient: str, text: str, **kw: Any) -> dict[str, Any]:
    return {"doc_id": doc, "published": day, "date": day, "event_type": et, "actor": actor, "recipient": recipient,
            "text": text, "source": "Wire A", **kw}  # fmt: skip


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db = str(tmp_path_factory.mktemp("wb") / "s.db")
    with Store(db) as store:
        for k in range(60):  # enough for two pages of incidents, days apart: no two merge
            day = (dt.date(2025, 1, 1) + dt.timedelta(days=4 * k)).isoformat()
            write_record(store, _rec(f"c{k}", day, "CONSULT", "FRA", "DEU", f"Paris and Berlin held talks {k}."))
        write_record(store, _rec("a1", "2025-09-10", "ASSAULT", "RUS", "UKR", "Russian missiles hit Kyiv.",
                                 location=KYIV, title="Missiles hit Kyiv"))  # fmt: skip
        write_record(store, _rec("a2", "2025-09-12", "COERCE", "RUS", "EST", "Russian jets entered Estonian airspace.",
                                 location=TALLINN, status="alleged", confidence=0.9))  # fmt: skip
        write_multi(
            store,
            "untitled",
            [
                {
                    "text": "Moscow denied any role in the incident near Tallinn.",
                    "event_type": "REJECT",
                    "actor": "RUS",
                    "recipient": "EST",
                    "date": "2025-09-13",
                }
            ],
            published="2025-09-13",
            source="An Outlet With A Very Long Name That Goes On And On For The Whole Width Of The Page Desk",
        )
        incidents.refresh(store)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from brinkwatch.web import create_app

    with TestClient(create_app(db, Settings(db=db)), base_url="http://127.0.0.1") as c:
        yield c


def _rows(html: str) -> int:
    return len(re.findall(r'<span class="etype q\d', html))


def test_event_filters(client: Any) -> None:
    assert _rows(client.get("/events", params={"type": "assault"}).text) == 1
    assert "Missiles hit Kyiv" not in client.get("/events", params={"status": "Alleged"}).text
    by_name = client.get("/events", params={"actor": "Russia", "since": "2025-09-11"})
    assert by_name.status_code == 200 and _rows(by_name.text) == 2
    assert _rows(client.get("/events", params={"dyad": "Russia:Estonia"}).text) == 2
    assert _rows(client.get("/events", params={"until": "2025-01-09", "type": "CONSULT"}).text) == 3
    bad = client.get("/events", params={"status": "Denyed", "actor": "Rusia"})
    assert bad.status_code == 422 and "did you mean denied" in bad.text and "unknown actor" in bad.text
    sure = client.get("/events", params={"min_confidence": "0.8"})
    assert _rows(sure.text) == 1 and "Estonian airspace" in sure.text  # the one event the model is sure of
    assert 'name="min_confidence" value="0.8"' in sure.text  # the form keeps what was asked
    for junk in ("high", "1.5", "nan", '0.8"><script>alert(1)</script>'):
        wrong = client.get("/events", params={"min_confidence": junk})
        assert wrong.status_code == 422 and "not a probability" in wrong.text, junk
        assert "<script>alert" not in wrong.text  # echoed in the form and the error, escaped


def test_incidents_list_pages_with_totals(client: Any) -> None:
    first = client.get("/incidents", params={"type": "CONSULT"})
    assert first.status_code == 200 and "(60)" in first.text and "1–50 of 60" in first.text
    assert 'href="/incidents?type=CONSULT&amp;offset=50"' in first.text
    second = client.get("/incidents", params={"type": "CONSULT", "offset": 50})
    assert "51–60 of 60" in second.text and _rows(second.text) == 10
    assert client.get("/incidents", params={"since": "junk"}).status_code == 422


def test_dyad_picker_resolves_names(client: Any) -> None:
    r = client.get("/dyad", params={"a": "Russia", "b": "Estonia"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/dyad/RUS/EST"
    assert client.get("/dyad/russia/estonia", follow_redirects=False).headers["location"] == "/dyad/RUS/EST"
    assert client.get("/dyad", params={"a": "Rusia", "b": "EST"}).status_code == 422
    assert "Dyad" in client.get("/").text and 'action="/dyad"' in client.get("/").text


def test_map_of_located_events_from_local_assets(client: Any) -> None:
    page = client.get("/events").text
    circles = re.findall(r'<circle class="pt q(\d)" cx="([\d.]+)" cy="([\d.]+)"', page)
    assert len(circles) == 2
    kyiv = next(c for c in circles if float(c[1]) > 205)
    assert float(kyiv[1]) == pytest.approx(30.52 + 180, abs=0.1) and float(kyiv[2]) == pytest.approx(90 - 50.45, 0.1)
    assert '<image href="/static/world.svg"' in page and "http" not in re.sub(
        r'href="/[^"]*"', "", page.split("<svg", 1)[1].split("</svg>")[0]
    ).replace("http://www.w3.org", "")
    world = client.get("/static/world.svg")
    assert world.status_code == 200 and world.text.startswith("<svg") and len(world.text) > 20_000
    assert "Natural Earth" in world.text
    notice = (Path(__file__).resolve().parent.parent / "NOTICE").read_text(encoding="utf-8").splitlines()
    row = [line for line in notice if "`src/brinkwatch/web/static/world.svg`" in line]
    assert len(row) == 1 and "Natural Earth" in row[0] and "public domain" in row[0]
    filtered = client.get("/events", params={"type": "ASSAULT"}).text
    assert len(re.findall(r'<circle class="pt', filtered)) == 1


def test_downloads_are_the_current_view(client: Any) -> None:
    r = client.get("/download/events.csv", params={"actor": "RUS"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 3 and {row["actors"] for row in rows} == {"RUS"} and all(row["article_id"] for row in rows)
    lines = client.get("/download/events.jsonl", params={"type": "CONSULT", "until": "2025-01-09"}).text
    assert len([json.loads(x) for x in lines.splitlines()]) == 3
    sure = client.get("/download/events.jsonl", params={"min_confidence": "0.8"}).text
    assert [json.loads(x)["confidence"] for x in sure.splitlines()] == [0.9]
    inc = list(csv.DictReader(io.StringIO(client.get("/download/incidents.csv", params={"type": "CONSULT"}).text)))
    assert len(inc) == 60 and {"grain", "timing", "summary"} <= set(inc[0])
    claims = client.get("/download/claims.csv").text
    assert claims.startswith("claim_id,") and "Estonian airspace" in claims
    assert client.get("/download/events.csv", params={"type": "NOPE"}).status_code == 422
    page = client.get("/events", params={"actor": "RUS"}).text
    assert 'href="/download/events.csv?actor=RUS"' in page and 'href="/download/events.jsonl?actor=RUS"' in page


def test_untitled_articles_show_their_first_sentence(client: Any) -> None:
    listing = client.get("/articles").text
    assert "Moscow denied any role in the incident near Tallinn." in listing
    ev = client.get("/api/events", params={"q": "denied any role"}).json()["items"][0]
    page = client.get(f"/article/{ev['article_id']}").text
    assert '<h1 class="page-title article-title">Moscow denied any role' in page and "untitled" in page


def test_search_pages_its_results(client: Any) -> None:
    first = client.get("/search", params={"q": "Paris and Berlin"}).text
    assert "1–50 of 60" in first and "offset=50" in first
    second = client.get("/search", params={"q": "Paris and Berlin", "offset": 50}).text
    assert "51–60 of 60" in second
