"""The HTTP application: routes, tokens, limits and errors as JSON.

- `POST /v1/tickets`, `POST /v1/notes`, `POST /v1/alertmanager`: engineer tokens; `GET /v1/queue`,
  `GET /v1/tickets/ID`: any token; `GET /healthz`: nobody needs one.
- `/board`: the read-only page. Its login form keeps the token in an HttpOnly, SameSite=Strict
  cookie. The cookie is honoured for reads, and for a write only when the request comes from
  this site (Origin), so no other site can make a browser act with it; no GET changes anything.
- Errors are JSON `{"error": …}` with the contract's statuses (400, 401, 403, 404, 409; 413
  and 429 for bodies and rates over the limits, 503 while the database is busy). Nothing a
  client sees ever carries a traceback: unexpected errors are logged and answered with 500.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dutyboard.i18n import _
from dutyboard.service import intake, live, tickets, tokens
from dutyboard.service.board import Board
from dutyboard.service.errors import (
    BadInput,
    Conflict,
    Forbidden,
    NotFound,
    ServiceError,
    StoreBusy,
    StoreError,
)
from dutyboard.service.tokens import Principal
from dutyboard.web import page
from dutyboard.web.feed import BoardFeed
from dutyboard.web.limits import RateLimiter

T = TypeVar("T")
log = logging.getLogger("dutyboard.web")

STATIC_DIR = Path(__file__).resolve().with_name("static")
COOKIE = "dutyboard_token"
LANG_COOKIE = "dutyboard_lang"
#: Seconds a login lasts in the browser (the token itself does not expire).
COOKIE_AGE = 12 * 3600
#: Wrong tokens an address may present per minute (then 429 until the bucket refills).
FAILED_PER_MINUTE = 10
#: Bytes the login form may have.
FORM_MAX = 8192
#: Seconds between keep-alive comments and token re-checks on an event stream.
KEEPALIVE_SECONDS = 15.0
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class ApiError(Exception):
    """A refusal with its HTTP status and a message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _status_of(error: ServiceError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, BadInput):
        return 400
    return 500


