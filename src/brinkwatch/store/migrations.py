"""Versioned migrations of the store, each frozen as it was written: no migration reads the live schema
(:mod:`brinkwatch.store.schema`) or calls analytics code, so a migration does today what it did the day it
was first applied. The pending ones run in one transaction under the store's write lock
(:func:`brinkwatch.store.db.migrate`), each recorded in ``schema_migrations``. Append, never edit an applied
one. ``tests/test_migrations.py`` checks that the migrations build exactly the live schema.

Data that later code derives (the weekly dyad table) is not computed here: a migration marks it stale in
``analytics_state`` and the analytics rebuild it when they next run.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

Migration = tuple[int, str, Callable[[sa.Connection], None]]

PLOVER_TYPES_V3 = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
STALE_WEEKLY = ("dyad_weekly", "stale")  # analytics_state key and value: rebuild dyad_weekly from dyad_daily


def _v1(conn: sa.Connection) -> None:
    """Migration 1: articles, tags, sentences, incidents, events, parties, attributions, failures."""
    v1 = sa.MetaData()
    articles = sa.Table(
        "articles",
        v1,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.Text, nullable=False),
        sa.Column("text_hash", sa.Text, nullable=False, unique=True),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("origin", sa.Text),
        sa.Column("raw_format", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("articles.id")),
        sa.Column("similarity", sa.Float),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("minhash", sa.LargeBinary),
        sa.Column("extractor_version", sa.Text),
        sa.Column("ingested_at", sa.Text, nullable=False),
        sa.Column("n_events", sa.Integer, nullable=False, server_default="0"),
    )
    sa.Index("ix_articles_doc_id", articles.c.doc_id)
    sa.Index("ix_articles_published", articles.c.published)

    tags = sa.Table(
        "tags",
        v1,
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag", sa.Text, primary_key=True),
    )
    sa.Index("ix_tags_tag", tags.c.tag)

    sa.Table(
        "sentences",
        v1,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint("article_id", "idx", name="uq_sentences_article_idx"),
    )

    incidents = sa.Table(
        "incidents",
        v1,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("actor", sa.Text),
        sa.Column("recipient", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("date", sa.Text),
        sa.Column("first_reported", sa.Text),
        sa.Column("last_reported", sa.Text),
        sa.Column("n_reports", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_outlets", sa.Integer, nullable=False, server_default="0"),
        sa.Column("score", sa.Float),
        sa.Column("quad", sa.Integer),
        sa.Column("summary", sa.Text),
    )
    sa.Index("ix_incidents_dyad", incidents.c.actor, incidents.c.recipient, incidents.c.date)

    events = sa.Table(
        "events",
        v1,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Text, nullable=False, unique=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sentence_id", sa.Integer, sa.ForeignKey("sentences.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sentence_index", sa.Integer, nullable=False),
        sa.Column("trigger", sa.Text, nullable=False),
        sa.Column("trigger_start", sa.Integer, nullable=False),
        sa.Column("trigger_end", sa.Integer, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("mode", sa.Text),
        sa.Column("contexts", sa.JSON, nullable=False),
        sa.Column("quad", sa.Integer, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("factual", sa.Boolean, nullable=False),
        sa.Column("factuality", sa.Float, nullable=False),
        sa.Column("cues", sa.JSON, nullable=False),
        sa.Column("date", sa.Text),
        sa.Column("date_precision", sa.Text, nullable=False),
        sa.Column("location", sa.JSON),
        sa.Column("loc_country", sa.Text),
        sa.Column("parent_event", sa.Text),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("actor", sa.Text),
        sa.Column("recipient", sa.Text),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id", ondelete="SET NULL")),
    )
    sa.Index("ix_events_article", events.c.article_id)
    sa.Index("ix_events_dyad_date", events.c.actor, events.c.recipient, events.c.date)
    sa.Index("ix_events_type_date", events.c.event_type, events.c.date)
    sa.Index("ix_events_status", events.c.status)
    sa.Index("ix_events_incident", events.c.incident_id)
    sa.Index("ix_events_date", events.c.date)

    parties = sa.Table(
        "parties",
        v1,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("country", sa.Text, nullable=False),
        sa.Column("sector", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
    )
    sa.Index("ix_parties_event", parties.c.event_id)
    sa.Index("ix_parties_country_role", parties.c.country, parties.c.role)

    attributions = sa.Table(
        "attributions",
        v1,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("country", sa.Text),
    )
    sa.Index("ix_attributions_event", attributions.c.event_id)

    sa.Table(
        "failures",
        v1,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
    )
    v1.create_all(conn)


def _v2(conn: sa.Connection) -> None:
    """Migration 2 (analytics): a per-incident daily aggregate for fast dyad/escalation queries, and a small
    key/value table remembering how far the incident refresh has read."""
    m = sa.MetaData()
    dyad_daily = sa.Table(
        "dyad_daily",
        m,
        sa.Column("day", sa.Text, primary_key=True),
        sa.Column("actor", sa.Text, primary_key=True),
        sa.Column("recipient", sa.Text, primary_key=True),
        sa.Column("event_type", sa.Text, primary_key=True),
        sa.Column("series", sa.Text, primary_key=True),
        sa.Column("quad", sa.Integer, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("score_sum", sa.Float, nullable=False),
    )
    sa.Index(
        "ix_dyad_daily_dyad",
        *(dyad_daily.c[k] for k in ("actor", "recipient", "day", "event_type", "series", "quad", "n", "score_sum")),
    )
    sa.Table(
        "analytics_state",
        m,
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    m.create_all(conn, checkfirst=True)


def _v3(conn: sa.Connection) -> None:
    """Migration 3 (query speed): the weekly wide dyad table (filled by the analytics from dyad_daily: marked
    stale here) and indexes for the claims ledger, the actor search and the incident refresh; the refresh's
    count of assigned events starts here."""
    m = sa.MetaData()
    ints = ("n", "quad1", "quad2", "quad3", "quad4", "rhetoric_n", "claimed_n", "material", "threats",
            "considered", "claimed", "verbal", *PLOVER_TYPES_V3)  # fmt: skip
    sa.Table(
        "dyad_weekly",
        m,
        sa.Column("actor", sa.Text, primary_key=True),
        sa.Column("recipient", sa.Text, primary_key=True),
        sa.Column("week", sa.Text, primary_key=True),
        *(sa.Column(c, sa.Integer, nullable=False, server_default="0") for c in ints),
        *(sa.Column(c, sa.Float, nullable=False, server_default="0") for c in ("score_sum", "rhetoric_score")),
    )
    m.create_all(conn, checkfirst=True)
    for ddl in (
        "CREATE INDEX IF NOT EXISTS ix_events_parent_event ON events (parent_event)",
        "CREATE INDEX IF NOT EXISTS ix_parties_code_role ON parties (code, role)",
        "CREATE INDEX IF NOT EXISTS ix_events_actor_type_date ON events (actor, event_type, date)",
    ):
        conn.execute(sa.text(ddl))
    assigned = conn.execute(sa.text("SELECT count(incident_id) FROM events")).scalar_one()
    _set_state(conn, "assigned_events", str(int(assigned)))
    _set_state(conn, *STALE_WEEKLY)


def _v4(conn: sa.Connection) -> None:
    """Migration 4 (claims ledger speed): events by (pair, status) and by (pair, type, status)."""
    conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_events_dyad_status ON events (actor, recipient, status, date)"))
    conn.execute(
        sa.text("CREATE INDEX IF NOT EXISTS ix_events_dyad_type ON events (actor, recipient, event_type, status, date)")
    )


def _v5(conn: sa.Connection) -> None:
    """Migration 5 (text search on PostgreSQL): events by sentence, and a trigram index on sentences so that
    ``ILIKE '%word%'`` skips the full scan. SQLite needs neither; without pg_trgm the search just scans."""
    if conn.dialect.name != "postgresql":
        return
    conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_events_sentence ON events (sentence_id)"))
    try:
        with conn.begin_nested():
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(
                sa.text("CREATE INDEX IF NOT EXISTS ix_sentences_text_trgm ON sentences USING gin (text gin_trgm_ops)")
            )
    except sa.exc.DBAPIError:
        pass  # no pg_trgm here: text search still works, by scanning


def _v6(conn: sa.Connection) -> None:
    """Migration 6: record why a sentence was not coded."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("sentences")}
    if "skip_reason" not in columns:
        conn.execute(sa.text("ALTER TABLE sentences ADD COLUMN skip_reason TEXT"))


