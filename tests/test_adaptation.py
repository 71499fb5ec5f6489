"""Adaptation typed on normal forms: writing differences are not adaptations; real ones are typed."""

import pytest

from tifa import schemas
from tifa.config import DATA_RAW
from tifa.stages import frames
from tifa.stages.frames import adaptation, compiled_patterns, detect, normal_form, read_lexicon

PATTERNS = compiled_patterns(read_lexicon(DATA_RAW / "lexicon" / "formulations.csv"))


def found(text):
    return [(h["formulation_id"], h["surface"], h["match"], h["adaptation"]) for h in detect(text, PATTERNS)]


def test_normal_form_drops_dashes_commas_and_year_ranges():
    assert normal_form("计量发展规划（2021-2035年）") == normal_form("计量发展规划（2021—2035年）") == "计量发展规划"
    assert normal_form("踏石留印、抓铁有痕") == "踏石留印抓铁有痕"
    assert normal_form("“大市场、大质量、大监管”") == "大市场大质量大监管"


@pytest.mark.parametrize("text, expected", [
    ("制定计量发展规划（2021-2035年）", [("metrology_development_plan", "计量发展规划（2021-2035年）", "exact", "")]),
    ("以踏石留印抓铁有痕的劲头", [("tread_stone_grasp_iron", "踏石留印抓铁有痕", "exact", "")]),
    ("把工作的着力点聚焦到“国之大者”“省之大要”上来",
     [("guo_zhi_da_zhe", "国之大者", "exact", ""), ("guo_zhi_da_zhe", "省之大要", "variant", "tier_substitution")]),
    ("研究编制我省标准化发展纲要。",
     [("national_standardization_outline", "我省标准化发展纲要", "variant", "tier_substitution")]),
    ("营造“不敢违法、不能违法、不想违法”的效果",
     [("dare_not_cannot_want_not", "不敢违法、不能违法、不想违法", "variant", "extension")]),
    ("以史为鉴、开创未来，埋头苦干、勇毅前行，",
     [("learn_from_history_create_future", "以史为鉴、开创未来", "exact", ""),
      ("work_hard_forge_ahead", "埋头苦干、勇毅前行", "exact", "")]),
    ("踔厉奋发、勇毅前行，", [("forge_ahead_courageously", "踔厉奋发、勇毅前行", "exact", "")]),
    ("包保食品企业", [("food_safety_baobao", "包保食品企业", "variant", "substituted")]),
])
def test_detected_and_typed(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("surface, canonical, kind", [
    ("质量强省", "质量强国", "tier_substitution"),
    ("百年变局", "百年未有之大变局", "shortened"),
    ("模范政治机关", "模范机关", "expanded"),
    ("量的合理增长和质的有效提升", "质的有效提升和量的合理增长", "reordered"),
    ("巡视巡察后半篇文章", "巡视整改后半篇文章", "substituted"),
    ("法治市场监管建设实施纲要", "法治市场监管建设实施纲要（2021—2025年）", ""),
])
def test_variant_types(surface, canonical, kind):
    assert adaptation(surface, canonical, "variant") == kind


def test_adaptation_types_agree_with_the_schema():
    assert frames.ADAPTATION_TYPES == schemas.ADAPTATION_TYPES


def level_cell(built, fid, level):
    f = built["frame_by_level"]
    return f[(f["formulation_id"] == fid) & (f["level"] == level)].iloc[0]


def test_writing_differences_are_verbatim_at_their_level(built):
    assert level_cell(built, "metrology_development_plan", "municipal")["status"] == "verbatim"
    assert level_cell(built, "tread_stone_grasp_iron", "municipal")["status"] == "verbatim"
    assert level_cell(built, "rule_of_law_market_regulation_outline", "provincial")["status"] == "verbatim"
    cell = level_cell(built, "dare_not_cannot_want_not", "provincial")
    assert (cell["status"], cell["adaptation_types"], cell["surfaces"]) == ("adapted", "extension", "不敢违法、不能违法、不想违法")


def test_lumped_rows_are_split(built):
    h = built["frame_hits"]
    gansu127 = h[(h["doc_id"] == "gansu-2022-speech") & (h["sent_id"] == 127)]
    assert "work_hard_forge_ahead" in set(gansu127["formulation_id"])
    assert "forge_ahead_act_tirelessly" not in set(gansu127["formulation_id"])
    wuchang = h[(h["doc_id"] == "wuchang-2023-plan") & h["formulation_id"].str.startswith("food_safety_")]
    assert sorted(wuchang["formulation_id"]) == ["food_safety_baobao", "food_safety_daily_weekly_monthly",
                                                 "food_safety_director_officer"]
