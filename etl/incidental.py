"""Figures that are a single case's details, not performance results (DESIGN.md: one
victim's loss, the officers sent to one scene, what was seized in one case story)."""
from __future__ import annotations

import re

from etl.figures import Figure
from etl.period_of import LEAD_PREFIX

_STOCK_WORDS = re.compile(r"累计|共|全年|今年|以来|组建|配备|拥有|现有|新增|投入|出动警力"
                          r"|同比|环比|全市|全县|全区|全省|季度|半年|期间")


_ONE_CASE = re.compile(r"(?:侦破|破获|办理|查处)?一起[^，,。；;]{0,24}案")


#: surnames before 某 (张某, 王某): an anonymised person
_SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
#: a paragraph telling one case: someone reported it (报警 of a person, not 接报警情, 受理报警求助,
#: 骚扰报警 counted in bulk, nor the 110报警服务台 / 报警平台 / 报警中心 that takes the calls,
#: nor a 报警器 / 报警装置 / 报警按钮 installed),
#: a named or anonymised person (but not a team named after its members: “铁西大妈”巡逻队)
#: (the leading class holds every alternative's first character: one bitmap test rejects
#: most positions before `re` walks the alternatives and their look-behinds, 4x faster)
STORY_RE = re.compile(r"(?=[报求化先女阿大男小某" + _SURNAMES + r"])(?:(?<!接)(?<!受理)(?<!骚扰)(?<!无效)(?<!虚假)报(?:警(?![情量数类电求服平中台器装按])|案(?![件数量率]))|求助称|化名|先生|女士|(?:阿姨|大爷|大妈)(?![”’」』\x22]?(?:巡逻|志愿|服务|调解|宣讲|护卫|队|团))|男子|女子|小伙|某某|[" + _SURNAMES + "]某)")


#: one of these stands in every paragraph STORY_RE finds (报 of 报警/报案, 某 of 张某/某某,
#: and its words): a plain sweep for them settles most paragraphs without STORY_RE
_STORY_HINT = re.compile("报|某|求助称|化名|先生|女士|阿姨|大爷|大妈|男子|女子|小伙")


def tells_a_story(paragraph: str) -> bool:
    """Does this paragraph tell one case (STORY_RE past its 本报讯 lead)?"""
    return (_STORY_HINT.search(paragraph) is not None
            and STORY_RE.search(LEAD_PREFIX.sub("", paragraph, count=1)) is not None)


#: one person in the clause: 找回一名迷路的78岁老人仅用时40分钟
#: (一个多月来, 一个星期: a span of time, not one person)
_ONE_PERSON = re.compile(r"一(?:名|位|个(?![多月星小半季工礼]))|\d+岁|[一二三四五六七八九十]+岁")
_CLAUSE_BREAK = re.compile(r".*[，,；;。]", re.S)
_CLAUSE_END = re.compile(r"[，,；;。]")


def incidental(metric, f: Figure, sentence: str, story: bool = False) -> bool:
    """A single case's details are not performance figures (DESIGN.md): two officers
    arriving at a scene, the money flowing through the one case a sentence tells of
    (侦破一起特大网络赌博案，涉案流水超10亿元), the phones and cash seized at the scene of
    a case story. Arrests stay: the seed's gold keeps "一举抓获嫌疑人8人"."""
    if (metric.code in ("police_deployed", "staff") and f.measure == "count"
            and f.value < 10 and not _STOCK_WORDS.search(sentence)):
        return True
    if f.unit == "元" and f.measure == "amount" and bool(_ONE_CASE.search(sentence)):
        return True
    if f.measure == "duration":
        # the figure's clause (…40分钟后找到了这名62岁的老人) and up to three before it
        # (社区一名82岁的老人误信…，险些被骗走…，…10分钟赶到)
        lo = f.start
        for _ in range(4):
            lo = _clause_start(sentence, max(0, lo - 1)) if lo else 0
        stop = _CLAUSE_END.search(sentence, f.end)
        if _ONE_PERSON.search(sentence, lo, stop.start() if stop else len(sentence)):
            return True  # the time one rescue of one person took, not a response time
    if f.measure == "count" and _ONE_PERSONS_OWN.match(sentence, f.end) and _ONE_PERSON.search(
            sentence, _clause_start(sentence, f.start), f.start):
        return True  # 一名在三个月内拨打骚扰电话200余次的男子: what one person did
    if story and metric.category != "arrests" and (
            not _STOCK_WORDS.search(sentence) or _NAMED_PERSON.search(sentence)):
        # (in the sentence that names the person, even 共计 adds up one case: 林女士（34岁）
        # …先后转账7笔共计12.8万元)
        return f.measure in ("amount", "count")
    return False


#: what one person is said to have done: …200余次的男子, …3次的嫌疑人
_ONE_PERSONS_OWN = re.compile(r"[^，,。；;]{0,4}?的(?:男子|女子|人员|嫌疑人|违法人员|老人|市民|村民|群众|游客|司机|驾驶人)")
#: a person named or aged in the sentence (林女士（34岁）, 王某, 张先生)
_NAMED_PERSON = re.compile(r"先生|女士|某某|[一-鿿]某(?![些种类项])|[（(]\d+岁[）)]")


def _clause_start(sentence: str, at: int) -> int:
    cut = _CLAUSE_BREAK.match(sentence, 0, at)
    return cut.end() if cut else 0

