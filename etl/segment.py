"""A bulletin page -> articles -> paragraphs -> sentences, with offsets into the text.

A newspaper page is several articles: headline, `通讯员` byline (before the body or after
it), a `本报讯` lead, section headings inside long features, and column labels such as
`丽水:` that set the region for the articles under them. Layout breaks lines in the middle
of sentences ("离不开平安铺就\\n\\n的底色。"); those are rejoined here so that figures and
their context stay in one sentence. Nothing is copied out of place: every sentence keeps
the (start, end) pieces of the original text it is made of.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_TERMINAL = "。！？!?；;…"
_CLOSERS = "”’」』）)】"
_BYLINE_RE = re.compile(r"^(?:通讯员|本报通讯员|记者|本报记者|特约记者|作者|撰稿|文/|文／|图/|图／|来源[:：]|编辑[:：]|责任编辑"
                        r"|(?:发布|发表|更新|统计|截止|数据)?(?:时间|日期|周期)[:：]|信息来源|字号[:：]|浏览(?:次数)?[:：])")
_LEAD_RE = re.compile(r"^本报讯")
_LABEL_RE = re.compile(r"^[\u4e00-\u9fff]{2,8}[:：]$")
#: a speech's salutation (各位代表：, 同志们：, 尊敬的各位来宾：) opens the speech's body; it is
#: no column label and starts no article
_SALUTATION_RE = re.compile(r"^(?:各位|尊敬的|亲爱的)|们[:：]$")
#: "宁波北仑：“海上枫桥”守护渔区平安": a place-prefixed headline starts an article
_REGION_HEAD = re.compile(r"^[\u4e00-\u9fff]{2,8}[：:]\S")
#: a run of 。！？!? with its closing quotes, or …/…… ending the paragraph: written to
#: start with a class the match takes (so that `re` skips to the next candidate in a loop
#: of its own), a one-character lookbehind telling the two forms apart
_SENT_END = re.compile(r"[。！？!?…](?:(?<=[。！？!?])[。！？!?]*[”’」』）)]*|(?<=…)…?[”’」』]?(?=\s*$))")


@dataclass
class Line:
    start: int
    end: int
    text: str        # stripped
    kind: str = "body"   # blank body short byline lead label


@dataclass
class Sentence:
    text: str                              # pieces joined, as displayed
    pieces: list[tuple[int, int, int]]     # (offset in .text, start, end in the source)

    @property
    def start(self) -> int:
        return self.pieces[0][1]

    @property
    def end(self) -> int:
        return self.pieces[-1][2]

    def to_source(self, i: int, j: int) -> tuple[int, int] | None:
        """Source offsets of text[i:j], or None when it straddles a line break."""
        for off, s, e in self.pieces:
            if off <= i and j <= off + (e - s):
                return s + (i - off), s + (j - off)
        return None


@dataclass
class Paragraph:
    """A block of rejoined lines. Sentences are split on first use: most paragraphs of a
    page hold no figure, and the extractor never needs their sentences."""
    lines: list[Line]
    section: str | None          # heading of the section it sits in
    section_index: int           # 0 before the first heading
    _sentences: list[Sentence] | None = field(default=None, repr=False)
    _text: str | None = field(default=None, repr=False, compare=False)

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    @property
    def text(self) -> str:
        """The lines joined (once: the extractor reads a paragraph's text several times)."""
        if self._text is None:
            self._text = "".join(ln.text for ln in self.lines)
        return self._text

    @property
    def sentences(self) -> list[Sentence]:
        if self._sentences is None:
            self._sentences = _sentences(self.lines)
        return self._sentences


@dataclass
class Article:
    index: int                   # 1-based
    title: str | None
    title_span: tuple[int, int] | None
    byline: str | None
    region: str | None           # column label (丽水) above it
    start: int
    end: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    headings: list[tuple[int, int, str]] = field(default_factory=list)
    subtitle_span: tuple[int, int] | None = None   # a deck line under the headline


_INNER_PUNCT = re.compile(r"[，,。；;！？!?]")
_FULL_STOP = re.compile(r"[。！？]")
_COMMA = re.compile(r"[，,、]")
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BLANK = " \t\u3000\ufeff\xa0"


def _lines(text: str) -> list[Line]:
    return _lines_lf(text) if "\r" not in text else _lines_re(text)


def _lines_re(text: str) -> list[Line]:
    """The page's lines, whatever ends them (\r\n, \r, \n)."""
    out = []
    for m in _LINE_RE.finditer(text):
        raw = m.group()
        if not raw:
            continue
        body = raw.rstrip("\r\n")
        left = body.lstrip(_BLANK)
        stripped = left.rstrip(_BLANK)
        s = m.start() + len(body) - len(left)
        out.append(Line(s, s + len(stripped), stripped, "blank" if not stripped else "body"))
    return out


def _lines_lf(text: str) -> list[Line]:
    """_lines for text with no carriage return (most pages): str.split on the newline gives
    the same lines as _LINE_RE at half the cost (no match object per line). A last piece
    left empty by a closing newline is the regex's empty match at the end: no line."""
    out = []
    pos = 0
    parts = text.split("\n")
    if not parts[-1]:
        parts.pop()
    for body in parts:
        left = body.lstrip(_BLANK)
        if left:
            stripped = left.rstrip(_BLANK)
            s = pos + len(body) - len(left)
            out.append(Line(s, s + len(stripped), stripped, "body"))
        else:
            s = pos + len(body)
            out.append(Line(s, s, "", "blank"))
        pos += len(body) + 1
    return out


def _is_short(t: str) -> bool:
    """Could be a headline or section heading: short, no sentence punctuation inside."""
    if len(t) > 40 or len(t) < 2:
        return False
    if t[-1] in _TERMINAL + "，,、:：" or (t[-1] in _CLOSERS and len(t) > 1 and t[-2] in _TERMINAL):
        return False
    if t.count("“") != t.count("”") or t.count("、") >= 2:
        return False  # a line broken inside a quote or a list is body text, not a heading
    return not _INNER_PUNCT.search(t)


def _classify(lines: list[Line]) -> None:
    for ln in lines:
        if ln.kind == "blank":
            continue
        t = ln.text
        if _BYLINE_RE.match(t) and len(t) <= 60 and not _FULL_STOP.search(t):
            ln.kind = "byline"
        elif _LEAD_RE.match(t):
            ln.kind = "lead"
        elif _LABEL_RE.match(t) and not _SALUTATION_RE.search(t):
            ln.kind = "label"
        elif _is_short(t):
            ln.kind = "short"


def _open_end(t: str) -> bool:
    """A body line that stops mid-sentence (no terminal punctuation)."""
    t = t.rstrip(_CLOSERS) if len(t) > 1 and t.rstrip(_CLOSERS) and t.rstrip(_CLOSERS)[-1] in _TERMINAL else t
    return bool(t) and t[-1] not in _TERMINAL


def segment(text: str) -> list[Article]:
    lines = [ln for ln in _lines(text)]
    _classify(lines)
    content = [ln for ln in lines if ln.kind != "blank"]
    # blank lines above each line: layout leaves a wider gap between articles than between
    # the paragraphs of one (the sample page: three blank lines before 歌舞声中谱新篇)
    gap: dict[int, int] = {}
    run = 0
    for ln in lines:
        if ln.kind == "blank":
            run += 1
        else:
            gap[ln.start] = run
            run = 0
    usual_gap = sorted(gap.values())[len(gap) // 2] if gap else 1

    # 1. rejoin lines broken mid-sentence into blocks (lists of lines)
    blocks: list[list[Line]] = []
    for ln in content:
        prev = blocks[-1] if blocks else None
        if (prev and prev[-1].kind in ("body", "lead") and _open_end(prev[-1].text)
                and ln.kind in ("body", "short") and (len(prev[-1].text) > 40 or _COMMA.search(prev[-1].text))):
            prev.append(ln)
            continue
        blocks.append([ln])

    kinds = [b[0].kind if len(b) == 1 else "body" for b in blocks]

    # 2. which short blocks are headlines (start an article) and which are section headings
    def next_kind(i):
        return kinds[i + 1] if i + 1 < len(kinds) else None

    def trailing_byline(i):
        for j in range(i + 1, len(kinds)):
            if kinds[j] == "byline":
                return True
            if kinds[j] in ("short", "label", "lead"):
                return False
        return False

    headline = [False] * len(blocks)
    subtitle = [False] * len(blocks)
    seen_article = False
    for i, (k, b) in enumerate(zip(kinds, blocks)):
        if k != "short":
            if k in ("body", "lead") and not seen_article:
                seen_article = True  # text before any headline makes an untitled article
            continue
        prev = kinds[i - 1] if i else None
        if i and headline[i - 1] and gap.get(b[0].start, 0) == 0 and len(blocks[i - 1]) == 1:
            subtitle[i] = True  # a deck line straight under its headline: the same article
            continue
        if (next_kind(i) in ("byline", "lead") or prev in (None, "byline", "label")
                or not seen_article or trailing_byline(i) or _REGION_HEAD.match(b[0].text)
                or gap.get(b[0].start, 0) > max(1, usual_gap)):
            headline[i] = True
            seen_article = True

    # 3. articles
    articles: list[Article] = []
    region = None
    cur: Article | None = None
    section, section_index = None, 0

    def new_article(title_block=None) -> Article:
        """A new article, appended; the caller resets the section it is in."""
        if title_block:
            ln = title_block[0]
            title = ln.text.lstrip("#").strip() or ln.text  # a Markdown heading's marks
            art = Article(len(articles) + 1, title, (ln.start, ln.end), None, region, ln.start, ln.end)
        else:
            art = Article(len(articles) + 1, None, None, None, region, 0, 0)
        articles.append(art)
        return art

    for i, b in enumerate(blocks):
        k = kinds[i]
        if k == "label":
            region = b[0].text.rstrip(":：")
            if cur is not None and not cur.paragraphs and cur.title is None:
                cur.region = region
            elif cur is not None and i + 1 < len(blocks) and kinds[i + 1] in ("body", "lead"):
                # a column label straight above body text opens that county's own item
                # ("龙泉：\n剑池派出所今年以来…"): it must not run on in the article above
                cur, section, section_index = new_article(), None, 0
                cur.start = blocks[i + 1][0].start
            continue
        if k == "short" and headline[i]:
            cur, section, section_index = new_article(b), None, 0
            continue
        if k == "short" and subtitle[i] and cur is not None:
            cur.subtitle_span = (b[0].start, b[0].end)
            cur.end = max(cur.end, b[-1].end)
            continue
        if cur is None:
            cur, section, section_index = new_article(), None, 0
            cur.start = b[0].start
        if k == "byline":
            cur.byline = b[0].text if not cur.byline else cur.byline + " / " + b[0].text
            cur.end = max(cur.end, b[-1].end)
            continue
        if k == "short":
            section = b[0].text
            section_index += 1
            cur.headings.append((b[0].start, b[0].end, b[0].text))
            cur.end = max(cur.end, b[-1].end)
            continue
        cur.paragraphs.append(Paragraph(b, section, section_index))
        cur.end = max(cur.end, b[-1].end)
    return [a for a in articles if a.paragraphs or a.title]


def _sentences(block: list[Line]) -> list[Sentence]:
    return _sentences_of_line(block[0]) if len(block) == 1 else _sentences_joined(block)


def _sentences_joined(block: list[Line]) -> list[Sentence]:
    """The sentences of a block of lines rejoined, each with the source spans of its pieces."""
    joined, pieces = "", []
    for ln in block:
        pieces.append((len(joined), ln.start, ln.end))
        joined += ln.text
    out: list[Sentence] = []
    pos = 0
    bounds = [m.end() for m in _SENT_END.finditer(joined)]
    if not bounds or bounds[-1] < len(joined):
        bounds.append(len(joined))
    for b in bounds:
        seg = joined[pos:b]
        lead = len(seg) - len(seg.lstrip())
        i, j = pos + lead, b
        if i < j:
            sp = []
            for off, s, e in pieces:
                a, z = max(i, off), min(j, off + (e - s))
                if a < z:
                    sp.append((a - i, s + (a - off), s + (z - off)))
            out.append(Sentence(joined[i:j], sp))
        pos = b
    return out


def _sentences_of_line(ln: Line) -> list[Sentence]:
    """_sentences of a one-line paragraph (most of them): the line's text is the joined
    text and a sentence's one piece is its own span, so no offsets need mapping."""
    joined, base = ln.text, ln.start
    out: list[Sentence] = []
    pos = 0
    bounds = [m.end() for m in _SENT_END.finditer(joined)]
    if not bounds or bounds[-1] < len(joined):
        bounds.append(len(joined))
    for b in bounds:
        seg = joined[pos:b]
        i = pos + len(seg) - len(seg.lstrip())
        if i < b:
            out.append(Sentence(joined[i:b], [(0, base + i, base + b)]))
        pos = b
    return out
