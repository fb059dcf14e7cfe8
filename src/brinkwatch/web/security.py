"""Security headers on every response, the Host allow-list, bearer-token checks and request-size limits."""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def header_dict() -> dict[str, str]:
    """The security headers as a dict (for responses built outside the middleware: the 500 handler's)."""
    return {k.decode(): v.decode() for k, v in HEADERS}


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("0.0.0.0", "::", "")


def host_name(value: str) -> str:
    """The name in a Host header, without the port, lower-cased (``[::1]:8000`` → ``::1``)."""
    value = value.strip().lower()
    port = ""
    if value.startswith("["):  # an IPv6 literal
        name, _, rest = value[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                return ""
            port = rest[1:]
        value = name
    elif value.count(":") == 1:
        value, port = value.split(":", 1)
    if port and not port.isdigit():
        return ""  # a malformed port: no name we know
    return value.rstrip(".")


def allowed_hosts(bind: str | None = None, extra: str | None = None) -> frozenset[str] | None:
    """The Host names the server answers: this machine's loopback names, the address it binds (unless a
    wildcard), and ``extra`` (comma-separated; the ``allowed_hosts`` setting). ``*`` in ``extra`` turns the
    check off (None): for a reverse proxy that checks Host itself."""
    names = {h.strip().lower() for h in (extra or "").split(",") if h.strip()}
    if "*" in names:
        return None
    names |= set(LOCAL_HOSTS)
    if bind and bind not in WILDCARDS:
        names.add(host_name(bind))
    return frozenset(host_name(n) for n in names)


class HostGuard:
    """Pure ASGI middleware: a request whose Host header names none of the allowed hosts gets 400.

    A browser tricked by DNS rebinding (``evil.example`` resolving to 127.0.0.1) sends ``Host: evil.example``:
    without this check it could read the API from the attacker's page. Every redirect the app builds (the
    ``/static`` mount's) then also names an allowed host only.
    """

    def __init__(self, app: ASGIApp, allowed: frozenset[str] | None) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.allowed is None:
            await self.app(scope, receive, send)
            return
        host = ""
        for k, v in scope.get("headers", []):
            if k == b"host":
                host = v.decode("latin-1")
                break
        if host_name(host) in self.allowed:
            await self.app(scope, receive, send)
            return
        response = PlainTextResponse("400 Bad Request: unknown Host (see the allowed_hosts setting)", status_code=400)
        await response(scope, receive, send)


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers above to every HTTP response (errors and static files too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def check_token(request: Request, token: str | None) -> None:
    """403 when writing is disabled (no token configured); 401 when the bearer token is missing or wrong."""
    if not token:
        raise HTTPException(status_code=403, detail="writing is disabled: start the server with BRINKWATCH_TOKEN set")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    # header values arrive decoded as latin-1: back to their raw bytes, compared with the UTF-8 token
    raw = given.strip().encode("latin-1", errors="replace")
    ok = scheme.lower() == "bearer" and hmac.compare_digest(raw, token.encode("utf-8"))
    if not ok:
        raise HTTPException(
            status_code=401, detail="a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``max_bytes`` (declared or streamed)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > max_bytes:
                raise HTTPException(status_code=413, detail=f"request body larger than {max_bytes} bytes")
        except ValueError:
            raise HTTPException(status_code=400, detail="bad Content-Length") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise HTTPException(status_code=413, detail=f"request body larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def escape_json(text: str) -> str:
    """JSON text with ``<``, ``>``, ``&`` as \\u escapes: the same value, but never markup if misread as HTML."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class SafeJSONResponse(JSONResponse):
    """The API's JSON: compact UTF-8, with markup characters escaped (see :func:`escape_json`)."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return escape_json(text).encode("utf-8")
