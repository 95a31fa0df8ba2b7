"""Towns from GeoNames, ambiguous names, the pandemic as a backdrop, shared rare names."""

from __future__ import annotations

import datetime as dt

import pytest

from digest.compose import compose_edition
from digest.compose.classify import classify_topic, country_regions, place
from digest.compose.places import city_index
from digest.config import EditionConfig
from digest.types import Feed, Story
from tests.test_compose import AJ, BBC, NOW, NYT, build, entry

REGIONS = country_regions({})


def alone(feed: Feed, title: str, url: str) -> Story:
    """The one story of an edition of one entry of ``feed`` that names no place."""
    e = entry(feed, title, "She spoke on a podcast.", url=url)
    edition = compose_edition([e], [feed], EditionConfig(group_by="region"), newsletter="N",
                              date=NOW.date(), now=NOW,
                              window_start=NOW - dt.timedelta(days=1), window_end=NOW)
    return edition.stories[0]


def where(title: str, teaser: str = "", url: str | None = None) -> tuple[str, tuple[str, ...]]:
    placed = place(title, teaser, (), url, REGIONS)
    return placed.region, placed.countries


def test_a_town_the_hand_gazetteer_lacks_places_a_local_story() -> None:
    assert "bacolod" in city_index()  # GeoNames' "Bacolod City", without "City"
    region, countries = where("Market fire destroys 40 stalls",
                              "Firefighters in Bacolod fought the blaze for three hours.")
    assert region == "Asia" and countries == ("PH",)


@pytest.mark.parametrize("title", [
    "George and Reading win the spelling bee",   # a first name and a word, not towns
    "Mobile phones banned in exam halls",
    "Maria Bacolod wins the regional chess title",  # next to a capitalised word: a name
])
def test_words_and_names_that_are_also_towns_place_nothing(title: str) -> None:
    assert where(title)[0] == "World"


def test_a_country_the_story_names_wins_over_a_town_elsewhere() -> None:
    region, countries = where("France strike halts trains", "Unions met in Bacolod hall.")
    assert region == "Europe" and "PH" not in countries


def test_georgia_is_the_us_state_beside_atlanta_and_the_country_beside_tbilisi() -> None:
    assert where("Georgia voters queue for hours", "Atlanta polls stayed open late.") == (
        "Americas", ("US",))
    assert where("Georgia protests grow", "Crowds filled Tbilisi's main avenue.")[0] == "Europe"
    assert where("Georgia protests grow")[0] == "Europe"


def test_anc_counts_for_south_africa_only_beside_south_african_places() -> None:
    assert where("ANC interview with the health secretary")[0] == "World"
    assert where("ANC picks new leader", "Delegates met in Johannesburg.")[0] == "Africa"


def test_a_name_particle_makes_a_person_not_a_capital() -> None:
    assert "PE" not in where("Senator De Lima files bill")[1]


def test_a_global_body_is_not_the_outlet_s_home_news() -> None:
    region, _ = where("WHO clarifies remarks on the virus", "",
                      "https://news.example.co.nz/local/article-9")
    assert region == "World"


def test_the_pandemic_is_a_backdrop_the_story_s_subject_wins() -> None:
    assert classify_topic("Airline cuts 3,000 jobs as pandemic hits tourism",
                          "The coronavirus lockdown emptied planes.", (), None, ()).topic \
        == "Business"
    assert classify_topic("Hospitals fill as coronavirus cases rise", "", (), None, ()).topic \
        == "Health"


def test_league_of_an_association_is_not_sport() -> None:
    assert classify_topic("League of Mayors offers free buses", "", (), None, ()).topic \
        != "Sports"


RULING = [
    entry(BBC, "Quillon Varga freed after Marrowby court ruling",
          "A judge in Marrowby ordered the release of activist Quillon Varga, held since "
          "March by the Dresh ministry.", hours_ago=3),
    entry(NYT, "Dresh ministry must let the activist go, judge rules",
          "Quillon Varga will walk free, a Marrowby tribunal decided.", hours_ago=1),
]


def test_two_outlets_sharing_rare_names_tell_one_story(monkeypatch: pytest.MonkeyPatch) -> None:
    (story,) = build(RULING).stories
    assert "same story: 2 items from 2 outlet(s), joined by shared rare names" in story.reasons
    import importlib

    monkeypatch.setattr(importlib.import_module("digest.compose.cluster"), "ENTITY_MIN", 0)
    assert len(build(RULING).stories) == 2  # the wording alone is not alike enough


def test_one_shared_name_does_not_merge_two_events() -> None:
    stories = build([
        entry(AJ, "Quillon Varga opens a school", "The activist cut the ribbon.", hours_ago=3),
        entry(NYT, "Floods close roads in the north", "Quillon Varga's town was cut off.",
              hours_ago=1),
    ]).stories
    assert len(stories) == 2


# ------------------------------------------------- surnames that other people share


