"""Grouping the way an editor would: same story merged, region and topic from the story."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from digest.compose import compose_edition, group_by_feed, validate_edition_config
from digest.compose.classify import classify_topic, country_regions, place
from digest.config import EditionConfig, parse_config
from digest.errors import ConfigError
from digest.types import Edition, Entry, Feed

NOW = dt.datetime(2026, 9, 10, 18, 30, tzinfo=dt.UTC)
DW = Feed("https://dw.example/rss", "DW", "DW", priority=1)
BBC = Feed("https://bbc.example/rss", "BBC", "BBC", priority=2)
AJ = Feed("https://aj.example/rss", "Al Jazeera", "Al Jazeera", priority=1)
NYT = Feed("https://nyt.example/rss", "NYT", "NYT", priority=1)
FEEDS = (DW, BBC, AJ, NYT)


def entry(
    feed: Feed,
    title: str,
    teaser: str = "",
    *,
    hours_ago: float = 2.0,
    url: str | None = None,
    categories: tuple[str, ...] = (),
    key: str | None = None,
    published: bool = True,
) -> Entry:
    when = NOW - dt.timedelta(hours=hours_ago)
    return Entry(
        feed_url=feed.url,
        key=key or f"{feed.name}:{title}",
        title=title,
        url=url or f"{feed.url.removesuffix('/rss')}/{abs(hash(title)) % 10**8}",
        summary_html=f"<p>{teaser}</p>",
        teaser=teaser,
        published=when if published else None,
        first_seen_at=when,
        categories=categories,
    )


def build(entries: list[Entry], **cfg: object) -> Edition:
    config = EditionConfig(**{"group_by": "region", **cfg})  # type: ignore[arg-type]
    return compose_edition(
        entries, FEEDS, config, newsletter="Evening", date=NOW.date(), now=NOW,
        window_start=NOW - dt.timedelta(days=1), window_end=NOW,
    )


FERRY = [
    entry(AJ, "Five dead, dozens missing in Philippines ferry fire",
          "Coastguard says the ferry had 134 listed passengers and crew when it sank off "
          "the coast of Palawan.", hours_ago=3),
    entry(BBC, "Five dead and 86 missing as fire breaks out on Philippines ferry",
          "The fire broke out as the vessel neared the tourist hotspot of Coron in Palawan; "
          "the coastguard is searching for the missing passengers.", hours_ago=2),
    entry(NYT, "At Least 5 Dead, More Than 80 Missing After Ferry Fire in the Philippines",
          "The ferry was sailing from Manila to Coron, a popular tourist destination, when "
          "a fire broke out aboard the vessel.", hours_ago=1),
]


# ------------------------------------------------------------------ one story, many outlets


def test_the_same_event_told_by_three_outlets_becomes_one_story() -> None:
    edition = build(FERRY)
    assert len(edition.stories) == 1
    story = edition.stories[0]
    assert {s.name for s in story.also} | {story.source} == {"Al Jazeera", "BBC", "NYT"}
    assert story.source not in {s.name for s in story.also}
    assert all(s.url and s.title for s in story.also)


def test_priority_decides_the_headline() -> None:
    story = build(FERRY).stories[0]
    assert story.source == "BBC"  # priority 2 beats the fuller teasers of priority 1
    assert story.title == FERRY[1].title
    assert story.teaser == FERRY[1].teaser
    swapped = [dataclasses.replace(e, feed_url=AJ.url) if e.feed_url == BBC.url else e
               for e in FERRY]
    only_equal = build(swapped).stories[0]
    # among equal priorities the fullest teaser wins
    assert only_equal.teaser == max((e.teaser for e in FERRY), key=len)


def test_two_different_events_in_one_country_stay_apart() -> None:
    edition = build([
        FERRY[0],
        entry(DW, "Philippines lawmaker charged with taking kickbacks on flood control",
              "A cousin of President Marcos was charged with plundering public funds meant "
              "for flood control projects in the Philippines.", hours_ago=4),
    ])
    assert len(edition.stories) == 2
    assert {s.region for s in edition.stories} == {"Asia"}


def test_the_same_words_a_week_apart_are_not_merged() -> None:
    old = dataclasses.replace(
        FERRY[1], first_seen_at=NOW - dt.timedelta(days=7), published=NOW - dt.timedelta(days=7)
    )
    assert len(build([FERRY[0], old]).stories) == 2


def test_a_feed_repeating_its_own_item_is_merged() -> None:
    article = entry(DW, "Philippines: Several killed, dozens missing after fire on ferry",
                    "Footage released by the coast guard showed the ferry engulfed in flames "
                    "near Palawan; 134 passengers were listed.", hours_ago=2)
    live = entry(DW, "Philippines: Several killed, dozens missing after fire on ferry — live",
                 "Footage released by the coast guard showed the ferry engulfed in flames "
                 "near Palawan; 134 passengers were listed on the manifest.", hours_ago=1)
    sections = group_by_feed([article, live], {f.url: f for f in FEEDS}, EditionConfig(),
                             now=NOW)
    assert [s.name for s in sections] == ["DW"]
    (story,) = sections[0].stories
    assert story.also == ()  # the same outlet is not listed as another outlet
    assert "same story: 2 items from 1 outlet(s), joined by alike words" in story.reasons


def test_group_by_feed_shows_a_merged_story_under_the_best_sources_feed() -> None:
    sections = group_by_feed(FERRY, {f.url: f for f in FEEDS}, EditionConfig(), now=NOW)
    assert [s.name for s in sections] == ["BBC"]
    assert len(sections[0].stories) == 1


# ------------------------------------------------------------------------------ regions


def test_serbia_goes_to_europe_with_its_kicker_and_the_reason_naming_the_word() -> None:
    story = build([entry(NYT, "Serbia gets Russian S-400 air defence system",
                         "The delivery deepens military ties between Belgrade and Moscow.")]
                  ).stories[0]
    assert story.region == "Europe"
    assert story.kicker == "Serbia"
    assert story.countries[0] == "RS"
    assert "RU" in story.countries
    assert any("'Serbia' (title)" in r and r.startswith("region Europe") for r in story.reasons)


def test_an_institution_places_a_story_in_germany() -> None:
    story = build([entry(BBC, "Bundestag votes to extend army mission",
                         "Lawmakers approved the deployment by a large majority.")]).stories[0]
    assert story.region == "Germany"
    assert story.kicker == "Germany"
    assert any("Bundestag" in r for r in story.reasons)


def test_a_story_naming_three_regions_goes_to_world() -> None:
    story = build([entry(AJ, "Brazil, Japan and Kenya sign climate finance pact",
                         "Ministers from the three countries met at the summit.")]).stories[0]
    assert story.region == "World"
    assert story.kicker is None
    assert any("3 regions" in r for r in story.reasons)


def test_a_story_naming_no_place_goes_to_world() -> None:
    story = build([entry(AJ, "Scientists find new immune cells",
                         "The cells defend the brain.")]).stories[0]
    assert story.region == "World"
    assert story.reasons[0] == "region World: no place named"


def test_a_configured_region_takes_a_country_from_its_default_region() -> None:
    regions = country_regions({"Asia": ("TR", "CN")})
    assert regions["TR"] == "Asia"
    assert "JP" not in regions  # no longer in Asia, and listed nowhere else: World
    assert regions["FR"] == "Europe"
    placed = place("Erdogan meets ministers in Ankara", "", (), None, regions)
    assert placed.region == "Asia" and placed.kicker == "Turkey"


def test_url_sections_count_as_evidence() -> None:
    placed = place("Markets fall", "", (), "https://bbc.example/news/world-asia-123",
                   country_regions({}))
    assert placed.region == "Asia"


def test_lower_case_words_are_not_places() -> None:
    placed = place("How to roast a turkey for the holidays", "", (), None, country_regions({}))
    assert placed.region == "World"


# ------------------------------------------------------------------------------- topics


def test_topic_from_a_sport_url() -> None:
    topic = classify_topic("Hawks heading down the highway with confidence", "", (),
                           "https://smh.example/sport/afl/hawks-heading-down", ())
    assert topic.topic == "Sports"
    assert "URL section /sport/" in topic.reasons[0]


def test_topic_from_a_category_and_from_words() -> None:
    assert classify_topic("Anything", "", ("Business",), None, ()).topic == "Business"
    assert classify_topic("Covid vaccine trial shows promise", "", (), None, ()).topic == "Health"


def test_topic_falls_back_to_the_first_configured_topic() -> None:
    got = classify_topic("A quiet day", "", (), None, ("Culture", "Sports"))
    assert got.topic == "Culture"
    assert "nothing else matched" in got.reasons[0]


def test_group_by_topic_uses_the_configured_topics() -> None:
    edition = build(
        [entry(BBC, "Bayern win the cup final", "The football club beat Leipzig.",
               url="https://bbc.example/sport/football/1")],
        group_by="topic", topics=("Sports", "Politics"),
    )
    assert [s.name for s in edition.sections] == ["Sports"]
    assert edition.stories[0].topic == "Sports"


# ------------------------------------------------------------------------------ ranking


_SUBJECTS = [
    ("Harvest festival draws record crowds", "Farmers celebrated grapes and cider."),
    ("Bridge closed after barge collision", "Engineers inspect damaged pillars."),
    ("Orchestra unveils new conductor", "The violinist will lead rehearsals."),
    ("Railway strike halts commuter trains", "Unions demand higher wages."),
    ("Museum returns looted bronzes", "Curators signed the restitution deal."),
    ("Mayor wins local election", "Turnout rose among young voters."),
    ("Hospital opens cancer ward", "Oncologists welcomed the equipment."),
    ("Airport expands runway", "Airlines expect more cargo flights."),
]


def _singles(n: int, feed: Feed, place_name: str, start: int = 0) -> list[Entry]:
    """``n`` unrelated one-outlet stories (subjects ``start`` … ``start + n - 1``)."""
    return [entry(feed, f"{place_name}: {title}", f"{teaser} {place_name} reports.",
                  hours_ago=1 + i) for i, (title, teaser) in enumerate(_SUBJECTS[start:start + n])]


def test_max_per_section_and_max_items_are_honoured() -> None:
    entries = _singles(5, DW, "France") + _singles(3, DW, "Japan", start=5)
    edition = build(entries, max_per_section=3, max_items=5)
    assert all(len(sec.stories) <= 3 for sec in edition.sections)
    assert len(edition.stories) == 5


def test_the_top_story_is_the_one_told_by_most_outlets() -> None:
    entries = _singles(4, DW, "France") + FERRY
    edition = build(entries)
    assert edition.top is not None
    assert edition.top.title == FERRY[1].title
    assert edition.sections[0].name == "Asia"  # its section leads, though Europe comes first
    assert edition.top.weight == max(s.weight for s in edition.stories)
    europe = next(sec for sec in edition.sections if sec.name == "Europe")
    weights = [s.weight for s in europe.stories]
    assert weights == sorted(weights, reverse=True)


def test_configured_section_order_is_kept_after_the_lead_section() -> None:
    entries = _singles(1, DW, "France") + _singles(1, DW, "Brazil", start=1) + FERRY
    edition = build(entries, sections=("Americas", "Europe", "Asia", "World"))
    assert [s.name for s in edition.sections] == ["Asia", "Americas", "Europe"]


# ---------------------------------------------------------------------------- bad input


def test_bad_entries_group_without_error() -> None:
    entries = [
        entry(DW, "", "", key="empty"),
        entry(DW, "", "<b>only</b> <i>html</i>", key="html"),
        entry(BBC, "萨达姆之墓在反“伊斯兰国”战事中被毁", "中文摘要", key="zh"),
        entry(AJ, "Long teaser", "word " * 50_000, key="huge"),
        entry(NYT, "No date at all", "Undated item.", published=False),
    ]
    edition = build(entries)
    assert len(edition.stories) == 5
    assert all(s.region and s.topic for s in edition.stories)
    assert all(s.title for s in edition.stories)


def test_entries_of_unknown_feeds_are_left_out() -> None:
    stray = dataclasses.replace(FERRY[0], feed_url="https://gone.example/rss")
    assert build([stray]).stories == ()


def test_nothing_to_group_gives_an_empty_edition() -> None:
    assert build([]).sections == ()


# --------------------------------------------------------------------------- config errors


def test_unknown_region_in_config_is_a_config_error_naming_the_key() -> None:
    with pytest.raises(ConfigError) as err:
        validate_edition_config(EditionConfig(regions={"Europa": ("RS",)}))
    assert str(err.value).startswith("edition.regions.Europa: unknown region 'Europa'")
    assert err.value.key == "edition.regions.Europa"


def test_unknown_country_code_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"edition.regions.Europe: unknown country code 'XX'"):
        validate_edition_config(EditionConfig(regions={"Europe": ("RS", "XX")}))


def test_unknown_topic_is_a_config_error_listing_the_known_ones() -> None:
    with pytest.raises(ConfigError) as err:
        validate_edition_config(EditionConfig(topics=("Sport",)))
    assert str(err.value).startswith("edition.topics: unknown topic 'Sport' (known: Politics,")


def test_sections_must_name_regions_when_grouping_by_region() -> None:
    with pytest.raises(ConfigError, match=r"edition\.sections: unknown region 'Europa'"):
        validate_edition_config(EditionConfig(group_by="region", sections=("Europa",)))
    validate_edition_config(EditionConfig(group_by="feed", sections=("Anything",)))


def test_the_config_loader_runs_the_checks() -> None:
    with pytest.raises(ConfigError, match=r"edition\.regions\.Europa"):
        parse_config({"edition": {"regions": {"Europa": ["RS"]}}}, env={})
    cfg = parse_config({"edition": {"group_by": "region", "regions": {"Europe": ["RS", "FR"]}}},
                       env={})
    assert cfg.edition.regions["Europe"] == ("RS", "FR")


# ------------------------------------------------- same story: headlines, news cycle

def test_alike_headlines_merge_even_when_the_teasers_wander() -> None:
    a = entry(BBC, "Volcano erupts on Lanzarote island, thousands evacuated",
              "Residents described ash falling on gardens while a choir rehearsal carried on "
              "in the church hall across the valley during the afternoon.", hours_ago=3)
    b = entry(NYT, "Thousands Evacuated as Volcano Erupts on Lanzarote Island",
              "Tour operators cancelled excursions and a regional airline said timetables "
              "would be reviewed with aviation authorities next week.", hours_ago=2)
    (story,) = build([a, b]).stories
    assert [s.name for s in story.also] in (["NYT"], ["BBC"])


def test_a_roundup_joins_none_of_the_stories_it_sums_up() -> None:
    a = entry(BBC, "Volcano erupts on Lanzarote island, thousands evacuated",
              "Ash fell on gardens as thousands were evacuated from Lanzarote.", hours_ago=3)
    b = entry(NYT, "Thousands Evacuated as Volcano Erupts on Lanzarote Island",
              "The volcano on Lanzarote island erupted, and thousands were evacuated.",
              hours_ago=2)
    c = entry(AJ, "Bank of Japan raises interest rates for the first time in a year",
              "The Bank of Japan raised its key interest rate on Tuesday.", hours_ago=2)
    roundup = entry(AJ, "Evening Briefing: What happened today",
                    "A volcano erupts on Lanzarote island and thousands are evacuated; the "
                    "Bank of Japan raises interest rates for the first time in a year.",
                    hours_ago=1)
    stories = build([a, b, c, roundup]).stories
    sizes = sorted(1 + len(s.also) for s in stories)
    assert sizes == [1, 1, 2]  # the two volcano tellings; the bank and the roundup alone
    assert any(s.title.startswith("Evening Briefing") and not s.also for s in stories)


def test_episodes_of_one_series_stay_apart_and_a_repeat_within_it_still_merges() -> None:
    shows = ["Morning Call | Radio Lumen (3 September 2026)",
             "Night Desk | Radio Lumen (2 September 2026)",
             "Market Hour | Radio Lumen (3 September 2026)",
             "Talk of the Town | Radio Lumen (3 September 2026)"]
    episodes = [entry(AJ, t, hours_ago=1 + k) for k, t in enumerate(shows)]
    repeat = [entry(AJ, "Storm floods Lisbon streets | Radio Lumen (3 September 2026)",
                    "Streets of Lisbon flooded after a storm.", hours_ago=1),
              entry(AJ, "Storm floods Lisbon streets, homes evacuated | Radio Lumen",
                    "Streets of Lisbon flooded after a storm; homes were evacuated.",
                    hours_ago=2)]
    titles = sorted(s.title for s in build([*episodes, *repeat]).stories)
    assert len(titles) == 5  # four episodes, and the storm told twice as one story
    assert [t for t in titles if "Lisbon" in t] == [repeat[0].title] or \
        [t for t in titles if "Lisbon" in t] == [repeat[1].title]
    # without the series mark in three titles, the two short titles would have merged
    assert len(build(episodes[:2]).stories) == 1
    # one story given a new headline within the series: the teasers tell alike
    star = [entry(AJ, t, hours_ago=3 + k) for k, t in enumerate(
        ["Rail strike ends | The Daily Lumen", "Budget passes | The Daily Lumen",
         "Museum reopens | The Daily Lumen"])]
    fire = ("Fire swept through the old market on Sunday night, killing twelve traders and "
            "destroying hundreds of stalls; firefighters fought the flames for six hours "
            "while families searched the ruins for relatives.")
    renamed = [entry(AJ, "Fire kills 12 in Dhaka market | The Daily Lumen", fire, hours_ago=1),
               entry(AJ, "Blaze at old town bazaar leaves a dozen dead | The Daily Lumen",
                     fire, hours_ago=2)]
    assert len(build([*star, *renamed]).stories) == 4
    assert len(build(renamed).stories) == 1  # (as without the series around them)
    # one title told three times is a repeat, not three episodes, even though its parts are
    # then in three titles
    again = [entry(AJ, "Night Desk | Radio Lumen", "Tonight's late news.", hours_ago=1 + k,
                   key=f"night-{k}") for k in range(3)]
    assert len(build(again).stories) == 1


@pytest.mark.parametrize(("title", "roundup"), [
    ("Coronavirus Briefing: What Happened Today", True),
    ("Covid-19 Live Updates and Tracker", True),
    ("Coronavirus updates LIVE: borders to reopen in July", True),
    ("Morning Briefing: Top stories from the Times on June 10", True),
    ("Portugal v Iceland: Euro 2016 – live", False),
    ("Officials give response updates in Laging Handa briefing", False),
    ("What you need to know as Spanish football resumes", False),
    ("Covid-19: What happened in New Zealand on 2 September", True),
    ("Fitness tracker maker recalls watches", False),
    ("What happened in Beirut: the blast explained", False),
    ("How to live with Covid: updates to the rules", False),
])
def test_what_counts_as_a_roundup(title: str, roundup: bool) -> None:
    from digest.compose.cluster import is_roundup

    assert is_roundup(entry(BBC, title, "", hours_ago=1)) is roundup


def test_the_same_words_a_day_and_a_half_apart_are_another_news_cycle() -> None:
    later = dataclasses.replace(
        FERRY[1], first_seen_at=NOW - dt.timedelta(hours=33),
        published=NOW - dt.timedelta(hours=33),
    )
    assert len(build([FERRY[0], later]).stories) == 2


def test_one_outlets_explainer_stays_apart_from_its_report() -> None:
    """Alike enough for two outlets (merged), not for two pieces of one outlet."""
    report = entry(DW, "Flood waters rise in Dresden as the Elbe breaks its banks",
                   "Firefighters evacuated the old town of Dresden as the Elbe rose above "
                   "nine metres on Tuesday.", hours_ago=3)
    text = ("Dresden sits in a wide valley where the Elbe has flooded many times; engineers "
            "explain the river's rise.")
    same_outlet = entry(DW, "Why the Elbe floods Dresden so often", text, hours_ago=2)
    other_outlet = entry(NYT, "Why the Elbe floods Dresden so often", text, hours_ago=2)
    assert len(build([report, same_outlet]).stories) == 2
    assert len(build([report, other_outlet]).stories) == 1


# ---------------------------------------------------- region: the outlet as a fallback

def test_a_local_outlet_places_a_story_naming_no_place_and_says_so() -> None:
    local = entry(DW, "Council votes to close two libraries", "Savings of a million dollars.",
                  url="https://news.example.co.nz/local/article-123")
    story = build([local]).stories[0]
    assert story.region == "Oceania"
    assert story.countries == ("NZ",)
    assert "fallback" in story.reasons[0] and "NZ" in story.reasons[0]


def test_the_story_s_own_words_win_over_the_outlet() -> None:
    text = entry(DW, "Council in Toronto votes to close two libraries", "Savings planned.",
                 url="https://news.example.co.nz/local/article-124")
    story = build([text]).stories[0]
    assert story.region == "Americas"
    assert not any("fallback" in r for r in story.reasons)


def test_no_fallback_for_world_or_science_sections() -> None:
    for path in ("world/article-1", "science/article-2"):
        item = entry(DW, "Scientists find new immune cells", "The cells defend the brain.",
                     url=f"https://news.example.co.nz/{path}")
        assert build([item]).stories[0].region == "World"


def test_an_office_places_a_story() -> None:
    placed = place("Home Office to review visa rules", "", (), None, country_regions({}))
    assert placed.region == "Europe" and placed.countries == ("GB",)


def test_rule_scores_marks_section_and_category_evidence_as_strong() -> None:
    from digest.compose.classify import KNOWN_TOPICS, rule_scores

    scores, why, strong = rule_scores("Shares fall as tariffs bite", "", ("Business",),
                                      "https://example.com/sport/x", KNOWN_TOPICS)
    assert strong == {"Business", "Sports"}
    assert scores["Business"] > scores["Sports"]
    assert "category 'Business'" in why["Business"]
    scores, _, strong = rule_scores("Election called", "", (), None, KNOWN_TOPICS)
    assert strong == set() and set(scores) == {"Politics"}
    # only the allowed topics are scored
    assert rule_scores("Election called", "", (), None, ["Business"])[0] == {}


def test_accents_do_not_keep_two_tellings_apart() -> None:
    from digest.compose.text import terms

    accented, plain = "Fire at Māngere yard, Zürich reacts", "Fire at Mangere yard, Zurich reacts"
    assert terms(accented) == terms(plain)
    assert terms("Fire at Māngere yard") == ["fire", "mangere", "yard"]


# ------------------------------------------------- an editor's own topic words


def test_an_editors_topic_words_win_over_the_rules() -> None:
    story = entry(AJ, "Kooyong Classic called off this summer",
                  "Organisers said the event could not go ahead.", hours_ago=2)
    assert build([story], group_by="topic").stories[0].topic != "Sports"
    got = build([story], group_by="topic",
                topic_words={"Sports": ("kooyong classic",)}).stories[0]
    assert got.topic == "Sports"
    assert "topic Sports: edition.topic_words 'kooyong classic' (title)" in got.reasons
    # words of two topics: the title outweighs the teaser
    both = build([story], group_by="topic", topic_words={
        "Business": ("organisers",), "Sports": ("classic",)}).stories[0]
    assert both.topic == "Sports"


@pytest.mark.parametrize(("edition", "message"), [
    ({"topic_words": {"Sport": ["cricket"]}}, "edition.topic_words.Sport: unknown topic 'Sport'"),
    ({"topic_words": {"Sports": [" "]}}, "edition.topic_words.Sports: expected a word or phrase"),
    ({"topics": ["Politics", "Business"], "topic_words": {"Sports": ["cricket"]}},
     "edition.topic_words.Sports: unknown topic 'Sports'"),
])
def test_bad_topic_words_are_config_errors(edition: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"edition": edition}, env={})
    assert str(err.value).startswith(message)


def test_words_read_possessives_and_stay_the_callers_own() -> None:
    from digest.compose.text import words

    assert words("O'Neill's goal: Russia's reply, James’s car") == [
        "O'Neill", "goal", "Russia", "reply", "James", "car"]
    assert words("Zürich's U.S. envoy") == ["Zürich", "US", "envoy"]
    assert words("Russia's_war, it'sé") == ["Russia", "war", "it'sé"]  # "_" ends a word
    first = words("Serbia gets S-400 system")
    first.append("changed")  # words are read once per text and cached: a copy each time
    assert words("Serbia gets S-400 system") == ["Serbia", "gets", "S", "400", "system"]


def test_an_edition_reads_each_text_once_and_keeps_none_of_them_after() -> None:
    from digest.compose import classify, text

    text.words("A headline read before the edition")
    edition = build(FERRY)
    assert len(edition.stories) == 1
    # a long-running process (digest serve) holds no edition's headlines, teasers or places
    for cached in (text._words, text.plain, classify._mentions_read, text.stem):
        assert cached.cache_info().currsize == 0


def test_candidate_pairs_are_every_pair_whose_shared_rare_terms_reach_the_floor() -> None:
    import random

    from digest.compose import cluster

    rng = random.Random(7)
    vocab = [f"w{k}" for k in range(60)]
    vecs = [{t: rng.random() for t in rng.sample(vocab, rng.randint(1, 6))} for _ in range(80)]
    for v in vecs[:40]:
        v["common"] = 1.0  # in more than MAX_DF_SHARE of the entries: passed over
    alone = [k % 9 == 0 for k in range(80)]  # roundups: never a candidate
    n = len(vecs)
    cap = max(cluster.MIN_DF_CAP, int(cluster.MAX_DF_SHARE * n))
    df = {t: sum(t in v for v in vecs) for t in [*vocab, "common"]}
    assert df["common"] > cap
    for least in (0.0, 0.2, 0.5):
        want = {(i, j) for i in range(n) for j in range(i + 1, n)
                if not alone[i] and not alone[j]
                and (shared := [t for t in vecs[i] if t in vecs[j] and df[t] <= cap])
                and sum(vecs[i][t] * vecs[j][t] for t in shared) >= least - 1e-12}
        got = set(cluster._candidates(vecs, alone, least))
        assert got == want and want
    # a term shared only with a roundup gives no pair (and no error)
    assert cluster._candidates([{"a": 1.0}, {"a": 1.0}], [False, True], 0.0) == []


_PLACES = ("France", "Japan", "Brazil", "Kenya", "Canada", "Peru", "Egypt", "Iran", "India",
           "Chile", "Norway", "Poland", "Ghana", "Vietnam", "Mexico", "Spain", "Italy",
           "Greece", "Nigeria", "Fiji", "Thailand", "Iraq", "Sweden", "Bolivia", "Senegal",
           "Nepal", "Cuba", "Austria", "Hamburg", "Australia", "Argentina", "Colombia",
           "Morocco", "Tanzania", "Indonesia", "Pakistan", "Portugal", "Samoa", "Qatar")


def _distinct(n: int) -> list[Entry]:
    """``n`` one-outlet stories that share no word, each naming its own country, with
    topic words and ages that vary."""
    kinds = ("election vote", "football match", "vaccine hospital", "stocks bank",
             "museum film", "climate flood")
    return [entry((DW, BBC, AJ, NYT)[k % 4],
                  f"{_PLACES[k]}: Zorvak{k} quindle{k} {kinds[k % len(kinds)].split()[0]}",
                  f"Brannock{k} tells of {kinds[k % len(kinds)]} in {_PLACES[k]}.",
                  hours_ago=1 + (k * 7) % 20) for k in range(n)]


@pytest.fixture(scope="module")
def distinct_with_vectors() -> list[Entry]:
    """The ferry and ``_distinct`` stories with their sentence vectors, as collect stores
    them (the text model reads them for regions and topics)."""
    from digest.compose import vectors

    entries = FERRY + _distinct(len(_PLACES))
    blobs = vectors.encode([vectors.entry_text(e) for e in entries])
    return [dataclasses.replace(e, vector=b) for e, b in zip(entries, blobs, strict=True)]


_NO_WORLD = {"region": ("Europe", "Asia", "Africa"), "topic": ("Sports", "Health", "Culture"),
             "feed": ()}


@pytest.mark.parametrize("group_by", ["region", "topic", "feed"])
def test_an_edition_reads_only_the_stories_it_can_show_and_shows_the_same_ones(
    group_by: str, distinct_with_vectors: list[Entry], monkeypatch: pytest.MonkeyPatch
) -> None:
    import digest.compose as compose

    entries = distinct_with_vectors
    placed: list[str] = []
    real_place = compose.place

    def counted(titles: str, *args: object, **kwargs: object) -> object:
        placed.append(titles)
        return real_place(titles, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(compose, "place", counted)
    for sections in ((), _NO_WORLD[group_by]):  # with World, and without (others dropped)
        for items, per in ((5, 2), (12, 0), (30, 3), (100, 4)):
            for first_batch in (4, 32):
                cfg = {"group_by": group_by, "max_items": items, "max_per_section": per,
                       "sections": sections}
                monkeypatch.setattr(compose, "_FIRST_BATCH", first_batch)
                placed.clear()
                shown = build(entries, **cfg)
                read = len(placed)
                monkeypatch.setattr(compose, "_FIRST_BATCH", 10**6)  # every story at once
                everything = build(entries, **cfg)
                assert shown == everything, (sections, items, per, first_batch)
                assert len(placed) - read == len(_PLACES) + 1  # every story, ferry merged
                if items == 5 and first_batch == 4 and not sections:
                    assert read < 20  # heaviest first, only until the edition is full
                if items == 100 and not sections:
                    full = everything
            if sections:  # only the listed sections: the rest were dropped, not moved
                assert {sec.name for sec in everything.sections} <= set(sections)
    # the batches read places and topics of every region, with the text model
    assert {s.region for s in full.stories} >= {"Europe", "Asia", "Americas", "Africa"}
    assert any("text model" in r for s in full.stories for r in s.reasons)
