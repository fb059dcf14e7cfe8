"""A store of real news for audits and acceptance tests: the UW factuality sentences (real 1998–2000 newswire,
``../shared/training/factuality/uw_dev.jsonl``) grouped into articles of about 20 consecutive sentences, with
made-up published dates spread over a few months and made-up outlets (one with a very long name).

Development only: it reads ``../shared`` (never shipped, never needed at run time) and writes the articles to a
JSONL file outside the project (a temporary directory); the text never enters the repository. Titles are left
out on purpose (the dashboard must show something for an untitled article).

``python -m brinkwatch.dev.realnews OUT.jsonl [--shared DIR]`` writes the articles; :func:`build_store` also
ingests them into a store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

UW_DEV = Path("training") / "factuality" / "uw_dev.jsonl"
PER_ARTICLE = 20
START = dt.date(2025, 5, 5)
SPAN_DAYS = 84  # twelve weeks
OUTLETS = (
    "Made-up Wire",
    "Invented Daily",
    "The Entirely Fictional International Broadcasting Corporation World Service Evening Desk (English edition)",
)

_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)\]}]|'s\b|'S\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)")
_SPACE_AFTER = re.compile(r"(?<=[(\[{$]) ")
_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")


def detokenize(text: str) -> str:
    """Whitespace-tokenized newswire back to ordinary text (close enough for a parser: "boy 's" → "boy's",
    "Miami - based" → "Miami-based", "' '" → a quote)."""
    t = text.replace("` `", '"').replace("' '", '"').replace("``", '"').replace("''", '"')
    t = _HYPHEN.sub("-", t)
    t = _SPACE_BEFORE.sub("", t)
    t = _SPACE_AFTER.sub("", t)
    t = re.sub(r'" ([^"]*?) "', r'"\1"', t)
    return " ".join(t.split())


def uw_articles(shared: Path, per_article: int = PER_ARTICLE) -> list[dict[str, Any]]:
    """The articles (JSON records ``brinkwatch ingest`` reads) built from the UW dev sentences."""
    rows = [json.loads(line) for line in (shared / UW_DEV).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: int(r.get("file_idx") or 0))
    groups = [rows[k : k + per_article] for k in range(0, len(rows), per_article)]
    out = []
    for n, group in enumerate(groups):
        day = START + dt.timedelta(days=n * SPAN_DAYS // max(1, len(groups) - 1))
        out.append(
            {
                "id": f"uw-dev-{n:03d}",
                "text": "\n\n".join(  # wire-like paragraphs of three sentences
                    " ".join(detokenize(r["text"]) for r in group[k : k + 3]) for k in range(0, len(group), 3)
                ),
                "published": day.isoformat(),
                "source": OUTLETS[n % len(OUTLETS)],
                "url": f"https://example.invalid/uw-dev/{n:03d}",
            }
        )
    return out


def write_articles(shared: Path, out: Path) -> int:
    articles = uw_articles(shared)
    with out.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    return len(articles)


def build_store(shared: Path, workdir: Path, db: str | None = None) -> str:
    """Write the articles under ``workdir`` and ingest them into ``db`` (default: ``workdir/realnews.db``)."""
    from brinkwatch.core.settings import Settings
    from brinkwatch.pipeline.run import ingest
    from brinkwatch.store.writer import Store

    src = workdir / "uw-dev-articles.jsonl"
    write_articles(shared, src)
    db = db or str(workdir / "realnews.db")
    settings = Settings.from_env(db=db)
    with Store(db) as store:
        summary = ingest([str(src)], store=store, settings=settings)
    if summary.failed:
        raise RuntimeError(f"real-news store: {summary.failed} articles failed: {summary.failures[:3]}")
    return db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("out", type=Path, help="JSONL file to write (outside the project)")
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[4] / "shared")
    args = ap.parse_args(argv)
    n = write_articles(args.shared, args.out)
    print(f"wrote {n} articles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
