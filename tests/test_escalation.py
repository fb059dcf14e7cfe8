"""Escalation index, change points and alerts on real stores."""

from __future__ import annotations

import pytest

from analytics_data import write_scenario
from brinkwatch.analyze import escalation, incidents
from brinkwatch.store.writer import Store


def test_index_rises_and_alerts_name_the_incidents(db_url: str) -> None:
    with Store(db_url) as store:
        write_scenario(store)
        incidents.refresh(store)
        esc = escalation.escalation(store, dyad="NATO:RUS")
        assert list(esc.columns) == escalation.COLUMNS
        idx = esc.set_index("week")["index"]
        assert idx["2025-08-25"] == 0 and idx["2025-09-01"] == 0
        # 8 Sept: drones + deployment (2 material ×3), threat ×2, accusation ×0.5
        assert idx["2025-09-08"] == pytest.approx(3 * 2 + 2 * 1 + 0.5 * 1)
        # 15 Sept: troops + jets (×3), shoot-down considered ×1 (the request for restraint adds nothing)
        assert idx["2025-09-15"] == pytest.approx(3 * 2 + 1)
        assert idx["2025-09-22"] == pytest.approx(3)  # the bombers; the EU sanctions are not NATO's
        jumped = esc[esc["jump"]]
        assert "2025-09-08" in set(jumped["week"])
        assert not esc.set_index("week").loc["2025-09-01", "jump"]
        al = escalation.alerts(store, dyad="NATO:RUS")
        first = al.set_index("week").loc["2025-09-08"]
        kinds = {i["event_type"] for i in first["incidents"]}
        assert kinds == {"ASSAULT", "MOBILIZE", "THREATEN", "ACCUSE"}
        assert first["previous"] == 0
        drones = next(i for i in first["incidents"] if i["event_type"] == "ASSAULT")
        assert drones["n_reports"] == 2
        # no dyad: the watchlist (NATO:RUS among them)
        assert "NATO:RUS" in set(escalation.escalation(store)["dyad"])


def test_short_and_empty_series() -> None:
    import pandas as pd

    df = escalation._annotate(pd.DataFrame({"index": [0.0, 5.0]}))
    assert not df["change_point"].any() and not df["z_jump"].any()
    flat = escalation._annotate(pd.DataFrame({"index": [1.0] * 10}))
    assert not flat["jump"].any()
    step = escalation._annotate(pd.DataFrame({"index": [0.0, 0, 0, 0, 0, 10, 10, 10, 10, 10]}))
    assert step["change_point"].tolist().index(True) == 5 and step["z_jump"][5]


def test_empty_store(db_url: str) -> None:
    with Store(db_url) as store:
        assert escalation.escalation(store).empty
        assert escalation.alerts(store).empty
