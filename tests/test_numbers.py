"""Numbers and achievement claims: each rule pinned on the sentence of the seeds (or issue) that exposed it."""

import pandas as pd
import pytest

from tifa.stages.extract import achievement_rows, honour_names, reports_results
from tifa.text.numbers import chinese_value, find_quantities


def quantities(text):
    return [(q.value, q.value_num, q.scale, q.qualifier, q.unit, q.value_base) for q in find_quantities(text)]


def claims(text, doc_year=2022, situation=False, kinds=None):
    rows = achievement_rows("t", pd.Series({"text": text, "sent_id": 1}), doc_year, situation)
    return [r for r in rows if kinds is None or r["kind"] in kinds]


# ------------------------------------------------------------------ numbers.py
def test_multi_character_scales():
    assert quantities("全年为市场主体减负超过2.6万亿元") == [("2.6", 2.6, "万亿", "超过", "元", 2.6e12)]
    assert quantities("3.8万亿元")[0][-1] == 3.8e12 and quantities("5千万元")[0][-1] == 5e7


def test_chinese_numerals_with_scale():
    assert quantities("全省系统两万多名市场监管干部全员上班") == [("两", 2.0, "万", "多", "名", 20000.0)]
    assert quantities("国内生产总值从五十四万亿元增长到八十万亿元") == [
        ("五十四", 54.0, "万亿", "", "元", 54e12), ("八十", 80.0, "万亿", "", "元", 80e12)]
    assert [chinese_value(x) for x in ("十", "十三", "一千三百", "八百三十二", "两")] == [10, 13, 1300, 832, 2]


def test_two_digit_is_a_qualifier_not_a_count():
    (q,) = find_quantities("新设增幅首次突破两位数，在《政府工作报告》中得到充分表述")
    assert (q.value, q.value_num, q.unit, q.qualifier) == ("两位数", None, "", "两位数") and q.reason


@pytest.mark.parametrize("text", [
    "法治类文件和制度创全国系统“八个率先”",      # quoted numbered formula
    "对全年市场监管工作提出七个坚持的总体要求，部署了八个方面的重点任务",
    "从严落实中央八项规定及其实施细则", "市委十二届十二次全会强调", "查办一批大要典型案件",
    "持续深化“红色动能”五项行动，积极推进",
])
def test_counted_formulas_are_not_quantities(text):
    assert find_quantities(text) == []


def test_masked_total_before_daguan_is_read():
    assert quantities("我省市场主体总量突破×××万大关")[0][:5] == ("×××", None, "万", "", "")


# ------------------------------------------------------------ achievement rows
def test_chinese_numeral_claim_in_review():
    (row,) = claims("全省系统两万多名市场监管干部全员上班，通过蹲点批发市场")
    assert (row["kind"], row["value"], row["value_base"], row["unit"]) == ("count", "两", 20000.0, "名")


def test_honours_with_a_long_cue_one_row_each():
    text = ("××××、××××年度省局领导班子连续两年被评为“优秀”等次，省局先后获得“全国市场监管系统先进集体”"
            "“全国市场监管系统抗击新冠肺炎疫情先进集体”等荣誉；")
    assert [r["indicator"] for r in claims(text, kinds={"honour"})] == [
        "“优秀”等次", "“全国市场监管系统先进集体”", "“全国市场监管系统抗击新冠肺炎疫情先进集体”"]


def test_baoji_six_honours_are_six_rows():
    text = ("我局2次代表全省迎接国家检查，年内先后获评全国市场监管系统抗击新冠肺炎疫情先进集体、全国市场监管系统扫黑除恶专项斗争"
            "工作成绩突出集体、全国食品安全工作先进集体、全国“小个专”党建工作表现突出先进集体、全国消协组织先进集体和全省优化提升营商环境先进单位。")
    names = [r["indicator"] for r in claims(text, kinds={"honour"})]
    assert len(names) == 6 and names[3] == "全国“小个专”党建工作表现突出先进集体" and names[5] == "全省优化提升营商环境先进单位"
    assert honour_names("全国非公经济党组织“发挥实质性作用”最佳实践案例和最佳创新案例，") == [
        "全国非公经济党组织“发挥实质性作用”最佳实践案例", "最佳创新案例"]


