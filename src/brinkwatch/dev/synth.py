"""Synthetic corpora and stores for the benchmark and the scale tests.

* :func:`sentence_pool` — real sentences (gold JSONL files and plain-text articles a caller names) with
  light detokenization; :func:`template_sentences` when no real text is at hand.
* :func:`corpus` — articles scaled to a target word count by repetition with variation: every article is a
  different random draw (order and choice) of pool sentences under its own dateline, so no two texts are
  equal and near-duplicate detection does not fold them together.
* :func:`populate_store` — a store of N synthetic events written FAST (bulk inserts straight into the
  real schema: ``executemany`` on SQLite, ``COPY`` on PostgreSQL), with realistic skew (a few dyads carry
  most events), so query latency can be measured at 1M events in about a minute.

Nothing here reads ``../shared`` by itself: callers pass the paths (the benchmark is a dev tool).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from brinkwatch.analyze import dyad_daily
from brinkwatch.core.records import Article, make_event_id
from brinkwatch.lexicon.ontology import quad_of, score_of
from brinkwatch.store import db as dbmod
from brinkwatch.store import schema as S

# How often each type occurs in news (rough, verbal events dominate).
_TYPE_WEIGHTS: dict[str, float] = {
    "AGREE": 8,
    "CONSULT": 14,
    "SUPPORT": 7,
    "CONCEDE": 2,
    "COOPERATE": 4,
    "AID": 3,
    "RETREAT": 2,
    "REQUEST": 8,
    "ACCUSE": 12,
    "REJECT": 6,
    "THREATEN": 6,
    "PROTEST": 4,
    "SANCTION": 4,
    "MOBILIZE": 4,
    "COERCE": 6,
    "ASSAULT": 10,
}
STATUS_WEIGHTS: dict[str, float] = {
    "asserted": 60,
    "alleged": 9,
    "denied": 4,
    "negated": 3,
    "speculated": 7,
    "considered": 7,
    "future": 7,
    "hypothetical": 3,
}
COUNTRIES: tuple[str, ...] = (
    "RUS", "UKR", "USA", "CHN", "NATO", "EU", "EST", "POL", "LTU", "LVA", "FIN", "DEU", "FRA", "GBR",
    "BLR", "TWN", "JPN", "KOR", "PRK", "IRN", "ISR", "PSE", "LBN", "SYR", "TUR", "IND", "PAK", "UN",
)  # fmt: skip
# The dyads the benchmark queries: they are given a realistic large share of the events.
HOT_DYADS: tuple[tuple[str, str], ...] = (
    ("NATO", "RUS"), ("RUS", "NATO"), ("RUS", "UKR"), ("UKR", "RUS"), ("USA", "CHN"), ("CHN", "TWN"),
    ("ISR", "PSE"), ("RUS", "EST"), ("USA", "IRN"), ("EU", "RUS"),
)  # fmt: skip
SECTORS: tuple[str | None, ...] = ("GOV", "MIL", "GOV", None, "GOV", "REB", "COP", "MED")
ATTRIBUTION_KINDS: tuple[str, ...] = ("media", "official", "government", "anonymous", "expert", "other")
SOURCES: tuple[str, ...] = ("Reuters", "AFP", "Financial Times", "TASS", "BBC", "Xinhua", "AP", "Kyiv Independent")
CITIES: tuple[str, ...] = ("VILNIUS", "MOSCOW", "KYIV", "BRUSSELS", "WASHINGTON", "BEIJING", "TALLINN", "WARSAW")

# --------------------------------------------------------------------------------------------- text


def _detok(text: str) -> str:
    """Undo whitespace tokenization (MEANTIME): ``engines .`` → ``engines.``."""
    text = re.sub(r" ([.,;:!?%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    text = text.replace("`` ", '"').replace(" ''", '"')
    return re.sub(r"\s+", " ", text).strip()


def sentence_pool(
    jsonl_files: Iterable[Path] = (), text_files: Iterable[Path] = (), *, min_words: int = 5
) -> list[str]:
    """Distinct real sentences from gold JSONL files (their ``text`` field) and plain-text articles."""
    seen: dict[str, None] = {}
    for path in jsonl_files:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                text = rec.get("text") if isinstance(rec, dict) else None
                if isinstance(text, str):
                    seen.setdefault(_detok(text), None)
    for path in text_files:
        body = Path(path).read_text(encoding="utf-8", errors="replace")
        for para in body.splitlines():
            for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", para.strip()):
                if sent:
                    seen.setdefault(sent.strip(), None)
    return [s for s in seen if len(s.split()) >= min_words]


_TEMPLATE_VERBS = (
    "accused {b} of violating its airspace",
    "agreed with {b} to hold talks next week",
    "threatened {b} with new sanctions",
    "denied that its troops had entered {b}",
    "sent humanitarian aid to {b}",
    "expelled two diplomats from {b}",
    "said it may deploy more troops near {b}",
    "called on {b} to release the detained journalists",
    "rejected a proposal from {b} on a ceasefire",
    "launched drone strikes against targets in {b}",
)
_TEMPLATE_NAMES = ("Russia", "Ukraine", "NATO", "Estonia", "Poland", "China", "the United States", "Iran", "Israel")


def template_sentences(n: int = 400, *, seed: int = 0) -> list[str]:
    """A pool of simple news-like sentences, for when no real text is available."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < n:
        a, b = rng.sample(_TEMPLATE_NAMES, 2)
        verb = rng.choice(_TEMPLATE_VERBS).format(b=b)
        src = rng.choice(SOURCES)
        day = rng.choice(("on Monday", "on Tuesday", "on Wednesday", "last week", "on Thursday", "on Friday"))
        out.setdefault(f"{a[0].upper()}{a[1:]} {verb} {day}, {src} reported.", None)
    return list(out)


