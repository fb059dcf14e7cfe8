"""Alliance cohesion: how far the members of a group diverge in their stance toward a target.

Per member (an actor country of the group, events toward any code of the target side, counted once per
incident; negated and denied events left out): the mean PLOVER score of its events, the number of hawkish
events (THREATEN, ASSAULT, COERCE, MOBILIZE, SANCTION, or sentences with "deterrence", "tough", "harder line",
"shoot down") and of restraint events (AGREE, CONSULT, REQUEST, RETREAT, CONCEDE, or sentences with
"restraint", "de-escalat", "dialogue", "avoid direct conflict"). Its stance is hawkish or restraint when one
kind outweighs the other, else mixed. Divergence: the standard deviation of member means, and the share of
members whose stance opposes the majority stance.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import sqlalchemy as sa

from brinkwatch.lexicon.groups import expand, members, parse_dyad
from brinkwatch.store import schema as S
from brinkwatch.store.writer import Store

HAWKISH_TYPES = frozenset({"THREATEN", "ASSAULT", "COERCE", "MOBILIZE", "SANCTION"})
RESTRAINT_TYPES = frozenset({"AGREE", "CONSULT", "REQUEST", "RETREAT", "CONCEDE"})
_HAWK = re.compile(r"\b(deterren\w*|tough\w*|hard(er)? line|shoot(ing)? down|fire on|stricter)\b", re.IGNORECASE)
_DOVE = re.compile(r"\b(restraint|de-?escalat\w*|dialogue|avoid (a )?direct conflict|calm)\b", re.IGNORECASE)
COLUMNS = ["member", "n", "mean_score", "hawkish", "restraint", "stance"]


def _kind(event_type: str, sentence: str) -> str | None:
    if _DOVE.search(sentence):
        return "restraint"
    if _HAWK.search(sentence) or event_type in HAWKISH_TYPES:
        return "hawkish"
    if event_type in RESTRAINT_TYPES:
        return "restraint"
    return None


def cohesion(store: Store, group: str, target: str, since: str | None = None) -> pd.DataFrame:
    """Per-member stance of ``group`` toward ``target`` (e.g. NATO toward RUS)."""
    g, t = parse_dyad(f"{group}:{target}")
    mem = members(g)
    e = S.events
    q = (
        sa.select(e.c.actor, e.c.event_type, e.c.score, e.c.incident_id, e.c.id, S.sentences.c.text)
        .join(S.sentences, S.sentences.c.id == e.c.sentence_id)
        .where(e.c.actor.in_(mem), e.c.recipient.in_(sorted(expand(t))), e.c.status.not_in(["negated", "denied"]))
    )
    if since:
        q = q.where(e.c.date >= since)
    with store.engine.connect() as conn:
        rows = conn.execute(q.order_by(e.c.id)).all()
    seen: set[Any] = set()
    per: dict[str, dict[str, Any]] = {}
    for actor, et, score, inc, pk, text in rows:
        key = (actor, inc if inc is not None else f"e{pk}")
        if key in seen:
            continue
        seen.add(key)
        m = per.setdefault(actor, {"member": actor, "n": 0, "sum": 0.0, "hawkish": 0, "restraint": 0})
        m["n"] += 1
        m["sum"] += float(score)
        k = _kind(et, text or "")
        if k:
            m[k] += 1
    out: list[dict[str, Any]] = []
    for m in per.values():
        stance = (
            "hawkish" if m["hawkish"] > m["restraint"] else "restraint" if m["restraint"] > m["hawkish"] else "mixed"
        )
        out.append(
            {
                "member": m["member"],
                "n": m["n"],
                "mean_score": round(m["sum"] / m["n"], 3),
                "hawkish": m["hawkish"],
                "restraint": m["restraint"],
                "stance": stance,
            }
        )
    out.sort(key=lambda r: (float(r["mean_score"]), str(r["member"])))
    return pd.DataFrame(out, columns=COLUMNS)


def divergence(df: pd.DataFrame) -> dict[str, Any]:
    """{members, std_mean_score, majority, share_opposing, hawkish, restraint} for a cohesion table."""
    n = len(df)
    hawk = int((df["stance"] == "hawkish").sum()) if n else 0
    dove = int((df["stance"] == "restraint").sum()) if n else 0
    majority = "hawkish" if hawk > dove else "restraint" if dove > hawk else "split" if hawk else None
    decided = hawk + dove
    return {
        "members": n,
        "std_mean_score": round(float(df["mean_score"].std(ddof=0)), 3) if n > 1 else 0.0,
        "majority": majority,
        "share_opposing": round(min(hawk, dove) / decided, 3) if decided else 0.0,
        "hawkish": hawk,
        "restraint": dove,
    }
