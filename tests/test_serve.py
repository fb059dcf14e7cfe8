"""The server under hostile requests and load (issue 15): the Host allow-list, the security headers on every
answer (a 500 included), the analytics cache (single-flight, bounded per call shape), the one writer."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from brinkwatch.core.settings import Settings
from brinkwatch.store.writer import Store
from brinkwatch.web import analytics as A
from brinkwatch.web.security import allowed_hosts, host_name
from test_web_data import populate

TOKEN = "serve-test-token"


def _client(db: str | Path, *, base_url: str = "http://127.0.0.1", raise_errors: bool = True, **kw: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from brinkwatch.web import create_app

    bind = kw.pop("bind", None)
    app = create_app(str(db), Settings(db=str(db), **kw), bind=bind)
    return TestClient(app, base_url=base_url, raise_server_exceptions=raise_errors)


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "store.db"
    populate(db)
    return db


def _has_headers(r: Any) -> bool:
    csp = r.headers.get("content-security-policy", "")
    return "default-src 'self'" in csp and r.headers.get("x-content-type-options") == "nosniff"


# ------------------------------------------------------------------------------------------------ Host
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "", "localhost.:80x"])
def test_an_unknown_host_is_refused_with_the_headers(store_db: Path, host: str) -> None:
    """DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 sends Host: evil.example."""
    with _client(store_db) as c:
        for path in ("/api/stats", "/", "/static", "/static/style.css"):
            r = c.get(path, headers={"host": host}, follow_redirects=False)
            assert r.status_code == 400, (host, path, r.status_code)
            assert _has_headers(r) and "location" not in r.headers


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000"])
def test_the_local_names_are_answered(store_db: Path, host: str) -> None:
    with _client(store_db) as c:
        assert c.get("/api/stats", headers={"host": host}).status_code == 200


def test_the_bound_address_and_the_setting_are_allowed(store_db: Path) -> None:
    with _client(store_db, bind="192.0.2.7", allowed_hosts="news.example.org, Other.Example") as c:
        for host in ("192.0.2.7:8000", "news.example.org", "other.example:443"):
            assert c.get("/api/stats", headers={"host": host}).status_code == 200, host
        assert c.get("/api/stats", headers={"host": "third.example"}).status_code == 400
    with _client(store_db, allowed_hosts="*") as c:  # a proxy in front checks Host itself
        assert c.get("/api/stats", headers={"host": "anything.example"}).status_code == 200


def test_host_names() -> None:
    assert host_name("[::1]:8000") == "::1" and host_name("LocalHost:80") == "localhost"
    assert host_name("example.org.") == "example.org"
    assert allowed_hosts("0.0.0.0") == frozenset({"localhost", "127.0.0.1", "::1"})
    assert allowed_hosts(None, "*") is None


def test_static_does_not_redirect_to_the_request_host(store_db: Path) -> None:
    with _client(store_db) as c:
        r = c.get("/static", follow_redirects=False)
        assert r.status_code == 404 and "location" not in r.headers and _has_headers(r)
        assert c.get("/static/../../etc/passwd").status_code == 404
        assert c.get("/static/%2e%2e/%2e%2e/etc/passwd").status_code == 404


# ------------------------------------------------------------------------------------------------ 500
def test_a_500_carries_the_security_headers(store_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from brinkwatch.web import queries as Q

    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Q, "list_articles", broken)
    with _client(store_db, raise_errors=False) as c:
        r = c.get("/api/articles")
        assert r.status_code == 500 and _has_headers(r)
        assert "database went away" not in r.text  # no internals in the answer
        r = c.get("/articles")
        assert r.status_code == 500 and _has_headers(r)


def test_every_error_status_carries_the_headers(store_db: Path) -> None:
    with _client(store_db) as c:
        answers = [
            c.get("/api/articles/999999"),  # 404
            c.get("/api/articles/nope"),  # 422
            c.delete("/api/articles"),  # 405
            c.post("/api/articles", json={"text": "x"}),  # 403: writing disabled
            c.get("/nope"),
        ]
        assert [r.status_code for r in answers] == [404, 422, 405, 403, 404]
        assert all(_has_headers(r) for r in answers)


# ------------------------------------------------------------------------------------------------ cache
def test_concurrent_requests_after_a_change_compute_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Single flight: 16 requests for one value after the store changed run the analytics once, not 16 times."""
    db = tmp_path / "store.db"
    populate(db)
    from brinkwatch.analyze import escalation as escalation_mod

    calls = 0
    real = escalation_mod.alerts
    gate = threading.Event()

    def slow_alerts(*a: Any, **k: Any) -> Any:
        nonlocal calls
        calls += 1
        gate.wait(5)
        return real(*a, **k)

    monkeypatch.setattr(escalation_mod, "alerts", slow_alerts)
    cache = A.AnalyticsCache()
    monkeypatch.setattr(A, "CACHE", cache)
    with Store(db) as store:
        results: list[Any] = []
        threads = [threading.Thread(target=lambda: results.append(A.alerts(store))) for _ in range(16)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        gate.set()
        for t in threads:
            t.join(10)
        assert len(results) == 16 and calls == 1
        assert all(r == results[0] for r in results)
        A.alerts(store)
        assert calls == 1  # same version: a hit
        # the store changes (a new article): the next request computes again, once
        populate_more(store)
        cache.touch(store)
        A.alerts(store)
        A.alerts(store)
        assert calls == 2


def test_reads_do_not_wait_for_a_slow_recompute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a write, a request that has the older value waits at most STALE_WAIT for the new one; the one
    computation goes on, and a later request gets its result."""
    db = tmp_path / "store.db"
    populate(db)
    from brinkwatch.analyze import stories as stories_mod

    real = stories_mod.hot_stories
    gate = threading.Event()
    calls = 0

    def slow(*a: Any, **k: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls > 1:
            gate.wait(10)
        return real(*a, **k)

    monkeypatch.setattr(stories_mod, "hot_stories", slow)
    cache = A.AnalyticsCache(stale_wait=0.2)
    monkeypatch.setattr(A, "CACHE", cache)
    with Store(db) as store:
        old = A.stories(store)
        populate_more(store)
        cache.touch(store)
        t0 = time.perf_counter()
        answers = [A.stories(store) for _ in range(5)]
        took = time.perf_counter() - t0
        assert answers == [old] * 5 and calls == 2  # one computation, five prompt answers
        assert took < 5 * 0.2 + 1.0, took
        gate.set()
        deadline = time.monotonic() + 10
        while cache.computed < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert A.stories(store) != old and calls == 2  # the new value, computed once


def populate_more(store: Store) -> None:
    from analytics_data import write_record

    write_record(
        store,
        {
            "doc_id": "more",
            "text": "Russia threatened Poland again.",
            "event_type": "THREATEN",
            "actor": "RUS",
            "recipient": "POL",
            "date": "2025-10-09",
            "published": "2025-10-09",
        },
    )


def test_a_flood_of_distinct_dyads_does_not_flush_the_overview(store_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """300 anonymous requests for distinct dyads used to clear the whole cache (the next /api/escalation paid
    for it). Each call shape has its own bounded LRU: the dyads evict older dyads only."""
    cache = A.AnalyticsCache(per_bucket=64)
    monkeypatch.setattr(A, "CACHE", cache)
    with _client(store_db) as c:
        for path in ("/api/escalation", "/api/alerts", "/api/stories", "/api/claims", "/api/spirals"):
            assert c.get(path).status_code == 200
        computed = cache.computed
        codes = [f"X{i:03d}" for i in range(300)]
        for i, code in enumerate(codes):
            assert c.get(f"/api/dyads/{code}/RUS/series").status_code == 200
            assert c.get("/api/escalation", params={"dyad": f"RUS:{code}"}).status_code == 200, i
        assert cache.computed == computed + 600
        for path in ("/api/escalation", "/api/alerts", "/api/stories", "/api/claims", "/api/spirals"):
            assert c.get(path).status_code == 200
        assert cache.computed == computed + 600  # all five still cached
        assert max(len(b) for b in cache._buckets.values()) == 64
        c.get("/api/dyads/X000/RUS/series")  # evicted long ago: computed again
        assert cache.computed == computed + 601


# ------------------------------------------------------------------------------------------------ writer
@pytest.fixture(scope="module")
def writer_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    db = tmp_path_factory.mktemp("writer") / "store.db"
    with _client(db, token=TOKEN) as c:
        yield c, db


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def _doc(i: int) -> dict[str, str]:
    return {
        "id": f"post-{i}",
        "title": f"Report {i}",
        "text": f"Russia accused Poland of provocations near the border on Tuesday, dispatch {i} said. "
        f"Warsaw denied the claim in statement number {i}.",
        "published": "2025-10-07",
    }


def test_concurrent_posts_are_written_one_at_a_time_each_once(writer_client: tuple[Any, Path]) -> None:
    c, db = writer_client
    results: list[Any] = []

    def post(i: int) -> None:
        results.append(c.post("/api/articles", json=_doc(i), headers=_auth()))

    threads = [threading.Thread(target=post, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(r.status_code for r in results) == [201] * 6, [r.text for r in results]
    ids = sorted(r.json()["article_id"] for r in results)
    assert len(set(ids)) == 6
    with Store(db) as store:
        docs = [a["doc_id"] for a in c.get("/api/articles", params={"limit": 100}).json()["items"]]
        assert sorted(d for d in docs if d.startswith("post-")) == sorted(f"post-{i}" for i in range(6))
        assert store.stats()["articles"] >= 6
    # the poster reads its own write at once (the cache's version is read afresh after a write)
    assert c.get("/api/claims", params={"dyad": "RUS:POL"}).status_code == 200
    r = c.post("/api/articles", json=_doc(0), headers=_auth())  # the same text again: stored once
    assert r.status_code == 201
    docs = [a["doc_id"] for a in c.get("/api/articles", params={"limit": 100}).json()["items"]]
    assert docs.count("post-0") == 1


def test_the_parse_runs_in_the_writer_process(writer_client: tuple[Any, Path]) -> None:
    """The parse runs in the writer process: its CPU time and memory are not the readers'."""
    c, _ = writer_client
    assert c.post("/api/articles", json=_doc(50), headers=_auth()).status_code == 201
    writer = c.app.state.writer
    assert writer._proc is not None and writer._proc.is_alive() and writer._proc.pid != os.getpid()


def test_a_writer_that_dies_fails_one_request_and_is_replaced(writer_client: tuple[Any, Path]) -> None:
    c, _ = writer_client
    assert c.post("/api/articles", json=_doc(100), headers=_auth()).status_code == 201
    writer = c.app.state.writer
    os.kill(writer._proc.pid, signal.SIGKILL)  # dead while idle: replaced before the next body
    writer._proc.join(10)
    assert c.post("/api/articles", json=_doc(101), headers=_auth()).status_code == 201
    # dead while ingesting (as the kernel's OOM killer would do it): that request fails, the next one is served
    long = {**_doc(102), "text": " ".join(_doc(1000 + i)["text"] for i in range(150))}
    answer: list[Any] = []
    t = threading.Thread(target=lambda: answer.append(c.post("/api/articles", json=long, headers=_auth())))
    t.start()
    assert writer.busy.wait(60)
    os.kill(writer._proc.pid, signal.SIGKILL)
    t.join(60)
    assert answer[0].status_code == 500 and "writer process died" in answer[0].json()["detail"]
    assert _has_headers(answer[0])
    r = c.post("/api/articles", json=_doc(103), headers=_auth())
    assert r.status_code == 201, r.text


def test_a_full_queue_is_503_with_retry_after(tmp_path: Path) -> None:
    from brinkwatch.web.ingest_one import Writer, WriterBusy

    w = Writer(str(tmp_path / "q.db"), Settings(db=str(tmp_path / "q.db")), max_pending=1)
    w._thread = threading.Thread()  # a dispatcher that never takes a job: the queue fills up

    async def two() -> None:
        first = asyncio.ensure_future(w.submit(b"one"))
        await asyncio.sleep(0)
        with pytest.raises(WriterBusy):
            await w.submit(b"two")
        first.cancel()

    asyncio.run(two())


def test_a_refused_body_is_422_and_the_writer_goes_on(writer_client: tuple[Any, Path]) -> None:
    c, _ = writer_client
    r = c.post(
        "/api/articles", content=json.dumps({"text": "   "}), headers={**_auth(), "Content-Type": "application/json"}
    )
    assert r.status_code == 422
    assert c.post("/api/articles", json=_doc(200), headers=_auth()).status_code == 201


def test_a_writer_past_its_memory_bound_is_replaced(tmp_path: Path) -> None:
    """An article that leaves the writer big (the issue: a 400 KB POST kept 1.08 GB in the server): the writer
    process is replaced after it answers, so the memory goes back to the system."""
    from brinkwatch.web.ingest_one import Writer

    db = tmp_path / "w.db"
    Store(db).close()
    w = Writer(str(db), Settings(db=str(db)), recycle_mb=1)  # every writer is over 1 MB

    async def two() -> list[dict[str, Any]]:
        first = await w.submit(json.dumps(_doc(1)).encode())
        pid = w._proc.pid if w._proc is not None else None
        second = await w.submit(json.dumps(_doc(2)).encode())
        assert w.stopped >= 1 and (w._proc is None or w._proc.pid != pid)
        return [first, second]

    try:
        first, second = asyncio.run(two())
    finally:
        w.close()
    assert first["article_id"] and second["article_id"] and first["article_id"] != second["article_id"]
