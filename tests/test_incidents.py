"""Incident merging on real SQLite and PostgreSQL: the merge test set, syndicated copies, incremental runs."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from analytics_data import merge_records, write_record
from brinkwatch.analyze import incidents
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store


def _incident_of(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        q = sa.select(S.articles.c.doc_id, S.events.c.incident_id).join(
            S.events, S.events.c.article_id == S.articles.c.id
        )
        return {d: int(i) for d, i in conn.execute(q)}


def pairwise(recs: list[dict], assigned: dict[str, int]) -> tuple[float, float]:
    tp = fp = fn = 0
    for a, b in itertools.combinations(recs, 2):
        gold = a["group"] == b["group"]
        pred = assigned[a["doc_id"]] == assigned[b["doc_id"]]
        tp += gold and pred
        fp += pred and not gold
        fn += gold and not pred
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def test_merge_set_precision_recall(db_url: str) -> None:
    recs = merge_records()
    assert len({r["group"] for r in recs}) >= 15 and len(recs) >= 30
    with Store(db_url) as store:
        for r in recs:
            write_record(store, r)
        touched = incidents.refresh(store)
        assigned = _incident_of(store)
        precision, recall = pairwise(recs, assigned)
        print(f"merge set: pairwise precision {precision:.3f} recall {recall:.3f}")
        assert precision >= 0.9 and recall >= 0.9
        assert touched == len(set(assigned.values()))
        # idempotent: nothing new, nothing changes
        before = incidents.list_incidents(store, limit=1000)
        assert incidents.refresh(store) == 0
        after = incidents.list_incidents(store, limit=1000)
        assert before.equals(after)


def test_syndicated_copy_and_follow_up_are_one_incident(db_url: str) -> None:
    recs = {r["doc_id"]: r for r in merge_records()}
    with Store(db_url) as store:
        first = write_record(store, recs["m07"])
        incidents.refresh(store)
        # a syndicated copy arrives later (stored as a duplicate, no events) and a reworded follow-up
        write_record(
            store,
            {**recs["m07"], "doc_id": "copy", "source": "Other Outlet", "published": "2025-09-20"},
            duplicate_of=first,
        )
        write_record(store, recs["m08"])
        assert incidents.refresh(store) == 1
        df = incidents.list_incidents(store)
        assert len(df) == 1
        row = df.iloc[0]
        assert row["n_reports"] == 3 and row["n_outlets"] == 3
        assert row["first_reported"] == "2025-09-19" and row["last_reported"] == "2025-09-20"
        assert row["status"] == "asserted" and row["actor"] == "RUS" and row["recipient"] == "EST"
        detail = incidents.incident_detail(store, int(row["id"]))
        assert detail is not None
        assert {r["doc_id"] for r in detail["reports"]} == {"m07", "m08", "copy"}
        copy = next(r for r in detail["reports"] if r["doc_id"] == "copy")
        assert copy["duplicate_of"] == first and copy["sentences"][0]["trigger"] == "Three"
        assert incidents.incident_detail(store, 999999) is None


def test_best_status_and_dyad_daily_count_incidents_once(db_url: str) -> None:
    recs = {r["doc_id"]: r for r in merge_records()}
    with Store(db_url) as store:
        write_record(store, recs["m09"])  # denied first
        incidents.refresh(store)
        assert incidents.list_incidents(store).iloc[0]["status"] == "denied"
        write_record(store, recs["m07"])
        write_record(store, recs["m08"])
        incidents.refresh(store)
        inc = incidents.list_incidents(store)
        assert len(inc) == 1 and inc.iloc[0]["status"] == "asserted" and inc.iloc[0]["n_reports"] == 3
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(S.dyad_daily)).mappings().all()
        assert [(r["day"], r["actor"], r["recipient"], r["series"], r["n"]) for r in rows] == [
            ("2025-09-19", "RUS", "EST", "factual", 1)
        ]
        assert rows[0]["score_sum"] == -9.0


def test_reextraction_drops_orphan_incidents(db_url: str) -> None:
    recs = {r["doc_id"]: r for r in merge_records()}
    with Store(db_url) as store:
        aid = write_record(store, recs["p01"])
        incidents.refresh(store)
        store.replace_extraction(aid, [], [])
        incidents.refresh(store)
        assert store.stats()["incidents"] == 0
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(S.dyad_daily)).scalar_one() == 0


def test_hostile_text_does_not_break_merging(db_url: str) -> None:
    rec = {
        "doc_id": "x",
        "text": "<script>alert(1)</script> ' OR 1=1; -- \x00drop",
        "event_type": "PROTEST",
        "actor": "POL",
        "recipient": None,
        "date": None,
        "published": "not a date",
    }
    with Store(db_url) as store:
        write_record(store, {**rec, "text": rec["text"].replace("\x00", "")})
        assert incidents.refresh(store) == 1
        assert incidents.list_incidents(store).iloc[0]["summary"].startswith("<script>")


def test_report_without_recipient_joins_the_named_one(db_url: str) -> None:
    recs = {r["doc_id"]: r for r in merge_records()}
    with Store(db_url) as store:
        write_record(store, {**recs["m08"], "recipient": None})  # "…violated its airspace": recipient not coded
        incidents.refresh(store)
        assert incidents.list_incidents(store).iloc[0]["recipient"] is None
        write_record(store, recs["m07"])  # names Estonia
        write_record(store, {**recs["m10"]})  # another RUS→EST happening the same day stays apart
        incidents.refresh(store)
        df = incidents.list_incidents(store).sort_values("n_reports")
        assert df["n_reports"].tolist() == [1, 2]
        assert df.iloc[1]["recipient"] == "EST"
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(S.dyad_daily.c.recipient, S.dyad_daily.c.n)).all()
        assert rows == [("EST", 2)]  # two incidents on RUS→EST that day: the jets and the boat


def _partition(store: Store) -> tuple[set[frozenset[str]], dict[str, frozenset[str]]]:
    """The incidents as sets of doc_ids, and each incident's key → its doc_ids."""
    with store.engine.connect() as conn:
        q = (
            sa.select(S.articles.c.doc_id, S.incidents.c.key)
            .join(S.events, S.events.c.article_id == S.articles.c.id)
            .join(S.incidents, S.incidents.c.id == S.events.c.incident_id)
        )
        groups: dict[str, set[str]] = {}
        for doc_id, key in conn.execute(q):
            groups.setdefault(str(key), set()).add(str(doc_id))
    return {frozenset(g) for g in groups.values()}, {k: frozenset(g) for k, g in groups.items()}


