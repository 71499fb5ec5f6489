"""One seed-and-extend aligner, for central reuse and for reuse between documents.

Both stages find exact seeds (shared character n-grams) their own way: central reuse
looks a document up in an index of the central texts, reuse between documents
gathers the seeds of every pair from one index of the corpus. From the seeds on,
the alignment is one pipeline:

1. `seed_runs`: seeds on the same diagonal (same offset between the texts) chain into
   exact runs; with `stride` > 1 (an index holding every stride-th n-gram) seeds at
   most `stride` apart still chain;
2. runs become spans (start_a, end_a, start_b, end_b): either `bridged` (runs on one
   diagonal whose gap holds the same text on both sides join: an n-gram left out of the
   index as boilerplate), or `extend`ed: grown while the characters agree and across
   small edits, a gap of at most `max_gap` characters on either side, when at least
   `min_bridge` characters agree beyond it (a run too short to be seeded, 不断满足人民
   before an inserted 群众) and the gap crosses no boundary on one side only;
3. `longest_first`: where spans overlap (a phrase repeated in one text), the longest is kept;
4. `join`: consecutive spans join into one aligned passage when the gap between them is
   at most `max_gap` characters on each side and, where the texts as written are given,
   crosses no boundary on one side only.

The boundary test: a sentence end (。！？；) or a book-title mark (《》) in one gap but not
in the other means the two sides belong to different sentences or titles, not to one
edited passage (central reuse once credited "…思想。十九大、十九届六中全会" for
"…思想，抓好十九届六中全会", and two regulation titles 《…条例》《…》 for a clause of a
work report). Bridging needs `min_bridge` agreeing characters beyond a gap: with four,
构建新发展格局，坚决提升质量发展 once passed for 构建新发展格局，推动高质量发展 (质量发展
agreeing after 坚决提升 / 推动高); central reuse asks for a seed's length (SEED_N).

Between documents the stage passes runs through `bridged` and `join` without the
boundary test (its passages are kept as they were: text shared by two documents of equal
standing is shared text even where one rephrases a sentence end); central reuse extends
its runs and applies the test everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

BOUNDARY_MARKS = frozenset("。！？；《》")

Run = tuple[int, int, int]  # start_a, start_b, length
Span = tuple[int, int, int, int]  # start_a, end_a, start_b, end_b
Gap = Callable[[int, int], str]  # the text between two positions, as written


def as_span(r) -> Span:
    return r if len(r) == 4 else (r[0], r[0] + r[2], r[1], r[1] + r[2])


def seed_runs(i: np.ndarray, j: np.ndarray, n: int, stride: int = 1) -> list[Run]:
    """Chain seeds (n-gram at i in a and at j in b) on the same diagonal into runs (start_a, start_b, length):
    a run continues while the next seed on its diagonal starts at most `stride` characters later."""
    _, start_a, start_b, length = chain_seeds(i, j, n, stride)
    return list(zip(start_a.tolist(), start_b.tolist(), length.tolist()))


def chain_seeds(i: np.ndarray, j: np.ndarray, n: int, stride: int = 1,
                texts: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """`seed_runs` as arrays (text, start_a, start_b, length), for the seeds of many texts b at once when
    `texts` says which text each seed is in (runs never cross texts), sorted by text, diagonal, start."""
    i, j = np.asarray(i, np.int64), np.asarray(j, np.int64)
    texts = np.zeros(len(i), np.int64) if texts is None else np.asarray(texts)
    if not len(i):
        return texts, i, j, i
    diag = j - i
    order = np.lexsort((i, diag, texts))
    texts, diag, i = texts[order], diag[order], i[order]
    new = np.append(True, (texts[1:] != texts[:-1]) | (diag[1:] != diag[:-1]) | (i[1:] > i[:-1] + stride))
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(i)) - 1
    return texts[starts], i[starts], i[starts] + diag[starts], i[ends] - i[starts] + n


def extend(a: str, b: str, run: Run, max_gap: int, min_bridge: int, gap_a: Gap | None = None,
           gap_b: Gap | None = None, memo: tuple[dict, dict] | None = None) -> Span:
    """Grow an exact run left and right while the characters agree, and across gaps of up to `max_gap`
    characters on either side when `min_bridge` characters agree beyond them (the smallest such gap
    first) and, with `gap_a`/`gap_b`, the gap crosses no boundary on one side only.

    `memo` (two dicts, right and left, for one pair of texts): where growth from a position already led,
    so that the runs of one exact stretch (a stretch the index seeds in pieces) are grown once."""
    start, source_start, length = run
    right, left = memo if memo is not None else ({}, {})
    end, source_end = _grow(a, b, start + length, source_start + length, max_gap, min_bridge, gap_a, gap_b, right)
    rev_a, rev_b = _reversed(a), _reversed(b)
    flip = (lambda gap, n: (lambda x, y: gap(n - y, n - x))) if gap_a is not None else None
    rev_start, rev_source_start = _grow(rev_a, rev_b, len(a) - start, len(b) - source_start, max_gap, min_bridge,
                                        flip(gap_a, len(a)) if flip else None, flip(gap_b, len(b)) if flip else None,
                                        left)
    return len(a) - rev_start, end, len(b) - rev_source_start, source_end


@lru_cache(maxsize=8)
def _reversed(text: str) -> str:
    """`text` backwards, made once per text and not once per run (a run grows left by growing right in it)."""
    return text[::-1]


def agreeing(a: str, b: str, i: int, j: int) -> int:
    """How many characters agree from a[i] and b[j] on (compared as slices, in C, not one by one)."""
    most = min(len(a) - i, len(b) - j)
    if most <= 0 or a[i] != b[j]:
        return 0
    low, high = 1, 8  # a[i:i+low] agrees; find where it stops by doubling, then halving
    while high < most and a[i:i + high] == b[j:j + high]:
        low, high = high, 2 * high
    high = min(high, most)
    if a[i:i + high] == b[j:j + high]:
        return high
    while high - low > 1:  # a[i:i+low] agrees, a[i:i+high] does not
        mid = (low + high) // 2
        if a[i + low:i + mid] == b[j + low:j + mid]:
            low = mid
        else:
            high = mid
    return low


def _grow(a: str, b: str, i: int, j: int, max_gap: int, min_bridge: int, gap_a: Gap | None,
          gap_b: Gap | None, memo: dict) -> tuple[int, int]:
    """Extend forward from a[i], b[j]: exact characters, then bridged gaps; returns the new ends. Growth
    from a position is the same whichever run reached it, so `memo` keeps where each end of an exact
    stretch led."""
    passed = []
    while True:
        step = agreeing(a, b, i, j)
        i, j = i + step, j + step
        if (i, j) in memo:
            i, j = memo[(i, j)]
            break
        passed.append((i, j))
        bridges = []
        for ga in range(max_gap + 1):
            anchor = a[i + ga:i + ga + min_bridge]
            if len(anchor) < min_bridge:
                break
            gb = b.find(anchor, j + (ga == 0), j + max_gap + min_bridge)  # every place it agrees beyond a gap
            while gb != -1:
                bridges.append((ga + gb - j, ga, gb - j))
                gb = b.find(anchor, gb + 1, j + max_gap + min_bridge)
        bridges = [x for x in sorted(bridges)
                   if gap_a is None or marks(gap_a(i, i + x[1])) == marks(gap_b(j, j + x[2]))]
        if not bridges:
            break
        _, ga, gb = bridges[0]
        i, j = i + ga, j + gb
    for state in passed:
        memo[state] = (i, j)
    return i, j


def bridged(runs: list[Run], a: str, b: str) -> list[Run]:
    """Join runs on the same diagonal whose gap holds the same text in both texts."""
    runs = sorted(runs, key=lambda r: (r[1] - r[0], r[0]))
    joined: list[list[int]] = []
    for sa, sb, length in runs:
        if joined:
            pa, pb, plength = joined[-1]
            if sb - sa == pb - pa and (sa <= pa + plength or a[pa + plength:sa] == b[pb + plength:sb]):
                joined[-1][2] = max(plength, sa + length - pa)
                continue
        joined.append([sa, sb, length])
    return [tuple(r) for r in joined]


def longest_first(runs: list, both_sides: bool = True) -> list:
    """Keep the longest run or span where two overlap (in either text, or with `both_sides` False in text a
    only: then a phrase said twice in a, both times from one place in b, is kept twice)."""
    if len(runs) < 2:
        return sorted(runs)
    spans = sorted(((as_span(r), r) for r in runs), key=lambda p: (-(p[0][1] - p[0][0]), p[0][0], p[0][2]))
    kept: list = []
    for (a0, a1, b0, b1), r in spans:
        if any(a0 < k1 and k0 < a1 or both_sides and b0 < l1 and l0 < b1 for (k0, k1, l0, l1), _ in kept):
            continue
        kept.append(((a0, a1, b0, b1), r))
    return sorted(r for _, r in kept)


def marks(gap: str) -> frozenset[str]:
    return BOUNDARY_MARKS.intersection(gap)


def join(spans: list, max_gap: int, gap_a: Gap | None = None, gap_b: Gap | None = None) -> list[dict]:
    """Merge runs or spans separated by at most `max_gap` characters in both texts into aligned passages;
    where `gap_a` and `gap_b` are given, a gap with a boundary mark on one side only is not bridged."""
    merged: list[dict] = []
    for a0, a1, b0, b1 in sorted(as_span(r) for r in spans):
        if merged:
            last = merged[-1]
            size_a, size_b = a0 - last["end_a"], b0 - last["end_b"]
            if 0 <= size_a <= max_gap and 0 <= size_b <= max_gap and (
                    gap_a is None or marks(gap_a(last["end_a"], a0)) == marks(gap_b(last["end_b"], b0))):
                last.update(end_a=a1, end_b=b1, n_matched_chars=last["n_matched_chars"] + a1 - a0,
                            n_segments=last["n_segments"] + 1)
                continue
        merged.append({"start_a": a0, "end_a": a1, "start_b": b0, "end_b": b1, "n_matched_chars": a1 - a0,
                       "n_segments": 1})
    return merged


def passages(spans: list, max_gap: int, both_sides: bool = True, gap_a: Gap | None = None,
             gap_b: Gap | None = None) -> list[dict]:
    """Aligned passages from runs or spans (already bridged or extended): longest first, joined across small gaps."""
    return join(longest_first(spans, both_sides), max_gap, gap_a, gap_b)


def gap_in(text: str, offsets) -> Gap:
    """`gap_a`/`gap_b` for a reduced text: the text as written between reduced positions x - 1 and y, the
    punctuation a gap of reduced positions x..y-1 stands in (`offsets`: position in `text` of each
    reduced character)."""
    def gap(x: int, y: int) -> str:
        if not 0 < x <= y < len(offsets):
            return ""
        return text[offsets[x - 1] + 1:offsets[y]]
    return gap
