"""The field a figure's subject works in, for the words several fields use.

Why: 巡查 and 处置警情 are patrols and incidents in a police station's news, but a drone
squad's 巡查 are its flights and its 处置警情 are drone work; 鳌江镇发案6起 in a 反诈周报
counts fraud cases. The word alone cannot tell, its subject can.
``data/reference/field_words.csv`` holds both sides: marker words that say a subject works
in a field (无人机, 飞手, 诈骗, 消防) and, for each shared word, what it names in a field.
This module says which field the subject works in, nearest evidence first:

1. the markers of the figure's own clause (无人机共巡查港区码头45处);
2. a back-reference to a team in that clause (该队, 该中队, 队员): the field of the team
   named last before it in the article (…组建无人机巡逻队… 该队…巡查300余次 → drones);
   else the kind of the figure's agency (交警大队: traffic);
3. when the clause has no subject of its own (nothing before its shared word but a place
   or a verb such as 参与: …执飞4200余架次，总飞行时长1100多小时，参与处置警情360起), the
   field the sentence named last before the clause; a clause that opens a new subject
   (全县…, 电动车被盗案件…) keeps its words' everyday meaning;
4. when the sentence names no field at all, the field its headline names (with no
   headline, its opening paragraph), if that names exactly one (反诈周报 | 上周我县电诈
   发案21起 … 从区域看，鳌江镇发案6起).
"""
from __future__ import annotations

import re
from functools import lru_cache

from etl import reference
from etl.trie import trie_regex

_BREAK = re.compile(r"[，,；;：:。]")
_UP_TO_LAST_BREAK = re.compile(r".*[，,；;：:。]", re.S)
#: 该队累计巡查…, 队员们…: the team named before
_TEAM_BACKREF = re.compile(r"该(?:队|中队|分队|小队|支队)|队员")
#: a team's name: what it is (无人机, 反诈) before its team word
_TEAM = re.compile(r"([\u4e00-\u9fff“”]{1,8}?)(?:巡逻队|突击队|服务队|中队|分队|小队|专班|队)(?![员长伍列])")
#: what may stand before a shared word in a clause with no subject of its own: a time, a
#: place (鳌江镇, 城区), a verb of taking part; anything else is the clause's own subject
_NO_SUBJECT = re.compile(
    r"(?:[▶►▷●○◆◇■□•·]\s*)?"  # a post's bullet (▶ 参与处置警情670起) is no subject either
    r"(?:(?:今年|去年|全年|当年|期间|其中|同时|此外|另外|并|还|又|也|共|共计|累计|先后|已|均|分别|"
    r"参与|协助|配合|开展|完成|实现|成功|依托|通过|在|对|为|"
    r"[\u4e00-\u9fff]{1,4}(?:镇|乡|街道|区|县|市|村|社区))\s*)*$")
_NEW_SUBJECT = re.compile(r"全(?:县|市|区|省|州|旗)")


@lru_cache(maxsize=1)
def _markers_re() -> re.Pattern | None:
    words = reference.field_markers()
    return trie_regex(words) if words else None


@lru_cache(maxsize=1)
def shared_words_re() -> re.Pattern | None:
    """The shared words of field_words.csv, to skip the sentences that hold none."""
    words = reference.field_words()
    return trie_regex(words) if words else None


def _fields(text: str, lo: int = 0, hi: int | None = None) -> list[str]:
    """The fields the markers in text[lo:hi] name, in order."""
    rx = _markers_re()
    if rx is None:
        return []
    markers = reference.field_markers()
    return [markers[m.group()] for m in rx.finditer(text, lo, len(text) if hi is None else hi)]


def field_of_text(text: str) -> str | None:
    """The one field a short text (a headline, a team's name) names, else None."""
    found = set(_fields(text))
    return found.pop() if len(found) == 1 else None


def names_a_field(text: str) -> bool:
    """Does the text name any field at all (one or several)?"""
    rx = _markers_re()
    return rx is not None and rx.search(text) is not None


def team_field(before: str) -> str | None:
    """The field of the team named last in ``before`` (…组建无人机巡逻队… → drones)."""
    last = None
    for m in _TEAM.finditer(before):
        last = m
    return field_of_text(last.group(1)) if last is not None else None


#: 此类案件, 上述警情: the clause counts what the sentence before named
_SAID_BEFORE = re.compile(r"此类|这类|该类|上述")


def subject_field(text: str, at: int, agency_field: str | None, team, headline_field,
                  said_before=None) -> str | None:
    """The field of the subject of the figure at ``at`` in the (folded) sentence ``text``.

    ``team`` is called, only when needed, for the field of the team named last before the
    sentence; ``headline_field`` likewise for the field the article's headline names."""
    last = _UP_TO_LAST_BREAK.match(text, 0, at)  # (greedy: just after the last break)
    lo = last.end() if last else 0
    own = _fields(text, lo, at)
    if own:
        return own[-1]
    clause = text[lo:at]
    if _TEAM_BACKREF.search(clause):
        got = team()
        if got:
            return got
    if said_before is not None and _SAID_BEFORE.search(clause):
        # …电信网络诈骗案件418起…。同期共破获此类案件96起: the sentence before says which
        got = said_before()
        if got:
            return got
    if agency_field:
        return agency_field
    if _NEW_SUBJECT.search(clause):
        return None
    shared = shared_words_re()
    first = shared.search(clause) if shared is not None else None
    if first is not None and not _NO_SUBJECT.match(clause, 0, first.start()):
        return None  # 电动车被盗案件降至2起: the clause names its own subject
    before = _fields(text, 0, lo)
    if before:
        return before[-1]
    if not _fields(text):
        return headline_field()
    return None
