"""Render: Edition → subject, preheader, HTML (Jinja2 → MJML → mjml-python) and plain text.

Pure: no clock, no I/O beyond reading templates. The expensive part (Jinja + MJML) runs
once per edition and section-preference set with ``personal=True``, leaving
``PLACEHOLDERS`` where each subscriber's address and links go; ``Renderer.fill`` then puts a
subscriber's values in with plain string replacement. ``personal=False`` is the public
archive copy, which carries no personal link at all.

Everything that comes from a feed (titles, teasers, kickers, URLs, alt texts) is untrusted.
It reaches the templates only through the view values built here: control characters and
line breaks are flattened, the placeholder marker ``%%`` is defused (so a title cannot
smuggle a subscriber's link into the page), URLs other than http(s) are dropped, and the
HTML template escapes on top of that (autoescape).
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
import textwrap
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import jinja2
import mjml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from digest import i18n
from digest.config import Config, NewsletterConfig
from digest.errors import ConfigError, TemplateError
from digest.types import Edition, Image, Source, Story

PLACEHOLDERS: dict[str, str] = {
    "unsubscribe_url": "%%UNSUBSCRIBE_URL%%",
    "preferences_url": "%%PREFERENCES_URL%%",
    "email": "%%EMAIL%%",
}

HTML_TEMPLATE = "email/edition.mjml.j2"
TEXT_TEMPLATE = "email/edition.txt.j2"
PREHEADER_MAX = 140
TEXT_WIDTH = 72

_PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"
_CHECKOUT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    preheader: str
    html: str
    text: str


# --- where the templates are -------------------------------------------------------------


def templates_dir(cfg: Config) -> Path:
    """The configured templates folder, else the packaged one, else the checkout's."""
    if cfg.newsletter.templates_dir:
        path = cfg.resolve(cfg.newsletter.templates_dir)
        if not path.is_dir():
            raise ConfigError(
                f"no templates folder at {path}",
                key="newsletter.templates_dir",
                hint="point it at a folder holding email/edition.mjml.j2, or leave it empty",
            )
        return path
    for path in (_PACKAGE_TEMPLATES, _CHECKOUT_TEMPLATES):
        if (path / HTML_TEMPLATE).is_file():
            return path
    raise ConfigError(
        f"no templates in {_PACKAGE_TEMPLATES} or {_CHECKOUT_TEMPLATES}",
        key="newsletter.templates_dir",
        hint="reinstall digest, or set newsletter.templates_dir",
    )


# --- plain values: subject, links, dates -------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """Untrusted text as one safe line: no control characters, no placeholder marker."""
    if not value:
        return ""
    flat = _SPACES.sub(" ", _CONTROL.sub(" ", value)).strip()
    return flat.replace("%%", "%\u200c%")


def safe_url(value: str | None) -> str | None:
    """An http(s) URL without whitespace or control characters, else None."""
    if not value:
        return None
    url = value.strip()
    if not re.match(r"(?i)^https?://[^\s/?#]+", url) or re.search(r"[\s\x00-\x1f\x7f]", url):
        return None
    return url.replace("%%", "%25%25")


def subject_for(edition: Edition, newsletter: NewsletterConfig) -> str:
    return clean_text(newsletter.subject.format(name=newsletter.name, date=edition.date))


def archive_url(edition: Edition, newsletter: NewsletterConfig) -> str:
    return f"{newsletter.base_url.rstrip('/')}/archive/{edition.date:%Y-%m-%d}"


def subscribe_url(newsletter: NewsletterConfig) -> str:
    return f"{newsletter.base_url.rstrip('/')}/subscribe"


def sender_address(newsletter: NewsletterConfig) -> str:
    return parseaddr(newsletter.sender)[1]


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:·-")
    return cut + "…"


def preheader_for(edition: Edition, limit: int = PREHEADER_MAX) -> str:
    """The inbox preview line: the first three headlines, as many as fit."""
    titles = [clean_text(s.title) for s in edition.stories[:3] if clean_text(s.title)]
    if not titles:
        return ""
    text = titles[0]
    for title in titles[1:]:
        longer = f"{text} · {title}"
        if len(longer) > limit:
            break
        text = longer
    return _shorten(text, limit)


