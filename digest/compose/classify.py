"""Region and topic of a story, read from the story itself (title, teaser, categories, URL).

Region: places, demonyms, institutions and leaders found in the text are scored per country
(title counts most, then categories and the URL, then the teaser); countries add up to their
region; a region with at least half the evidence wins, otherwise (many regions, or none) the
story goes to World. Topic: feed categories and URL sections are strong evidence, words of
the title and teaser weaker ones; with no evidence the first configured topic (by default
Politics, which also carries general news) is used.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import babel

from digest.compose import gazetteer as gz
from digest.compose import language, markets
from digest.compose.cjk import OwnNames, has_cjk, place_names
from digest.compose.places import city_heads, city_index
from digest.compose.text import PER_TEXT, fold, normalise, url_host, url_path_parts, words

KNOWN_TOPICS: tuple[str, ...] = (
    "Politics", "Business", "Science & Technology", "Environment", "Health", "Culture", "Sports",
)

# kind → how much one mention counts
_KIND_WEIGHT = {
    "region": 0.8, "name": 1.0, "place": 1.0, "demonym": 0.7, "institution": 0.8, "person": 0.6,
    "city": 1.0, "configured": 1.0, "nationality": 0.3, "short": 0.7, "who": 0.3,
}
# less evidence than this (a little more than one place named once in the teaser) leaves a
# story in World
MIN_EVIDENCE = 1.0
# the share of a story's evidence its region must hold; less, and the story is about
# several regions: World
DOMINANT_SHARE = 0.5
# field → how much a mention there counts
_FIELD_WEIGHT = {"title": 3.0, "categories": 0.8, "url": 1.5, "teaser": 1.0}
_MAX_PHRASE = 4
# lower-case slug words that are also ordinary words or names: not read from URLs
_URL_AMBIGUOUS = frozenset(
    {"us", "chad", "jordan", "turkey", "georgia", "guinea", "niger", "car", "victoria", "nice",
     "rio", "diet", "fed", "capitol", "congress", "commons", "labour", "greens", "xi", "petro",
     "harris", "sharif", "marcos", "lula", "victorian", "kiwi", "kiwis", "mali", "republican",
     "republicans", "democrats", "american", "english", "polish", "turks", "cork", "split",
     "kent", "sofia", "lima", "santiago", "salvador", "reading", "china", "india", "fiji"}
)


@dataclass(frozen=True, slots=True)
class Mention:
    code: str
    text: str
    kind: str
    field: str
    position: int
    # other countries the words may stand for ("Georgia": GE or the US state): the story's
    # other places decide (see _resolve); with ``code`` "" the words count only then
    alts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Placement:
    region: str
    countries: tuple[str, ...]
    kicker: str | None
    reasons: tuple[str, ...]
    scores: tuple[tuple[str, float], ...] = ()  # region → weight of the places named


# Languages whose country names are read too (CLDR names through Babel), and those names that
# are also common words or first names elsewhere: German "Island" (Iceland) is the English
# word, Spanish "gana" (Ghana) means "wins", "Maurice"/"Mauricio" (Mauritius) and "Malte"
# (Malta) are first names, "catar" a verb, "Équateur" also the equator.
LOCAL_NAME_LANGUAGES = ("de", "fr", "es", "pt", "it", "nl")
NOT_LOCAL_NAMES = frozenset({"island", "gana", "catar", "maurice", "mauricio", "maurício",
                             "malte", "équateur"})


_BARE_CAPITAL = re.compile(r"\b[ÀÂÉÈÊËÎÏÔÙÛÜÇ]")  # an accented capital starting a word


def _build_lookup() -> dict[str, tuple[str, str, str]]:
    """lower-cased phrase → (code, kind, phrase as written)."""
    table: dict[str, tuple[str, str, str]] = {}

    def add(phrase: str, code: str, kind: str) -> None:
        key = " ".join(w.lower() for w in words(phrase))
        if key and code and key not in table:
            table[key] = (code, kind, phrase)
        elif key in table and table[key][2].isupper() and table[key][0] == code:
            table[key] = (code, kind, phrase)  # "Nasa" as well as "NASA", not "nasa"
        bare = _BARE_CAPITAL.sub(lambda m: fold(m[0]), phrase)
        if bare != phrase:  # French often leaves a capital's accent out: "Etats-Unis"
            add(bare, code, kind)

    for code, names in gz.COUNTRY_ALIASES.items():
        for n in names:
            add(n, code, "name")
    for code, places in gz.PLACES.items():
        for p in places:
            add(p, code, "place")
    for code, dems in gz.DEMONYMS.items():
        for d in dems:
            add(d, code, "demonym")
    for code, dems in gz.FOREIGN_DEMONYMS.items():
        for d in dems:
            add(d, code, "demonym")
    for phrase, code in gz.INSTITUTIONS.items():
        add(phrase, code, "institution")
    for phrase, code in gz.PEOPLE.items():
        add(phrase, code, "person")
    for phrase, code in gz.REGION_NAMES.items():
        key = " ".join(w.lower() for w in words(phrase))
        table[key] = (code, "region" if code.startswith("@") or code == "-" else "place", phrase)
    # Country names in the other languages of European wire services and broadcasters (CLDR,
    # through Babel): "Bolivie", "Irán", "Equador", "Österreich". English names come first.
    for locale in LOCAL_NAME_LANGUAGES:
        for code, name in babel.Locale(locale).territories.items():
            if code in gz.COUNTRY_NAMES and name.lower() not in NOT_LOCAL_NAMES:
                add(name, code, "name")
    return table


LOOKUP = _build_lookup()
# first word of a phrase → the longest phrase starting with it (most words start none)
_FIRST: dict[str, int] = {}
for _key in LOOKUP:
    _head, _, _ = _key.partition(" ")
    _FIRST[_head] = max(_FIRST.get(_head, 0), _key.count(" ") + 1)


@dataclass(frozen=True)
class ExtraPlaces:
    """An editor's own place names (``edition.places``) and words that are no place
    (``edition.not_places``), read before the gazetteer."""

    lookup: Mapping[str, tuple[str, str, str]]  # lower-cased phrase → (code, kind, written)
    longest: Mapping[str, int]  # first word → most words of a phrase starting with it
    # names written in Chinese, Japanese or Korean, matched as text (cjk.place_names)
    cjk: OwnNames | None = None


NO_EXTRA = ExtraPlaces({}, {})


def name_key(name: str) -> str:
    """How an editor's name is matched: its words, lower-cased, accents off."""
    return " ".join(fold(w.lower()) for w in words(name))


def extra_places(places: Mapping[str, Sequence[str]], not_places: Sequence[str]) -> ExtraPlaces:
    """``places``: ISO code → names; ``not_places``: names that count for no country."""
    lookup: dict[str, tuple[str, str, str]] = {}
    unspaced: list[tuple[str, str]] = []
    for code, names in [*((c.upper(), ns) for c, ns in places.items()), ("-", not_places)]:
        for name in names:
            if has_cjk(name):
                unspaced.append((name.strip(), code))
            elif key := name_key(name):
                lookup[key] = (code, "configured", name.strip())
    longest: dict[str, int] = {}
    for key in lookup:
        head = key.partition(" ")[0]
        longest[head] = max(longest.get(head, 0), key.count(" ") + 1)
    return ExtraPlaces(lookup, longest, OwnNames(unspaced) if unspaced else None)


