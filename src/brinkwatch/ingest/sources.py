"""Sources → Articles: files, directories, stdin and http(s) URLs, sniffed by content.

``iter_articles(inputs, settings)`` yields one :class:`Article` per news item and one :class:`InputFailure`
per bad input (what, why); the batch always goes on. Formats, recognised by their first bytes (the file
extension only breaks a tie between JSON and JSON Lines):

* text (``.txt``/``.md``): the first line is the title only when it is clearly a headline — at most 20
  words and 200 characters, no final punctuation, followed by a blank line (``# Title`` in Markdown);
* HTML: trafilatura's main text, title, author and date;
* JSON / JSON Lines: records ``{id?, url?, title?, text | html, published?, source?, language?, tags?}``
  (an array of records or a single object is also accepted); a broken line is reported as
  ``file.jsonl:7: invalid JSON (...)`` and the other lines are ingested;
* RSS/Atom (feedparser): each item's content or summary (HTML → text), link, date, feed title as source.

Size policy (memory stays bounded, a file is never read whole before its size is checked):

* any input larger than ``settings.max_input_bytes`` is refused unread;
* a single-article file (text, or HTML: ``5 × max_article_bytes`` since pages are mostly markup) larger
  than ``settings.max_article_bytes`` is **refused** with its size as the reason — it is not stored;
* stdin and URLs are read no further than these caps once their first bytes show their kind (one text or
  HTML article), else than ``max_input_bytes`` (a container); a fetch gives up after ``fetch_timeout``
  seconds in all (not per read);
* JSON Lines are streamed line by line; a line longer than ``2 × max_article_bytes`` is skipped unread
  with a reason;
* an article whose text is over ``2 × max_article_bytes`` is refused, from any source (a JSON array, a
  feed, a page that expanded); one that came in under these caps but whose text is still over
  ``max_article_bytes`` is stored by the pipeline as ``skipped`` with a reason, never parsed.

Text is decoded as UTF-8 (BOMs honoured); text that is not UTF-8 is decoded as the single-byte encoding
charset-normalizer suggests (Western ones are read as cp1252, i.e. Latin-1 plus curly quotes); mostly
UTF-8 with a few broken bytes keeps U+FFFD for them. Binary (known magic bytes, NUL bytes, or control
characters after decoding) is refused. Directories are walked recursively in name order, hidden entries
skipped, every directory's real path remembered so a symlink loop is reported once, not followed.

The readers of each format live in :mod:`brinkwatch.ingest.formats`; this module finds, sizes and sniffs inputs.
The network is touched only by :func:`fetch_url` — the one seam tests replace.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from brinkwatch.core.records import Article, InputFailure
from brinkwatch.core.settings import Settings
from brinkwatch.ingest.formats import (
    BOMS,
    HEAD_BYTES,
    InputError,
    bomless_encoding,
    decode_bytes,
    feed_articles,
    html_article,
    iso_date,
    json_articles,
    record_items,
    shorten,
    text_article,
)

__all__ = ["InputError", "decode_bytes", "estimate_total", "fetch_url", "iso_date", "iter_articles", "sniff"]

HTML_FACTOR = 5  # an HTML page may be this many times max_article_bytes (markup, scripts)
JSONL_LINE_FACTOR = 2  # a JSON line may be this many times max_article_bytes (escapes, metadata)
TEXT_FACTOR = 2  # an article's text over this many times max_article_bytes is refused, whatever its source

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "zip archive"),
    (b"PK\x05\x06", "zip archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!", "rar archive"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
)
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}


# ---------------------------------------------------------------------------------------------- network seam
CapFor = Callable[[bytes, "str | None"], int]


def fetch_url(
    url: str, timeout: float, max_bytes: int = 200_000_000, *, transport: Any = None, cap_for: CapFor | None = None
) -> tuple[bytes, str | None]:
    """GET ``url`` (redirects followed); return (body, content type). The only network access of ingest.

    ``timeout`` bounds the whole fetch (connection, headers and body: a server trickling one byte a second
    is given up at the deadline), not each read. The body is cut at ``max_bytes`` (decoded: a small gzip
    response cannot grow past it); ``cap_for(first bytes, content type)``, if given, may lower that cap once
    the kind of input is known (one text or HTML article) or raise :class:`InputError` to stop reading.
    ``transport`` (an ``httpx`` transport) is for tests: ``httpx.MockTransport`` fakes the network here.
    """
    import threading

    result: dict[str, Any] = {}
    done, cancel = threading.Event(), threading.Event()

    def work() -> None:
        try:
            result["ok"] = _fetch(url, timeout, max_bytes, transport, cap_for, cancel)
        except BaseException as exc:  # handed to the caller's thread
            result["error"] = exc
        finally:
            done.set()

    # the fetch runs in a daemon thread the deadline can walk away from; told to stop, it ends at its next
    # chunk, and a read that hangs ends within ``timeout`` (httpx's own per-read limit)
    threading.Thread(target=work, name="brinkwatch-fetch", daemon=True).start()
    if not done.wait(timeout):
        cancel.set()
        raise InputError(f"fetch took over {timeout:g} s (fetch_timeout); gave up")
    if "error" in result:
        raise result["error"]
    return result["ok"]


def _fetch(
    url: str, timeout: float, max_bytes: int, transport: Any, cap_for: CapFor | None, cancel: Any
) -> tuple[bytes, str | None]:
    import httpx

    with (
        httpx.Client(timeout=timeout, follow_redirects=True, transport=transport) as client,
        client.stream("GET", url) as resp,
    ):
        resp.raise_for_status()
        ctype = resp.headers.get("content-type")
        chunks: list[bytes] = []
        size, cap, what = 0, max_bytes, f"max_input_bytes ({max_bytes})"
        sniffed = cap_for is None
        for chunk in resp.iter_bytes():
            if cancel.is_set():
                raise InputError("fetch cancelled")
            size += len(chunk)
            chunks.append(chunk)
            if not sniffed and size >= HEAD_BYTES:
                sniffed = True
                assert cap_for is not None
                cap = min(cap, cap_for(b"".join(chunks)[:HEAD_BYTES], ctype))
                what = f"its cap ({cap} bytes)" if cap < max_bytes else what
            if size > cap:
                raise InputError(f"response over {what}; cut there, not read further")
        body = b"".join(chunks)
        if not sniffed and cap_for is not None and len(body) > cap_for(body[:HEAD_BYTES], ctype):
            raise InputError(f"response over its cap ({cap_for(body[:HEAD_BYTES], ctype)} bytes)")
        return body, ctype


# ---------------------------------------------------------------------------------------------- entry point
def iter_articles(
    inputs: list[str], settings: Settings, *, stdin: BinaryIO | None = None
) -> Iterator[Article | InputFailure]:
    """Every article of every input, in order; one InputFailure per bad input (the batch goes on)."""
    limit = TEXT_FACTOR * settings.max_article_bytes
    for item in _iter_inputs(inputs, settings, stdin):
        if isinstance(item, Article) and len(item.text) * 4 > limit:  # (4: the most UTF-8 bytes per character)
            size = len(item.text.encode("utf-8", errors="surrogatepass"))
            if size > limit:
                where = item.origin or item.doc_id
                where = where if item.doc_id in where else f"{where} ({item.doc_id})"
                reason = f"article text is {size} bytes, over {TEXT_FACTOR} × max_article_bytes ({limit}); not stored"
                item = InputFailure(origin=where, reason=reason)
        yield item


def _iter_inputs(inputs: list[str], settings: Settings, stdin: BinaryIO | None) -> Iterator[Article | InputFailure]:
    for inp in inputs:
        if inp == "-":
            yield from _guard("stdin", lambda: _from_stdin(stdin, settings))
        elif re.match(r"^https?://", inp, re.IGNORECASE):
            yield from _guard(inp, lambda inp=inp: _from_url(inp, settings))
        else:
            yield from _from_path(Path(inp), settings)


def _guard(origin: str, make: Any) -> Iterator[Article | InputFailure]:
    """Run a source; any error becomes one InputFailure line (never a traceback)."""
    try:
        yield from make()
    except InputError as exc:
        yield InputFailure(origin=origin, reason=str(exc))
    except Exception as exc:  # hostile input: report, never crash the batch
        yield InputFailure(origin=origin, reason=f"unreadable ({type(exc).__name__}: {shorten(str(exc))})")


def _from_stdin(stdin: BinaryIO | None, settings: Settings) -> Iterator[Article | InputFailure]:
    """stdin, read no further than its kind allows: one text or HTML article stops at its cap, a container
    (JSON, JSON Lines, a feed) at ``max_input_bytes``."""
    stream = stdin if stdin is not None else sys.stdin.buffer
    head = stream.read(HEAD_BYTES)
    kind = sniff(head, "stdin")
    cap = _cap(kind, settings) or settings.max_input_bytes
    data = head + stream.read(max(0, cap + 1 - len(head)))
    if len(data) > cap:
        raise InputError(f"stdin over {_cap_name(kind, settings)}; cut there, not read further")
    yield from parse_bytes(data, origin="stdin", name="stdin", settings=settings, kind=kind)


def _from_url(url: str, settings: Settings) -> Iterator[Article | InputFailure]:
    def cap_for(head: bytes, ctype: str | None) -> int:
        kind = sniff(head, url, ctype)
        if kind.startswith("binary"):
            raise InputError(f"{kind}, not text")
        return _cap(kind, settings) or settings.max_input_bytes

    try:
        data, ctype = fetch_url(url, settings.fetch_timeout, settings.max_input_bytes, cap_for=cap_for)
    except InputError:
        raise
    except Exception as exc:  # network errors of every kind are one line
        raise InputError(f"fetch failed ({type(exc).__name__}: {shorten(str(exc))})") from exc
    yield from parse_bytes(data, origin=url, name=url, settings=settings, url=url, content_type=ctype)


# ---------------------------------------------------------------------------------------------- paths
def _from_path(path: Path, settings: Settings) -> Iterator[Article | InputFailure]:
    origin = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            yield InputFailure(origin=origin, reason="broken symlink")
        else:
            yield InputFailure(origin=origin, reason="no such file or directory")
        return
    except OSError as exc:
        yield InputFailure(origin=origin, reason=_os_reason(exc))
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(path, settings)
    elif stat.S_ISREG(st.st_mode):
        yield from _guard(origin, lambda: _from_file(path, st.st_size, settings))
    else:
        yield InputFailure(origin=origin, reason=f"not a regular file or directory ({_special(st.st_mode)})")


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.EACCES:
        return "permission denied"
    return exc.strerror or type(exc).__name__


def iter_files(root: Path) -> Iterator[Path | InputFailure]:
    """Regular files under ``root``, recursively, in name order; symlink loops reported, not followed."""
    seen: set[str] = set()
    stack = [root]
    while stack:
        d = stack.pop()
        real = os.path.realpath(d)
        if real in seen:
            yield InputFailure(origin=str(d), reason=f"symlink loop (directory {real} already walked), not followed")
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as exc:
            yield InputFailure(origin=str(d), reason=_os_reason(exc))
            continue
        subdirs: list[Path] = []
        for e in entries:
            if e.name.startswith("."):
                continue
            p = Path(e.path)
            try:
                is_dir = e.is_dir(follow_symlinks=True)
                is_file = e.is_file(follow_symlinks=True)
            except OSError as exc:
                yield InputFailure(origin=str(p), reason=_os_reason(exc))
                continue
            if is_dir:
                subdirs.append(p)
            elif is_file:
                yield p
            else:  # a broken symlink, or a FIFO, socket or device: said, never opened (a FIFO would block)
                try:
                    st = os.stat(p)
                except OSError as exc:
                    reason = "broken symlink" if isinstance(exc, FileNotFoundError) else _os_reason(exc)
                    yield InputFailure(origin=str(p), reason=reason)
                    continue
                yield InputFailure(origin=str(p), reason=f"not a regular file ({_special(st.st_mode)}); skipped")
        stack.extend(reversed(subdirs))


def _walk(root: Path, settings: Settings) -> Iterator[Article | InputFailure]:
    for item in iter_files(root):
        if isinstance(item, InputFailure):
            yield item
        else:
            yield from _from_path(item, settings)


def _from_file(path: Path, size: int, settings: Settings) -> Iterator[Article | InputFailure]:
    origin = str(path)
    if size == 0:
        raise InputError("empty file")
    if size > settings.max_input_bytes:
        raise InputError(f"file is {size} bytes, over max_input_bytes ({settings.max_input_bytes}); not read")
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
        kind = sniff(head, path.name)
        if kind.startswith("binary"):
            raise InputError(f"{kind}, not text")
        if kind == "jsonl":
            yield from _jsonl_stream(f, origin, path.name, settings)
            return
        cap = _cap(kind, settings)
        if cap is not None and size > cap:
            raise InputError(
                f"file is {size} bytes, over max_article_bytes ({settings.max_article_bytes}) for one "
                f"{kind} article; refused, not read"
            )
        data = head + f.read()
    yield from parse_bytes(data, origin=origin, name=path.name, settings=settings, kind=kind)


def _cap(kind: str, settings: Settings) -> int | None:
    """The most bytes one input of this kind may have: one article (text, HTML); None for containers."""
    if kind == "text":
        return settings.max_article_bytes
    if kind == "html":
        return HTML_FACTOR * settings.max_article_bytes
    return None  # containers (json, feeds) are bounded by max_input_bytes only (and each article by its text)


def _cap_name(kind: str, settings: Settings) -> str:
    if kind == "text":
        return f"max_article_bytes ({settings.max_article_bytes}) for one text article"
    if kind == "html":
        return f"{HTML_FACTOR} × max_article_bytes ({HTML_FACTOR * settings.max_article_bytes}) for one HTML page"
    return f"max_input_bytes ({settings.max_input_bytes})"


# ---------------------------------------------------------------------------------------------- sniffing
def sniff(head: bytes, name: str = "", content_type: str | None = None) -> str:
    """The kind of an input from its first bytes: html, feed, json, jsonl, text, empty or "binary (…)"."""
    if not head.strip():
        return "empty"
    for magic, what in MAGIC:
        if head.startswith(magic):
            return f"binary ({what})"
    encoding = next((enc for bom, enc in BOMS if head.startswith(bom)), None)
    if encoding is None and b"\x00" in head:
        encoding = bomless_encoding(head)
        if encoding is None:
            return "binary (NUL bytes)"
    text = head.decode(encoding or "utf-8", errors="ignore").lstrip("\ufeff \t\r\n").lower()
    suffix = Path(name.split("?", 1)[0]).suffix.lower()
    ctype = (content_type or "").lower()
    if text.startswith("<"):
        window = text[:4096]
        if re.search(r"<(rss|feed|rdf:rdf)[\s>]", window) or "rss+xml" in ctype or "atom+xml" in ctype:
            return "feed"
        return "html"
    if text.startswith("{") or text.startswith("["):
        if suffix in JSONL_SUFFIXES or "ndjson" in ctype or "jsonl" in ctype:
            return "jsonl"
        if text.startswith("{") and _looks_like_jsonl(text):
            return "jsonl"
        return "json"
    return "text"


def _looks_like_jsonl(text: str) -> bool:
    """Several complete JSON objects, one per line."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 2:
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------- decoding
# ---------------------------------------------------------------------------------------------- formats
def parse_bytes(
    data: bytes,
    *,
    origin: str,
    name: str,
    settings: Settings,
    kind: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
) -> Iterator[Article | InputFailure]:
    """Articles of one whole input already in memory (a file, stdin or a fetched URL)."""
    kind = kind or sniff(data[:HEAD_BYTES], name, content_type)
    if kind == "empty":
        raise InputError("no text (only whitespace)" if data else "empty file")
    if kind.startswith("binary"):
        raise InputError(f"{kind}, not text")
    cap = _cap(kind, settings)
    if cap is not None and len(data) > cap:
        raise InputError(f"input is {len(data)} bytes, over {_cap_name(kind, settings)}; refused")
    if kind == "jsonl":
        yield from _jsonl_lines(data.split(b"\n"), origin, name, settings)
        return
    text = decode_bytes(data)
    if kind == "html":
        yield html_article(text, origin=origin, doc_id=url or name, url=url)
    elif kind == "feed":
        yield from feed_articles(data, origin=origin)
    elif kind == "json":
        yield from json_articles(text, origin=origin, name=name)
    else:
        yield text_article(text, origin=origin, doc_id=url or name, url=url, markdown=name.lower().endswith(".md"))