def test_a_shared_surname_alone_names_no_country() -> None:
    # the athlete, not Germany's defence minister
    assert where("Sprinter Oscar Pistorius loses his appeal")[0] == "World"
    assert where("Film legend Omar Sharif remembered")[0] == "World"


def test_a_shared_surname_after_an_office_word_names_the_leaders_country() -> None:
    assert where("Defence Minister Pistorius visits the troops") == ("Germany", ("DE",))
    assert where("President Marcos signs the budget")[1] == ("PH",)
    assert where("PM Sharif meets business leaders")[1] == ("PK",)


def test_a_shared_surname_counts_beside_the_full_name_elsewhere_in_the_story() -> None:
    region, countries = where("Morrison urges leaders to open borders",
                              "Scott Morrison said the states should reopen in July.")
    assert region == "Oceania" and countries == ("AU",)


# ------------------------------------------------------- weak words pulling the topic away


@pytest.mark.parametrize(
    ("title", "teaser", "want"),
    [
        # a cup of tea is no sport; the named cups are
        ("A nice cup of tea and what is in it", "", "Politics"),
        ("Rovers reach the FA Cup final", "", "Sports"),
        # workers, property and billions are not business by themselves
        ("Migrant workers tell of long days in the dorms", "", "Politics"),
        ("Black holes: a cosmic signal after 7 billion years", "", "Science & Technology"),
        # a crime story that names a film or a museum stays news
        ("Film hero's arrest denied", "Officials deny knowing of the film hero's arrest.",
         "Politics"),
        ("Thieves steal gold from a museum", "", "Politics"),
        # a trade war is business
        ("Shares slide as the trade war widens", "", "Business"),
    ],
)
def test_weak_topic_words(title: str, teaser: str, want: str) -> None:
    assert classify_topic(title, teaser, (), None, ()).topic == want


def test_crime_and_violence_words_keep_a_story_in_the_news() -> None:
    # hand-written: a health or business word alone does not carry a crime story away
    assert classify_topic("Three officers injured at a prison", "Medical staff helped.", (),
                          None, ()).topic == "Politics"
    assert classify_topic("Immigration limits planned, citing the pandemic", "", (), None,
                          ()).topic == "Politics"


def test_hyphenated_list_words_match_the_text_as_it_is_split() -> None:
    # "C-section" is read as two words; the list's "c-section" must be too
    assert classify_topic("C-section guilt: a mother's story", "", (), None, ()).topic == "Health"
    got = classify_topic("Shares rise amid Covid-19", "", (), None, ())
    assert got.topic == "Business"  # the pandemic stays a backdrop when hyphenated too


def test_a_local_desk_category_places_a_story_that_names_no_place() -> None:
    url = "https://www.thehindu.com/news/man-found-hanging/article1.ece"
    placed = place("Man found hanging", "The body was found on Monday.", ("Kochi",), url, REGIONS)
    assert (placed.region, placed.countries) == ("Asia", ("IN",))
    assert placed.reasons[0].startswith("region Asia: filed under 'Kochi' (its only feed")
    # Several categories tag subjects and incidental places: not a desk.
    tagged = place("Melting glaciers fill unstable lakes", "Satellites show the change.",
                   ("Glaciers", "Nepal"), None, REGIONS)
    assert tagged.region == "World"
    # "National" is a section name, not the US town National City.
    assert place("Mamata assails cut in quota", "", ("National",), None, REGIONS).countries == ()


def test_a_local_desk_files_what_happens_there_whatever_else_the_story_names() -> None:
    url = "https://www.thehindu.com/news/cities/chennai/russian-award/article2.ece"
    award = place("Russian award for nuclear plant director",
                  "The director received the honour from Russia's ambassador.",
                  ("Tamil Nadu",), url, REGIONS)
    assert (award.region, award.countries[0], award.kicker) == ("Asia", "IN", "India")
    assert "RU" in award.countries  # the other country is still listed
    assert "a local desk) → IN" in award.reasons[0]
    # a foreign city as the one category tags a subject ("Davos", "Wuhan"): not a desk
    hindu = "https://www.thehindu.com/business/modi-at-davos/article3.ece"
    davos = place("Modi tells world leaders India is open for business", "", ("Davos",),
                  hindu, REGIONS)
    assert (davos.region, davos.countries[0]) == ("Asia", "IN")
    wuhan = place("Italy locks down north as coronavirus spreads", "", ("Wuhan",),
                  "https://news.example/world/italy-lockdown", REGIONS)
    assert wuhan.region == "Europe"
    # a country as the one category tags a subject, not a desk: the title decides
    tagged = place("Russian troops mass near the border", "Satellite images show tanks.",
                   ("Nepal",), None, REGIONS)
    assert tagged.region == "Europe"
    # with several categories there is no desk either
    several = place("Russian troops mass near the border", "", ("Mumbai", "World"), None,
                    REGIONS)
    assert several.region == "Europe"
    # "International" is a desk of no country (not the Dubai district of that name)
    abroad = place("Scientists find a new frog", "It lives in cloud forests.",
                   ("International",), None, REGIONS)
    assert (abroad.region, abroad.countries) == ("World", ())


