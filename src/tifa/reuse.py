"""Reuse stage: passages shared between documents, and how similar documents are.

Method (seed-and-extend, as character-based text-reuse detectors do for Chinese,
which needs no word segmentation):

1. seed: every character n-gram (n = SEED_N = 10, on the text with line breaks
   removed) that occurs in both documents;
2. extend: seeds on the same diagonal (same offset between the documents) chain
   into maximal exact common passages;
3. align: neighbouring passages whose gaps are at most MAX_GAP characters in both
   documents merge into one aligned passage (a few words changed or inserted);
   `n_matched_chars` keeps the exactly shared characters.

A passage is reported once per document pair, with positions and lengths in
both normalised texts. Document similarity is the cosine of character 2-4-gram
TF-IDF vectors (scikit-learn) and, per direction, the share of a document's
characters covered by passages reused in the other.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity
from tqdm import tqdm

SEED_N = 10
MAX_GAP = 6


def flatten(text: str) -> tuple[str, list[int]]:
    """Text without line breaks, and the offset of every kept character."""
    kept, offsets = [], []
    for i, ch in enumerate(text):
        if ch != "\n":
            kept.append(ch)
            offsets.append(i)
    offsets.append(len(text))
    return "".join(kept), offsets


def exact_passages(a: str, b: str, n: int = SEED_N) -> list[tuple[int, int, int]]:
    """Maximal common substrings of length >= n as (start_a, start_b, length)."""
    index: dict[str, list[int]] = {}
    for j in range(len(b) - n + 1):
        index.setdefault(b[j:j + n], []).append(j)
    seeds = sorted((j - i, i) for i in range(len(a) - n + 1) for j in index.get(a[i:i + n], ()))
    passages = []
    run_diag, run_start, run_last = None, None, None
    for diag, i in seeds:
        if diag == run_diag and i == run_last + 1:
            run_last = i
            continue
        if run_diag is not None:
            passages.append((run_start, run_start + run_diag, run_last - run_start + n))
        run_diag, run_start, run_last = diag, i, i
    if run_diag is not None:
        passages.append((run_start, run_start + run_diag, run_last - run_start + n))
    # keep the longest passage where two overlap in `a` (repeated phrases)
    passages.sort(key=lambda p: (-p[2], p[0], p[1]))
    used_a, used_b, kept = np.zeros(len(a), bool), np.zeros(len(b), bool), []
    for sa, sb, length in passages:
        if used_a[sa:sa + length].any() or used_b[sb:sb + length].any():
            continue
        used_a[sa:sa + length] = True
        used_b[sb:sb + length] = True
        kept.append((sa, sb, length))
    return sorted(kept)


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


def reuse_pairs(texts: dict[str, str], progress: bool = False) -> pd.DataFrame:
    rows = []
    flat = {d: flatten(t) for d, t in texts.items()}
    for doc_a, doc_b in tqdm(list(combinations(texts, 2)), desc="reuse pairs", disable=not progress):
        (a, off_a), (b, off_b) = flat[doc_a], flat[doc_b]
        for p in align(exact_passages(a, b)):
            rows.append({
                "doc_a": doc_a, "start_a": off_a[p["start_a"]], "end_a": off_a[p["end_a"] - 1] + 1,
                "doc_b": doc_b, "start_b": off_b[p["start_b"]], "end_b": off_b[p["end_b"] - 1] + 1,
                "length_a": p["end_a"] - p["start_a"], "length_b": p["end_b"] - p["start_b"],
                "n_matched_chars": p["n_matched_chars"], "n_segments": p["n_segments"],
                "text_a": a[p["start_a"]:p["end_a"]], "text_b": b[p["start_b"]:p["end_b"]],
            })
    df = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    df.insert(0, "passage_id", [f"r{i:04d}" for i in range(1, len(df) + 1)])
    return df


REUSE_COLUMNS = ["doc_a", "start_a", "end_a", "doc_b", "start_b", "end_b", "length_a", "length_b",
                 "n_matched_chars", "n_segments", "text_a", "text_b"]


def coverage(reuse: pd.DataFrame, lengths: dict[str, int]) -> dict[tuple[str, str], float]:
    """Share of each document's characters inside passages it shares with each other document."""
    masks: dict[tuple[str, str], np.ndarray] = {}
    for r in reuse.itertuples():
        for doc, other, start, end in ((r.doc_a, r.doc_b, r.start_a, r.end_a), (r.doc_b, r.doc_a, r.start_b, r.end_b)):
            mask = masks.setdefault((doc, other), np.zeros(lengths[doc] + 1, dtype=bool))
            mask[start:end] = True
    return {key: round(float(mask.sum()) / max(lengths[key[0]], 1), 4) for key, mask in masks.items()}


def similarity(texts: dict[str, str], reuse: pd.DataFrame) -> pd.DataFrame:
    ids = list(texts)
    flat = ["".join(texts[d].split()) for d in ids]
    tfidf = TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True).fit_transform(flat)
    cosine = cosine_similarity(tfidf)
    shares = coverage(reuse, {d: len(t) for d, t in texts.items()})
    pairs = {key: g for key, g in reuse.groupby(["doc_a", "doc_b"])}
    rows = []
    for i, a in enumerate(ids):
        for j, b in enumerate(ids):
            pair = pd.concat([pairs.get((a, b), reuse.iloc[0:0]), pairs.get((b, a), reuse.iloc[0:0])])
            rows.append({"doc_a": a, "doc_b": b, "tfidf_cosine": round(float(cosine[i, j]), 4),
                         "share_a_reused_in_b": 1.0 if a == b else shares.get((a, b), 0.0),
                         "n_passages": 0 if a == b else len(pair),
                         "longest_passage": 0 if a == b or pair.empty else int(pair["length_a"].max())})
    return pd.DataFrame(rows)


def tables(processed, progress: bool = False) -> dict[str, pd.DataFrame]:
    texts = {p.doc.doc_id: p.text for p in processed}
    reuse = reuse_pairs(texts, progress)
    return {"reuse": reuse, "similarity": similarity(texts, reuse)}