_FOREIGN_FORMS = frozenset(d for dems in gz.FOREIGN_DEMONYMS.values() for d in dems)


def _foreign_demonym(text: str) -> bool:
    """Whether a demonym found is one of another language ("iranianos", not "Chinese")."""
    hit = LOOKUP.get(text.lower())
    return hit is not None and hit[2] in _FOREIGN_FORMS


def _case_ok(found: Sequence[str], written: str, field: str) -> bool:
    """Text fields: proper nouns start upper-case, acronyms match exactly; a demonym of
    another language is written lower-case ("iranianos": "Russo" is a surname)."""
    if written in _FOREIGN_FORMS:
        return found[0].islower()
    if field == "url":
        return found[0].lower() not in _URL_AMBIGUOUS or len(found) > 1
    if written.isupper() and len(written) <= 4:
        return "".join(found) == written.replace(" ", "").replace(".", "")
    return found[0][:1].isupper()


# A single place word right after one of these is part of a person's name ("De Lima").
# In text of another language than English the lower-case ones are prepositions: "Riesgo
# país de Argentina", "sanções dos EUA" (language.not_english).
_NAME_PARTICLES = frozenset({"de", "De", "del", "Del", "da", "Da", "dos", "van", "Van", "von",
                             "Von", "di", "Di", "bin", "ibn"})


def _particle(toks: Sequence[str], i: int, foreign: list[bool | None]) -> bool:
    """Whether the word before ``i`` makes a place word there part of a person's name;
    ``foreign``: a one-item cache of whether ``toks`` is in another language than English."""
    before = toks[i - 1] if i > 0 else ""
    if before not in _NAME_PARTICLES:
        return False
    if before[:1].isupper():
        return True
    if foreign[0] is None:
        foreign[0] = language.not_english(toks)
    return not foreign[0]


# A place joined by a hyphen to one of these words says who flags, backs, owns or makes a
# thing, not where the story happens: "Panama-flagged tanker in Iraqi waters", "Iran-backed
# militia", "Russian-made drones", "US-led coalition".
_WHO_WORDS = (r"flagged|backed|owned|registered|made|led|funded|sponsored|allied|built|"
              r"supplied|brokered|mediated")
_WHO_AFTER = re.compile(r"(?<=[^\W\d_])[-‐‑–](?:" + _WHO_WORDS + r")\b", re.IGNORECASE)
_SLUG_HYPHEN = re.compile(r"-(?!(?:" + _WHO_WORDS + r")\b)")


# "US$1 billion" is a currency that outlets everywhere write, not a place of the story.
_US_DOLLAR = re.compile(r"\bU\.?S\.?\s?\$")


def _no_us_dollar(text: str) -> str:
    """``text`` with "US$" written "USD", as place matching reads it."""
    return _US_DOLLAR.sub("USD ", text) if "$" in text else text


def _who_marks(text: str) -> frozenset[int]:
    """The positions (in ``words(text)``) of the words that follow such a hyphen."""
    if not any(h in text for h in "-‐‑–"):  # the hyphens _WHO_AFTER reads
        return frozenset()
    text = normalise(text)  # "U.S.-led" is "US-led", as words() reads it
    return frozenset(len(words(text[: m.start()])) for m in _WHO_AFTER.finditer(text))


def find_mentions(
    text: str, field: str, start: int = 0, extra: ExtraPlaces = NO_EXTRA,
    research: bool | None = None,
) -> list[Mention]:
    """Longest-first matches of the editor's own names (``extra``), of gazetteer phrases in
    ``text``, then of GeoNames cities. ``research``: the story is about research (None:
    judged from ``text`` alone). Chinese, Japanese and Korean names are found in the text
    itself (cjk.place_names), after the editor's own."""
    text = _no_us_dollar(text)
    found = mentions_in(words(text), field, start, extra, research, _who_marks(text))
    if has_cjk(text):
        found += [Mention(f.code, f.text, f.kind, field, start + min(f.offset, 999))
                  for f in place_names(text, extra.cjk)]
    return found


def mentions_in(
    toks: Sequence[str], field: str, start: int = 0, extra: ExtraPlaces = NO_EXTRA,
    research: bool | None = None, who: frozenset[int] = frozenset(),
) -> list[Mention]:
    """``find_mentions`` in text already split by ``words``; ``who``: positions of words
    joined to the word before by a hyphen that makes it an owner or backer (``_WHO_AFTER``)."""
    if research is None:
        research = not _RESEARCH.isdisjoint(map(str.lower, toks))
    if extra.lookup or extra.longest:
        return _mentions(toks, field, start, extra, research, who)
    # the merge and the placing read the same headlines and teasers: once each (a text
    # field's name changes only the mentions' field and positions)
    kind = field if field == "url" else "text"
    return [Mention(m.code, m.text, m.kind, field, start + m.position, m.alts)
            for m in _mentions_read(tuple(toks), kind, research, who)]


@lru_cache(maxsize=PER_TEXT)
def _mentions_read(toks: tuple[str, ...], field: str, research: bool,
                   who: frozenset[int]) -> tuple[Mention, ...]:
    return tuple(_mentions(toks, field, 0, NO_EXTRA, research, who))


