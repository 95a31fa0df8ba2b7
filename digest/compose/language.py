"""Which language a headline and teaser are written in, from their small words.

A feed says one language for all its items, but a wire feed mixes them: Reuters' feed on
MSN carries French, Spanish and Portuguese items between the English ones. Two tellings of
one event in two languages share no words, so the merge (``digest.compose.cluster``) needs
to know when a pair is in two languages before it reads their sentence vectors alone.

The words counted are each language's commonest function words (articles, prepositions,
conjunctions), which every sentence has and no headline's subject changes. A text is in the
language whose words it uses most, when it uses at least ``MIN_HITS`` of them and clearly
more than of any other; otherwise the language is unknown (None), and nothing is assumed.
Chinese, Japanese and Korean text is told by its script.
"""

from __future__ import annotations

from collections.abc import Sequence

from digest.compose.cjk import has_cjk

_SMALL_WORDS = {
    "en": "the of and to in is for on with as by at from after over its be has have are was "
          "were will says said into about than this that which who a an do no not it but or "
          "he she they we you his her their what how why can could would should",
    "fr": "le la les des du de et un une dans pour sur au aux est par qui avec pas sont "
          "après contre selon entre lors été ont plus ce cette ces il elle leur",
    "es": "el la los las del de y un una en por para con que se al es tras sobre según "
          "entre ha han fue su sus como más lo este esta",
    "pt": "o a os as do da dos das de e um uma em no na nos nas por para com que se ao "
          "após sobre segundo entre foi são é pelo pela seu sua como mais",
    "de": "der die das und den dem des ein eine einen mit von für auf ist im nach bei zu "
          "sich nicht wird werden hat sind vor über aus auch",
    "it": "il lo la gli le di del della dei delle e un una in per con che è dopo sul sulla "
          "alla al nel nella tra ha sono anche",
    "nl": "de het een en van in op met voor is niet dat zijn bij na naar om aan ook wordt "
          "heeft door over",
}
SMALL_WORDS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in _SMALL_WORDS.items()}
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _small in SMALL_WORDS.items():
    for _w in _small:
        _LANGUAGES_OF[_w] = (*_LANGUAGES_OF.get(_w, ()), _lang)
MIN_HITS = 2  # a language needs at least this many of its small words in the text
MARGIN = 1.5  # ... and this many times the next language's count


def _counts(toks: Sequence[str]) -> dict[str, int]:
    counts = dict.fromkeys(SMALL_WORDS, 0)
    for t in toks:
        for lang in _LANGUAGES_OF.get(t.lower(), ()):
            counts[lang] += 1
    return counts


def not_english(toks: Sequence[str]) -> bool:
    """Whether another language's small words outnumber English ones (at least
    ``MIN_HITS`` of them), even when which language is unclear ("Economía de Venezuela
    crece … en …" reads as Spanish or Dutch)."""
    counts = _counts(toks)
    english = counts.pop("en")
    other = max(counts.values())
    return other >= MIN_HITS and other > english


def detect(toks: Sequence[str]) -> str | None:
    """The language of text split into words (``text.words``), or None when unclear."""
    counts = _counts(toks)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, n), (_, second) = ranked[0], ranked[1]
    if n >= MIN_HITS and n >= MARGIN * second:
        return best
    return None


def detect_text(text: str) -> str | None:
    """``detect`` of raw text; Chinese, Japanese and Korean by their script."""
    from digest.compose.text import words

    if has_cjk(text):
        return "cjk"
    return detect(words(text))


# Capitalised in English headlines without naming anyone.
_CALENDAR = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
})
_ANY_SMALL = frozenset().union(*SMALL_WORDS.values())
NAME_PREFIX = 4  # two names that begin alike for this many letters …
NAME_PREFIX_SHARE = 0.75  # … and for this share of the shorter one are one name
NAME_RATIO = 0.85  # or, from 5 letters on and one letter more at most, this alike (difflib)


def names_of(title: Sequence[str], teaser: Sequence[str] = ()) -> tuple[str | None, list[str]]:
    """A headline's names and figures, folded and lower-cased: its capitalised words (not a
    small word of any language, not a weekday or month) of three letters or more, and its
    numbers of two digits or more (a score's "2-0" says little). The first word apart: its
    capital may only start the sentence ("Explosions près de …", but "Irán dice …"). In a
    headline whose every word is capitalised ("US Envoys Arrive in Moscow"), only the words
    the teaser capitalises too are names (all of them when there is no teaser). A word
    starting with "@" is a place the gazetteer knows, ``@<country code>:<its word>`` (see
    ``cluster._said``), and is always a name."""
    from digest.compose.classify import title_case
    from digest.compose.text import fold

    capitals = None
    if teaser and title_case(title):
        capitals = {fold(t.lower()) for t in teaser[1:] if t[:1].isupper()}
    first: str | None = None
    out = []
    for n, t in enumerate(title):
        low = fold(t.lower())
        if t[:1] == "@" or (t.isdigit() and len(t) >= 2) or (
                t[:1].isupper() and len(t) >= 3 and low not in _ANY_SMALL
                and low not in _CALENDAR and (capitals is None or low in capitals)):
            if n == 0:
                first = low
            else:
                out.append(low)
    return first, out


def same_name(a: str, b: str) -> bool:
    """Whether two folded words are one name written in two languages: equal, one the other's
    start ("Damas", "Damascus"; "Israel", "israelien"), or alike letter for letter
    ("Teheran", "Tehran"; "Kaboul", "Kabul")."""
    if a == b:
        return True
    if a.isdigit() or b.isdigit():
        return False
    short = min(len(a), len(b))
    if short < NAME_PREFIX:
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    if common >= NAME_PREFIX and common >= NAME_PREFIX_SHARE * short:
        return True
    if short < 5 or abs(len(a) - len(b)) > 1:
        return False
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio() >= NAME_RATIO


def found_share(names: tuple[str | None, Sequence[str]], other: frozenset[str]) -> float:
    """The share of a headline's ``names`` (``names_of``) written alike somewhere in
    ``other`` (folded words); its first word counts only when it is found."""
    return found_names(names, other)[0]


def found_names(names: tuple[str | None, Sequence[str]],
                other: frozenset[str]) -> tuple[float, list[str]]:
    """``found_share``, and the names found."""
    first, rest = names

    def found(n: str) -> bool:
        if n[:1] == "@":  # a place: its country's code, or its name written alike
            code, _, n = n.partition(":")
            if code in other or not n:
                return code in other
        return n in other or any(same_name(n, w) for w in other)

    hits = [n for n in rest if found(n)]
    if first is not None and found(first):
        return (len(hits) + 1) / (len(rest) + 1), [first, *hits]
    return (len(hits) / len(rest) if rest else 0.0), hits


def figures(names: tuple[str | None, Sequence[str]]) -> set[str]:
    """The numbers among a headline's names."""
    first, rest = names
    return {n for n in (first, *rest) if n is not None and n.isdigit()}
