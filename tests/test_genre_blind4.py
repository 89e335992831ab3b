"""The fourth blind genre corpus (tests/fixtures/genre_blind4/): 30 bulletins shaped like the
hidden real sets (21 Zhejiang, 9 from other provinces; renamed divisions such as 江干, 闸北,
开县, 长治县; a newspaper page, web posts, WeChat posts, a press-conference transcript,
profiles written with 该所/该局), written by someone who had never seen the extractor.

Why: the earlier blind corpora were spent on the rules they drove. Until 2026-12-07 nobody
fixing rules had looked at this one's texts, gold or misses, so its score was the project's
honest estimate of the hidden sets. It was scored twice as a whole, never per miss: 0.813 full F1 on main 13fdf0a, 0.866 after the places2 round (which never saw it).
Its misses were read on 2026-12-07 (after the 0.866 above) and fixed in general form, so it
no longer estimates unseen text: tests/fixtures/genre_blind5/ does. The test keeps the level
reached with a small margin.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from blind_corpus import check_gold, extract, scores
from genre_score import load_corpus

ROOT = Path(__file__).resolve().parent.parent
BLIND4 = ROOT / "tests" / "fixtures" / "genre_blind4"


@pytest.fixture(scope="module")
def corpus():
    gold, texts, families, heldout = load_corpus(BLIND4)
    return {"gold": gold, "texts": texts, "families": families, "heldout": heldout}


def test_the_fixture_is_well_formed(corpus):
    texts, gold, families, held = corpus["texts"], corpus["gold"], corpus["families"], corpus["heldout"]
    assert sorted(texts) == [f"e{i:02d}" for i in range(1, 31)]
    assert {g["article"] for g in gold} == set(texts) and len(gold) == 404
    check_gold(gold, texts, families)
    assert sorted(held) == sorted(texts)  # every article is held out


def test_the_manifest_lists_the_files_some_undated_most_without_a_region():
    man = load_manifest(BLIND4)
    assert man.problems == []
    assert sorted(man.rows) == [f"e{i:02d}.txt" for i in range(1, 31)]
    metas = {name: man.meta_for(BLIND4 / name) for name in man.rows}
    assert all(m["publisher"] for m in metas.values())
    undated = sorted(n for n, m in metas.items() if m["published_on"] is None)
    assert undated == ["e15.txt", "e21.txt", "e29.txt"]
    assert all(isinstance(m["published_on"], dt.date) for n, m in metas.items() if n not in undated)
    assert sum(not m.get("region") for m in metas.values()) >= 15


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extract(BLIND4, tmp_path_factory.mktemp("blind4_wh"))


def test_extractor_on_the_fourth_blind_corpus(extracted, corpus):
    whole, held, summary = scores(corpus, extracted, "genre_blind4")
    assert held == whole  # all 30 articles are held out
    # measured as a whole at 0.866 full F1 (detection 0.982, county 0.937, class 0.937);
    # then, on 2026-12-07, its misses were read and fixed in general form (former districts
    # outside Zhejiang, 平安 as a title, checkpoints, figures spelled in characters): 0.926
    # (county 1.000, class 0.942). It is spent as a blind estimate (genre_blind5 took over)
    # and now guards what was fixed; the floors leave room for a figure or two
    assert whole["detect_f1"] >= 0.97, summary
    assert whole["county_acc"] >= 0.98, summary
    assert whole["class_acc"] >= 0.93, summary
    assert whole["full_f1"] >= 0.91, summary