def _mentions(
    toks: Sequence[str], field: str, start: int, extra: ExtraPlaces, research: bool,
    who: frozenset[int],
) -> list[Mention]:
    lows = [t.lower() for t in toks]
    heads = city_heads() if field != "url" else {}
    # Only a word that can start a name is looked at (most words start none).
    if extra.lookup:
        folded = [fold(t) for t in lows]
        starts = [i for i, (low, f) in enumerate(zip(lows, folded, strict=True))
                  if low in _FIRST or low in heads or f in extra.longest]
    else:
        folded = lows
        can_start = _starts(field == "url")
        starts = [i for i, low in enumerate(lows) if low in can_start]
    out: list[Mention] = []
    if not starts:
        return out
    at = frozenset(starts)
    research = research and field != "url"
    foreign: list[bool | None] = [None]  # read when a particle comes before a place
    i, end = starts[0], len(toks)
    while i < end:
        if i not in at:  # on to the next word that can start a name
            k = bisect_left(starts, i)
            if k == len(starts):
                break
            i = starts[k]
        n = _configured(toks, folded, i, field, extra) if extra.lookup else 0
        if n:
            code, kind, _ = extra.lookup[" ".join(folded[i : i + n])]
            out.append(Mention(code, " ".join(toks[i : i + n]), kind, field, start + i))
            i += n
            continue
        longest = _FIRST.get(lows[i], 0)
        for n in range(min(longest, _MAX_PHRASE, len(toks) - i), 0, -1):
            hit = LOOKUP.get(" ".join(lows[i : i + n]))
            if hit and _case_ok(toks[i : i + n], hit[2], field):
                if n == 1 and _particle(toks, i, foreign):
                    continue
                if (research and _affiliation(toks, lows, i)) or (
                        field != "url" and _first_name(toks, lows, i, n)
                        and not title_case(toks)):
                    i += n  # where researchers work, or a person: not a place of the story
                    break
                code, alts = hit[0], gz.AMBIGUOUS.get(hit[2], ())
                kind = hit[1]
                if i + n in who:
                    kind = "who"  # "a Panama-flagged tanker": whose, not where
                elif i + n < len(toks) and lows[i + n] in (
                        _PERSON_NOUNS if kind == "demonym" else
                        _SERVICE_NOUNS if kind == "name" else ()):
                    kind = "nationality"  # "a Russian tourist in Goa": who, not where
                if alts:
                    code, alts = alts[0], alts[1:]
                elif n == 1 and hit[2] in gz.GUARDED_PEOPLE and not _office_before(lows, i):
                    # maybe another person of that name ("Oscar Pistorius"): counts only
                    # beside the leader's country named otherwise (the full name, a place)
                    code, alts = "", (code,)
                out.append(Mention(code, " ".join(toks[i : i + n]), kind, field, start + i,
                                   alts))
                i += n
                break
        else:
            n = _city(toks, lows, i, foreign) if lows[i] in heads else 0
            if n and research and _affiliation(toks, lows, i):
                i += n
            elif n:
                codes = city_index()[" ".join(lows[i : i + n])]
                out.append(Mention(codes[0], " ".join(toks[i : i + n]), "city", field,
                                   start + i, codes[1:]))
                i += n
            else:
                i += 1
    return out


@lru_cache(maxsize=2)
def _starts(url: bool) -> frozenset[str]:
    """The words that start a gazetteer name, or (not in a link) a city's."""
    return frozenset(_FIRST) if url else frozenset(_FIRST).union(city_heads())


def _configured(toks: Sequence[str], lows: Sequence[str], i: int, field: str,
                extra: ExtraPlaces) -> int:
    """How many words from ``i`` are one of the editor's names (0: none)."""
    for n in range(min(extra.longest.get(lows[i], 0), len(toks) - i), 0, -1):
        hit = extra.lookup.get(" ".join(lows[i : i + n]))
        if hit and (field == "url" or toks[i][:1].isupper() or not hit[2][:1].isupper()):
            return n
    return 0


# "researchers from the University of Exeter", "the Murdoch Children's Research Institute in
# Melbourne": the place is where the work was done, not where the story happens.
_AFFILIATION = frozenset({"university", "institute", "college"})
# Capitals and cities that are also first names: followed by a capitalised word they are a
# person ("rapper Sofia Ashraf", "Jordan Henderson"), unless that word is part of a place.
_FIRST_NAMES = frozenset({"sofia", "florence", "sydney", "adelaide", "jordan",
                          "chad", "georgia", "austin", "lima", "santiago", "kingston",
                          "orlando", "chelsea", "denver", "phoenix", "dallas", "houston"})
_PLACE_NOUNS = frozenset({"airport", "harbour", "harbor", "city", "oval", "zoo", "street",
                          "road", "metro", "police", "council", "court", "university",
                          "county", "state", "port", "bay", "hospital", "station", "cricket",
                          "stock", "olympics", "games", "marathon", "summit", "agreement",
                          "accord", "climate", "peace", "talks", "attack", "shooting",
                          "morning", "herald", "opera", "fc", "united", "news", "times",
                          "post", "monday", "tuesday", "wednesday", "thursday", "friday",
                          "saturday", "sunday", "january", "february", "march", "april",
                          "may", "june", "july", "august", "september", "october",
                          "november", "december"})


# After a demonym or country name these make it a person's nationality, which says less
# about where the story happens than a place does ("US Marine", "Chinese dissident artist").
_PERSON_NOUNS = frozenset({
    "national", "nationals", "tourist", "tourists", "man", "men", "woman", "women",
    "boy", "boys", "girl", "girls", "teen", "teens", "teenager", "teenagers", "student",
    "students", "citizen", "citizens", "couple", "family", "families", "worker",
    "workers", "journalist", "journalists", "dissident", "dissidents", "artist",
    "artists", "billionaire", "tycoon", "businessman", "businesswoman", "expat",
    "expats", "migrant", "migrants", "refugee", "refugees", "nurse", "nurses", "doctor",
    "doctors", "soldier", "soldiers", "marine", "marines", "sailor", "sailors",
    "fisherman", "fishermen", "pilot", "pilots", "diplomat", "diplomats", "mum", "dad",
    "mother", "father", "grandmother", "grandfather", "pensioner", "activist",
    "activists", "blogger", "influencer", "priest", "nun", "victim", "victims",
    "hostage", "hostages", "survivor", "survivors", "prisoner", "prisoners", "inmate",
    "inmates", "spy", "spies", "suspect", "suspects",
})


# After a country's name ("US Marine", "UK citizens"); not "England women" (a team).
_SERVICE_NOUNS = frozenset({
    "national", "nationals", "citizen", "citizens", "tourist", "tourists", "soldier",
    "soldiers", "marine", "marines", "troops", "sailor", "sailors", "diplomat",
    "diplomats",
})


# Words of a text about research, where a university's place is the researchers' address.
_RESEARCH = frozenset({"researchers", "researcher", "scientists", "scientist", "study",
                       "studies", "research", "analysis", "discovery", "findings", "trial",
                       "breakthrough"})


def _affiliation(toks: Sequence[str], lows: Sequence[str], i: int) -> bool:
    """The place at ``i`` is part of an institution's name ("the University of Exeter",
    "Research Institute in Melbourne"); only asked of texts about research."""
    return i >= 2 and lows[i - 1] in ("of", "in") and lows[i - 2] in _AFFILIATION \
        and toks[i - 2][:1].isupper()


def title_case(toks: Sequence[str]) -> bool:
    """Most longer words capitalised ("Floods Hit Sydney Suburbs"): capitals say nothing
    about names there."""
    long = [t for t in toks[1:] if len(t) > 3 and t.isalpha()]
    return len(long) >= 3 and sum(t[:1].isupper() for t in long) > 0.6 * len(long)


def _first_name(toks: Sequence[str], lows: Sequence[str], i: int, n: int) -> bool:
    """A one-word place that is also a first name, followed by a capitalised word that does
    not continue a place's name."""
    if n != 1 or lows[i] not in _FIRST_NAMES or i + 1 >= len(toks):
        return False
    after = toks[i + 1]
    return after[:1].isupper() and after.isalpha() and lows[i + 1] not in _PLACE_NOUNS \
        and lows[i + 1] not in LOOKUP  # itself a place ("Sofia Bulgaria")


def _office_before(lows: Sequence[str], i: int) -> bool:
    """An office word ("President", "PM", "Defence Minister") among the three words
    before a guarded surname (``gz.GUARDED_PEOPLE``) at ``i``."""
    return any(w in gz.OFFICE_WORDS for w in lows[max(0, i - 3) : i])


