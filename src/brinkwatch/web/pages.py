"""Server-rendered pages (Jinja2, autoescape on): overview → dyad → incident → article, claims, search."""

from __future__ import annotations

import math
from collections import OrderedDict
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from brinkwatch.core.ontology import CLAIM_STATES, STATUSES
from brinkwatch.store.writer import Store
from brinkwatch.web import analytics as A
from brinkwatch.web import queries as Q
from brinkwatch.web import views as V
from brinkwatch.web.highlight import article_html, sentence_html

router = APIRouter(include_in_schema=False)

STATUS_CLASSES = (*STATUSES, *CLAIM_STATES)


def safe_url(url: Any) -> str | None:
    """An http(s) URL to link to, or None (javascript:, data: and anything odd are not links)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def status_class(status: Any) -> str:
    s = str(status or "").lower()
    return s if s in STATUS_CLASSES else "other"


def fmt_num(v: Any, digits: int = 1) -> str:
    if isinstance(v, bool) or v is None:
        return "—" if v is None else str(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        if math.isnan(v):
            return "—"
        return f"{v:,.{digits}f}"
    return str(v)


def make_env() -> Environment:
    path = resources.files("brinkwatch.web") / "templates"
    env = Environment(
        loader=FileSystemLoader(str(path)),
        autoescape=True,  # every template, whatever its name
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["status_class"] = status_class
    env.filters["num"] = fmt_num
    env.filters["sentence_html"] = sentence_html
    env.filters["shorten"] = V.shorten
    env.globals["STATUS_CLASSES"] = STATUS_CLASSES
    env.globals["CHOICES"] = V.choices()
    return env


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    env: Environment = request.app.state.jinja
    html = env.get_template(name).render(request_path=request.url.path, **ctx)
    return HTMLResponse(html, status_code=status_code)


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


# ------------------------------------------------------------------------------------------------ helpers
X_KEYS = ("period", "week", "date", "day", "bucket", "time", "start")
#: (column, label) of the count and intensity series, analytics names first, then the simple fallback's
COUNT_SERIES = (
    ("n", "factual"),
    ("rhetoric_n", "rhetoric"),
    ("claimed_n", "claimed"),
    ("factual", "factual"),
    ("rhetoric", "rhetoric"),
)
INTENSITY_SERIES = (
    ("score_sum", "factual"),
    ("rhetoric_score", "rhetoric"),
    ("factual_intensity", "factual"),
    ("rhetoric_intensity", "rhetoric"),
)


def _rows_of(series: Any) -> list[dict[str, Any]]:
    if isinstance(series, list):
        return [r for r in series if isinstance(r, dict)]
    if isinstance(series, dict):
        for key in ("series", "rows", "weekly", "data"):
            if isinstance(series.get(key), list):
                return [r for r in series[key] if isinstance(r, dict)]
    return []


def chart_of(series: Any) -> dict[str, Any]:
    """Plotly-ready traces from a dyad series (the analytics DataFrame records or our fallback rows).

    Intensity is shown as conflict intensity: the negated sum of PLOVER scores (conflict scores are < 0).
    """
    rows = _rows_of(series)
    empty: dict[str, Any] = {"x": [], "counts": [], "intensity": []}
    if not rows:
        return empty
    xkey = next((k for k in X_KEYS if k in rows[0]), None)
    if xkey is None:
        return empty
    rows = sorted(rows, key=lambda r: str(r.get(xkey)))

    def numeric(k: str) -> bool:
        return all(isinstance(r.get(k), int | float) and not isinstance(r.get(k), bool) for r in rows)

    def traces(spec: tuple[tuple[str, str], ...], sign: float = 1.0) -> list[dict[str, Any]]:
        out, labels = [], set()
        for col, label in spec:
            if col in rows[0] and numeric(col) and label not in labels:
                labels.add(label)
                out.append({"name": label, "y": [sign * float(r[col]) if sign != 1.0 else r[col] for r in rows]})
        return out

    counts = traces(COUNT_SERIES)
    scores = traces(INTENSITY_SERIES[:2], sign=-1.0) or traces(INTENSITY_SERIES[2:])
    return {"x": [str(r.get(xkey))[:10] for r in rows], "counts": counts, "intensity": scores}


def escalation_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The weekly escalation index of one dyad (analytics rows with ``week`` and ``index``), jumps marked."""
    rows = sorted(
        (r for r in rows if r.get("week") is not None and r.get("index") is not None), key=lambda r: r["week"]
    )
    if not rows:
        return {"x": [], "traces": []}
    x = [str(r["week"])[:10] for r in rows]
    traces = [{"name": "escalation index", "y": [r["index"] for r in rows]}]
    return {"x": x, "traces": traces, "jumps": [str(r["week"])[:10] for r in rows if r.get("jump")]}


