#!/usr/bin/env python3
"""Score extracted figures against the hand-made gold of a folder of bulletins.

The project's own copy of the team's scoring rules, so that tests never depend on anything
outside the repository. The semantics are those used on the hidden real sets:

* a prediction matches a gold figure when it is in the same document (file name without
  extension), has the same value once the gold's 万/亿 unit is scaled (20 万人 -> 200000), and
  its [start, end) overlaps the gold `text_span` as placed in the document; each prediction
  matches at most one gold figure, gold figures are taken in file order and each takes the
  first free prediction that fits;
* among matches, the county is right when the gold county (or its short form) is contained in
  what the prediction says of county/city/province/agency, and the class is right when the
  prediction's field named by the metric's family (metric_families.json) is one the family
  allows;
* full F1 counts a match only when county and class are both right.

usage:
  python tests/genre_score.py --dir tests/fixtures/genre --pred PRED.jsonl
         [--only heldout|tuned] [--show-misses] [--json]

`--dir` holds the *.txt bulletins, gold.jsonl, metric_families.json and HELDOUT (one article id
a line). PRED is the output of `python -m etl extract FILE... --format jsonl`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

SCALE = {"万": 1e4, "亿": 1e8}
# metric family -> (prediction field, values it may take); None accepts anything
FAMILY_CHECK = {
    "change_vs_prior_period": ("measure", {"change"}),
    "rate_pct": ("measure", {"rate"}),
    "share_pct": ("measure", {"share"}),
    "money": ("unit", {"元"}),
    "disputes_mediation": ("category", {"disputes"}),
    "arrests_detentions": ("category", {"arrests"}),
    "cases_solved": ("category", {"cases"}),
    "anti_fraud_ops": ("category", {"anti_fraud"}),
    "traffic_enforcement": ("category", {"traffic"}),
    "fire_safety": ("category", {"fire"}),
    "drones": ("category", {"drones"}),
    "teams_and_volunteers": ("category", {"teams"}),
    "outreach_and_patrol_activity": ("category", {"outreach", "patrol"}),
    "police_resources": ("category", {"resources"}),
    "coverage_and_context": ("category", {"coverage"}),
    "operations": ("category", {"operations", "patrol", "incidents", "traffic", "fire", "anti_fraud"}),
    "other": ("category", None),
}
GOLD_KEYS = ("article", "text_span", "value", "unit", "qualifier", "direction", "metric",
             "county", "agency", "period")
QUALIFIERS = {None, "余", "多", "近", "约", "超", "以上", "不足"}
_SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|畲族自治县|自治县|省|市|县|区)$")


def short_name(name: str | None) -> str:
    """景宁畲族自治县 -> 景宁; two-character names are kept whole (they would vanish)."""
    if not name:
        return ""
    return _SUFFIX.sub("", name) if len(name) > 2 else name


def gold_base_value(g: dict) -> float:
    """The gold value in the base units an extractor reports: 1.3 亿元 -> 130000000."""
    unit = g.get("unit") or ""
    if len(unit) > 1 and unit[0] in SCALE:
        return g["value"] * SCALE[unit[0]]
    return g["value"]


def same_value(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def doc_key(path) -> str:
    return os.path.splitext(os.path.basename(str(path)))[0]


def county_right(g: dict, p: dict) -> bool:
    gold = g.get("county")
    if not gold:
        return not p.get("county")
    said = "".join(str(p.get(k) or "") for k in ("county", "city", "province", "agency"))
    tokens = {gold, short_name(gold)}
    if len(gold) > 3:
        tokens.add(gold[2:])
    if any(t and t in said for t in tokens):
        return True
    pc = short_name(p.get("county"))
    return bool(pc) and pc in gold


def class_right(g: dict, p: dict, families: dict) -> bool:
    field, allowed = FAMILY_CHECK.get(families.get(g["metric"], "other"), ("category", None))
    return allowed is None or str(p.get(field) or "") in allowed


def _place(gold_rows, texts):
    """Each gold span's [start, end) in its document; a repeated span takes the next occurrence."""
    single = next(iter(texts)) if len(texts) == 1 else None
    used = defaultdict(set)
    placed = defaultdict(list)
    for g in gold_rows:
        art = str(g["article"])
        key = single if art.startswith("seed-") else art
        if key not in texts:
            raise KeyError(f"no document for gold article {art}")
        text, start = texts[key], -1
        while True:
            start = text.find(g["text_span"], start + 1)
            if start < 0 or start not in used[key]:
                break
        if start < 0:
            start = text.find(g["text_span"])
        used[key].add(start)
        placed[key].append((g, start, start + len(g["text_span"])))
    return placed


