"""web — the dashboard and HTTP API: ``create_app(db)`` gives a FastAPI app, ``run(db)`` serves it on 127.0.0.1.
May import pipeline (POST /api/articles), analyze, store, lexicon and core.

Everything the browser loads comes from this server (plotly.min.js from the installed plotly package);
a Content-Security-Policy forbids anything else, and every piece of article text is escaped.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from brinkwatch import __version__
from brinkwatch.core.settings import Settings
from brinkwatch.store.writer import Store
from brinkwatch.web.security import HostGuard, SafeJSONResponse, SecurityHeaders, allowed_hosts, header_dict

__all__ = ["create_app", "plotly_js_path", "run"]


def plotly_js_path() -> Path:
    """plotly.min.js as shipped inside the installed plotly Python package (never a CDN)."""
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    if not path.is_file():  # pragma: no cover - plotly always ships it
        raise FileNotFoundError(f"plotly.min.js not found at {path}")
    return path


def plotly_style_guards(path: Path) -> list[str]:
    """Ids plotly.min.js checks before injecting a <style> element at load (its bundled maplibre CSS).

    An element with that id already in the page makes it skip the injection, which our CSP would refuse
    (console error). We draw no maps, so nothing is lost. Read from the installed file: stays right when
    plotly is upgraded.
    """
    text = path.read_text(encoding="utf-8", errors="replace")
    return sorted(set(re.findall(r'if\(!document\.getElementById\("([0-9a-f]{32,64})"\)\)', text)))


def create_app(
    db: str | os.PathLike[str] | None = None, settings: Settings | None = None, *, bind: str | None = None
) -> FastAPI:
    """The FastAPI app on one store. ``db`` overrides ``settings.db`` (itself $BRINKWATCH_DB or the default);
    ``bind`` is the address ``run`` serves on (its name is then an allowed Host)."""
    from brinkwatch.web import analytics, api, pages
    from brinkwatch.web.ingest_one import Writer

    settings = settings or Settings.from_env()
    store = Store(db if db is not None else settings.db)
    writer = Writer(store.url, settings, on_write=lambda: analytics.touch(store))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.token:
            writer.start()  # the parser loads now, not on the first POST
        try:
            yield
        finally:
            writer.close()
            store.close()

    app = FastAPI(
        lifespan=lifespan,
        default_response_class=SafeJSONResponse,
        title="brinkwatch",
        summary="PLOVER events, incidents, claims and escalation from news text.",
        version=__version__,
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: /api/docs is a local page instead
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.router.redirect_slashes = False  # no redirect built from the request's Host (/static → 404, not 307)
    app.state.store = store
    app.state.settings = settings
    app.state.writer = writer
    app.state.jinja = pages.make_env()
    app.add_middleware(HostGuard, allowed=allowed_hosts(bind, settings.allowed_hosts))
    app.add_middleware(SecurityHeaders)  # added last: outermost, so the Host check's 400 carries them too

    plotly_js = plotly_js_path()
    app.state.jinja.globals["plotly_style_guards"] = plotly_style_guards(plotly_js)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> FileResponse:
        return FileResponse(plotly_js, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return FileResponse(
            Path(str(resources.files("brinkwatch.web") / "static" / "favicon.svg")), media_type="image/svg+xml"
        )

    app.mount("/static", StaticFiles(directory=str(resources.files("brinkwatch.web") / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
            return SafeJSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
        return pages.render(request, "error.html", status_code=exc.status_code, message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = jsonable_encoder(exc.errors())
        if request.url.path.startswith("/api"):
            return SafeJSONResponse({"detail": detail}, status_code=422)
        msgs = "; ".join(f"{'.'.join(str(x) for x in d.get('loc', ()))}: {d.get('msg', '')}" for d in detail)
        return pages.render(request, "error.html", status_code=422, message=f"Bad request: {msgs}")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # answered by Starlette's outermost middleware, outside SecurityHeaders: the headers are set here
        return PlainTextResponse("500 Internal Server Error", status_code=500, headers=header_dict())

    return app


def run(
    db: str | os.PathLike[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    settings: Settings | None = None,
    **uvicorn_options: Any,
) -> None:
    """Serve the dashboard until interrupted (bound to 127.0.0.1 unless ``host`` says otherwise)."""
    import threading
    import webbrowser

    import uvicorn

    app = create_app(db, settings, bind=host)
    if open_browser:
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level=uvicorn_options.pop("log_level", "info"), **uvicorn_options)
