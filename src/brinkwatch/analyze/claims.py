"""The claims ledger: who alleges what, who denies it, when, on what evidence, and where it stands.

A claim is a happening reported as alleged, speculated or denied (a "content" event), or an asserted ACCUSE
without a content event of its own ("Poland accused Russia of …"). Items of the same incident, or of one
sentence about the same happening (same type and accused, or an accusation and the content it accuses its
recipient of), or content events of the same type against the same accused with compatible recipients and
dates within 3 days, are one claim. For each claim:

* accusers — who says so: actors of the parent events (the ACCUSE / claim events whose content it is) and of
  the accusations; the recipients of a REJECT parent (whose claim is denied); for a content event without a
  parent, its innermost attribution ("an official", "Western media"); else the outlet that reports it (kind
  ``outlet``) — a claim always names who makes it;
* deniers — actors of REJECT parents; the accused itself when a content event is ``denied`` without a REJECT
  parent ("…, which Moscow has denied"); asserted denials by the accused without content of their own — a
  denial verb (deny, dismiss, refute, rebuff …), or a rejection of an accusation, allegation, claim or report —
  within 3 sentences of the claim in the same article, or within 14 days toward an accuser;
* sources — the attribution chains of the claim and its parents ("according to the Financial Times");
  when none is given, the accusers themselves;
* evidence — "absent" when the claim's or denial's sentences (or the sentence after each) note its absence
  ("without evidence", "never provided any evidence"), "cited" when they cite some ("photos", "radar data",
  "evidence showed"), else "unstated";
* state — retracted (a later negated report of the same incident in another article), confirmed (a later
  asserted report of the same incident in another article), contested (alleged and denied), else open.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from functools import lru_cache
from typing import Any

import pandas as pd
import sqlalchemy as sa

from brinkwatch.core.ontology import CLAIMED_STATUSES
from brinkwatch.store import schema as S
from brinkwatch.store.reads import dyad_condition, events_by_ids
from brinkwatch.store.writer import Store

CLAIM_STATUSES = tuple(sorted(CLAIMED_STATUSES))
DENIAL_WINDOW_DAYS = 14
SAME_CLAIM_DAYS = 3
DENIAL_SENTENCES = 3  # a denial in the claim's article counts within this many sentences of it
_DENIAL_VERB = re.compile(r"^(den(y|ied|ies|ial)|dismiss|refut|rebuff|repudiat|disput|contest|deni)", re.IGNORECASE)
_DENIAL_WORD = re.compile(
    r"\b(den(y|ied|ies|ial|ials|ying)|dismiss(ed|es)?|refut(ed|es)?|rebuff(ed|s)?)\b", re.IGNORECASE
)
_OF_A_CLAIM = re.compile(
    r"\b(accusations?|allegations?|claims?|charges?|reports?|assertions?|suggestions?|insinuations?)\b", re.IGNORECASE
)
_ABSENT = re.compile(
    r"\b(without (any )?(evidence|proof)|never (provided|presented|offered|shown) (any )?(evidence|proof)|"
    r"no (evidence|proof)|provided no (evidence|proof)|not (provided|presented) (any )?(evidence|proof)|"
    r"unsubstantiated|baseless|unfounded)\b",
    re.IGNORECASE,
)
_CITED = re.compile(
    r"\b(photos?|photographs?|radar (data|tracks?)|evidence (showed|shows|suggests)|video|footage|"
    r"satellite (images|imagery)|debris|wreckage|flight data|intercepted communications)\b",
    re.IGNORECASE,
)
_ABSENT_KEYS = ("evidence", "proof", "unsubstantiated", "baseless", "unfounded")
_CITED_KEYS = (
    "photo",
    "radar",
    "evidence",
    "video",
    "footage",
    "satellite",
    "debris",
    "wreckage",
    "flight data",
    "intercepted",
)
COLUMNS = [
    "claim_id",
    "event_type",
    "actor",
    "recipient",
    "statuses",
    "summary",
    "accusers",
    "deniers",
    "sources",
    "first_said",
    "last_said",
    "evidence",
    "state",
    "incident_id",
    "incident_ids",
    "event_ids",
]


@lru_cache(maxsize=8192)
def _cues(text: str) -> tuple[bool, bool]:
    """(notes the absence of evidence, cites evidence) for one sentence; cached, since the same sentences
    come back for every claim of a dyad and every syndicated copy."""
    low = text.lower()  # cheap keyword screen before the regular expressions
    absent = any(k in low for k in _ABSENT_KEYS) and _ABSENT.search(text) is not None
    cited = any(k in low for k in _CITED_KEYS) and _CITED.search(text) is not None
    return absent, cited


def evidence_of(texts: list[str]) -> str:
    """absent | cited | unstated, from cue words in the given sentences."""
    cues = [_cues(t) for t in dict.fromkeys(texts)]
    if any(a for a, _ in cues):
        return "absent"
    if any(c for _, c in cues):
        return "cited"
    return "unstated"


def _party_list(parties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for p in parties:
        key = (str(p.get("text")), str(p.get("country")))
        item = {"text": p.get("text"), "country": p.get("country")}
        if p.get("kind") == "outlet":  # the report itself says so (no source named)
            item["kind"] = "outlet"
        seen.setdefault(key, item)
    return list(seen.values())


def _said(ev: dict[str, Any]) -> str | None:
    return ev.get("published") or ev.get("date")


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _ids(conn: sa.Connection, q: sa.Select[Any]) -> list[int]:
    return [int(x) for x in conn.execute(q).scalars()]


def _childless(conn: sa.Connection, evs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events no other event points to as its parent (children live in the same article)."""
    e = S.events
    arts = sorted({x["article_id"] for x in evs})
    parents: set[str] = set()
    for k in range(0, len(arts), 500):
        q = sa.select(e.c.parent_event).where(e.c.article_id.in_(arts[k : k + 500]), e.c.parent_event.is_not(None))
        parents |= {str(p) for p in conn.execute(q).scalars()}
    return [x for x in evs if x["event_id"] not in parents]