def _city(toks: Sequence[str], lows: Sequence[str], i: int, foreign: list[bool | None]) -> int:
    """How many words from ``i`` name a GeoNames city (0: none). A one-word name next to
    another capitalised word is taken for part of a person's or a club's name
    (``foreign``: as for ``_particle``)."""
    if not toks[i][:1].isupper():
        return 0
    longest = city_heads().get(lows[i], 0)
    if not longest:
        return 0
    index = city_index()
    for n in range(min(longest, _MAX_PHRASE, len(toks) - i), 0, -1):
        if " ".join(lows[i : i + n]) not in index or not toks[i + n - 1][:1].isupper():
            continue
        if n == 1:
            before = toks[i - 1] if i > 0 else ""
            after = toks[i + 1] if i + 1 < len(toks) else ""
            if before[:1].isupper() or _particle(toks, i, foreign) or after[:1].isupper():
                return 0
        return n
    return 0


def _resolve(mentions: Sequence[Mention], hints: Sequence[str] = ()) -> list[Mention]:
    """Ambiguous words and GeoNames cities take their country from the story's other
    places (and URL sections): an explicit country, capital or office wins over a town of
    another country."""
    firm = {m.code for m in mentions if m.kind != "city" and not m.alts and m.code}
    firm |= {h for h in hints if h not in gz.REGIONS}
    out: list[Mention] = []
    for m in mentions:
        if m.kind != "city" and not m.alts:
            out.append(m)
            continue
        fits = [c for c in (m.code, *m.alts) if c and c in firm]
        if fits:
            code = fits[0]
        elif m.kind == "city":
            code = m.code if not firm and not m.alts else ""
        else:
            code = m.code
        if code:
            out.append(Mention(code, m.text, m.kind, m.field, m.position))
    return out


def _url_words(url: str | None) -> tuple[list[str], str]:
    """URL section words mapped to a region or country code, and the slug text."""
    parts = url_path_parts(url)
    hints: list[str] = []
    slug_parts: list[str] = []
    for k, p in enumerate(parts):
        base = _NUMBER_END.sub("", p)
        if base in gz.URL_PLACES:
            if gz.URL_PLACES[base]:
                hints.append(gz.URL_PLACES[base])
        elif "-" in p and not p.startswith("a-"):
            # the hyphen of "panama-flagged" stays: the slug's flag is whose, not where
            slug_parts.append(_SLUG_HYPHEN.sub(" ", p))
        elif k < len(parts) - 1 and (code := _section_place(p)):
            hints.append(code)  # a local desk: /news/cities/mumbai/…, /national/karnataka/
    return hints, " ".join(slug_parts)


# Gazetteer words that are a people or a movement, not a desk's place.
_NOT_SECTIONS = frozenset({"taliban", "houthis", "houthi", "victorians", "maori", "hamas",
                           "hezbollah", "kurds", "kurdish", "rohingya", "uighurs", "uyghurs"})


def _section_place(part: str) -> str:
    """The country of a URL folder that is one place name the gazetteer knows (a country,
    state, capital or city, not a demonym, person or ambiguous word), else ""."""
    if not part.isalpha() or part in _URL_AMBIGUOUS or part in _NOT_SECTIONS:
        return ""
    hit = LOOKUP.get(part)
    if hit is None or hit[1] not in ("name", "place") or hit[2] in gz.AMBIGUOUS:
        return ""
    return hit[0] if len(hit[0]) == 2 else ""


