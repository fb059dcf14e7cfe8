"""The input formats: bytes → text (decoding), and text, HTML, feeds, JSON records → Articles.

Used by :mod:`brinkwatch.ingest.sources` (which finds, sizes and sniffs the inputs). Every function here raises
:class:`InputError` with a one-line reason for a bad input, never anything else on purpose.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from brinkwatch.core.errors import InputError
from brinkwatch.core.records import Article, InputFailure

HEAD_BYTES = 8192
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
LATIN_FAMILY = re.compile(
    r"^(cp125[0247]|cp775|cp85[02]|iso8859_(1|2|3|4|9|10|13|14|15|16)|latin_1|mac_(latin2|roman|iceland))$"
)


def shorten(s: str, n: int = 160) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


# ---------------------------------------------------------------------------------------------- decoding
def decode_bytes(data: bytes) -> str:
    """Bytes → text (see the module doc); raises InputError for binary."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            break
    else:
        wide = bomless_encoding(data[:HEAD_BYTES]) if b"\x00" in data[:HEAD_BYTES] else None
        if wide is not None:
            text = data.decode(wide, errors="replace")
        elif b"\x00" in data[:HEAD_BYTES]:
            raise InputError("binary (NUL bytes), not text")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = _decode_non_utf8(data)
    if _control_ratio(text) > 0.02:
        raise InputError("binary (control characters), not text")
    return text


# Where text in the Latin range has its NUL bytes: (the positions, within each code unit, that are NUL for
# nearly every character; those that never are)
_WIDE = (
    ("utf-32-le", 4, (2, 3), (0,)),
    ("utf-32-be", 4, (0, 1), (3,)),
    ("utf-16-le", 2, (1,), (0,)),
    ("utf-16-be", 2, (0,), (1,)),
)


def bomless_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark, recognised by where its NUL bytes fall: text in the Latin
    range has a NUL in every other byte (UTF-16) or three of every four (UTF-32), always at the same
    positions; binary has them anywhere. None when ``head`` is not such text."""
    for enc, unit, high, low in _WIDE:
        n = len(head) - len(head) % unit
        if n < 4 * unit:
            continue
        units = n // unit
        high_nul = sum(head[i:n:unit].count(0) for i in high) / (units * len(high))
        low_nul = sum(head[i:n:unit].count(0) for i in low) / (units * len(low))
        if high_nul < 0.7 or low_nul > 0.05:
            continue
        try:
            text = head[:n].decode(enc)
        except UnicodeDecodeError:
            try:  # the head may end inside a surrogate pair
                text = head[: n - unit].decode(enc)
            except UnicodeDecodeError:
                continue
        if "\x00" not in text and _control_ratio(text) <= 0.02 and sum(ch.isalpha() for ch in text) * 2 >= len(text):
            return enc
    return None


def _decode_non_utf8(data: bytes) -> str:
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    multibyte = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
    if multibyte and multibyte >= bad:  # mostly UTF-8 with a few broken bytes: keep U+FFFD for them
        return lenient
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        raise InputError("binary or unknown encoding, not text")
    enc = best.encoding
    if LATIN_FAMILY.match(enc):
        enc = "cp1252"
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return data.decode("latin-1")


def _control_ratio(text: str) -> float:
    sample = text[:20_000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ch not in "\t\n\r\f" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    return bad / len(sample)


# ---------------------------------------------------------------------------------------------- formats
def text_article(text: str, *, origin: str, doc_id: str, url: str | None = None, markdown: bool = False) -> Article:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("no text (only whitespace)")
    title = None
    lines = text.lstrip().split("\n")
    first = lines[0].strip()
    if markdown and re.match(r"^#{1,3} +\S", first) and not first.endswith("#"):
        title = first.lstrip("#").strip()
        text = "\n".join(lines[1:])
    elif _is_headline(first) and len(lines) > 2 and not lines[1].strip() and "\n".join(lines[2:]).strip():
        title = first
        text = "\n".join(lines[2:])
    published = _date_in(title) if title else None
    return Article(
        doc_id=doc_id, text=text.strip(), title=title, url=url, published=published, origin=origin, raw_format="text"
    )


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_TITLE_DATE = re.compile(
    rf"\b(\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{_MONTHS}) \d{{4}}|(?:{_MONTHS}) \d{{1,2}}, \d{{4}})\b", re.IGNORECASE
)


def _date_in(title: str) -> str | None:
    """A full date written in a headline ("Weekly briefing, 5 October 2025") is the text's date."""
    m = _TITLE_DATE.search(title)
    return iso_date(m.group(1)) if m else None


