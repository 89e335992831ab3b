"""The eighth blind genre corpus (tests/fixtures/genre_blind8/): 30 bulletins shaped like the
hidden real sets (20 Zhejiang, 10 from other provinces; renamed divisions such as 玉环县,
增城市, 即墨市, 铜梁县 and 蓟县, a 苍南 of 2018 when 龙港 was still one of its towns; a newspaper
page, web posts, WeChat posts, a press-conference transcript, year-end summaries, a work
report dated in Chinese numerals, back-references with 该所/该局/该分局), written by someone
who had never seen the extractor, its misses or the texts of the earlier corpora.

Why: genre_blind7 is the current honest estimate; once it is read per miss it is spent, and
this one took its place. It was scored once as a whole (full F1 0.888 on main 817cab3;
0.859 on 7b3ce7d), then its misses were read on 2026-12-07 and one cause fixed in general
form (古镇 is a locality word): it is spent, and genre_blind9 estimates unseen text now.
The score test keeps the level reached (0.904).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from blind_corpus import check_gold, extract, scores
from genre_score import load_corpus

ROOT = Path(__file__).resolve().parent.parent
BLIND8 = ROOT / "tests" / "fixtures" / "genre_blind8"


@pytest.fixture(scope="module")
def corpus():
    gold, texts, families, heldout = load_corpus(BLIND8)
    return {"gold": gold, "texts": texts, "families": families, "heldout": heldout}


def test_the_fixture_is_well_formed(corpus):
    texts, gold, families, held = corpus["texts"], corpus["gold"], corpus["families"], corpus["heldout"]
    assert sorted(texts) == [f"k{i:02d}" for i in range(1, 31)]
    assert {g["article"] for g in gold} == set(texts) and len(gold) == 371
    check_gold(gold, texts, families)
    assert sorted(held) == sorted(texts)  # every article is held out


def test_the_gold_is_in_document_order_and_each_span_lands_where_it_was_meant(corpus):
    """Placed as the scorer places them (a repeated span takes its next free occurrence), the
    spans of each article come in the order of the text."""
    last: dict[str, int] = {}
    used: dict[str, set] = {}
    for g in corpus["gold"]:
        text, art = corpus["texts"][g["article"]], g["article"]
        start = -1
        while True:
            start = text.find(g["text_span"], start + 1)
            if start < 0 or start not in used.setdefault(art, set()):
                break
        assert start >= 0, (art, g["text_span"])
        used[art].add(start)
        assert start > last.get(art, -1), (art, g["text_span"])
        last[art] = start


def test_the_manifest_lists_the_files_some_undated_most_without_a_region():
    man = load_manifest(BLIND8)
    assert man.problems == []
    assert sorted(man.rows) == [f"k{i:02d}.txt" for i in range(1, 31)]
    metas = {name: man.meta_for(BLIND8 / name) for name in man.rows}
    assert all(m["publisher"] for m in metas.values())
    undated = sorted(n for n, m in metas.items() if m["published_on"] is None)
    assert undated == ["k15.txt", "k25.txt", "k27.txt"]
    assert all(isinstance(m["published_on"], dt.date) for n, m in metas.items() if n not in undated)
    assert sum(not m.get("region") for m in metas.values()) >= 15


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extract(BLIND8, tmp_path_factory.mktemp("blind8_wh"))


def test_extractor_on_the_blind_corpus(extracted, corpus):
    whole, held, summary = scores(corpus, extracted, "genre_blind8")
    assert held == whole  # all 30 articles are held out
    assert whole["detect_f1"] >= 0.975, summary
    assert whole["county_acc"] >= 0.96, summary
    assert whole["class_acc"] >= 0.93, summary
    assert whole["full_f1"] >= 0.89, summary
