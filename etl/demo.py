"""Deterministic synthetic bulletins with a gold file of every figure they hold.

Why: the dashboard needs hundreds of bulletins over many months to show trends and county
comparisons, and the extractor needs a corpus whose right answers are known. Real pages are
few and cannot be redistributed, so we write our own in the genre: the sentences and the
vocabulary live in ``data/reference/demo_templates.toml``; this module only assembles them.

Determinism: one ``random.Random(seed)`` drives every choice, per-place levels come from
``random.Random("<seed>|<place>|<metric>")`` (seeded by string, stable across processes),
and nothing reads the clock, so the same seed writes byte-identical files.

Every figure a page holds is a line in ``gold.jsonl`` with its offsets in the decoded text
(for .html files: in the text ``etl.readers`` extracts). Distractors (case codes, slogans,
model numbers, ages, one victim's loss, dates, phone numbers) are written on purpose and
have no gold line. ``manifest.csv`` marks every file synthetic.
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import functools
import html
import io
import json
import math
import os
import random
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from etl import config

TEMPLATES_NAME = "demo_templates.toml"
#: the corpus covers the 30 months ending with this one
LAST_MONTH = (2026, 10)
N_MONTHS = 30
MANIFEST_COLUMNS = ("file", "published_on", "publisher", "region", "url", "synthetic")
GOLD_FIELDS = ("file", "article", "text_span", "start", "end", "value", "unit", "qualifier",
               "measure", "direction", "metric", "category", "county_code", "county", "city",
               "agency", "period", "synthetic")


class DemoError(Exception):
    """Reference data the generator needs is missing or incomplete; str() is one line."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {reason}")


# ---------------------------------------------------------------- reference data

@dataclass(frozen=True)
class Place:
    key: str                 # stable key for the value model
    short: str | None        # county short name, or None for city / province level
    name: str | None         # full name (莲都区), None above county level
    code: str | None         # 6-digit GB/T 2260 or None
    city_short: str | None
    city: str | None         # 丽水市
    level: str               # county | devzone | city | province


@dataclass
class Reference:
    tpl: dict
    metrics: dict            # code -> {"category": .., "measure": ..}
    counties: dict           # short -> Place (Lishui + others + devzone)
    cities: dict             # short -> Place (city level)
    lishui: list
    others: list


