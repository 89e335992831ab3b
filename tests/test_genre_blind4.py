"""The fourth blind genre corpus (tests/fixtures/genre_blind4/): 30 bulletins shaped like the
hidden real sets (21 Zhejiang, 9 from other provinces; renamed divisions such as 江干, 闸北,
开县, 长治县; a newspaper page, web posts, WeChat posts, a press-conference transcript,
profiles written with 该所/该局), written by someone who had never seen the extractor.

Why: the earlier blind corpora were spent on the rules they drove; this one is not. Nobody
fixing rules has looked at its texts, its gold or its misses, so its score is the project's
honest estimate of the hidden sets. It was scored twice, both times as a whole and never
per miss: 0.813 full F1 on main 13fdf0a, 0.866 after the places2 round (which never saw it).
The test keeps that level with a small margin; if a change lowers it, the change is worse
on unseen text, whatever it fixes elsewhere. Do not read its misses to fix them: once that
happens, say so in its README and write a fifth corpus.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from genre_score import FAMILY_CHECK, GOLD_KEYS, QUALIFIERS, load_corpus, score, select

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
    uses = {}
    for g in gold:
        where = f"{g['article']} {g['text_span']!r}"
        assert tuple(g) == GOLD_KEYS, where
        assert isinstance(g["value"], (int, float)) and g["unit"] and g["county"], where
        assert g["qualifier"] in QUALIFIERS and g["direction"] in (None, "up", "down"), where
        assert g["metric"] in families, where
        assert g["text_span"] in texts[g["article"]], where
        uses[(g["article"], g["text_span"])] = uses.get((g["article"], g["text_span"]), 0) + 1
    assert all(texts[a].count(s) >= n for (a, s), n in uses.items())
    assert set(families.values()) <= set(FAMILY_CHECK)
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
    files = sorted(str(p.relative_to(ROOT)) for p in BLIND4.glob("*.txt"))
    env = dict(os.environ, PINGAN_WAREHOUSE=str(tmp_path_factory.mktemp("blind4_wh")))
    out = subprocess.run([sys.executable, "-m", "etl", "extract", *files, "--format", "jsonl"],
                         capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def test_extractor_on_the_fourth_blind_corpus(extracted, corpus):
    args = (corpus["gold"], extracted, corpus["texts"], corpus["families"])
    whole = score(*args)
    held = score(*args, only=select("heldout", corpus["gold"], corpus["heldout"]))
    keep = ("detect_f1", "county_acc", "class_acc", "full_f1")
    summary = {"whole": {k: whole[k] for k in keep}, "held-out": {k: held[k] for k in keep}}
    print(f"genre_blind4: {summary}")
    assert held == whole  # all 30 articles are held out
    # measured (as a whole, never per miss) at 0.866 full F1: detection 0.982, county 0.937,
    # class 0.937 (`python -m etl extract tests/fixtures/genre_blind4/*.txt --format jsonl`
    # scored by tests/genre_score.py); the floors leave room for noise of a figure or two
    assert whole["detect_f1"] >= 0.97, summary
    assert whole["county_acc"] >= 0.92, summary
    assert whole["class_acc"] >= 0.92, summary
    assert whole["full_f1"] >= 0.85, summary
