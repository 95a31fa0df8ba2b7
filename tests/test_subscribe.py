"""The reader's pages over HTTP: subscribe with double opt-in (the confirmation email received
by a real SMTP server and its link followed), RFC 8058 one-click unsubscribe exactly as a mail
provider sends it (over a real socket to uvicorn, using the List-Unsubscribe header of an
edition that was really sent), preferences honoured by the next edition, GET never changing
anything, damaged tokens as 400 pages. Real SQLite file throughout."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from itsdangerous import URLSafeSerializer

from digest import pipeline
from digest import subscriptions as subs
from digest.config import Config, EditionConfig
from digest.errors import DeliveryError, InvalidInput, NotFound
from digest.store import Store
from digest.tokens import CONFIRM, PREFERENCES, UNSUBSCRIBE, Tokens
from digest.types import Edition, Feed, Subscriber
from digest.web import create_app
from tests.support.smtpserver import Received, SmtpServer
from tests.support.webserver import serving
from tests.test_preview import AT, make_config, stored

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

LINK = re.compile(r"https://news\.example(/[cpu]/[A-Za-z0-9_.-]+)")
Site = tuple[TestClient, Store, Edition, Config]


@pytest.fixture
def site(tmp_path: Path, smtp_server: SmtpServer) -> Iterator[Site]:
    cfg = make_config(tmp_path, smtp_server)
    store, saved = stored(cfg)
    with TestClient(create_app(cfg, store), raise_server_exceptions=False) as client:
        yield client, store, saved, cfg
    store.close()




def web_config(tmp: Path, smtp: SmtpServer, **web: object) -> Config:
    """The test config with some ``[web]`` keys set."""
    cfg = make_config(tmp, smtp)
    return dataclasses.replace(cfg, web=dataclasses.replace(cfg.web, **web))  # type: ignore[arg-type]


def by_email(store: Store, email: str) -> Subscriber:
    return next(s for s in store.subscribers() if s.email == email)


def link_in(msg: Received, prefix: str) -> str:
    paths = [p for p in LINK.findall(msg.part("plain")) if p.startswith(prefix)]
    assert paths, msg.part("plain")
    assert paths[0] in msg.part("html")
    return paths[0]


def token_path(store: Store, purpose: str, subscriber_id: int) -> str:
    prefix = {CONFIRM: "c", UNSUBSCRIBE: "u", PREFERENCES: "p"}[purpose]
    return f"/{prefix}/{Tokens(store.secret()).make(purpose, subscriber_id)}"


# ---- double opt-in ---------------------------------------------------------------------------


def test_subscribe_sends_a_confirmation_and_its_link_activates(
    site: Site, smtp_server: SmtpServer
) -> None:
    client, store, _, _ = site
    form = client.get("/subscribe")
    assert form.status_code == 200
    for text in ('name="email"', 'value="Europe"', 'value="Business"', 'value="Sports"',
                 'id="all" checked'):
        assert text in form.text, text
    assert "/editions/" not in form.text  # readers see no link to the workbench

    r = client.post("/subscribe", data={"email": " Cat@Example.ORG ", "section": ["Sports"]})
    assert r.status_code == 200 and "Check your inbox" in r.text and "cat@example.org" in r.text
    cat = by_email(store, "cat@example.org")
    assert cat.status == "pending" and cat.sections == frozenset({"Sports"})

    (msg,) = smtp_server.wait_for(1)
    assert msg.rcpt_tos == ["cat@example.org"] and msg.mail_from == "digest@news.example"
    m = msg.message
    assert m["Subject"] == "Confirm your subscription to Evening Digest"
    assert m["Auto-Submitted"] == "auto-generated" and m["List-Unsubscribe"] is None
    assert b"\r\n" in msg.data and b"\n" not in msg.data.replace(b"\r\n", b"")
    assert "You chose these sections: Sports." in msg.part("plain")
    assert "(The link works for 7 days.)" in msg.part("plain")
    assert "(it works for 7 days)" in msg.part("html")
    confirm = link_in(msg, "/c/")

    page = client.get(confirm)  # a link scanner's prefetch, or the reader opening the mail
    assert page.status_code == 200 and 'id="confirm"' in page.text
    assert by_email(store, "cat@example.org").status == "pending"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"

    done = client.post(confirm)
    assert done.status_code == 200 and "You're subscribed" in done.text
    assert by_email(store, "cat@example.org").status == "active"
    assert client.post(confirm).status_code == 200  # twice is fine
    assert by_email(store, "cat@example.org").status == "active"
    assert 'href="/p/' in done.text


def test_every_usable_address_gets_the_same_page(site: Site, smtp_server: SmtpServer) -> None:
    client, store, _, _ = site
    ann = by_email(store, "ann@example.org")  # active, chose Business
    new = client.post("/subscribe", data={"email": "new@example.org", "all": "1"})
    known = client.post("/subscribe", data={"email": "ann@example.org", "all": "1"})
    assert new.status_code == known.status_code == 200
    assert new.text.replace("new@", "ann@") == known.text
    assert by_email(store, "ann@example.org") == ann  # status and sections untouched

    _, already = smtp_server.wait_for(2)
    assert already.rcpt_tos == ["ann@example.org"]
    assert already.message["Subject"] == "You're already subscribed to Evening Digest"
    assert "nothing has changed" in already.part("plain")
    prefs = client.get(link_in(already, "/p/"))
    assert prefs.status_code == 200 and "ann@example.org" in prefs.text


def test_a_pending_address_is_sent_a_new_confirmation(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    cfg = web_config(tmp_path, smtp_server, resend_after="")  # every request mails
    store, saved = stored(cfg)
    with TestClient(create_app(cfg, store), raise_server_exceptions=False) as client:
        _a_pending_address_is_sent_a_new_confirmation((client, store, saved, cfg),
                                                       smtp_server)
    store.close()


def _a_pending_address_is_sent_a_new_confirmation(site: Site, smtp_server: SmtpServer) -> None:
    client = site[0]
    for _ in range(2):
        assert client.post("/subscribe", data={"email": "dan@example.org", "all": "1"}
                           ).status_code == 200
    first, second = smtp_server.wait_for(2)
    dan = by_email(site[1], "dan@example.org")
    for msg in (first, second):  # either email's link confirms the one pending address
        page = client.get(link_in(msg, "/c/"))
        assert page.status_code == 200 and "dan@example.org" in page.text
    assert site[1].subscriber(dan.id).status == "pending"
    assert len(site[1].subscribers()) == 3


def test_an_unsubscribed_reader_can_subscribe_again_but_an_old_link_cannot(
    site: Site, smtp_server: SmtpServer
) -> None:
    client, store, _, _ = site
    bob = by_email(store, "bob@example.org")
    old_confirm = token_path(store, CONFIRM, bob.id)
    client.post(token_path(store, UNSUBSCRIBE, bob.id))
    stale = client.post(old_confirm)
    assert stale.status_code == 200 and "expired" in stale.text
    assert by_email(store, "bob@example.org").status == "unsubscribed"

    client.post("/subscribe", data={"email": "bob@example.org", "section": "Europe"})
    assert by_email(store, "bob@example.org").status == "pending"
    (msg,) = smtp_server.wait_for(1)
    client.post(link_in(msg, "/c/"))
    again = by_email(store, "bob@example.org")
    assert again.status == "active" and again.sections == frozenset({"Europe"})


@pytest.mark.parametrize("email, message", [
    ("", "Please enter your email address"),
    ("ann@", "is not a usable email address"),
    ("ann example.org", "is not a usable email address"),
])
def test_a_bad_address_shows_the_form_again(
    site: Site, smtp_server: SmtpServer, email: str, message: str
) -> None:
    client, store, _, _ = site
    r = client.post("/subscribe", data={"email": email, "section": "Sports"})
    assert r.status_code == 400 and message in r.text and 'id="subscribe"' in r.text
    assert 'value="Sports" checked' in r.text and 'value="Europe" checked' not in r.text
    assert len(store.subscribers()) == 2 and smtp_server.messages == []


def test_no_section_ticked_is_asked_again(site: Site, smtp_server: SmtpServer) -> None:
    r = site[0].post("/subscribe", data={"email": "eve@example.org"})
    assert r.status_code == 400 and "Choose at least one section" in r.text
    assert smtp_server.messages == []


def test_mail_server_down_is_a_503_page_and_asking_again_resends(tmp_path: Path) -> None:
    down = SmtpServer()  # never started: nothing listens on its port
    cfg = make_config(tmp_path, down)
    store, _ = stored(cfg)
    with TestClient(create_app(cfg, store), raise_server_exceptions=False) as client:
        r = client.post("/subscribe", data={"email": "fay@example.org", "all": "1"})
    assert r.status_code == 503 and "try again" in r.text and "Traceback" not in r.text
    assert by_email(store, "fay@example.org").status == "pending"
    store.close()


def test_with_the_outbox_transport_the_confirmation_is_a_file(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    store, _ = stored(cfg)
    with TestClient(create_app(cfg, store)) as client:
        assert client.post("/subscribe", data={"email": "gil@example.org", "all": "1"}
                           ).status_code == 200
    (eml,) = (tmp_path / "outbox").glob("confirm-*.eml")
    assert b"Subject: Confirm your subscription to Evening Digest\r\n" in eml.read_bytes()
    store.close()


# ---- one-click unsubscribe (RFC 8058) --------------------------------------------------------


def send_tonight(cfg: Config, store: Store, edition: Edition, smtp: SmtpServer) -> None:
    pipeline.send_edition(cfg, store, edition, clock=lambda: AT)
    smtp.wait_for(len(store.subscribers("active")))


def test_one_click_unsubscribe_as_a_mail_provider_sends_it(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    cfg = make_config(tmp_path, smtp_server)
    store, saved = stored(cfg)
    send_tonight(cfg, store, saved, smtp_server)
    ann_mail = next(m for m in smtp_server.messages if m.rcpt_tos == ["ann@example.org"])
    assert ann_mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.search(r"<(https://[^>]+)>", str(ann_mail.message["List-Unsubscribe"]))
    assert url is not None
    path = url.group(1).removeprefix("https://news.example")

    with serving(cfg) as base, httpx.Client(base_url=base, follow_redirects=False) as http:
        page = http.get(path)  # what a link scanner does: nothing changes
        assert page.status_code == 200 and "Unsubscribe ann@example.org from Evening" in page.text
        assert by_email(store, "ann@example.org").status == "active"
        # RFC 8058 §3.1: a POST, the body "List-Unsubscribe=One-Click", no cookies, no auth
        r = http.post(path, content=b"List-Unsubscribe=One-Click",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code == 200 and "You're unsubscribed" in r.text
        assert "set-cookie" not in r.headers and not http.cookies
        ann = by_email(store, "ann@example.org")
        assert ann.status == "unsubscribed"
        first = store.subscribers("unsubscribed")
        again = http.post(path, files={"List-Unsubscribe": (None, "One-Click")})  # multipart
        assert again.status_code == 200 and store.subscribers("unsubscribed") == first
        cross_site = http.post(path, headers={"Origin": "https://mail.provider.example"})
        assert cross_site.status_code == 200


def test_the_page_button_unsubscribes_and_resubscribe_undoes_it(site: Site) -> None:
    client, store, _, _ = site
    bob = by_email(store, "bob@example.org")
    path = token_path(store, UNSUBSCRIBE, bob.id)
    r = client.post(path, data={})
    assert r.status_code == 200 and 'id="resubscribe"' in r.text
    assert by_email(store, "bob@example.org").status == "unsubscribed"
    assert "You're unsubscribed" in client.get(path).text  # a later visit says so
    back = client.post(f"{path}/resubscribe")
    assert back.status_code == 200 and "subscribed again" in back.text
    assert by_email(store, "bob@example.org").status == "active"


def test_a_bounced_address_stays_bounced(site: Site) -> None:
    client, store, _, _ = site
    bob = by_email(store, "bob@example.org")
    store.set_subscriber_status(bob.id, "bounced", AT)
    path = token_path(store, UNSUBSCRIBE, bob.id)
    for r in (client.post(path), client.post(f"{path}/resubscribe")):
        assert r.status_code == 200 and "could not be delivered" in r.text
        assert 'id="resubscribe"' not in r.text
    assert by_email(store, "bob@example.org").status == "bounced"


def test_get_never_changes_anything(site: Site) -> None:
    client, store, _, _ = site
    before = store.subscribers()
    pending, _ = store.add_subscriber("hal@example.org", now=AT, status="pending")
    for sub in [*before, pending]:
        for purpose in (CONFIRM, UNSUBSCRIBE, PREFERENCES):
            path = token_path(store, purpose, sub.id)
            assert client.get(path).status_code == 200
            assert client.head(path).status_code == 200
        assert client.get(token_path(store, UNSUBSCRIBE, sub.id) + "/resubscribe"
                          ).status_code in (404, 405)
    assert store.subscribers() == [*before, pending]


# ---- damaged links ---------------------------------------------------------------------------


def changed(token: str, at: int) -> str:
    return token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1:]


def test_damaged_or_forged_tokens_are_a_400_page(site: Site) -> None:
    client, store, _, _ = site
    ann = by_email(store, "ann@example.org")
    good = Tokens(store.secret()).make(UNSUBSCRIBE, ann.id)
    bad = [
        good[:-3],  # cut off when copied
        changed(good, good.index(".") + 2),  # one character of the signature changed
        Tokens("another-secret").make(UNSUBSCRIBE, ann.id),  # made by someone else
        "nonsense", "%00", "x" * 3000,
    ]
    requests = [(method, path.format(token)) for token in bad for method, path in (
        ("GET", "/u/{}"), ("POST", "/u/{}"), ("POST", "/c/{}"), ("GET", "/p/{}"),
        ("POST", "/p/{}"), ("POST", "/u/{}/resubscribe"),
    )]
    elsewhere = Tokens(store.secret()).make(PREFERENCES, ann.id)  # made for another page
    requests += [("POST", f"/u/{elsewhere}"), ("POST", f"/c/{elsewhere}"),
                 ("GET", f"/p/{good}")]
    for method, path in requests:
        r = client.request(method, path)
        assert r.status_code == 400, (method, path, r.status_code)
        assert "This link is not valid" in r.text and "Traceback" not in r.text
    assert by_email(store, "ann@example.org").status == "active"


def test_a_valid_token_for_an_unknown_subscriber_is_a_404_page(site: Site) -> None:
    client, store, _, _ = site
    for purpose in (CONFIRM, UNSUBSCRIBE, PREFERENCES):
        for method in ("GET", "POST"):
            r = client.request(method, token_path(store, purpose, 999))
            assert r.status_code == 404 and "not on our list" in r.text


def test_a_huge_post_is_refused(site: Site) -> None:
    client, store, _, _ = site
    path = token_path(store, UNSUBSCRIBE, by_email(store, "bob@example.org").id)
    for url in (path, "/subscribe"):
        r = client.post(url, content=b"x" * 100_000)
        assert r.status_code == 400 and "Too much data" in r.text and "/editions/" not in r.text
    assert by_email(store, "bob@example.org").status == "active"


# ---- preferences -----------------------------------------------------------------------------


def test_preferences_are_saved_and_the_next_edition_follows_them(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    cfg = make_config(tmp_path, smtp_server)
    store, saved = stored(cfg)
    bob = by_email(store, "bob@example.org")  # every section
    path = token_path(store, PREFERENCES, bob.id)
    with TestClient(create_app(cfg, store)) as client:
        page = client.get(path)
        assert 'id="all" checked' in page.text and 'value="Sports" checked' in page.text
        r = client.post(path, data={"all": "1", "section": ["Europe", "Sports"]},
                        follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"{path}?saved=1"
        assert by_email(store, "bob@example.org").sections == frozenset({"Europe", "Sports"})
        shown = client.get(r.headers["location"])
        assert 'id="saved"' in shown.text and 'value="Business" checked' not in shown.text
        assert 'id="all" checked' not in shown.text

        empty = client.post(path, data={})
        assert empty.status_code == 400 and "Choose at least one section" in empty.text
        assert by_email(store, "bob@example.org").sections == frozenset({"Europe", "Sports"})

    send_tonight(cfg, store, saved, smtp_server)
    to_bob = next(m for m in smtp_server.messages if m.rcpt_tos == ["bob@example.org"])
    text = to_bob.part("plain")
    assert "Leverkusen" in text and "Belgrade" in text and "Oil prices" not in text
    store.close()


def test_all_sections_stores_every_section(site: Site) -> None:
    client, store, _, _ = site
    ann = by_email(store, "ann@example.org")
    client.post(token_path(store, PREFERENCES, ann.id),
                data={"all": "1", "section": ["Europe", "Business", "Sports"]})
    assert by_email(store, "ann@example.org").sections is None


def test_preferences_offer_a_chosen_section_that_is_gone(site: Site) -> None:
    client, store, _, _ = site
    store.set_subscriber_sections(by_email(store, "ann@example.org").id,
                                  frozenset({"Business", "Opinion"}), AT)
    page = client.get(token_path(store, PREFERENCES, by_email(store, "ann@example.org").id))
    assert 'value="Opinion" checked' in page.text and 'value="Europe" checked' not in page.text


def test_forged_section_names_are_ignored(site: Site) -> None:
    client, store, _, _ = site
    ann = by_email(store, "ann@example.org")
    client.post(token_path(store, PREFERENCES, ann.id), data={"section": ["Sports", "<b>x"]})
    assert by_email(store, "ann@example.org").sections == frozenset({"Sports"})


def test_preferences_page_has_an_unsubscribe_button(site: Site) -> None:
    client, store, _, _ = site
    ann = by_email(store, "ann@example.org")
    page = client.get(token_path(store, PREFERENCES, ann.id)).text
    action = re.search(r'<form method="post" action="(/u/[^"]+)"', page)
    assert action is not None
    assert client.post(action.group(1)).status_code == 200
    assert by_email(store, "ann@example.org").status == "unsubscribed"


# ---- the logic on its own --------------------------------------------------------------------


def test_known_sections_follow_the_grouping(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    store, _ = stored(cfg)  # an edition with Europe, Business, Sports
    feeds = (Feed(url="https://a.example/f", name="A", section="Culture"),)
    by_feed = dataclasses.replace(cfg, feeds=feeds)
    assert subs.known_sections(by_feed, store) == ["Culture", "Europe", "Business", "Sports"]
    ordered = dataclasses.replace(by_feed, edition=EditionConfig(sections=("Sports",)))
    assert subs.known_sections(ordered, store)[:2] == ["Sports", "Culture"]
    region = dataclasses.replace(cfg, edition=EditionConfig(group_by="region"))
    assert subs.known_sections(region, store)[:2] == ["Germany", "Europe"]
    topic = dataclasses.replace(cfg, edition=EditionConfig(group_by="topic", topics=("Sports",)))
    assert subs.known_sections(topic, store) == ["Sports"]
    assert subs.known_sections(dataclasses.replace(cfg, newsletter=dataclasses.replace(
        cfg.newsletter, name="Another")), store) == []
    store.close()


def test_chosen_sections() -> None:
    known = ["Europe", "Sports"]
    assert subs.chosen_sections(known, everything=True, allowed=known) is None
    assert subs.chosen_sections([], everything=True, allowed=known) is None
    assert subs.chosen_sections(["Sports"], everything=True, allowed=known) == {"Sports"}
    assert subs.chosen_sections(known, everything=False, allowed=known) == set(known)
    assert subs.chosen_sections([], everything=False, allowed=[]) is None
    with pytest.raises(InvalidInput):
        subs.chosen_sections(["Gone"], everything=False, allowed=known)


def test_set_subscriber_sections_of_nobody_is_not_found(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    with pytest.raises(NotFound):
        store.set_subscriber_sections(1, None, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    store.close()


def test_a_custom_templates_folder_without_confirm_templates_still_works(
    tmp_path: Path
) -> None:
    cfg = make_config(tmp_path, own_templates=True)
    for old in (tmp_path / "templates" / "email").glob("confirm.*"):
        old.unlink()
    data = subs.confirmation_message(cfg, to="ivy@example.org", kind=subs.CONFIRM_MAIL,
                                     link="https://news.example/c/x", sections=None, now=AT)
    assert b"You will get every section." in data


# ---- confirmation links expire --------------------------------------------------------------


def test_a_confirmation_link_expires_after_a_week_and_says_what_to_do(
    site: Site, smtp_server: SmtpServer
) -> None:
    client, store, _, _ = site
    assert client.post("/subscribe", data={"email": "eve@example.org", "all": "1"}
                       ).status_code == 200
    eve = by_email(store, "eve@example.org")
    day = 86400.0
    # links made 8 and 6 days ago by this newsletter's own key (web.confirm_expires_after
    # is 7 days by default)
    old = Tokens(store.secret(), clock=lambda: pipeline.utcnow().timestamp() - 8 * day)
    recent = Tokens(store.secret(), clock=lambda: pipeline.utcnow().timestamp() - 6 * day)
    for method in (client.get, client.post):
        gone = method(f"/c/{old.make(CONFIRM, eve.id)}")
        assert gone.status_code == 410
        assert "This link has expired" in gone.text and "links work for 7 days" in gone.text
        assert "Subscribe again at /subscribe to get a new link" in gone.text
    assert by_email(store, "eve@example.org").status == "pending"
    # a link made before links carried their time counts as expired too
    legacy = URLSafeSerializer(store.secret(), salt=CONFIRM).dumps(eve.id)
    assert client.post(f"/c/{legacy}").status_code == 410
    # a damaged link is still a damaged link, not an expired one
    assert client.post(f"/c/{old.make(CONFIRM, eve.id)[:-3]}xyz").status_code == 400
    # a link made by a clock a minute ahead (another host's) works; ten minutes ahead does not
    ahead = Tokens(store.secret(), clock=lambda: pipeline.utcnow().timestamp() + 60)
    far = Tokens(store.secret(), clock=lambda: pipeline.utcnow().timestamp() + 600)
    assert client.get(f"/c/{ahead.make(CONFIRM, eve.id)}").status_code == 200
    assert client.get(f"/c/{far.make(CONFIRM, eve.id)}").status_code == 410
    assert client.post(f"/c/{recent.make(CONFIRM, eve.id)}").status_code == 200
    assert by_email(store, "eve@example.org").status == "active"
    # an unsubscribe link never expires (RFC 8058: an old email's link must still work)
    assert client.post(token_path(store, UNSUBSCRIBE, eve.id)).status_code == 200
    assert by_email(store, "eve@example.org").status == "unsubscribed"


def test_confirmation_links_can_be_made_to_last_for_ever(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    cfg = web_config(tmp_path, smtp_server, confirm_expires_after="")
    store, _ = stored(cfg)
    bob = by_email(store, "bob@example.org")
    ancient = Tokens(store.secret(), clock=lambda: 1_000_000_000.0)  # 2001
    legacy = URLSafeSerializer(store.secret(), salt=CONFIRM).dumps(bob.id)  # no time at all
    with TestClient(create_app(cfg, store), raise_server_exceptions=False) as client:
        page = client.get(f"/c/{ancient.make(CONFIRM, bob.id)}")
        assert client.get(f"/c/{legacy}").status_code == 200
        client.post("/subscribe", data={"email": "fay@example.org", "all": "1"})
    store.close()
    assert page.status_code == 200 and "bob@example.org" in page.text
    (msg,) = smtp_server.wait_for(1)  # the email promises no deadline
    assert "works for" not in msg.part("plain") and "works for" not in msg.part("html")


# ---- no mail bombs ---------------------------------------------------------------------------


def test_asking_again_within_resend_after_sends_nothing_more(
    site: Site, smtp_server: SmtpServer
) -> None:
    client, store, _, _ = site
    for _ in range(3):  # a stranger typing someone's address again and again
        page = client.post("/subscribe", data={"email": "ida@example.org", "all": "1"})
        assert page.status_code == 200 and "Check your inbox" in page.text
    (msg,) = smtp_server.wait_for(1)
    assert msg.rcpt_tos == ["ida@example.org"]
    time.sleep(0.3)
    assert len(smtp_server.messages) == 1  # web.resend_after is 10 minutes by default
    assert by_email(store, "ida@example.org").status == "pending"


def test_after_resend_after_a_new_email_goes_and_a_failed_one_does_not_count(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    cfg = make_config(tmp_path, smtp_server)
    down = make_config(tmp_path, SmtpServer())  # nothing listens on its port
    store, _ = stored(cfg)
    secret = store.secret()

    def ask(config: Config, minutes: float) -> subs.Requested:
        return subs.request_subscription(config, store, "jo@example.org", None,
                                         now=AT + dt.timedelta(minutes=minutes), secret=secret)

    with pytest.raises(DeliveryError):
        ask(down, 0)  # the mail server is down: nothing went out ...
    assert ask(cfg, 1).mailed  # ... so asking again a minute later sends at once
    assert not ask(cfg, 6).mailed and not ask(cfg, 10.5).mailed
    assert ask(cfg, 11.5).mailed  # ten minutes after the last email, a new one goes
    assert len(smtp_server.wait_for(2)) == 2
    time.sleep(0.2)
    assert [m.rcpt_tos for m in smtp_server.messages] == [["jo@example.org"]] * 2
    store.close()


def test_the_subscribe_emails_follow_the_newsletter_language(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    cfg = make_config(tmp_path, smtp_server)
    cfg = dataclasses.replace(cfg, newsletter=dataclasses.replace(cfg.newsletter, language="de"))
    store, _ = stored(cfg)
    with TestClient(create_app(cfg, store), raise_server_exceptions=False) as client:
        client.post("/subscribe", data={"email": "uwe@example.org", "section": ["Europe"]})
        client.post("/subscribe", data={"email": "ann@example.org", "all": "1"})  # active
    store.close()
    confirm, already = smtp_server.wait_for(2)
    assert confirm.message["Subject"] == "Bestätigen Sie Ihr Abonnement von Evening Digest"
    plain, html_part = confirm.part("plain"), confirm.part("html")
    for text in ("Bitte bestätigen Sie, dass Sie Evening Digest an uwe@example.org erhalten",
                 "(Der Link gilt 7 Tage lang.)", "Sie haben diese Rubriken gewählt: Europa."):
        assert text in " ".join(plain.split()), text
    assert "<strong>uwe@example.org</strong>" in html_part and "Abonnement bestätigen" in html_part
    assert "Confirm" not in plain and "Please" not in html_part
    assert already.message["Subject"] == "Sie haben Evening Digest bereits abonniert"
    assert "Sie sind bereits angemeldet" in already.part("plain")


def test_tagged_addresses_of_one_mailbox_share_the_limit_and_a_pending_choice_stays(
    site: Site, smtp_server: SmtpServer
) -> None:
    client, store, _, _ = site
    client.post("/subscribe", data={"email": "kai@example.org", "section": "Sports"})
    for n in range(4):  # the same mailbox under other "+tags"
        page = client.post("/subscribe", data={"email": f"kai+{n}@example.org", "all": "1"})
        assert page.status_code == 200 and "Check your inbox" in page.text
    # a stranger re-posting the address with other sections changes nothing
    client.post("/subscribe", data={"email": "kai@example.org", "section": "Business"})
    (msg,) = smtp_server.wait_for(1)
    time.sleep(0.3)
    assert len(smtp_server.messages) == 1 and msg.rcpt_tos == ["kai@example.org"]
    kai = by_email(store, "kai@example.org")
    assert kai.status == "pending" and kai.sections == frozenset({"Sports"})
    # the link the reader got is the one that still holds: it confirms their own choice
    client.post(link_in(msg, "/c/"))
    assert by_email(store, "kai@example.org").sections == frozenset({"Sports"})
    # other mailboxes are not held back
    client.post("/subscribe", data={"email": "kaj@example.org", "all": "1"})
    assert len(smtp_server.wait_for(2)) == 2


def test_a_confirmation_that_could_not_be_made_does_not_hold_back_the_next(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    from digest.errors import TemplateError

    cfg = make_config(tmp_path, smtp_server, own_templates=True)
    store, _ = stored(cfg)
    template = tmp_path / "templates" / "email" / "confirm.txt.j2"
    good = template.read_text()
    template.write_text(good.replace("{% endif %}", "{% endiff %}", 1))
    with pytest.raises(TemplateError):
        subs.request_subscription(cfg, store, "lou@example.org", None, now=AT,
                                  secret=store.secret())
    template.write_text(good)  # the editor fixes the template; the reader asks again
    again = subs.request_subscription(cfg, store, "lou@example.org", None,
                                      now=AT + dt.timedelta(minutes=1), secret=store.secret())
    assert again.mailed
    assert smtp_server.wait_for(1)[0].rcpt_tos == ["lou@example.org"]
    store.close()


def test_the_confirm_page_keeps_the_link_it_was_opened_with(
    site: Site, smtp_server: SmtpServer
) -> None:
    client = site[0]
    client.post("/subscribe", data={"email": "max@example.org", "all": "1"})
    link = link_in(smtp_server.wait_for(1)[0], "/c/")
    page = client.get(link)
    assert f'action="{link}"' in page.text  # opening it does not mint a fresh, longer link


def test_one_client_posting_too_often_gets_a_429_and_nothing_is_stored(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    cfg = web_config(tmp_path, smtp_server, subscribes_per_hour=2)
    store, _ = stored(cfg)
    with TestClient(create_app(cfg, store), raise_server_exceptions=False) as client:
        codes = [client.post("/subscribe", data={"email": f"r{n}@example.org", "all": "1"})
                 for n in range(3)]
        assert client.get("/subscribe").status_code == 200  # reading the form is not limited
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert "Too many requests" in codes[2].text and "try again in an hour" in codes[2].text
    assert len(smtp_server.wait_for(2)) == 2
    assert "r2@example.org" not in {s.email for s in store.subscribers()}
    store.close()
