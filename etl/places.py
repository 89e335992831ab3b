"""Place and agency mentions in bulletin text, resolved against the gazetteer.

Why this is more than a dictionary lookup: bulletins name places the way people speak
(缙云公安, 丽水莲都, 在侨乡青田), many short names are ordinary words or exist in several
provinces (天台上, 江山如画, 长春社区, 普陀), and town or street names sit right before
派出所 (三合派出所). A wrong county is worse than none, so a name counts only when the text
supports it:

* a full name with its suffix (温岭市, 青田县, 浙江省) always counts; one that exists
  more than once nationally (普陀区, 朝阳区) resolves only with a qualifying parent right
  before it (舟山普陀, 北京市朝阳区) or a matching ``city_hint``;
* a short name counts when an agency word follows (缙云公安, 昆山市公安局), when its
  city or province stands right before it (丽水莲都, 浙江天台), or standing alone when
  it exists once in China and is not an ordinary word (在松阳, 去年徐州, 柳州). Outside
  Zhejiang only cities and county-level cities stand alone (districts and counties such
  as 新建区, 东湖区, 平原县 are mostly words), and only where no ordinary word around
  it hides it (带来|安全 hides 来安, 太平洋 hides 太平, 民警王建华 hides 建华): the words
  and their counts come from jieba's dictionary (boundary_words.csv, generated);
* a name right before 街道/社区/村/镇/路… is a locality, and a name right before
  派出所/中队/… is a town's station, not a county;
* a town, township or street (towns.csv, from jionlp) names its county: its full name
  (下渚湖街道, 梅城镇) when it exists in one county of China, or in one county of the
  qualifier right before it (建德市梅城镇) or of the hint's city, then the hint's
  province; its short name only before its station (高亭派出所) or right after its
  county (岱山高亭). Such mentions have ``via_town`` set; a bare town has kind "town";
* within one scan, a station named under its county bureau (…鄞州分局百丈派出所) lends
  that county to its short name later on (百丈派出所组建了…);
* former names (富阳市, 绍兴县, 襄樊市: renamed.csv, generated, and aliases.csv) resolve
  to today's code;
* 全省/全市/全县 and a bare 市公安局 take their place from ``city_hint`` (the column
  label or manifest region) and are left with no place without it.

An agency is kept as written and extended over chained sub-units, each deeper than the
last (温岭市公安局横峰派出所, but not its 无人机中队); a sub-unit naming a place inside
a city (丽水市公安局莲都分局, 金华市市公安局江南分局) narrows the place to it.

Public API: ``scan``, ``resolve``, ``from_publisher``, ``by_code``, ``city_of``,
``zhejiang_counties``, ``all_places``, ``agency_kind``, and the ``Place``/``Mention`` records.

The vocabulary lives in ``data/reference/`` (gazetteer.csv, aliases.csv, renamed.csv,
towns.csv, boundary_words.csv, ambiguous_names.csv, agency_words.csv, outlet_words.csv);
this module only holds the mechanism. Speed: the
text is swept by three precompiled regexes (Zhejiang and province names, suffix
characters, agency words) and Python only looks at their hits, so a page costs a few
C-level passes rather than a loop over 3,000 names.
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple
from pathlib import Path

from etl.config import REFERENCE_DIR
from etl.trie import trie_regex as _trie_regex

HOME_PROVINCE = "330000"  # short names stand alone only here (and for provinces)
#: a unit's own name (横峰 in 横峰派出所) never holds these: they mean the text moved on
_NOT_IN_UNIT_NAME = "|".join(list("的了在与及等对向把被将为从以由各") + (
    "组织 开展 联合 协助 会同 配合 指导 带领 今年 去年 全年 近年 目前 累计 新建 建成 建立 设立 "
    "现有 已有 共有 辖区 全县 全市 各地").split())
CJK = "\u4e00-\u9fff"
#: characters that may stand right before a name without being part of it (由百丈派出所)
_BEFORE_A_NAME = set("在由与和及同、的是为被将对从向到经赴至跟让使")
#: common surnames: a short name of another province right after one is a person's given
#: name (民警王建华), not the county
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘蒋蔡"
                "杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范贾夏韦邹孟熊秦邱尹薛闫段雷侯史陶黎贺顾"
                "毛郝龚邵严覃戴莫孔汤项俞楼章詹柯虞裘邬倪鲍缪应葛柴傅翁洪胡屠毕祝")


@dataclass(frozen=True)
class Place:
    code: str | None
    name: str
    short: str
    level: str  # province | city | county
    city_code: str | None
    city: str | None
    province: str | None


class Mention(NamedTuple):
    """A named tuple rather than a frozen dataclass: a page makes dozens of them, and a
    frozen dataclass costs several times more to build."""
    start: int
    end: int
    text: str
    place: Place | None
    agency: str | None
    kind: str  # agency | place | town
    confident: bool
    #: the place came from a town, township or street (梅城镇, 百丈派出所), not from a
    #: county or city name: ``place`` is that town's county. A town with its station
    #: (梅城派出所) keeps kind "agency"; a bare town name (下渚湖街道) has kind "town".
    via_town: bool = False


class GazetteerError(ValueError):
    """A reference file is missing or malformed; the message names the file and the reason."""


# ---------------------------------------------------------------------------- loading

@dataclass(frozen=True)
class _Entry:
    place: Place
    province_code: str | None
    ambiguous: bool  # the csv flag: duplicated short name or an ordinary word
    requires_city: bool = False  # alias valid only where the city is known (开发区)
    is_alias: bool = False


def _read_table(path: Path, columns: list[str]) -> list[list[str]]:
    """Rows of a large generated file as lists in ``columns`` order (no dict per row)."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            missing = [c for c in columns if c not in header]
            if missing:
                raise GazetteerError(f"{path}: missing column(s) {', '.join(missing)}")
            idx = [header.index(c) for c in columns]
            if idx == list(range(len(columns))) and len(header) == len(columns):
                return [r for r in reader if len(r) == len(columns)]
            return [[r[i] for i in idx] for r in reader if len(r) == len(header)]
    except FileNotFoundError:
        raise GazetteerError(f"{path}: file not found (run scripts/build_gazetteer.py)") from None
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: not UTF-8 ({exc.reason})") from None


def _read_csv(path: Path, required: list[str]) -> list[dict]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise GazetteerError(f"{path}: missing column(s) {', '.join(missing)}")
            rows = list(reader)
    except FileNotFoundError:
        raise GazetteerError(f"{path}: file not found (run scripts/build_gazetteer.py)") from None
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: not UTF-8 ({exc.reason})") from None
    return rows


