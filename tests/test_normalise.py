"""Cleaning: documented rules, idempotent, lossless for Han characters."""

from collections import Counter

import pytest

from tifa.config import DATA_RAW
from tifa.load import load_corpus
from tifa.normalise import count_mask_chars, mask_spans, normalise, normalise_with_report

DOCS = {d.doc_id: d for d in load_corpus(DATA_RAW)}


def han(text):
    return Counter(c for c in text if "\u4e00" <= c <= "\u9fff")


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_normalisation_is_idempotent(doc_id):
    once = normalise(DOCS[doc_id].text)
    assert normalise(once) == once


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_no_han_character_changes(doc_id):
    assert han(normalise(DOCS[doc_id].text)) == han(DOCS[doc_id].text)


def test_halfwidth_punctuation_becomes_fullwidth_but_numbers_survive():
    text = "完成食品抽检3,900批次(牵头单位:食品科;责任单位:各所),9:30开会?"
    assert normalise(text) == "完成食品抽检3,900批次（牵头单位：食品科；责任单位：各所），9:30开会？\n"


def test_whitespace_and_line_endings():
    assert normalise("\u3000\u3000一、总体要求\r\n\r\n  （一）加强  监管\r") == "一、总体要求\n（一）加强 监管\n"


def test_fullwidth_digits_become_halfwidth():
    assert normalise("抽检１５７２１批次，合格率９９．２７%") == "抽检15721批次，合格率99.27%\n"


def test_report_counts_changes():
    _, report = normalise_with_report("a,b\r\n\r\nc")
    assert report["comma"] == 1 and report["line_endings"] == 2 and report["empty_lines_dropped"] == 1


def test_masks_are_counted_as_spans():
    text = "覆盖率达××.××%，查处案件×××起，***市长"
    assert [text[a:b] for a, b in mask_spans(text)] == ["××.××", "×××", "***"]
    assert count_mask_chars(text) == 10


def test_gansu_is_heavily_masked():
    assert count_mask_chars(normalise(DOCS["gansu-2022-speech"].text)) > 300
