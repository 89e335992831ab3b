"""The genre corpus (tests/fixtures/genre/): hand-written bulletins with hand-made gold figures.

Why: the sample page says nothing about bulletins the extractor has never seen. This corpus
was written for issue 8 as a journalist and an annotator would, without looking at the
extractor, so its score is evidence of generalisation (places named only in a headline,
towns, renamed divisions, outlets of county-level cities, other provinces, many metric
kinds, headline figures, unusual number forms). The first tests check the fixture itself and
the scorer; the last runs the real extractor over the corpus and scores it.
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
from genre_score import FAMILY_CHECK, GOLD_KEYS, QUALIFIERS, gold_base_value, load_corpus, score, select

ROOT = Path(__file__).resolve().parent.parent
GENRE = ROOT / "tests" / "fixtures" / "genre"


@pytest.fixture(scope="module")
def corpus():
    gold, texts, families, heldout = load_corpus(GENRE)
    return {"gold": gold, "texts": texts, "families": families, "heldout": heldout}


# --- (a) the fixture is well-formed ----------------------------------------------------------

def test_size_and_one_gold_file_per_article(corpus):
    texts, gold = corpus["texts"], corpus["gold"]
    assert len(texts) >= 48
    assert sorted(texts) == [f"{i:03d}" for i in range(1, len(texts) + 1)]
    assert len(gold) >= 400
    assert {g["article"] for g in gold} == set(texts), "every article has gold figures, and only those"


def test_every_gold_row_has_the_seed_format(corpus):
    for g in corpus["gold"]:
        where = f"{g.get('article')} {g.get('text_span')!r}"
        assert tuple(g) == GOLD_KEYS, where
        assert isinstance(g["value"], (int, float)) and not isinstance(g["value"], bool), where
        assert isinstance(g["unit"], str) and g["unit"], where
        assert g["qualifier"] in QUALIFIERS, where
        assert g["direction"] in (None, "up", "down"), where
        assert g["county"], f"{where}: every figure of this corpus has a place"
        assert g["metric"].replace("_", "").isalnum() and g["metric"] == g["metric"].lower(), where


def test_every_span_is_in_its_file_once_per_use(corpus):
    """A span must be found; a span used n times must occur at least n times (score.py takes
    successive occurrences), so that no two gold figures fall on the same place by accident."""
    uses = {}
    for g in corpus["gold"]:
        text = corpus["texts"][g["article"]]
        assert g["text_span"] in text, f"{g['article']}: span {g['text_span']!r} not in {g['article']}.txt"
        key = (g["article"], g["text_span"])
        uses[key] = uses.get(key, 0) + 1
    for (art, span), n in uses.items():
        assert corpus["texts"][art].count(span) >= n, f"{art}: {span!r} used {n} times"


def test_every_metric_has_a_family_the_scorer_knows(corpus):
    families = corpus["families"]
    for g in corpus["gold"]:
        assert g["metric"] in families, f"{g['article']}: metric {g['metric']} not in metric_families.json"
    assert set(families.values()) <= set(FAMILY_CHECK)
    assert set(families) == {g["metric"] for g in corpus["gold"]}, "no unused metric names"
    share_other = sum(families[g["metric"]] == "other" for g in corpus["gold"]) / len(corpus["gold"])
    assert share_other < 0.05, "`other` checks nothing: keep it rare"


def test_heldout_ids_exist_and_are_spread(corpus):
    held = corpus["heldout"]
    assert len(held) == 10 and len(set(held)) == 10
    assert set(held) <= set(corpus["texts"])
    assert select("tuned", corpus["gold"], held) == set(corpus["texts"]) - set(held)


def test_manifest_lists_exactly_the_files_and_loads_clean(corpus):
    man = load_manifest(GENRE)
    assert man.problems == []
    assert sorted(man.rows) == sorted(f"{a}.txt" for a in corpus["texts"])
    years = set()
    for name in man.rows:
        meta = man.meta_for(GENRE / name)
        assert meta["publisher"], name
        assert isinstance(meta["published_on"], dt.date) and meta["date_precision"] == "day", name
        years.add(meta["published_on"].year)
    assert min(years) <= 2008 and max(years) >= 2026 and len(years) >= 15


# --- the scorer (our copy of the team's rules) ------------------------------------------------

def _perfect_predictions(corpus):
    """What a perfect extractor would print for the gold: right value, offsets, place, class."""
    preds, used = [], {}
    for g in corpus["gold"]:
        text = corpus["texts"][g["article"]]
        start = text.find(g["text_span"], used.get((g["article"], g["text_span"]), -1) + 1)
        used[(g["article"], g["text_span"])] = start
        field, allowed = FAMILY_CHECK[corpus["families"][g["metric"]]]
        p = {"source": f"tests/fixtures/genre/{g['article']}.txt", "article": 1,
             "start": start, "end": start + len(g["text_span"]), "value": gold_base_value(g),
             "county": g["county"], "city": None, "province": None, "agency": None,
             "qualifier": g["qualifier"], "direction": g["direction"],
             "category": "other", "measure": "count", "unit": g["unit"]}
        if allowed:
            p[field] = sorted(allowed)[0]
        preds.append(p)
    return preds


def test_scorer_gives_one_for_the_gold_itself(corpus):
    s = score(corpus["gold"], _perfect_predictions(corpus), corpus["texts"], corpus["families"])
    assert (s["detect_f1"], s["county_acc"], s["class_acc"], s["full_f1"]) == (1.0, 1.0, 1.0, 1.0)
    assert s["missed"] == [] and s["wrong"] == []


def test_scorer_counts_each_kind_of_error(corpus):
    preds = _perfect_predictions(corpus)
    preds[0]["county"] = "某某县"                      # wrong place
    preds[1]["value"] = preds[1]["value"] + 1          # wrong value: a miss and a spurious figure
    preds[2]["start"] = preds[2]["end"] = 0            # right value, elsewhere: a miss
    s = score(corpus["gold"], preds, corpus["texts"], corpus["families"])
    n = len(corpus["gold"])
    assert s["matched"] == n - 2 and len(s["missed"]) == 2
    assert [g["text_span"] for g, _ in s["wrong"]] == [corpus["gold"][0]["text_span"]]
    assert s["county_acc"] == round((n - 3) / (n - 2), 3)
    held = score(corpus["gold"], preds, corpus["texts"], corpus["families"],
                 only=select("heldout", corpus["gold"], corpus["heldout"]))
    assert held["gold"] == sum(g["article"] in corpus["heldout"] for g in corpus["gold"])


def test_scorer_scales_wan_and_yi():
    g = {"value": 1.3, "unit": "亿元"}
    assert gold_base_value(g) == pytest.approx(1.3e8)
    assert gold_base_value({"value": 20, "unit": "万人"}) == 200000
    assert gold_base_value({"value": 5, "unit": "万"}) == 5          # a bare 万 is not scaled (as score.py)


# --- (b) the extractor on the corpus ----------------------------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    files = sorted(str(p.relative_to(ROOT)) for p in GENRE.glob("*.txt"))
    env = dict(os.environ, PINGAN_WAREHOUSE=str(tmp_path_factory.mktemp("genre_wh")))
    out = subprocess.run([sys.executable, "-m", "etl", "extract", *files, "--format", "jsonl"],
                         capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def test_extractor_finds_figures_in_every_article(extracted, corpus):
    """Holds today: a guard that the run above really read the 48 files."""
    seen = {Path(p["source"]).stem for p in extracted}
    assert seen == set(corpus["texts"])


def test_extractor_full_f1_on_genre_corpus(extracted, corpus):
    s = score(corpus["gold"], extracted, corpus["texts"], corpus["families"])
    held = score(corpus["gold"], extracted, corpus["texts"], corpus["families"],
                 only=select("heldout", corpus["gold"], corpus["heldout"]))
    summary = {k: v for k, v in s.items() if k not in ("missed", "wrong")}
    assert s["full_f1"] >= 0.90, f"whole corpus {summary}; held-out full F1 {held['full_f1']}"
    # the part never tuned on is the honest estimate: it must clear the bar the hidden sets set
    assert held["full_f1"] >= 0.80, f"held-out {held}"
