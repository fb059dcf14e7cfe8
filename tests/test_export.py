"""Exports: csv, parquet, jsonl and PLOVER-JSON with our fields and the CAMEO root code."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from analytics_data import write_record, write_scenario
from brinkwatch.analyze import export, incidents
from brinkwatch.lexicon.ontology import PLOVER_TYPES
from brinkwatch.store.writer import Store


def test_all_formats(db_url: str, tmp_path: Path) -> None:
    with Store(db_url) as store:
        write_scenario(store)
        write_record(
            store,
            {
                "doc_id": "evil",
                "text": '<script>alert(1)</script>, "quoted"\nline',
                "event_type": "PROTEST",
                "actor": "POL",
                "recipient": "RUS",
                "date": "2025-09-01",
            },
        )
        incidents.refresh(store)
        n = store.stats()["events"]
        buf = io.StringIO()
        assert export.export(store, "plover", buf) == n
        recs = [json.loads(line) for line in buf.getvalue().splitlines()]
        assert len(recs) == n and set(export.PLOVER_FIELDS) == set(recs[0])
        drone = next(r for r in recs if r["event_text"].startswith("Russian drones violated"))
        assert drone["cameo_root"] == "18" and drone["actor_country"] == "RUS" and drone["status"] == "asserted"
        assert drone["incident_id"] is not None and drone["context"] == ["military"]
        considered = next(r for r in recs if r["status"] == "considered")
        assert considered["factual"] is False
        out = tmp_path / "e.jsonl"
        assert export.export(store, "jsonl", out) == n
        full = [json.loads(line) for line in out.read_text().splitlines()]
        assert {"event_id", "actors", "recipients", "trigger_start", "incident_id", "cameo_root"} <= set(full[0])
        c = tmp_path / "e.csv"
        export.export(store, "csv", c)
        with c.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == n and any(r["event_text"].startswith("<script>") and "\n" in r["event_text"] for r in rows)
        p = tmp_path / "e.parquet"
        assert export.export(store, "parquet", p) == n
        df = pd.read_parquet(p)
        assert len(df) == n and set(df["cameo_root"]) >= {"18", "15", "13", "11", "04"}
        with pytest.raises(ValueError):
            export.export(store, "xml", tmp_path / "x")
        with pytest.raises(ValueError):
            export.export(store, "parquet", io.StringIO())


def test_cameo_crosswalk() -> None:
    assert export.cameo_root("ACCUSE", "investigate") == "09"
    assert export.cameo_root("ASSAULT", "unconventional") == "20"
    assert export.cameo_root("REQUEST") == "10" and export.cameo_root("NOPE") is None
    for t in PLOVER_TYPES:
        assert export.cameo_root(t) is not None


def test_empty_store_exports_nothing(db_url: str, tmp_path: Path) -> None:
    with Store(db_url) as store:
        assert export.export(store, "parquet", tmp_path / "e.parquet") == 0
        assert pd.read_parquet(tmp_path / "e.parquet").empty


def test_csv_cells_never_start_a_spreadsheet_formula(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        write_record(
            store,
            {
                "doc_id": "formula",
                "text": '=HYPERLINK("http://evil.example","click") Poland protested to Russia.',
                "event_type": "PROTEST",
                "actor": "POL",
                "recipient": "RUS",
                "date": "2025-09-01",
            },
        )
        buf = io.StringIO()
        assert export.export(store, "csv", buf) == 1
    (row,) = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert row["event_text"].startswith("'=HYPERLINK(")
    for field in ("event_text", "actor", "recipient", "place", "attribution", "trigger"):
        assert row.get(field, "")[:1] not in ("=", "+", "@"), (field, row[field])
    assert export.csv_cell("-3") == "'-3" and export.csv_cell(-3.0) == -3.0 and export.csv_cell("Poland") == "Poland"


def _two_party_store(db_url: str) -> Store:
    from analytics_data import write_multi

    store = Store(db_url)
    write_multi(
        store,
        "multi",
        [
            {
                "text": "Russian and Belarusian troops shelled Ukrainian and Polish border posts.",
                "event_type": "ASSAULT",
                "actor": "RUS",
                "recipient": "UKR",
                "date": "2025-09-02",
                "attribution": [{"text": "Kyiv", "kind": "government", "country": "UKR"}],
            }
        ],
        published="2025-09-03",
        source="Wire A",
        title="Border posts shelled",
        url="https://example.invalid/a",
    )
    from brinkwatch.store import schema as S

    with store.engine.begin() as conn:  # a second actor and recipient on the event
        eid = conn.execute(sa.select(S.events.c.id)).scalar_one()
        row = {"event_id": eid, "position": 1}
        conn.execute(
            S.parties.insert(),
            [
                {
                    **row,
                    "role": "actor",
                    "text": "Belarusian troops",
                    "code": "BLRMIL",
                    "country": "BLR",
                    "sector": "MIL",
                },
                {
                    **row,
                    "role": "recipient",
                    "text": "Polish border posts",
                    "code": "POL",
                    "country": "POL",
                    "sector": None,
                },
            ],
        )
    return store


def test_exports_trace_back_and_carry_every_party(db_url: str, tmp_path: Path) -> None:
    with _two_party_store(db_url) as store:
        buf = io.StringIO()
        export.export(store, "plover", buf)
        (rec,) = [json.loads(line) for line in buf.getvalue().splitlines()]
        assert rec["article_id"] and rec["doc_id"] == "multi" and rec["title"] == "Border posts shelled"
        assert rec["url"] == "https://example.invalid/a" and rec["source"] == "Wire A"
        assert rec["actors"] == ["RUS", "BLRMIL"] and rec["recipients"] == ["UKR", "POL"]
        c = tmp_path / "e.csv"
        export.export(store, "csv", c)
        row = pd.read_csv(c).iloc[0]
        assert row["actors"] == "RUS;BLRMIL" and row["recipients"] == "UKR;POL" and int(row["article_id"]) > 0
        full = tmp_path / "e.jsonl"
        export.export(store, "jsonl", full)
        j = pd.read_json(full, lines=True).iloc[0]
        assert [p["code"] for p in j["actors"]] == ["RUS", "BLRMIL"] and j["title"] == "Border posts shelled"
        pq = tmp_path / "e.parquet"
        export.export(store, "parquet", pq)
        df = pd.read_parquet(pq)
        assert list(df["actors"].iloc[0]) == ["RUS", "BLRMIL"] and list(df["recipients"].iloc[0]) == ["UKR", "POL"]
        assert df["attribution"].iloc[0][0]["country"] == "UKR" and df["url"].iloc[0] == "https://example.invalid/a"


def test_exports_round_trip_through_duckdb(db_url: str, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    with _two_party_store(db_url) as store:
        for fmt in ("parquet", "csv", "plover"):
            export.export(store, fmt, tmp_path / f"e.{fmt}")
    con = duckdb.connect()
    got = con.execute(
        "SELECT actors, recipients, article_id, title FROM read_parquet(?)", [str(tmp_path / "e.parquet")]
    ).fetchall()
    assert got == [(["RUS", "BLRMIL"], ["UKR", "POL"], got[0][2], "Border posts shelled")]
    csv_row = con.execute(
        "SELECT string_split(actors, ';'), doc_id FROM read_csv(?, header=true)", [str(tmp_path / "e.csv")]
    ).fetchall()
    assert csv_row == [(["RUS", "BLRMIL"], "multi")]
    json_row = con.execute(
        "SELECT recipients, url FROM read_json(?, format='newline_delimited')", [str(tmp_path / "e.plover")]
    ).fetchall()
    assert json_row == [(["UKR", "POL"], "https://example.invalid/a")]
