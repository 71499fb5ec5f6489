"""Vertical reuse of a legislation build (tifa.stages.vertical): tiers, direction in time, boilerplate weight, skip-level, citations."""

import pandas as pd
import pytest

from tifa.stages.vertical import PARENT_MIN_CHARS, tables, topic

DOCS = pd.DataFrame([
    # doc_id, level, province, region, date, title, n_chars
    ("c", "central", "全国 (national)", "中华人民共和国 (China, national)", "2019-10-08", "优化营商环境条例", 1000),
    ("sd", "provincial", "山东省 Shandong", "山东省", "2020-09-25", "山东省优化营商环境条例", 1000),
    ("ha", "provincial", "河南省 Henan", "河南省", "2020-11-28", "河南省优化营商环境条例", 1000),
    ("qd", "municipal", "山东省 Shandong", "山东省青岛市", "2021-01-28", "青岛市优化营商环境条例", 1000),
    ("jn", "municipal", "山东省 Shandong", "山东省济南市", "2022-01-21", "济南市优化营商环境条例", 1000),
], columns=["doc_id", "level", "province", "region", "date", "title", "n_chars"])


def passage(pid, a, sa, ea, b, sb, eb):
    return {"passage_id": pid, "doc_a": a, "start_a": sa, "end_a": ea, "doc_b": b, "start_b": sb, "end_b": eb}


REUSE = pd.DataFrame([
    passage("r1", "c", 0, 100, "qd", 0, 100),  # central wording in 青岛, not in 山东省: skip-level
    passage("r2", "c", 200, 300, "sd", 200, 300),  # central wording in the province ...
    passage("r3", "sd", 200, 300, "qd", 200, 300),  # ... and in 青岛 through it
    passage("r4", "c", 200, 300, "qd", 200, 300),
    passage("r5", "qd", 500, 700, "jn", 500, 700),  # 济南 copies 青岛 (own province's other city)
    passage("r6", "ha", 800, 850, "qd", 800, 850),  # 河南省 is later than 青岛? no: 2020-11-28 < 2021-01-28, other province
])
CITATIONS = pd.DataFrame([
    {"doc_id": "qd", "cited_doc_id": "c", "resolved": True},
    {"doc_id": "jn", "cited_doc_id": "sd", "resolved": True},
])


@pytest.fixture(scope="module")
def out():
    return tables(DOCS, REUSE, CITATIONS)


def test_tiers_and_shares(out):
    qd = out["reuse_by_tier"].set_index(["doc_id", "tier"]).loc["qd"]
    assert qd.loc["central", "chars"] == 200 and qd.loc["central", "n_sources"] == 1  # r1 and r4
    assert qd.loc["own_province", "chars"] == 100 and qd.loc["other_province", "chars"] == 50
    assert qd.loc["own_cities", "chars"] == 0  # 济南 is later: 青岛 cannot have copied it
    assert qd.loc["central", "share"] == pytest.approx(0.2)
    jn = out["reuse_by_tier"].set_index(["doc_id", "tier"]).loc["jn"]
    assert jn.loc["own_cities", "chars"] == 200 and jn.loc["central", "chars"] == 0


def test_boilerplate_is_down_weighted_by_the_documents_sharing_it(out):
    qd = out["reuse_by_tier"].set_index(["doc_id", "tier"]).loc["qd"]
    # 0-100 shared with one document (weight 1), 200-300 with two (c and sd: weight 1/2)
    assert qd.loc["central", "distinctive_chars"] == pytest.approx(100 + 100 / 2)
    assert qd.loc["own_province", "distinctive_chars"] == pytest.approx(50)


def test_skip_level_is_central_wording_absent_from_the_own_province(out):
    skip = out["skip_level"].set_index("passage_id")
    assert bool(skip.loc["r1", "skip_level"]) and not bool(skip.loc["r4", "skip_level"])
    assert skip.loc["r1", "chars_not_in_own_province"] == 100 and skip.loc["r4", "chars_not_in_own_province"] == 0


def test_lag_is_counted_from_the_source(out):
    lag = out["reuse_lag"].set_index(["doc_id", "source_doc_id"])
    assert lag.loc[("qd", "c"), "lag_days"] == (pd.Timestamp("2021-01-28") - pd.Timestamp("2019-10-08")).days
    assert ("c", "qd") not in lag.index and (lag["lag_days"] > 0).all()


def test_placebo_compares_the_own_and_the_other_provinces_same_topic_text(out):
    qd = out["placebo"][out["placebo"]["doc_id"] == "qd"].set_index("parent")
    assert qd.loc["own_province", "chars"] == 100 and qd.loc["other_province", "chars"] == 50
    assert topic("青岛市优化营商环境条例", "山东省青岛市", "山东省 Shandong") == "优化营商环境条例"


def test_citations_as_ground_truth_for_inferred_parents(out):
    pairs = out["citation_reuse"].set_index(["doc_id", "source_doc_id"])
    assert bool(pairs.loc[("qd", "c"), "cited"]) and bool(pairs.loc[("qd", "c"), "inferred"])  # 200 >= PARENT_MIN_CHARS
    assert PARENT_MIN_CHARS <= 200
    assert not bool(pairs.loc[("jn", "sd"), "inferred"])  # cited, but no shared passage
    assert ("jn", "qd") not in pairs.index  # same tier: not a parent
    summary = out["citation_reuse_validation"].set_index("measure")
    assert (summary.loc["recall", "k"], summary.loc["recall", "n"]) == (1, 2)
    assert summary.loc["recall", "ci_low"] < 0.5 < summary.loc["recall", "ci_high"]


def test_the_own_citys_earlier_text_is_lagged_but_no_tier():
    docs = pd.concat([DOCS, pd.DataFrame([("qd2", "municipal", "山东省 Shandong", "山东省青岛市", "2022-05-01",
                                           "青岛市某条例", 1000)], columns=DOCS.columns)])
    out = tables(docs, pd.DataFrame([passage("r9", "qd", 0, 50, "qd2", 0, 50)]))
    assert out["reuse_lag"].set_index("doc_id").loc["qd2", "tier"] == "own_city"
    assert (out["reuse_by_tier"].set_index("doc_id").loc["qd2", "chars"] == 0).all()
