"""Clause-level credit: a formulation hit is credited only inside the scope of an authority's speech act."""

import pandas as pd
import pytest

from tifa.config import DATA_RAW
from tifa.stages.frames import attribution_rows, compiled_patterns, detect, hit_credit, read_lexicon

PATTERNS = compiled_patterns(read_lexicon(DATA_RAW / "lexicon" / "formulations.csv"))


def credits(text: str, level: str = "provincial", issuer: str = "甘肃省市场监督管理局") -> list[tuple[str, str]]:
    """(surface, credited authorities) of every hit in one sentence."""
    rows = attribution_rows("d", pd.DataFrame({"sent_id": [1], "text": [text], "start": [0]}), level, issuer)
    return [(h["surface"], hit_credit(h, rows)["attributed_to"]) for h in detect(text, PATTERNS)]


def hits_of(built, doc_id, sent_id):
    h = built["frame_hits"]
    h = h[(h["doc_id"] == doc_id) & (h["sent_id"] == sent_id)].fillna({"attributed_to": "", "sentence_credit": ""})
    return h


def test_gansu_s2_meeting_guidance_is_credited_to_nobody(built):
    # only 对×重要讲话和指示精神 is Xi's, and no formulation lies in it
    h = hits_of(built, "gansu-2022-speech", 2)
    assert h["surface"].tolist() == ["习近平新时代中国特色社会主义思想", "党的十九大和十九届历次全会精神", "守正创新", "稳中求进"]
    assert h["attributed_to"].tolist() == ["", "", "", ""]
    assert set(h["sentence_credit"]) == {"习近平总书记"}
    assert h["credit_scope_start"].isna().all()


def test_gansu_s190_ten_hits_credited_to_nobody(built):
    h = hits_of(built, "gansu-2022-speech", 190)
    assert len(h) == 10
    assert (h["attributed_to"] == "").all()
    assert set(h["sentence_credit"]) == {"习近平总书记;省委"}


def test_baoji_s70_only_the_subject_of_is_the_requirement(built):
    h = hits_of(built, "baoji-2022-speech", 70)
    credited = h[h["attributed_to"] != ""]
    assert credited[["surface", "attributed_to", "start"]].values.tolist() == [["推动高质量发展", "习近平总书记", 4377]]
    assert (int(credited["credit_scope_start"].iloc[0]), int(credited["credit_scope_end"].iloc[0])) == (4377, 4399)
    assert (h["attributed_to"] == "").sum() == 5  # 十四五, 质量强市, 质量提升行动, 新发展格局, 高质量发展


def test_baoji_s163_and_city_s15_loyalty_formulas_credited_to_nobody(built):
    b = hits_of(built, "baoji-2022-speech", 163)
    assert b["surface"].tolist() == ["两个确立", "两个维护", "政治领悟力、政治判断力和政治执行力"]
    assert (b["attributed_to"] == "").all() and (b["sentence_credit"] == "习近平总书记").all()
    c = hits_of(built, "city-2023-vicemayor-speech", 15)
    assert c["surface"].tolist() == ["两个确立", "四个意识", "四个自信", "两个维护"]
    assert (c["attributed_to"] == "").all() and (c["sentence_credit"] == "党中央;市委").all()


@pytest.mark.parametrize("text, expected", [
    # a verb of saying covers what it introduces, to the end of the sentence
    ("党的十九届六中全会强调，要强化市场监管和反垄断规制，防止资本无序扩张，维护市场秩序。",
     [("防止资本无序扩张", "党代会/全会")]),
    # a relative act covers its own clause only
    ("与总局提出的“大市场、大质量、大监管”理念不谋而合，推动高质量发展。",
     [("大市场、大质量、大监管", "市场监管总局"), ("推动高质量发展", "")]),
    # a speech noun covers its own clause: the quoted formula is Xi's, what follows is the speaker's
    ("深入贯彻习近平总书记“保护知识产权就是保护创新”的重要指示精神，推动高质量发展。",
     [("保护知识产权就是保护创新", "习近平总书记"), ("推动高质量发展", "")]),
    # praise (批示肯定) and 批示精神 credit the leader, not the city's own programme after them
    ("监管新机制受到赵一德省长批示肯定，我市事中事后监管入选全国法治政府建设示范项目。",
     [("事中事后监管", "")]),
])
def test_scope_by_construction(text, expected):
    assert credits(text) == expected
