"""Find the figures in one sentence: span, value, unit, qualifier, measure, direction.

Bulletins state results as number + counter word ("6300余起", "3架", "46.7%") and mix them
with numbers that are not results (dates, case codes, slogans, versions, ordinals). The
rule that keeps precision high is: *a figure has a unit*. Everything else here is about
the forms that unit-bearing numbers take in this genre (qualifiers before, between and
after; 万/亿; Chinese numerals; 成; 百分之…; paired lists) and the idioms that look like
figures but are not (一次次, 百万警进千万家, “三所一庭”).

Place, metric, initiative and period are decided later (etl.extract), from the context
recorded here.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from etl import reference
from etl.numbers import CN_DIGITS, fold, parse_arabic, parse_chinese

# Counter words, longest first so that 个百分点 wins over 个, 人次 over 人.
UNITS = [
    "个百分点", "百分点", "平方米", "周年", "人次", "户次", "家次", "架次", "余人",
    "件次", "场次", "起次", "批次", "趟次", "班次", "车次", "台次", "个次", "处次", "航次",
    "平方公里", "立方米", "公顷",
    "分钟", "小时", "公里", "千克", "公斤", "个月", "个季度",
    "起", "件", "人", "名", "支", "架", "条", "场", "次", "个", "家", "处", "户", "所", "座",
    "台", "套", "辆", "份", "张", "宗", "项", "期", "轮", "批", "天", "秒", "堂", "节", "例",
    "位", "路", "册", "本", "吨", "亩", "只", "头", "株", "元", "%", "成", "队", "间", "部",
    "艘次", "艘", "辆次", "单", "倍", "克", "棵", "尾", "羽", "把", "枚", "瓶", "箱", "笔",
    "趟", "道", "伙", "发", "顶", "栋", "幢", "块",
]
UNITS.remove("余人")  # (kept out: 余 is a qualifier, handled by the pattern)
TIME_UNITS = {"分钟": "duration", "小时": "duration", "秒": "duration", "天": "duration",
              "个月": "duration", "个季度": "duration"}
# Units after which the number is almost never a performance figure when the numeral is
# a small Chinese one (两名民警, 三项措施): see _is_idiom.
_QUAL_PRE = {"近": "近", "将近": "近", "接近": "近", "约": "约", "大约": "约", "超": "超",
             "超过": "超", "逾": "超", "不足": "不足", "不到": "不足", "上": "超"}
_QUAL_POST = {"余": "余", "多": "多", "以上": "以上", "左右": "约", "有余": "余"}

#: digits, with thousands grouped by commas (1,200) or by single spaces (3 215, 11 460: the
#: typeset style of work reports; a group is exactly three digits, so 分别为 4、12 never joins)
_AR = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
_CN = r"[零〇两一二三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_PRE_RE = "|".join(sorted(map(re.escape, _QUAL_PRE), key=len, reverse=True))

#: the first character of any figure: a prefix qualifier's, 百分之's, or a numeral's.
#: Tested first, it spares `re` the whole alternation at every other position.
_FIGURE_FIRST = "".join(sorted({q[0] for q in _QUAL_PRE} | set("百零〇两一二三四五六七八九十千万亿")))
FIGURE_RE = re.compile(
    rf"(?=[{_FIGURE_FIRST}\d])"
    rf"(?:(?P<pre>{_PRE_RE}) ?)?"
    rf"(?:百分之(?P<pctcn>[零〇一二两三四五六七八九十百点]+)"
    rf"|(?P<num>{_AR}|{_CN})"
    rf"(?: ?(?P<q0>余|多))?"
    rf" ?(?P<mag>千万|百万|万|亿)?"
    rf"(?P<q1>余|多)?"
    rf" ?(?P<unit>{_UNIT_RE})"
    rf"(?P<q2>余|多)?)"
    rf"(?P<post>以上|左右|有余)?"
)

#: a counter word written before its number, as in a table read out as prose
#: ("调处矛盾纠纷件182，成功率98%"), or as the count noun of a column heading read out
#: ("事故起数 46", "死亡人数 58"): only right after a Chinese word and before a break
#: ("走访群众户数达2.8万", "接待游客人次达286万": the count noun, a verb, the number in 万)
UNIT_FIRST_RE = re.compile(r"(?<=[\u4e00-\u9fff])(?P<unit>人次|件|起|宗|人|名|次|家|处|户)"
                           r"(?:数[：:]? ?|(?:数)?(?:达到|达|为|超过|逾)(?=\d))?"
                           r"(?P<num>\d+(?:\.\d+)?)(?P<mag>万|亿)?(?P<q>余|多)?(?=[，,。；;、)）]|\s|$)")
#: a population counted in 万 with no counter word: "服务20多万居民", "覆盖常住人口35万"
_POP_NOUNS = "居民|群众|人口|市民|村民|师生|学生|游客|用户|流动人口|常住人口|外来人口|农户|住户"
POPULATION_RE = re.compile(
    rf"(?P<num>{_AR}|{_CN})(?P<q0>余|多)?(?P<mag>万|亿)(?P<q1>余|多)?(?=名?(?:{_POP_NOUNS}))")
POPULATION_AFTER_RE = re.compile(
    # (a word between the noun and the number: 常住人口仅12.7万, 流动人口超过160万)
    rf"(?<=人口|居民|群众|农户|住户|市民|村民)(?:仅|只有|达|达到|共|有|为|已达|(?P<pre>超过|超|逾|近|将近|约|不足|不到))?"
    rf"(?P<num>{_AR}|{_CN})(?P<q0>余|多)?(?P<mag>万|亿)(?P<q1>余|多)?"
    r"(?=[，,。；;、）)]|$)")
_ORDINAL_LIST = re.compile(r"第[\d一二三四五六七八九十]+(?:、[\d一二三四五六七八九十]+)*、 ?$")
#: a streak of years is a result ("连续13年命案全破", "连续第三年下降"), unlike a year (2019年)
STREAK_RE = re.compile(r"(?<=连续)第?(?P<num>\d{1,2}|[一二两三四五六七八九十]{1,3})(?P<unit>年)")
#: ... when its clause says what held: a fall, a result kept, an absence (连续五年下降, 连续
#: 13年命案全破, 连续9年辖区无命案); not a ranking or an honour (连续三年位列第一, 连续三年获评)
_STREAK_HELD = re.compile(r"[^，,。；;！!？?]{0,12}?(?:下降|减少|回落|下滑|双降|实现|保持|全破|告破|侦破|必破|命案"
                          r"|零|无|未发生|没有发生|没发生|未出现)")
#: a proportion written as a Chinese fraction ("老人占到四分之一", "近三分之一"): a percentage
#: (百分之 is FIGURE_RE's; the denominator here is a small numeral, never 百 or 千)
FRACTION_RE = re.compile(r"(?:(?P<pre>将近|接近|近|约|超过|超|逾|不足|不到))?(?<![百千])"
                         r"(?:(?P<den>十[一二三四五六七八九]?|[二三四五六七八九])分之(?P<num>[一二三四五六七八九])"
                         # ... or in digits after a word ("减少近1/4", "约占1/3"), never a date or 7/24
                         r"|(?<=[\u4e00-\u9fff])(?P<anum>[1-9])/(?P<aden>[2-9]|10)(?![\d/])"
                         # ... or a half, said as a proportion ("占近一半", "一半以上")
                         r"|(?:(?<=[占的为达])|(?<=将近|接近|超过|不足|不到)|(?<=[近约超逾]))(?P<half>一半)"
                         r"|(?P<half2>一半)(?=以上|左右))")
#: the tenths digit after 成 ("降两成五", "约占三成五"): 两成五 is 25 %
_TENTH_RE = re.compile(r"[一二三四五六七八九](?![成十百千万亿])")
#: numbers of a list that share the counter word of its last item ("分别上升 8.22、28.26 个
#: 百分点", "分别为3、5、12起"): each bare item right before "、" and the next item
_MAGNITUDE = re.compile(r"千万|百万|万|亿")
_BARE_ITEM_RE = re.compile(r"(?P<num>\d+(?:\.\d+)?) ?、 ?$")

#: a cheap superset of FIGURE_RE's starts, to skip the sentences that hold no figure:
#: any digit, or a Chinese numeral run right before a unit
_DIGITS_RE = re.compile(r"\d+")
_CN_UNIT_RE = re.compile(
    # A numeral run before a unit, 百分之, 连续…年, a population in 万, a Chinese fraction
    # (三分之一), 一半. Written to start with a class of every alternative's first
    # character, which the match takes (so that `re` skips between candidates in a loop
    # of its own: 2x faster over a page than the plain alternation); a one-character
    # lookbehind then says which alternative that character begins, and each alternative
    # goes on from its second character.
    r"[零〇两一二三四五六七八九十百千万亿连](?:"
    rf"(?<=[零〇两一二三四五六七八九十百千万亿])[零〇两一二三四五六七八九十百千万亿]*(?:点[零〇一二三四五六七八九]+)?"
    rf"[余多]?[万亿]?[余多]? ?(?:{_UNIT_RE})"
    r"|(?<=百)分之"
    r"|(?<=连)续第?[一二两三四五六七八九十]{1,3}年"
    r"|(?<=[零〇两一二三四五六七八九十百千])[零〇两一二三四五六七八九十百千]*[余多]?万[余多]?(?:居民|群众|人口|市民|村民)"
    r"|(?<=[二三四五六七八九十])分之[一二三四五六七八九]"
    r"|(?<=一)半)")


def candidate_starts(folded: str) -> list[int]:
    """Sorted starts of every digit run and every Chinese numeral right before a unit: a
    superset of where figures can be (two plain sweeps beat one alternation)."""
    return sorted([m.start() for m in _DIGITS_RE.finditer(folded)]
                  + [m.start() for m in _CN_UNIT_RE.finditer(folded)])

DOWN_WORDS = ["下降率", "降低率", "下降", "降低", "减少", "下滑", "回落", "压降", "降幅", "减幅", "再降", "缩短", "压缩",
              "降", "减"]
UP_WORDS = ["增长率", "上升率", "上升", "增长", "提升", "提高", "增加", "上涨", "增幅", "涨幅", "攀升", "增", "升"]
_CHANGE_RE = re.compile("|".join(sorted(DOWN_WORDS + UP_WORDS, key=len, reverse=True)))
# Words allowed between a change word and its number: 同比下降了近 46.7%.
_BRIDGE_RE = re.compile(r"(?:了|分别|幅度|为|达|达到|约|近|将近|接近|超过|超|逾|不足|不到|同比|环比|百分之| )*$")
_SHARE_WORDS = ("占", "比例", "比重", "占比")
_RATE_WORDS = ("率", "满意度", "覆盖面", "满意", "安全感", "获得感", "幸福感")

_QUOTE_RE = re.compile(r"[“\"「『]([^”\"」』]{1,14})[”\"」』]")
_PERSON_RE = re.compile(r"先生|女士|阿姨|大爷|大妈|老人|小伙|男子|女子|\d+岁|[一二三四五六七八九十]+岁|某")
_RECOVERED_RE = re.compile(r"追回|挽回|返还|追缴|退还|退赃")
_SWINDLE_RE = re.compile(r"(?:被骗|骗走|被诈骗|转账|转走|汇款|汇出)[^，,。；;]{0,6}$")
_MEASURE_RE = re.compile(r"距离|相距|距|海拔|时速|车速|全长|长约|高约|宽约|深约|高达|水深")
_FURNITURE_RE = re.compile(r"浏览|访问量|访问次数|点击量|点击数|阅读量|阅读数|阅读次数|点赞|转发|评论数|粉丝|ICP|备案号")
#: a routine (每周2次) or a per-head norm (每名民警带2名辅警, 每人包干3至5个网格)
_ROUTINE_RE = re.compile(r"每(?:周|月|天|日|晚|季度?|名|位|人)")
_MINIMUM_RE = re.compile(r"不少于|不低于|不多于|不超过|至少")
_NEGATION_RE = re.compile(r"未发生|未出现|无一|杜绝|没有发生|零发生")
_AGGREGATE_RE = re.compile(r"累计|共|全市|全县|全区|全省|群众|总|各类|辖区|同比|环比")
_LIST_SEP_RE = re.compile(r"^(?:、|和|及|与)$")


@dataclass
class Figure:
    start: int            # offsets of `raw` in the full text
    end: int
    raw: str
    value: float
    unit: str
    qualifier: str | None
    measure: str
    direction: str | None
    num_start: int        # start of the number itself (after any prefix qualifier)
    group: int = 0        # figures of one paired list share a group number > 0
    group_index: int = 0
    subject: str | None = None   # the list item this figure belongs to ("治安警情")
    change_at: int | None = None  # where the change word starts, for context
    extra: dict = field(default_factory=dict)


_MAG = {"万": 1e4, "亿": 1e8, "千万": 1e7, "百万": 1e6}


def _value(pctcn: str | None, num: str | None, mag: str | None, unit: str | None) -> tuple[float | None, bool]:
    """(value in base units, written with Chinese numerals?), from FIGURE_RE's groups."""
    if pctcn:
        return parse_chinese(pctcn), True
    chinese = not num[0].isdigit()
    v = parse_chinese(num) if chinese else parse_arabic(num)
    if v is None:
        return None, chinese
    if mag:
        v *= _MAG[mag]
    if unit == "成":
        v *= 10
    return v, chinese


