"""Outline and sentences: exact structure of the seeds, and nothing lost."""

from collections import Counter

import pytest

from tifa.text.structure import structure

SEEDS = ["gansu-2022-speech", "baoji-2022-speech", "city-2023-vicemayor-speech", "weinan-2023-plan", "wuchang-2023-plan"]


@pytest.mark.parametrize("doc_id", SEEDS)
def test_sentences_concatenate_to_the_normalised_text(processed, doc_id):
    p = processed[doc_id]
    joined = "".join(p.sentences.sort_values("sent_id")["text"])
    assert "".join(joined.split()) == "".join(p.text.split())


@pytest.mark.parametrize("doc_id", SEEDS)
def test_every_han_character_of_the_raw_file_survives(processed, doc_id):
    p = processed[doc_id]
    han = lambda s: Counter(c for c in s if "\u4e00" <= c <= "\u9fff")  # noqa: E731
    assert han("".join(p.sentences["text"])) == han(p.doc.text)


@pytest.mark.parametrize("doc_id", SEEDS)
def test_offsets_index_the_normalised_text(processed, doc_id):
    p = processed[doc_id]
    for s in p.sentences.itertuples():
        assert p.text[s.start:s.end] == s.text


def test_masked_sentences_are_flagged(processed):
    s = processed["gansu-2022-speech"].sentences
    assert s["masked"].sum() == (s["n_masked_chars"] > 0).sum() > 50
    assert s.loc[s["text"].str.contains("××.××%"), "masked"].all()


def top(p):
    o = p.outline
    return o[o.depth == 1]["marker"].tolist()


def test_top_level_sections(processed):
    assert top(processed["weinan-2023-plan"]) == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert top(processed["wuchang-2023-plan"]) == ["一、", "二、", "三、"]
    assert top(processed["city-2023-vicemayor-speech"]) == ["一、", "二、", "三、", "四、"]


def test_nested_markers(processed):
    o = processed["baoji-2022-speech"].outline
    under_three = o[o["node_id"].str.match(r"^3\.\d+\.\d+$")]
    assert under_three.groupby(under_three["node_id"].str.split(".").str[1]).size().tolist() == [5, 6, 6, 5]
    assert set(under_three["marker_type"]) == {"inline_yao"}
    w = processed["wuchang-2023-plan"].outline
    assert w[w["marker_type"] == "arabic"]["ordinal"].tolist()[:20] == list(range(1, 21))


def test_inline_marker_needs_a_sequence():
    outline, _ = structure("t", "一、总体\n我们要统一是非标准。二要加强监管。\n")
    assert outline["marker"].tolist() == ["一、"]


def test_document_without_outline_warns_and_is_still_segmented():
    with pytest.warns(UserWarning, match="no-outline.txt"):
        outline, sentences = structure("x", "今年要加强监管。确保安全。\n", source="no-outline.txt")
    assert outline.empty and sentences["text"].tolist() == ["今年要加强监管。", "确保安全。"]
