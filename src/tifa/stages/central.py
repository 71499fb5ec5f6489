"""Central reuse: passages of local documents that reproduce a central text.

Method (seed-and-extend local alignment, as in the Legislative Influence Detector,
passim and Vierthaler's work on Chinese text reuse, on characters, so no word
segmentation is needed):

1. both sides are reduced to their Han characters, letters and digits (punctuation
   and whitespace removed), keeping the offset of every kept character;
2. index: every STRIDE-th SEED_N-character n-gram of every central text goes into
   one inverted index (n-gram -> positions), built once (any shared run of
   SEED_N + STRIDE - 1 characters contains an indexed seed); n-grams that recur more than
   MAX_SEED_HITS times (boilerplate, mask runs) are not used as seeds;
3. seed: each local document is scanned once against the index, so the cost grows
   linearly with the corpus, not with pairs of documents;
4. extend: seeds on the same diagonal of the same source chain into exact runs,
   which then grow character by character while both sides agree and across
   small edits (a gap of at most MAX_GAP characters on either side, bridged when
   MIN_BRIDGE characters agree beyond it); spans that overlap or nearly touch merge;
5. keep passages of at least MIN_HAN Han characters on the local side; where
   candidate passages from several central texts overlap, a source dated after the
   document is used only when no other holds the passage; otherwise the longest is
   kept (then the one whose source surely precedes the document, then the more
   similar), and the other central texts that also hold it are listed in `also_in`.

`similarity` is difflib's ratio between the two reduced passages (1 = verbatim).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from tifa.config import LEVELS, RANDOM_SEED, SECTION_ROLES, document_rng
from tifa.text.normalise import MASK_CODES, code_points
from tifa.rows import map_batches, row_ranges

SEED_N = 6
STRIDE = 2  # index every 2nd n-gram of the central texts: any shared run of SEED_N + STRIDE - 1 chars holds one
MIN_HAN = 15
MAX_GAP = 4
MAX_SEED_HITS = 200
N_BOOT = 2000


ALNUM = re.compile(r"[^\W_]")  # Han characters, letters, digits; not punctuation or masks (× * ＊)


@lru_cache(maxsize=1)
def _alnum_bmp() -> np.ndarray:
    """Whether each character of the Basic Multilingual Plane is a Han character, letter or digit
    (str.isalnum, which is what ALNUM matches), built once: 65,536 tests."""
    return np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)


def alnum_chars(codes: np.ndarray) -> np.ndarray:
    """Whether each character (`code_points` of a text) is alphanumeric (ALNUM), from a code-point
    table; characters beyond the Basic Multilingual Plane are tested one by one."""
    bmp = codes < 0x10000
    found = _alnum_bmp()[np.where(bmp, codes, 0)]
    for k in np.flatnonzero(~bmp).tolist():
        found[k] = chr(codes[k]).isalnum()
    return found


def reduce_text(text: str) -> tuple[str, list[int]]:
    """Han characters, letters and digits of `text`, and the offset of each in `text`."""
    codes = code_points(text)
    offsets = np.flatnonzero(alnum_chars(codes))
    return codes[offsets].tobytes().decode("utf-32-le"), offsets.tolist()


HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def n_han(text: str) -> int:
    return len(HAN.findall(text))


class CentralIndex:
    """Inverted n-gram index over the central texts (built once, then queried per document)."""

    def __init__(self, central: dict[str, str], n: int = SEED_N):
        self.n = n
        self.texts = {doc_id: reduce_text(text) for doc_id, text in central.items()}
        postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for doc_id, (reduced, _) in self.texts.items():
            for j in range(0, len(reduced) - n + 1, STRIDE):
                postings[reduced[j:j + n]].append((doc_id, j))
        self.postings = {gram: hits for gram, hits in postings.items() if len(hits) <= MAX_SEED_HITS}

    def runs(self, reduced: str) -> dict[str, list[tuple[int, int, int, int]]]:
        """Aligned spans (start_local, end_local, start_source, end_source) per central text."""
        seeds: dict[str, list[tuple[int, int]]] = defaultdict(list)
        n = self.n
        for i in range(len(reduced) - n + 1):
            for doc_id, j in self.postings.get(reduced[i:i + n], ()):
                seeds[doc_id].append((j - i, i))
        out = {}
        for doc_id, pairs in seeds.items():
            pairs.sort()
            runs, diag, first, last = [], None, 0, 0
            for d, i in pairs:
                if d == diag and i <= last + STRIDE:
                    last = i
                    continue
                if diag is not None:
                    runs.append((first, first + diag, last - first + n))
                diag, first, last = d, i, i
            runs.append((first, first + diag, last - first + n))
            source = self.texts[doc_id][0]
            out[doc_id] = _merge([_extend(reduced, source, run) for run in runs])
        return out


def _extend(local: str, source: str, run: tuple[int, int, int]) -> tuple[int, int, int, int]:
    """Grow an exact run (start, source_start, length) left and right while the characters agree,
    and across small edits: a gap of up to MAX_GAP characters on either side is bridged when at
    least MIN_BRIDGE characters agree beyond it (seeds shorter than SEED_N, such as 党的二十大精神
    after an inserted 落实, would otherwise be lost). Returns (start, end, source_start, source_end)."""
    start, source_start, length = run
    end, source_end = _grow(local, source, start + length, source_start + length)
    rev_start, rev_source_start = _grow(local[::-1], source[::-1], len(local) - start, len(source) - source_start)
    return len(local) - rev_start, end, len(source) - rev_source_start, source_end


MIN_BRIDGE = 4


def _grow(a: str, b: str, i: int, j: int) -> tuple[int, int]:
    """Extend forward from a[i], b[j]: exact characters, then bridged gaps; returns the new ends."""
    while True:
        while i < len(a) and j < len(b) and a[i] == b[j]:
            i, j = i + 1, j + 1
        bridges = [(ga + gb, ga, gb) for ga in range(MAX_GAP + 1) for gb in range(MAX_GAP + 1)
                   if (ga or gb) and a[i + ga:i + ga + MIN_BRIDGE] == b[j + gb:j + gb + MIN_BRIDGE]
                   and len(a[i + ga:i + ga + MIN_BRIDGE]) == MIN_BRIDGE]
        if not bridges:
            return i, j
        _, ga, gb = min(bridges)
        i, j = i + ga, j + gb


def _merge(spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Join spans that overlap or nearly touch on both sides; then keep the longest of any that
    still overlap on the local side (a phrase repeated in the source)."""
    merged: list[list[int]] = []
    for a0, a1, b0, b1 in sorted(set(spans)):
        if merged:
            m = merged[-1]
            if a0 - m[1] <= MAX_GAP and -MAX_GAP <= b0 - m[3] <= MAX_GAP and b0 >= m[2]:
                m[1], m[3] = max(m[1], a1), max(m[3], b1)
                continue
        merged.append([a0, a1, b0, b1])
    kept: list[tuple[int, int, int, int]] = []
    for a0, a1, b0, b1 in sorted(merged, key=lambda m: (-(m[1] - m[0]), m[0], m[2])):
        if not any(a0 < k1 and k0 < a1 for k0, k1, _, _ in kept):
            kept.append((a0, a1, b0, b1))
    return sorted(kept)


