"""The demo corpus: deterministic, faithful to the genre, and its gold file tells the truth.

Every check reads the files the generator really wrote (bytes on disk, decoded the way the
readers decode them), never the generator's internals.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from etl import config, demo, reference
from etl.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
LISHUI = ["莲都", "青田", "缙云", "遂昌", "松阳", "云和", "庆元", "景宁", "龙泉"]
FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _gazetteer():
    with (config.REFERENCE_DIR / "gazetteer.csv").open(encoding="utf-8-sig") as f:
        return [r for r in csv.DictReader(f)]


def _decode(path: Path) -> str:
    """Decode as a reader would: .html through etl.readers, .txt as UTF-8 else GB18030."""
    if path.suffix == ".html":
        return read_document(path).text
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


class Corpus:
    def __init__(self, out: Path):
        self.dir = out
        with (out / "manifest.csv").open(encoding="utf-8", newline="") as f:
            self.header = next(csv.reader(f))
        with (out / "manifest.csv").open(encoding="utf-8", newline="") as f:
            self.manifest = list(csv.DictReader(f))
        self.gold = [json.loads(line) for line in
                     (out / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
        self.texts = {r["file"]: _decode(out / r["file"]) for r in self.manifest}
        self.meta = {r["file"]: r for r in self.manifest}
        self.by_file = defaultdict(list)
        for g in self.gold:
            self.by_file[g["file"]].append(g)

    def all_text(self) -> str:
        return "\n".join(self.texts.values())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    out = tmp_path_factory.mktemp("demo")
    assert demo.generate(200, out, seed=7) == out
    return Corpus(out)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------- determinism

def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    demo.generate(40, a, seed=3)
    demo.generate(40, b, seed=3)
    demo.generate(40, c, seed=4)
    fa, fb, fc = _files(a), _files(b), _files(c)
    assert len(fa) == 42                       # 40 bulletins + manifest + gold
    assert fa == fb
    assert fa != fc
    assert fa["gold.jsonl"] != fc["gold.jsonl"]


# ---------------------------------------------------------------- manifest

def test_manifest_lists_every_file_once_all_synthetic(corpus):
    assert corpus.header == ["file", "published_on", "publisher", "region", "url", "synthetic"]
    on_disk = sorted(p.name for p in corpus.dir.iterdir()
                     if p.name not in ("manifest.csv", "gold.jsonl"))
    listed = [r["file"] for r in corpus.manifest]
    assert len(listed) == 200 and sorted(listed) == on_disk
    assert len(set(listed)) == len(listed)
    counties = {r["name"] for r in _gazetteer() if r["level"] == "county"}
    for r in corpus.manifest:
        assert r["synthetic"] == "true"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}_[a-z0-9-]+_\d{4}\.(txt|html)", r["file"]), r
        assert r["file"].startswith(r["published_on"] + "_")
        assert r["publisher"]
        assert r["url"] == "" or r["url"].startswith("https://example.invalid/")
        # county outlets name their county; city and provincial pages leave it empty
        assert r["region"] == "" or r["region"] in counties, r
    assert any(r["region"] for r in corpus.manifest)
    assert any(not r["region"] for r in corpus.manifest)


def test_formats_and_encodings_vary_and_readers_agree(corpus):
    kinds = Counter()
    for name, text in corpus.texts.items():
        path = corpus.dir / name
        data = path.read_bytes()
        if path.suffix == ".html":
            kinds["html"] += 1
            assert "<script>" in data.decode("utf-8")
            assert "demo = " not in text              # the reader dropped the script
            continue
        try:
            data.decode("utf-8")
            kinds["utf-8"] += 1
        except UnicodeDecodeError:
            kinds["gb18030"] += 1
        if b"\r\n" in data:
            kinds["crlf"] += 1
        # the project's reader decodes to the same text, no newline translation
        assert read_document(path).text == text, name
    assert kinds["html"] >= 2 and kinds["gb18030"] >= 2 and kinds["utf-8"] >= 150


# ---------------------------------------------------------------- gold

def test_gold_offsets_point_at_their_span(corpus):
    assert len(corpus.gold) > 1000
    for g in corpus.gold:
        text = corpus.texts[g["file"]]
        assert text[g["start"]:g["end"]] == g["text_span"], g
        assert g["text_span"].strip() == g["text_span"]


def test_gold_fields_and_vocabularies(corpus):
    # the extractor's taxonomy: metrics.csv plus derived <metric>_change / <metric>_share
    taxonomy = reference.metrics()
    metrics = {code: m.category for code, m in taxonomy.items()}
    gaz = {r["code"]: r for r in _gazetteer()}
    fields = ["file", "article", "text_span", "start", "end", "value", "unit", "qualifier",
              "measure", "direction", "metric", "category", "county_code", "county", "city",
              "agency", "period", "synthetic"]
    for g in corpus.gold:
        assert list(g) == fields
        assert g["synthetic"] is True
        assert isinstance(g["article"], int) and g["article"] >= 1
        assert g["metric"] in metrics and g["category"] == metrics[g["metric"]], g
        assert g["measure"] == taxonomy[g["metric"]].measure, g
        assert g["qualifier"] in {None, "余", "多", "近", "约", "超", "以上", "不足"}
        assert (g["direction"] in {"up", "down"}) == (g["measure"] == "change"), g
        assert re.search(r"\d|[一二三四五六七八九十百千万两]", g["text_span"])
        if g["county_code"] is not None:
            row = gaz[g["county_code"]]
            assert row["short"] == g["county"] and row["city"] == g["city"], g
        if g["measure"] == "amount":
            assert g["unit"] == "元"
        if g["unit"] == "个百分点":
            assert g["measure"] == "change"


def _written_value(span: str):
    """What an Arabic span states, read independently of the generator: 1.3亿元 -> 1.3e8."""
    s = span.translate(FULLWIDTH)
    m = re.search(r"(\d+(?:\.\d+)?)\s*(万|亿)?", s)
    if not m:
        return None
    v = float(m.group(1))
    return v * {"万": 1e4, "亿": 1e8, None: 1}[m.group(2)]


def test_gold_values_match_what_is_written(corpus):
    checked = 0
    for g in corpus.gold:
        written = _written_value(g["text_span"])
        if written is None:
            continue
        assert abs(written - g["value"]) < 1e-6 * max(1, written), g
        checked += 1
    assert checked > 0.8 * len(corpus.gold)


def test_spans_mostly_unique_within_their_article(corpus):
    dup = 0
    for name, rows in corpus.by_file.items():
        text = corpus.texts[name]
        for g in rows:
            if text.count(g["text_span"]) > 1:
                dup += 1
    # a span repeated elsewhere on the page (another article) is allowed; rarely
    assert dup < 0.05 * len(corpus.gold)


# ---------------------------------------------------------------- coverage

def test_places_and_months(corpus):
    counties = Counter(g["county"] for g in corpus.gold)
    for c in LISHUI:
        assert counties[c] > 0, c
    assert counties["丽水经济技术开发区"] > 0
    gaz = {r["code"]: r for r in _gazetteer()}
    others = {g["county"] for g in corpus.gold
              if g["county_code"] and gaz[g["county_code"]]["city"] != "丽水市"}
    assert len(others) >= 15, others
    assert len({g["city"] for g in corpus.gold if g["city"]}) >= 5
    # city-level and province-level figures have no county
    assert any(g["county"] is None and g["city"] == "丽水市" for g in corpus.gold)
    assert any(g["county"] is None and g["city"] is None for g in corpus.gold)
    months = {r["published_on"][:7] for r in corpus.manifest}
    assert len(months) >= 24
    per_month = Counter(r["published_on"][:7] for r in corpus.manifest)
    assert min(per_month.values()) >= 3


def test_article_styles(corpus):
    text = corpus.all_text()
    metrics = {g["metric"] for g in corpus.gold}
    # (a) city overview under a column label, several counties in one paragraph
    assert re.search(r"(?m)^丽水[:：]\s*$", text)
    assert re.search(r"(?m)^[^\n]*(莲都|青田|缙云|遂昌|松阳|云和|庆元|景宁|龙泉|开发区)公安[^\n；]*；"
                     r"[^\n]*(莲都|青田|缙云|遂昌|松阳|云和|庆元|景宁|龙泉|开发区)", text)
    # (b) station news: headline, byline, 本报讯 lead, back-reference
    assert re.search(r"通讯员 \S+.*\n+本报讯 [^\n]*派出所[^\n]*\n+[^\n]*该所", text)
    # (c) fire service
    assert re.search(r"消防救援大队[^\n]*\n+[^\n]*该大队", text)
    # (d) city-wide and province-wide summaries
    assert "全市" in text and "全省" in text and "省公安厅" in text
    # (e) anti-fraud with money and interceptions
    assert {"fraud_interceptions", "fraud_losses_recovered"} <= metrics
    assert any(re.search(r"万余?元|亿元", g["text_span"]) for g in corpus.gold)
    # (f) drones
    assert {"drones", "drone_pilots", "drone_routes"} <= metrics


def test_figure_kinds(corpus):
    spans = [g["text_span"] for g in corpus.gold]
    gold = corpus.gold

    def has(pred):
        return any(pred(g) for g in gold)

    assert any(re.search(r"[０-９]+", s) for s in spans), "full-width digits"
    assert any(re.search(r"\d \S", s) for s in spans), "space between number and unit"
    assert any(re.fullmatch(r"[一二三四五六七八九十百千万两]+余?[起件人名场次户个家处支所]", s)
               for s in spans), "Chinese numerals"
    assert any(re.search(r"近[千万]", s) for s in spans), "近千 / 近万"
    assert any(re.search(r"[一二三四五六七八九两]成", s) for s in spans), "三成"
    assert any("百分之" in s for s in spans)
    assert any(re.search(r"万余元", s) for s in spans)
    assert any(re.search(r"\d%以上", s) for s in spans)
    assert any(re.search(r"超 ?\d", s) for s in spans)
    assert any(s.startswith("不足") for s in spans)
    assert {g["qualifier"] for g in gold} >= {"余", "多", "近", "约", "超", "以上", "不足"}
    assert has(lambda g: g["unit"] == "个百分点")
    assert has(lambda g: g["measure"] == "rate" and g["metric"] == "satisfaction_rate")
    assert has(lambda g: g["measure"] == "duration" and g["unit"] == "分钟")
    assert has(lambda g: g["measure"] == "share")
    assert has(lambda g: g["measure"] == "years")
    assert {g["direction"] for g in gold} == {"up", "down", None}
    periods = {g["period"] for g in gold}
    assert {"去年以来", "年均", "今年以来", "去年"} <= periods
    assert any(p and re.fullmatch(r"(今年)?1(-|至)\d+月", p) for p in periods)
    assert any(p in ("目前", "截至目前") for p in periods)
    assert any(p and re.fullmatch(r"截至(\d+月|去年)底", p) for p in periods)

    # paired lists: two changes in one sentence joined by 、, the second just a number
    pairs = baselines = 0
    for name, rows in corpus.by_file.items():
        text = corpus.texts[name]
        for a, b in zip(rows, rows[1:]):
            between = text[a["end"]:b["start"]]
            if between == "、" and a["measure"] == b["measure"] == "change":
                assert a["metric"] != b["metric"] and a["direction"] == b["direction"]
                pairs += 1
            if between == "的基础上" and a["period"] == "去年":
                assert b["text_span"].startswith("再") and b["metric"] == a["metric"]
                baselines += 1
    assert pairs >= 5 and baselines >= 3


DISTRACTORS = {
    "case code": r"“\d{1,2}[·.]\d{1,2}”",
    "slogan": r"“15\+5”|“1\+1”|四大警务|五位一体",
    "version or model": r"\d\.0|M300|M30T|M350|T40|H20T|3D",
    "age": r"\d{2}岁",
    "one victim's loss": r"被骗\d+万?元",
    "date": r"\d{1,2}月\d{1,2}日",
    "phone number": r"96110|拨打110|拨打119",
}


def test_distractors_present_and_never_gold(corpus):
    for kind, pattern in DISTRACTORS.items():
        hits = 0
        for name, text in corpus.texts.items():
            spans = [(g["start"], g["end"]) for g in corpus.by_file[name]]
            for m in re.finditer(pattern, text):
                hits += 1
                assert all(m.end() <= s or m.start() >= e for s, e in spans), \
                    (kind, name, m.group())
        assert hits >= 3, kind


def test_periods_agree_with_publication_dates(corpus):
    seen = 0
    for g in corpus.gold:
        pub = dt.date.fromisoformat(corpus.meta[g["file"]]["published_on"])
        p = g["period"] or ""
        m = re.fullmatch(r"(?:今年)?1(?:-|至)(\d+)月", p)
        if m:  # 1-N月: a span of at least two months, ending before the bulletin
            assert 2 <= int(m.group(1)) < pub.month, (p, pub)
            seen += 1
        m = re.fullmatch(r"截至(\d+)月底", p)
        if m:  # 截至N月底: the end of a month already over (截至1月底 in February)
            assert 1 <= int(m.group(1)) < pub.month, (p, pub)
            seen += 1
        if p == "今年以来":
            assert pub.month >= 2
    assert seen > 20
    # 新年伊始 only opens January pages
    for name, text in corpus.texts.items():
        if "新年伊始" in text:
            assert corpus.meta[name]["published_on"][5:7] == "01", name


def test_values_tell_a_story(corpus):
    """A county keeps its level of a metric across bulletins, and counties differ.

    Rates are the cleanest probe: they do not scale with the period a figure covers.
    """
    rates, stocks = defaultdict(list), defaultdict(list)
    for g in corpus.gold:
        if not g["county"]:
            continue
        if g["measure"] == "rate":
            rates[(g["metric"], g["county"])].append(g["value"])
        if g["metric"] in ("drones", "drone_routes", "patrol_teams", "charging_points") and \
                g["qualifier"] is None:
            stocks[(g["metric"], g["county"])].append(g["value"])
    long = {k: v for k, v in rates.items() if len(v) >= 3}
    assert len(long) >= 4
    for k, vals in long.items():
        assert max(vals) - min(vals) <= 3, (k, vals)
    long = {k: v for k, v in stocks.items() if len(v) >= 3}
    assert len(long) >= 3
    by_metric = defaultdict(list)
    for (metric, _), vals in long.items():     # 30 months of a gentle trend: within 4x
        assert max(vals) / min(vals) <= 4, (metric, vals)
        by_metric[metric].append(sum(vals) / len(vals))
    # and counties are not all alike
    assert any(max(m) / min(m) >= 1.5 for m in by_metric.values() if len(m) >= 2)


def test_some_figures_are_reprinted(corpus):
    seen = defaultdict(set)
    for g in corpus.gold:
        key = (g["text_span"], g["metric"], g["county"], g["value"], g["period"])
        seen[key].add(corpus.meta[g["file"]]["publisher"])
    assert sum(1 for pubs in seen.values() if len(pubs) >= 2) >= 3


# ---------------------------------------------------------------- errors and CLI

def test_missing_gazetteer_is_one_clear_line(tmp_path):
    ref = tmp_path / "ref"
    ref.mkdir()
    for name in ("demo_templates.toml", "metrics.csv"):
        shutil.copy(config.REFERENCE_DIR / name, ref / name)
    with pytest.raises(demo.DemoError) as err:
        demo.generate(3, tmp_path / "out", reference_dir=ref)
    msg = str(err.value)
    assert "\n" not in msg and "gazetteer.csv" in msg and "missing" in msg
    with pytest.raises(ValueError):
        demo.generate(0, tmp_path / "out")


def test_cli_demo_writes_a_corpus(tmp_path):
    out = tmp_path / "corpus"
    proc = subprocess.run([sys.executable, "-m", "etl", "demo", "--bulletins", "6", "--out",
                           str(out), "--seed", "2"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert len(list(out.glob("*.txt")) + list(out.glob("*.html"))) == 6
    direct = tmp_path / "direct"
    demo.generate(6, direct, seed=2)
    assert _files(out) == _files(direct)


# ---------------------------------------------------------------- the extractor on the demo

def _county_ok(g, p) -> bool:
    """As the sample's scorer: the gold county named in what the prediction says, or none."""
    if not g["county"]:
        return not p.get("county")
    said = "".join(str(p.get(k) or "") for k in ("county", "city", "province", "agency"))
    return g["county"] in said or bool(p.get("county") and p["county"] in g["county"])


