"""What fails where: one article's failure is recorded with its stage and the batch goes on; a bug stops the run.

Each catch the pipeline keeps has its behaviour here (normalize, parse, extract, a coder stage, the write);
the write catches only what the database (or the writer's own checks) refuses.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import sqlalchemy as sa

from brinkwatch.core.errors import StageError
from brinkwatch.core.settings import Settings
from brinkwatch.pipeline import process as step
from brinkwatch.pipeline import run as pipeline
from brinkwatch.pipeline.run import ingest
from brinkwatch.store.writer import Store
from test_pipeline import story, write_records


def _failure_of_three(tmp_path: Path) -> str:
    """Ingest three stories, the middle one marked EXPLODE (the patch lives in this process: n_process=1); the
    other two are stored, and the one failure recorded — its reason is returned."""
    src = tmp_path / "in.jsonl"
    write_records(src, [story(21), story(22) + " EXPLODE now.", story(23)])
    settings = Settings(db=str(tmp_path / "s.db"), n_process=1)
    with Store(settings.db) as store:
        summary = ingest([str(src)], store=store, settings=settings)
        assert (summary.stored, summary.failed) == (2, 1)
        assert store.stats()["articles"] == 2 and store.stats()["failed"] == 1
        reason: str = store.failures()[0]["reason"]
    assert reason == summary.failures[0].reason
    return reason


def test_a_normalization_failure_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = pipeline.normalize

    def flaky(art):  # type: ignore[no-untyped-def]
        if "EXPLODE" in art.text:
            raise RuntimeError("bad text")
        return real(art)

    monkeypatch.setattr(pipeline, "normalize", flaky)
    assert _failure_of_three(tmp_path) == "normalization failed (RuntimeError: bad text)"


def test_a_parse_failure_is_recorded_as_the_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser raising on one text fails its whole task; the articles are parsed one by one again and only
    that one fails — recorded as a parse failure, not an extraction failure."""
    real = step.load_nlp(Settings().spacy_model)

    class FlakyParser:
        max_length = real.max_length

        def pipe(self, texts, **_kw):  # type: ignore[no-untyped-def]
            for text in texts:
                if "EXPLODE" in text:
                    raise ValueError("cannot parse")
                yield real(text)

    monkeypatch.setattr(step, "load_nlp", lambda _name: FlakyParser())
    assert _failure_of_three(tmp_path) == "parse failed (ValueError: cannot parse)"


def test_an_extraction_failure_is_recorded_as_the_extraction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = step.extract_doc

    def flaky(doc, **kw):  # type: ignore[no-untyped-def]
        if "EXPLODE" in doc.text:
            raise KeyError("lemma")
        return real(doc, **kw)

    monkeypatch.setattr(step, "extract_doc", flaky)
    assert _failure_of_three(tmp_path) == "extraction failed (KeyError: 'lemma')"


def test_a_coder_stage_error_is_recorded_with_its_stage_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = step.extract_doc

    def flaky(doc, **kw):  # type: ignore[no-untyped-def]
        if "EXPLODE" in doc.text:
            raise StageError("dates", "resolve", ValueError("month 13"))
        return real(doc, **kw)

    monkeypatch.setattr(step, "extract_doc", flaky)
    assert _failure_of_three(tmp_path) == "dates failed on resolve (ValueError: month 13)"


def test_a_stage_error_comes_back_from_a_worker_process_whole() -> None:
    """Worker results are pickled: a StageError must unpickle (its ``args`` hold only the message), or the
    process pool breaks and every later article fails with it."""
    err = StageError("attribution", "chain", KeyError("x"))
    err.add_note("brinkwatch stage: extract")
    back = pickle.loads(pickle.dumps(err))
    assert (back.stage, back.field, type(back.cause), str(back)) == ("attribution", "chain", KeyError, str(err))
    assert step.stage_of(back) == "extract"


def test_a_write_the_database_refuses_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Store.write_article

    def refusing(self, item, conn=None):  # type: ignore[no-untyped-def]
        if "EXPLODE" in item.article.text:
            raise sa.exc.DataError("INSERT …", {}, ValueError("a NUL character"))
        return real(self, item, conn)

    monkeypatch.setattr(Store, "write_article", refusing)
    assert _failure_of_three(tmp_path).startswith("not stored (DataError: ")


def test_a_bug_in_the_write_stops_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a refusal by the database but our own error: it is not recorded as the article's fault."""

    def broken(self, item, conn=None):  # type: ignore[no-untyped-def]
        raise TypeError("unsupported operand")

    monkeypatch.setattr(Store, "write_article", broken)
    with pytest.raises(TypeError, match="unsupported operand"):
        _failure_of_three(tmp_path)
