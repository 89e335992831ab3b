"""The metric taxonomy (data/reference/metrics.csv, trigger_roles.csv) read back through the
extractor: what staff write in the files is what the extractor does.

Staff extend the taxonomy by editing CSV files; these tests catch an edit that can never
take effect (a unit the figure finder does not know) or that another word silently
overrides (a trigger read as some other metric even in the plainest sentence).
"""
from __future__ import annotations

import pytest

from etl import figures, reference
from etl.extract import extract_text
from etl.manifest import Meta

KNOWN_UNITS = set(figures.UNITS) | {"%", "个百分点", "年"}  # 年: a streak (figures.STREAK_RE)
#: triggers that cannot stand right before a number in a plain sentence, and why
NOT_BEFORE_A_NUMBER = {
    "反诈APP": "Latin letters touching digits read as a model code (APP356)",
    "反诈中心APP": "Latin letters touching digits read as a model code (APP356)",
    "被骗": "被骗356元 is one victim's loss, never a result",
    "被骗金额": "被骗金额356元 is one victim's loss, never a result",
    "被骗资金": "被骗资金356元 is one victim's loss, never a result",
    "被骗款": "被骗款356元 is one victim's loss, never a result",
    "被骗钱款": "被骗钱款356元 is one victim's loss, never a result",
    "未发生命案": "未发生… before a number is a negated threshold; the streak (连续8年未发生命案) "
                  "is tested in test_metrics_genre",
    "零发生": "零发生… before a number is a negation; the streak (连续两年实现零发生) is tested in "
              "test_blind_rules",
    **{w: "未发生… before a number is a negated threshold; the streak (连续十二年未发生重大森林"
          "火灾) is tested in test_blind2_rules" for w in ("未发生", "未发生重大")},
    **{w: "Latin letters touching digits read as a model code (APP356)"
       for w in ("涉诈APP", "诈骗APP", "风险APP")},
}


#: spans of time that are a figure only as a streak of a result (连续13年命案全破)
STREAK_UNITS = {"年", "个月", "个季度"}


def _base_metrics():
    return [m for m in reference.metrics().values() if m.base == m.code]


def test_every_unit_in_the_taxonomy_is_one_the_figure_finder_knows():
    unknown = [(m.code, u) for m in _base_metrics() for u in m.units if u not in KNOWN_UNITS]
    assert not unknown


def test_every_role_word_is_a_trigger():
    triggers = {t for m in reference.metrics().values() for t in m.triggers}
    roles = reference.trigger_roles()
    assert roles and set(roles) <= triggers
    assert set(roles.values()) <= {"broad", "object"}


@pytest.mark.parametrize("metric", [m.code for m in _base_metrics()
                                    if m.measure in ("count", "amount", "rate", "duration")])
def test_each_trigger_names_its_metric_in_a_plain_sentence(metric):
    m = reference.metrics()[metric]
    by_trigger = reference.trigger_index()[2]
    wrong = []
    for t in m.triggers:
        if t in NOT_BEFORE_A_NUMBER:
            continue
        for unit in m.units[:3]:
            value = "85.5" if unit == "%" else "356"
            text = f"本报讯 缙云县公安局今年{t}{value}{unit}。"
            if unit in STREAK_UNITS:
                text = f"本报讯 缙云县公安局连续13{unit}{t}。"  # a streak says what held after it
            _, rows = extract_text(text, "t.txt", "0" * 16, Meta())
            # another metric with the same word and unit is as right: the text cannot tell
            same_word = {x.code for x in by_trigger[t] if not x.units or unit in x.units}
            got = rows[0]["metric"] if rows else None
            if got != metric and got not in same_word:
                wrong.append((t, unit, got))
    assert not wrong
