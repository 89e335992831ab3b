"""The extractor on sentences of the genre, written for these tests (not taken from bulletins).

Each case gives a text and every figure it must yield, in order: raw text, value in base
units, unit, qualifier, measure, direction and place. A case with no figures is a
distractor: nothing may come out of it. Place is a 6-digit county code, `city:CODE`,
`prov:CODE`, `alias:NAME` (a place without a GB code), or None (county and city unknown:
never guessed).
"""
from __future__ import annotations

import pytest

from etl.extract import extract_text
from etl.manifest import Meta

CASES = [
    # routines and round-the-clock service are not results
    ("缙云县公安局每周开展2次夜查。", []),
    ("缙云县公安局24小时受理群众报警。", []),
    ("缙云县公安局深化“枫桥经验”,今年以来共化解矛盾纠纷1200余起。",
     [("1200余起", 1200, "起", "余", "count", None, "331122")]),
    ("莲都公安今年1-10月破获各类刑事案件356起,抓获犯罪嫌疑人412人。",
     [("356起", 356, "起", None, "count", None, "331102"),
      ("412人", 412, "人", None, "count", None, "331102")]),
    ("青田县公安局联合侨联成立涉侨纠纷调解室8个。",
     [("8个", 8, "个", None, "count", None, "331121")]),
    ("遂昌公安刑事、治安警情分别下降12.5%、8.1%。",
     [("12.5%", 12.5, "%", None, "change", "down", "331123"),
      ("8.1%", 8.1, "%", None, "change", "down", "331123")]),
    ("松阳县公安局电诈发案数同比下降36.2%,挽回群众损失2400万余元。",
     [("36.2%", 36.2, "%", None, "change", "down", "331124"),
      ("2400万余元", 24000000, "元", "余", "amount", None, "331124")]),
    ("云和公安接报警情同比下降三成。",
     [("三成", 30, "%", None, "change", "down", "331125")]),
    ("庆元县公安局组建平安志愿者队伍12支,发动志愿者近千人。",
     [("12支", 12, "支", None, "count", None, "331126"),
      ("近千人", 1000, "人", "近", "count", None, "331126")]),
    ("景宁公安开展反诈宣传活动300余场,覆盖群众超5万人次。",
     [("300余场", 300, "场", "余", "count", None, "331127"),
      ("超5万人次", 50000, "人次", "超", "count", None, "331127")]),
    ("龙泉市公安局全年查处酒驾醉驾违法行为526起。",
     [("526起", 526, "起", None, "count", None, "331181")]),
    ("丽水:\n\n开发区公安建成警务服务站6个。",
     [("6个", 6, "个", None, "count", None, "alias:开发区")]),
    ("天台县公安局三合派出所今年以来走访群众1800余户。",
     [("1800余户", 1800, "户", "余", "count", None, "331023")]),
    ("温岭市公安局横峰派出所无人机中队累计飞行420架次。",
     [("420架次", 420, "架次", None, "count", None, "331081")]),
    ("临海市公安局交警大队查处交通违法行为１２０起。",
     [("１２０起", 120, "起", None, "count", None, "331082")]),
    ("义乌市消防救援支队排查整改火灾隐患2,300处。",
     [("2,300处", 2300, "处", None, "count", None, "330782")]),
    ("安吉县消防救援大队检查社会单位480家,督促整改隐患1560处。",
     [("480家", 480, "家", None, "count", None, "330523"),
      ("1560处", 1560, "处", None, "count", None, "330523")]),
    ("江山市消防救援大队开展消防安全培训30 场。",
     [("30 场", 30, "场", None, "count", None, "330881")]),
    ("诸暨市公安局群众安全感满意率达98.6%。",
     [("98.6%", 98.6, "%", None, "rate", None, "330681")]),
    ("桐乡市公安局破案率提升3.2个百分点。",
     [("3.2个百分点", 3.2, "个百分点", None, "change", "up", "330483")]),
    ("柯桥区公安分局今年1-9月抓获电诈嫌疑人两千余人。",
     [("两千余人", 2000, "人", "余", "count", None, "330603")]),
    ("余杭区公安分局盗窃警情下降60%以上。",
     [("60%以上", 60, "%", "以上", "change", "down", "330110")]),
    ("鹿城公安在扫黑除恶专项斗争中打掉犯罪团伙15个。",
     [("15个", 15, "个", None, "count", None, "330302")]),
    ("瑞安市公安局见面劝阻潜在受害群众不足500人。",
     [("不足500人", 500, "人", "不足", "count", None, "330381")]),
    ("乐清市公安局电诈案件损失金额同比减少1.3亿元。",
     [("1.3亿元", 130000000, "元", None, "change", "down", "330382")]),
    ("东阳市公安局接处警平均到场时间缩短至8分钟。",
     [("8分钟", 8, "分钟", None, "duration", None, "330783")]),
    ("永康市公安局接到110报警后15分钟抓获嫌疑人2名。",
     [("15分钟", 15, "分钟", None, "duration", None, "330784"),
      ("2名", 2, "名", None, "count", None, "330784")]),
    ("德清县公安局建立“一村一警”机制,覆盖行政村137个。",
     [("137个", 137, "个", None, "count", None, "330521")]),
    ("长兴县公安局组建“红袖章”巡逻队伍45支。",
     [("45支", 45, "支", None, "count", None, "330522")]),
    ("开化县公安局开展“百警进百村”活动,走访农户3200户。",
     [("3200户", 3200, "户", None, "count", None, "330824")]),
    ("常山县公安局今年以来共受理群众求助1万余次。",
     [("1万余次", 10000, "次", "余", "count", None, "330822")]),
    ("平阳县公安局1至10月侦破电诈案件218起,同比上升18.4%。",
     [("218起", 218, "起", None, "count", None, "330326"),
      ("18.4%", 18.4, "%", None, "change", "up", "330326")]),
    ("苍南县公安局刑事警情同比下降22.7%,治安警情同比下降15.3%。",
     [("22.7%", 22.7, "%", None, "change", "down", "330327"),
      ("15.3%", 15.3, "%", None, "change", "down", "330327")]),
    ("玉环市公安局发放反诈宣传资料5万份。",
     [("5万份", 50000, "份", None, "count", None, "331083")]),
    ("三门县公安局开展海上巡逻巡查286次。",
     [("286次", 286, "次", None, "count", None, "331022")]),
    ("仙居县公安局组建生态巡防队伍8支,巡护山林1200余公里。",
     [("8支", 8, "支", None, "count", None, "331024"),
      ("1200余公里", 1200, "公里", "余", "count", None, "331024")]),
    ("黄岩区公安分局交通事故死亡人数下降31%。",
     [("31%", 31, "%", None, "change", "down", "331003")]),
    ("椒江区公安分局为辖区企业提供上门服务260余家次。",
     [("260余家次", 260, "家次", "余", "count", None, "331002")]),
    ("舟山市普陀区公安分局破获涉海案件32起。",
     [("32起", 32, "起", None, "count", None, "330903")]),
    ("定海区公安分局今年检查渔船1500余艘。",
     [("1500余艘", 1500, "艘", "余", "count", None, "330902")]),
    ("淳安县公安局千岛湖水域巡逻时长达3000小时。",
     [("3000小时", 3000, "小时", None, "duration", None, "330127")]),
    ("建德市公安局全年调解纠纷成功率达97.5%。",
     [("97.5%", 97.5, "%", None, "rate", None, "330182")]),
    ("桐庐县公安局今年1-10月共抓获网上逃犯46名。",
     [("46名", 46, "名", None, "count", None, "330122")]),
    ("临安区公安分局组织民警进校园开展法治讲座120余场。",
     [("120余场", 120, "场", "余", "count", None, "330112")]),
    ("萧山区公安分局协同破案87起。",
     [("87起", 87, "起", None, "count", None, "330109")]),
    ("拱墅区公安分局打掉电诈窝点9个。",
     [("9个", 9, "个", None, "count", None, "330105")]),
    ("鄞州区消防救援大队辖区电动自行车火灾同比下降42.3%。",
     [("42.3%", 42.3, "%", None, "change", "down", "330212")]),
    ("北仑区公安分局港区治安警情环比下降近两成。",
     [("近两成", 20, "%", "近", "change", "down", "330206")]),
    ("余姚市公安局全年接报电诈警情减少306起。",
     [("306起", 306, "起", None, "change", "down", "330281")]),
    ("慈溪市公安局为群众挽回经济损失约860万元。",
     [("约860万元", 8600000, "元", "约", "amount", None, "330282")]),
    ("宁海县公安局开展夜间巡逻1.2万余次。",
     [("1.2万余次", 12000, "次", "余", "count", None, "330226")]),
    ("象山县公安局组建渔港平安志愿者600余名。",
     [("600余名", 600, "名", "余", "count", None, "330225")]),
    ("嘉善县公安局受理出入境业务超8000件。",
     [("超8000件", 8000, "件", "超", "count", None, "330421")]),
    ("平湖市公安局投入资金3500万元建设智能感知设备。",
     [("3500万元", 35000000, "元", None, "amount", None, "330482")]),
    ("海盐县公安局新建视频监控探头420路。",
     [("420路", 420, "路", None, "count", None, "330424")]),
    ("南浔区公安分局交通违法查处量同比增长27%。",
     [("27%", 27, "%", None, "change", "up", "330503")]),
    ("吴兴区公安分局化解各类矛盾纠纷3456件,调解成功率98%以上。",
     [("3456件", 3456, "件", None, "count", None, "330502"),
      ("98%以上", 98, "%", "以上", "rate", None, "330502")]),
    ("上虞区公安分局今年以来破获盗窃案件203起,抓获盗窃嫌疑人167名。",
     [("203起", 203, "起", None, "count", None, "330604"),
      ("167名", 167, "名", None, "count", None, "330604")]),
    ("新昌县消防救援大队在检查中发现隐患问题780余处。",
     [("780余处", 780, "处", "余", "count", None, "330624")]),
    ("武义县公安局发动网格员2100多名参与巡防。",
     [("2100多名", 2100, "名", "多", "count", None, "330723")]),
    ("浦江县公安局侦破“3·15”系列盗窃案,抓获嫌疑人5名。",
     [("5名", 5, "名", None, "count", None, "330726")]),
    ("缙云公安开设法治课一百二十场。",
     [("一百二十场", 120, "场", None, "count", None, "331122")]),
    ("遂昌公安推动近万名群众安装国家反诈中心APP。",
     [("近万名", 10000, "名", "近", "count", None, "331123")]),
    ("莲都公安全年接报警情6.5万起,同比下降8.9%。",
     [("6.5万起", 65000, "起", None, "count", None, "331102"),
      ("8.9%", 8.9, "%", None, "change", "down", "331102")]),
    ("松阳公安完成“一窗通办”事项1.2万件。",
     [("1.2万件", 12000, "件", None, "count", None, "331124")]),
    ("景宁公安治安、刑事警情同比分别下降46.7%和75.8%。",
     [("46.7%", 46.7, "%", None, "change", "down", "331127"),
      ("75.8%", 75.8, "%", None, "change", "down", "331127")]),
    ("庆元县公安局群众满意率提升2.1个百分点。",
     [("2.1个百分点", 2.1, "个百分点", None, "change", "up", "331126")]),
    ("龙泉公安“法治副校长”授课388场。",
     [("388场", 388, "场", None, "count", None, "331181")]),
    ("云和县公安局受理户籍业务4800余件,办结率100%。",
     [("4800余件", 4800, "件", "余", "count", None, "331125"),
      ("100%", 100, "%", None, "rate", None, "331125")]),
    ("青田县公安局平均出警时间不足5分钟。",
     [("不足5分钟", 5, "分钟", "不足", "duration", None, "331121")]),
    ("缙云县公安局今年查处涉赌案件超 300起。",
     [("超 300起", 300, "起", "超", "count", None, "331122")]),
    ("嵊州市公安局电诈发案在去年下降20%的基础上,今年再降15%。",
     [("20%", 20, "%", None, "change", "down", "330683"),
      ("15%", 15, "%", None, "change", "down", "330683")]),
    ("海宁市公安局侦破的案件中，电诈案件占比为百分之十二点五。",
     [("百分之十二点五", 12.5, "%", None, "share", None, "330481")]),
    ("越城区公安分局开展“清源”专项行动3轮,清查出租房屋5600间。",
     [("3轮", 3, "轮", None, "count", None, "330602"),
      ("5600间", 5600, "间", None, "count", None, "330602")]),
    ("江苏省昆山市公安局破获电诈案件120起。",
     [("120起", 120, "起", None, "count", None, "320583")]),
    ("朝阳区公安分局破获案件30起。",
     [("30起", 30, "起", None, "count", None, None)]),
    ("站在江山之巅,巡逻队员累计巡查1200公里。",
     [("1200公里", 1200, "公里", None, "count", None, None)]),
    ("浙江省公安厅通报,全省电诈发案同比下降25.1%。",
     [("25.1%", 25.1, "%", None, "change", "down", "prov:330000")]),
    ("丽水:\n\n全市公安机关今年以来化解矛盾纠纷2.3万起。",
     [("2.3万起", 23000, "起", None, "count", None, "city:331100")]),
    ("丽水市公安局:全市电诈案件同比下降41.2%。",
     [("41.2%", 41.2, "%", None, "change", "down", "city:331100")]),
    ("莲都区公安分局刑事案件立案数下降12%,破案率上升5个百分点。",
     [("12%", 12, "%", None, "change", "down", "331102"),
      ("5个百分点", 5, "个百分点", None, "change", "up", "331102")]),
    ("遂昌县公安局投入警力1.5万人次,开展治安巡逻4200余次。",
     [("1.5万人次", 15000, "人次", None, "count", None, "331123"),
      ("4200余次", 4200, "次", "余", "count", None, "331123")]),
    ("松阳县公安局今年1-10月拦截诈骗电话3.2万个,止付冻结资金1.6亿元。",
     [("3.2万个", 32000, "个", None, "count", None, "331124"),
      ("1.6亿元", 160000000, "元", None, "amount", None, "331124")]),
    ("缙云县公安局反诈专班冻结涉案资金3200余万元。",
     [("3200余万元", 32000000, "元", "余", "amount", None, "331122")]),
    ("遂昌县全县道路交通事故死亡人数同比减少5人,下降22.7%。",
     [("5人", 5, "人", None, "change", "down", "331123"),
      ("22.7%", 22.7, "%", None, "change", "down", "331123")]),
    ("衢州市公安局为群众办理户籍、出入境等业务4.6万件次,开展宣讲活动1200余场次,受教育群众20余万人次。",
     [("4.6万件次", 46000, "件次", None, "count", None, "city:330800"),
      ("1200余场次", 1200, "场次", "余", "count", None, "city:330800"),
      ("20余万人次", 200000, "人次", "余", "count", None, "city:330800")]),
    ("江山市公安局平均每起警情处置时间缩短30%左右,盗窃案件降幅达21.3%。",
     [("30%左右", 30, "%", "约", "change", "down", "330881"),
      ("21.3%", 21.3, "%", None, "change", "down", "330881")]),
    ("缙云县公安局电诈案件破案率提升至46.3%,劝阻成功率达98%。",
     [("46.3%", 46.3, "%", None, "rate", None, "331122"),
      ("98%", 98, "%", None, "rate", None, "331122")]),
    ("苍南县消防救援大队检查社会单位1860家次,整改率94.4%,临时查封违法场所12处,开展灭火救援演练46场。",
     [("1860家次", 1860, "家次", None, "count", None, "330327"),
      ("94.4%", 94.4, "%", None, "rate", None, "330327"),
      ("12处", 12, "处", None, "count", None, "330327"),
      ("46场", 46, "场", None, "count", None, "330327")]),
    ("嘉兴市公安局破案率同比提升12.3个百分点,达到65.7%。",
     [("12.3个百分点", 12.3, "个百分点", None, "change", "up", "city:330400"),
      ("65.7%", 65.7, "%", None, "rate", None, "city:330400")]),
    ("平湖市公安局侦破一起特大跨境网络赌博案,涉案流水超10亿元,抓获犯罪嫌疑人37名。",
     [("37名", 37, "名", None, "count", None, "330482")]),
    ("缙云县公安局壶镇派出所辖区面积120平方公里,常住人口8万人,距县城30公里,现有民警12名。",
     [("120平方公里", 120, "平方公里", None, "count", None, "331122"),
      ("8万人", 80000, "人", None, "count", None, "331122"),
      ("12名", 12, "名", None, "count", None, "331122")]),
    ("青田县公安局会同温州市公安局瓯海分局破获跨区域盗窃案件12起。",
     [("12起", 12, "起", None, "count", None, "331121")]),
    ("缙云公安联合永康、武义警方协同破案31起。",
     [("31起", 31, "起", None, "count", None, "331122")]),
    ("黄岩区公安分局全区电诈警情数同比下降41.3%,志愿队队员发展到186人,开展海上巡防430余航次。",
     [("41.3%", 41.3, "%", None, "change", "down", "331003"),
      ("186人", 186, "人", None, "count", None, "331003"),
      ("430余航次", 430, "航次", "余", "count", None, "331003")]),
    # distractors: nothing here is a performance figure
    ("兰溪市公安局成功侦破“6.20”金店被盗案。", []),
    ("磐安县公安局把“智慧警务”平台升级至3.0版本。", []),
    ("婺城区公安分局通过无人机绘制辖区3D地图。", []),
    ("金东区公安分局配备M300型无人机开展巡查。", []),
    ("兰溪市公安局打造“15+5”服务保障体系。", []),
    ("衢江区公安分局民警1月5日走访辖区企业。", []),
    ("柯城区公安分局推出“1+1”结对帮扶机制。", []),
    ("龙游县公安局一次次出击,一起起案件告破。", []),
    ("“百万警进千万家”活动在洞头区全面铺开。", []),
    ("68岁的王阿姨被骗2万元后向警方求助。", []),
    ("市民胡先生拨打110报警称被骗。", []),
    ("缙云由公安牵头,凝聚“三所一庭”合力,深化五位一体四大警务。", []),
    ("两名民警迅速赶到现场,第一时间开展救援。", []),
    ("该局实施安全创业、安宁生活等五安工程,搭建两大中心。", []),
    ("2024年3月,龙湾区公安分局召开会议部署十大工作机制。", []),
    ("接警后，莲都区公安分局4名民警迅速赶到现场处置。", []),
    ("缙云县公安局缴获毒品350克，收缴管制刀具46把。",
     [("350克", 350, "克", None, "count", None, "331122"),
      ("46把", 46, "把", None, "count", None, "331122")]),
    ("国庆期间，湖州全市未发生一次死亡3人以上较大道路交通事故。", []),
    ("常山县平安指数连续18个季度位居全省第一。", []),
    ("德清县公安局在莫干山景区增设警务服务点4处,为游客提供帮助230余次。",
     [("4处", 4, "处", None, "count", None, "330521"),
      ("230余次", 230, "次", "余", "count", None, "330521")]),
]