class _Gazetteer:
    def __init__(self, ref: Path):
        gz = _read_csv(ref / "gazetteer.csv", ["code", "name", "short", "level", "city_code",
                                                "city", "province_code", "province", "ambiguous"])
        al = _read_csv(ref / "aliases.csv", ["alias", "name", "short", "level", "county_code",
                                             "city_code", "city", "province", "requires_city"])
        aw = _read_csv(ref / "agency_words.csv", ["word", "kind", "depth", "town_unit"])
        amb = _read_csv(ref / "ambiguous_names.csv", ["name"])
        ren = _read_csv(ref / "renamed.csv", ["alias", "county_code"])
        tw = _read_table(ref / "towns.csv", ["name", "short", "type", "county_code"])
        bw = _read_table(ref / "boundary_words.csv", ["word", "count"])
        self.town_words = {w for w, _ in _read_table(ref / "town_words.csv", ["word", "count"])}
        ow = _read_csv(ref / "outlet_words.csv", ["word", "position"])

        self.by_code: dict[str, _Entry] = {}
        self.full: dict[str, list[_Entry]] = {}
        self.short: dict[str, list[_Entry]] = {}
        self.common = {r["name"].strip() for r in amb if r["name"].strip()}
        for i, r in enumerate(gz, start=2):
            code, level = r["code"].strip(), r["level"].strip()
            if not re.fullmatch(r"\d{6}", code) or level not in ("province", "city", "county"):
                raise GazetteerError(f"{ref / 'gazetteer.csv'}: line {i}: bad code or level")
            place = Place(code, r["name"], r["short"], level, r["city_code"] or None,
                          r["city"] or None, r["province"] or None)
            e = _Entry(place, r["province_code"] or None, r["ambiguous"] == "1")
            self.by_code[code] = e
            self.full.setdefault(place.name, []).append(e)
            if place.short != place.name:
                self.short.setdefault(place.short, []).append(e)
            elif place.short in self.common:  # 城区, 东区: a suffix-less word
                self.full[place.name].remove(e)
                self.short.setdefault(place.short, []).append(e)
        self.full = {k: v for k, v in self.full.items() if v}
        # 长沙 is 长沙市, not 长沙县 inside it: a short name a city shares only with its own
        # counties stands for the city (the county keeps its full name)
        for key, entries in self.short.items():
            cities = [x for x in entries if x.place.level == "city"]
            if len(entries) > 1 and len(cities) == 1 and all(
                    x is cities[0] or (x.place.level == "county" and x.place.city_code == cities[0].place.code)
                    for x in entries):
                self.short[key] = cities

        self.aliases: dict[str, list[_Entry]] = {}
        for i, r in enumerate(al, start=2):
            cc = r["county_code"].strip()
            if cc:
                base = self.by_code.get(cc)
                if base is None:
                    raise GazetteerError(f"{ref / 'aliases.csv'}: line {i}: unknown county_code {cc}")
                place = base.place
            else:
                if r["level"] not in ("city", "county"):
                    raise GazetteerError(f"{ref / 'aliases.csv'}: line {i}: bad level {r['level']!r}")
                if r["level"] == "city" and r["city_code"] in self.by_code:
                    place = self.by_code[r["city_code"]].place
                else:
                    place = Place(None, r["name"], r["short"] or r["name"], r["level"],
                                  r["city_code"] or None, r["city"] or None, r["province"] or None)
            prov = self.by_code[place.city_code].province_code if place.city_code in self.by_code else None
            self.aliases.setdefault(r["alias"], []).append(
                _Entry(place, prov, False, r["requires_city"] == "1", True))
        # former names (富阳市, 襄樊市): generated, and never over a hand-written alias;
        # found like full names (by their last character), not by the sweep
        self.former: set[str] = set()
        for i, r in enumerate(ren, start=2):
            base = self.by_code.get(r["county_code"].strip())
            if base is None:
                raise GazetteerError(f"{ref / 'renamed.csv'}: line {i}: unknown county_code {r['county_code']}")
            if r["alias"] not in self.aliases and r["alias"] not in self.full:
                # 平安县, 平安市: the former name of a word this genre uses for everything
                # else (获评“平安市”) needs its city known, as the bare word does
                needs_city = r["alias"][:-1] in self.common
                self.aliases[r["alias"]] = [_Entry(base.place, base.province_code, False, needs_city, True)]
                self.former.add(r["alias"])

        # towns: full name -> county entries; short name -> county entries; per county
        self.town_full: dict[str, list[_Entry]] = {}
        self.town_short: dict[str, list[_Entry]] = {}
        self.county_towns: dict[str, dict[str, str]] = {}  # county code -> {surface: full}
        known_short = self.full.keys() | self.short.keys() | self.aliases.keys() | self.common
        for i, (name, short, _type, code) in enumerate(tw, start=2):
            county = self.by_code.get(code)
            if county is None:
                raise GazetteerError(f"{ref / 'towns.csv'}: line {i}: unknown county_code {code}")
            if name in self.common:
                continue  # 小城镇: an ordinary word, whatever the township is called
            self.town_full.setdefault(name, []).append(county)
            kids = self.county_towns.setdefault(county.place.code, {})
            kids[name] = name
            if short not in known_short:
                # 东方镇 counts, 东方 alone never does; nor a county's name (松阳镇)
                self.town_short.setdefault(short, []).append(county)
                kids.setdefault(short, name)
        self.town_lengths = self._lengths_by_last_char(self.town_full)
        self.town_short_lengths = self._lengths_by_last_char(self.town_short)
        self.boundary = {w: int(c or 0) for w, c in bw if len(w) > 1}
        self.boundary_heads = {w[:2] for w in self.boundary}
        self.single_words = {w for w, _ in bw if len(w) == 1}
        self.town_prefixes = {c: {k[:2] for k in kids} for c, kids in self.county_towns.items()}
        # per city: surface -> the counties of that city with a town so called
        self.city_towns: dict[str, dict[str, list[_Entry]]] = {}
        for c, kids in self.county_towns.items():
            county = self.by_code[c]
            if county.place.city_code and county.place.city_code != c:
                d = self.city_towns.setdefault(county.place.city_code, {})
                for k in kids:
                    d.setdefault(k, []).append(county)
        self.city_town_prefixes = {c: {k[:2] for k in d} for c, d in self.city_towns.items()}
        self.town_max_len_city = {c: max(len(k) for k in d) for c, d in self.city_towns.items()}
        self.town_max_len = {c: max(len(k) for k in kids) for c, kids in self.county_towns.items()}
        by_len = lambda ws: sorted(ws, key=len, reverse=True)  # noqa: E731
        self.outlet_prefix = by_len(r["word"] for r in ow if r["position"] == "prefix")
        self.outlet_suffix = by_len([r["word"] for r in ow if r["position"] == "suffix"]
                                    + [r["word"] for r in aw])

        self.agency: dict[str, tuple[str, int, bool]] = {}  # word -> (kind, depth, town_unit)
        self.locality: dict[str, bool] = {}  # word -> True for locality, False for ordinary
        for i, r in enumerate(aw, start=2):
            kind = r["kind"].strip()
            if kind in ("locality", "ordinary"):
                self.locality[r["word"]] = kind == "locality"
            elif kind in ("police", "traffic", "fire", "justice", "unit"):
                try:
                    self.agency[r["word"]] = (kind, int(r["depth"]), r["town_unit"] == "1")
                except ValueError:
                    raise GazetteerError(f"{ref / 'agency_words.csv'}: line {i}: depth must be a number") from None
            else:
                raise GazetteerError(f"{ref / 'agency_words.csv'}: line {i}: unknown kind {kind!r}")

        # children by ancestor code, for 丽水莲都 / 浙江天台 / 丽水市公安局莲都分局
        self.children: dict[str, dict[str, list[_Entry]]] = {}
        for e in self.by_code.values():
            p = e.place
            for anc in {p.city_code, e.province_code} - {None, p.code}:
                d = self.children.setdefault(anc, {})
                d.setdefault(p.name, []).append(e)
                d.setdefault(p.short, []).append(e)
        for alias, entries in self.aliases.items():
            for e in entries:
                if e.place.code is None and e.place.city_code:
                    self.children.setdefault(e.place.city_code, {}).setdefault(alias, []).append(e)
                elif e.place.code is not None and not e.requires_city:
                    # 山东省即墨市公安局 (即墨区 since 2017): a former name under its parents too
                    for anc in {e.place.city_code, e.province_code} - {None, e.place.code}:
                        self.children.setdefault(anc, {}).setdefault(alias, []).append(e)

        # a surface naming exactly one county that has towns: for 岱山高亭
        self.county_of_surface: dict[str, str] = {}
        for table in (self.full, self.short, self.aliases):
            for surface, entries in table.items():
                codes = {x.place.code for x in entries}
                if (len(codes) == 1 and entries[0].place.level == "county"
                        and entries[0].place.code in self.county_towns):
                    self.county_of_surface.setdefault(surface, entries[0].place.code)
        # every surface form, for look-backs and the blocker check
        self.any_name = set(self.full) | set(self.short) | set(self.aliases) | self.common
        self.max_len = max(len(n) for n in self.any_name)
        self.any_name_heads = {n[:2] for n in self.any_name}
        self.full_lengths = self._lengths_by_last_char(set(self.full) | self.former)
        self.full_or_former = set(self.full) | self.former
        self.any_lengths = self._lengths_by_last_char(self.any_name)
        self.kid_lengths = {code: sorted({len(k) for k in kids}, reverse=True)
                            for code, kids in self.children.items()}
        self._info: dict[str, tuple] = {}
        self.hints: dict = {}  # city hint -> its entry (see _hint_entry)

        # the swept vocabulary: home-province and province short names (ambiguous ones
        # too, so that they block overlapping readings), ordinary-word names, aliases
        sweep = (set(self.aliases) - self.former) | self.common | set(_SCOPE_WORDS)
        for e in self.by_code.values():
            if e.province_code == HOME_PROVINCE or e.place.level == "province":
                sweep.add(e.place.short)
        self.sweep_re = _trie_regex(sweep)
        # short names of other provinces that may stand alone, swept apart so that they
        # only fill gaps the names above leave (来安 never hides 安吉 in 带来安吉)
        # (cities and county-level cities only: 新建区, 东湖区, 平原县 are words)
        foreign = {e.place.short for e in self.by_code.values()
                   if e.province_code != HOME_PROVINCE
                   and (e.place.level == "city" or (e.place.level == "county" and e.place.name.endswith("市")))
                   and not e.ambiguous and e.place.short != e.place.name
                   and len(self.short.get(e.place.short, ())) == 1} - sweep
        # found by a two-character class pass and a set lookup: a trie of 600 names with
        # 450 first characters costs three times as much in ``re``
        self.foreign = foreign
        self.foreign_bigrams = {w[:2] for w in foreign}
        self.foreign_lengths = sorted({len(w) for w in foreign}, reverse=True)
        # (a leading class, not a lookahead, so that ``re`` skips ahead in C)
        self.foreign_pre = re.compile("[%s](?=[%s])" % ("".join(sorted({w[0] for w in foreign})),
                                                        "".join(sorted({w[1] for w in foreign}))))
        # full names (缙云县, 富阳市) and towns (梅城镇, 下渚湖街道) are found in one sweep for
        # the characters they end with, then looked up by their last two characters: most
        # hits (城市, 全县, 乡村) end no name at all and cost one dict lookup
        self.full_ends = self._lengths_by_last_two(self.full_or_former)
        self.town_ends = self._lengths_by_last_two(self.town_full)
        self.anchor_re = re.compile("[" + "".join(sorted(set(self.full_lengths) | set(self.town_lengths))) + "]")
        self.agency_re = _trie_regex(w for w, (k, _, _) in self.agency.items() if k != "unit")
        # a unit's own name (横峰, 头门港): up to five characters, none of them a particle
        # or a verb-like word that would mean the text has moved on (缙云县组织派出所…)
        name_char = f"(?!{_NOT_IN_UNIT_NAME})[{CJK}]"
        self.segment_re = re.compile(f"((?:{name_char}){{0,5}}?)(" + _trie_regex(self.agency).pattern + ")")
        self.locality_re = _trie_regex(self.locality)
        self.station_re = _trie_regex(w for w, (_, _, town) in self.agency.items() if town)

    @staticmethod
    def _lengths_by_last_two(names) -> dict[str, list[int]]:
        """Lengths of the names ending in each pair of characters, longest first (a name
        found at a position is the longest one ending there, as with _lengths_by_last_char)."""
        by: dict[str, set[int]] = {}
        for n in names:
            if len(n) < 2:
                raise GazetteerError(f"a place or town name of one character cannot be found: {n!r}")
            by.setdefault(n[-2:], set()).add(len(n))
        return {k: sorted(v, reverse=True) for k, v in by.items()}

    @staticmethod
    def _lengths_by_last_char(names) -> dict[str, list[int]]:
        by: dict[str, set[int]] = {}
        for n in names:
            by.setdefault(n[-1], set()).add(len(n))
        return {k: sorted(v, reverse=True) for k, v in by.items()}

    def info(self, surface: str) -> tuple:
        """(full, short, alias, standalone-eligible, alias-is-agency, parent) for a surface form."""
        got = self._info.get(surface)
        if got is None:
            full = self.full.get(surface, [])
            short = [] if full else self.short.get(surface, [])
            alias = self.aliases.get(surface, [])
            # a name that exists once in China and is not an ordinary word stands alone
            # (在松阳, 去年徐州); one of another province only where no word hides it
            standalone = len(short) == 1 and not alias and not short[0].ambiguous
            alias_agency = bool(alias) and any(surface.endswith(w) for w in self.agency)
            parents = [e for e in (full or self.short.get(surface, []))
                       if e.place.level in ("province", "city")]
            parent = parents[0] if len(parents) == 1 and not alias else None
            got = self._info[surface] = (full, short, alias, standalone, alias_agency, parent)
        return got


