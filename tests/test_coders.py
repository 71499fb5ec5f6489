"""Who coded: every validation table names its coder, from the one table data/raw/annotations/coders.csv."""

from __future__ import annotations

import pandas as pd
import pytest

from tifa.validation import extraction as validate, framing as validate_framing
from tifa.config import DATA_RAW
from tifa.errors import InputError
from tifa.inputs.load import lexicon, read_annotations
from tifa.schemas import CODER_KINDS

VALIDATION_TABLES = ("agreement", "disagreements", "agreement_confusion", "achievement_recall", "achievement_validation",
                     "achievement_unconfirmed", "frame_validation", "attribution_validation", "attribution_accuracy",
                     "lexicon_coverage")
LM = "language-model coder (protocol only)"


def _annotations(folder, built):
    return read_annotations(folder, set(built["documents"]["doc_id"]))


def test_every_coding_on_disk_has_its_coder_recorded_with_its_readme():
    coders = pd.read_csv(DATA_RAW / "annotations" / "coders.csv", dtype=str, keep_default_na=False)
    assert set(coders["coder"]) <= set(CODER_KINDS)
    names = {p.stem for p in (DATA_RAW / "annotations").glob("*.csv")
             if p.stem != "coders" and not p.stem.endswith("_sample")}  # a sample is not a coding
    assert names <= set(coders["annotation"])
    for readme in coders["readme"]:
        assert (DATA_RAW / "annotations" / readme).is_file(), readme


def test_the_seed_validation_tables_all_name_a_language_model_coder(built):
    for name in VALIDATION_TABLES:
        table = built[name]
        assert table.columns[-1] == "coder", name
        assert set(table["coder"]) == {LM}, name  # every blind coding so far was made by a language-model helper


def test_the_coder_comes_from_coders_csv(raw_copy, built):
    coders = pd.read_csv(raw_copy / "annotations" / "coders.csv", dtype=str, keep_default_na=False)
    person = coders["annotation"].isin(["priority_domains_handcoded", "attributions_provincial_f"]) | (
        (coders["annotation"] == "central_formulations_handcoded") & (coders["round"] == "2"))
    coders.loc[person, "coder"] = "person"
    coders.to_csv(raw_copy / "annotations" / "coders.csv", index=False)
    annotations = _annotations(raw_copy / "annotations", built)
    out = validate.tables(built, annotations, [])  # no domains: kappa over the domains either side used
    out |= validate_framing.tables(built, annotations, lexicon(DATA_RAW))
    assert set(out["agreement"]["coder"]) == {"person"} and set(out["agreement_confusion"]["coder"]) == {"person"}
    assert set(out["frame_validation"]["coder"]) == {LM}
    accuracy = out["attribution_accuracy"].drop_duplicates(["coding", "sample"]).set_index(["coding", "sample"])["coder"]
    assert accuracy[("provincial_f", "held-out")] == "person" and accuracy[("local", "in-sample")] == LM
    assert accuracy[("all", "in-sample")] == LM  # the in-sample codings pooled: all by language-model coders
    assert ("all", "held-out") not in accuracy.index  # one held-out coding: nothing to pool
    coverage = out["lexicon_coverage"]
    assert set(coverage.loc[coverage["held_out"], "coder"]) == {"person"}
    assert set(coverage.loc[~coverage["held_out"], "coder"]) == {LM}


def test_a_coding_without_a_coder_is_refused(raw_copy, built):
    path = raw_copy / "annotations" / "coders.csv"
    coders = pd.read_csv(path, dtype=str, keep_default_na=False)
    coders[~((coders["annotation"] == "achievements_handcoded") & (coders["round"] == "1"))].to_csv(path, index=False)
    with pytest.raises(InputError, match="no coder recorded for achievements_handcoded round 1") as caught:
        _annotations(raw_copy / "annotations", built)
    assert caught.value.where == str(path)
    coders.assign(coder="hand coder").to_csv(path, index=False)
    with pytest.raises(InputError, match="coder"):
        _annotations(raw_copy / "annotations", built)
    path.unlink()
    with pytest.raises(InputError, match="not found: every blind coding needs a row saying who coded it"):
        _annotations(raw_copy / "annotations", built)
