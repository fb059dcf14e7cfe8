"""Action–reaction spirals on real stores."""

from __future__ import annotations

from analytics_data import write_scenario
from brinkwatch.analyze import incidents, spirals
from brinkwatch.store.writer import Store


def test_nato_russia_spiral(db_url: str) -> None:
    with Store(db_url) as store:
        write_scenario(store)
        incidents.refresh(store)
        df = spirals.spirals(store, dyad="NATO:RUS")
        assert len(df) == 1
        sp = df.iloc[0]
        assert sp["start"] == "2025-09-10" and sp["end"] == "2025-09-24"
        assert sp["sequence"].startswith("RUS→NATO, NATO→RUS, RUS→NATO")
        assert sp["n_moves"] >= 4 and sp["n_incidents"] == 8  # the considered shoot-down is not factual
        assert len(sp["incident_ids"]) == 8 and sp["moves"][0]["incidents"][0]["event_type"] == "ASSAULT"
        # a window too short for any reaction: nothing
        assert spirals.spirals(store, dyad="NATO:RUS", window=0).empty
        # the consultation and the agreement are not hostile: nothing before 10 Sept
        assert spirals.spirals(store, dyad="NATO:RUS", min_exchanges=20).empty
        assert not spirals.spirals(store).empty
