"""Groups of actors and the dyad vocabulary (``data/groups.yaml``): which codes a side such as NATO or WST stands
for, and how "A:B" is read. Every command, the HTTP API and the analytics read dyads through here.

A group code stands for the organisation itself and every member listed (recursively through
``member_groups``), so NATO:RUS counts the alliance's events and each member's toward Russia.
"""

from __future__ import annotations

import functools
import re

from pydantic import Field

from brinkwatch.lexicon.loader import Strict, load_yaml

CODE = re.compile(r"^[A-Z0-9]{2,12}$")  # ISO-3 countries, IGO and group codes (NATO, EU, WST, HEZBOLLAH)


class Group(Strict):
    name: str
    includes: list[str] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list)
    member_groups: list[str] = Field(default_factory=list)


class GroupsFile(Strict):
    groups: dict[str, Group]


def groups_file() -> GroupsFile:
    return load_yaml("groups.yaml", GroupsFile)


def parse_code(code: str) -> str:
    """One side's code, upper-cased (``nato`` → ``NATO``); anything but 2-12 letters or digits raises ValueError."""
    c = str(code).strip().upper()
    if not CODE.match(c):
        raise ValueError(f"not an actor code: {str(code)[:40]!r} (2-12 letters or digits, e.g. RUS, NATO)")
    return c


def parse_dyad(dyad: str) -> tuple[str, str]:
    """``"NATO:RUS"`` (or ``nato-rus``) → ``("NATO", "RUS")``; anything else raises ValueError."""
    parts = [p.strip().upper() for p in str(dyad).replace("-", ":").split(":")]
    if len(parts) != 2 or not all(CODE.match(p) for p in parts):
        raise ValueError(f"not a dyad: {str(dyad)[:40]!r} (expected A:B with codes of 2-12 letters, e.g. NATO:RUS)")
    return parts[0], parts[1]


@functools.cache
def expand(code: str) -> frozenset[str]:
    """Every actor code a side stands for: the code itself, plus members (recursively) for a group."""
    groups = groups_file().groups
    code = code.strip().upper()
    out = {code}
    todo = [code]
    seen: set[str] = set()
    while todo:
        g = todo.pop()
        if g in seen or g not in groups:
            continue
        seen.add(g)
        spec = groups[g]
        out |= {x.upper() for x in spec.includes} | {x.upper() for x in spec.members}
        todo += [x.upper() for x in spec.member_groups]
    return frozenset(out)


def members(group: str) -> list[str]:
    """The member states of a group (countries only, without the organisation codes)."""
    groups = groups_file().groups
    g = group.strip().upper()
    if g not in groups:
        return [g]
    orgs = {x.upper() for x in groups[g].includes}
    return sorted(expand(g) - orgs - set(groups))
