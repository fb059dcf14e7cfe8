"""How often a word names a happening: ``data/events/eventive.tsv`` (derived by ``tools/derive_event_nouns.py``)
counts, per lemma and part of speech, its uses in the factuality training sentences and how many of them the
annotators marked as events (bombing 0.86 of its uses, attack 0.5, stock 0). A feature of the event model."""

from __future__ import annotations

from brinkwatch.core.errors import DataError
from brinkwatch.lexicon import loader
from brinkwatch.lexicon.loader import compiled

PATH = "events/eventive.tsv"


@compiled
def table() -> dict[tuple[str, str], tuple[int, int]]:
    """(lemma, POS) → (uses, event uses)."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    lines = [ln for ln in loader.read_text(PATH).splitlines() if ln and not ln.startswith("#")]
    if not lines or lines[0].split("\t") != ["lemma", "pos", "uses", "events"]:
        raise DataError(f"data/{PATH}: expected the header lemma, pos, uses, events")
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != 4 or not cells[2].isdigit() or not cells[3].isdigit() or int(cells[3]) > int(cells[2]):
            raise DataError(f"data/{PATH} row {n}: expected lemma, POS, uses >= events")
        out[(cells[0], cells[1])] = (int(cells[2]), int(cells[3]))
    return out


def ratio(lemma: str, pos: str) -> tuple[float, int]:
    """(share of uses marked as events, uses); (-1, 0) for a word the training sentences do not use enough."""
    uses, events = table().get((lemma, pos), (0, 0))
    return (events / uses if uses else -1.0), uses