def corpus(
    pool: Sequence[str],
    *,
    target_words: int,
    sentences_per_article: tuple[int, int] = (12, 24),
    seed: int = 0,
    start: dt.date = dt.date(2024, 1, 1),
    prefix: str = "bench",
) -> Iterator[Article]:
    """Articles drawn from ``pool`` until ``target_words`` words are produced (streamed, nothing kept).

    Each article is its own random draw (choice and order) of pool sentences under a unique dateline,
    so every text is distinct and near-duplicate detection sees different articles.
    """
    if not pool:
        raise ValueError("empty sentence pool")
    rng = random.Random(seed)
    lo, hi = sentences_per_article
    words = 0
    i = 0
    while words < target_words:
        k = min(len(pool), rng.randint(lo, hi))
        sents = rng.sample(list(pool), k)
        day = start + dt.timedelta(days=i % 700)
        lead = f"{rng.choice(CITIES)}, {day:%B} {day.day} (Dispatch {i + 1}) -"
        text = lead + " " + " ".join(sents)
        words += len(text.split())
        yield Article(
            doc_id=f"{prefix}-{i:07d}",
            text=text,
            title=sents[0][:80],
            source=rng.choice(SOURCES),
            published=day.isoformat(),
            language="en",
        )
        i += 1


def write_jsonl(articles: Iterable[Article], path: Path) -> dict[str, int]:
    """Write articles as JSONL (``id``, ``title``, ``text``, ``published``, ``source``); count them."""
    n = words = 0
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            rec = {"id": a.doc_id, "title": a.title, "text": a.text, "published": a.published, "source": a.source}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
            words += len(a.text.split())
    return {"articles": n, "words": words}


def read_jsonl(path: Path) -> list[Article]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out.append(
                Article(
                    doc_id=rec["id"],
                    text=rec["text"],
                    title=rec.get("title"),
                    published=rec.get("published"),
                    source=rec.get("source"),
                    language="en",
                )
            )
    return out


# -------------------------------------------------------------------------------------------- store


