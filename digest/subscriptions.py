"""Subscriptions: what the public pages decide, apart from HTTP.

    known_sections(cfg, store)      the section names a reader can choose from
    chosen_sections(...)            a form's ticks → frozenset (some sections) | None (all)
    Links(cfg, secret)              the signed confirm / unsubscribe / preferences URLs
    request_subscription(...)       double opt-in, step 1: a pending subscriber and an email
    confirm(store, id, now)         step 2: pending → active
    unsubscribe / resubscribe       active → unsubscribed → active (never a bounced address)
    confirmation_message(...)       the confirmation (or "already subscribed") email's bytes

Status changes are idempotent, and each returns the subscriber as it is afterwards. Nothing
here reads the clock or knows about HTTP; the transport is passed in.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

import jinja2
import mjml
from sqlalchemy.exc import IntegrityError

from digest import i18n
from digest.addresses import normalise_email
from digest.config import DEFAULT_SECTIONS, DEFAULT_TOPICS, Config, confirm_valid, resend_gap
from digest.deliver import Envelope, Transport, make_transport
from digest.errors import InvalidInput
from digest.message import domain_of
from digest.render import (
    RENDER_ERRORS,
    clean_text,
    jinja_error,
    locale_for,
    mjml_error,
    templates_dir,
    wrap,
)
from digest.store import Store
from digest.tokens import CONFIRM, PREFERENCES, UNSUBSCRIBE, Tokens, span
from digest.types import Subscriber

RECENT_EDITIONS = 14  # editions whose section names are offered with group_by = "feed"
TEXT_TEMPLATE = "email/confirm.txt.j2"
HTML_TEMPLATE = "email/confirm.mjml.j2"
MAX_SECTION_NAME = 200

# what request_subscription sent
CONFIRM_MAIL = "confirm"  # a new, pending or returning address: a link to confirm
ALREADY_MAIL = "already"  # an active subscriber: "nothing changed", with the preferences link


# ---- sections ------------------------------------------------------------------------------


def _unique(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
    return out


def recent_section_names(store: Store, newsletter: str, limit: int = RECENT_EDITIONS) -> list[str]:
    """Section names of the newest stored editions of ``newsletter``, newest first."""
    rows = [r for r in store.editions(limit=limit) if r["newsletter"] == newsletter]
    return _unique(s.name for r in rows for s in store.edition(int(r["id"])).sections)


def known_sections(cfg: Config, store: Store) -> list[str]:
    """The sections a reader can choose, in the order editions show them.

    By region or topic: the configured ones (else the defaults), as compose uses them. By
    feed: ``edition.sections``, then each feed's section (compose adds those too), then
    any other name seen in the last editions."""
    e = cfg.edition
    if e.group_by == "region":
        return list(e.sections or DEFAULT_SECTIONS)
    if e.group_by == "topic":
        return list(e.sections or e.topics or DEFAULT_TOPICS)
    configured = [*e.sections, *(f.section for f in cfg.feeds)]
    return _unique([*configured, *recent_section_names(store, cfg.newsletter.name)])


def chosen_sections(
    ticked: Sequence[str], *, everything: bool, allowed: Sequence[str]
) -> frozenset[str] | None:
    """A form's choice. ``everything`` ("all sections, also new ones") stores None unless a
    section was unticked; names outside ``allowed`` are ignored. InvalidInput for none."""
    chosen = frozenset(s for s in ticked if s in allowed and len(s) <= MAX_SECTION_NAME)
    if not allowed or (everything and chosen >= set(allowed)):
        return None
    if not chosen:
        if everything:
            return None
        raise InvalidInput(
            "choose at least one section",
            hint="tick the sections you want, or “All sections”; or unsubscribe",
        )
    return chosen


def section_options(known: Sequence[str], current: frozenset[str] | None) -> list[str]:
    """What a form offers: the known sections, plus any the reader chose that are gone."""
    return _unique([*known, *sorted(current or ())])


# ---- links ---------------------------------------------------------------------------------


class Links:
    """The signed per-subscriber links; ``path_*`` for the site's own pages."""

    def __init__(self, cfg: Config, secret: str) -> None:
        self.base = cfg.newsletter.base_url.rstrip("/")
        self.tokens = Tokens(secret, confirm_valid=confirm_valid(cfg))

    def path(self, purpose: str, subscriber_id: int) -> str:
        prefix = {CONFIRM: "c", UNSUBSCRIBE: "u", PREFERENCES: "p"}[purpose]
        return f"/{prefix}/{self.tokens.make(purpose, subscriber_id)}"

    def url(self, purpose: str, subscriber_id: int) -> str:
        return self.base + self.path(purpose, subscriber_id)

    def check(self, purpose: str, token: str) -> int:
        """The subscriber id in ``token``; InvalidInput if forged or damaged."""
        return self.tokens.check(purpose, token)


# ---- status changes ------------------------------------------------------------------------


