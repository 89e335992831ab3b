"""Bulletin text shown safely: as text, with the figure marked, never as HTML.

Bulletins come from outside. A sentence holding `<script>` or `**` must appear exactly as
written and must not change the page. Where we use markdown (to highlight the figure),
every ASCII punctuation character of bulletin text is backslash-escaped: CommonMark
treats an escaped punctuation character as a literal, which also disarms Streamlit's own
`:color[...]`, `:emoji:` and `$math$` extensions and any inline HTML.
"""
from __future__ import annotations

import string

_PUNCT = set(string.punctuation)


def escape_markdown(text) -> str:
    if text is None:
        return ""
    out = []
    for ch in str(text):
        if ch in _PUNCT:
            out.append("\\" + ch)
        elif ch in "\r\n\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def split_on_figure(sentence: str, raw: str) -> tuple[str, str, str]:
    """(before, figure, after): the figure's own text located in the sentence, first match."""
    sentence = sentence or ""
    raw = raw or ""
    i = sentence.find(raw) if raw else -1
    if i < 0:
        return sentence, "", ""
    return sentence[:i], raw, sentence[i + len(raw):]


def highlight_markdown(sentence: str, raw: str, color: str = "orange") -> str:
    """Markdown of the sentence with the figure on a coloured background; all text escaped."""
    before, fig, after = split_on_figure(sentence, raw)
    if not fig:
        return escape_markdown(sentence)
    return (f"{escape_markdown(before)}:{color}-background[**{escape_markdown(fig)}**]"
            f"{escape_markdown(after)}")


def bracket(sentence: str, raw: str) -> str:
    """Plain-text highlight for table cells: the figure between 【】."""
    before, fig, after = split_on_figure(sentence, raw)
    return f"{before}【{fig}】{after}" if fig else (sentence or "")