def _weighted(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def _max_id(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one())


def populate_store(
    engine: sa.Engine,
    n_events: int,
    *,
    pool: Sequence[str] = (),
    seed: int = 0,
    events_per_article: int = 5,
    chunk: int = 50_000,
    start: dt.date = dt.date(2023, 1, 1),
    days: int = 1000,
    incidents: bool = True,
) -> dict[str, Any]:
    """Append ``n_events`` synthetic events (with their articles, sentences, parties, attributions).

    Rows go straight into the real tables with explicit ids (bulk ``executemany`` / ``COPY``), then the
    id sequences are moved past them (PostgreSQL) and planner statistics refreshed. Returns counts and
    seconds. Articles come in date order over ``days`` days (a stream, as ingest sees one); half of the
    events fall on :data:`HOT_DYADS`, the rest on random country pairs. Incidents are left to the
    analytics refresh (``incident_id`` NULL) unless ``incidents``: then every event is its own incident
    (one report) and ``dyad_daily`` is aggregated here exactly as ``incidents.refresh`` would (with
    ``dyad_daily.series_of``), because clustering 1M events takes the real refresh many minutes; the benchmark
    times the incremental refresh of a new round on top instead.
    """
    t0 = time.perf_counter()
    series_of = dyad_daily.series_of if incidents else None
    rng = random.Random(seed)
    texts = list(pool) or template_sentences(400, seed=seed)
    with engine.connect() as conn:
        art0 = _max_id(conn, S.articles)
        sen0 = _max_id(conn, S.sentences)
        ev0 = _max_id(conn, S.events)
        par0 = _max_id(conn, S.parties)
        att0 = _max_id(conn, S.attributions)
        inc0 = _max_id(conn, S.incidents)
    counts = {"articles": 0, "sentences": 0, "events": 0, "parties": 0, "attributions": 0, "incidents": 0}
    daily: dict[tuple[str, str, str, str, str], list[Any]] = {}
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    ids = {"a": art0, "s": sen0, "e": ev0, "p": par0, "t": att0, "i": inc0}
    n_articles = max(1, -(-n_events // events_per_article))
    done = 0
    while done < n_events:
        n = min(chunk, n_events - done)
        rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in counts}
        types = _weighted(rng, _TYPE_WEIGHTS, n)
        statuses = _weighted(rng, STATUS_WEIGHTS, n)
        art_text: list[str] = []
        art_meta: tuple[int, str, str] | None = None
        for j in range(n):
            if j % events_per_article == 0:
                if art_meta is not None:
                    rows["articles"].append(_article_row(art_meta, art_text, now))
                ids["a"] += 1
                # a stream: articles arrive in date order (as a news feed does), a few days of jitter
                pos = ids["a"] - art0 - 1
                day = start + dt.timedelta(days=max(0, pos * days // n_articles - rng.randrange(3)))
                art_meta = (ids["a"], day.isoformat(), rng.choice(SOURCES))
                art_text = []
            assert art_meta is not None
            aid, published, _src = art_meta
            sent = rng.choice(texts)
            offset = sum(len(t) + 1 for t in art_text)
            art_text.append(sent)
            ids["s"] += 1
            sidx = len(art_text) - 1
            rows["sentences"].append((ids["s"], aid, sidx, offset, offset + len(sent), sent))
            if rng.random() < 0.5:
                actor, recipient = rng.choice(HOT_DYADS)
            else:
                actor, recipient = rng.sample(COUNTRIES, 2)
            etype = types[j]
            quad, score = quad_of(etype), score_of(etype)
            status = statuses[j]
            ids["e"] += 1
            eid = ids["e"]
            space = sent.find(" ")
            trig_s = offset + max(space + 1, 0)
            doc_id = f"synth-{aid}"
            date_off = rng.randrange(4)
            edate = (dt.date.fromisoformat(published) - dt.timedelta(days=date_off)).isoformat()
            loc = None if rng.random() < 0.6 else {"text": recipient, "country": recipient, "kind": "country"}
            inc_id = None
            if series_of is not None:
                ids["i"] += 1
                inc_id = ids["i"]
                ev_key = make_event_id(doc_id, sidx, trig_s, etype)
                rows["incidents"].append(
                    (
                        inc_id,
                        ev_key,
                        etype,
                        actor,
                        recipient,
                        status,
                        edate,
                        published,
                        published,
                        1,
                        1,
                        score,
                        quad,
                        sent,
                    )
                )
                series = series_of(etype, status)
                if series is not None:
                    cell = daily.setdefault((edate, actor, recipient, etype, series), [quad, 0, 0.0])
                    cell[1] += 1
                    cell[2] += score
            rows["events"].append(
                (
                    eid,
                    make_event_id(doc_id, sidx, trig_s, etype),
                    aid,
                    ids["s"],
                    sidx,
                    "trigger",
                    trig_s,
                    trig_s + 7,
                    etype,
                    None,
                    "[]",
                    quad,
                    score,
                    status,
                    status == "asserted",
                    3.0 if status == "asserted" else rng.choice((-3.0, -1.0, 0.0, 1.0)),
                    "[]",
                    edate,
                    "day" if date_off else "report",
                    json.dumps(loc) if loc else None,
                    loc["country"] if loc else None,
                    None,
                    round(rng.uniform(0.3, 0.95), 2),
                    actor,
                    recipient,
                    inc_id,
                )
            )
            for role, code in (("actor", actor), ("recipient", recipient)):
                ids["p"] += 1
                sector = rng.choice(SECTORS)
                rows["parties"].append(
                    (ids["p"], eid, role, 0, code, code + (sector or ""), code, sector, None, None, None)
                )
            if status != "asserted" or rng.random() < 0.3:
                ids["t"] += 1
                kind = rng.choice(ATTRIBUTION_KINDS)
                rows["attributions"].append((ids["t"], eid, 0, rng.choice(SOURCES), kind, None))
        if art_meta is not None:
            rows["articles"].append(_article_row(art_meta, art_text, now))
        _bulk_insert(engine, rows)
        for k, v in rows.items():
            counts[k] += len(v)
        done += n
    if daily:
        counts["dyad_daily"] = _write_daily(engine, daily)
    t_insert = time.perf_counter() - t0
    dbmod.reset_sequences(engine)
    dbmod.analyze(engine)
    return {**counts, "insert_seconds": round(t_insert, 2), "seconds": round(time.perf_counter() - t0, 2)}


def _write_daily(engine: sa.Engine, daily: dict[tuple[str, str, str, str, str], list[Any]]) -> int:
    """Merge the aggregated cells with any ``dyad_daily`` rows already there; return the rows written."""
    dd = S.dyad_daily
    with engine.begin() as conn:
        for day, act, rec, et, series, quad, n, score_sum in conn.execute(
            sa.select(dd.c.day, dd.c.actor, dd.c.recipient, dd.c.event_type, dd.c.series, dd.c.quad, dd.c.n,
                      dd.c.score_sum)
        ):  # fmt: skip
            cell = daily.setdefault((day, act, rec, et, series), [quad, 0, 0.0])
            cell[1] += n
            cell[2] += score_sum
        conn.execute(dd.delete())
    rows = [(k[0], k[1], k[2], k[3], k[4], v[0], v[1], v[2]) for k, v in daily.items()]
    _bulk_insert(engine, {"dyad_daily": rows})
    return len(rows)


def _article_row(meta: tuple[int, str, str], texts: list[str], now: str) -> tuple[Any, ...]:
    aid, published, source = meta
    text = " ".join(texts)
    return (aid, f"synth-{aid}", f"synth-{aid:012d}", source, published, "en", text, "extracted", now, len(texts))


_COLUMNS: dict[str, tuple[sa.Table, tuple[str, ...]]] = {
    "articles": (
        S.articles,
        ("id", "doc_id", "text_hash", "source", "published", "language", "text", "status", "ingested_at", "n_events"),
    ),
    "sentences": (S.sentences, ("id", "article_id", "idx", "start", "end", "text")),
    "events": (
        S.events,
        (
            "id",
            "event_id",
            "article_id",
            "sentence_id",
            "sentence_index",
            "trigger",
            "trigger_start",
            "trigger_end",
            "event_type",
            "mode",
            "contexts",
            "quad",
            "score",
            "status",
            "factual",
            "factuality",
            "cues",
            "date",
            "date_precision",
            "location",
            "loc_country",
            "parent_event",
            "confidence",
            "actor",
            "recipient",
            "incident_id",
        ),
    ),
    "parties": (
        S.parties,
        ("id", "event_id", "role", "position", "text", "code", "country", "sector", "name", "start", "end"),
    ),
    "attributions": (S.attributions, ("id", "event_id", "position", "text", "kind", "country")),
    "incidents": (
        S.incidents,
        (
            "id",
            "key",
            "event_type",
            "actor",
            "recipient",
            "status",
            "date",
            "first_reported",
            "last_reported",
            "n_reports",
            "n_outlets",
            "score",
            "quad",
            "summary",
        ),
    ),
}
if hasattr(S, "dyad_daily"):
    _COLUMNS["dyad_daily"] = (
        S.dyad_daily,
        ("day", "actor", "recipient", "event_type", "series", "quad", "n", "score_sum"),
    )
_ORDER = ("articles", "sentences", "incidents", "events", "parties", "attributions", "dyad_daily")


def _bulk_insert(engine: sa.Engine, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """Insert parent tables first, in one transaction, with the driver's fastest bulk path."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        pg = engine.dialect.name == "postgresql"
        for name in _ORDER:
            data = rows.get(name)
            if not data:
                continue
            table, cols = _COLUMNS[name]
            quoted = ", ".join(f'"{c}"' for c in cols)
            if pg:
                with cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                    for r in data:
                        copy.write_row(r)
            else:
                marks = ", ".join("?" for _ in cols)
                sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'  # noqa: S608 - our own table names
                cur.executemany(sql, data)
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
