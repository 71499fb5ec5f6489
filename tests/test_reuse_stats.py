"""Text reuse and statistics."""

import numpy as np
import pandas as pd

from tifa.stages.reuse import align, exact_passages
from tifa.stages.stats import entropy, exact_level_test, level_assignments, wilson


def test_exact_passages_find_a_shared_run():
    a = "甲乙丙丁" + "坚持以人民为中心的发展思想不动摇" + "戊己"
    b = "子丑" + "坚持以人民为中心的发展思想不动摇" + "寅卯辰"
    assert exact_passages(a, b) == [(4, 2, 16)]


def test_small_gaps_merge_into_one_aligned_passage():
    merged = align([(0, 0, 12), (15, 14, 10)])
    assert merged == [{"start_a": 0, "end_a": 25, "start_b": 0, "end_b": 24, "n_matched_chars": 22, "n_segments": 2}]


def test_reuse_offsets_point_at_the_same_text(built, processed):
    for r in built["reuse"].head(30).itertuples():
        a = "".join(processed[r.doc_a].text[r.start_a:r.end_a].split("\n"))
        b = "".join(processed[r.doc_b].text[r.start_b:r.end_b].split("\n"))
        assert a == r.text_a and b == r.text_b
        if r.n_segments == 1:
            assert a == b and len(a) >= 10


def test_similarity_matrix_is_symmetric(built):
    s = built["similarity"].pivot(index="doc_a", columns="doc_b", values="tfidf_cosine")
    assert np.allclose(s.to_numpy(), s.to_numpy().T) and np.allclose(np.diag(s), 1.0)


def test_level_assignments_of_the_seed_design():
    levels = ["provincial", "municipal", "municipal", "municipal", "district"]
    assert len(level_assignments(levels)) == 20


def test_exact_test_minimum_p():
    table = pd.DataFrame({"doc_id": list("abcde"), "level": ["p", "m", "m", "m", "d"], "x": [5, 1, 1, 1, 9]})
    # the statistic receives the outcome columns as an array (documents x outcomes) and the relabelled
    # levels as integer codes in the labels' sorted order (d = 0, m = 1, p = 2)
    result = exact_level_test(table, lambda x, lv: float(abs(x[np.asarray(lv) == 0, 0].sum())))
    assert result["min_attainable_p"] == 0.05 and result["p_value"] == 0.2


def test_entropy_bounds():
    assert entropy(np.array([5, 0, 0]), 3) == 0
    assert abs(entropy(np.array([2, 2, 2]), 3) - 1) < 1e-12


def test_wilson_interval():
    low, high = wilson(2, 10)
    assert low < 0.2 < high and (low, high) == (0.0567, 0.5098)


def test_agreement_is_reported(built):
    a = built["agreement"].iloc[0]
    assert a.n_items == 82 and a.n_unmatched == 0
    assert a.ci_low < a.kappa < a.ci_high
    assert a.title_matches == 82 and a.unit_items == 20 and a.lead_units_matches == 20 and a.responsible_units_matches >= 19


def test_achievement_recall_on_seeds(built):
    r = built["achievement_recall"]
    assert r["found"].mean() >= 0.95
    numeric = r[r["found"] & r["claim_type"].isin(["numeric", "masked"])]
    assert len(numeric) and numeric["masked_flag_ok"].astype(bool).all()


def test_level_tests_state_their_power(built):
    for name in ("attention_level_test", "density_level_test"):
        exact = built[name].dropna(subset=["n_assignments"])
        assert (exact["status"] == "ok").all() and exact["effect_unit"].str.len().gt(0).all()
        assert exact["conclusion"].str.startswith(f"cannot tell levels apart with n = {exact['n_docs'].iloc[0]}").all()


def test_model_table_carries_its_warning(built):
    est = built["model_estimates"]
    assert est.loc[est["status"] == "ok", "note"].str.contains("small sample").all()


def test_permutation_tests_are_honest(built):
    for table in ("attention_level_test", "density_level_test"):
        t = built[table].dropna(subset=["n_assignments"])
        assert (t["n_assignments"] == 20).all() and (t["p_value"] >= 0.05).all()


def test_keyness_ranks(built):
    k = built["keyness"]
    for comparison in ("other_levels", "central"):
        ranked = k[k["comparison"] == comparison]
        assert set(ranked["level"]) == {"provincial", "municipal", "district"}, comparison
        assert (ranked[ranked["rank"] == 1]["log_odds_z"] > 0).all()
    # against the centre, the province's own word for itself is distinctive
    assert "全省" in set(k.query("comparison == 'central' and level == 'provincial'")["token"])


def test_keyness_tokens_carry_the_glossary_english(built):
    """The gloss is the term list's (data/raw/glossary/terms.csv), so the CSV reads without the notebook."""
    from tifa.config import DATA_RAW

    terms = pd.read_csv(DATA_RAW / "glossary" / "terms.csv", dtype=str).set_index("term")["english"]
    k = built["keyness"].dropna(subset=["token"])
    assert k.loc[k["token"] == "全省", "english"].eq(terms["全省"]).all()
    glossed = k[k["token"].isin(terms.index)]
    assert not glossed.empty and (glossed["english"] == glossed["token"].map(terms)).all()


def test_large_designs_switch_to_monte_carlo():
    from tifa.stages.stats import n_assignments

    levels = ["provincial"] * 2 + ["municipal"] * 10 + ["district"] * 8
    assert n_assignments(levels) > 5000
    table = pd.DataFrame({"doc_id": range(20), "level": levels, "x": range(20)})
    result = exact_level_test(table, lambda x, lv: float(x[[l == "district" for l in lv], 0].sum()))
    assert result["method"] == "monte_carlo" and result["n_assignments"] == 4999 and 0 < result["p_value"] <= 1


def test_enumeration_matches_the_multinomial_count():
    from tifa.stages.stats import n_assignments

    levels = ["a", "a", "b", "b", "b", "c"]
    assignments = level_assignments(levels)
    assert len(assignments) == n_assignments(levels) == 60 and len(set(assignments)) == 60