@lru_cache(maxsize=4)
def _gazetteer(ref: Path = REFERENCE_DIR) -> _Gazetteer:
    return _Gazetteer(Path(ref))


# ---------------------------------------------------------------------------- helpers

_SCOPE_WORDS = {"全省": "province", "全市": "city", "全县": "county", "全区": "county",
                "全州": "city", "全盟": "city", "全旗": "county"}
#: the level a bare 省/市/州/盟 bureau speaks for (县, 区, 旗: a county's)
_GENERIC_LEVEL = {"省": "province", "市": "city", "州": "city", "盟": "city"}
_NOT_SCOPE_BEFORE = set("安完健齐保")  # 安全市场, 健全市场, 完全区别
_NOT_SCOPE_AFTER = set("场域")


def _hint_entry(g: _Gazetteer, city_hint) -> _Entry | None:
    """The hint's gazetteer entry (a page asks for the same one for each article)."""
    if not city_hint:
        return None
    try:
        return g.hints[city_hint]
    except KeyError:
        found = g.hints[city_hint] = _resolve_entry(g, str(city_hint).strip(), None)
        return found
    except TypeError:  # an unhashable hint: not remembered
        return _resolve_entry(g, str(city_hint).strip(), None)


def _in_scope(e: _Entry, scope: _Entry) -> bool:
    """Does place ``e`` lie within (or equal) the hint or qualifier ``scope``?"""
    s = scope.place
    p = e.place
    if s.code is not None and p.code == s.code:
        return True
    if s.level == "province":
        return e.province_code == scope.province_code
    if s.level == "city":
        return p.city_code == s.city_code
    # a county hint: its own city is the scope for duplicates, the county for scope words
    return p.city_code is not None and p.city_code == s.city_code


def _pick(entries: list[_Entry], scopes: list[_Entry]) -> _Entry | None:
    """The one entry the scopes allow; None when zero or several remain (never guess)."""
    uniq = entries if len(entries) == 1 else list({id(e): e for e in entries}.values())
    if len(uniq) == 1 and not uniq[0].requires_city:
        return uniq[0]
    for scope in scopes:
        narrowed = [e for e in uniq if _in_scope(e, scope)]
        if len(narrowed) == 1:
            return narrowed[0]
        if narrowed:
            uniq = narrowed
    return _city_over_districts(uniq)


