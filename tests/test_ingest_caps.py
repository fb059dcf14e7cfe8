"""The size cap binds every source and a fetch has a total deadline (issue 15, items 7 and 8).

Before: stdin, URLs and JSON/JSONL/RSS stored a 50–157 MB article with exit 0 (a 630 KB gzip response became
a 157 MB row); ``fetch_timeout`` was per read, so a server sending one byte a second held ingest 48 s
against a 3 s timeout."""

from __future__ import annotations

import gzip
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from brinkwatch.cli import app
from brinkwatch.core.records import Article, InputFailure
from brinkwatch.core.settings import Settings
from brinkwatch.ingest import sources

SMALL = Settings(max_article_bytes=1000)
SENTENCE = "Officials said on Monday that the ministry would hold talks with NATO about the airspace incidents. "
runner = CliRunner()


class CountingStream(io.BytesIO):
    """stdin that remembers how many bytes were read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, n: int | None = -1) -> bytes:
        out = super().read(n)
        self.taken += len(out)
        return out


def test_stdin_text_is_cut_at_the_article_cap() -> None:
    stream = CountingStream(SENTENCE.encode() * 100_000)  # 10 MB of text
    (failure,) = list(sources.iter_articles(["-"], SMALL, stdin=stream))
    assert isinstance(failure, InputFailure) and failure.origin == "stdin"
    assert "over max_article_bytes (1000) for one text article" in failure.reason
    assert stream.taken <= 1000 + sources.HEAD_BYTES + 1


def test_stdin_jsonl_still_reads_many_articles() -> None:
    lines = "".join(json.dumps({"id": f"a{i}", "text": SENTENCE}) + "\n" for i in range(50))
    items = list(sources.iter_articles(["-"], SMALL, stdin=io.BytesIO(lines.encode())))
    assert len(items) == 50 and all(isinstance(i, Article) for i in items)


@pytest.mark.parametrize("fmt", ["json", "rss", "stdin-json"])
def test_an_article_over_twice_the_cap_is_refused_from_any_container(tmp_path: Path, fmt: str) -> None:
    big, fair = SENTENCE * 30, SENTENCE * 15  # 3,000 and 1,500 bytes: over 2 × 1000, and between 1× and 2×
    if fmt == "rss":
        items_xml = "".join(
            f"<item><title>t{i}</title><link>https://x.example/{i}</link><description>{t}</description></item>"
            for i, t in enumerate((big, fair))
        )
        data = f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items_xml}</channel></rss>'
    else:
        data = json.dumps([{"id": "big", "text": big}, {"id": "fair", "text": fair}])
    if fmt == "stdin-json":
        items = list(sources.iter_articles(["-"], SMALL, stdin=io.BytesIO(data.encode())))
    else:
        path = tmp_path / f"in.{fmt}"
        path.write_text(data)
        items = list(sources.iter_articles([str(path)], SMALL))
    refused, kept = items
    assert isinstance(refused, InputFailure)
    assert "over 2 × max_article_bytes (2000); not stored" in refused.reason
    assert isinstance(kept, Article) and kept.text.strip() == fair.strip()  # the pipeline stores it as skipped


def test_a_huge_record_is_not_stored_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text(json.dumps([{"id": "huge", "text": SENTENCE * 50_000}]))  # 5 MB of text in one record
    db = str(tmp_path / "h.db")
    result = runner.invoke(app, ["ingest", str(path), "--db", db])
    assert result.exit_code == 2 and "not stored" in result.stderr
    stats = runner.invoke(app, ["stats", "--db", db, "--json"])
    assert json.loads(stats.stdout)["articles"] == 0


def _gzip_page(n_bytes: int) -> bytes:
    return gzip.compress(b"<html><body><p>" + b"a " * (n_bytes // 2) + b"</p></body></html>")


def test_a_small_gzip_response_cannot_grow_past_the_cap() -> None:
    body = _gzip_page(50_000_000)  # about 50 KB compressed, 50 MB once decoded
    served: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        def chunks() -> Iterator[bytes]:
            for i in range(0, len(body), 4096):
                served.append(i)
                yield body[i : i + 4096]

        headers = {"content-type": "text/html", "content-encoding": "gzip"}
        return httpx.Response(200, headers=headers, content=chunks())

    def cap_for(head: bytes, ctype: str | None) -> int:
        return 5 * SMALL.max_article_bytes

    with pytest.raises(sources.InputError, match="over its cap"):
        sources.fetch_url("https://x.example/p", 5.0, transport=httpx.MockTransport(handler), cap_for=cap_for)
    assert len(served) * 4096 < len(body)  # stopped reading long before the end


def test_url_kinds_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    page = b"<html><body><p>" + SENTENCE.encode() * 200 + b"</p></body></html>"  # 20 KB of HTML

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html"}, content=page)

    real = sources.fetch_url
    monkeypatch.setattr(
        sources, "fetch_url", lambda *a, **k: real(*a, **{**k, "transport": httpx.MockTransport(handler)})
    )
    (failure,) = list(sources.iter_articles(["https://x.example/page"], SMALL))
    assert isinstance(failure, InputFailure) and "over its cap (5000 bytes)" in failure.reason
    (ok,) = list(sources.iter_articles(["https://x.example/page"], Settings(max_article_bytes=100_000)))
    assert isinstance(ok, Article)


class Trickle:
    """A local HTTP server that sends one byte a second (in the headers or in the body)."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 60\r\n\r\n"
                if self.where == "body":
                    conn.sendall(head)
                    head = b""
                for byte in head + b"x" * 60:
                    if self.stop.is_set():
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(1.0)
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("where", ["headers", "body"])
def test_fetch_timeout_is_a_total_deadline(where: str) -> None:
    server = Trickle(where)
    try:
        t0 = time.monotonic()
        (failure,) = list(sources.iter_articles([f"http://127.0.0.1:{server.port}/slow"], Settings(fetch_timeout=2.0)))
        took = time.monotonic() - t0
    finally:
        server.close()
    assert isinstance(failure, InputFailure) and "fetch took over 2 s (fetch_timeout)" in failure.reason
    assert took < 4.0, f"a 2 s fetch_timeout held the ingest {took:.1f} s"