def test_congress_beside_indian_places_is_india() -> None:
    indian = place("Congress demands disqualification of 21 AAP MLAs", "", ("Delhi",), None,
                   REGIONS)
    assert (indian.region, indian.countries[0]) == ("Asia", "IN")
    assert where("Congress passes the spending bill", "The Senate votes next.")[0] == "Americas"


def test_a_study_is_world_unless_the_headline_names_a_place() -> None:
    region, countries = where("Study finds a small glass of wine a day shortens life",
                              "Researchers in Bristol followed 5,000 people for ten years.")
    assert region == "World" and countries == ("GB",)
    assert where("Bristol study finds wine shortens life", "Researchers followed 5,000 "
                 "people.")[0] == "Europe"


def test_an_outlet_with_global_desks_gets_no_home_country() -> None:
    daily = "https://www.dailymail.co.uk/news/article-1/Star-admits-feud.html"
    assert where("Star admits feud with co-host", "She spoke on a podcast.", daily) == (
        "World", ())
    local = "https://www.nzherald.co.nz/nz/news/article.cfm?c_id=1&objectid=1"
    assert where("Star admits feud with co-host", "She spoke on a podcast.", local) == (
        "Oceania", ("NZ",))
    # DW under its earlier .de domain is the same international broadcaster, not German news
    dw = "http://www.dw.de/小酌有益健康/a-18316000?maca=chi-rss-chi-all-1127-rdf"
    assert where("Seven myths about drinking", "What science says.", dw) == ("World", ())


def test_known_outlets_and_country_domains_give_the_home_country() -> None:
    # an international broadcaster or agency on a generic domain has no home
    for link in ("https://www.france24.com/en/culture/20260601-star-admits-feud",
                 "https://apnews.com/article/star-admits-feud-1a2b"):
        assert where("Star admits feud with co-host", "She spoke on a podcast.", link) == (
            "World", ())
    # a national outlet on a generic domain, or on its country's domain
    for link, region, code in (
            ("https://www.timesofisrael.com/star-admits-feud/", "Middle East", "IL"),
            ("https://www.scmp.com/news/article/1/star-admits-feud", "Asia", "HK"),
            ("https://www.cbc.ca/news/canada/star-admits-feud-1.2", "Americas", "CA"),
            ("https://www.ynet.co.il/news/article/abc", "Middle East", "IL")):
        assert where("Star admits feud with co-host", "She spoke on a podcast.", link) == (
            region, (code,))


def test_a_feed_says_its_home_country_or_that_it_has_none() -> None:
    local = Feed("https://herald.example/rss", "Herald", "Herald", country="NZ")
    world = Feed("https://world.example/rss", "World", "World", country="")
    guessed = Feed("https://www.smh.com.au/rss", "SMH", "SMH")
    stories = {feed.name: alone(feed, f"Star admits feud with co-host ({feed.name})",
                                f"{feed.url.removesuffix('/rss')}/news/star-admits-feud")
               for feed in (local, world, guessed)}
    assert (stories["Herald"].region, stories["Herald"].countries) == ("Oceania", ("NZ",))
    assert "(feeds.country → NZ)" in stories["Herald"].reasons[0]
    assert stories["World"].region == "World"
    assert (stories["SMH"].region, stories["SMH"].countries) == ("Oceania", ("AU",))


def test_where_researchers_work_is_not_where_the_story_happens() -> None:
    # a study told through its authors' university or institute: no place of the story
    assert where("Comets may carry more water than thought",
                 "Scientists at the University of Leeds modelled the ice of 40 comets.")[0] \
        == "World"
    assert where("Toddlers sleep less with screens at bedtime",
                 "A survey by the Family Research Institute in Brisbane asked 900 parents.")[0] \
        == "World"
    # the place named elsewhere still counts
    region, countries = where("Kenya trials a malaria vaccine for infants",
                              "Doctors from the University of Oxford run the trial.")
    assert region == "Africa" and countries == ("KE",)


def test_a_capital_that_is_also_a_first_name_before_a_surname_is_a_person() -> None:
    assert where("Singer's protest song about the factory leak goes viral",
                 "Musician Sofia Okafor released the video on Monday.")[0] == "World"
    # ... but the city itself, or the city's airport, is the place
    assert where("Snow closes Sofia airport for a day")[1] == ("BG",)
    assert where("Protest in Sofia against the budget")[1] == ("BG",)


@pytest.mark.parametrize(("title", "teaser", "country"), [
    ("Cake recipe wins the village fete", "A baker from Kingston upon Hull took first prize.",
     "GB"),
    ("Witness recalls the night before the disappearance",
     "He said he had a job to do in Praia da Luz that evening.", "PT"),
    ("Sewage spill closes beaches in Laguna Beach", "Orange County officials shut the shore.",
     "US"),
])
def test_longer_place_names_win_over_their_first_word(title: str, teaser: str,
                                                      country: str) -> None:
    assert where(title, teaser)[1][:1] == (country,)