def _v7(conn: sa.Connection) -> None:
    """Migration 7: record what an inferred party was resolved from (a pronoun's antecedent, a rule)."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("parties")}
    if "resolved_from" not in columns:
        conn.execute(sa.text("ALTER TABLE parties ADD COLUMN resolved_from TEXT"))


STALE_DAILY = ("dyad_daily", "stale")  # analytics_state: recompute incident dates and the dyad_daily rows


def _v8(conn: sa.Connection) -> None:
    """Migration 8 (dates an analyst can trust): where an event's date came from (events.date_source), the
    precision of an incident's date (incidents.date_precision), and dyad_daily split by how finely an incident
    is dated (grain: week | month | year) and whether it falls in its reports' time (timing: current |
    background). The rows kept count as before (week, current); the analytics recompute them from the
    incidents when they next run (marked stale here), and dyad_weekly with them."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("events")}
    if "date_source" not in columns:
        conn.execute(sa.text("ALTER TABLE events ADD COLUMN date_source TEXT"))
    columns = {c["name"] for c in sa.inspect(conn).get_columns("incidents")}
    if "date_precision" not in columns:
        conn.execute(sa.text("ALTER TABLE incidents ADD COLUMN date_precision TEXT"))
    m = sa.MetaData()
    new = sa.Table(
        "dyad_daily_v8",
        m,
        sa.Column("day", sa.Text, primary_key=True),
        sa.Column("actor", sa.Text, primary_key=True),
        sa.Column("recipient", sa.Text, primary_key=True),
        sa.Column("event_type", sa.Text, primary_key=True),
        sa.Column("series", sa.Text, primary_key=True),
        sa.Column("grain", sa.Text, primary_key=True, server_default="week"),
        sa.Column("timing", sa.Text, primary_key=True, server_default="current"),
        sa.Column("quad", sa.Integer, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("score_sum", sa.Float, nullable=False),
    )
    new.create(conn)
    keep = "day, actor, recipient, event_type, series, quad, n, score_sum"
    conn.execute(sa.text(f"INSERT INTO dyad_daily_v8 ({keep}) SELECT {keep} FROM dyad_daily"))  # noqa: S608 - fixed
    conn.execute(sa.text("DROP TABLE dyad_daily"))
    conn.execute(sa.text("ALTER TABLE dyad_daily_v8 RENAME TO dyad_daily"))
    conn.execute(
        sa.text(
            "CREATE INDEX ix_dyad_daily_dyad ON dyad_daily "
            "(actor, recipient, day, event_type, series, grain, timing, quad, n, score_sum)"
        )
    )
    _set_state(conn, *STALE_DAILY)
    _set_state(conn, *STALE_WEEKLY)


def _set_state(conn: sa.Connection, key: str, value: str) -> None:
    conn.execute(sa.text("DELETE FROM analytics_state WHERE key = :k"), {"k": key})
    conn.execute(sa.text("INSERT INTO analytics_state (key, value) VALUES (:k, :v)"), {"k": key, "v": value})


MIGRATIONS: list[Migration] = [
    (1, "initial schema", _v1),
    (2, "analytics: dyad_daily, analytics_state", _v2),
    (3, "query speed: dyad_weekly, indexes for claims, actor search, refresh", _v3),
    (4, "claims ledger: events by pair and status, by pair and type", _v4),
    (5, "text search: trigram index on sentences (PostgreSQL)", _v5),
    (6, "sentences: the recorded reason a sentence was not coded", _v6),
    (7, "parties: what an inferred party was resolved from", _v7),
    (8, "dates: events.date_source, incidents.date_precision, dyad_daily by grain and timing", _v8),
]


def latest_version() -> int:
    return max(v for v, _, _ in MIGRATIONS)
