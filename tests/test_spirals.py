"""Action–reaction spirals on real stores: hostile material moves (and threats apart), in time order."""

from __future__ import annotations

from analytics_data import write_record, write_scenario
from brinkwatch.analyze import incidents, spirals
from brinkwatch.store.writer import Store


def test_nato_russia_spiral(db_url: str) -> None:
    with Store(db_url) as store:
        write_scenario(store)
        incidents.refresh(store)
        df = spirals.spirals(store, dyad="NATO:RUS")
        assert list(df["series"]) == ["material"]  # one threat alone is no spiral
        sp = df.iloc[0]
        assert sp["start"] == "2025-09-10" and sp["end"] == "2025-09-24"
        # drones, the deployments, the jets, the bombers: material moves only (the accusation, the request
        # for restraint and the considered shoot-down are words)
        assert sp["n_moves"] == 3 and sp["n_incidents"] == 5
        assert sp["sequence"].split(" › ") == [
            "2025-09-10 RUS→NATO ASSAULT",
            "2025-09-12 NATO→RUS MOBILIZE",
            "2025-09-16 NATO→RUS MOBILIZE",
            "2025-09-19 RUS→NATO ASSAULT",
            "2025-09-24 RUS→NATO ASSAULT",
        ]
        assert [m["direction"] for m in sp["moves"]] == ["RUS→NATO", "NATO→RUS", "RUS→NATO"]
        assert sp["moves"][1]["start"] == "2025-09-12" and sp["moves"][1]["end"] == "2025-09-16"
        # a window too short for any reaction: nothing
        assert spirals.spirals(store, dyad="NATO:RUS", window=0).empty
        assert spirals.spirals(store, dyad="NATO:RUS", min_exchanges=20).empty
        assert not spirals.spirals(store).empty


def test_requests_and_refusals_make_no_spiral(db_url: str) -> None:
    words = [
        ("w1", "2025-03-03", "REQUEST", "USA", "IRN", "Washington demanded that Tehran halt enrichment."),
        ("w2", "2025-03-04", "REJECT", "IRN", "USA", "Tehran rejected the demand."),
        ("w3", "2025-03-06", "ACCUSE", "USA", "IRN", "Washington accused Tehran of bad faith."),
        ("w4", "2025-03-07", "REJECT", "IRN", "USA", "Iran refused any talks."),
    ]
    with Store(db_url) as store:
        for doc, day, et, a, b, text in words:
            write_record(
                store,
                {
                    "doc_id": doc,
                    "published": day,
                    "date": day,
                    "event_type": et,
                    "actor": a,
                    "recipient": b,
                    "text": text,
                },
            )
        incidents.refresh(store)
        assert spirals.spirals(store, dyad="USA:IRN").empty


def test_threats_are_their_own_series(db_url: str) -> None:
    moves = [
        ("t1", "2025-03-03", "THREATEN", "USA", "IRN", "Washington warned Tehran of strikes."),
        ("t2", "2025-03-05", "THREATEN", "IRN", "USA", "Tehran threatened to close the strait."),
        ("t3", "2025-03-08", "THREATEN", "USA", "IRN", "The US threatened new sanctions."),
    ]
    with Store(db_url) as store:
        for doc, day, et, a, b, text in moves:
            write_record(
                store,
                {
                    "doc_id": doc,
                    "published": day,
                    "date": day,
                    "event_type": et,
                    "actor": a,
                    "recipient": b,
                    "text": text,
                },
            )
        incidents.refresh(store)
        df = spirals.spirals(store, dyad="USA:IRN")
        assert list(df["series"]) == ["threats"] and int(df.iloc[0]["n_moves"]) == 3
        assert spirals.spirals(store, dyad="USA:IRN", series=["material"]).empty
