"""Which language a headline and teaser are written in, from their small words.

A feed says one language for all its items, but a wire feed mixes them: Reuters' feed on
MSN carries French, Spanish and Portuguese items between the English ones. Two tellings of
one event in two languages share no words, so the merge (``digest.compose.cluster``) needs
to know when a pair is in two languages before it reads their sentence vectors alone.

The words counted are each language's commonest function words (articles, prepositions,
conjunctions), which every sentence has and no headline's subject changes. A text is in the
language whose words it uses most, when it uses at least ``MIN_HITS`` of them and clearly
more than of any other; otherwise the language is unknown (None), and nothing is assumed
(Chinese, Japanese and Korean text has none of these words: unknown).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher

from digest.compose.text import fold, words

_SMALL_WORDS = {
    "en": "the of and to in is for on with as by at from after over its be has have are was "
          "were will says said into about than this that which who a an do no not it but or "
          "he she they we you his her their what how why can could would should",
    "fr": "le la les des du de et un une dans pour sur au aux est par qui avec pas sont "
          "après contre selon entre lors été ont plus ce cette ces il elle leur",
    "es": "el la los las del de y un una en por para con que se al es tras sobre según "
          "entre ha han fue su sus como más lo este esta sin pero también hasta ante muy "
          "cuando",
    "pt": "o a os as do da dos das de e um uma em no na nos nas por para com que se ao "
          "após sobre segundo entre foi são é pelo pela seu sua como mais aos às sem não "
          "também mas até pelos pelas",
    "de": "der die das und den dem des ein eine einen mit von für auf ist im nach bei zu "
          "sich nicht wird werden hat sind vor über aus auch in an am als zum zur",
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
# each small word → (language, its share) for every language that has it
_SHARES = {w: tuple((lang, 1 / len(langs)) for lang in langs) for w, langs in _LANGUAGES_OF.items()}
MIN_HITS = 2  # a language needs at least this many of its small words in the text
MARGIN = 1.5  # ... and this many times the next language's count


def _counts(toks: Sequence[str]) -> dict[str, float]:
    """Each language's small words in ``toks`` (see ``_both``)."""
    return _both(toks)[0]


