"""Priorities, targets and achievements: exact rows for known passages of the seeds."""

import warnings

import pytest

from tifa.config import DATA_RAW
from tifa.stages.extract import code_domain, priorities, responsible_units, section_roles
from tifa.inputs.load import read_codebook, tokenizer
from tifa.text.numbers import find_quantities
from tifa.text.structure import structure


def test_section_roles(built):
    roles = built["sections"].groupby("doc_id")["role"].apply(list).to_dict()
    assert roles["gansu-2022-speech"] == ["preamble", "review", "situation", "plan"]
    assert roles["baoji-2022-speech"] == ["preamble", "review", "situation", "plan"]
    assert roles["wuchang-2023-plan"] == ["preamble", "situation", "plan", "requirements"]
    assert roles["city-2023-vicemayor-speech"] == ["preamble"] + ["plan"] * 4
    assert roles["weinan-2023-plan"] == ["preamble"] + ["plan"] * 7


def test_priority_counts(built):
    tasks = built["priorities"].query("role == 'task'")
    n = tasks.groupby("doc_id").size().to_dict()
    assert n == {"gansu-2022-speech": 21, "baoji-2022-speech": 22, "weinan-2023-plan": 13,
                 "city-2023-vicemayor-speech": 6, "wuchang-2023-plan": 20}
    assert tasks["item_id"].str.match(r".*-p\d\d$").all()


def test_requirement_items_have_their_own_role(built):
    """Issue 12: 一要…六要 outside plan sections and 工作要求 items were silently outside attention.
    They are now rows with role `requirement` (ids -rNN), so the 82 tasks keep their ids."""
    req = built["priorities"].query("role == 'requirement'").set_index("item_id")
    assert req.groupby("doc_id").size().to_dict() == {"gansu-2022-speech": 6, "wuchang-2023-plan": 3}
    assert req.at["gansu-2022-speech-r01", "title"] == "更加注重政策研究"  # part 二 (situation): 一要…六要
    assert req.at["gansu-2022-speech-r01", "marker"] == "一要"
    assert req.at["wuchang-2023-plan-r01", "title"] == "高度重视，抓紧制订工作计划"  # 三、工作要求 1.


def test_no_seed_priority_is_rejected(built):
    assert built["priority_rejections"].empty


def test_priority_titles(built):
    p = built["priorities"].set_index("item_id")
    assert p.at["wuchang-2023-plan-p07", "title"] == "筑牢食品安全防线"
    assert p.at["weinan-2023-plan-p06", "title"] == "守好安全底线"
    assert p.at["baoji-2022-speech-p01", "title"] == "提升食品安全水平"
    assert p.at["gansu-2022-speech-p01", "title"] == "强化政治理论学习"
    assert p.at["city-2023-vicemayor-speech-p04", "title"] == "全力以赴筑牢安全防线"


def test_priorities_join_the_outline(built):
    keys = set(zip(built["outline"]["doc_id"], built["outline"]["node_id"]))
    assert all((r.doc_id, r.node_id) in keys for r in built["priorities"].itertuples())


def test_wuchang_units(built):
    p = built["priorities"].set_index("item_id")
    assert p.at["wuchang-2023-plan-p07", "lead_units"] == "协调科;食品科;餐饮科;消保科"
    assert p.at["wuchang-2023-plan-p07", "responsible_units"] == "各相关科室;各市场监管所;检测中心"
    assert p.at["wuchang-2023-plan-p01", "lead_units"] == "党建科;组织人事科"
    assert built["priorities"].query("doc_id == 'wuchang-2023-plan' and role == 'task'")["lead_units"].ne("").all()


def test_units_split_on_ji_qita():
    assert responsible_units("（牵头单位：人事科；责任单位：消保科、市场主体科及其他监管业务科室）") == (
        "人事科", "消保科;市场主体科;其他监管业务科室")


def test_targets(built):
    t = built["targets"]
    row = t[t["value"] == "3,900"].iloc[0]
    assert (row.item_id, row.value_num, row.unit, row.comparator) == ("wuchang-2023-plan-p07", 3900.0, "批次", "=")
    eight = t[(t["item_id"] == "wuchang-2023-plan-p04") & (t["value"] == "8")].iloc[0]
    assert (eight.comparator, eight.unit, eight.period) == (">=", "篇", "全年")
    seventy = t[t["text"].str.contains("70%以上")].iloc[0]
    assert (seventy.comparator, seventy.value_num, seventy.unit) == (">=", 70.0, "%")
    monthly = t[t["text"].str.contains("每月至少报送1篇")].iloc[0]
    assert (monthly.comparator, monthly.period) == (">=", "每月")