def _load_reference(ref_dir: Path) -> Reference:
    tpl_path = ref_dir / TEMPLATES_NAME
    if not tpl_path.exists():
        raise DemoError(tpl_path, "demo templates missing")
    try:
        tpl = tomllib.loads(tpl_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise DemoError(tpl_path, f"not valid TOML ({err})") from None

    metrics_path = ref_dir / "metrics.csv"
    if not metrics_path.exists():
        raise DemoError(metrics_path, "metric taxonomy missing")
    with metrics_path.open(encoding="utf-8-sig", newline="") as f:
        metrics = {r["code"]: {"category": r["category"], "measure": r["measure"]}
                   for r in csv.DictReader(f)}
    unknown = sorted(set(tpl["metrics"]) - set(metrics))
    if unknown:
        raise DemoError(tpl_path, f"metrics not in metrics.csv: {' '.join(unknown)}")

    gaz_path = ref_dir / "gazetteer.csv"
    if not gaz_path.exists():
        raise DemoError(gaz_path, "gazetteer missing (generate it with scripts/build_gazetteer.py)")
    counties_by_short, cities_by_short = {}, {}
    with gaz_path.open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            in_zj = r.get("province_code") == "330000" or "浙江" in (r.get("province") or "")
            if not in_zj:
                continue
            if r["level"] == "county":
                counties_by_short.setdefault(r["short"], r)
            elif r["level"] == "city":
                cities_by_short.setdefault(r["short"], r)

    places = tpl["places"]
    wanted = list(places["lishui"]) + list(places["other"])
    missing = [s for s in wanted if s not in counties_by_short]
    if missing:
        raise DemoError(gaz_path, f"no Zhejiang county named {' '.join(missing)}")

    def city_of(row):
        short = _city_short(row["city"], cities_by_short)
        return short, row["city"]

    counties = {}
    for s in wanted:
        r = counties_by_short[s]
        cs, cn = city_of(r)
        counties[s] = Place(r["code"], s, r["name"], r["code"], cs, cn, "county")
    cities = {}
    for s, r in cities_by_short.items():
        cities[s] = Place(r["code"], None, None, None, s, r["name"], "city")
    dz = places["devzone"]
    if dz["city"] not in cities:
        raise DemoError(gaz_path, f"no Zhejiang city named {dz['city']}")
    counties[dz["short"]] = Place("devzone:" + dz["name"], dz["name"], dz["name"], None,
                                  dz["city"], cities[dz["city"]].city, "devzone")
    for o in tpl["outlets"]:
        if o.get("city") and o["city"] not in cities:
            raise DemoError(tpl_path, f"outlet {o['name']}: no Zhejiang city named {o['city']}")
    return Reference(tpl, metrics, counties, cities, list(places["lishui"]),
                     list(places["other"]))


def _city_short(full: str, cities: dict) -> str:
    for s, r in cities.items():
        if r["name"] == full:
            return s
    return full.removesuffix("市")


def _variant(metric: str, measure: str, metrics: dict) -> str:
    """The taxonomy code of a figure: a change or share of a metric has its own code.

    Same rule as etl.reference (which derives `<metric>_change` for counts, amounts, rates
    and durations, and `<metric>_share` for counts); tests/test_demo.py checks every gold
    code against etl.reference.metrics(), so the two cannot drift apart silently.
    """
    base = metrics[metric]["measure"]
    if measure == "change" and base in ("count", "amount", "rate", "duration"):
        return metric + "_change"
    if measure == "share" and base == "count":
        return metric + "_share"
    return metric


# ---------------------------------------------------------------- numerals

_ZH_DIGITS = "零一二三四五六七八九"
_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def zh_int(n: int) -> str:
    """Chinese numeral for 1 <= n < 100000, as bulletins write it (两千, 一百二十, 一万二千)."""
    if n <= 0 or n >= 100000:
        raise ValueError(n)
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十")]
    out, zero_pending, started = [], False, False
    for size, name in units:
        d, n = divmod(n, size)
        if d:
            if zero_pending:
                out.append("零")
            if d == 2 and size >= 1000:
                out.append("两")
            elif d == 1 and size == 10 and not started:
                pass  # 十五, not 一十五
            else:
                out.append(_ZH_DIGITS[d])
            out.append(name)
            started, zero_pending = True, False
        elif started:
            zero_pending = True
    if n:
        if zero_pending:
            out.append("零")
        out.append(_ZH_DIGITS[n])
    text = "".join(out)
    return text


def zh_decimal(x: float) -> str:
    """12.5 -> 十二点五 (for 百分之十二点五)."""
    whole, _, frac = f"{x:.1f}".partition(".")
    head = zh_int(int(whole)) if int(whole) else "零"
    frac = frac.rstrip("0")
    return head + ("点" + "".join(_ZH_DIGITS[int(c)] for c in frac) if frac else "")


def _sig_floor(v: float, digits: int = 2) -> int:
    """Round down to `digits` significant digits (6347 -> 6300): what 6300余 states."""
    v = int(v)
    if v < 10:
        return v
    step = 10 ** (len(str(v)) - digits)
    return v // step * step


def _sig_ceil(v: float, digits: int = 2) -> int:
    v = int(math.ceil(v))
    if v < 10:
        return v
    step = 10 ** (len(str(v)) - digits)
    return -(-v // step) * step


def _num(x: float) -> int | float:
    """Gold values: integers as int, others with at most 4 decimals."""
    r = round(x, 4)
    return int(r) if r == int(r) else r


def _fmt1(x: float) -> str:
    """46.7 -> '46.7', 20.0 -> '20'."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


# ---------------------------------------------------------------- the value model

class Story:
    """Levels per place x metric with a gentle trend, so that charts over time mean something.

    A figure is base * (1 + trend) ** years_since_start * period_factor * noise. Levels are
    seeded by place and metric (not by draw order), so a county keeps its character in every
    bulletin that mentions it.
    """

    def __init__(self, seed: int, ref: Reference, start: dt.date):
        self.seed, self.ref, self.start = seed, ref, start
        self.cfg = ref.tpl["metrics"]
        self.level_factor = ref.tpl["level_factor"]
        self._params: dict = {}

    def params(self, key: str, metric: str):
        k = (key, metric)
        if k not in self._params:
            r = random.Random(f"{self.seed}|{key}|{metric}")
            c = self.cfg[metric]
            lo, hi = c["base"]
            if c["kind"] in ("rate", "event"):
                base = r.uniform(lo, hi)
            else:  # log-uniform: some counties are much bigger than others
                base = math.exp(r.uniform(math.log(lo), math.log(hi)))
            t0, t1 = c.get("trend", [0.0, 0.0])
            self._params[k] = (base, r.uniform(t0, t1))
        return self._params[k]

    def years(self, when: dt.date) -> float:
        return (when - self.start).days / 365.25

    def level(self, place: Place, metric: str, when: dt.date, level: str, factor: float,
              rng: random.Random) -> float:
        base, trend = self.params(place.key, metric)
        c = self.cfg[metric]
        if c["kind"] == "event":
            return rng.uniform(*c["base"])
        v = base * (1 + trend) ** self.years(when) * self.level_factor[level]
        if c["kind"] == "flow":
            v *= factor
        return max(1.0, v * rng.uniform(0.93, 1.07))

    def change(self, place: Place, metric: str, rng: random.Random) -> float:
        """Signed change in % (negative: down), from the trend plus noise."""
        _, trend = self.params(place.key, metric)
        pct = trend * 100 + rng.gauss(0, 3)
        if abs(pct) < 0.8:
            pct = 0.8 if trend >= 0 else -0.8
        return max(-95.0, min(pct, 150.0))

    def rate(self, place: Place, metric: str, when: dt.date, rng: random.Random) -> float:
        base, _ = self.params(place.key, metric)
        drift = 0.4 * self.years(when)  # rates creep up as bulletins like to say
        return min(99.9, base + drift + rng.uniform(-0.6, 0.6))


# ---------------------------------------------------------------- writing an article

@dataclass
class Fig:
    start: int
    end: int
    rec: dict


@dataclass
class Article:
    """Text built piece by piece so that every figure keeps its exact offsets."""

    parts: list = field(default_factory=list)
    n: int = 0
    figs: list = field(default_factory=list)
    style: str = ""
    county: Place | None = None
    published: dt.date | None = None

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.n += len(s)

    def fig(self, s: str, rec: dict) -> None:
        self.figs.append(Fig(self.n, self.n + len(s), rec))
        self.add(s)

    @property
    def text(self) -> str:
        return "".join(self.parts)


_TOKEN = re.compile(r"\{([A-Za-z]+)(?::([^{}]*))?\}")


@functools.lru_cache(maxsize=None)
def _parse(template: str) -> tuple:
    """A template as (literal, None, None) and (None, token, argument) pieces, once."""
    out, pos = [], 0
    for m in _TOKEN.finditer(template):
        if m.start() > pos:
            out.append((template[pos:m.start()], None, None))
        out.append((None, m.group(1), m.group(2)))
        pos = m.end()
    if pos < len(template):
        out.append((template[pos:], None, None))
    return tuple(out)


@functools.lru_cache(maxsize=None)
def _alternatives(arg: str) -> list:
    return arg.split("|")
_DOWN_WORDS = ("下降", "下降", "减少")
_UP_WORDS = ("上升", "增长", "提升")


@dataclass
class Ctx:
    """What a template's tokens expand to for one article."""

    rng: random.Random
    story: Story
    ref: Reference
    published: dt.date
    place: Place                  # the figures' place (county, city or province level)
    level: str                    # station | county | city | province (value scale)
    agency: str = ""              # {A}
    agency_full: str = ""         # {AG}
    town: str = ""
    all_word: str = "全市"
    auth: str = ""
    all_name: str = ""
    county_pool: list = field(default_factory=list)   # for {C} in anecdotes


class Writer:
    def __init__(self, ctx: Ctx, art: Article):
        self.ctx, self.art = ctx, art
        self.period: str | None = None
        self.period_kind: str | None = None

    # -- entry point
    def render(self, template: str) -> None:
        """Expand one template; period words apply to the figures after them in it."""
        self.period, self.period_kind = None, None
        add = self.art.add
        for lit, name, arg in _parse(template):
            if name is None:
                add(lit)
            else:
                self.token(name, arg)

    # -- tokens
    _SIMPLE = {
        "A": lambda w, c, p, rng: c.agency,
        "AG": lambda w, c, p, rng: c.agency_full,
        "C": lambda w, c, p, rng: (p.short if p.short else rng.choice(c.county_pool)),
        "CF": lambda w, c, p, rng: p.name or "",
        "CITY": lambda w, c, p, rng: p.city_short or "浙江",
        "CITYF": lambda w, c, p, rng: p.city or "浙江省",
        "ALL": lambda w, c, p, rng: c.all_word,
        "ALLNAME": lambda w, c, p, rng: c.all_name,
        "AUTH": lambda w, c, p, rng: c.auth,
        "TOWN": lambda w, c, p, rng: c.town,
        "MD": lambda w, c, p, rng: w._md(),
        "AGE": lambda w, c, p, rng: f"{rng.randint(58, 82)}岁",
        "CODE": lambda w, c, p, rng: w._case_code(),
        "LOSS": lambda w, c, p, rng: w._loss(),
        "SUR": lambda w, c, p, rng: rng.choice(c.ref.tpl["places"]["surnames"]),
        "VER": lambda w, c, p, rng: rng.choice(c.ref.tpl["places"]["versions"]),
        "MODEL": lambda w, c, p, rng: rng.choice(c.ref.tpl["places"]["models"]),
    }
    _FIGS = frozenset(("n", "chg", "pair", "base", "rate", "pp", "share", "amt", "dur", "yrs"))

    def token(self, name: str, arg: str | None) -> None:
        c = self.ctx
        simple = self._SIMPLE.get(name)
        if simple is not None:
            self.art.add(simple(self, c, c.place, c.rng))
        elif name == "any":
            self.art.add(c.rng.choice(_alternatives(arg)))
        elif name == "P":
            self._period(arg)
        elif name in self._FIGS:
            getattr(self, "_fig_" + name)(*(arg or "").split(":"))
        else:
            raise DemoError(config.REFERENCE_DIR / TEMPLATES_NAME, f"unknown token {{{name}}}")

    def _md(self) -> str:
        d = self.ctx.published - dt.timedelta(days=self.ctx.rng.randint(1, 20))
        return f"{d.month}月{d.day}日"

    def _case_code(self) -> str:
        d = self.ctx.published - dt.timedelta(days=self.ctx.rng.randint(30, 300))
        sep = self.ctx.rng.choice(["·", ".", "·"])
        return f"“{d.month}{sep}{d.day:02d}”" if sep == "." else f"“{d.month}{sep}{d.day}”"

    def _loss(self) -> str:
        rng = self.ctx.rng
        if rng.random() < 0.5:
            return f"{rng.randint(2, 38)}万元"
        return f"{rng.randint(12, 98) * 100}元"

    # -- periods
    def _period(self, kind: str) -> None:
        m = self.ctx.published.month
        rng = self.ctx.rng
        if kind in ("ytd", "this_year") and m <= 2:
            text, kind = "去年", "last_year"
        elif kind == "ytd":
            text = rng.choice(["今年1-{k}月", "今年1至{k}月", "1-{k}月"]).format(k=m - 1)
        elif kind == "this_year":
            text = "今年以来"
        elif kind == "since_last_year":
            text = "去年以来"
        elif kind == "annual_avg":
            text = "年均"
        elif kind == "now":
            text = rng.choice(["目前", "截至目前"])
        elif kind == "upto":
            text = f"截至{m - 1}月底" if m >= 2 else "截至去年底"
        elif kind == "last_year":
            text = "去年"
        else:
            raise DemoError(config.REFERENCE_DIR / TEMPLATES_NAME, f"unknown period {kind}")
        self.art.add(text)
        self.period, self.period_kind = text, kind

    def _factor(self) -> float:
        """How much of a year a flow figure covers, from the period word in force."""
        d = self.ctx.published
        k = self.period_kind
        if k == "ytd":
            return (d.month - 1) / 12
        if k == "this_year":
            return (d.month - 1 + d.day / 31) / 12
        if k == "upto":
            return max(d.month - 1, 1) / 12
        if k == "since_last_year":
            return (12 + d.month - 1 + d.day / 31) / 12
        if k in ("annual_avg", "last_year"):
            return 1.0
        return 0.5

    # -- figure records
    def _rec(self, metric: str, value, unit: str, qualifier, measure: str, direction=None,
             period=...):
        c = self.ctx
        p = c.place
        return {
            "value": _num(value), "unit": unit, "qualifier": qualifier, "measure": measure,
            "direction": direction, "metric": _variant(metric, measure, c.ref.metrics),
            "category": c.ref.metrics[metric]["category"],
            "county_code": p.code, "county": p.short, "city": p.city,
            "agency": c.agency_full or c.agency or None,
            "period": self.period if period is ... else period,
        }

    def _level(self, metric: str) -> float:
        c = self.ctx
        return c.story.level(c.place, metric, c.published, c.level,
                             self._factor(), c.rng)

    # {n:metric:unit}
    def _fig_n(self, metric: str, unit: str, scope: str = "") -> None:
        c = self.ctx
        if scope == "event":   # one operation's result: small, no trend, no period
            v = c.rng.uniform(*c.story.cfg[metric]["event"])
            text, value, qual, shown_unit = f"{int(v)}{unit}", int(v), None, unit
        else:
            text, value, qual, shown_unit = self._count_text(self._level(metric), unit)
        self.art.fig(text, self._rec(metric, value, shown_unit, qual, "count"))

    def _count_text(self, v: float, unit: str):
        """Pick a written form for a count: mostly Arabic, sometimes the genre's odd forms."""
        rng = self.ctx.rng
        v = max(1, int(round(v)))
        r = rng.random()
        if v >= 20000 and r < 0.5:                       # 3.5万人 / 1.2万余户
            if rng.random() < 0.5:
                w = _sig_floor(v, 2)
                return f"{_fmt1(w / 10000)}万余{unit}", w, "余", unit
            w = round(v / 1000) * 1000
            return f"{_fmt1(w / 10000)}万{unit}", w, None, unit
        if (900 <= v < 1000 or 9000 <= v < 10000) and r < 0.3:   # 近千人 / 近万人
            w = 1000 if v < 1000 else 10000
            return f"近{'千' if w == 1000 else '万'}{unit}", w, "近", unit
        if r < 0.62 or v < 20:
            return f"{v}{unit}", v, None, unit
        if r < 0.70:                                      # 6300余起 / 300多起
            w = _sig_floor(v)
            if w == v:
                return f"{v}{unit}", v, None, unit
            q = rng.choice(["余", "余", "多"])
            return f"{w}{q}{unit}", w, q, unit
        if r < 0.74:                                      # 近千人 / 近1000人 / 约120起
            if 900 <= v < 1000 or 9000 <= v < 10000:
                w = 1000 if v < 1000 else 10000
                return f"近{'千' if w == 1000 else '万'}{unit}", w, "近", unit
            w = _sig_ceil(v)
            q = "近" if w != v else "约"
            return f"{q}{w}{unit}", w, q, unit
        if r < 0.78:                                      # 超 300起 / 300起以上
            w = _sig_floor(v)
            if rng.random() < 0.5:
                sp = rng.choice(["", " "])
                return f"超{sp}{w}{unit}", w, "超", unit
            return f"{w}{unit}以上", w, "以上", unit
        if r < 0.85 and v < 100000:                       # 两千余起 / 一百二十场
            w = _sig_floor(v)
            if w == v:
                return f"{zh_int(v)}{unit}", v, None, unit
            return f"{zh_int(w)}余{unit}", w, "余", unit
        if r < 0.92:                                      # １２０起
            return f"{str(v).translate(_FULLWIDTH)}{unit}", v, None, unit
        return f"{v} {unit}", v, None, unit               # 120 起

    def _pct_text(self, x: float, allow_words: bool = True, plain: bool = False):
        """A percentage as written: 12.5% / 60%以上 / 三成 / 近三成 / 百分之十二点五."""
        rng = self.ctx.rng
        r = 1.0 if plain else rng.random()
        if allow_words and r < 0.06 and x >= 10:
            w = int(x // 10) * 10
            if w >= 10 and w < 100:
                return f"{_ZH_DIGITS[w // 10]}成" if w != 20 else "两成", w, None
        if allow_words and r < 0.09 and x >= 10:
            w = int(-(-x // 10)) * 10
            if w < 100:
                return f"近{_ZH_DIGITS[w // 10] if w != 20 else '两'}成", w, "近"
        if r < 0.14 and x >= 10:
            w = int(x // 5) * 5
            return f"{w}%以上", w, "以上"
        if r < 0.17 and x >= 10:
            w = int(x)
            return f"超{w}%", w, "超"
        if allow_words and r < 0.20:
            w = round(x, 1)
            return f"百分之{zh_decimal(w)}", w, None
        w = round(x, 1)
        return f"{_fmt1(w)}%", w, None

    def _dir_word(self, down: bool) -> str:
        return self.ctx.rng.choice(_DOWN_WORDS if down else _UP_WORDS)

    def _signed(self, metric: str, forced: str | None) -> float:
        c = self.ctx
        pct = c.story.change(c.place, metric, c.rng)
        if forced == "down":
            pct = -abs(pct)
        elif forced == "up":
            pct = abs(pct)
        return pct

    # {chg:metric[:down|up]}
    def _fig_chg(self, metric: str, forced: str | None = None) -> None:
        pct = self._signed(metric, forced)
        down = pct < 0
        word = self._dir_word(down)
        text, value, qual = self._pct_text(abs(pct))
        self.art.fig(word + text, self._rec(metric, value, "%", qual, "change",
                                            "down" if down else "up"))

    # {pair:m1,m2}
    def _fig_pair(self, metrics: str) -> None:
        m1, m2 = metrics.split(",")
        rng = self.ctx.rng
        p1, p2 = self._signed(m1, None), self._signed(m2, None)
        if (p1 < 0) != (p2 < 0):          # a paired list shares its verb
            p2 = -p2
        down = p1 < 0
        prefix = rng.choice(["分别", "同比", "同比分别"])
        self.art.add(prefix)
        word = self._dir_word(down)
        t1, v1, q1 = self._pct_text(abs(p1), plain=True)
        t2, v2, q2 = self._pct_text(abs(p2), plain=True)
        d = "down" if down else "up"
        self.art.fig(word + t1, self._rec(m1, v1, "%", q1, "change", d))
        self.art.add("、")
        self.art.fig(t2, self._rec(m2, v2, "%", q2, "change", d))

    # {base:metric}: 在去年下降20%的基础上再降15%
    def _fig_base(self, metric: str) -> None:
        rng = self.ctx.rng
        now = self._signed(metric, None)
        down = now < 0
        before = abs(now) * rng.uniform(0.8, 1.6)
        b = round(before) if rng.random() < 0.6 else round(before, 1)
        n = round(abs(now), 1)
        d = "down" if down else "up"
        self.art.add("在去年")
        self.art.fig(f"{'下降' if down else '增长'}{_fmt1(b)}%",
                     self._rec(metric, b, "%", None, "change", d, period="去年"))
        self.art.add("的基础上")
        self.art.fig(f"{'再降' if down else '再增'}{_fmt1(n)}%",
                     self._rec(metric, n, "%", None, "change", d))

    # {rate:metric}
    def _fig_rate(self, metric: str) -> None:
        c = self.ctx
        x = c.story.rate(c.place, metric, c.published, c.rng)
        if c.rng.random() < 0.12 and x >= 95:
            w = int(x)
            self.art.fig(f"{w}%以上", self._rec(metric, w, "%", "以上", "rate"))
            return
        w = round(x, 1)
        self.art.fig(f"{_fmt1(w)}%", self._rec(metric, w, "%", None, "rate"))

    # {pp:metric}: 提升1.2个百分点
    def _fig_pp(self, metric: str) -> None:
        rng = self.ctx.rng
        x = round(rng.uniform(0.3, 3.5), 1)
        word = rng.choice(["提升", "提高"])
        self.art.fig(f"{word}{_fmt1(x)}个百分点",
                     self._rec(metric, x, "个百分点", None, "change", "up"))

    # {share:metric}: 不足5% / 4.2% / 三成
    def _fig_share(self, metric: str) -> None:
        rng = self.ctx.rng
        x = rng.uniform(2.0, 9.0)
        if rng.random() < 0.5:
            w = int(x) + 1
            self.art.fig(f"不足{w}%", self._rec(metric, w, "%", "不足", "share"))
        else:
            w = round(x, 1)
            self.art.fig(f"{_fmt1(w)}%", self._rec(metric, w, "%", None, "share"))

    # {amt:metric}: 2400万余元 / 1.3亿元 / 386.5万元
    def _fig_amt(self, metric: str) -> None:
        rng = self.ctx.rng
        v = self._level(metric)
        if v >= 1e8:
            w = round(v / 1e7) * 1e7
            self.art.fig(f"{_fmt1(w / 1e8)}亿元", self._rec(metric, w, "元", None, "amount"))
            return
        wan = v / 1e4
        r = rng.random()
        if r < 0.35 and wan >= 100:
            w = _sig_floor(wan, 2)
            self.art.fig(f"{w}万余元", self._rec(metric, w * 1e4, "元", "余", "amount"))
        elif r < 0.7:
            w = round(wan, 1)
            self.art.fig(f"{_fmt1(w)}万元", self._rec(metric, w * 1e4, "元", None, "amount"))
        else:
            w = round(wan)
            self.art.fig(f"{w}万元", self._rec(metric, w * 1e4, "元", None, "amount"))

    # {dur:metric}: 15分钟
    def _fig_dur(self, metric: str) -> None:
        w = int(self.ctx.story.level(self.ctx.place, metric, self.ctx.published, "county",
                                     1.0, self.ctx.rng))
        self.art.fig(f"{w}分钟", self._rec(metric, w, "分钟", None, "duration"))

    # {yrs:metric}: 三十周年
    def _fig_yrs(self, metric: str) -> None:
        w = self.ctx.rng.choice([10, 15, 20, 25, 30, 40])
        self.art.fig(f"{zh_int(w)}周年", self._rec(metric, w, "周年", None, "years"))


# ---------------------------------------------------------------- article styles

def _season(month: int) -> str:
    return {12: "winter", 1: "newyear", 2: "winter", 3: "spring", 4: "spring", 5: "spring",
            6: "summer", 7: "summer", 8: "summer"}.get(month, "autumn")


def _byline(rng: random.Random, tpl: dict) -> str:
    names = []
    for _ in range(rng.choice([1, 1, 1, 2])):
        sur = rng.choice(tpl["places"]["surnames"])
        given = "".join(rng.choice(tpl["places"]["given"]) for _ in range(rng.choice([1, 2])))
        names.append(sur + given)
    return "通讯员 " + " ".join(names)


def _agency_short(rng: random.Random, place: Place) -> str:
    """How a county's bureau is named inside an overview: 莲都公安 / 缙云县公安局."""
    if place.level == "devzone":
        return "开发区公安"
    return rng.choice([f"{place.short}公安"] * 3 + [f"{place.name}公安局"])


class Pager:
    """Builds pages (bulletins) article by article."""

    def __init__(self, rng: random.Random, ref: Reference, story: Story, nl: str):
        self.rng, self.ref, self.story, self.nl = rng, ref, story, nl
        self.tpl = ref.tpl

    def _ctx(self, published, place, level, **kw) -> Ctx:
        return Ctx(self.rng, self.story, self.ref, published, place, level,
                   county_pool=self.ref.lishui, **kw)

    def _para(self, art: Article, w: Writer | None, templates, ctx=None) -> None:
        """One paragraph from one template."""
        (w or Writer(ctx, art)).render(templates)

    def _sep(self, art: Article) -> None:
        art.add(self.nl * 2)

    def overview(self, published: dt.date, city: Place, counties: list[Place]) -> Article:
        rng, t = self.rng, self.tpl["overview"]
        art = Article(style="overview", published=published)
        city_ctx = self._ctx(published, city, "city", all_word="全市")
        cw = Writer(city_ctx, art)
        cw.render(rng.choice(t["column"]))
        self._sep(art)
        cw.render(rng.choice(t["headline"]))
        self._sep(art)
        art.add(_byline(rng, self.tpl))
        self._sep(art)
        art.add(rng.choice(self.tpl["openers"][_season(published.month)]))
        self._sep(art)
        city_ctx.county_pool = [p.short for p in counties if p.level == "county"] or self.ref.lishui
        cw.render(rng.choice(t["anecdote"]))
        self._sep(art)
        cw.render(rng.choice(t["intro"]))
        sections = rng.sample(t["sections"], k=min(len(t["sections"]), rng.randint(3, 4)))
        pool = list(counties)
        rng.shuffle(pool)
        for sec in sections:
            self._sep(art)
            cw.render(rng.choice(sec["heading"]))
            self._sep(art)
            cw.render(rng.choice(sec["intro"]))
            self._sep(art)
            k = min(len(sec["clauses"]), rng.randint(2, 4))
            clauses = rng.sample(sec["clauses"], k=k)
            for i, clause in enumerate(clauses):
                if not pool:
                    pool = list(counties)
                    rng.shuffle(pool)
                place = pool.pop()
                ctx = self._ctx(published, place, "county", agency=_agency_short(rng, place))
                Writer(ctx, art).render(clause)
                art.add("；" if i < len(clauses) - 1 else "。")
        return art

    def _agency_article(self, style: str, published: dt.date, place: Place, unnamed: bool):
        """Station, fire, drone and fraud pieces: headline, byline, 本报讯 lead, back-references."""
        rng, t = self.rng, self.tpl[style]
        art = Article(style=style, published=published, county=place)
        town = rng.choice(self.tpl["places"]["towns"])
        level = "county"
        if place.level == "devzone":
            prefix = self.tpl["places"]["devzone"]["formal"]
        elif unnamed:
            prefix = "县公安局" if style != "fire" else "县消防救援大队"
        else:
            prefix = f"{place.name}公安局" if style != "fire" else f"{place.name}消防救援大队"
        if style in ("station", "drone"):
            agency_full = f"{prefix}{town}派出所" if style != "fire" else prefix
            level = "station"
        elif style == "fire":
            agency_full = prefix
        else:  # fraud: the county bureau
            agency_full = prefix
        # a station reports a fixed share of its county's level, so that a county's series
        # stays coherent whichever of its stations a bulletin happens to feature
        ctx = self._ctx(published, place, level, agency=agency_full, agency_full=agency_full,
                        town=town)
        byline_end = style == "station" and rng.random() < 0.08
        Writer(ctx, art).render(rng.choice(t["headline"]))
        self._sep(art)
        if not byline_end:
            art.add(_byline(rng, self.tpl))
            self._sep(art)
        lead = rng.choice(t["lead"])
        if "{AG}" not in lead:
            # the agency must be named before 该所/该局 can refer to it
            lead = lead + "{AG}民警接到预警后第一时间上门劝阻。"
        if byline_end:
            lead = lead.replace("本报讯 ", "")
        Writer(ctx, art).render(lead)
        body = t["body"]
        # keep the templates' order: a piece opens with its main results, 还/同时 follow
        picks = sorted(rng.sample(range(len(body)), k=min(len(body), rng.randint(2, 4))))
        for tmpl in (body[i] for i in picks):
            self._sep(art)
            Writer(ctx, art).render(tmpl)
        if byline_end:
            self._sep(art)
            art.add(_byline(rng, self.tpl))
        return art

    def summary(self, published: dt.date, place: Place) -> Article:
        rng, t = self.rng, self.tpl["summary"]
        art = Article(style="summary", published=published)
        if place.level == "province":
            kw = dict(all_word="全省", auth="省公安厅", all_name="浙江")
            level = "province"
        else:
            kw = dict(all_word="全市", auth=f"{place.city}公安局", all_name=place.city_short)
            level = "city"
        ctx = self._ctx(published, place, level, **kw)
        Writer(ctx, art).render(rng.choice(t["headline"]))
        self._sep(art)
        art.add(_byline(rng, self.tpl))
        self._sep(art)
        Writer(ctx, art).render(rng.choice(t["lead"]))
        for i in sorted(rng.sample(range(len(t["body"])), k=rng.randint(2, 4))):
            tmpl = t["body"][i]
            self._sep(art)
            Writer(ctx, art).render(tmpl)
        return art

    def article(self, style: str, published: dt.date, place: Place, unnamed=False) -> Article:
        if style == "summary":
            return self.summary(published, place)
        return self._agency_article(style, published, place, unnamed)


def _unique_spans(art: Article) -> None:
    """Widen a figure's span leftwards until it occurs once in its article, where it can."""
    text = art.text
    for f in art.figs:
        s = f.start
        while text.count(text[s:f.end]) > 1 and s > 0 and f.start - s < 10 \
                and text[s - 1] not in "\r\n。；，,":
            s -= 1
        if text.count(text[s:f.end]) == 1:
            f.start = s


# ---------------------------------------------------------------- the corpus

def _months(n_bulletins: int, rng: random.Random) -> list[dt.date]:
    y, m = LAST_MONTH
    first = (y * 12 + m - 1) - (N_MONTHS - 1)
    dates = []
    for i in range(n_bulletins):
        idx = first + i * N_MONTHS // n_bulletins
        yy, mm = divmod(idx, 12)
        day = rng.randint(1, calendar.monthrange(yy, mm + 1)[1])
        dates.append(dt.date(yy, mm + 1, day))
    return sorted(dates)


def _first_day() -> dt.date:
    y, m = LAST_MONTH
    idx = (y * 12 + m - 1) - (N_MONTHS - 1)
    return dt.date(idx // 12, idx % 12 + 1, 1)


@dataclass
class Page:
    file: str
    published: dt.date
    outlet: dict
    region: str
    articles: list            # Article
    fmt: str                  # txt | html
    encoding: str             # utf-8 | gb18030


def _write_page(page: Page, nl: str, out: str, rng: random.Random):
    """Join articles, maybe break a line mid-sentence, encode; return (gold rows)."""
    pieces, figs = [], []
    pos = 0
    lead = nl * 2 if rng.random() < 0.3 else ""
    pieces.append(lead)
    pos += len(lead)
    for i, art in enumerate(page.articles, 1):
        if i > 1:
            gap = nl * rng.choice([2, 2, 4])
            pieces.append(gap)
            pos += len(gap)
        _unique_spans(art)
        for f in art.figs:
            figs.append((i, pos + f.start, pos + f.end, f.rec))
        pieces.append(art.text)
        pos += art.n
    text = "".join(pieces) + nl
    if rng.random() < 0.05:
        text, figs = _break_line(text, figs, nl, rng)

    path = os.path.join(out, page.file)
    if page.fmt == "html":
        _write_file(path, _html_bytes(text, page))
        decoded, figs = _remap_html(Path(path), text, figs)
    else:
        _write_file(path, text.encode(page.encoding))
        decoded = text
    rows = []
    for art_i, s, e, rec in figs:
        rows.append({"file": page.file, "article": art_i, "text_span": decoded[s:e], "start": s,
                     "end": e, **{k: rec[k] for k in _REC_FIELDS}, "synthetic": True})
    return rows


#: the gold fields a figure's record gives, in GOLD_FIELDS order
_REC_FIELDS = GOLD_FIELDS[5:-1]
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _write_file(path: str, data: bytes) -> None:
    """One page file in three system calls (open, write, close).

    Why not ``Path.write_bytes``: a buffered file object adds an fstat, an ioctl and an
    lseek per file and its own Python overhead; the generator writes one file per bulletin.
    """
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _break_line(text: str, figs, nl: str, rng: random.Random):
    """A page-layout line break in mid-sentence, as scanned pages have, away from figures."""
    lines_ok = []
    for m in re.finditer(r"[^\r\n]{60,}", text):
        for i in range(m.start() + 20, m.end() - 20):
            if _CJK.match(text[i - 1]) and _CJK.match(text[i]) and \
                    all(i <= s - 8 or i >= e + 8 for _, s, e, _ in figs):
                lines_ok.append(i)
    if not lines_ok:
        return text, figs
    i = rng.choice(lines_ok)
    ins = nl * 2
    text = text[:i] + ins + text[i:]
    figs = [(a, s + len(ins) if s >= i else s, e + len(ins) if e >= i else e, r)
            for a, s, e, r in figs]
    return text, figs


def _html_bytes(text: str, page: Page) -> bytes:
    """A plain news page: one element per line, plus a script and a style the reader drops."""
    body = []
    for line in re.split(r"\r?\n", text):
        if not line.strip():
            continue
        tag = "p"
        if re.fullmatch(r".{1,6}[:：]", line):
            tag = "div class=\"column\""
        elif len(line) <= 20 and not line.startswith("通讯员") and not re.search(r"[。；]", line):
            tag = "h2"
        close = tag.split()[0]
        body.append(f"<{tag}>{html.escape(line, quote=False)}</{close}>")
    doc = (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(page.outlet['name'])}</title>\n"
        "<style>p { text-indent: 2em; }</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n<script>var demo = \"synthetic page\";</script>\n</body>\n</html>\n"
    )
    return doc.encode("utf-8")


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _html_text(text: str) -> str:
    """The text etl.readers extracts from the page `_html_bytes(text, …)` writes.

    Why not read the page back with etl.readers: parsing it (BeautifulSoup over lxml) cost
    about 5 ms a page, a quarter of the generator's CPU for the 4 % of pages that are HTML.
    Our pages are one block element per non-blank line in an otherwise invisible head and
    script, so the reader's rules reduce to: ASCII whitespace runs as one space, each line
    stripped of spaces and tabs, one line per element. tests/test_demo.py checks every gold
    span of the HTML pages against etl.readers' own text, so the two cannot drift apart
    silently.
    """
    return "\n".join(_HTML_SPACE.sub(" ", line).strip(" \t")
                     for line in re.split(r"\r?\n", text) if line.strip())


def _remap_html(path: Path, text: str, figs):
    """Gold offsets of an .html file point into the text etl.readers extracts from it.

    Each line of our text became one element; find the lines in order in the extracted
    text and move every figure with its line.
    """
    decoded = _html_text(text)
    moved = {}
    at = 0
    for m in re.finditer(r"[^\r\n]+", text):
        if not m.group().strip():
            continue
        j = decoded.find(m.group(), at)
        if j < 0:
            raise DemoError(path, f"line {m.group()[:20]!r} not found in the extracted text")
        moved[m.start()] = (m.end(), j - m.start())
        at = j + len(m.group())
    out = []
    for art_i, s, e, rec in figs:
        line_start = max(k for k in moved if k <= s)
        line_end, delta = moved[line_start]
        if e > line_end:
            raise DemoError(path, f"figure {text[s:e]!r} spans two lines")
        out.append((art_i, s + delta, e + delta, rec))
    return decoded, out


#: bulletins per block: each block has its own random stream (block 0: ``Random(seed)``, so
#: a corpus of up to BLOCK bulletins is what one stream has always written), reprints stay
#: within a block, and blocks are written in any order by any number of processes: the
#: corpus depends on the seed and N only, never on the number of cores.
BLOCK = 2000


def _block_rng(seed: int, k: int) -> random.Random:
    return random.Random(seed) if k == 0 else random.Random(f"{seed}|block|{k}")


def _block_months(n_bulletins: int, lo: int, hi: int, rng: random.Random) -> list[dt.date]:
    """`_months` for bulletins lo..hi-1 of n: the same dates when the block is the corpus."""
    y, m = LAST_MONTH
    first = (y * 12 + m - 1) - (N_MONTHS - 1)
    dates = []
    for i in range(lo, hi):
        idx = first + i * N_MONTHS // n_bulletins
        yy, mm = divmod(idx, 12)
        day = rng.randint(1, calendar.monthrange(yy, mm + 1)[1])
        dates.append(dt.date(yy, mm + 1, day))
    return sorted(dates)


_REFS: dict = {}


def _reference(reference_dir) -> Reference:
    key = str(reference_dir or config.REFERENCE_DIR)
    if key not in _REFS:
        _REFS[key] = _load_reference(Path(key))
    return _REFS[key]


def _write_block(n_bulletins: int, k: int, out_dir: str, seed: int, reference_dir=None,
                 ref: Reference | None = None, block: int = BLOCK):
    """Write block k of the corpus; return its manifest rows (CSV) and gold lines (JSON
    lines), each as UTF-8 bytes."""
    ref = ref or _reference(reference_dir)
    lo, hi = k * block, min(n_bulletins, (k + 1) * block)
    rng = _block_rng(seed, k)
    start = _first_day()
    story = Story(seed, ref, start)
    tpl = ref.tpl

    outlets = list(tpl["outlets"]) + [dict(tpl["county_outlet"], county=True)]
    weights = [o["weight"] for o in outlets]
    lishui = [ref.counties[s] for s in ref.lishui]
    devzone = ref.counties[tpl["places"]["devzone"]["short"]]
    others = [ref.counties[s] for s in ref.others]
    all_counties = lishui + [devzone] + others
    province = Place("浙江", None, None, None, None, None, "province")

    manifest_rows, gold_rows = [], []
    history: list[tuple[dt.date, str, Article]] = []   # reprintable articles
    in_history: dict[int, int] = {}                     # id(article) -> times in history
    agency_styles = ["station", "fire", "drone", "fraud"]

    for n, published in enumerate(_block_months(n_bulletins, lo, hi, rng), lo + 1):
        outlet = rng.choices(outlets, weights)[0]
        nl = "\r\n" if rng.random() < 0.03 else "\n"
        pager = Pager(rng, ref, story, nl)
        arts: list[Article] = []
        region = ""
        if outlet.get("county"):
            place = rng.choice(lishui + others)
            name = outlet["name"].replace("{C}", place.short)
            slug = outlet["slug"].replace("{code}", place.code)
            outlet = dict(outlet, name=name, slug=slug)
            region = place.name
            for _ in range(rng.randint(1, 3)):
                unnamed = place.name.endswith("县") and rng.random() < 0.3
                arts.append(pager.article(rng.choice(agency_styles), published, place, unnamed))
        elif outlet.get("province"):
            if rng.random() < 0.2:
                arts.append(pager.summary(published, province))
            for _ in range(rng.randint(1, 3)):
                arts.append(pager.article(rng.choice(agency_styles), published,
                                          rng.choice(all_counties[:9] + others)))
        else:
            city = ref.cities[outlet["city"]]
            own = [p for p in all_counties if p.city_short == city.city_short]
            r = rng.random()
            if r < 0.3 and len(own) >= 4:
                arts.append(pager.overview(published, city, own))
            elif r < 0.45:
                arts.append(pager.summary(published, city))
            for _ in range(rng.randint(1, 3) if arts else rng.randint(2, 4)):
                place = rng.choice([p for p in own if p.level == "county"])
                arts.append(pager.article(rng.choice(agency_styles), published, place))
        # principle 1: the same figure is sometimes reprinted in a later bulletin
        if history and rng.random() < 0.07:
            recent = [a for d, o, a in history
                      if 3 <= (published - d).days <= 45 and d.year == published.year
                      and o != outlet["name"]]
            if recent:
                arts.append(rng.choice(recent))
        for a in arts:
            if a.style in agency_styles and not in_history.get(id(a)):
                history.append((published, outlet["name"], a))
                in_history[id(a)] = in_history.get(id(a), 0) + 1
        if len(history) > 200:
            for _d, _o, gone in history[:-200]:
                in_history[id(gone)] -= 1
            history = history[-200:]

        r = rng.random()
        fmt, enc = ("html", "utf-8") if r < 0.04 else ("txt", "gb18030" if r < 0.08 else "utf-8")
        file = f"{published.isoformat()}_{outlet['slug']}_{n:04d}.{fmt}"
        page = Page(file, published, outlet, region, arts, fmt, enc)
        gold_rows.extend(_write_page(page, nl, out_dir, rng))
        manifest_rows.append({
            "file": file, "published_on": published.isoformat(), "publisher": outlet["name"],
            "region": region,
            "url": f"https://example.invalid/{outlet['slug']}/{published:%Y%m%d}/{n:04d}.html",
            "synthetic": "true",
        })

    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=MANIFEST_COLUMNS, lineterminator="\n").writerows(manifest_rows)
    encode = _GOLD_JSON.encode
    gold = "".join([encode(row) + "\n" for row in gold_rows])
    return buf.getvalue().encode("utf-8"), gold.encode("utf-8")


#: one encoder for every gold line (json.dumps with options builds a new one per call)
_GOLD_JSON = json.JSONEncoder(ensure_ascii=False)


def _blocks(n_bulletins, n_blocks, out, seed, ref_arg, ref, block, workers):
    """Each block's (manifest CSV rows, gold lines) as encoded bytes, in block order.

    Why bytes: a block's part of the gold file is one object to send back from a worker
    (one copy, not a list of ~25,000 strings to pickle and unpickle), written as it comes so
    that the first blocks are on disk while the last are being generated.
    """
    if workers == 1:
        for k in range(n_blocks):
            yield _write_block(n_bulletins, k, out, seed, ref_arg, ref, block)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from etl.parallel import no_main_script
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("forkserver")) as pool:
        with no_main_script():
            parts = pool.map(_write_block, [n_bulletins] * n_blocks, range(n_blocks),
                             [out] * n_blocks, [seed] * n_blocks, [ref_arg] * n_blocks,
                             [None] * n_blocks, [block] * n_blocks)
        yield from parts


def generate(n_bulletins: int, out_dir, seed: int = 0, *, reference_dir=None,
             workers: int | None = 1, block: int = BLOCK) -> Path:
    """Write `n_bulletins` synthetic bulletins, manifest.csv and gold.jsonl into out_dir.

    workers: processes writing blocks at once (None: one per core); the files are the same
    for any number.
    """
    if n_bulletins < 1:
        raise ValueError("n_bulletins must be at least 1")
    # read here (problems are raised before any process starts); workers read their own
    ref = _load_reference(Path(reference_dir) if reference_dir else config.REFERENCE_DIR)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    n_blocks = -(-n_bulletins // block)
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = max(1, min(int(workers), n_blocks))
    ref_arg = str(reference_dir) if reference_dir else None
    with (out / "manifest.csv").open("wb") as manifest, (out / "gold.jsonl").open("wb") as gold:
        manifest.write(",".join(MANIFEST_COLUMNS).encode("utf-8") + b"\n")
        for manifest_part, gold_part in _blocks(n_bulletins, n_blocks, str(out), seed, ref_arg,
                                                ref, block, workers):
            manifest.write(manifest_part)
            gold.write(gold_part)
    return out