# ----------------------------------------------------------------------- dates
def date_range(value: str) -> tuple[date, date]:
    """Earliest and latest day a YYYY, YYYY-MM or YYYY-MM-DD date can stand for."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        following = date(year + (month == 12), month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(following.toordinal() - 1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def precedes(source_date: str, doc_date: str) -> str:
    """'yes' if the source is dated before the document, 'no' if after, else 'undetermined'."""
    source_first, source_last = date_range(source_date)
    doc_first, doc_last = date_range(doc_date)
    if source_last < doc_first:
        return "yes"
    if source_first > doc_last:
        return "no"
    return "undetermined"


def lag_days(source_date: str, doc_date: str) -> tuple[int, int]:
    """Smallest and largest possible number of days from the source to the document."""
    source_first, source_last = date_range(source_date)
    doc_first, doc_last = date_range(doc_date)
    return (doc_first - source_last).days, (doc_last - source_first).days


# ---------------------------------------------------------------------- passages
PRECEDES_RANK = {"yes": 0, "undetermined": 1, "no": 2}


def passages(doc_id: str, text: str, index: CentralIndex, central_texts: dict[str, str],
             dates: dict[str, str]) -> list[dict]:
    """Passages of one local document (normalised text) reproduced from the central texts."""
    reduced, offsets = reduce_text(text)
    candidates = []
    for source_id, runs in index.runs(reduced).items():
        source_reduced, source_offsets = index.texts[source_id]
        for a0, a1, b0, b1 in runs:
            local = reduced[a0:a1]
            if n_han(local) < MIN_HAN:
                continue
            source = source_reduced[b0:b1]
            candidates.append({
                "source_doc_id": source_id, "a": a0, "b": a1,
                "start": offsets[a0], "end": offsets[a1 - 1] + 1,
                "source_start": source_offsets[b0], "source_end": source_offsets[b1 - 1] + 1,
                "n_chars": len(local), "n_han_chars": n_han(local),
                "similarity": round(difflib.SequenceMatcher(None, local, source, autojunk=False).ratio(), 4),
                "source_precedes": precedes(dates[source_id], dates[doc_id]),
            })
    candidates.sort(key=lambda c: (c["source_precedes"] == "no", -c["n_chars"], PRECEDES_RANK[c["source_precedes"]],
                                   -c["similarity"],
                                   dates[c["source_doc_id"]], c["source_doc_id"], c["a"]))
    kept: list[dict] = []
    for c in candidates:
        clash = [k for k in kept if c["a"] < k["b"] and k["a"] < c["b"]]
        if clash:
            for k in clash:  # record every other central text that holds (most of) the same passage
                overlap = min(c["b"], k["b"]) - max(c["a"], k["a"])
                if overlap >= 0.5 * (k["b"] - k["a"]) and c["source_doc_id"] != k["source_doc_id"]:
                    k["also"].add(c["source_doc_id"])
            continue
        kept.append({**c, "also": set()})
    rows = []
    for k in sorted(kept, key=lambda k: k["a"]):
        source_text = central_texts[k["source_doc_id"]][k["source_start"]:k["source_end"]]
        order = k["source_precedes"]
        rows.append({
            "doc_id": doc_id, "start": k["start"], "end": k["end"], "local_text": text[k["start"]:k["end"]],
            "source_doc_id": k["source_doc_id"], "source_start": k["source_start"], "source_end": k["source_end"],
            "source_text": source_text, "n_chars": k["n_chars"], "n_han_chars": k["n_han_chars"],
            "similarity": k["similarity"], "source_precedes": order,
            "also_in": ";".join(sorted(k["also"])),
            "time_flag": "" if order == "yes" else (
                "source dated after the document: wording shared through an earlier common source" if order == "no"
                else "dates overlap: order cannot be read from the dates"),
        })
    return rows


CENTRAL_REUSE_COLUMNS = ["passage_id", "doc_id", "sent_id", "start", "end", "local_text", "source_doc_id",
                         "source_start", "source_end", "source_text", "n_chars", "n_han_chars", "similarity",
                         "source_precedes", "also_in", "time_flag"]


def sentence_ids(sentences: pd.DataFrame, doc_ids: list[str], positions: list[int]) -> list[int]:
    """The sentence (of the corpus `sentences` table) each position of a document starts in."""
    ranges = row_ranges(sentences["doc_id"])
    starts, ids = sentences["start"].to_numpy(), sentences["sent_id"].to_numpy()
    found = []
    for doc_id, position in zip(doc_ids, positions):
        a, b = ranges[doc_id]
        k = int(np.searchsorted(starts[a:b], position, side="right")) - 1
        found.append(int(ids[a + max(k, 0)]))
    return found


PASSAGE_BATCH = 100  # local documents per task when the search is mapped over workers


@lru_cache(maxsize=1)
def _index(central: tuple[tuple[str, str], ...]) -> CentralIndex:
    """The index of the central texts, built once per process."""
    return CentralIndex(dict(central))


def _batch_passages(batch: list[tuple[str, str]], central: tuple[tuple[str, str], ...],
                    dates: dict[str, str]) -> list[list[dict]]:
    """`passages` of several local documents (one task for a worker, which builds the index once)."""
    return [passages(doc_id, text, _index(central), dict(central), dates) for doc_id, text in batch]


def central_reuse(processed, sentences: pd.DataFrame, mapper=map) -> pd.DataFrame:
    """`central_reuse.csv`: one row per local passage reproduced from a central text, with the sentence
    (of the corpus `sentences` table) it starts in.

    Each local document is searched on its own, so `mapper` (a process pool's or a Dask
    client's map) can run the search in batches of PASSAGE_BATCH documents."""
    central = tuple((p.doc.doc_id, p.text) for p in processed if p.doc.level == "central")
    dates = {p.doc.doc_id: p.doc.date for p in processed}
    if not central:
        return pd.DataFrame(columns=CENTRAL_REUSE_COLUMNS)
    local = [p for p in processed if p.doc.level != "central"]
    batches = [[(p.doc.doc_id, p.text) for p in local[k:k + PASSAGE_BATCH]] for k in range(0, len(local), PASSAGE_BATCH)]
    rows = [row for batch_rows in mapper(_batch_passages, batches, [central] * len(batches), [dates] * len(batches))
            for doc_rows in batch_rows for row in doc_rows]
    if not rows:
        return pd.DataFrame(columns=CENTRAL_REUSE_COLUMNS)
    table = pd.DataFrame(rows)
    table.insert(1, "sent_id", sentence_ids(sentences, table["doc_id"].tolist(), table["start"].tolist()))
    table.insert(0, "passage_id", [f"c{i:04d}" for i in range(1, len(table) + 1)])
    return table[CENTRAL_REUSE_COLUMNS]


# ------------------------------------------------------------------ derived tables
def reused_mask(length: int, spans) -> np.ndarray:
    mask = np.zeros(length, dtype=bool)
    for start, end in spans:
        mask[start:end] = True
    return mask


def share_with_interval(sentence_chars: np.ndarray, sentence_reused: np.ndarray,
                        generator: np.random.Generator) -> tuple[float, float, float]:
    """Reused share of characters, with a percentile bootstrap interval over sentences."""
    total = sentence_chars.sum()
    if total == 0:
        return math.nan, math.nan, math.nan
    share = sentence_reused.sum() / total
    if len(sentence_chars) < 2:
        return share, math.nan, math.nan
    idx = generator.integers(0, len(sentence_chars), size=(N_BOOT, len(sentence_chars)))
    boot = sentence_reused[idx].sum(axis=1) / np.maximum(sentence_chars[idx].sum(axis=1), 1)
    return share, float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5))