def country_regions(overrides: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """ISO code → region, the defaults with ``edition.regions`` laid over them.

    A region named in the overrides holds exactly the codes listed; a code it used to
    hold and no region lists any more belongs to no region (World).
    """
    mapping = dict(gz.DEFAULT_COUNTRY_REGION)
    for region in overrides:
        for code, reg in list(mapping.items()):
            if reg == region:
                del mapping[code]
    for region, codes in overrides.items():
        for code in codes:
            mapping[code.upper()] = region
    return mapping


def _market_split(title: str, mentions: Sequence[Mention]) -> tuple[list[Mention], str] | None:
    """For a market move whose headline names what moved it (see ``markets.NOUNS``): the
    headline's places of the market itself, and the names of the causes; else None.
    ``title``: the headlines of a story's tellings, joined by " | "; each must tell a
    market move ("Oil jumps after US strike" beside "US strikes Iranian launchers" is the
    strike's story)."""
    title = _no_us_dollar(title)  # word positions as find_mentions counted them
    # word positions of the causes, per headline, with the homes of the currencies moved
    causes: list[tuple[int, int, frozenset[str]]] = []
    offset = 0
    for part in title.split(" | "):
        lows = [t.lower() for t in words(part)]
        move = markets.move_at(lows)
        if move is None:
            return None  # a telling that is no market move: the story is the event itself
        cause = markets.cause_at(lows, move)
        if cause is not None:
            causes.append((offset + cause, offset + len(lows), markets.homes_before(lows, move)))
        offset += len(lows)
    named = [m for m in mentions if m.field == "title" and m.code not in ("", "-")]
    # a currency's own country among the causes is where the story is ("Yen slides after
    # Japan election result"): not what moved it (markets.CURRENCY_HOMES)
    moved = [m for m in named
             if any(a < m.position < b and m.code not in homes for a, b, homes in causes)]
    if not moved:
        return None
    names = ", ".join(dict.fromkeys(f"'{m.text}'" for m in moved))
    return [m for m in named if m not in moved], names


def place(
    title: str,
    teaser: str,
    categories: Iterable[str],
    url: str | None,
    regions: Mapping[str, str],
    home: str | None = None,
    extra: ExtraPlaces = NO_EXTRA,
    home_source: str = "feeds.country",
) -> Placement:
    """The region, countries and kicker of one story, with the words that decided them.
    ``home``: the outlet's home country for a story that names no place (``feeds.country``;
    None: guessed from the link's host, "": none; ``home_source`` says where it came from).
    ``extra``: the editor's own names. ``scores`` holds each region's weight of the places
    named (empty when none was weighed), whichever rule then decided."""
    weighed: dict[str, float] = {}
    placed = _place(title, teaser, categories, url, regions, home, extra, home_source, weighed)
    return dataclasses.replace(placed, scores=tuple(sorted(weighed.items())))


def _place(
    title: str,
    teaser: str,
    categories: Iterable[str],
    url: str | None,
    regions: Mapping[str, str],
    home: str | None,
    extra: ExtraPlaces,
    home_source: str,
    weighed: dict[str, float],
) -> Placement:
    story_words = words(title) + words(teaser)
    study = not _RESEARCH.isdisjoint(map(str.lower, story_words))
    mentions = find_mentions(title, "title", 0, extra, study)
    mentions += find_mentions(" , ".join(categories), "categories", 1000, extra, study)
    hints, slug = _url_words(url)
    mentions += find_mentions(slug, "url", 2000, extra, study)
    mentions += find_mentions(teaser, "teaser", 3000, extra, study)
    mentions = _resolve(mentions, hints)
    # another language's demonym counts only when nothing else is named: those languages put
    # it after the noun ("l'armée pakistanaise attendue à Téhéran", "sanções estadunidenses
    # contra o Irã"), where it says whose more often than where
    foreign = [m for m in mentions if m.kind == "demonym" and _foreign_demonym(m.text)]
    if foreign and (hints or any(m.code not in ("", "-") and m not in foreign
                                 for m in mentions)):
        mentions = [m for m in mentions if m not in foreign]
    # a person's nationality weighs less only against another country named in the story
    placed = {m.code for m in mentions if m.kind not in ("nationality", "demonym", "who")
              and m.code not in ("", "-")}
    # and a flag or backer ("Iran-backed group claims attack") only when nothing else is named
    named_else = any(m.kind != "who" and m.code not in ("", "-") for m in mentions)
    mentions = [dataclasses.replace(m, kind="demonym")
                if (m.kind == "nationality" and (not placed or m.code in placed))
                or (m.kind == "who" and not named_else) else m
                for m in mentions]
    market = _market_split(title, mentions)
    if market is not None:
        if not market[0]:
            why = (f"region World: a market move; the headline names only what moved it "
                   f"({market[1]})")
            moved = tuple(dict.fromkeys(m.code for m in mentions if m.field == "title"
                                        and m.code not in ("", "-") and m.code[0] != "@"))
            return Placement(gz.WORLD, moved, None, (why,))
        mentions, hints = market[0], []  # the market's own place decides, not its causes
    country_score: dict[str, float] = {}
    first_seen: dict[str, int] = {}
    count: dict[tuple[str, str], int] = {}
    for m in mentions:
        if m.code == "-":
            continue
        n = count.get((m.code, m.field), 0)
        if n >= 2:
            continue
        count[(m.code, m.field)] = n + 1
        w = _KIND_WEIGHT[m.kind] * _FIELD_WEIGHT[m.field] * (1.0 if n == 0 else 0.5)
        country_score[m.code] = country_score.get(m.code, 0.0) + w
        first_seen.setdefault(m.code, m.position)
    region_score: dict[str, float] = {}
    region_first: dict[str, int] = {}
    for code, score in country_score.items():
        reg = code[1:] if code.startswith("@") else regions.get(code, gz.WORLD)
        region_score[reg] = region_score.get(reg, 0.0) + score
        region_first[reg] = min(region_first.get(reg, 10**9), first_seen[code])
    for i, hint in enumerate(hints):
        reg = hint if hint in gz.REGIONS else regions.get(hint, gz.WORLD)
        if hint not in gz.REGIONS:
            country_score[hint] = country_score.get(hint, 0.0) + 2.0
            first_seen.setdefault(hint, 2000 + i)
        region_score[reg] = region_score.get(reg, 0.0) + 2.0
        region_first[reg] = min(region_first.get(reg, 10**9), 2000 + i)
    countries = tuple(
        sorted(
            (c for c in country_score if not c.startswith("@")),
            key=lambda c: (-country_score[c], first_seen[c]),
        )
    )
    total = sum(region_score.values())
    weighed.update(region_score)
    placed_in = [m for m in mentions if m.code != "-"]
    if (_STUDY.intersection(w.lower() for w in words(title)) and placed_in and not hints
            and not any(m.field in ("title", "url") for m in placed_in)):
        # Findings are not a place's news: the teaser's places are where it was done.
        why = "region World: a study or research finding; the place named is where it was done"
        return Placement(gz.WORLD, countries, None, (f"{why} ({_evidence(mentions, hints)})",))
    desk = _local_desk(mentions, categories)
    if desk is not None and regions.get(desk.code, gz.WORLD) != gz.WORLD \
            and desk.code == gz.home_country(url_host(url), [], home):
        # a local desk ("Tamil Nadu", "Mumbai") of the outlet's own country files what
        # happens there, whatever else the story names: "Russian award for KKNPP Director"
        # is Tamil Nadu news. A foreign city as the one category is a subject's tag
        # ("Davos", "Wuhan"): the story's words decide.
        region = regions[desk.code]
        rest = tuple(c for c in countries if c != desk.code)
        why = (f"region {region}: filed under '{desk.text}' (its only feed category, a city "
               f"or state: a local desk) → {desk.code}; {_evidence(mentions, hints)}")
        return Placement(region, (desk.code, *rest), gz.COUNTRY_NAMES.get(desk.code), (why,))
    filed = _filed_under(mentions, hints, categories)
    if total < MIN_EVIDENCE and filed is not None:
        region = regions.get(filed.code, gz.WORLD)
        if region != gz.WORLD:
            kicker = gz.COUNTRY_NAMES.get(filed.code) if filed.code != "EU" else None
            why = (f"region {region}: filed under '{filed.text}' (its only feed category) "
                   f"→ {filed.code}")
            return Placement(region, (filed.code,), kicker, (why,))
    if total < MIN_EVIDENCE:
        if total > 0:
            fallback = _home_fallback(url, regions, home, home_source)
            if fallback.countries and countries and countries[0] == fallback.countries[0]:
                # the little the story names is the outlet's own country: that is enough
                why = (f"region {fallback.region}: little evidence "
                       f"({_evidence(mentions, hints)}), the outlet's home country")
                return dataclasses.replace(fallback, countries=countries, reasons=(why,))
            why = f"region World: too little evidence ({_evidence(mentions, hints)})"
            return Placement(gz.WORLD, countries, None, (why,))
        if _GLOBAL.intersection(story_words):
            return Placement(gz.WORLD, (), None, ("region World: a global body or subject, "
                                                  "no place named",))
        if _NO_HOME_TITLE.intersection(w.lower() for w in words(title)):
            # a finding, or a page that is nobody's local news: not the outlet's home
            return Placement(gz.WORLD, (), None, ("region World: a study, puzzle or "
                                                  "horoscope that names no place",))
        return _home_fallback(url, regions, home, home_source)
    best = min(region_score, key=lambda r: (-region_score[r], region_first[r]))
    evidence = _evidence(mentions, hints)
    if best == gz.WORLD or region_score[best] < DOMINANT_SHARE * total:
        named = sorted(r for r in region_score if r != gz.WORLD)
        why = f"region World: places in {len(named)} regions ({', '.join(named)})"
        if best == gz.WORLD and len(named) <= 1:
            why = "region World: places outside the configured regions"
        return Placement(gz.WORLD, countries, None, (f"{why}: {evidence}",))
    main = next((c for c in countries if regions.get(c) == best), None)
    kicker = gz.COUNTRY_NAMES[main] if main and main != "EU" else None
    if market is not None:
        evidence += f" (a market move; what moved it aside: {market[1]})"
    return Placement(best, countries, kicker, (f"region {best}: {evidence}",))


# Title words of a page that names no place and is nobody's local news, even on a local
# outlet: a finding (not "scientist": "the Chief Scientist" is an office), a puzzle.
_NO_HOME_TITLE = frozenset({"study", "studies", "researchers", "horoscope", "horoscopes",
                            "quiz", "superquiz", "crossword", "crosswords", "sudoku", "puzzle",
                            "puzzles", "wordle"})
# Title words of a story about a finding (a study is World unless the headline names a place).
_STUDY = frozenset({"study", "studies", "research", "researchers", "scientists", "scientist"})


def _category_place(mentions: Sequence[Mention], categories: Iterable[str]) -> Mention | None:
    """The place the feed's one category names, whole ("Chennai"), or None."""
    cats = [c.strip() for c in categories if c.strip()]
    if len(cats) != 1:
        return None
    return next((m for m in mentions if m.field == "categories"
                 and m.text.casefold() == cats[0].casefold()), None)


def _filed_under(
    mentions: Sequence[Mention], hints: Sequence[str], categories: Iterable[str]
) -> Mention | None:
    """The place an outlet files a story under: its one feed category is a place name
    ("Chennai", "Karnataka": a local desk) and nothing else in the story names a place.
    Several categories ("Glaciers", "Floods", "Nepal") tag subjects and incidental places,
    so they do not count this way."""
    m = _category_place(mentions, categories)
    named = [n for n in mentions if n.code not in ("-", "")]
    if m is None or hints or named != [m] or m.code.startswith("@"):
        return None
    return m


def _local_desk(mentions: Sequence[Mention], categories: Iterable[str]) -> Mention | None:
    """The city or state whose desk files a story: the feed's one category is, whole, the
    name of a city or state (not a country: "Germany" or "Nepal" may tag a subject) that
    stands for one country. (``place`` takes it only in the outlet's home country.)"""
    m = _category_place(mentions, categories)
    if m is None or m.kind not in ("place", "city") or m.alts or len(m.code) != 2 \
            or m.code == "EU":
        return None
    return m


# Words of a story that is not the outlet's home news even though it names no place.
_GLOBAL = frozenset({"WHO", "UN", "UNICEF", "Unicef", "IMF", "WTO", "NATO", "global", "Global",
                     "globally", "worldwide", "Worldwide", "world", "World", "international",
                     "International"})


def _home_fallback(url: str | None, regions: Mapping[str, str], home: str | None,
                   home_source: str = "feeds.country") -> Placement:
    """A story that names no place at all: the outlet's home country, when its link is in
    a home-news section of an outlet with one (weak: only ever used with no place named)."""
    code = gz.home_country(url_host(url), url_path_parts(url), home)
    region = regions.get(code, gz.WORLD) if code else gz.WORLD
    if region == gz.WORLD:
        return Placement(gz.WORLD, (), None, ("region World: no place named",))
    source = home_source if home else url_host(url)
    parts = url_path_parts(url)
    if home is None and gz.edition_home(url_host(url), parts) is not None:
        source = f"{url_host(url).removeprefix('www.')}/{parts[0]}/, one country's edition"
    why = (f"region {region}: no place named; fallback: the outlet's home country "
           f"({source} → {code})")
    kicker = gz.COUNTRY_NAMES[code] if code != "EU" else None
    return Placement(region, (code,), kicker, (why,))


def _evidence(mentions: Sequence[Mention], hints: Sequence[str]) -> str:
    seen: list[str] = []
    for m in mentions:
        if m.code == "-":
            continue
        item = f"'{m.text}' ({m.field}) → {m.code.lstrip('@')}"
        if m.kind == "configured":
            item += " (edition.places)"
        elif m.kind == "who":
            item += " (whose, not where)"
        if item not in seen:
            seen.append(item)
    seen += [f"URL section → {h}" for h in hints]
    return "; ".join(seen[:6])


# ---------------------------------------------------------------------------- topics

# URL path sections and feed categories (lower-case, whole segment or first word).
SECTION_TOPICS: dict[str, str] = {
    "business": "Business", "economy": "Business", "markets": "Business", "money": "Business",
    "finance": "Business", "companies": "Business", "dealbook": "Business",
    "your-money": "Business", "property": "Business", "realestate": "Business",
    "sport": "Sports", "sports": "Sports", "football": "Sports", "soccer": "Sports",
    "cricket": "Sports", "rugby": "Sports", "tennis": "Sports", "golf": "Sports",
    "afl": "Sports", "nrl": "Sports", "nba": "Sports", "nfl": "Sports", "f1": "Sports",
    "formula1": "Sports", "motorsport": "Sports", "cycling": "Sports", "boxing": "Sports",
    "olympics": "Sports", "athletics": "Sports", "basketball": "Sports", "baseball": "Sports",
    "hockey": "Sports", "racing": "Sports", "league": "Sports",
    "science": "Science & Technology", "technology": "Science & Technology",
    "tech": "Science & Technology", "science-environment": "Science & Technology",
    "sci-tech": "Science & Technology", "space": "Science & Technology",
    "health": "Health", "wellness": "Health", "coronavirus": "Health", "well": "Health",
    "environment": "Environment", "climate": "Environment", "weather": "Environment",
    "culture": "Culture", "arts": "Culture", "entertainment": "Culture",
    "entertainment-arts": "Culture", "music": "Culture", "film": "Culture",
    "movies": "Culture", "books": "Culture", "theater": "Culture", "tv": "Culture",
    "television": "Culture", "lifestyle": "Culture", "travel": "Culture", "food": "Culture",
    "fashion": "Culture", "style": "Culture", "celebrity": "Culture", "showbiz": "Culture",
    "tvshowbiz": "Culture", "life-and-style": "Culture", "stage": "Culture",
    "politics": "Politics", "uk-politics": "Politics", "elections": "Politics",
    "election": "Politics", "government": "Politics",
}

# Words of the title and teaser (lower-case; phrases allowed).
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "Sports": (
        "football", "soccer", "match", "league", "olympic", "olympics", "tennis",
        "cricket", "rugby", "golf", "goal", "goals", "midfielder", "coach",
        "championship", "champions", "tournament", "nba", "nfl", "mlb", "nhl", "afl", "nrl",
        "grand prix", "formula one", "f1", "wimbledon", "world cup", "euro 2016", "euro 2024",
        "fifa", "uefa", "premier league", "bundesliga", "la liga", "serie a", "medal",
        "athlete", "athletes", "sprinter", "marathon", "boxing", "boxer", "ufc", "wrestling",
        "cyclist", "cycling", "tour de france", "quarterback", "playoffs", "playoff", "season",
        "stadium", "fans", "squad", "batsman", "wicket", "test match", "innings", "semifinal",
        "semi-final", "final", "qualifier",
        "captain", "transfer", "club", "team", "player", "players",
        "us open", "super bowl", "grand slam", "racing", "horse racing", "nascar", "basketball",
        "baseball", "hockey", "netball", "paralympic", "paralympics", "kickoff", "scored",
        "invictus games",
        # "cup" alone is a cup of tea: only the named cups
        "fa cup", "davis cup", "ryder cup", "stanley cup", "league cup", "gold cup", "asia cup",
        "africa cup", "america's cup", "nations cup", "copa america", "copa américa",
    ),
    "Business": (
        "economy", "economic", "economies", "market", "markets", "stocks", "stock", "shares",
        "investors", "investor", "banks", "banking", "inflation", "interest rates",
        "interest rate", "gdp", "recession", "company", "companies", "firm", "firms", "ceo",
        "chief executive", "profit", "profits", "revenue", "sales", "earnings", "trade",
        "tariff", "tariffs", "exports", "imports", "jobs", "unemployment", "jobless",
        "business", "businesses", "oil prices", "oil", "prices", "price",
        "airline", "airlines", "retail", "retailer", "bankruptcy", "merger", "acquisition",
        "startup", "industry", "manufacturing", "currency", "dollar", "euro", "yen", "bonds",
        "wall street", "dow", "nasdaq", "ftse", "dax", "imf", "world bank", "central bank",
        "budget", "debt", "tax", "taxes", "wages", "layoffs", "boeing", "investment", "housing",
        "mortgage", "real estate", "trade war", "trade wars", "crypto", "bitcoin", "stimulus",
        "finance",
        "billionaire", "billionaires", "furlough", "furloughed", "oecd", "hiring", "retailers",
        "shoppers",
        "brand", "brands", "barrel", "brent", "crude", "employers", "gdp",
        "tourism", "tourist", "tourists", "refund", "refunds", "subsidy", "subsidies",
        "redundancy", "redundancies", "salary", "salaries", "pension", "pensions", "customs",
        "auction", "exporters", "consumers", "consumer", "supermarket", "supermarkets",
        "shops", "retail sales", "factory", "factories", "mining", "agriculture", "farmers",
        "power bill", "energy bills", "jobs", "employment", "payroll", "loan", "loans",
    ),
    "Science & Technology": (
        "science", "scientists", "scientist", "study", "research", "researchers", "space",
        "nasa", "esa", "rocket", "satellite", "moon", "mars", "planet", "astronomers",
        "telescope", "technology", "tech", "ai", "artificial intelligence", "chatbot",
        "software", "app", "apps", "internet", "online", "cyber", "cyberattack", "hackers",
        "hacking", "hack", "data", "smartphone", "iphone", "robot", "robots", "chip", "chips",
        "semiconductor", "semiconductors", "5g", "huawei", "tiktok", "facebook", "twitter",
        "social media", "youtube", "spacex", "physics", "fossil", "fossils", "dinosaur",
        "archaeologists", "species", "genome", "dna", "quantum", "computer", "computing",
        "openai", "nvidia", "apple", "google", "microsoft", "meta", "tesla", "digital",
        "messenger", "platform", "algorithm", "black hole", "black holes", "galaxy", "galaxies",
        "astronomy", "asteroid", "comet", "cosmic",
    ),
    "Environment": (
        "climate", "climate change", "global warming", "emissions", "carbon", "co2",
        "environment", "environmental", "pollution", "flood", "floods", "flooding", "wildfire",
        "wildfires", "bushfire", "bushfires", "drought", "heatwave", "heat wave", "hottest",
        "temperature", "temperatures", "storm", "hurricane", "typhoon", "cyclone", "tornado",
        "earthquake", "quake", "tsunami", "volcano", "eruption", "landslide", "monsoon",
        "rainfall", "weather", "snow", "glacier", "glaciers", "ice", "ocean", "oceans",
        "wildlife", "biodiversity", "forest", "forests", "deforestation", "renewable",
        "renewables", "solar", "wind power", "coal", "fossil fuels", "plastic", "recycling",
        "endangered", "conservation", "extinction", "animals", "whale", "whales", "sharks",
        "coral", "reef", "green energy", "net zero", "cop26", "cop30", "floods",
        "flash floods", "pesticides", "rubbish", "litter",     ),
    "Health": (
        "health", "coronavirus", "covid", "covid-19", "virus", "pandemic", "vaccine",
        "vaccines", "vaccination", "hospital", "hospitals", "doctors", "doctor", "nurses",
        "patients", "patient", "disease", "diseases", "cancer", "infections", "infection",
        "cases", "outbreak", "epidemic", "medical", "medicine", "drug", "drugs",
        "treatment", "mental health", "nhs", "ebola", "fatty", "malaria", "cholera", "measles",
        "mpox", "polio", "hiv", "aids", "lockdown", "quarantine", "masks", "mask", "tested",
        "testing", "symptoms", "deaths", "death toll", "healthcare", "obesity", "diabetes",
        "dementia", "surgery", "pharmaceutical", "abortion", "contact tracing", "clinic",
        "social distancing", "infected", "sars-cov-2", "icu", "ventilators", "hydroxychloroquine",
        "steroid", "steroids", "c-section", "pregnancy", "pregnant", "suicide", "albinism",
        "opioid", "opioids", "blood donation", "blood donors",
    ),
    "Culture": (
        "film", "films", "movie", "movies", "cinema", "actor", "actress", "director",
        "music", "musician", "singer", "song", "songs", "album", "band", "concert", "festival",
        "art", "artist", "artists", "museum", "exhibition", "painting", "book", "books",
        "novel", "author", "writer", "poet", "poetry", "theatre", "theater", "opera",
        "ballet", "dance", "fashion", "designer", "celebrity", "star", "oscar", "oscars",
        "emmy", "emmys", "grammy", "grammys", "netflix", "hollywood", "bollywood", "tv",
        "television", "series", "show", "documentary", "wedding", "heritage", "unesco",
        "culture", "cultural", "religion",
        "church", "pope", "food", "restaurant", "chef",
        "comedy", "comedian", "podcast", "photography", "photos", "architecture", "language",
        "rapper", "dj", "superhero", "actors", "stars", "royal", "royals", "tradition",
        "traditions", "dating", "logo", "cartoon", "eurovision", "blackface", "drummer",
        "proms", "castle", "playhouse", "magician", "illusionist", "anime",
    ),
    "Politics": (
        "election", "elections", "vote", "votes", "voters", "voting", "poll", "polls",
        "president", "presidential", "prime minister", "minister", "ministers", "government",
        "parliament", "parliamentary", "lawmakers", "senate", "senator", "congress",
        "opposition", "party", "parties", "campaign", "candidate", "coalition", "cabinet",
        "diplomat", "diplomatic", "diplomacy", "talks", "summit", "sanctions", "treaty",
        "war", "military", "army", "troops", "soldiers", "attack", "attacks", "strike",
        "strikes", "missile", "missiles", "bomb", "bombing", "killed", "ceasefire",
        "conflict", "invasion", "nato", "un", "protest", "protests", "protesters",
        "police", "court", "judge", "trial", "sentenced", "arrested", "jail", "prison",
        "law", "bill", "legislation", "referendum", "policy", "rights", "human rights",
        "migrants", "migration", "refugees", "asylum", "border", "corruption", "coup",
        "rebels", "militants", "terror", "terrorism", "shooting", "murder", "crime",
        "democrat", "republican", "trump", "biden", "putin", "mayor", "governor", "spy",
        "nuclear", "defence", "defense", "weapons", "security", "hostages", "hostage",
        "suicide bomber", "suicide bombers", "suicide bombing", "suicide attack",
        "hunger strike", "hunger striker", "drug traffickers", "drug trafficking", "drug cartel",
        "west bank", "arrest", "theft", "thieves", "robbery", "lawsuit", "sues", "indicted",
        "inquest", "assault", "steal", "stole", "killings", "criminal", "violence",
        "domestic violence", "immigration", "arms", "officers", "blaze", "firefighters",
    ),
}


