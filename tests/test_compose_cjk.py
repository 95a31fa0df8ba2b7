"""Chinese, Japanese and Korean stories: places named in unspaced text, the same story told
by two outlets in Chinese, the editor's own names in Chinese."""

from __future__ import annotations

import pytest

from digest.compose.classify import country_regions, extra_places, place
from digest.compose.text import words
from tests.test_compose import BBC, DW, NYT, build, entry

REGIONS = country_regions({})


def where(title: str, teaser: str = "", **extra: list[str]) -> tuple[str, tuple[str, ...]]:
    names = extra_places({k: v for k, v in extra.items() if k != "not_places"},
                         extra.get("not_places", []))
    placed = place(title, teaser, (), None, REGIONS, home="", extra=names)
    return placed.region, placed.countries


@pytest.mark.parametrize(("title", "region", "country"), [
    ("伊拉克军队收复提克里特", "Middle East", "IQ"),      # Iraq's army retakes Tikrit
    ("印度尼西亚发生强烈地震", "Asia", "ID"),             # Indonesia, not India inside it
    ("欧美国家对俄罗斯实施新制裁", "Europe", "RU"),        # "Western countries" is not the US
    ("台灣總統大選今日投票", "Asia", "TW"),               # Traditional characters
    ("ドイツで列車事故、多数けが", "Germany", "DE"),        # Japanese
    ("북한이 또 미사일을 발사했다", "Asia", "KP"),          # Korean, a particle on the name
    ("克里姆林宫否认参与袭击", "Europe", "RU"),            # a seat of power
    ("柏林爆发大规模示威", "Germany", "DE"),               # a city (CLDR's time-zone cities)
])
def test_a_place_named_in_unspaced_text_decides_the_region(
        title: str, region: str, country: str) -> None:
    got_region, countries = where(title)
    assert (got_region, countries[:1]) == (region, (country,))


@pytest.mark.parametrize(("title", "region", "countries"), [
    ("奥朗德赢得法总统选举", "Europe", ("FR",)),            # France's president
    ("越美举行海上联合演习", "Asia", ("VN", "US")),          # Vietnam and the US (first wins)
    ("埃以边境发生枪击事件", "Middle East", ("EG", "IL")),   # the Egypt–Israel border
    ("中美关系面临新考验", "Asia", ("CN", "US")),            # not Central America (中美洲)
    ("美国太平洋司令部司令抵华访问", "Americas", ("US", "CN")),  # "arrives in China"
    ("总理下月访华", "Asia", ("CN",)),                        # "to visit China", at the end
    ("在华外企面临新规", "Asia", ("CN",)),                     # "in China"
    ("奧朗德贏得法總統選舉", "Europe", ("FR",)),              # Traditional characters
    ("中美關係面臨新考驗", "Asia", ("CN", "US")),
    ("日米関係の強化で合意", "Asia", ("JP", "US")),           # Japanese: Japan–US relations
    ("米大統領が声明", "Americas", ("US",)),                   # Japanese: the US president
])
def test_a_country_in_one_character_counts_inside_the_compounds_that_make_it_one(
        title: str, region: str, countries: tuple[str, ...]) -> None:
    assert where(title) == (region, countries)


@pytest.mark.parametrize("title", [
    "美丽的风景吸引游客",       # beautiful, not the US
    "法律规定必须公开",         # law, not France
    "日前发布的报告",           # lately, not Japan
    "万象更新迎新春",           # all things (also Vientiane's name)
    "タイトル戦が始まる",       # a title match: タイ (Thailand) inside a katakana word
    "수단과 방법을 가리지 않는다",  # "means" in Korean (also Sudan's name)
    "房价越来越高",             # "more and more" (越 is Vietnam after 来 "to come")
    "15日外交部发言人表示",     # a date, then the foreign ministry (日 is Japan)
    "执法当局展开调查",         # law enforcement, not France's authorities
    "意外交通事故致三人死亡",   # an accident (意 is Italy, 外交 diplomacy)
    "航班离港时间推迟",         # leaving the port (港 is Hong Kong)
    "居民在日出前撤离",         # before sunrise (在日 "in Japan")
    "当事人赴法院出庭",         # to the court (赴法 "to France")
    "以政府名义发放补贴",       # in the government's name (以 is Israel)
    "城里加强巡逻",             # 里加 is Riga in CLDR's Chinese
    "达尔文进化论",             # Darwin the man, not the city
    "우리가 이겼다",            # "we": 리가 (Riga) inside a word
    "행복이란 무엇인가",        # a grammatical ending, not Iran (이란)
    "정부, 인도적 지원 확대",   # "humanitarian": 인도 (India) followed by no particle
])
def test_words_that_hold_a_country_name_or_short_form_place_nothing(title: str) -> None:
    assert where(title) == ("World", ())


