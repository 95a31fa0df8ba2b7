"""The preview's logic and the `digest preview` / `digest send --test` commands.

Real rendering (Jinja + MJML), a real SQLite file, the real loopback SMTP server. The
helpers at the top (config, stored edition, a template folder to break) are shared with
test_web.py and test_browser.py.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from digest import preview as pv
from digest.config import Config, parse_config
from digest.errors import InvalidInput
from digest.render import templates_dir
from digest.store import Store
from digest.types import Edition, Image, Section, Source, Story
from tests.support.smtpserver import SmtpServer

ROOT = Path(__file__).resolve().parents[1]
AT = dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.UTC)
DAY = AT.date()
IMG = "http://127.0.0.1:9/img"  # loopback, refused at once: no network needed


def story(n: int, title: str, **kw: object) -> Story:
    fields: dict[str, object] = {
        "id": f"s{n}",
        "title": title,
        "url": f"https://news.example/a-{n}",
        "teaser": f"Teaser {n}: what happened, who said what, and why it matters tonight "
        "for readers who follow the region closely.",
        "source": "DW",
        "published": AT,
        "first_seen_at": AT,
    }
    fields.update(kw)
    return Story(**fields)  # type: ignore[arg-type]


def edition(newsletter: str = "Evening Digest", day: dt.date = DAY) -> Edition:
    return Edition(
        newsletter=newsletter,
        date=day,
        created_at=AT,
        window_start=AT - dt.timedelta(days=1),
        window_end=AT,
        sections=(
            Section("Europe", (
                story(1, "Protesters block Belgrade bridges for a third night", kicker="Serbia",
                      image=Image(f"{IMG}/belgrade.jpg", "Crowd on a bridge at night"),
                      also=(Source("BBC", "https://bbc.example/1", "Serbia protests"),)),
                story(2, "Bundestag passes the pension reform", kicker="Germany",
                      image=Image(f"{IMG}/bundestag.jpg", "The Bundestag")),
            )),
            Section("Business", (story(3, "Oil prices slide as OPEC+ weighs output"),)),
            Section("Sports", (story(4, "Late goal sends Leverkusen through"),)),
        ),
    )


def make_config(tmp: Path, smtp: SmtpServer | None = None, *, own_templates: bool = False
                ) -> Config:
    """A config file in ``tmp`` with a SQLite file; SMTP to the loopback server if given."""
    templates = ""
    if own_templates:
        shutil.copytree(templates_dir(Config()), tmp / "templates")
        templates = f'templates_dir = "{tmp / "templates"}"'
    delivery = 'transport = "smtp"' if smtp else f'outbox_dir = "{tmp / "outbox"}"'
    smtp_table = f'[smtp]\nhost = "{smtp.host}"\nport = {smtp.port}' if smtp else ""
    text = f"""
