"""Numbers as bulletins write them: 6300, １２０, 1,200, 1.3亿, 两千, 一百二十, 百分之十二点五.

Kept apart from figure finding because the same parsing serves the extractor, the demo
generator's self-checks and the tests. Everything here works on a *width-folded* copy of
the text (see `fold`), which has the same length as the original, so offsets found in the
folded text are offsets in the original.
"""
from __future__ import annotations

import math
import re

# Full-width forms -> ASCII, one character for one character (offsets must not move).
_FOLD = {chr(0xFF10 + i): str(i) for i in range(10)}
_FOLD.update({"．": ".", "％": "%", "＋": "+", "　": " ", "，": "，", "－": "-", "～": "~",
              "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " "})
_FOLD_TABLE = str.maketrans(_FOLD)
#: most text has nothing to fold: one C-level scan for these spares the per-character copy
_TO_FOLD = re.compile("[" + "".join(sorted(k for k, v in _FOLD.items() if k != v)) + "]")


def fold(text: str) -> str:
    """Same-length copy with full-width digits, %, +, . and odd spaces made ASCII."""
    return text.translate(_FOLD_TABLE) if _TO_FOLD.search(text) else text


CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG) + "点"


def parse_chinese(s: str) -> float | None:
    """一百二十 -> 120, 两千 -> 2000, 三十 -> 30, 十二点五 -> 12.5, 一万二千 -> 12000.

    Returns None for strings that are not a well-formed numeral, so callers can reject
    idioms instead of guessing a value for them.
    """
    if not s:
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = parse_chinese(whole) if whole else 0
        if w is None or not frac or any(c not in CN_DIGITS for c in frac):
            return None
        return float(f"{int(w)}.{''.join(str(CN_DIGITS[c]) for c in frac)}")
    total, section, digit = 0, 0, None
    seen_any = False
    for ch in s:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0 and CN_DIGITS[ch] != 0:
                # 一二 (digit by digit, as in years) is not a quantity numeral here
                return None
            digit = CN_DIGITS[ch]
            seen_any = True
        elif ch in CN_SMALL:
            unit = CN_SMALL[ch]
            section += (digit if digit is not None else 1) * unit
            digit = None
            seen_any = True
        elif ch in CN_BIG:
            unit = CN_BIG[ch]
            section += digit or 0
            if section == 0:
                section = 1
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, digit = 0, None
            seen_any = True
        else:
            return None
    if not seen_any:
        return None
    return float(total + section + (digit or 0))


_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


_PLAIN = re.compile(r"\d+(?:\.\d+)?")


def parse_arabic(s: str) -> float | None:
    """Digits (with thousands commas) -> float; None for anything else and for numbers too
    big for a float. float() alone would also take 'inf', 'nan', '1e999' and '1_000', and a
    run of 400 digits would come back as inf (then int(inf) raises in as_number)."""
    if s.isascii() and s.isdigit():  # most numbers: plain ASCII digits, nothing to clean
        v = float(s)
        return v if math.isfinite(v) else None
    s = fold(s).replace(",", "").replace(" ", "")
    if not _PLAIN.fullmatch(s):
        return None
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def as_number(value: float) -> int | float:
    """Whole numbers as int so that JSON shows 6300, not 6300.0."""
    if value == int(value) and abs(value) < 1e15:
        return int(value)
    return round(value, 6)
