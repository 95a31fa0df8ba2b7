"""One story told in two languages: a wire's French and English items, one outlet's Spanish
telling and another's English, become one story; different events do not."""

from __future__ import annotations

import datetime as dt

import pytest

from digest.compose import compose_edition, markets, vectors
from digest.compose.language import bodies, detect, found_names, names_of, same_name
from digest.compose.text import fold, words
from digest.config import EditionConfig
from digest.types import Edition, Entry, Feed
from tests.test_topicmodel import NOW, told

WIRE = Feed("https://wire.example/rss", "Wire", "Wire")
PAPER = Feed("https://paper.example/rss", "Paper", "Paper")

BOLIVIA_EN = ("Explosion at Bolivian army base kills two, 14 missing, ministry says",
              "An explosion at a military barracks in Bolivia killed two soldiers and left "
              "fourteen missing, the defence ministry said on Friday.")
BOLIVIA_FR = ("Bolivie: une explosion dans une caserne fait deux morts et des disparus",
              "Une explosion dans une caserne militaire en Bolivie a fait deux morts et "
              "quatorze disparus, a indiqué vendredi le ministère de la Défense.")
SANCTIONS_ES = ("Irán dice que las nuevas sanciones de Estados Unidos fracasarán",
                "El ministro de Exteriores de Irán afirmó el sábado que las sanciones "
                "anunciadas por Washington no cambiarán la política de Teherán.")
SANCTIONS_EN = ("Iran says new US sanctions will fail",
                "Iran's foreign minister said on Saturday that sanctions announced by "
                "Washington would not change Tehran's policy.")
# Made-up tellings of other events, as alike in meaning as a translation.
KABUL = ("Bomb attack kills five in Kabul market",
         "A bomb exploded in a crowded market in Kabul, killing five people, police said.")
BAGHDAD_FR = ("Un attentat à la bombe fait cinq morts sur un marché de Bagdad",
              "Une bombe a explosé sur un marché bondé de Bagdad, faisant cinq morts, selon "
              "la police.")
OTHER_NEWS = [
    ("Central bank holds interest rates steady", "The bank kept its main rate unchanged."),
    ("Heatwave grips southern Europe", "Temperatures passed 40C in Spain and Italy."),
    ("Tech giant unveils new phone", "The device goes on sale next month."),
]


def edition_of(entries: list[Entry], **cfg: object) -> Edition:
    config = EditionConfig(**{"group_by": "region", **cfg})  # type: ignore[arg-type]
    return compose_edition(entries, [WIRE, PAPER], config, newsletter="N", date=NOW.date(),
                           now=NOW, window_start=NOW - dt.timedelta(days=1), window_end=NOW)


def test_the_language_is_read_from_the_small_words() -> None:
    assert detect(words(" ".join(BOLIVIA_EN))) == "en"
    assert detect(words(" ".join(BOLIVIA_FR))) == "fr"
    assert detect(words(" ".join(SANCTIONS_ES))) == "es"
    assert detect(words("Lula veta projeto de lei sobre a previdência dos servidores")) == "pt"
    assert detect(words("Merkel trifft Macron in Berlin und spricht über die Ukraine")) == "de"
    # words Spanish shares with Portuguese ("a", "de", "que", "se") count as a share of each:
    # the ones only Spanish has ("el", "los", "las", "y") decide
    assert detect(words(
        "EEUU reclamará a Europa el pago retroactivo de la ayuda a Ucrania: Trump. El "
        "presidente dijo el jueves que pedirá a los países europeos que reembolsen a Estados "
        "Unidos la ayuda militar y las municiones enviadas previamente a Ucrania")) == "es"
    assert detect(words("Os países europeus que reembolsem a ajuda enviada a Ucrânia, "
                        "disse o presidente dos Estados Unidos")) == "pt"
    # too few small words to tell: unknown, and nothing is assumed
    assert detect(words("Lula vetoes bill")) is None
    assert detect(words("")) is None
    # small words inside a name are not the text's ("von der Leyen", "La Paz", "De Gea")
    for english in ("Ursula von der Leyen wins a second term as head of the Commission",
                    "Evo Morales supporters block the roads in La Paz",
                    "De Gea saves a penalty as United win at home"):
        assert detect(words(english)) in ("en", None), english


