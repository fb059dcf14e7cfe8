"""How gold codes are read when extraction is scored (``data/modality/scoring.yaml``), for
:mod:`brinkwatch.dev.evaluate`: legacy CAMEO country codes of the gold sets and their ISO-3 codes, and the
gold codes that constrain no party."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from brinkwatch.lexicon.loader import Strict, load_yaml

PATH = "modality/scoring.yaml"
GoldCode = Annotated[str, Field(pattern=r"^(?:[A-Z]{3}|---)$")]


class ScoringFile(Strict):
    gold_code_aliases: dict[GoldCode, GoldCode]  # legacy code → ISO-3 ("JAP" → "JPN")
    unconstrained_codes: list[GoldCode]  # gold codes that any party matches ("---", "UNK")


def scoring_codes() -> ScoringFile:
    """``data/modality/scoring.yaml``, validated (parsed once)."""
    return load_yaml(PATH, ScoringFile)