def test_a_planet_is_not_a_florida_town() -> None:
    assert where("Jupiter-like planet found orbiting two stars")[0] == "World"


# ---------------------------------------------- an editor's own names (edition.places)


def test_an_editor_names_places_the_gazetteer_lacks() -> None:
    from digest.compose.classify import extra_places

    title, teaser = "Trees to be felled for the Kidwai Nagar flyover", "Residents object."
    assert place(title, teaser, (), None, REGIONS, "").region == "World"
    extra = extra_places({"in": ("Kidwai Nagar",)}, ())
    placed = place(title, teaser, (), None, REGIONS, "", extra)
    assert (placed.region, placed.countries, placed.kicker) == ("Asia", ("IN",), "India")
    assert "'Kidwai Nagar' (title) → IN (edition.places)" in placed.reasons[0]


def test_an_editor_says_a_name_is_no_place() -> None:
    from digest.compose.classify import extra_places

    title = "Chad Okoro scores twice as the visitors win"
    assert place(title, "", (), None, REGIONS, "").countries == ()  # the guard already
    title = "Singer Mali Okafor tops the charts in Nairobi"
    assert "ML" in place(title, "", (), None, REGIONS, "").countries
    extra = extra_places({}, ("Mali Okafor",))
    placed = place(title, "", (), None, REGIONS, "", extra)
    assert placed.countries == ("KE",) and placed.region == "Africa"


def test_the_edition_reads_edition_places_and_the_json_says_why() -> None:
    story = entry(AJ, "Flyover plan for Kidwai Nagar draws protest",
                  "Residents say 90 trees would go.", hours_ago=2)
    plain = build([story]).stories[0]
    assert plain.region != "Asia"
    configured = build([story], places={"IN": ("Kidwai Nagar",)}).stories[0]
    assert configured.region == "Asia" and configured.kicker == "India"
    assert any("(edition.places)" in r for r in configured.reasons)


@pytest.mark.parametrize(("edition", "message"), [
    ({"places": {"XX": ["Somewhere"]}}, "edition.places.XX: unknown country code 'XX'"),
    ({"places": {"IN": ["  "]}}, "edition.places.IN: expected a place name"),
    ({"places": {"IN": "Kidwai"}}, "edition.places: expected a table of lists of strings"),
    ({"not_places": ["-"]}, "edition.not_places: expected a name"),
])
def test_bad_edition_places_are_config_errors(edition: dict[str, object], message: str) -> None:
    from digest.config import parse_config
    from digest.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        parse_config({"edition": edition}, env={})
    assert str(err.value).startswith(message)


def test_edition_places_from_config_toml() -> None:
    from digest.config import parse_config

    cfg = parse_config({"edition": {"places": {"in": ["Kidwai Nagar"]},
                                    "not_places": ["Sofia Ashraf"]}}, env={})
    assert cfg.edition.places == {"in": ("Kidwai Nagar",)}
    assert cfg.edition.not_places == ("Sofia Ashraf",)


@pytest.mark.parametrize(("url", "country"), [
    ("https://news.example.in/news/cities/mumbai/civic/more-buses-for-the-suburbs/a1.ece", "IN"),
    ("https://news.example.in/news/national/karnataka/more-buses-for-the-suburbs/a2.ece", "IN"),
    ("https://paper.example.com/kenya/more-buses-for-the-suburbs", "KE"),
])
def test_a_local_desk_in_the_link_places_a_story_that_names_no_place(url: str,
                                                                      country: str) -> None:
    placed = place("More buses for the suburbs", "The council approved 40 new routes.", (),
                   url, REGIONS, "")
    assert placed.countries[:1] == (country,)


@pytest.mark.parametrize("url", [
    "https://paper.example.com/georgia/more-buses-for-the-suburbs",  # state or country
    "https://paper.example.com/british/more-buses-for-the-suburbs",  # a demonym
    "https://paper.example.com/news/more-buses-for-the-suburbs",
])
def test_folders_that_are_no_clear_place_do_not_place_a_story(url: str) -> None:
    placed = place("More buses for the suburbs", "The council approved 40 new routes.", (),
                   url, REGIONS, "")
    assert placed.region == "World"


def test_a_persons_nationality_weighs_less_than_the_place_where_it_happens() -> None:
    region, countries = where("Russian tourist detained after brawl in Goa",
                              "Police in Goa said the man was held overnight.")
    assert region == "Asia" and countries[0] == "IN"
    region, countries = where("Chinese dissident artist's show cancelled",
                              "A gallery in Perth called off the exhibition.")
    assert region == "Oceania" and countries[0] == "AU"
    # ... and is the place when nothing else is named
    assert where("Palestinian activist recounts arrest")[0] == "Middle East"