class Web:
    """The application's state: the board, its limits, the feed, the thread limiter for writes."""

    def __init__(self, board: Board) -> None:
        self.board = board
        settings = board.config.http
        self.max_body = settings.max_body
        self.limiter = RateLimiter(settings.rate_per_minute, settings.burst)
        self.failures = RateLimiter(FAILED_PER_MINUTE, FAILED_PER_MINUTE)
        # SQLite takes one writer at a time: queue this process's writes here, not in its lock.
        self.writers = anyio.CapacityLimiter(1 if board.single_writer else 8)
        self.feed: BoardFeed | None = None

    # ------------------------------------------------------------ database work, off the loop

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        return await anyio.to_thread.run_sync(functools.partial(_guarded, fn, *args))

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        return await anyio.to_thread.run_sync(
            functools.partial(_guarded, fn, *args), limiter=self.writers
        )

    # ------------------------------------------------------------ who is asking

    async def principal(self, request: Request) -> Principal:
        """The token's principal (header, else cookie); 401 or 429 otherwise."""
        asking = _Asking.of(request)
        return await self.read(self.authorize, asking, False)

    async def write_as(self, request: Request, work: Callable[[Board, Any], T]) -> T:
        """Check the token and do `work(board acting as it, the JSON body)` in one thread hop.

        The busiest path (an alert per request) crosses to a worker thread once, not twice.
        """
        asking = _Asking.of(request)
        raw = await _body_bytes(request, self.max_body)

        def run() -> T:
            who = self.authorize(asking, True)
            return work(self.board.acting_as(who.actor, who.access), _json(raw))

        return await self.write(run)

    def authorize(self, asking: _Asking, writing: bool) -> Principal:
        """In a worker thread: the principal of the request's token, or the refusal."""
        if self.failures.peek(asking.address):
            raise ApiError(429, _("Too many wrong tokens from this address; try again later"),
                           {"Retry-After": "60"})
        found = tokens.authenticate(asking.token)
        if found is None:
            self.failures.take(asking.address)
            log.warning("refused %s %s from %s: wrong or revoked token", asking.method,
                        asking.path, asking.address)
            raise ApiError(401, _("The token is wrong or has been revoked"),
                           {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if writing and asking.from_cookie and not asking.same_origin:
            raise ApiError(
                403, _("A write with the board's cookie must come from the board's own page")
            )
        wait = self.limiter.take(found.name)
        if wait > 0:
            raise ApiError(429, _("Too many requests for this token; try again shortly"),
                           {"Retry-After": str(max(1, round(wait)))})
        return found


@dataclass(frozen=True)
class _Asking:
    """What authorizing a request needs, read on the event loop before crossing to a thread."""

    token: str
    from_cookie: bool
    address: str
    method: str
    path: str
    same_origin: bool

    @classmethod
    def of(cls, request: Request) -> _Asking:
        token, from_cookie = _presented(request)
        if token is None:
            raise ApiError(401, _("A token is needed: Authorization: Bearer TOKEN"),
                           {"WWW-Authenticate": "Bearer"})
        return cls(token, from_cookie, request.client.host if request.client else "?",
                   request.method, request.url.path, _same_origin(request))


def _guarded(fn: Callable[..., T], *args: Any) -> T:
    """Run service work in a worker thread, its refusals turned into HTTP statuses."""
    try:
        return fn(*args)
    except ServiceError as error:
        raise ApiError(_status_of(error), error.message) from None
    except StoreBusy as error:
        raise ApiError(503, error.message, {"Retry-After": "1"}) from None
    except StoreError as error:
        raise ApiError(503, error.message) from None


def _presented(request: Request) -> tuple[str | None, bool]:
    """The token the request carries and whether it came from the cookie."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _space, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, _("The Authorization header must be: Bearer TOKEN"),
                           {"WWW-Authenticate": "Bearer"})
        return token.strip(), False
    cookie = request.cookies.get(COOKIE)
    return (cookie, True) if cookie else (None, False)


def _same_origin(request: Request) -> bool:
    """Whether a browser says the request comes from this site (Origin, else Referer)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return False
    parts = urlsplit(source)
    return parts.netloc == request.headers.get("host", "") and parts.scheme in ("http", "https")


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


async def _body_bytes(request: Request, cap: int) -> bytes:
    """The request body, refused when over the cap (413), counted as it arrives."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise ApiError(413, _("The request body is larger than {n} bytes").format(n=cap))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise ApiError(413, _("The request body is larger than {n} bytes").format(n=cap))
    return bytes(body)


def _json(raw: bytes) -> Any:
    """A body as JSON (400 when it is not)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(
            400, _("The request body is not valid JSON: {error}").format(error=error)
        ) from None


async def _form(request: Request) -> dict[str, str]:
    """A small urlencoded form (the login): its first value per field."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise ApiError(400, _("The login form must be sent as an HTML form"))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_MAX:
            raise ApiError(413, _("The request body is larger than {n} bytes").format(n=FORM_MAX))
    try:
        fields = parse_qs(bytes(body).decode("utf-8"), max_num_fields=8)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, _("The login form could not be read")) from None
    return {name: values[0] for name, values in fields.items()}


# ---------------------------------------------------------------- the API


def _web(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


async def healthz(request: Request) -> Response:
    web = _web(request)
    try:
        await web.read(live.marker, web.board)
    except ApiError as error:
        return JSONResponse({"ok": False, "error": error.message}, status_code=503)
    return JSONResponse({"ok": True})


async def post_ticket(request: Request) -> Response:
    def work(board: Board, body: Any) -> dict[str, Any]:
        done = intake.open_from_request(board, body)
        shown = tickets.view(board, done.id).to_json(board.zone)
        log.info("%s ticket %s for %s", "repeated" if done.deduplicated else "opened", done.id,
                 board.actor)
        return {**shown, "deduplicated": done.deduplicated}

    shown = await _web(request).write_as(request, work)
    return JSONResponse(shown, status_code=200 if shown["deduplicated"] else 201,
                        headers={"Location": f"/v1/tickets/{shown['id']}"})


async def post_note(request: Request) -> Response:
    def work(board: Board, body: Any) -> dict[str, Any]:
        noted = intake.note_from_request(board, body)
        log.info("noted ticket %s for %s", noted, board.actor)
        return tickets.view(board, noted).to_json(board.zone)

    return JSONResponse(await _web(request).write_as(request, work))


async def post_alertmanager(request: Request) -> Response:
    def work(board: Board, body: Any) -> list[dict[str, Any]]:
        outcomes = intake.receive_alertmanager(board, body)
        for outcome in outcomes:
            log.info("alert %s %s: %s ticket %s for %s", outcome.fingerprint, outcome.status,
                     outcome.action, outcome.ticket, board.actor)
        return [outcome.to_json() for outcome in outcomes]

    return JSONResponse({"alerts": await _web(request).write_as(request, work)})


async def get_queue(request: Request) -> Response:
    web = _web(request)
    who = await web.principal(request)
    board = web.board.acting_as(who.actor, who.access)
    return JSONResponse(await web.read(tickets.queue_json, board))


async def get_ticket(request: Request) -> Response:
    web = _web(request)
    who = await web.principal(request)
    raw = request.path_params["ticket"]
    if not raw.isdigit():
        raise ApiError(404, _("There is no ticket {id}").format(id=raw))
    board = web.board.acting_as(who.actor, who.access)
    view = await web.read(tickets.view, board, int(raw))
    return JSONResponse(view.to_json(board.zone))


# ---------------------------------------------------------------- the board page


def _language(request: Request) -> str:
    return page.choose_language(
        request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def _html(request: Request, text: str, status: int = 200) -> HTMLResponse:
    response = HTMLResponse(text, status_code=status, headers={"Cache-Control": "no-store"})
    asked = request.query_params.get("lang")
    if asked in page.LANGUAGE_NAMES:
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 86400, samesite="strict")
    return response


async def board_page(request: Request) -> Response:
    web = _web(request)
    language = _language(request)
    token = request.cookies.get(COOKIE)
    found = await web.read(tokens.authenticate, token) if token else None
    if found is None:
        return _html(request, page.login_page(language))
    return _html(request, page.board_page(language, found.actor))


async def board_login(request: Request) -> Response:
    web = _web(request)
    if not _same_origin(request):
        raise ApiError(403, _("The login form must be sent from the board's own page"))
    form = await _form(request)
    language = page.choose_language(form.get("lang", ""), None, None)
    address = request.client.host if request.client else "?"
    if web.failures.peek(address):
        return _html(request, page.login_page(language, page.WORDS["too_many"]), 429)
    token = form.get("token", "").strip()
    found = await web.read(tokens.authenticate, token) if token else None
    if found is None:
        web.failures.take(address)
        log.warning("refused a board login from %s: wrong or revoked token", address)
        return _html(request, page.login_page(language, page.WORDS["wrong_token"]), 401)
    log.info("board login for %s from %s", found.actor, address)
    response = RedirectResponse("/board", status_code=303)
    response.set_cookie(
        COOKIE, token, max_age=COOKIE_AGE, httponly=True, samesite="strict",
        secure=request.url.scheme == "https", path="/",
    )
    return response


async def board_logout(request: Request) -> Response:
    if not _same_origin(request):
        raise ApiError(403, _("The logout form must be sent from the board's own page"))
    response = RedirectResponse("/board", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


async def board_session(request: Request) -> Response:
    """Who the page's cookie stands for (the page asks when its event stream closes)."""
    who = await _web(request).principal(request)
    return JSONResponse({"name": who.name, "access": who.access, "actor": who.actor})


async def board_events(request: Request) -> Response:
    """Server-sent events: a snapshot now and on each change; `logout` once the token is revoked."""
    web = _web(request)
    await web.principal(request)
    token, _from_cookie = _presented(request)
    feed = web.feed
    if feed is None:
        raise ApiError(503, _("The board is starting; try again shortly"))
    queue = feed.subscribe()

    async def stream() -> AsyncIterator[str]:
        try:
            yield "retry: 1000\n\n"
            checked = time.monotonic()
            while True:
                try:
                    data = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    data = ""
                if data is None:
                    return
                if time.monotonic() - checked >= KEEPALIVE_SECONDS:
                    checked = time.monotonic()
                    if token is None or await web.read(tokens.authenticate, token) is None:
                        yield "event: logout\ndata: {}\n\n"
                        return
                yield f"event: snapshot\ndata: {data}\n\n" if data else ": keep-alive\n\n"
        finally:
            feed.unsubscribe(queue)

    return StreamingResponse(
        stream(), media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def root(request: Request) -> Response:
    return RedirectResponse("/board", status_code=307)


# ---------------------------------------------------------------- errors


async def _on_api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return _error(error.status, error.message, error.headers)


async def _on_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    messages = {404: _("Nothing is here"), 405: _("This method is not allowed here")}
    return _error(error.status_code, messages.get(error.status_code, str(error.detail)),
                  dict(error.headers or {}))


async def _on_crash(request: Request, error: Exception) -> Response:
    log.error("%s %s failed", request.method, request.url.path, exc_info=error)
    return _error(500, _("Something went wrong on the board's side; it has been logged"))


# ---------------------------------------------------------------- the application


def create_app(board: Board) -> Starlette:
    """The application for one open board (the server's own actor only opens it)."""
    web = Web(board)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        web.feed = BoardFeed(board, asyncio.get_running_loop())
        web.feed.start()
        try:
            yield
        finally:
            await web.feed.stop()

    app = Starlette(
        routes=[
            Route("/", root),
            Route("/healthz", healthz),
            Route("/v1/tickets", post_ticket, methods=["POST"]),
            Route("/v1/tickets/{ticket}", get_ticket),
            Route("/v1/notes", post_note, methods=["POST"]),
            Route("/v1/alertmanager", post_alertmanager, methods=["POST"]),
            Route("/v1/queue", get_queue),
            Route("/board", board_page),
            Route("/board/login", board_login, methods=["POST"]),
            Route("/board/logout", board_logout, methods=["POST"]),
            Route("/board/session", board_session),
            Route("/board/events", board_events),
            Mount("/board/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        exception_handlers={
            ApiError: _on_api_error,
            HTTPException: _on_http_error,
            Exception: _on_crash,
        },
        lifespan=lifespan,
    )
    app.state.web = web
    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Adds the security headers to every response (plain ASGI, so event streams stay streams)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)
