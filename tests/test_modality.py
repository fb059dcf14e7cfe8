"""Status and factuality of events (modality.assess) on crafted sentences and the seed's own sentences."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from spacy.language import Language
from spacy.tokens import Token

from brinkwatch.coder.modality import STATUS_ORDER, Modality, assess, lexicon
from brinkwatch.core.errors import DataError
from brinkwatch.core.ontology import STATUSES


def _tok(nlp: Language, sentence: str, word: str, nth: int = 0) -> Token:
    doc = nlp(sentence)
    hits = [t for t in doc if t.text == word]
    assert len(hits) > nth, f"{word!r} not in {[t.text for t in doc]}"
    return hits[nth]


def status(nlp: Language, sentence: str, word: str, nth: int = 0) -> str:
    return assess(_tok(nlp, sentence, word, nth)).status


# ------------------------------------------------------------------------------ one case per status

CASES = [
    ("Russian troops attacked the village on Monday.", "attacked", "asserted"),
    ("Russia did not attack the village.", "attack", "negated"),
    ("Russia never attacked the village.", "attacked", "negated"),
    ("Russia didn't attack the village.", "attack", "negated"),
    ("No attack took place.", "attack", "negated"),
    ("Russian jets nearly collided with a NATO plane.", "collided", "negated"),
    ("Russia failed to reach an agreement.", "reach", "negated"),
    ("Russia cancelled the planned exercises.", "exercises", "negated"),
    ("The exercises were postponed.", "exercises", "negated"),
    ("The exercises have been postponed until May.", "exercises", "negated"),
    ("The fighting has killed dozens of civilians.", "fighting", "asserted"),  # the killer, not the killed
    ("The strikes have worried investors.", "strikes", "asserted"),  # a perfect tense, not a participle
    ("Moscow denied that its jets entered Estonian airspace.", "entered", "denied"),
    ("Moscow rejected claims that its jets entered Estonian airspace.", "entered", "denied"),
    ("Estonia and Poland accused Russian aircraft of entering its airspace.", "entering", "alleged"),
    ("Kyiv claimed that Russia shelled the city.", "shelled", "alleged"),
    ("Russia allegedly shelled the city.", "shelled", "alleged"),
    ("Officials said the alleged incursion lasted twelve minutes.", "incursion", "alleged"),
    ("Russia may attack the village.", "attack", "speculated"),
    ("Analysts suspect that Russia sabotaged the cable.", "sabotaged", "speculated"),
    ("Russia possibly sabotaged the cable.", "sabotaged", "speculated"),
    ("NATO is considering allowing its pilots to fire on Russian aircraft.", "fire", "considered"),
    ("Several NATO member states are discussing a stricter response to Russia.", "response", "considered"),
    ("The EU proposed imposing new sanctions on Russia.", "imposing", "considered"),
    ("Russia will hold exercises next week.", "hold", "future"),
    ("Russia will hold exercises next week.", "exercises", "future"),
    ("Belarus plans to host joint drills in May.", "host", "future"),
    ("If NATO shoots down a jet, Russia will retaliate.", "shoots", "hypothetical"),
    ("If NATO shoots down a jet, Russia will retaliate.", "retaliate", "hypothetical"),
    ("Unless talks resume, the army would strike the city.", "resume", "hypothetical"),
    ("Russia threatened to cut gas supplies.", "cut", "hypothetical"),
    ("Ukraine said Russian forces shelled Kharkiv.", "shelled", "asserted"),
    ("Russian jets violated Estonian airspace, Estonia claimed.", "violated", "alleged"),
    ("Russia is believed to have fired the missile.", "fired", "speculated"),
    ("Russia denied reports that its drones crashed in Poland.", "crashed", "denied"),
    ("Poland denied the accusations.", "accusations", "asserted"),
    ("Russia refused to withdraw.", "withdraw", "negated"),
    ("Russia refused to withdraw.", "refused", "asserted"),
    ("Russia has not ruled out a military response.", "response", "speculated"),
    ("Moscow ruled out talks with Kyiv.", "talks", "negated"),
    ("The talks are scheduled for Monday.", "talks", "future"),
    ("Russia could face new sanctions.", "sanctions", "speculated"),
    ("Troops were put on alert in case the talks collapse.", "collapse", "hypothetical"),
    ("Russia intends to annex the region.", "annex", "future"),
    ("The army is to withdraw by Friday.", "withdraw", "future"),
    ("NATO must respond.", "respond", "considered"),
    ("Estonia charged the man with spying for Russia.", "spying", "alleged"),
    ("Poland suspects Russia of sabotage.", "sabotage", "speculated"),
    ("Russia reportedly moved troops to the border.", "moved", "alleged"),
    ("Officials mulled a naval blockade.", "blockade", "considered"),
]


@pytest.mark.parametrize(("sentence", "word", "expected"), CASES)
def test_status_cases(nlp: Language, sentence: str, word: str, expected: str) -> None:
    got = assess(_tok(nlp, sentence, word))
    assert got.status == expected, (sentence, word, got)
    assert got.status in STATUSES
    assert -3.0 <= got.factuality <= 3.0
    if expected != "asserted":
        assert got.cues, "a non-asserted status names the words that decided it"


def test_governing_cue_word_is_itself_asserted(nlp: Language) -> None:
    assert status(nlp, "Moscow denied that its jets entered Estonian airspace.", "denied") == "asserted"
    assert status(nlp, "NATO is considering allowing its pilots to fire.", "considering") == "asserted"
    assert status(nlp, "Estonia and Poland accused Russian aircraft of entering its airspace.", "accused") == (
        "asserted"
    )
    # unless it is itself modalized
    assert status(nlp, "Moscow may deny that its jets entered Estonian airspace.", "deny") == "speculated"


def test_factuality_follows_the_status(nlp: Language) -> None:
    lex = lexicon()
    asserted = assess(_tok(nlp, "Russian troops attacked the village.", "attacked"))
    negated = assess(_tok(nlp, "Russia did not attack the village.", "attack"))
    denied = assess(_tok(nlp, "Moscow denied that its jets entered Estonian airspace.", "entered"))
    considered = assess(_tok(nlp, "NATO is considering allowing its pilots to fire.", "fire"))
    assert asserted == Modality("asserted", lex.factuality["asserted"], ())
    assert negated.factuality == -3.0 and negated.cues == ("not",)
    assert denied.factuality <= -2.0 and "denied" in denied.cues
    assert -2.0 < considered.factuality < 2.0
    assert asserted.factuality > considered.factuality > negated.factuality


def test_not_only_is_not_negation(nlp: Language) -> None:
    s = (
        'Russia has responded with practical actions, not only conducting the "Western 2025" joint strategic '
        "military exercise with Belarus, but also dispatching Tu-160 strategic bombers to cruise and deter them."
    )
    assert status(nlp, s, "conducting") == "asserted"
    assert status(nlp, s, "exercise") == "asserted"
    assert status(nlp, s, "dispatching") == "asserted"


# ------------------------------------------------------------------------------ the seed's sentences


def test_seed_considered_measures(nlp: Language) -> None:
    s1 = (
        "According to a source quoted by the Financial Times on Thursday, NATO is considering allowing its pilots "
        "to fire on unauthorized Russian military aircraft,And significantly enhance its military presence on the "
        "Russian border."
    )
    assert status(nlp, s1, "fire") == "considered"
    assert status(nlp, s1, "enhance") == "considered"
    assert status(nlp, s1, "considering") == "asserted"
    s6 = (
        "It was that the discussions included: weapons with drones for current surveillance missions by the "
        "Russian military, lowering the threshold for NATO fighter pilots to open fire against potential threats, "
        "and considering military exercises directly along the Russian border."
    )
    assert status(nlp, s6, "lowering") == "considered"
    assert status(nlp, s6, "open") == "considered"
    assert status(nlp, s6, "weapons") == "considered"
    assert status(nlp, s6, "exercises") == "considered"


def test_seed_claims_and_denial(nlp: Language) -> None:
    s = (
        "Several Western countries have repeatedly claimed that Russia has repeatedly violated EU airspace, which "
        "Moscow has denied last month, when Estonia and Poland accused Russian aircraft of entering its airspace "
        "illegally."
    )
    violated = assess(_tok(nlp, s, "violated"))
    assert violated.status == "denied" and "denied" in violated.cues
    assert status(nlp, s, "claimed") == "asserted"
    assert status(nlp, s, "denied") == "asserted"
    assert status(nlp, s, "accused") == "asserted"
    assert status(nlp, s, "entering") == "alleged"


def test_seed_speculation(nlp: Language) -> None:
    s = (
        "Western media also speculated that drone interference incidents in many European Union countries may be "
        "related to Russia."
    )
    assert status(nlp, s, "interference") == "speculated"
    assert status(nlp, s, "related") == "speculated"
    assert status(nlp, s, "speculated") == "asserted"


def test_seed_accusation_content(nlp: Language) -> None:
    s = (
        "Russia has repeatedly accused NATO of heightening tensions along its borders by expanding its military "
        "deployments and exercises."
    )
    assert status(nlp, s, "accused") == "asserted"
    assert status(nlp, s, "heightening") == "alleged"
    assert status(nlp, s, "deployments") == "alleged"


def test_seed_warning_and_future(nlp: Language) -> None:
    s = (
        "The Russian Foreign Ministry warned that NATO's measures such as lowering the firing threshold are "
        '"playing with fire" and will greatly increase the risk of misjudgment.'
    )
    assert status(nlp, s, "warned") == "asserted"
    assert status(nlp, s, "increase") == "future"
    assert status(nlp, "Moscow said the West had never provided any evidence.", "provided") == "negated"


# ------------------------------------------------------------------------------ robustness


def test_every_token_of_odd_text_gets_a_valid_status(nlp: Language) -> None:
    texts = [
        "",
        "# Russia # # I want to make headlines # # Military #",
        "NOT NOT NOT never no n't if if unless whether may may",
        "1 2 3 4 | 5 6 7 8 | 9 10 11 12",
        "denied denied denied that that that accused of of of",
    ]
    for text in texts:
        for tok in nlp(text):
            m = assess(tok)
            assert m.status in STATUSES and -3.0 <= m.factuality <= 3.0


def test_long_sentence_is_bounded(nlp: Language) -> None:
    text = " ".join(["Russia said that NATO claimed that"] * 150) + " the jets entered the airspace."
    doc = nlp(text)
    start = time.perf_counter()
    for tok in doc:
        assess(tok)
    assert time.perf_counter() - start < 5.0


# ------------------------------------------------------------------------------ the cue data


def test_cue_data_is_valid() -> None:
    lex = lexicon()
    assert set(lex.factuality) == set(STATUS_ORDER) == set(STATUSES)
    # the scores respect the MEANTIME bands: asserted ≥ 2 > uncertain statuses > −2 ≥ negated/denied
    assert lex.factuality["asserted"] == 3.0 and lex.factuality["negated"] == -3.0
    assert lex.factuality["denied"] <= -2.0
    for s in ("speculated", "considered", "hypothetical"):
        assert -2.0 < lex.factuality[s] < 2.0, s
    assert lex.rank["negated"] > lex.rank["denied"] > lex.rank["alleged"] > lex.rank["asserted"]
    # the words the issue names are there
    for word in ("claim", "allege", "accuse", "deny", "speculate", "suspect", "consider", "discuss", "weigh"):
        assert word in lex.governors, word
    for word in ("may", "might", "could", "will", "would"):
        assert word in lex.modals, word
    assert {"not", "n't", "never"} <= lex.neg_words and "only" in lex.not_before
    assert {"if", "unless"} <= set(lex.markers)
    assert "say" in lex.transparent and "say" not in lex.governors


def _rewrite_cues(root: Path, path: tuple[Any, ...], value: object) -> None:
    file = root / "modality" / "cues.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (("factuality", "asserted"), 9.0, r"factuality\.asserted"),
        (("rank",), ["asserted"], r"rank: every status"),
        (("modals", "may"), ["unsure"], r"modals\.may"),
        (("governors", 0, "via"), ["sideways"], r"governors\.0\.via"),
        (("governors", 0, "status"), "perhaps", r"governors\.0\.status"),
        (("negation", "words"), "not", r"negation\.words"),
        (("negation", "words"), ["not", False], r"negation\.words\.1.*quote"),
        (("negation", "nowords"), ["nein"], r"negation\.nowords.*[Ee]xtra"),
        (("hedges",), ["sort of"], r"hedges.*[Ee]xtra"),
    ],
)
def test_bad_cue_data_is_refused(data_copy: Path, path: tuple[Any, ...], value: object, where: str) -> None:
    _rewrite_cues(data_copy, path, value)
    with pytest.raises(DataError, match=r"data/modality/cues\.yaml: .*" + where):
        lexicon()


def test_duplicate_governor_is_refused(data_copy: Path) -> None:
    file = data_copy / "modality" / "cues.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["governors"][1]["lemmas"].append(data["governors"][0]["lemmas"][0])
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataError, match="listed twice"):
        lexicon()


def test_a_request_s_content_hung_as_an_adverbial_clause_is_considered(nlp) -> None:  # type: ignore[no-untyped-def]
    """The parser attaches "to be expelled" to "called for" as an adverbial clause; it is what was called for,
    not a purpose sharing the call's status — while a purpose of a plain act keeps the act's status (measured:
    reading purposes as considered turned three of four audited ones wrong, "gathered to denounce", "provided
    vessels to block trade", and a shootdown a panel was set up to investigate)."""
    doc = nlp("The government called for the rebels to be expelled from the talks.")
    expelled = next(t for t in doc if t.text == "expelled")
    assert expelled.dep_ == "advcl" and assess(expelled).status == "considered"
    doc = nlp("NATO sent troops to the border to deter Russia.")
    deter = next(t for t in doc if t.text == "deter")
    assert assess(deter).status == "asserted"


def test_in_after_a_verb_is_where_or_why_not_what_was_called_off(nlp) -> None:  # type: ignore[no-untyped-def]
    """ "kill" and "delay" call events off through their object ("the senate killed the talks") and, as nouns,
    through "in" ("a delay in delivery"); "were killed in the bombing" says why, and the bombing happened."""

    def status(text: str, word: str) -> str:
        return assess(next(t for t in nlp(text) if t.text == word)).status

    assert status("Twelve Americans were killed in the embassy bombing.", "bombing") == "asserted"
    assert status("The deal was delayed in the talks.", "talks") == "asserted"
    assert status("The senate killed the talks.", "talks") == "negated"
    assert status("There was a delay in delivery of the aid.", "delivery") == "negated"
