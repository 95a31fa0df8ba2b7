"""The preview workbench's logic: what an editor sees before an edition goes out.

    make_preview(...)      one reader's copy exactly as sent: the message bytes from
                           ``prepare() + fill()``, and the HTML and text parts read back out
    inspect_html(html)     every link and image, the HTML and CSS features used
    support_report(...)    those features against the caniemail data set (Gmail, Outlook,
                           Apple Mail, Yahoo) with a score
    checks(...)            size against Gmail's clipping limit, alt texts, link schemes,
                           unfilled placeholders, unsubscribe link: ok | warn | fail
    dark_variant(html)     the HTML as a client in dark mode shows it
    send_test(...)         "[TEST] " copies to any addresses; never touches the ledger

Everything here is pure except ``send_test`` (the transport) and reading the data file.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import functools
import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from digest.addresses import normalise_many
from digest.config import Config
from digest.deliver import Envelope, Transport, make_transport
from digest.message import message_id
from digest.pipeline import Editions, Personaliser
from digest.types import Edition

GMAIL_CLIP_BYTES = 102 * 1024  # Gmail shows "[Message clipped]" past ~102 KB of HTML
TEST_PREFIX = "[TEST] "
SAMPLE_EMAIL = "reader@example.com"
CANIEMAIL = Path(__file__).resolve().parent / "data" / "caniemail" / "caniemail.json"
ATTRIBUTION = (
    "Client support data: caniemail.com (Rémi Parmentier and contributors), CC BY 4.0."
)
FAMILIES = ("gmail", "outlook", "apple-mail", "yahoo")


# ---- who the copy is for ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """The person a preview is made for: a stored subscriber or the sample reader (id 0)."""

    id: int = 0
    email: str = SAMPLE_EMAIL
    sections: frozenset[str] | None = None


# ---- links, images, features -----------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    flag: str = ""  # "": http(s); "mailto"; "not http(s)"; "empty"


@dataclass(frozen=True)
class ImageRef:
    src: str
    alt: str | None  # None: no alt attribute at all
    flag: str = ""  # "": fine; "no alt"; "empty alt"; "not http(s)"


@dataclass
class Inspection:
    links: list[Link] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)
    features: set[str] = field(default_factory=set)  # caniemail slugs (candidates)


def link_flag(url: str) -> str:
    u = url.strip().lower()
    if not u:
        return "empty"
    if u.startswith(("http://", "https://")):
        return ""
    if u.startswith("mailto:"):
        return "mailto"
    return "not http(s)"


def image_flag(src: str, alt: str | None) -> str:
    if alt is None:
        return "no alt"
    if not src.strip().lower().startswith(("http://", "https://")):
        return "not http(s)"
    return "empty alt" if not alt.strip() else ""


_TAG_FEATURES: dict[str, str] = {
    **{f"h{n}": "html-h1-h6" for n in range(1, 7)},
    **{t: "html-table" for t in ("table", "tbody", "thead", "tfoot", "tr", "td", "th")},
    **{t: "html-lists" for t in ("ul", "ol", "li", "dl")},
    **{t: "html-semantics" for t in ("article", "aside", "header", "footer", "main", "nav",
                                     "section", "figure", "figcaption", "details", "summary")},
    **{t: f"html-{t}" for t in (
        "abbr", "acronym", "address", "audio", "base", "bdi", "blockquote", "body", "code",
        "del", "dfn", "dialog", "div", "form", "hr", "img", "link", "marquee", "meter",
        "object", "p", "picture", "pre", "progress", "select", "small", "span", "strike",
        "strong", "style", "svg", "textarea", "video", "wbr", "ruby", "rt", "rp",
    )},
}
_ATTR_FEATURES: dict[str, str] = {
    **{a: f"html-{a}" for a in (
        "align", "valign", "width", "height", "cellpadding", "cellspacing", "lang", "dir",
        "role", "background", "hidden", "srcset", "target", "required", "popover",
        "aria-describedby", "aria-hidden", "aria-label", "aria-labelledby", "aria-live",
    )},
    "loading": "html-loading-attribute",
}
_IMAGE_TYPES = {
    "jpg": "image-jpg", "jpeg": "image-jpg", "png": "image-png", "gif": "image-gif",
    "webp": "image-webp", "svg": "image-svg", "avif": "image-avif", "bmp": "image-bmp",
    "ico": "image-ico", "tif": "image-tiff", "tiff": "image-tiff", "apng": "image-apng",
    "heic": "image-heif", "heif": "image-heif",
}


class _Scanner(HTMLParser):
    def __init__(self, found: Inspection) -> None:
        super().__init__(convert_charrefs=True)
        self.found = found
        self.css: list[str] = []
        self.inline: list[str] = []
        self._style = False
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        f = self.found.features
        if tag in _TAG_FEATURES:
            f.add(_TAG_FEATURES[tag])
        if tag == "input":
            f.add(f"html-input-{(a.get('type') or 'text').lower()}")
        if tag == "button":
            f.add(f"html-button-{(a.get('type') or 'submit').lower()}")
        f.update(_ATTR_FEATURES[k] for k in a if k in _ATTR_FEATURES)
        if tag == "meta" and (a.get("name") or "").lower() == "color-scheme":
            f.add("html-meta-color-scheme")
        if a.get("style"):
            self.inline.append(a["style"] or "")
        if tag == "style":
            self._style = True
        elif tag == "a" and "href" in a:
            self._open_link(a.get("href") or "")
        elif tag == "img":
            self._image(a.get("src") or "", a.get("alt"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self.handle_endtag(tag)

    def _open_link(self, href: str) -> None:
        if href.startswith("#"):
            self.found.features.add("html-anchor-links")
        if href.lower().startswith("mailto:"):
            self.found.features.add("html-mailto-links")
        self._link = (href, [])

    def _image(self, src: str, alt: str | None) -> None:
        self.found.images.append(ImageRef(src, alt, image_flag(src, alt)))
        if src.startswith("data:"):
            self.found.features.add("image-base64")
            return
        ext = src.split("?")[0].split("#")[0].rsplit(".", 1)[-1].lower()
        if ext in _IMAGE_TYPES:
            self.found.features.add(_IMAGE_TYPES[ext])

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False
        elif tag == "a" and self._link is not None:
            href, text = self._link
            words = " ".join("".join(text).split())
            self.found.links.append(Link(href, words, link_flag(href)))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._style:
            self.css.append(data)
        elif self._link is not None:
            self._link[1].append(data)

    def handle_comment(self, data: str) -> None:
        self.found.features.add("html-comments")

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype"):
            self.found.features.add("html-doctype")


def inspect_html(html: str) -> Inspection:
    """Every link and image in document order, and the caniemail features the HTML uses."""
    found = Inspection()
    scanner = _Scanner(found)
    scanner.feed(html)
    scanner.close()
    for block in scanner.css:
        found.features |= css_features(block)
    for decls in scanner.inline:
        found.features |= declaration_features(decls)
    return found


# ---- CSS features ----------------------------------------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_AT_RULE = re.compile(r"@([\w-]+)([^{;]*)[{;]")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DECL = re.compile(r"([-\w]+)\s*:\s*([^;]+)")
_FAMILY_FALLBACK = ("padding", "margin", "border", "background")
_MEDIA_FEATURES = {
    "prefers-color-scheme": "css-at-media-prefers-color-scheme",
    "prefers-reduced-motion": "css-at-media-prefers-reduced-motion",
    "orientation": "css-at-media-orientation",
    "hover": "css-at-media-hover",
    "device-pixel-ratio": "css-at-media-device-pixel-ratio",
    "resolution": "css-at-media-device-pixel-ratio",
}
_PSEUDO = re.compile(r"(::?)([a-z-]+)")
_PSEUDO_ELEMENTS = {"before", "after", "first-letter", "first-line", "marker", "placeholder"}


@functools.cache
def _known_slugs() -> frozenset[str]:
    return frozenset(f["slug"] for f in load_caniemail()["features"])


def property_feature(prop: str, value: str) -> str | None:
    """The caniemail slug of one declaration's property (None: caniemail has no entry)."""
    prop = prop.lower()
    known = _known_slugs()
    if prop == "display":
        kind = value.strip().lower().split()[0] if value.strip() else ""
        special = {"flex": "css-display-flex", "inline-flex": "css-display-flex",
                   "grid": "css-display-grid", "none": "css-display-none"}
        return special.get(kind, "css-display")
    if f"css-{prop}" in known:
        return f"css-{prop}"
    if prop in ("top", "right", "bottom", "left"):
        return "css-left-right-top-bottom"
    for family in _FAMILY_FALLBACK:
        if prop.startswith(family + "-") and f"css-{family}" in known:
            return f"css-{family}"
    return None


