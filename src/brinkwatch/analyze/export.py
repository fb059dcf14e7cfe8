"""Export the event record: csv | parquet | jsonl | plover.

* ``jsonl`` — our full event records (``Event.to_dict`` shape) with the article (article_id, doc_id, title,
  url, source = the outlet, published), incident and CAMEO root code.
* ``plover`` — PLOVER-JSON records, one per line, in the POLECAT layout (id, date, event_type, mode, context,
  actor, actor_country, actor_sector, recipient, recipient_country, recipient_sector, place, source, url,
  story_date, event_text) plus our fields: every actor and recipient code (``actors``, ``recipients``: the
  first ones are also in actor_* / recipient_*), the article (article_id, doc_id, title), status, factual,
  factuality, attribution, incident_id, cameo_root, date precision and source,
  and ``actor_resolved_from`` / ``recipient_resolved_from`` (what an inferred party was resolved from).
* ``parquet`` — the PLOVER records with lists as lists (context, actors, recipients) and the attribution as a
  list of {text, kind, country}; ``csv`` — the same flattened: lists joined with ";" (codes: ``RUSGOV;RUSMIL``),
  the attribution as "text (kind) > …".

Every record can be traced back to its article: ``article_id`` (the store's, for ``/article/ID`` and the API),
``doc_id`` (the input's own id), ``url`` (the article's link, else where it was read from: ``origin``) and its
``title``. The formats round-trip through pandas and DuckDB (tested).

Events are read in chunks, so a large store exports in bounded memory (parquet writes row groups).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd

from brinkwatch.lexicon.ontology import cameo_root
from brinkwatch.store import reads
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store

FORMATS = ("csv", "parquet", "jsonl", "plover")
CHUNK = 2000
PLOVER_FIELDS = [
    "id",
    "article_id",
    "doc_id",
    "title",
    "date",
    "event_type",
    "mode",
    "context",
    "actor",
    "actor_country",
    "actor_sector",
    "recipient",
    "recipient_country",
    "recipient_sector",
    "actor_resolved_from",
    "recipient_resolved_from",
    "actors",
    "recipients",
    "place",
    "place_country",
    "lat",
    "lon",
    "source",
    "url",
    "story_date",
    "event_text",
    "trigger",
    "status",
    "factual",
    "factuality",
    "attribution",
    "incident_id",
    "cameo_root",
    "quad",
    "score",
    "date_precision",
    "date_source",
    "confidence",
]
LIST_FIELDS = ("context", "actors", "recipients")


def iter_events(store: Store, since: str | None = None, until: str | None = None) -> Iterator[dict[str, Any]]:
    """Every event (a record of ``reads.hydrate``), on its own date, in id order, chunk by chunk."""
    e = S.events
    f = reads.EventFilter(since=since, until=until, report_dates=False)
    last = 0
    while True:
        with store.engine.connect() as conn:
            q = reads.event_query(conn, f).where(e.c.id > last).order_by(e.c.id).limit(CHUNK)
            rows = reads.hydrate(conn, conn.execute(q))
        if not rows:
            return
        yield from rows
        last = rows[-1]["pk"]


FULL_KEYS = (*reads.RECORD_KEYS, *reads.WHERE_KEYS)  # the event, then where it was found (as in the API)


def full_record(ev: dict[str, Any]) -> dict[str, Any]:
    """Our event shape (``Event.to_dict``'s keys) plus article and incident fields and the CAMEO root."""
    rec = {k: ev.get(k) for k in FULL_KEYS}
    rec["url"] = _url(ev)
    rec["cameo_root"] = cameo_root(ev["event_type"], ev.get("mode"))
    return rec


def plover_record(ev: dict[str, Any]) -> dict[str, Any]:
    """A POLECAT-like PLOVER-JSON record with our status/factuality/attribution/incident fields."""
    act = ev["actors"][0] if ev["actors"] else {}
    rec = ev["recipients"][0] if ev["recipients"] else {}
    loc = ev.get("location") or {}
    return {
        "id": ev["event_id"],
        "article_id": ev.get("article_id"),
        "doc_id": ev.get("doc_id"),
        "title": ev.get("title"),
        "date": ev.get("date"),
        "event_type": ev["event_type"],
        "mode": ev.get("mode"),
        "context": list(ev.get("contexts") or []),
        "actor": act.get("name") or act.get("text"),
        "actor_country": act.get("country"),
        "actor_sector": act.get("sector"),
        "recipient": rec.get("name") or rec.get("text"),
        "recipient_country": rec.get("country"),
        "recipient_sector": rec.get("sector"),
        "actor_resolved_from": act.get("resolved_from"),
        "recipient_resolved_from": rec.get("resolved_from"),
        "actors": [p.get("code") for p in ev["actors"]],
        "recipients": [p.get("code") for p in ev["recipients"]],
        "place": loc.get("name") or loc.get("text"),
        "place_country": loc.get("country"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "source": ev.get("source"),
        "url": _url(ev),
        "story_date": ev.get("published"),
        "event_text": ev.get("sentence"),
        "trigger": ev.get("trigger"),
        "status": ev.get("status"),
        "factual": bool(ev.get("factual")),
        "factuality": ev.get("factuality"),
        "attribution": list(ev.get("attribution") or []),
        "incident_id": ev.get("incident_id"),
        "cameo_root": cameo_root(ev["event_type"], ev.get("mode")),
        "quad": ev.get("quad"),
        "score": ev.get("score"),
        "date_precision": ev.get("date_precision"),
        "date_source": ev.get("date_source"),
        "confidence": ev.get("confidence"),
    }


def _url(ev: dict[str, Any]) -> str | None:
    """The article's link, else where it was read from (a file path or feed: ``origin``)."""
    return ev.get("url") or ev.get("origin") or None


def flat_record(ev: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER record for CSV: lists joined with ";", the attribution as "text (kind) > …"."""
    r = plover_record(ev)
    for f in LIST_FIELDS:
        r[f] = ";".join(str(x) for x in r[f] if x)
    r["attribution"] = " > ".join(f"{a.get('text')} ({a.get('kind')})" for a in r["attribution"])
    return r


def typed_record(ev: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER record for Parquet: lists stay lists, the attribution a list of {text, kind, country}."""
    r = plover_record(ev)
    r["attribution"] = [
        {"text": a.get("text"), "kind": a.get("kind"), "country": a.get("country")} for a in r["attribution"]
    ]
    return r


def csv_cell(value: Any) -> Any:
    """News text is untrusted: a cell starting with = + - @ (or a tab/CR) would be a spreadsheet formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export(
    store: Store,
    fmt: str,
    out: str | Path | IO[str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> int:
    """Write every event in ``fmt`` to ``out`` (a path; text formats also accept a stream, default stdout).

    Returns the number of events written. Raises ValueError for an unknown format or parquet to a stream.
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    events = iter_events(store, since=since, until=until)
    if fmt == "parquet":
        if out is None or not isinstance(out, str | Path):
            raise ValueError("parquet needs an output file (--out FILE)")
        return _parquet(events, Path(out))
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return _text(events, fmt, fh)
    return _text(events, fmt, out if out is not None else sys.stdout)


def _text(events: Iterator[dict[str, Any]], fmt: str, fh: IO[str]) -> int:
    n = 0
    if fmt == "csv":
        w = csv.DictWriter(fh, fieldnames=PLOVER_FIELDS)
        w.writeheader()
        for ev in events:
            w.writerow({k: csv_cell(v) for k, v in flat_record(ev).items()})
            n += 1
        return n
    make = full_record if fmt == "jsonl" else plover_record
    for ev in events:
        fh.write(json.dumps(make(ev), ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def parquet_schema() -> Any:
    import pyarrow as pa

    attribution = pa.list_(pa.struct([("text", pa.string()), ("kind", pa.string()), ("country", pa.string())]))

    def kind(f: str) -> Any:
        if f in ("lat", "lon", "factuality", "score", "confidence"):
            return pa.float64()
        if f in ("incident_id", "quad", "article_id"):
            return pa.int64()
        if f == "factual":
            return pa.bool_()
        if f in LIST_FIELDS:
            return pa.list_(pa.string())
        if f == "attribution":
            return attribution
        return pa.string()

    return pa.schema([(f, kind(f)) for f in PLOVER_FIELDS])


def _parquet(events: Iterator[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []
        for ev in events:
            batch.append(typed_record(ev))
            if len(batch) >= CHUNK:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def to_frame(store: Store) -> pd.DataFrame:
    """All events as a flat PLOVER DataFrame (for notebooks; use ``export`` for large stores)."""
    return pd.DataFrame([flat_record(ev) for ev in iter_events(store)], columns=PLOVER_FIELDS)