@pytest.mark.parametrize(("title", "country"), [
    ("Sensex closes at a record high", "IN"), ("FTSE 100 slips as miners fall", "GB"),
    ("Nikkei rebounds after three days of losses", "JP"), ("ASX set to open higher", "AU"),
    # as other languages and house styles write them
    ("Ibovespa fecha em alta com commodities", "BR"), ("Dax höher erwartet", "DE"),
])
def test_a_market_report_is_its_exchanges_country(title: str, country: str) -> None:
    assert where(title)[1] == (country,)


def test_an_acronym_written_as_a_word_is_still_the_institution() -> None:
    assert where("Nasa delays Moon landing to 2028")[1] == ("US",)
    assert where("NASA delays Moon landing to 2028")[1] == ("US",)
    assert where("Scientists say the nasa of the fish is its nose")[0] == "World"


def test_a_video_link_on_a_platform_takes_the_feeds_site_as_the_outlets_home() -> None:
    nz = Feed("https://www.1news.example.co.nz/rss", "1News", "1News")
    configured = Feed("https://video.example.com/rss", "Video", "Video", country="PH")
    plain = Feed("https://video.example.com/feed", "Plain", "Plain")
    got = {feed.name: alone(feed, f"Farmer fed up after his watch stops ({feed.name})",
                            f"https://www.youtube.com/watch?v={feed.name}")
           for feed in (nz, configured, plain)}
    assert (got["1News"].region, got["1News"].countries) == ("Oceania", ("NZ",))
    assert "(www.1news.example.co.nz → NZ)" in got["1News"].reasons[0]
    assert got["Video"].countries == ("PH",)  # feeds.country still wins
    assert "(feeds.country → PH)" in got["Video"].reasons[0]
    assert got["Plain"].region == "World"  # a .com site says nothing


@pytest.mark.parametrize("title", [
    "Your daily horoscope for Thursday", "Target and superquiz, Friday",
    "Heatwaves are getting longer, study finds",
])
def test_a_study_or_puzzle_naming_no_place_is_not_the_outlets_home_news(title: str) -> None:
    local = Feed("https://www.paper.example.com.au/rss", "Paper", "Paper")
    story = alone(local, title, "https://www.paper.example.com.au/national/page-1")
    assert story.region == "World"
    assert alone(local, "Council approves new bus lanes",
                 "https://www.paper.example.com.au/national/page-2").countries == ("AU",)


# ------------------------------------------------- guards that must not hide real places


@pytest.mark.parametrize(("title", "country"), [
    ("Floods Hit Sydney Suburbs as Storm Rolls In", "AU"),   # Title Case: capitals say nothing
    ("Protests in Sofia Against the Budget", "BG"),
    ("Storm hits Sydney Tuesday", "AU"),
    ("Sydney Morning Herald wins award", "AU"),
    ("Shooting at a university in Texas leaves two dead", "US"),  # no researchers: a place
    ("Strike at the University of Sydney enters second week", "AU"),
])
def test_the_person_and_affiliation_guards_keep_real_places(title: str, country: str) -> None:
    assert where(title)[1][:1] == (country,)


def test_nifty_is_a_word_unless_it_is_the_index() -> None:
    assert where("Nifty tricks to cut your energy bill")[0] == "World"
    assert where("Nifty 50 closes higher")[1] == ("IN",)


def test_editor_names_match_without_accents() -> None:
    from digest.compose.classify import extra_places

    extra = extra_places({"NZ": ("Māngere Hub",)}, ())
    placed = place("Queues at the Mangere Hub clinic", "", (), None, REGIONS, "", extra)
    assert placed.countries == ("NZ",)


@pytest.mark.parametrize(("edition", "message"), [
    ({"places": {"IN": ["Goa"], "PT": ["goa"]}}, "edition.places.PT: 'goa' is also listed under "
                                                  "edition.places.IN"),
    ({"places": {"IN": ["Goa"]}, "not_places": ["Goa"]},
     "edition.not_places: 'Goa' is also listed under edition.places.IN"),
    ({"places": {"NZ": ["Māngere Hub"], "AU": ["Mangere hub"]}},  # matched alike: a clash
     "edition.places.AU: 'Mangere hub' is also listed under edition.places.NZ"),
])
def test_one_name_listed_twice_is_a_config_error(edition: dict[str, object], message: str) -> None:
    from digest.config import parse_config
    from digest.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        parse_config({"edition": edition}, env={})
    assert str(err.value).startswith(message)