#: a target or a plan in the figure's clause (力争…再下降5%, 确保…再降5%以上, 将抽调警力400名)
_PLAN_RE = re.compile(r"力争|争取|力求|确保|预计|拟|将要|即将|下一步"
                      r"|将(?:抽调|投入|组织|开展|部署|继续|进一步|新建|建成|实现|新增|增派|选派)"
                      # 计划再新增无人机10架, 计划年底前新建警务站10个 (not “春雷计划” as a name)
                      r"|计划(?:年内|年底|明年|今年|下半年|再|新增|增设|增配|新建|建成|建设|投入|用|于|到)")
#: a figure the rest of its clause calls a requirement (…10分钟到达现场的要求)
_NORM_AFTER = re.compile(r"[^，,。；;]{0,16}?的(?:要求|标准|规定|目标|承诺)")
#: an anniversary that is a figure: the bureau's, station's or team's own (建局三十周年)
_OWN_ANNIVERSARY = re.compile(r"建局|建所|建队|建站|成立|组建|挂牌|建警|从警")

#: a plan, the page's furniture or a negation in the figure's clause: _PLAN_RE,
#: _FURNITURE_RE and _NEGATION_RE in one alternation (any of them says "no figure")
#: (joined flat, not each in a group of its own: `re` then scans for the words' first
#: characters in C, 2.5x faster than the three searches, 6x faster than grouped ones)
_NOT_A_RESULT_RE = re.compile("|".join(rx.pattern for rx in (_PLAN_RE, _FURNITURE_RE, _NEGATION_RE)))

