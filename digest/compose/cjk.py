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

Hangul is spaced, but particles attach to the noun (미국의, 미국은), so Korean names are
matched as substrings too; Korean words are not split into bigrams.
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
        "US": ("华盛顿", "華盛頓", "硅谷", "矽谷", "加州", "ワシントン", "워싱턴"),
        "GB": ("英格兰", "英格蘭", "苏格兰", "蘇格蘭", "威尔士", "威爾斯"),
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
    kind: str  # one of _KINDS, or "configured" (the editor's)


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


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
        if len(codes) == 1:
            table[name] = min(claims, key=lambda ck: _KINDS.index(ck[1]))
    return table


def place_names(text: str, extra: Iterable[tuple[str, str]] = ()) -> list[Found]:
    """Country, region and city names in ``text``, longest first at each place, left to
    right, never overlapping. ``extra``: the editor's own (name, code) pairs with CJK
    characters, read before CLDR's (code "-": not a place)."""
    if not has_cjk(text):
        return []
    table = _cldr_names()
    own = {name: (code, "configured") for name, code in extra}
    longest = _longest(tuple(sorted(own)))
    out: list[Found] = []
    i, n = 0, len(text)
    while i < n:
        hit = None
        for length in range(min(max(longest.get(text[i], 0), _TABLE_LONGEST().get(text[i], 0)),
                                n - i), 1, -1):
            piece = text[i : i + length]
            hit = own.get(piece) or table.get(piece)
            if hit:
                out.append(Found(i, piece, hit[0], hit[1]))
                i += length
                break
        if not hit:
            i += 1
    return out


@lru_cache(maxsize=1)
def _TABLE_LONGEST() -> dict[str, int]:
    return _longest(tuple(_cldr_names()))


@lru_cache(maxsize=64)
def _longest(names: tuple[str, ...]) -> dict[str, int]:
    """first character → length of the longest name starting with it."""
    out: dict[str, int] = {}
    for name in names:
        out[name[0]] = max(out.get(name[0], 0), len(name))
    return out