def _ingest_in_steps(url: str, recs: list[dict], step: int) -> tuple[set[frozenset[str]], dict[str, frozenset[str]]]:
    with Store(url) as store:
        for n, r in enumerate(recs, start=1):
            write_record(store, r)
            if n % step == 0:
                incidents.refresh(store)
        incidents.refresh(store)
        with store.engine.connect() as conn:
            stored = conn.execute(sa.select(sa.func.count()).select_from(S.incidents)).scalar_one()
        part, keys = _partition(store)
        assert stored == len(part)  # every incident a merge emptied is gone
        return part, keys


def test_incidents_do_not_depend_on_how_ingest_was_cut(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Refreshing after every report, every few reports or once gives the same incidents with the same keys
    (a resumed ingest equals a clean one); another arrival order gives the same incidents."""
    recs = merge_records()
    once, keys = _ingest_in_steps(f"sqlite:///{tmp_path / 'once.db'}", recs, len(recs) + 1)
    assert len(once) < len(recs)  # the set merges
    for step in (1, 2, 5):
        part, k = _ingest_in_steps(f"sqlite:///{tmp_path / f'step{step}.db'}", recs, step)
        assert part == once and k == keys, step
    backwards, _ = _ingest_in_steps(f"sqlite:///{tmp_path / 'backwards.db'}", list(reversed(recs)), 3)
    assert backwards == once


def test_a_report_that_bridges_two_incidents_merges_them(db_url: str) -> None:
    """A and C are too different to merge; B matches both; B arrives last → one incident, A's key kept."""
    base = {"event_type": "ASSAULT", "actor": "RUS", "recipient": "UKR", "published": "2025-10-01"}
    a = {**base, "doc_id": "bridge-a", "text": "Russian drones struck a power plant in Kharkiv overnight."}
    c = {**base, "doc_id": "bridge-c", "text": "Missiles hit railway depots near Lviv, officials reported."}
    b = {
        **base,
        "doc_id": "bridge-b",
        "text": "Russian drones struck a power plant in Kharkiv as missiles hit railway depots near Lviv.",
    }
    with Store(db_url) as store:
        for r in (a, c):
            write_record(store, r)
        incidents.refresh(store)
        first, _ = _partition(store)
        assert len(first) == 2, first
        write_record(store, b)
        incidents.refresh(store)
        part, keys = _partition(store)
        assert part == {frozenset({"bridge-a", "bridge-b", "bridge-c"})}
        (key,) = keys
        with store.engine.connect() as conn:
            q = sa.select(S.events.c.event_id).join(S.articles, S.articles.c.id == S.events.c.article_id)
            first_event = conn.execute(q.where(S.articles.c.doc_id == "bridge-a")).scalar_one()
            n = conn.execute(sa.select(sa.func.count()).select_from(S.incidents)).scalar_one()
        assert key == first_event and n == 1
