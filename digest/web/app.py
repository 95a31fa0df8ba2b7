"""The web app: the preview workbench, the public archive, live template reloads, and the
readers' pages (subscribe, confirm, unsubscribe, preferences: see digest/web/subscribe.py).

    GET  /                              the archive: every edition, newest first
    GET  /archive/{YYYY-MM-DD}          the public copy (the email's view-in-browser link)
    GET  /editions/{id} | /editions/next    the workbench (?subscriber=ID or ?choose=1&section=…)
    GET  /editions/{key}/frame          the email's HTML as sent (&dark=1: in dark mode)
    GET  /editions/{key}/message.eml    the raw message, headers and all
    POST /editions/{key}/test-send      "[TEST] " copies to the addresses given; no ledger rows
    GET  /preview/version               a hash of the email templates' mtimes (live reload)
    GET|POST /subscribe, /c/{token}, /u/{token}, /p/{token}   readers (docs/subscribers.md)
    GET  /healthz                       added by digest serve (digest/serve.py)

With DIGEST_WORKBENCH_PASSWORD set, the editors' pages (/, /editions/…, /preview/…) ask for
it (HTTP Basic, any user name); the readers' pages, /archive/… and /healthz stay open.

``create_app`` has no side effects: the store is opened by the lifespan when not given.
DigestErrors become HTML pages with their HTTP status (TemplateError 500 with file and line,
NotFound 404, InvalidInput 400); nothing a user can cause shows a traceback.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from digest import pipeline, preview
from digest.config import Config
from digest.errors import DigestError, InvalidInput, NotFound, TemplateError
from digest.render import Renderer, templates_dir
from digest.store import Store
from digest.types import Edition
from digest.web.pages import (
    Choice,
    form_values,
    page,
    page_env,
    parse_day,
    same_origin,
    templates_version,
)
from digest.web.subscribe import Limiter, add_subscription_routes, reader_error

log = logging.getLogger(__name__)


def create_app(cfg: Config, store: Store | None = None) -> FastAPI:
    """The app for ``cfg``; with no ``store`` the lifespan opens (and closes) one."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        app.state.store = store if store is not None else Store.open(cfg.database_url)
        try:
            yield
        finally:
            if own:
                app.state.store.close()

    app = FastAPI(title="digest", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.cfg = cfg
    app.state.env = page_env()
    if cfg.workbench_password:
        _editors_only(app, cfg.workbench_password)
    _routes(app, cfg)
    add_subscription_routes(app, cfg)  # /subscribe, /c/…, /u/…, /p/… (digest/web/subscribe.py)
    _errors(app)
    return app


# The editors' pages: the archive list, the workbench and its live reload. The reader's pages
# (/subscribe, /c, /u, /p), the public copies (/archive/DAY) and /healthz stay open.
EDITOR_PAGES = ("/editions", "/preview")
PASSWORD_GUESSES = 20  # wrong workbench passwords one client may send in an hour


def is_editor_page(path: str) -> bool:
    return path == "/" or path.startswith(EDITOR_PAGES)


def _editors_only(app: FastAPI, password: str) -> None:
    """With DIGEST_WORKBENCH_PASSWORD set, the editors' pages ask for it (HTTP Basic; any
    user name), compared in constant time."""
    want = password.encode()
    guesses = Limiter(PASSWORD_GUESSES)  # wrong passwords per client and hour

    @app.middleware("http")
    async def ask_for_password(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not is_editor_page(request.url.path):
            return await call_next(request)
        client = request.client.host if request.client else ""
        if guesses.full(client, time.monotonic()):
            return PlainTextResponse("Too many wrong passwords from your network: try again "
                                     "in an hour.\n", status_code=429,
                                     headers={"Cache-Control": "no-store"})
        if not _password_ok(request, want):
            if "authorization" in request.headers:
                guesses.count(client, time.monotonic())
                log.warning("workbench: a wrong password from %s", client or "a client")
            return PlainTextResponse(
                "This page is for the newsletter's editors: log in with the workbench password "
                "(DIGEST_WORKBENCH_PASSWORD; any user name).\n", status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="digest workbench", charset="UTF-8"',
                         "Cache-Control": "no-store"})
        return await call_next(request)


def _password_ok(request: Request, want: bytes) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        given = base64.b64decode(value.strip(), validate=True).partition(b":")[2]
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(given, want)


def _store(request: Request) -> Store:
    s = request.app.state.store
    assert isinstance(s, Store)
    return s


def _html(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(page(request.app.state.env, name, **context), status_code=status)


# ---- the pieces every workbench route needs ---------------------------------------------------


def _edition(cfg: Config, store: Store, key: str) -> Edition:
    if key == "next":
        return pipeline.compose_now(cfg, store, now=pipeline.utcnow())
    if not key.isdigit():
        raise NotFound(f"no edition {key!r}", hint="editions are numbered; or use /editions/next")
    return store.edition(int(key))


def _choice(request: Request) -> Choice:
    return Choice.from_query(request.query_params, request.query_params.getlist("section"))


def _preview(cfg: Config, store: Store, edition: Edition, choice: Choice) -> preview.Preview:
    sub = store.subscriber(choice.subscriber) if choice.subscriber is not None else None
    return preview.make_preview(
        cfg, edition, reader=choice.reader(sub), secret=pipeline.secret_for(cfg, store),
        now=pipeline.utcnow(),
    )


def _workbench(
    request: Request, cfg: Config, key: str, *, notice: str = "", status: int = 200
) -> HTMLResponse:
    store = _store(request)
    edition = _edition(cfg, store, key)
    choice = _choice(request)
    pv = _preview(cfg, store, edition, choice)
    return _html(
        request, "workbench.html.j2", status,
        cfg=cfg, key=key, edition=edition, pv=pv, choice=choice, notice=notice,
        subscribers=store.subscribers(), limit=preview.GMAIL_CLIP_BYTES,
        all_sections=[s.name for s in edition.sections],
        version=templates_version(templates_dir(cfg)), live=True,
    )


# ---- routes ------------------------------------------------------------------------------------


def _routes(app: FastAPI, cfg: Config) -> None:
    @app.get("/", response_class=HTMLResponse)
    def archive_index(request: Request) -> HTMLResponse:
        return _html(request, "archive.html.j2", cfg=cfg, rows=_store(request).editions())

    @app.get("/archive/{day}", response_class=HTMLResponse)
    def archive_copy(request: Request, day: str) -> HTMLResponse:
        edition = _store(request).edition_for(cfg.newsletter.name, parse_day(day))
        unsent = edition is not None and edition.status not in ("sending", "sent")
        if edition is None or (unsent and cfg.workbench_password
                               and not _password_ok(request, cfg.workbench_password.encode())):
            # with a workbench password, tonight's edition is public once it is being sent
            raise NotFound(f"no edition of {day}",
                           hint="check the date in the link (YYYY-MM-DD)")
        rendered = Renderer(templates_dir(cfg), cfg.newsletter).render(edition, personal=False)
        return HTMLResponse(rendered.html)

    @app.get("/preview/version")
    def version() -> JSONResponse:
        return JSONResponse({"version": templates_version(templates_dir(cfg))},
                            headers={"Cache-Control": "no-store"})

    @app.get("/editions/{key}", response_class=HTMLResponse)
    def workbench(request: Request, key: str) -> HTMLResponse:
        return _workbench(request, cfg, key)

    @app.get("/editions/{key}/frame", response_class=HTMLResponse)
    def frame(request: Request, key: str, dark: int = 0) -> HTMLResponse:
        store = _store(request)
        pv = _preview(cfg, store, _edition(cfg, store, key), _choice(request))
        return HTMLResponse(preview.dark_variant(pv.html) if dark else pv.html)

    @app.get("/editions/{key}/message.eml")
    def raw_message(request: Request, key: str) -> Response:
        store = _store(request)
        pv = _preview(cfg, store, _edition(cfg, store, key), _choice(request))
        name = f"digest-{pv.edition.date:%Y-%m-%d}.eml"
        return Response(pv.raw, media_type="message/rfc822",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.post("/editions/{key}/test-send", response_class=HTMLResponse)
    async def test_send(request: Request, key: str) -> HTMLResponse:
        if not same_origin(request.headers.get("origin"), request.headers.get("host")):
            raise InvalidInput("test sends are only accepted from the workbench's own page")
        form = form_values(await request.body())
        return await run_in_threadpool(_test_send, request, cfg, key, form.get("addresses", []))


def _test_send(request: Request, cfg: Config, key: str, addresses: list[str]) -> HTMLResponse:
    store = _store(request)
    edition = _edition(cfg, store, key)
    choice = _choice(request)
    sub = store.subscriber(choice.subscriber) if choice.subscriber is not None else None
    sent = preview.send_test(
        cfg, edition, addresses, secret=pipeline.secret_for(cfg, store), now=pipeline.utcnow(),
        sections=choice.reader(sub).sections,
    )
    return _workbench(request, cfg, key, notice=f"Test sent to {', '.join(sent)}")


# ---- errors as pages ---------------------------------------------------------------------------


def _errors(app: FastAPI) -> None:
    @app.exception_handler(DigestError)
    async def digest_error(request: Request, exc: DigestError) -> HTMLResponse:
        return _error_page(request, exc)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return _error_page(request, NotFound(f"nothing at {request.url.path}"))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> HTMLResponse:
        log.exception("unexpected error on %s", request.url.path)
        return _error_page(request, DigestError(f"internal error ({type(exc).__name__})",
                                                hint="the server log has the details"))


def _error_page(request: Request, exc: DigestError) -> HTMLResponse:
    if exc.http_status >= 500 and not isinstance(exc, TemplateError):
        log.error("%s: %s", request.url.path, exc)
    title = {404: "Not found", 400: "Bad input"}.get(exc.http_status, "Error")
    if isinstance(exc, TemplateError):
        title = "Template error"
    cfg: Config = request.app.state.cfg
    if not is_editor_page(request.url.path) and not isinstance(exc, TemplateError):
        return reader_error(request, cfg, exc, title)  # readers see no editors' links
    try:
        version = templates_version(templates_dir(cfg))
    except DigestError:
        version = ""
    return _html(
        request, "error.html.j2", exc.http_status, title=title, error=exc,
        template_error=exc if isinstance(exc, TemplateError) else None,
        is_input=isinstance(exc, InvalidInput), version=version,
        live=request.url.path.startswith("/editions/") and bool(version),
    )