#: what follows a streak that makes it a result: 连续62个月实现“零命案”, 连续8个季度零发案
_STREAK_RESULT = re.compile(r"(?:以来)?(?:实现|保持|未发生|没有发生|没发生|未出现|无|零|命案|刑事|保持了"
                            r"|同比下降|同比上升|持续下降|环比下降|下降)")
_CAMPAIGN_DAYS = re.compile(r"(?:春运|假期|长假|黄金周|国庆|春节|暑期|汛期|活动|行动|攻坚|会战)(?:期间)?$")
#: a name in quotes that holds a figure: “5分钟消防救援圈”, “15分钟警务圈”
_QUOTED_NAME = re.compile(r"“[^“”]{0,6}?\d[^“”]{1,12}”")


#: a rate whose name holds a time (10秒接通率为99.6%, 3分钟内到场率)
_RATE_NAMED_BY_TIME = re.compile(r"[\u4e00-\u9fff]{0,4}?率")
#: a saving or a cut (每天减少2小时): a result, though 每天 stands before it
_CUT_BY = re.compile(r"(?:减少|缩短|节省|节约|压缩|提速)了?$")
#: the end of a change to a level (由每天25起降至9起, 从每月12起减少到5起)
_TO_LEVEL = re.compile(r"[由从][^，,。；;]*?[\d一二两三四五六七八九十][^，,。；;]*?(?:降|升|减|增|少|加|高)(?:至|到)$")
#: a figure of ten or more spelled in characters, with a counter word (一百一十六家, 五十二起)
_CN_LIST_FIGURE = re.compile(r"[一二两三四五六七八九]?[十百千万][一二两三四五六七八九十百千万零〇]*"
                             r"(?:家|处|起|名|人|个|次|件|辆|户|条|所|座|台|部|只|头|艘)")


