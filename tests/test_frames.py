"""Formulation detection, attribution and discovery."""

import pandas as pd
import pytest

from tifa.config import DATA_RAW
from tifa.errors import InputError
from tifa.stages.frames import compiled_patterns, detect, read_lexicon, strip_quotes

LEXICON = DATA_RAW / "lexicon" / "formulations.csv"


def count(built, doc_id, fid):
    f = built["frame_by_doc"]
    return int(f[(f["doc_id"] == doc_id) & (f["formulation_id"] == fid)]["count"].iloc[0])


def test_known_counts(built):
    assert count(built, "weinan-2023-plan", "two_establishments") == 2
    assert count(built, "city-2023-vicemayor-speech", "four_strictest") == 1


def test_gansu_attributes_big_market_to_samr(built):
    h = built["frame_hits"]
    rows = h[(h["doc_id"] == "gansu-2022-speech") & (h["formulation_id"] == "big_market_quality_regulation")]
    assert (rows["attributed_to"] == "市场监管总局").sum() >= 2
    a = built["attributions"]
    sent = rows[rows["attributed_to"] == "市场监管总局"]["sent_id"].iloc[0]
    assert {"市场监管总局"} <= set(a[(a["doc_id"] == "gansu-2022-speech") & (a["sent_id"] == sent)]["authority"])


def test_no_span_is_counted_twice(built):
    for doc_id, h in built["frame_hits"].groupby("doc_id"):
        h = h.sort_values("start")
        assert (h["start"].iloc[1:].to_numpy() >= h["end"].iloc[:-1].to_numpy()).all(), doc_id


def test_longest_match_wins_and_quotes_are_ignored():
    patterns = compiled_patterns(read_lexicon(LEXICON))
    hits = detect("深入学习贯彻“习近平新时代中国特色社会主义思想”", patterns)
    assert [h["surface"] for h in hits] == ["习近平新时代中国特色社会主义思想"]
    assert hits[0]["start"] == 7


def test_adapted_forms_are_variants(built):
    h = built["frame_hits"]
    baoji = h[(h["doc_id"] == "baoji-2022-speech") & (h["surface"].str.contains("守稳"))]
    verbatim = baoji["surface"].str.contains("守住安全底线")  # 守稳、守牢、守住安全底线 quotes the canonical form
    assert verbatim.sum() == 1 and set(baoji.loc[verbatim, "match"]) == {"exact"}
    assert (~verbatim).sum() >= 3 and set(baoji.loc[~verbatim, "match"]) == {"variant"}


def test_strip_quotes_keeps_offsets():
    bare, offsets = strip_quotes("落实“四个最严”要求")
    assert bare == "落实四个最严要求" and offsets[2] == 3


def test_counts_agree_with_hand_counts(built):
    v = built["frame_validation"]
    assert (v["difference"] == 0).mean() >= 0.95
    assert (v["count_hand"] > 0).sum() >= 200


def test_density_table_has_every_pair(built):
    lex = read_lexicon(LEXICON)
    assert len(built["frame_by_doc"]) == len(lex) * len(built["documents"])


def test_candidates_find_local_coinages(built):
    c = built["formulation_candidates"].set_index("candidate")
    for phrase in ("甘快办", "渭好办", "共同缔造"):
        assert phrase in c.index, phrase
    assert c.at["渭好办", "levels"] == "municipal"
    assert not c.at["两个确立", "local_coinage_candidate"]


def write_lexicon(tmp_path, df):
    path = tmp_path / "formulations.csv"
    df.to_csv(path, index=False)
    return path


def test_malformed_pattern_stops_naming_row(tmp_path):
    lex = pd.read_csv(LEXICON, dtype=str, keep_default_na=False)
    lex.loc[3, "variants"] = "守[住牢"
    with pytest.raises(InputError, match=rf"row 5 \({lex.loc[3, 'formulation_id']}\).*malformed"):
        read_lexicon(write_lexicon(tmp_path, lex))


def test_duplicate_id_stops_naming_row(tmp_path):
    lex = pd.read_csv(LEXICON, dtype=str, keep_default_na=False)
    lex = pd.concat([lex, lex.iloc[[0]]], ignore_index=True)
    with pytest.raises(InputError, match=rf"duplicate formulation_id '{lex.loc[0, 'formulation_id']}' \(row {len(lex) + 1}\)"):
        read_lexicon(write_lexicon(tmp_path, lex))


