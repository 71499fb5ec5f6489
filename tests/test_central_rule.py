"""The central rows of the lexicon are chosen from the central texts by a written rule (issue 21 item 5)."""

import pytest

from tifa.config import DATA_RAW
from tifa.inputs.load import inputs
from tifa.stages.lexicon import apply_central_rule, central_rule, corpus_texts, rule_row_id


@pytest.fixture(scope="module")
def texts():
    return corpus_texts()


def test_rule_on_synthetic_central_texts():
    central = {
        "c1": "坚定“两个确立”，增强“四个意识”，推进“放管服”改革，提升获得感、幸福感、安全感更加充实。",
        "c2": "做到“两个维护”，深化“放管服”改革，人民获得感、幸福感、安全感显著增强，“一次性”措施。",
    }
    rule = central_rule(central, {"c1": "2021", "c2": "2022"})
    # numbered formulas are taken from any central text; a quoted phrase and a parallel chain need two texts
    assert rule["candidate"].tolist() == ["两个确立", "两个维护", "四个意识", "放管服", "获得感、幸福感、安全感"]
    assert rule.set_index("candidate").loc["放管服", ["n_central_docs", "first_central_date"]].tolist() == [2, "2021"]


def test_rule_reproduces_the_central_rows_exactly(texts):
    central, _local, dates, lex = texts
    issuers = {d.doc_id: d.meta.get("issuer", "") for d in inputs(DATA_RAW).documents}
    rule = central_rule(central, dates)  # reads the central texts only
    made = lex["formulation_id"].str.fullmatch(r"cr_[0-9a-f]{8}")
    rebuilt = apply_central_rule(lex[~made].drop(columns="selection"), rule, issuers)  # the rule's rows made again
    assert (rebuilt.loc[rebuilt["formulation_id"].str.startswith("cr_"), "english"] == "").all()
    reviewed = apply_central_rule(lex[~made].drop(columns="selection"), rule, issuers, reviewed=lex[made])
    assert reviewed["english"].astype(str).tolist() == lex["english"].astype(str).tolist()  # glosses kept
    shipped = lex.reset_index(drop=True)
    columns = ["formulation_id", "canonical", "selection", "category", "coined_by", "first_date"]
    assert rebuilt[columns].astype(str).to_numpy().tolist() == shipped[columns].astype(str).to_numpy().tolist()
    added = shipped[shipped["formulation_id"].str.fullmatch(r"cr_[0-9a-f]{8}")]
    assert added["formulation_id"].tolist() == [rule_row_id(c) for c in added["canonical"]]
    assert set(added["canonical"]) <= set(rule["candidate"])
    assert not added.empty  # the rule finds formulas the curated lexicon lacks


def test_every_central_rule_row_is_traced_to_a_central_text(texts):
    lex = texts[3]
    central_rows = lex[lex["selection"] == "central_rule"]
    assert (central_rows["central_source"] != "").all()
    assert len(central_rows) and set(lex["selection"]) == {"central_rule", "curated"}


def test_density_counts_central_rule_rows_only(built):
    hits = built["frame_hits"]
    selection = built["frame_by_doc"].drop_duplicates("formulation_id").set_index("formulation_id")["selection"]
    central_hits = hits[hits["formulation_id"].map(selection) == "central_rule"].groupby("doc_id").size()
    density = built["framing_density"].set_index("doc_id")["n_hits"]
    assert density.to_dict() == central_hits.reindex(density.index, fill_value=0).to_dict()
    assert (density < hits.groupby("doc_id").size().reindex(density.index)).all()