_UNIT = re.compile(r"\d(px|rem|em|pt|pc|cm|mm|in|ch|ex|vh|vw|vmin|vmax)\b")
_FUNCTIONS = {
    "rgb": "css-rgb", "rgba": "css-rgba", "calc": "css-unit-calc", "var": "css-variables",
    "linear-gradient": "css-linear-gradient", "radial-gradient": "css-radial-gradient",
    "conic-gradient": "css-conic-gradient", "min": "css-function-min",
    "max": "css-function-max", "clamp": "css-function-clamp",
    "light-dark": "css-function-light-dark",
}
_FUNCTION = re.compile(r"(?<![\w-])([a-z-]+)\(")


def value_features(value: str) -> set[str]:
    """Units, functions and ``!important`` in one declaration's value."""
    v = value.lower()
    found = {f"css-unit-{u}" for u in _UNIT.findall(v)}
    found |= {_FUNCTIONS[f] for f in _FUNCTION.findall(v) if f in _FUNCTIONS}
    if re.search(r"\d%", v):
        found.add("css-unit-percent")
    if re.search(r"!\s*important", v):
        found.add("css-important")
    if re.search(r"\binitial\b", v):
        found.add("css-unit-initial")
    return found


def declaration_features(declarations: str) -> set[str]:
    """The features used by a run of declarations (a style attribute or a rule's body)."""
    found: set[str] = set()
    for prop, value in _DECL.findall(_COMMENT.sub("", declarations)):
        slug = property_feature(prop, value)
        if slug:
            found.add(slug)
        found |= value_features(value)
    return found


