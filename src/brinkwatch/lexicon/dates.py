"""The date patterns (``data/dates/patterns.yaml``), validated and compiled once for
:mod:`brinkwatch.coder.dates`: the regexes that find time expressions the parser's DATE/TIME entities miss,
the words stripped from an expression before it is resolved, and the words that are no date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator

from brinkwatch.lexicon.loader import Strict, Word, compiled, load_yaml

PATH = "dates/patterns.yaml"


def _regex(value: str) -> str:
    try:
        re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from None
    return value


class PatternsFile(Strict):
    candidates: list[Annotated[str, AfterValidator(_regex)]]
    strip_prefixes: list[Word]  # "on", "in", "since" … before the expression
    fuzzy_modifiers: list[Word]  # "earlier", "the end of" … (the expression keeps its period)
    not_dates: list[Word]  # "recently", "now" … never a date


@dataclass(frozen=True, slots=True)
class DatePatterns:
    candidates: tuple[re.Pattern[str], ...]
    strip_prefixes: tuple[str, ...]  # longest first
    fuzzy_modifiers: tuple[str, ...]  # longest first
    not_dates: frozenset[str]


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


@compiled
def patterns() -> DatePatterns:
    """The data file ``data/dates/patterns.yaml``, loaded once."""
    raw = load_yaml(PATH, PatternsFile)
    return DatePatterns(
        candidates=tuple(re.compile(p, re.IGNORECASE) for p in raw.candidates),
        strip_prefixes=_longest_first(raw.strip_prefixes),
        fuzzy_modifiers=_longest_first(raw.fuzzy_modifiers),
        not_dates=frozenset(raw.not_dates),
    )
