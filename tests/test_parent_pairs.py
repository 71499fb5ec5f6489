"""The blind check of reuse-inferred parents (tifa.validation.parents): the sheet hides what it checks, a
filled sheet is read strictly, and the scores count what the coder said."""

import pandas as pd
import pytest

from tifa.errors import InputError
from tifa.validation.parents import CODES, SHEET_COLUMNS, pair_sample, pair_validation, read_coded


@pytest.fixture(scope="module")
def sheet(legislation_sample):
    return pair_sample(legislation_sample / "processed", n=10, seed=3)


def test_the_sheet_hides_citation_and_amount_and_is_seeded(sheet, legislation_sample):
    assert list(sheet.columns) == SHEET_COLUMNS and len(sheet)
    assert not {"cited", "inferred", "chars"} & set(sheet.columns)
    again = pair_sample(legislation_sample / "processed", n=10, seed=3)
    pd.testing.assert_frame_equal(sheet, again)
    pairs = pd.read_csv(legislation_sample / "processed" / "citation_reuse.csv", dtype=str)
    inferred = set(zip(pairs.loc[pairs["inferred"] == "True", "doc_id"], pairs.loc[pairs["inferred"] == "True", "source_doc_id"]))
    assert set(zip(sheet["doc_id"], sheet["source_doc_id"])) <= inferred  # only inferred pairs
    # every shown passage is marked inside its context, and the first article is the document's own
    assert sheet["shared_passages"].str.contains("【").all()
    assert sheet["doc_first_article"].str.startswith("第一条").all()


def test_a_filled_sheet_is_read_strictly(sheet, tmp_path):
    good = pd.DataFrame({"pair_id": sheet["pair_id"], "code": CODES[0], "notes": ""})
    path = tmp_path / "coded.csv"
    good.to_csv(path, index=False)
    assert len(read_coded(path, sheet)) == len(sheet)
    good.assign(code=["parent"] + [CODES[0]] * (len(sheet) - 1)).to_csv(path, index=False)
    with pytest.raises(InputError, match="row 2: code 'parent' is not one of"):
        read_coded(path, sheet)
    good.iloc[1:].to_csv(path, index=False)
    with pytest.raises(InputError, match="not those of the sample"):
        read_coded(path, sheet)


def test_scores_count_the_coder_s_parents_by_citation(sheet, legislation_sample):
    pairs = pd.read_csv(legislation_sample / "processed" / "citation_reuse.csv", dtype=str)
    codes = [CODES[k % len(CODES)] for k in range(len(sheet))]
    coded = pd.DataFrame({"pair_id": sheet["pair_id"], "code": codes, "notes": ""})
    per_pair, summary = pair_validation(sheet, coded, pairs, "person")
    summary = summary.set_index("measure")
    parents = sum(c in ("parent_cited", "parent_uncited") for c in codes)
    assert summary.loc["inferred pairs judged a parent", "k"] == parents
    assert summary.loc["inferred pairs judged a parent", "n"] == len(sheet)
    split = summary.loc[["inferred pairs not cited, judged a parent", "inferred pairs cited, judged a parent"]]
    assert split["k"].sum() == parents and split["n"].sum() == len(sheet)
    assert per_pair["cited"].sum() == summary.loc["inferred pairs cited, judged a parent", "n"]
