"""Actors beyond the words of their own span (made-up sentences, real model): the Phoenix dictionaries resolved on
the article's date, pronouns, collectives, quotes, bare roles across sentences, appositions, patrons, places,
unknown names — and ``Party.resolved_from`` on every inferred party."""

from __future__ import annotations

import itertools

import spacy
from spacy.tokens import Doc, Span

from brinkwatch.coder.actors import ActorCoder
from brinkwatch.coder.phoenix import ENT_PREFIX, RULER_NAME
from brinkwatch.core.records import Party


def _span(doc: Doc, text: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(text, start + 1)
    span = doc.char_span(start, start + len(text), alignment_mode="expand")
    assert span is not None
    return span


def _party(nlp: spacy.language.Language, text: str, part: str, published: str | None = "2025-10-10", nth: int = 0):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    return ActorCoder(doc, published).party(_span(doc, part, nth))


def _code(party: Party | None) -> tuple[str, str | None] | None:
    return (party.country, party.sector) if party is not None else None


# ------------------------------------------------------------------------------------------ the dictionaries


def test_the_dictionary_ruler_runs_after_the_ner(nlp: spacy.language.Language) -> None:
    assert nlp.pipe_names.index(RULER_NAME) > nlp.pipe_names.index("ner")
    doc = nlp("ANSF soldiers attacked a post near the village.")  # a name only the dictionaries know
    assert any(e.ent_id_.startswith(ENT_PREFIX) for e in doc.ents)
    assert _code(ActorCoder(doc).party(_span(doc, "ANSF soldiers")))[0] == "AFG"  # type: ignore[index]


def test_office_holders_are_resolved_on_the_article_date(nlp: spacy.language.Language) -> None:
    text = "Barack Obama criticized Russia."
    assert _code(_party(nlp, text, "Barack Obama", "2012-06-01")) == ("USA", "GOV")
    assert _code(_party(nlp, text, "Barack Obama", "2019-06-01")) == ("USA", "ELI")


def test_a_group_in_power_is_the_government_of_its_day(nlp: spacy.language.Language) -> None:
    text = "The Taliban attacked the town."
    assert _code(_party(nlp, text, "The Taliban", "2015-01-01")) == ("AFG", "REB")
    assert _code(_party(nlp, text, "The Taliban", "2022-06-01")) == ("AFG", "GOV")
    # and a force of the state that went to war with its army is a rebel force from that day
    text = "The Rapid Support Forces attacked El Fasher."
    assert _code(_party(nlp, text, "Rapid Support Forces", "2019-06-01")) == ("SDN", "MIL")
    assert _code(_party(nlp, text, "Rapid Support Forces", "2025-10-27")) == ("SDN", "REB")


def test_a_bare_surname_is_the_office_holder_of_the_day(nlp: spacy.language.Language) -> None:
    text = "Kuchma criticized Russia on Monday."
    assert _code(_party(nlp, text, "Kuchma", "2000-06-01")) == ("UKR", "GOV")
    assert _code(_party(nlp, text, "Kuchma", "2020-06-01")) == ("UNK", None)  # no office that day: not guessed
    assert _code(_party(nlp, text, "Kuchma", None)) == ("UNK", None)  # no date: not guessed


def test_a_later_surname_is_the_person_named_before(nlp: spacy.language.Language) -> None:
    party = _party(nlp, "Leonid Kuchma arrived in Warsaw. Kuchma criticized Russia.", "Kuchma", nth=1)
    assert party is not None and party.country == "UKR" and party.resolved_from == "Leonid Kuchma"


def test_a_person_introduced_by_an_apposition_is_that_party_by_surname(nlp: spacy.language.Language) -> None:
    # neither name is in the dictionaries: the apposition is what codes them, and it carries to the surname
    for text in (
        "Pakistan's interior minister, Rehman Malik, condemned the attack. Malik accused India.",
        "Rehman Malik, Pakistan's interior minister, condemned the attack. Later, Malik accused India.",
    ):
        party = _party(nlp, text, "Malik", nth=1)
        assert party is not None and (party.country, party.resolved_from) == ("PAK", "Rehman Malik"), text
    # a person the dictionaries know, named again by a surname the NER takes for a place
    party = _party(nlp, "Attorney General Janet Reno met them. Castro thanked Reno.", "Reno", "2000-01-01", nth=1)
    assert party is not None and (party.country, party.resolved_from) == ("USA", "Janet Reno")
    # without an apposition the name stays unknown; a name modifying a noun is not the person
    assert _code(_party(nlp, "Rehman Malik arrived in Lahore. Malik accused India.", "Malik", nth=1)) == ("UNK", None)
    doc = nlp("Mikhail Dukhanin, Russia's chief designer, spoke. Dukhanin praised the rifle. The Dukhanin rifle sold.")
    coder = ActorCoder(doc, "2025-10-10")
    assert coder.mention_kind(_span(doc, "Dukhanin", 1)[0]) == "person"
    assert coder.mention_kind(_span(doc, "Dukhanin", 2)[0]) is None


def test_an_acronym_the_article_defines_is_the_party_it_names(nlp: spacy.language.Language) -> None:
    text = "Sudan's paramilitary Rapid Support Forces (RSF) took El Fasher. The RSF killed dozens of civilians."
    party = _party(nlp, text, "RSF", nth=1)  # the dictionaries also know RSF as Reporters Without Borders
    assert party is not None and party.country == "SDN" and party.resolved_from == "Rapid Support Forces"
    text = "Reporters Without Borders (RSF) condemned the arrest. RSF urged Iran to free him."
    assert _code(_party(nlp, text, "RSF", nth=1)) == ("RSF", "JRN")
    # initials that do not spell it define nothing: the acronym keeps its own coding
    text = "Sudan's Rapid Support Forces (SAF) took El Fasher. The SAF killed dozens of civilians."
    party = _party(nlp, text, "SAF", nth=1)
    assert party is None or party.resolved_from != "Rapid Support Forces"


def test_hostile_parentheses_and_repeated_names_keep_the_mentions_sound(nlp: spacy.language.Language) -> None:
    for text in (
        "(",
        "(RSF)",
        "Rapid Support Forces (",
        "( ) ( ( ) )",
        "Rapid Support Forces (RSF",
        "RSF) (RSF",
        "<script>alert(1)</script> (XSS) Rapid Support Forces (<b>RSF</b>)",
        "Rapid Support Forces (RSF) " * 200,
        "Mikhail Dukhanin, Russia's chief designer, spoke. " + "Dukhanin " * 500,
    ):
        doc = nlp(text)
        coder = ActorCoder(doc, "2025-10-10")
        spans = [(m.start, m.end) for m in coder.mentions]
        assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), text[:40]
        assert all(0 <= s < e <= len(doc) for s, e in spans)
    doc = nlp("Rapid Support Forces (RSF) " * 200)
    coder = ActorCoder(doc, "2025-10-10")
    assert {coder._at[t.i].code for t in doc if t.text == "RSF"} == {"SDN"}


