"""The workbench in a real browser: Debian's Chromium driven by Playwright for Python.

The app runs under uvicorn on a free loopback port, on a real SQLite file; test sends go to
the loopback aiosmtpd server. Screenshots land in artifacts/screenshots/ (git-ignored; CI
keeps them). Without /usr/bin/chromium the tests skip (and fail under CI=true).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digest.render import templates_dir
from tests.conftest import need
from tests.support.smtpserver import SmtpServer
from tests.support.webserver import serving
from tests.test_preview import break_template, make_config, stored

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"




@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        need("chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need("the playwright package is not installed (pip install -e '.[test]')")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def email_frame(page: Any) -> Any:
    frame = page.locator("iframe#email").element_handle().content_frame()
    frame.wait_for_load_state()
    return frame


def background(frame: Any) -> str:
    return str(frame.evaluate(
        "() => getComputedStyle(document.querySelector('.dg-bg') || document.body)"
        ".backgroundColor"
    ))


def test_workbench_phone_dark_text_and_test_send(
    tmp_path: Path, smtp_server: SmtpServer, browser: Any
) -> None:
    cfg = make_config(tmp_path, smtp_server)
    store, saved = stored(cfg)
    assert saved.id is not None
    with serving(cfg) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/editions/{saved.id}")
        assert "Evening Digest | 25.11.2026" in page.locator("#inbox-subject").inner_text()
        frame = email_frame(page)
        assert "Protesters block Belgrade" in frame.locator("body").inner_text()
        page.screenshot(path=str(SHOTS / "workbench-desktop.png"))

        page.click("#btn-phone")
        assert page.locator("iframe#email").evaluate("f => f.clientWidth") == 375
        frame = email_frame(page)
        widths = frame.evaluate(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        assert widths[1] == 375 and widths[0] <= widths[1], widths
        page.screenshot(path=str(SHOTS / "workbench-phone.png"))

        light = background(frame)
        page.check("#dark")
        page.wait_for_function(
            "() => document.querySelector('#email').getAttribute('src').includes('dark=1')"
        )
        frame = email_frame(page)
        frame.wait_for_function(
            "light => getComputedStyle(document.querySelector('.dg-bg') || document.body)"
            ".backgroundColor !== light", arg=light,
        )
        assert background(frame) != light
        page.screenshot(path=str(SHOTS / "workbench-phone-dark.png"))
        assert "dark=1" in page.url and "width=375" in page.url  # kept across reloads

        page.click("#tab-text")
        text = page.locator("#text-part")
        assert text.is_visible() and "Source: DW" in text.inner_text()
        assert not page.locator("iframe#email").is_visible()
        page.screenshot(path=str(SHOTS / "workbench-text.png"))

        page.click("#tab-clients")
        assert "CC BY 4.0" in page.locator("#attribution").inner_text()
        page.screenshot(path=str(SHOTS / "workbench-clients.png"))

        page.fill("#addresses", "editor@example.org")
        page.click("#send-test")
        page.wait_for_selector("#notice")
        assert "Test sent to editor@example.org" in page.locator("#notice").inner_text()
        (msg,) = smtp_server.wait_for(1)
        assert str(msg.message["Subject"]).startswith("[TEST] Evening Digest")
        assert msg.rcpt_tos == ["editor@example.org"]
        assert store.deliveries(saved.id) == []
        path, _, fragment = page.url.partition("#")
        assert path.endswith(f"/editions/{saved.id}")  # a reload is a GET, not a resend
        assert set(fragment.split("&")) == {"width=375", "dark=1", "tab=clients"}
        assert page.locator("#tab-clients").get_attribute("aria-selected") == "true"
        page.screenshot(path=str(SHOTS / "workbench-test-sent.png"))
    store.close()


def test_live_templates_reload_and_errors_show_in_the_workbench(
    tmp_path: Path, browser: Any
) -> None:
    cfg = make_config(tmp_path, own_templates=True)
    store, saved = stored(cfg)
    source = templates_dir(cfg) / "email" / "edition.mjml.j2"
    with serving(cfg) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/editions/{saved.id}")
        assert "View this email in your browser" in email_frame(page).locator("body").inner_text()

        good = source.read_text()
        source.write_text(good.replace("View this email in your browser", "Read it online"))
        started = time.monotonic()
        page.wait_for_function(
            "() => { const f = document.querySelector('#email');"
            " return f && f.contentDocument && f.contentDocument.body &&"
            " f.contentDocument.body.innerText.includes('Read it online'); }",
            timeout=2500,
        )
        assert time.monotonic() - started < 2.5
        page.screenshot(path=str(SHOTS / "workbench-live-reload.png"))

        path, line = break_template(cfg, "{% for %}")
        page.wait_for_selector("#error-file", timeout=2500)
        assert str(path) in page.locator("#error-file").inner_text()
        assert page.locator("#error-line").inner_text() == str(line)
        page.screenshot(path=str(SHOTS / "workbench-template-error.png"))

        source.write_text(good)  # fixed: the error page reloads into the workbench
        page.wait_for_selector("iframe#email", timeout=2500)

        page.goto(f"{base}/")
        assert "2026-11-25" in page.locator("#editions").inner_text()
        page.goto(f"{base}/archive/2026-11-25")
        assert "Unsubscribe" not in page.locator("body").inner_text()
        page.screenshot(path=str(SHOTS / "archive-copy.png"), full_page=True)
    store.close()