def test_names_written_alike_in_two_languages_are_found() -> None:
    assert same_name("teheran", "tehran") and same_name("damas", "damascus")
    assert same_name("israel", "israelien") and same_name("kaboul", "kabul")
    assert not same_name("kabul", "bagdad") and not same_name("austria", "australia")
    assert not same_name("iran", "irak") and not same_name("12", "120")

    def share(title: str, other: str) -> float:
        return found_names(names_of(words(title)),
                           frozenset(fold(w.lower()) for w in words(other)))[0]

    # the French headline's capital first word ("Bombardement") only counts when found
    assert share("Bombardement israélien en Syrie, Damas condamne",
                 "Israel strikes Syria; Damascus condemns attack") == 1.0
    assert share("Bomb attack kills five in Kabul", "Attentat: cinq morts à Bagdad") == 0.0
    # a headline in title case: its capitals say nothing, the teaser's do
    assert names_of(words("US Envoys Arrive In Moscow"),
                    words("American envoys arrived in Moscow on Friday.")) == (None, ["moscow"])


def test_international_bodies_are_one_name_in_every_language() -> None:
    assert [k for _, _, k in bodies(words("ONU e Cruz Vermelha pedem regras urgentes"))] \
        == ["#un", "#red-cross"]
    assert [k for _, _, k in bodies(words("Le Conseil de sécurité de l'ONU condamne"))] \
        == ["#security-council", "#un"]
    assert [k for _, _, k in bodies(words("UN and Red Cross call for rules"))] \
        == ["#un", "#red-cross"]
    # an acronym in capitals only: "un" is a French article, "who" an English pronoun
    assert bodies(words("un homme arrêté, who says")) == []
    un_en = told(PAPER, "UN and Red Cross call for urgent rules on autonomous weapons",
                 "The United Nations and the Red Cross urged states to agree rules on "
                 "weapons that choose targets without human control.", 2)
    un_pt = told(WIRE, "ONU e Cruz Vermelha pedem regras urgentes sobre armas autônomas",
                 "As Nações Unidas e a Cruz Vermelha pediram aos países regras para armas que "
                 "escolhem alvos sem controle humano.", 1)
    edition = edition_of([un_en, un_pt, *(told(WIRE, t, s, 5) for t, s in OTHER_NEWS)])
    assert len(edition.stories) == len(OTHER_NEWS) + 1


def test_one_event_told_in_two_languages_becomes_one_story() -> None:
    other = [told(WIRE, t, s, 5) for t, s in OTHER_NEWS]
    en, fr = told(WIRE, *BOLIVIA_EN, 2), told(WIRE, *BOLIVIA_FR, 1)
    es, en2 = told(WIRE, *SANCTIONS_ES, 3), told(PAPER, *SANCTIONS_EN, 2)
    edition = edition_of([en, fr, es, en2, *other])
    titles = sorted(s.title for s in edition.stories)
    assert len(edition.stories) == len(OTHER_NEWS) + 2, titles
    (bolivia,) = [s for s in edition.stories if "Bolivi" in s.title]
    assert [s.region for s in (bolivia,)] == ["Americas"]
    assert any("joined by alike meaning and names in two languages" in r
               for r in bolivia.reasons), bolivia.reasons
    (iran,) = [s for s in edition.stories if "Ir" in s.title[:4]]
    assert len(iran.also) == 1  # told by the wire and the paper
    # without the text model the two languages stay apart
    apart = edition_of([en, fr, es, en2, *other], text_model=False)
    assert len(apart.stories) == len(OTHER_NEWS) + 4