[newsletter]
sender = "Evening Digest <digest@news.example>"
base_url = "https://news.example"
{templates}
[database]
url = "sqlite:///{tmp / 'digest.sqlite3'}"
[delivery]
{delivery}
{smtp_table}
"""
    (tmp / "config.toml").write_text(text)
    return parse_config(tomllib.loads(text), path=tmp / "config.toml", env={})


def stored(cfg: Config) -> tuple[Store, Edition]:
    """The store, with the sample edition saved and two subscribers."""
    store = Store.open(cfg.database_url)
    saved = store.save_edition(edition(cfg.newsletter.name), subject="Evening Digest", now=AT)
    store.add_subscriber("ann@example.org", now=AT, sections=frozenset({"Business"}))
    store.add_subscriber("bob@example.org", now=AT)
    return store, saved


def break_template(cfg: Config, snippet: str) -> tuple[Path, int]:
    """Put ``snippet`` on a line of its own in edition.mjml.j2; returns (file, line)."""
    path = templates_dir(cfg) / "email" / "edition.mjml.j2"
    lines = path.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "<mj-body" in line) + 1
    lines.insert(at, snippet)
    path.write_text("\n".join(lines) + "\n")
    return path, at + 1


# ---- pure helpers ----------------------------------------------------------------------------


def test_links_and_images_are_listed_and_flagged() -> None:
    found = pv.inspect_html(
        '<a href="https://a.example/x">A</a><a href="javascript:alert(1)">bad</a>'
        '<a href="mailto:x@y.example">mail</a><a href="/relative">rel</a>'
        '<img src="https://i.example/a.png" alt="A"><img src="https://i.example/b.gif">'
        '<img src="https://i.example/c.jpg" alt="">'
    )
    assert [(li.url, li.text, li.flag) for li in found.links] == [
        ("https://a.example/x", "A", ""), ("javascript:alert(1)", "bad", "not http(s)"),
        ("mailto:x@y.example", "mail", "mailto"), ("/relative", "rel", "not http(s)"),
    ]
    assert [i.flag for i in found.images] == ["", "no alt", "empty alt"]
    assert pv.link_check(found.links).status == "fail"
    assert pv.image_check(found.images).status == "fail"
    wanted = {"image-png", "image-gif", "image-jpg", "html-img", "html-mailto-links"}
    assert wanted <= found.features


def test_css_features_are_found_in_style_blocks_and_attributes() -> None:
    css = """
      /* a comment */
      .card > table, .x p { border-radius: 4px !important; }
      @media (prefers-color-scheme: dark) { body { background-color: rgb(0,0,0); } }
      a:hover { color: red }
    """
    f = pv.css_features(css)
    assert {"css-border-radius", "css-important", "css-at-media",
            "css-at-media-prefers-color-scheme", "css-background-color", "css-rgb",
            "css-selector-child", "css-selector-grouping", "css-selector-descendant",
            "css-selector-class", "css-pseudo-class-hover", "css-unit-px"} <= f
    assert "css-display-flex" in pv.declaration_features("display:flex; max-width: 50%")
    assert "css-max-width" in pv.declaration_features("max-width: 50%")
    assert "css-unit-percent" in pv.declaration_features("max-width: 50%")
    assert pv.property_feature("padding-top", "1px") == "css-padding"
    assert pv.property_feature("mso-line-height-rule", "exactly") is None


def test_support_report_uses_caniemail_data_with_attribution() -> None:
    report = pv.support_report({"css-at-media-prefers-color-scheme", "html-p"})
    by_slug = {f.slug: f for f in report.features}
    dark = by_slug["css-at-media-prefers-color-scheme"]
    assert dark.level("gmail") == "unsupported"
    assert dark.level("apple-mail") == "supported"
    assert not dark.ok and dark in report.problems
    assert report.features[0] is dark  # problems first
    assert 0 < report.score < 100
    assert "CC BY 4.0" in report.attribution and "caniemail.com" in report.attribution
    licence = (ROOT / "digest" / "data" / "caniemail" / "LICENSE").read_text()
    assert "CC BY 4.0" in licence and "Parmentier" in licence


def test_size_check_against_gmail_clipping() -> None:
    assert pv.size_check(50_000).status == "ok"
    assert pv.size_check(100_000).status == "warn"
    clipped = pv.size_check(pv.GMAIL_CLIP_BYTES + 1)
    assert clipped.status == "fail" and "clips" in clipped.message


def test_dark_variant_turns_the_dark_rules_on() -> None:
    html = "<html><head><style>@media (prefers-color-scheme: dark) { body { color: #fff } }" \
           "</style></head><body></body></html>"
    dark = pv.dark_variant(html)
    assert "@media all" in dark and "prefers-color-scheme" not in dark
    assert "color-scheme:dark" in dark


# ---- one reader's copy -----------------------------------------------------------------------


def test_preview_is_the_message_as_sent(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    store, saved = stored(cfg)
    p = pv.make_preview(cfg, saved, reader=pv.Reader(), secret="s3cret", now=AT)
    head = p.raw.split(b"\r\n\r\n", 1)[0].decode()
    assert "Subject: Evening Digest | 25.11.2026, 18:30 UTC" in head
    assert "To: reader@example.com" in head and "List-Unsubscribe:" in head
    assert b"\n" not in p.raw.replace(b"\r\n", b"")  # CRLF throughout
    assert "%%" not in p.html and "%%" not in p.text
    assert "https://news.example/u/" in p.html and "Protesters block" in p.text
    status = {c.name: c.status for c in p.checks}
    assert status == {"size": "ok", "images": "ok", "links": "ok", "placeholders": "ok",
                      "unsubscribe": "ok", "clients": "warn"}
    assert p.status == "warn" and p.preheader.startswith("Protesters block")
    store.close()


def test_preview_for_a_section_choice_has_only_those_sections(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    store, saved = stored(cfg)
    ann = store.subscribers()[0]
    p = pv.make_preview(cfg, saved, reader=pv.Reader(ann.id, ann.email, ann.sections),
                        secret="s3cret", now=AT)
    assert "Oil prices slide" in p.text and "Belgrade" not in p.text
    assert "This email was sent to ann@example.org" in p.text
    store.close()


# ---- test sends ------------------------------------------------------------------------------


def test_send_test_reaches_smtp_and_leaves_the_ledger_alone(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    cfg = make_config(tmp_path, smtp_server)
    store, saved = stored(cfg)
    assert saved.id is not None
    sent = pv.send_test(cfg, saved, ["Ed@Example.org, designer@example.org"], secret="s",
                        now=AT)
    assert sent == ["ed@example.org", "designer@example.org"]
    got = smtp_server.wait_for(2)
    assert [m.rcpt_tos for m in got] == [["ed@example.org"], ["designer@example.org"]]
    assert all(str(m.message["Subject"]).startswith("[TEST] Evening Digest") for m in got)
    assert store.deliveries(saved.id) == []
    assert store.edition(saved.id).status == "built"
    assert store.edition_row(saved.id)["send_started_at"] is None
    store.close()


def test_send_test_validates_every_address_before_sending(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    cfg = make_config(tmp_path, smtp_server)
    store, saved = stored(cfg)
    with pytest.raises(InvalidInput, match="not-an-address"):
        pv.send_test(cfg, saved, ["ok@example.org", "not-an-address"], secret="s", now=AT)
    with pytest.raises(InvalidInput, match="no address"):
        pv.send_test(cfg, saved, [" "], secret="s", now=AT)
    assert smtp_server.messages == []
    store.close()


# ---- the commands ----------------------------------------------------------------------------


def digest(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIGEST_CONFIG": str(tmp / "config.toml"), "COLUMNS": "160"}
    return subprocess.run([sys.executable, "-m", "digest", *args], cwd=tmp, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_preview_writes_html_text_and_eml(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    stored(cfg)[0].close()
    r = digest(tmp_path, "preview", "--out", "tonight.html")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "tonight.html").read_text()
    assert page.startswith("<!doctype html>") and "https://news.example/u/" in page
    r = digest(tmp_path, "preview", "--text", "--sections", "Sports")
    assert r.returncode == 0 and "Late goal" in r.stdout and "Belgrade" not in r.stdout
    r = digest(tmp_path, "preview", "--eml", "--subscriber", "2")
    assert r.returncode == 0 and "To: bob@example.org" in r.stdout
    r = digest(tmp_path, "preview", "--next", "--text")  # nothing collected: an empty edition
    assert r.returncode == 0 and "No new stories" in r.stdout


def test_cli_preview_check_reports_and_fails_on_a_failing_check(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, own_templates=True)
    stored(cfg)[0].close()
    r = digest(tmp_path, "preview", "--check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Gmail's ~102 KB" in r.stdout and "css-at-media-prefers-color-scheme" in r.stdout
    assert "CC BY 4.0" in r.stdout
    break_template(cfg, '<mj-section><mj-column><mj-text><a href="javascript:go()">x</a>'
                        '</mj-text></mj-column></mj-section>')
    r = digest(tmp_path, "preview", "--check", "--json")
    assert r.returncode == 1
    assert '"status": "fail"' in r.stdout and "javascript:go()" in r.stdout


def test_cli_preview_template_error_is_one_line_and_exit_1(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, own_templates=True)
    stored(cfg)[0].close()
    path, line = break_template(cfg, "{% if %}")
    r = digest(tmp_path, "preview")
    assert r.returncode == 1
    assert f"{path}:{line}" in r.stderr and "Traceback" not in r.stderr
    r = digest(tmp_path, "preview", "42")
    assert r.returncode == 1 and "no edition 42" in r.stderr


def test_cli_send_test_sends_and_records_nothing(tmp_path: Path, smtp_server: SmtpServer) -> None:
    cfg = make_config(tmp_path, smtp_server)
    store, saved = stored(cfg)
    assert saved.id is not None
    r = digest(tmp_path, "send", "--test", "ed@example.org", "--test", "x@example.org")
    assert r.returncode == 0, r.stderr
    got = smtp_server.wait_for(2)
    assert len(got) == 2 and str(got[0].message["Subject"]).startswith("[TEST] ")
    assert store.deliveries(saved.id) == []
    r = digest(tmp_path, "send", "--test", "nope")
    assert r.returncode == 2 and "nope" in r.stderr and "Traceback" not in r.stderr
    store.close()