def claims(store: Store, since: str | None = None, dyad: str | None = None, limit: int = 200) -> pd.DataFrame:
    """The claims ledger, newest first (at most ``limit`` claim events and accusations read)."""
    e = S.events
    content_q = sa.select(e.c.id).where(e.c.status.in_(CLAIM_STATUSES))
    accuse_q = sa.select(e.c.id).where(e.c.event_type == "ACCUSE", e.c.status == "asserted", e.c.recipient.is_not(None))
    if dyad:
        cond = dyad_condition(e.c.actor, e.c.recipient, dyad, also=[e.c.date >= since] if since else [])
        content_q, accuse_q = content_q.where(cond), accuse_q.where(cond)
    elif since:
        content_q, accuse_q = content_q.where(e.c.date >= since), accuse_q.where(e.c.date >= since)
    n = max(0, int(limit))
    with store.engine.connect() as conn:
        content = events_by_ids(conn, _ids(conn, content_q.order_by(e.c.date.desc(), e.c.id.desc()).limit(n)))
        accusations = _childless(
            conn, events_by_ids(conn, _ids(conn, accuse_q.order_by(e.c.date.desc(), e.c.id.desc()).limit(n)))
        )
        for c in content:
            c["_kind"], c["_accused"] = "content", c["actor"]
        for c in accusations:
            c["_kind"], c["_accused"] = "accusation", c["recipient"]
        items = content + accusations
        if not items:
            return pd.DataFrame(columns=COLUMNS)
        parent_ids = sorted({c["parent_event"] for c in content if c["parent_event"]})
        parents = (
            {
                p["event_id"]: p
                for p in events_by_ids(conn, _ids(conn, sa.select(e.c.id).where(e.c.event_id.in_(parent_ids))))
            }
            if parent_ids
            else {}
        )
        accused = sorted({c["_accused"] for c in items if c["_accused"]})
        reject_q = (
            sa.select(e.c.id)
            .where(
                e.c.event_type == "REJECT",
                e.c.status == "asserted",
                e.c.actor.in_(accused),
                sa.or_(e.c.article_id.in_(sorted({c["article_id"] for c in items})), _near(e.c.date, items)),
            )
            .order_by(e.c.date.desc(), e.c.id.desc())
            .limit(2 * n)
        )
        rejects = _childless(conn, events_by_ids(conn, _ids(conn, reject_q))) if accused else []
        art_ids = sorted({x["article_id"] for x in [*items, *parents.values(), *rejects]})
        sents: dict[tuple[int, int], str] = {}
        for k in range(0, len(art_ids), 500):
            for a, i, t in conn.execute(
                sa.select(S.sentences.c.article_id, S.sentences.c.idx, S.sentences.c.text).where(
                    S.sentences.c.article_id.in_(art_ids[k : k + 500])
                )
            ):
                sents[(int(a), int(i))] = t
        inc_ids = sorted({c["incident_id"] for c in content if c["incident_id"] is not None})
        later = (
            [
                dict(r)
                for r in conn.execute(
                    sa.select(e.c.event_id, e.c.article_id, e.c.incident_id, e.c.status, S.articles.c.published)
                    .join(S.articles, S.articles.c.id == e.c.article_id)
                    .where(e.c.incident_id.in_(inc_ids), e.c.status.in_(["asserted", "negated"]))
                ).mappings()
            ]
            if inc_ids
            else []
        )
    for r in rejects:
        r["_day"] = dt.date.fromisoformat(str(r["date"])[:10]) if r["date"] else None
    by_actor = _Rejects(rejects)
    rows = [_claim_row(m, parents, by_actor, sents, later) for m in _group(items)]
    rows.sort(key=lambda r: (r["last_said"] or "", r["claim_id"]), reverse=True)
    return pd.DataFrame(rows, columns=COLUMNS)