def test_listed_as_a_typical_case_is_an_honour():
    text = "金昌“一站式”服务模式被总局列入全国为民办实事典型案例进行宣传推广。"
    assert [r["indicator"] for r in claims(text, kinds={"honour"})] == ["全国为民办实事典型案例"]


def test_prize_level_is_part_of_the_name():
    text = "我省在全国系统市场主体数据分析大赛中勇夺全国“三等奖”，成为西北五省唯一获奖队伍。"
    assert [(r["kind"], r["indicator"]) for r in claims(text)] == [("honour", "全国“三等奖”"), ("rank", "唯一")]


def test_a_counted_honour_is_one_count():
    text = "指导巨成钛业、中铁宝桥2户企业申报中国质量奖，全市8个品牌入选2021年中国品牌价值榜单。"
    assert [r["kind"] for r in claims(text)] == ["count", "count"]


@pytest.mark.parametrize("text", ["省政府×省长上任伊始的第一次省政府党组会研究部署食品药品安全工作。",
                                  "按时完成了第一、第二轮中央生态环境保护督察反馈问题整改任务，得到了省整改办肯定。",
                                  "基层是市场监管的第一线和战斗力的基础。"])
def test_ordinals_are_not_ranks(text):
    assert claims(text, kinds={"rank"}) == []


def test_ranks_one_per_claim():
    assert [r["indicator"] for r in claims("成为全国第八家、西北第一家省级知识产权保护中心，")] == ["全国第八", "第一"]
    assert [r["indicator"] for r in claims("每万人口有效发明专利拥有量达4.67件，居全省地级市第一。", kinds={"rank"})] == ["居全省地级市第一"]


def test_a_ceiling_is_not_an_achievement():
    text = "特别是针对蔬菜涨价的问题，省局高度重视，强力推进，研究出台商品进销差率不应超过××%的指导意见，健全完善价格动态监测机制"
    assert claims(text) == []


def test_year_from_the_text_else_the_rule():
    text = "指导巨成钛业、中铁宝桥2户企业申报中国质量奖，全市8个品牌入选2021年中国品牌价值榜单。"
    rows = claims(text, doc_year=2023)
    assert [(r["year"], r["year_source"]) for r in rows] == [(2021, "text"), (2021, "text")]
    assert [(r["year"], r["year_source"]) for r in claims("查办案件886起。", doc_year=2023)] == [(2022, "rule")]


def test_situation_sentences_that_report_results():
    current = "从横向工作推进看，当前，我省市场主体总量突破×××万大关，每万人口发明专利拥有量为×.××件，全省商标有效注册量××.××万件，各项指标呈现稳中有进、稳中向好的态势。"
    assert reports_results(current)
    assert [(r["value"], r["unit"]) for r in claims(current, situation=True)] == [("×××", ""), ("×.××", "件"), ("××.××", "件")]
    assert not reports_results("但横向与兄弟省份相比，广东省市场主体总量已突破××××万户，占到全国市场主体的×/××；")
    praise = ("省十三届人大六次会议上，对我局“建成西北首家省级知识产权保护中心”“获批国家首个全省域道地中药材产地加工试点”"
              "“市场主体总量突破×××万户”等工作在省政府工作报告中予以充分肯定，在部署今年重点任务中明确要“建成生物制品批签发中心”。")
    assert [(r["kind"], r["indicator"] if r["kind"] == "rank" else r["value"]) for r in claims(praise, situation=True)] == [
        ("count", "×××"), ("rank", "首家"), ("rank", "首个")]
