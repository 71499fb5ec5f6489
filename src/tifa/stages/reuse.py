"""Reuse stage: passages shared between documents, and how similar documents are.

Method (seed-and-extend, as character-based text-reuse detectors do for Chinese,
which needs no word segmentation):

1. seed: every character n-gram (n = SEED_N = 10, on the text with line breaks
   removed) that occurs in both documents; an n-gram made only of mask characters
   (××××…) or repeated more than MAX_SEED_REPEATS times in one document is layout,
   not reuse, and seeds nothing (a 20,000-character mask run would otherwise give
   4 × 10⁸ seeds);
2. extend: seeds on the same diagonal (same offset between the documents) chain
   into maximal exact common passages;
3. align: neighbouring passages whose gaps are at most MAX_GAP characters in both
   documents merge into one aligned passage (a few words changed or inserted);
   `n_matched_chars` keeps the exactly shared characters;
4. keep: an aligned passage is reported when it holds at least MIN_HAN Han
   characters on both sides, the threshold central reuse uses; shorter matches are
   shared phrases (文化事业和文化产业), not reused text.

Only candidate pairs are aligned: an inverted index from each n-gram (a 64-bit
rolling hash) to the documents holding it names the pairs that share at least
at least MIN_SHARED_SEEDS distinct n-grams (a reportable passage holds at least
two: one per segment, or six in one exact run). N-grams found in more than
MAX_DOC_FREQ documents (boilerplate such as standard slogans) do not count
towards candidacy, in the spirit of passim's maximum n-gram document frequency;
this keeps the number of candidates linear in the corpus size. On corpora
smaller than MAX_DOC_FREQ documents this changes nothing: every pair that can
hold a reportable passage is aligned.

A passage is reported once per document pair, with positions and lengths in
both normalised texts. Document similarity is the cosine of character 2-4-gram
TF-IDF vectors (n-grams hashed into N_FEATURES columns with numpy; the weighting
of scikit-learn's TfidfTransformer) and, per direction, the share of a document's
characters covered by passages reused in the other. Up to DENSE_MAX_DOCS
documents the table is the full matrix; beyond, it keeps for each document its
TOP_K most similar documents among its reuse candidates (sparse vectors, no
n × n matrix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tifa.stages import align as aligner
from tifa.stages.central import MIN_HAN, n_han
from tifa.text.normalise import MASK_CODES, code_points
from tifa.memory import release_freed_memory

SEED_N = 10
MAX_GAP = 6
MAX_SEED_REPEATS = 50  # an n-gram repeated more often within one document seeds nothing
MAX_DOC_FREQ = 100  # an n-gram in more documents does not make a candidate pair on its own
MIN_SHARED_SEEDS = 2  # distinct non-boilerplate n-grams two documents must share to be aligned
DENSE_MAX_DOCS = 500  # full similarity matrix up to this many documents
TOP_K = 20  # neighbours kept per document beyond DENSE_MAX_DOCS
PAIRS_PER_TASK = 2000  # candidate pairs aligned per task when mapped over workers

_BASE = np.uint64(0x100000001B3)  # odd multiplier of the rolling hash

REUSE_COLUMNS = ["doc_a", "start_a", "end_a", "doc_b", "start_b", "end_b", "length_a", "length_b",
                 "n_matched_chars", "n_segments", "text_a", "text_b"]
SIMILARITY_COLUMNS = ["doc_a", "doc_b", "tfidf_cosine", "share_a_reused_in_b", "n_passages", "longest_passage"]


def flatten(text: str) -> tuple[str, np.ndarray]:
    """Text without line breaks, and the offset of every kept character (plus len(text) at the end)."""
    codes = code_points(text)
    offsets = np.append(np.flatnonzero(codes != ord("\n")), len(text)).astype(np.int32)  # half the memory of int64
    return text.replace("\n", ""), offsets


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the rolling hash over all 64 bits (for bucketing)."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def ngram_hashes(text: str, n: int = SEED_N) -> tuple[np.ndarray, np.ndarray]:
    """Hash of every n-gram text[i:i+n], and whether it may seed a passage (not all masks, not over-repeated)."""
    codes = code_points(text)
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, np.uint64), np.zeros(0, bool)
    wide = codes.astype(np.uint64)
    h = np.zeros(m, np.uint64)
    for k in range(n):
        h = h * _BASE + wide[k:k + m]
    h = _mix(h)
    masked = np.concatenate([[0], np.cumsum(np.isin(codes, MASK_CODES))])
    all_mask = masked[n:n + m] - masked[:m] == n
    _, inverse, counts = np.unique(h, return_inverse=True, return_counts=True)
    return h, ~all_mask & (counts[inverse] <= MAX_SEED_REPEATS)


def _runs(i: np.ndarray, j: np.ndarray, n: int) -> list[tuple[int, int, int]]:
    """Chain seeds (i in a, j in b) on the same diagonal into maximal passages (start_a, start_b, length)."""
    return aligner.seed_runs(i, j, n)


def _seeds_by_hash(ha, oka, hb, okb) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) with equal eligible n-gram hashes (one pair of documents; the build uses `corpus_runs`)."""
    ia, jb = np.flatnonzero(oka), np.flatnonzero(okb)
    jb = jb[np.argsort(hb[jb], kind="stable")]
    sorted_b = hb[jb]
    lo = np.searchsorted(sorted_b, ha[ia], "left")
    count = np.searchsorted(sorted_b, ha[ia], "right") - lo
    hit = count > 0
    ia, lo, count = ia[hit], lo[hit], count[hit]
    within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(ia, count), jb[np.repeat(lo, count) + within]


