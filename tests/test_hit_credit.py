"""Clause-level credit: a formulation hit is credited only inside the scope of an authority's speech act."""

import pandas as pd
import pytest

from tifa.config import DATA_RAW
from tifa.stages.frames import attribution_rows, compiled_patterns, detect, hit_credit, read_lexicon, without_quotes

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


# ------------------------------------------------------------ scoring a blind coding
def test_hit_credit_scoring_on_a_synthetic_coded_file(tmp_path):
    from tifa.inputs.load import read_annotation
    from tifa.validation.framing import hit_credit_accuracy, hit_credit_by_hit

    hits = pd.DataFrame({"doc_id": ["d"] * 4, "start": [10, 30, 50, 70], "end": [14, 34, 54, 74],
                         "attributed_to": ["习近平总书记", "党中央;省委", "", ""]})
    sentence = "习近平总书记强调，要坚持守正创新。"
    coded = pd.DataFrame({
        "hit_id": ["d:10-14", "d:30-34", "d:50-54", "d:70-74", "d:90-94"], "doc_id": "d", "sent_id": [1, 2, 3, 4, 5],
        "start": [10, 30, 50, 70, 90], "end": [14, 34, 54, 74, 94], "surface": "守正创新",
        "hit_start_in_sentence": 12, "hit_end_in_sentence": 16, "sentence": sentence,
        "sentence_marked": "习近平总书记强调，要坚持【守正创新】。",
        # right; one authority of two (wrong); right (nobody); coder credits, rules do not (wrong); hit gone (wrong)
        "credits_someone": ["true", "true", "false", "true", "false"],
        "authority": ["总书记", "中央", "", "省委", ""], "coder": "language-model coder", "notes": ""})
    path = tmp_path / "hit_credit_coded.csv"
    coded.to_csv(path, index=False)
    by_hit = hit_credit_by_hit(hits, read_annotation("hit_credit_coded", path))
    assert by_hit["correct"].tolist() == [True, False, True, False, False]
    assert by_hit["found"].tolist() == [True, True, True, True, False]
    assert by_hit["authorities_coder"].tolist() == ["习近平总书记", "党中央", "", "省委", ""]
    acc = hit_credit_accuracy(by_hit).set_index("measure")
    assert acc.loc["hit credit accuracy: all coded hits", ["n", "k"]].tolist() == [5, 2]
    assert acc.loc["hit credit accuracy: hits the rules credit", ["n", "k"]].tolist() == [2, 1]
    assert acc.loc["hit credit accuracy: hits the rules credit to nobody", ["n", "k"]].tolist() == [3, 1]
    # authorities: coder 3 (总书记, 中央, 省委), rules 3 (总书记, 党中央, 省委), matched 2
    assert acc.loc["authority recall", ["n", "k"]].tolist() == [3, 2]
    assert acc.loc["authority precision", ["n", "k"]].tolist() == [3, 2]
    low, high = acc.loc["hit credit accuracy: all coded hits", ["ci_low", "ci_high"]]
    assert low < 0.4 < high and (low, high) == (0.1176, 0.7693)
    assert set(acc["coder"]) == {"language-model coder"}


def test_coded_file_with_a_bad_code_is_refused(tmp_path):
    from tifa.errors import InputError
    from tifa.inputs.load import read_annotation

    bad = tmp_path / "hit_credit_coded.csv"
    bad.write_text("hit_id,doc_id,sent_id,start,end,surface,hit_start_in_sentence,hit_end_in_sentence,sentence,"
                   "sentence_marked,credits_someone,authority,coder,notes\n"
                   "d:1-2,d,1,1,2,x,0,1,x,【x】,maybe,,c,\n", encoding="utf-8")
    with pytest.raises(InputError, match="hit_credit_coded.csv"):
        read_annotation("hit_credit_coded", bad)


def test_sample_holds_every_credited_hit_and_as_many_uncredited_without_the_credit(built):
    from tifa.validation.framing import HIT_SAMPLE_COLUMNS, hit_credit_sample

    hits = built["frame_hits"]
    sample = hit_credit_sample(hits, built["sentences"])
    n_credited = int(hits["attributed_to"].fillna("").ne("").sum())
    assert len(sample) == 2 * n_credited and sample["hit_id"].is_unique
    assert list(sample.columns) == HIT_SAMPLE_COLUMNS  # no rules' credit among them
    for row in sample.itertuples():  # the surface is the hit with quotation marks removed
        assert without_quotes(row.sentence[row.hit_start_in_sentence:row.hit_end_in_sentence]) == row.surface
    assert sample.equals(hit_credit_sample(hits, built["sentences"]))  # fixed seed