def _topic_key(phrase: str) -> str:
    """A word list entry as the text is read: lower-case words, so "c-section" is "c section"."""
    return " ".join(w.lower() for w in words(phrase))


def _topic_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for topic, ws in TOPIC_WORDS.items():
        for w in ws:
            table.setdefault(_topic_key(w), topic)
    return table


_TOPIC_LOOKUP = _topic_lookup()
_NUMBER_END = re.compile(r"-?\d+$")  # a link part's article number ("world-12345")
_CATEGORY_SPLIT = re.compile(r"[/\s,&()-]+")
_TOPIC_PHRASE = 3  # words in the longest topic phrase read
# each word that starts a topic phrase → the most words such a phrase has (most words start
# none, and are passed over at once)
_TOPIC_FIRST: dict[str, int] = {}
for _key in _TOPIC_LOOKUP:
    _head, _n = _key.split(" ")[0], min(len(_key.split(" ")), _TOPIC_PHRASE)
    _TOPIC_FIRST[_head] = max(_TOPIC_FIRST.get(_head, 0), _n)
_STRONG = 3.0
# Words of a backdrop that runs through a whole news season (in 2020 the pandemic touched
# every business, school and sports story): they count this much of a topic word, so that
# the story's own subject wins; alone they still decide.
_BACKDROP = frozenset(_topic_key(w) for w in (
    "coronavirus", "covid", "covid-19", "virus", "pandemic", "lockdown", "quarantine", "cases",
    "sars-cov-2", "outbreak", "masks", "mask"))
