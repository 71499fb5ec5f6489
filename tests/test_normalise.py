"""Cleaning: documented rules, idempotent, lossless for Han characters."""

from collections import Counter

import pytest

from tifa.config import DATA_RAW
from tifa.inputs.load import load_corpus
from tifa.text.structure import structure
from tifa.text.normalise import count_mask_chars, mask_spans, normalise, normalise_with_report

DOCS = {d.doc_id: d for d in load_corpus(DATA_RAW)}


def han(text):
    return Counter(c for c in text if "\u4e00" <= c <= "\u9fff")


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_normalisation_is_idempotent(doc_id):
    once = normalise(DOCS[doc_id].text)
    assert normalise(once) == once


def before_furniture(text):
    """The raw text up to the first line of site furniture (all of it for the local documents)."""
    from tifa.text.normalise import FURNITURE_START

    lines = text.split("\n")
    end = next((i for i, line in enumerate(lines) if FURNITURE_START.match(line.strip(" \t\u3000\u200b"))), len(lines))
    return "\n".join(lines[:end])


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_no_han_character_changes(doc_id):
    assert han(normalise(DOCS[doc_id].text)) == han(before_furniture(DOCS[doc_id].text))


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


# ---------------------------------------------------------------- scrape marks (central texts from Wikisource)
# the central texts scraped from Wikisource (copies of shared/central/), whose page furniture the cleaner removes
CENTRAL = {d.doc_id: d for d in DOCS.values() if d.level == "central" and d.meta["source_file"].startswith("shared/central/")}


def test_page_furniture_is_removed_and_the_report_keeps_every_han_character_in_order():
    from tifa.text.normalise import FURNITURE_START, is_han

    assert len(CENTRAL) == 5  # the five of shared/central/
    for doc in CENTRAL.values():
        lines = doc.text.split("\n")
        body_end = next(i for i, line in enumerate(lines) if FURNITURE_START.match(line.strip(" \t\u3000\u200b")))
        body = "\n".join(lines[:body_end])
        cleaned, report = normalise_with_report(doc.text)
        assert [c for c in cleaned if is_han(c)] == [c for c in body if is_han(c)], doc.doc_id
        for mark in ("Public domain", "false", "↑", "版权失效模板", "维基文库", "\u200b"):
            assert mark not in cleaned, (doc.doc_id, mark)
        assert report["page_furniture_lines"] > 0


def test_broken_heading_and_page_breaks_are_joined():
    cleaned, report = normalise_with_report(CENTRAL["central-2021-gwr"].text)
    assert cleaned.startswith("政府工作报告\n——2021年3月5日")
    assert report["broken_heading_joins"] == 1
    assert "交出一份人民满意、世界瞩目、可以载入史册的答卷" in cleaned
    assert report["page_break_joins"] > 0


def test_an_opening_bracket_left_alone_on_a_line_rejoins_its_marker():
    """A scraped provincial report broke （三） across two lines; the outline lost the node."""
    raw = "一、回顾\n（二）产业发展提质增效。\n增长11.5%。\n（\n三）改革开放持续深化。\n"
    cleaned, report = normalise_with_report(raw)
    assert "\n（三）改革开放持续深化。" in cleaned and report["broken_heading_joins"] == 1
    assert cleaned.replace("\n", "") == raw.replace("\n", "")  # nothing but the break removed
    outline, _ = structure("t", cleaned)
    assert outline["marker"].tolist() == ["一、", "（二）", "（三）"]


def test_scrape_rules_leave_the_local_documents_alone():
    for doc in DOCS.values():
        if doc.level != "central":
            _, report = normalise_with_report(doc.text)
            assert report["page_furniture_lines"] == report["page_break_joins"] == report["broken_heading_joins"] == 0


def test_scrape_rules_are_idempotent_on_central_texts():
    for doc in CENTRAL.values():
        once = normalise(doc.text)
        assert normalise(once) == once


# The head of a scraped provincial work-report page (layout of the 2026 reports in shared/corpora/gwr-2026;
# names and body shortened): toolbar, title, byline, source and time lines, speaker, photo caption.
SCRAPED_HEAD = """下载
打印
全屏
收藏
【字号：
加大
还原
减小
】
2026年某省政府工作报告
——2026年1月27日在某省第十四届人民代表大会第四次会议上
来源：某省日报
时间：2026-02-05
省长 张某
张某作政府工作报告。本报记者 李某 摄
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。
"""
BREADCRUMB_HEAD = """您的位置:
首页
>
要闻
要闻
2026年政府工作报告
来源：
某省人民政府
2026-02-03 09:02:33
【字体：
大
中
小
】
——2026年1月28日在某省第十四届人民代表大会第四次会议上
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。
"""


def test_a_scraped_pages_toolbar_source_and_caption_are_front_matter_but_title_and_byline_stay():
    text, counts = normalise_with_report(SCRAPED_HEAD)
    assert counts["site_front_matter_lines"] == 12
    assert text.split("\n")[:4] == ["2026年某省政府工作报告", "——2026年1月27日在某省第十四届人民代表大会第四次会议上",
                                    "省长 张某", "各位代表："]
    assert normalise(text) == text


def test_a_breadcrumb_and_a_label_on_its_own_line_take_their_values_with_them():
    text, counts = normalise_with_report(BREADCRUMB_HEAD)
    assert counts["site_front_matter_lines"] == 13
    assert text.split("\n")[:3] == ["2026年政府工作报告", "——2026年1月28日在某省第十四届人民代表大会第四次会议上", "各位代表："]


def test_front_matter_is_looked_for_only_in_the_head():
    # after the first paragraph, a line 来源：… or 下载 is the document's own text
    body = "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。\n来源：统计公报\n下载\n"
    text, counts = normalise_with_report(body)
    assert counts["site_front_matter_lines"] == 0 and "来源：统计公报\n下载" in text
