"""A figure's initiative and mechanism: a programme or pillar named outright in the
sentence or its section, else the longest initiative keyword in the sentence, section or
the article's headline and lead (data/reference/initiatives.csv); a quoted name before
机制/模式/… is the mechanism."""
from __future__ import annotations

import re
from functools import lru_cache

from etl import reference
from etl.trie import trie_pattern

_MECHANISM_RE = re.compile(r"“([^“”]{2,12})”(?=[^，,。；;“]{0,8}?(?:机制|模式|体系|联盟|品牌|工作法|战法|工程|平台|模型|行动|警务|队|中心|驿站|服务))")


def initiative_for(sentence: str, section_text: str, article_text: str) -> str | None:
    # 1. a programme or pillar named outright, in the sentence, then its section
    for scope in (sentence, section_text):
        code = _named_initiative(scope)
        if code:
            return code
    # 2. keywords: the sentence first, then the section, then the article's headline/lead
    for scope in (sentence, section_text, article_text):
        code = _keyword_initiative(scope)
        if code:
            return code
    return None


#: per page (extract_text clears it): a section's or a headline's initiative is asked for
#: by each of its sentences
INITIATIVE_CACHE: dict[tuple[bool, str], str | None] = {}


def _named_initiative(scope: str) -> str | None:
    key = (True, scope)
    if key not in INITIATIVE_CACHE:
        named = [(scope.find(name), i) for name, i in _initiative_names() if name in scope]
        named.sort(key=lambda x: (x[1].level != "pillar", x[0]))
        INITIATIVE_CACHE[key] = named[0][1].code if named else None
    return INITIATIVE_CACHE[key]


@lru_cache(maxsize=1)
def _initiative_names() -> tuple[tuple[str, reference.Initiative], ...]:
    """Each initiative with its name as a sentence writes it (no quotes), in taxonomy order."""
    return tuple((i.name_zh.strip("“”"), i) for i in reference.initiatives().values())


def _keyword_initiative(scope: str) -> str | None:
    """The initiative with the longest keyword in ``scope`` (the first listed on a tie)."""
    key = (False, scope)
    if key not in INITIATIVE_CACHE:
        pattern, rank = _keyword_index()
        found = {m.group(1) for m in pattern.finditer(scope)}
        best = min(found, key=lambda k: rank[k][:2]) if found else None
        INITIATIVE_CACHE[key] = rank[best][2] if best else None
    return INITIATIVE_CACHE[key]


@lru_cache(maxsize=1)
def _keyword_index():
    """Every initiative keyword in one overlapping sweep, each with (-length, first
    initiative listing it, that initiative's code) to rank the ones found."""
    rank: dict[str, tuple[int, int, str]] = {}
    for n, i in enumerate(reference.initiatives().values()):
        for k in i.keywords:
            rank.setdefault(k, (-len(k), n, i.code))
    first = "".join(sorted({w[0] for w in rank}))
    # every keyword starting at each position, so a shorter one inside a longer is seen:
    # a match takes one character of the leading class (so that `re` skips between
    # candidates in a loop of its own) and reads the longest keyword starting there in a
    # one-character lookbehind holding a lookahead (etl.reference.trigger_index does the same)
    return re.compile("[" + re.escape(first) + "](?<=(?=(" + trie_pattern(rank) + "))(?s:.))"), rank


def mechanism_for(sentence: str, pos: int) -> str | None:
    """The last quoted name before ``pos`` that a mechanism word follows (“枫桥式”工作法)."""
    return mechanism_at(mechanisms(sentence), pos)


def mechanisms(sentence: str) -> list[tuple[int, str]]:
    """(start, name) of every mechanism the sentence names: read once for all its figures."""
    return [(m.start(), "“" + m.group(1) + "”") for m in _MECHANISM_RE.finditer(sentence)]


def mechanism_at(found: list[tuple[int, str]], pos: int) -> str | None:
    """The last of ``found`` (mechanisms()) starting before ``pos``."""
    name = None
    for start, text in found:
        if start < pos:
            name = text
    return name

