"""The ingest stream: incidents merged while the workers parse give the same store as one merge at the end."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa

from brinkwatch.core.settings import Settings
from brinkwatch.pipeline import run as pipeline
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store

DEMO = Path(str(resources.files("brinkwatch") / "demo"))


def _snapshot(store: Store) -> tuple[list[tuple[str, str, str]], dict[str, frozenset[str]], dict[str, int]]:
    with store.engine.connect() as conn:
        events = [
            (str(a), str(b), str(c))
            for a, b, c in conn.execute(
                sa.select(S.events.c.event_id, S.events.c.event_type, S.events.c.status).order_by(S.events.c.event_id)
            )
        ]
        groups: dict[str, set[str]] = {}
        q = sa.select(S.incidents.c.key, S.events.c.event_id).join(S.events, S.events.c.incident_id == S.incidents.c.id)
        for key, eid in conn.execute(q):
            groups.setdefault(str(key), set()).add(str(eid))
    return events, {k: frozenset(v) for k, v in groups.items()}, store.stats()


def test_refreshing_during_the_stream_equals_one_refresh_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [str(p) for p in sorted(DEMO.iterdir()) if p.name != "README.md"]
    once_settings = Settings(n_process=1)
    with Store(f"sqlite:///{tmp_path / 'once.db'}") as store:
        monkeypatch.setattr(pipeline, "REFRESH_EVENTS", 10**9)
        pipeline.ingest(files, store=store, settings=once_settings)
        once = _snapshot(store)
    # rounds of two articles, one task each, a merge after every task that stored an event
    often_settings = Settings(n_process=1, batch_size=2)
    refreshes: list[int] = []
    real_refresh = pipeline._Run.refresh_incidents

    def counted(run: pipeline._Run) -> None:
        refreshes.append(run.unmerged)
        real_refresh(run)

    monkeypatch.setattr(pipeline, "REFRESH_EVENTS", 1)
    monkeypatch.setattr(pipeline, "REFRESH_SHARE", 1.0)
    monkeypatch.setattr(pipeline._Run, "refresh_incidents", counted)
    with Store(f"sqlite:///{tmp_path / 'often.db'}") as store:
        pipeline.ingest(files, store=store, settings=often_settings)
        often = _snapshot(store)
    assert len(refreshes) >= 5  # the stream really merged many times
    events, groups, _ = once
    assert len(events) >= 20 and any(len(g) > 1 for g in groups.values())  # the demo has merges to get right
    assert often == once