def group_by_outlet(events: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for ev in sorted(events, key=lambda e: (str(e.get("published") or ""), e.get("article_id") or 0)):
        groups.setdefault(str(ev.get("source") or "unknown outlet"), []).append(ev)
    return list(groups.items())


# ------------------------------------------------------------------------------------------------ pages
@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    store = store_of(request)
    dyads, dyads_source = A.escalation(store)
    watched = []
    for row in A.latest_per_dyad(dyads)[:12]:
        pair = A.dyad_of(row)
        if pair:
            watched.append({"a": pair[0], "b": pair[1], "row": row})
    alerts = [{**al, "pair": A.dyad_of(al)} for al in A.alerts(store)[0]]
    alerts.sort(key=lambda al: str(al.get("week") or ""), reverse=True)
    stories, _ = A.stories(store)
    nothing = V.Filters(raw={})
    total, newest = V.incidents_page(store, nothing, limit=40)
    incidents = [i for i in newest if i["timing"] == "current"][:10]  # not history, nor a plan years ahead
    _, articles = Q.list_articles(store.engine, limit=10)
    return render(
        request,
        "overview.html",
        stats=store.stats(),
        watched=watched,
        dyads_source=dyads_source,
        alerts=alerts[:10],
        stories=stories[:10],
        incidents=incidents,
        incidents_total=total,
        articles=V.with_titles(store, articles),
        world=V.map_points(store, nothing, limit=2000),
    )


def _code(x: str, store: Store) -> str:
    from brinkwatch.analyze import names

    try:
        return names.side(x, store)
    except names.UnknownName as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None


@router.get("/dyad/{a}/{b}", response_class=HTMLResponse, response_model=None)
def dyad(request: Request, a: str, b: str) -> Response:
    store = store_of(request)
    x, y = _code(a, store), _code(b, store)
    if (x, y) != (a, b):  # a name or lower case: the page of the codes
        return RedirectResponse(f"/dyad/{x}/{y}", status_code=307)
    from brinkwatch.analyze.dyads import coarse, coverage

    series, source = A.dyad_series(store, a, b)
    f = V.Filters(raw={"dyad": f"{a}:{b}"}, dyad=(a, b))
    inc_total, incidents = V.incidents_page(store, f, limit=20)
    ev_total, events = Q.list_events(store.engine, Q.EventFilter(dyad=(a, b)), limit=20)
    esc, _ = A.escalation(store, dyad=(a, b))
    return render(
        request,
        "dyad.html",
        a=a,
        b=b,
        f=f,
        chart=chart_of(series),
        series_source=source,
        incidents=incidents,
        inc_total=inc_total,
        events=events,
        ev_total=ev_total,
        escalation=A.latest_per_dyad(esc)[:1],
        esc_chart=escalation_chart(esc),
        left_out=coverage(coarse(store, a, b)),
    )


@router.get("/incident/{incident_id}", response_class=HTMLResponse)
def incident(request: Request, incident_id: int) -> HTMLResponse:
    found = A.incident(store_of(request), incident_id)
    if found is None:
        return render(request, "error.html", status_code=404, message="No such incident.")
    return render(request, "incident.html", inc=found, outlets=group_by_outlet(found["events"]))


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: int) -> HTMLResponse:
    found = Q.article_detail(store_of(request).engine, article_id)
    if found is None:
        return render(request, "error.html", status_code=404, message="No such article.")
    body: Markup = article_html(found["text"], found["events"])
    V.with_titles(store_of(request), [found])
    return render(request, "article.html", art=found, body=body)


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    store = store_of(request)
    total, items = Q.list_articles(store.engine, limit=50, offset=offset)
    return render(request, "articles.html", total=total, items=V.with_titles(store, items), offset=offset, limit=50)