def _city_over_districts(entries: list[_Entry]) -> _Entry | None:
    """西安 is 西安市, not 辽源's or 牡丹江's 西安区: when the scopes leave one
    prefecture-level city and districts of other cities named like it, the name means the
    city (a district is written with its 区: 西安区). Counties (兴安县) and provinces (吉林省)
    keep the name ambiguous."""
    cities = [e for e in entries if e.place.level == "city"]
    if len(cities) != 1 or len(entries) < 2:
        return None
    city = cities[0].place
    if all(e is cities[0] or (e.place.level == "county" and e.place.name == city.short + "区"
                              and e.place.city_code != city.code) for e in entries):
        return cities[0]
    return None


_CODE_RE = re.compile(r"\d{2}|\d{4}|\d{6}")


def _resolve_entry(g: _Gazetteer, name: str, hint: _Entry | None) -> _Entry | None:
    name = name.strip()
    if _CODE_RE.fullmatch(name):
        return g.by_code.get(name.ljust(6, "0"))
    scopes = [hint] if hint else []
    for table in (g.full, g.aliases, g.short):
        entries = table.get(name)
        if entries:
            hit = _pick(entries, scopes)
            if hit is not None or table is not g.aliases:
                return hit
    return None


def _scope_place(level: str, hint: _Entry | None, g: _Gazetteer) -> tuple[Place | None, bool]:
    """全省/全市/全县, 市公安局: the hint's place at that level, else None.

    None rather than a made-up place: a caller that knows the article's city from
    elsewhere (its column label) can still attach the figure at that level.
    """
    if hint is not None:
        p = hint.place
        if level == "province" and hint.province_code in g.by_code:
            return g.by_code[hint.province_code].place, True
        if level == "city" and p.city_code in g.by_code and p.level != "province":
            return g.by_code[p.city_code].place, True
        if level == "city" and p.level == "city":
            return p, True
        if level == "county" and p.level == "county":
            return p, True
    return None, False


# ---------------------------------------------------------------------------- scanning

def scan(text: str, city_hint: str | None = None, start: int = 0, end: int | None = None) -> list[Mention]:
    """All place and agency mentions in ``text``, in order and non-overlapping.

    ``city_hint`` (a code or a name such as 丽水 or 331100) is the city the text is known
    to be about (a column label, a manifest region); it settles duplicated names
    (普陀区), bare 开发区 and 全市, and never creates a mention by itself.
    ``start``/``end`` limit the mentions to those starting in text[start:end] (one
    article of a page) while keeping offsets into the whole text.
    """
    if not text:
        return []
    g = _gazetteer()
    hint = _hint_entry(g, city_hint)
    n = len(text)
    end = n if end is None else end
    cands: dict[tuple[int, int], str] = {}
    ends: set[int] = set()

    prev_end = start
    for m in g.sweep_re.finditer(text, start, end):
        s, e = m.span()
        # a sweep hit stands alone only if no other name straddles its start (南宁|海关)
        cands[(s, e)] = "sweep" if prev_end == s else "sweep?%d" % prev_end
        ends.add(e)
        prev_end = e
    # full names (a hit of the last-character class, then its last two characters), and
    # the ends of town names, whose candidates are added after the agency words' below
    full_ends, full = g.full_ends, g.full_or_former
    town_ends, town_full = g.town_ends, g.town_full
    town_at: list[tuple[int, int]] = []
    for m in g.anchor_re.finditer(text, start, end):
        a = m.end()
        if a < 2:
            continue  # every name has two characters at least
        pair = text[a - 2:a]
        lengths = full_ends.get(pair)
        if lengths is not None:
            for L in lengths:
                if L <= a and text[a - L:a] in full:
                    cands.setdefault((a - L, a), "full")
                    ends.add(a)
                    break
        lengths = town_ends.get(pair)
        if lengths is not None:
            for L in lengths:
                if L <= a and text[a - L:a] in town_full:
                    town_at.append((a - L, a))
                    break
    any_lengths, any_name, agency = g.any_lengths, g.any_name, g.agency
    agency_starts: list[int] = []
    for m in g.agency_re.finditer(text, start, end):
        s = m.start()
        agency_starts.append(s)
        if s in ends or s == 0:
            continue
        found = False
        for L in any_lengths.get(text[s - 1], ()):
            if L <= s and text[s - L:s] in any_name:
                cands.setdefault((s - L, s), "name")
                found = True
                break
        if (not found and text[s - 1] in "省市县区州盟旗" and (s < 2 or text[s - 2] not in "全辖")
                and not agency[m.group(0)][2]):
            # 市公安局, 区公安分局, 州公安局, 旗公安局, 自治区公安厅: no name
            a = s - 3 if text.startswith("自治", s - 3) else s - 1
            cands.setdefault((a, m.end()), "generic")
        elif not found and agency[m.group(0)][2]:
            # 百丈派出所: a town's short name right before its station
            for L in g.town_short_lengths.get(text[s - 1], ()):
                if L <= s and text[s - L:s] in g.town_short:
                    cands.setdefault((s - L, s), "townshort")
                    break
    # full names of towns, townships and streets: 梅城镇, 下渚湖街道
    locality = g.locality
    for s, a in town_at:
        w = g.locality_re.match(text, a - 1 if text[a - 1] != "道" else a - 2)
        if not (w and w.end() > a and locality.get(w.group(0)) is False):  # 乡村, 镇街
            cands.setdefault((s, a), "town")
    # short names of other provinces standing alone, where nothing else was found
    hits = []
    last = start
    foreign, bigrams = g.foreign, g.foreign_bigrams
    for m in g.foreign_pre.finditer(text, start, end):
        a = m.start()
        if a < last or text[a:a + 2] not in bigrams:
            continue
        for L in g.foreign_lengths:
            if a + L <= end and text[a:a + L] in foreign:
                hits.append((a, a + L))
                last = a + L
                break
    if hits:
        covered = set()
        for a, b in cands:
            covered.update(range(a, b))
        for a, b in hits:
            if (a, b) not in cands and not covered.intersection(range(a, b)):
                cands[(a, b)] = "foreign"
    # short names of the hint's own districts and counties outside Zhejiang (a 常州
    # outlet's 武进、新北两地): the region qualifies them as 丽水 does 莲都
    kids_re = _hinted_kids_re(g, hint.place.city_code) if (
        hint is not None and hint.province_code != HOME_PROVINCE and hint.place.level != "province") else None
    if kids_re is not None:
        for m in kids_re.finditer(text, start, end):
            a, b = m.span()
            if not any(x < b and a < y for x, y in cands):
                cands[(a, b)] = "hinted"
    # qualified children of province/city names (江苏昆山, 丽水莲都) and towns right
    # after their county (岱山高亭)
    county_of = g.county_of_surface
    for (s, e), tag in list(cands.items()):
        if tag in ("generic", "town", "townshort"):
            continue
        surface = text[s:e]
        parent = g.info(surface)[5]
        if parent is None:
            code = county_of.get(surface)
            if code is not None and text[e:e + 2] in g.town_prefixes[code]:
                towns = g.county_towns[code]
                for L in range(min(g.town_max_len[code], n - e), 1, -1):
                    if text[e:e + L] in towns:
                        cands.setdefault((e, e + L), "towninside")
                        break
            continue
        kids = g.children.get(parent.place.code, {})
        for L in g.kid_lengths.get(parent.place.code, ()):
            if e + L <= n and text[e:e + L] in kids:
                cands.setdefault((e, e + L), "child")
                break
        else:
            # 舟山高亭, 杭州梅城镇: a town of one of the city's counties
            code = parent.place.code
            if parent.place.level == "city" and text[e:e + 2] in g.city_town_prefixes.get(code, ()):
                towns = g.city_towns[code]
                for L in range(min(g.town_max_len_city[code], n - e), 1, -1):
                    if text[e:e + L] in towns:
                        cands.setdefault((e, e + L), "towninside")
                        break

    chosen = _non_overlapping(cands)
    station, station_named = g.station_re.search, False
    out: list[Mention] = []
    consumed = 0
    prev: tuple[int, int, _Entry | None] | None = None  # last place-like span, for qualifiers
    for s, e in chosen:
        if s < consumed or s < start:
            continue
        tag = cands[(s, e)]
        mention = _classify(g, text, s, e, tag, hint, prev, agency_starts)
        if mention is None:
            continue
        if (prev and prev[1] == s and out and out[-1].end == s and out[-1].agency is None
                and prev[2] is not None and mention.place is not None
                and _entry_of(g, mention.place) is not None
                and _in_scope(_entry_of(g, mention.place), prev[2])
                and prev[2].place.level in ("province", "city") and mention.place != prev[2].place):
            # 丽水莲都公安, 舟山市普陀区: the qualifier and the name are one mention
            q = out.pop()
            mention = Mention(q.start, mention.end, text[q.start:mention.end], mention.place,
                              text[q.start:mention.end] if mention.agency else None,
                              mention.kind, mention.confident, mention.via_town)
        out.append(mention)
        consumed = mention.end
        prev = (mention.start, mention.end, None if mention.agency else _entry_of(g, mention.place))
        if (mention.agency is not None and mention.place is not None and not station_named
                and mention.place.level == "county" and station(mention.agency, 2)):
            station_named = True
    if station_named:
        out = _stations_named_again(g, text, out, start, end)
    return _towns_of_named_counties(g, text, out, start, end, hint)


