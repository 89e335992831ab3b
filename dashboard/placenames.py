"""Place names for English readers: Hanyu Pinyin of the short name (缙云县 -> Jinyun).

Why pypinyin plus a table: the library reads characters well but not every place-name
reading (莲都 is Liandu, not Liandou; 长宁 is Changning). `data/reference/pinyin_overrides.csv`
holds those, keyed by the short name; tests/test_placenames.py checks every Zhejiang
county of the gazetteer. Apostrophes separate syllables that start with a, o or e
(Pan'an, Rui'an), as the official spelling does.

Why compounds are split: a bulletin's own area names are often a city's short name glued to
an area's (金华江南 for the Jiangnan branch of Jinhua's bureau, 丽水莲都). Read as one word
they come out as "Jinhuajiangnan", which no reader recognises; split where both parts are
known places (a city or county of the gazetteer before, any gazetteer place or town after),
they read "Jinhua Jiangnan", as the parts are spelled on their own. A name that is itself a
gazetteer place is never split (江山 stays Jiangshan).
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from etl.config import REFERENCE_DIR

OVERRIDES = REFERENCE_DIR / "pinyin_overrides.csv"
#: an outlet's words in English (日报 Daily, 新闻网 News Online); the rest of its name is a place
OUTLET_WORDS = REFERENCE_DIR / "outlet_words_en.csv"
#: how the demo corpus marks its invented outlets (丽水日报（演示）)
_DEMO_TAG = re.compile(r"\s*[（(]\s*演示\s*[)）]\s*$")
#: suffixes stripped before reading the name (longest first)
SUFFIXES = ("畲族自治县", "自治县", "经济技术开发区", "开发区", "新区", "省", "市", "县", "区")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def overrides() -> dict[str, str]:
    with open(OVERRIDES, encoding="utf-8-sig", newline="") as fh:
        return {r["short"].strip(): r["pinyin"].strip() for r in csv.DictReader(fh) if r.get("short")}


def short(name: str) -> str:
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf) + 1 - (suf in ("县", "区")):
            return name[: -len(suf)]
    return name


@lru_cache(maxsize=1)
def _known() -> tuple[frozenset, frozenset]:
    """(heads, places): short names a compound may start with (cities and counties of the
    gazetteer) and every known place name, short or full (gazetteer, towns, aliases)."""
    heads, places = set(), set()
    with open(REFERENCE_DIR / "gazetteer.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            places.update((r["name"], r["short"]))
            if r["level"] in ("city", "county") and len(r["short"]) >= 2:
                heads.add(r["short"])
    towns = REFERENCE_DIR / "towns.csv"
    if towns.is_file():
        with open(towns, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                places.update((r["name"], r["short"]))
    places.discard("")
    return frozenset(heads), frozenset(places)


def split_compound(s: str) -> tuple[str, str] | None:
    """(known city or county, known area) when `s` is the two glued together, else None."""
    heads, places = _known()
    if len(s) < 4 or s in places or s in overrides():
        return None
    for i in range(len(s) - 2, 1, -1):   # the longest known head first (哈尔滨…, 金华…)
        head, rest = s[:i], s[i:]
        if head in heads and (rest in places or short(rest) in places):
            return head, rest
    return None


@lru_cache(maxsize=4096)
def pinyin(name: str) -> str:
    """Pinyin of a place's short name, capitalised; non-Han text is kept as it is.

    A compound of two known places reads as two words (金华江南 -> Jinhua Jiangnan)."""
    if not name or not _HAN.search(name):
        return name or ""
    s = short(name.strip())
    if s in overrides():
        return overrides()[s]
    parts = None if name.strip() in _known()[1] else split_compound(s)
    if parts:
        return f"{pinyin(parts[0])} {pinyin(parts[1])}"
    return _read(s)


def _read(s: str) -> str:
    from pypinyin import Style, lazy_pinyin
    out = ""
    for syl in lazy_pinyin(s, style=Style.NORMAL, v_to_u=True):
        if not _HAN.search(syl) and out and syl[:1] in "aoe":
            out += "'"
        out += syl
    return out[:1].upper() + out[1:]


def place(name, lang: str = "zh", level: str | None = None) -> str:
    """A place as the reader's language writes it; a city-level place says so in English."""
    if name is None or (isinstance(name, float) and name != name):
        return ""
    name = str(name)
    if lang != "en":
        return name
    en = pinyin(name)
    if "开发区" in name:
        return en + " Development Zone"
    if level == "city":
        return en + " (city)"
    return en


@lru_cache(maxsize=1)
def _outlet_words() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(suffixes, prefixes) as (word, English), the longest first."""
    with open(OUTLET_WORDS, encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("word") and r.get("en")]
    def pick(pos):
        return tuple(sorted(((r["word"].strip(), r["en"].strip()) for r in rows if r["position"].strip() == pos),
                            key=lambda x: -len(x[0])))
    return pick("suffix"), pick("prefix")


def _outlet_en(text: str, depth: int = 0) -> str:
    suffixes, prefixes = _outlet_words()
    if depth < 4:
        for word, en in suffixes:
            if text.endswith(word) and len(text) > len(word):
                return f"{_outlet_en(text[: -len(word)], depth + 1)} {en}"
        for word, en in prefixes:
            if text.startswith(word) and len(text) > len(word):
                rest = _outlet_en(text[len(word):], depth + 1)
                return f"{rest} {en}" if en == "Today" else f"{en} {rest}"
    return pinyin(text)


def outlet(name, lang: str = "zh") -> str:
    """A bulletin's outlet as the reader's language writes it. English: the outlet's words in
    English and its place in pinyin, the name as printed kept in brackets so a reader can
    find the paper (丽水日报 -> 'Lishui Daily (丽水日报)'; 浙江法治报（演示） -> 'Zhejiang Rule of
    Law Daily (浙江法治报; demo)'). Chinese: as printed."""
    if name is None or (isinstance(name, float) and name != name):
        return ""
    text = str(name).strip()
    if lang != "en" or not _HAN.search(text):
        return text
    demo = bool(_DEMO_TAG.search(text))
    core = _DEMO_TAG.sub("", text)
    return f"{_outlet_en(core)} ({core}{'; demo' if demo else ''})"