def counted_chars(text: str) -> np.ndarray:
    """Whether each character of `text` is counted: alphanumeric and not a mask, as the passage search counts."""
    codes = code_points(text)
    return alnum_chars(codes) & ~np.isin(codes, MASK_CODES)


def sentence_reuse(reuse: pd.DataFrame, sentences: pd.DataFrame, sections: pd.DataFrame,
                   documents: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """Per sentence of each local document: its section, counted characters and reproduced characters.

    Characters are counted after removing punctuation, whitespace and masks, as in the
    passage search. Every reproduction share (document, section, level) sums these rows.
    """
    reuse_of, sentences_of, sections_of = (row_ranges(t["doc_id"]) for t in (reuse, sentences, sections))
    span_starts, span_ends = reuse["start"].to_numpy(), reuse["end"].to_numpy()
    sentence_starts, sentence_ends = sentences["start"].to_numpy(int), sentences["end"].to_numpy(int)
    section_starts, section_ends = sections["start"].to_numpy(), sections["end"].to_numpy()
    section_ids, section_roles = np.array(sections["section_id"].tolist(), dtype=object), np.array(sections["role"].tolist(), dtype=object)
    columns: dict[str, list] = {"doc_id": [], "level": [], "section_id": [], "role": [], "n_chars": [], "n_reused_chars": []}
    local = documents["level"] != "central"
    for doc_id, level in zip(documents.loc[local, "doc_id"].tolist(), documents.loc[local, "level"].tolist()):
        text = texts[doc_id]
        r0, r1 = reuse_of.get(doc_id, (0, 0))
        mask = reused_mask(len(text), zip(span_starts[r0:r1], span_ends[r0:r1]))
        counted = counted_chars(text)
        n_counted = np.concatenate([[0], np.cumsum(counted)])
        n_reused = np.concatenate([[0], np.cumsum(counted & mask)])
        s0, s1 = sentences_of.get(doc_id, (0, 0))
        c0, c1 = sections_of.get(doc_id, (0, 0))
        by_start = c0 + section_starts[c0:c1].argsort(kind="quicksort")  # the document's sections in text order
        starts, ends = section_starts[by_start], section_ends[by_start]
        a, b = sentence_starts[s0:s1], sentence_ends[s0:s1]
        k = np.searchsorted(starts, a, side="right") - 1  # the section each sentence starts in
        inside = (k >= 0) & (a < ends[np.maximum(k, 0)]) if len(starts) else np.zeros(len(a), bool)
        ids, roles = np.append(section_ids[by_start], None), np.append(section_roles[by_start], "")
        pick = np.where(inside, k, len(starts))
        columns["doc_id"].append(np.full(len(a), doc_id, dtype=object))
        columns["level"].append(np.full(len(a), level, dtype=object))
        columns["section_id"].append(ids[pick])
        columns["role"].append(roles[pick])
        columns["n_chars"].append(n_counted[b] - n_counted[a])
        columns["n_reused_chars"].append(n_reused[b] - n_reused[a])
    rows = pd.DataFrame({name: np.concatenate(parts) for name, parts in columns.items()}) if columns["doc_id"] else []
    return pd.DataFrame(rows, columns=["doc_id", "level", "section_id", "role", "n_chars", "n_reused_chars"])


def share_by_level(per_sentence: pd.DataFrame) -> pd.DataFrame:
    """Pooled reproduction share per level, and per level and section role, with a 95% bootstrap interval.

    Where a level has several documents, documents are resampled (a cluster
    bootstrap: sentences of one document are not independent draws); with one
    document, its sentences are resampled, as for the document rows.
    """
    generator = np.random.default_rng(RANDOM_SEED)
    rows = []
    for level in [lv for lv in LEVELS if lv in set(per_sentence["level"].unique())]:
        at_level = per_sentence[per_sentence["level"] == level]
        for role in [""] + [r for r in SECTION_ROLES if r in set(at_level["role"].unique())]:
            part = at_level if not role else at_level[at_level["role"] == role]
            chars, reused = int(part["n_chars"].sum()), int(part["n_reused_chars"].sum())
            if chars == 0:
                continue
            units = part.groupby("doc_id")[["n_chars", "n_reused_chars"]].sum() if part["doc_id"].nunique() > 1 \
                else part[["n_chars", "n_reused_chars"]]
            _, low, high = share_with_interval(units["n_chars"].to_numpy(float), units["n_reused_chars"].to_numpy(float),
                                               generator)
            rows.append({"level": level, "role": role, "n_docs": part["doc_id"].nunique(), "n_sentences": len(part),
                         "n_chars": chars, "n_reused_chars": reused, "share": _round(reused / chars),
                         "ci_low": _round(low), "ci_high": _round(high),
                         "interval": "documents resampled" if part["doc_id"].nunique() > 1
                         else "sentences resampled (one document)"})
    return pd.DataFrame(rows, columns=LEVEL_SHARE_COLUMNS)


LEVEL_SHARE_COLUMNS = ["level", "role", "n_docs", "n_sentences", "n_chars", "n_reused_chars", "share", "ci_low",
                       "ci_high", "interval"]


def reproduction_share(per_sentence: pd.DataFrame, sections: pd.DataFrame, mapper=map) -> pd.DataFrame:
    """Share of each local document's (and section's) characters reproduced from central texts.

    The interval resamples sentences (a 95% percentile bootstrap, each document with its own
    generator, `config.document_rng`), so it reflects how unevenly reuse is spread over a
    document's sentences. `mapper` spreads the documents over workers.
    """
    sections_of = row_ranges(sections["doc_id"])
    section_ids, section_roles = sections["section_id"].tolist(), sections["role"].tolist()
    all_chars, all_reused = per_sentence["n_chars"].to_numpy(float), per_sentence["n_reused_chars"].to_numpy(float)
    all_sections, all_levels = per_sentence["section_id"].to_numpy(object), per_sentence["level"].tolist()
    items = []
    for doc_id, (a, b) in row_ranges(per_sentence["doc_id"]).items():
        c0, c1 = sections_of.get(doc_id, (0, 0))
        items.append((doc_id, all_levels[a], all_chars[a:b], all_reused[a:b], all_sections[a:b],
                      list(zip(section_ids[c0:c1], section_roles[c0:c1]))))
    rows = [row for doc_rows in map_batches(_share_rows, items, mapper) for row in doc_rows]
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def _share_rows(doc_id: str, level: str, chars: np.ndarray, reused: np.ndarray, in_section: np.ndarray,
                sections: list[tuple[str, str]]) -> list[dict]:
    """`reproduction_share` rows of one document: the document, then each of its sections."""
    generator = document_rng(doc_id)
    scopes = [("document", "", "", np.ones(len(chars), dtype=bool))]
    scopes += [("section", section_id, role, in_section == section_id) for section_id, role in sections]
    rows = []
    for scope, section_id, role, inside in scopes:
        share, low, high = share_with_interval(chars[inside], reused[inside], generator)
        rows.append({"doc_id": doc_id, "level": level, "scope": scope, "section_id": section_id,
                     "role": role, "n_sentences": int(inside.sum()), "n_chars": int(chars[inside].sum()),
                     "n_reused_chars": int(reused[inside].sum()),
                     "share": _round(share), "ci_low": _round(low), "ci_high": _round(high)})
    return rows


SHARE_COLUMNS = ["doc_id", "level", "scope", "section_id", "role", "n_sentences", "n_chars", "n_reused_chars",
                 "share", "ci_low", "ci_high"]


def _round(x: float) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 4)


