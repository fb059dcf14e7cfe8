"""tools/audit.py: Wilson intervals, text-free event keys, a stable seeded sample, verdicts joined by key."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "audit.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("brinkwatch_audit_tool", TOOL)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses resolve their module by name
    spec.loader.exec_module(mod)
    return mod


audit = _load()


def _event(
    start: int, etype: str, actors: list[str], recipients: list[str], status: str = "asserted"
) -> dict[str, Any]:
    return {
        "start": start,
        "length": 6,
        "trigger": "secret",
        "type": etype,
        "mode": None,
        "actors": actors,
        "recipients": recipients,
        "actor_parties": [],
        "recipient_parties": [],
        "status": status,
        "factual": status == "asserted",
        "factuality": 3.0,
        "parent": None,
        "event_id": "x",
    }


def test_wilson_matches_the_textbook_values() -> None:
    lo, hi = audit.wilson(50, 100)
    assert (round(lo, 3), round(hi, 3)) == (0.404, 0.596)
    lo, hi = audit.wilson(9, 10)
    assert (round(lo, 3), round(hi, 3)) == (0.596, 0.982)
    assert audit.wilson(0, 20)[0] == 0.0
    assert audit.wilson(20, 20)[1] == pytest.approx(1.0)
    assert audit.wilson(0, 0) == (0.0, 1.0)


def test_event_key_holds_codes_not_text_and_sorts_them() -> None:
    ev = _event(12, "ASSAULT", ["SYRMIL", "RUSMIL"], ["UNK"], "alleged")
    key = audit.event_key("UW-dev-7", ev)
    assert key == "UW-dev-7|12|6|ASSAULT|RUSMIL+SYRMIL|UNK|alleged"
    assert "secret" not in key
    assert audit.event_key("UW-dev-7", _event(12, "ASSAULT", ["RUSMIL", "SYRMIL"], ["UNK"], "alleged")) == key
    assert audit.event_key("UW-dev-7", _event(12, "ASSAULT", ["RUSMIL"], ["UNK"], "alleged")) != key


def test_sample_is_seeded_and_keeps_unchanged_events_when_others_change() -> None:
    keys = [f"UW-dev-{i}|0|4|AGREE|||asserted" for i in range(300)]
    first = audit.sample_keys(keys, 50, seed=1)
    assert len(first) == 50 == len(set(first))
    assert first == audit.sample_keys(list(reversed(keys)), 50, seed=1)
    assert first != audit.sample_keys(keys, 50, seed=2)
    assert audit.sample_keys(keys[:10], 50, seed=1) == sorted(keys[:10])
    # an extractor change drops ten unsampled events and adds ten: the sampled events that remain stay sampled
    unsampled = [k for k in keys if k not in first][:10]
    changed = [k for k in keys if k not in unsampled] + [f"UW-dev-{i}|0|4|REJECT|||asserted" for i in range(10)]
    second = audit.sample_keys(changed, 50, seed=1)
    assert len(set(first) & set(second)) >= 40


def _run(sentences: list[tuple[str, list[dict[str, Any]]]]) -> Any:
    return audit.Run({"commit": "abc"}, [{"id": sid, "text": "t", "events": evs} for sid, evs in sentences])


def test_score_joins_verdicts_by_key_and_lists_the_unjudged() -> None:
    a = _event(0, "ASSAULT", ["SYRMIL"], ["SYRCVL"])
    b = _event(9, "AGREE", ["UNK"], [])
    c = _event(3, "REQUEST", ["USAGOV"], ["IRN"], "future")
    run = _run([("s1", [a, b]), ("s2", [c]), ("s3", [])])
    ka, kb, kc = audit.event_key("s1", a), audit.event_key("s1", b), audit.event_key("s2", c)
    verdicts = {
        ka: audit.parse_judgment(f"{ka};T;ok;1;0;ok;recipient-missing;x", "j", "d"),
        kb: audit.parse_judgment(f"{kb};F;;;;;business;", "j", "d"),
        "s9|0|1|AGREE|||asserted": audit.parse_judgment("s9|0|1|AGREE|||asserted;F;;;;;;", "j", "d"),
    }
    lines, missing = audit.score(run, verdicts, n=10, seed=3)
    assert missing == [kc]
    text = "\n".join(lines)
    assert "3 events" in text and "sentences with ≥1 event 2/3" in text
    got = {p.label: (p.k, p.n) for p in audit.proportions([(a, verdicts[ka]), (b, verdicts[kb])])}
    assert got["real event of the coded type"] == (1, 2)
    assert got["no event at all"] == (1, 2)
    assert got["actor right | real event of the right type"] == (1, 1)
    assert got["recipient right | real event of the right type"] == (0, 1)
    assert got["real asserted event | flagged factual"] == (1, 2)


def test_parse_judgment_and_record_merge_by_key(tmp_path: Path) -> None:
    v = audit.parse_judgment("k1;T;SUPPORT;1;1;future;wrong-type;thanks; not agreement", "me", "2026-01-01")
    assert v["event"] and v["type_ok"] is False and v["gold_type"] == "SUPPORT"
    assert v["status_ok"] is False and v["gold_status"] == "future" and v["note"] == "thanks; not agreement"
    none = audit.parse_judgment("k2;F;;;;;business;", "me", "2026-01-01")
    assert none["event"] is False and none["type_ok"] is None and none["actor_ok"] is None
    path = tmp_path / "v.jsonl"
    assert audit.record(["k1;F;;;;;;", "k2;F;;;;;;"], path, "me", "d") == 2
    audit.record(["k1;T;ok;1;1;ok;;"], path, "me", "d")
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["key"] for r in rows] == ["k1", "k2"] and rows[0]["event"] is True


@pytest.mark.parametrize(
    "line",
    [
        "k1;T;T;T;F;T;recipient-missing;",  # T/F where ok / a type, 1/0 and ok / a status belong
        "k1;T;ok;yes;0;ok;;",
        "k1;T;ASSAULTS;1;0;ok;;",
        "k1;T;ok;1;0;maybe;;",
        "k1;F;ok;;;;;",  # no event: nothing else to judge
        "k1;X;;;;;;",
        "k1;T;ok;1",  # too few fields
    ],
)
def test_a_malformed_judgment_is_refused_and_nothing_is_recorded(tmp_path: Path, line: str) -> None:
    path = tmp_path / "v.jsonl"
    audit.record(["k0;F;;;;;;"], path, "me", "d")
    before = path.read_bytes()
    with pytest.raises(ValueError):
        audit.record(["k2;T;ok;1;1;ok;;", line], path, "me", "d")
    assert path.read_bytes() == before  # the good line before it is not written either
