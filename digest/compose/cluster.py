"""Same story, several tellings: TF-IDF cosine over title + teaser, found through an index.

Each entry becomes a sparse vector (term → weight, L2-normalised; title terms count
double). Candidate pairs come from an inverted index over terms that are rare enough to
say something (a term in more than ``MAX_DF_SHARE`` of the entries is left out of the
index), so the work grows with the number of shared rare terms, not with n². Pairs at or
above the threshold and close in time are joined, strongest first; a join that would
merge two groups whose centroids are far apart is refused, so one shared name cannot
chain two events together.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import mul
from typing import Any

import numpy as np

from digest.compose import language, markets
from digest.compose.classify import mentions_in
from digest.compose.text import STOPWORDS, fold, stem, teaser_text, terms_of, words
from digest.compose.vectors import Vec, decode, mean
from digest.types import Entry

Vector = dict[str, float]

WINDOW = dt.timedelta(hours=24)  # one news cycle: tellings of one event are this close
MAX_DF_SHARE = 0.05
MIN_DF_CAP = 30  # in small batches a term is only dropped above this many entries
TITLE_WEIGHT = 2.0
TEASER_TERMS = 60  # the start of a long teaser is what describes the event
COUNTRY_WEIGHT = 0.75  # a country token counts half a word: shared places alone do not merge
CENTROID_FACTOR = 0.85  # groups merge only if their centroids are this close (x threshold)
# One outlet writes several pieces about one topic (analysis, explainer, live blog); two
# items of one feed must be this much closer (x threshold) to count as one story.
SAME_FEED_FACTOR = 1.32
# Two outlets' tellings need this x threshold (0.37 at the default 0.35): measured on the
# tuning days, a wrong merge below it (hiding a story) was likelier than a right one.
CROSS_FEED_FACTOR = 1.06
# Two headlines alike count this much of their own cosine (a pair is judged on the
# better of the whole-text and the headline similarity).
TITLE_FACTOR = 0.8
PREFILTER = 0.3  # candidates whose shared rare terms already give this x threshold
# Two outlets' tellings that share at least ENTITY_MIN rare names or numbers (capitalised
# words or figures of 3+ digits found in at most ENTITY_DF_SHARE of the entries, at least
# ENTITY_DF_MIN) are one story from ENTITY_FACTOR x threshold on: "Pelosi … salon" and
# "Navalny … Novichok" name the event where the rest of the wording differs.
ENTITY_MIN = 3
ENTITY_DF_SHARE = 0.01
ENTITY_DF_MIN = 3
ENTITY_FACTOR = 0.5
# Two outlets' tellings whose sentence vectors (digest.compose.vectors, made at collect time)
# are at least VECTOR_MIN alike are one story from VECTOR_FACTOR x threshold on: "Cheap
# steroids save lives from severe Covid" and "Scientists Report Steroids Can Be Lifesaving
# for Covid-19 Patients" tell one study in other words. Measured in docs/grouping.md.
VECTOR_MIN = 0.92
VECTOR_FACTOR = 0.75
# ... and from NAMED_FACTOR x threshold on when their vectors reach NAMED_VECTOR_MIN and a
# rare name of one headline is in the other telling (a name both teasers happen to share,
# "Doctors said …" at a sentence's start, is not enough): "Federer to miss rest of season
# after knee operation" and "Fans left 'devastated' by Federer announcement". On the
# tuning days this found 5 more right pairs and no wrong one (docs/grouping.md).
NAMED_VECTOR_MIN = 0.90
NAMED_FACTOR = 0.5
# Two tellings in two languages (digest.compose.language; a wire's French and English items,
# one outlet's English telling and another's Spanish) share no words, so only their sentence
# vectors can join them: from LANGUAGE_VECTOR_MIN on, if their names agree. The vectors alone
# would join "Bomb attack kills five in Kabul" to "… cinq morts à Bagdad" (0.93), so at least
# one name of each headline, and at least LANGUAGE_NAMES of them, must be found in the other
# telling, written alike ("Téhéran" meets "Tehran", "Damas" meets "Damascus", "israélien"
# meets "Israel"), and the two must not each name a town or a country the other does not:
# see names_agree. Groups joined this way must have mean vectors at least LANGUAGE_GROUP_MIN
# alike (their words cannot be compared).
LANGUAGE_VECTOR_MIN = 0.86
LANGUAGE_NAMES = 0.5
LANGUAGE_GROUP_MIN = 0.84
# Names that agree only as countries ("Milei vetoes …" and "Milei veta …" are both @AR) say
# less: such a pair needs its vectors this alike (0.88 until the market reports were kept
# apart from their causes; see docs/grouping.md). Headlines with figures must share one
# ("kill 12" and "tuent 20" are two attacks).
LANGUAGE_COUNTRIES_MIN = 0.865
# Headlines that share a figure ("Irã ameaça 45 petroleiros …" and "Iran threatens 45
# tankers …") say more: with names that agree, their vectors need only be this alike.
LANGUAGE_FIGURES_MIN = 0.84
LANGUAGE_ROWS = 1024  # one language's vectors compared with another's this many at a time


# One outlet's series share a title template: "Kabayan | Teleradyo (3 September 2020)",
# "节目重温：记者来鸿（粤语）", "Video: …". A part of a title (between ":", "|" or brackets) that
# at least SERIES_MIN titles of the same feed carry, its figures aside, is the series' mark;
# two items of one feed that share a mark and have nothing else of their titles in common
# are two episodes, not one story, unless their teasers tell alike (a new headline).
SERIES_MIN = 3
_TITLE_PARTS = re.compile(r"[:|：｜()（）\[\]【】]")


# A roundup tells many events at once ("Coronavirus Briefing: What Happened Today", "Covid-19
# Live Updates and Tracker", "Morning Briefing: Top stories …"): joined to one of them it
# would chain unrelated stories together, so it stays a story of its own.
ROUNDUP = re.compile(
    r"\bbriefing:|\bwhat happened today\b|\bwhat happened in [^:|]{1,40} on \d|"
    r"\btop stories\b|\bstories you shouldn|\bnews in brief\b|\bround-?up\b|"
    r"\b(live )?tracker\s*$|\blive\b[^:|]{0,40}\bupdates\b|\bupdates\b[^:|]{0,40}\blive\b",
    re.IGNORECASE,
)


def is_roundup(entry: Entry) -> bool:
    return ROUNDUP.search(entry.title) is not None


@dataclass(frozen=True, slots=True)
class Said:
    """What one telling says, for comparing it with a telling in another language."""

    names: tuple[str | None, list[str]]  # the headline's names (language.names_of)
    words: frozenset[str]  # every word of the telling, folded, and its countries' "@cc"
    places: dict[str, str]  # the telling's words that name a place → the country's code
    towns: tuple[tuple[str, ...], ...]  # the towns and cities the headline names (words)
    countries: frozenset[str]  # the countries the headline names ("@cc")
    figures: frozenset[str]  # the headline's numbers (language.figures)
    # German capitalises every noun, so only the names the other telling has say anything
    nouns_capitalised: bool = False


@dataclass(frozen=True, slots=True)
class Pair:
    i: int
    j: int
    similarity: float
    by_entities: bool = False  # found through shared rare names (see ENTITY_MIN)
    by_vector: bool = False  # found through the sentence vectors (see VECTOR_MIN)
    by_language: bool = False  # two languages, found through the vectors and names


def series_parts(entries: Sequence[Entry]) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Per entry: the series marks its title carries (see ``SERIES_MIN``) and the terms of
    the rest of its title."""
    parts: list[list[tuple[str, frozenset[str]]]] = []
    seen: dict[tuple[str, str], int] = {}
    for e in entries:
        mine: list[tuple[str, frozenset[str]]] = []
        split = _TITLE_PARTS.split(e.title)
        for part in split if len(split) > 1 else ():  # a title of one part is no episode
            toks = [w for w in words(part) if not w.isdigit()]
            key = " ".join(t.lower() for t in terms_of(toks) if not t.isdigit())
            if key:
                mine.append((key, frozenset(terms_of(toks))))
        for key in {k for k, _ in mine}:
            seen[(e.feed_url, key)] = seen.get((e.feed_url, key), 0) + 1
        parts.append(mine)
    out: list[tuple[frozenset[str], frozenset[str]]] = []
    for e, mine in zip(entries, parts, strict=True):
        marks = frozenset(k for k, _ in mine if seen[(e.feed_url, k)] >= SERIES_MIN)
        rest = frozenset(t for k, ts in mine if k not in marks for t in ts)
        out.append((marks, rest))
    return out


