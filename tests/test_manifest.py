"""manifest.csv: good rows apply, each malformed row is reported with its line and skipped."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl.dates import resolve_meta
from etl.manifest import Manifest, ManifestProblem, load_manifest

HEADER = "file,published_on,publisher,region,url"


def _write(folder: Path, lines: list[str], *, bom: bool = False, encoding: str = "utf-8",
           newline: str = "\n") -> Path:
    path = folder / "manifest.csv"
    data = newline.join(lines) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode(encoding))
    return path


def test_good_rows_with_bom_and_crlf(tmp_path):
    _write(tmp_path, [
        HEADER,
        "2025-01-08_lishui.txt,2025-01-08,丽水日报,丽水,https://example.org/a",
        'jingning.html,2025/1/9,"景宁县公安局,宣传科",景宁,',
        "sub/yunhe.docx,2025年1月10日,云和新闻,云和,",
        "qingtian.pdf,2024-12,,,",
    ], bom=True, newline="\r\n")

    man = load_manifest(tmp_path)

    assert man.problems == []
    assert len(man) == 4
    row = man.meta_for(tmp_path / "2025-01-08_lishui.txt")
    assert row["published_on"] == dt.date(2025, 1, 8) and row["date_precision"] == "day"
    assert row["publisher"] == "丽水日报" and row["region"] == "丽水"
    assert row["url"] == "https://example.org/a" and row["synthetic"] is False
    jn = man.meta_for(tmp_path / "jingning.html")
    assert jn["publisher"] == "景宁县公安局,宣传科" and jn["url"] is None
    assert jn["published_on"] == dt.date(2025, 1, 9)
    assert man.meta_for(tmp_path / "sub" / "yunhe.docx")["published_on"] == dt.date(2025, 1, 10)
    qt = man.meta_for(tmp_path / "qingtian.pdf")
    assert qt["published_on"] == dt.date(2024, 12, 1) and qt["date_precision"] == "month"
    assert qt["publisher"] is None
    assert man.meta_for(tmp_path / "unlisted.txt") is None


def test_malformed_rows_reported_with_line_numbers(tmp_path):
    path = _write(tmp_path, [
        HEADER,
        "a.txt,2025-01-08,丽水日报,丽水,",
        "b.txt,2025-01-09,丽水日报",
        "c.txt,2025-13-45,丽水日报,丽水,",
        ",2025-01-10,丽水日报,丽水,",
        "",
        "d.txt,2025-02-30,丽水日报,丽水,",
        "e.txt,2025-01-11,丽水日报,丽水,",
        "a.txt,2025-03-01,别的报纸,丽水,",
    ])

    man = load_manifest(tmp_path)

    assert [str(p) for p in man.problems] == [
        f"{path} line 3: has 3 fields, the header has 5; row ignored",
        f"{path} line 4: published_on '2025-13-45' is not a date (YYYY-MM-DD); row ignored",
        f"{path} line 5: empty file name; row ignored",
        f"{path} line 7: published_on '2025-02-30' is not a date (YYYY-MM-DD); row ignored",
        f"{path} line 9: file 'a.txt' already listed on line 2; row ignored",
    ]
    assert all(isinstance(p, ManifestProblem) and p.path == str(path) for p in man.problems)
    assert sorted(man.rows) == ["a.txt", "e.txt"]      # the good rows still apply
    assert man.meta_for(tmp_path / "a.txt")["publisher"] == "丽水日报"   # first row wins
    assert man.meta_for(tmp_path / "c.txt") is None


def test_problem_path_is_shown_as_given(tmp_path, monkeypatch):
    folder = tmp_path / "data" / "x"
    folder.mkdir(parents=True)
    _write(folder, [HEADER, "a.txt,2025-01-08,,,", "b.txt,2025-01-08,,,", "c.txt,2025-01-08,,,",
                    "d.txt,2025-13-45,,,"])
    monkeypatch.chdir(tmp_path)
    man = load_manifest("data/x")
    assert [str(p) for p in man.problems] == [
        "data/x/manifest.csv line 5: published_on '2025-13-45' is not a date (YYYY-MM-DD); row ignored"]


def test_missing_manifest_is_fine(tmp_path):
    man = load_manifest(tmp_path)
    assert isinstance(man, Manifest)
    assert man.path is None and man.problems == [] and len(man) == 0
    assert man.meta_for(tmp_path / "a.txt") is None


def test_header_without_file_column(tmp_path):
    path = _write(tmp_path, ["name,published_on", "a.txt,2025-01-08"])
    man = load_manifest(tmp_path)
    assert len(man) == 0
    assert len(man.problems) == 1
    assert str(man.problems[0]).startswith(f"{path} line 1: header has no 'file' column")


def test_gbk_manifest_from_excel(tmp_path):
    _write(tmp_path, [HEADER, "龙泉通报.txt,2025-01-12,龙泉市公安局,龙泉,"], encoding="gbk")
    man = load_manifest(tmp_path)
    assert man.problems == []
    assert man.meta_for(tmp_path / "龙泉通报.txt")["publisher"] == "龙泉市公安局"


def test_synthetic_column_and_unknown_columns(tmp_path):
    path = _write(tmp_path, [
        HEADER + ",synthetic,备注",
        "s1.txt,2025-01-08,演示,丽水,,true,生成",
        "s2.txt,2025-01-08,演示,丽水,,1,",
        "s3.txt,2025-01-08,演示,丽水,,no,",
        "s4.txt,2025-01-08,演示,丽水,,,",
        "s5.txt,2025-01-08,演示,丽水,,YES,",
        "s6.txt,2025-01-08,演示,丽水,,perhaps,",
    ])
    man = load_manifest(tmp_path)
    flags = {name: man.meta_for(tmp_path / name)["synthetic"] for name in
             ("s1.txt", "s2.txt", "s3.txt", "s4.txt", "s5.txt")}
    assert flags == {"s1.txt": True, "s2.txt": True, "s3.txt": False, "s4.txt": False, "s5.txt": True}
    assert [str(p) for p in man.problems] == [
        f"{path} line 7: synthetic 'perhaps' is not true/false; row ignored"]


def test_without_synthetic_column_rows_are_not_synthetic(tmp_path):
    _write(tmp_path, [HEADER, "a.txt,2025-01-08,,,"])
    assert load_manifest(tmp_path).meta_for(tmp_path / "a.txt")["synthetic"] is False


def test_match_by_relative_path_then_unique_name(tmp_path):
    _write(tmp_path, [
        HEADER,
        "2025/a.txt,2025-01-08,甲,丽水,",
        "2024/a.txt,2024-01-08,乙,丽水,",
        r".\win\b.txt,2025-01-09,丙,丽水,",
    ])
    man = load_manifest(tmp_path)
    assert man.problems == []
    assert man.meta_for(tmp_path / "2025" / "a.txt")["publisher"] == "甲"
    assert man.meta_for(tmp_path / "2024" / "a.txt")["publisher"] == "乙"
    assert man.meta_for(tmp_path / "other" / "a.txt") is None      # two rows named a.txt
    assert man.meta_for(tmp_path / "win" / "b.txt")["publisher"] == "丙"
    assert man.meta_for("/somewhere/else/b.txt")["publisher"] == "丙"  # unique file name


def test_manifest_file_path_accepted(tmp_path):
    path = _write(tmp_path, [HEADER, "a.txt,2025-01-08,,,"])
    assert load_manifest(path).meta_for(tmp_path / "a.txt")["published_on"] == dt.date(2025, 1, 8)


def test_manifest_row_drives_meta(tmp_path):
    _write(tmp_path, [HEADER + ",synthetic", "2024-06-01_x.txt,2025-01-08,丽水日报,缙云,https://e.org,yes"])
    row = load_manifest(tmp_path).meta_for(tmp_path / "2024-06-01_x.txt")
    meta = resolve_meta(tmp_path / "2024-06-01_x.txt", "2023年5月1日\n正文", row)
    assert (meta.published_on, meta.date_source, meta.date_precision) == (dt.date(2025, 1, 8), "manifest", "day")
    assert (meta.publisher, meta.region, meta.url, meta.synthetic) == ("丽水日报", "缙云", "https://e.org", True)
