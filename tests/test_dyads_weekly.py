"""The weekly pre-aggregate (dyad_weekly) answers exactly what the daily table does, and stays in step."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from analytics_data import write_scenario
from brinkwatch.analyze import dyads, escalation, incidents
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store


def _daily_path(store: Store, a: str, b: str, **kw: object) -> pd.DataFrame:
    # a Sunday long before the data: not a week start, so period_sums must read dyad_daily
    return dyads.period_sums(store, a, b, since="2000-01-02", **kw)  # type: ignore[arg-type]


def test_weekly_table_matches_daily(db_url: str) -> None:
    with Store(db_url) as store:
        write_scenario(store)
        incidents.refresh(store)
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(S.dyad_weekly)).scalar_one() > 0
        for a, b in (("NATO", "RUS"), ("RUS", "EST"), ("POL", "RUS")):
            for directed in (False, True):
                weekly = dyads.period_sums(store, a, b, directed=directed)
                daily = _daily_path(store, a, b, directed=directed)
                pd.testing.assert_frame_equal(weekly, daily)
        # whole-week bounds still read the weekly table, with the same answer as the days
        full = dyads.period_sums(store, "NATO", "RUS")
        first, last = full["period"].iloc[1], full["period"].iloc[-2]
        until = (pd.Timestamp(last) + pd.Timedelta(days=6)).strftime("%Y-%m-%d")
        assert dyads._weekly_bounds("W", first, until) is not None
        part = dyads.period_sums(store, "NATO", "RUS", since=first, until=until)
        assert list(part["period"]) == list(full["period"][1:-1])
        pd.testing.assert_frame_equal(part.reset_index(drop=True), full.iloc[1:-1].reset_index(drop=True))


def test_refresh_rebuilds_weekly_after_direct_writes(db_url: str) -> None:
    with Store(db_url) as store:
        write_scenario(store)
        incidents.refresh(store)
        before = escalation.escalation(store, dyad="NATO:RUS")
        assert dyads.refresh(store) == 0  # in step after incidents.refresh
        with store.engine.begin() as conn:
            conn.execute(S.dyad_weekly.delete())  # e.g. a bulk load that wrote dyad_daily only
        assert escalation.escalation(store, dyad="NATO:RUS").empty
        assert dyads.refresh(store) > 0
        pd.testing.assert_frame_equal(escalation.escalation(store, dyad="NATO:RUS"), before)


def test_weekly_bounds() -> None:
    assert dyads._weekly_bounds("D", None, None) is None
    assert dyads._weekly_bounds("W", None, None) == (None, None)
    assert dyads._weekly_bounds("W", "2025-09-08", "2025-09-21") == ("2025-09-08", "2025-09-15")
    assert dyads._weekly_bounds("W", "2025-09-09", None) is None  # a Tuesday: partial first week
    assert dyads._weekly_bounds("W", None, "2025-09-20") is None  # a Saturday
    assert dyads._weekly_bounds("W", "junk", None) is None