def _episodes(a: tuple[frozenset[str], frozenset[str]],
              b: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Two items of one series that share nothing but its marks (the same title told
    again is a repeat, not an episode)."""
    return bool(a[0] & b[0]) and not (a[1] & b[1]) and a != b


def _teasers_alike(a: Entry, b: Entry, marks: frozenset[str], threshold: float) -> bool:
    """Two teasers that tell alike (binary cosine of their terms, the series' marks aside,
    at least ``threshold``): one story given a new headline, not two episodes."""
    skip = {t for m in marks for t in m.split()}
    ta = set(terms_of(words(teaser_text(a)))[:TEASER_TERMS]) - skip
    tb = set(terms_of(words(teaser_text(b)))[:TEASER_TERMS]) - skip
    return bool(ta and tb) and len(ta & tb) / math.sqrt(len(ta) * len(tb)) >= threshold


def when(entry: Entry) -> dt.datetime:
    return entry.published or entry.first_seen_at


def term_counts(entry: Entry, *, teaser: bool = True) -> dict[str, float]:
    """Title terms count double; a place, demonym or leader also adds its country
    ("Serbs", "Belgrade" and "Serbia" all add ``@RS``). ``teaser=False``: the title only."""
    title = _count(words(entry.title), TITLE_WEIGHT, 10**6, {})
    if not teaser:
        return title
    return _count(words(teaser_text(entry)), 1.0, TEASER_TERMS, dict(title))


def _count(toks: Sequence[str], w: float, limit: int, counts: dict[str, float]) -> dict[str, float]:
    """Add one field's terms (the first ``limit``) and countries to ``counts``."""
    for t in terms_of(toks)[:limit]:
        counts[t] = counts.get(t, 0.0) + w
    for m in mentions_in(toks, "title"):
        if m.code and m.position < limit and COUNTRY_WEIGHT > 0:
            t = f"@{m.code}"
            counts[t] = counts.get(t, 0.0) + w * COUNTRY_WEIGHT
    return counts


def entities(entry: Entry) -> frozenset[str]:
    """Names and figures of an entry's title and teaser start: capitalised words (not the
    headline's first word, not stop words) and numbers of three or more digits, as terms."""
    return _entities(words(entry.title), words(teaser_text(entry)))


def _entities(title: Sequence[str], teaser: Sequence[str]) -> frozenset[str]:
    return _names_in(title, 1) | _names_in(teaser[:TEASER_TERMS], 0)


def _names_in(toks: Sequence[str], skip: int) -> frozenset[str]:
    """``entities`` of one field, from its word ``skip`` on."""
    return frozenset(stem(w) for w in toks[skip:]
                     if ((w[:1].isupper() and len(w) > 2) or (w.isdigit() and len(w) >= 3))
                     and w.lower() not in STOPWORDS)


def _rare(ents: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    df: dict[str, int] = {}
    for es in ents:
        for t in es:
            df[t] = df.get(t, 0) + 1
    cap = max(ENTITY_DF_MIN, int(ENTITY_DF_SHARE * len(ents)))
    return [frozenset(t for t in es if df[t] <= cap) for es in ents]


def _tf(count: float) -> float:
    return 1.0 + math.log(count) if count >= 1.0 else count


def vectors(entries: Sequence[Entry]) -> list[Vector]:
    """TF-IDF vectors (sublinear tf, smooth idf) of title + teaser, unit length."""
    return _weigh([term_counts(e) for e in entries])


def _weigh(counts: Sequence[dict[str, float]]) -> list[Vector]:
    df: dict[str, int] = {}
    for c in counts:
        for t in c:
            df[t] = df.get(t, 0) + 1
    n = len(counts)
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    tfs: dict[float, float] = {}  # a few counts (1, 2, 3, 4.5 …), over and over
    out: list[Vector] = []
    for c in counts:
        v = {}
        for t, tf in c.items():
            if tf not in tfs:
                tfs[tf] = _tf(tf)
            v[t] = tfs[tf] * idf[t]
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({t: x / norm for t, x in v.items()})
    return out


def similar_pairs(
    entries: Sequence[Entry],
    vecs: Sequence[Vector],
    threshold: float,
    titles: Sequence[Vector] | None = None,
    ents: Sequence[frozenset[str]] | None = None,
    sem: Sequence[Vec | None] | None = None,
    headline: Sequence[frozenset[str]] | None = None,
) -> list[Pair]:
    """Pairs with cosine ≥ threshold and at most ``WINDOW`` apart, strongest first
    (``ents``: rare names, ``sem``: sentence vectors, ``headline``: the rare names of
    each headline, for the looser cross-outlet rules)."""
    times = [when(e) for e in entries]
    feed = [e.feed_url for e in entries]
    alone = [is_roundup(e) for e in entries]
    series = series_parts(entries)
    pairs: list[Pair] = []
    for i, j in _candidates(vecs, alone, threshold * PREFILTER):
        if abs(times[i] - times[j]) > WINDOW:
            continue
        sim = _cosine(vecs[i], vecs[j])
        if titles is not None:
            sim = max(sim, TITLE_FACTOR * _cosine(titles[i], titles[j]))
        same_feed = feed[i] == feed[j]
        if same_feed and _episodes(series[i], series[j]) \
                and not _teasers_alike(entries[i], entries[j], series[i][0], threshold):
            continue
        need = threshold * (SAME_FEED_FACTOR if same_feed else CROSS_FEED_FACTOR)
        by_entities = by_vector = False
        if sim < need and ents is not None and not same_feed \
                and sim >= threshold * ENTITY_FACTOR \
                and len(ents[i] & ents[j]) >= ENTITY_MIN:
            sim, by_entities = need, True
        if sim < need and sem is not None and not same_feed \
                and sim >= threshold * VECTOR_FACTOR and _alike(sem[i], sem[j]):
            sim, by_vector = need, True
        if sim < need and sem is not None and headline is not None and ents is not None \
                and not same_feed and sim >= threshold * NAMED_FACTOR \
                and not (headline[i].isdisjoint(ents[j]) and headline[j].isdisjoint(ents[i])) \
                and _alike(sem[i], sem[j], NAMED_VECTOR_MIN):
            sim, by_vector = need, True
        if sim >= need:
            pairs.append(Pair(i, j, sim, by_entities, by_vector))
    pairs.sort(key=lambda p: (-p.similarity, p.i, p.j))
    return pairs


def _candidates(
    vecs: Sequence[Vector], alone: Sequence[bool], least: float
) -> list[tuple[int, int]]:
    """The pairs (i < j, neither ``alone``) whose shared rare terms give a dot product of at
    least ``least`` (a term in more than ``MAX_DF_SHARE`` of the entries is passed over).
    Every pair of entries sharing a term is weighed at once (numpy): the term's entries,
    sorted, are paired with the entry k places on, for each k, over the entries that have
    k more of their term after them (so the work is the number of pairs)."""
    n = len(vecs)
    cap = max(MIN_DF_CAP, int(MAX_DF_SHARE * n))
    ids: dict[str, int] = {}
    term: list[int] = []
    doc: list[int] = []
    val: list[float] = []
    for i, v in enumerate(vecs):
        for t, x in v.items():
            term.append(ids.setdefault(t, len(ids)))
            doc.append(i)
            val.append(x)
    if not term:
        return []
    terms = np.asarray(term)
    docs = np.asarray(doc, dtype=np.int64)
    df = np.bincount(terms)[terms]  # each entry's term: in how many entries
    keep = np.flatnonzero((df > 1) & (df <= cap) & ~np.asarray(alone, dtype=bool)[docs])
    if not len(keep):
        return []
    terms, docs, vals = terms[keep], docs[keep], np.asarray(val)[keep]
    order = np.lexsort((docs, terms))
    t_, d_, x_ = terms[order], docs[order], vals[order]
    first = np.flatnonzero(np.r_[True, t_[1:] != t_[:-1]])  # where each term's entries start
    ends = np.r_[first[1:], len(t_)]
    after = np.repeat(ends, ends - first) - np.arange(len(t_)) - 1  # of its term, after it
    by_after = np.argsort(-after, kind="stable")
    most = -after[by_after]  # ascending, for searchsorted
    keys: list[np.ndarray[Any, np.dtype[np.int64]]] = []
    dots: list[np.ndarray[Any, np.dtype[np.float64]]] = []
    for k in range(1, int(-most[0]) + 1):
        p = by_after[: int(np.searchsorted(most, -k, side="right"))]
        keys.append(d_[p] * n + d_[p + k])
        dots.append(x_[p] * x_[p + k])
    if not keys:  # no term left with two entries (the others were roundups)
        return []
    key, where = np.unique(np.concatenate(keys), return_inverse=True)
    total = np.bincount(where, weights=np.concatenate(dots))
    return [(int(c) // n, int(c) % n) for c in key[total >= least]]


def language_pairs(entries: Sequence[Entry], sig: Signals, sem: Sequence[Vec | None],
                   threshold: float) -> list[Pair]:
    """Pairs of tellings in two languages (see LANGUAGE_VECTOR_MIN): vectors at least that
    alike, names that agree both ways, at most ``WINDOW`` apart; two items of one feed too
    (a wire's French and English items). Every language's entries are compared with every
    other's (``LANGUAGE_ROWS`` rows at a time), so the work grows with the product of their
    numbers; names are read (``said_of``) only for the entries of a pair alike enough."""
    if sig.languages is None:
        return []
    by_lang: dict[str, list[int]] = {}
    rows: dict[str, list[Vec]] = {}
    said: dict[int, Said] = {}  # read for the few entries that meet one in another language

    def agree(i: int, j: int, alike: float) -> bool:
        for k in (i, j):
            if k not in said:
                said[k] = said_of(entries[k])
        if alike < LANGUAGE_VECTOR_MIN and not _same_figure(said[i], said[j]):
            return False
        return names_agree(said[i], said[j], alike)

    for i, (lang, v) in enumerate(zip(sig.languages, sem, strict=True)):
        if lang is not None and v is not None and not is_roundup(entries[i]):
            by_lang.setdefault(lang, []).append(i)
            rows.setdefault(lang, []).append(v)
    if len(by_lang) < 2:
        return []
    need = threshold * CROSS_FEED_FACTOR
    mats = {k: np.stack(vs) for k, vs in rows.items()}
    langs = sorted(by_lang)
    found: list[tuple[float, int, int]] = []
    for n, la in enumerate(langs):
        for lb in langs[n + 1 :]:
            for start in range(0, len(by_lang[la]), LANGUAGE_ROWS):  # memory stays small
                sims = mats[la][start : start + LANGUAGE_ROWS] @ mats[lb].T
                for x, y in zip(*np.nonzero(sims >= LANGUAGE_FIGURES_MIN), strict=True):
                    i, j = sorted((by_lang[la][start + int(x)], by_lang[lb][int(y)]))
                    alike = float(sims[x, y])
                    if abs(when(entries[i]) - when(entries[j])) <= WINDOW and agree(i, j, alike):
                        found.append((alike, i, j))
    # the most alike first: they are joined in this order, after the word rules' pairs
    return [Pair(i, j, need, by_language=True) for _, i, j in sorted(found, key=lambda f: -f[0])]


def names_agree(a: Said, b: Said, alike: float = 1.0) -> bool:
    """Each headline names something and at least ``LANGUAGE_NAMES`` of its names are written
    alike in the other telling (``language.found_names``); the two do not each name a town,
    nor each a country, that the other telling does not ("Kabul" and "Kandahar", "Morocco"
    and "Algérie"); headlines with figures share one; and names that agree only as places
    and leaders come with vectors at least ``LANGUAGE_COUNTRIES_MIN`` alike (``alike``: the
    vectors' cosine). Beside a German telling, whose every noun is capitalised and begins
    like its cognates ("Markt", "market"; "Bombenanschlag", "bomb"), names are compared as
    written, one found of a German headline's is enough, and neither may name a town the
    other lacks."""
    german = a.nouns_capitalised or b.nouns_capitalised
    share_a, found_a = language.found_names(a.names, b.words, b.places, exact=german)
    share_b, found_b = language.found_names(b.names, a.words, a.places, exact=german)
    if a.nouns_capitalised:  # "Xpengs Roboter-Sparte …": one name found is enough
        share_a = 1.0 if found_a else 0.0
    if b.nouns_capitalised:
        share_b = 1.0 if found_b else 0.0
    if min(share_a, share_b) < LANGUAGE_NAMES:
        return False
    if a.figures and b.figures and a.figures.isdisjoint(b.figures):
        return False
    town_else = (_names_else(a, b), _names_else(b, a))
    if any(town_else) if german else all(town_else):
        return False
    if not (a.countries <= b.words or b.countries <= a.words):
        return False
    countries_only = all(n.startswith("@") for n in (*found_a, *found_b))  # places, leaders
    return alike >= LANGUAGE_COUNTRIES_MIN or not countries_only or _same_figure(a, b)


def _same_figure(a: Said, b: Said) -> bool:
    """Whether both headlines carry a figure and share one."""
    return bool(a.figures) and not a.figures.isdisjoint(b.figures)


def _names_else(said: Said, other: Said) -> bool:
    """Whether one of the towns ``said`` names is not written alike in the other telling,
    nor stands there as its country alone (the other names the country and none of its
    towns: "Oslo saisit un navire russe" and "Norway seizes Russian ship")."""
    other_towns = {other.places.get(t[0], "") for t in other.towns}
    return any(not all(w in other.words or any(language.same_name(w, o) for o in other.words
                                               if o not in other.places)
                       for w in town)
               and not ((code := said.places.get(town[0], "")) and f"@{code}" in other.words
                        and code not in other_towns)
               for town in said.towns)


def _groups_alike(sem: Sequence[Vec | None], a: Sequence[int], b: Sequence[int]) -> bool:
    """Whether two groups' mean sentence vectors are at least ``LANGUAGE_GROUP_MIN`` alike."""
    va = [v for i in a if (v := sem[i]) is not None]
    vb = [v for i in b if (v := sem[i]) is not None]
    return bool(va and vb) and float(mean(va) @ mean(vb)) >= LANGUAGE_GROUP_MIN


def _alike(a: Vec | None, b: Vec | None, least: float = VECTOR_MIN) -> bool:
    return a is not None and b is not None and float(a @ b) >= least


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot: float = sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))
    return dot


def _add(total: Vector, v: Vector) -> None:
    for t, x in v.items():
        total[t] = total.get(t, 0.0) + x


def _centroid_cosine(a: Vector, b: Vector, na: float | None = None,
                     nb: float | None = None) -> float:
    """Cosine of two sums of vectors (``na``, ``nb``: their norms, if known)."""
    na = _norm(a) if na is None else na
    nb = _norm(b) if nb is None else nb
    return _cosine(a, b) / (na * nb)


def _norm(v: Vector) -> float:
    return math.sqrt(sum(x * x for x in v.values())) or 1.0


@dataclass(frozen=True, slots=True)
class Signals:
    """What the merge reads of a batch of entries, besides their sentence vectors."""

    vectors: list[Vector]  # title + teaser start, TF-IDF
    titles: list[Vector] | None  # the title alone (None: TITLE_FACTOR is 0)
    names: list[frozenset[str]] | None  # rare names and figures (None: ENTITY_MIN is 0)
    headline: list[frozenset[str]] | None  # the rare names of the headline alone
    languages: list[str | None] | None  # each text's language (language.detect; None:
    # unclear), when asked for
    markets: list[str | None]  # the market each headline reports (markets.market_in)


def signals(entries: Sequence[Entry], *, languages: bool = False) -> Signals:
    """Each text is split into words once: the vectors, the headline vectors and the names
    are read from the same words (as term_counts and entities would read them), and with
    ``languages`` each text's language."""
    title_counts: list[dict[str, float]] = []
    counts: list[dict[str, float]] = []
    all_ents: list[frozenset[str]] = []
    title_ents: list[frozenset[str]] = []  # the headline's names alone
    langs: list[str | None] = []
    market: list[str | None] = []
    for e in entries:
        title_toks, teaser_toks = words(e.title), words(teaser_text(e))
        market.append(markets.market_in(title_toks))
        if languages:
            langs.append(language.detect(title_toks + teaser_toks[:TEASER_TERMS]))
        title_counts.append(_count(title_toks, TITLE_WEIGHT, 10**6, {}))
        counts.append(_count(teaser_toks, 1.0, TEASER_TERMS, dict(title_counts[-1])))
        if ENTITY_MIN > 0:
            title_ents.append(_names_in(title_toks, 1))
            all_ents.append(title_ents[-1] | _names_in(teaser_toks[:TEASER_TERMS], 0))
    ents = _rare(all_ents) if ENTITY_MIN > 0 else None
    return Signals(
        vectors=_weigh(counts),
        titles=_weigh(title_counts) if TITLE_FACTOR > 0 else None,
        names=ents,
        headline=[t & r for t, r in zip(title_ents, ents, strict=True)] if ents else None,
        languages=langs if languages else None,
        markets=market,
    )


def said_of(entry: Entry) -> Said:
    """What a telling says (``Said``): its headline's names (``language.names_of``), a place
    the gazetteer knows carrying its country's code ("Estados Unidos" and "US" are both
    ``@us``; "Tehran" is ``@ir:tehran``, found as "Téhéran" too), an international body as
    its key in every language ("ONU" and "UN" are both ``#un``: ``language.bodies``), its
    towns, countries and figures, and every word of the telling with its countries' codes
    and bodies' keys."""
    title, teaser = words(entry.title), words(teaser_text(entry))[:TEASER_TERMS]
    title_places = mentions_in(title, "title")
    teaser_places = mentions_in(teaser, "title")
    named = language.bodies(title)
    in_body = {at + k for at, n, _ in named for k in range(n)}
    places = {m.position: m for m in title_places if m.code and m.position not in in_body}
    as_codes = [f"@{places[n].code}:{t}" if n in places else t for n, t in enumerate(title)]
    for at, _, key in named:
        as_codes[at] = key
    covered = {m.position + k for m in places.values() for k in range(1, len(m.text.split()))}
    covered |= {at + k for at, n, _ in named for k in range(1, n)}
    german = language.detect([*title, *teaser]) == "de"
    # a German headline's capitals are its nouns, not a house style: the teaser cannot say
    # which of them are names (language.names_of)
    names = language.names_of([t for n, t in enumerate(as_codes) if n not in covered],
                              () if german else teaser)
    codes = {f"@{m.code}".lower() for m in (*title_places, *teaser_places) if m.code}
    codes |= {key for _, _, key in (*named, *language.bodies(teaser))}
    place_words = {fold(w.lower()): m.code.lower() for m in (*title_places, *teaser_places)
                   if m.code for w in m.text.split()}
    return Said(
        names=names,
        words=frozenset(fold(t.lower()) for t in (*title, *teaser)) | codes,
        places=place_words,
        towns=tuple(tuple(fold(w.lower()) for w in m.text.split()) for m in places.values()
                    if m.kind in ("place", "city")),
        countries=frozenset(f"@{m.code}".lower() for m in places.values()
                            if m.kind in ("name", "demonym", "nationality")),
        figures=frozenset(language.figures(title)),
        nouns_capitalised=german,
    )


def cluster(
    entries: Sequence[Entry], threshold: float, *, use_vectors: bool = True
) -> list[list[int]]:
    """Groups of entry indexes telling the same story, each in input order.
    ``use_vectors``: also the entries' sentence vectors, where they have them."""
    return [idx for idx, _ in cluster_explained(entries, threshold, use_vectors=use_vectors)]


# what joined a group's tellings, for the story's reasons
JOINED_BY = {"words": "alike words", "names": "shared rare names", "vectors": "alike meaning",
             "languages": "alike meaning and names in two languages"}


def cluster_explained(
    entries: Sequence[Entry], threshold: float, *, use_vectors: bool = True
) -> list[tuple[list[int], tuple[str, ...]]]:
    """``cluster``, with what joined each group: ``JOINED_BY`` keys, in that order."""
    sig = signals(entries, languages=use_vectors)
    vecs = sig.vectors
    parent = list(range(len(entries)))
    sums: dict[int, Vector] = {i: dict(v) for i, v in enumerate(vecs)}
    norms: dict[int, float] = {}  # of the groups' sums, until they change

    def norm(i: int) -> float:
        if i not in norms:
            norms[i] = _norm(sums[i])
        return norms[i]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sem = [decode(e.vector) for e in entries] if use_vectors else None
    how: dict[int, set[str]] = {}  # group root → what joined its members
    pairs = similar_pairs(entries, vecs, threshold, sig.titles, sig.names, sem, sig.headline)
    if sem is not None:
        # a stable sort: the word rules' pairs keep their order, the language pairs theirs
        pairs = sorted(pairs + language_pairs(entries, sig, sem, threshold),
                       key=lambda p: (-p.similarity, p.by_language))
    members: dict[int, list[int]] = {}  # group root → its entries, for LANGUAGE_GROUP_MIN
    # a market's report stays apart from the event that moved it, and from another market's
    # (markets.market_of): each group's markets ("": one not said) and whether it holds an
    # event; a headline that opens on a market without a move is neither
    kinds: dict[int, set[str]] = {}
    event: set[int] = set()
    for i, kind in enumerate(sig.markets):
        if kind is None:
            event.add(i)
        elif kind != markets.MAYBE:
            kinds[i] = {kind}
    for p in pairs:
        a, b = root(p.i), root(p.j)
        if a == b:
            continue
        ka, kb = kinds.get(a, set()), kinds.get(b, set())
        if (ka and b in event) or (kb and a in event):
            continue
        na, nb = ka - {""}, kb - {""}
        if na and nb and na.isdisjoint(nb):
            continue
        if p.by_language:
            assert sem is not None
            if not _groups_alike(sem, members.get(a, [a]), members.get(b, [b])):
                continue
        else:
            floor = ENTITY_FACTOR if p.by_entities or p.by_vector else CENTROID_FACTOR
            if _centroid_cosine(sums[a], sums[b], norm(a), norm(b)) < threshold * floor:
                continue
        parent[b] = a
        if kb:
            kinds[a] = ka | kinds.pop(b)
        if b in event:
            event.add(a)
        members[a] = members.pop(a, [a]) + members.pop(b, [b])
        how.setdefault(a, set()).update(how.pop(b, set()))
        how[a].add("languages" if p.by_language else "vectors" if p.by_vector
                   else "names" if p.by_entities else "words")
        _add(sums[a], sums.pop(b))
        norms.pop(a, None)
        norms.pop(b, None)
    groups: dict[int, list[int]] = {}
    for i in range(len(entries)):
        groups.setdefault(root(i), []).append(i)
    return [(idx, tuple(k for k in JOINED_BY if k in how.get(r, ()))) for r, idx in groups.items()]
