"""The web app over HTTP (Starlette's test client, lifespan included): workbench, archive,
test sends, live templates, errors as pages. Real SQLite file, real SMTP server."""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest import pipeline
from digest.config import Config
from digest.render import templates_dir
from digest.store import Store
from digest.types import Edition
from digest.web import create_app
from tests.support.smtpserver import SmtpServer
from tests.test_preview import break_template, make_config, stored

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def site(
    tmp_path: Path, smtp_server: SmtpServer
) -> Iterator[tuple[TestClient, Store, Edition, Config]]:
    cfg = make_config(tmp_path, smtp_server, own_templates=True)
    store, saved = stored(cfg)
    with TestClient(create_app(cfg, store), raise_server_exceptions=False) as client:
        yield client, store, saved, cfg
    store.close()


def test_create_app_opens_its_own_store(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    stored(cfg)[0].close()
    with TestClient(create_app(cfg)) as client:
        assert "2026-11-25" in client.get("/").text


def test_archive_lists_editions(site: tuple[TestClient, Store, Edition, Config]) -> None:
    client, _, saved, _ = site
    r = client.get("/")
    assert r.status_code == 200
    for text in ("2026-11-25", "Evening Digest", "built", f"/editions/{saved.id}",
                 "/archive/2026-11-25"):
        assert text in r.text
    assert "<td>4</td>" in r.text  # stories


def test_archive_copy_is_public(site: tuple[TestClient, Store, Edition, Config]) -> None:
    client = site[0]
    r = client.get("/archive/2026-11-25")
    assert r.status_code == 200 and "Protesters block Belgrade" in r.text
    assert "%%" not in r.text and "/u/" not in r.text and "Unsubscribe" not in r.text
    assert "https://news.example/subscribe" in r.text
    assert client.get("/archive/2020-01-01").status_code == 404
    assert client.get("/archive/yesterday").status_code == 404


def test_workbench_shows_everything(site: tuple[TestClient, Store, Edition, Config]) -> None:
    client, _, saved, _ = site
    r = client.get(f"/editions/{saved.id}")
    assert r.status_code == 200
    page = r.text
    for text in (
        'id="email"', 'data-width="375"', 'id="dark"',  # frame, phone width, dark switch
        "Evening Digest | 25.11.2026, 18:30 UTC", "— Protesters block",  # inbox line
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",  # raw message
        "Source: DW",  # the text part
        'id="size-meter"', "102.0 KB",
        "https://bbc.example/1", "http://127.0.0.1:9/img/belgrade.jpg",  # links, images
        "mailto:digest@news.example", "css-at-media-prefers-color-scheme", "CC BY 4.0",
        "ann@example.org", "bob@example.org",  # the chooser
    ):
        assert text in page, text
    frame = client.get(f"/editions/{saved.id}/frame")
    dark = client.get(f"/editions/{saved.id}/frame?dark=1")
    assert frame.text.startswith("<!doctype html>") and "@media all" in dark.text
    eml = client.get(f"/editions/{saved.id}/message.eml")
    assert eml.headers["content-type"].startswith("message/rfc822")
    assert b"To: reader@example.com\r\n" in eml.content


def test_preview_as_a_subscriber_or_a_section_choice(
    site: tuple[TestClient, Store, Edition, Config]
) -> None:
    client, store, saved, _ = site
    ann = store.subscribers()[0]
    r = client.get(f"/editions/{saved.id}", params={"subscriber": ann.id})
    assert "ann@example.org" in r.text and 'id="reader">ann@example.org' in r.text
    frame = client.get(f"/editions/{saved.id}/frame", params={"subscriber": ann.id}).text
    assert "Oil prices slide" in frame and "Belgrade" not in frame
    assert "This email was sent to ann@example.org" in frame
    frame = client.get(f"/editions/{saved.id}/frame?choose=1&section=Sports").text
    assert "Leverkusen" in frame and "Oil prices" not in frame
    assert client.get(f"/editions/{saved.id}?subscriber=99").status_code == 404


def test_next_edition_is_composed_not_stored(
    site: tuple[TestClient, Store, Edition, Config]
) -> None:
    client, store, _, _ = site
    r = client.get("/editions/next")
    assert r.status_code == 200 and "not stored" in r.text
    assert len(store.editions()) == 1


def test_missing_edition_is_a_404_page(site: tuple[TestClient, Store, Edition, Config]) -> None:
    client = site[0]
    for url in ("/editions/999", "/editions/abc", "/nowhere"):
        r = client.get(url)
        assert r.status_code == 404 and "Not found" in r.text and "Traceback" not in r.text


def test_jinja_error_is_a_500_page_with_file_and_line(
    site: tuple[TestClient, Store, Edition, Config]
) -> None:
    client, _, saved, cfg = site
    path, line = break_template(cfg, "{{ broken( }}")
    r = client.get(f"/editions/{saved.id}")
    assert r.status_code == 500
    assert "Template error" in r.text and str(path) in r.text
    assert f'id="error-line">{line}<' in r.text and "Traceback" not in r.text
    assert "/preview/version" in r.text  # it reloads itself once the template is fixed


def test_mjml_error_is_a_500_page(site: tuple[TestClient, Store, Edition, Config]) -> None:
    client, _, saved, cfg = site
    path, line = break_template(cfg, "<mj-section><mj-column></mj-section>")
    r = client.get(f"/editions/{saved.id}/frame")
    assert r.status_code == 500 and "MJML" in r.text and str(path) in r.text
    assert f'id="error-line">{line}<' in r.text


def test_test_send_validates_and_sends_without_ledger(
    site: tuple[TestClient, Store, Edition, Config], smtp_server: SmtpServer
) -> None:
    client, store, saved, _ = site
    assert saved.id is not None
    r = client.post(f"/editions/{saved.id}/test-send", data={"addresses": "ed@example.org, x@"})
    assert r.status_code == 400 and "x@" in r.text and "not a usable email address" in r.text
    r = client.post(f"/editions/{saved.id}/test-send", data={"addresses": "ed@example.org"},
                    headers={"Origin": "https://elsewhere.example"})
    assert r.status_code == 400 and "own page" in r.text
    r = client.post(f"/editions/{saved.id}/test-send", data={"addresses": ""})
    assert r.status_code == 400 and "no address" in r.text
    assert smtp_server.messages == []
    r = client.post(f"/editions/{saved.id}/test-send?choose=1&section=Sports",
                    data={"addresses": "ed@example.org"})
    assert r.status_code == 200 and "Test sent to ed@example.org" in r.text
    (msg,) = smtp_server.wait_for(1)
    assert str(msg.message["Subject"]).startswith("[TEST] ")
    assert "Leverkusen" in msg.part("plain") and "Belgrade" not in msg.part("plain")
    assert store.deliveries(saved.id) == []
    assert store.edition(saved.id).status == "built"


def test_template_version_changes_when_a_template_is_saved(
    site: tuple[TestClient, Store, Edition, Config]
) -> None:
    client, _, saved, cfg = site
    before = client.get("/preview/version").json()["version"]
    assert client.get("/preview/version").json()["version"] == before
    path = templates_dir(cfg) / "email" / "edition.txt.j2"
    path.write_text(path.read_text().replace('_("Source") }}:', '_("Reported by") }}:'))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert client.get("/preview/version").json()["version"] != before
    assert "Reported by: DW" in client.get(f"/editions/{saved.id}").text  # no restart needed


def test_a_workbench_password_guards_the_editors_pages_only(tmp_path: Path) -> None:
    import base64
    import tomllib

    from digest.config import parse_config

    make_config(tmp_path)
    text = (tmp_path / "config.toml").read_text()
    cfg = parse_config(tomllib.loads(text), path=tmp_path / "config.toml",
                       env={"DIGEST_WORKBENCH_PASSWORD": "open sesame"})
    store, saved = stored(cfg)

    def basic(user: str, password: str) -> dict[str, str]:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    editors = ["/", f"/editions/{saved.id}", f"/editions/{saved.id}/frame",
               f"/editions/{saved.id}/message.eml", "/editions/next", "/preview/version"]
    with TestClient(create_app(cfg, store), raise_server_exceptions=False) as client:
        for path in editors:
            for headers in ({}, basic("editor", "wrong"), {"Authorization": "Basic !!"},
                            {"Authorization": "Bearer open sesame"}):
                r = client.get(path, headers=headers)
                assert r.status_code == 401, (path, headers)
                assert r.headers["www-authenticate"].startswith('Basic realm="digest')
                assert "reader@example.com" not in r.text and "Belgrade" not in r.text
            assert client.get(path, headers=basic("anyone", "open sesame")).status_code == 200
        sent = client.post(f"/editions/{saved.id}/test-send", data={"addresses": "a@b.example"})
        assert sent.status_code == 401  # no test mail without the password
        # the readers' pages stay open, and link to the form, not to the editors' archive
        form = client.get("/subscribe")
        assert form.status_code == 200 and 'href="/"' not in form.text
        # tonight's public copy is for editors until sending starts, then for everyone
        unsent = client.get("/archive/2026-11-25")
        assert unsent.status_code == 404 and "Belgrade" not in unsent.text
        assert client.get("/archive/2026-11-25",
                          headers=basic("editor", "open sesame")).status_code == 200
        assert saved.id is not None
        store.start_sending(saved.id, pipeline.utcnow())
        assert client.get("/archive/2026-11-25").status_code == 200
    store.close()
    assert not list((tmp_path / "outbox").glob("*.eml"))


def test_a_reader_who_mistypes_a_public_link_sees_no_editors_links(
    site: tuple[TestClient, Store, Edition, Config]
) -> None:
    client = site[0]
    for path in ("/archive/2000-01-01", "/archive/yesterday", "/no-such-page"):
        r = client.get(path)
        assert r.status_code in (400, 404), path
        assert "/editions/" not in r.text and 'href="/subscribe"' in r.text, path
    # the editors' own pages keep their error page, with its way back
    r = client.get("/editions/999999")
    assert r.status_code == 404 and "/editions/next" in r.text


def test_wrong_workbench_passwords_are_limited_per_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import base64
    import dataclasses

    from digest.web import app as web_app

    monkeypatch.setattr(web_app, "PASSWORD_GUESSES", 3)
    cfg = dataclasses.replace(make_config(tmp_path), workbench_password="right")
    store, _ = stored(cfg)

    def auth(password: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(f"ed:{password}".encode()).decode()}

    with TestClient(create_app(cfg, store), raise_server_exceptions=False) as client:
        assert client.get("/editions/next").status_code == 401  # no password: not a guess
        assert [client.get("/", headers=auth("wrong")).status_code for _ in range(3)] \
            == [401, 401, 401]
        blocked = client.get("/", headers=auth("right"))  # now even the right one waits
        assert blocked.status_code == 429 and "try again in an hour" in blocked.text
        assert client.get("/subscribe").status_code == 200  # readers are not affected
    store.close()
