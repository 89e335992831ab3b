"""Filters in the URL, kept across pages; language switch; demo banner; new snapshots."""
from __future__ import annotations

import re

import datetime as dt

from support import ingest
from test_app_pages import chart, frames, run_app

BANNER = "合成演示数据"


def test_url_round_trip_applies_filters_and_gives_same_link(app_env):
    query = {"since": "2020-01-01", "until": "2030-12-31", "cities": "331100",
             "categories": "disputes,arrests", "include_demo": "0"}
    at = run_app("figures", query)
    s = at.session_state
    assert s["f_since"] == dt.date(2020, 1, 1) and s["f_until"] == dt.date(2030, 12, 31)
    assert s["f_cities"] == ["331100"] and s["f_categories"] == ["disputes", "arrests"]
    assert s["f_demo"] is False
    # applied: every row shown is in the categories asked for and is not synthetic
    df = frames(at)[0]
    assert len(df) >= 1
    assert set(df["指标"]) <= {"化解矛盾纠纷", "排查矛盾纠纷", "纠纷化解成功率", "抓获嫌疑人", "抓获逃犯",
                              "打掉犯罪团伙"}
    assert set(df["演示"]) == {""}
    # same link out
    for k, v in query.items():
        assert at.query_params[k] == v
    # and kept when moving to another page
    at.switch_page("pages/counties.py").run()
    assert not at.exception
    assert at.session_state["f_cities"] == ["331100"]
    for k, v in query.items():
        assert at.query_params[k] == v


def test_filter_change_updates_url(app_env):
    at = run_app("overview")
    assert "include_demo" not in at.query_params
    at.sidebar.checkbox(key="f_demo").uncheck().run()
    assert at.query_params["include_demo"] == "0"
    at.sidebar.multiselect(key="f_categories").select("disputes").run()
    assert at.query_params["categories"] == "disputes"


def test_stale_link_does_not_break_the_page(app_env):
    at = run_app("overview", {"since": "not-a-date", "cities": "999999", "lang": "xx"})
    assert at.session_state["f_since"] is None
    assert [t.value for t in at.title] == ["总览"]


def test_language_switch_changes_labels(app_env):
    at = run_app("counties", {"metric": "disputes_resolved|count"})
    assert at.sidebar.multiselect(key="f_cities").label == "地市"
    at.sidebar.radio(key="f_lang").set_value("en").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Counties"]
    assert at.query_params["lang"] == "en"
    assert at.sidebar.multiselect(key="f_cities").label == "Cities"
    assert at.selectbox(key="co_metric").label == "Metric"
    spec = chart(at, "co_ranking")
    assert spec["layout"]["xaxis"]["title"]["text"].startswith("Disputes resolved")
    assert "As written" in spec["data"][0]["hovertext"][0]
    assert all(not re.search(r"[\u4e00-\u9fff]", y) for tr in spec["data"] for y in tr["y"])   # pinyin names
    assert all(w.value.startswith("Note:") for w in at.warning)


def test_english_link_opens_in_english(app_env):
    at = run_app("quality", {"lang": "en"})
    assert [t.value for t in at.title] == ["Data quality"]
    assert "files not loaded" in [m.label for m in at.metric]


def test_synthetic_banner_present_with_demo_data_and_absent_without(app_env):
    at = run_app("overview")
    assert any(BANNER in w.value for w in at.warning)
    at.sidebar.checkbox(key="f_demo").uncheck().run()
    assert not any(BANNER in w.value for w in at.warning)
    # every page carries the banner when demo data is shown
    for page in ("counties", "initiatives", "figures", "quality"):
        assert any(BANNER in w.value for w in run_app(page).warning), page
        assert not any(BANNER in w.value for w in run_app(page, {"include_demo": "0"}).warning), page


def test_new_snapshot_is_picked_up_without_restart(monkeypatch, warehouse_copy, tmp_path):
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(warehouse_copy))
    at = run_app("overview")
    before = int({m.label: m.value for m in at.metric}["通报数"])
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "2025-03-02_松阳公安.txt").write_text(
        "丽水:\n\n松阳公安推进平安建设\n\n通讯员 周洁\n\n本报讯 今年以来，松阳公安破获各类案件86起，"
        "抓获犯罪嫌疑人54人。\n", encoding="utf-8")
    ingest([extra], warehouse_copy)
    at.run()
    assert not at.exception
    after = int({m.label: m.value for m in at.metric}["通报数"])
    assert after == before + 1
    # the sidebar names the data by its load time and size, not by a snapshot file name
    stamp = at.sidebar.caption[-1].value
    assert f"{after} 份通报" in stamp and ".duckdb" not in stamp
