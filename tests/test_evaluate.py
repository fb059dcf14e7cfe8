"""The scoring behind `brinkwatch eval` (events, CAMEO, factuality) and the `eval` / `factuality` commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from brinkwatch.cli import app
from brinkwatch.core.records import Event, Party
from brinkwatch.dev import evaluate
from brinkwatch.dev.evaluate import (
    GOLD_FILES,
    SEED_FILE,
    cameo_crosswalk,
    classification_report,
    factuality_predictions,
    find_gold_dir,
    find_seed,
    igo_codes,
    label_of,
    pearson,
    read_jsonl,
    report_lines,
    run_eval,
    score_cameo,
    score_events,
    scoring_codes,
)


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _event(etype: str, actors: list[str], recipients: list[str] = []) -> Event:  # noqa: B006
    return Event(
        doc_id="t",
        sentence_index=0,
        sentence="s",
        trigger="x",
        trigger_start=0,
        trigger_end=1,
        event_type=etype,
        actors=[Party(text=c, country=c) for c in actors],
        recipients=[Party(text=c, country=c) for c in recipients],
    )


GOLD = [
    {"id": "a", "text": "A", "event_type": "ASSAULT", "actors": [{"code": "RUS"}], "recipients": [{"code": "UKR"}]},
    {"id": "b", "text": "B", "event_type": "AGREE", "actors": [{"code": "IGO"}], "recipients": []},
    {"id": "c", "text": "C", "event_type": "REJECT", "actors": [{"code": "JAP"}], "recipients": [{"code": "CHN"}]},
    {"id": "d", "text": "D", "event_type": "PROTEST", "actors": [{"actorText": "crowd"}], "recipients": []},
]


def test_score_events_counts_type_and_triple(tmp_path: Path) -> None:
    gold = _write(tmp_path / "g.jsonl", GOLD)
    outputs = {
        "A": [_event("ASSAULT", ["RUS"], ["POL"]), _event("THREATEN", ["RUS"], ["UKR"])],  # type hit, no triple
        "B": [_event("AGREE", ["NATO"])],  # IGO gold code matches any IGO actor
        "C": [_event("REJECT", ["JPN"], ["CHN"])],  # legacy CAMEO code JAP = JPN
        "D": [],
    }
    r = score_events(gold, extract_fn=lambda text: outputs[text])
    assert r["n"] == 4
    assert r["type_recall"] == 0.75
    assert r["triple_recall"] == 0.5
    assert r["events_per_sentence"] == 1.0
    missed = {m["id"]: m for m in r["misses"]}
    assert set(missed) == {"a", "d"}
    assert missed["a"]["type_hit"] is True and missed["a"]["extracted"][0]["recipients"] == ["POL"]
    assert missed["d"]["type_hit"] is False


def test_igo_codes_cover_the_issue_list() -> None:
    codes = igo_codes()
    for code in ("NATO", "EU", "UN", "OSCE", "AU", "ASEAN", "IAEA", "WHO", "IMF", "WB", "ARL", "OPEC", "ICC"):
        assert code in codes
    assert {"UNSC", "ICTY", "G7", "IGO", "ICRC", "AMN"} <= codes  # every organisation of data/actors/igos.yaml
    assert "UKR" not in codes and "IMG" not in codes
    assert "RUS" not in codes and "WST" not in codes


def test_scoring_data_is_valid() -> None:
    data = scoring_codes()  # the model forbids other keys and checks every code's form at load
    assert data.gold_code_aliases["JAP"] == "JPN" and "---" in data.unconstrained_codes
    mapping, source = cameo_crosswalk()
    assert source == "data/events/cameo.yaml" and len(mapping) == 16
    assert all(len(r) == 2 and r.isdigit() and 2 <= int(r) <= 20 for rs in mapping.values() for r in rs)
    assert mapping["ASSAULT"] >= {"18", "19", "20"} and mapping["AGREE"] == {"03"}


def test_score_cameo(tmp_path: Path) -> None:
    gold = _write(
        tmp_path / "p.jsonl",
        [
            {"id": "1", "text": "X", "events": [{"source": "USAGOV", "target": "RUS", "code": "190"}]},
            {"id": "2", "text": "Y", "events": [{"source": "IGOUNO", "target": "---", "code": "040"}]},
            {"id": "3", "text": "Z", "events": [{"source": "USA", "target": "IRQ", "code": "015"}]},
            {"id": "4", "text": "W", "events": [], "noevents": True},
            {"id": "5", "text": "V", "events": [], "evaluate": False},
        ],
    )
    outputs = {
        "X": [_event("ASSAULT", ["USA"], ["RUS"])],
        "Y": [_event("CONSULT", ["UN"], ["SYR"])],
        "Z": [_event("ACCUSE", ["USA"], ["IRQ"])],
        "W": [_event("PROTEST", ["FRA"])],
    }
    r = score_cameo(gold, extract_fn=lambda text: outputs[text])
    assert r["n"] == 4  # "evaluate": false is skipped
    assert r["gold_events"] == 2 and r["unmapped_gold_events"] == 1  # root 01 has no PLOVER type
    assert r["root_recall"] == 1.0 and r["dyad_recall"] == 1.0
    assert r["noevent_sentences"] == 1 and r["noevent_sentences_empty"] == 0


def test_metrics_by_hand() -> None:
    rep = classification_report(
        ["asserted", "asserted", "denied", "uncertain"], ["asserted", "denied", "denied", "asserted"]
    )
    assert rep["classes"]["asserted"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert rep["classes"]["denied"]["precision"] == 0.5 and rep["classes"]["denied"]["recall"] == 1.0
    assert rep["classes"]["uncertain"]["f1"] == 0.0
    assert rep["macro_f1"] == round((0.5 + 2 / 3 + 0.0) / 3, 4)
    assert pearson([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]) == pytest.approx(1.0)
    assert pearson([1.0, 2.0, 3.0], [3.0, 2.0, 1.0]) == pytest.approx(-1.0)
    assert pearson([1.0, 1.0], [1.0, 2.0]) == 0.0
    assert [label_of(v) for v in (3.0, 2.0, 1.99, 0.0, -1.99, -2.0, -3.0)] == [
        "asserted",
        "asserted",
        "uncertain",
        "uncertain",
        "uncertain",
        "denied",
        "denied",
    ]


def test_read_jsonl_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1}\n\n{not json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:3"):
        read_jsonl(path)
    path.write_text('{"id": 1}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r":2: expected a JSON object"):
        read_jsonl(path)


RECORDS = [
    {"id": "r1", "text": "Russia did not attack the town .", "events": [{"token_span": [3, 4]}]},
    {"id": "r2", "text": "NATO may deploy jets .", "events": [{"token_span": [2, 3]}, {"token_span": [0, 1]}]},
    {"id": "r3", "text": "Bad spans here", "events": [{"token_span": [5, 9]}, {"token_span": "x"}, {}]},
    {"id": "r4", "text": "", "events": [{"token_span": [0, 1]}]},
    {"id": "r5", "text": "junk events", "events": "junk"},
    {"id": "r6", "text": 12345, "events": [7, None]},
]


@pytest.mark.parametrize("scorer", ["model", "rules"])
def test_factuality_predictions(nlp: Any, scorer: str) -> None:
    out = list(factuality_predictions(RECORDS, nlp, scorer))
    assert [o["id"] for o in out] == ["r1", "r2", "r3", "r4", "r5", "r6"]
    assert out[4]["events"] == []
    assert [e["error"] for e in out[5]["events"]] == ["bad token_span", "bad token_span"]
    attack = out[0]["events"][0]
    assert attack["token_span"] == [3, 4] and attack["label"] == "denied" and attack["status"] == "negated"
    assert attack["factuality"] == -3.0 if scorer == "rules" else -3.0 <= attack["factuality"] < 0
    deploy, nato = out[1]["events"]
    assert deploy["label"] == "uncertain" and nato["label"] == "asserted"
    assert all(e.get("error") == "bad token_span" and e["label"] is None for e in out[2]["events"] + out[3]["events"])


def test_factuality_predictions_by_the_model_differ_from_the_rules(nlp: Any) -> None:
    model = [e for o in factuality_predictions(RECORDS[:2], nlp) for e in o["events"]]
    rules = [e for o in factuality_predictions(RECORDS[:2], nlp, "rules") for e in o["events"]]
    assert [e["status"] for e in model] == [e["status"] for e in rules]
    assert [e["factuality"] for e in model] != [e["factuality"] for e in rules]
    with pytest.raises(ValueError, match="unknown scorer"):
        list(factuality_predictions(RECORDS, nlp, "oracle"))


def test_factuality_command(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.jsonl", RECORDS[:2])
    result = CliRunner().invoke(app, ["factuality", str(good)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["r1", "r2"]
    assert lines[0]["events"][0]["label"] == "denied"
    assert set(lines[0]["events"][0]) == {"token_span", "factuality", "label", "status"}
    rules = CliRunner().invoke(app, ["factuality", str(good), "--rules"])
    assert json.loads(rules.stdout.splitlines()[0])["events"][0]["factuality"] == -3.0
    bad = _write(tmp_path / "bad.jsonl", RECORDS)
    result = CliRunner().invoke(app, ["factuality", str(bad)])
    assert result.exit_code == 2
    assert "bad token_span" in result.stderr
    result = CliRunner().invoke(app, ["factuality", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 1 and "brinkwatch:" in result.stderr


def test_eval_command_on_a_small_factuality_file(tmp_path: Path) -> None:
    gold = [
        {**RECORDS[0], "events": [{"token_span": [3, 4], "factuality": -3.0, "modality3": "denied"}]},
        {**RECORDS[1], "events": [{"token_span": [2, 3], "factuality": 0.75, "modality3": "uncertain"}]},
    ]
    path = _write(tmp_path / "f.jsonl", gold)
    result = CliRunner().invoke(app, ["eval", "factuality", str(path), "--json"])
    assert result.exit_code == 0, result.output
    fig = json.loads(result.stdout)["factuality"]
    assert fig["n"] == 2 and "misses" not in fig
    assert fig["per_class"]["denied"]["f1"] == 1.0 and fig["per_class"]["uncertain"]["f1"] == 1.0
    assert fig["scorer"] == "model" and fig["in_sample"] is False
    text = CliRunner().invoke(app, ["eval", "factuality", str(path)])
    assert "macro-F1" in text.stdout and "Pearson r" in text.stdout and "always-asserted" in text.stdout
    assert "scored by the model" in text.stdout and "in-sample" not in text.stdout
    rules = CliRunner().invoke(app, ["eval", "factuality", str(path), "--json", "--rules"])
    assert json.loads(rules.stdout)["factuality"]["scorer"] == "rules"
    # the model's training file is flagged: figures there are in-sample
    same_name = _write(tmp_path / "factuality_meantime_dev.jsonl", gold)
    text = CliRunner().invoke(app, ["eval", "factuality", str(same_name)])
    assert "in-sample" in text.stdout


def test_eval_command_usage_errors(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["eval", "nonsense"])
    assert r.exit_code == 1 and "unknown eval target" in r.stderr
    r = CliRunner().invoke(app, ["eval", "events", str(tmp_path / "nope.jsonl")])
    assert r.exit_code == 1 and "no such file" in r.stderr
    with pytest.raises(ValueError):
        run_eval("all", tmp_path / "x.jsonl")


def test_find_gold_dir_prefers_shared_then_the_vendored_copies(tmp_path: Path) -> None:
    (tmp_path / "shared" / "gold").mkdir(parents=True)
    (tmp_path / "shared" / "gold" / "plover_gsr_dev.jsonl").write_text("", encoding="utf-8")
    project = tmp_path / "project"
    (project / "tests" / "data" / "gold").mkdir(parents=True)
    (project / "tests" / "data" / "gold" / "plover_gsr_dev.jsonl").write_text("", encoding="utf-8")
    assert find_gold_dir(project) == tmp_path / "shared" / "gold"
    alone = tmp_path / "alone" / "project"  # a fresh clone with no ../shared: the vendored copies
    (alone / "tests" / "data" / "gold").mkdir(parents=True)
    (alone / "tests" / "data" / "gold" / "factuality_meantime_dev.jsonl").write_text("", encoding="utf-8")
    assert find_gold_dir(alone) == alone / "tests" / "data" / "gold"


def test_this_checkout_finds_its_gold(gold_dir: Path) -> None:
    shared_gold = gold_dir.parents[2].parent / "shared" / "gold"
    assert find_gold_dir(gold_dir.parents[2]) == (shared_gold if shared_gold.is_dir() else gold_dir)


def test_find_seed_beside_the_gold(tmp_path: Path) -> None:
    (tmp_path / "shared" / "gold").mkdir(parents=True)
    (tmp_path / "shared" / "seed").mkdir(parents=True)
    seed = tmp_path / "shared" / "seed" / SEED_FILE
    seed.write_text("NATO met in Brussels.", encoding="utf-8")
    assert find_seed(tmp_path / "shared" / "gold") == seed


def test_eval_all_without_the_seed_scores_the_gold_and_says_so(
    tmp_path: Path, gold_dir: Path, nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh clone has the vendored gold but no seed: `eval all` scores the three sets, reports the seed skipped."""
    small = tmp_path / "tests" / "data" / "gold"
    small.mkdir(parents=True)
    for name in GOLD_FILES.values():
        first = (gold_dir / name).read_text(encoding="utf-8").splitlines()[0]
        (small / name).write_text(first + "\n", encoding="utf-8")
    monkeypatch.setattr(evaluate, "find_seed", lambda *a, **k: None)
    results = run_eval("all", nlp=nlp, gold_dir=small)
    assert list(results) == ["events", "cameo", "factuality", "seed"]
    assert results["events"]["n"] == 1 and results["cameo"]["n"] == 1 and results["factuality"]["n"] >= 1
    assert "no seed article found" in results["seed"]["skipped"]
    assert any(line.startswith("  skipped: no seed article") for line in report_lines(results))
    with pytest.raises(FileNotFoundError, match="no seed article found"):
        run_eval("seed", nlp=nlp, gold_dir=small)
