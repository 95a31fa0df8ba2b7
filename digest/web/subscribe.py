"""The reader's pages: subscribe (double opt-in), confirm, unsubscribe (RFC 8058), preferences.

    GET  /subscribe              the form: address, sections
    POST /subscribe              "check your inbox" for every usable address (no address
                                 enumeration): a confirmation email, or to an active
                                 subscriber an "already subscribed" one; a bad address 400
    GET  /c/{token}              "Confirm your subscription" button (GET changes nothing)
    POST /c/{token}              pending → active
    GET  /u/{token}              "Unsubscribe ann@… from Evening Digest?" button
    POST /u/{token}              unsubscribes: the page's button, and RFC 8058 one-click
                                 (body ``List-Unsubscribe=One-Click``, urlencoded or multipart,
                                 no cookies, no CSRF check, answered 200, never redirected)
    POST /u/{token}/resubscribe  undo, for one who unsubscribed themselves (not a bounce)
    GET  /p/{token}              preferences: the address, sections, an unsubscribe button
    POST /p/{token}              saves the sections; 303 to GET /p/{token}?saved=1

A forged or damaged token is a 400 page, a good token for a subscriber no longer stored a
404 page. Token pages are never cached, indexed, framed or sent on as a Referer. One
mailbox gets at most one subscribe email per ``web.resend_after`` (digest.subscriptions), and
one client may post the form ``web.subscribes_per_hour`` times (``Limiter``, a 429 beyond).
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from digest import pipeline
from digest import subscriptions as subs
from digest.addresses import normalise_email
from digest.config import Config
from digest.errors import DeliveryError, DigestError, InvalidInput, LinkExpired, NotFound
from digest.store import Store
from digest.tokens import CONFIRM, PREFERENCES, UNSUBSCRIBE
from digest.types import Subscriber
from digest.web.pages import form_values, page

log = logging.getLogger(__name__)

BODY_LIMIT = 64 * 1024  # a form post or a provider's one-click POST is a few bytes
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
TOKEN_PAGE = {**PRIVATE, "X-Frame-Options": "DENY",
              "Content-Security-Policy": "frame-ancestors 'none'"}
Form = dict[str, list[str]]
READ = ["GET", "HEAD"]  # link checkers send HEAD; neither changes anything


class TooLarge(InvalidInput):
    """A form post far bigger than any of ours."""


class TooMany(DigestError):
    """One client posted the subscribe form more often than ``web.subscribes_per_hour``."""

    http_status = 429


class Limiter:
    """At most ``limit`` events per client in any hour (a sliding window, in memory: one
    process serves the site). ``limit`` 0: no limit."""

    def __init__(self, limit: int, window: float = 3600.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> collections.deque[float]:
        """The client's events within the window (call with the lock held)."""
        if len(self._seen) > 10_000:  # forget clients gone quiet
            self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - self.window}
        times = self._seen.setdefault(client, collections.deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def full(self, client: str, now: float) -> bool:
        """Whether ``client`` has used up its events of the window (counts nothing)."""
        with self._lock:
            return 0 < self.limit <= len(self._recent(client, now))

    def count(self, client: str, now: float) -> None:
        """One more event of ``client``."""
        with self._lock:
            self._recent(client, now).append(now)

    def allow(self, client: str, now: float) -> bool:
        """Count one more event unless the window is full; whether it was counted."""
        with self._lock:
            times = self._recent(client, now)
            if 0 < self.limit <= len(times):
                return False
            times.append(now)
            return True


class MailUnavailable(DigestError):
    """The confirmation email could not be handed over just now."""

    http_status = 503


@dataclass(frozen=True)
class Site:
    """What every reader's page needs: config, store, signed links, this moment."""

    cfg: Config
    store: Store
    secret: str
    links: subs.Links

    @classmethod
    def of(cls, request: Request, cfg: Config) -> Site:
        store = request.app.state.store
        assert isinstance(store, Store)
        secret = getattr(request.app.state, "reader_secret", None)
        if not isinstance(secret, str):  # read once: store.secret() is a write transaction
            secret = request.app.state.reader_secret = pipeline.secret_for(cfg, store)
        return cls(cfg, store, secret, subs.Links(cfg, secret))

    def subscriber(self, purpose: str, token: str) -> Subscriber:
        """InvalidInput (400) for a bad token, NotFound (404) for a gone subscriber."""
        return self.store.subscriber(self.links.check(purpose, token))


def add_subscription_routes(app: FastAPI, cfg: Config) -> None:
    """Register the reader's pages on ``app`` (whose ``state.store`` holds the Store)."""
    _subscribe_routes(app, cfg)
    _token_routes(app, cfg)


# ---- rendering -----------------------------------------------------------------------------


def _html(
    request: Request, cfg: Config, name: str, *, status: int = 200,
    headers: dict[str, str] | None = None, **context: Any,
) -> HTMLResponse:
    body = page(request.app.state.env, f"subscription/{name}",
                newsletter=cfg.newsletter.name, **context)
    sent = TOKEN_PAGE if headers is None else headers
    return HTMLResponse(body, status_code=status, headers=sent)


def reader_error(request: Request, cfg: Config, exc: DigestError, title: str) -> HTMLResponse:
    """An error page in the readers' look (no links to the editors' pages): a public copy
    that is not there, a mistyped address."""
    return _html(request, cfg, "problem.html.j2", status=exc.http_status, headers=PRIVATE,
                 title=title, error=exc)


def _problem(request: Request, cfg: Config, exc: DigestError) -> HTMLResponse:
    titles = {400: "This link is not valid", 404: "This address is not on our list",
              429: "Too many requests", 503: "Please try again later"}
    if isinstance(exc, TooLarge):
        titles[400] = "Too much data"
    elif isinstance(exc, LinkExpired):
        titles[410] = "This link has expired"
    elif isinstance(exc, NotFound):
        exc = NotFound("we have no subscriber for this link any more",
                       hint="to get the newsletter, subscribe again at /subscribe")
    elif isinstance(exc, InvalidInput):
        exc = InvalidInput(exc.message, hint="it may have been cut off when it was copied: "
                           "open the link from the newest email we sent you")
    return _html(request, cfg, "problem.html.j2", status=exc.http_status,
                 title=titles.get(exc.http_status, "Error"), error=exc)


def _guarded(request: Request, cfg: Config, make: Callable[[], Response]) -> Response:
    """A token page, or the reader's 400/404/503 page (never a traceback)."""
    try:
        return make()
    except (InvalidInput, NotFound, MailUnavailable) as e:
        return _problem(request, cfg, e)


async def _form(request: Request, cfg: Config) -> bytes | Response:
    """The posted body, or the reader's 400 page when it is too large."""
    try:
        return await _body(request)
    except TooLarge as e:
        return _problem(request, cfg, e)


def _sections_context(
    options: list[str], chosen: frozenset[str] | None
) -> dict[str, Any]:
    return {"options": options, "everything": chosen is None,
            "ticked": set(options) if chosen is None else set(chosen)}


def _submitted(form: Form, options: list[str]) -> dict[str, Any]:
    """The checkboxes as the reader left them (to show the form again)."""
    return {"options": options, "everything": "all" in form,
            "ticked": set(form.get("section", []))}


async def _body(request: Request) -> bytes:
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > BODY_LIMIT:
            raise TooLarge(f"a form post here is at most {BODY_LIMIT // 1024} KB")
    return bytes(data)


# ---- /subscribe ----------------------------------------------------------------------------


def _subscribe_routes(app: FastAPI, cfg: Config) -> None:
    @app.api_route("/subscribe", methods=READ, response_class=HTMLResponse)
    def subscribe_form(request: Request) -> HTMLResponse:
        site = Site.of(request, cfg)
        options = subs.known_sections(cfg, site.store)
        return _html(request, cfg, "subscribe.html.j2", headers={}, email="", error=None,
                     **_sections_context(options, None))

    limiter = Limiter(cfg.web.subscribes_per_hour)

    @app.post("/subscribe", response_class=HTMLResponse)
    async def subscribe(request: Request) -> Response:
        client = request.client.host if request.client else ""
        if not limiter.allow(client, time.monotonic()):
            log.warning("subscribe: %s posted more than web.subscribes_per_hour (%d) times "
                        "in an hour; refused", client or "a client", cfg.web.subscribes_per_hour)
            return _problem(request, cfg, TooMany(
                "too many subscribe requests from your network",
                hint="please try again in an hour"))
        body = await _form(request, cfg)
        if isinstance(body, Response):
            return body
        return await run_in_threadpool(_subscribe, request, cfg, form_values(body))


def _subscribe(request: Request, cfg: Config, form: Form) -> Response:
    site = Site.of(request, cfg)
    options = subs.known_sections(cfg, site.store)
    address = (form.get("email") or [""])[0].strip()
    try:
        req = _request(site, address, form, options)
    except InvalidInput as e:
        return _html(request, cfg, "subscribe.html.j2", status=400, headers=PRIVATE,
                     email=address, error=e, **_submitted(form, options))
    except MailUnavailable as e:
        return _problem(request, cfg, e)
    return _html(request, cfg, "check_inbox.html.j2", headers=PRIVATE, email=req.email)


def _request(site: Site, address: str, form: Form, options: list[str]) -> subs.Requested:
    if not address:
        raise InvalidInput("please enter your email address")
    normalise_email(address)  # the address's problem first, before the sections'
    sections = subs.chosen_sections(form.get("section", []), everything="all" in form,
                                    allowed=options)
    try:
        req = subs.request_subscription(
            site.cfg, site.store, address, sections, now=pipeline.utcnow(),
            secret=site.secret,
        )
    except DeliveryError as e:
        log.warning("subscribe: the confirmation email was not sent: %s", e)
        raise MailUnavailable("we could not send the confirmation email just now",
                              hint="please try again in a few minutes") from None
    if req.mailed:
        log.info("subscribe: subscriber %d (%s mail sent)", req.subscriber.id, req.mail)
    else:
        log.info("subscribe: subscriber %d asked again within web.resend_after (%s): no "
                 "email sent", req.subscriber.id, site.cfg.web.resend_after)
    return req


# ---- /c, /u, /p ----------------------------------------------------------------------------


def _token_routes(app: FastAPI, cfg: Config) -> None:
    @app.api_route("/c/{token}", methods=READ, response_class=HTMLResponse)
    def confirm_page(request: Request, token: str) -> Response:
        return _guarded(request, cfg, lambda: _confirm(request, cfg, token, post=False))

    @app.post("/c/{token}", response_class=HTMLResponse)
    def confirm(request: Request, token: str) -> Response:
        return _guarded(request, cfg, lambda: _confirm(request, cfg, token, post=True))

    @app.api_route("/u/{token}", methods=READ, response_class=HTMLResponse)
    def unsubscribe_page(request: Request, token: str) -> Response:
        return _guarded(request, cfg, lambda: _unsubscribe(request, cfg, token, action=""))

    @app.post("/u/{token}", response_class=HTMLResponse)
    async def unsubscribe(request: Request, token: str) -> Response:
        body = await _form(request, cfg)
        if isinstance(body, Response):
            return body
        how = "one-click (RFC 8058)" if b"One-Click" in body else "on the unsubscribe page"
        return await run_in_threadpool(
            _guarded, request, cfg, lambda: _unsubscribe(request, cfg, token, action=how)
        )

    @app.post("/u/{token}/resubscribe", response_class=HTMLResponse)
    def resubscribe(request: Request, token: str) -> Response:
        return _guarded(
            request, cfg, lambda: _unsubscribe(request, cfg, token, action="resubscribe")
        )

    @app.api_route("/p/{token}", methods=READ, response_class=HTMLResponse)
    def preferences_page(request: Request, token: str, saved: int = 0) -> Response:
        return _guarded(request, cfg, lambda: _preferences(request, cfg, token, saved=bool(saved)))

    @app.post("/p/{token}", response_class=HTMLResponse)
    async def preferences(request: Request, token: str) -> Response:
        body = await _form(request, cfg)
        if isinstance(body, Response):
            return body
        form = form_values(body)
        return await run_in_threadpool(
            _guarded, request, cfg, lambda: _save_preferences(request, cfg, token, form)
        )


def _confirm(request: Request, cfg: Config, token: str, *, post: bool) -> Response:
    site = Site.of(request, cfg)
    sub = site.subscriber(CONFIRM, token)
    if post:
        sub = subs.confirm(site.store, sub.id, pipeline.utcnow())
    state = {"pending": "ask", "active": "subscribed"}.get(sub.status, "stale")
    return _html(request, cfg, "confirm.html.j2", state=state, subscriber=sub,
                 action=f"/c/{token}",  # the same link: opening it does not renew its life
                 preferences=site.links.path(PREFERENCES, sub.id))


def _unsubscribe_state(sub: Subscriber, action: str) -> str:
    if sub.status in ("bounced", "pending") and action == "resubscribe":
        return sub.status
    if sub.status == "active" and action == "resubscribe":
        return "resubscribed"
    return {"unsubscribed": "done", "bounced": "bounced"}.get(sub.status, "ask")


def _unsubscribe(request: Request, cfg: Config, token: str, *, action: str) -> Response:
    """``action``: "" (GET: show), "resubscribe", or how the unsubscribe came (a note)."""
    site = Site.of(request, cfg)
    sub = site.subscriber(UNSUBSCRIBE, token)
    now = pipeline.utcnow()
    if action == "resubscribe":
        sub = subs.resubscribe(site.store, sub.id, now)
    elif action:
        sub = subs.unsubscribe(site.store, sub.id, now, how=action)
    if action:
        log.info("subscriber %d: %s → %s", sub.id, action, sub.status)
    path = site.links.path(UNSUBSCRIBE, sub.id)
    return _html(request, cfg, "unsubscribe.html.j2", state=_unsubscribe_state(sub, action),
                 subscriber=sub, action=path, resubscribe=f"{path}/resubscribe",
                 preferences=site.links.path(PREFERENCES, sub.id))


def _preferences(
    request: Request, cfg: Config, token: str, *, saved: bool = False,
    form: Form | None = None, error: DigestError | None = None,
) -> Response:
    site = Site.of(request, cfg)
    sub = site.subscriber(PREFERENCES, token)
    options = subs.section_options(subs.known_sections(cfg, site.store), sub.sections)
    boxes = _submitted(form, options) if form is not None else _sections_context(
        options, sub.sections)
    return _html(request, cfg, "preferences.html.j2", status=400 if error else 200,
                 subscriber=sub, saved=saved, error=error, **boxes,
                 action=site.links.path(PREFERENCES, sub.id),
                 unsubscribe=site.links.path(UNSUBSCRIBE, sub.id))


def _save_preferences(request: Request, cfg: Config, token: str, form: Form) -> Response:
    site = Site.of(request, cfg)
    sub = site.subscriber(PREFERENCES, token)
    options = subs.section_options(subs.known_sections(cfg, site.store), sub.sections)
    try:
        chosen = subs.chosen_sections(form.get("section", []), everything="all" in form,
                                      allowed=options)
    except InvalidInput as e:
        return _preferences(request, cfg, token, form=form, error=e)
    subs.save_sections(site.store, sub.id, chosen, pipeline.utcnow())
    log.info("subscriber %d: sections saved", sub.id)
    return RedirectResponse(f"{site.links.path(PREFERENCES, sub.id)}?saved=1", status_code=303,
                            headers=PRIVATE)
