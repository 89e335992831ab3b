"""Word lists as trie-shaped regexes.

Why: Python's `re` tries a flat alternation (缙云|缙云县|…) branch by branch at every
position; shaped as a trie it follows one branch per character, which is what keeps the
gazetteer and trigger-word sweeps fast on long pages.
"""
from __future__ import annotations

import re


def trie_pattern(words) -> str:
    """Pattern text matching any of `words`, longest first at a given position."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return ("(?:" + body + ")?") if len(alts) == 1 else body + "?"
        return body

    return build(trie)


def trie_regex(words) -> re.Pattern:
    return re.compile(trie_pattern(words))