def _is_idiom(text: str, s: int, e: int, num_s: int, unit: str, num: str | None, value: float,
              chinese: bool, qualifier: str | None, masked: list[tuple[int, int]]) -> bool:
    """Numbers with a unit that are still not figures: the genre's idioms and names.

    A FIGURE_RE match text[s:e] whose numeral starts at ``num_s``; ``unit`` its unit group
    or "%", ``num`` its numeral group (None for 百分之…). The caller reads the match's
    groups once, in one call: these checks run for every match on the page."""
    if masked and any(a < e and s < b for a, b in masked):
        return True
    before = text[max(0, num_s - 2):num_s]
    if before.endswith("第") or before.endswith("每") or before.endswith("前") and unit in ("名", "位"):
        return True  # ordinals, frequencies, rankings (前三名)
    if before.endswith(("这", "那", "此")):
        return True  # 在这3个镇新增警力: the places just named, counted again
    if unit == "周年" and not _OWN_ANNIVERSARY.search(text, max(0, num_s - 6), num_s):
        return True  # 建党100周年, 地震十周年之际: a date; 建局三十周年 is the bureau's own
    if "第" in text and _ORDINAL_LIST.search(text, max(0, num_s - 8), num_s):
        return True  # 第1、2名: the second item of a list of ordinals
    prev = text[num_s - 1] if num_s > 0 else ""
    nxt = text[e] if e < len(text) else ""
    if prev.isascii() and prev.isalnum() or prev in ".·":
        return True  # M300, V3, part of a code
    if prev in ":：" and num_s >= 2 and text[num_s - 2].isdigit():
        return True  # 18:30: a clock time (a post's date line), not a count
    if nxt.isascii() and nxt.isalpha() or (nxt in ".·" and e + 1 < len(text) and text[e + 1].isdigit()):
        return True  # 3D, 3.0 handled by the number, 5.06 codes
    if unit in ("个月", "个季度"):
        # 连续18个季度 in a slogan, 历时3个月: spans of time, not results; but a streak of
        # a result (连续62个月实现“零命案”, 连续8个季度零发案) is one
        return not (text.endswith("连续", 0, num_s) and bool(_STREAK_RESULT.match(text, e)))
    if unit == "个" and text.startswith(("月", "季度", "星期", "工作日", "年头", "小时"), e):
        return True  # 历时3个星期, 18个工作日: spans of time, not results
    if unit in ("人", "名") and text.endswith(("一次死亡", "一次性死亡", "一次造成", "一次伤亡"), 0, num_s):
        return True  # 一次死亡3人以上的较大事故: the grade of an accident, not a toll
    if unit in TIME_UNITS and text.endswith(("为期", "历时"), 0, num_s):
        return True  # 为期40天的春运, 历时40天的春运: how long it ran, not a result
    if unit in TIME_UNITS and "率" in text[e:e + 6] and _RATE_NAMED_BY_TIME.match(text, e):
        return True  # 10秒接通率, 3分钟到场率: the time names the rate, the rate is the figure
    if unit == "天" and _CAMPAIGN_DAYS.search(text, max(0, num_s - 6), num_s):
        return True  # 春运40天, 国庆假期7天: how long the campaign ran, not a result
    if unit == "小时" and value == 24 and nxt != "内":
        return True  # 24小时受理, 7×24小时值守: round the clock, not a time taken
    # the clause before the number, text[cs:num_s] (searched in place, not copied)
    cs = _last_clause_start(text, num_s)
    # (each check from here to the reduplication below says "no figure", so their order
    # is free: the three word lists searched in the clause are one regex, one search)
    # 力争刑事发案再下降5%, 将抽调警力400名: a target or a plan, not a result;
    # 浏览次数：1234次, 阅读量 5万: the web page's furniture, not the bulletin;
    # 未发生死亡3人以上事故: a threshold in a negation, not a count
    if _NOT_A_RESULT_RE.search(text, cs, num_s):
        return True
    if _NORM_AFTER.match(text, e):
        return True  # 落实城区5分钟、农村10分钟到达现场的要求: a norm, not a result
    if unit in ("公里", "平方米", "平方公里") and _MEASURE_RE.search(text, max(cs, num_s - 8), num_s):
        return True  # 距县城30公里, 海拔1000米, 时速120公里: geography, not a result
    if _ROUTINE_RE.search(text, cs, num_s) and (value < 10 or _MINIMUM_RE.search(text, max(0, num_s - 4), num_s)) \
            and not _TO_LEVEL.search(text, cs, num_s) and not _CUT_BY.search(text, max(cs, num_s - 3), num_s):
        # 每周开展2次夜查, 每天抽检不少于50辆次: a routine or a norm, not a result; but 由
        # 每天25起降至9起 is where a daily rate came down to, a result
        return True
    if unit and nxt == unit[-1]:
        return True  # 一次次, 一起起: reduplication
    if chinese and num is not None:
        if unit == "成" or (unit == "倍" and _CHANGE_RE.search(text[max(0, num_s - 4):num_s])):
            return False  # 三成, 增长一倍: a change however small the numeral
        if num == "一" or (value < 10 and unit not in ("周年",) and not qualifier
                           and len(_CN_LIST_FIGURE.findall(text, 0, num_s)) < 2):
            # 一次救援, 两名民警赶到: narrative, not a result; but after two figures of ten
            # or more spelled in characters (检查企业一百一十六家，督促整改隐患五百三十处，
            # 责令停产停业七家) the writer spells every figure so, the small one included
            return True
        bare = all(c in "十百千万亿" for c in num)
        if bare and not qualifier and unit != "周年":
            return True  # 千万家, 百警, 十大: rhetoric
        if prev and prev in "".join(CN_DIGITS) + "十百千万亿":
            return True
    if unit == "元" and _SWINDLE_RE.search(text[:num_s]) and not _RECOVERED_RE.search(text, cs, num_s):
        # (追回被骗财物价值86.4万元 is what the police got back, not one victim's loss)
        clause = _last_clause(text, num_s)
        if _PERSON_RE.search(text) or not _AGGREGATE_RE.search(clause):
            return True  # one victim's loss in a case story, not a result
    if chinese:
        for q in _QUOTE_RE.finditer(text):
            if q.start() < s and e <= q.end():
                return True  # “三所一庭”, “百万警进千万家”: slogans in quotes
    elif unit in TIME_UNITS and "“" in text:
        for q in _QUOTED_NAME.finditer(text, max(0, s - 8), e + 14):
            if q.start() < s and e < q.end() - 1:
                return True  # “5分钟消防救援圈”: a name, the number is part of it
    return False


