"""The seventh blind genre corpus (tests/fixtures/genre_blind7/): 30 bulletins shaped like the
hidden real sets (20 Zhejiang, 10 from other provinces; renamed divisions such as 南汇区,
新津县, 神木县 and 綦江县, a 奉化 of 2014 when it was still 奉化市; a newspaper page, web posts,
WeChat posts, a press-conference transcript, year-end summaries, back-references with
该所/该局/该分局/该大队/该中心), written by someone who had never seen the extractor, its misses
or the texts of the earlier corpora.

Why: genre_blind6 is the current honest estimate; once it is read per miss it is spent, and
this one took its place. It was scored once as a whole (full F1 0.900, main after merging blind7; 0.832 on 7b3ce7d), then its misses
were read on 2026-12-07 and fixed in general form: it is spent, and genre_blind8 estimates
unseen text now. The score test keeps the level reached (0.937).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from blind_corpus import check_gold, extract, scores
from genre_score import load_corpus

ROOT = Path(__file__).resolve().parent.parent
BLIND7 = ROOT / "tests" / "fixtures" / "genre_blind7"


@pytest.fixture(scope="module")
def corpus():
    gold, texts, families, heldout = load_corpus(BLIND7)
    return {"gold": gold, "texts": texts, "families": families, "heldout": heldout}


def test_the_fixture_is_well_formed(corpus):
    texts, gold, families, held = corpus["texts"], corpus["gold"], corpus["families"], corpus["heldout"]
    assert sorted(texts) == [f"h{i:02d}" for i in range(1, 31)]
    assert {g["article"] for g in gold} == set(texts) and len(gold) == 382
    check_gold(gold, texts, families)
    assert sorted(held) == sorted(texts)  # every article is held out


def test_the_manifest_lists_the_files_some_undated_most_without_a_region():
    man = load_manifest(BLIND7)
    assert man.problems == []
    assert sorted(man.rows) == [f"h{i:02d}.txt" for i in range(1, 31)]
    metas = {name: man.meta_for(BLIND7 / name) for name in man.rows}
    assert all(m["publisher"] for m in metas.values())
    undated = sorted(n for n, m in metas.items() if m["published_on"] is None)
    assert undated == ["h11.txt", "h25.txt", "h26.txt"]
    assert all(isinstance(m["published_on"], dt.date) for n, m in metas.items() if n not in undated)
    assert sum(not m.get("region") for m in metas.values()) >= 15


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extract(BLIND7, tmp_path_factory.mktemp("blind7_wh"))


def test_extractor_on_the_blind_corpus(extracted, corpus):
    """Scored first as a whole, before anyone read a miss: 0.900 full F1 on main 60a3b58+ (detection 0.986, county 1.000, class 0.913); 0.832 on 7b3ce7d. Its misses were then
    read and their causes fixed in general form, with sentences written for each fix (so it
    is spent as an estimate; the next blind corpus took over): 0.937 (detection 0.986, county 1.000, class 0.950). The floors keep
    that level with room for a figure or two."""
    whole, held, summary = scores(corpus, extracted, "genre_blind7")
    assert held == whole  # all 30 articles are held out
    assert whole["detect_f1"] >= 0.975, summary
    assert whole["county_acc"] >= 0.985, summary
    assert whole["class_acc"] >= 0.935, summary
    assert whole["full_f1"] >= 0.92, summary
