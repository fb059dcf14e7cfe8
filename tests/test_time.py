"""Time as analysts use it (issue 14, item 1): an incident counts in the week of its date only when it is dated
to its day or week; month- and year-dated incidents have their own buckets; background (history, plans) stays
out of series, escalation and alerts unless asked for."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics_data import write_record
from brinkwatch.analyze import dyad_daily, dyads, escalation, incidents
from brinkwatch.store.writer import Store


def _rec(doc_id: str, published: str, date: str, precision: str, **kw: object) -> dict[str, object]:
    return {
        "doc_id": doc_id,
        "published": published,
        "date": date,
        "date_precision": precision,
        "event_type": "ASSAULT",
        "actor": "SYR",
        "recipient": "TUR",
        "text": f"Syrian forces shelled Turkish positions ({doc_id}).",
        **kw,
    }


RECORDS = [
    _rec("d1", "2024-03-06", "2024-03-05", "day"),
    _rec("d2", "2024-03-13", "2024-03-12", "day", text="Government artillery hit a border post near Kilis."),
    _rec("r1", "2024-03-20", "2024-03-20", "report", text="Army units fired rockets across the frontier."),
    # "in 2018 they took the town": a year, long before the report
    _rec("y1", "2024-03-14", "2018-01-01", "year", event_type="COERCE", text="In 2018 they took the town."),
    # "last month": a month, within the report's time
    _rec("m1", "2024-03-08", "2024-02-01", "month", text="Last month troops crossed into the enclave."),
    # "the 1956 crisis"-like history at day precision: background
    _rec("h1", "2024-03-15", "1998-10-20", "day", text="On 20 October 1998 the two sides signed an accord."),
]


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    with Store(db_url) as s:
        for r in RECORDS:
            write_record(s, r)
        incidents.refresh(s)
        yield s


def test_grain_and_timing_rules() -> None:
    assert dyad_daily.grain_of("day") == dyad_daily.grain_of("report") == dyad_daily.grain_of("week") == "week"
    assert dyad_daily.grain_of("month") == "month" and dyad_daily.grain_of("year") == "year"
    assert dyad_daily.timing_of("2024-03-01", "day", "2024-03-10") == "current"
    assert dyad_daily.timing_of("2024-01-01", "day", "2024-03-10") == "background"
    # a month-dated event may be on the month's last day: "last month" in early March is current
    assert dyad_daily.timing_of("2024-02-01", "month", "2024-03-10") == "current"
    assert dyad_daily.timing_of("2018-01-01", "year", "2024-03-10") == "background"
    assert dyad_daily.timing_of("2020-03-03", "day", "2018-06-01") == "background"  # far after: a plan
    assert dyad_daily.incident_when(
        [("2024-03-01", "month", "asserted", "2024-03-10"), ("2024-03-05", "day", "asserted", "2024-03-11")]
    ) == ("2024-03-05", "day")
    assert dyad_daily.incident_when([(None, "report", "alleged", "2024-03-10T08:00")]) == ("2024-03-10", "report")


def test_weekly_series_counts_only_day_dated_current_incidents(store: Store) -> None:
    df = dyads.dyad_series(store, "SYR", "TUR")
    assert list(df["period"]) == ["2024-03-04", "2024-03-11", "2024-03-18"]  # not from 1998, 2018 or 1 February
    assert df["n"].tolist() == [1, 1, 1]
    daily = dyads.dyad_series(store, "SYR", "TUR", freq="D")
    assert daily["period"].iloc[0] == "2024-03-05" and daily["n"].sum() == 3
    left = dyads.coverage(dyads.coarse(store, "SYR", "TUR"))
    assert left == {"month_only": 1, "year_only": 0, "background": 2}


def test_monthly_series_counts_month_dated_incidents(store: Store) -> None:
    df = dyads.dyad_series(store, "SYR", "TUR", freq="M")
    assert df.set_index("period")["n"].to_dict() == {"2024-02-01": 1, "2024-03-01": 3}
    assert dyads.coverage(dyads.coarse(store, "SYR", "TUR", freq="M"))["month_only"] == 0


def test_background_is_kept_and_brought_in_on_request(store: Store) -> None:
    esc = escalation.escalation(store, dyad="SYR:TUR")
    assert esc["week"].min() == "2024-03-04"
    wide = escalation.escalation(store, dyad="SYR:TUR", background=True)
    assert wide["week"].min() == "1998-10-19"  # the 1998 accord's week (the 2018 year stays in its bucket)
    coarse = dyads.coarse(store, "SYR", "TUR", background=True)
    assert set(coarse["period"]) == {"2024-02", "2018"}


def test_weekly_table_and_daily_rows_agree_with_grains(store: Store) -> None:
    weekly = dyads.period_sums(store, "SYR", "TUR")
    daily = dyads.period_sums(store, "SYR", "TUR", since="2000-01-02")  # not a Monday: read from dyad_daily
    pd.testing.assert_frame_equal(weekly, daily)


def test_bad_frequency_is_an_error(store: Store) -> None:
    with pytest.raises(ValueError, match="frequency"):
        dyads.dyad_series(store, "SYR", "TUR", freq="Q")
