"""Reuse on large or odd corpora: candidate pairs from the n-gram index, masks, top-k similarity."""

from itertools import combinations
import random

import numpy as np
import pandas as pd
import pytest

from tifa.stages import reuse
from tifa.stages.central import n_han
from tifa.stages.reuse import align, candidate_pairs, exact_passages, flatten, reuse_pairs, signature, similarity

PHRASE = "坚持以人民为中心的发展思想不动摇"


def test_a_long_mask_run_seeds_nothing_and_does_not_exhaust_memory():
    # 20,000 × in both documents used to give 4 × 10^8 seeds (MemoryError)
    a = "前言" + "×" * 20_000 + "甲乙" + PHRASE
    b = "×" * 20_000 + "子丑寅" + PHRASE + "卯"
    assert exact_passages(a, b) == [(20_004, 20_003, len(PHRASE))]


def test_masks_inside_a_shared_passage_still_match():
    passage = "全面推进××××年市场监管重点工作任务落实"
    assert exact_passages("甲" + passage, "乙丙" + passage) == [(1, 2, len(passage))]


def test_an_ngram_repeated_beyond_the_cap_in_one_document_seeds_nothing():
    rule = "一二三四五六七八九十"
    a = rule * (reuse.MAX_SEED_REPEATS + 1)
    assert exact_passages(a, "开头" + rule + "结尾") == []
    assert exact_passages(rule * 3, "开头" + rule + "结尾") != []


def test_hash_seeds_equal_string_seeds():
    rng = random.Random(7)
    alphabet = "市场监管工作推进全面加强质量安全"
    a = "".join(rng.choice(alphabet) for _ in range(600))
    b = "".join(rng.choice(alphabet) for _ in range(300)) + a[100:250] + "".join(rng.choice(alphabet) for _ in range(300))
    hashed = reuse._seeds_by_hash(*reuse.ngram_hashes(a), *reuse.ngram_hashes(b))
    exact = reuse._seeds_by_string(a, b, reuse.SEED_N)
    assert sorted(zip(*map(np.ndarray.tolist, hashed))) == sorted(zip(*map(np.ndarray.tolist, exact)))


def test_flatten_keeps_offsets_into_the_text():
    flat, offsets = flatten("一二\n三\n\n四")
    assert flat == "一二三四" and offsets.tolist() == [0, 1, 3, 6, 7]


def _corpus(n_docs: int, seed: int = 1) -> dict[str, str]:
    """Random text where document k shares one passage with document k + 1 and a slogan with all."""
    rng = random.Random(seed)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]

    def noise(k):
        return "".join(rng.choice(alphabet) for _ in range(k))

    shared = [noise(40) for _ in range(n_docs)]
    return {f"d{k:03d}": noise(80) + shared[k] + "\n" + noise(60) + chr(0x9000 + k) + PHRASE + chr(0x9100 + k) + noise(30) + (shared[k - 1] if k else "")
            for k in range(n_docs)}


def test_candidate_pairs_are_the_pairs_that_share_a_seed():
    texts = _corpus(12)
    sigs = [signature(t) for t in texts.values()]
    pairs = candidate_pairs(sigs).tolist()
    assert pairs == [list(p) for p in combinations(range(12), 2)]  # the slogan links every pair
    brute = []
    for a, b in combinations(list(texts), 2):
        fa, fb = flatten(texts[a])[0], flatten(texts[b])[0]
        brute += [(a, b, p["n_matched_chars"]) for p in align(exact_passages(fa, fb))
                  if min(n_han(fa[p["start_a"]:p["end_a"]]), n_han(fb[p["start_b"]:p["end_b"]])) >= reuse.MIN_HAN]
    got = reuse_pairs(texts)
    assert list(zip(got["doc_a"], got["doc_b"], got["n_matched_chars"])) == brute


def test_boilerplate_in_too_many_documents_makes_no_candidate(monkeypatch):
    monkeypatch.setattr(reuse, "MAX_DOC_FREQ", 5)
    texts = _corpus(30)
    pairs = candidate_pairs([signature(t) for t in texts.values()]).tolist()
    assert pairs == [[k, k + 1] for k in range(29)]  # linear, not 435 pairs
    got = reuse_pairs(texts)
    assert set(zip(got["doc_a"], got["doc_b"])) == {(f"d{k:03d}", f"d{k + 1:03d}") for k in range(29)}


def test_a_shared_phrase_shorter_than_a_passage_is_not_reuse():
    # 12 Han characters in common: a shared phrase, not reused text (central reuse uses the same floor)
    phrase, passage = "文化事业和文化产业繁荣发展", "坚持以人民为中心的发展思想推动高质量发展"
    a = "甲乙丙丁" + phrase + "戊己庚辛壬癸" + passage + "子丑"
    b = "寅卯" + phrase + "辰巳午未申酉戌亥" + passage
    got = reuse_pairs({"a": a, "b": b})
    assert got["text_a"].tolist() == [passage]
    assert len(phrase) < reuse.MIN_HAN <= len(passage)