# Made-up tellings of two different events in two languages, as alike in meaning as a
# translation: another town of the same country, another country, another toll.
APART = [
    (KABUL, BAGHDAD_FR),
    (KABUL, ("Un attentat à la bombe fait cinq morts sur un marché de Kandahar",
             "Une bombe a explosé sur un marché bondé de Kandahar, faisant cinq morts, selon "
             "la police.")),
    (("Macron visits Morocco, signs energy deals",
      "French President Emmanuel Macron signed energy and rail deals on a state visit to "
      "Morocco."),
     ("Macron en visite en Algérie, signe des accords énergétiques",
      "Le président Emmanuel Macron a signé des accords dans l'énergie lors d'une visite "
      "d'État en Algérie.")),
    (("Niger junta expels French ambassador",
      "Niger's military rulers ordered the French ambassador to leave the country within 48 "
      "hours."),
     ("Le Nigeria expulse l'ambassadeur de France",
      "Les autorités du Nigeria ont ordonné à l'ambassadeur de France de quitter le pays sous "
      "48 heures.")),
    (("Fire at Bangladesh garment factory kills 20",
      "A fire tore through a garment factory near Dhaka, killing 20 workers, officials said."),
     ("Incendio en una fábrica textil de Pakistán deja 20 muertos",
      "Un incendio arrasó una fábrica textil cerca de Karachi y dejó 20 trabajadores muertos, "
      "según las autoridades.")),
]


def test_alike_meaning_with_other_places_stays_apart() -> None:
    for one, other in APART:
        a, b = told(PAPER, *one, 2), told(WIRE, *other, 1)
        edition = edition_of([a, b, *(told(WIRE, t, s, 5) for t, s in OTHER_NEWS)])
        assert len(edition.stories) == len(OTHER_NEWS) + 2, (one[0], other[0])
    kabul, baghdad = (vectors.decode(told(PAPER, *t, 1).vector) for t in APART[0])
    assert kabul is not None and baghdad is not None
    assert float(kabul @ baghdad) > 0.86  # the vectors alone would join them


# One central banker's remarks, and the markets they moved, told in three languages
WALLER_EN = ("Fed's Waller says he could back holding rates steady if inflation cools",
             "Federal Reserve Governor Christopher Waller said on Thursday he could support "
             "keeping interest rates unchanged this month if data confirm price pressures "
             "are easing.")
WALLER_ES = ("Waller, de la Fed, dice que podría apoyar mantener las tasas si se enfría la "
             "inflación",
             "El gobernador de la Reserva Federal Christopher Waller dijo el jueves que podría "
             "apoyar mantener las tasas de interés sin cambios este mes si los datos confirman "
             "que las presiones sobre los precios se moderan.")
STOCKS_ES = ("Wall Street sube después de que Waller de la Fed dice que podría apoyar "
             "mantener las tasas",
             "Los principales índices de Wall Street abrieron al alza el jueves, después de "
             "que el gobernador de la Reserva Federal Christopher Waller dijera que podría "
             "apoyar mantener las tasas de interés sin cambios este mes.")
STOCKS_PT = ("Índices de Wall Street sobem após Waller, do Fed, dizer que pode apoiar "
             "manutenção dos juros",
             "Os principais índices de Wall Street operavam em alta nesta quinta-feira depois "
             "que o diretor do Federal Reserve Christopher Waller afirmou que pode apoiar a "
             "manutenção da taxa de juros neste mês.")
BONDS_ES = ("Rendimiento de bonos del Tesoro cae tras comentarios de Waller de la Fed",
            "El rendimiento de los bonos del Tesoro estadounidense caía el jueves tras "
            "comentarios del gobernador de la Reserva Federal Christopher Waller, que dijo "
            "que podría apoyar mantener las tasas de interés sin cambios este mes.")


def test_a_market_report_stays_apart_from_the_remarks_that_moved_it() -> None:
    other = [told(WIRE, t, s, 5) for t, s in OTHER_NEWS]
    told_ = [told(WIRE, *WALLER_EN, 4), told(WIRE, *WALLER_ES, 3.5), told(WIRE, *STOCKS_ES, 3),
             told(WIRE, *STOCKS_PT, 2.9), told(WIRE, *BONDS_ES, 2.5)]
    edition = edition_of([*told_, *other])
    told_of = {s.title[:12]: next((r for r in s.reasons if r.startswith("same story")), "")
               for s in edition.stories}
    assert len(edition.stories) == len(OTHER_NEWS) + 3, sorted(told_of)
    # the remarks in two languages, one market's session in two, the bonds' on their own
    assert told_of["Waller, de l"].startswith("same story: 2 items"), told_of
    assert told_of["Wall Street "].startswith("same story: 2 items"), told_of
    assert told_of["Rendimiento "] == "", told_of