_BACKDROP_FACTOR = 0.35


@dataclass(frozen=True, slots=True)
class Topic:
    topic: str
    reasons: tuple[str, ...]


def _section_topics(url: str | None, categories: Iterable[str]) -> list[tuple[str, str, float]]:
    """(topic, reason, weight) of URL sections and feed categories."""
    out: list[tuple[str, str, float]] = []
    parts = url_path_parts(url)
    for p in parts[:3]:
        for key in (p, p.split("-")[0], _NUMBER_END.sub("", p)):
            if key in SECTION_TOPICS:
                w = _BACKDROP_FACTOR if key in _BACKDROP else 1.0
                out.append((SECTION_TOPICS[key], f"URL section /{p}/", _STRONG * w))
                break
    for cat in categories:
        low = cat.strip().lower()
        if low.startswith(("coronavirus", "covid")):  # a season's backdrop, see _BACKDROP
            out.append(("Health", f"category '{cat}'", _STRONG * _BACKDROP_FACTOR))
            continue
        for key in (low, *_CATEGORY_SPLIT.split(low)):
            topic = SECTION_TOPICS.get(key) or (_TOPIC_LOOKUP.get(key) if key == low else None)
            if topic:
                out.append((topic, f"category '{cat}'", _STRONG))
                break
    return out