def test_one_shared_ngram_makes_no_candidate():
    # exactly one common 10-gram: no passage of MIN_HAN characters can come of it
    common = "一二三四五六七八九十"
    a, b = "甲乙丙" + common + "丁戊", "子丑" + common + "寅卯辰"
    assert candidate_pairs([signature(a), signature(b)]).tolist() == []
    # one more character in common (丁 after the run): two 10-grams, a candidate
    assert candidate_pairs([signature("甲" + common + "丁"), signature("子" + common + "丁")]).tolist() == [[0, 1]]
    # an n-gram repeated inside a document is still one shared n-gram
    twice = "甲乙丙" + common + "丁戊" + common + "己"
    assert candidate_pairs([signature(twice), signature(b)]).tolist() == []
    pairs, weights = reuse.weighted_candidates([signature(twice + "丁"), signature("子" + common + "丁"), signature(twice)])
    assert pairs.tolist() == [[0, 1], [0, 2], [1, 2]] and weights.tolist() == [2, 16, 2]  # 17 10-grams in twice, C among them twice


def test_similarity_keeps_top_k_candidates_beyond_the_threshold(monkeypatch):
    texts = _corpus(12)
    found = reuse_pairs(texts)
    dense = similarity(texts, found)
    monkeypatch.setattr(reuse, "DENSE_MAX_DOCS", 5)
    monkeypatch.setattr(reuse, "TOP_K", 2)
    sparse = similarity(texts, found)
    assert list(sparse.columns) == list(dense.columns)
    assert sparse.groupby("doc_a").size().max() == 2 and len(sparse) == 24
    assert not (sparse["doc_a"] == sparse["doc_b"]).any()
    merged = sparse.merge(dense, on=["doc_a", "doc_b"], suffixes=("", "_dense"))
    assert len(merged) == len(sparse)
    assert np.allclose(merged["tfidf_cosine"], merged["tfidf_cosine_dense"], atol=2e-3)  # hashed features
    for column in ("share_a_reused_in_b", "n_passages", "longest_passage"):
        assert (merged[column] == merged[f"{column}_dense"]).all()
    # the neighbours kept are the most similar ones
    for doc, rows in sparse.groupby("doc_a"):
        others = dense[(dense["doc_a"] == doc) & (dense["doc_b"] != doc)]["tfidf_cosine"]
        assert rows["tfidf_cosine"].min() >= others.nlargest(2).min() - 2e-3


def test_candidate_generation_is_the_same_through_any_mapper():
    from concurrent.futures import ThreadPoolExecutor

    sigs = [signature(t) for t in _corpus(10).values()]
    with ThreadPoolExecutor(2) as pool:
        assert np.array_equal(candidate_pairs(sigs, pool.map), candidate_pairs(sigs))
    assert np.array_equal(candidate_pairs(sigs, n_buckets=1), candidate_pairs(sigs, n_buckets=5))


def test_empty_and_single_document_corpora():
    assert reuse_pairs({}).empty
    assert reuse_pairs({"a": "甲乙丙丁戊己庚辛壬癸子丑", "b": "寅卯辰巳午未申酉戌亥"}).empty  # nothing shared
    one = {"only": "一份文件" * 10}
    assert reuse_pairs(one).empty
    table = similarity(one, reuse_pairs(one))
    assert table.to_dict("records") == [{"doc_a": "only", "doc_b": "only", "tfidf_cosine": 1.0,
                                         "share_a_reused_in_b": 1.0, "n_passages": 0, "longest_passage": 0}]


def test_tfidf_cosine_equals_scikit_learns():
    # the build hashes n-grams with numpy (fast, no scikit-learn import); scikit-learn is the reference
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    texts = list(_corpus(8).values()) + ["市场监管" * 5, "质量强国质量强省"]
    flat = ["".join(t.split()) for t in texts]
    reference = cosine_similarity(TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True,
                                                  lowercase=False).fit_transform(flat))
    vectors = reuse.tfidf(reuse.char_ngram_counts(flat))
    assert np.allclose((vectors @ vectors.T).toarray(), reference, atol=1e-9)


def test_coverage_counts_overlapping_passages_once():
    passages = pd.DataFrame({"doc_a": ["a", "a", "a"], "doc_b": ["b", "b", "c"], "start_a": [0, 5, 2], "end_a": [10, 12, 4],
                             "start_b": [0, 20, 0], "end_b": [10, 27, 2]})
    shares = reuse.coverage(passages, {"a": 100, "b": 50, "c": 10})
    assert shares == {("a", "b"): 0.12, ("a", "c"): 0.02, ("b", "a"): 0.34, ("c", "a"): 0.2}