def test_a_flag_a_backer_or_a_maker_is_whose_not_where() -> None:
    # "Panama-flagged": the ship's flag; the strike happens in Iraqi waters
    placed = place("Drone strike hits Panama-flagged tanker in Iraqi waters",
                   "The Panama-flagged vessel was anchored off Basra.", (),
                   "https://news.example/world/drone-strike-panama-flagged-tanker-iraqi-waters",
                   REGIONS)
    assert (placed.region, placed.countries[0]) == ("Middle East", "IQ")
    assert "'Panama' (title) → PA (whose, not where)" in placed.reasons[0]
    assert where("Russian-made drones hit Kyiv overnight")[1][0] == "UA"
    assert where("US-led coalition strikes targets near Mosul")[1][0] == "IQ"
    # alone, the backer is still the only place there is; without the hyphen it is a place
    assert where("Iran-backed group claims the attack")[0] == "Middle East"
    assert where("Germany led the talks on the new treaty") == ("Germany", ("DE",))
    assert where("Brazil made the final after beating Chile")[1][0] == "BR"


def test_a_us_dollar_amount_is_not_a_place() -> None:
    # outlets everywhere write amounts in US dollars: the bank's own place decides
    assert where("DBS sued for US$1 billion in 1MDB-linked claim",
                 "The Singapore lender will fight the suit.") == ("Asia", ("SG",))
    assert where("Lender posts US$3 billion profit", "") == ("World", ())
    # the country written out is still the country
    assert where("US Treasury sells $30 billion of bonds", "")[1] == ("US",)


def test_an_indian_business_paper_is_indian_and_cna_has_no_home() -> None:
    bs = "https://www.business-standard.com/markets/news/brokerage-prefers-exchange-1.html"
    assert where("Brokerage prefers one exchange over another", "", bs) == ("Asia", ("IN",))
    cna = "https://www.channelnewsasia.com/business/chip-maker-buys-start-up-123"
    assert where("Chip maker buys start-up for $1.35 billion", "", cna) == ("World", ())


def test_whose_not_where_in_other_spellings_and_in_the_link() -> None:
    assert where("U.S.-led coalition strikes targets near Mosul")[1][0] == "IQ"
    assert where("Iran–backed militia shells a base in Syria")[1][0] == "SY"
    # the link's slug keeps the flag a flag
    placed = place("Tanker hit by a drone overnight", "The crew was unhurt.", (),
                   "https://news.example/2026/09/10/panama-flagged-tanker-hit-off-iraqi-coast",
                   REGIONS)
    assert (placed.region, placed.countries[0]) == ("Middle East", "IQ")


def test_a_central_bank_or_market_regulator_names_its_country() -> None:
    for title, code in (("RBI holds the repo rate at 6.5%", "IN"),
                        ("BOJ hints at a September hike", "JP"),
                        ("SNB keeps its policy rate at zero", "CH"),
                        ("Reserve Bank of Australia lifts rates", "AU"),
                        ("PBOC cuts banks' reserve ratio", "CN"),
                        ("CAC 40 slides as luxury stocks fall", "FR")):
        assert where(title)[1] == (code,), title


def test_little_evidence_for_the_outlets_own_country_is_enough() -> None:
    bs = "https://www.business-standard.com/opinion/editorial/shifting-expectations-1.html"
    # the teaser names India's central bank once: too little alone, but it is the paper's home
    placed = place("Shifting expectations", "The RBI minutes sound more hawkish.", (), bs,
                   REGIONS)
    assert (placed.region, placed.countries) == ("Asia", ("IN",))
    assert "the outlet's home country" in placed.reasons[0]
    # the same little evidence for another country stays World
    other = place("Shifting expectations", "The BOJ minutes sound more hawkish.", (), bs,
                  REGIONS)
    assert other.region == "World"


def test_a_market_move_is_placed_by_its_market_not_by_what_moved_it() -> None:
    wrap = "Traders in Tokyo and New York weighed the fighting around Iran."
    # the headline names only the causes: a worldwide move
    placed = place("Stocks fall as US-Iran turmoil keeps oil elevated", wrap, (),
                   "https://news.example/markets/stocks-fall-as-us-iran-turmoil", REGIONS)
    assert placed.region == "World" and placed.countries == ("US", "IR")
    assert "a market move; the headline names only what moved it ('US', 'Iran')" \
        in placed.reasons[0]
    assert where("Oil prices settle up US$4 a barrel on renewed Iran fighting", wrap)[0] \
        == "World"
    assert where("Oil prices up 1%, near 3-week high as Middle East crisis escalates", wrap)[0] \
        == "World"  # "up" before a figure is a move
    # the market named before its causes decides
    assert where("ASX set to jump as Wall Street rally rolls on", wrap) == ("Oceania", ("AU",))
    placed = place("US yields set to rise on Iran war, tariffs", wrap, (), None, REGIONS)
    assert (placed.region, placed.countries) == ("Americas", ("US",))
    assert "(a market move; what moved it aside: 'Iran')" in placed.reasons[0]
    # no market move, or no place among the causes: the usual rules
    assert where("Iran strikes a tanker as the Gulf crisis deepens")[0] == "Middle East"
    assert where("Japanese stocks fall as the yen firms")[0] == "Asia"
    assert where("Shaqiri drops a bombshell as Swiss prepare for Romania")[0] == "Europe"
    # a merged story is a market move only when every telling is one: beside the event's own
    # headline, the event decides (the US named twice there does not outweigh Iran)
    assert where("Iran strikes a tanker in the Gulf | Oil prices rise as Iran conflict escalates",
                 "")[0] == "Middle East"
    strike = "US forces strike Iranian launchers on Iran's Larak island, US officials say"
    teaser = "The strikes hit two launchers on Iran's Larak island in the Strait of Hormuz."
    url = "https://news.example/world/us-strikes-iran-larak"
    merged = place(f"{strike} | Oil jumps after US attack on Larak", teaser, (), url, REGIONS)
    alone = place(strike, teaser, (), url, REGIONS)
    assert "market move" not in merged.reasons[0]
    assert merged.region == alone.region == "Middle East"
    assert where("Stocks fall as Iran war drags on | Oil jumps after US attack on Iran",
                 wrap)[0] == "World"


