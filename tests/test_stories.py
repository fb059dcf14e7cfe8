"""Hot stories: what grew in the last window vs the one before."""

from __future__ import annotations

from analytics_data import write_scenario
from brinkwatch.analyze import incidents, stories
from brinkwatch.store.writer import Store


def test_growth_by_tag_context_and_incident(db_url: str) -> None:
    with Store(db_url) as store:
        write_scenario(store)
        incidents.refresh(store)
        df = stories.hot_stories(store, days=7, until="2025-09-14")
        rows = {(r["kind"], r["key"]): r for r in df.to_dict("records")}
        drones = rows[("tag", "drones")]
        assert drones["n_now"] == 5 and drones["n_before"] == 0 and drones["growth"] == 5
        assert df.iloc[0]["key"] == "drones"
        inc = [r for r in df.to_dict("records") if r["kind"] == "incident" and r["n_now"] == 2]
        assert len(inc) == 1 and "drones" in inc[0]["label"]  # two reports of the drone incursion
        assert rows[("context", "military")]["n_now"] == 3
        assert stories.hot_stories(store, until="not a date").empty
        assert len(stories.hot_stories(store, limit=2)) == 2


def test_incident_ids_sort_as_numbers() -> None:
    keys = ["10", "9", "drones", "100", "2"]
    assert sorted(keys, key=stories._natural) == ["2", "9", "10", "100", "drones"]
