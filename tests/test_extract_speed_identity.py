"""The shortcuts that make extraction cheaper give exactly what spaCy and the plain code give.

Per-document token tables (``deptree.token_table``) stand in for ``Token`` attributes, memoized pure
functions (date regexes, date resolution, gazetteer look-ups, attribution frames) stand in for recomputation,
and the C YAML loader stands in for the Python one: each is checked here against the slow path on real
parses (the gold sentences and the seed article), and extraction must not depend on the order in which
documents are seen (single-document caches).
"""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from pathlib import Path

import pytest
import yaml

from brinkwatch.coder import dates
from brinkwatch.coder import syntax as deptree
from brinkwatch.coder.extract import extract_doc
from brinkwatch.core.settings import Settings
from brinkwatch.lexicon import gazetteer, loader

SETTINGS = Settings()
PUB = "2025-10-10"


@pytest.fixture(scope="module")
def docs(nlp, gold_dir: Path, news_article: Path) -> list:  # type: ignore[no-untyped-def]
    texts = []
    for name in ("plover_gsr_dev.jsonl", "petrarch2_gsr_afp.jsonl"):
        lines = (gold_dir / name).read_text(encoding="utf-8").splitlines()
        sents = [json.loads(line)["text"] for line in lines if line.strip()]
        texts.extend(" ".join(sents[k : k + 6]) for k in range(0, len(sents), 6))
    texts.append(news_article.read_text(encoding="utf-8"))
    texts += ["", "  \n ", "Hi", "#a #b #c", "1 2 3 4 5"]
    return list(nlp.pipe(texts))


def _descendants(kids: list[list[int]], i: int) -> set[int]:
    out, stack = set(), [i]
    while stack:
        j = stack.pop()
        out.add(j)
        stack.extend(kids[j])
    return out


def test_token_table_is_what_the_tokens_say(docs) -> None:  # type: ignore[no-untyped-def]
    for doc in docs:
        table = deptree.token_table(doc)
        assert table.size == len(doc) and table.text == doc.text
        for tok in doc:
            i = tok.i
            assert table.heads[i] == tok.head.i
            assert (table.pos[i], table.dep[i], table.lower[i]) == (tok.pos_, tok.dep_, tok.lower_)
            assert table.lemma[i] == tok.lemma_.lower() and table.orth[i] == tok.text
            assert table.kids[i] == [c.i for c in tok.children]
            assert _descendants(table.kids, i) == {t.i for t in tok.subtree}


def test_token_table_follows_the_document(nlp) -> None:  # type: ignore[no-untyped-def]
    a, b = nlp("Russia attacked Ukraine."), nlp("NATO held talks in Vienna on Tuesday.")
    assert deptree.token_table(a).lower[0] == "russia"
    assert deptree.token_table(b).lower[0] == "nato"  # another document: rebuilt, not reused
    assert deptree.token_table(a).lower[0] == "russia"
    unparsed = nlp.make_doc("Hello there")
    assert deptree.token_table(unparsed).heads == [0, 1]


def test_tree_distance_matches_a_walk_on_tokens(docs) -> None:  # type: ignore[no-untyped-def]
    def slow(a, b, limit: int) -> int:  # type: ignore[no-untyped-def]
        depth, tok, steps = {}, b, 0
        while steps < limit:
            depth[tok.i] = steps
            if tok.head.i == tok.i:
                break
            tok, steps = tok.head, steps + 1
        tok, steps = a, 0
        while steps < limit:
            if tok.i in depth:
                return steps + depth[tok.i]
            if tok.head.i == tok.i:
                break
            tok, steps = tok.head, steps + 1
        return 2 * limit

    doc = docs[-6]  # the seed
    for sent in list(doc.sents)[:12]:
        for a in sent:
            for b in list(sent)[::3]:
                for limit in (2, 80):
                    assert deptree.tree_distance(a, b, limit) == slow(a, b, limit)


def test_extraction_does_not_depend_on_document_order(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "Estonia said Russian jets violated its airspace on Friday, according to Reuters.",
        "NATO officials held talks in Brussels last week and agreed to deploy more jets to Poland.",
    ]

    def run(order: list[int]) -> list[str]:
        docs = [nlp(texts[i]) for i in order]
        return [
            json.dumps(
                [
                    [dataclasses.asdict(x) for x in part]
                    for part in extract_doc(d, doc_id="d", published=PUB, settings=SETTINGS)
                ]
            )
            for d in docs
        ]

    alone = [run([0])[0], run([1])[0]]
    assert run([0, 1, 0, 1]) == [alone[0], alone[1], alone[0], alone[1]]
    # the same document object twice, another one in between (single-document caches swap atomically)
    a, b = nlp(texts[0]), nlp(texts[1])
    first = extract_doc(a, doc_id="d", published=PUB, settings=SETTINGS)
    extract_doc(b, doc_id="d", published=PUB, settings=SETTINGS)
    assert extract_doc(a, doc_id="d", published=PUB, settings=SETTINGS) == first
    assert any(e.attribution for e in first[1]) and any(e.date for e in first[1])