def locale_for(language: str) -> Locale:
    """Babel's locale; a bare "en" reads dates the international way (25 November)."""
    try:
        return Locale.parse("en_GB" if language in ("", "en") else language.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as e:
        raise ConfigError(
            f"unknown language {language!r} ({e})",
            key="newsletter.language",
            hint="use a code such as 'en', 'de' or 'pt_BR'",
        ) from None


# --- what the templates see --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkView:
    name: str
    url: str | None


@dataclass(frozen=True, slots=True)
class ImageView:
    url: str
    alt: str


@dataclass(frozen=True, slots=True)
class StoryView:
    title: str
    url: str | None
    teaser: str
    kicker: str
    source: str
    image: ImageView | None
    also: tuple[LinkView, ...]
    top: bool


@dataclass(frozen=True, slots=True)
class SectionView:
    name: str
    stories: tuple[StoryView, ...]


@dataclass(frozen=True, slots=True)
class FooterView:
    personal: bool
    name: str
    sender: str
    postal_address: str
    why: str
    unsubscribe_url: str
    preferences_url: str
    email: str
    subscribe_url: str


def _image_view(image: Image | None, title: str) -> ImageView | None:
    url = safe_url(image.url) if image else None
    if image is None or url is None:
        return None
    return ImageView(url=url, alt=clean_text(image.alt) or title)


def _source_view(source: Source) -> LinkView:
    return LinkView(name=clean_text(source.name), url=safe_url(source.url))


def edit_kicker(title: str, kicker: str, section: str) -> tuple[str, str]:
    """An editor's touch: "Germany: Energy boss …" under a "Germany" kicker or section loses
    the repeated "Germany: ", and a kicker that only repeats the section name is dropped."""
    for place in (kicker, section):
        prefix = f"{place}:"
        if place and title.casefold().startswith(prefix.casefold()):
            rest = title[len(prefix):].strip()
            if rest:
                title = rest[0].upper() + rest[1:]
            break
    if kicker.casefold() == section.casefold():
        kicker = ""
    return title, kicker


def story_view(story: Story, *, top: bool = False, section: str = "") -> StoryView:
    title, kicker = edit_kicker(
        clean_text(story.title), clean_text(story.kicker), clean_text(section)
    )
    return StoryView(
        title=title,
        url=safe_url(story.url),
        teaser=clean_text(story.teaser),
        kicker=kicker,
        source=clean_text(story.source),
        image=_image_view(story.image, title),
        also=tuple(_source_view(s) for s in story.also if clean_text(s.name)),
        top=top,
    )


def section_views(edition: Edition) -> tuple[SectionView, ...]:
    top = edition.top
    return tuple(
        SectionView(
            name=clean_text(section.name),
            stories=tuple(
                story_view(s, top=s is top, section=section.name) for s in section.stories
            ),
        )
        for section in edition.sections
        if section.stories
    )


def footer_view(newsletter: NewsletterConfig, *, personal: bool) -> FooterView:
    return FooterView(
        personal=personal,
        name=clean_text(newsletter.name),
        sender=sender_address(newsletter),
        postal_address=clean_text(newsletter.postal_address),
        why=clean_text(newsletter.why.format(name=newsletter.name)),
        unsubscribe_url=PLACEHOLDERS["unsubscribe_url"] if personal else "",
        preferences_url=PLACEHOLDERS["preferences_url"] if personal else "",
        email=PLACEHOLDERS["email"] if personal else "",
        subscribe_url=subscribe_url(newsletter),
    )


def wrap(text: str, width: int = TEXT_WIDTH, indent: str = "") -> str:
    """Plain-text paragraphs for the text part; URLs and long words are never broken."""
    return textwrap.fill(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


# --- errors ------------------------------------------------------------------------------


def _template_frame(exc: BaseException) -> tuple[str, int | None]:
    """The innermost traceback frame inside a template (Jinja rewrites them to .j2 lines)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2") or "/templates/" in frame.filename:
            return frame.filename, frame.lineno
    return "", None


# What a template's own expression can raise besides Jinja's errors ("100% sure" inside _(),
# where a literal % is written %%, raises TypeError or ValueError): named like them.
RENDER_ERRORS = (jinja2.TemplateError, TypeError, ValueError, KeyError)


def jinja_error(exc: Exception, fallback: str) -> TemplateError:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or fallback
        return TemplateError(f"syntax error: {exc.message}", file=name, line=exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"template not found: {exc.name}", file=fallback)
    file, line = _template_frame(exc)
    hint = "" if isinstance(exc, jinja2.TemplateError) else \
        " (inside _(), a literal % is written %%)"
    return TemplateError(f"{type(exc).__name__}: {exc}{hint}", file=file or fallback, line=line)


_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^<>]*?(/?)>")
_OPAQUE = re.compile(r"<!--.*?-->|<(mj-style|mj-raw)\b[^>]*>.*?</\1>", re.S)
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "col", "area", "wbr", "source"})


def first_unbalanced_line(source: str) -> int | None:
    """1-based line of the tag MJML's parser most likely chokes on (None: none found).

    A closing tag that does not match points at the innermost opener left unclosed (or at
    itself when nothing of its name is open); a stray ``<`` or an unclosed opener at the
    end counts too.
    """
    text = _OPAQUE.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    stack: list[tuple[str, int]] = []
    for m in _TAG.finditer(text):
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        line = text.count("\n", 0, m.start()) + 1
        if selfclosing or (not closing and name in _VOID):
            continue
        if not closing:
            stack.append((name, line))
        elif not stack or stack[-1][0] != name:
            return stack[-1][1] if any(n == name for n, _ in stack) else line
        else:
            stack.pop()
    stray = re.search(r"<(?![A-Za-z/!])", text)
    if stray:
        return text.count("\n", 0, stray.start()) + 1
    return stack[-1][1] if stack else None


def _template_line(template_source: str, rendered_line: str) -> int | None:
    wanted = rendered_line.strip()
    for number, line in enumerate(template_source.splitlines(), start=1):
        if wanted and line.strip() == wanted:
            return number
    return None


def mjml_error(exc: Exception, mjml_source: str, template: Path) -> TemplateError:
    """mjml-python gives no position: find the offending line ourselves, as near as we can."""
    out_line = first_unbalanced_line(mjml_source)
    if out_line is None:
        return TemplateError(f"MJML: {exc}", file=str(template))
    snippet = mjml_source.splitlines()[out_line - 1].strip()[:120]
    try:
        line = _template_line(template.read_text(encoding="utf-8"), snippet)
    except OSError:
        line = None
    return TemplateError(
        f"MJML: {exc} (rendered MJML line {out_line}: {snippet!r})", file=str(template), line=line
    )


# --- the renderer ------------------------------------------------------------------------


def _autoescape(name: str | None) -> bool:
    """Escape everything except the plain-text templates."""
    return not (name or "").endswith((".txt.j2", ".txt"))


class Renderer:
    """Holds the Jinja environment and the compiled templates; build once, reuse."""

    def __init__(self, templates: Path, newsletter: NewsletterConfig) -> None:
        self.templates = templates
        self.newsletter = newsletter
        self.locale = locale_for(newsletter.language)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            autoescape=_autoescape,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        # the templates' own words ({{ _("Unsubscribe") }}) in newsletter.language
        self.env.install_gettext_translations(  # type: ignore[attr-defined]
            i18n.translations(newsletter.language), newstyle=True)
        self.env.filters["wrap"] = wrap
        self.html_template = self._load(HTML_TEMPLATE)
        self.text_template = self._load(TEXT_TEMPLATE)

    def _load(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateError as e:
            raise jinja_error(e, str(self.templates / name)) from None

    def context(self, edition: Edition, *, personal: bool) -> dict[str, Any]:
        news = self.newsletter
        return {
            "name": clean_text(news.name),
            "subject": subject_for(edition, news),
            "preheader": preheader_for(edition),
            "date": edition.date,
            "long_date": format_date(edition.date, format="full", locale=self.locale),
            "lang": str(self.locale.language),
            "archive_url": archive_url(edition, news),
            "sections": self._localised(section_views(edition)),
            "note": clean_text(edition.note),
            "footer": self._footer(footer_view(news, personal=personal)),
            "personal": personal,
            "placeholders": PLACEHOLDERS,
        }

    def _localised(self, sections: tuple[SectionView, ...]) -> tuple[SectionView, ...]:
        """Region and topic names, and kickers that are countries, in the language."""
        language = self.newsletter.language
        if not language or language.startswith("en"):
            return sections
        return tuple(
            dataclasses.replace(
                s, name=i18n.section_name(s.name, language),
                stories=tuple(dataclasses.replace(
                    st, kicker=i18n.country_name(st.kicker, self.locale)) for st in s.stories),
            )
            for s in sections
        )

    def _footer(self, footer: FooterView) -> FooterView:
        """The default "why you get this" line in the language (an editor's own is kept)."""
        default = NewsletterConfig.why
        if self.newsletter.why != default:
            return footer
        words = i18n.translations(self.newsletter.language).gettext(default)
        return dataclasses.replace(footer, why=clean_text(words.format(name=self.newsletter.name)))

    def _run(self, template: jinja2.Template, context: Mapping[str, Any]) -> str:
        try:
            return template.render(context)
        except RENDER_ERRORS as e:
            raise jinja_error(e, str(self.templates / (template.name or ""))) from None

    def compile_mjml(self, source: str) -> str:
        try:
            html = mjml.mjml2html(source, disable_comments=True)
        except (ValueError, RuntimeError) as e:
            raise mjml_error(e, source, self.templates / HTML_TEMPLATE) from None
        # MRML writes the whole document on one line. A line break after each table row
        # (whitespace between rows never renders) lets the sender quoted-print the lines
        # without a subscriber's links once per edition instead of 40 KB per subscriber.
        return html.replace("</tr>", "</tr>\n")

    def render_mjml(self, edition: Edition, *, personal: bool = True) -> str:
        """The MJML source (for the preview's raw view and for benchmarks)."""
        return self._run(self.html_template, self.context(edition, personal=personal))

    def render(self, edition: Edition, *, personal: bool = True) -> Rendered:
        context = self.context(edition, personal=personal)
        source = self._run(self.html_template, context)
        return Rendered(
            subject=context["subject"],
            preheader=context["preheader"],
            html=self.compile_mjml(source),
            text=self._run(self.text_template, context),
        )

    @staticmethod
    def fill(rendered: Rendered, values: Mapping[str, str]) -> Rendered:
        """A subscriber's copy: each placeholder replaced (HTML-escaped in the HTML part).

        ``values`` is keyed by PLACEHOLDERS' names ("email") or by the markers themselves
        ("%%EMAIL%%"); a placeholder without a value is a ValueError, never a blank link.
        """
        named = {_KEY_OF.get(k, k): v for k, v in values.items()}
        return Rendered(
            rendered.subject,
            rendered.preheader,
            _fill(rendered.html, named, _escape_html),
            _fill(rendered.text, named, str),
        )


_MARKER = re.compile("|".join(re.escape(m) for m in PLACEHOLDERS.values()))
_KEY_OF = {marker: key for key, marker in PLACEHOLDERS.items()}


def _escape_html(value: str) -> str:
    return html.escape(value, quote=True)


@functools.lru_cache(maxsize=32)
def _pieces(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text split at its placeholders, once per rendered copy (str caches its hash)."""
    return tuple(_MARKER.split(text)), tuple(_KEY_OF[m] for m in _MARKER.findall(text))


def _fill(text: str, values: Mapping[str, str], escape: Callable[[str], str]) -> str:
    parts, keys = _pieces(text)
    out = [parts[0]]
    for key, part in zip(keys, parts[1:], strict=True):
        if key not in values:
            raise ValueError(f"fill: no value for placeholder {key!r}")
        out += (escape(values[key]), part)
    return "".join(out)


__all__ = [
    "PLACEHOLDERS",
    "Rendered",
    "Renderer",
    "archive_url",
    "clean_text",
    "preheader_for",
    "safe_url",
    "subject_for",
    "templates_dir",
]
