"""Export the event record: csv | parquet | jsonl | plover.

* ``jsonl`` — our full event records (``Event.to_dict`` shape) with article, incident and CAMEO root code.
* ``plover`` — PLOVER-JSON records, one per line, in the POLECAT layout (id, date, event_type, mode, context,
  actor, actor_country, actor_sector, recipient, recipient_country, recipient_sector, place, source, url,
  story_date, event_text) plus our fields: status, factual, factuality, attribution, incident_id, cameo_root,
  and ``actor_resolved_from`` / ``recipient_resolved_from`` (what an inferred party was resolved from).
* ``csv`` / ``parquet`` — the PLOVER records flattened (lists joined with "; ", attribution as text).

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
    "confidence",
]


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


FULL_KEYS = (*reads.RECORD_KEYS, "incident_id", "source", "url", "published")


def full_record(ev: dict[str, Any]) -> dict[str, Any]:
    """Our event shape (``Event.to_dict``'s keys) plus article and incident fields and the CAMEO root."""
    rec = {k: ev.get(k) for k in FULL_KEYS}
    rec["cameo_root"] = cameo_root(ev["event_type"], ev.get("mode"))
    return rec


def plover_record(ev: dict[str, Any]) -> dict[str, Any]:
    """A POLECAT-like PLOVER-JSON record with our status/factuality/attribution/incident fields."""
    act = ev["actors"][0] if ev["actors"] else {}
    rec = ev["recipients"][0] if ev["recipients"] else {}
    loc = ev.get("location") or {}
    return {
        "id": ev["event_id"],
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
        "place": loc.get("name") or loc.get("text"),
        "place_country": loc.get("country"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "source": ev.get("source"),
        "url": ev.get("url"),
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
        "confidence": ev.get("confidence"),
    }


def flat_record(ev: dict[str, Any]) -> dict[str, Any]:
    r = plover_record(ev)
    r["context"] = "; ".join(r["context"])
    r["attribution"] = " > ".join(f"{a.get('text')} ({a.get('kind')})" for a in r["attribution"])
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


def _parquet(events: Iterator[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            (
                f,
                pa.float64()
                if f in ("lat", "lon", "factuality", "score", "confidence")
                else pa.int64()
                if f in ("incident_id", "quad")
                else pa.bool_()
                if f == "factual"
                else pa.string(),
            )
            for f in PLOVER_FIELDS
        ]
    )
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []
        for ev in events:
            batch.append(flat_record(ev))
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
