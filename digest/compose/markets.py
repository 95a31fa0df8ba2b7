"""Market reports: headlines that tell how a market moved ("Stocks fall as …", "Wall Street
sube tras …", "Índices sobem após …").

Two rules read them. The region rule (``classify``) places an English market move by the
market, not by what moved it. The merge (``cluster``) keeps a market's report apart from the
event that moved it, and one market's report apart from another's: "Wall Street sube después
de que Waller de la Fed dice …" is not Waller's speech, and "Rendimiento de bonos EEUU cae
tras comentarios de Waller" is not Wall Street's session (one trading session's report of one
market, in any language, is one story; the event is another).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from digest.compose.text import fold, words

# A market move told from its causes: "Stocks fall as US-Iran turmoil keeps oil elevated",
# "Oil prices rise as Middle East conflict escalates". The market is where the story
# happens; the places after "as", "on", "amid" … are what moved it. A headline where a
# market noun is followed within a few words by a move word, and a place comes after such a
# word, is placed by the places before it ("ASX set to jump as Wall Street rally rolls on":
# Australia; "US yields set to rise on Iran war": the US), or in World when it names none
# there (a worldwide move). English only: these are the region rule's words.
NOUNS = frozenset({
    "stocks", "stock", "shares", "equities", "bonds", "bond", "yields", "yield", "treasuries",
    "markets", "market", "oil", "crude", "brent", "gold", "silver", "copper", "futures",
    "rupee", "yen", "yuan", "ringgit", "peso", "rand", "lira", "sensex", "nifty", "nasdaq",
    "dow", "ftse", "dax", "nikkei", "asx", "tsx", "kospi", "bourse", "bourses",
})
MOVES = frozenset({
    "fall", "falls", "fell", "rise", "rises", "rose", "sink", "sinks", "sank", "jump", "jumps",
    "jumped", "gain", "gains", "gained", "slide", "slides", "slid", "rally", "rallies",
    "rallied", "climb", "climbs", "climbed", "drop", "drops", "dropped", "surge", "surges",
    "surged", "tumble", "tumbles", "tumbled", "settle", "settles", "settled", "extend",
    "extends", "slump", "slumps", "slumped", "spike", "spikes", "spiked", "soar", "soars",
    "soared", "plunge", "plunges", "plunged", "dip", "dips", "dipped", "edge", "edges",
    "slip", "slips", "slipped", "retreat", "retreats", "rebound", "rebounds", "steady",
    "steadies", "higher", "lower", "advance", "advances", "decline", "declines",
    "weaken", "weakens", "weakened", "strengthen", "strengthens", "strengthened", "ease",
    "eases", "eased", "firm", "firms", "firmed", "sag", "sags", "sagged", "skid", "skids",
    "skidded", "hover", "hovers", "hovered",
})
# "up" and "down" are a move only before a figure: "Oil prices up 1%", "Stocks down 2.5%"
BY_FIGURE = frozenset({"up", "down"})
CAUSES = frozenset({"as", "on", "amid", "after", "over", "with", "despite", "following"})
# words between the market and its move: "Oil prices settle", "US yields set to rise"
GAP = 3
# The same rule in the wire's other languages ("Oro cae tras sólidos datos de empleo en
# EEUU …": what moved gold is no place of gold's; "Wall Street sube después de que Waller
# …": Wall Street's). Lower-case, accents off; none of them is an English word, so English
# headlines are read as before. "Wall Street" is a market only before another language's
# move ("Wall Street sube"), as the English rule has always left it out.
FOREIGN_NOUNS = frozenset({
    "bolsa", "bolsas", "acciones", "acoes", "indices", "indici", "borsa", "borse", "aktien",
    "titoli", "ibovespa", "bovespa", "merval", "bonos", "rendimiento", "rendimientos",
    "anleihen", "renditen", "dolar", "dollaro", "monedas", "divisas", "moedas", "devises",
    "petroleo", "crudo", "petrolio", "petrole", "olpreis", "olpreise", "oro", "ouro",
    "prata", "kupfer", "cobre", "mercados", "mercati", "marches", "markte",
})
FOREIGN_CAUSES = frozenset({
    "tras", "por", "ante", "pese", "despues", "apos", "diante", "dopo", "apres", "malgre",
    "nach", "wegen", "trotz",
})


@lru_cache(maxsize=1 << 16)  # a day's headlines use a few thousand words, over and over
def _low(word: str) -> str:
    """A word lower-case, accents off: how every list here writes it."""
    return fold(word.lower())


def _wall_street(lows: Sequence[str], i: int) -> bool:
    """Whether the word at ``i`` is the "Street" of "Wall Street"."""
    return lows[i] == "street" and i > 0 and lows[i - 1] == "wall"


def move_at(lows: Sequence[str]) -> int | None:
    """The position of a market's move in a lower-cased headline ("stocks fall": the
    "fall"; "índices sobem": the "sobem"), or None when the headline tells no market move."""
    folded = [_low(w) for w in lows]
    for i, low in enumerate(folded):
        if low not in NOUNS and low not in FOREIGN_NOUNS and not _wall_street(folded, i):
            continue
        english = low in NOUNS
        for j in range(i + 1, min(i + 2 + GAP, len(folded))):
            if (english and (folded[j] in MOVES or _by_figure(folded, j))) \
                    or folded[j] in FOREIGN_MOVES:
                return j
    return None


def _by_figure(lows: Sequence[str], j: int) -> bool:
    """Whether the word at ``j`` is "up" or "down" before a figure (``BY_FIGURE``)."""
    return lows[j] in BY_FIGURE and j + 1 < len(lows) and lows[j + 1][:1].isdigit()


def cause_at(lows: Sequence[str], move: int) -> int | None:
    """The position of the word after ``move`` that starts the causes ("as", "tras"), or
    None."""
    return next((k for k in range(move + 1, len(lows))
                 if lows[k] in CAUSES or _low(lows[k]) in FOREIGN_CAUSES), None)


# A national currency's own country: named among what moved it ("Yen slides after Japan
# election result", "Rupee falls as India trade deficit widens", "Yen se dispara por apuestas
# a alzas de tasas en Japón") it is the market's home, so the story is that country's. A
# currency of several countries counts for each (the rupee of India, Pakistan, Sri Lanka and
# Nepal). The dollar and the euro are left out: the world's currencies, whose moves are
# placed by the places named, as before.
_CURRENCY_HOMES = {  # the currency's words (English, Spanish, Portuguese) → its countries
    "yen": "JP", "yuan renminbi": "CN", "rupee rupia": "IN PK LK NP", "ringgit": "MY",
    "rand": "ZA", "lira": "TR", "peso pesos": "MX PH AR CL CO UY", "rouble ruble rublo": "RU",
    "baht": "TH", "rupiah": "ID", "won": "KR", "naira": "NG", "shekel": "IL", "hryvnia": "UA",
    "sterling": "GB", "zloty": "PL", "forint": "HU",
}
CURRENCY_HOMES: dict[str, frozenset[str]] = {
    word: frozenset(codes.split()) for names, codes in _CURRENCY_HOMES.items()
    for word in names.split()
}


def homes_before(lows: Sequence[str], move: int) -> frozenset[str]:
    """The countries of the national currencies named before a market's ``move`` (the
    market itself; ``CURRENCY_HOMES``)."""
    found: frozenset[str] = frozenset()
    for w in lows[:move]:
        found |= CURRENCY_HOMES.get(_low(w), frozenset())
    return found


# For the merge: which market a report is about, in the wire's languages (English, Spanish,
# Portuguese, Italian, French, German; lower-case, accents off). "" is a market not said
# ("markets", "mercados", "futures").
KINDS: dict[str, str] = {
    **dict.fromkeys((
        "stocks", "stock", "shares", "equities", "sensex", "nifty", "nasdaq", "dow", "ftse",
        "dax", "nikkei", "asx", "tsx", "kospi", "bourse", "bourses", "ibovespa",
        "bovespa", "merval", "bolsa", "bolsas", "acciones", "acoes", "indices", "indici",
        "borsa", "borse", "aktien", "titoli", "cac",
    ), "stocks"),
    **dict.fromkeys((
        "bonds", "bond", "yields", "yield", "treasuries", "gilts", "bunds", "bonos",
        "rendimiento", "rendimientos", "anleihen", "renditen", "btp",
    ), "bonds"),
    **dict.fromkeys((
        "rupee", "yen", "yuan", "ringgit", "peso", "pesos", "rand", "lira", "dollar",
        "dolar", "dollaro", "sterling", "monedas", "divisas", "moedas", "devises",
    ), "currencies"),
    **dict.fromkeys((
        "oil", "crude", "brent", "wti", "petroleo", "crudo", "petrolio", "petrole",
        "olpreis", "olpreise",
    ), "oil"),
    **dict.fromkeys((
        "gold", "silver", "copper", "oro", "ouro", "plata", "prata", "kupfer",
    ), "metals"),
    **dict.fromkeys((
        "markets", "market", "futures", "mercados", "mercado", "mercati", "marches",
        "markte",
    ), ""),
}
FOREIGN_MOVES = frozenset({
    # Spanish
    "sube", "suben", "subio", "subian", "cae", "caen", "cayo", "caian", "bajan", "avanza",
    "avanzan", "retrocede", "retroceden", "repunta", "repuntan", "dispara", "disparan",
    "gana", "ganan", "pierde", "pierden", "alza", "baja", "perdidas", "ganancias",
    # Portuguese
    "sobe", "sobem", "subiu", "cai", "caem", "caiu", "recua", "recuam", "recuou", "avanca",
    "avancam", "avancou", "despenca", "despencam", "alta", "baixa", "perdas", "ganhos",
    # Italian
    "salgono", "scende", "scendono", "cala", "calano", "rialzo", "ribasso", "calo",
    "crolla", "crollano", "balza", "balzano", "recupera", "perdite",
    # French
    "monte", "montent", "baisse", "baissent", "recule", "reculent", "grimpe", "grimpent",
    "chute", "chutent", "progresse", "progressent", "hausse", "rebondit", "pertes",
    # German
    "steigt", "steigen", "fallt", "fallen", "sinkt", "sinken", "klettert", "klettern",
    "erholt", "hoher", "tiefer", "fester", "leichter", "schwacher", "verluste",
})
ALL_MOVES = MOVES | FOREIGN_MOVES
# a move that says its market by itself, opening a headline: "In rialzo dopo dichiarazioni
# Waller …" (Reuters' Italian desk on Wall Street's open)
IDIOMS = frozenset({("in", "rialzo"), ("in", "ribasso"), ("in", "calo"), ("en", "hausse"),
                    ("en", "baisse"), ("em", "alta"), ("em", "baixa"), ("al", "alza")})
# the market is among a headline's first words ("REUTERS NEXT Diretor do Fed Waller diz que
# … prêmio de segurança de Treasuries caiu" reports a speech, not a market)
LEAD = 4
MERGE_GAP = 4  # "Wall Street abre al alza", "Ibovespa fecha em alta"


MAYBE = "?"  # a headline that names a market without opening on its move ("Wall Street
# juggernaut rolls on, setting up the ASX for gains", "Tech selloff weighs down Wall Street
# as bond yields climb"): a report of it, or of what moved it


def market_of(title: str) -> str | None:
    """Which market a headline reports the move of (a ``KINDS`` value; "" when it does not
    say), ``MAYBE`` when it names a market otherwise, or None when it names none."""
    return market_in(words(title))


def market_in(toks: Sequence[str]) -> str | None:
    """``market_of`` for a headline already split into words (``text.words``)."""
    lows = [_low(w) for w in toks]
    if tuple(lows[:2]) in IDIOMS:
        return ""
    kinds = [KINDS.get(low) for low in lows]
    for i in range(1, len(lows)):
        if lows[i] == "street" and _wall_street(lows, i):
            kinds[i] = "stocks"
    for i, kind in enumerate(kinds[:LEAD]):
        if kind is not None and any(lows[j] in ALL_MOVES or _by_figure(lows, j)
                                    for j in range(i + 1, min(i + 2 + MERGE_GAP, len(lows)))):
            return kind
    return MAYBE if any(k is not None for k in kinds) else None
