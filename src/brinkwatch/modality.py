"""Status of an event: asserted, negated, alleged, denied, speculated, considered, future, hypothetical.
(Interface stub; see issue 3.)"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token


@dataclass(frozen=True, slots=True)
class Modality:
    status: str
    factuality: float  # −3 … +3
    cues: tuple[str, ...] = ()


def assess(trigger: Token) -> Modality:
    """How the text presents the event whose trigger word is ``trigger``."""
    return Modality("asserted", 3.0)
