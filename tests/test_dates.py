"""Publication dates from file names and datelines, and periods resolved to dates.

DESIGN.md: never invent a date. Half of these cases check that we say nothing when the
evidence does not support a date.
"""
from __future__ import annotations

import datetime as dt

import pytest

from etl.dates import date_from_filename, date_from_text, parse_date, resolve_meta, resolve_period
from etl.manifest import Meta

D = dt.date


@pytest.mark.parametrize("name, expected", [
    ("2025-01-08_丽水公安通报.txt", (D(2025, 1, 8), "day")),
    ("20250108_lishui.html", (D(2025, 1, 8), "day")),
    ("2025_01_08.docx", (D(2025, 1, 8), "day")),
    ("bulletin-2025-01-08-p3.pdf", (D(2025, 1, 8), "day")),
    ("data/2024-12-31/x.txt", None),                 # only the file name counts
    ("丽水日报2025年1月8日.txt", (D(2025, 1, 8), "day")),
    ("bulletin-2025-01.txt", (D(2025, 1, 1), "month")),
    ("2025-01.txt", (D(2025, 1, 1), "month")),
    ("２０２５-０１-０８.txt", (D(2025, 1, 8), "day")),
    ("000_1e017a13c27fd9e2.txt", None),             # the sample's hash name
    ("a20250108b.txt", None),                        # digits glued to letters: not a date
    ("2025-13-45_x.txt", None),
    ("20251301_x.txt", None),
    ("2025-02-29.txt", None),                        # 2025 is not a leap year
    ("2024-02-29.txt", (D(2024, 2, 29), "day")),
    ("12345678901.txt", None),
    ("case_5.06.txt", None),
    ("1888-01-01.txt", None),
])
def test_date_from_filename(name, expected):
    assert date_from_filename(name) == expected


@pytest.mark.parametrize("text, expected", [
    ("丽水日报\n2025年1月8日 星期三\n\n丽水:\n正文……", (D(2025, 1, 8), "day")),
    ("2025年1月8日\n本报讯 ……", (D(2025, 1, 8), "day")),
    ("丽水日报 2025年1月8日 第3版\n正文", (D(2025, 1, 8), "day")),
    ("发布时间：2025-01-08 10:32 来源：丽水市公安局\n正文", (D(2025, 1, 8), "day")),
    ("首页 警务动态\n发布日期: 2025/1/9\n正文", (D(2025, 1, 9), "day")),
    ("日期：2025年1月\n正文", (D(2025, 1, 1), "month")),
    ("二〇二五年一月八日\n正文", (D(2025, 1, 8), "day")),
    ("１月５日，记者从丽水获悉。", None),
    ("“发现、锁定目标!”1月5日上午，丽水莲都公安运行了无人机空地协作新模式。", None),
    ("2024年12月31日，景宁公安破获一起电诈案件，挽回损失12万元。", None),  # event, not dateline
    ("新年伊始，万象更新。", None),
    ("", None),
    (None, None),
    ("正文" * 200 + "\n2025年1月8日\n", None),        # too far down to be a dateline
    ("发布时间：2025-13-45\n", None),
])
def test_date_from_text(text, expected):
    assert date_from_text(text) == expected


def test_sample_page_states_no_date():
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt"
    text = sample.read_text(encoding="utf-8")
    assert date_from_text(text) is None
    assert date_from_filename(sample.name) is None
    assert resolve_meta(sample, text, None) == Meta(date_source="unknown")


