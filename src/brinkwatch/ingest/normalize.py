"""Normalization: one clean, stable text per article before hashing, dedup and parsing.

``normalize(article)`` returns a new Article whose text is:

1. repaired by ftfy (mojibake such as ``cafÃ©``, HTML entities, C1 controls, fullwidth letters) and in
   Unicode NFC; zero-width characters removed;
2. with **curly quotes made straight** (“ ” „ → ``"``, ‘ ’ ‚ → ``'``; guillemets and dashes are kept):
   one quote character per kind, so hashes, offsets and quote matching do not depend on the outlet;
3. with whitespace collapsed: runs of spaces/tabs/NBSP become one space, lines are stripped, blank-line
   runs become one blank line (paragraph breaks are kept, single line breaks too);
4. with machine-translation artefacts repaired, conservatively:
   ``states.The`` → ``states. The`` and ``aircraft,And`` → ``aircraft, And`` only after an all-lowercase
   word of ≥ 2 letters and before Capital+lowercase, never inside a URL, e-mail or domain
   (``example.com``, ``U.S.``, ``e.g.``, ``3.5`` are untouched); ``thatDue`` → ``that Due`` only when the
   glued prefix is one of :data:`FUNCTION_WORDS` and the token is exactly function word + one capitalized
   word (``iPhone``, ``McDonald``, ``MacBook``, ``YouTube``, ``PlayStation`` are untouched);
   ``Ukraine , the`` → ``Ukraine, the``;
5. without its trailing social hashtags: ``# Russia # # Military #`` (Weibo style) and ``#Russia #Military``
   (Twitter style) lines at the end, or Twitter-style tags after the last sentence, become
   ``article.tags`` (in order, without duplicates) and are removed from the text.

The text fixes are applied until nothing changes, so ``normalize`` is idempotent. The language is detected
with py3langid when the article does not declare one (texts with fewer than 40 letters are too short to
tell: language stays None and the article is treated as extractable; under 400 letters English is
favoured, see :func:`detect_language`).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import ftfy

from brinkwatch.core.records import Article

_FW = """that which and but the while who whom whose when where whereas because although though after before
    since until unless however said says also then than with from into of as by or nor if yet this these
    those there their its was were has have had will would could should not"""
FUNCTION_WORDS: frozenset[str] = frozenset(_FW.split())
TLDS: frozenset[str] = frozenset({"com", "org", "net", "gov", "edu", "info", "io", "co", "html", "htm", "php"})
MIN_LETTERS_FOR_LANGUAGE = 40

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_HSPACE = re.compile(r"[^\S\n]+")
_BLANKS = re.compile(r"\n{3,}")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w) +([,;])(?=\s|$)")
_PUNCT_GLUE = re.compile(r"(?<![\w@#/.'\-])([a-z]{2,})([.,;!?])([A-Z][a-z]+)\b")
_FW_GLUE = re.compile(
    r"(?<![\w@#/.'\-])(" + "|".join(sorted(FUNCTION_WORDS, key=len, reverse=True)) + r")([A-Z][a-z]+)\b(?![\w'])"
)
_URLISH = re.compile(r"://|www\.|@|/|\.(?:com|org|net|gov|edu|info|io)\b", re.IGNORECASE)
_WEIBO_LINE = re.compile(r"(?:#[^#\n]*#\s*)+")
_WEIBO_TAG = re.compile(r"#([^#\n]*)#")
_TWITTER_TAG = r"#[^\W\d_][\w\-]*"
_TWITTER_LINE = re.compile(rf"(?:{_TWITTER_TAG}\s*)+")
_TWITTER_TAIL = re.compile(rf"(?<=[.!?\"')\]])((?:\s+{_TWITTER_TAG})+)\s*$")


def normalize(article: Article) -> Article:
    """A new Article with clean text, tags from trailing hashtags, and a language (see the module doc)."""
    text, tags = normalize_text(article.text)
    title, author, source = (
        clean_line(v) or None if v else None for v in (article.title, article.author, article.source)
    )
    url, language = (_no_controls(v) or None if v else None for v in (article.url, article.language))
    language = language or detect_language(text)
    all_tags = list(dict.fromkeys([c for t in (*article.tags, *tags) if (c := clean_line(t))]))
    return dataclasses.replace(
        article,
        doc_id=_no_controls(article.doc_id) or repr(article.doc_id),
        text=text,
        title=title,
        author=author,
        source=source,
        url=url,
        tags=all_tags,
        language=language,
    )


_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _no_controls(s: str) -> str:
    """An identifier (URL, doc id, language) without control characters (PostgreSQL refuses NUL in text)."""
    return _CONTROL_CHARS.sub("", s).strip()


def normalize_text(text: str) -> tuple[str, list[str]]:
    """(clean text, trailing hashtags) — the fixes are repeated until the text is stable."""
    tags: list[str] = []
    for _ in range(5):
        fixed = _fix(text)
        fixed, found = split_hashtags(fixed)
        tags.extend(found)
        if fixed == text:
            break
        text = fixed
    return text, list(dict.fromkeys(tags))


def clean_line(s: str) -> str:
    """A one-line field (title, author, source, tag): repaired, NFC, straight quotes, no control characters,
    all whitespace one space."""
    s = ftfy.fix_text(s, uncurl_quotes=True, normalization="NFC")
    return " ".join(_CONTROL_CHARS.sub(" ", _ZERO_WIDTH.sub("", s)).split())


def _fix(text: str) -> str:
    text = ftfy.fix_text(text, uncurl_quotes=True, normalization="NFC", fix_line_breaks=True)
    text = _ZERO_WIDTH.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(_HSPACE.sub(" ", line).strip() for line in text.split("\n"))
    text = _BLANKS.sub("\n\n", text).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _PUNCT_GLUE.sub(_punct_glue, text)
    text = _FW_GLUE.sub(_fw_glue, text)
    return text


def _token_at(text: str, start: int, end: int) -> str:
    """The whitespace-delimited token containing text[start:end]."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    m = re.compile(r"\s").search(text, end)
    return text[left : m.start() if m else len(text)]