def sources_by_document(reuse: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Which central text each local document draws on, and the lag from its date: one row per
    local document and central text (in date order), whether or not it draws on it."""
    dates = documents.set_index("doc_id")["date"].astype(str)
    central = documents[documents["level"] == "central"].sort_values(["date", "doc_id"])
    local_docs = documents[documents["level"] != "central"]
    grid = pd.MultiIndex.from_product([local_docs["doc_id"], central["doc_id"]], names=["doc_id", "source_doc_id"])
    per_source = reuse.groupby(["doc_id", "source_doc_id"])["n_chars"].agg(["size", "sum", "max"]).reindex(grid, fill_value=0)
    per_doc = reuse.groupby("doc_id")["n_chars"].sum()
    also = reuse.assign(also=reuse["also_in"].fillna("").str.split(";")).explode("also")
    also = also[also["also"] != ""].groupby(["doc_id", "also"]).size()
    n_also = also.reindex(grid, fill_value=0).to_numpy() if len(also) else np.zeros(len(grid), int)
    doc_ids, source_ids = grid.get_level_values(0), grid.get_level_values(1)
    doc_dates, source_dates = dates.reindex(doc_ids).tolist(), dates.reindex(source_ids).tolist()
    pairs = {pair: (precedes(*pair), *lag_days(*pair)) for pair in set(zip(source_dates, doc_dates))}
    timing = [pairs[pair] for pair in zip(source_dates, doc_dates)]
    totals = per_doc.reindex(doc_ids, fill_value=0).tolist()
    chars = per_source["sum"].tolist()
    return pd.DataFrame({
        "doc_id": list(doc_ids), "level": local_docs.set_index("doc_id")["level"].reindex(doc_ids).tolist(),
        "doc_date": doc_dates, "source_doc_id": list(source_ids), "source_date": source_dates,
        "source_precedes": [t[0] for t in timing], "lag_days_min": [t[1] for t in timing],
        "lag_days_max": [t[2] for t in timing], "n_passages": per_source["size"].astype(int).tolist(),
        "n_chars": [int(c) for c in chars],
        "share_of_reused_chars": [round(c / t, 4) if t else None for c, t in zip(chars, totals)],
        "n_passages_also_in": [int(n) for n in n_also], "longest_passage": per_source["max"].astype(int).tolist(),
    }, columns=SOURCE_COLUMNS)


SOURCE_COLUMNS = ["doc_id", "level", "doc_date", "source_doc_id", "source_date", "source_precedes", "lag_days_min",
                  "lag_days_max", "n_passages", "n_chars", "share_of_reused_chars", "n_passages_also_in",
                  "longest_passage"]


def tables(processed, corpus: dict[str, pd.DataFrame], mapper=map) -> dict[str, pd.DataFrame]:
    reuse = central_reuse(processed, corpus["sentences"], mapper)
    texts = {p.doc.doc_id: p.text for p in processed}
    per_sentence = sentence_reuse(reuse, corpus["sentences"], corpus["sections"], corpus["documents"], texts)
    return {
        "central_reuse": reuse,
        "central_reuse_share": reproduction_share(per_sentence, corpus["sections"], mapper),
        "central_reuse_by_level": share_by_level(per_sentence),
        "central_sources": sources_by_document(reuse, corpus["documents"]),
    }
