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
