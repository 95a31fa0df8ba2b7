"""Make feed text safe to put in an email: HTML, titles, URLs and teasers.

Feeds are third-party input. Everything that leaves the collect stage has been through
one of these functions:

- ``clean_html``: a summary's HTML, reduced by nh3 to simple formatting, http(s)/mailto
  links and http(s) images. No scripts, event handlers, styles, iframes or forms.
- ``clean_title``: any one-line text (titles, authors, categories): markup removed,
  entities decoded once, control characters gone, whitespace collapsed.
- ``clean_url``: an absolute http(s) URL or None.
- ``strip_tracking``: a URL without analytics query parameters and fragment.
- ``make_teaser``: plain text cut at a word boundary.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Literal
from urllib.parse import unquote, urlsplit, urlunsplit

import nh3

_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "figcaption",
        "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark", "ol",
        "p", "pre", "q", "s", "small", "strong", "sub", "sup", "u", "ul",
    }
)  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
# Removed together with everything inside them (the rest keep their text).
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
     "select", "textarea", "button", "form", "head", "title"}
)  # fmt: skip
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_HTTP = ("http", "https")

# C0 and C1 control characters and DEL. Those that separate words become spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACING_CONTROL = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_BLOCK_TAG = re.compile(r"<(?=/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|blockquote|figure)\b)", re.I)

# Analytics only; nothing a site needs to find the page. (Not ``cid`` or ``partner``:
# some sites use those to name the article.)
TRACKING_PARAMS = frozenset(
    {
        "maca", "xtor", "fbclid", "gclid", "dclid", "msclkid", "yclid", "smid", "smtyp",
        "ocid", "cmpid", "mc_cid", "mc_eid", "_ga", "igshid", "ns_mchannel", "ns_source",
        "ns_campaign", "ns_linkname", "ns_fee", "ref_src", "_hsenc", "_hsmi", "mkt_tok",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """Images must come over http(s): no data:, cid:, or mailto: sources."""
    if element == "img" and attribute == "src":
        try:
            scheme = urlsplit(_CONTROL.sub("", value).strip()).scheme.lower()
        except ValueError:
            return None
        return value if scheme in ("", *_HTTP) else None  # relative: resolved or denied later
    return value


@functools.lru_cache(maxsize=64)
def _cleaner(base_url: str | None) -> nh3.Cleaner:
    base = clean_url(base_url)
    relative: Literal["deny"] | tuple[Literal["rewrite_with_base"], str]
    relative = ("rewrite_with_base", base) if base else "deny"
    return nh3.Cleaner(
        tags=set(_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in _ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(_LINK_SCHEMES),
        url_relative=relative,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_TEXT_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags=set(_DROP_WITH_CONTENT))


def clean_html(html: str, base_url: str | None = None) -> str:
    """Safe, simple HTML. Relative links resolve against ``base_url`` or are dropped."""
    if not html:
        return ""
    cleaned = _cleaner(base_url).clean(_remove_controls(html, keep_newlines=True))
    return _IMG_WITHOUT_SRC.sub("", cleaned).strip()


def html_to_text(markup: str) -> str:
    """Markup removed (script and style content too), entities decoded once."""
    if "<" not in markup and "&" not in markup:
        return markup
    return html.unescape(_TEXT_CLEANER.clean(_BLOCK_TAG.sub(" <", markup)))


def _remove_controls(text: str, *, keep_newlines: bool = False) -> str:
    def repl(m: re.Match[str]) -> str:
        ch = m.group()
        if keep_newlines and ch in "\n\t":
            return ch
        return " " if ch in _SPACING_CONTROL else ""

    return _CONTROL.sub(repl, text)


def collapse(text: str) -> str:
    """Control characters removed, runs of whitespace (any Unicode space) made one space."""
    return " ".join(_remove_controls(text).split())


def clean_title(text: str) -> str:
    """One line of plain text from a title that may hold markup, entities or controls."""
    if not text:
        return ""
    return collapse(html_to_text(_remove_controls(text)))


def clean_url(url: str | None) -> str | None:
    """An absolute http(s) URL with surrounding space and control characters removed."""
    if not url:
        return None
    url = _CONTROL.sub("", url).strip().replace(" ", "%20")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in _HTTP or not host:
        return None
    return urlunsplit(parts._replace(scheme=parts.scheme.lower()))


def _is_tracking(pair: str) -> bool:
    name = unquote(pair.split("=", 1)[0]).strip().lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """The URL without tracking parameters (utm_*, maca, at_* …) and without the fragment."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    kept = [p for p in parts.query.split("&") if p and not _is_tracking(p)]
    return urlunsplit(parts._replace(query="&".join(kept), fragment=""))


_TRAILING = ",;:–—-([{\"'“‘«"


# Han (with extension A and compatibility ideographs), hiragana, katakana: scripts written
# without spaces between words (digest.compose.cjk reads them too)
UNSPACED_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNSPACED_CHAR = re.compile(f"[{UNSPACED_CHARS}]")
# A Chinese or Japanese character says about as much as four letters of English: a teaser
# of 45 words is about 270 letters, or about 70 such characters.
_UNSPACED_WEIGHT = 4
_CLAUSE_ENDS = "。！？；，、"
# what a cut CJK teaser does not end on: open brackets and quotes, a colon, clause marks
_CJK_TRAILING = "《〈「『（【〔“‘：；，、！？"


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` letters' worth (an unspaced CJK character counts _UNSPACED_WEIGHT),
    at the last space or CJK clause end if there is one in the second half."""
    used = 0
    for end, ch in enumerate(text):
        used += _UNSPACED_WEIGHT if _UNSPACED_CHAR.match(ch) else 1
        if used > limit:
            head = text[:end]
            space = max(head.rfind(" "), *(head.rfind(c) + 1 for c in _CLAUSE_ENDS))
            return head[:space] if space > end // 2 else head
    return text


def make_teaser(html_or_text: str, words: int = 45) -> str:
    """Plain text of at most ``words`` words (and ~8 characters a word), "…" when cut.

    The character limit matters for scripts written without spaces (Chinese, Japanese),
    where a character counts four and the cut falls at the end of a clause.
    """
    text = clean_title(html_or_text)
    if words < 1:
        return ""
    tokens = text.split(" ")
    cut = text
    if len(tokens) > words:
        cut = " ".join(tokens[:words])
    max_chars = words * 8
    cut = _cut(cut, max_chars)
    if cut == text:
        return text
    return cut.rstrip().rstrip(_TRAILING + _CJK_TRAILING).rstrip(".。").rstrip() + "…"