def test_pair_cosines_equal_the_full_product():
    flat = ["".join(t.split()) for t in _corpus(9).values()] + [""]
    vectors = reuse.tfidf(reuse.char_ngram_counts(flat, hashed=True)).tocsr()
    # pairs in no particular order, a document on both sides, an empty document, a pair twice
    a, b = np.array([3, 0, 1, 2, 8, 0, 9, 3]), np.array([4, 1, 2, 3, 7, 8, 0, 4])
    full = (vectors @ vectors.T).toarray()[a, b]
    assert np.allclose(reuse.pair_cosines(vectors, a, b), full, atol=1e-6)
    assert reuse.pair_cosines(vectors, a[:0], b[:0]).shape == (0,)


def test_strongest_partners_keep_each_documents_best_candidates():
    pairs = np.array([[0, 1], [0, 2], [0, 3], [1, 2]])
    weights = np.array([5, 9, 2, 7])
    # document 0 keeps 2 (9) and 1 (5); 1 keeps 2 (7) and 0 (5); 2 keeps 0 and 1; 3 keeps 0
    assert reuse.strongest_partners(pairs, weights, limit=2).tolist() == [[0, 1], [0, 2], [0, 3], [1, 2]]
    assert reuse.strongest_partners(pairs, weights, limit=1).tolist() == [[0, 2], [0, 3], [1, 2]]


def test_tfidf_of_a_corpus_with_empty_documents():
    vectors = reuse.tfidf(reuse.char_ngram_counts(["", "市场监管", "", "监管"]))
    assert vectors.shape[0] == 4 and np.allclose(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel(), [0, 1, 0, 1])


@pytest.mark.parametrize("block", [1, 37, 10_000_000])
def test_tfidf_in_blocks_equals_one_block(monkeypatch, block):
    # weighting row blocks in place must give exactly the vectors of one block; a block of one
    # entry is smaller than any row, so every row is then its own block
    flat = ["".join(t.split()) for t in _corpus(9).values()] + ["", "监管"]
    whole = reuse.tfidf(reuse.char_ngram_counts(flat, hashed=True))
    monkeypatch.setattr(reuse, "TFIDF_BLOCK_NNZ", block)
    counts = reuse.char_ngram_counts(flat, hashed=True)
    blocked = reuse.tfidf(counts, copy=False)
    assert np.array_equal(blocked.indptr, whole.indptr) and np.array_equal(blocked.indices, whole.indices)
    assert np.array_equal(blocked.data, whole.data)
    assert blocked.data is counts.data  # copy=False weighs the counts in place


def test_tfidf_leaves_its_input_alone_by_default():
    counts = reuse.char_ngram_counts(["市场监管市场", "监管"])
    before = counts.data.copy()
    reuse.tfidf(counts)
    assert np.array_equal(counts.data, before)


def test_top_k_ranks_by_the_reported_cosine_then_document_order(monkeypatch):
    # cosines equal to 4 decimals are a tie, whatever their float noise: the earlier document wins
    ids = ["d0", "d1", "d2", "d3"]
    texts = {d: "市场监管" for d in ids}
    candidates = np.array([[0, 1], [0, 2], [0, 3]])
    noisy = np.array([0.49996, 0.50001, 0.50004])  # 0.5 each once rounded; unrounded, d3 and d2 would win
    monkeypatch.setattr(reuse, "pair_cosines", lambda vectors, a, b: noisy)
    monkeypatch.setattr(reuse, "TOP_K", 2)
    empty = pd.DataFrame(columns=reuse.REUSE_COLUMNS)
    table = reuse._top_k(ids, list(texts.values()), texts, empty, candidates, np.array([3, 2, 1]))
    assert table[table["doc_a"] == "d0"]["doc_b"].tolist() == ["d1", "d2"]
    assert (table["tfidf_cosine"] == 0.5).all()


def test_pairs_expanded_in_blocks_give_the_same_candidates_and_runs(monkeypatch):
    # a bucket's n-grams are expanded into pairs a block at a time; any block size gives the same result
    sigs = [signature(t) for t in _corpus(12).values()]
    pairs, weights = reuse.weighted_candidates(sigs)
    runs = reuse.corpus_runs(sigs)
    monkeypatch.setattr(reuse, "PAIRS_AT_ONCE", 1)
    small_pairs, small_weights = reuse.weighted_candidates(sigs)
    assert np.array_equal(small_pairs, pairs) and np.array_equal(small_weights, weights)
    assert np.array_equal(reuse.corpus_runs(sigs), runs) and len(runs) > 12
