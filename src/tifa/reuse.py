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
   `n_matched_chars` keeps the exactly shared characters.

Only candidate pairs are aligned: an inverted index from each n-gram (a 64-bit
rolling hash) to the documents holding it names the pairs that share at least
one n-gram. N-grams found in more than MAX_DOC_FREQ documents (boilerplate such
as standard slogans) do not make a pair a candidate on their own, in the spirit
of passim's maximum n-gram document frequency; this keeps the number of
candidates linear in the corpus size. On corpora smaller than MAX_DOC_FREQ
documents this changes nothing: every pair sharing a seed is aligned.

A passage is reported once per document pair, with positions and lengths in
both normalised texts. Document similarity is the cosine of character 2-4-gram
TF-IDF vectors (scikit-learn) and, per direction, the share of a document's
characters covered by passages reused in the other. Up to DENSE_MAX_DOCS
documents the table is the full matrix; beyond, it keeps for each document its
TOP_K most similar documents among its reuse candidates (sparse vectors, hashed
features, no n × n matrix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tifa.config import MASK_CHARS

SEED_N = 10
MAX_GAP = 6
MAX_SEED_REPEATS = 50  # an n-gram repeated more often within one document seeds nothing
MAX_DOC_FREQ = 100  # an n-gram in more documents does not make a candidate pair on its own
DENSE_MAX_DOCS = 500  # full similarity matrix up to this many documents
TOP_K = 20  # neighbours kept per document beyond DENSE_MAX_DOCS
PAIRS_PER_TASK = 2000  # candidate pairs aligned per task when mapped over workers

_BASE = np.uint64(0x100000001B3)  # odd multiplier of the rolling hash
_MASK_CODES = np.array([ord(c) for c in MASK_CHARS], dtype=np.uint32)

REUSE_COLUMNS = ["doc_a", "start_a", "end_a", "doc_b", "start_b", "end_b", "length_a", "length_b",
                 "n_matched_chars", "n_segments", "text_a", "text_b"]
SIMILARITY_COLUMNS = ["doc_a", "doc_b", "tfidf_cosine", "share_a_reused_in_b", "n_passages", "longest_passage"]


def flatten(text: str) -> tuple[str, np.ndarray]:
    """Text without line breaks, and the offset of every kept character (plus len(text) at the end)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    offsets = np.append(np.flatnonzero(codes != ord("\n")), len(text))
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
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, np.uint64), np.zeros(0, bool)
    wide = codes.astype(np.uint64)
    h = np.zeros(m, np.uint64)
    for k in range(n):
        h = h * _BASE + wide[k:k + m]
    h = _mix(h)
    masked = np.concatenate([[0], np.cumsum(np.isin(codes, _MASK_CODES))])
    all_mask = masked[n:n + m] - masked[:m] == n
    _, inverse, counts = np.unique(h, return_inverse=True, return_counts=True)
    return h, ~all_mask & (counts[inverse] <= MAX_SEED_REPEATS)


def _runs(i: np.ndarray, j: np.ndarray, n: int) -> list[tuple[int, int, int]]:
    """Chain seeds (i in a, j in b) on the same diagonal into maximal passages (start_a, start_b, length)."""
    diag = j - i
    order = np.lexsort((i, diag))
    diag, i = diag[order], i[order]
    new = np.ones(len(i), bool)
    new[1:] = (diag[1:] != diag[:-1]) | (i[1:] != i[:-1] + 1)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(i)) - 1
    return list(zip(i[starts].tolist(), (i[starts] + diag[starts]).tolist(), (i[ends] - i[starts] + n).tolist()))


def _seeds_by_hash(ha, oka, hb, okb) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) with equal eligible n-gram hashes."""
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


def _longest_first(passages: list[tuple[int, int, int]], len_a: int, len_b: int) -> list[tuple[int, int, int]]:
    """Keep the longest passage where two overlap in either text (repeated phrases)."""
    passages.sort(key=lambda p: (-p[2], p[0], p[1]))
    used_a, used_b, kept = np.zeros(len_a, bool), np.zeros(len_b, bool), []
    for sa, sb, length in passages:
        if used_a[sa:sa + length].any() or used_b[sb:sb + length].any():
            continue
        used_a[sa:sa + length] = True
        used_b[sb:sb + length] = True
        kept.append((sa, sb, length))
    return sorted(kept)


def _passages(a: str, b: str, n: int, hashed_a=None, hashed_b=None) -> list[tuple[int, int, int]]:
    ha, oka = hashed_a if hashed_a is not None else ngram_hashes(a, n)
    hb, okb = hashed_b if hashed_b is not None else ngram_hashes(b, n)
    i, j = _seeds_by_hash(ha, oka, hb, okb)
    if not len(i):
        return []
    runs = _runs(i, j, n)
    if any(a[sa:sa + length] != b[sb:sb + length] for sa, sb, length in runs):  # a hash collision: redo exactly
        i, j = _seeds_by_string(a, b, n)
        runs = _runs(i, j, n) if len(i) else []
    return _longest_first(runs, len(a), len(b))


def exact_passages(a: str, b: str, n: int = SEED_N) -> list[tuple[int, int, int]]:
    """Maximal common substrings of length >= n as (start_a, start_b, length)."""
    return _passages(a, b, n)


def align(passages: list[tuple[int, int, int]], max_gap: int = MAX_GAP) -> list[dict]:
    """Merge exact passages separated by small gaps in both texts."""
    merged: list[dict] = []
    for sa, sb, length in sorted(passages):
        if merged:
            last = merged[-1]
            gap_a, gap_b = sa - last["end_a"], sb - last["end_b"]
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                last.update(end_a=sa + length, end_b=sb + length, n_matched_chars=last["n_matched_chars"] + length,
                            n_segments=last["n_segments"] + 1)
                continue
        merged.append({"start_a": sa, "end_a": sa + length, "start_b": sb, "end_b": sb + length,
                       "n_matched_chars": length, "n_segments": 1})
    return merged


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


def _bucket_pairs(hashes: np.ndarray, docs: np.ndarray, n_docs: int) -> np.ndarray:
    """Pairs (as a * n_docs + b, a < b) of documents sharing an n-gram held by 2..MAX_DOC_FREQ documents."""
    if not len(hashes):
        return np.zeros(0, np.int64)
    order = np.lexsort((docs, hashes))
    hashes, docs = hashes[order], docs[order].astype(np.int64)
    starts = np.flatnonzero(np.append(True, hashes[1:] != hashes[:-1]))
    sizes = np.diff(np.append(starts, len(hashes)))
    # n-grams of one shared passage have the same set of documents: expand each set once
    fingerprint = np.add.reduceat(_mix(docs.astype(np.uint64) + np.uint64(1)), starts)
    keep = (sizes >= 2) & (sizes <= MAX_DOC_FREQ)
    starts, sizes, fingerprint = starts[keep], sizes[keep], fingerprint[keep]
    _, first = np.unique(np.stack([fingerprint, sizes.astype(np.uint64)], axis=1), axis=0, return_index=True)
    starts, sizes = starts[first], sizes[first]
    keys = []
    for size in np.unique(sizes).tolist():
        members = docs[starts[sizes == size][:, None] + np.arange(size)]
        upper_a, upper_b = np.triu_indices(size, 1)
        keys.append((members[:, upper_a] * n_docs + members[:, upper_b]).ravel())
    return np.unique(np.concatenate(keys)) if keys else np.zeros(0, np.int64)


def candidate_pairs(signatures: list[Signature], mapper=map, n_buckets: int = 8) -> np.ndarray:
    """(a, b) index pairs, a < b, sorted, of documents that share at least one non-boilerplate n-gram.

    The index is split into hash buckets so that `mapper` (map, a process pool's map
    or a Dask client's) can build the pairs of each bucket separately.
    """
    n_docs = len(signatures)
    distinct = [np.unique(s.hashes[s.seeds]) for s in signatures]
    hashes = np.concatenate(distinct) if distinct else np.zeros(0, np.uint64)
    docs = np.concatenate([np.full(len(h), k, np.int32) for k, h in enumerate(distinct)]) if distinct else np.zeros(0, np.int32)
    bucket = hashes % np.uint64(n_buckets)
    parts = [hashes[bucket == k] for k in range(n_buckets)], [docs[bucket == k] for k in range(n_buckets)]
    keys = [np.asarray(k, np.int64) for k in mapper(_bucket_pairs, *parts, [n_docs] * n_buckets)]
    keys = np.unique(np.concatenate(keys)) if keys else np.zeros(0, np.int64)
    return np.stack([keys // max(n_docs, 1), keys % max(n_docs, 1)], axis=1)


def _align_pairs(pairs: list[tuple[str, str]], sigs: dict[str, Signature]) -> list[dict]:
    """Aligned passages of each candidate pair, in positions of the normalised texts."""
    rows = []
    for doc_a, doc_b in pairs:
        sa_, sb_ = sigs[doc_a], sigs[doc_b]
        a, b = sa_.flat, sb_.flat
        for p in align(_passages(a, b, SEED_N, (sa_.hashes, sa_.seeds), (sb_.hashes, sb_.seeds))):
            rows.append({
                "doc_a": doc_a, "start_a": int(sa_.offsets[p["start_a"]]), "end_a": int(sa_.offsets[p["end_a"] - 1]) + 1,
                "doc_b": doc_b, "start_b": int(sb_.offsets[p["start_b"]]), "end_b": int(sb_.offsets[p["end_b"] - 1]) + 1,
                "length_a": p["end_a"] - p["start_a"], "length_b": p["end_b"] - p["start_b"],
                "n_matched_chars": p["n_matched_chars"], "n_segments": p["n_segments"],
                "text_a": a[p["start_a"]:p["end_a"]], "text_b": b[p["start_b"]:p["end_b"]],
            })
    return rows


def reuse_pairs(texts: dict[str, str], progress: bool = False, mapper=map, candidates: np.ndarray | None = None,
                signatures: list[Signature] | None = None) -> pd.DataFrame:
    """Shared passages of every candidate pair, in document order (a before b as in `texts`)."""
    from tqdm import tqdm

    ids = list(texts)
    signatures = signatures if signatures is not None else list(mapper(signature, [texts[d] for d in ids]))
    sigs = dict(zip(ids, signatures))
    if candidates is None:
        candidates = candidate_pairs(signatures, mapper)
    pairs = [(ids[a], ids[b]) for a, b in candidates.tolist()]
    chunks = [pairs[k:k + PAIRS_PER_TASK] for k in range(0, len(pairs), PAIRS_PER_TASK)]
    payloads = [{d: sigs[d] for pair in chunk for d in pair} for chunk in chunks]
    rows = [r for chunk_rows in tqdm(mapper(_align_pairs, chunks, payloads), total=len(chunks), desc="reuse pairs",
                                     disable=not progress) for r in chunk_rows]
    df = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    df.insert(0, "passage_id", [f"r{i:04d}" for i in range(1, len(df) + 1)])
    return df


def coverage(reuse: pd.DataFrame, lengths: dict[str, int]) -> dict[tuple[str, str], float]:
    """Share of each document's characters inside passages it shares with each other document."""
    masks: dict[tuple[str, str], np.ndarray] = {}
    for r in reuse.itertuples():
        for doc, other, start, end in ((r.doc_a, r.doc_b, r.start_a, r.end_a), (r.doc_b, r.doc_a, r.start_b, r.end_b)):
            mask = masks.setdefault((doc, other), np.zeros(lengths[doc] + 1, dtype=bool))
            mask[start:end] = True
    return {key: round(float(mask.sum()) / max(lengths[key[0]], 1), 4) for key, mask in masks.items()}


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


def similarity(texts: dict[str, str], reuse: pd.DataFrame, candidates: np.ndarray | None = None) -> pd.DataFrame:
    """Full matrix up to DENSE_MAX_DOCS documents; beyond, each document's TOP_K most similar candidates."""
    ids = list(texts)
    flat = ["".join(texts[d].split()) for d in ids]
    n = len(ids)
    if n <= DENSE_MAX_DOCS:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.metrics.pairwise import cosine_similarity

        cosine = cosine_similarity(TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True).fit_transform(flat))
        a_idx, b_idx = np.divmod(np.arange(n * n), n)
        return _pair_rows(ids, a_idx, b_idx, cosine.ravel(), texts, reuse)
    return _top_k(ids, flat, texts, reuse, candidates)


def _top_k(ids, flat, texts, reuse, candidates) -> pd.DataFrame:
    """Cosine of hashed TF-IDF vectors for candidate pairs only; keep each document's TOP_K best."""
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    if candidates is None:
        candidates = candidate_pairs([signature(t) for t in texts.values()])
    hashed = HashingVectorizer(analyzer="char", ngram_range=(2, 4), n_features=2 ** 22, alternate_sign=False,
                               norm=None, dtype=np.float32).transform(flat)
    vectors = TfidfTransformer(sublinear_tf=True).fit_transform(hashed).tocsr()
    a, b = candidates[:, 0], candidates[:, 1]
    cosine = np.zeros(len(a))
    for k in range(0, len(a), 50_000):  # row-wise dot products, in slices to bound memory
        cosine[k:k + 50_000] = np.asarray(vectors[a[k:k + 50_000]].multiply(vectors[b[k:k + 50_000]]).sum(axis=1)).ravel()
    both = pd.DataFrame({"a": np.concatenate([a, b]), "b": np.concatenate([b, a]), "cosine": np.concatenate([cosine, cosine])})
    best = both.sort_values(["a", "cosine", "b"], ascending=[True, False, True]).groupby("a").head(TOP_K)
    best = best.sort_values(["a", "b"])
    return _pair_rows(ids, best["a"].to_numpy(), best["b"].to_numpy(), best["cosine"].to_numpy(), texts, reuse)


def tables(processed, progress: bool = False, mapper=map) -> dict[str, pd.DataFrame]:
    texts = {p.doc.doc_id: p.text for p in processed}
    ids = list(texts)
    signatures = list(mapper(signature, [texts[d] for d in ids]))
    candidates = candidate_pairs(signatures, mapper)
    reuse = reuse_pairs(texts, progress, mapper, candidates, signatures)
    return {"reuse": reuse, "similarity": similarity(texts, reuse, candidates)}