# ------------------------------------------------------------------------------------------ across sentences


def test_a_pronoun_is_its_antecedent(nlp: spacy.language.Language) -> None:
    party = _party(nlp, "Vladimir Putin met Emmanuel Macron in Paris. He urged France to act.", "He")
    assert _code(party) == ("RUS", "GOV") and party.resolved_from == "Vladimir Putin"  # type: ignore[union-attr]
    party = _party(nlp, "The Russian foreign ministry summoned the envoy. It said the talks had failed.", "It")
    assert _code(party) == ("RUS", "GOV") and party.text == "It"  # type: ignore[union-attr]


def test_a_pronoun_never_skips_a_nearer_unknown_antecedent(nlp: spacy.language.Language) -> None:
    text = "Vladimir Putin spoke first. Later, the activist Jane Doe met him and she criticized NATO."
    she = _party(nlp, text, "she")  # Jane Doe, whom no dictionary knows: not Putin
    assert she is None or she.country == "UNK"
    assert _code(_party(nlp, text, "him")) == ("RUS", "GOV")


def test_the_two_allies_are_the_two_states_named_before(nlp: spacy.language.Language) -> None:
    doc = nlp("Russia and China held talks on Monday. The two allies agreed to expand trade.")
    parties = ActorCoder(doc).parties(next(t for t in doc if t.text == "allies"))
    assert [p.country for p in parties] == ["RUS", "CHN"]
    assert [p.resolved_from for p in parties] == ["Russia", "China"]