def _is_headline(line: str) -> bool:
    return 0 < len(line) <= 200 and len(line.split()) <= 20 and not re.search(r"[.!?,;:\"'”’]$", line)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: block elements become line breaks; scripts and styles dropped."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # not HTML after all: keep it as text
        return html
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for br in root.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.xpath("//p|//div|//li|//h1|//h2|//h3|//h4|//h5|//h6|//blockquote|//tr|//article|//section"):
        block.tail = "\n\n" + (block.tail or "")
    text = root.text_content()
    return re.sub(r"\n\s*\n\s*", "\n\n", text).strip()


def html_article(html: str, *, origin: str, doc_id: str, url: str | None = None) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    title = getattr(doc, "title", None) if doc is not None else None
    if not text.strip():
        raise InputError("no body text found in HTML")
    lines = text.split("\n")
    if title and lines and lines[0].strip() == title.strip():  # trafilatura repeats the headline
        text = "\n".join(lines[1:])
        if not text.strip():
            raise InputError("no body text found in HTML (headline only)")
    return Article(
        doc_id=doc_id,
        text=text.strip(),
        title=title,
        url=url or getattr(doc, "url", None),
        author=getattr(doc, "author", None),
        source=getattr(doc, "sitename", None),
        published=iso_date(getattr(doc, "date", None)),
        origin=origin,
        raw_format="html",
    )


def feed_articles(data: bytes, *, origin: str) -> Iterator[Article | InputFailure]:
    import feedparser

    parsed = feedparser.parse(data)
    entries = list(parsed.get("entries") or [])
    if not entries:
        why = shorten(str(parsed.get("bozo_exception") or "no items"))
        raise InputError(f"malformed or empty feed ({why})" if parsed.get("bozo") else "feed has no items")
    feed = parsed.get("feed") or {}
    source = feed.get("title") or None
    fmt = "atom" if str(parsed.get("version") or "").startswith("atom") else "rss"
    for i, entry in enumerate(entries):
        where = f"{origin}#{i + 1}"
        content = entry.get("content") or []
        body = (content[0].get("value") if content else None) or entry.get("summary") or ""
        text = html_to_text(body) if "<" in body else body
        if not text.strip():
            yield InputFailure(origin=where, reason="feed item without content or summary")
            continue
        parsed_date = entry.get("published_parsed") or entry.get("updated_parsed")
        published = dt.date(*parsed_date[:3]).isoformat() if parsed_date else iso_date(entry.get("published"))
        yield Article(
            doc_id=entry.get("id") or entry.get("link") or where,
            text=text.strip(),
            title=entry.get("title") or None,
            url=entry.get("link") or None,
            author=entry.get("author") or None,
            source=source,
            published=published,
            origin=origin,
            raw_format=fmt,
        )


def json_articles(text: str, *, origin: str, name: str) -> Iterator[Article | InputFailure]:
    try:
        obj = json.loads(text)
    except ValueError as exc:
        raise InputError(f"invalid JSON ({shorten(str(exc), 80)})") from exc
    records = obj if isinstance(obj, list) else [obj]
    if not records:
        raise InputError("JSON array without records")
    for i, rec in enumerate(records):
        where = f"{origin}#{i + 1}" if isinstance(obj, list) else origin
        default_id = f"{name}#{i + 1}" if isinstance(obj, list) else name
        yield from record_items(rec, where=where, origin=origin, default_id=default_id, raw_format="json")