def _seeds_by_string(a: str, b: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The same seeds compared as strings (used only if two different n-grams ever share a hash)."""
    _, oka = ngram_hashes(a, n)
    _, okb = ngram_hashes(b, n)
    index: dict[str, list[int]] = {}
    for j in np.flatnonzero(okb).tolist():
        index.setdefault(b[j:j + n], []).append(j)
    pairs = [(i, j) for i in np.flatnonzero(oka).tolist() for j in index.get(a[i:i + n], ())]
    return np.array([p[0] for p in pairs], np.int64), np.array([p[1] for p in pairs], np.int64)


def _passages(a: str, b: str, n: int) -> list[tuple[int, int, int]]:
    ha, oka = ngram_hashes(a, n)
    hb, okb = ngram_hashes(b, n)
    i, j = _seeds_by_hash(ha, oka, hb, okb)
    if not len(i):
        return []
    return aligner.longest_first(_verified(a, b, _runs(i, j, n), n))


def _verified(a: str, b: str, runs: list[tuple[int, int, int]], n: int = SEED_N) -> list[tuple[int, int, int]]:
    """`runs` if every one is really shared text; after a hash collision, the runs found by comparing strings."""
    if all(a[sa:sa + length] == b[sb:sb + length] for sa, sb, length in runs):
        return runs
    i, j = _seeds_by_string(a, b, n)
    return _runs(i, j, n) if len(i) else []


def exact_passages(a: str, b: str, n: int = SEED_N) -> list[tuple[int, int, int]]:
    """Maximal common substrings of length >= n as (start_a, start_b, length)."""
    return _passages(a, b, n)


def align(passages: list[tuple[int, int, int]], max_gap: int = MAX_GAP) -> list[dict]:
    """Merge exact passages separated by small gaps in both texts (`aligner.join`, without the boundary test)."""
    return aligner.join(passages, max_gap)


# ------------------------------------------------------------ candidate pairs
@dataclass
class Signature:
    """What reuse needs of one document: flat text, offsets back into the text, n-gram hashes."""

    flat: str
    offsets: np.ndarray
    hashes: np.ndarray
    seeds: np.ndarray  # bool: n-gram may seed a passage


def signature(text: str, n: int = SEED_N) -> Signature:
    flat, offsets = flatten(text)
    return Signature(flat, offsets, *ngram_hashes(flat, n))


def _bucket_pairs(hashes: np.ndarray, docs: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (as a * n_docs + b, a < b) of documents sharing n-grams held by 2..MAX_DOC_FREQ documents,
    and how many such distinct n-grams each pair shares."""
    if not len(hashes):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((docs, hashes))
    hashes, docs = hashes[order], docs[order].astype(np.int64)
    once = np.append(True, (hashes[1:] != hashes[:-1]) | (docs[1:] != docs[:-1]))  # an n-gram counts once per document
    hashes, docs = hashes[once], docs[once]
    starts = np.flatnonzero(np.append(True, hashes[1:] != hashes[:-1]))
    sizes = np.diff(np.append(starts, len(hashes)))
    # n-grams of one shared passage have the same set of documents: expand each set once
    fingerprint = np.add.reduceat(_mix(docs.astype(np.uint64) + np.uint64(1)), starts)
    keep = (sizes >= 2) & (sizes <= MAX_DOC_FREQ)
    starts, sizes, fingerprint = starts[keep], sizes[keep], fingerprint[keep]
    _, first, repeats = np.unique(np.stack([fingerprint, sizes.astype(np.uint64)], axis=1), axis=0,
                                  return_index=True, return_counts=True)
    starts, sizes = starts[first], sizes[first]
    keys, weights = [], []
    for size in np.unique(sizes).tolist():
        upper_a, upper_b = np.triu_indices(size, 1)
        for chosen in _blocks(np.flatnonzero(sizes == size), len(upper_a)):
            members = docs[starts[chosen][:, None] + np.arange(size)]
            keys.append((members[:, upper_a] * n_docs + members[:, upper_b]).ravel())
            weights.append(np.repeat(repeats[chosen], len(upper_a)))
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return _summed(np.concatenate(keys), np.concatenate(weights))


PAIRS_AT_ONCE = 2_000_000  # pairs of occurrences expanded at a time inside a bucket (bounds a worker's temporaries)


def _blocks(groups: np.ndarray, pairs_per_group: int) -> list[np.ndarray]:
    """`groups` in consecutive blocks of about PAIRS_AT_ONCE pairs: a boilerplate n-gram in a hundred
    documents gives thousands of pairs, and thousands of such n-grams expanded at once made a
    worker's memory jump by gigabytes."""
    step = max(1, PAIRS_AT_ONCE // max(pairs_per_group, 1))
    return [groups[k:k + step] for k in range(0, len(groups), step)]


def _summed(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys (sorted) with their weights summed."""
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique, np.bincount(inverse, weights=weights, minlength=len(unique)).astype(np.int64)


N_BUCKETS = 16  # hash buckets of the n-gram index: a bucket is one task for a worker
BUCKETS_AT_ONCE = 4  # buckets gathered at the same time, so the index never exists whole in memory


def _bucket_groups(n_buckets: int) -> list[list[int]]:
    return [list(range(k, min(k + BUCKETS_AT_ONCE, n_buckets))) for k in range(0, n_buckets, BUCKETS_AT_ONCE)]


def _index_parts(signatures: list[Signature], buckets: list[int], n_buckets: int,
                 positions_too: bool = True) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """(hashes, documents, positions) of every eligible n-gram whose hash falls in each of `buckets`, in
    document and position order (positions only if `positions_too`)."""
    hashes = {k: [] for k in buckets}
    docs = {k: [] for k in buckets}
    positions = {k: [] for k in buckets}
    for d, s in enumerate(signatures):
        where = np.flatnonzero(s.seeds)
        h = s.hashes[where]
        bucket = h % np.uint64(n_buckets)
        for k in buckets:
            chosen = bucket == k
            found = h[chosen]
            hashes[k].append(found)
            docs[k].append(np.full(len(found), d, np.int32))
            if positions_too:
                positions[k].append(where[chosen])
    joined = [(np.concatenate(hashes[k]) if hashes[k] else np.zeros(0, np.uint64)) for k in buckets]
    joined_docs = [(np.concatenate(docs[k]) if docs[k] else np.zeros(0, np.int32)) for k in buckets]
    joined_positions = [(np.concatenate(positions[k]) if positions[k] else np.zeros(0, np.int64)) for k in buckets]
    return joined, joined_docs, joined_positions


def weighted_candidates(signatures: list[Signature], mapper=map, n_buckets: int = N_BUCKETS) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) index pairs, a < b, sorted, of documents sharing at least MIN_SHARED_SEEDS non-boilerplate
    n-grams, and how many distinct such n-grams each pair shares.

    The index is split into hash buckets so that `mapper` (map, a process pool's map
    or a Dask client's) can build the pairs of each bucket separately.
    """
    n_docs = len(signatures)
    found = []
    for group in _bucket_groups(n_buckets):
        hashes, docs, _ = _index_parts(signatures, group, n_buckets, positions_too=False)
        found.extend(mapper(_bucket_pairs, hashes, docs, [n_docs] * len(group)))
    keys, weights = np.zeros(0, np.int64), np.zeros(0, np.int64)
    if found:
        keys, weights = _summed(np.concatenate([np.asarray(k, np.int64) for k, _ in found]),
                                np.concatenate([np.asarray(w, np.int64) for _, w in found]))
        keys, weights = keys[weights >= MIN_SHARED_SEEDS], weights[weights >= MIN_SHARED_SEEDS]
    return np.stack([keys // max(n_docs, 1), keys % max(n_docs, 1)], axis=1), weights


def candidate_pairs(signatures: list[Signature], mapper=map, n_buckets: int = N_BUCKETS) -> np.ndarray:
    """The pairs of `weighted_candidates`, without the weights."""
    return weighted_candidates(signatures, mapper, n_buckets)[0]


# ------------------------------------------------------------ seeds of all pairs at once
MAX_GROUP = 4 * MAX_DOC_FREQ  # occurrences of one n-gram across the corpus beyond which it seeds nothing


def _bucket_seeds(hashes: np.ndarray, docs: np.ndarray, positions: np.ndarray,
                  n_docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeds (pair keys a * n_docs + b, positions i in a, positions j in b; int64, int32, int32) of every
    pair sharing an n-gram of this hash bucket.

    An n-gram held by more than MAX_DOC_FREQ documents, or occurring more than MAX_GROUP
    times in all, is boilerplate and seeds nothing (what it covers inside a passage is
    bridged afterwards when the texts agree).
    """
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32))
    if not len(hashes):
        return empty
    order = np.lexsort((positions, docs, hashes))
    hashes, docs, positions = hashes[order], docs[order].astype(np.int64), positions[order].astype(np.int64)
    new_hash = np.append(True, hashes[1:] != hashes[:-1])
    starts = np.flatnonzero(new_hash)
    sizes = np.diff(np.append(starts, len(hashes)))
    new_doc = new_hash | np.append(True, docs[1:] != docs[:-1])
    n_holding = np.add.reduceat(new_doc.astype(np.int64), starts)
    keep = (n_holding >= 2) & (n_holding <= MAX_DOC_FREQ) & (sizes <= MAX_GROUP)
    starts, sizes = starts[keep], sizes[keep]
    found = []
    for size in np.unique(sizes).tolist():
        upper_x, upper_y = np.triu_indices(size, 1)
        for chosen in _blocks(starts[sizes == size], len(upper_x)):
            members = chosen[:, None] + np.arange(size)
            x, y = members[:, upper_x].ravel(), members[:, upper_y].ravel()
            cross = docs[x] != docs[y]  # sorted by document within an n-gram: docs[x] < docs[y]
            x, y = x[cross], y[cross]
            found.append((docs[x] * n_docs + docs[y], positions[x].astype(np.int32), positions[y].astype(np.int32)))
    if not found:
        return empty
    key, i, j = (np.concatenate([f[k] for f in found]) for k in range(3))
    by_pair = np.argsort(key, kind="stable")  # sorted by pair: `corpus_runs` takes the pairs a range at a time
    return key[by_pair], i[by_pair], j[by_pair]


def corpus_runs(signatures: list[Signature], mapper=map, n_buckets: int = N_BUCKETS) -> np.ndarray:
    """Exact runs (pair key, start_a, start_b, length) shared by any two documents, from one index of all n-grams.

    The cost grows with the number of n-gram occurrences and of shared characters, not
    with the number of document pairs.
    """
    n_docs = len(signatures)
    if n_docs < 2:
        return np.zeros((0, 4), np.int64)
    found = []
    for group in _bucket_groups(n_buckets):
        parts = _index_parts(signatures, group, n_buckets)
        found.extend(mapper(_bucket_seeds, *parts, [n_docs] * len(group)))
    # the seeds of every bucket are sorted by pair: chain them a range of first documents at a time, so
    # the sorting temporaries cover a share of the seeds, not all of them at once
    bounds = np.linspace(0, n_docs, RUN_PARTS + 1).astype(np.int64) * n_docs
    runs = []
    for low, high in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        pieces = [(f[0][a:b], f[1][a:b], f[2][a:b]) for f in found
                  for a, b in [np.searchsorted(f[0], [low, high]).tolist()] if b > a]
        if pieces:
            runs.append(_chained(*(np.concatenate([p[k] for p in pieces]) for k in range(3))))
    return np.concatenate(runs) if runs else np.zeros((0, 4), np.int64)


RUN_PARTS = 8  # ranges of pairs whose seeds are chained into runs one after the other


def _chained(key: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Seeds on the same diagonal of the same pair chained into runs (pair key, start_a, start_b, length),
    ordered by pair, diagonal and position."""
    diag = j - i
    order = np.lexsort((i, diag, key))
    key, i, diag = key[order], i[order], diag[order]
    new = np.ones(len(i), bool)
    new[1:] = (key[1:] != key[:-1]) | (diag[1:] != diag[:-1]) | (i[1:] != i[:-1] + 1)
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(i)) - 1
    return np.stack([key[first], i[first], i[first] + diag[first], i[last] - i[first] + SEED_N], axis=1)


def _may_hold_a_passage(runs: np.ndarray) -> np.ndarray:
    """The runs of pairs that can hold a reportable passage: a run of MIN_HAN characters, or several
    runs (which may join). A pair whose only common text is one short run (a shared phrase of
    SEED_N to MIN_HAN - 1 characters, the commonest case in a large corpus) is not aligned."""
    if not len(runs):
        return runs
    keys, first, n_runs = np.unique(runs[:, 0], return_index=True, return_counts=True)
    longest = np.maximum.reduceat(runs[:, 3], first)
    keep = keys[(n_runs >= 2) | (longest >= MIN_HAN)]
    return runs[np.isin(runs[:, 0], keep)]


def _pair_passages(a: str, b: str, runs: list[tuple[int, int, int]]) -> list[dict]:
    """Aligned passages of two flat texts: runs bridged, longest first, joined across small gaps (no boundary test)."""
    return aligner.passages(aligner.bridged(_verified(a, b, runs), a, b), MAX_GAP)


def _align_pairs(pairs: list[tuple[str, str]], texts: dict[str, str], runs: np.ndarray) -> list[dict]:
    """Aligned passages of each pair from its exact runs, in positions of the normalised texts. `runs`: the
    runs of these pairs (pair key, start_a, start_b, length), in pair order; `texts`: their documents'
    normalised texts (a task carries the texts only, about a third of their flat text and offsets)."""
    flat = {doc_id: flatten(text) for doc_id, text in texts.items()}
    _, first = np.unique(runs[:, 0], return_index=True)
    bounds = np.append(first, len(runs)).tolist()
    rows = []
    for (doc_a, doc_b), lo, hi in zip(pairs, bounds[:-1], bounds[1:]):
        (a, offsets_a), (b, offsets_b) = flat[doc_a], flat[doc_b]
        for p in _pair_passages(a, b, [tuple(r) for r in runs[lo:hi, 1:].tolist()]):
            text_a, text_b = a[p["start_a"]:p["end_a"]], b[p["start_b"]:p["end_b"]]
            if n_han(text_a) < MIN_HAN or n_han(text_b) < MIN_HAN:
                continue
            rows.append({
                "doc_a": doc_a, "start_a": int(offsets_a[p["start_a"]]), "end_a": int(offsets_a[p["end_a"] - 1]) + 1,
                "doc_b": doc_b, "start_b": int(offsets_b[p["start_b"]]), "end_b": int(offsets_b[p["end_b"] - 1]) + 1,
                "length_a": p["end_a"] - p["start_a"], "length_b": p["end_b"] - p["start_b"],
                "n_matched_chars": p["n_matched_chars"], "n_segments": p["n_segments"],
                "text_a": text_a, "text_b": text_b,
            })
    return rows


def reuse_pairs(texts: dict[str, str], progress: bool = False, mapper=map, candidates: np.ndarray | None = None,
                signatures: list[Signature] | None = None) -> pd.DataFrame:
    """Shared passages of every candidate pair, in document order (a before b as in `texts`)."""
    from tqdm import tqdm

    ids = list(texts)
    signatures = signatures if signatures is not None else list(mapper(signature, [texts[d] for d in ids]))
    if candidates is None:
        candidates = candidate_pairs(signatures, mapper)
    n = max(len(ids), 1)
    runs = corpus_runs(signatures, mapper)
    runs = runs[np.isin(runs[:, 0], candidates[:, 0] * n + candidates[:, 1])]
    runs = _may_hold_a_passage(runs)
    keys, first = np.unique(runs[:, 0], return_index=True)
    bounds = np.append(first, len(runs))
    pairs = [(ids[k // n], ids[k % n]) for k in keys.tolist()]
    chunks = list(range(0, len(pairs), PAIRS_PER_TASK))
    # a task needs its pairs' runs and its documents' texts, not their n-gram hashes
    chunk_pairs = [pairs[k:k + PAIRS_PER_TASK] for k in chunks]
    chunk_texts = [{d: texts[d] for pair in these for d in pair} for these in chunk_pairs]
    chunk_runs = [runs[bounds[k]:bounds[min(k + PAIRS_PER_TASK, len(pairs))]] for k in chunks]
    # one task at a time per worker: a task's texts are tens of MB once pickled
    imap = getattr(mapper, "imap", None)
    found = imap(_align_pairs, chunk_pairs, chunk_texts, chunk_runs, chunksize=1) if imap \
        else mapper(_align_pairs, chunk_pairs, chunk_texts, chunk_runs)
    rows = [r for chunk_rows in tqdm(found, total=len(chunks), desc="reuse pairs", disable=not progress) for r in chunk_rows]
    df = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    df.insert(0, "passage_id", [f"r{i:04d}" for i in range(1, len(df) + 1)])
    return df


def coverage(reuse: pd.DataFrame, lengths: dict[str, int]) -> dict[tuple[str, str], float]:
    """Share of each document's characters inside passages it shares with each other document
    (the union of the passages' spans, so overlapping passages count once)."""
    spans = pd.concat([
        pd.DataFrame({"doc": reuse["doc_a"], "other": reuse["doc_b"], "start": reuse["start_a"], "end": reuse["end_a"]}),
        pd.DataFrame({"doc": reuse["doc_b"], "other": reuse["doc_a"], "start": reuse["start_b"], "end": reuse["end_b"]}),
    ], ignore_index=True).sort_values(["doc", "other", "start", "end"], kind="stable")
    if spans.empty:
        return {}
    reached = spans.groupby(["doc", "other"], sort=False)["end"].cummax()
    before = reached.groupby([spans["doc"], spans["other"]], sort=False).shift().fillna(-1).astype(np.int64)
    spans["new"] = (spans["end"] - np.maximum(spans["start"], before)).clip(lower=0)
    covered = spans.groupby(["doc", "other"], sort=False)["new"].sum()
    return {(doc, other): round(float(n) / max(lengths[doc], 1), 4) for (doc, other), n in covered.items()}


def _pair_rows(ids: list[str], a_idx: np.ndarray, b_idx: np.ndarray, cosine: np.ndarray, texts: dict[str, str],
               reuse: pd.DataFrame) -> pd.DataFrame:
    """Similarity rows for the given (a, b) index pairs, both directions of the reuse summed."""
    shares = coverage(reuse, {d: len(t) for d, t in texts.items()})
    position = {d: k for k, d in enumerate(ids)}
    ra, rb = reuse["doc_a"].map(position).to_numpy(int), reuse["doc_b"].map(position).to_numpy(int)
    n = len(ids)
    unordered = pd.Series(reuse["length_a"].to_numpy(), index=np.minimum(ra, rb) * n + np.maximum(ra, rb))
    per_pair = unordered.groupby(level=0).agg(["size", "max"])
    key = np.minimum(a_idx, b_idx) * n + np.maximum(a_idx, b_idx)
    self_pair = a_idx == b_idx
    n_passages = np.where(self_pair, 0, per_pair["size"].reindex(key, fill_value=0).to_numpy())
    longest = np.where(self_pair, 0, per_pair["max"].reindex(key, fill_value=0).to_numpy())
    doc_a, doc_b = [ids[k] for k in a_idx.tolist()], [ids[k] for k in b_idx.tolist()]
    return pd.DataFrame({
        "doc_a": doc_a, "doc_b": doc_b, "tfidf_cosine": [round(float(c), 4) for c in cosine],
        "share_a_reused_in_b": [1.0 if s else shares.get((a, b), 0.0) for a, b, s in zip(doc_a, doc_b, self_pair.tolist())],
        "n_passages": n_passages.astype(int), "longest_passage": longest.astype(int),
    }, columns=SIMILARITY_COLUMNS)


N_FEATURES = 2 ** 22  # hashed character n-gram features of the TF-IDF vectors


def char_ngram_counts(flat: list[str], orders: tuple[int, ...] = (2, 3, 4), hashed: bool = False) -> "sparse.csr_matrix":
    """Documents x character n-grams (2-4), counts, from numpy hashing instead of a Python analyzer
    (which made TF-IDF the slowest step of a large build). Columns are the distinct n-grams (64-bit
    hashes), or, with `hashed`, N_FEATURES buckets of them (bounded memory for large corpora, at
    the price of rare collisions, as scikit-learn's HashingVectorizer)."""
    from scipy import sparse

    if not flat:
        return sparse.csr_matrix((0, N_FEATURES))
    # filled in place: a document has at most one entry per n-gram, so the buffers never grow and the
    # matrix is not built twice (per-document arrays, then their concatenation)
    room = sum(max(len(text) - n + 1, 0) for text in flat for n in orders)
    features = np.empty(room, np.int32 if hashed else np.uint64)
    counts = np.empty(room, np.float32 if hashed else np.float64)  # hashed: large corpora, half the memory
    indptr = np.zeros(len(flat) + 1, np.int64)
    for k, text in enumerate(flat):
        codes = code_points(text).astype(np.uint64)
        found = []
        for n in orders:
            m = len(codes) - n + 1
            if m <= 0:
                continue
            h = np.full(m, n, np.uint64)  # the order is part of the hash: 监管 and 监管x never share a feature
            for q in range(n):
                h = h * _BASE + codes[q:q + m]
            found.append(_mix(h) % np.uint64(N_FEATURES) if hashed else _mix(h))
        unique, count = np.unique(np.concatenate(found), return_counts=True) if found else (np.zeros(0, np.uint64), np.zeros(0, int))
        start, end = indptr[k], indptr[k] + len(unique)
        features[start:end], counts[start:end] = unique, count
        indptr[k + 1] = end
    features, counts = features[:indptr[-1]], counts[:indptr[-1]]
    if hashed:
        indices, width = features, N_FEATURES
    else:
        vocabulary, indices = np.unique(features, return_inverse=True)
        width = len(vocabulary)
    return sparse.csr_matrix((counts, indices.ravel(), indptr), shape=(len(flat), width))


TFIDF_BLOCK_NNZ = 4_000_000  # stored entries weighted at once: temporaries stay small whatever the corpus


def tfidf(counts, copy: bool = True) -> "sparse.csr_matrix":
    """Sublinear TF (1 + log tf), smoothed IDF (1 + log((1 + n) / (1 + df))), rows scaled to unit length:
    the weighting of scikit-learn's TfidfTransformer(sublinear_tf=True) (tests compare the two).
    Rows are weighted in blocks of about TFIDF_BLOCK_NNZ entries, in place when `copy` is False
    (the caller's counts are then overwritten), so a large corpus needs no full-size temporaries."""
    weighted = counts.tocsr(copy=copy)
    weighted.sum_duplicates()
    data, indices, indptr = weighted.data, weighted.indices, weighted.indptr
    df = np.zeros(weighted.shape[1], np.int64)  # counted in blocks: bincount would copy all indices to int64
    for lo in range(0, len(indices), TFIDF_BLOCK_NNZ):
        df += np.bincount(indices[lo:lo + TFIDF_BLOCK_NNZ], minlength=weighted.shape[1])
    idf = (1.0 + np.log((1.0 + weighted.shape[0]) / (1.0 + df))).astype(data.dtype)
    first = 0
    while first < weighted.shape[0]:
        last = max(first + 1, int(np.searchsorted(indptr, indptr[first] + TFIDF_BLOCK_NNZ, side="right")) - 1)
        last = min(last, weighted.shape[0])
        lo, hi = indptr[first], indptr[last]
        block = data[lo:hi]
        np.log(block, out=block)
        block += 1.0
        block *= idf[indices[lo:hi]]
        row_of_entry = np.repeat(np.arange(last - first), np.diff(indptr[first:last + 1]))
        norms = np.sqrt(np.bincount(row_of_entry, weights=np.square(block), minlength=last - first))
        block /= np.where(norms > 0, norms, 1.0).astype(data.dtype)[row_of_entry]
        first = last
    return weighted


def similarity(texts: dict[str, str], reuse: pd.DataFrame, candidates: np.ndarray | None = None,
               weights: np.ndarray | None = None) -> pd.DataFrame:
    """Full matrix up to DENSE_MAX_DOCS documents; beyond, each document's TOP_K most similar candidates."""
    ids = list(texts)
    flat = ["".join(texts[d].split()) for d in ids]
    n = len(ids)
    if n <= DENSE_MAX_DOCS:
        vectors = tfidf(char_ngram_counts(flat), copy=False)
        cosine = np.clip((vectors @ vectors.T).toarray(), 0.0, 1.0)
        np.fill_diagonal(cosine, [1.0 if vectors[k].nnz else 0.0 for k in range(n)])
        a_idx, b_idx = np.divmod(np.arange(n * n), n)
        return _pair_rows(ids, a_idx, b_idx, cosine.ravel(), texts, reuse)
    return _top_k(ids, flat, texts, reuse, candidates, weights)


MAX_PARTNERS = 2 * TOP_K  # candidates per document whose cosine is computed beyond DENSE_MAX_DOCS


def strongest_partners(candidates: np.ndarray, weights: np.ndarray, limit: int = MAX_PARTNERS) -> np.ndarray:
    """The candidate pairs (a < b) among each document's `limit` partners sharing most n-grams."""
    a, b = candidates[:, 0], candidates[:, 1]
    both = pd.DataFrame({"doc": np.concatenate([a, b]), "other": np.concatenate([b, a]), "w": np.concatenate([weights, weights])})
    kept = both.sort_values(["doc", "w", "other"], ascending=[True, False, True], kind="stable").groupby("doc").head(limit)
    low, high = np.minimum(kept["doc"], kept["other"]).to_numpy(), np.maximum(kept["doc"], kept["other"]).to_numpy()
    pairs = np.unique(np.stack([low, high], axis=1), axis=0)
    return pairs.reshape(-1, 2)


def pair_cosines(vectors, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dot products of rows a[i] and b[i] of unit-length sparse vectors. Each document of `a` is spread
    into a dense vector once, and its partners' rows are multiplied with it in one sparse
    product: work in proportion to the partners' stored entries, memory one dense vector."""
    vectors = vectors.tocsr()
    cosine = np.zeros(len(a))
    if not len(a):
        return cosine
    order = np.argsort(a, kind="stable")
    a_sorted, b_sorted = a[order], b[order]
    firsts = np.flatnonzero(np.append(True, a_sorted[1:] != a_sorted[:-1]))
    lasts = np.append(firsts[1:], len(a_sorted))
    dense = np.zeros(vectors.shape[1], dtype=vectors.dtype)
    found = np.zeros(len(a))
    for first, last in zip(firsts.tolist(), lasts.tolist()):
        row = int(a_sorted[first])
        lo, hi = vectors.indptr[row], vectors.indptr[row + 1]
        dense[vectors.indices[lo:hi]] = vectors.data[lo:hi]
        found[first:last] = vectors[b_sorted[first:last]] @ dense
        dense[vectors.indices[lo:hi]] = 0
    cosine[order] = found
    return cosine


def _top_k(ids, flat, texts, reuse, candidates, weights=None) -> pd.DataFrame:
    """Cosine of TF-IDF vectors for each document's MAX_PARTNERS strongest candidates; keep its TOP_K best
    (by the cosine rounded as reported, then document order)."""
    if candidates is None:
        candidates, weights = weighted_candidates([signature(t) for t in texts.values()])
    if weights is not None:
        candidates = strongest_partners(candidates, weights)
    vectors = tfidf(char_ngram_counts(flat, hashed=True), copy=False)
    a, b = candidates[:, 0], candidates[:, 1]
    # neighbours are ranked by the cosine as reported (4 decimals), ties by document order: float
    # rounding noise below the reported precision cannot change who is a neighbour
    cosine = np.array([round(float(c), 4) for c in pair_cosines(vectors, a, b)])
    both = pd.DataFrame({"a": np.concatenate([a, b]), "b": np.concatenate([b, a]), "cosine": np.concatenate([cosine, cosine])})
    best = both.sort_values(["a", "cosine", "b"], ascending=[True, False, True]).groupby("a").head(TOP_K)
    best = best.sort_values(["a", "b"])
    return _pair_rows(ids, best["a"].to_numpy(), best["b"].to_numpy(), best["cosine"].to_numpy(), texts, reuse)


def tables(processed, progress: bool = False, mapper=map) -> dict[str, pd.DataFrame]:
    texts = {p.doc.doc_id: p.text for p in processed}
    ids = list(texts)
    signatures = list(mapper(signature, [texts[d] for d in ids]))
    candidates, weights = weighted_candidates(signatures, mapper)
    reuse = reuse_pairs(texts, progress, mapper, candidates, signatures)
    del signatures  # about 14 bytes per character: let go before the TF-IDF matrix is built
    release_freed_memory()
    return {"reuse": reuse, "similarity": similarity(texts, reuse, candidates, weights)}