def test_we_in_a_quote_is_its_speaker_even_in_the_next_sentence(nlp: spacy.language.Language) -> None:
    for text in (
        '"We will never negotiate with Hamas," the Israeli prime minister said.',
        '"We will never negotiate with Hamas." The Israeli prime minister said so on Monday.',
    ):
        party = _party(nlp, text, "We")
        assert _code(party) == ("ISR", "GOV") and party.resolved_from == "Israeli prime minister", text  # type: ignore[union-attr]


def test_a_bare_role_takes_the_state_of_the_sentences_before(nlp: spacy.language.Language) -> None:
    text = "The Russian foreign ministry summoned the Polish ambassador. The ministry accused Warsaw of lying."
    party = _party(nlp, text, "The ministry")
    assert _code(party) == ("RUS", "GOV") and party.resolved_from == "Russian foreign ministry"  # type: ignore[union-attr]
    text = "Egypt rejected the plan. Egypt closed a crossing. Talks with Libya and Sudan stalled. Officials said no."
    party = _party(nlp, text, "Officials")
    assert _code(party) == ("EGY", "GOV") and party.resolved_from == "article: Egypt"  # type: ignore[union-attr]
    assert _code(_party(nlp, "Officials said they would not sign it.", "Officials")) == ("UNK", "GOV")
    # the state an "of" phrase gives the subject of the sentence before ("King Hussein of Jordan")
    text = "King Hussein of Jordan flew to Baghdad. The monarch will meet Bush on Thursday."
    party = _party(nlp, text, "The monarch")
    assert _code(party) == ("JOR", "GOV") and party.resolved_from == "Jordan"  # type: ignore[union-attr]


# ------------------------------------------------------------------------------------------ within the span


def test_an_apposition_gives_an_unknown_name_its_role(nlp: spacy.language.Language) -> None:
    doc = nlp("Jane Doe, Hungary's foreign minister, criticized NATO.")
    assert [_code(p) for p in ActorCoder(doc).parties(doc[1])] == [("HUN", "GOV")]


def test_a_patron_is_not_the_party(nlp: spacy.language.Language) -> None:
    assert _code(_party(nlp, "Iranian-backed militias attacked the base.", "Iranian-backed militias")) == ("UNK", "REB")
    assert _code(_party(nlp, "Russia-backed separatists shelled the town.", "Russia-backed separatists")) == (
        "UNK",
        "REB",
    )


def test_unknown_names_are_kept_as_text_with_unk(nlp: spacy.language.Language) -> None:
    party = _party(nlp, "Jane Doe criticized Russia.", "Jane Doe")
    assert party is not None and party.country == "UNK" and party.text == "Jane Doe"


def test_a_generic_head_takes_its_modifiers_sector(nlp: spacy.language.Language) -> None:
    assert _code(_party(nlp, "Afghan rebel leaders met the envoy.", "Afghan rebel leaders")) == ("AFG", "REB")
    assert _code(_party(nlp, "Hamas leaders rejected the plan.", "Hamas leaders")) == ("PSE", "REB")


def test_the_text_title_beats_the_dictionary(nlp: spacy.language.Language) -> None:
    doc = nlp("Afghan rebels said they would meet U.N. mediator Diego Cordovez.")
    head = next(t for t in doc if t.text == "Cordovez")
    assert [p.country for p in ActorCoder(doc, "1990-01-01").parties(head)] == ["UN"]


def test_western_governments_are_the_west(nlp: spacy.language.Language) -> None:
    text = "Several western governments condemned the attack on Kiev."
    assert _code(_party(nlp, text, "Several western governments")) == ("WST", "GOV")


def test_places_are_not_parties(nlp: spacy.language.Language) -> None:
    assert _party(nlp, "Kharkiv was shelled again.", "Kharkiv") is None
    assert _party(nlp, "Israel withdrew from southern Lebanon.", "southern Lebanon") is None
    assert _code(_party(nlp, "Residents of Kharkiv fled.", "Residents of Kharkiv")) == ("UKR", "CVL")
