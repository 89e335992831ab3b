"""What the four blind genre corpora's tests share: the gold's own checks, one extraction
run of a corpus through the command line, and its scores whole and held out.

Why one place: each corpus's test says what is particular to it (its files, its manifest,
the level it keeps and why); how a gold line is checked and how a corpus is extracted and
scored must not drift apart between them.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from genre_score import FAMILY_CHECK, GOLD_KEYS, QUALIFIERS, score, select

ROOT = Path(__file__).resolve().parent.parent
SCORE_KEYS = ("detect_f1", "county_acc", "class_acc", "full_f1")


def check_gold(gold: list[dict], texts: dict, families: dict) -> None:
    """Every gold line has the record's keys and sane values, names a metric family, and
    quotes its article: a span used n times stands in the text at least n times."""
    uses: dict[tuple[str, str], int] = {}
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


def extract(folder: Path, warehouse: Path) -> list[dict]:
    """`python -m etl extract` on the corpus's texts (as a user runs it, manifest beside
    them), with a warehouse of the test's own."""
    files = sorted(str(p.relative_to(ROOT)) for p in folder.glob("*.txt"))
    env = dict(os.environ, PINGAN_WAREHOUSE=str(warehouse))
    out = subprocess.run([sys.executable, "-m", "etl", "extract", *files, "--format", "jsonl"],
                         capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def scores(corpus: dict, extracted: list[dict], name: str) -> tuple[dict, dict, dict]:
    """(whole, held-out, summary) scores; the summary is printed for the log."""
    args = (corpus["gold"], extracted, corpus["texts"], corpus["families"])
    whole = score(*args)
    held = score(*args, only=select("heldout", corpus["gold"], corpus["heldout"]))
    summary = {"whole": {k: whole[k] for k in SCORE_KEYS}, "held-out": {k: held[k] for k in SCORE_KEYS}}
    print(f"{name}: {summary}")
    return whole, held, summary
