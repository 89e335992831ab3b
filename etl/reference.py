"""Reference data (data/reference/*.csv) loaded once: the vocabulary the extractor uses.

Staff adjust these files, not Python: metric names and trigger words, initiatives and
their keywords, phrases that look like figures but are not. Derived metric variants
(`<metric>_change`, `<metric>_share`) are generated here so the CSV lists each idea once.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from etl.config import REFERENCE_DIR
from etl.trie import trie_pattern


@dataclass(frozen=True)
class Metric:
    code: str
    name_zh: str
    name_en: str
    category: str
    measure: str
    units: tuple[str, ...]
    triggers: tuple[str, ...]
    higher_is_better: bool | None
    base: str  # the metric a derived variant belongs to (itself for base metrics)


@dataclass(frozen=True)
class Initiative:
    code: str
    name_zh: str
    name_en: str
    level: str
    parent: str | None
    keywords: tuple[str, ...]


def _rows(name: str) -> list[dict]:
    with open(REFERENCE_DIR / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _split(s: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (s or "").split("|") if x.strip())


def _hib(s: str | None) -> bool | None:
    return {"1": True, "0": False}.get((s or "").strip())


@lru_cache(maxsize=1)
def metrics() -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for r in _rows("metrics.csv"):
        m = Metric(r["code"], r["name_zh"], r["name_en"], r["category"], r["measure"],
                   _split(r["units"]), _split(r["triggers"]), _hib(r["higher_is_better"]), r["code"])
        out[m.code] = m
    for m in list(out.values()):
        if m.measure in ("count", "amount", "rate", "duration"):
            # a reported change of a count: 警情同比下降46.7%; lower is better stays lower
            out[m.code + "_change"] = Metric(
                m.code + "_change", m.name_zh + "（变化）", m.name_en + " (change)", m.category,
                "change", ("%", "个百分点", "倍") + m.units, m.triggers, m.higher_is_better, m.code)
        if m.measure == "count":
            out[m.code + "_share"] = Metric(
                m.code + "_share", m.name_zh + "（占比）", m.name_en + " (share)", m.category,
                "share", ("%",), m.triggers, None, m.code)
    for measure, zh, en in (("rate", "比率", "rate"), ("amount", "金额", "amount"),
                            ("duration", "用时", "duration"), ("years", "年数", "years")):
        code = f"other_{measure}"
        out.setdefault(code, Metric(code, f"未分类{zh}", f"Unclassified {en}", "other", measure,
                                    (), (), None, "other"))
    return out


@lru_cache(maxsize=1)
def unit_metrics() -> dict[tuple[str, str], Metric]:
    """(measure, unit) -> the one base metric counted in that unit (平方公里: area, 架: drones,
    伙: gangs): a unit no other metric uses says what was counted when no word does."""
    by: dict[tuple[str, str], list[Metric]] = {}
    for m in metrics().values():
        if m.base == m.code and m.category != "other":
            for u in m.units:
                by.setdefault((m.measure, u), []).append(m)
    return {k: v[0] for k, v in by.items() if len(v) == 1}


@lru_cache(maxsize=1)
def trigger_re() -> re.Pattern:
    words = {t for m in metrics().values() for t in m.triggers}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=None)  # (a handful of keys: (), (False,), (True,))
def trigger_index(years: bool = False) -> tuple[re.Pattern, dict[str, tuple[str, ...]], dict[str, tuple[Metric, ...]]]:
    """Everything needed to find every trigger word in one regex pass.

    (pattern, prefixes, metrics_by_trigger): the pattern is a lookahead alternation, so it
    reports the longest trigger starting at *each* position (overlaps included); prefixes
    maps that trigger to every trigger it starts with (抓获犯罪嫌疑人 -> 抓获, 抓获犯罪嫌疑人);
    metrics_by_trigger lists the metrics (derived variants included) each word points to.

    Words that only name a count of years (连续五年|下降, 建局|三十周年) are swept only with
    ``years``, for a figure counted in years: 下降 stands in most sentences, and no other
    figure can use it.
    """
    by_trigger: dict[str, list[Metric]] = {}
    for m in metrics().values():
        for t in m.triggers:
            by_trigger.setdefault(t, []).append(m)
    words = sorted((w for w, ms in by_trigger.items() if years or any(m.measure != "years" for m in ms)),
                   key=len, reverse=True)
    # the leading class lets `re` reject most positions with one bitmap test instead of
    # walking the trie's first-character branches (2.4x faster on bulletin text) ...
    first = "".join(sorted({w[0] for w in words}))
    # ... and at a position that passes it, `re` tries those branches one by one: with
    # 300+ first characters, buckets of 32 behind a class each (the characters that start
    # the most words first) find the branch in a dozen tests instead of a hundred
    by_first: dict[str, list[str]] = {}
    for w in words:
        by_first.setdefault(w[0], []).append(w)
    order = sorted(by_first, key=lambda c: (-len(by_first[c]), c))
    buckets = [order[i:i + 32] for i in range(0, len(order), 32)]
    body = "|".join("(?=[" + re.escape("".join(sorted(b))) + "])"
                    + trie_pattern([w for c in b for w in by_first[c]]) for b in buckets)
    # ... and the class is a character the match takes, not a lookahead: a pattern that
    # starts with a class lets `re` skip to the next candidate in a tight loop of its own
    # (the lookahead cost a full match attempt at every position). The word is read in a
    # one-character lookbehind holding a lookahead, so each match still reports the
    # longest trigger starting at its own position, and the next search starts one
    # character on: every position is visited, as with a zero-width match.
    pattern = re.compile("[" + re.escape(first) + "](?<=(?=((?:" + body + ")))(?s:.))")
    prefixes = {w: tuple(x for x in words if w.startswith(x)) for w in words}
    return pattern, prefixes, {k: tuple(v) for k, v in by_trigger.items()}


@lru_cache(maxsize=1)
def trigger_roles() -> dict[str, str]:
    """Trigger words with a part in a phrase other than naming the metric outright.

    broad: a catch-all head noun (警情, 发案数) that takes its meaning from the word
    before it (诈骗|警情 is fraud); object: a bare noun for what was counted (群众, 场所,
    农户) that a verb in the same clause outranks (劝阻群众, 检查九小场所); result: a word
    said after the number (连续五年|下降), never the head of a compound noun before it.
    """
    out = {}
    known = {t for m in metrics().values() for t in m.triggers}
    for i, r in enumerate(_rows("trigger_roles.csv"), start=2):
        word, role = (r.get("word") or "").strip(), (r.get("role") or "").strip()
        if role not in ("broad", "object", "result") or word not in known:
            raise ValueError(f"{REFERENCE_DIR / 'trigger_roles.csv'}: line {i}: "
                             f"{'unknown role ' + repr(role) if word in known else 'not a trigger word: ' + repr(word)}")
        out[word] = role
    return out


@lru_cache(maxsize=1)
def _field_rows() -> tuple[dict[str, dict[str, Metric]], dict[str, str]]:
    ms = metrics()
    known = {t for m in ms.values() for t in m.triggers}
    cats = {m.category for m in ms.values()}
    shared: dict[str, dict[str, Metric]] = {}
    markers: dict[str, str] = {}
    for i, r in enumerate(_rows("field_words.csv"), start=2):
        field, word, code = ((r.get(k) or "").strip() for k in ("field", "word", "metric"))
        bad = ("field " + repr(field) if field not in cats else "an empty word" if not word
               else "metric " + repr(code) if code and code not in ms
               else "trigger word " + repr(word) if code and word not in known else None)
        if bad:
            raise ValueError(f"{REFERENCE_DIR / 'field_words.csv'}: line {i}: unknown {bad}")
        if code:
            shared.setdefault(word, {})[field] = ms[code]
        else:
            markers[word] = field
    return shared, markers


def field_words() -> dict[str, dict[str, Metric]]:
    """word -> {field: metric}: trigger words several fields use (巡查, 处置警情, 发案) and
    what each names when the figure's subject works in that field (a drone squad's 巡查 are
    drone inspections, a fraud bulletin's 发案 fraud cases). From field_words.csv."""
    return _field_rows()[0]