def _direction_before(text: str, pos: int, floor: int) -> tuple[str | None, int | None]:
    """The change word right before a number (allowing 同比/了/分别…), if any."""
    window = text[max(floor, pos - 12):pos]
    best = None
    for cm in _CHANGE_RE.finditer(window):
        tail = window[cm.end():]
        if _BRIDGE_RE.fullmatch(tail) or _BRIDGE_RE.match(tail) and _BRIDGE_RE.match(tail).end() == len(tail):
            best = cm
    if not best:
        return None, None
    after = window[best.end():best.end() + 1]
    if after in ("至", "到"):
        return None, None  # 提升至98% is a level, not a change
    word = best.group()
    direction = "down" if word in DOWN_WORDS else "up"
    return direction, max(floor, pos - 12) + best.start()


def load_masks() -> re.Pattern | None:
    words = reference.distractors()
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


_MASKS: re.Pattern | None | bool = False


def _masked_spans(folded: str) -> list[tuple[int, int]]:
    global _MASKS
    if _MASKS is False:
        _MASKS = load_masks()
    if not _MASKS:
        return []
    return [(m.start(), m.end()) for m in _MASKS.finditer(folded)]


_NUMISH = re.compile(r"[0-9一二两三四五六七八九十百千万]")


def find_figures(text: str, start: int, end: int, folded: str | None = None) -> list[Figure]:
    """Figures inside text[start:end] (one sentence). `folded` = etl.numbers.fold(text)."""
    if folded is None:
        folded = fold(text)
    seg = folded[start:end]
    if not _NUMISH.search(seg):
        return []
    masked = _masked_spans(seg)
    out: list[Figure] = []
    for m in FIGURE_RE.finditer(seg):
        # every group in one call (a call per group cost more than the rest of the loop)
        pre, pctcn, num, q0, mag, q1, unit_g, q2, post = m.group(
            "pre", "pctcn", "num", "q0", "mag", "q1", "unit", "q2", "post")
        unit = "%" if pctcn else (unit_g or "%")
        q_post = q0 or q1 or q2 or post
        qualifier = _QUAL_POST.get(q_post) if q_post else (_QUAL_PRE.get(pre) if pre else None)
        if pre == "上" and not num or pre == "上" and num[0].isdigit():
            # 上 qualifies only bare magnitudes (上千人); elsewhere it is a word (以上, 线上)
            pre = None
            qualifier = _QUAL_POST.get(q_post) if q_post else None
        value, chinese = _value(pctcn, num, mag, unit_g)
        if value is None:
            continue
        s, e = m.span()
        if unit == "人" and mag and seg.startswith("口", e):
            continue  # 1.2万余人口: a population (POPULATION_RE reads it with its noun)
        num_at = m.start("num") if num else m.start("pctcn")
        if _is_idiom(seg, s, e, num_at, unit_g or "%", num, value, chinese,
                     qualifier or (pre and _QUAL_PRE.get(pre)), masked):
            continue
        if pre and not q_post:
            qualifier = _QUAL_PRE[pre]
        if unit == "百分点":
            unit = "个百分点"
        if unit == "成":
            unit = "%"
        num_s = num_at if num else num_at - 3
        if not (pre and _QUAL_PRE.get(pre) == qualifier):
            s = num_s
        if unit_g == "成" and not q_post and _TENTH_RE.match(seg, e):
            value += CN_DIGITS[seg[e]]  # 两成五: 25 %, not 20 % and a stray 五
            e += 1
            post = seg[e:e + 2]
            if post in _QUAL_POST:
                qualifier, e = _QUAL_POST[post], e + 2
        fig = Figure(start=start + s, end=start + e, raw=text[start + s:start + e],
                     value=float(value), unit=unit, qualifier=qualifier, measure="count",
                     direction=None, num_start=start + num_s)
        out.append(fig)
    if out:
        _shared_units(seg, start, text, out)
    if "秒" in seg and out:
        _minutes_and_seconds(seg, start, text, out)
    _other_forms(seg, start, text, out, masked)
    _measures(folded, start, out)
    return out