BULLETIN = "0" * 16


def _place_ok(row: dict, spec) -> bool:
    if spec is None:
        return row["county_code"] is None and row["county"] is None
    if spec.startswith("city:"):
        return row["county_code"] is None and row.get("city_code") == spec[5:]
    if spec.startswith("prov:"):
        return row["county_code"] is None and row["city"] is None and row["province"] == "浙江省"
    if spec.startswith("alias:"):
        return row["county_code"] is None and spec[6:] in (row["county"] or "")
    return row["county_code"] == spec


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:18] for c in CASES])
def test_genre_sentence(text, expected):
    _, rows = extract_text(text, "case.txt", BULLETIN, Meta())
    got = [(r["raw"], r["value"], r["unit"], r["qualifier"], r["measure"], r["direction"]) for r in rows]
    assert got == [e[:6] for e in expected]
    for row, exp in zip(rows, expected):
        assert _place_ok(row, exp[6]), (row["raw"], row["county_code"], row["county"], row["city"], exp[6])
        assert text[row["start"]:row["end"]] == row["raw"]
        assert row["raw"] in row["sentence"]


def test_enough_cases():
    assert len(CASES) >= 80
    assert sum(len(e) for _, e in CASES) >= 90


def test_back_reference_to_the_station():
    text = ("做好群众“贴心人”\n\n通讯员 某某\n\n本报讯 近日,天台县公安局三合派出所开展入户走访。\n\n"
            "该所今年以来共走访群众2600余户,化解矛盾纠纷86起。")
    _, rows = extract_text(text, "a.txt", BULLETIN, Meta())
    assert [(r["raw"], r["county_code"], r["agency"]) for r in rows] == [
        ("2600余户", "331023", "天台县公安局三合派出所"), ("86起", "331023", "天台县公安局三合派出所")]
    assert all(r["period"] == "今年以来" for r in rows)


