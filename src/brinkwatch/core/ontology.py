"""The fixed vocabularies every stage shares: event statuses (with their groups and ranks), the 16 PLOVER
types and their quad classes' names. Data-driven parts of the ontology (scores, modes, the CAMEO
crosswalk) are read by :mod:`brinkwatch.lexicon.ontology`, which checks them against these names.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Whether an event happened, as the text presents it."""

    ASSERTED = "asserted"  # reported as having happened (or happening)
    NEGATED = "negated"  # reported as not having happened ("did not attack")
    ALLEGED = "alleged"  # someone claims/accuses it happened
    DENIED = "denied"  # someone denies it happened
    SPECULATED = "speculated"  # may/might/possibly/suspected
    CONSIDERED = "considered"  # under consideration, discussed, proposed, weighed
    FUTURE = "future"  # will/plans to/is to
    HYPOTHETICAL = "hypothetical"  # if/would/could-conditional

    @property
    def factual(self) -> bool:
        return self is Status.ASSERTED


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)

#: a happening someone claims, suspects or denies: the claims ledger and the dyads' "claimed" series
CLAIMED_STATUSES: frozenset[str] = frozenset({"alleged", "speculated", "denied"})
#: measures not (yet) taken: the dyads' "rhetoric" series (with every threat)
RHETORIC_STATUSES: frozenset[str] = frozenset({"considered", "future", "hypothetical"})
#: the status an incident shows, best first, when its reports disagree (asserted wins)
INCIDENT_STATUS_RANK: dict[str, int] = {
    "asserted": 0,
    "alleged": 1,
    "speculated": 2,
    "denied": 3,
    "considered": 4,
    "future": 5,
    "hypothetical": 6,
    "negated": 7,
}
#: the states of a claim in the ledger (besides the event statuses)
CLAIM_STATES: tuple[str, ...] = ("contested", "confirmed", "retracted", "open")

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
QUADS: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

ATTRIBUTION_KINDS: tuple[str, ...] = ("media", "official", "government", "anonymous", "expert", "other")
DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year", "report")
