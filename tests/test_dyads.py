"""Dyad series on real stores: groups expand to members, counts are per incident, rhetoric kept apart."""

from __future__ import annotations

import pytest

from analytics_data import write_record, write_scenario
from brinkwatch.analyze import dyads, incidents
from brinkwatch.lexicon import groups
from brinkwatch.store.writer import Store


def test_groups_file() -> None:
    nato = groups.expand("NATO")
    assert {"NATO", "POL", "EST", "USA", "TUR"} <= nato and "RUS" not in nato and len(nato) == 33
    eu = groups.expand("EU")
    assert "AUT" in eu and "USA" not in eu
    west = groups.expand("WST")
    assert {"WST", "NATO", "EU", "USA", "AUT", "JPN"} <= west
    assert groups.expand("rus") == {"RUS"}
    assert "NATO" not in groups.members("NATO") and "POL" in groups.members("NATO")


@pytest.mark.parametrize("bad", ["NATO", "A:B:C", "", "NATO:'; DROP TABLE events;--", "x" * 50])
def test_parse_dyad_refuses_junk(bad: str) -> None:
    with pytest.raises(ValueError):
        groups.parse_dyad(bad)


def test_nato_russia_weekly(db_url: str) -> None:
    with Store(db_url) as store:
        write_scenario(store)
        incidents.refresh(store)
        df = dyads.dyad_series(store, "NATO", "RUS")
        assert list(df["period"][:3]) == ["2025-08-25", "2025-09-01", "2025-09-08"]
        wk = df.set_index("period")
        # week of 8 Sept: drones (two reports, one incident), accusation, deployment, threat (rhetoric)
        w = wk.loc["2025-09-08"]
        assert w["n"] == 3 and w["quad4"] == 2 and w["quad3"] == 1 and w["ASSAULT"] == 1
        assert w["rhetoric_n"] == 1 and w["score_sum"] == pytest.approx(-9 - 3 - 5.5)
        assert w["mean_score"] == pytest.approx((-9 - 3 - 5.5) / 3, abs=1e-3)
        assert wk.loc["2025-08-25"]["quad1"] == 1 and wk.loc["2025-08-25"]["score_sum"] == 2.5
        # the considered shoot-down counts as rhetoric only
        assert wk.loc["2025-09-15"]["rhetoric_n"] == 1 and wk.loc["2025-09-15"]["ASSAULT"] == 1
        # directed: only NATO side → Russia
        fwd = dyads.dyad_series(store, "NATO", "RUS", directed=True).set_index("period")
        assert fwd.loc["2025-09-08"]["n"] == 2  # the accusation and the deployment
        daily = dyads.dyad_series(store, "NATO", "RUS", freq="D")
        assert daily["n"].sum() == df["n"].sum() and len(daily) > len(df)
        long = dyads.dyad_counts(store, "NATO", "RUS")
        assert set(long["direction"]) == {"NATO→RUS", "RUS→NATO"}
        assert set(long["series"]) == {"factual", "rhetoric"}
        # EU:RUS sees the sanctions and the members' actions, not NATO's own deployment
        eu = dyads.dyad_series(store, "EU", "RUS")
        assert eu["SANCTION"].sum() == 1 and "NATO" not in set(dyads.dyad_counts(store, "EU", "RUS")["direction"])
        assert dyads.dyad_series(store, "CHN", "USA").empty
        assert "NATO:RUS" in dyads.watched_dyads(store)


def test_a_second_report_does_not_double_count(db_url: str) -> None:
    rec = {
        "doc_id": "x1",
        "published": "2025-09-10",
        "date": "2025-09-10",
        "event_type": "ASSAULT",
        "actor": "RUS",
        "recipient": "POL",
        "text": "Russian drones violated Polish airspace overnight.",
    }
    with Store(db_url) as store:
        write_record(store, rec)
        incidents.refresh(store)
        write_record(store, {**rec, "doc_id": "x2", "text": "Russian drones crossed into Polish airspace overnight."})
        incidents.refresh(store)
        df = dyads.dyad_series(store, "RUS", "POL", freq="D")
        assert df["n"].tolist() == [1]