#: a time in minutes and seconds (7分12秒): FIGURE_RE sees only its seconds
_MIN_SEC_RE = re.compile(r"(?P<min>\d+)分(?P<sec>\d+)秒")


def _minutes_and_seconds(seg: str, start: int, text: str, out: list[Figure]) -> None:
    """Replace the seconds FIGURE_RE found in 7分12秒 by the whole time, in minutes (7.2),
    in place: a response time written so is one figure, not 12 seconds."""
    for m in _MIN_SEC_RE.finditer(seg):
        at = start + m.start("sec")
        k = next((i for i, f in enumerate(out) if f.num_start == at and f.unit == "秒"), None)
        if k is None or seg.endswith("时", 0, m.start()) and (
                seg.endswith("小时", 0, m.start()) or seg[m.start() - 2:m.start() - 1].isdigit()):
            continue  # (2小时15分30秒, 9时15分30秒: hours too, left as written; not 用时)
        f = out[k]
        s0 = start + m.start()
        value = round(int(m.group("min")) + int(m.group("sec")) / 60, 2)
        out[k] = dataclasses.replace(f, start=s0, raw=text[s0:f.end], value=value, unit="分钟",
                                     num_start=s0)


def _shared_units(seg: str, start: int, text: str, out: list[Figure]) -> None:
    """Give the bare numbers of a list the counter word of its last item, in place."""
    added = []
    for f in out:
        pos = f.num_start - start
        if pos < 2 or seg[pos - 1] not in "、 ":
            continue  # most figures: no list before them
        mag = _MAGNITUDE.search(f.raw, f.num_start - f.start)
        factor = _MAG[mag.group()] if mag else 1
        scale = 10 if f.raw.endswith("成") else 1
        items = []
        while True:
            m = _BARE_ITEM_RE.search(seg, max(0, pos - 24), pos)
            if not m or any(g.start - start <= m.start() < g.end - start for g in out + added):
                break
            items.append(m)
            pos = m.start()
        if not items or (pos and seg[pos - 1] in "第第.．:：-—~～/" ) or (pos and seg[pos - 1].isdigit()):
            continue
        for m in items:
            v = parse_arabic(m.group("num"))
            if v is None:
                break
            s0, e0 = start + m.start("num"), start + m.end("num")
            added.append(Figure(start=s0, end=e0, raw=text[s0:e0], value=float(v) * factor * scale,
                                unit=f.unit, qualifier=None, measure="count", direction=None,
                                num_start=s0))
    if added:
        out.extend(added)
        out.sort(key=lambda g: g.start)