def test_unknown_category_stops(tmp_path):
    lex = pd.read_csv(LEXICON, dtype=str, keep_default_na=False)
    lex.loc[0, "category"] = "slogan"
    with pytest.raises(InputError, match="row 2 .*category 'slogan'"):
        read_lexicon(write_lexicon(tmp_path, lex))


def test_twentieth_congress_formulations_arrive_in_local_documents_only_in_2023(built):
    # the Congress closed on 2022-10-22: the 2022 local documents cannot name its spirit (the December 2022
    # CEWC release, a central text, can and does)
    lex = read_lexicon(LEXICON).set_index("canonical")
    fid = lex.at["党的二十大精神", "formulation_id"]
    by_doc = built["frame_by_doc"]
    local = by_doc[(by_doc["formulation_id"] == fid) & (by_doc["level"] != "central")]
    assert local.loc[local["year"] == 2022, "count"].sum() == 0 and local.loc[local["year"] == 2023, "count"].sum() > 0
    central = by_doc[(by_doc["formulation_id"] == fid) & (by_doc["doc_id"] == "central-2022-cewc")]
    assert central["count"].sum() > 0


def test_detect_each_equals_detect_phrase_by_phrase():
    from tifa.stages import frames
    from tifa.inputs.load import inputs

    patterns = frames.compiled_patterns(inputs().lexicon)
    phrases = ["放管服", "质量强市", "防范化解重大风险", "两个确立", "大市场、大质量、大监管", "稳字当头、进字加力",
               "防范化解", "重大风险", "", "食品药品安全", "没有提法的短语"]
    assert frames.detect_each(phrases, patterns) == [frames.detect(p, patterns) for p in phrases]


def test_authority_lookahead_changes_no_match(built):
    """AUTHORITY's first-character lookahead is only a speed-up: every alternative starts with a literal
    character, and on every sentence of the corpus it finds what the bare alternation finds."""
    import re

    from tifa.stages import frames

    pieces = [alt for pattern, _, _ in frames.AUTHORITIES for alt in pattern.split("|")]
    assert all(piece and piece[0] not in "()[]{}\\.^$*+?|" for piece in pieces)
    bare = re.compile("|".join(f"(?P<a{i}>{p})" for i, (p, _, _) in enumerate(frames.AUTHORITIES)))
    found = 0
    for text in built["sentences"]["text"]:
        expected = [(m.span(), m.lastgroup) for m in bare.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in frames.AUTHORITY.finditer(text)] == expected
        found += len(expected)
    assert found > 100


@pytest.mark.parametrize("text, expected", [
    # the conditional loyalty slogan reports no act (jiangxi-2026-gwr, provincial_b)
    ("确保习近平总书记有指示、党中央有部署、省委有要求，全省各级政府就不折不扣抓落实、见行动、求实效；", set()),
    # inspection findings sent down are the inspection's (shandong-2026-gwr; hunan-2026-gwr)
    ("认真抓好中央巡视、审计等反馈问题整改，举一反三做好各项工作。", {"党中央"}),
    ("全力整改中央生态环保督察、长江经济带警示片交办问题。", {"党中央"}),
    ("扎实做好中央巡视整改。", set()),  # no finding sent, no credit
    # 按照 credits the requirement named before the next authority, not a later one (yunnan-2026-gwr)
    ("按照习近平总书记重要指示、党中央决策部署及省委要求开展工作；", {"习近平总书记", "省委"}),
    ("坚决贯彻落实党中央“六个坚持”的重大原则和省委“六个必须”的基本要求。", {"省委"}),
    ("按照国家要求完成节能减排降碳任务。", {"国家"}),
    ("按照十三届全国人大五次会议批准的政府工作报告安排，统筹推进各项工作。", {"全国人大"}),
    ("“1”指省委和省政府制定出台的关于统筹建立常态化防止返贫致贫机制的政策。", {"省委"}),
    ("切实把思想和行动统一到以习近平同志为核心的党中央对形势的总体判断、对任务的科学部署上来。", set()),
    # an autonomous region's Party committee is its provincial one (guangxi-2026-gwr, provincial_d)
    ("一年来，我们贯彻党中央、国务院决策部署，按照自治区党委部署要求，主要做了以下工作：", {"省委"}),
])
def test_credit_on_provincial_report_sentences(text, expected):
    """Rules revised on the disagreements of codings a-c (in-sample for those sentences); the speaker is a
    provincial government, so 省政府 is its own body."""
    sentences = pd.DataFrame({"sent_id": [1], "text": [text], "start": [0]})
    from tifa.stages.frames import attribution_rows

    rows = attribution_rows("x", sentences, "provincial", "某省人民政府")
    assert {r["authority"] for r in rows} == expected
