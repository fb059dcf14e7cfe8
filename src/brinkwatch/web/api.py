"""JSON endpoints under /api: paginated reads of the record and one token-guarded write (POST /api/articles)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from brinkwatch.analyze import export as export_mod
from brinkwatch.core.settings import Settings
from brinkwatch.store.writer import Store
from brinkwatch.web import analytics as A
from brinkwatch.web import params as P
from brinkwatch.web import queries as Q
from brinkwatch.web.ingest_one import WriteFailed, Writer, WriterBusy
from brinkwatch.web.security import check_token, escape_json, read_body

router = APIRouter(prefix="/api", dependencies=[Depends(P.known_query_only)])

Limit = P.Limit
Offset = P.Offset


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def page(total: int, limit: int, offset: int, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": A.jsonable(items), **extra}


# ------------------------------------------------------------------------------------------------ reads
@router.get("/stats", summary="Counts of what the store holds")
def stats(request: Request) -> dict[str, Any]:
    store = store_of(request)
    return {**store.stats(), "schema_version": store.version, "dialect": store.dialect}


@router.get("/articles", summary="Articles, newest first (q: text search in title and text)")
def articles(
    request: Request,
    q: P.TextQ = None,
    source: P.TextQ = None,
    limit: Limit = Q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    total, items = Q.list_articles(store_of(request).engine, q=q, source=source, limit=limit, offset=offset)
    return page(total, limit, offset, items)


@router.get("/articles/{article_id}", summary="One article with its text, sentences and events")
def article(request: Request, article_id: P.IdPath) -> dict[str, Any]:
    found = Q.article_detail(store_of(request).engine, article_id)
    if found is None:
        raise HTTPException(status_code=404, detail="no such article")
    result: dict[str, Any] = A.jsonable(found)
    return result


@router.get("/events", summary="Events, filtered and paginated, newest first")
def events(
    request: Request,
    dyad: P.DyadQ = None,
    directed: bool = False,
    actor: P.CodeQ = None,
    recipient: P.CodeQ = None,
    type: P.TypeQ = None,
    status: P.StatusQ = None,
    min_confidence: P.ConfidenceQ = None,
    since: P.DateQ = None,
    until: P.DateQ = None,
    q: Annotated[
        str | None, Query(max_length=P.MAX_TEXT, description="text in the sentence"), AfterValidator(P.check_text)
    ] = None,
    article_id: P.IdQ = None,
    incident_id: P.IdQ = None,
    limit: Limit = Q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    f = Q.EventFilter(
        dyad=P.dyad_of(dyad),
        directed=directed,
        actor=actor,
        recipient=recipient,
        event_type=type,
        status=status,
        min_confidence=min_confidence,
        since=since,
        until=until,
        text=q,
        article_id=article_id,
        incident_id=incident_id,
    )
    total, items = Q.list_events(store_of(request).engine, f, limit=limit, offset=offset)
    return page(total, limit, offset, items)


@router.get("/incidents", summary="Incidents (reports of one happening merged), newest first")
def incidents(
    request: Request,
    dyad: P.DyadQ = None,
    since: P.DateQ = None,
    until: P.DateQ = None,
    limit: Limit = Q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    total, items, source = A.incidents(
        store_of(request), dyad=P.dyad_of(dyad), since=since, until=until, limit=limit, offset=offset
    )
    return page(total, limit, offset, items, source=source)


@router.get("/incidents/{incident_id}", summary="One incident with all its reports")
def incident(request: Request, incident_id: P.IdPath) -> dict[str, Any]:
    found = A.incident(store_of(request), incident_id)
    if found is None:
        raise HTTPException(status_code=404, detail="no such incident")
    result: dict[str, Any] = A.jsonable(found)
    return result


@router.get("/claims", summary="The claims ledger: alleged, denied, speculated events and who says so")
def claims(
    request: Request,
    dyad: P.DyadQ = None,
    since: P.DateQ = None,
    limit: Limit = Q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    rows, source = A.claims(store_of(request), dyad=P.dyad_of(dyad), since=since)
    return page(len(rows), limit, offset, rows[offset : offset + limit], source=source)


@router.get("/dyads/{a}/{b}/series", summary="A dyad's intensity over time (factual and rhetoric series)")
def dyad_series(
    request: Request,
    a: P.CodePath,
    b: P.CodePath,
    freq: Annotated[Literal["D", "W"], Query()] = "W",
    directed: bool = False,
) -> dict[str, Any]:
    series, source = A.dyad_series(store_of(request), a, b, freq=freq, directed=directed)
    return {"a": a, "b": b, "freq": freq, "directed": directed, "series": A.jsonable(series), "source": source}


@router.get("/escalation", summary="Escalation index and trend per dyad")
def escalation(request: Request, dyad: P.DyadQ = None) -> dict[str, Any]:
    rows, source = A.escalation(store_of(request), dyad=P.dyad_of(dyad))
    return {"items": rows, "total": len(rows), "source": source}


@router.get("/alerts", summary="Dyads whose escalation index jumped, with the incidents behind each jump")
def alerts(request: Request) -> dict[str, Any]:
    rows, source = A.alerts(store_of(request))
    return {"items": rows, "total": len(rows), "source": source}


@router.get("/stories", summary="Hot stories: the fastest-growing incidents and topics")
def stories(request: Request) -> dict[str, Any]:
    rows, source = A.stories(store_of(request))
    return {"items": rows, "total": len(rows), "source": source}


@router.get("/spirals", summary="Action–reaction spirals")
def spirals(request: Request) -> dict[str, Any]:
    rows, source = A.spirals(store_of(request))
    return {"items": rows, "total": len(rows), "source": source}


def _export(store: Store, fmt: str) -> Iterator[str]:
    """The export the CLI writes (brinkwatch.analyze.export), spooled to a temporary file and streamed."""
    tmp = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 - lines() closes it
    try:
        export_mod.export(store, fmt, tmp)
        tmp.seek(0)
    except Exception:
        tmp.close()
        raise

    def lines() -> Iterator[str]:
        with tmp:
            for line in tmp:
                yield escape_json(line) if fmt != "csv" else line

    return lines()


EXPORT_TYPES = {
    "jsonl": ("application/x-ndjson", "jsonl"),
    "plover": ("application/x-ndjson", "plover.jsonl"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


@router.get("/export", summary="Every event as JSON lines, PLOVER JSON lines or CSV (as `brinkwatch export`)")
def export(request: Request, format: Literal["jsonl", "csv", "plover"] = "jsonl") -> StreamingResponse:
    store = store_of(request)
    media, ext = EXPORT_TYPES[format]
    body = _export(store, format)
    return StreamingResponse(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="brinkwatch-events.{ext}"'}
    )


# ------------------------------------------------------------------------------------------------ write
class ArticleIn(BaseModel):
    """An article to ingest (the JSON record ``brinkwatch ingest`` reads): ``text`` or ``html`` is required."""

    model_config = ConfigDict(extra="forbid", str_max_length=5_000_000)

    title: str | None = Field(default=None, max_length=2000)
    text: str | None = None
    html: str | None = None
    url: str | None = Field(default=None, max_length=4000)
    published: str | None = Field(default=None, max_length=64)
    source: str | None = Field(default=None, max_length=500)
    tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=100)
    id: str | None = Field(default=None, max_length=500)
    author: str | None = Field(default=None, max_length=500)
    language: str | None = Field(default=None, max_length=20)


def _check_body(body: bytes, content_type: str) -> None:
    """Refuse what the pipeline would not take, with the right status; the body itself goes on unchanged."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype not in ("application/json", "text/html", "application/xhtml+xml", "text/plain"):
        raise HTTPException(status_code=415, detail="send application/json, text/html or text/plain")
    if not body.strip():
        raise HTTPException(status_code=422, detail="empty body")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(status_code=400, detail="the body is not UTF-8") from None
    if ctype == "application/json":
        try:
            data = ArticleIn.model_validate_json(body)
        except ValidationError as exc:
            raise HTTPException(status_code=422, detail=json.loads(exc.json(include_url=False))) from None
        if not ((data.text or "").strip() or (data.html or "").strip()):
            raise HTTPException(status_code=422, detail="give text or html")


@router.post(
    "/articles",
    status_code=201,
    summary="Ingest one article (bearer token required; disabled with 403 unless BRINKWATCH_TOKEN is set)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": ArticleIn.model_json_schema()},
                "text/html": {"schema": {"type": "string"}},
                "text/plain": {"schema": {"type": "string"}},
            },
        }
    },
)
async def post_article(request: Request) -> dict[str, Any]:
    settings = settings_of(request)
    check_token(request, settings.token)
    body = await read_body(request, settings.max_article_bytes)
    _check_body(body, request.headers.get("content-type", ""))
    writer: Writer = request.app.state.writer
    try:
        return await writer.submit(body)  # the one writer: in order, off the event loop and its process
    except ValueError as exc:  # the article was refused (empty text, …)
        raise HTTPException(status_code=422, detail=str(exc)) from None
    except WriterBusy as exc:
        raise HTTPException(status_code=503, detail=str(exc), headers={"Retry-After": "5"}) from None
    except WriteFailed as exc:
        raise HTTPException(status_code=500, detail=str(exc)) from None