def test_manifest_region_is_the_fallback():
    _, rows = extract_text("今年以来,共侦破电诈案件58起。", "b.txt", BULLETIN, Meta(region="缙云县"))
    assert rows[0]["county_code"] == "331122"
    _, rows = extract_text("今年以来,共侦破电诈案件58起。", "b.txt", BULLETIN, Meta())
    assert rows[0]["county_code"] is None and rows[0]["city"] is None


def test_periods_and_baselines():
    text = "嵊州市公安局电诈发案在去年下降20%的基础上,今年1-10月再降15%。"
    _, rows = extract_text(text, "c.txt", BULLETIN, Meta())
    assert [r["period"] for r in rows] == ["去年", "今年1-10月"]


@pytest.mark.parametrize("period", ["今年以来", "1-10月", "今年1至10月", "今年1月至9月", "2024年1月至6月",
                                    "前三季度", "一季度", "上半年", "去年全年", "截至10月底", "近三年",
                                    "“十四五”以来", "10月份", "今年前10个月", "1—11月"])
def test_a_period_is_kept_as_written(period):
    for text in (f"本报讯 {period}，缙云县公安局化解纠纷356起。", f"本报讯 缙云县公安局{period}化解纠纷356起。"):
        _, rows = extract_text(text, "p.txt", BULLETIN, Meta())
        assert rows[0]["period"] == period, text