def selector_features(selector: str) -> set[str]:
    found: set[str] = set()
    sel = re.sub(r"\s+", " ", selector.strip())
    if "," in sel:
        found.add("css-selector-grouping")
    for part in (p.strip() for p in sel.split(",")):
        found |= _one_selector(part)
    return found


def _one_selector(sel: str) -> set[str]:
    found: set[str] = set()
    for sep, slug in ((">", "css-selector-child"), ("+", "css-selector-adjacent-sibling"),
                      ("~", "css-selector-general-sibling")):
        if sep in sel:
            found.add(slug)
    compounds = [c for c in re.split(r"\s*[>+~]\s*|\s+", sel) if c]
    if len(compounds) > 1 and re.search(r"[^\s>+~]\s+[^\s>+~]", sel):
        found.add("css-selector-descendant")
    for c in compounds:
        bare = _PSEUDO.sub("", re.sub(r"\[[^\]]*\]", "", c))
        simple = re.findall(r"[.#]?[\w-]+|\*", bare)
        if len(simple) > 1:
            found.add("css-selector-chaining")
        for s in simple:
            found.add({".": "css-selector-class", "#": "css-selector-id",
                       "*": "css-selector-universal"}.get(s[0], "css-selector-type"))
        if "[" in c:
            found.add("css-selector-attribute")
        for colons, name in _PSEUDO.findall(c):
            kind = "element" if colons == "::" or name in _PSEUDO_ELEMENTS else "class"
            found.add(f"css-pseudo-{kind}-{name}")
    return found