def _towns_of_named_counties(g: _Gazetteer, text: str, out: list[Mention], start: int,
                             end: int | None, hint: _Entry | None) -> list[Mention]:
    """普陀区（含普陀山、朱家尖）… later 普陀山、朱家尖两大景区…: within one scan (one
    article), the towns of a county the text names (or the page's own county) are named by
    their short names too, standing alone. A name two of those counties share, or one that
    ordinary words around it hide, settles nothing; nor does one before 路/村/社区, nor one
    that is an ordinary word itself (建设, 桃花: town_words.csv)."""
    codes = {m.place.code for m in out if m.place is not None and m.place.level == "county"
             and m.confident and m.place.code in g.county_towns}
    if hint is not None and hint.place.level == "county" and hint.place.code in g.county_towns:
        codes.add(hint.place.code)
    if not codes:
        return out
    rx, owner = _county_towns_re(g, tuple(sorted(codes)))
    if rx is None:
        return out
    taken = [(m.start, m.end) for m in out]
    added = []
    dropped = []
    for hit in rx.finditer(text, start, len(text) if end is None else end):
        a, b = hit.span()
        code = owner.get(hit.group())
        if code is None:
            continue
        inside = None
        if any(x < b and a < y for x, y in taken):
            # 沙河驿 (a town of 迁安) is no 沙河 (a city of 邢台) followed by 驿: a shorter
            # bare name of another county inside the named county's town gives way to it
            inner = [m for m in out if m.start < b and a < m.end]
            inside = inner[0] if len(inner) == 1 else None
            if not (inside is not None and a <= inside.start and inside.end <= b
                    and inside.end - inside.start < b - a and inside.agency is None
                    and inside.kind == "place" and inside.place is not None
                    and inside.place.code != code):
                continue
        if _followed_by_locality(g, text, b) or (hit.group() not in g.town_full and (
                _hidden(g, text, a, b) or not _standing_as_a_town(text, a, b))):
            continue
        if inside is not None:
            dropped.append(inside)
        added.append(Mention(a, b, text[a:b], g.by_code[code].place, None, "town", True, True))
        taken.append((a, b))
    if not added:
        return out
    if dropped:
        gone = {id(m) for m in dropped}
        out = [m for m in out if id(m) not in gone]
    return sorted(out + added, key=lambda m: m.start)


#: what stands after a short town name read as a place: the rest of a list of towns (等镇,
#: 两地), or the town as an area (辖区, 景区, 一带); not 万象|更新
_AS_A_TOWN_AFTER = re.compile(r"、|等(?:乡镇|镇街|镇|乡|街道|地|景区)|[一两二三四]地|辖区|境内|一带|片区|景区|古镇")


def _standing_as_a_town(text: str, a: int, b: int) -> bool:
    """Is the short town name text[a:b] an item of a list of places (普陀山、朱家尖) or
    followed by words that treat it as an area (杜桥、白水洋等镇, 佛堂一地, 崧厦辖区)?"""
    return (a > 0 and text[a - 1] == "、") or bool(_AS_A_TOWN_AFTER.match(text, b))


_COUNTY_TOWNS: dict[tuple, tuple] = {}


def _county_towns_re(g: _Gazetteer, codes: tuple) -> tuple:
    """(regex of the towns' names, name -> county code) for a set of counties, cached."""
    key = (id(g), codes)
    got = _COUNTY_TOWNS.get(key)
    if got is None:
        owner: dict[str, str | None] = {}
        for c in codes:
            for name in g.county_towns[c]:
                if len(name) >= 2 and name not in g.town_words:
                    owner[name] = c if owner.get(name, c) == c else None
        owner = {k: v for k, v in owner.items() if v is not None}
        if len(_COUNTY_TOWNS) > 512:
            _COUNTY_TOWNS.clear()
        got = _COUNTY_TOWNS[key] = (_trie_regex(owner) if owner else None, owner)
    return got


def _stations_named_again(g: _Gazetteer, text: str, out: list[Mention], start: int, end: int) -> list[Mention]:
    """宁波市公安局鄞州分局百丈派出所 … later 百丈派出所: the later one is in 鄞州 too.

    Within one scan (one article), a station first named under its county bureau lends
    that county to its short name later on; a name two counties share is left alone.
    """
    memory: dict[str, Place | None] = {}
    station = g.station_re.search
    for m in out:
        if m.agency is None or m.place is None or m.place.level != "county" or not station(m.agency, 2):
            continue
        for seg in g.segment_re.finditer(m.agency):
            name, word = seg.group(1), seg.group(2)
            if name and g.agency[word][2]:
                key = name + word
                memory[key] = m.place if memory.get(key, m.place) == m.place else None
    memory = {k: v for k, v in memory.items() if v is not None}
    if not memory:
        return out
    fixed: list[Mention] = []
    taken = []
    for m in out:
        if m.place is None and m.agency and m.agency in memory:
            m = Mention(m.start, m.end, m.text, memory[m.agency], m.agency, "agency", True, True)
        fixed.append(m)
        taken.append((m.start, m.end))
    # plain str.find per name (an article remembers one or two): a regex built per article
    # would fill re's pattern cache and evict every module's compiled patterns
    hits = []
    stop = len(text) if end is None else end
    for key in sorted(memory, key=len, reverse=True):
        i = text.find(key, start, stop)
        while i >= 0:
            hits.append((i, i + len(key), key))
            i = text.find(key, i + len(key), stop)
    hits.sort()
    added = False
    for a, b, key in hits:
        if any(x < b and a < y for x, y in taken):
            continue
        if a > 0 and "\u4e00" <= text[a - 1] <= "\u9fff" and text[a - 1] not in _BEFORE_A_NAME:
            continue  # 东百丈派出所: part of a longer name
        fixed.append(Mention(a, b, text[a:b], memory[key], text[a:b], "agency", True, True))
        taken.append((a, b))
        added = True
    if added:
        fixed.sort(key=lambda m: m.start)
    return fixed


_HINTED_KIDS: dict[tuple[int, str | None], re.Pattern | None] = {}