def test_period_opening_a_sentence_carries_to_the_section():
    text = ("标题在此\n\n通讯员 某某\n\n去年以来,丽水公安深化“跨界共融”警务,形成工作合力。\n\n"
            "缙云公安完善区域警务协作,协同破案31起。")
    _, rows = extract_text(text, "d.txt", BULLETIN, Meta())
    assert rows[0]["period"] == "去年以来" and rows[0]["county_code"] == "331122"


def test_metric_and_mechanism():
    text = "莲都公安构建五位一体“碳警官”机制,督促73起破坏森林资源类案件嫌疑人补植复绿。"
    _, rows = extract_text(text, "e.txt", BULLETIN, Meta())
    assert rows[0]["category"] == "cases" and rows[0]["mechanism"] == "“碳警官”"
    assert rows[0]["initiative"] == "sida.shengtai"


def test_place_prefixed_headline_starts_an_article():
    text = ("平安指数位居前列\n\n本报讯 常山县公安局今年以来化解纠纷1573起。\n\n"
            "宁波北仑：“海上枫桥”守护渔区平安\n\n北仑区公安分局梅山派出所今年已调处涉海涉渔纠纷86起。")
    arts, rows = extract_text(text, "f.txt", BULLETIN, Meta())
    assert [a["title"] for a in arts] == ["平安指数位居前列", "宁波北仑：“海上枫桥”守护渔区平安"]
    assert [(r["article"], r["county_code"]) for r in rows] == [(1, "330822"), (2, "330206")]


