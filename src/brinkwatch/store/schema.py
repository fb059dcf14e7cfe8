"""The store's tables as they are now (SQLAlchemy Core); :mod:`brinkwatch.store.migrations` builds them.

Works on SQLite and PostgreSQL alike: dates are ISO-8601 strings (they sort as dates), lists are JSON.
Every event row points to its article, its sentence and the character offsets of its trigger.
"""

from __future__ import annotations

import sqlalchemy as sa

from brinkwatch.core.ontology import PLOVER_TYPES

metadata = sa.MetaData()

schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", sa.Text, nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_id", sa.Text, nullable=False),
    sa.Column("text_hash", sa.Text, nullable=False, unique=True),  # blake2b of the normalized text
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
    sa.Column("similarity", sa.Float),  # to duplicate_of (1.0 exact)
    # extracted | duplicate | skipped (not extracted: reason says why)
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("minhash", sa.LargeBinary),  # serialized MinHash signature for near-duplicate search
    sa.Column("extractor_version", sa.Text),
    sa.Column("ingested_at", sa.Text, nullable=False),
    sa.Column("n_events", sa.Integer, nullable=False, server_default="0"),
)
sa.Index("ix_articles_doc_id", articles.c.doc_id)
sa.Index("ix_articles_published", articles.c.published)

tags = sa.Table(
    "tags",
    metadata,
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag", sa.Text, primary_key=True),
)
sa.Index("ix_tags_tag", tags.c.tag)

sentences = sa.Table(
    "sentences",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("skip_reason", sa.Text),  # migration 6: why extraction did not code the sentence
    sa.UniqueConstraint("article_id", "idx", name="uq_sentences_article_idx"),
)

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.Text, nullable=False, unique=True),  # stable: the first event's event_id
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("actor", sa.Text),  # main actor country
    sa.Column("recipient", sa.Text),  # main recipient country
    sa.Column("status", sa.Text),  # best status over its reports (asserted wins)
    sa.Column("date", sa.Text),
    sa.Column("first_reported", sa.Text),
    sa.Column("last_reported", sa.Text),
    sa.Column("n_reports", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_outlets", sa.Integer, nullable=False, server_default="0"),
    sa.Column("score", sa.Float),
    sa.Column("quad", sa.Integer),
    sa.Column("summary", sa.Text),
    sa.Column("date_precision", sa.Text),  # migration 8: the precision of ``date`` (day | week | … | report)
)
sa.Index("ix_incidents_dyad", incidents.c.actor, incidents.c.recipient, incidents.c.date)

