"""The third blind genre corpus (tests/fixtures/genre_blind3/): 30 bulletins shaped like the
hidden real sets (20 Zhejiang, 10 from other provinces; a newspaper page of three articles,
web posts, WeChat posts, a Q&A transcript, profiles written with 该所/该局), written by
someone who had never seen the extractor.

Why: the two earlier blind corpora were spent on the rules they drove; this one was scored
as an honest held-out estimate twice (0.769, then 0.812 full F1), and then spent too: its
misses were sorted by cause (tests/test_place_causes.py, tests/test_class_causes.py, the
sections on genre_blind3) and fixed as general rules. The test keeps the level reached;
the corpus is no estimate of anything any more (genre_blind4, kept from us, is).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from blind_corpus import check_gold, extract, scores
from genre_score import load_corpus

ROOT = Path(__file__).resolve().parent.parent
BLIND3 = ROOT / "tests" / "fixtures" / "genre_blind3"


@pytest.fixture(scope="module")
def corpus():
    gold, texts, families, heldout = load_corpus(BLIND3)
    return {"gold": gold, "texts": texts, "families": families, "heldout": heldout}


def test_the_fixture_is_well_formed(corpus):
    texts, gold, families, held = corpus["texts"], corpus["gold"], corpus["families"], corpus["heldout"]
    assert sorted(texts) == [f"d{i:02d}" for i in range(1, 31)]
    assert {g["article"] for g in gold} == set(texts) and len(gold) >= 420
    check_gold(gold, texts, families)
    assert sorted(held) == sorted(texts)  # every article is held out (and spent)


def test_the_manifest_lists_the_files_some_undated_most_without_a_region():
    man = load_manifest(BLIND3)
    assert man.problems == []
    assert sorted(man.rows) == [f"d{i:02d}.txt" for i in range(1, 31)]
    metas = {name: man.meta_for(BLIND3 / name) for name in man.rows}
    assert all(m["publisher"] for m in metas.values())
    undated = sorted(n for n, m in metas.items() if m["published_on"] is None)
    assert undated == ["d08.txt", "d15.txt", "d29.txt"]
    assert all(isinstance(m["published_on"], dt.date) for n, m in metas.items() if n not in undated)
    assert sum(not m.get("region") for m in metas.values()) >= 15


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extract(BLIND3, tmp_path_factory.mktemp("blind3_wh"))


def test_extractor_on_the_third_blind_corpus(extracted, corpus):
    whole, held, summary = scores(corpus, extracted, "genre_blind3")
    assert held == whole  # all 30 articles are held out
    # measured blind at 0.769 and 0.812 full F1; the misses were then looked at (spent):
    # 0.99 since, guarded like the spent parts of the earlier corpora
    assert whole["detect_f1"] >= 0.98, summary
    assert whole["county_acc"] >= 0.98, summary
    assert whole["full_f1"] >= 0.97, summary
