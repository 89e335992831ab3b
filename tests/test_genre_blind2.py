"""The second blind genre corpus (tests/fixtures/genre_blind2/): 24 bulletins written before
anyone read the extractor, 18 of them from outside Zhejiang (a 分局 work summary, a 政府工作
报告 paragraph, 110 statistics, forest, railway and border police, a banner, autonomous
prefectures, districts whose names several cities share, divisions renamed or abolished).

Why: the first blind corpus's fixes did not carry over to its own held-out bulletins, and
the hidden real sets lose most on places outside Zhejiang. This corpus was scored before any
fix (whole 0.649, tuned 0.697, held-out 0.553 full F1); its 16 tuned articles drove the rules
in tests/test_blind2_rules.py, its 8 held-out ones were never looked at. The test keeps the
level reached and reports the held-out score apart.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from blind_corpus import check_gold, extract, scores
from genre_score import load_corpus

ROOT = Path(__file__).resolve().parent.parent
BLIND2 = ROOT / "tests" / "fixtures" / "genre_blind2"


@pytest.fixture(scope="module")
def corpus():
    gold, texts, families, heldout = load_corpus(BLIND2)
    return {"gold": gold, "texts": texts, "families": families, "heldout": heldout}


def test_the_fixture_is_well_formed(corpus):
    texts, gold, families, held = corpus["texts"], corpus["gold"], corpus["families"], corpus["heldout"]
    assert sorted(texts) == [f"c{i:02d}" for i in range(1, 25)]
    assert {g["article"] for g in gold} == set(texts) and len(gold) >= 340
    check_gold(gold, texts, families)
    assert len(held) == 8 and set(held) <= set(texts)


def test_the_manifest_lists_the_files_and_leaves_most_regions_empty():
    man = load_manifest(BLIND2)
    assert man.problems == []
    assert sorted(man.rows) == [f"c{i:02d}.txt" for i in range(1, 25)]
    metas = [man.meta_for(BLIND2 / name) for name in man.rows]
    assert all(m["publisher"] and isinstance(m["published_on"], dt.date) for m in metas)
    assert sum(not m.get("region") for m in metas) >= 12


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extract(BLIND2, tmp_path_factory.mktemp("blind2_wh"))


def test_extractor_on_the_second_blind_corpus(extracted, corpus):
    whole, held, summary = scores(corpus, extracted, "genre_blind2")
    assert whole["detect_f1"] >= 0.97, summary
    assert whole["full_f1"] >= 0.97, summary
    # the held-out part was the honest estimate (0.647 when the rules of test_blind2_rules
    # landed); its misses were then looked at (test_place_causes, test_class_causes), so it
    # is spent: 0.979 since, guarded like the tuned part
    assert held["detect_f1"] >= 0.97, summary
    assert held["full_f1"] >= 0.95, summary