events = sa.Table(
    "events",
    metadata,
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
    sa.Column("date_source", sa.Text),  # migration 8: clause | narrative | report (NULL: stored before)
    sa.Column("location", sa.JSON),
    sa.Column("loc_country", sa.Text),
    sa.Column("parent_event", sa.Text),
    sa.Column("confidence", sa.Float, nullable=False),
    # denormalized main dyad for fast queries (first actor / recipient country)
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
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    sa.Column("role", sa.Text, nullable=False),  # actor | recipient
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("country", sa.Text, nullable=False),
    sa.Column("sector", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Column("resolved_from", sa.Text),  # an inferred party: its antecedent's text or the rule (migration 7)
)
sa.Index("ix_parties_event", parties.c.event_id)
sa.Index("ix_parties_country_role", parties.c.country, parties.c.role)

attributions = sa.Table(
    "attributions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),  # 0 = outermost
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("country", sa.Text),
)
sa.Index("ix_attributions_event", attributions.c.event_id)

failures = sa.Table(
    "failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
)

# ---------------------------------------------------------------------------------------------------
# Analytics (migration 2): a per-incident daily aggregate for fast dyad/escalation queries, and a small
# key/value table remembering how far the incident refresh has read.
dyad_daily = sa.Table(
    "dyad_daily",
    metadata,
    sa.Column("day", sa.Text, primary_key=True),  # ISO date of the incident
    sa.Column("actor", sa.Text, primary_key=True),  # incident actor country (incidents without a dyad: no row)
    sa.Column("recipient", sa.Text, primary_key=True),
    sa.Column("event_type", sa.Text, primary_key=True),
    sa.Column("series", sa.Text, primary_key=True),  # factual | rhetoric | claimed
    # migration 8: how finely the incident is dated — week (day, week or report precision: it has its week),
    # month or year (only its month / year is known) — and whether it falls in its reports' time: current, or
    # background (dated long before or after its first report: history, plans)
    sa.Column("grain", sa.Text, primary_key=True, server_default="week"),
    sa.Column("timing", sa.Text, primary_key=True, server_default="current"),
    sa.Column("quad", sa.Integer, nullable=False),
    sa.Column("n", sa.Integer, nullable=False),  # incidents
    sa.Column("score_sum", sa.Float, nullable=False),
)
# covering index: dyad queries read everything they need from it
sa.Index(
    "ix_dyad_daily_dyad",
    dyad_daily.c.actor,
    dyad_daily.c.recipient,
    dyad_daily.c.day,
    dyad_daily.c.event_type,
    dyad_daily.c.series,
    dyad_daily.c.grain,
    dyad_daily.c.timing,
    dyad_daily.c.quad,
    dyad_daily.c.n,
    dyad_daily.c.score_sum,
)

analytics_state = sa.Table(
    "analytics_state",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


# ---------------------------------------------------------------------------------------------------
# Query speed (migration 3): a weekly, per-directed-pair, wide aggregate of dyad_daily that weekly dyad and
# escalation queries read (one row per actor, recipient and week with every measure as a column, so a query
# sums a few thousand rows instead of filtering and pivoting tens of thousands), and the indexes the claims
# ledger (children of an event), the actor search (party codes) and the incident refresh (candidates by
# actor, type and date) need. dyads.py defines the measures and fills the table; incidents.refresh keeps it
# in step with dyad_daily.
WEEKLY_INT_MEASURES = (
    "n",
    "quad1",
    "quad2",
    "quad3",
    "quad4",
    "rhetoric_n",
    "claimed_n",
    "material",
    "threats",
    "considered",
    "claimed",
    "verbal",
    *PLOVER_TYPES,
)
WEEKLY_FLOAT_MEASURES = ("score_sum", "rhetoric_score")

dyad_weekly = sa.Table(
    "dyad_weekly",
    metadata,
    sa.Column("actor", sa.Text, primary_key=True),
    sa.Column("recipient", sa.Text, primary_key=True),
    sa.Column("week", sa.Text, primary_key=True),  # ISO date of the Monday
    *(sa.Column(m, sa.Integer, nullable=False, server_default="0") for m in WEEKLY_INT_MEASURES),
    *(sa.Column(m, sa.Float, nullable=False, server_default="0") for m in WEEKLY_FLOAT_MEASURES),
)
ix_events_parent_event = sa.Index("ix_events_parent_event", events.c.parent_event)
ix_parties_code_role = sa.Index("ix_parties_code_role", parties.c.code, parties.c.role)
ix_events_actor_type_date = sa.Index("ix_events_actor_type_date", events.c.actor, events.c.event_type, events.c.date)


# Claims ledger speed (migration 4): a dyad's newest claim-status events and its newest asserted accusations,
# by (pair, status) and (pair, type, status), without visiting every event of a busy dyad.
ix_events_dyad_status = sa.Index(
    "ix_events_dyad_status", events.c.actor, events.c.recipient, events.c.status, events.c.date
)
ix_events_dyad_type = sa.Index(
    "ix_events_dyad_type", events.c.actor, events.c.recipient, events.c.event_type, events.c.status, events.c.date
)
# Migration 5 adds, on PostgreSQL only, ix_events_sentence and a trigram index on sentences.text (not declared
# here: SQLite has neither).
