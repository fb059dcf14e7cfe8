"""Incidents as clusters: the connected components of the merge relation (single linkage), built incrementally.

New events join the clusters of stored incidents (and each other) through :func:`assign`; a new event that
matches members of two clusters joins them, the older surviving (:meth:`Cluster.rank`). The partition is
the connected components of :func:`merge.same_happening`, so it depends only on the events — not on their order,
nor on how ingest cut them into rounds or refreshes. Pure: no store (``incidents.py`` reads and writes it).

Bounded cost per dyad-day. Comparing every new event with every member of its block and day is quadratic: one
article of 34,000 copies of one sentence ran for more than ten minutes. So the index keeps, per incident and
(block, day, recipient), only members that can decide something — a member whose sentence, precision and
place repeat an indexed one's is not indexed again (lossless: it matches exactly what that one matches), and
at most :data:`EXEMPLARS` distinct ones — and a new event is compared with at most :data:`MAX_CANDIDATES`
members per (block, day): the most recent. Where these caps bind (more than :data:`EXEMPLARS` differently
worded reports of one incident on one day, or more than :data:`MAX_CANDIDATES` incidents of one block on one
day), a report can miss an incident it would have joined, and the partition may then depend on arrival order.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from brinkwatch.analyze.merge import WIDE_PRECISIONS, WINDOW_DAYS, MergeEvent, same_happening


@dataclass(slots=True, eq=False)
class Cluster:
    incident_id: int | None
    members: list[MergeEvent] = field(default_factory=list)
    absorbed: list[int] = field(default_factory=list)  # stored incidents merged into this one
    into: Cluster | None = None  # the cluster this one was merged into

    def root(self) -> Cluster:
        cl = self
        while cl.into is not None:
            cl = cl.into
        return cl

    def rank(self) -> tuple[int, int]:
        """Which of two clusters survives their merge: the older stored incident (incident ids grow with
        their first event's id), else the one whose first event came first."""
        if self.incident_id is not None:
            return (0, self.incident_id)
        return (1, self.members[0].pk)


_Entry = tuple[int, MergeEvent, "Cluster"]

#: Distinct members indexed per incident and (block, day, recipient): a report worded like none of them is
#: still compared with the incident's first EXEMPLARS wordings of that day.
EXEMPLARS = 8
#: Members a new event is compared with per (block, day) list: the most recent ones.
MAX_CANDIDATES = 50


def signature(ev: MergeEvent) -> tuple[Any, ...]:
    """What :func:`same_happening` reads of a member beyond its block, day and recipient: two members with
    one signature match exactly the same events."""
    return (ev.tokens, ev.precision, ev.stated, ev.place, ev.loc_country)


class MemberIndex:
    """Members by (block, day): all of them, by recipient, and the wide-window ones (week, month or year
    precision), each list in the order members were added — so a lookup visits, in that order, only members
    that can pass the recipient and date tests of :func:`same_happening`. Only exemplars are indexed (see
    the module's docstring), and a lookup yields at most :data:`MAX_CANDIDATES` of each list (the latest)."""

    def __init__(self, *, exemplars: int = EXEMPLARS, max_candidates: int = MAX_CANDIDATES) -> None:
        self.seq = 0
        self.exemplars = exemplars
        self.max_candidates = max_candidates
        self.all: dict[tuple[Any, dt.date | None], list[_Entry]] = defaultdict(list)
        self.by_recipient: dict[tuple[Any, dt.date | None, str | None], list[_Entry]] = defaultdict(list)
        self.wide: dict[tuple[Any, dt.date | None], list[_Entry]] = defaultdict(list)
        self.days: dict[Any, list[dt.date]] = defaultdict(list)  # per block, the days members have (sorted)
        # per (cluster, block, day, recipient): the signatures indexed
        self.indexed: dict[tuple[int, Any, dt.date | None, str | None], set[tuple[Any, ...]]] = defaultdict(set)

    def add(self, ev: MergeEvent, cl: Cluster) -> bool:
        """Index ``ev`` (a member of ``cl``) unless it adds nothing a lookup needs; True if indexed."""
        seen = self.indexed[(id(cl.root()), ev.block, ev.day, ev.recipient or None)]
        sig = signature(ev)
        if sig in seen or len(seen) >= self.exemplars:
            return False
        seen.add(sig)
        self.seq += 1
        entry = (self.seq, ev, cl)
        if ev.day is not None and (ev.block, ev.day) not in self.all:
            bisect.insort(self.days[ev.block], ev.day)
        self.all[(ev.block, ev.day)].append(entry)
        self.by_recipient[(ev.block, ev.day, ev.recipient or None)].append(entry)
        if ev.precision in WIDE_PRECISIONS:
            self.wide[(ev.block, ev.day)].append(entry)
        return True

    def days_near(self, ev: MergeEvent, span: int) -> list[tuple[dt.date | None, bool]]:
        """The days within ``span`` of ``ev``'s that have members of its block (in date order), each with
        whether it lies inside ``ev``'s own window; undated events look at undated members only."""
        if ev.day is None:
            return [(None, True)]
        days = self.days.get(ev.block, [])
        lo = bisect.bisect_left(days, ev.day - dt.timedelta(days=span))
        hi = bisect.bisect_right(days, ev.day + dt.timedelta(days=span))
        own = WINDOW_DAYS.get(ev.precision, 3)
        return [(d, abs((d - ev.day).days) <= own) for d in days[lo:hi]]

    def near(self, ev: MergeEvent, day: dt.date | None, within: bool) -> Iterable[_Entry]:
        """Members dated ``day`` that could be ``ev``'s happening; ``within`` is false when the day lies outside
        ``ev``'s own window (then only wide-window members can reach it)."""
        k = self.max_candidates
        if not within:
            return self.wide.get((ev.block, day), [])[-k:]
        if not ev.recipient:
            return self.all.get((ev.block, day), [])[-k:]
        same = self.by_recipient.get((ev.block, day, ev.recipient), [])[-k:]
        unnamed = self.by_recipient.get((ev.block, day, None), [])[-k:]
        if not same or not unnamed:
            return same or unnamed
        return list(heapq.merge(same, unnamed, key=lambda t: t[0]))[-k:]


def assign(
    new: list[MergeEvent],
    old: list[MergeEvent],
    *,
    exemplars: int = EXEMPLARS,
    max_candidates: int = MAX_CANDIDATES,
) -> list[Cluster]:
    """Cluster the new events with each other and with stored incidents: single linkage over the
    :func:`same_happening` relation. A new event joins every cluster it matches a member of; clusters it
    bridges become one (the older survives, see :meth:`Cluster.rank`). The partition is the connected
    components of that relation, so it depends only on the events — not on their order, nor on how ingest
    cut them into rounds or refreshes (a resumed ingest equals a clean one).

    Returns the surviving clusters that are new or gained members; ``absorbed`` lists the stored incidents
    each one swallowed. Members are indexed by (block, day), so an event is compared only with events in its
    date window, and not with further members of a cluster it already matched; and with at most
    :data:`MAX_CANDIDATES` exemplars per day (see the module's docstring: the cost per event is bounded).
    """
    index = MemberIndex(exemplars=exemplars, max_candidates=max_candidates)
    by_incident: dict[int, Cluster] = {}
    for ev in old:
        assert ev.incident_id is not None
        cl = by_incident.get(ev.incident_id)
        if cl is None:
            cl = by_incident[ev.incident_id] = Cluster(ev.incident_id)
        cl.members.append(ev)
        index.add(ev, cl)
    span = max(WINDOW_DAYS.values())
    touched: list[Cluster] = []
    for ev in sorted(new, key=lambda x: x.pk):
        matched: list[Cluster] = []
        for day, within in index.days_near(ev, span):
            for _seq, m, cl in index.near(ev, day, within):
                root = cl.root()
                if not any(root is x for x in matched) and same_happening(ev, m):
                    matched.append(root)
        if not matched:
            target = Cluster(None)
        else:
            target = min(matched, key=Cluster.rank)
            for other in matched:
                if other is not target:
                    other.into = target
                    target.members += other.members
                    target.absorbed += other.absorbed
                    if other.incident_id is not None:
                        target.absorbed.append(other.incident_id)
        target.members.append(ev)
        index.add(ev, target)
        touched.append(target)
    survivors = {id(cl): cl for cl in touched if cl.into is None}  # in order of first touch
    return list(survivors.values())
