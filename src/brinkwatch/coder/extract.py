"""Extraction: a parsed document → PLOVER events with status, attribution, date, place, evidence.

Per sentence (sentences over ``settings.max_sentence_tokens`` tokens, number tables, verbless fragments
and hashtag lines are not coded):

1. triggers (:mod:`brinkwatch.coder.triggers`): tokens whose lemma is in the event lexicon, verbs and nouns;
   a noun governed by a light verb ("held talks", "conducted an exercise") carries the event and borrows
   the verb's subject; a noun that is an argument of a verb trigger is part of that event;
2. complements: "agreed to cooperate", "demanded that …", "threatened to …" are one event (the content is
   what the event is about); the content of a claim ("accused X of …", "denied that …", "claimed that …")
   is its own event whose ``parent_event`` is the claim's event; "X said Y attacked it" adds an ACCUSE by X
   and "X said Y must …" a REQUEST by X;
3. arguments (:mod:`brinkwatch.coder.arguments`) from the dependency tree: actor = subject, passive agent,
   controller of an infinitive; recipient = object, passive subject, object of against/on/with/to/at/…;
   coded by ActorCoder; then the PLOVER coding rules: future or promised cooperation is AGREE, refused or
   negated cooperation is REJECT, a future material-conflict act is a THREATEN;
4. status (:mod:`~brinkwatch.coder.modality`), attribution (:mod:`~brinkwatch.coder.attribution`), date
   (:mod:`~brinkwatch.coder.dates`) and place (:mod:`~brinkwatch.coder.places`) of each event.

This module only walks the document, runs the stages and builds the :class:`~brinkwatch.core.records.Event`
records. Expected conditions (no date, no place, no party) are values, not errors; an exception inside a stage
is a bug and becomes :class:`~brinkwatch.core.errors.StageError` naming the stage and the field, raised once
at the stage's call here: the pipeline records the article as failed with that message.

``confidence`` = the learned event model's probability that the candidate is a political event
(:mod:`~brinkwatch.coder.eventness`); without a shipped model, lexicon strength × (0.5 + 0.25 if an actor was found
+ 0.25 if a recipient was found).
Events of a sentence come out in reading order, the main-clause event (nearest the root) first.
"""

from __future__ import annotations

import dataclasses
import logging
from types import TracebackType

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from brinkwatch.coder import arguments, attribution, dates, eventness, factuality, modality, places, triggers
from brinkwatch.coder.syntax import context_lemmas, token_table
from brinkwatch.coder.triggers import Cand
from brinkwatch.core.errors import StageError
from brinkwatch.core.records import Event, Location, Sentence
from brinkwatch.core.settings import Settings
from brinkwatch.lexicon import actors as actor_data
from brinkwatch.lexicon.events import Lexicon, lexicon

log = logging.getLogger("brinkwatch.coder.extract")

EXTRACTOR_VERSION = "2.5.8"
# below this learned factuality, an event the cues read as asserted is recorded as speculated: chosen on the
# UW dev split (status right 0.788 with no such cut, 0.795 at 1.5, 0.762 at the label cut 2.1)
DOUBT_AT = 1.5


class Stage:
    """The boundary of a stage's call: an exception inside becomes ``StageError(stage, field, cause)``
    (once: a StageError from a nested stage passes unchanged)."""

    __slots__ = ("field", "stage")

    def __init__(self, stage: str, field: str) -> None:
        self.stage, self.field = stage, field

    def __enter__(self) -> Stage:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc is not None and isinstance(exc, Exception) and not isinstance(exc, StageError):
            raise StageError(self.stage, self.field, exc) from exc


TRIGGERS = Stage("coder.triggers", "event_type")
MODE = Stage("coder.triggers", "mode")
ARGUMENTS = Stage("coder.arguments", "actors")
EVENTNESS = Stage("coder.eventness", "event_type")
MODALITY = Stage("coder.modality", "status")
ATTRIBUTION = Stage("coder.attribution", "attribution")
DATES = Stage("coder.dates", "date")
PLACES = Stage("coder.places", "location")


def sentences_of(doc: Doc, sents: list[Span] | None = None) -> list[Sentence]:
    """The document's sentences (``sents``: ``list(doc.sents)`` when the caller has it already)."""
    text = token_table(doc).text  # a span's text is its slice of the document's text
    return [
        Sentence(index=i, start=s.start_char, end=s.end_char, text=text[s.start_char : s.end_char])
        for i, s in enumerate(doc.sents if sents is None else sents)
    ]