def is_denial(ev: dict[str, Any]) -> bool:
    """A REJECT that denies something said (not a refusal of a demand): a denial verb, or a rejection of an
    accusation, allegation, claim or report."""
    trigger, sentence = str(ev.get("trigger") or "").strip(), str(ev.get("sentence") or "")
    if _DENIAL_VERB.match(trigger) or _DENIAL_WORD.search(sentence):
        return True
    return _OF_A_CLAIM.search(sentence) is not None


class _Rejects:
    """The REJECT events by actor, indexed by article and by day: a claim looks only at those of its own articles
    and dates (in the order they were read)."""

    def __init__(self, rejects: list[dict[str, Any]]) -> None:
        self.by_actor: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.by_article: dict[tuple[str, int], list[int]] = defaultdict(list)
        dated: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
        for r in rejects:
            mine = self.by_actor[r["actor"]]
            self.by_article[(r["actor"], r["article_id"])].append(len(mine))
            if r["_day"] is not None:
                dated[r["actor"]].append((r["_day"], len(mine)))
            mine.append(r)
        self.days = {k: ([d for d, _ in sorted(v)], [i for _, i in sorted(v)]) for k, v in dated.items()}

    def near(self, actor: str, arts: set[int], lo: dt.date | None, hi: dt.date | None) -> list[dict[str, Any]]:
        """The actor's REJECT events in these articles or dated between ``lo`` and ``hi``."""
        mine = self.by_actor.get(actor)
        if not mine:
            return []
        pos = {i for a in arts for i in self.by_article.get((actor, a), ())}
        if lo is not None and hi is not None and actor in self.days:
            days, idx = self.days[actor]
            pos.update(idx[bisect.bisect_left(days, lo) : bisect.bisect_right(days, hi)])
        return [mine[i] for i in sorted(pos)]


