"""Alliance cohesion on real stores: hawks and doves among NATO members toward Russia."""

from __future__ import annotations

from analytics_data import write_scenario
from brinkwatch.analyze import cohesion, incidents
from brinkwatch.store.writer import Store


def test_nato_members_diverge(db_url: str) -> None:
    with Store(db_url) as store:
        write_scenario(store)
        incidents.refresh(store)
        df = cohesion.cohesion(store, "NATO", "RUS").set_index("member")
        assert set(df.index) == {"POL", "FRA", "DEU"}  # NATO itself is not a member
        assert df.loc["POL", "stance"] == "hawkish" and df.loc["POL", "n"] == 2
        assert df.loc["DEU", "stance"] == "restraint" and df.loc["FRA", "stance"] == "restraint"
        assert df.loc["POL", "mean_score"] < df.loc["FRA", "mean_score"]
        div = cohesion.divergence(df.reset_index())
        assert div["members"] == 3 and div["majority"] == "restraint"
        assert div["share_opposing"] == round(1 / 3, 3) and div["std_mean_score"] > 1
        assert cohesion.cohesion(store, "EU", "CHN").empty
        assert cohesion.divergence(cohesion.cohesion(store, "EU", "CHN"))["majority"] is None