def score(gold_rows, pred_rows, texts, families, only=None) -> dict:
    """Scores of `pred_rows` against `gold_rows`.

    texts: document key ("017") -> its text; families: metric -> family name;
    only: article ids to keep (gold and predictions of other documents are left out).
    Returns the numbers score.py prints (gold, pred, matched, detect_p/r/f1, county_acc,
    class_acc, qualifier_acc, direction_acc, full_f1) plus `missed` (gold rows never matched)
    and `wrong` ((gold, prediction) pairs whose county or class is wrong).
    """
    if only is not None:
        only = {str(a) for a in only}
        gold_rows = [g for g in gold_rows if str(g["article"]) in only]
    preds = defaultdict(list)
    for p in pred_rows:
        preds[doc_key(p.get("source", ""))].append(p)
    placed = _place(gold_rows, texts)

    matched, missed, taken = [], [], set()
    for key, items in placed.items():
        for g, gs, ge in items:
            want = gold_base_value(g)
            hit = None
            for i, p in enumerate(preds.get(key, [])):
                if (key, i) in taken or not same_value(p.get("value"), want):
                    continue
                ps, pe = p.get("start"), p.get("end")
                if ps is not None and pe is not None and gs >= 0 and not (ps < ge and pe > gs):
                    continue
                hit = i
                break
            if hit is None:
                missed.append(g)
            else:
                taken.add((key, hit))
                matched.append((g, preds[key][hit]))

    n_gold = len(gold_rows)
    n_pred = sum(len(preds[k]) for k in placed)
    n_hit = len(matched)
    checks, full, wrong = Counter(), 0, []
    for g, p in matched:
        c_ok, k_ok = county_right(g, p), class_right(g, p, families)
        checks["county"] += c_ok
        checks["class"] += k_ok
        checks["qualifier"] += (g.get("qualifier") or None) == (p.get("qualifier") or None)
        checks["direction"] += (g.get("direction") or None) == (p.get("direction") or None)
        if c_ok and k_ok:
            full += 1
        else:
            wrong.append((g, p))

    def f1(tp):
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)

    dp, dr, df = f1(n_hit)
    _, _, ff = f1(full)
    out = {"gold": n_gold, "pred": n_pred, "matched": n_hit,
           "detect_p": round(dp, 3), "detect_r": round(dr, 3), "detect_f1": round(df, 3)}
    for k in ("county", "class", "qualifier", "direction"):
        out[f"{k}_acc"] = round(checks[k] / n_hit, 3) if n_hit else 0.0
    out["full_f1"] = round(ff, 3)
    out["missed"] = missed
    out["wrong"] = wrong
    return out


def load_jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_corpus(folder) -> tuple[list[dict], dict, dict, list[str]]:
    """gold rows, texts by article id, metric families, held-out ids of a corpus folder."""
    folder = Path(folder)
    gold = load_jsonl(folder / "gold.jsonl")
    families = json.loads((folder / "metric_families.json").read_text(encoding="utf-8"))
    texts = {p.stem: p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))}
    held = folder / "HELDOUT"
    heldout = [x.strip() for x in held.read_text(encoding="utf-8").splitlines() if x.strip()] if held.exists() else []
    return gold, texts, families, heldout


def select(which: str | None, gold: list[dict], heldout: list[str]):
    """Article ids for --only: heldout, tuned (all the others) or None for the whole corpus."""
    if which is None:
        return None
    if which == "heldout":
        return set(heldout)
    if which == "tuned":
        return {str(g["article"]) for g in gold} - set(heldout)
    raise ValueError(f"--only must be heldout or tuned, not {which!r}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", required=True, help="corpus folder: *.txt, gold.jsonl, metric_families.json, HELDOUT")
    ap.add_argument("--pred", required=True, help="output of python -m etl extract ... --format jsonl")
    ap.add_argument("--only", choices=("heldout", "tuned"), help="score only the held-out or only the tuned articles")
    ap.add_argument("--show-misses", action="store_true", help="list missed and wrongly attributed figures on stderr")
    ap.add_argument("--json", action="store_true", help="print the scores as one JSON line")
    a = ap.parse_args(argv)

    gold, texts, families, heldout = load_corpus(a.dir)
    pred = load_jsonl(a.pred) if os.path.getsize(a.pred) else []
    s = score(gold, pred, texts, families, only=select(a.only, gold, heldout))
    if a.show_misses:
        for g, p in s["wrong"]:
            print(f"  wrong: {g['article']} {g['text_span']!r}: county {g.get('county')}->{p.get('county') or p.get('city')} "
                  f"metric {g['metric']}->{p.get('category')}/{p.get('measure')}", file=sys.stderr)
        for g in s["missed"]:
            print(f"  missed: {g['article']} {g['text_span']!r} ({g['value']} {g['unit']})", file=sys.stderr)
    nums = {k: v for k, v in s.items() if k not in ("missed", "wrong")}
    if a.json:
        print(json.dumps(nums))
    else:
        print(f"gold {s['gold']}  predicted {s['pred']}  matched {s['matched']}")
        print(f"detection  P {s['detect_p']:.3f}  R {s['detect_r']:.3f}  F1 {s['detect_f1']:.3f}")
        print("attribution among matched: " + "  ".join(f"{k} {s[k + '_acc']:.3f}" for k in ("county", "class", "qualifier", "direction")))
        print(f"full F1 (value + span + county + class) {s['full_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