def test_a_currencys_own_country_among_the_causes_places_the_move_there() -> None:
    # the yen's move told from Japan's news is Japan's story, in any language
    placed = place("Yen slides after Japan election result", "", (), None, REGIONS)
    assert (placed.region, placed.countries, placed.kicker) == ("Asia", ("JP",), "Japan")
    assert "'Japan' (title) → JP" in placed.reasons[0]
    assert where("Yen se dispara por apuestas a alzas de tasas en Japón") == ("Asia", ("JP",))
    assert where("Rupee falls as India trade deficit widens") == ("Asia", ("IN",))
    # another country among the causes is still only what moved it
    placed = place("Yen slides after US jobs data", "", (), None, REGIONS)
    assert placed.region == "World"
    assert "what moved it ('US')" in placed.reasons[0]
    # and a market that is no national currency keeps its causes aside as before
    assert where("Stocks fall after Japan election result")[0] == "World"


def test_a_market_move_in_another_language_is_placed_by_its_market() -> None:
    # gold moved by US data: what moved it is no place of gold's
    placed = place("Oro cae tras sólidos datos de empleo en EEUU", "", (), None, REGIONS)
    assert placed.region == "World"
    assert "a market move; the headline names only what moved it ('EEUU')" in placed.reasons[0]
    # Wall Street and the Ibovespa are where their moves happen, whatever moved them
    assert where("Wall Street sube después de que Waller de la Fed dice que podría apoyar "
                 "mantener las tasas") == ("Americas", ("US",))
    assert where("Ibovespa fecha em alta após dados de emprego nos EUA") == ("Americas", ("BR",))
    # English headlines read as before: "Wall Street" is no market noun of the English rule
    assert "market move" not in place("Wall Street slides as Iran tensions rise", "", (), None,
                                      REGIONS).reasons[0]


@pytest.mark.parametrize(("title", "region", "country"), [
    ("Explosion dans une caserne en Bolivie, deux morts", "Americas", "BO"),
    ("Élections législatives en Autriche", "Europe", "AT"),
    ("Irán dice que las nuevas sanciones fracasarán", "Middle East", "IR"),
    ("Equador diz que afundamento de embarcações foi operação conjunta", "Americas", "EC"),
    ("Österreich wählt ein neues Parlament", "Europe", "AT"),
    ("Sciopero dei trasporti in Grecia", "Europe", "GR"),
    # "de", "da", "dos" are prepositions there, not a name's particle as in "Leila de Lima"
    ("Riesgo país de Argentina trepa a máximo desde junio", "Americas", "AR"),
    ("Economía de Venezuela crece en el segundo trimestre", "Americas", "VE"),
    ("Departamento de Justiça dos EUA divulga acusações contra hackers", "Americas", "US"),
])
def test_country_names_in_other_european_languages_place_a_story(
        title: str, region: str, country: str) -> None:
    placed = place(title, "", (), None, REGIONS)
    assert (placed.region, placed.countries[:1]) == (region, (country,)), placed.reasons


@pytest.mark.parametrize("title", [
    "Ferry fire off a remote island kills 12",  # German "Island" is Iceland: not read
    "Mauricio Pochettino names his squad",  # Spanish "Mauricio" is Mauritius: a first name
    "Malte Ott wins the sprint",  # French "Malte" is Malta: a first name
    "El equipo gana la final de la copa",  # Spanish "gana" means wins (Ghana: "Gana")
    "Court frees former senator Leila de Lima on bail",  # in English, a name's particle
])
def test_foreign_country_names_that_are_also_words_or_names_place_nothing(title: str) -> None:
    placed = place(title, "", (), None, REGIONS)
    assert not placed.countries, placed.reasons