def _hinted_kids_re(g: _Gazetteer, city_code: str | None) -> re.Pattern | None:
    """Short names of a city's districts and counties that the sweeps above never look
    for (outside Zhejiang, not ordinary words: 天河 and 朝阳 still need their 区 or an
    agency word), once per city. A name several cities share (鼓楼) is settled by the hint."""
    key = (id(g), city_code)
    if key not in _HINTED_KIDS:
        names = {e.place.short for k, es in g.children.get(city_code or "", {}).items() for e in es
                 if e.place.level == "county" and k == e.place.short != e.place.name
                 and e.place.short not in g.common and len(e.place.short) >= 2}
        _HINTED_KIDS[key] = _trie_regex(names) if names else None
    return _HINTED_KIDS[key]


def _blocked(g: _Gazetteer, text: str, s: int, e: int, prev_end: int) -> bool:
    """Does another known name straddle this hit's start (南宁|海关 hides 宁海)?"""
    for k in range(max(prev_end, s - 3), s):
        if text[k:k + 2] not in g.any_name_heads:
            continue  # no name starts with these two characters (every name has two)
        for end in range(s + 1, e + 1):
            if text[k:end] in g.any_name:
                return True
    return False


def _entry_of(g: _Gazetteer, place: Place | None) -> _Entry | None:
    if place is None:
        return None
    if place.code is not None:
        return g.by_code.get(place.code)
    return None


def _non_overlapping(cands: dict[tuple[int, int], str]) -> list[tuple[int, int]]:
    """In text order; where spans overlap the longer wins (ties: the leftmost)."""
    kept: list[tuple[int, int]] = []
    # by start, the longer first: two stable C-level sorts instead of a key per span
    order = sorted(cands, key=itemgetter(1), reverse=True)
    order.sort(key=itemgetter(0))
    for s, e in order:
        if kept and kept[-1][1] > s:
            if e - s > kept[-1][1] - kept[-1][0]:
                kept[-1] = (s, e)
            continue
        kept.append((s, e))
    return kept


def _tail(g: _Gazetteer, text: str, pos: int, allow_named_head: bool, starts: list[int]):
    """Agency words chained after a place: 公安局 → 横峰派出所, stopping at 无人机中队.

    Returns (end, segments) with segments as (name, word, kind, depth, town_unit).
    A bare word (公安, 警方, 消防) ends the chain; each further unit must sit deeper
    than the one before.
    """
    segs: list[tuple] = []
    i = bisect_left(starts, pos)
    if i == len(starts) or starts[i] > pos + 5:
        return pos, segs  # no agency word close enough: skip the regex
    depth = -1
    while True:
        m = g.segment_re.match(text, pos)
        if not m:
            break
        name, word = m.group(1), m.group(2)
        kind, d, town = g.agency[word]
        if not segs:
            if kind == "unit" or (name and (d == 0 or not allow_named_head)):
                break
        elif d == 0 or d <= depth:
            break
        segs.append((name, word, kind, d, town))
        pos = m.end()
        depth = d
        if d == 0:
            break
    return pos, segs


def _home_name_at(g: _Gazetteer, text: str, i: int) -> bool:
    """Does a Zhejiang county or city name (short or full) start at text[i]?"""
    for L in (4, 3, 2):
        entries = g.full.get(text[i:i + L]) or g.short.get(text[i:i + L])
        if entries and any(x.province_code == HOME_PROVINCE for x in entries):
            return True
    return False


#: words after a name that is also an ordinary word (ambiguous_names.csv) that make it
#: that word: 滨江一带 is the riverside, 西湖沿岸 the lakeside
_AREA_WORDS = ("一带", "沿线", "沿岸", "两岸", "沿江", "公园", "广场", "码头")


def _followed_by_locality(g: _Gazetteer, text: str, e: int) -> bool:
    m = g.locality_re.match(text, e)
    return bool(m and m.end() > e and g.locality.get(m.group(0), False))


def _classify(g: _Gazetteer, text: str, s: int, e: int, tag: str, hint: _Entry | None,
              prev: tuple[int, int, _Entry | None] | None, starts: list[int]) -> Mention | None:
    surface = text[s:e]
    if tag == "generic":  # 市公安局 with no name: the hint's city, else unresolved
        word = surface[2] if surface.startswith("自治") else surface[0]
        level = ("province" if surface.startswith("自治区") else
                 _GENERIC_LEVEL.get(word, "county"))
        end, segs = _tail(g, text, s + (3 if surface.startswith("自治") else 1), False, starts)
        place, ok = _scope_place(level, hint, g)
        if level == "city":  # 市公安局吴兴分局: the district the sub-unit names
            sub = _district_of_subunit(g, segs, place)
            if sub is not None:
                place, ok = sub, True
        return Mention(s, end, text[s:end], place, text[s:end], "agency", ok)

    if tag in ("town", "townshort", "towninside"):
        return _classify_town(g, text, s, e, tag, hint, prev, starts)
    if tag in ("foreign", "hinted") and _hidden(g, text, s, e):
        return None

    # 全州 is also 全州县's short name: written as a name it has its 县 (the longer match)
    if surface in _SCOPE_WORDS and surface not in g.full:
        if (s > 0 and text[s - 1] in _NOT_SCOPE_BEFORE) or (e < len(text) and text[e] in _NOT_SCOPE_AFTER):
            return None
        level = _SCOPE_WORDS[surface]
        if surface == "全区" and hint is not None and hint.place.name.endswith(("自治区", "地区")):
            level = hint.place.level  # 全区 in 宁夏 or 毕节地区 news: the whole region
        place, ok = _scope_place(level, hint, g)
        end, segs = _tail(g, text, e, False, starts)  # 全市公安机关
        agency = text[s:end] if segs else None
        return Mention(s, end, text[s:end], place, agency, "agency" if agency else "place", ok)

    qualifier = prev[2] if prev and prev[1] == s and prev[2] is not None else None
    scopes = [x for x in (qualifier, hint) if x is not None]

    full, short, alias, standalone_ok, alias_agency, _ = g.info(surface)
    if len(surface) == 2 and (surface in g.former or full) and qualifier is None \
            and not _own_word(text, s, e) and not _tail(g, text, e, True, starts)[1]:
        return None  # 担任县长 holds 任县, 完成县级 成县: a two-character name needs room
    if short and _followed_by_locality(g, text, e):
        return None  # 丽水路, 长春社区, 松阳街道: a street or a community, not the county
    if surface in g.common and text.startswith(_AREA_WORDS, e):
        return None  # 新安江街道滨江一带, 西湖沿岸: a word for the riverside, not the district
    if standalone_ok and tag not in ("sweep", "foreign"):
        standalone_ok = tag.startswith("sweep?") and not _blocked(g, text, s, e, int(tag[6:]))
    end, segs = _tail(g, text, e, bool(full) or standalone_ok or bool(alias), starts)

    if full and tag == "full" and _inside_a_word(g, text, s, e) and not any(
            x.province_code == HOME_PROVINCE for x in full):
        return None  # 示范县 is a model county, not 范县 of Henan
    if (full and tag == "full" and surface[-2:] in _SCOPE_WORDS and s > 0
            and text[s - 1:s + 1] in g.boundary and qualifier is None):
        return None  # 假期七天全县共接待…: 七天|全县, not 天全县 of Sichuan
    if full:
        entry = _pick(full, scopes)
        place = entry.place if entry else None
        confident = entry is not None
    elif alias:
        usable = [a for a in alias if not a.requires_city]
        if usable:
            entry = _pick(usable, scopes)
        else:
            # bare 开发区 / 江南分局: a mention only as an agency, resolved by context alone
            if not (segs or alias_agency):
                return None
            ctx = [x for x in scopes if x.place.level != "province"]
            entry = _pick(alias, ctx) if ctx else None
            if entry is not None and not any(_in_scope(entry, c) for c in ctx):
                entry = None
        place = entry.place if entry else None
        confident = entry is not None
    elif short:
        qualified = qualifier is not None and any(_in_scope(x, qualifier) for x in short)
        direct = segs and not segs[0][0]  # 缙云公安, not 松阳西屏派出所
        bare = direct and segs[0][3] == 0
        town = direct and segs[0][4]
        agency_ok = direct and not town and not (
            bare and any(x.ambiguous and x.province_code != HOME_PROVINCE for x in short))
        # 缙云由公安牵头: the county is the subject of a police-led effort
        led = text.startswith(("由公安", "由县公安", "由市公安", "由区公安"), e) and any(
            x.province_code == HOME_PROVINCE for x in short)
        # 缙云、云和两地公安: the next item of a list of places is a place too
        home = any(x.province_code == HOME_PROVINCE for x in short)
        listed = home and (
            (prev is not None and prev[2] is not None and s > 0 and text[s - 1] == "、"
             and prev[1] == s - 1 and prev[2].province_code == HOME_PROVINCE)
            # ... and so is the first item, when a Zhejiang name follows (象山、定海、兰溪)
            or (text.startswith("、", e) and _home_name_at(g, text, e + 1)))
        hinted = tag == "hinted" and any(_in_scope(x, hint) for x in short)
        # 常山去年火灾起数下降三成 in a 衢州 paper: a line (a headline, a paragraph) that
        # opens with the short name of one of the page's own places is that place, even when
        # the name is also a word; the region or column says whose, a word around it says no
        opening = (home and hint is not None and (s == 0 or text[s - 1] in "\n\r")
                   and any(_in_scope(x, hint) for x in short) and bool(_AFTER_AN_OPENING_NAME.match(text, e))
                   and not _inside_a_word(g, text, s, e))
        if opening and not qualified:
            qualifier, qualified = hint, True
        if not (standalone_ok or qualified or agency_ok or led or listed or hinted):
            if direct and not town and bare and any(x.province_code == HOME_PROVINCE for x in short):
                # 西湖公安, 普陀公安 with no city given: a bureau of one of the places so
                # named (one of them in Zhejiang: 平安公安 is a slogan), but the text does not
                # say which. Kept unresolved, so that its figures are not handed to the
                # county named before it.
                entry = _pick(short, scopes)  # a column label or region can still settle it
                return Mention(s, end, text[s:end], entry.place if entry else None, text[s:end],
                               "agency", entry is not None)
            return None
        if (led or listed) and not qualified:
            short = [x for x in short if x.province_code == HOME_PROVINCE]
        entry = _pick([x for x in short if _in_scope(x, qualifier)] if qualified else short, scopes)
        place = entry.place if entry else None
        confident = entry is not None
    else:
        return None

    # a tail naming a place inside this one: 丽水市公安局莲都分局, 金华市市公安局江南分局
    if place is not None and place.level in ("province", "city") and segs:
        kids = g.children.get(place.code or "", {})
        for name, word, *_ in segs:
            for key in (name + word, name):
                sub = kids.get(key) if key else None
                if sub:
                    found = _pick(sub, [g.by_code[place.code]] if place.code in g.by_code else [])
                    if found is None and len(sub) >= 1 and all(x.requires_city for x in sub):
                        within = [x for x in sub if x.place.city_code == place.city_code]
                        found = within[0] if len(within) == 1 else None
                    if found is not None:
                        place = found.place
                    break

    agency = text[s:end] if (segs or alias_agency) else None
    return Mention(s, end, text[s:end], place, agency, "agency" if agency else "place", confident)