def _other_forms(seg: str, start: int, text: str, out: list[Figure], masked) -> None:
    """Figures FIGURE_RE cannot see: a counter word before the number, a population in 万
    with no counter word, a streak of years. Only where no figure stands already."""
    wan = "万" in seg or "亿" in seg
    streak = "连续" in seg
    unit_first = bool(_UNIT_FIRST_HINT.search(seg))
    fraction = "分之" in seg or "/" in seg or "一半" in seg
    if not (wan or streak or unit_first or fraction):
        return  # most sentences: none of these forms can occur, skip the set-up below
    added = []
    taken = [(g.start - start, g.end - start) for g in out]

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken + masked)

    if fraction:
        for m in FRACTION_RE.finditer(seg):
            first = next(k for k in ("den", "anum", "half", "half2") if m.group(k))
            if first == "den":
                den, num = parse_chinese(m.group("den")), parse_chinese(m.group("num"))
            elif first == "anum":
                den, num = int(m.group("aden")), int(m.group("anum"))
            else:
                den, num = 2, 1
            if not den or not num or num >= den or not free(m.start(), m.end()):
                continue
            s0 = start + (m.start() if m.group("pre") else m.start(first))
            e0 = start + m.end()
            if first == "half2" and seg.startswith(("以上", "左右"), m.end()):
                e0 += 2  # 一半以上: the qualifier is the figure's own
            added.append(Figure(start=s0, end=e0, raw=text[s0:e0], value=round(100 * num / den, 2),
                                unit="%", qualifier=_QUAL_PRE.get(m.group("pre") or "") or (
                                    _QUAL_POST.get(text[e0 - 2:e0]) if first == "half2" else None),
                                measure="count", direction=None, num_start=start + m.start(first)))
            taken.append((m.start(), m.end()))
    for rx, unit in ((UNIT_FIRST_RE, None), (POPULATION_RE, "人"), (POPULATION_AFTER_RE, "人"),
                     (STREAK_RE, "年")):
        if rx in (POPULATION_RE, POPULATION_AFTER_RE) and not wan:
            continue
        if rx is STREAK_RE and not streak:
            continue
        if rx is UNIT_FIRST_RE and not unit_first:
            continue
        for m in rx.finditer(seg):
            if not free(m.start(), m.end()):
                continue
            if rx is STREAK_RE and not _STREAK_HELD.match(seg, m.end()):
                continue  # 连续三年在考评中位列第一: a ranking, not a result
            num = m.group("num")
            v = parse_arabic(num) if num[0].isdigit() else parse_chinese(num)
            if v is None:
                continue
            q = None
            if rx is POPULATION_RE or rx is POPULATION_AFTER_RE:
                v *= _MAG[m.group("mag")]
                q = _QUAL_POST.get(m.group("q0") or m.group("q1") or "")
                if rx is POPULATION_AFTER_RE and m.group("pre") and not q:
                    q = _QUAL_PRE[m.group("pre")]
                near = (seg[m.end():m.end() + 3] if rx is POPULATION_RE
                        else seg[max(0, m.start() - 2):m.start()])
                u = "户" if ("农户" in near or "住户" in near) else "人"
            else:
                u = unit or m.group("unit")
                if rx is UNIT_FIRST_RE and m.group("mag"):
                    v *= _MAG[m.group("mag")]
                    q = _QUAL_POST.get(m.group("q") or "")
            s0, e0 = start + m.start(), start + m.end()
            if rx is POPULATION_AFTER_RE and not m.group("pre"):
                s0 = start + m.start("num")  # 仅, 达: words, not the figure's qualifier
            added.append(Figure(start=s0, end=e0, raw=text[s0:e0], value=float(v), unit=u,
                                qualifier=q, measure="count", direction=None,
                                num_start=start + m.start("num")))
            taken.append((m.start(), m.end()))
    if added:
        out.extend(added)
        out.sort(key=lambda g: g.start)


_UNIT_FIRST_HINT = re.compile(r"[件起宗人名次家处户](?:数[：:]? ?|(?:数)?(?:达到|达|为|超过|逾))?\d")


#: greedy, so a match ends just after the *last* break: `re` walks back from the end of
#: the window to it, which is a few characters, in C
_UP_TO_LAST_BREAK = re.compile(r".*[，,；;。！？!?：:]", re.S)
_UP_TO_LAST_COMMA = re.compile(r".*[，,。；;]", re.S)


def _clause_start(folded: str, floor: int, pos: int) -> int:
    """Just after the last clause break in folded[floor:pos], else floor."""
    m = _UP_TO_LAST_BREAK.match(folded, floor, max(floor, pos))
    return m.end() if m else floor


def _last_clause(text: str, end: int) -> str:
    """text[:end] after its last ，,。；; (what re.split(...)[-1] gave, without the copies)."""
    return text[_last_clause_start(text, end):end]


def _last_clause_start(text: str, end: int) -> int:
    """Where _last_clause(text, end) starts."""
    m = _UP_TO_LAST_COMMA.match(text, 0, end)
    return m.end() if m else 0


