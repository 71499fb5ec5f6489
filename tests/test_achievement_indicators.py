"""The counted object of an achievement: extracted from the noun after a classifier where the words before
cannot be it, and validated one-to-one against the hand coding beside value and unit."""

import pandas as pd
import pytest

from tifa.stages.extract import achievement_rows
from tifa.validation.extraction import INDICATOR_DICE, indicator_similarity, same_indicator


def indicators(text: str) -> list[tuple[str, str, str]]:
    rows = achievement_rows("d", pd.Series({"text": text, "sent_id": 1}), 2022)
    return [(r["kind"], r["value"], r["indicator"]) for r in rows]


def test_noun_after_a_classifier_after_a_preposition_or_coordinator():  # gansu s0044
    assert indicators("积极开展公平竞争审查评估，对××个省级成员单位和×个市州政府开展第三方评估，促进了审查质量提升。") == [
        ("count", "××", "省级成员单位"), ("count", "×", "市州政府")]


def test_noun_after_a_classifier_after_dui():  # gansu s0077
    assert indicators("对××家小微企业实施“一企一策”精准提升工程。")[0] == ("count", "××", "小微企业")


def test_noun_after_a_classifier_that_follows_another_number():  # gansu s0117
    assert indicators("全省××个总仓接收来自××个国家的冷链食品×.××万吨，出仓×.×万吨。")[:2] == [
        ("count", "××", "总仓"), ("count", "××", "国家")]


def test_words_before_the_number_stay_when_no_noun_follows():
    assert indicators("年内办理食品生产许可169家次，")[0] == ("count", "169", "办理食品生产许可")
    assert indicators("全市8个品牌入选2021年中国品牌价值榜单。")[0] == ("count", "8", "品牌")


def test_first_tier_is_not_first_place():  # gansu s0024
    assert ("rank", "", "全国第一梯队") in indicators("制式服装配发工作跨入全国第一梯队，")


@pytest.mark.parametrize("hand, auto, similarity, ok", [
    ("公平竞争审查第三方评估省级成员单位", "对", 0.0, False),
    ("公平竞争审查第三方评估市州政府", "省级成员单位和", 0.0, False),
    ("制式服装配发工作全国第一梯队", "全国第一", 0.375, False),  # a truncation does not pass
    ("制式服装配发工作全国第一梯队", "全国第一梯队", 0.5556, True),
    ("查办案件（市本级）", "查办案件", 1.0, True),  # the coder's bracketed note is dropped
    ("总仓接收冷链食品", "国家的冷链食品", 0.4615, True),
])
def test_indicator_matching_rule(hand, auto, similarity, ok):
    assert indicator_similarity(hand, auto) == similarity
    assert same_indicator(hand, auto) is ok
    assert INDICATOR_DICE == 0.4


def test_indicator_accuracy_is_reported_beside_recall(built):
    v = built["achievement_validation"].set_index(["sample", "claim_type"])
    row = v.loc[("in-sample", "all")]
    per_claim = built["achievement_recall"]
    per_claim = per_claim[per_claim["round"] == 1]
    assert row["n_indicator_right"] == int(per_claim["indicator_ok"].fillna(False).astype(bool).sum())
    assert row["indicator_accuracy"] == round(row["n_indicator_right"] / row["n_matched"], 4)
    assert row["indicator_ci_low"] < row["indicator_accuracy"] < row["indicator_ci_high"]
    fixed = per_claim.set_index("achievement_id").loc[["gansu-2022-speech-s0044-1", "gansu-2022-speech-s0077-1",
                                                       "gansu-2022-speech-s0024-3"]]
    assert fixed["indicator_auto"].tolist() == ["省级成员单位", "小微企业", "全国第一梯队"]
    assert fixed["indicator_ok"].astype(bool).tolist() == [True, True, True]