def test_metadata_lines_are_not_headlines():
    text = "湖州：交警护航“双节”平安\n\n发布时间：2024-10-09 来源：湖州日报\n\n长兴县公安局交警大队累计飞行86架次。"
    arts, rows = extract_text(text, "g.txt", BULLETIN, Meta())
    assert len(arts) == 1 and rows[0]["metric"] == "drone_flights"


def test_self_reference_in_a_county_outlet():
    """我局/我县 in a county outlet's own news mean the manifest region."""
    text = "今年以来，我局共破获刑事案件218起，全县刑事警情同比下降18.3%。"
    _, rows = extract_text(text, "h.txt", BULLETIN, Meta(region="缙云县"))
    assert [(r["raw"], r["county_code"], r["metric"]) for r in rows] == [
        ("218起", "331122", "cases_solved"), ("18.3%", "331122", "criminal_incidents_change")]


def test_head_of_a_compound_noun_names_the_metric():
    _, rows = extract_text("缙云县公安局电诈发案同比下降31.2%、损失金额同比下降26.8%。", "i.txt", BULLETIN, Meta())
    assert [r["metric"] for r in rows] == ["fraud_cases_change", "fraud_losses_change"]
    _, rows = extract_text("缙云县道路交通事故死亡人数同比下降22.7%。", "i.txt", BULLETIN, Meta())
    assert rows[0]["metric"] == "traffic_deaths_change"
    _, rows = extract_text("黄岩区公安分局全区电诈警情数同比下降41.3%。", "i.txt", BULLETIN, Meta())
    assert rows[0]["metric"] == "fraud_cases_change"  # overlapping words are one word