def _near(col: Any, items: list[dict[str, Any]]) -> Any:
    """``col`` within DENIAL_WINDOW_DAYS of the items' dates (false when none is dated)."""
    days = sorted(dt.date.fromisoformat(str(c["date"])[:10]) for c in items if c["date"])
    if not days:
        return sa.false()
    pad = dt.timedelta(days=DENIAL_WINDOW_DAYS)
    return col.between((days[0] - pad).isoformat(), (days[-1] + pad).isoformat())


def _linked(x: dict[str, Any], y: dict[str, Any]) -> bool:
    """Two items of one sentence about the same happening."""
    if x["_kind"] == y["_kind"] == "accusation":
        return False
    if x["_kind"] == "accusation" or y["_kind"] == "accusation":
        acc, con = (x, y) if x["_kind"] == "accusation" else (y, x)
        return con["_accused"] in (None, acc["_accused"])
    return x["event_type"] == y["event_type"] and (
        x["_accused"] is None or y["_accused"] is None or x["_accused"] == y["_accused"]
    )


def _group(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Union items of the same incident, or of the same sentence about the same happening."""
    uf = list(range(len(items)))
    first_by: dict[Any, int] = {}
    by_sentence: dict[tuple[int, int], list[int]] = defaultdict(list)
    for idx, c in enumerate(items):
        if c["incident_id"] is not None:
            key = (c["_kind"], c["incident_id"])
            if key in first_by:
                uf[_find(uf, idx)] = _find(uf, first_by[key])
            else:
                first_by[key] = idx
        by_sentence[(c["article_id"], c["sentence_index"])].append(idx)
    for members in by_sentence.values():
        for i, x in enumerate(members):
            for y in members[i + 1 :]:
                if _linked(items[x], items[y]):
                    uf[_find(uf, y)] = _find(uf, x)
    # across reports: the same type against the same accused, compatible recipients, dates within days
    by_accused: dict[tuple[str, str], list[int]] = defaultdict(list)
    for idx, c in enumerate(items):
        if c["_kind"] == "content" and c["_accused"] and c["date"]:
            by_accused[(c["event_type"], c["_accused"])].append(idx)
    for members in by_accused.values():
        for i, x in enumerate(members):
            for y in members[i + 1 :]:
                cx, cy = items[x], items[y]
                gap = abs((dt.date.fromisoformat(cx["date"][:10]) - dt.date.fromisoformat(cy["date"][:10])).days)
                if gap <= SAME_CLAIM_DAYS and (
                    not cx["recipient"] or not cy["recipient"] or cx["recipient"] == cy["recipient"]
                ):
                    uf[_find(uf, y)] = _find(uf, x)
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for idx, c in enumerate(items):
        groups[_find(uf, idx)].append(c)
    return list(groups.values())


def _claim_row(
    members: list[dict[str, Any]],
    parents: dict[str, dict[str, Any]],
    rejects: _Rejects,
    sents: dict[tuple[int, int], str],
    later: list[dict[str, Any]],
) -> dict[str, Any]:
    accusers: list[dict[str, Any]] = []
    deniers: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    said: list[str] = []
    texts: list[str] = []
    related: list[dict[str, Any]] = list(members)
    content = [c for c in members if c["_kind"] == "content"]
    for c in members:
        sources += c["attribution"]
        if c["_kind"] == "accusation":
            accusers += c["actors"]
            continue
        par = parents.get(c["parent_event"] or "")
        if par is not None:
            related.append(par)
            sources += par["attribution"]
            (deniers if par["event_type"] == "REJECT" else accusers).extend(par["actors"])
            if par["event_type"] == "REJECT":  # "Moscow denied Poland's accusation": Poland made the claim
                accusers += [
                    r for r in par["recipients"] if r.get("country") not in {a.get("country") for a in par["actors"]}
                ]
        elif c["status"] != "denied":
            accusers += [a for a in c["attribution"] if a.get("country")]
        if c["status"] == "denied" and (par is None or par["event_type"] != "REJECT"):
            deniers += c["actors"]  # "…, which Moscow has denied": the accused denies
    if not accusers:  # who says so: the innermost source named, else the outlet that reports it
        for c in content:
            if c["attribution"]:
                inner = c["attribution"][-1]
                accusers.append({"text": inner.get("text"), "country": inner.get("country")})
        if not accusers:
            outlets = {str(c["source"]) for c in members if c.get("source")}
            accusers += [{"text": o, "country": None, "kind": "outlet"} for o in sorted(outlets)]
    accuser_countries = {a.get("country") for a in accusers if a.get("country")}
    arts = {c["article_id"] for c in members}
    where = {(c["article_id"], int(c["sentence_index"])) for c in members}
    days = [dt.date.fromisoformat(str(c["date"])[:10]) for c in members if c["date"]]
    accused = {c["_accused"] for c in members if c["_accused"]}
    lo = min(days) - dt.timedelta(days=DENIAL_WINDOW_DAYS) if days else None
    hi = max(days) + dt.timedelta(days=DENIAL_WINDOW_DAYS) if days else None
    for r in (r for actor in accused for r in rejects.near(actor, arts, lo, hi)):
        rd = r["_day"]
        near = rd is not None and lo is not None and hi is not None and lo <= rd <= hi
        if near and r["recipient"] in accuser_countries:
            near = min(abs((rd - d).days) for d in days) <= DENIAL_WINDOW_DAYS
        if not is_denial(r):
            continue
        close = any(a == r["article_id"] and abs(i - int(r["sentence_index"])) <= DENIAL_SENTENCES for a, i in where)
        if close or (near and r["recipient"] in accuser_countries):
            deniers += r["actors"]
            related.append(r)
    for x in related:
        texts.append(x["sentence"])
        texts.append(sents.get((x["article_id"], x["sentence_index"] + 1), ""))
        if s := _said(x):
            said.append(s)
    first_said = min(said) if said else None
    inc_ids = sorted({c["incident_id"] for c in content if c["incident_id"] is not None})
    mine = {c["event_id"] for c in members}
    # a confirmation or retraction is another article's report of the same incident, not published earlier
    others = [
        x for x in later if x["incident_id"] in inc_ids and x["event_id"] not in mine and x["article_id"] not in arts
    ]
    state = "open"
    if accusers and (deniers or any(c["status"] == "denied" for c in content)):
        state = "contested"
    if any(x["status"] == "asserted" and (x["published"] or "") >= (first_said or "") for x in others):
        state = "confirmed"
    if any(x["status"] == "negated" and (x["published"] or "") >= (first_said or "") for x in others):
        state = "retracted"
    src = [{"text": a.get("text"), "kind": a.get("kind"), "country": a.get("country")} for a in sources]
    if not src:
        src = [{"text": a.get("text"), "kind": "other", "country": a.get("country")} for a in _party_list(accusers)]
    lead = content[0] if content else members[0]
    return {
        "claim_id": min(c["event_id"] for c in members),
        "event_type": lead["event_type"],
        "actor": next((c["_accused"] for c in members if c["_accused"]), None),
        "recipient": next((c["recipient"] for c in content if c["recipient"]), None),
        "statuses": sorted({c["status"] for c in content} or {"alleged"}),
        "summary": lead["sentence"],
        "accusers": _party_list(accusers),
        "deniers": _party_list(deniers),
        "sources": list({(s["text"], s["kind"], s["country"]): s for s in src}.values()),
        "first_said": first_said,
        "last_said": max(said) if said else None,
        "evidence": evidence_of([t for t in texts if t]),
        "state": state,
        "incident_id": inc_ids[0] if inc_ids else next((c["incident_id"] for c in members), None),
        "incident_ids": inc_ids,
        "event_ids": sorted(c["event_id"] for c in members),
    }
