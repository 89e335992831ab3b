"""The ninth blind genre corpus (tests/fixtures/genre_blind9/): 30 bulletins shaped like the
hidden real sets (20 Zhejiang, 10 from other provinces; renamed divisions such as 上虞市,
洞头县, 奉化市 and 长乐市; a newspaper page, web posts, WeChat posts, a press-conference
transcript, an interview, year-end summaries and a work review in Chinese numerals,
back-references with 该所/该局/该大队), written by someone who had never seen the extractor,
its misses or the texts of the earlier corpora.

Why: genre_blind8 is the current honest estimate; once it is read per miss it is spent, and
this one takes its place. Nobody fixing rules has looked at its texts, its gold or its misses.
It was scored once, as a whole and never per miss, on main eecc83c (2026-12-07): full F1 0.871
(detection 0.985, county 0.964, class 0.914); 0.858 on 7b3ce7d. The test keeps that level
with a small margin; if a change lowers it, the change is worse on unseen text, whatever it
fixes elsewhere. Do not read its misses to fix them: once that happens, say so in its README
and write a tenth corpus.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from blind_corpus import check_gold, extract, scores
from genre_score import load_corpus

ROOT = Path(__file__).resolve().parent.parent
BLIND9 = ROOT / "tests" / "fixtures" / "genre_blind9"


@pytest.fixture(scope="module")
def corpus():
    gold, texts, families, heldout = load_corpus(BLIND9)
    return {"gold": gold, "texts": texts, "families": families, "heldout": heldout}


def test_the_fixture_is_well_formed(corpus):
    texts, gold, families, held = corpus["texts"], corpus["gold"], corpus["families"], corpus["heldout"]
    assert sorted(texts) == [f"m{i:02d}" for i in range(1, 31)]
    assert {g["article"] for g in gold} == set(texts) and len(gold) == 367
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


def test_the_manifest_lists_the_files_some_undated_many_without_a_region():
    man = load_manifest(BLIND9)
    assert man.problems == []
    assert sorted(man.rows) == [f"m{i:02d}.txt" for i in range(1, 31)]
    metas = {name: man.meta_for(BLIND9 / name) for name in man.rows}
    assert all(m["publisher"] for m in metas.values())
    undated = sorted(n for n, m in metas.items() if m["published_on"] is None)
    assert undated == ["m05.txt", "m12.txt", "m24.txt"]
    assert all(isinstance(m["published_on"], dt.date) for n, m in metas.items() if n not in undated)
    assert sum(not m.get("region") for m in metas.values()) >= 13


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extract(BLIND9, tmp_path_factory.mktemp("blind9_wh"))


def test_extractor_on_the_ninth_blind_corpus(extracted, corpus):
    whole, held, summary = scores(corpus, extracted, "genre_blind9")
    assert held == whole  # all 30 articles are held out
    assert whole["detect_f1"] >= 0.975, summary
    assert whole["county_acc"] >= 0.95, summary
    assert whole["class_acc"] >= 0.90, summary
    assert whole["full_f1"] >= 0.855, summary
