"""The one aligner shared by central reuse and reuse between documents (tifa.stages.align)."""

import numpy as np

from tifa.stages import align
from tifa.stages.central import reduce_text


def test_seed_runs_chain_seeds_on_a_diagonal_within_the_stride():
    # seeds of 3-grams at a: 0, 2, 4 on diagonal +5, and one at 10 on the same diagonal (too far), one at 1 on +7
    i = np.array([0, 2, 4, 10, 1])
    j = np.array([5, 7, 9, 15, 8])
    assert align.seed_runs(i, j, 3, stride=2) == [(0, 5, 7), (10, 15, 3), (1, 8, 3)]
    assert align.seed_runs(i, j, 3, stride=1) == [(0, 5, 3), (2, 7, 3), (4, 9, 3), (10, 15, 3), (1, 8, 3)]
    assert align.seed_runs(np.array([], int), np.array([], int), 3) == []


def test_extend_bridges_an_insertion_only_with_enough_agreement_beyond():
    a, b = "全面贯彻落实党的二十大精神", "全面贯彻党的二十大精神"
    assert align.extend(a, b, (0, 0, 4), max_gap=4, min_bridge=6) == (0, len(a), 0, len(b))
    # 质量发展 (four characters) after a changed word: not enough to bridge
    a, b = "构建新发展格局坚决提升质量发展高线", "构建新发展格局推动高质量发展为全面"
    assert align.extend(a, b, (0, 0, 7), max_gap=4, min_bridge=6) == (0, 7, 0, 7)
    assert align.extend(a, b, (0, 0, 7), max_gap=4, min_bridge=4)[1] == 15  # the old rule bridged it


def test_extend_and_join_refuse_a_boundary_on_one_side_only():
    local, source = "思想，抓好十九届六中全会精神", "思想。十九大、十九届六中全会精神"
    (a, offsets_a), (b, offsets_b) = reduce_text(local), reduce_text(source)
    gap_a, gap_b = align.gap_in(local, offsets_a), align.gap_in(source, offsets_b)
    start_b = b.index("十九届")
    runs = [(0, 0, 2), (a.index("十九届"), start_b, len(b) - start_b)]
    assert len(align.join(runs, 4)) == 1  # without the texts as written: joined
    assert len(align.join(runs, 4, gap_a, gap_b)) == 2
    assert align.extend(a, b, (0, 0, 2), 4, 6, gap_a, gap_b)[1] == 2
    assert align.extend(a, b, (0, 0, 2), 4, 6)[1] == len(a)


def test_longest_first_on_one_side_keeps_a_phrase_said_twice():
    runs = [(0, 10, 8), (20, 10, 8), (2, 30, 3)]
    assert align.longest_first(runs) == [(0, 10, 8)]
    assert align.longest_first(runs, both_sides=False) == [(0, 10, 8), (20, 10, 8)]
    assert align.longest_first([(0, 8, 10, 18)], both_sides=False) == [(0, 8, 10, 18)]


def test_join_counts_matched_characters_and_segments():
    joined = align.join([(0, 0, 10), (12, 11, 10), (40, 40, 10)], max_gap=4)
    assert [(p["start_a"], p["end_a"], p["start_b"], p["end_b"], p["n_matched_chars"], p["n_segments"]) for p in joined] \
        == [(0, 22, 0, 21, 20, 2), (40, 50, 40, 50, 10, 1)]


def test_bridged_joins_runs_whose_gap_holds_the_same_text():
    a = b = "甲乙丙丁戊己庚辛壬癸子丑"
    assert align.bridged([(0, 0, 4), (7, 7, 5)], a, b) == [(0, 0, 12)]
    assert align.bridged([(0, 0, 4), (7, 7, 5)], a, "甲乙丙丁XYZ庚辛壬癸子丑") == [(0, 0, 4), (7, 7, 5)]