def _both(toks: Sequence[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Each language's small words in ``toks``, leaving out those that are part of a name:
    capitalised before another capitalised word ("La Paz", "De Gea", "Los Angeles"), or
    lower-case between two (``_in_name``: "Ursula von der Leyen"); counted whole, and
    shared: a word of several languages counts for each of them as a share ("de" a quarter
    for French, Spanish, Portuguese and Dutch; "el" and "los" wholly for Spanish)."""
    counts = dict.fromkeys(SMALL_WORDS, 0.0)
    shares = dict.fromkeys(SMALL_WORDS, 0.0)
    n = len(toks)
    for k, t in enumerate(toks):
        langs = _SHARES.get(t.lower())
        if not langs:
            continue
        if t[:1].isupper():
            if k + 1 < n and toks[k + 1][:1].isupper():
                continue
        elif k > 0 and (toks[k - 1][:1].isupper() or toks[k - 1].lower() in _LANGUAGES_OF) \
                and _in_name(toks, k):
            continue
        for lang, share in langs:
            counts[lang] += 1
            shares[lang] += share
    return counts, shares


def _lower_small(t: str) -> bool:
    return not t[:1].isupper() and t.lower() in _LANGUAGES_OF


def _in_name(toks: Sequence[str], k: int) -> bool:
    """Whether the run of lower-case small words around ``k`` is two words or more between
    two capitalised words ("Ursula von der Leyen", "Sor Juana de la Cruz"). One such word is
    counted: in "Departamento de Justiça dos EUA" it is the language's own preposition."""
    i, j = k, k
    while i > 0 and _lower_small(toks[i - 1]):
        i -= 1
    while j + 1 < len(toks) and _lower_small(toks[j + 1]):
        j += 1
    between = (i > 0 and toks[i - 1][:1].isupper() and len(toks[i - 1]) > 1
               and j + 1 < len(toks) and toks[j + 1][:1].isupper())
    return between and j > i


def not_english(toks: Sequence[str]) -> bool:
    """Whether another language's small words outnumber English ones (at least
    ``MIN_HITS`` of them), even when which language is unclear ("Economía de Venezuela
    crece … en …" reads as Spanish or Dutch)."""
    counts = _counts(toks)
    english = counts.pop("en")
    other = max(counts.values())
    return other >= MIN_HITS and other > english


def detect(toks: Sequence[str]) -> str | None:
    """The language of text split into words (``text.words``), or None when unclear: the
    most of one language's small words, ``MIN_HITS`` at least, and ``MARGIN`` times the next
    language's, each word shared by several languages counting as a share of each."""
    counts, shares = _both(toks)
    ranked = sorted(shares.items(), key=lambda kv: -kv[1])
    (best, n), (_, second) = ranked[0], ranked[1]
    if counts[best] >= MIN_HITS and n >= MARGIN * second:
        return best
    return None


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


# International bodies, named differently in each language: a telling's mention of one
# stands as the same token in all ("ONU" and "UN" are both ``#un``). Acronyms must be written
# in capitals ("un" is a French article, "who" an English pronoun); "CPI", the ICC in French
# and Spanish, is left out (it is also the consumer price index).
_BODIES: dict[str, tuple[str, str]] = {  # key: (acronyms, names | in | each | language)
    "un": ("UN ONU UNO VN", "United Nations | Nations unies | Naciones Unidas | Nações Unidas | "
                            "Vereinte Nationen | Nazioni Unite | Verenigde Naties"),
    "security-council": ("", "Security Council | Conseil de sécurité | Consejo de Seguridad | "
                             "Conselho de Segurança | Sicherheitsrat | Consiglio di sicurezza | "
                             "Veiligheidsraad"),
    "nato": ("NATO OTAN NAVO Nato", ""),
    "eu": ("EU UE", "European Union | Union européenne | Unión Europea | União Europeia | "
                    "Europäische Union | Unione europea | Europese Unie"),
    "who": ("WHO OMS WGO", "World Health Organization | Organisation mondiale de la santé | "
                           "Organización Mundial de la Salud | Organização Mundial da Saúde | "
                           "Weltgesundheitsorganisation"),
    "imf": ("IMF FMI IWF", "International Monetary Fund | Fonds monétaire international | "
                           "Fondo Monetario Internacional | Fundo Monetário Internacional | "
                           "Internationaler Währungsfonds"),
    "red-cross": ("ICRC CICR IKRK", "Red Cross | Croix Rouge | Cruz Roja | Cruz Vermelha | "
                                    "Rotes Kreuz | Roten Kreuz | Croce Rossa | Rode Kruis"),
    "opec": ("OPEC OPEP Opec", ""),
    "ecb": ("ECB BCE EZB", ""),
}


def _body_table() -> tuple[dict[str, str], int]:
    """Acronyms as written → key; names, folded and lower-cased → key; the longest name."""
    table: dict[str, str] = {}
    for key, (acronyms, names) in _BODIES.items():
        for acronym in acronyms.split():
            table[acronym] = key
        for name in filter(None, (n.strip() for n in names.split("|"))):
            table[" ".join(fold(w.lower()) for w in words(name))] = key
    return table, max(len(k.split()) for k in table)


_BODY, _BODY_WORDS = _body_table()


def bodies(toks: Sequence[str]) -> list[tuple[int, int, str]]:
    """The international bodies named in ``toks``: (position, words, ``#key``)."""
    out: list[tuple[int, int, str]] = []
    k = 0
    while k < len(toks):
        bare = toks[k].replace("’", "'").rpartition("'")[2]  # "l'ONU" names the UN
        hit = _BODY.get(bare)
        n = 1
        if hit is None and toks[k][:1].isupper():
            for n in range(min(_BODY_WORDS, len(toks) - k), 0, -1):
                hit = _BODY.get(" ".join(fold(t.lower()) for t in toks[k : k + n]))
                if hit is not None:
                    break
        if hit is not None:
            out.append((k, n, f"#{hit}"))
            k += n
        else:
            k += 1
    return out


def names_of(title: Sequence[str], teaser: Sequence[str] = ()) -> tuple[str | None, list[str]]:
    """A headline's names and figures, folded and lower-cased: its capitalised words (not a
    small word of any language, not a weekday or month) of three letters or more (figures are
    compared on their own: ``figures``). The first word apart: its
    capital may only start the sentence ("Explosions près de …", but "Irán dice …"). In a
    headline whose every word is capitalised ("US Envoys Arrive in Moscow"), only the words
    the teaser capitalises too are names (all of them when there is no teaser). A word
    starting with "@" is a place the gazetteer knows, ``@<country code>:<its word>`` (see
    ``cluster.said_of``), and is always a name, as is a body's ``#key`` (``bodies``)."""
    from digest.compose.classify import title_case  # classify reads this module

    capitals = None
    if teaser and title_case(title):
        capitals = {fold(t.lower()) for t in teaser[1:] if t[:1].isupper()}
    first: str | None = None
    out = []
    for n, t in enumerate(title):
        low = fold(t.lower())
        if (t[:1] in "@#" and len(t) > 1) or (
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
    return SequenceMatcher(None, a, b).ratio() >= NAME_RATIO


def found_names(names: tuple[str | None, Sequence[str]], other: frozenset[str],
                places: Mapping[str, str] | None = None, *,
                exact: bool = False) -> tuple[float, list[str]]:
    """The share of a headline's ``names`` (``names_of``) written alike somewhere in
    ``other`` (folded words), its first word counting only when it is found; and the names
    found. ``places``: the other telling's words that name a place, with their country's
    code: a place is not found as another country's place written alike ("Niger" is not
    "Nigeria"). ``exact``: a name only as written, or with a German genitive's "s" more or
    less ("Xpengs", "Xpeng"); no start of a longer word, no close spelling (German nouns
    begin like their cognates: "Markt", "market"; "Präsident", "president")."""
    first, rest = names
    places = places or {}

    def found(n: str) -> bool:
        if n[:1] == "#":  # an international body: the same one, whatever its language
            return n in other
        country = None
        if n[:1] == "@":  # a place: its country's code, or its name written alike
            code, _, n = n.partition(":")
            if code in other:
                return True
            country = code[1:]
        if n in other:
            return True
        if exact:
            return n + "s" in other or (n[-1:] == "s" and n[:-1] in other)
        return any(same_name(n, w) for w in other
                   if country is None or places.get(w, country) == country)

    hits = [n for n in rest if found(n)]
    if first is not None and found(first):
        return (len(hits) + 1) / (len(rest) + 1), [first, *hits]
    return (len(hits) / len(rest) if rest else 0.0), hits


def figures(toks: Sequence[str]) -> set[str]:
    """A headline's numbers of two digits or more, but not a run of zeros (the "000" of
    "35,000" says nothing)."""
    return {t for t in toks if t.isdigit() and len(t) >= 2 and t.strip("0")}