@pytest.mark.parametrize("text, raw, metric", [
    # a catch-all head noun (警情, 发案) takes its meaning from the word before it
    ("龙泉市公安局共接报电信网络诈骗警情136起。", "136起", "fraud_cases"),
    ("海宁市公安局电信网络诈骗发案数同比下降18.6%。", "18.6%", "fraud_cases_change"),
    ("莲都区公安分局建成智安小区86个，小区发案率下降52%。", "52%", "criminal_incidents_change"),
    ("平湖市公安局今年刑事发案同比下降9.5%。", "9.5%", "criminal_incidents_change"),
    # the figure's own clause first: the long word one comma back does not outscore it
    ("丽水市公安局抓获犯罪嫌疑人3150名，其中电诈案件破案数同比上升35%。", "35%", "cases_solved_change"),
    ("武义县公安局破获电诈案件210起，同比上升26%。", "26%", "fraud_cases_change"),
    # a verb before the number says more than the bare noun counted
    ("松阳县消防救援大队检查九小场所2300余家。", "2300余家", "fire_inspections"),
    ("长兴县公安局走访辖区企业460家。", "460家", "visits"),
    ("安吉县公安局建成智安小区42个。", "42个", "communities_covered"),
    ("吴兴区公安分局反诈中心见面劝阻群众1.1万人次。", "1.1万人次", "fraud_interceptions"),
    ("温州市消防救援支队营救被困人员860人，疏散群众4200余人。", "4200余人", "rescues"),
    ("缙云县公安局开展反诈宣传，覆盖群众5万人次。", "5万人次", "people_reached"),
    ("青田县公安局今年追赃挽损逾百万元。", "逾百万元", "fraud_losses_recovered"),
    ("缙云县公安局今年破案数增长一倍。", "一倍", "cases_solved_change"),
    ("缙云县公安局拦截涉诈资金转账860余笔。", "860余笔", "fraud_interceptions"),
    ("缙云县公安局今年共查获违法车辆120辆次。", "120辆次", "traffic_violations"),
    # a word two fields share (死亡) goes to the field the sentence is about
    ("今年1-10月，全市共发生火灾1042起，死亡2人，受伤5人，直接财产损失860万元。", "2人", "fire_casualties"),
    ("今年1-10月，全市共发生火灾1042起，死亡2人，受伤5人，直接财产损失860万元。", "860万元", "fire_property_losses"),
    ("今年全县道路交通事故死亡12人。", "12人", "traffic_deaths"),
    # 接警: a police bureau's are incidents, a fire brigade's are rescue call-outs
    ("缙云县公安局110接警量同比上升5.2%，日均接警156起。", "156起", "incidents_total"),
    ("缙云县消防救援大队今年接警1236起。", "1236起", "rescues"),
    ("缙云县公安局电诈案件挽损率超九成。", "超九成", "fraud_recovery_rate"),
    ("缙云县公安局今年前三季度共查处毒驾12起。", "12起", "traffic_violations"),
    ("缙云县公安局出动警力共计1200人次、车辆300辆次。", "300辆次", "police_deployed"),
    ("缙云县公安局打掉犯罪团伙9个，抓获犯罪嫌疑人126名，涉案金额1,234.5万元。", "1,234.5万元", "case_money"),
    ("缙云县公安局今年电信网络诈骗案件涉案金额2300万元。", "2300万元", "fraud_losses"),
    # money a case involved is not money recovered, unless a verb says so
    ("青田县公安局破获跨境赌博案件7起，涉案资金逾2亿元。", "逾2亿元", "case_money"),
    ("缙云县公安局破获网络赌博案件12起，涉赌资金流水5亿余元。", "5亿余元", "case_money"),
    ("缙云县公安局今年冻结涉案资金3200万元。", "3200万元", "fraud_losses_recovered"),
    # a word inside an agency's name (交警大队) names who acted, not what was counted
    ("庆元县公安局交警大队在全县设立劝导站126个。", "126个", "persuasion_stations"),
    ("温岭市公安局横峰派出所今年以来组建巡逻队12支。", "12支", "patrol_teams"),
    # changes listed right after as many counts report each count's change, in order
    ("一季度，全市共发生亡人交通事故8起、死亡9人，同比分别下降27.3%、25%。", "25%", "traffic_deaths_change"),
    ("一季度，全市共发生亡人交通事故8起、死亡9人，同比分别下降27.3%、25%。", "27.3%", "traffic_accidents_change"),
    ("缙云县公安局破获电诈案件120起、抓获嫌疑人230人，分别上升15%、22%。", "22%", "arrests_change"),
    # a paired list one clause back: 发案数和损失金额实现“双下降”，分别下降21%、35%
    ("缙云县公安局电诈案件发案数和损失金额实现“双下降”，分别下降21%、35%。", "21%", "fraud_cases_change"),
    ("缙云县公安局电诈案件发案数和损失金额实现“双下降”，分别下降21%、35%。", "35%", "fraud_losses_change"),
    ("“27个村+8个社区”工作机制覆盖全镇。", "8个", "communities_covered"),
])
def test_metric_words(text, raw, metric):
    _, rows = extract_text(text, "m.txt", BULLETIN, Meta())
    got = {r["raw"]: r["metric"] for r in rows}
    assert got.get(raw) == metric, got


def test_a_column_label_above_body_text_opens_that_countys_item():
    text = ("全市公安工作综述\n\n本报讯 今年以来，丽水市公安局共化解矛盾纠纷8600余起。\n\n"
            "龙泉：\n剑池派出所推行“警格+网格”融合，今年以来化解邻里纠纷520余起。\n")
    arts, rows = extract_text(text, "l.txt", BULLETIN, Meta())
    assert [(r["raw"], r["article"], r["county_code"], r["city_code"]) for r in rows] == [
        ("8600余起", 1, None, "331100"), ("520余起", 2, "331181", "331100")]
    assert arts[1]["region"] == "龙泉"


def test_headline_names_the_subject_when_the_lead_does_not():
    text = "缙云公安：山区共治见成效\n\n通讯员 某某\n\n今年以来，共化解矛盾纠纷1200余起。"
    _, rows = extract_text(text, "j.txt", BULLETIN, Meta())
    assert rows[0]["county_code"] == "331122" and rows[0]["agency"] == "缙云公安"