def test_numbers_in_plan_sections_are_not_achievements(built):
    a = built["achievements"]
    plan = built["sections"].query("role == 'plan'")[["doc_id", "section_id"]]
    assert a.merge(plan, on=["doc_id", "section_id"]).empty


def claim(built, doc_id, value, unit):
    a = built["achievements"]
    rows = a[(a["doc_id"] == doc_id) & (a["value"] == value) & (a["unit"] == unit)]
    assert len(rows) >= 1, (doc_id, value, unit)
    return rows.iloc[0]


def test_baoji_cases_and_fines(built):
    cases = claim(built, "baoji-2022-speech", "886", "起")
    assert (cases.kind, cases.value_num, cases.indicator, cases.year) == ("count", 886.0, "查办案件", 2021)
    fines = claim(built, "baoji-2022-speech", "1451", "元")
    assert (fines.kind, fines.scale, fines.value_num, fines.value_base, fines.indicator) == (
        "money", "万", 1451.0, 14_510_000.0, "罚没款")
    assert claim(built, "baoji-2022-speech", "5600", "人次").qualifier == "余"
    assert claim(built, "baoji-2022-speech", "99.27", "%").kind == "percent"


def test_gansu_masked_percent_is_kept_without_a_value(built):
    a = built["achievements"]
    masked = a[(a["doc_id"] == "gansu-2022-speech") & (a["value"] == "××.××") & (a["unit"] == "%")]
    assert len(masked) >= 3
    assert masked["masked"].all() and masked["value_num"].isna().all()
    assert (masked["reason"] == "masked in the source").all()


def test_change_rows_link_to_their_indicator(built):
    a = built["achievements"].set_index("achievement_id")
    changes = a[(a["kind"] == "change") & (a["linked_to"].fillna("") != "")]
    assert len(changes) >= 5
    for row in changes.itertuples():
        assert a.at[row.linked_to, "indicator"] == row.indicator
    # 同比分别增长××.×%、××.×%: one change per preceding claim
    sent = a[a["text"].str.contains("同比分别增长")]
    linked = sent[sent["kind"] == "change"]["linked_to"].tolist()
    assert len(linked) == 2 and linked[0] != linked[1]


def test_honours_and_ranks(built):
    a = built["achievements"]
    baoji = a[a["doc_id"] == "baoji-2022-speech"]
    assert baoji[baoji["claim"].str.contains("我局获评全国食品安全工作先进集体")]["kind"].tolist() == ["honour"]
    assert "rank" in set(baoji[baoji["claim"].str.contains("居全省地级市第一")]["kind"])


def test_quantity_parser():
    q = find_quantities("配合完成核酸抽样检测31万余份，热线12315，2023年4月27日，第3届")
    assert [(x.value, x.scale, x.qualifier, x.unit) for x in q] == [("31", "万", "余", "份")]


def test_unreadable_value_is_kept_with_reason():
    q = find_quantities("新设市场主体××.××万户")[0]
    assert q.masked and q.value_num is None and q.reason == "masked in the source" and q.unit == "户"


def test_plan_without_enumeration_yields_paragraph_priorities_with_warning():
    text = "一、2022年工作回顾\n去年查办案件10起。\n二、2023年重点任务\n加强食品安全监管。\n推进质量强市建设。\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outline, sentences = structure("t", text)
    sections = section_roles("t", text, outline, 2023)
    assert sections["role"].tolist() == ["preamble", "review", "plan"]
    with pytest.warns(UserWarning, match="no enumerated items"):
        items, _ = priorities("t", text, outline, sections, sentences, read_codebook(DATA_RAW), tokenizer(DATA_RAW))
    assert items["title"].tolist() == ["加强食品安全监管", "推进质量强市建设"]


def test_domain_coder():
    coding = read_codebook(DATA_RAW), tokenizer(DATA_RAW)
    assert code_domain("筑牢食品安全防线", "加强校园食品安全监管", *coding)[0] == "food_safety"
    assert code_domain("加强工作", "做好各项工作", *coding)[0] == "other"


def test_domain_ties_follow_title_words(built):
    """Issue 12: these two were coded by position (pandemic_control, price_fee); the hand codes agree
    with the title-first rule (tests/test_layouts.py has the sentences)."""
    p = built["priorities"].set_index("item_id")
    assert p.at["gansu-2022-speech-p05", "domain"] == "business_environment_registration"
    assert p.at["wuchang-2023-plan-p13", "domain"] == "consumer_protection"