_LEVEL_VERB = re.compile(r"^(?:并|已|再)?(?:达到|达|为|升至|提升至|提高至|上升至|降至|下降至)")


def _previous_clause(folded: str, floor: int, cstart: int) -> str:
    if cstart <= floor:
        return ""
    return folded[_clause_start(folded, floor, cstart - 1):cstart]


def _measures(folded: str, floor: int, figs: list[Figure]) -> None:
    """Measure and direction, with paired lists ("下降46.7%、75.8%") sharing their verb."""
    # group consecutive figures separated only by list separators
    gid = 0
    for i, f in enumerate(figs):
        if i and _LIST_SEP_RE.match(folded[figs[i - 1].end:f.start] or "x"):
            if not figs[i - 1].group:
                gid += 1
                figs[i - 1].group = gid
                figs[i - 1].group_index = 0
            f.group = figs[i - 1].group
            f.group_index = figs[i - 1].group_index + 1
    for i, f in enumerate(figs):
        lead = f
        if f.group and f.group_index:
            lead = next(g for g in figs if g.group == f.group and g.group_index == 0)
        cstart = _clause_start(folded, floor, lead.start)
        direction, at = _direction_before(folded, lead.num_start if lead is f else lead.start, cstart)
        if lead is not f:
            direction, at = lead.direction, lead.change_at
        f.change_at = at
        left = folded[cstart:lead.start]
        if f.unit in TIME_UNITS:
            # 较上年缩短1.2分钟 is a change of a time; 缩短至6分钟 (no direction) the time itself
            f.measure = "change" if direction else "duration"
        elif f.unit in ("周年", "年"):
            f.measure = "years"
        elif f.unit == "元":
            f.measure = "change" if direction else "amount"
        elif f.unit in ("个百分点", "倍"):
            f.measure = "change"  # 提升3个百分点, 增长1.5倍: only ever a change
        elif f.unit == "%":
            if direction:
                f.measure = "change"
            elif any(w in left for w in _SHARE_WORDS):
                f.measure = "share"
            elif any(w in left for w in _RATE_WORDS):
                f.measure = "rate"
            elif _LEVEL_VERB.match(left) and any(w in _previous_clause(folded, floor, cstart)
                                                 for w in _RATE_WORDS):
                f.measure = "rate"  # 破案率提升12.3个百分点，达到65.7%: the rate's level
            else:
                f.measure = "share"
        else:
            f.measure = "change" if direction else "count"
        f.direction = direction if f.measure == "change" else None
        if f.measure == "change" and f.unit == "个百分点" and not direction:
            f.direction = None
    _list_subjects(folded, floor, figs)


_LIST_ITEMS = r"([\u4e00-\u9fff“”A-Za-z0-9]+(?:(?:、|和|及|与)[\u4e00-\u9fff“”A-Za-z0-9]+)+)"
_LIST_AT_END = re.compile(_LIST_ITEMS + "$")
_LIST_ANYWHERE = re.compile(_LIST_ITEMS)
_LIST_SPLIT = re.compile(r"、|和|及|与")
_COMPARED_AT_END = re.compile(r"(同比|环比|分别|均|较去年|比去年|较上年|同期)+$")


def _list_subjects(folded: str, floor: int, figs: list[Figure]) -> None:
    """Pair "治安、刑事警情…46.7%、75.8%" in order: each figure gets its own subject."""
    groups: dict[int, list[Figure]] = {}
    for f in figs:
        if f.group:
            groups.setdefault(f.group, []).append(f)
    for members in groups.values():
        lead = members[0]
        cstart = _clause_start(folded, floor, lead.start)
        upto = lead.change_at if lead.change_at is not None else lead.start
        phrase = folded[cstart:upto]
        each = "分别" in phrase
        phrase = _COMPARED_AT_END.sub("", phrase)
        # the list is the tail of the phrase: items joined by 、 (or 和/及)
        m = _LIST_AT_END.search(phrase)
        if not m and each:
            # "发案数和损失金额实现“双下降”，分别下降21%、35%": the list one clause back
            back = [x for x in _LIST_ANYWHERE.finditer(_previous_clause(folded, floor, cstart))
                    if len(_LIST_SPLIT.split(x.group(1))) == len(members)]
            m = back[-1] if back else None
        if not m:
            continue
        items = _LIST_SPLIT.split(m.group(1))
        if len(items) != len(members):
            continue
        last = items[-1]
        for f, item in zip(members, items):
            f.subject = item
        # distribute the shared head noun of the last item (治安、刑事警情 -> 治安警情)
        for f, item in zip(members[:-1], items[:-1]):
            for k in range(1, len(last)):
                if _joins(item, last[-k:]):
                    f.subject = item + last[-k:]
                    break


def _joins(item: str, tail: str) -> bool:
    """Does a metric trigger span the join of item and tail (治安|警情 -> 治安警情)?"""
    word = item + tail
    for m in reference.trigger_re().finditer(word):
        if m.start() < len(item) < m.end():
            return True
    return False
