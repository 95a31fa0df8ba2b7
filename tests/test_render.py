"""The render stage: real Jinja, real MJML, no mocks. What a reader relies on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import html
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from digest.config import Config, NewsletterConfig
from digest.errors import ConfigError, TemplateError
from digest.render import (
    PLACEHOLDERS,
    Rendered,
    Renderer,
    archive_url,
    first_unbalanced_line,
    subject_for,
    templates_dir,
)
from digest.types import Edition, Image, Section, Source, Story

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
AT = dt.datetime(2026, 11, 25, 17, 45, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 25)
HOSTILE = '<script>alert(1)</script> & "quotes"'
NEWSLETTER = NewsletterConfig(
    name="Evening Digest",
    sender="Evening Digest <digest@news.example>",
    base_url="https://news.example/",
    postal_address="Example Media GmbH, Kurt-Schumacher-Str. 3, 53113 Bonn, Germany",
)
SUBSCRIBER = {
    "unsubscribe_url": "https://news.example/u/abc?t=1&x=2",
    "preferences_url": "https://news.example/p/abc",
    "email": "ann@example.org",
}


def story(n: int, title: str, **kw: object) -> Story:
    fields: dict[str, object] = {
        "id": f"s{n}",
        "title": title,
        "url": f"https://news.example/world/a-{n}?maca=en&ref={n}",
        "teaser": f"Teaser {n}: what happened, who said what and why it matters tonight.",
        "source": "DW",
        "published": AT,
        "first_seen_at": AT,
    }
    fields.update(kw)
    return Story(**fields)  # type: ignore[arg-type]


def sample_edition() -> Edition:
    news = (
        story(
            1,
            "Protesters block Belgrade bridges for a third night",
            kicker="Serbia",
            image=Image("https://img.news.example/belgrade.jpg", "Crowd on a bridge at night"),
            also=(
                Source("BBC", "https://bbc.example/news/1", "Serbia protests grow"),
                Source("Al Jazeera", "https://aljazeera.example/1", "Belgrade bridges"),
            ),
        ),
        story(
            2,
            "Bundestag passes the pension reform",
            kicker="Germany",
            image=Image("https://img.news.example/bundestag.jpg"),
        ),
        story(3, HOSTILE, url=None, teaser="A story with no link of its own."),
    )
    business = (
        story(4, "Oil prices slide as OPEC+ weighs output", kicker="Markets"),
        story(5, "Chipmaker opens a plant in Saxony", url="javascript:alert(2)"),
    )
    sports = (story(6, "Late goal sends Leverkusen through", kicker="Football"),)
    return Edition(
        newsletter="Evening Digest",
        date=DAY,
        created_at=AT,
        window_start=AT - dt.timedelta(days=1),
        window_end=AT,
        sections=(
            Section("News", news),
            Section("Business", business),
            Section("Sports", sports),
        ),
    )


def big_edition(count: int = 30) -> Edition:
    """30 stories with long teasers, images and also-reported-by: the size budget case."""
    teaser = " ".join(["Officials said the talks would continue on Thursday"] * 6)
    also = (
        Source("BBC", "https://www.bbc.example/news/world-europe-12345678", "x"),
        Source("Al Jazeera", "https://www.aljazeera.example/news/2026/11/25/long-slug", "y"),
    )
    stories = [
        story(
            n,
            f"A long headline about event number {n} that spans two lines in most clients",
            url=f"https://www.dw.example/en/a-very-long-slug-for-story-{n}/a-7{n:05d}?maca=en-rss",
            teaser=teaser,
            kicker="Europe",
            image=Image(f"https://static.dw.example/image/7{n:05d}_6.jpg", f"Photo {n}"),
            also=also,
        )
        for n in range(count)
    ]
    sections = tuple(
        Section(name, tuple(stories[i::5])) for i, name in enumerate(
            ("Germany", "Europe", "Americas", "Africa", "Asia")
        )
    )
    return Edition("Evening Digest", DAY, AT, AT, AT, sections)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(templates_dir(Config(newsletter=NEWSLETTER)), NEWSLETTER)


@pytest.fixture(scope="module")
def personal(renderer: Renderer) -> Rendered:
    return renderer.render(sample_edition())


@pytest.fixture(scope="module")
def archive(renderer: Renderer) -> Rendered:
    return renderer.render(sample_edition(), personal=False)


def e(text: str) -> str:
    """As the HTML template writes a value (Jinja/markupsafe escaping)."""
    return str(html.escape(text, quote=True)).replace("&quot;", "&#34;").replace("&#x27;", "&#39;")


# --- subject, preheader, structure -------------------------------------------------------


def test_subject_follows_the_pattern(personal: Rendered) -> None:
    assert personal.subject == "Evening Digest | 25.11.2026, 18:30 UTC"
    assert subject_for(sample_edition(), NEWSLETTER) == personal.subject
    assert f"<title>{personal.subject}</title>" in personal.html
    assert personal.text.startswith(personal.subject + "\n")


def test_preheader_names_the_top_stories_and_is_hidden(personal: Rendered) -> None:
    assert personal.preheader.startswith("Protesters block Belgrade bridges for a third night")
    assert "Bundestag passes the pension reform" in personal.preheader
    assert len(personal.preheader) <= 140
    hidden = re.search(r'<div style="display:none;[^"]*">(.*?)</div>', personal.html)
    assert hidden and hidden.group(1).startswith(e(personal.preheader))


def test_preheader_is_cut_at_a_word(renderer: Renderer) -> None:
    long = "word " * 60
    edition = Edition("x", DAY, AT, AT, AT, (Section("News", (story(1, long),)),))
    pre = renderer.render(edition).preheader
    assert len(pre) <= 140 and pre.endswith("word…")


def test_masthead_has_name_and_babel_date(personal: Rendered) -> None:
    assert "Evening Digest</div>" in personal.html
    assert "Wednesday, 25 November 2026" in personal.html
    assert "Wednesday, 25 November 2026" in personal.text


def test_date_follows_the_newsletter_language() -> None:
    german = NewsletterConfig(language="de")
    rendered = Renderer(templates_dir(Config()), german).render(sample_edition())
    assert "Mittwoch, 25. November 2026" in rendered.html
    assert 'lang="de"' in rendered.html


def test_the_emails_own_words_follow_the_newsletter_language() -> None:
    edition = dataclasses.replace(sample_edition(), sections=(
        Section("Europe", sample_edition().sections[0].stories),
        Section("Business", sample_edition().sections[1].stories),
        Section("Late Desk", sample_edition().sections[2].stories),  # an editor's own name
    ))
    german = Renderer(templates_dir(Config()), NewsletterConfig(language="de"))
    de = german.render(edition)
    for text in ("Diese E-Mail im Browser ansehen", "Auch berichtet von", "Abmelden",
                 "Einstellungen verwalten", "Diese E-Mail wurde an %%EMAIL%% gesendet.",
                 "Sie erhalten diese E-Mail, weil Sie Evening Digest abonniert haben.",
                 ">Europa</h2>", ">Wirtschaft</h2>", ">Late Desk</h2>",
                 ">Serbien</p>", ">Deutschland</p>", ">Markets</p>"):  # kickers: countries
        assert text in de.html, text
    for text in ("Im Browser ansehen:", "TOPTHEMA · SERBIEN", "Quelle: ", "Auch berichtet von:",
                 "EUROPA\n", "WIRTSCHAFT\n", "Abmelden: ", "Einstellungen verwalten: "):
        assert text in de.text, text
    for english in ("Also reported by", "Unsubscribe", "View this email", "TOP STORY"):
        assert english not in de.html + de.text, english
    # the personal links still go in: the placeholders survive translation
    filled = Renderer.fill(de, {"email": "ann@example.org", "unsubscribe_url": "https://u.example/1",
                                "preferences_url": "https://p.example/1"})
    assert "Diese E-Mail wurde an ann@example.org gesendet." in filled.html
    # French and Spanish ship too; a language without a catalog keeps the English words
    assert "Se désabonner" in Renderer(templates_dir(Config()),
                                       NewsletterConfig(language="fr")).render(edition).html
    assert "Darse de baja" in Renderer(templates_dir(Config()),
                                       NewsletterConfig(language="es")).render(edition).html
    # (its dates and country names come from Babel all the same)
    pt = Renderer(templates_dir(Config()), NewsletterConfig(language="pt")).render(edition)
    assert "Unsubscribe" in pt.html and ">Europe</h2>" in pt.html
    assert "quarta-feira" in pt.html and ">Sérvia</p>" in pt.html


def test_every_catalog_translates_every_word_of_the_shipped_templates() -> None:
    import re as re_

    from babel.messages.pofile import read_po

    from digest import i18n

    words = set(i18n.SECTION_WORDS) | {NewsletterConfig.why,
                                        "You're already subscribed to %(name)s",
                                        "Confirm your subscription to %(name)s"}
    for template in (templates_dir(Config()) / "email").glob("*.j2"):
        words |= set(re_.findall(r'_\("([^"]+)"', template.read_text()))
    assert "Also reported by" in words and "Unsubscribe" in words
    assert i18n.languages() == ["de", "es", "fr"]
    for language in i18n.languages():
        with (i18n.LOCALE_DIR / f"{language}.po").open("rb") as f:
            catalog = read_po(f)
        missing = sorted(w for w in words if not (catalog.get(w) and catalog.get(w).string))
        assert not missing, (language, missing)


def test_unknown_language_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as info:
        Renderer(templates_dir(Config()), NewsletterConfig(language="xx_Nowhere"))
    assert info.value.key == "newsletter.language"


def test_sections_in_edition_order(personal: Rendered) -> None:
    headings = re.findall(r'<h2 class="dg-sh"[^>]*>([^<]*)</h2>', personal.html)
    assert headings == ["News", "Business", "Sports"]
    positions = [personal.text.index(f"\n{name}\n") for name in ("NEWS", "BUSINESS", "SPORTS")]
    assert positions == sorted(positions)


def test_only_the_chosen_sections(renderer: Renderer) -> None:
    rendered = renderer.render(sample_edition().only_sections(frozenset({"Sports"})))
    assert re.findall(r'<h2 class="dg-sh"[^>]*>([^<]*)</h2>', rendered.html) == ["Sports"]
    assert "Bundestag" not in rendered.html and "Bundestag" not in rendered.text


def test_each_headline_links_to_its_story(personal: Rendered) -> None:
    for s in sample_edition().stories:
        if s.url is None or not s.url.startswith("https://"):
            continue
        href, title = re.escape(e(s.url)), re.escape(e(s.title))
        link = f'<a class="dg-h" href="{href}" style="[^"]*">{title}</a>'
        assert re.search(link, personal.html), s.title
        assert f"{s.title}\n{s.url}\n" in personal.text


def test_story_without_url_has_an_unlinked_headline(personal: Rendered) -> None:
    assert re.search(r'<span class="dg-h"[^>]*>&lt;script&gt;', personal.html)
    block = personal.text.split(HOSTILE, 1)[1]
    assert block.startswith("\n\nA story with no link of its own.")


def test_javascript_urls_are_never_links(personal: Rendered) -> None:
    assert "javascript:" not in personal.html and "javascript:" not in personal.text
    assert re.search(r'<span class="dg-h"[^>]*>Chipmaker opens a plant in Saxony</span>',
                     personal.html)


def test_kickers_above_headlines(personal: Rendered) -> None:
    for kicker in ("Serbia", "Germany", "Markets", "Football"):
        assert re.search(rf'<p class="dg-k"[^>]*>{kicker}</p><h3', personal.html)
    assert "TOP STORY · SERBIA\nProtesters block" in personal.text
    assert "\nMARKETS\nOil prices slide" in personal.text


def test_top_story_is_larger_with_a_full_width_image(personal: Rendered) -> None:
    sizes = re.findall(r'<h3 style="[^"]*font-size:(\d+)px', personal.html)
    assert int(sizes[0]) > max(int(s) for s in sizes[1:])
    hero = re.search(r'<img alt="Crowd on a bridge at night"[^>]*>', personal.html)
    assert hero and 'src="https://img.news.example/belgrade.jpg"' in hero.group(0)


def test_every_image_has_alt_text(personal: Rendered) -> None:
    images = re.findall(r"<img\b[^>]*>", personal.html)
    assert len(images) == 2
    for tag in images:
        assert re.search(r'alt="[^"]+"', tag), tag
    # no alt in the feed: the headline stands in
    assert re.search(r'<img src="https://img.news.example/bundestag.jpg" '
                     r'alt="Bundestag passes the pension reform"', personal.html)


def test_also_reported_by_links(personal: Rendered) -> None:
    assert re.search(
        r'Also reported by: <a href="https://bbc.example/news/1"[^>]*>BBC</a>, '
        r'<a href="https://aljazeera.example/1"[^>]*>Al Jazeera</a>',
        personal.html,
    )
    assert "Also reported by:\n  - BBC: https://bbc.example/news/1\n" in personal.text


# --- personal links and the archive copy -------------------------------------------------


def test_placeholders_where_the_personal_links_go(personal: Rendered) -> None:
    page, text = personal.html, personal.text
    assert page.count(PLACEHOLDERS["unsubscribe_url"]) == 1
    assert f'<a href="{PLACEHOLDERS["unsubscribe_url"]}"' in page
    assert page.count(PLACEHOLDERS["preferences_url"]) == 1
    assert f'<a href="{PLACEHOLDERS["preferences_url"]}"' in page
    assert page.count(PLACEHOLDERS["email"]) == 1
    assert f"sent to {PLACEHOLDERS['email']}." in page
    assert f"Unsubscribe: {PLACEHOLDERS['unsubscribe_url']}\n" in text
    assert f"Manage your preferences: {PLACEHOLDERS['preferences_url']}\n" in text
    assert f"sent to {PLACEHOLDERS['email']}." in text
    assert len(re.findall("%%", page)) == 6 and len(re.findall("%%", text)) == 6


def test_view_in_browser_link(personal: Rendered) -> None:
    url = archive_url(sample_edition(), NEWSLETTER)
    assert url == "https://news.example/archive/2026-11-25"
    assert f'href="{url}"' in personal.html
    assert f"View in your browser: {url}\n" in personal.text


def test_archive_copy_has_no_personal_links(archive: Rendered) -> None:
    for part in (archive.html, archive.text):
        assert "%%" not in part
        assert "Unsubscribe" not in part and "sent to" not in part
        assert "https://news.example/subscribe" in part
    assert "View this email in your browser" not in archive.html
    assert 'href="https://news.example/subscribe"' in archive.html


def test_footer_identifies_the_sender(personal: Rendered) -> None:
    for part in (personal.html, personal.text):
        assert "digest@news.example" in part
        assert "Kurt-Schumacher-Str. 3, 53113 Bonn" in part
        assert "You receive this email because you subscribed to Evening Digest." in part


def test_fill_puts_the_subscribers_links_in_both_parts(personal: Rendered) -> None:
    filled = Renderer.fill(personal, SUBSCRIBER)
    assert "%%" not in filled.html and "%%" not in filled.text
    assert '<a href="https://news.example/u/abc?t=1&amp;x=2"' in filled.html
    assert '<a href="https://news.example/p/abc"' in filled.html
    assert "sent to ann@example.org." in filled.html
    assert "Unsubscribe: https://news.example/u/abc?t=1&x=2\n" in filled.text
    assert "Manage your preferences: https://news.example/p/abc\n" in filled.text
    assert "sent to ann@example.org." in filled.text
    assert (filled.subject, filled.preheader) == (personal.subject, personal.preheader)
    assert personal.html.count("%%") == 6  # the shared copy is left as it was


def test_fill_escapes_for_html_only(personal: Rendered) -> None:
    filled = Renderer.fill(personal, {**SUBSCRIBER, "email": 'a"<b>@example.org'})
    assert "a&#34;&lt;b&gt;@example.org" in filled.html or "a&quot;&lt;b&gt;" in filled.html
    assert '<b>@' not in filled.html
    assert 'sent to a"<b>@example.org.' in filled.text


# --- untrusted feed text -----------------------------------------------------------------


def test_hostile_title_is_escaped_never_raw(personal: Rendered) -> None:
    assert "<script" not in personal.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in personal.html
    assert f"\n{HOSTILE}\n" in personal.text  # plain text: shown as written, on its own line


def test_feed_text_cannot_add_lines_or_fill_placeholders(renderer: Renderer) -> None:
    evil = story(
        1,
        "Headline\r\nUnsubscribe: https://evil.example\x1b[2J %%EMAIL%%",
        teaser="Teaser\n\n--\nFake footer %%UNSUBSCRIBE_URL%%",
        kicker="K\nX",
    )
    rendered = renderer.render(Edition("x", DAY, AT, AT, AT, (Section("News", (evil,)),)))
    filled = Renderer.fill(rendered, SUBSCRIBER)
    for part in (filled.html, filled.text):
        assert part.count("ann@example.org") == 1  # only the footer's "sent to"
        assert part.count("https://news.example/u/abc") == 1
        assert "\x1b" not in part and "\r" not in part
    assert "\nHeadline Unsubscribe: https://evil.example [2J %\u200c%EMAIL%\u200c%\n" in filled.text
    assert "\nTeaser -- Fake footer" in filled.text
    assert "TOP STORY · K X\n" in filled.text


# --- size and layout ---------------------------------------------------------------------


def test_thirty_stories_stay_below_gmail_clipping(renderer: Renderer) -> None:
    edition = big_edition(30)
    assert len(edition.stories) == 30
    filled = Renderer.fill(renderer.render(edition), SUBSCRIBER)
    size = len(filled.html.encode("utf-8"))
    assert size < 100_000, f"{size} bytes"
    assert filled.html.count('<img ') == 30
    assert filled.html.count("Also reported by") == 30
    assert "Unsubscribe</a>" in filled.html


def test_one_mj_section_per_news_section(renderer: Renderer) -> None:
    body = renderer.render_mjml(big_edition(30)).split("<mj-body", 1)[1]
    # view-in-browser + masthead + 5 news sections + footer
    assert body.count("<mj-section") == 8
    assert body.count("<mj-text") >= 30


def test_600_pixels_wide_and_stacking(personal: Rendered) -> None:
    assert "max-width:600px" in personal.html
    assert 'width="600"' in personal.html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in personal.html
    assert "mj-column-per-100" in personal.html
    assert "@media (prefers-color-scheme: dark)" in personal.html


def test_plain_text_is_wrapped(personal: Rendered, renderer: Renderer) -> None:
    text = renderer.render(big_edition(5)).text
    long_lines = [ln for ln in text.splitlines() if len(ln) > 72 and "://" not in ln]
    assert long_lines == []
    assert "<" not in personal.text.replace(HOSTILE, "")


def test_quiet_day_renders_a_notice(renderer: Renderer) -> None:
    rendered = renderer.render(Edition("x", DAY, AT, AT, AT, ()))
    assert "No new stories since the last edition." in rendered.html
    assert "No new stories since the last edition." in rendered.text
    assert rendered.preheader == ""


# --- templates: where they are, and when they are wrong ----------------------------------


def copy_templates(tmp_path: Path) -> Path:
    target = tmp_path / "templates"
    shutil.copytree(templates_dir(Config()), target)
    return target


def test_templates_dir_from_config_resolves_against_the_config_file(tmp_path: Path) -> None:
    target = copy_templates(tmp_path)
    cfg = Config(newsletter=NewsletterConfig(templates_dir="templates"), path=tmp_path / "c.toml")
    assert templates_dir(cfg) == target
    assert templates_dir(Config()).joinpath("email", "edition.mjml.j2").is_file()


def test_missing_templates_dir_is_a_config_error(tmp_path: Path) -> None:
    cfg = Config(newsletter=NewsletterConfig(templates_dir=str(tmp_path / "nope")))
    with pytest.raises(ConfigError) as info:
        templates_dir(cfg)
    assert info.value.key == "newsletter.templates_dir"


def break_template(folder: Path, old: str, new: str) -> Path:
    path = folder / "email" / "edition.mjml.j2"
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, ln in enumerate(lines, start=1) if needle in ln)


def test_jinja_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    path = break_template(folder, "{{ long_date }}", "{{ long_date }")
    with pytest.raises(TemplateError) as info:
        Renderer(folder, NEWSLETTER)
    assert info.value.file == str(path)
    assert info.value.line == line_of(path, "{{ long_date }")
    assert str(info.value).startswith(f"{path}:{info.value.line}: syntax error")


def test_a_percent_sign_in_an_editors_own_words_names_file_and_line(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    path = break_template(folder, '{{ _("Unsubscribe") }}', '{{ _("Leave 100% free") }}')
    with pytest.raises(TemplateError) as info:
        Renderer(folder, NEWSLETTER).render(sample_edition())
    assert info.value.file == str(path)
    assert info.value.line == line_of(path, "Leave 100% free")
    assert "a literal % is written %%" in str(info.value)
    break_template(folder, '{{ _("Leave 100% free") }}', '{{ _("Leave 100%% free") }}')
    assert "Leave 100% free" in Renderer(folder, NEWSLETTER).render(sample_edition()).html


def test_undefined_variable_names_file_and_line(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    path = break_template(folder, "{{ section.name }}", "{{ section.title }}")
    with pytest.raises(TemplateError) as info:
        Renderer(folder, NEWSLETTER).render(sample_edition())
    assert info.value.file == str(path)
    assert info.value.line == line_of(path, "{{ section.title }}")
    assert "title" in info.value.detail


def test_mjml_error_names_file_and_line(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    body = '  <mj-body width="600px" background-color="#eceff3" css-class="dg-bg">\n'
    path = break_template(folder, body, body + "    <mj-text>unclosed\n")
    with pytest.raises(TemplateError) as info:
        Renderer(folder, NEWSLETTER).render(sample_edition())
    assert info.value.file == str(path)
    assert info.value.line == line_of(path, "<mj-text>unclosed")
    assert info.value.detail.startswith("MJML: ")


def test_unbalanced_markup_is_located() -> None:
    source = "<mjml>\n<mj-body>\n<mj-text><p>open</mj-text>\n</mj-body>\n</mjml>"
    assert first_unbalanced_line(source) == 3
    assert first_unbalanced_line("<mjml>\n<mj-body><br><img src=x></mj-body>\n</mjml>") is None


# --- golden files ------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Nothing in a render depends on the clock; only line endings and trailing blanks."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))


@pytest.mark.parametrize("part", ["html", "txt"])
def test_golden_edition(personal: Rendered, part: str) -> None:
    got = normalise(personal.html if part == "html" else personal.text)
    path = GOLDEN / f"edition.{part}"
    if os.environ.get("DIGEST_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    want = normalise(path.read_text(encoding="utf-8"))
    if part == "html":  # one long line per section: compare tag by tag for a useful diff
        got, want = got.replace("><", ">\n<"), want.replace("><", ">\n<")
    diff = "".join(difflib.unified_diff(
        want.splitlines(True), got.splitlines(True), str(path), "rendered", n=2
    ))
    assert not diff, f"rerun with DIGEST_UPDATE_GOLDEN=1 if intended:\n{diff[:4000]}"


# --- an installed wheel finds its templates ----------------------------------------------

INSTALLED_CHECK = textwrap.dedent(
    """
    import datetime as dt, json, sys
    sys.path.extend(json.loads(sys.argv[1]))  # Jinja2, mjml, Babel from the test's venv
    import digest.render as r
    from digest.config import Config
    from digest.types import Edition, Section, Story
    t = dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc)
    s = Story("1", "Installed", "https://x.example/1", "Teaser", "DW", t, t)
    ed = Edition("x", t.date(), t, t, t, (Section("News", (s,)),))
    d = r.templates_dir(Config())
    out = r.Renderer(d, Config().newsletter).render(ed)
    print(json.dumps({"module": r.__file__, "templates": str(d), "html": len(out.html),
                      "linked": 'href="https://x.example/1"' in out.html}))
    """
)


def copy_project(target: Path) -> Path:
    """What the wheel is built from, copied so that the build leaves the checkout alone."""
    target.mkdir()
    shutil.copy(ROOT / "pyproject.toml", target)
    for folder in ("digest", "templates"):
        shutil.copytree(ROOT / folder, target / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    readme = ROOT / "README.md"
    (target / "README.md").write_text(
        readme.read_text(encoding="utf-8") if readme.exists() else "digest\n", encoding="utf-8"
    )
    return target


def test_installed_wheel_finds_its_templates(tmp_path: Path) -> None:
    import importlib.util
    import json

    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    source = copy_project(tmp_path / "src")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation,
         "-w", str(dist), str(source)],
        check=True, cwd=tmp_path,
    )
    wheel = next(dist.glob("digest-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
         "--no-deps", "--no-index", str(wheel)],
        check=True, cwd=tmp_path,
    )
    deps = json.dumps(sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(python), "-c", INSTALLED_CHECK, deps],
        check=True, cwd=tmp_path, capture_output=True, text=True, env=env,
    )
    found = json.loads(out.stdout)
    site = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    assert Path(found["module"]).is_relative_to(site)
    assert Path(found["templates"]) == site / "digest" / "templates"
    assert found["linked"] and found["html"] > 1000


def test_fill_accepts_markers_and_refuses_a_missing_value(personal: Rendered) -> None:
    by_marker = {PLACEHOLDERS[k]: v for k, v in SUBSCRIBER.items()}
    assert Renderer.fill(personal, by_marker) == Renderer.fill(personal, SUBSCRIBER)
    with pytest.raises(ValueError, match="unsubscribe_url"):
        Renderer.fill(personal, {"email": "ann@example.org", "preferences_url": "https://x"})


def test_a_kicker_is_not_said_twice() -> None:
    from digest.render import edit_kicker

    assert edit_kicker("Serbia: S-400 arrives", "Serbia", "Europe") == ("S-400 arrives", "Serbia")
    assert edit_kicker("Germany: energy boss warns", "Germany", "Germany") == (
        "Energy boss warns", ""
    )
    assert edit_kicker("Ceuta: documents show", "Spain", "Europe") == (
        "Ceuta: documents show", "Spain"
    )
    assert edit_kicker("Serbia:", "Serbia", "Europe") == ("Serbia:", "Serbia")
    assert edit_kicker("Plain title", "", "World") == ("Plain title", "")
