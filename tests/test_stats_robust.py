"""Statistics never crash on a corpus: small generated tables for each case that used to raise (issue 13)."""

import numpy as np
import pandas as pd
import pytest

from tifa.schemas import validate as check
from tifa.stats import (attention, attention_level_test, count_model, density_level_test, diversity, keyness,
                        pooled_chi2, reference_level)

DOMAINS = ["food", "price", "drug", "other"]


def documents(levels):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(levels))], "level": levels,
                         "year": [2022 + i % 2 for i in range(len(levels))], "genre": ["speech"] * len(levels)})


def priorities(spec):
    """spec: doc_id -> list of domains, one per item."""
    rows = [{"doc_id": d, "domain": dom, "n_chars": 30} for d, doms in spec.items() for dom in doms]
    return pd.DataFrame(rows, columns=["doc_id", "domain", "n_chars"])


def units(levels, n_sections=4, seed=1):
    gen = np.random.default_rng(seed)
    rows = []
    for i, level in enumerate(levels):
        for s in range(n_sections):
            rows.append({"doc_id": f"d{i}", "section_id": str(s), "role": "plan", "level": level,
                         "genre": "speech" if i % 2 else "work_plan", "year": 2022 + i % 2,
                         "n_chars": int(gen.integers(200, 2000)), "n_hits": int(gen.integers(0, 12))})
    return pd.DataFrame(rows)


def density(levels):
    n = len(levels)
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "level": levels, "year": 2022, "genre": "speech",
                         "n_sentences": 10, "n_chars": 1000, "n_hits": range(n), "n_formulations": 1,
                         "hits_per_10k": np.arange(n) * 10.0, "hits_ci_low": 0.0, "hits_ci_high": 1.0,
                         "ideological_share": np.linspace(0, 0.5, n), "ideological_ci_low": 0.0, "ideological_ci_high": 1.0})


def test_count_model_without_a_municipal_document():
    # patsy.PatsyError: specified level 'municipal' not found
    est = count_model(units(["provincial", "district", "district", "provincial", "district"]))
    assert (est["status"] == "ok").any() and set(est["reference"].dropna()) == {"district"}
    assert est.loc[est["status"] == "ok", "note"].str.contains("small sample").all()
    check("model_estimates", est)


def test_count_model_with_one_level_is_skipped():
    est = count_model(units(["municipal"] * 3))
    assert (est["status"] == "skipped").all() and est["reason"].str.contains("1 level").all()
    check("model_estimates", est)


def test_reference_is_the_most_common_level():
    assert reference_level(["provincial", "municipal", "municipal", "district"]) == "municipal"
    assert reference_level(["district", "provincial"]) == "provincial"


def test_attention_test_without_priorities():
    # ValueError: No data; observed has size 0
    attn = attention(priorities({}), documents(["provincial", "municipal", "district"]), DOMAINS)
    result = attention_level_test(attn)
    assert (result["status"] == "skipped").all() and "0 documents with priorities" in result.at[0, "reason"]
    check("attention_level_test", result)
    div = diversity(attn, len(DOMAINS))
    assert (div["status"] == "skipped").all()
    check("diversity", div)


def test_permutation_onto_documents_without_priorities():
    # chi2: 'expected frequencies has a zero element' when a level lands on empty documents
    docs = documents(["provincial", "municipal", "municipal", "district", "district"])
    spec = {"d0": ["food", "price"], "d1": ["food", "drug", "food"], "d2": ["price"], "d3": ["drug", "other"]}
    attn = attention(priorities(spec), docs, DOMAINS)
    result = attention_level_test(attn)
    assert result.at[0, "status"] == "ok" and result.at[0, "n_docs"] == 4  # d4 has no priorities
    assert result.at[0, "conclusion"].startswith("cannot tell levels apart with n = 4")
    check("attention_level_test", result)
    table = pd.DataFrame({"doc_id": ["a", "b"], "level": ["x", "y"], "food": [0, 3], "drug": [0, 1]})
    assert pooled_chi2(table, ["x", "y"]) == 0.0


def test_too_few_documents_per_level_states_no_power():
    attn = attention(priorities({"d0": ["food"], "d1": ["price", "drug"]}), documents(["provincial", "municipal"]), DOMAINS)
    row = attention_level_test(attn).iloc[0]
    assert row.status == "ok" and row.min_attainable_p == 0.5 and pd.isna(row.detectable_effect)


def test_keyness_with_one_level():
    # empty comparison group -> NaN g2_signed schema violation
    tokens = pd.DataFrame({"doc_id": "d0", "level": "municipal", "token": ["市场", "市场", "市场", "监管"]})
    key = keyness(tokens)
    assert key["status"].tolist() == ["skipped"]
    check("keyness", key)


def test_keyness_ignores_central_texts():
    tokens = pd.DataFrame({"doc_id": ["c"] * 4 + ["d0"] * 4 + ["d1"] * 4, "level": ["central"] * 4 + ["municipal"] * 4 + ["district"] * 4,
                           "token": ["党建"] * 4 + ["市场"] * 4 + ["食品"] * 4})
    key = keyness(tokens)
    assert set(key["level"]) == {"municipal", "district"} and (key["status"] == "ok").all()
    check("keyness", key)


@pytest.mark.parametrize("levels", [["municipal"], ["municipal"] * 3, ["central", "municipal"]])
def test_density_test_with_one_level(levels):
    result = density_level_test(density(levels))
    assert (result["status"] == "skipped").all()
    check("density_level_test", result)


def test_density_test_reports_power():
    result = density_level_test(density(["provincial", "municipal", "municipal", "municipal", "district"]))
    assert (result["status"] == "ok").all() and (result["n_assignments"] == 20).all()
    assert result["conclusion"].str.startswith("cannot tell levels apart with n = 5").all()
    check("density_level_test", result)


def test_central_documents_are_not_in_attention():
    docs = documents(["central", "municipal", "district"])
    attn = attention(priorities({"d1": ["food"], "d2": ["price"]}), docs, DOMAINS)
    assert "d0" not in set(attn["doc_id"])


def test_diversity_is_normalised_by_what_n_items_can_reach():
    # four items in four domains is the most even spread four items allow: 1 (a 6-item document was capped at log 6 / log 24)
    docs = documents(["municipal", "district"])
    spec = {"d0": ["food", "price", "drug", "other"], "d1": ["food"] * 3 + ["price"]}
    div = diversity(attention(priorities(spec), docs, DOMAINS), len(DOMAINS)).set_index("doc_id")
    assert div.at["d0", "entropy_norm"] == 1.0 and div.at["d0", "k_norm"] == 4
    for row in div.itertuples():
        assert row.ci_low <= row.posterior_median <= row.ci_high <= 1.0
    check("diversity", div.reset_index())