def field_markers() -> dict[str, str]:
    """word -> field: words that say a subject works in a field (无人机, 诈骗, 消防): the rows
    of field_words.csv with no metric."""
    return _field_rows()[1]


@lru_cache(maxsize=1)
def initiatives() -> dict[str, Initiative]:
    out = {}
    for r in _rows("initiatives.csv"):
        out[r["code"]] = Initiative(r["code"], r["name_zh"], r["name_en"], r["level"],
                                    r["parent"] or None, _split(r["keywords"]))
    return out


@lru_cache(maxsize=1)
def distractors() -> tuple[str, ...]:
    return tuple(r["phrase"] for r in _rows("distractors.csv") if r.get("phrase"))


@lru_cache(maxsize=1)
def former_county_cities() -> dict[str, int]:
    """{county code: the year it stopped being a county-level city} (上虞市 became 上虞区 in
    2013): before that year its own outlet's 我市 and 市公安局 mean itself, not its
    prefecture."""
    out = {}
    for i, r in enumerate(_rows("former_county_cities.csv"), start=2):
        code, year = (r.get("code") or "").strip(), (r.get("until_year") or "").strip()
        if not re.fullmatch(r"\d{6}", code) or not re.fullmatch(r"\d{4}", year):
            raise ValueError(f"{REFERENCE_DIR / 'former_county_cities.csv'}: line {i}: "
                             f"bad code or year ({code!r}, {year!r})")
        out[code] = int(year)
    return out


def metrics_frame():
    """The metrics table of the warehouse (pandas), derived variants included."""
    import pandas as pd

    return pd.DataFrame([{
        "code": m.code, "name_zh": m.name_zh, "name_en": m.name_en, "category": m.category,
        "measure": m.measure, "unit": "|".join(m.units) or None,
        "higher_is_better": m.higher_is_better} for m in metrics().values()])


def initiatives_frame():
    import pandas as pd

    return pd.DataFrame([{"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en,
                          "level": i.level, "parent": i.parent} for i in initiatives().values()])
