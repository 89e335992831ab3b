"""The counts every surface reports about the data, with one definition and one name each.

Why here (etl, not dashboard): `python -m etl status`, the data-quality page and the
briefing packs all print these numbers; the write side must not import the read side, so
the definitions live on the write side and the read side imports them. Each count is a
condition over the `figures` (or `bulletins`) table's own columns, so a caller may add
its own filter (the dashboard's Filters.where()) in front.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Count:
    key: str
    zh: str
    en: str
    table: str          # figures | bulletins | ingest_files
    condition: str      # SQL over that table's columns; TRUE for "all rows"

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


#: county-level places: a GB code, or a county-level name without one (丽水经济技术开发区)
COUNTY_KEY = "coalesce(county_code, county)"

COUNTS: tuple[Count, ...] = (
    Count("bulletins", "通报", "bulletins", "bulletins", "TRUE"),
    Count("figures", "数字", "figures", "figures", "TRUE"),
    Count("counties", "区县", "counties", "figures", "county_code IS NOT NULL OR county IS NOT NULL"),
    Count("unclassified", "未分类的数字", "unclassified figures", "figures", "category = 'other'"),
    Count("unplaced", "地点未识别的数字", "figures with no place", "figures",
          "county_code IS NULL AND county IS NULL AND city_code IS NULL AND city IS NULL AND province IS NULL"),
    Count("undated", "日期未知的数字", "figures with an unknown date", "figures", "published_on IS NULL"),
    Count("undated_bulletins", "日期未知的通报", "bulletins with an unknown date", "bulletins",
          "published_on IS NULL"),
    Count("synthetic", "演示数字", "demo figures", "figures", "synthetic"),
    Count("synthetic_bulletins", "演示通报", "demo bulletins", "bulletins", "synthetic"),
    Count("refused", "未导入的文件", "files not loaded", "ingest_files", "outcome IN ('failed', 'duplicate')"),
)
BY_KEY = {c.key: c for c in COUNTS}


def label(key: str, lang: str = "zh") -> str:
    return BY_KEY[key].label(lang)


def sql(key: str, where: str = "TRUE") -> str:
    """SELECT of one count; `where` is an extra, already parameterised condition."""
    c = BY_KEY[key]
    if key == "counties":
        return f"SELECT count(DISTINCT {COUNTY_KEY}) FROM figures WHERE ({where}) AND ({c.condition})"
    if c.table == "bulletins" and where != "TRUE":
        # a filtered view counts the bulletins its figures come from
        return (f"SELECT count(*) FROM bulletins WHERE ({c.condition}) AND bulletin_id IN "
                f"(SELECT bulletin_id FROM figures WHERE {where})")
    if c.table == "ingest_files":
        return f"SELECT count(*) FROM ingest_files WHERE {c.condition}"
    return f"SELECT count(*) FROM {c.table} WHERE ({where}) AND ({c.condition})"


def all_counts(con, where: str = "TRUE", params=()) -> dict[str, int]:
    """Every count on one connection (a DuckDB connection or cursor)."""
    out = {}
    for c in COUNTS:
        p = list(params) if (where != "TRUE" and c.table != "ingest_files") else []
        out[c.key] = int(con.execute(sql(c.key, where), p).fetchone()[0])
    return out