def _punct_glue(m: re.Match[str]) -> str:
    word, punct, nxt = m.group(1), m.group(2), m.group(3)
    if punct == "." and nxt.lower() in TLDS:
        return m.group(0)
    if _URLISH.search(_token_at(m.string, m.start(), m.end())):
        return m.group(0)
    return f"{word}{punct} {nxt}"


def _fw_glue(m: re.Match[str]) -> str:
    if _URLISH.search(_token_at(m.string, m.start(), m.end())):
        return m.group(0)
    return f"{m.group(1)} {m.group(2)}"


def split_hashtags(text: str) -> tuple[str, list[str]]:
    """Remove trailing social hashtags; return (text, tags in order)."""
    lines = text.rstrip().split("\n")
    found: list[list[str]] = []
    while lines:
        last = lines[-1].strip()
        if not last:
            lines.pop()
            continue
        if last.startswith("#") and last.endswith("#") and _WEIBO_LINE.fullmatch(last):
            found.append([t.strip() for t in _WEIBO_TAG.findall(last)])
        elif _TWITTER_LINE.fullmatch(last):
            found.append([t.lstrip("#") for t in re.findall(_TWITTER_TAG, last)])
        else:
            tail = _TWITTER_TAIL.search(lines[-1])
            if tail:
                found.append([t.lstrip("#") for t in re.findall(_TWITTER_TAG, tail.group(1))])
                lines[-1] = lines[-1][: tail.start(1)].rstrip()
            break
        lines.pop()
    tags = [t for group in reversed(found) for t in group if t and len(t) <= 80]
    if not found:
        return text, []
    return "\n".join(lines).rstrip(), tags


# A news article's language shows in its first paragraphs; classifying more costs time (≈3.7 ms per
# article at 10,000 characters, ≈1 ms at 2,000) and changes nothing.
LANGUAGE_SAMPLE_CHARS = 2_000

# English prose is about a quarter closed-class words from this list (the bench corpus: 0.19–0.35 per
# article, the seed 0.27); French, German, Spanish, Italian, Dutch, Portuguese, the Nordic languages,
# Polish, Indonesian and Tagalog news paragraphs score 0–0.07 (tests/test_normalize.py). Above
# ENGLISH_SHARE over at least ENGLISH_MIN_WORDS words a text is English without running the classifier
# (≈20× cheaper); everything else goes to py3langid.
_EN = """the of and to that is was for with as by on at from it this have has were are be will said which
    not its their an"""
ENGLISH_MARKERS: frozenset[str] = frozenset(_EN.split())
ENGLISH_SHARE = 0.12
ENGLISH_MIN_WORDS = 20
_LETTER_WORD = re.compile(r"[^\W\d_]+")


def clearly_english(sample: str) -> bool:
    """True when ``sample`` has enough words and a share of English function words no other language has."""
    words = _LETTER_WORD.findall(sample.lower())
    if len(words) < ENGLISH_MIN_WORDS:
        return False
    return sum(w in ENGLISH_MARKERS for w in words) >= ENGLISH_SHARE * len(words)


# A short text gives the classifier little to go on, and English news sentences then lose to languages that
# share its words: "Kenya deployed police officers to Haiti on Wednesday." scores as Nigerian Pidgin, 5.8
# (natural-log units) above English. Under SHORT_TEXT_LETTERS letters English is taken when its score is
# within ENGLISH_MARGIN of the best: English snippets of 5–12 words from the ten languages of
# tests/data/languages score 54 or more below their own language.
SHORT_TEXT_LETTERS = 400
ENGLISH_MARGIN = 20.0


def detect_language(text: str) -> str | None:
    """ISO 639-1 code (``en`` by :func:`clearly_english`, else py3langid — English-favouring on a short
    text), or None when the text is too short to tell."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters < MIN_LETTERS_FOR_LANGUAGE:
        return None
    if clearly_english(sample):
        return "en"
    import py3langid

    if letters < SHORT_TEXT_LETTERS:
        scores = dict(py3langid.rank(sample))
        best = max(scores, key=lambda k: scores[k])
        if "en" in scores and scores[best] - scores["en"] <= ENGLISH_MARGIN:
            return "en"
        return str(best)
    lang, _score = py3langid.classify(sample)
    return str(lang)
