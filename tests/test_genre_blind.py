"""The blind genre corpus (tests/fixtures/genre_blind/): 24 bulletins written before anyone
read the extractor, harder and more varied than tests/fixtures/genre/ (an annual work
summary, a 110 statistics notice, a press-conference transcript, a WeChat post, a Weibo
post, old county names, other provinces, places only in a headline, a byline or an outlet).

Why: a corpus the extractor has been tuned on says little about bulletins nobody here has
seen. This one was scored before any fix (whole 0.817, tuned 0.779, held-out 0.902 full F1);
its 16 tuned articles drove the rules in tests/test_blind_rules.py, its 8 held-out ones were
never looked at. The test keeps the level reached and reports the held-out score apart.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from blind_corpus import check_gold, extract, scores
from genre_score import load_corpus

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "fixtures" / "genre_blind"


@pytest.fixture(scope="module")
def corpus():
    gold, texts, families, heldout = load_corpus(BLIND)
    return {"gold": gold, "texts": texts, "families": families, "heldout": heldout}


def test_the_fixture_is_well_formed(corpus):
    texts, gold, families, held = corpus["texts"], corpus["gold"], corpus["families"], corpus["heldout"]
    assert sorted(texts) == [f"b{i:02d}" for i in range(1, 25)]
    assert {g["article"] for g in gold} == set(texts) and len(gold) >= 300
    check_gold(gold, texts, families)
    assert len(held) == 8 and set(held) <= set(texts)


def test_the_manifest_lists_the_files_and_leaves_some_regions_empty():
    man = load_manifest(BLIND)
    assert man.problems == []
    assert sorted(man.rows) == [f"b{i:02d}.txt" for i in range(1, 25)]
    metas = [man.meta_for(BLIND / name) for name in man.rows]
    assert all(m["publisher"] and isinstance(m["published_on"], dt.date) for m in metas)
    assert sum(not m.get("region") for m in metas) >= 8


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extract(BLIND, tmp_path_factory.mktemp("blind_wh"))


def test_extractor_on_the_blind_corpus(extracted, corpus):
    whole, held, summary = scores(corpus, extracted, "genre_blind")
    assert whole["detect_f1"] >= 0.97, summary
    assert whole["full_f1"] >= 0.97, summary
    # the held-out part was the honest estimate (0.902); its misses were then looked at
    # (test_place_causes, test_class_causes), so it is spent: 1.0 since, guarded like the rest
    assert held["full_f1"] >= 0.95, summary