def extract_doc(
    doc: Doc,
    *,
    doc_id: str,
    published: str | None = None,
    settings: Settings | None = None,
    learned: bool = True,
    observe: eventness.Observer | None = None,
) -> tuple[list[Sentence], list[Event]]:
    """Sentences and events of one parsed article (offsets are in ``doc.text``).

    ``learned=False``: the rules alone decide what is an event (no learned model); ``observe``: called with
    every sentence's candidates before the decision (training and inspection)."""
    settings = settings or Settings.from_env()
    sents = list(doc.sents)
    sentences = sentences_of(doc, sents)
    if not doc.has_annotation("DEP"):
        return [dataclasses.replace(s, skip_reason="not parsed") for s in sentences], []
    lex = lexicon()
    with TRIGGERS:
        index_ = triggers.doc_index(doc, lex)
    with ARGUMENTS:
        args = arguments.Arguments(doc, lex, published)
    with ATTRIBUTION:
        tracker = attribution.AttributionTracker(doc, args.coder)
    with DATES:
        resolver = dates.DateResolver(published)
    with EVENTNESS:
        model = eventness.model() if learned else None
    out: list[Event] = []
    pending: list[eventness.Pending] = []
    for index, sent in enumerate(sents):
        with TRIGGERS:
            reason = index_.codable(sent, settings.max_sentence_tokens)
            if reason is None:
                cands = triggers.candidates(sent, lex, [doc[i] for i in index_.tokens(sent)])
        if reason is not None:
            log.debug("%s: sentence %d not coded: %s", doc_id, index, reason)
            sentences[index] = dataclasses.replace(sentences[index], skip_reason=reason)
            continue
        if not cands:
            continue
        with ARGUMENTS:
            pending.append(eventness.Pending(index, sent, cands, arguments.settle(cands, args, lex)))
    with MODALITY:  # the status of every candidate (the model reads it; the record keeps it)
        for p in pending:
            for c in p.keep:
                _rule(c)
    with EVENTNESS:
        eventness.events_of(pending, model, observe)
    fact = factuality.model() if learned else None
    if fact is not None:
        with MODALITY:
            kept = [c for p in pending for c in p.keep]
            scores = factuality.score_many([c.status_tok for c in kept], [_rule(c) for c in kept])
            for c, got in zip(kept, scores, strict=True):
                c.learned = got.factuality
    for p in pending:
        index, sent, keep = p.index, p.sent, arguments.main_first(p.keep)
        made: dict[int, Event] = {}
        for c in keep:
            arguments.between_sides(c, args)  # the record's coding conventions
            c.actors = [args.coder.canonical(q) for q in c.actors]
            c.recipients = [args.coder.canonical(q) for q in c.recipients]
            made[id(c)] = _event(c, doc, sent, sentences[index].text, index, doc_id, lex, tracker, resolver, fact)
        for c in keep:
            if c.parent is None and c.reported_by is not None and made[id(c)].status == "asserted":
                with MODALITY:
                    _mark_alleged(made[id(c)], c.reported_by.text, c.status_tok)
            if c.parent is not None and id(c.parent) in made:
                child, parent = made[id(c)], made[id(c.parent)]
                child.parent_event = parent.event_id
                if parent.event_type == "ACCUSE" and child.status == "asserted":
                    with MODALITY:
                        _mark_alleged(child, parent.trigger, c.status_tok)
        out.extend(made[id(c)] for c in keep)
    return sentences, out


def _mark_alleged(child: Event, cue: str, tok: Token) -> None:
    """The content of an accusation is alleged ("X said Y attacked it"), whatever its own clause says; ``cue``:
    the words of the report. Not a presupposed event noun (``tok``, :func:`modality.presupposed`): a report
    about "the bombing" is not its source."""
    if modality.presupposed(tok):
        return
    scale = modality.lexicon().factuality
    child.status = "alleged"
    child.factuality = float(scale.get("alleged", 2.0))
    child.cues = [*child.cues, cue]


def _rule(c: Cand) -> modality.Modality:
    if c.modality is None:
        c.modality = modality.assess(c.status_tok)
    return c.modality