def test_fronted_period_scopes_over_the_sentence_and_section():
    text = ("嘉兴公安一季度成绩单\n\n本报讯（记者 王某）4月8日，记者从嘉兴市公安局获悉，一季度，全市刑事案件"
            "立案数1245起；破案数876起。\n\n全市公安机关共抓获犯罪嫌疑人1862名。")
    _, rows = extract_text(text, "k.txt", BULLETIN, Meta())
    assert [(r["raw"], r["period"]) for r in rows] == [("1245起", "一季度"), ("876起", "一季度"),
                                                       ("1862名", "一季度")]
    assert [r["metric"] for r in rows] == ["criminal_cases", "cases_solved", "arrests"]


def test_a_wide_gap_starts_a_new_article_and_an_unnamed_place_stays_unknown():
    """No byline anywhere: the wider gap above 江山如画 says a new article starts, so the
    previous article's county does not leak into it; 江山 and 天台 as words name no place."""
    text = ("江苏昆山：警企联动护航营商环境\n\n本报讯 今年以来，昆山市公安局走访企业3200余家。\n\n\n"
            "长春社区里的“平安管家”\n\n义乌市公安局稠城派出所在长春社区设立警务室1个。\n\n\n"
            "江山如画 平安为底\n\n站在江山之巅俯瞰，天台上挂满彩灯。当地公安今年共开展夜间巡逻900余次。\n")
    arts, rows = extract_text(text, "l.txt", BULLETIN, Meta())
    assert len(arts) == 3
    assert [(r["article"], r["county_code"]) for r in rows] == [(1, "320583"), (2, "330782"), (3, None)]


def test_a_case_story_keeps_its_arrests_but_not_its_scene_details():
    text = ("标题在此\n\n通讯员 某某\n\n本报讯 10月3日晚，市民李女士报警称其住所被盗。民警追出500米将嫌疑人抓获，"
            "现场缴获手机2部、现金3000元。\n\n缙云县公安局组织警力连夜行动，一举抓获嫌疑人3名。")
    _, rows = extract_text(text, "m.txt", BULLETIN, Meta())
    assert [(r["raw"], r["metric"]) for r in rows] == [("3名", "arrests")]


def test_a_rescue_story_is_not_a_tally_but_the_stations_record_is():
    text = ("民警进山寻人\n\n本报讯 3月28日晚，松阳县公安局古市派出所接到群众报警，称一名老人走失。"
            "该所立即组织民警、辅警12人，联合蓝天救援队20余名队员进山搜寻。"
            "今年以来，该所已成功救助走失群众9人。")
    _, rows = extract_text(text, "r.txt", BULLETIN, Meta())
    assert [(r["raw"], r["county_code"]) for r in rows] == [("9人", "331124")]


def test_a_byline_with_anonymised_names_is_not_a_case_story():
    text = ("一季度治安形势\n\n本报讯（记者 王某 通讯员 李某）4月8日，记者从嘉兴市公安局获悉，一季度，"
            "全市刑事案件立案数1245起，同比下降15.6%；破案数876起，同比上升8.9%。")
    _, rows = extract_text(text, "b.txt", BULLETIN, Meta())
    assert [r["raw"] for r in rows] == ["1245起", "15.6%", "876起", "8.9%"]


def test_web_page_furniture_is_not_a_figure():
    text = ("首页 | 新闻中心 | 警务公开\n\n缙云公安化解纠纷1200余起\n\n发布时间：2024-10-09 浏览次数：3456次\n\n"
            "本报讯 今年以来，缙云县公安局化解矛盾纠纷1200余起。\n\n阅读量：1.2万 点赞：356次\n"
            "Copyright 2024 浙ICP备12345678号 电话：0578-3123456\n")
    _, rows = extract_text(text, "n.html", BULLETIN, Meta())
    # the headline's figure is a report too, and joins the body's (same period: one fact)
    assert [(r["raw"], r["county_code"], r["period"]) for r in rows] == [
        ("1200余起", "331122", "今年以来"), ("1200余起", "331122", "今年以来")]


def test_places_listed_in_order_pair_with_the_figures():
    text = "本报讯 莲都、缙云、遂昌公安分别化解纠纷3200起、6300起、3000起。"
    _, rows = extract_text(text, "o.txt", BULLETIN, Meta())
    assert [(r["raw"], r["county_code"]) for r in rows] == [
        ("3200起", "331102"), ("6300起", "331122"), ("3000起", "331123")]


def test_each_county_in_a_run_of_clauses_keeps_its_own_figure():
    # 和 inside 云和 is not a partner word: 景宁's figure is 景宁's, not the first county's
    text = "本报讯 今年以来，缙云公安化解纠纷6300余起，云和公安化解纠纷2100余起，景宁公安化解纠纷1800余起。"
    _, rows = extract_text(text, "k.txt", BULLETIN, Meta())
    assert [r["county_code"] for r in rows] == ["331122", "331125", "331127"]


def test_an_unresolved_bureau_keeps_its_figure_from_the_county_before():
    text = "本报讯 今年以来，定海公安化解纠纷1000余起，普陀公安化解纠纷1111余起。"
    _, rows = extract_text(text, "u.txt", BULLETIN, Meta())
    # two 普陀 in China (上海, 舟山) and no city given: no county, and never 定海's
    assert [(r["county_code"], r["agency"]) for r in rows] == [("330902", "定海公安"), (None, "普陀公安")]
    _, rows = extract_text(text, "u.txt", BULLETIN, Meta(region="舟山市"))
    assert [r["county_code"] for r in rows] == ["330902", "330903"]
    _, rows = extract_text("本报讯 缙云县化解纠纷1000余起，普陀区化解纠纷1111余起。", "u.txt", BULLETIN, Meta())
    assert [r["county_code"] for r in rows] == ["331122", None]


