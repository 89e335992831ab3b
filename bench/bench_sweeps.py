"""The two word sweeps, trie regex (etl/trie.py) next to pyahocorasick, on the demo corpus.

    .venv/bin/python bench/bench_sweeps.py [--bulletins 500] [--repeat 5]

Not a timed test; pyahocorasick is not a project requirement (pip install
pyahocorasick==2.3.1 to run this). Each sweep is run both ways over the same texts and the
matches are compared: an automaton is only worth adopting if it finds exactly what the
regex finds (the issue asks for ≥ 1.3x with identical output).

- place sweep: `places.Gazetteer.sweep_re.finditer(text)`: leftmost, longest, no overlap;
  pyahocorasick's `iter_long` has the same semantics.
- trigger sweep: `reference.trigger_index()`'s pattern `(?=[first])(?=(trie))` gives the
  longest word starting at every position (overlapping); the automaton's `iter` gives every
  word ending at every position, from which the longest per start is kept in Python.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from machine import machine  # noqa: E402


def best(fn, repeat):
    t = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.process_time()
        out = fn()
        t = min(t, time.process_time() - t0)
    return t, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bulletins", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    import ahocorasick

    from bench_extract import corpus
    from etl import places, reference
    from etl.readers import read_document

    folder = corpus(args.bulletins, 0)
    texts = [read_document(p).text for p in sorted(folder.glob("*.txt"))]
    sample = read_document(ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt").text
    print(f"machine: {machine()}")

    g = places._gazetteer()
    words = _words(g)
    auto = ahocorasick.Automaton()
    for w in words:
        auto.add_word(w, len(w))
    auto.make_automaton()

    def regex_places(ts):
        return [[(m.start(), m.end()) for m in g.sweep_re.finditer(t)] for t in ts]

    def aho_places(ts):
        return [[(e - n + 1, e + 1) for e, n in auto.iter_long(t)] for t in ts]

    pattern, _prefixes, by_trigger = reference.trigger_index()
    tauto = ahocorasick.Automaton()
    for w in by_trigger:
        tauto.add_word(w, len(w))
    tauto.make_automaton()

    def regex_triggers(ts):
        return [[(m.start(), m.group(1)) for m in pattern.finditer(t)] for t in ts]

    def aho_triggers(ts):
        out = []
        for t in ts:
            longest = {}
            for e, n in tauto.iter(t):
                s = e - n + 1
                if n > longest.get(s, 0):
                    longest[s] = n
            out.append([(s, t[s:s + n]) for s, n in sorted(longest.items())])
        return out

    from etl import extract
    from etl.dates import resolve_meta
    docs = [read_document(p) for p in sorted(folder.glob("*.txt"))]
    metas = [resolve_meta(d.path, d.text, None) for d in docs]
    extract.extract_document(docs[0], metas[0])
    t_ex, _ = best(lambda: [extract.extract_document(d, m) for d, m in zip(docs, metas)], args.repeat)
    print(f"whole extraction of the same demo texts: {t_ex * 1000:.0f} ms (the share each sweep could save)")
    for label, ts in (("demo corpus", texts), ("sample page x20", [sample] * 20)):
        for name, rx, ac in (("place sweep", regex_places, aho_places),
                             ("trigger sweep", regex_triggers, aho_triggers)):
            t_rx, o_rx = best(lambda: rx(ts), args.repeat)
            t_ac, o_ac = best(lambda: ac(ts), args.repeat)
            print(f"{label:16} {name:14} regex {t_rx * 1000:8.1f} ms  pyahocorasick {t_ac * 1000:8.1f} ms"
                  f"  ratio {t_rx / t_ac:5.2f}x  identical: {o_rx == o_ac}")
    return 0


def _words(pattern: str):
    """The words a trie pattern from etl.trie matches (expanded back from the pattern)."""
    from etl import places
    g = places._gazetteer()
    return sorted(set(g.aliases) | g.common | {"全省", "全市", "全县", "全区"} |
                  {e.place.short for e in g.by_code.values()
                   if e.province_code == places.HOME_PROVINCE or e.place.level == "province"})


if __name__ == "__main__":
    sys.exit(main())