def _own_word(text: str, s: int, e: int) -> bool:
    """Does text[s:e] stand as a word of its own: nothing or a particle on its left (在户县,
    ，沛县), and no word made with its 县 on its right (在任县长 is no 任县)?"""
    left = s == 0 or not ("\u4e00" <= text[s - 1] <= "\u9fff") or text[s - 1] in _BEFORE_A_NAME
    return left and not (e < len(text) and text[e] in _AFTER_COUNTY_WORD and text[e - 1] == "县")


#: what follows a place that opens a headline (常山去年…, 江山上半年…, 天台一季度…, 玉环：,
#: 临海2023年…): a time, a number or a break; not the rest of a word (江山如画, 临海而建)
_AFTER_AN_OPENING_NAME = re.compile(
    r"[\d０-９：:，,、 　]|[今去前]年|上半年|下半年|全年|[一二三四1-4]季度|前三季度|[一二三四五六七八九十]+月"
    r"|近[年期日]|日前|元旦|春节|春运|五一|国庆|暑期|汛期|连续|首|再|又|全[县市区]")


#: 县长, 县委, 县城, 县级, 县域, 县里: words that begin with the 县 of a two-character name
_AFTER_COUNTY_WORD = set("长委城级域里")


def _inside_a_word(g: _Gazetteer, text: str, s: int, e: int) -> bool:
    """Does an ordinary word (boundary_words.csv) cover text[s:e] and more?"""
    bw = g.boundary
    for a in range(max(0, s - 2), s + 1):
        if text[a:a + 2] not in g.boundary_heads:
            continue  # no word starts with these two characters (every word has two or more)
        for b in range(e, min(len(text), a + 4) + 1):
            if (a, b) != (s, e) and text[a:b] in bw:
                return True
    return False


def _district_of_subunit(g: _Gazetteer, segs: list[tuple], city: Place | None) -> Place | None:
    """The county-level place a city bureau's sub-unit names (吴兴分局 under 市公安局):
    one of the known city's children, or without a city a name that stands alone."""
    for name, word, *_ in segs:
        if not name:
            continue
        if city is not None and city.code in g.by_code:
            kids = g.children.get(city.code, {})
            sub = kids.get(name + word) or kids.get(name)
            found = _pick(sub, [g.by_code[city.code]]) if sub else None
            if found is None and sub and all(x.requires_city for x in sub):
                within = [x for x in sub if x.place.city_code == city.city_code]
                found = within[0] if len(within) == 1 else None
        else:
            full, short, alias, standalone, _, _ = g.info(name)
            found = (_pick(full, []) if full else short[0] if standalone else None)
        if found is not None and found.place.level == "county":
            return found.place
    return None


def _hidden(g: _Gazetteer, text: str, s: int, e: int) -> bool:
    """Is this short name of another province part of ordinary words around it?

    带来安全 hides 来安 (带来 before, 安全 after); 太平洋 hides 太平; 民警王建华 hides 建华.
    A word covering the name hides it, so do words on both edges, so does one very
    common word on either edge (社会治安平稳: 治安 before 安平), and so does a word on one
    edge when the name's other character is a common word by itself (一个|旧社会).
    """
    if s > 0 and text[s - 1] in _SURNAMES:
        return True
    bw = g.boundary
    left = right = 0
    for a in range(max(0, s - 3), e):
        for b in range(max(a + 2, s + 1), min(len(text), a + 4) + 1):
            if (a, b) == (s, e) or b <= s:
                continue
            count = bw.get(text[a:b])
            if count is None:
                continue
            if a <= s and b >= e:
                return True  # 太平洋, 白山黑水
            if a < s:
                left = max(left, count)
            elif b > e:
                right = max(right, count)
    if (right and text[s] in g.single_words) or (left and text[e - 1] in g.single_words):
        return True  # 一个|旧社会: the name's other character is a word by itself
    return bool(left and right) or left >= _STRONG_WORD or right >= _STRONG_WORD


_STRONG_WORD = 2000  # a word counted this often in jieba's corpus hides a name on one edge


def _town_scopes(g: _Gazetteer, scope: _Entry) -> list[_Entry]:
    """A scope and its wider parents: county, its city, its province."""
    out = [scope]
    p = scope.place
    if p.level == "county" and p.city_code in g.by_code and p.city_code != p.code:
        out.append(g.by_code[p.city_code])
    if p.level != "province" and scope.province_code in g.by_code:
        out.append(g.by_code[scope.province_code])
    return out


