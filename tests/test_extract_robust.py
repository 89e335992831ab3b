"""The extractor on text no one wrote on purpose: it must never fail, and every figure it
returns must point at its own text (a crash on one odd page would lose the whole page).

Random strings from an alphabet of the genre's characters (place and agency words, change
words, numerals of every kind, units, qualifiers, quotes, CR/LF, full-width forms), with
a fixed seed so a failure is reproducible.
"""
from __future__ import annotations

import random

import pytest

from etl.extract import extract_text
from etl.manifest import Meta

ALPHABET = list("缙云县公安局派出所全市全省该所我局今年以来去年同比下降上升增长提升至达约近超余多以上不足百分之点"
                "万亿千百十一二两三四五六七八九零成个百分点起件人名支架条场次元%％１２３０123456789.,，。；;、：:“”\"（）()"
                "\n\r 　本报讯通讯员丽水:该局会同联合在的基础上再降第每前后*#-+/·"
                "分别两地云和火灾死亡接警消防大队龙泉：倍涉案资金群众劝阻笔")


@pytest.mark.parametrize("seed", range(4))
def test_random_text_never_breaks_the_extractor(seed):
    rng = random.Random(seed)
    for _ in range(250):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 300)))
        region = rng.choice([None, "缙云县", "丽水市", "331122", "火星"])
        arts, rows = extract_text(text, "f.txt", "0" * 16, Meta(region=region))
        assert len({a["article"] for a in arts}) == len(arts)
        for r in rows:
            assert text[r["start"]:r["end"]] == r["raw"]
            assert r["raw"] in r["sentence"]
            assert r["county_code"] is None or (len(r["county_code"]) == 6 and r["county_code"].isdigit())
