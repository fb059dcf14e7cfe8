"""Server-rendered pages (Jinja2, autoescape on): overview → dyad → incident → article, claims, search."""

from __future__ import annotations

import math
from collections import OrderedDict
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from brinkwatch.core.ontology import CLAIM_STATES, STATUSES
from brinkwatch.lexicon import groups
from brinkwatch.store.writer import Store
from brinkwatch.web import analytics as A
from brinkwatch.web import queries as Q
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
    env.globals["STATUS_CLASSES"] = STATUS_CLASSES
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
    _, incidents, _ = A.incidents(store, limit=10)
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
        articles=articles,
    )


def _code(x: str) -> str:
    try:
        return groups.parse_code(x)
    except ValueError:
        raise HTTPException(status_code=404, detail="not a dyad code") from None


@router.get("/dyad/{a}/{b}", response_class=HTMLResponse)
def dyad(request: Request, a: str, b: str) -> HTMLResponse:
    a, b = _code(a), _code(b)
    store = store_of(request)
    series, source = A.dyad_series(store, a, b)
    _, incidents, _ = A.incidents(store, dyad=(a, b), limit=100)
    ev_total, events = Q.list_events(store.engine, Q.EventFilter(dyad=(a, b)), limit=50)
    esc, _ = A.escalation(store, dyad=(a, b))
    return render(
        request,
        "dyad.html",
        a=a,
        b=b,
        chart=chart_of(series),
        series_source=source,
        incidents=incidents,
        events=events,
        ev_total=ev_total,
        escalation=A.latest_per_dyad(esc)[:1],
        esc_chart=escalation_chart(esc),
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
    return render(request, "article.html", art=found, body=body)


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    total, items = Q.list_articles(store_of(request).engine, limit=50, offset=offset)
    return render(request, "articles.html", total=total, items=items, offset=offset, limit=50)


@router.get("/claims", response_class=HTMLResponse)
def claims(request: Request) -> HTMLResponse:
    rows, source = A.claims(store_of(request))
    columns: list[str] = []
    for r in rows:
        for k in r:
            if k not in columns:
                columns.append(k)
    return render(request, "claims.html", rows=rows[:500], total=len(rows), source=source, columns=columns)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    q = q.strip()
    events: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    ev_total = art_total = 0
    if q:
        engine = store_of(request).engine
        ev_total, events = Q.list_events(engine, Q.EventFilter(text=q), limit=50)
        art_total, articles = Q.search_articles(engine, q)
    return render(request, "search.html", q=q, events=events, articles=articles, ev_total=ev_total, art_total=art_total)


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