def css_features(css: str) -> set[str]:
    """The features a style sheet uses: at-rules, media features, selectors, declarations."""
    text = _COMMENT.sub("", css)
    found: set[str] = set()
    for name, prelude in _AT_RULE.findall(text):
        found.add("css-at-media" if name == "media" else f"css-at-{name}")
        for feature, slug in _MEDIA_FEATURES.items():
            if name == "media" and feature in prelude:
                found.add(slug)
    flat = _AT_RULE.sub(lambda m: "" if m.group(0).endswith("{") else " ", text)
    for selector, body in _RULE.findall(flat):
        if not selector.strip().startswith("@"):
            found |= selector_features(selector)
        found |= declaration_features(body)
    return found


# ---- the caniemail report --------------------------------------------------------------------


@functools.cache
def load_caniemail(path: Path = CANIEMAIL) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


_LEVEL = {"y": "supported", "a": "partial", "n": "unsupported", "u": "unknown"}
_POINTS = {"supported": 1.0, "partial": 0.5, "unsupported": 0.0}


@dataclass(frozen=True)
class PlatformResult:
    platform: str  # caniemail's name: "desktop-webmail", "windows", "ios" …
    label: str  # "Desktop Webmail"
    version: str  # the latest test
    level: str  # supported | partial | unsupported | unknown
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FamilyResult:
    family: str  # gmail | outlook | apple-mail | yahoo
    label: str
    level: str  # supported | partial | unsupported | unknown (over its platforms)
    platforms: tuple[PlatformResult, ...]


@dataclass(frozen=True)
class FeatureResult:
    slug: str
    title: str
    url: str
    category: str
    families: tuple[FamilyResult, ...]

    @property
    def ok(self) -> bool:
        return all(f.level in ("supported", "unknown") for f in self.families)

    def level(self, family: str) -> str:
        return next((f.level for f in self.families if f.family == family), "unknown")


@dataclass(frozen=True)
class SupportReport:
    features: tuple[FeatureResult, ...]  # problems first
    score: float  # 0–100: supported 1, partial ½, unsupported 0, over feature × platform
    data_date: str
    attribution: str = ATTRIBUTION

    @property
    def problems(self) -> tuple[FeatureResult, ...]:
        return tuple(f for f in self.features if not f.ok)


def _platform(plat: str, result: Sequence[str], notes: dict[str, str], labels: dict[str, str]
              ) -> PlatformResult:
    version, value = result
    level = _LEVEL.get(value.strip()[:1], "unknown")
    refs = tuple(notes[n] for n in re.findall(r"#(\d+)", value) if n in notes)
    return PlatformResult(plat, labels.get(plat, plat), version, level, refs)


def family_level(levels: Iterable[str]) -> str:
    known = [v for v in levels if v != "unknown"]
    if not known:
        return "unknown"
    if all(v == "supported" for v in known):
        return "supported"
    if all(v == "unsupported" for v in known):
        return "unsupported"
    return "partial"


def feature_result(feature: dict[str, Any], data: dict[str, Any]) -> FeatureResult:
    families: list[FamilyResult] = []
    for fam in FAMILIES:
        plats = tuple(
            _platform(p, r, feature.get("notes") or {}, data["platforms"])
            for p, r in (feature["stats"].get(fam) or {}).items()
        )
        families.append(
            FamilyResult(fam, data["families"][fam], family_level(p.level for p in plats), plats)
        )
    return FeatureResult(
        feature["slug"], feature["title"], feature["url"], feature["category"], tuple(families)
    )


def support_report(features: Iterable[str], data: dict[str, Any] | None = None) -> SupportReport:
    """The features (caniemail slugs) checked against Gmail, Outlook, Apple Mail and Yahoo."""
    data = data or load_caniemail()
    wanted = set(features)
    results = [feature_result(f, data) for f in data["features"] if f["slug"] in wanted]
    points = [
        _POINTS[p.level]
        for r in results for fam in r.families for p in fam.platforms if p.level in _POINTS
    ]
    score = round(100 * sum(points) / len(points), 1) if points else 100.0
    results.sort(key=lambda r: (r.ok, r.category, r.slug))
    return SupportReport(tuple(results), score, str(data.get("last_update_date", ""))[:10])


