"""The dashboard's workbench: the filters a page reads from its query string, the incidents list, the map of
located events, the downloads of the current view and the titles of untitled articles.

Filters are read as the CLI reads them (``brinkwatch.analyze.names``): a name resolves to its code ("Russia" →
RUS, "Russia:Ukraine" → RUS:UKR), a relative date to a day, and anything that names nothing is an error the page
shows (status 422) — never an empty answer.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa

from brinkwatch.analyze import names
from brinkwatch.analyze.dyad_daily import grain_of, timing_of
from brinkwatch.analyze.export import PLOVER_FIELDS, csv_cell, flat_record, plover_record
from brinkwatch.core.ontology import PLOVER_TYPES, STATUSES
from brinkwatch.store import reads
from brinkwatch.store import schema as S
from brinkwatch.store.reads import EventFilter, HasEngine, dyad_condition

PAGE = 50
FILTER_KEYS = ("since", "until", "type", "status", "actor", "recipient", "dyad", "q", "min_confidence")
MAP_LIMIT = 5000  # located events drawn at most (newest first)
DOWNLOAD_LIMIT = 100_000


@dataclasses.dataclass(slots=True)
class Filters:
    """What the user asked for (as typed, for the form) and what it means (codes, ISO dates)."""

    raw: dict[str, str]
    since: str | None = None
    until: str | None = None
    event_type: str | None = None
    status: str | None = None
    actor: str | None = None
    recipient: str | None = None
    dyad: tuple[str, str] | None = None
    text: str | None = None
    min_confidence: float | None = None  # the event model's probability that it is an event, at least
    errors: list[str] = dataclasses.field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(self.raw.get(k) for k in FILTER_KEYS)

    def query(self, **extra: Any) -> str:
        """The query string of these filters (plus ``extra``), for links that keep the view."""
        items = {k: v for k, v in self.raw.items() if v} | {k: v for k, v in extra.items() if v not in (None, "")}
        return urlencode(items)

    def event_filter(self) -> EventFilter:
        return EventFilter(
            dyad=self.dyad,
            actor=self.actor,
            recipient=self.recipient,
            event_type=self.event_type,
            status=self.status,
            since=self.since,
            until=self.until,
            text=self.text,
            min_confidence=self.min_confidence,
        )


def read_filters(params: Mapping[str, str], store: HasEngine) -> Filters:
    """The filters of a query string; each bad one is an error message in ``errors`` (the rest still apply)."""
    raw = {k: str(params.get(k) or "").strip()[:200] for k in FILTER_KEYS}
    f = Filters(raw=raw)

    def read(key: str, fn: Any, *args: Any) -> Any:
        if not raw[key]:
            return None
        try:
            return fn(raw[key], *args)
        except names.UnknownName as exc:
            f.errors.append(f"{key}: {exc}")
            return None

    f.since, f.until = read("since", names.when), read("until", names.when)
    f.event_type, f.status = read("type", names.event_type), read("status", names.status)
    f.actor, f.recipient = read("actor", names.side, store), read("recipient", names.side, store)
    d = read("dyad", names.dyad, store)
    f.dyad = (d.split(":")[0], d.split(":")[1]) if d else None
    f.text = raw["q"] or None
    f.min_confidence = read("min_confidence", probability)
    return f


def probability(value: str) -> float:
    """A probability typed in a form ("0.8"); anything else is an UnknownName with the reason."""
    try:
        p = float(value)
    except ValueError:
        p = float("nan")
    if not 0.0 <= p <= 1.0:  # NaN fails too
        raise names.UnknownName(f"not a probability from 0 to 1: {value!r}")
    return p


def choices() -> dict[str, list[str]]:
    """The values the filter form offers."""
    return {"types": list(PLOVER_TYPES), "statuses": list(STATUSES)}


# --------------------------------------------------------------------------------------------- incidents
def incidents_page(
    store: HasEngine, f: Filters, *, limit: int = PAGE, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """How many incidents the filters select (date range, type, status, dyad or actor), and one page of them,
    newest first, each with its grain and timing (``dyad_daily.py``)."""
    i = S.incidents
    q = _incident_query(f)
    with store.engine.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(q.subquery())).scalar_one())
        rows = conn.execute(
            q.order_by(i.c.date.desc().nulls_last(), i.c.id.desc()).limit(limit).offset(offset)
        ).mappings()
        out = [dict(r) for r in rows]
    for r in out:
        r["grain"] = grain_of(r.get("date_precision"))
        r["timing"] = timing_of(r.get("date"), r.get("date_precision"), r.get("first_reported"))
    return total, out


def _country(code: str) -> str:
    """An incident's side is a country or organisation: RUSGOV → RUS."""
    for cut in (3, 4, 5):
        if len(code) > cut and names.known_code(code[:cut]) and names.known_code(code):
            return code[:cut]
    return code


