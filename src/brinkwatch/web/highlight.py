"""Highlighted HTML built from character offsets: every text segment is escaped, only our tags are added.

Untrusted text is never inserted raw: the output is a sequence of ``escape(segment)`` and fixed ``<mark>``
tags whose class and title come from a small allow-list / are escaped themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

KINDS = ("trigger", "actor", "recipient", "cue")


@dataclass(slots=True, frozen=True)
class Span:
    start: int
    end: int
    kind: str  # one of KINDS
    title: str = ""
    status: str = ""  # event status, for triggers
    anchor: str = ""  # an id to link to (event id)


def highlight(text: str, spans: Iterable[Span], *, offset: int = 0) -> Markup:
    """``text`` (which starts at article offset ``offset``) with the spans marked; overlaps: first wins."""
    n = len(text)
    clean: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), KINDS.index(s.kind) if s.kind in KINDS else 9)):
        start, end = s.start - offset, s.end - offset
        if s.kind not in KINDS or start < 0 or end > n or end <= start:
            continue
        if clean and start < clean[-1].end - offset:
            continue  # overlapping: keep the earlier/longer one
        clean.append(s)
    out: list[str] = []
    pos = 0
    for s in clean:
        start, end = s.start - offset, s.end - offset
        out.append(str(escape(text[pos:start])))
        cls = f"hl hl-{s.kind}" + (f" st-{s.status}" if s.status and s.status.isalpha() else "")
        attrs = f' class="{escape(cls)}"'
        if s.title:
            attrs += f' title="{escape(s.title)}"'
        if s.anchor:
            attrs += f' data-event="{escape(s.anchor)}"'
        out.append(f"<mark{attrs}>{escape(text[start:end])}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def event_spans(ev: dict[str, Any], *, with_parties: bool = True) -> list[Span]:
    """Spans for one event dict (offsets in the article text)."""
    title = f"{ev.get('event_type', '')} · {ev.get('status', '')}"
    spans = [
        Span(
            int(ev["trigger_start"]),
            int(ev["trigger_end"]),
            "trigger",
            title=title,
            status=str(ev.get("status") or ""),
            anchor=str(ev.get("event_id") or ""),
        )
    ]
    if with_parties:
        for role, kind in (("actors", "actor"), ("recipients", "recipient")):
            for p in ev.get(role) or []:
                if p.get("start") is not None and p.get("end") is not None:
                    spans.append(Span(int(p["start"]), int(p["end"]), kind, title=f"{kind}: {p.get('code', '')}"))
    return spans


def sentence_html(ev: dict[str, Any]) -> Markup:
    """The event's sentence with its trigger and parties marked."""
    return highlight(str(ev.get("sentence") or ""), event_spans(ev), offset=int(ev.get("sentence_start") or 0))


def article_html(text: str, events: Sequence[dict[str, Any]]) -> Markup:
    """The whole article text with every event trigger (and parties) marked."""
    spans: list[Span] = []
    for ev in events:
        spans.extend(event_spans(ev))
    return highlight(text, spans)