# ---- checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok | warn | fail
    message: str


def html_size(html: str) -> int:
    return len(html.encode("utf-8"))


def size_check(size: int, limit: int = GMAIL_CLIP_BYTES) -> Check:
    share = f"{size / 1024:.1f} KB of Gmail's ~{limit // 1024} KB clipping limit"
    if size > limit:
        return Check("size", "fail", f"{share}: Gmail clips it, and the footer "
                     "(unsubscribe link) disappears with it")
    if size > 0.9 * limit:
        return Check("size", "warn", f"{share} ({100 * size / limit:.0f} %)")
    return Check("size", "ok", f"{share} ({100 * size / limit:.0f} %)")


def image_check(images: Sequence[ImageRef]) -> Check:
    missing = [i for i in images if i.flag == "no alt"]
    empty = [i for i in images if i.flag == "empty alt"]
    bad = [i for i in images if i.flag == "not http(s)"]
    if missing or bad:
        parts = [f"{len(missing)} without alt text"] if missing else []
        parts += [f"{len(bad)} not loaded over http(s)"] if bad else []
        return Check("images", "fail", f"{len(images)} images: " + ", ".join(parts))
    if empty:
        return Check("images", "warn", f"{len(empty)} of {len(images)} images have an empty alt")
    return Check("images", "ok", f"{len(images)} images, all with alt text")


def link_check(links: Sequence[Link]) -> Check:
    bad = [li for li in links if li.flag in ("not http(s)", "empty")]
    mail = [li for li in links if li.flag == "mailto"]
    extra = f" ({len(mail)} mailto:)" if mail else ""
    if bad:
        shown = ", ".join(repr(li.url[:60]) for li in bad[:3])
        return Check("links", "fail", f"{len(bad)} of {len(links)} links are not http(s): {shown}")
    return Check("links", "ok", f"{len(links)} links, all http(s){extra}")


_LEFTOVER = re.compile(r"%%[A-Z_]+%%")


def placeholder_check(parts: Iterable[str]) -> Check:
    left = sorted({m for p in parts for m in _LEFTOVER.findall(p)})
    if left:
        return Check("placeholders", "fail", "not filled in: " + ", ".join(left))
    return Check("placeholders", "ok", "every personal value filled in")


def unsubscribe_check(html: str, unsubscribe_url: str | None) -> Check:
    if unsubscribe_url is None:
        return Check("unsubscribe", "ok", "public copy: no personal links")
    escaped = unsubscribe_url.replace("&", "&amp;")
    if unsubscribe_url in html or escaped in html:
        return Check("unsubscribe", "ok", "the HTML carries the reader's unsubscribe link")
    return Check("unsubscribe", "fail", "the HTML has no unsubscribe link for the reader")


def support_check(report: SupportReport) -> Check:
    n = len(report.problems)
    status = "warn" if n else "ok"
    return Check("clients", status, f"score {report.score:g} %; {n} of {len(report.features)} "
                 "features unsupported or partial in Gmail, Outlook, Apple Mail or Yahoo")


def worst(checks: Iterable[Check]) -> str:
    order = {"ok": 0, "warn": 1, "fail": 2}
    return max((c.status for c in checks), key=order.__getitem__, default="ok")


# ---- dark mode -------------------------------------------------------------------------------

_DARK_QUERY = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)", re.I)
_LIGHT_QUERY = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*light\s*\)", re.I)
_DARK_STYLE = "<style>:root{color-scheme:dark}</style>"


def dark_variant(html: str) -> str:
    """The HTML as a client in dark mode renders it: the ``prefers-color-scheme: dark``
    rules always apply, the light-only ones never, and the page's colour scheme is dark."""
    out = _DARK_QUERY.sub("@media all", html)
    out = _LIGHT_QUERY.sub("@media not all", out)
    if "</head>" in out:
        return out.replace("</head>", _DARK_STYLE + "</head>", 1)
    return _DARK_STYLE + out