def _jsonl_stream(f: BinaryIO, origin: str, name: str, settings: Settings) -> Iterator[Article | InputFailure]:
    """JSON Lines read line by line from the start of ``f`` (memory bounded by the line limit)."""
    f.seek(0)
    limit = JSONL_LINE_FACTOR * settings.max_article_bytes

    def lines() -> Iterator[bytes | None]:
        while True:
            line = f.readline(limit + 1)
            if not line:
                return
            if len(line) > limit and not line.endswith(b"\n"):
                while True:  # skip the rest of an over-long line without keeping it
                    more = f.readline(1 << 20)
                    if not more or more.endswith(b"\n"):
                        break
                yield None
            else:
                yield line

    yield from _jsonl_lines(lines(), origin, name, settings)


def _jsonl_lines(lines: Any, origin: str, name: str, settings: Settings) -> Iterator[Article | InputFailure]:
    limit = JSONL_LINE_FACTOR * settings.max_article_bytes
    for lineno, raw in enumerate(lines, start=1):
        where = f"{origin}:{lineno}"
        if raw is None or len(raw) > limit:
            yield InputFailure(origin=where, reason=f"line over {limit} bytes, skipped unread")
            continue
        if not raw.strip():
            continue
        try:
            line = decode_bytes(raw)
            rec = json.loads(line)
        except InputError as exc:
            yield InputFailure(origin=where, reason=str(exc))
            continue
        except ValueError as exc:
            yield InputFailure(origin=where, reason=f"invalid JSON ({shorten(str(exc), 80)})")
            continue
        yield from record_items(rec, where=where, origin=origin, default_id=f"{name}:{lineno}", raw_format="jsonl")


def estimate_total(inputs: list[str]) -> int | None:
    """A cheap estimate of how many articles the inputs hold (files; JSON Lines by line count), for ETAs."""
    total = 0
    for inp in inputs:
        if inp == "-" or re.match(r"^https?://", inp, re.IGNORECASE):
            total += 1
            continue
        p = Path(inp)
        files: list[Path] = (
            [p] if p.is_file() else [f for f in iter_files(p) if isinstance(f, Path)] if p.is_dir() else []
        )
        for f in files:
            if f.suffix.lower() in JSONL_SUFFIXES:
                total += _count_lines(f)
            else:
                total += 1
    return total or None


def _count_lines(path: Path) -> int:
    n = 0
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                n += chunk.count(b"\n")
    except OSError:
        return 1
    return max(1, n)