def _incident_query(f: Filters) -> sa.Select[Any]:
    i = S.incidents
    q = sa.select(i)
    if f.dyad:
        q = q.where(dyad_condition(i.c.actor, i.c.recipient, f"{f.dyad[0]}:{f.dyad[1]}"))
    if f.actor:
        q = q.where(i.c.actor == _country(f.actor))
    if f.recipient:
        q = q.where(i.c.recipient == _country(f.recipient))
    if f.event_type:
        q = q.where(i.c.event_type == f.event_type)
    if f.status:
        q = q.where(i.c.status == f.status)
    if f.since:
        q = q.where(i.c.date >= f.since)
    if f.until:
        q = q.where(i.c.date <= f.until + "\uffff")
    if f.text:
        q = q.where(reads.contains(i.c.summary, f.text))
    return q


# --------------------------------------------------------------------------------------------- map
def map_points(store: HasEngine, f: Filters, *, limit: int = MAP_LIMIT) -> dict[str, Any]:
    """The located events the filters select (newest ``limit``), grouped by place: each point with its position
    in the world outline's projection (viewBox 0 0 360 180: x = longitude + 180, y = 90 − latitude), how many
    events, the worst quad, and a link to those events."""
    e = S.events
    with store.engine.connect() as conn:
        q = reads.event_query(conn, f.event_filter()).where(e.c.location.is_not(None))
        sub = q.order_by(e.c.date.desc().nulls_last(), e.c.id.desc()).limit(limit).subquery()
        rows = conn.execute(sa.select(sub.c.location, sub.c.quad, sub.c.loc_country)).all()
    places: dict[tuple[float, float], dict[str, Any]] = {}
    unplaced = 0
    for loc, quad, _country in rows:
        loc = loc if isinstance(loc, dict) else json.loads(loc) if isinstance(loc, str) else None
        lat, lon = (loc or {}).get("lat"), (loc or {}).get("lon")
        if not isinstance(lat, int | float) or not isinstance(lon, int | float) or not (-90 <= lat <= 90):
            unplaced += 1
            continue
        if not -180 <= lon <= 180:
            unplaced += 1
            continue
        key = (round(float(lat), 1), round(float(lon), 1))
        p = places.setdefault(
            key,
            {
                "x": round(float(lon) + 180, 2),
                "y": round(90 - float(lat), 2),
                "n": 0,
                "quad": 0,
                "name": str((loc or {}).get("name") or (loc or {}).get("text") or ""),
                "country": (loc or {}).get("country"),
            },
        )
        p["n"] += 1
        p["quad"] = max(p["quad"], int(quad or 0))
    points = sorted(places.values(), key=lambda p: p["n"])  # the biggest drawn last, on top
    for p in points:
        p["r"] = round(min(6.0, 1.2 + p["n"] ** 0.5), 2)
        p["href"] = "/events?" + f.query(q=p["name"]) if p["name"] else None
    return {"points": points, "located": sum(p["n"] for p in points), "unplaced": unplaced, "limit": limit}


# --------------------------------------------------------------------------------------------- downloads
def event_rows(store: HasEngine, f: Filters, limit: int = DOWNLOAD_LIMIT) -> Iterator[dict[str, Any]]:
    """The events of the view as PLOVER records (``analyze/export.py``), newest first, chunk by chunk."""
    e = S.events
    done = 0
    chunk = 2000
    while done < limit:
        with store.engine.connect() as conn:
            q = reads.event_query(conn, f.event_filter())
            q = q.order_by(e.c.date.desc().nulls_last(), e.c.id.desc()).limit(min(chunk, limit - done)).offset(done)
            recs = reads.hydrate(conn, conn.execute(q))
        if not recs:
            return
        for r in recs:
            yield plover_record(r)
        done += len(recs)
        if len(recs) < chunk:
            return


