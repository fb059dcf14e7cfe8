"""Acceptance on real news (issue 14, "done when"): a store built from the UW sentences as articles (real
1998–2000 newswire from ../shared, grouped ~20 sentences to an article, made-up published dates over twelve
weeks; dev/realnews.py — the text never enters the repository).

* no alert rests on a single non-factual or undated event;
* no series starts before the earliest day-precision event (or strays into history: every period lies within
  the reports' time);
* ``stats --db typo.db`` exits 2 and creates nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from brinkwatch.analyze import dyads, escalation
from brinkwatch.analyze.dyad_daily import BACKGROUND_DAYS, grain_of, timing_of
from brinkwatch.cli import app
from brinkwatch.lexicon.groups import expand
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Iterator[Store]:
    from brinkwatch.dev.realnews import build_store

    db = build_store(shared_dir, tmp_path_factory.mktemp("realnews"))
    with Store(db) as s:
        yield s


def _incidents(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(S.incidents)).mappings()]


def _pairs(store: Store) -> list[str]:
    return dyads.top_pairs(store, limit=10_000)


def test_the_store_has_history_and_coarse_dates_to_leave_out(store: Store) -> None:
    incs = _incidents(store)
    timings = {timing_of(i["date"], i["date_precision"], i["first_reported"]) for i in incs}
    grains = {grain_of(i["date_precision"]) for i in incs}
    assert "background" in timings and "year" in grains  # what the rules below must keep out of series


def test_no_alert_rests_on_a_single_non_factual_or_undated_event(store: Store) -> None:
    pairs = _pairs(store)
    assert pairs
    for background in (False, True):
        for pair in pairs:
            for al in escalation.alerts(store, dyad=pair, background=background).to_dict("records"):
                assert al["evidence"] and all(e["status"] == "asserted" for e in al["evidence"]), al
                if al["n_evidence"] < 2:
                    assert al["basis"] == "rests on one incident", al
                    assert any(e["date_precision"] in ("day", "week") for e in al["evidence"]), al


def test_no_series_starts_before_the_earliest_day_dated_event(store: Store) -> None:
    with store.engine.connect() as conn:
        published = [str(p)[:10] for p in conn.execute(sa.select(S.articles.c.published)).scalars() if p]
    first, last = dt.date.fromisoformat(min(published)), dt.date.fromisoformat(max(published))
    lo = (first - dt.timedelta(days=BACKGROUND_DAYS + 7)).isoformat()
    hi = (last + dt.timedelta(days=BACKGROUND_DAYS + 7)).isoformat()
    incs = _incidents(store)
    for pair in _pairs(store):
        a, b = pair.split(":")
        series = dyads.dyad_series(store, a, b)
        if series.empty:
            continue
        sa_, sb = expand(a), expand(b)
        mine = [
            i["date"]
            for i in incs
            if ((i["actor"] in sa_ and i["recipient"] in sb) or (i["actor"] in sb and i["recipient"] in sa_))
            and i["date_precision"] in ("day", "week", "report")
            and timing_of(i["date"], i["date_precision"], i["first_reported"]) == "current"
        ]
        earliest = dt.date.fromisoformat(min(mine))
        start = dt.date.fromisoformat(series["period"].iloc[0])
        assert start == earliest - dt.timedelta(days=earliest.weekday()), (pair, start, earliest)
        assert lo <= series["period"].iloc[0] and series["period"].iloc[-1] <= hi, pair
    esc = escalation.escalation(store)
    assert not esc.empty and esc["week"].min() >= lo


def test_a_mistyped_store_exits_2_and_creates_nothing(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["stats", "--db", str(tmp_path / "typo.db")])
    assert res.exit_code == 2 and "no store at" in res.stderr
    assert list(tmp_path.iterdir()) == []
