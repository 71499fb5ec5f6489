"""The lexicon's central rows are traced (issue 9), and `central_source` is what the central texts say."""

from __future__ import annotations

import pandas as pd
import pytest

from tifa.config import DATA_RAW
from tifa.stages.lexicon import (central_sources, corpus_texts, first_date_conflicts, official_citations, official_urls,
                          untraced_central_rows)
from tifa.inputs.load import read_lexicon

# Central rows for which no official source was found (issue 9). Each one says
# UNTRACED in its notes; remove it here once a source is added.
KNOWN_UNTRACED = {"rule_of_law_market_regulation_outline", "food_safety_layered_precise_control", "food_safety_baobao"}


@pytest.fixture(scope="module")
def lex() -> pd.DataFrame:
    return read_lexicon(DATA_RAW / "lexicon" / "formulations.csv")


@pytest.fixture(scope="module")
def texts():
    """(central texts, local texts, dates, lexicon) as the build normalises them."""
    return corpus_texts()


# ------------------------------------------------------------ the shipped lexicon
def test_untraced_central_rows_are_only_the_known_gaps(lex):
    untraced = untraced_central_rows(lex)
    assert set(untraced["formulation_id"]) == KNOWN_UNTRACED
    assert untraced["notes"].str.contains("UNTRACED").all()


@pytest.mark.xfail(strict=True, reason="issue 9: the KNOWN_UNTRACED rows have no official source yet")
def test_untraced_central_rows_is_empty(lex):
    assert untraced_central_rows(lex).empty


def test_central_source_column_is_computed_from_the_central_texts(texts):
    central, _, _, lex = texts
    assert central and all(d.startswith("central-") for d in central)
    computed = central_sources(lex, central)
    shipped = lex["central_source"].fillna("")
    mismatch = lex.loc[computed.values != shipped.values, "formulation_id"].tolist()
    assert not mismatch, mismatch


def test_no_document_uses_a_formulation_before_its_first_date(texts):
    central, local, dates, lex = texts
    conflicts = first_date_conflicts(lex, {**central, **local}, dates)
    assert conflicts.empty, conflicts.to_string()


def test_a_first_date_after_a_use_is_a_conflict(texts):
    central, local, dates, lex = texts
    moved = lex.copy()
    moved.loc[moved["formulation_id"] == "two_establishments", "first_date"] = "2024"  # used in 2022 documents
    conflicts = first_date_conflicts(moved, {**central, **local}, dates)
    assert set(conflicts["formulation_id"]) == {"two_establishments"}


# ------------------------------------------------------------ the acceptance rule
def rows(*specs: tuple[str, str, str]) -> pd.DataFrame:
    """A minimal lexicon: (coined_by, central_source, source) per row, ids r0, r1, ..."""
    return pd.DataFrame([{"formulation_id": f"r{i}", "coined_by": c, "central_source": cs, "source": s}
                         for i, (c, cs, s) in enumerate(specs)])


def untraced_ids(frame: pd.DataFrame) -> list[str]:
    return untraced_central_rows(frame)["formulation_id"].tolist()


@pytest.mark.parametrize("source", [
    "http://zjjv.com/websafe20856.html",  # a commercial mirror alone
    "http://yuzox.cn/jinrong/20220926/96667.html | http://www.kuoxiong.cn/news/detail/357/27708.html",
    "http://gov.cn.example.com/a.html",  # official name as a prefix of a commercial host
    "http://notgov.cn/a.html",  # official name as a suffix without the dot
    "http://example.com/xinhua/国发〔2016〕33号.html",  # number and name only inside a URL
    "State Council opinion on credit (2016)",  # a document named without number
    "Xi Jinping, speech at a Politburo study session (2020-11-30)",  # a meeting without an outlet
    "",
])
def test_untraced_sources(source):
    assert untraced_ids(rows(("central_state", "", source))) == ["r0"]


@pytest.mark.parametrize("source", [
    "State Council, 国发〔2016〕33号 (2016-05-30)",  # a document number
    "安委办〔2016〕11号",
    "国办函[2018]73号",  # ASCII brackets, as some reposts print them
    "国务院令第746号 (2021-07-27)",  # a decree number
    "《中华人民共和国消费者权益保护法》, Art. 25",  # a national law by its full title
    "Xi Jinping, speech (2022-10-25), published in Qiushi 2023 No. 2",  # an official publication
    "人民日报 2020-07-20 p. 13",
    "Xinhua release of 2021-09-22",
    "http://www.gov.cn/zhengce/content/2021-08/24/content_5632964.htm",  # an official URL
    "http://society.people.com.cn/n1/2020/0720/c1008-31789069.html",
    "http://zjjv.com/a.html | http://big5.taiwan.cn/xwzx/PoliticsNews/201711/t20171101_11860808.htm",
])
def test_traced_sources(source):
    assert untraced_ids(rows(("central_party", "", source))) == []


def test_a_central_text_of_the_corpus_traces_a_row_without_source():
    assert untraced_ids(rows(("samr", "central-2022-gwr", ""))) == []


def test_only_central_rows_are_checked():
    frame = rows(("provincial", "", ""), ("municipal", "", "http://zjjv.com/a.html"), ("samr", "", ""))
    assert untraced_ids(frame) == ["r2"]


def test_missing_cells_count_as_empty():
    frame = rows(("central_state", "", ""))
    frame.loc[0, ["central_source", "source"]] = [None, None]
    assert untraced_ids(frame) == ["r0"]


def test_citation_helpers_report_what_they_found():
    assert official_urls("http://zjjv.com/a | https://www.mct.gov.cn/gtb/x") == ["https://www.mct.gov.cn"]
    assert official_citations("国发〔2021〕37号; Qiushi") == ["〔2021〕37号", "Qiushi"]
    assert official_citations("http://example.com/人民日报/〔2020〕1号") == []