@pytest.mark.parametrize(("title", "market"), [
    ("Stocks fall as US-Iran turmoil keeps oil elevated", "stocks"),
    ("Wall Street abre al alza tras datos de empleo", "stocks"),
    ("Ibovespa fecha em alta com Petrobras", "stocks"),
    ("In rialzo dopo dichiarazioni Waller su mantenimento tassi Fed", ""),
    ("Rendimiento de bonos EEUU cae tras comentarios de Waller", "bonds"),
    ("Monedas suben por debilidad del dólar", "currencies"),
    ("Le pétrole recule après l'accord de cessez-le-feu", "oil"),
    ("Gold jumps 2% as Waller's comments cool rate hike bets", "metals"),
    # the wire's other verbs of a move
    ("Dollar weakens after Treasury boosts long-dated bond repurchases", "currencies"),
    ("Rupee firms as exporters sell dollars", "currencies"),
    ("Yields ease after US Treasury doubles some bond buybacks", "bonds"),
    ("Gold hovers near record as traders await Fed", "metals"),
    ("Oil prices up 1%, near 3-week high as Middle East crisis escalates", "oil"),
    ("Stocks down 2.5% as Fed signals more hikes", "stocks"),
    # a market named, but not opening on its move: a report of it, or of what moved it
    ("Wall Street juggernaut rolls on, setting up the ASX for gains", markets.MAYBE),
    ("Tech selloff weighs down Wall Street as bond yields climb", markets.MAYBE),
    ("REUTERS NEXT Diretor do Fed Waller diz que prêmio de Treasuries caiu", markets.MAYBE),
    # no market named: no market report
    ("Fed's Waller channels his inner John Lennon", None),
    ("Bird flu cases rise in Cambodia", None),
    ("Tensions ease as leaders meet in Geneva", None),
    ("Oil workers down tools over pay", markets.MAYBE),  # "down" before no figure
])
def test_which_market_a_headline_reports(title: str, market: str | None) -> None:
    assert markets.market_of(title) == market


def test_a_town_meets_its_country_named_alone_in_the_other_language() -> None:
    # "Oslo" in French, "Norway" in English; "Moscou" is not in the French, but Russia is
    other = [told(WIRE, t, s, 5) for t, s in OTHER_NEWS]
    fr = told(WIRE, "Oslo saisit un navire russe invoquant une créance de l'Ukraine",
              "La Norvège a saisi un navire marchand russe dans le port de Kirkenes pour "
              "recouvrer une créance de l'entreprise ukrainienne Naftogaz, a indiqué la police.",
              3)
    en = told(WIRE, "Norway seizes Russian ship, sparking anger in Moscow, to collect "
              "Ukrainian debt",
              "Norway seized a Russian cargo ship in the port of Kirkenes to recover a debt "
              "owed to Ukraine's Naftogaz, police said, drawing an angry response from Moscow.",
              2)
    edition = edition_of([fr, en, *other])
    assert len(edition.stories) == len(OTHER_NEWS) + 1, [s.title for s in edition.stories]
    # two towns of one country are still two events (Kabul, Kandahar: see APART)


TANKERS_EN = ("Iran threatens 45 tankers with fines in Hormuz standoff",
              "Iran said on Sunday it had blacklisted 45 oil tankers that it accuses of breaking "
              "its rules in the Strait of Hormuz, threatening fines and seizure.")
TANKERS_PT = ("Irã ameaça {n} petroleiros com multas em impasse no Estreito de Ormuz",
              "O Irã disse no domingo que colocou {n} petroleiros em uma lista negra, acusando-os "
              "de violar suas regras no Estreito de Ormuz, e ameaçou multas e apreensão.")


def test_a_shared_figure_lets_less_alike_tellings_meet() -> None:
    # vectors just under 0.86: the same figure in both headlines is the evidence that counts
    other = [told(WIRE, t, s, 5) for t, s in OTHER_NEWS]
    en = told(WIRE, *TANKERS_EN, 3)
    same = told(WIRE, *(x.format(n=45) for x in TANKERS_PT), 2)
    assert len(edition_of([en, same, *other]).stories) == len(OTHER_NEWS) + 1
    # another figure: another event
    other_figure = told(WIRE, *(x.format(n=30) for x in TANKERS_PT), 2)
    assert len(edition_of([en, other_figure, *other]).stories) == len(OTHER_NEWS) + 2


