"""Chinese, Japanese and Korean text, where words are not set apart by spaces.

Two things the word-based rules cannot do there:

* **Split for similarity.** A run of Han or kana characters is one "word" to a regular
  expression; ``bigrams`` turns it into overlapping two-character terms, the usual unit for
  comparing Chinese text without a dictionary ("德国总理默克尔" → 德国, 国总, 总理, …).
* **Find places.** ``place_names`` finds country and city names as substrings, longest
  first. The names come from the Unicode CLDR (through Babel, already a dependency): every
  territory's name and every time zone's city in Simplified and Traditional Chinese,
  Japanese and Korean, plus a short table of our own for capitals and seats of power that
  have no time zone (北京, 华盛顿, 白宫, 克里姆林宫 …). Nothing is downloaded.

Hangul is spaced, but particles attach to the noun (미국의, 미국은): a Korean name counts
where it starts a word and ends it or takes a particle (``_stands_alone``); Korean words
are not split into bigrams.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from digest.sanitize import UNSPACED_CHARS as _UNSPACED

_HANGUL = "\uac00-\ud7af"
_UNSPACED_RUN = re.compile(f"[{_UNSPACED}]+")
_CJK = re.compile(f"[{_UNSPACED}{_HANGUL}]")

_LOCALES = ("zh_Hans", "zh_Hant", "ja", "ko")
# CLDR macro-regions → our regions ("@…" codes count for a region, not a country)
_CLDR_REGIONS = {
    "150": "@Europe", "002": "@Africa", "019": "@Americas", "419": "@Americas",
    "021": "@Americas", "005": "@Americas", "013": "@Americas", "142": "@Asia",
    "009": "@Oceania", "145": "@Middle East",
}
# Capitals and big places that CLDR names no time zone after, seats of power and leaders,
# written as the press writes them (Simplified, then Traditional where it differs), by kind.
_OWN_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "place": {
        "CN": ("北京", "广州", "廣州", "深圳", "天津", "重庆", "重慶", "武汉", "武漢", "南京",
               "成都", "杭州", "西藏", "新疆", "内蒙古", "內蒙古"),
        "US": ("华盛顿", "華盛頓", "硅谷", "矽谷", "加州", "ワシントン", "워싱턴", "アメリカ",
               "米国"),
        "GB": ("英格兰", "英格蘭", "苏格兰", "蘇格蘭", "威尔士", "威爾斯", "北爱尔兰",
               "北愛爾蘭", "北アイルランド", "북아일랜드"),
        "MM": ("ミャンマー",), "PS": ("巴勒斯坦", "パレスチナ", "팔레스타인"),
        "IN": ("新德里",), "CA": ("渥太华", "渥太華"), "AU": ("堪培拉",),
        "BR": ("巴西利亚", "巴西利亞"), "TR": ("安卡拉",), "PK": ("伊斯兰堡", "伊斯蘭堡"),
        "ZA": ("比勒陀利亚", "比勒陀利亞"), "NG": ("阿布贾", "阿布賈"),
        "JP": ("大阪", "京都", "福岛", "福島"), "KR": ("首尔", "首爾"),
        "TW": ("台湾", "臺灣", "台灣"), "HK": ("香港",), "MO": ("澳门", "澳門"),
        "EU": ("布鲁塞尔", "布魯塞爾"),
    },
    # parts of the world, and pairs of them that hold a country's name ("欧美国家": Western
    # countries, not the United States), which "-" reads as no place
    "region": {
        "@Americas": ("南美", "北美", "拉美", "拉丁美洲"), "@Middle East": ("中东", "中東"),
        "@Asia": ("东南亚", "東南亞", "中亚", "中亞"), "-": ("欧美", "歐美"),
    },
    "institution": {
        "CN": ("中南海", "全国人大", "全國人大"),
        "US": ("白宫", "白宮", "五角大楼", "五角大樓", "美联储", "美聯儲", "国会山", "國會山",
               "ホワイトハウス", "백악관"),
        "RU": ("克里姆林宫", "克里姆林宮", "クレムリン", "크렘린"),
        "GB": ("唐宁街", "唐寧街"), "FR": ("爱丽舍宫", "愛麗舍宮"),
        "DE": ("联邦议院", "聯邦議院"), "KR": ("青瓦台",), "EU": ("欧盟", "歐盟"),
    },
    "person": {
        "DE": ("默克尔", "梅克爾", "朔尔茨", "蕭茲", "メルケル", "메르켈"),
        "RU": ("普京", "普丁", "プーチン", "푸틴"),
        "US": ("奥巴马", "歐巴馬", "奧巴馬", "特朗普", "川普", "拜登", "トランプ", "트럼프"),
        "CN": ("习近平", "習近平", "李克强", "李克強"), "IN": ("莫迪",),
        "TR": ("埃尔多安", "艾爾多安"), "IL": ("内塔尼亚胡", "內塔尼亞胡", "納坦雅胡"),
        "SY": ("阿萨德", "阿薩德"), "UA": ("泽连斯基", "澤倫斯基"), "FR": ("马克龙", "馬克宏"),
        "KP": ("金正恩",), "JP": ("安倍晋三", "安倍",), "KR": ("朴槿惠",),
    },
}


@dataclass(frozen=True, slots=True)
class Found:
    offset: int  # characters into the text
    text: str
    code: str  # ISO code, "@Region", or "-" (the editor said: no place)
    kind: str  # one of _KINDS, "short" (_SHORT) or "configured" (the editor's)


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


_LETTER = re.compile(r"[^\W\d_]")


def mostly_cjk(text: str) -> bool:
    """At least as much of ``text`` is CJK as anything else, a CJK character counting four
    letters ("Storm Ciara batters UK (路透)" is English; "BBC调查：我爸花500块" is not)."""
    cjk = len(_CJK.findall(text))
    return cjk > 0 and 4 * cjk >= len(_LETTER.findall(text)) - cjk


def bigrams(token: str) -> list[str]:
    """``token`` with its Han/kana runs cut into overlapping pairs of characters (a run of
    one character stays one); other parts ("G20", Latin letters) stay whole."""
    out: list[str] = []
    pos = 0
    for m in _UNSPACED_RUN.finditer(token):
        if m.start() > pos:
            out.append(token[pos : m.start()])
        run = m.group()
        out.extend(run[k : k + 2] for k in range(max(1, len(run) - 1)))
        pos = m.end()
    if pos < len(token):
        out.append(token[pos:])
    return out


def needs_split(token: str) -> bool:
    return _UNSPACED_RUN.search(token) is not None


_KINDS = ("name", "city", "place", "region", "institution", "person")
# CLDR names that are more often something else: "中美" is China–US (Traditional Chinese
# for Central America), "万象" "all things" (Vientiane), Korean 수단 "means" (Sudan), 가자
# "let's go" (Gaza), 오만 "arrogance" (Oman), 가나 (Ghana, and the alphabet); small towns
# that name a time zone (Dawson, Nome, Juneau, Chatham …) are transliterations of names too.
_NOT_NAMES = frozenset({
    "中美", "万象", "道森", "查坦", "波夕", "诺姆", "諾姆", "朱诺", "朱諾", "鵝灣", "伯斯",
    "수단", "가자", "오만", "가나", "주노", "도슨", "칸톤", "오랄", "살타", "다윈", "싯카", "몽턴",
    "채텀", "말리", "치타", "里加", "达尔文", "達爾文",
})
_KATAKANA = re.compile("[\u30a0-\u30fa\u30fc-\u30ff]")  # not the "・" between names
_HANGUL_CHAR = re.compile(f"[{_HANGUL}]")
_HANGUL_WORD = re.compile(f"[{_HANGUL}]+")
# what may follow a Korean country or city name in the same word: particles, and the
# words news writes onto names (정부 government, 측 side, 산 made in, 인 a person of …)
_KOREAN_AFTER = frozenset({
    "의", "은", "는", "이", "가", "을", "를", "에", "에서", "에서는", "와", "과", "도", "로",
    "으로", "서", "까지", "부터", "만", "측", "산", "인", "정부", "군", "대통령", "총리",
    "외교부", "당국", "에게", "과의", "와의", "에서의", "으로의", "로의",
})


@lru_cache(maxsize=1)
def _cldr_names() -> dict[str, tuple[str, str]]:
    """name → (code, kind), from Babel's CLDR data and our own table; a name that two
    countries claim is left out."""
    from babel import Locale
    from babel.core import get_global

    from digest.compose.gazetteer import COUNTRY_CODES

    zones: Mapping[str, str] = get_global("zone_territories")
    found: dict[str, set[tuple[str, str]]] = {}

    def add(name: str, code: str, kind: str) -> None:
        name = name.strip()
        if len(name) >= 2 and has_cjk(name):
            found.setdefault(name, set()).add((code, kind))

    for tag in _LOCALES:
        loc = Locale.parse(tag)
        for code, name in loc.territories.items():
            if code in COUNTRY_CODES:
                add(name, code, "name")
            elif code in _CLDR_REGIONS:
                add(name, _CLDR_REGIONS[code], "region")
        for zone, info in loc.time_zones.items():
            code = zones.get(zone, "")
            city = info.get("city") if hasattr(info, "get") else None
            if code in COUNTRY_CODES and isinstance(city, str):
                add(city, code, "city")
    for kind, by_code in _OWN_NAMES.items():
        for code, names in by_code.items():
            for name in names:
                add(name, code, kind)
    table: dict[str, tuple[str, str]] = {}
    for name, claims in found.items():
        codes = {c for c, _ in claims}
        if len(codes) == 1 and name not in _NOT_NAMES:
            table[name] = min(claims, key=lambda ck: _KINDS.index(ck[1]))
    return table


def place_names(text: str, own: OwnNames | None = None) -> list[Found]:
    """Country, region and city names in ``text``, longest first at each place, left to
    right, never overlapping; where none starts, a country's one-character short form in
    the compounds that make it one (``_short_forms``). ``own``: the editor's names, read
    before CLDR's, in any case, one character long or more (code "-": not a place)."""
    if not has_cjk(text):
        return []
    own = own or _NO_NAMES
    lower = text.lower() if own.names else text
    out: list[Found] = []
    i, n = 0, len(text)
    while i < n:
        length, hit = _name_at(text, lower, i, own)
        if hit is not None:
            out.append(Found(i, text[i : i + length], hit[0], hit[1]))
            i += length
            continue
        found = _short_forms(text, lower, i, own)
        out += found
        i = found[-1].offset + 1 if found else i + 1
    return out


