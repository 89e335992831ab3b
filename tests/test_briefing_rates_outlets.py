"""A rate's bars start at zero in the PowerPoint and Word packs, and the English deck's
appendix names each outlet in English (pinyin place, English words), the Chinese in brackets.

The corpus is written here in the genre (our own sentences): four Lishui counties report
dispute-resolution rates of 95.5%–99.8%, the case where an axis starting near the lowest
value made 96% look four times 95.5%; the manifest names two outlets. It is ingested by the
real `python -m etl ingest`, the deck built by dashboard.briefing and opened with python-pptx.
"""
from __future__ import annotations

import io
import re

import pytest

from support import ingest

RATES = {"缙云县公安局": 99.8, "遂昌县公安局": 97.5, "松阳县公安局": 96.2, "云和县公安局": 95.5}


def _article(bureau: str, rate: float, n: int) -> str:
    return (f"{bureau[:2]}：多元解纷护平安\n通讯员 林晓\n"
            f"本报讯 今年以来，{bureau}坚持和发展新时代“枫桥经验”，牵头化解矛盾纠纷{800 + 50 * n}余起，"
            f"调解成功率达{rate}%。\n")


@pytest.fixture(scope="module")
def rate_wh(tmp_path_factory):
    root = tmp_path_factory.mktemp("rates")
    corpus = root / "corpus"
    corpus.mkdir()
    bureaus = list(RATES.items())
    (corpus / "a.txt").write_text("丽水:\n" + "\n".join(_article(b, r, i) for i, (b, r) in enumerate(bureaus[:2])),
                                  encoding="utf-8")
    (corpus / "b.txt").write_text("丽水:\n" + "\n".join(_article(b, r, i + 2) for i, (b, r) in enumerate(bureaus[2:])),
                                  encoding="utf-8")
    (corpus / "manifest.csv").write_text("file,published_on,publisher,region,url\n"
                                         "a.txt,2024-03-01,丽水日报,丽水,\nb.txt,2024-03-02,缙云新闻网,丽水,\n",
                                         encoding="utf-8")
    wh = root / "wh"
    ingest([corpus], wh)
    return wh


def _deck(wh, lang):
    from pptx import Presentation
    from dashboard.briefing import build_pptx
    from dashboard.filters import Filters
    return Presentation(io.BytesIO(build_pptx(Filters(lang=lang), wh)))


def _text(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_bar_starts_at_zero_and_a_rate_axis_stops_short_of_150(rate_wh, lang):
    prs = _deck(rate_wh, lang)
    rate_title = "纠纷化解成功率" if lang == "zh" else "Dispute resolution rate"
    seen_rate = False
    for slide in prs.slides:
        for sh in slide.shapes:
            if not sh.has_chart:
                continue
            axis, values = sh.chart.value_axis, list(sh.chart.plots[0].series[0].values)
            if min(values) >= 0:        # a bar's length is its value: the axis starts at zero
                assert axis.minimum_scale == 0, (_text(slide)[:40], axis.minimum_scale, values)
            if max(values) <= 0:
                assert axis.maximum_scale == 0, (_text(slide)[:40], axis.maximum_scale, values)
            if _text(slide).startswith(rate_title):
                seen_rate = True
                assert sorted(values) == sorted(RATES.values())
                assert 99.8 < axis.maximum_scale <= 125, axis.maximum_scale
    assert seen_rate, [_text(s)[:30] for s in prs.slides]


def test_the_word_packs_rate_chart_starts_at_zero(rate_wh):
    """The Word 简报's picture of the same rate (the plotly figure it is drawn from)."""
    from dashboard.briefing import collect
    from dashboard.briefing.docx_pack import _chart
    from dashboard.filters import Filters
    pack = collect(Filters(), rate_wh)
    (k,) = [k for k in pack.key_metrics if k.measure == "rate"]
    fig = _chart(pack, k)
    lo, hi = fig.layout.xaxis.range
    assert lo == 0 and 99.8 < hi <= 125, (lo, hi)


def test_the_english_appendix_names_outlets_in_english_with_the_chinese_in_brackets(rate_wh):
    prs = _deck(rate_wh, "en")
    lines = [ln for s in prs.slides if _text(s).startswith("Appendix") for ln in _text(s).split("\n")[1:] if ln.strip()]
    sources = [ln for ln in lines if re.search(r"\d{4}-\d{2}-\d{2}.* \[[\d,]+\]$", ln)]   # not the footer
    assert len(sources) == 2, lines
    assert any(ln.startswith("Lishui Daily (丽水日报), 2024-03-01") for ln in sources), sources
    assert any(ln.startswith("Jinyun News Online (缙云新闻网), 2024-03-02") for ln in sources), sources
    for ln in sources:
        # Chinese only in brackets (the outlet as printed) and in quotes (the headline, cited as printed)
        bare = re.sub(r"\([^()]*\)|“.*”", "", ln)
        assert not re.search(r"[\u4e00-\u9fff]", bare), ln
    # the Chinese deck keeps the names as printed
    zh = _deck(rate_wh, "zh")
    text = "\n".join(_text(s) for s in zh.slides if _text(s).startswith("附录"))
    assert "丽水日报，2024-03-01" in text and "Lishui" not in text


@pytest.mark.parametrize("name, en", [
    ("丽水日报", "Lishui Daily (丽水日报)"),
    ("浙江法治报（演示）", "Zhejiang Rule of Law Daily (浙江法治报; demo)"),
    ("庆元新闻网", "Qingyuan News Online (庆元新闻网)"),
    ("今日象山", "Xiangshan Today (今日象山)"),
    ("平安德清", "Ping'an Deqing (平安德清)"),
    ("Xinhua", "Xinhua"),
])
def test_an_outlet_in_english(name, en):
    from dashboard.placenames import outlet
    assert outlet(name, "en") == en
    assert outlet(name, "zh") == name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_dashboards_rate_ranking_starts_at_zero(rate_wh, lang):
    """The counties page's ranking of the same rate (dashboard.charts.ranking_bar, fed as the
    page feeds it): bars from zero, not from near 95%."""
    from dashboard import charts, comparable, queries, store
    from dashboard.filters import Filters
    latest = queries.latest_reports(store.current(rate_wh), Filters(lang=lang))
    s = latest[(latest["metric"] == "mediation_rate") & (latest["measure"] == "rate")]
    cmp = comparable.compare(s[s["county_level"].astype(bool)], "mediation_rate")
    fig = charts.ranking_bar(cmp.rows, lang, "rate", "mediation_rate", "rate")
    assert sorted(v for tr in fig.data for v in (tr.x or []) if v is not None) == sorted(RATES.values())
    lo, hi = fig.layout.xaxis.range
    assert lo == 0 and hi > 99.8, (lo, hi)


def test_every_outlet_word_the_extractor_knows_has_an_english_rendering():
    """outlet_words.csv (the extractor's list) and outlet_words_en.csv (the packs') name the same
    words: a word added to one is not left in Chinese in an English deck."""
    import csv
    from etl.config import REFERENCE_DIR
    def words(name):
        with open(REFERENCE_DIR / name, encoding="utf-8-sig", newline="") as fh:
            return {r["word"] for r in csv.DictReader(fh)}
    missing = words("outlet_words.csv") - words("outlet_words_en.csv")
    assert not missing, missing
