"""Alerts that need evidence (issue 14, item 2): an alert cites at least two independent factual incidents, or
says it rests on one dated by its text, shows them and states its rule; a jump on words or one undated report
raises none."""

from __future__ import annotations

from typing import Any

from analytics_data import write_multi, write_record
from brinkwatch.analyze import escalation, incidents
from brinkwatch.analyze.dyads import read_watch_file, watched_dyads
from brinkwatch.store.writer import Store

CALM = [("c1", "2025-01-07", "CONSULT"), ("c2", "2025-01-14", "CONSULT"), ("c3", "2025-01-21", "CONSULT")]


def _rec(doc: str, day: str, et: str, precision: str = "day", **kw: Any) -> dict[str, Any]:
    return {
        "doc_id": doc,
        "published": day,
        "date": day,
        "date_precision": precision,
        "event_type": et,
        "actor": "USA",
        "recipient": "IRN",
        "text": f"{et.title()} between Washington and Tehran reported in {doc} with some detail.",
        **kw,
    }


def _calm(store: Store) -> None:
    for doc, day, et in CALM:
        write_record(store, _rec(doc, day, et))


def _alerts(store: Store) -> list[dict[str, Any]]:
    incidents.refresh(store)
    esc = escalation.escalation(store, dyad="USA:IRN")
    assert bool(esc.set_index("week").loc["2025-01-27", "jump"])  # the index did jump that week
    return list(escalation.alerts(store, dyad="USA:IRN").to_dict("records"))


def test_a_jump_on_threats_alone_is_no_alert(db_url: str) -> None:
    with Store(db_url) as store:
        _calm(store)
        threats = ["Washington warned of strikes on nuclear sites.", "The Pentagon threatened a naval blockade.",
                   "Officials hinted sanctions could follow within days."]  # fmt: skip
        for k, text in enumerate(threats):
            write_record(store, _rec(f"t{k}", "2025-01-28", "THREATEN", text=text))
        assert _alerts(store) == []


def test_one_report_dated_only_by_its_publication_is_no_alert(db_url: str) -> None:
    with Store(db_url) as store:
        _calm(store)
        write_record(store, _rec("a1", "2025-01-28", "ASSAULT", precision="report"))
        assert _alerts(store) == []


def test_one_incident_dated_by_its_text_says_so(db_url: str) -> None:
    with Store(db_url) as store:
        _calm(store)
        write_record(store, _rec("a1", "2025-01-28", "ASSAULT"))
        (al,) = _alerts(store)
        assert al["basis"] == "rests on one incident" and al["n_evidence"] == 1
        assert [e["event_type"] for e in al["evidence"]] == ["ASSAULT"] and al["evidence"][0]["articles"]
        assert "two independent factual" in al["rule"]


def test_two_incidents_of_one_article_are_one_piece_of_evidence(db_url: str) -> None:
    with Store(db_url) as store:
        _calm(store)
        recs = [
            _rec("m1", "2025-01-28", "ASSAULT", precision="report", text="US jets struck a radar site near Bushehr."),
            _rec("m1", "2025-01-28", "COERCE", precision="report", text="The navy seized an Iranian tanker in Oman."),
        ]
        write_multi(store, "m1", recs, published="2025-01-28")
        assert _alerts(store) == []


def test_two_independent_incidents_carry_an_alert(db_url: str) -> None:
    with Store(db_url) as store:
        _calm(store)
        write_record(store, _rec("x1", "2025-01-28", "ASSAULT", precision="report", text="US jets struck a site."))
        write_record(store, _rec("x2", "2025-01-29", "COERCE", precision="report", text="The navy seized a tanker."))
        (al,) = _alerts(store)
        assert al["basis"] == "2 independent factual incidents" and al["n_evidence"] == 2
        assert {e["event_type"] for e in al["evidence"]} == {"ASSAULT", "COERCE"}
        assert al["week"] == "2025-01-27" and al["previous"] == 0


def test_watch_file_then_busiest_pairs(db_url: str, tmp_path: Any, monkeypatch: Any) -> None:
    path = tmp_path / "watch.txt"
    path.write_text("# mine\nsyr:tur\nnot a dyad\n\nNATO:RUS  # the alliance\n", encoding="utf-8")
    dyads, problems = read_watch_file(path)
    assert dyads == ["SYR:TUR", "NATO:RUS"] and len(problems) == 1 and ":3:" in problems[0]
    monkeypatch.setenv("BRINKWATCH_WATCH_FILE", str(path))
    with Store(db_url) as store:
        _calm(store)
        incidents.refresh(store)
        assert watched_dyads(store) == ["SYR:TUR", "NATO:RUS", "IRN:USA"]
        monkeypatch.setenv("BRINKWATCH_WATCH_FILE", str(tmp_path / "missing.txt"))
        assert watched_dyads(store) == ["IRN:USA"]  # no fixed list: only what the store holds
