"""The sample bulletin against its hand-made gold figures (tests/fixtures/seed_gold.jsonl).

Scoring follows the team's rules: a prediction matches a gold figure when it has the same
value and its [start, end) overlaps the gold span; a match is fully right when its place
and its class (category, or measure for changes) agree too. Full F1 must be 1.0, and the
output must keep the figure record (fields, vocabularies, offsets) exactly.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt"
FIX = Path(__file__).resolve().parent / "fixtures"

FAMILY_CHECK = {
    "change_vs_prior_period": ("measure", {"change"}),
    "disputes_mediation": ("category", {"disputes"}),
    "arrests_detentions": ("category", {"arrests"}),
    "cases_solved": ("category", {"cases"}),
    "drones": ("category", {"drones"}),
    "teams_and_volunteers": ("category", {"teams"}),
    "outreach_and_patrol_activity": ("category", {"outreach", "patrol"}),
    "coverage_and_context": ("category", {"coverage"}),
    "operations": ("category", {"operations", "patrol", "incidents", "traffic", "fire", "anti_fraud"}),
    "other": ("category", None),
}
MEASURES = {"count", "change", "rate", "share", "amount", "duration", "years"}
CATEGORIES = {"disputes", "incidents", "cases", "arrests", "anti_fraud", "traffic", "fire", "drones",
              "teams", "outreach", "patrol", "resources", "coverage", "satisfaction", "operations", "other"}
FIELDS = ["source", "article", "start", "end", "sentence", "raw", "value", "unit", "qualifier", "measure",
          "direction", "metric", "category", "county_code", "county", "city", "province", "agency",
          "initiative", "mechanism", "period", "figure_id", "place_source", "metric_source"]


@pytest.fixture(scope="module")
def predicted():
    out = subprocess.run([sys.executable, "-m", "etl", "extract", str(SEED), "--format", "jsonl"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def _county_ok(gold: dict, pred: dict) -> bool:
    g = gold["county"]
    said = "".join(str(pred.get(k) or "") for k in ("county", "city", "province", "agency"))
    tokens = {g, g[2:] if len(g) > 3 else g}
    return any(t in said for t in tokens)


def test_seed_full_f1_is_one(predicted):
    text = SEED.read_text(encoding="utf-8")
    gold = [json.loads(x) for x in (FIX / "seed_gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    families = json.loads((FIX / "metric_families.json").read_text(encoding="utf-8"))
    taken, full, problems = set(), 0, []
    used = set()
    for g in gold:
        s = text.find(g["text_span"])
        while s in used:
            s = text.find(g["text_span"], s + 1)
        used.add(s)
        e = s + len(g["text_span"])
        hit = next((i for i, p in enumerate(predicted) if i not in taken
                    and abs(float(p["value"]) - g["value"]) < 1e-6 and p["start"] < e and p["end"] > s), None)
        if hit is None:
            problems.append(f"missed {g['text_span']}")
            continue
        taken.add(hit)
        p = predicted[hit]
        field, allowed = FAMILY_CHECK[families[g["metric"]]]
        ok = _county_ok(g, p) and (allowed is None or p[field] in allowed)
        ok = ok and (g["qualifier"] == p["qualifier"]) and (g["direction"] == p["direction"])
        if not ok:
            problems.append(f"wrong {g['text_span']}: {p['county']} {p['agency']} {p['category']} {p['measure']}")
        full += ok
    extra = [p["raw"] for i, p in enumerate(predicted) if i not in taken]
    assert not problems and not extra, (problems, extra)
    assert full == len(gold) == len(predicted) == 19


def test_seed_record_contract(predicted):
    text = SEED.read_text(encoding="utf-8")
    ids = set()
    for f in predicted:
        assert list(f) == FIELDS
        assert f["measure"] in MEASURES and f["category"] in CATEGORIES
        assert f["direction"] in (None, "up", "down") and (not f["direction"] or f["measure"] == "change")
        assert f["county_code"] is None or (len(f["county_code"]) == 6 and f["county_code"].isdigit())
        assert text[f["start"]:f["end"]] == f["raw"] and f["raw"] in f["sentence"]
        assert f["figure_id"] not in ids
        ids.add(f["figure_id"])


def test_seed_periods_and_articles(predicted):
    by_raw = {p["raw"]: p for p in predicted}
    assert by_raw["3000余件"]["period"] == "年均"
    assert by_raw["31起"]["period"] == "去年以来"
    assert by_raw["46.7%"]["period"] == by_raw["75.8%"]["period"] == "去年以来"
    assert by_raw["3架"]["period"] == "目前" and by_raw["3架"]["article"] == 3
    assert by_raw["8人"]["period"] is None
    assert by_raw["三十周年"]["article"] == 5
    assert by_raw["73起"]["mechanism"] == "“碳警官”"


def test_figure_ids_are_stable(predicted):
    again = subprocess.run([sys.executable, "-m", "etl", "extract", str(SEED), "--format", "jsonl"],
                           capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert [json.loads(x)["figure_id"] for x in again.splitlines()] == [p["figure_id"] for p in predicted]