def test_events_of_one_sentence_do_not_share_attribution_links(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Reuters reported that Russia attacked Kyiv and threatened Poland.")
    events = extract_doc(doc, doc_id="d", published="2025-10-10", settings=SETTINGS)[1]
    chained = [e for e in events if e.attribution]
    assert len(chained) >= 2
    chained[0].attribution[0].text = "changed"
    assert all(link.text != "changed" for e in chained[1:] for link in e.attribution)


def test_memoized_date_regexes_and_resolution(docs) -> None:  # type: ignore[no-untyped-def]
    pat = dates.patterns()
    for doc in docs:
        for sent in doc.sents:
            text = sent.text
            slow = [
                (m.start(), m.end())
                for rx in pat.candidates
                for m in rx.finditer(text)
                if m.group(0).strip().lower().rstrip(".") not in dates._AMBIGUOUS_MONTHS
            ]
            assert list(dates._regex_matches(text)) == slow
    exprs = ["on Thursday", "last week", "September 19", "in 2024", "three weeks ago", "2025-09-19", "soon"]
    for published in ("2025-10-10", "2024-02-29", None):
        fresh = [dates.DateResolver(published).resolve_text(x) for x in exprs]
        again = [dates.DateResolver(published).resolve_text(x) for x in exprs]  # from the memo
        assert fresh == again
    assert dates.DateResolver("2025-10-10").resolve_text("last week") == ("2025-09-29", "week")
    assert dates.DateResolver(None).resolve_text("last week") is None


def test_gazetteer_find_equals_trying_every_length(docs) -> None:  # type: ignore[no-untyped-def]
    gaz = gazetteer.gazetteer()

    def slow(words: list[str]) -> list[tuple[int, int, str]]:
        out, lowered, i, n = [], [w.lower() for w in words], 0, len(words)
        while i < n:
            hit = None
            if words[i][:1].isupper():
                for size in range(min(gaz.max_len, n - i), 0, -1):
                    place = gaz.names.get(tuple(lowered[i : i + size]))
                    if place is not None and gazetteer._capitalised(words[i : i + size]):
                        hit = (i, i + size, place.name)
                        break
            if hit is not None:
                out.append(hit)
                i = hit[1]
            else:
                i += 1
        return out

    for doc in docs:
        words = [t.text for t in doc]
        assert [(m.start, m.end, m.place.name) for m in gaz.find(words)] == slow(words)
    assert [m.place.name for m in gaz.find(["in", "New", "York", "and", "Kyiv"])] == ["New York", "Kyiv"]


def test_c_yaml_loader_reads_every_data_file_alike() -> None:
    root = resources.files("brinkwatch").joinpath("data")
    files = [p for p in Path(str(root)).rglob("*.yaml")]
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, slow = yaml.load(text, Loader=loader._YAML_LOADER), yaml.safe_load(text)
        assert fast == slow and json.dumps(fast, default=str) == json.dumps(slow, default=str), path


def test_cameo_patterns_tried_by_their_words_match_as_trying_all(docs, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The block index (a pattern is tried only when a head form of its first slot is in the scene) and the
    verb scan over the token table give what trying every pattern of every verb token gives."""
    from brinkwatch.coder import cameo

    def run() -> list:  # type: ignore[type-arg]
        out = []
        for d in docs:
            out.append(cameo.match(d, all_matches=True, with_unmapped=True))
            out.append(cameo.match(d))
            out.extend(cameo.match(s) for s in list(d.sents)[:4])
        return out

    fast = run()
    assert sum(len(x) for x in fast) > 200  # the documents have verbs the dictionary knows

    def every_verb(doc, m=None, *, all_matches=False, with_unmapped=False):  # type: ignore[no-untyped-def]
        m = m or cameo.model()
        return [
            c
            for t in doc
            if t.pos_ in cameo.VERB_POS and (t.lemma_.lower() in m.verbs or t.lower_ in m.verbs)
            for c in cameo.match_token(t, m, all_matches=all_matches, with_unmapped=with_unmapped)
        ]

    monkeypatch.setattr(cameo, "_patterns_seen", lambda m, block, scene: list(m.blocks[block]))
    monkeypatch.setattr(cameo, "match", every_verb)
    assert run() == fast


def test_model_rows_code_features_as_the_vocabulary_does() -> None:
    from brinkwatch.coder import eventness

    m = eventness.model()
    assert m is not None
    f = {"lemma": "attack", "rule_type": "ASSAULT", "strength": 0.7, "n_words": 12, "dep": None, "pos": "VERB"}
    f["prep"] = "no such preposition"
    want = [float(m.vocab.code(n, f.get(n))) if n in eventness.CATEGORICAL else float(f.get(n) or 0) for n in m.names]
    got = m.row(f)
    assert got == want and any(v not in (0.0,) for v in got)
    assert got[m.names.index("prep")] == 0.0  # an unseen value codes as unknown


def test_remembered_modality_and_sentence_features_are_the_fresh_ones(docs) -> None:  # type: ignore[no-untyped-def]
    from brinkwatch.coder import eventness, modality

    seen = 0
    for d in docs[:12]:
        for t in d:
            if t.pos_ in ("VERB", "NOUN"):
                first = modality.assess(t)
                assert modality.assess(t) is first and first == modality._assess(t)
                seen += 1
        for s in d.sents:
            got = eventness.sentence_features(s)
            ents = eventness.sentence_entities(s)
            assert got["question"] == int(s.text.rstrip().endswith("?"))
            assert got["quoted"] == int('"' in s.text or "“" in s.text)
            assert got["n_words"] == len([w for w in s if not w.is_punct])
            assert got["business"] == sum(1 for lab in ents if lab in eventness.BUSINESS_ENTS)
            assert all(got[f"ents_{lab}"] == ents.count(lab) for lab in eventness.ENT_LABELS)
    assert seen > 500