# ---- one reader's copy, as sent --------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    edition: Edition  # the reader's copy (only their sections)
    reader: Reader
    sender: str
    subject: str
    preheader: str
    raw: bytes  # the message as the transport gets it
    html: str  # read back from ``raw``
    text: str
    inspection: Inspection
    support: SupportReport
    checks: tuple[Check, ...]

    @property
    def size(self) -> int:
        return html_size(self.html)

    @property
    def sender_name(self) -> str:
        name, addr = parseaddr(self.sender)
        return name or addr

    @property
    def status(self) -> str:
        return worst(self.checks)


def parts_of(raw: bytes) -> tuple[str, str, EmailMessage]:
    """(html, text, message) read back from a message's bytes."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    html_part = msg.get_body(preferencelist=("html",))
    text_part = msg.get_body(preferencelist=("plain",))
    html = str(html_part.get_content()) if html_part is not None else ""
    text = str(text_part.get_content()) if text_part is not None else ""
    return html, text, msg



def make_preview(
    cfg: Config, edition: Edition, *, reader: Reader, secret: str, now: dt.datetime
) -> Preview:
    """The copy ``reader`` would get tonight, exactly as sent, with what to check in it."""
    editions = Editions(cfg, edition, now=now)
    rendered, prepared = editions.for_sections(reader.sections)
    who = Personaliser(cfg, secret)
    sender = parseaddr(cfg.newsletter.sender)[1]
    msg_id = message_id(sender, "digest", edition.date.isoformat(), edition.id, reader.id)
    raw = prepared.fill(who.personal(reader.id, reader.email, msg_id))
    html, text, _ = parts_of(raw)
    found = inspect_html(html)
    report = support_report(found.features)
    unsubscribe = who.unsubscribe_url(reader.id)
    return Preview(
        edition=edition.only_sections(reader.sections),
        reader=reader,
        sender=cfg.newsletter.sender,
        subject=rendered.subject,
        preheader=rendered.preheader,
        raw=raw,
        html=html,
        text=text,
        inspection=found,
        support=report,
        checks=(
            size_check(html_size(html)),
            image_check(found.images),
            link_check(found.links),
            placeholder_check((html, text)),
            unsubscribe_check(html, unsubscribe),
            support_check(report),
        ),
    )



# ---- test sends ------------------------------------------------------------------------------


def send_test(
    cfg: Config,
    edition: Edition,
    addresses: Iterable[str],
    *,
    secret: str,
    now: dt.datetime,
    sections: frozenset[str] | None = None,
    transport: Callable[[Config], Transport] = make_transport,
) -> list[str]:
    """Send "[TEST] " copies to ``addresses`` over the configured transport.

    Addresses are validated first (InvalidInput names the first bad one, nothing is sent).
    The delivery ledger is never touched: no audience snapshot, no rows, no status change.
    Personal links are made for subscriber id 0, which is nobody. Returns the addresses.
    """
    to = normalise_many(addresses)
    editions = Editions(cfg, edition, now=now, subject_prefix=TEST_PREFIX)
    _, prepared = editions.for_sections(sections)
    who = Personaliser(cfg, secret)
    sender = parseaddr(cfg.newsletter.sender)[1]
    conn = transport(cfg)
    try:
        for address in to:
            msg_id = message_id(sender, "digest-test", edition.date.isoformat(), uuid.uuid4().hex)
            data = prepared.fill(who.personal(0, address, msg_id))
            name = f"test-{edition.date:%Y-%m-%d}-{address}-{uuid.uuid4().hex[:6]}"
            conn.send(Envelope(sender=sender, recipient=address, data=data, name=name))
    finally:
        conn.close()
    return to


__all__ = [
    "ATTRIBUTION",
    "GMAIL_CLIP_BYTES",
    "Check",
    "Preview",
    "Reader",
    "SupportReport",
    "dark_variant",
    "inspect_html",
    "make_preview",
    "send_test",
    "support_report",
]