# German capitalises every noun: its headlines' capitals are not names, and "Buschs" is
# Busch's; French often writes "Etats-Unis" without the capital's accent.
GERMAN_PAIRS = [
    (("Pfiffe für Siemens-Chef Buschs Sparplan bei Betriebsversammlung",
      "Siemens-Chef Roland Busch ist mit seinem Sparplan bei den Beschäftigten auf lauten "
      "Protest gestoßen. Tausende pfiffen ihn bei einer Betriebsversammlung in Erlangen aus."),
     ("Siemens CEO Busch booed by workers over cost-cutting plan",
      "Siemens chief executive Roland Busch faced loud protest from thousands of employees "
      "who booed his savings plan at a works meeting in Erlangen.")),
    (("Les Etats-Unis imposent des droits de douane de 50% sur l'acier canadien",
      "Washington a imposé mardi des droits de douane de 50% sur l'acier du Canada après "
      "l'échec des négociations commerciales, et Ottawa promet de riposter."),
     ("US imposes 50% tariffs on Canadian steel after talks fail",
      "Washington imposed 50% tariffs on steel from Canada on Tuesday after trade talks "
      "collapsed, and Ottawa vowed to retaliate.")),
]


def test_a_german_telling_and_an_unaccented_capital_meet_their_translation() -> None:
    other = [told(WIRE, t, s, 5) for t, s in OTHER_NEWS]
    for one, two in GERMAN_PAIRS:
        edition = edition_of([told(WIRE, *one, 2), told(WIRE, *two, 1), *other])
        assert len(edition.stories) == len(OTHER_NEWS) + 1, [s.title for s in edition.stories]
    (us,) = [s for s in edition.stories if "Etats" in s.title or "US" in s.title]
    assert us.region == "Americas" and "US" in us.countries


def test_a_german_telling_that_leaves_out_the_other_s_town_stays_apart() -> None:
    # "Bombenanschlag" begins like "bomb" and "Markt" like "market": the towns tell them apart
    other = [told(WIRE, t, s, 5) for t, s in OTHER_NEWS]
    baghdad = ("Bombenanschlag tötet fünf Menschen auf Markt in Bagdad",
               "Eine Bombe ist auf einem belebten Markt in Bagdad explodiert und hat fünf "
               "Menschen getötet, teilte die Polizei mit.")
    edition = edition_of([told(PAPER, *KABUL, 2), told(WIRE, *baghdad, 1), *other])
    assert len(edition.stories) == len(OTHER_NEWS) + 2
    # another company's chief booed: two events, however alike the words
    kamieth = ("Pfiffe für BASF-Chef Kamieths Sparplan bei Betriebsversammlung",
               "BASF-Chef Markus Kamieth ist mit seinem Sparplan bei den Beschäftigten auf "
               "lauten Protest gestoßen. Tausende pfiffen ihn bei einer Betriebsversammlung "
               "in Ludwigshafen aus.")
    edition = edition_of([told(PAPER, *GERMAN_PAIRS[0][1], 2), told(WIRE, *kamieth, 1), *other])
    assert len(edition.stories) == len(OTHER_NEWS) + 2


def test_a_german_noun_is_not_the_english_word_it_begins_like() -> None:
    # "Präsident" spelt close to "President", "Markt" begins like "market": no names
    other = [told(WIRE, t, s, 5) for t, s in OTHER_NEWS]
    de = ("Präsident entlässt Regierung nach tagelangen Unruhen",
          "Der Präsident hat nach tagelangen Unruhen in Lima die gesamte Regierung entlassen.")
    en = ("President sacks government after days of unrest",
          "The president dismissed the whole government after days of unrest in Nairobi.")
    edition = edition_of([told(PAPER, *en, 2), told(WIRE, *de, 1), *other])
    assert len(edition.stories) == len(OTHER_NEWS) + 2