def record_items(
    rec: Any, *, where: str, origin: str, default_id: str, raw_format: str
) -> Iterator[Article | InputFailure]:
    """One JSON record: a line per bad field (the field ignored), then its Article — or one line why the
    record itself is refused (no usable text)."""
    problems: list[str] = []
    try:
        article = record_article(rec, origin=origin, default_id=default_id, raw_format=raw_format, problems=problems)
    except InputError as exc:
        yield InputFailure(origin=where, reason=str(exc))
        return
    for problem in problems:
        yield InputFailure(origin=where, reason=problem)
    yield article


STRING_FIELDS = ("url", "title", "author", "source", "language")


def record_article(
    rec: Any, *, origin: str, default_id: str, raw_format: str, problems: list[str] | None = None
) -> Article:
    """One JSON record → Article; InputError says why the record is refused (no text). A field of the wrong
    type, or a ``published`` that is no date, is ignored and said in ``problems`` (one line each)."""
    if not isinstance(rec, dict):
        raise InputError(f"record is a {type(rec).__name__}, not an object")
    bad = problems if problems is not None else []
    text = rec.get("text")
    html = rec.get("html")
    if text is not None and not isinstance(text, str):
        raise InputError("'text' is not a string")
    if html is not None and not isinstance(html, str):
        raise InputError("'html' is not a string")
    fields = {name: _string_field(rec, name, bad) for name in STRING_FIELDS}
    url = fields["url"]
    base: Article | None = None
    if not (text and text.strip()):
        if not (html and html.strip()):
            raise InputError("record has no text or html")
        try:
            base = html_article(html, origin=origin, doc_id=default_id, url=url)
        except InputError:
            fallback = html_to_text(html)
            if not fallback.strip():
                raise
            base = Article(doc_id=default_id, text=fallback, origin=origin)
        text = base.text
    rid = rec.get("id")
    if rid not in (None, "") and (isinstance(rid, bool) or not isinstance(rid, str | int)):
        bad.append(f"'id' is {_json_type(rid)}, not a string or integer; ignored")
        rid = None
    return Article(
        doc_id=str(rid) if rid not in (None, "") else (url or default_id),
        text=text.strip(),
        title=fields["title"] or (base.title if base else None),
        url=url,
        author=fields["author"] or (base.author if base else None),
        source=fields["source"] or (base.source if base else None),
        published=_published(rec, bad) or (base.published if base else None),
        language=fields["language"],
        tags=_tags(rec.get("tags"), bad),
        origin=origin,
        raw_format=raw_format,
    )


def _json_type(v: Any) -> str:
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, int | float):
        return "a number"
    if isinstance(v, dict):
        return "an object"
    if isinstance(v, list):
        return "a list"
    return "a string" if isinstance(v, str) else f"a {type(v).__name__}"


def _string_field(rec: dict[str, Any], name: str, bad: list[str]) -> str | None:
    v = rec.get(name)
    if v is None:
        return None
    if not isinstance(v, str):
        bad.append(f"'{name}' is {_json_type(v)}, not a string; ignored")
        return None
    return v.strip() or None


def _published(rec: dict[str, Any], bad: list[str]) -> str | None:
    key = "published" if rec.get("published") not in (None, "") else "date"
    v = rec.get(key)
    if v in (None, ""):
        return None
    if not isinstance(v, str):
        bad.append(f"'{key}' is {_json_type(v)}, not a date string; ignored")
        return None
    date = iso_date(v)
    if date is None:
        bad.append(f"'{key}' {shorten(v, 60)!r} is not a date; ignored")
    return date


def _tags(tags: Any, bad: list[str]) -> list[str]:
    if tags in (None, ""):
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list):
        bad.append(f"'tags' is {_json_type(tags)}, not a list; ignored")
        return []
    out = []
    for t in tags:
        if not isinstance(t, str):
            bad.append(f"'tags' holds {_json_type(t)}, not a string; that tag ignored")
        elif t.strip():
            out.append(t.strip())
    return out


def iso_date(value: Any) -> str | None:
    """A date in any common shape (ISO, RFC 822, "9 October 2025") → ``YYYY-MM-DD``; None if unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    s = str(value).strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    if len(s) > 60:
        return None
    import dateparser

    parsed = dateparser.parse(  # English only: other languages' date words cost seconds to load
        s, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]}
    )
    return parsed.date().isoformat() if parsed else None