def test_extractor_scores_high_on_a_demo_corpus(tmp_path):
    """Extract a 30-bulletin corpus through the real readers, manifest and extractor.

    Matching as in the sample's scorer: same file, same value, overlapping span. The
    attribute checks are looser floors: they tell the lead where the extractor and the
    gold disagree (the misses are printed with -s or on failure).
    """
    from etl.dates import resolve_meta
    from etl.extract import extract_document
    from etl.manifest import load_manifest

    out = tmp_path / "corpus"
    demo.generate(30, out, seed=11)
    corpus = Corpus(out)
    manifest = load_manifest(out)
    preds = {}
    for name in corpus.texts:
        doc = read_document(out / name)
        meta = resolve_meta(str(out / name), doc.text, manifest.meta_for(out / name))
        assert meta.synthetic and meta.published_on.isoformat() == name[:10]
        preds[name] = extract_document(doc, meta).figures

    taken, hits, misses = set(), [], []
    for g in corpus.gold:
        for i, p in enumerate(preds[g["file"]]):
            if (g["file"], i) in taken or abs(float(p["value"]) - g["value"]) > \
                    1e-6 * max(1.0, abs(g["value"])):
                continue
            if p["start"] < g["end"] and p["end"] > g["start"]:
                taken.add((g["file"], i))
                hits.append((g, p))
                break
        else:
            misses.append(g)
    n_pred = sum(len(v) for v in preds.values())
    extra = [(f, p) for f, ps in preds.items() for i, p in enumerate(ps) if (f, i) not in taken]
    precision, recall = len(hits) / n_pred, len(hits) / len(corpus.gold)
    f1 = 2 * precision * recall / (precision + recall)
    agree = Counter()
    for g, p in hits:
        agree["article"] += g["article"] == p["article"]
        agree["metric"] += g["metric"] == p["metric"]
        agree["measure"] += g["measure"] == p["measure"]
        agree["qualifier"] += g["qualifier"] == p["qualifier"]
        agree["direction"] += g["direction"] == p["direction"]
        agree["county"] += _county_ok(g, p)
        agree["period"] += g["period"] == p["period"]
    share = {k: v / len(hits) for k, v in agree.items()}
    print(f"\ndemo corpus: gold {len(corpus.gold)} predicted {n_pred} matched {len(hits)} "
          f"P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    print("agreement on matches: " + " ".join(f"{k} {v:.3f}" for k, v in sorted(share.items())))
    for g in misses:
        print("  missed", g["file"], g["text_span"])
    for f, p in extra:
        print("  extra ", f, p["raw"], p["metric"])
    assert f1 >= 0.95 and recall >= 0.95
    assert share["article"] >= 0.98 and share["measure"] >= 0.97
    assert share["qualifier"] >= 0.97 and share["direction"] >= 0.97
    assert share["county"] >= 0.9 and share["metric"] >= 0.7 and share["period"] >= 0.7


def test_same_corpus_whatever_the_number_of_processes(tmp_path):
    """Blocks have their own random streams, so the files depend on seed and N only."""
    one, two = tmp_path / "one", tmp_path / "two"
    demo.generate(90, one, seed=5, workers=1, block=25)
    demo.generate(90, two, seed=5, workers=2, block=25)
    names = sorted(p.name for p in one.iterdir())
    assert len(names) == 92 and names == sorted(p.name for p in two.iterdir())
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    # each bulletin keeps its number across blocks, and the gold file names every file
    gold_files = {json.loads(line)["file"] for line in (one / "gold.jsonl").read_text(encoding="utf-8").splitlines()}
    assert {n.rsplit("_", 1)[1].split(".")[0] for n in names if n.endswith((".txt", ".html"))} == \
        {f"{i:04d}" for i in range(1, 91)}
    assert gold_files <= set(names)


def test_html_text_is_what_the_reader_extracts(tmp_path):
    """The generator computes an HTML page's text itself (parsing each page back cost a
    quarter of its CPU); the project's reader must extract exactly that text, also from
    lines with markup characters, runs of spaces and tabs, and a CRLF page."""
    text = ("\n\n标题  一\n通讯员 张三\t李四\n  本报讯 a<b & c>d　全角空格 ，下降46.7%。 \n\n"
            "列：\r\n第二段\t\t结束。\n")
    page = demo.Page("p.html", dt.date(2026, 1, 5), {"name": "某某日报"}, "", [], "html", "utf-8")
    path = tmp_path / "p.html"
    path.write_bytes(demo._html_bytes(text, page))
    assert read_document(path).text == demo._html_text(text)
    assert "a<b & c>d" in demo._html_text(text)
