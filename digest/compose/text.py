"""Text helpers shared by clustering and classifying: plain text, words, URL path words."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from digest.compose.cjk import bigrams, has_cjk, needs_split
from digest.types import Entry

MAX_TEXT = 1200  # characters of teaser read; a huge teaser says no more about the event
# Texts read once per edition and kept until it is composed (digest.compose.clear_caches):
# room for the headlines, teasers and links of some 20,000 entries
PER_TEXT = 1 << 16

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_SUFFIX = re.compile(r"\.(html?|cms|php|aspx?|cfm)$")  # a link's file suffix
# a word (letters and digits, with one inner apostrophe: "O'Neill", "don't"), its
# possessive "'s" read and left out ("Russia's" is "Russia")
_WORD = re.compile(r"([^\W_]+(?:['’](?!s(?![^\W_]))[^\W_]+)?)(?:['’]s(?![^\W_]))?")
_ABBREV = (
    (re.compile(r"\bU\.\s?S\.(?:\s?A\.)?"), "US"),
    (re.compile(r"\bU\.\s?K\."), "UK"),
    (re.compile(r"\bU\.\s?N\."), "UN"),
    (re.compile(r"\bE\.\s?U\."), "EU"),
    (re.compile(r"\bU\.A\.E\."), "UAE"),
)

_STOP_TEXT = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself says said say new news one two three first last year years day days week weeks
    month months time times may might must us mr ms mrs amid after over live latest update
    updates video watch read more people told according get gets got make makes made take
    takes took back still since around across within without like just many much every another
    own next news wednesday tuesday monday thursday friday saturday sunday today yesterday
    tonight morning evening night am pm gmt utc"""
STOPWORDS = frozenset(_STOP_TEXT.split())


@lru_cache(maxsize=PER_TEXT)  # one edition reads each teaser several times
def plain(text: str) -> str:
    """Tags removed, entities decoded, whitespace collapsed, cut to ``MAX_TEXT``."""
    text = html.unescape(_TAG.sub(" ", text[: MAX_TEXT * 4]))
    return _SPACE.sub(" ", text).strip()[:MAX_TEXT]


def teaser_text(entry: Entry) -> str:
    return plain(entry.teaser or entry.summary_html)


def normalise(text: str) -> str:
    if "U." not in text and "E." not in text:  # every abbreviation has one
        return text
    for pattern, repl in _ABBREV:
        text = pattern.sub(repl, text)
    return text


def words(text: str) -> list[str]:
    """Words with their case kept ("U.S." becomes "US"; "Russia's" becomes "Russia");
    unspaced Chinese and Japanese text in overlapping pairs of characters (cjk.bigrams)."""
    return list(_words(text))


@lru_cache(maxsize=PER_TEXT)  # one edition reads each headline and teaser several times
def _words(text: str) -> tuple[str, ...]:
    text = normalise(text)
    if text.isascii():
        return tuple(_WORD.findall(text))
    out = []
    for w in _WORD.findall(text):
        if w.isascii() or not needs_split(w):
            out.append(w)
        else:
            out.extend(bigrams(w))
    return tuple(out)


def fold(word: str) -> str:
    """Accents off ("Māngere" meets "Mangere", "Zürich" meets "Zurich"), for comparing;
    Chinese, Japanese and Korean text stays as written (バス is not パス)."""
    if word.isascii() or has_cjk(word):
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)  # a day's news uses a few thousand words, over and over
def stem(word: str) -> str:
    """A light stem so that "fires" meets "fire" and "killed" meets "kills"; accents off."""
    w = fold(word.lower())
    if len(w) <= 4 or not w.isascii():
        return w
    for suffix in ("ings", "ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def terms(text: str) -> list[str]:
    """Content terms for similarity: lower-cased, stemmed, stopwords and 1-letter words out."""
    return terms_of(words(text))


def terms_of(toks: Sequence[str]) -> list[str]:
    """``terms`` of text already split by ``words``."""
    return [t for t in map(_term, toks) if t]


@lru_cache(maxsize=1 << 16)  # a day's news uses a few thousand words, over and over
def _term(word: str) -> str:
    """A word's term ("": none, a stop word or a one-letter word)."""
    lw = word.lower()
    if lw in STOPWORDS or (len(lw) < 2 and lw.isascii()):
        return ""
    if lw.isdigit() and len(lw) < 2:
        return ""
    return stem(lw)


# Services that keep a copy of a page under their own address, with the page's own link in
# the path: "https://archive.is/newest/https://www.wsj.com/world/…",
# "https://web.archive.org/web/20250624000000/https://www.nytimes.com/…". Feeds that route
# their links through one (to read past a paywall) still tell the outlet and its sections by
# the link inside.
ARCHIVE_HOSTS = frozenset({"archive.is", "archive.ph", "archive.today", "archive.li",
                           "archive.vn", "archive.fo", "archive.md", "web.archive.org"})
_INNER_LINK = re.compile(r"https?://", re.IGNORECASE)


def original_url(url: str) -> str:
    """The link a copy on an archive service (``ARCHIVE_HOSTS``) stands for, else ``url``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host not in ARCHIVE_HOSTS:
        return url
    inner = _INNER_LINK.search(url, len(parts.scheme) + 3 + len(parts.netloc))
    return url[inner.start():] if inner else url


def url_path_parts(url: str | None) -> list[str]:
    """Path segments of a link, lower-cased, without the host, query or file suffix."""
    return list(_path_parts(url)) if url else []


@lru_cache(maxsize=PER_TEXT)  # one edition reads each link several times
def _path_parts(url: str) -> tuple[str, ...]:
    try:
        path = unquote(urlsplit(original_url(url)).path)
    except ValueError:
        return ()
    parts = [p for p in path.lower().split("/") if p]
    return tuple(_SUFFIX.sub("", p) for p in parts)


@lru_cache(maxsize=PER_TEXT)
def url_host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(original_url(url)).hostname or "").lower()
    except ValueError:
        return ""