@router.get("/claims", response_class=HTMLResponse)
def claims(request: Request) -> HTMLResponse:
    rows, source = A.claims(store_of(request))
    return render(request, "claims.html", rows=rows[:500], total=len(rows), source=source)


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    aoffset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> HTMLResponse:
    q = q.strip()
    events: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    ev_total = art_total = 0
    if q:
        store = store_of(request)
        ev_total, events = Q.list_events(store.engine, Q.EventFilter(text=q), limit=V.PAGE, offset=offset)
        art_total, articles = Q.list_articles(store.engine, q=q, limit=V.PAGE, offset=aoffset)
        articles = V.with_titles(store, articles)
    return render(
        request,
        "search.html",
        q=q,
        events=events,
        articles=articles,
        ev_total=ev_total,
        art_total=art_total,
        offset=offset,
        aoffset=aoffset,
        limit=V.PAGE,
    )


# ------------------------------------------------------------------------------------------------ workbench
def _filters(request: Request) -> V.Filters:
    return V.read_filters(request.query_params, store_of(request))


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
    """Every event, filtered by date range, type, status, actor, recipient, dyad and text; a map of the
    located ones; the view as CSV or JSON lines."""
    store = store_of(request)
    f = _filters(request)
    total, items, world = 0, list[dict[str, Any]](), None
    if not f.errors:
        total, items = Q.list_events(store.engine, f.event_filter(), limit=V.PAGE, offset=offset)
        world = V.map_points(store, f)
    return render(
        request,
        "events.html",
        status_code=422 if f.errors else 200,
        f=f,
        total=total,
        events=items,
        offset=offset,
        limit=V.PAGE,
        world=world,
    )


@router.get("/incidents", response_class=HTMLResponse)
def incidents(request: Request, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
    """Incidents (reports of one happening merged), filtered, newest first, page by page with the total."""
    store = store_of(request)
    f = _filters(request)
    total, items = (0, []) if f.errors else V.incidents_page(store, f, limit=V.PAGE, offset=offset)
    return render(
        request,
        "incidents.html",
        status_code=422 if f.errors else 200,
        f=f,
        total=total,
        incidents=items,
        offset=offset,
        limit=V.PAGE,
    )


@router.get("/dyad", response_class=HTMLResponse, response_model=None)
def dyad_picker(
    request: Request,
    a: Annotated[str, Query(max_length=80)] = "",
    b: Annotated[str, Query(max_length=80)] = "",
) -> Response:
    """The dyad picker: two sides by code or name ("Russia", "NATO") → that dyad's page."""
    store = store_of(request)
    from brinkwatch.analyze import names

    try:
        pair = names.dyad(f"{a}:{b}", store)
    except names.UnknownName as exc:
        return render(request, "error.html", status_code=422, message=f"Dyad: {exc}")
    x, y = pair.split(":")
    return RedirectResponse(f"/dyad/{x}/{y}", status_code=303)


def _valid_filters(request: Request) -> V.Filters:
    """The view's filters for a download: any that cannot be read is a 422 (a page shows the errors instead)."""
    f = _filters(request)
    if f.errors:
        raise HTTPException(status_code=422, detail="; ".join(f.errors))
    return f


def _download(body: Any, media: str, name: str) -> StreamingResponse:
    return StreamingResponse(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/download/events.csv", response_model=None)
def download_events_csv(request: Request) -> Response:
    f = _valid_filters(request)
    return _download(V.events_csv(store_of(request), f), "text/csv; charset=utf-8", "brinkwatch-events.csv")


@router.get("/download/events.jsonl", response_model=None)
def download_events_jsonl(request: Request) -> Response:
    f = _valid_filters(request)
    return _download(V.events_jsonl(store_of(request), f), "application/x-ndjson", "brinkwatch-events.jsonl")


@router.get("/download/incidents.csv", response_model=None)
def download_incidents_csv(request: Request) -> Response:
    f = _valid_filters(request)
    return _download(V.incidents_csv(store_of(request), f), "text/csv; charset=utf-8", "brinkwatch-incidents.csv")


@router.get("/download/claims.csv", response_model=None)
def download_claims_csv(request: Request) -> Response:
    rows, _ = A.claims(store_of(request))
    return _download(iter([V.claims_csv(rows)]), "text/csv; charset=utf-8", "brinkwatch-claims.csv")


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    endpoints = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            params = [
                {
                    "name": p.get("name"),
                    "in": p.get("in"),
                    "required": p.get("required", False),
                    "description": p.get("description") or "",
                    "schema": p.get("schema", {}),
                }
                for p in op.get("parameters", [])
            ]
            endpoints.append(
                {"method": method.upper(), "path": path, "summary": op.get("summary", ""), "params": params}
            )
    return render(request, "apidocs.html", endpoints=endpoints, title=spec.get("info", {}).get("title", "API"))