def _set(store: Store, sub: Subscriber, status: str, now: dt.datetime, note: str) -> Subscriber:
    store.set_subscriber_status(sub.id, status, now, note=note)
    return replace(sub, status=status)


def confirm(store: Store, subscriber_id: int, now: dt.datetime) -> Subscriber:
    """Double opt-in, step 2: a pending subscriber becomes active. An active one stays; an
    unsubscribed or bounced one is not brought back by an old confirmation link."""
    sub = store.subscriber(subscriber_id)
    if sub.status != "pending":
        return sub
    return _set(store, sub, "active", now, "confirmed on the web")


def unsubscribe(store: Store, subscriber_id: int, now: dt.datetime, *, how: str) -> Subscriber:
    """Active or pending → unsubscribed (kept as it was when already unsubscribed; a bounced
    address stays bounced: it gets nothing either way)."""
    sub = store.subscriber(subscriber_id)
    if sub.status not in ("active", "pending"):
        return sub
    return _set(store, sub, "unsubscribed", now, f"unsubscribed: {how}")


def resubscribe(store: Store, subscriber_id: int, now: dt.datetime) -> Subscriber:
    """Undo one's own unsubscribe. Only "unsubscribed" becomes active again."""
    sub = store.subscriber(subscriber_id)
    if sub.status != "unsubscribed":
        return sub
    return _set(store, sub, "active", now, "resubscribed on the unsubscribe page")


def save_sections(
    store: Store, subscriber_id: int, sections: frozenset[str] | None, now: dt.datetime
) -> Subscriber:
    store.set_subscriber_sections(subscriber_id, sections, now)
    return store.subscriber(subscriber_id)


# ---- double opt-in, step 1 -----------------------------------------------------------------


@dataclass(frozen=True)
class Requested:
    """What a subscribe request did (the page shows the same to everyone)."""

    email: str
    subscriber: Subscriber
    mail: str  # CONFIRM_MAIL | ALREADY_MAIL
    created: bool
    mailed: bool = True  # False: an email went to its mailbox less than web.resend_after ago


def _pending(
    store: Store, email: str, sections: frozenset[str] | None, now: dt.datetime
) -> tuple[Subscriber, bool]:
    try:
        return store.add_subscriber(email, now=now, status="pending", sections=sections)
    except IntegrityError:  # the same address sent twice at the same moment
        return store.add_subscriber(email, now=now, status="pending", sections=sections)


def register(
    store: Store, address: str, sections: frozenset[str] | None, now: dt.datetime,
    *, may_mail: Callable[[Subscriber], bool] = lambda _: True,
) -> Requested:
    """The subscriber a subscribe form asks for. A new address is added as pending; an
    unconfirmed, unsubscribed or bounced one becomes pending with the sections asked for
    (confirming proves the mailbox works); an active one is left exactly as it is.
    ``may_mail(subscriber)`` False (an email went there a moment ago): nothing changes and
    nothing is to be sent, so a stranger cannot quietly change a pending choice."""
    email = normalise_email(address)
    sub, created = _pending(store, email, sections, now)
    if not may_mail(sub):
        kind = ALREADY_MAIL if sub.status == "active" else CONFIRM_MAIL
        return Requested(email, sub, kind, created, mailed=False)
    if created:
        return Requested(email, sub, CONFIRM_MAIL, True)
    if sub.status == "active":
        return Requested(email, sub, ALREADY_MAIL, False)
    if sub.status != "pending":
        sub = _set(store, sub, "pending", now, f"asked to subscribe again (was {sub.status})")
    store.set_subscriber_sections(sub.id, sections, now)
    return Requested(email, replace(sub, sections=sections), CONFIRM_MAIL, False)


def request_subscription(
    cfg: Config,
    store: Store,
    address: str,
    sections: frozenset[str] | None,
    *,
    now: dt.datetime,
    secret: str,
    transport: Callable[[Config], Transport] = make_transport,
) -> Requested:
    """Register the address, then send the confirmation (or "already subscribed") email.
    InvalidInput for an unusable address (nothing stored, nothing sent); DeliveryError when
    the mail could not be handed over (the pending subscriber stays; asking again resends)."""
    gap = resend_gap(cfg)

    def may_mail(sub: Subscriber) -> bool:  # no mail bombs: one email per mailbox per gap
        return gap is None or store.claim_mail(sub.id, now, gap, mailbox=mailbox(sub.email))

    req = register(store, address, sections, now, may_mail=may_mail)
    if not req.mailed:
        return req
    try:
        links = Links(cfg, secret)
        link = links.url(CONFIRM if req.mail == CONFIRM_MAIL else PREFERENCES,
                         req.subscriber.id)
        data = confirmation_message(
            cfg, to=req.email, kind=req.mail, link=link, sections=req.subscriber.sections,
            now=now,
        )
        send_one(cfg, req.email, data, name=f"confirm-{req.subscriber.id}",
                 transport=transport)
    except BaseException:
        if gap is not None:  # not sent (mail server, template …): asking again sends at once
            store.release_mail(req.subscriber.id, now)
        raise
    return req