def _event(
    c: Cand,
    doc: Doc,
    sent: Span,
    sent_text: str,
    index: int,
    doc_id: str,
    lex: Lexicon,
    tracker: attribution.AttributionTracker,
    resolver: dates.DateResolver,
    fact: factuality.FactModel | None,
) -> Event:
    span = doc[c.first : c.last + 1]
    status_tok = c.status_tok
    with MODE:
        lemmas = context_lemmas(c.tok)
        if c.governor is not None:
            lemmas.extend(context_lemmas(c.governor))
        mode = triggers.mode_for_cand(c, lemmas, lex)
        contexts = triggers.contexts_for(c.entry, lemmas, lex)
    with MODALITY:
        rule = _rule(c)
        if fact is None or c.learned is None:
            mod = modality.settle(rule, None, 2.0, -2.0, c.spoken, 2.0)
        else:
            mod = modality.settle(rule, c.learned, fact.asserted_at, fact.denied_at, c.spoken, DOUBT_AT)
    with ATTRIBUTION:
        chain = tracker.chain(status_tok)
    with DATES:
        date, precision, date_source = resolver.resolve_with_source(sent, status_tok)
    cut = fact.asserted_at if fact is not None else 2.0  # the asserted cut of the factuality score
    if mod.status == "alleged" and modality.presupposed(status_tok):
        with MODALITY:  # "claimed responsibility for the bombing": the bombing is known, its author claimed
            mod = modality.Modality("asserted", max(mod.factuality, cut), mod.cues)
    if mod.status == "asserted" and not c.spoken and date_source == "clause" and resolver.after_report(date):
        with MODALITY:  # its own clause dates it after the report: announced, not yet happened
            mod = modality.as_future(mod, f"dated {date}", cut)
    with PLACES:
        location = places.locate(sent, status_tok)
        if location is None:
            location = _owned_place(c)
    info = lex.type_info(c.event_type)
    completeness = 0.5 + (0.25 if c.actors else 0.0) + (0.25 if c.recipients else 0.0)
    return Event(
        doc_id=doc_id,
        sentence_index=index,
        sentence=sent_text,
        sentence_start=sent.start_char,
        trigger=span.text,
        trigger_start=span.start_char,
        trigger_end=span.end_char,
        event_type=c.event_type,
        mode=mode,
        contexts=contexts,
        quad=info.quad,
        score=lex.score(c.event_type, mode),
        actors=c.actors,
        recipients=c.recipients,
        status=mod.status,
        factuality=float(mod.factuality),
        cues=list(mod.cues),
        attribution=chain,
        date=date,
        date_precision=precision or "report",
        date_source=date_source,
        location=location,
        confidence=round(c.p_event if c.p_event is not None else c.entry.strength * completeness, 3),
    )


OWNED_PLACES = frozenset({"airspace", "territory", "waters", "soil"})


def _owned_place(c: Cand) -> Location | None:
    """An incursion into one state's airspace ("violated its airspace", the owner resolved as recipient)
    happened in that state."""
    states = {p.country for p in c.recipients if p.country in actor_data.lexicon().iso}
    if len(states) != 1 or not any(h.lemma_.lower() in OWNED_PLACES for h in c.recipient_heads):
        return None
    code = states.pop()
    head = next(h for h in c.recipient_heads if h.lemma_.lower() in OWNED_PLACES)
    return Location(
        text=head.doc[head.left_edge.i : head.i + 1].text,
        country=code,
        name=actor_data.country_name(code),
        kind="country",
    )


def uncoded_sentences(doc: Doc, settings: Settings | None = None) -> list[tuple[int, str]]:
    """(sentence index, reason) for every sentence extraction does not code (too long, a number table,
    no verb, a hashtag line): the recorded reason for what is skipped."""
    settings = settings or Settings.from_env()
    index = triggers.doc_index(doc, lexicon())
    out: list[tuple[int, str]] = []
    for i, sent in enumerate(doc.sents):
        reason = index.codable(sent, settings.max_sentence_tokens)
        if reason is not None:
            out.append((i, reason))
    return out


WARM_TEXT = (
    "On Thursday, Reuters reported that NATO officials said Russian jets had violated Estonian airspace over "
    "the Gulf of Finland on September 19, three weeks ago."
)


def warm(nlp: Language | None = None, settings: Settings | None = None) -> None:
    """Load everything extraction reads once per process (event, modality and source lexicons, the
    gazetteer, the outlet matcher, dateparser's locale data) by extracting one sentence.

    Call it where the model is loaded before worker processes are forked: the workers then inherit it
    instead of each paying for it (about 0.3 s) on its first article. Outputs do not change."""
    from brinkwatch.coder.parse import load_nlp

    settings = settings or Settings.from_env()
    nlp = nlp or load_nlp(settings.spacy_model)
    extract_doc(nlp(WARM_TEXT), doc_id="warm-up", published="2025-10-10", settings=settings)


def extract_text(
    text: str,
    *,
    published: str | None = None,
    doc_id: str = "text",
    nlp: Language | None = None,
    settings: Settings | None = None,
) -> list[Event]:
    from brinkwatch.coder.parse import load_nlp

    settings = settings or Settings.from_env()
    nlp = nlp or load_nlp(settings.spacy_model)
    return extract_doc(nlp(text), doc_id=doc_id, published=published, settings=settings)[1]