def _pick_town(g: _Gazetteer, entries: list[_Entry], scopes: list[_Entry]) -> _Entry | None:
    """The one county a town name can be in: unique in China, or within the qualifier
    right before it, or within the hint's city, then its province."""
    uniq = list({e.place.code: e for e in entries}.values())
    if len(uniq) == 1:
        return uniq[0]
    for scope in scopes:
        for sc in _town_scopes(g, scope):
            sp = sc.place
            if sp.level == "county" and sp.code:
                narrowed = [e for e in uniq if e.place.code == sp.code]
            elif sp.level == "city":
                narrowed = [e for e in uniq if e.place.city_code == sp.city_code]
            else:
                narrowed = [e for e in uniq if e.province_code == sc.province_code]
            if len(narrowed) == 1:
                return narrowed[0]
            if narrowed:
                uniq = narrowed
    return None


def _classify_town(g: _Gazetteer, text: str, s: int, e: int, tag: str, hint: _Entry | None,
                   prev: tuple[int, int, _Entry | None] | None, starts: list[int]) -> Mention | None:
    surface = text[s:e]
    qualifier = prev[2] if prev and prev[1] == s and prev[2] is not None else None
    scopes = [x for x in (qualifier, hint) if x is not None]
    if tag == "towninside":
        if qualifier is None:
            return None
        if qualifier.place.level == "county":
            entries = [qualifier]  # 岱山高亭: the county just named
        else:  # 舟山高亭: the city's one county with a town so called
            entries = g.city_towns.get(qualifier.place.code, {}).get(surface, [])
            if len({x.place.code for x in entries}) != 1:
                return None
    elif tag == "townshort":
        entries = g.town_short.get(surface, [])
    else:
        entries = g.town_full.get(surface, [])
    entry = _pick_town(g, entries, scopes)
    if entry is None:
        return None  # a town name several counties share settles nothing
    if tag == "townshort" and hint is not None and entry.province_code != hint.province_code:
        # 海岛派出所 in a 舟山 paper is an island's station, not 霞浦's 海岛乡: a short town
        # name is weak evidence and never takes a figure out of the page's own province
        return None
    end, segs = _tail(g, text, e, tag != "town", starts)
    if tag == "townshort" and not (segs and segs[0][4] and not segs[0][0]):
        return None  # a short town name counts only right before its station
    agency = text[s:end] if segs else None
    return Mention(s, end, text[s:end], entry.place, agency, "agency" if agency else "town",
                   True, True)


# ---------------------------------------------------------------------------- lookups

def resolve(name: str, city_hint: str | None = None) -> Place | None:
    """A manifest region or a label (缙云县, 缙云, 丽水市, 331122, 浙江省丽水市缙云县) as a Place.

    None when the name is unknown or could be several places the hint does not settle.
    """
    if not name or not str(name).strip():
        return None
    if isinstance(name, str) and (city_hint is None or isinstance(city_hint, str)):
        return _resolve_str(name, city_hint)
    return _resolve(name, city_hint)


@lru_cache(maxsize=4096)
def _resolve_str(name: str, city_hint: str | None) -> Place | None:
    """resolve() of strings, remembered: a page resolves its column labels and each
    figure's province again and again, and the gazetteer does not change."""
    return _resolve(name, city_hint)


def _resolve(name, city_hint) -> Place | None:
    g = _gazetteer()
    name = str(name).strip()
    hint = _hint_entry(g, city_hint)
    entry = _resolve_entry(g, name, hint)
    if entry is not None:
        return entry.place
    found = [m for m in scan(name, city_hint) if m.confident and m.place is not None]
    if found and found[-1].end == len(name) and found[0].start == 0:
        return found[-1].place
    return None


def by_code(code: str) -> Place | None:
    code = str(code).strip()
    if not _CODE_RE.fullmatch(code):
        return None
    e = _gazetteer().by_code.get(code.ljust(6, "0"))
    return e.place if e else None


def city_of(place: Place | None) -> Place | None:
    """The prefecture-level city of a place (itself for a city); None for a province.

    A municipality's districts have the municipality (a province-level place) as city.
    """
    if place is None or place.level == "province":
        return None
    if place.level == "city":
        return by_code(place.city_code) if place.code is None and place.city_code else place
    return by_code(place.city_code) if place.city_code else None


def zhejiang_counties() -> list[Place]:
    g = _gazetteer()
    return [e.place for code, e in sorted(g.by_code.items())
            if e.province_code == HOME_PROVINCE and e.place.level == "county"]


def all_places() -> list[Place]:
    """Every gazetteer place, then each code-less alias place once (for the counties table)."""
    g = _gazetteer()
    out = [e.place for _, e in sorted(g.by_code.items())]
    seen = set()
    for entries in g.aliases.values():
        for e in entries:
            if e.place.code is None and e.place not in seen:
                seen.add(e.place)
                out.append(e.place)
    return out


def _home_or_resolved(g: _Gazetteer, core: str) -> _Entry | None:
    """``core`` resolved; a name several places share resolves to its one Zhejiang place
    (今日象山, 普陀新闻网): the outlets whose bulletins this project reads are Zhejiang's, as
    the staff who write the manifests are (``extract._region_place`` reads a region so)."""
    entry = _resolve_entry(g, core, None)
    if entry is None and len(core) >= 2:
        for table in (g.full, g.short):
            home = [e for e in table.get(core, ()) if e.province_code == HOME_PROVINCE]
            if len(home) == 1:
                return home[0]
    return entry


@lru_cache(maxsize=1024)
def from_publisher(name: str | None) -> Place | None:
    """The place an outlet's name says it serves: 德清新闻网 -> 德清县, 诸暨日报 -> 诸暨市,
    浙江法制报 -> 浙江省, 今日象山 -> 象山县; None for 人民公安报 or a name two places outside
    Zhejiang share (鼓楼区人民政府).

    Outlet words (outlet_words.csv) and agency words are peeled off both ends and what
    remains must be exactly one gazetteer name, or a name one Zhejiang place shares with places
    elsewhere (普陀新闻网 is 舟山's 普陀); a Zhejiang name that is also a word still does (江山新闻网: no outlet is
    called after 江山如画), one of another province does not (江南晚报).
    """
    if not name or not str(name).strip():
        return None
    g = _gazetteer()
    core = re.sub(r"[\s\W_]+", "", str(name))
    entry = _home_or_resolved(g, core)
    changed = True
    # one word at a time, stopping at the first name: 桐乡新闻网 -> 桐乡, never on to 桐
    # (乡 is a locality word too)
    while changed and core and entry is None:
        changed = False
        for w in g.outlet_prefix:
            if core.startswith(w) and len(core) > len(w):
                core, changed = core[len(w):], True
                break
        else:
            for w in g.outlet_suffix:
                if core.endswith(w) and len(core) > len(w):
                    core, changed = core[: -len(w)], True
                    break
        entry = _home_or_resolved(g, core)
    if entry is not None and entry.ambiguous and entry.place.level == "city" and core == entry.place.short:
        return entry.place  # 红河日报, 大理日报: an outlet is named after its city, not a word
    if entry is None or (entry.ambiguous and entry.province_code != HOME_PROVINCE
                         and core != entry.place.name):
        return None  # 江南晚报 is no paper of Nanning's 江南区
    return entry.place


@lru_cache(maxsize=4096)
def agency_kind(agency: str | None) -> str | None:
    """police, traffic, fire or justice: the kind of the last agency word in ``agency``."""
    if not agency:
        return None
    g = _gazetteer()
    best = None
    for m in g.segment_re.finditer(agency):
        kind = g.agency[m.group(2)][0]
        if kind != "unit":
            best = kind
    return best