@pytest.mark.parametrize(("title", "region", "country"), [
    ("北爱尔兰议会选举", "Europe", "GB"),        # not Ireland inside it
    ("ロシア・モスクワで爆発", "Europe", "RU"),   # names joined by "・"
    ("アメリカで銃乱射事件", "Americas", "US"),   # the short name CLDR lacks
    ("ミャンマーでクーデター", "Asia", "MM"),
    ("미국의 대통령이 발표했다", "Americas", "US"),  # a Korean name with its particle
])
def test_names_beside_punctuation_particles_and_longer_names(
        title: str, region: str, country: str) -> None:
    assert where(title)[:1] == (region,) and where(title)[1][:1] == (country,)


def test_the_kicker_and_the_reason_name_the_words_read() -> None:
    placed = place("伊拉克军队收复提克里特", "", (), None, REGIONS, home="")
    assert placed.kicker == "Iraq"
    assert placed.reasons == ("region Middle East: '伊拉克' (title) → IQ",)


def test_text_that_names_no_place_stays_in_world() -> None:
    assert where("研究发现每天喝咖啡有益健康") == ("World", ())


def test_the_editor_names_a_place_and_a_word_that_is_no_place_in_chinese() -> None:
    # "超级马里奥" is Super Mario; 马里 alone is Mali
    assert where("超级马里奥新作发布")[0] == "Africa"
    assert where("超级马里奥新作发布", not_places=["马里奥"]) == ("World", ())
    assert where("徐州暴雨致多人死亡") == ("World", ())
    assert where("徐州暴雨致多人死亡", CN=["徐州"]) == ("Asia", ("CN",))
    # one character is enough for the editor; the Latin part of a name matches in any case
    assert where("京沪高铁开通", CN=["京"]) == ("Asia", ("CN",))
    assert where("g20杭州峰会开幕", CN=["G20杭州峰会"]) == ("Asia", ("CN",))


def test_kana_keep_their_voicing_marks_when_names_are_compared() -> None:
    from digest.compose.classify import name_key
    assert name_key("バス") != name_key("パス")  # bus and pass: no clash for the editor


def test_unspaced_text_is_compared_in_pairs_of_characters() -> None:
    assert words("德国总理访问G20峰会") == ["德国", "国总", "总理", "理访", "访问", "G20", "峰会"]
    assert words("Merkel 访华") == ["Merkel", "访华"]
    assert words("미국의 대통령") == ["미국의", "대통령"]  # Hangul is spaced: words stay whole


def test_the_same_story_in_chinese_from_two_outlets_becomes_one_story() -> None:
    edition = build([
        entry(DW, "日本福岛核电站再次发生核泄漏",
              "东京电力公司周一表示，福岛第一核电站发生新的核泄漏。"),
        entry(BBC, "福岛核电站发生新的核泄漏事故",
              "日本东京电力公司说，福岛核电站周一出现核泄漏。"),
        entry(NYT, "德国总理会见法国总统讨论难民问题", "两国领导人在柏林会谈。"),
        entry(DW, "巴西总统选举进入第二轮", "巴西选民将在两周后再次投票。"),
        entry(BBC, "印度尼西亚发生强烈地震", "地震造成多栋建筑倒塌。"),
    ])
    stories = edition.stories
    merged = [s for s in stories if s.also]
    assert len(stories) == 4 and len(merged) == 1
    assert merged[0].region == "Asia" and merged[0].countries[0] == "JP"
    assert {merged[0].source, *(a.name for a in merged[0].also)} == {"DW", "BBC"}
    assert {s.region for s in stories} == {"Asia", "Germany", "Americas"}