class OwnNames:
    """The editor's (name, code) pairs, ready for ``place_names``."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.names = {name.lower(): (code, "configured") for name, code in pairs}
        self.longest = _longest(self.names)

    def __bool__(self) -> bool:
        return bool(self.names)


def _name_at(text: str, lower: str, i: int, own: OwnNames) -> tuple[int, tuple[str, str] | None]:
    """The longest name starting at ``i``: (its length, (code, kind)), or (0, None)."""
    table = _cldr_names()
    most = max(own.longest.get(lower[i], 0), _table_longest().get(text[i], 0))
    for length in range(min(most, len(text) - i), 0, -1):
        hit = own.names.get(lower[i : i + length])
        if hit is None and length > 1:
            hit = table.get(text[i : i + length])
            if hit is not None and not _stands_alone(text, i, i + length):
                hit = None
        if hit:
            return length, hit
    return 0, None


def _stands_alone(text: str, start: int, end: int) -> bool:
    """A name is not part of a longer word: a katakana name not inside a katakana word
    (タイ in タイトル), a Korean name at a word's start and followed by a particle or
    nothing (미국의, not 리가 in 우리가 or 인도 in 인도적)."""
    first, last = text[start], text[end - 1]
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if _KATAKANA.match(first) and before and _KATAKANA.match(before):
        return False
    if _KATAKANA.match(last) and after and _KATAKANA.match(after):
        return False
    if _HANGUL_CHAR.match(first):
        if before and _HANGUL_CHAR.match(before):
            return False
        rest = _HANGUL_WORD.match(text, end)
        return rest is None or rest.group() in _KOREAN_AFTER
    return True


# Chinese news writes a country in one character inside set compounds: "法总统" (France's
# president), "中美关系" (China–US relations), "埃以边境" (the Egypt–Israel border), "访华"
# (to visit China); Japanese "日米関係", "米大統領". Read only there, and only where no full
# name starts. Simplified and Traditional forms.
_SHORT = {
    "中": "CN", "华": "CN", "華": "CN", "美": "US", "米": "US", "英": "GB", "法": "FR",
    "德": "DE", "独": "DE", "俄": "RU", "露": "RU", "日": "JP", "韩": "KR", "韓": "KR",
    "朝": "KP", "印": "IN", "越": "VN", "菲": "PH", "泰": "TH", "澳": "AU", "以": "IL",
    "埃": "EG", "土": "TR", "意": "IT", "加": "CA", "乌": "UA", "烏": "UA", "台": "TW",
    "港": "HK", "欧": "EU", "歐": "EU",
}
# after a country's short form: an office or body of that country
_OFFICES = frozenset({
    "总统", "總統", "总理", "總理", "首相", "外长", "外長", "防长", "防長", "国防", "國防",
    "外交", "政府", "大使", "军方", "軍方", "议会", "議會", "当局", "當局", "央行", "国王",
    "國王", "女王", "王室", "总督", "總督", "大統領", "外相", "首脳",
})
# short forms that are too often something else before an office ("以政府名义": in the
# government's name; "15日外交部": a date; "意外交通": an accident; "中方政府": a side)
_NO_OFFICE = frozenset("中华華以加欧歐日意独露")
# the characters before 法 that make it law, not France ("执法当局", "司法当局", "立法议会")
_LAW = frozenset("执執司立非合违違宪憲军軍刑民税稅护護守变變无無依国國")
# after two short forms: what two countries share
_BETWEEN = frozenset({
    "关系", "關係", "関係", "两国", "兩國", "双方", "雙方", "会谈", "會談", "会談", "峰会",
    "峰會", "边境", "邊境", "合作", "贸易", "貿易", "联合", "聯合", "举行", "舉行", "对话",
    "對話", "冲突", "衝突", "谈判", "談判", "外长", "外長", "领导", "領導", "军事", "軍事",
    "首脑", "首腦", "首脳", "争端", "爭端", "同盟", "协议", "協議", "友好", "联手", "聯手",
})
# going to, stationed in, arriving in a country ("访美", "驻日", "抵台")
_TOWARDS = frozenset("访訪赴驻駐抵")
_TOWARDS_SHORT = frozenset("华華美日英德法俄韩韓朝澳台港印越菲泰")
# being in, coming to, acting towards China: only with 华 ("在华", "来华", "对华"), as
# these verbs before other characters make other words ("越来越", "在日光下", "对美的")
_CHINA_TOWARDS = frozenset("对對来來在离離返援涉反亲親侵旅留")
# a short form followed by these is another word ("法院" a court, "台风" a typhoon)
_NOT_BEFORE = {
    "美": "丽麗好术術食女容德妙味景满滿感誉譽化观觀元", "日": "子期常前后後益夜内記记报報程方",
    "英": "语語文雄俊才勇明", "法": "律规規院庭治官案令制", "德": "行育", "华": "丽语文",
    "華": "麗語文", "台": "风風阶階上下词詞", "港": "口", "印": "象刷章记記",
    "越": "来來过過野发發狱獄", "朝": "向代着野廷阳陽气氣", "泰": "山斗",
}


def _short_ok(text: str, lower: str, k: int, own: OwnNames) -> bool:
    """The character at ``k`` can be a short form: no full name starts there and the next
    character does not make it another word."""
    return (text[k] in _SHORT and _name_at(text, lower, k, own)[1] is None
            and (k + 1 == len(text) or text[k + 1] not in _NOT_BEFORE.get(text[k], "")))


def _short_forms(text: str, lower: str, i: int, own: OwnNames) -> list[Found]:
    def found(k: int) -> Found:
        return Found(k, text[k], _SHORT[text[k]], "short")

    nxt = text[i + 1 : i + 2]
    if nxt and ((text[i] in _TOWARDS and nxt in _TOWARDS_SHORT)
                or (text[i] in _CHINA_TOWARDS and nxt in "华華")) \
            and _short_ok(text, lower, i + 1, own):
        return [found(i + 1)]
    if not _short_ok(text, lower, i, own):
        return []
    if text[i] not in _NO_OFFICE and not (text[i] == "法" and text[i - 1 : i] in _LAW) \
            and (text[i + 1 : i + 3] in _OFFICES or text[i + 1 : i + 4] in _OFFICES):
        return [found(i)]
    if nxt in _SHORT and nxt != text[i] and text[i + 2 : i + 4] in _BETWEEN \
            and _name_at(text, lower, i + 1, own)[1] is None:
        return [found(i), found(i + 1)]
    return []


@lru_cache(maxsize=1)
def _table_longest() -> dict[str, int]:
    return _longest(_cldr_names())


def _longest(names: Iterable[str]) -> dict[str, int]:
    """first character → length of the longest name starting with it."""
    out: dict[str, int] = {}
    for name in names:
        out[name[0]] = max(out.get(name[0], 0), len(name))
    return out


_NO_NAMES = OwnNames()