@pytest.mark.parametrize("form", ["{short}公安", "{name}公安局", "{short}警方", "{name}"])
def test_no_figure_takes_the_county_of_another_clauses_bureau(form):
    """Three Zhejiang bureaus in a row, each with its own clause: a figure gets its own
    county or none (a name shared with another province), never its neighbour's."""
    import random

    from etl import places

    counties = places.zhejiang_counties()
    rng = random.Random(7)
    wrong, resolved = [], 0
    for _ in range(120):
        trio = rng.sample(counties, 3)
        parts = [f"{form.format(short=c.short, name=c.name)}化解纠纷{1000 + i * 111}余起"
                 for i, c in enumerate(trio)]
        _, rows = extract_text("本报讯 今年以来，" + "，".join(parts) + "。", "t.txt", BULLETIN, Meta())
        assert len(rows) == 3
        for r, c in zip(rows, trio):
            if r["county_code"] is not None:
                resolved += 1
                if r["county_code"] != c.code:
                    wrong.append((c.short, r["county"], parts))
    assert not wrong, wrong[:3]
    assert resolved >= 300  # most names resolve; only duplicated ones stay open


LAYOUTS = {
    # how bulletins put several bureaus' results side by side; {i} numbers the figures
    "semicolons": lambda cs: "本报讯 " + "；".join(f"{c.short}公安化解纠纷{100 + i}起" for i, c in enumerate(cs)) + "。",
    "sentences": lambda cs: "本报讯 " + "".join(f"{c.name}公安局今年化解纠纷{100 + i}起。" for i, c in enumerate(cs)),
    "back-references": lambda cs: "本报讯 " + "".join(
        f"{c.name}公安局深化改革。该局今年化解纠纷{100 + i}起。" for i, c in enumerate(cs)),
    "a listed trio": lambda cs: "本报讯 " + "、".join(c.short for c in cs) + "三地公安分别化解纠纷"
    + "、".join(f"{100 + i}起" for i in range(len(cs))) + "。",
    "paragraph pairs": lambda cs: "\n\n".join(
        f"{c.name}公安局开展专项行动。\n\n民警今年共化解纠纷{100 + i}起。" for i, c in enumerate(cs)),
    "headlines": lambda cs: "\n\n\n".join(
        f"{c.short}公安：守护平安\n\n本报讯 今年以来，民警共化解纠纷{100 + i}起。" for i, c in enumerate(cs)),
    "在 a place": lambda cs: "本报讯 " + "".join(f"在{c.name}，公安机关今年化解纠纷{100 + i}起。" for i, c in enumerate(cs)),
    "stations": lambda cs: "本报讯 " + "".join(f"{c.name}公安局城关派出所今年化解纠纷{100 + i}起。" for i, c in enumerate(cs)),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_layout_gives_each_bureau_its_own_figures(layout):
    """Random trios of the 90 Zhejiang counties in each layout: every figure gets its own
    county, or none where the name is shared with another province (江北区, 普陀公安)."""
    import random

    from etl import places

    counties = places.zhejiang_counties()
    rng = random.Random(11)
    wrong, resolved, total = [], 0, 0
    for _ in range(60):
        trio = rng.sample(counties, 3)
        _, rows = extract_text(LAYOUTS[layout](trio), "l.txt", BULLETIN, Meta())
        assert [r["value"] for r in rows] == [100, 101, 102], layout
        for r, c in zip(rows, trio):
            total += 1
            if r["county_code"] is not None:
                resolved += 1
                if r["county_code"] != c.code:
                    wrong.append((c.short, r["county"]))
    assert not wrong, wrong[:5]
    assert resolved >= 0.85 * total


def test_a_partner_named_in_the_paragraph_before_does_not_take_the_figures():
    text = ("青田县公安局：侨乡平安\n\n本报讯 今年以来，青田县公安局深化警侨联动。\n\n"
            "该局与温州市公安局签订协作协议。\n\n民警今年共化解纠纷120起。")
    _, rows = extract_text(text, "q.txt", BULLETIN, Meta())
    assert [(r["raw"], r["county_code"]) for r in rows] == [("120起", "331121")]


def test_a_joint_result_belongs_to_the_articles_subject():
    text = ("跨区域警务协作结硕果\n\n本报讯 近日，丽水市公安局莲都区分局与金华市公安局婺城分局签订警务协作协议。"
            "协议签订以来，两地公安联合破获案件27起。")
    _, rows = extract_text(text, "j.txt", BULLETIN, Meta())
    assert [(r["raw"], r["county_code"]) for r in rows] == [("27起", "331102")]


def test_a_listed_place_counts_and_a_second_list_reuses_the_places():
    # 云和 alone is too often a word (白云和青山); after 缙云、 it is the next place listed
    text = "本报讯 缙云、云和两地公安分别组建义警队伍35支、28支，队员分别达到1200人、960人。"
    _, rows = extract_text(text, "p.txt", BULLETIN, Meta())
    assert [(r["raw"], r["county_code"]) for r in rows] == [
        ("35支", "331122"), ("28支", "331125"), ("1200人", "331122"), ("960人", "331125")]
    _, rows = extract_text("蓝天白云和青山之间，巡逻队伍35支。", "p.txt", BULLETIN, Meta())
    assert rows[0]["county_code"] is None