def _word_topics(text: str, weight: float, field: str) -> list[tuple[str, float, str]]:
    lows = [w.lower() for w in words(text)]
    out: list[tuple[str, float, str]] = []
    i, end = 0, len(lows)
    while i < end:
        longest = _TOPIC_FIRST.get(lows[i])
        if longest is None:  # most words
            i += 1
            continue
        for n in range(min(longest, end - i), 0, -1):
            phrase = " ".join(lows[i : i + n])
            topic = _TOPIC_LOOKUP.get(phrase)
            if topic:
                if phrase == "league" and lows[i + 1 : i + 2] == ["of"]:  # an association
                    i += 1
                    break
                w = weight * (_BACKDROP_FACTOR if phrase in _BACKDROP else 1.0)
                out.append((topic, w, f"'{phrase}' ({field})"))
                i += n
                break
        else:
            i += 1
    return out


def rule_scores(
    title: str, teaser: str, categories: Iterable[str], url: str | None, allowed: Sequence[str]
) -> tuple[dict[str, float], dict[str, list[str]], set[str]]:
    """The hand rules' score of each topic, the reasons, and the topics backed by a URL
    section or a feed category (strong evidence)."""
    scores: dict[str, float] = {}
    why: dict[str, list[str]] = {}
    strong: set[str] = set()
    sections = _section_topics(url, categories)
    evidence: list[tuple[str, float, str]] = [(t, w, r) for t, r, w in sections]
    strong.update(t for t, _, w in sections if w >= _STRONG)
    evidence += _word_topics(title, 1.5, "title") + _word_topics(teaser, 0.5, "teaser")
    for topic, w, reason in evidence:
        if topic not in allowed:
            continue
        scores[topic] = scores.get(topic, 0.0) + w
        why.setdefault(topic, []).append(reason)
    return scores, why, strong & set(scores)


def classify_topic(
    title: str,
    teaser: str,
    categories: Iterable[str],
    url: str | None,
    topics: Sequence[str],
) -> Topic:
    """The best of ``topics`` for a story; the first of them when nothing points anywhere."""
    allowed = list(topics) or list(KNOWN_TOPICS)
    scores, why, _ = rule_scores(title, teaser, categories, url, allowed)
    if not scores:
        return Topic(allowed[0], (f"topic {allowed[0]}: nothing else matched",))
    best = min(scores, key=lambda t: (-scores[t], allowed.index(t)))
    return Topic(best, (f"topic {best}: {', '.join(dict.fromkeys(why[best]))}",))


def editor_topic(
    title: str,
    teaser: str,
    categories: Iterable[str],
    topic_words: Mapping[str, Sequence[str]],
    topics: Sequence[str],
) -> Topic | None:
    """The topic an editor's own words (``edition.topic_words``: topic → words or phrases)
    give a story, which wins over the rules and the text model; None when none is found.
    A word in the title counts 3, in a feed category 2, in the teaser 1; ties go to the
    earlier topic in ``topics``."""
    fields = ((words(title), 3.0, "title"), (words(" , ".join(categories)), 2.0, "categories"),
              (words(teaser), 1.0, "teaser"))
    lowered = [([w.lower() for w in toks], weight, name) for toks, weight, name in fields]
    scores: dict[str, float] = {}
    why: dict[str, list[str]] = {}
    for topic, phrases in topic_words.items():
        if topic not in topics:
            continue
        for phrase in phrases:
            want = [w.lower() for w in words(phrase)]
            for toks, weight, name in lowered:
                if want and any(toks[k : k + len(want)] == want
                                for k in range(len(toks) - len(want) + 1)):
                    scores[topic] = scores.get(topic, 0.0) + weight
                    why.setdefault(topic, []).append(f"'{phrase.strip()}' ({name})")
    if not scores:
        return None
    best = min(scores, key=lambda t: (-scores[t], list(topics).index(t)))
    return Topic(best, (f"topic {best}: edition.topic_words {', '.join(why[best])}",))
