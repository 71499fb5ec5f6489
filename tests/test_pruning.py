"""The shortcuts of the central-reuse search change no result: n-gram chains bound every aligned
passage, the chain-by-chain search keeps what aligning every text would keep, a holder is what the
full alignment says, and the vertical tables' interval unions are exact."""

import numpy as np
import pandas as pd
import pytest

from tifa.stages import align
from tifa.stages.central import (HOLD_SHARE, MAX_GAP, ReferenceIndex, _candidates, _keep, _rank, holders,
                                 passages, reduce_text, time_order)
from tifa.stages.vertical import covered_count, merged


def test_agreeing_counts_the_characters_that_agree():
    assert align.agreeing("坚持以人民为中心的发展思想", "坚持以人民为核心的发展思想", 0, 0) == 6
    assert align.agreeing("甲乙丙", "乙丙", 1, 0) == 2  # to the end of both
    assert align.agreeing("甲乙丙", "丁乙丙", 0, 0) == 0
    assert align.agreeing("甲" * 100 + "乙", "甲" * 100 + "丙", 0, 0) == 100  # beyond the doubling steps
    assert align.agreeing("甲乙", "甲乙", 2, 2) == 0


def test_a_chain_joins_shared_windows_across_small_gaps_only():
    index = ReferenceIndex({"c": "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"})
    query = "一二三四五六七八子丑寅卯九十甲乙丙丁戊己"  # 8 shared, 4 changed, 8 shared
    chains = index.reach.long_chains(query, MAX_GAP, 1)
    assert chains[0].tolist() == [[0, 20]]  # the 4-character gap is bridged: one chain over the whole query
    wide = "一二三四五六七八子丑寅卯辰九十甲乙丙丁戊己"  # a 5-character gap is not
    assert index.reach.long_chains(wide, MAX_GAP, 1)[0].tolist() == [[0, 8], [13, 21]]
    assert index.reach.long_chains(wide, MAX_GAP, 9) == {}


@pytest.fixture(scope="module")
def statutes(legislation_sample):
    """The normalised texts of the legislation sample (statutes full of shared legal formulas), by level."""
    processed = legislation_sample / "processed"
    documents = pd.read_csv(processed / "documents.csv", dtype=str, keep_default_na=False)
    texts = {d: (processed / "normalized" / f"{d}.txt").read_text(encoding="utf-8") for d in documents["doc_id"]}
    central = {d: texts[d] for d in documents.loc[documents["level"] == "central", "doc_id"]}
    local = {d: texts[d] for d in documents.loc[documents["level"] != "central", "doc_id"]}
    intervals = {r.doc_id: (r.date_low, r.date_high) for r in documents.itertuples()}
    return central, local, intervals


def test_every_aligned_passage_lies_inside_one_chain(statutes):
    central, local, _ = statutes
    index = ReferenceIndex(central)
    checked = 0
    for text in local.values():
        chains = index.reach.long_chains(reduce_text(text)[0], MAX_GAP, 1)
        for source_id, found in index.align(text).items():
            rows = chains[index.ids.index(source_id)]
            for p in found:
                assert any(a <= p["start_a"] and p["end_a"] <= b for a, b in rows.tolist())
                checked += 1
    assert checked > 1000


def exhaustive(doc_id, text, index, central, intervals):
    """The candidates of every aligned passage with every central text, kept greedily by rank: what
    `passages` computes without its shortcuts."""
    reduced, offsets = reduce_text(text)
    candidates = [c for source_id, found in index.align(text).items()
                  for c in _candidates(found, doc_id, source_id, text, reduced, offsets, index, intervals, ())]
    kept = []
    for c in sorted(candidates, key=lambda c: _rank(c["time_order"], c["n_chars"], c["similarity"],
                                                    intervals[c["source_doc_id"]], c["source_doc_id"], c["a"])):
        _keep(c, kept)
    return sorted((c["start"], c["end"], c["source_doc_id"], c["similarity"]) for c in kept)


def test_the_chain_by_chain_search_keeps_what_aligning_every_text_keeps(statutes):
    central, local, intervals = statutes
    index = ReferenceIndex(central)
    n_kept = 0
    for doc_id, text in local.items():
        rows = passages(doc_id, text, index, central, intervals)
        assert sorted((r["start"], r["end"], r["aligned_doc_id"], r["similarity"]) for r in rows) == \
            exhaustive(doc_id, text, index, central, intervals)
        n_kept += len(rows)
    assert n_kept > 50


def test_holders_are_what_the_full_alignment_says(statutes):
    central, local, _ = statutes
    index = ReferenceIndex({**central, **local}, max_hits=2000)
    texts = list(local.values())[:4]
    pieces = [t[k:k + size] for t in texts for k in range(0, len(t) - 80, 97) for size in (20, 45, 80)]
    n_held = 0
    for piece in pieces:
        length = len(reduce_text(piece)[0])
        full = [t for t, found in index.align(piece).items()
                if max(p["end_a"] - p["start_a"] for p in found) >= HOLD_SHARE * length]
        assert holders(piece, index) == full
        n_held += len(full)
    assert n_held > len(pieces)  # most pieces are held by their own text and by others


def test_the_union_of_spans_per_group_is_exact():
    starts, ends, groups = np.array([5, 0, 3, 10, 2, 12]), np.array([8, 4, 6, 12, 3, 15]), np.array([0, 0, 0, 0, 1, 1])
    m_start, m_end, m_group = merged(starts, ends, groups)
    assert list(zip(m_start.tolist(), m_end.tolist(), m_group.tolist())) == [(0, 8, 0), (10, 12, 0), (2, 3, 1), (12, 15, 1)]
    counts = covered_count(16, m_start, m_end)
    assert counts.tolist() == [1, 1, 2, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0]  # [10, 12) and [12, 15) only touch
    assert merged(np.zeros(0, int), np.zeros(0, int), np.zeros(0, int))[0].size == 0


def test_time_order_is_part_of_the_rank():
    later = _rank(time_order(("2024-01-01", "2024-01-01"), ("2023-01-01", "2023-12-31")), 100, 1.0, ("2024",) * 2, "b", 0)
    earlier = _rank("before", 20, 0.5, ("2020",) * 2, "a", 0)
    assert earlier < later  # a source dated after the document ranks last, however long


def test_runs_of_all_texts_at_once_are_each_texts_own(statutes):
    """`ReferenceIndex.runs` chains the seeds of every text in one pass: the same runs as chaining each
    text's seeds on its own (`align.seed_runs`), seeds found here by a plain loop over the index."""
    from tifa.stages.central import STRIDE, ngram_hashes

    central, local, _ = statutes
    index = ReferenceIndex(central)
    text = next(iter(local.values()))
    reduced = reduce_text(text)[0]
    seeds: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(ngram_hashes(reduced, index.n)):  # numpy uint64 scalars: a Python int would be compared as a float
        lo, hi = np.searchsorted(index.hashes, h, "left"), np.searchsorted(index.hashes, h, "right")
        for at in range(lo, hi):
            seeds.setdefault(int(index.owners[at]), ([], []))[0].append(i)
            seeds[int(index.owners[at])][1].append(int(index.positions[at]))
    expected = {(k, 0): align.seed_runs(np.array(i), np.array(j), index.n, STRIDE) for k, (i, j) in seeds.items()}
    assert index.runs(reduced) == expected
    assert len(expected) >= 5 and sum(map(len, expected.values())) > 100
