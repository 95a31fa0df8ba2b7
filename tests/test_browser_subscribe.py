"""A reader's whole journey in a real browser (Debian's Chromium, Playwright): the subscribe
form, the confirmation email arriving at the loopback SMTP server, its link opened and
confirmed, the preferences page (a section unticked, saved), the unsubscribe button, and the
subscriber's status in the database at each step. uvicorn serves on loopback at the
``base_url`` the email's links use. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from digest.store import Store
from digest.types import Subscriber
from tests.support.smtpserver import SmtpServer, free_port
from tests.support.webserver import serving
from tests.test_browser import SHOTS, browser
from tests.test_preview import make_config, stored

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the fixture, shared with tests/test_browser.py


def subscriber(store: Store, email: str) -> Subscriber:
    return next(s for s in store.subscribers() if s.email == email)


def test_subscribe_confirm_choose_sections_unsubscribe(
    tmp_path: Path, smtp_server: SmtpServer, browser: Any
) -> None:
    port = free_port()
    cfg = make_config(tmp_path, smtp_server)
    cfg = dataclasses.replace(cfg, newsletter=dataclasses.replace(
        cfg.newsletter, base_url=f"http://127.0.0.1:{port}"))
    store, _ = stored(cfg)  # the stored edition has Europe, Business and Sports
    with serving(cfg, port) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{base}/subscribe")
        page.fill("#email", "Zoe@Example.org")
        page.screenshot(path=str(SHOTS / "subscribe-form.png"))
        page.click("#subscribe-button")
        assert "Check your inbox" in page.locator("h1").inner_text()
        assert subscriber(store, "zoe@example.org").status == "pending"

        (mail,) = smtp_server.wait_for(1)
        assert mail.rcpt_tos == ["zoe@example.org"]
        found = re.search(rf"{re.escape(base)}/c/\S+", mail.part("plain"))
        assert found is not None, mail.part("plain")
        page.goto(found.group(0))
        assert page.locator("h1").inner_text() == "Confirm your subscription"
        assert subscriber(store, "zoe@example.org").status == "pending"  # opening is not enough
        page.click("#confirm")
        assert page.locator("h1").inner_text() == "You're subscribed"
        zoe = subscriber(store, "zoe@example.org")
        assert zoe.status == "active" and zoe.sections is None

        page.click("#preferences")
        assert page.locator("#email").inner_text() == "zoe@example.org"
        assert page.is_checked("#all")
        page.uncheck('input[name="section"][value="Business"]')
        assert not page.is_checked("#all")  # unticking one section unticks "all"
        page.click("#save")
        assert page.locator("#saved").is_visible()
        assert not page.is_checked('input[name="section"][value="Business"]')
        assert subscriber(store, "zoe@example.org").sections == frozenset({"Europe", "Sports"})
        page.screenshot(path=str(SHOTS / "subscribe-preferences.png"))

        page.click("#unsubscribe")
        assert page.locator("h1").inner_text() == "You're unsubscribed"
        assert subscriber(store, "zoe@example.org").status == "unsubscribed"
        page.screenshot(path=str(SHOTS / "subscribe-unsubscribed.png"))
        page.close()
    store.close()