def events_csv(store: HasEngine, f: Filters) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=PLOVER_FIELDS)
    w.writeheader()
    yield buf.getvalue()
    e = S.events
    done = 0
    while True:
        with store.engine.connect() as conn:
            q = reads.event_query(conn, f.event_filter())
            q = q.order_by(e.c.date.desc().nulls_last(), e.c.id.desc()).limit(2000).offset(done)
            recs = reads.hydrate(conn, conn.execute(q))
        if not recs:
            return
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=PLOVER_FIELDS)
        for r in recs:
            w.writerow({k: csv_cell(v) for k, v in flat_record(r).items()})
        yield buf.getvalue()
        done += len(recs)
        if len(recs) < 2000 or done >= DOWNLOAD_LIMIT:
            return


def events_jsonl(store: HasEngine, f: Filters) -> Iterator[str]:
    for rec in event_rows(store, f):
        yield json.dumps(rec, ensure_ascii=False, default=str) + "\n"


INCIDENT_FIELDS = (
    "id",
    "date",
    "date_precision",
    "grain",
    "timing",
    "event_type",
    "status",
    "actor",
    "recipient",
    "quad",
    "score",
    "n_reports",
    "n_outlets",
    "first_reported",
    "last_reported",
    "summary",
)


def incidents_csv(store: HasEngine, f: Filters) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=INCIDENT_FIELDS, extrasaction="ignore")
    w.writeheader()
    offset = 0
    while True:
        total, rows = incidents_page(store, f, limit=2000, offset=offset)
        for r in rows:
            w.writerow({k: csv_cell(r.get(k)) for k in INCIDENT_FIELDS})
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
        offset += len(rows)
        if not rows or offset >= min(total, DOWNLOAD_LIMIT):
            return


CLAIM_FIELDS = (
    "claim_id",
    "event_type",
    "actor",
    "recipient",
    "statuses",
    "state",
    "accusers",
    "deniers",
    "sources",
    "evidence",
    "first_said",
    "last_said",
    "incident_id",
    "summary",
)


def claims_csv(rows: list[dict[str, Any]]) -> str:
    """The claims ledger as CSV: lists of parties as "text (country)" joined with ";"."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CLAIM_FIELDS, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        flat = {}
        for k in CLAIM_FIELDS:
            v = r.get(k)
            if isinstance(v, list):
                v = ";".join(
                    (f"{x.get('text')} ({x.get('country') or x.get('kind') or '?'})" if isinstance(x, dict) else str(x))
                    for x in v
                )
            flat[k] = csv_cell(v)
        w.writerow(flat)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------- titles
TITLE_CHARS = 110


def shorten(text: str, n: int = TITLE_CHARS) -> str:
    t = " ".join(str(text).split())
    return t if len(t) <= n else t[: n - 1].rsplit(" ", 1)[0] + "…"


def first_sentences(store: HasEngine, article_ids: list[int]) -> dict[int, str]:
    """The first sentence of each article (shortened): the title shown for an article that has none."""
    s = S.sentences
    out: dict[int, str] = {}
    ids = sorted({int(a) for a in article_ids})
    if not ids:
        return out
    with store.engine.connect() as conn:
        for k in range(0, len(ids), 500):
            q = sa.select(s.c.article_id, s.c.text).where(s.c.article_id.in_(ids[k : k + 500]), s.c.idx == 0)
            out.update((int(a), shorten(t)) for a, t in conn.execute(q) if t and t.strip())
    return out


def with_titles(store: HasEngine, items: list[dict[str, Any]], key: str = "id") -> list[dict[str, Any]]:
    """``items`` (articles or events) with ``display_title``: the title, else the first sentence, else the id."""
    missing = [int(x[key]) for x in items if not (x.get("title") or "").strip() and x.get(key) is not None]
    firsts = first_sentences(store, missing)
    for x in items:
        title = (x.get("title") or "").strip()
        aid = x.get(key)
        x["display_title"] = title or firsts.get(int(aid) if aid is not None else -1) or str(x.get("doc_id") or aid)
    return items


__all__ = [
    "Filters",
    "choices",
    "claims_csv",
    "events_csv",
    "events_jsonl",
    "incidents_csv",
    "incidents_page",
    "map_points",
    "read_filters",
    "with_titles",
]
