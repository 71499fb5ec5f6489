"""The legislation case's sample (data/cases/archives/legislation_sample.txt) builds from the archive with the
project's own commands (`python -m tifa case legislation --sample`). This is what CI runs instead of the full case."""

import pandas as pd
import pytest

from tifa.cases.legislation import sample_members


@pytest.mark.slow
def test_the_sample_builds_with_citations_and_vertical_reuse(legislation_sample):
    members = sample_members()
    out = legislation_sample / "processed"
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert len(docs) == len(members)
    chain = docs[docs["title"].str.endswith("优化营商环境条例")].set_index("title")
    assert chain.loc["优化营商环境条例", "level"] == "central"
    assert chain.loc["山东省优化营商环境条例", ["level", "date"]].tolist() == ["provincial", "2020-09-25"]
    assert (chain.loc[["青岛市优化营商环境条例", "济南市优化营商环境条例"], "level"] == "municipal").all()
    articles = pd.read_csv(out / "articles.csv", dtype={"doc_id": str})
    assert set(articles["doc_id"]) == set(docs["doc_id"])  # every statute has its articles
    citations = pd.read_csv(out / "citations.csv", dtype=str, keep_default_na=False)
    standard = docs.set_index("title").loc["山东省标准化条例", "doc_id"]
    law = docs.set_index("title").loc["中华人民共和国标准化法", "doc_id"]
    assert ((citations["doc_id"] == standard) & (citations["cited_doc_id"] == law)).any()
    tiers = pd.read_csv(out / "reuse_by_tier.csv", dtype={"doc_id": str}).set_index(["doc_id", "tier"])
    jinan = docs.set_index("title").loc["济南市优化营商环境条例", "doc_id"]
    assert tiers.loc[(jinan, "central"), "chars"] > 0 and tiers.loc[(jinan, "own_province"), "chars"] > 0
    for name in ("skip_level", "reuse_lag", "placebo", "citation_reuse", "citation_reuse_validation"):
        assert (out / f"{name}.csv").is_file()