@pytest.mark.parametrize("value, expected", [
    ("2025-01-08", (D(2025, 1, 8), "day")),
    ("2025/1/8", (D(2025, 1, 8), "day")),
    ("2025.01.08", (D(2025, 1, 8), "day")),
    ("20250108", (D(2025, 1, 8), "day")),
    ("2025/1/8 0:00", (D(2025, 1, 8), "day")),
    (" 2025年1月8日 ", (D(2025, 1, 8), "day")),
    ("2025-01", (D(2025, 1, 1), "month")),
    ("2025年1月", (D(2025, 1, 1), "month")),
    ("2025", (D(2025, 1, 1), "year")),
    ("2025-13-45", None),
    ("2025-02-30", None),
    ("昨天", None),
    ("", None),
    (None, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_resolve_meta_precedence(tmp_path):
    dated_text = "2024年6月1日\n正文"
    row = {"published_on": D(2025, 1, 8), "date_precision": "day", "publisher": "丽水日报",
           "region": "莲都", "url": None, "synthetic": False}
    by_manifest = resolve_meta("2024-12-01_x.txt", dated_text, row)
    assert (by_manifest.published_on, by_manifest.date_source) == (D(2025, 1, 8), "manifest")
    assert by_manifest.region == "莲都" and by_manifest.publisher == "丽水日报"

    by_name = resolve_meta("2024-12-01_x.txt", dated_text, None)
    assert (by_name.published_on, by_name.date_source, by_name.date_precision) == (D(2024, 12, 1), "filename", "day")

    by_text = resolve_meta("x.txt", dated_text, None)
    assert (by_text.published_on, by_text.date_source) == (D(2024, 6, 1), "text")

    unknown = resolve_meta("x.txt", "1月5日上午，缙云公安……", None)
    assert unknown == Meta()
    assert unknown.published_on is None and unknown.date_source == "unknown" and unknown.date_precision is None


def test_manifest_row_without_date_falls_back_but_keeps_publisher():
    row = {"published_on": None, "date_precision": None, "publisher": "青田侨报", "region": "青田",
           "url": "https://e.org/1", "synthetic": True}
    meta = resolve_meta("2025-01-03_qt.txt", "正文", row)
    assert (meta.published_on, meta.date_source) == (D(2025, 1, 3), "filename")
    assert (meta.publisher, meta.region, meta.url, meta.synthetic) == ("青田侨报", "青田", "https://e.org/1", True)


def test_manifest_row_with_month_precision():
    meta = resolve_meta("x.txt", None, {"published_on": D(2025, 1, 1), "date_precision": "month"})
    assert (meta.date_source, meta.date_precision) == ("manifest", "month")


JAN8 = D(2025, 1, 8)
NOV20 = D(2025, 11, 20)


@pytest.mark.parametrize("period, published, expected", [
    ("去年以来", JAN8, (D(2024, 1, 1), JAN8)),
    ("今年以来", NOV20, (D(2025, 1, 1), NOV20)),
    ("今年", NOV20, (D(2025, 1, 1), NOV20)),
    ("年初以来", NOV20, (D(2025, 1, 1), NOV20)),
    ("去年", JAN8, (D(2024, 1, 1), D(2024, 12, 31))),
    ("去年全年", JAN8, (D(2024, 1, 1), D(2024, 12, 31))),
    ("2024年", None, (D(2024, 1, 1), D(2024, 12, 31))),
    ("2024年", JAN8, (D(2024, 1, 1), D(2024, 12, 31))),
    ("2024年以来", None, (D(2024, 1, 1), None)),
    ("2024年以来", JAN8, (D(2024, 1, 1), JAN8)),
    ("2021年至2024年", None, (D(2021, 1, 1), D(2024, 12, 31))),
    ("今年1-10月", NOV20, (D(2025, 1, 1), D(2025, 10, 31))),
    ("今年１－１０月", NOV20, (D(2025, 1, 1), D(2025, 10, 31))),
    ("1至10月", NOV20, (D(2025, 1, 1), D(2025, 10, 31))),
    ("一至十月", NOV20, (D(2025, 1, 1), D(2025, 10, 31))),
    ("1月至10月", NOV20, (D(2025, 1, 1), D(2025, 10, 31))),
    ("1-10月", JAN8, (D(2024, 1, 1), D(2024, 10, 31))),   # in a January bulletin: last year
    ("2024年1-10月", None, (D(2024, 1, 1), D(2024, 10, 31))),
    ("前三季度", NOV20, (D(2025, 1, 1), D(2025, 9, 30))),
    ("前10个月", NOV20, (D(2025, 1, 1), D(2025, 10, 31))),
    ("一季度", NOV20, (D(2025, 1, 1), D(2025, 3, 31))),
    ("第二季度", NOV20, (D(2025, 4, 1), D(2025, 6, 30))),
    ("上半年", NOV20, (D(2025, 1, 1), D(2025, 6, 30))),
    ("下半年", JAN8, (D(2024, 7, 1), D(2024, 12, 31))),
    ("截至11月", NOV20, (D(2025, 1, 1), D(2025, 11, 30))),
    ("截至11月", JAN8, (D(2024, 1, 1), D(2024, 11, 30))),
    ("截至11月底", NOV20, (D(2025, 1, 1), D(2025, 11, 30))),
    ("截至2024年底", None, (D(2024, 1, 1), D(2024, 12, 31))),
    ("12月", JAN8, (D(2024, 12, 1), D(2024, 12, 31))),
    ("3月以来", NOV20, (D(2025, 3, 1), NOV20)),
    ("上月", JAN8, (D(2024, 12, 1), D(2024, 12, 31))),
    ("目前", JAN8, (None, JAN8)),
    ("截至目前", JAN8, (None, JAN8)),
    ("专项行动开展以来", JAN8, (None, JAN8)),
    ("近年来", JAN8, (None, None)),
    ("近三年", JAN8, (None, None)),
    ("三年来", JAN8, (None, None)),
    ("年均", JAN8, (None, None)),
    ("日前", JAN8, (None, None)),
    ("近日", JAN8, (None, None)),
    ("春节期间", JAN8, (None, None)),
    ("全年", JAN8, (None, None)),           # which year's? not stated
    ("13月", NOV20, (None, None)),
    ("", JAN8, (None, None)),
    (None, JAN8, (None, None)),
])
def test_resolve_period(period, published, expected):
    assert resolve_period(period, published) == expected


@pytest.mark.parametrize("period", ["去年以来", "今年以来", "今年", "去年", "今年1-10月", "1至10月",
                                    "前三季度", "上半年", "截至11月", "12月", "上月", "目前"])
def test_relative_periods_need_a_publication_date(period):
    assert resolve_period(period, None) == (None, None)