def mailbox(email: str) -> tuple[str, str]:
    """The mailbox an address reaches: its local part without a "+tag", and its domain
    ("ann+news@example.org" and "ann@example.org" are one mailbox)."""
    local, _, domain = email.rpartition("@")
    return local.split("+", 1)[0], domain


def send_one(
    cfg: Config,
    recipient: str,
    data: bytes,
    *,
    name: str,
    transport: Callable[[Config], Transport] = make_transport,
) -> None:
    """One message over the configured transport (outbox or SMTP); no delivery ledger."""
    conn = transport(cfg)
    try:
        sender = parseaddr(cfg.newsletter.sender)[1]
        unique = f"{name}-{uuid.uuid4().hex[:8]}"
        conn.send(Envelope(sender=sender, recipient=recipient, data=data, name=unique))
    finally:
        conn.close()


# ---- the confirmation email ----------------------------------------------------------------


def _autoescape(name: str | None) -> bool:
    return not (name or "").endswith(".txt.j2")


def email_env(cfg: Config) -> jinja2.Environment:
    """The configured templates folder first, then the packaged one (a folder copied before
    confirm.* existed still works)."""
    folders = _unique([str(templates_dir(cfg)), str(templates_dir(Config()))])
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in folders]),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.filters["wrap"] = wrap
    env.install_gettext_translations(  # type: ignore[attr-defined]
        i18n.translations(cfg.newsletter.language), newstyle=True)
    return env


def _render(env: jinja2.Environment, name: str, context: dict[str, object]) -> tuple[str, Path]:
    try:
        template = env.get_template(name)
        return template.render(context), Path(template.filename or name)
    except RENDER_ERRORS as e:
        raise jinja_error(e, name) from None


def _compile(source: str, path: Path) -> str:
    try:
        return str(mjml.mjml2html(source, disable_comments=True))
    except (ValueError, RuntimeError) as e:
        raise mjml_error(e, source, path) from None


def subject_line(cfg: Config, kind: str) -> str:
    """The subject of a subscribe email, in ``newsletter.language``."""
    words = i18n.translations(cfg.newsletter.language)
    name = clean_text(cfg.newsletter.name)
    if kind == ALREADY_MAIL:
        return words.gettext("You're already subscribed to %(name)s") % {"name": name}
    return words.gettext("Confirm your subscription to %(name)s") % {"name": name}


def link_life(cfg: Config) -> str:
    """How long a confirmation link works, for the email ("7 days"); "" when for ever."""
    valid = confirm_valid(cfg)
    return span(valid, str(locale_for(cfg.newsletter.language))) if valid is not None else ""


def confirmation_parts(
    cfg: Config, *, to: str, kind: str, link: str, sections: frozenset[str] | None
) -> tuple[str, str]:
    """The email's text and HTML. ``link``: the confirm link, or for ``already`` the
    preferences link. TemplateError names the template and line."""
    news = cfg.newsletter
    context: dict[str, object] = {
        "kind": kind,
        "name": clean_text(news.name),
        "email": to,
        "link": link,
        "sections": sorted(clean_text(i18n.section_name(s, news.language)) for s in sections)
        if sections is not None else None,
        "subject": subject_line(cfg, kind),
        "sender": parseaddr(news.sender)[1],
        "postal_address": clean_text(news.postal_address),
        "site": news.base_url.rstrip("/"),
        "lang": news.language or "en",
        "valid_for": link_life(cfg),
    }
    env = email_env(cfg)
    text, _ = _render(env, TEXT_TEMPLATE, context)
    source, path = _render(env, HTML_TEMPLATE, context)
    return text, _compile(source, path)


def confirmation_message(
    cfg: Config,
    *,
    to: str,
    kind: str,
    link: str,
    sections: frozenset[str] | None,
    now: dt.datetime,
) -> bytes:
    """The whole message, CRLF line endings (policy SMTP), ready for the transport."""
    text, html = confirmation_parts(cfg, to=to, kind=kind, link=link, sections=sections)
    news = cfg.newsletter
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = news.sender
    msg["To"] = to
    msg["Subject"] = subject_line(cfg, kind)
    msg["Date"] = format_datetime(now.astimezone(dt.UTC))
    msg["Message-ID"] = make_msgid("confirm", domain=domain_of(news.sender))
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to this
    if news.reply_to:
        msg["Reply-To"] = news.reply_to
    msg.set_content(text, cte="quoted-printable")  # 7-bit safe for any server
    msg.add_alternative(html, subtype="html")
    return msg.as_bytes()


__all__ = [
    "ALREADY_MAIL",
    "CONFIRM_MAIL",
    "Links",
    "Requested",
    "chosen_sections",
    "confirm",
    "confirmation_message",
    "known_sections",
    "register",
    "request_subscription",
    "resubscribe",
    "save_sections",
    "section_options",
    "unsubscribe",
]
