"""The word sweeps written for speed report what a plain reading of their word lists does.

Trigger words (etl.reference.trigger_index) and initiative keywords
(etl.initiative_of._keyword_index) are swept with a class the match takes and the word
read in a one-character lookbehind holding a lookahead, so that `re` skips between
candidates in a loop of its own. The extractor relies on each match reporting, at its
own position, the longest word that starts there, at every position that starts one.
This checks that against the word lists read position by position in plain Python, on
the sample page and the written genre bulletins.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from etl import reference
from etl.initiative_of import _keyword_index
from etl.numbers import fold
from etl.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt",
         *sorted((ROOT / "tests" / "fixtures" / "genre").glob("*.txt"))[:12]]


def _longest_at_each_position(text: str, words) -> list[tuple[int, str]]:
    lengths = sorted({len(w) for w in words}, reverse=True)
    out = []
    for i in range(len(text)):
        for n in lengths:
            if text[i:i + n] in words:
                out.append((i, text[i:i + n]))
                break
    return out


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_trigger_sweep_reports_the_longest_word_at_every_position(path):
    pattern, prefixes, _ = reference.trigger_index()
    text = fold(read_document(path).text)
    found = [(m.start(), m.group(1)) for m in pattern.finditer(text)]
    assert found == _longest_at_each_position(text, set(prefixes))
    assert found  # the page speaks of results: there are triggers to find


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_initiative_sweep_reports_the_longest_keyword_at_every_position(path):
    pattern, rank = _keyword_index()
    text = read_document(path).text
    found = [(m.start(), m.group(1)) for m in pattern.finditer(text)]
    assert found == _longest_at_each_position(text, set(rank))


def test_overlapping_words_are_all_reported():
    """A word inside a longer one, and words that overlap, each at its own position."""
    pattern, prefixes, _ = reference.trigger_index()
    words = sorted(prefixes, key=len, reverse=True)
    long_word = next(w for w in words if any(w[1:].startswith(x) for x in prefixes))
    text = "今年以来，" + long_word + "共3起。"
    found = [(m.start(), m.group(1)) for m in pattern.finditer(text)]
    assert found == _longest_at_each_position(text, set(prefixes))
    assert len([at for at, _ in found if 5 <= at < 5 + len(long_word)]) >= 2


@pytest.mark.parametrize("path", TEXTS[:4], ids=lambda p: p.name)
def test_lines_split_on_newlines_are_the_regex_lines(path):
    """segment._lines_lf (str.split, for pages without \\r) gives the lines of the regex
    reading, blank lines, indents and a missing or doubled last newline included."""
    from etl.segment import _lines_lf, _lines_re

    text = read_document(path).text.replace("\r\n", "\n").replace("\r", "\n")
    for t in (text, text.rstrip("\n"), text + "\n\n", "\n" + text, "", "\n", "x", " 甲 \n\u3000乙\u3000\n\n丙"):
        assert _lines_lf(t) == _lines_re(t)
    assert len(_lines_lf(text)) > 5


@pytest.mark.parametrize("path", TEXTS[:4], ids=lambda p: p.name)
def test_one_line_paragraphs_split_as_joined_blocks_do(path):
    """segment._sentences_of_line (a one-line paragraph's sentences, no offsets mapped)
    gives the sentences and source pieces the general block reading gives."""
    from etl.segment import Line, _sentences_joined, _sentences_of_line, segment

    text = read_document(path).text
    lines = [ln for a in segment(text) for p in a.paragraphs for ln in p.lines]
    lines += [Line(7, 7 + len(t), t) for t in ("甲。 乙！", "共破案3起。。", "“好！”他说…", "……", "无句号")]
    for ln in lines:
        assert _sentences_of_line(ln) == _sentences_joined([ln])
    assert len(lines) > 5


@pytest.mark.parametrize("path", TEXTS[:4], ids=lambda p: p.name)
def test_figure_ends_of_a_clause_are_those_of_a_whole_sentence_sweep(path):
    """SentenceTriggers.figure_ends sweeps one comma-clause only (the sweep stops at its
    end); a sweep of the whole sentence finds the same ends among its matches that start
    in the clause."""
    from etl.metric_of import _FIGURE_END_RE, SentenceTriggers
    from etl.segment import segment

    text = fold(read_document(path).text)
    checked = 0
    for art in segment(text):
        for para in art.paragraphs:
            for sent in para.sentences:
                trig = SentenceTriggers(sent.text)
                for cs in [0] + [p + 1 for p in trig.punct]:
                    ce = next((p for p in trig.punct if p >= cs), len(sent.text))
                    whole = {m.end() for m in _FIGURE_END_RE.finditer(sent.text) if cs <= m.start() < ce}
                    assert trig.figure_ends(cs) == whole
                    checked += bool(whole)
    assert checked