@pytest.mark.parametrize(("title", "region", "country"), [
    # wire services' other-language desks name a seat of power, not the country
    ("Casa Branca anuncia novas tarifas sobre aço", "Americas", "US"),
    ("La Maison Blanche dément tout accord avec Pékin", "Americas", "US"),
    ("Weißes Haus kündigt neue Zölle an", "Americas", "US"),
    ("Kreml weist Vorwürfe zurück", "Europe", "RU"),
    ("Bundesregierung plant Entlastung bei Strompreisen", "Germany", "DE"),
    ("Ifo-Geschäftsklima sinkt überraschend", "Germany", "DE"),
    ("TCU bloqueia R$5 bi em repasses a estatal", "Americas", "BR"),
    ("Copom mantém Selic em 15%", "Americas", "BR"),
    ("Haddad diz que meta fiscal será cumprida", "Americas", "BR"),
    ("La Moncloa aprueba el techo de gasto", "Europe", "ES"),
])
def test_seats_of_power_in_other_languages_place_the_story(title: str, region: str,
                                                            country: str) -> None:
    placed_region, countries = where(title)
    assert placed_region == region and countries[0] == country


def test_a_language_edition_written_in_one_country_is_its_home_news() -> None:
    # Reuters' German and Portuguese services are written in Germany and Brazil: a story of
    # theirs that names no place is that country's news; its world pages and the Spanish
    # service (many countries) have no home, and a place named always wins.
    home = "https://www.reuters.com/de/hauslich/gruene-fordern-gasgipfel-2026-08-25/"
    assert where("Grüne fordern Gasgipfel", url=home) == ("Germany", ("DE",))
    placed = place("Grüne fordern Gasgipfel", "", (), home, REGIONS)
    assert "reuters.com/de/, one country's edition → DE" in placed.reasons[0]
    assert where("Venda da CSN Cimentos avança",
                 url="https://www.reuters.com/pt/negocio/L7KZYITEDNJ6-2026-08-25/") == (
        "Americas", ("BR",))
    assert where("Ministro renuncia", url="https://www.reuters.com/pt/mundo/ZPJ2G-2026-08-25/"
                 )[0] == "World"
    assert where("Ministro dimite", url="https://www.reuters.com/es/negocio/E7OH4-2026-08-25/"
                 )[0] == "World"
    assert where("Grüne fordern Gasgipfel in Paris", url=home)[0] == "Europe"
    assert where("Greens call for gas summit",
                 url="https://www.reuters.com/business/energy/greens-2026-08-25/")[0] == "World"


def test_another_languages_demonym_places_a_story_that_names_nothing_else() -> None:
    # French, Spanish, Portuguese, Italian and German write demonyms lower-case after the
    # noun; they place a story that names no other place, and never outweigh a place named
    assert where("Explosions près de l'île iranienne de Kharg") == ("Middle East", ("IR",))
    assert where("Drohnenangriff: russische Raffinerie brennt")[1] == ("RU",)
    assert where("Gobierno chileno anuncia nuevo impuesto") == ("Americas", ("CL",))
    assert where("Le chef de l'armée pakistanaise attendu lundi en Iran") == (
        "Middle East", ("IR",))
    placed = place("Explosions près de l'île iranienne de Kharg", "", (), None, REGIONS)
    assert "'iranienne' (title) → IR" in placed.reasons[0]


def test_foreign_demonyms_need_their_lower_case() -> None:
    assert where("Russo brothers sign a new film deal")[0] == "World"   # a surname
    assert where("Chinese exports help ease the pain for London zinc shorts")[1][0] == "GB"


def test_a_continent_s_adjective_places_a_story_but_not_in_a_people_s_name() -> None:
    # "African" says where; the link's Africa section agrees, so the US is only who pays
    assert where("US steps in to fund African rare earths shunned by private money",
                 "Washington will back mines that private investors avoided.",
                 "https://example.com/world/africa/us-funds-rare-earths")[0] == "Africa"
    assert where("Middle Eastern airlines cut flights as fuel costs soar")[0] == "Middle East"
    assert where("African American voters in Atlanta queue for hours") == ("Americas", ("US",))
    assert where("African American voters queue for hours")[0] == "World"


def test_the_united_states_as_the_french_press_writes_them() -> None:
    assert where("Les Etats-Unis relèvent leurs droits de douane sur l'acier") == (
        "Americas", ("US",))
    assert where("USA Today names a new editor")[0] == "Americas"


def test_a_link_through_an_archive_service_is_read_as_the_link_inside() -> None:
    # feeds that route links through archive.is or the Wayback Machine still name the outlet
    # and its sections: WSJ's home country, NYT's business desk, BBC's Europe section
    for link in ("https://archive.is/newest/https://www.wsj.com/economy/star-admits-feud-1a2",
                 "https://web.archive.org/web/20250624081807/https://www.wsj.com/economy/x"):
        assert where("Star admits feud with co-host", "She spoke on a podcast.", link) == (
            "Americas", ("US",))
    assert where("Star admits feud with co-host", "She spoke on a podcast.",
                 "https://archive.ph/newest/https://www.bbc.com/news/world-europe-123")[0] \
        == "Europe"
    topic = classify_topic("Quarterly results beat forecasts", "", (),
                           "https://archive.is/newest/https://www.wsj.com/business/results-1a2",
                           ())
    assert topic.topic == "Business"
