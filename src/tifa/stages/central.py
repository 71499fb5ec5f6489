"""Central reuse: passages of local documents that reproduce a central text, and whether
their source can be identified.

Method (seed-and-extend alignment on characters, as in the Legislative Influence Detector,
passim and Vierthaler's work on Chinese text reuse, so no word segmentation is needed; the
aligner is shared with reuse between documents, `tifa.stages.align`):

1. every text is reduced to its Han characters, letters and digits (punctuation and
   whitespace removed), keeping the offset of every kept character;
2. index: every STRIDE-th SEED_N-character n-gram of every central text goes into one
   sorted array of 64-bit hashes (`ReferenceIndex`), built once (any shared run of
   SEED_N + STRIDE - 1 characters holds an indexed seed); n-grams found more than
   MAX_SEED_HITS times (boilerplate, mask runs) seed nothing;
3. seed: each local document is looked up once, so the cost grows linearly with the corpus;
4. align (`align.passages`): seeds chain into exact runs that grow while the characters
   agree; runs join across gaps of at most MAX_GAP characters on each side that cross no
   sentence end or title mark on one side only; a passage begins and ends with a seeded run;
5. keep passages of at least MIN_HAN Han characters on the local side, except a passage that is
   only a formulation's name (all its Han characters inside one lexicon hit): that is a
   formulation hit (frame_hits.csv), not reuse. Where passages from several central texts
   overlap, the longest is kept (a text that could precede the document first).

Formulaic or distinctive: each passage is looked up, with the same aligner, in every central
text of the corpus and in a background collection of official text that is never a source
(data/raw/background/: the State Council work reports 1954–2025 and the CPC congress
reports). A text holds the passage when one aligned passage in it covers at least HOLD_SHARE
of the passage's characters. `n_sources` counts the texts that hold it; two or more make it
formulaic. The source is identified only when exactly one text that could precede the
document (dated no later than its `date_high`, or undated) holds the passage and that text is
in the corpus; otherwise `source_doc_id` lists the corpus's candidates.

`similarity` is difflib's ratio between the two reduced passages (1 = verbatim).
"""

from __future__ import annotations

import difflib
import heapq
import math
import re
from datetime import date
from collections.abc import Iterator
from functools import lru_cache

import numpy as np
import pandas as pd

from tifa.config import LEVELS, RANDOM_SEED, SECTION_ROLES, document_rng
from tifa.rows import map_batches, row_ranges
from tifa.stages import align as aligner
from tifa.text.normalise import MASK_CODES, code_points, normalise

SEED_N = 6
STRIDE = 2  # index every 2nd n-gram of the central texts: any shared run of SEED_N + STRIDE - 1 chars holds one
MIN_HAN = 15
MAX_GAP = 4
MAX_SEED_HITS = 200
HOLDER_SEED_HITS = 2000  # the holder index (corpus and background) is queried with passages only: a higher cap
HOLD_SHARE = 0.8  # share of a passage's characters one aligned passage in a text must cover for the text to hold it
COPY_SHARE = 0.9  # share of a background text's distinct 8-grams found in one corpus text that makes it a copy of it
SOURCE_SEP = ";"  # separates the candidates in source_doc_id of a passage whose source is not identified
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


_BASE = np.uint64(0x100000001B3)


def ngram_hashes(text: str, n: int) -> np.ndarray:
    """A 64-bit polynomial hash of every n-gram text[i:i+n] (runs are checked as strings afterwards)."""
    codes = code_points(text).astype(np.uint64)
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, np.uint64)
    h = np.zeros(m, np.uint64)
    for k in range(n):
        h = h * _BASE + codes[k:k + m]
    return h


def occurrences(sorted_hashes: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every place each query hash occurs in `sorted_hashes`: (query position, index into `sorted_hashes`)."""
    lo = np.searchsorted(sorted_hashes, query, "left")
    count = np.searchsorted(sorted_hashes, query, "right") - lo
    within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(np.arange(len(query)), count), np.repeat(lo, count) + within


class ReferenceIndex:
    """Sorted n-gram hashes of a set of texts (built once, then queried with a document or a passage)."""

    def __init__(self, texts: dict[str, str], n: int = SEED_N, max_hits: int = MAX_SEED_HITS):
        self.n = n
        self.ids = list(texts)
        self.originals = texts
        self.texts = {doc_id: reduce_text(text) for doc_id, text in texts.items()}
        hashes, owners, positions = [], [], []
        for k, (reduced, _) in enumerate(self.texts.values()):
            h = ngram_hashes(reduced, n)[::STRIDE]
            hashes.append(h)
            owners.append(np.full(len(h), k, np.int32))
            positions.append(np.arange(len(h), dtype=np.int64) * STRIDE)
        hashes = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
        owners = np.concatenate(owners) if owners else np.zeros(0, np.int32)
        positions = np.concatenate(positions) if positions else np.zeros(0, np.int64)
        order = np.argsort(hashes, kind="stable")  # built in text and position order: ties stay in it
        hashes, owners, positions = hashes[order], owners[order], positions[order]
        starts = np.flatnonzero(np.append(True, hashes[1:] != hashes[:-1])) if len(hashes) else np.zeros(0, np.int64)
        counts = np.diff(np.append(starts, len(hashes)))
        keep = np.repeat(counts, counts) <= max_hits  # hashes are sorted: each group's count, repeated
        self.hashes, self.owners, self.positions = hashes[keep], owners[keep], positions[keep]
        self.reach = GramSets([reduced for reduced, _ in self.texts.values()], n)

    def runs(self, reduced: str, chains: dict[int, np.ndarray] | None = None) -> dict[tuple[int, int], list[aligner.Run]]:
        """Runs (start_a, start_b, length) of `reduced` with the indexed texts, chained for all texts in one
        pass (seeds on one diagonal at most STRIDE apart, as `align.seed_runs` chains them), keyed by (text
        number, chain): with `chains` (`GramSets.long_chains`), only the runs that start inside one of the
        text's chains, keyed by that chain's row; without, every run, keyed by row 0."""
        i, at = occurrences(self.hashes, ngram_hashes(reduced, self.n))
        if not len(i):
            return {}
        owner, j = self.owners[at], self.positions[at]
        if chains is not None:
            wanted = np.zeros(len(self.ids), bool)
            wanted[list(chains)] = True
            i, owner, j = i[wanted[owner]], owner[wanted[owner]], j[wanted[owner]]
            if not len(i):
                return {}
        run_owner, a, b, length = aligner.chain_seeds(i, j, self.n, STRIDE, owner)
        rows = np.zeros(len(a), np.int64)
        if chains is not None and len(a):
            texts = sorted(chains)
            chain_owner = np.concatenate([np.full(len(chains[k]), k) for k in texts])
            chain_row = np.concatenate([np.arange(len(chains[k])) for k in texts])
            bounds = np.concatenate([chains[k] for k in texts])
            width = len(reduced) + 1  # keys owner * width + position sort by text, then position
            at = np.searchsorted(chain_owner * width + bounds[:, 0], run_owner * width + a, "right") - 1
            ok = (at >= 0) & (chain_owner[np.maximum(at, 0)] == run_owner) & (a < bounds[np.maximum(at, 0), 1])
            run_owner, a, b, length, rows = run_owner[ok], a[ok], b[ok], length[ok], chain_row[at[ok]]
        out: dict[tuple[int, int], list[aligner.Run]] = {}
        for k, row, run in zip(run_owner.tolist(), rows.tolist(), zip(a.tolist(), b.tolist(), length.tolist())):
            out.setdefault((k, row), []).append(run)
        return out

    def align(self, text: str, min_length: int = 0) -> dict[str, list[dict]]:
        """Aligned passages (in reduced positions: start_a/end_a in `text`, start_b/end_b in the indexed
        text) per indexed text holding any; with `min_length`, only the passages of at least that many
        reduced characters (others may be left out: runs that cannot grow that long are not grown)."""
        out = {}
        for doc_id, spans, gaps in self._spans(text, min_length):
            found = aligner.passages(list(spans), MAX_GAP, both_sides=False, gap_a=gaps[0], gap_b=gaps[1])
            if found:
                out[doc_id] = found
        return out

    def holding(self, text: str, min_length: int) -> list[str]:
        """The indexed texts in which one aligned passage covers at least `min_length` reduced characters of
        `text` (as `align`, but a text is settled by its first span that long: joining only lengthens)."""
        held = []
        for doc_id, spans, gaps in self._spans(text, min_length):
            for a0, a1, _, _ in spans:
                if a1 - a0 >= min_length:
                    held.append(doc_id)
                    break
            else:
                found = aligner.passages(list(spans), MAX_GAP, both_sides=False, gap_a=gaps[0], gap_b=gaps[1])
                if found and max(p["end_a"] - p["start_a"] for p in found) >= min_length:
                    held.append(doc_id)
        return held

    def _spans(self, text: str, min_length: int = 0):
        """Per indexed text sharing seeds with `text` (in index order): its id, the spans grown from its runs
        (a generator, so a caller may stop early) and the boundary tests of the two texts. With
        `min_length`, runs in a chain shorter than it (`GramSets.long_chains`) are not grown: their spans,
        and any passage joining them, would be shorter, and they overlap no longer span."""
        reduced, offsets = reduce_text(text)
        chains = self.reach.long_chains(reduced, MAX_GAP, min_length) if min_length > 0 else None
        by_text: dict[int, list] = {}
        for (k, _), runs in self.runs(reduced, chains).items():
            by_text.setdefault(k, []).extend(runs)
        for k in sorted(by_text):
            yield self.ids[k], *self.spans_of(text, reduced, offsets, k, by_text[k])

    def spans_of(self, text: str, reduced: str, offsets: list[int], k: int, runs: list):
        """The spans grown from `runs` of `text` (reduced, with its offsets) with indexed text `k`, and the
        two texts' boundary tests."""
        source, source_offsets = self.texts[self.ids[k]]
        gaps = aligner.gap_in(text, offsets), aligner.gap_in(self.originals[self.ids[k]], source_offsets)
        runs = [r for r in runs if reduced[r[0]:r[0] + r[2]] == source[r[1]:r[1] + r[2]]]  # drops a hash collision
        return _grown(reduced, source, runs, self.n, gaps), gaps


CentralIndex = ReferenceIndex  # the name the central texts' index had


def _grown(reduced: str, source: str, runs: list, n: int, gaps) -> Iterator[aligner.Span]:
    """The distinct spans the runs grow into (`align.extend`), longest runs first, as they are grown."""
    memo, seen = ({}, {}), set()
    for run in sorted(runs, key=lambda r: (-r[2], r[0], r[1])):
        span = aligner.extend(reduced, source, run, MAX_GAP, n, gaps[0], gaps[1], memo)
        if span not in seen:
            seen.add(span)
            yield span


class GramSets:
    """Which texts contain each n-gram (every position, no boilerplate cap): a bound on how long an
    aligned passage between a query and each text can be, so that texts that cannot hold one long
    enough are never aligned.

    Why the bound holds: an aligned passage (`align.extend`, then `align.join`) is a chain of exact
    stretches of at least n characters (a seeded run, or the anchor of a bridge and what follows it),
    separated in the query by gaps of at most `max_gap` characters. Every n-gram of an exact stretch
    occurs in the text, so the stretch lies inside the union of the query's n-gram windows found in
    the text; the passage therefore lies inside one chain of such windows whose gaps are at most
    `max_gap`. The longest chain bounds the longest passage (a hash collision can only lengthen it)."""

    def __init__(self, reduced_texts: list[str], n: int = SEED_N):
        self.n = n
        parts = [_distinct(ngram_hashes(text, n)) for text in reduced_texts]
        hashes = np.concatenate(parts) if parts else np.zeros(0, np.uint64)
        owners = np.repeat(np.arange(len(parts), dtype=np.int32), [len(p) for p in parts])
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.owners = hashes[order], owners[order]

    def owners_of(self, hashes: np.ndarray) -> np.ndarray:
        """The text (by number) of every occurrence of each of `hashes` among the texts' n-grams."""
        return self.owners[occurrences(self.hashes, hashes)[1]]

    def long_chains(self, reduced: str, max_gap: int, min_length: int) -> dict[int, np.ndarray]:
        """Per text (by number): the chains of `reduced`'s n-gram windows found in it, joined across gaps of
        at most `max_gap` characters, that are at least `min_length` characters long, as sorted
        (start, end) rows; texts without one are left out."""
        i, at = occurrences(self.hashes, ngram_hashes(reduced, self.n))
        if not len(i):
            return {}
        owner = self.owners[at]
        order = np.lexsort((i, owner))
        i, owner = i[order], owner[order]
        new = np.append(True, (owner[1:] != owner[:-1]) | (i[1:] - i[:-1] > self.n + max_gap))
        starts = np.flatnonzero(new)
        ends = np.append(starts[1:], len(i)) - 1
        chains = np.stack([i[starts], i[ends] + self.n], axis=1)
        long = chains[:, 1] - chains[:, 0] >= min_length
        chains, chain_owner = chains[long], owner[starts][long]
        bounds = np.flatnonzero(np.append(True, chain_owner[1:] != chain_owner[:-1])) if len(chain_owner) else []
        ends = np.append(bounds[1:], len(chain_owner)) if len(chain_owner) else []
        return {int(chain_owner[a]): chains[a:b] for a, b in zip(list(bounds), list(ends))}


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


Interval = tuple[str, str]  # (date_low, date_high) as YYYY-MM-DD
TIME_ORDERS = ("before", "undetermined", "impossible")


def time_order(source: Interval, document: Interval) -> str:
    """'before' if the source surely precedes the document, 'impossible' if it is dated after the
    document's latest possible day, else 'undetermined' (the intervals overlap)."""
    if source[1] < document[0]:
        return "before"
    if source[0] > document[1]:
        return "impossible"
    return "undetermined"


def lag_days(source: Interval, document: Interval) -> tuple[int, int]:
    """Smallest and largest possible number of days from the source to the document."""
    day = date.fromisoformat
    return (day(document[0]) - day(source[1])).days, (day(document[1]) - day(source[0])).days


# ---------------------------------------------------------------------- passages
ORDER_RANK = {"before": 0, "undetermined": 1, "impossible": 2}


def passages(doc_id: str, text: str, index: ReferenceIndex, central_texts: dict[str, str],
             intervals: dict[str, Interval], names: list[tuple[int, int]] = ()) -> list[dict]:
    """Passages of one local document (normalised text) reproduced from the central texts; `names`:
    the (start, end) of the document's formulation hits (a passage inside one is not reuse).

    Every aligned passage of at least MIN_HAN Han characters is a candidate; candidates are kept
    greedily in order of `_rank` (longest first, then a source that could precede the document,
    then the closest wording, the earliest source) where they overlap no candidate kept before.
    The search goes chain by chain (`GramSets.long_chains`: a stretch of the document no passage
    with one central text can outgrow) in order of the best rank a passage in the chain could
    have, and a chain that the candidates already kept leave no room in is not aligned at all:
    its candidates would all be refused. The result is the same as aligning every text."""
    reduced, offsets = reduce_text(text)
    chains = index.reach.long_chains(reduced, MAX_GAP, MIN_HAN)
    runs = index.runs(reduced, chains)
    work = []
    for k, row in runs:
        source_id = index.ids[k]
        order = time_order(intervals[source_id], intervals[doc_id])
        c0, c1 = chains[k][row].tolist()
        work.append((_rank(order, c1 - c0, 1.0, intervals[source_id], source_id, c0), k, row))
    work.sort()
    pending: list[tuple] = []  # candidates found, not yet settled (heap by rank)
    kept: list[dict] = []
    for best, k, row in work:
        while pending and pending[0][0] < best:  # no chain still to search can rank before these: settle them
            _keep(heapq.heappop(pending)[1], kept)
        c0, c1 = chains[k][row].tolist()
        if _no_room(c0, c1, kept):
            continue
        source_id = index.ids[k]
        spans, gaps = index.spans_of(text, reduced, offsets, k, runs[(k, row)])
        found = aligner.passages(list(spans), MAX_GAP, both_sides=False, gap_a=gaps[0], gap_b=gaps[1])
        for c in _candidates(found, doc_id, source_id, text, reduced, offsets, index, intervals, names):
            heapq.heappush(pending, (_rank(c["time_order"], c["n_chars"], c["similarity"], intervals[source_id],
                                           source_id, c["a"]), c))
    while pending:
        _keep(heapq.heappop(pending)[1], kept)
    rows = []
    for k in sorted(kept, key=lambda k: k["a"]):
        rows.append({
            "doc_id": doc_id, "start": k["start"], "end": k["end"], "local_text": text[k["start"]:k["end"]],
            "aligned_doc_id": k["source_doc_id"], "source_start": k["source_start"], "source_end": k["source_end"],
            "source_text": central_texts[k["source_doc_id"]][k["source_start"]:k["source_end"]],
            "n_chars": k["n_chars"], "n_han_chars": k["n_han_chars"], "similarity": k["similarity"],
        })
    return rows


def _rank(order: str, n_chars: int, similarity: float, interval: Interval, source_id: str, a: int) -> tuple:
    """Which candidate is kept first where two overlap (smaller first). With a chain's length and
    similarity 1, the best rank any candidate in that chain can have."""
    return (order == "impossible", -n_chars, ORDER_RANK[order], -similarity, interval, source_id, a)


def _keep(candidate: dict, kept: list[dict]) -> None:
    if not any(candidate["a"] < k["b"] and k["a"] < candidate["b"] for k in kept):
        kept.append(candidate)


def _no_room(c0: int, c1: int, kept: list[dict]) -> bool:
    """Whether the kept candidates leave no stretch of MIN_HAN characters free in c0..c1 (a candidate
    has at least that many reduced characters and may overlap no kept one)."""
    covered = sorted((max(k["a"], c0), min(k["b"], c1)) for k in kept if k["a"] < c1 and c0 < k["b"])
    free, at = 0, c0
    for a, b in covered:
        free, at = max(free, a - at), max(at, b)
    return max(free, c1 - at) < MIN_HAN


def _candidates(found: list[dict], doc_id: str, source_id: str, text: str, reduced: str, offsets: list[int],
                index: ReferenceIndex, intervals: dict[str, Interval], names) -> list[dict]:
    """The aligned passages with one central text that are long enough and not only a formulation's name."""
    source_reduced, source_offsets = index.texts[source_id]
    out = []
    for p in found:
        a0, a1, b0, b1 = p["start_a"], p["end_a"], p["start_b"], p["end_b"]
        local, source = reduced[a0:a1], source_reduced[b0:b1]
        if n_han(local) < MIN_HAN:
            continue
        start, end = offsets[a0], offsets[a1 - 1] + 1
        if only_a_name(text, start, end, names):
            continue
        out.append({
            "source_doc_id": source_id, "a": a0, "b": a1, "start": start, "end": end,
            "source_start": source_offsets[b0], "source_end": source_offsets[b1 - 1] + 1,
            "n_chars": len(local), "n_han_chars": n_han(local),
            "similarity": round(difflib.SequenceMatcher(None, local, source, autojunk=False).ratio(), 4),
            "time_order": time_order(intervals[source_id], intervals[doc_id]),
        })
    return out


def only_a_name(text: str, start: int, end: int, names) -> bool:
    """Whether every Han character of text[start:end] lies inside one formulation hit (a name, not a passage)."""
    return any(hit_start < end and start < hit_end and not n_han(text[start:max(start, hit_start)])
               and not n_han(text[min(end, hit_end):end]) for hit_start, hit_end in names)


# ------------------------------------------------------------------- holders
def copies_of(background: dict[str, str], central: dict[str, str], n: int = 8) -> set[str]:
    """Background texts that are copies of a corpus central text: at least COPY_SHARE of their distinct
    n-grams (reduced text) occur in it."""
    grams = GramSets([reduce_text(text)[0] for text in central.values()], n)
    copies = set()
    for text_id, text in background.items():
        own = _distinct(ngram_hashes(reduce_text(text)[0], n))
        if len(own) and len(central):
            holders_of_each = grams.owners_of(own)
            if np.bincount(holders_of_each, minlength=len(central)).max() / len(own) >= COPY_SHARE:
                copies.add(text_id)
    return copies


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique, by sorting: numpy's hash-based unique is slow on these)."""
    ordered = np.sort(values)
    return ordered[np.append(True, ordered[1:] != ordered[:-1])] if len(ordered) else ordered


def holders(local_text: str, index: ReferenceIndex) -> list[str]:
    """The indexed texts holding a passage: one aligned passage in them covers HOLD_SHARE of its characters."""
    return index.holding(local_text, math.ceil(HOLD_SHARE * len(reduce_text(local_text)[0])))


def with_sources(rows: pd.DataFrame, index: ReferenceIndex | None, intervals: dict[str, Interval],
                 central_ids: set[str], found: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Add n_sources, formulaic, source_identified, source_doc_id (the source, or the candidates) and the
    time order of the credited text to the passages of `central_reuse`. `found`: the `holders` of each
    passage text already looked up (by workers); the others are looked up in `index`."""
    found = dict(found or {})
    columns = {k: [] for k in ("source_doc_id", "source_identified", "n_sources", "n_background", "formulaic",
                               "time_order", "time_flag")}
    for r in rows.itertuples(index=False):
        if r.local_text not in found:
            found[r.local_text] = holders(r.local_text, index)
        holding = set(found[r.local_text]) | {r.aligned_doc_id}
        document = intervals[r.doc_id]
        possible = [t for t in holding if not intervals.get(t, ("", ""))[0] or intervals[t][0] <= document[1]]
        corpus_possible = sorted((t for t in possible if t in central_ids), key=lambda t: (intervals[t], t))
        corpus_all = sorted((t for t in holding if t in central_ids), key=lambda t: (intervals[t], t))
        identified = len(possible) == 1 and possible[0] in central_ids
        credited = possible[0] if identified else r.aligned_doc_id
        order = time_order(intervals[credited], document)
        columns["source_doc_id"].append(credited if identified else SOURCE_SEP.join(corpus_possible or corpus_all))
        columns["source_identified"].append(identified)
        columns["n_sources"].append(len(holding))
        columns["n_background"].append(len(holding - central_ids))
        columns["formulaic"].append(len(holding) >= 2)
        columns["time_order"].append(order)
        columns["time_flag"].append(_flag(identified, order, possible, central_ids))
    return rows.assign(**columns)


def _flag(identified: bool, order: str, possible: list[str], central_ids: set[str]) -> str:
    """Why a passage's source needs care (empty for an identified source that surely precedes)."""
    if identified:
        return "" if order == "before" else "dates overlap: order cannot be read from the dates"
    if not possible:
        return "no text that could precede the document holds it: shared through an earlier or common source"
    if len(possible) == 1:
        return "held before the document only by a background text, which is never a source"
    return f"held by {len(possible)} texts that could precede the document: formulaic, no single source"


CENTRAL_REUSE_COLUMNS = ["passage_id", "doc_id", "sent_id", "start", "end", "local_text", "source_doc_id",
                         "source_identified", "n_sources", "n_background", "formulaic", "aligned_doc_id",
                         "source_start", "source_end", "source_text", "n_chars", "n_han_chars", "similarity",
                         "time_order", "time_flag"]


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


PASSAGE_BATCH = 25  # local documents per task when the search is mapped over workers (enough tasks to keep both busy)


def with_progress(mapper, fn, desc: str, *iterables) -> list:
    """`mapper(fn, *iterables)` with a progress bar over the tasks as they finish (shown on a terminal only)."""
    from tqdm.auto import tqdm

    imap = getattr(mapper, "imap", None)
    results = imap(fn, *iterables) if imap is not None else map(fn, *iterables)
    return list(tqdm(results, total=len(iterables[0]), desc=desc, unit="task", disable=None, leave=False))


@lru_cache(maxsize=1)
def _index(central: tuple[tuple[str, str], ...]) -> ReferenceIndex:
    """The index of the central texts, built once per process."""
    return ReferenceIndex(dict(central))


def _batch_passages(batch: list[tuple[str, str, tuple]], central: tuple[tuple[str, str], ...],
                    intervals: dict[str, Interval]) -> list[list[dict]]:
    """`passages` of several local documents (one task for a worker, which builds the index once)."""
    return [passages(doc_id, text, _index(central), dict(central), intervals, names) for doc_id, text, names in batch]


HOLDER_BATCH = 200  # at least this many distinct passages per task when their holders are looked up by workers
HOLDER_TASKS = 16  # and at most this many tasks (results do not depend on how they are cut)


@lru_cache(maxsize=1)
def _holder_index(central: tuple[tuple[str, str], ...], background: tuple[tuple[str, str], ...]) -> ReferenceIndex:
    """The index of central and background texts, built once per process."""
    return holder_index(dict(central), dict(background))[0]


def _batch_holders(texts: list[str], central: tuple[tuple[str, str], ...],
                   background: tuple[tuple[str, str], ...]) -> list[list[str]]:
    """`holders` of several passages (one task for a worker)."""
    return [holders(text, _holder_index(central, background)) for text in texts]


def holder_index(central: dict[str, str], background: dict[str, str]) -> tuple[ReferenceIndex, set[str]]:
    """One index of the corpus's central texts and the background texts that are not copies of them."""
    copies = copies_of(background, central)
    texts = {**central, **{k: v for k, v in background.items() if k not in copies}}
    return ReferenceIndex(texts, max_hits=HOLDER_SEED_HITS), copies


def central_reuse(processed, sentences: pd.DataFrame, mapper=map, hits: pd.DataFrame | None = None,
                  background=()) -> pd.DataFrame:
    """`central_reuse.csv`: one row per local passage reproduced from a central text, with the sentence
    (of the corpus `sentences` table) it starts in, how many texts hold it and whether its source is
    identified.

    Each local document is searched on its own, so `mapper` (a process pool's or a Dask client's
    map) can run the search in batches of PASSAGE_BATCH documents; the passages found are then
    looked up in the central and background texts (`background`: `BackgroundText`s) in this process."""
    central = tuple((p.doc.doc_id, p.text) for p in processed if p.doc.level == "central")
    intervals = {p.doc.doc_id: (p.doc.date_low, p.doc.date_high) for p in processed}
    if not central:
        return pd.DataFrame(columns=CENTRAL_REUSE_COLUMNS)
    names = {}
    if hits is not None and len(hits):
        for doc_id, (a, b) in row_ranges(hits["doc_id"]).items():
            names[doc_id] = tuple(zip(hits["start"].iloc[a:b].tolist(), hits["end"].iloc[a:b].tolist()))
    local = [p for p in processed if p.doc.level != "central"]
    batches = [[(p.doc.doc_id, p.text, names.get(p.doc.doc_id, ())) for p in local[k:k + PASSAGE_BATCH]]
               for k in range(0, len(local), PASSAGE_BATCH)]
    found = with_progress(mapper, _batch_passages, "central passages", batches, [central] * len(batches),
                          [intervals] * len(batches))
    rows = [row for batch_rows in found for doc_rows in batch_rows for row in doc_rows]
    if not rows:
        return pd.DataFrame(columns=CENTRAL_REUSE_COLUMNS)
    # which texts hold each passage: looked up by the workers too, in batches, each building the index once
    cleaned = tuple((t.text_id, normalise(t.text)) for t in background)
    distinct = list(dict.fromkeys(row["local_text"] for row in rows))
    size = max(HOLDER_BATCH, -(-len(distinct) // HOLDER_TASKS))  # few tasks: each carries the texts to index
    batches = [distinct[k:k + size] for k in range(0, len(distinct), size)]
    held = [h for batch in with_progress(mapper, _batch_holders, "passage holders", batches, [central] * len(batches),
                                         [cleaned] * len(batches)) for h in batch]
    intervals.update({t.text_id: (t.date_low, t.date_high) for t in background})
    table = with_sources(pd.DataFrame(rows), None, intervals, {doc_id for doc_id, _ in central}, dict(zip(distinct, held)))
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
    columns: dict[str, list] = {name: [] for name in PER_SENTENCE_COLUMNS}
    formulaic = reuse["formulaic"].to_numpy(bool) if "formulaic" in reuse.columns else np.zeros(len(reuse), bool)
    local = documents["level"] != "central"
    for doc_id, level in zip(documents.loc[local, "doc_id"].tolist(), documents.loc[local, "level"].tolist()):
        text = texts[doc_id]
        r0, r1 = reuse_of.get(doc_id, (0, 0))
        kind = formulaic[r0:r1]
        mask = reused_mask(len(text), zip(span_starts[r0:r1], span_ends[r0:r1]))
        formulaic_mask = reused_mask(len(text), zip(span_starts[r0:r1][kind], span_ends[r0:r1][kind]))
        counted = counted_chars(text)
        n_counted = np.concatenate([[0], np.cumsum(counted)])
        n_reused = np.concatenate([[0], np.cumsum(counted & mask)])
        n_formulaic = np.concatenate([[0], np.cumsum(counted & formulaic_mask)])
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
        columns["n_formulaic_chars"].append(n_formulaic[b] - n_formulaic[a])
        columns["n_distinctive_chars"].append(columns["n_reused_chars"][-1] - columns["n_formulaic_chars"][-1])
    rows = pd.DataFrame({name: np.concatenate(parts) for name, parts in columns.items()}) if columns["doc_id"] else []
    return pd.DataFrame(rows, columns=PER_SENTENCE_COLUMNS)


PER_SENTENCE_COLUMNS = ["doc_id", "level", "section_id", "role", "n_chars", "n_reused_chars", "n_distinctive_chars",
                        "n_formulaic_chars"]
KINDS = ("distinctive", "formulaic")  # reuse held by one text only, and by two or more (see `with_sources`)


def _kind_shares(chars: np.ndarray, parts: dict[str, np.ndarray], generator) -> dict:
    """n, share and 95% interval of the distinctive and the formulaic characters among `chars`."""
    out = {}
    for kind in KINDS:
        share, low, high = share_with_interval(chars, parts[kind], generator)
        out.update({f"n_{kind}_chars": int(parts[kind].sum()), f"share_{kind}": _round(share),
                    f"ci_low_{kind}": _round(low), f"ci_high_{kind}": _round(high)})
    return out


KIND_COLUMNS = [f"{c}_{kind}" if c != "n" else f"n_{kind}_chars" for kind in KINDS for c in ("n", "share", "ci_low", "ci_high")]


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
            counts = ["n_chars", "n_reused_chars", *(f"n_{kind}_chars" for kind in KINDS)]
            units = part.groupby("doc_id")[counts].sum() if part["doc_id"].nunique() > 1 else part[counts]
            _, low, high = share_with_interval(units["n_chars"].to_numpy(float), units["n_reused_chars"].to_numpy(float),
                                               generator)
            split = _kind_shares(units["n_chars"].to_numpy(float),
                                 {kind: units[f"n_{kind}_chars"].to_numpy(float) for kind in KINDS}, generator)
            rows.append({"level": level, "role": role, "n_docs": part["doc_id"].nunique(), "n_sentences": len(part),
                         "n_chars": chars, "n_reused_chars": reused, "share": _round(reused / chars),
                         "ci_low": _round(low), "ci_high": _round(high),
                         "interval": "documents resampled" if part["doc_id"].nunique() > 1
                         else "sentences resampled (one document)", **split})
    return pd.DataFrame(rows, columns=LEVEL_SHARE_COLUMNS)


LEVEL_SHARE_COLUMNS = ["level", "role", "n_docs", "n_sentences", "n_chars", "n_reused_chars", "share", "ci_low",
                       "ci_high", "interval", *KIND_COLUMNS]


def reproduction_share(per_sentence: pd.DataFrame, sections: pd.DataFrame, mapper=map) -> pd.DataFrame:
    """Share of each local document's (and section's) characters reproduced from central texts.

    The interval resamples sentences (a 95% percentile bootstrap, each document with its own
    generator, `config.document_rng`), so it reflects how unevenly reuse is spread over a
    document's sentences. `mapper` spreads the documents over workers.
    """
    sections_of = row_ranges(sections["doc_id"])
    section_ids, section_roles = sections["section_id"].tolist(), sections["role"].tolist()
    all_chars, all_reused = per_sentence["n_chars"].to_numpy(float), per_sentence["n_reused_chars"].to_numpy(float)
    all_kinds = {kind: per_sentence[f"n_{kind}_chars"].to_numpy(float) for kind in KINDS}
    all_sections, all_levels = per_sentence["section_id"].to_numpy(object), per_sentence["level"].tolist()
    items = []
    for doc_id, (a, b) in row_ranges(per_sentence["doc_id"]).items():
        c0, c1 = sections_of.get(doc_id, (0, 0))
        items.append((doc_id, all_levels[a], all_chars[a:b], all_reused[a:b], all_sections[a:b],
                      list(zip(section_ids[c0:c1], section_roles[c0:c1])), {k: v[a:b] for k, v in all_kinds.items()}))
    rows = [row for doc_rows in map_batches(_share_rows, items, mapper) for row in doc_rows]
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def _share_rows(doc_id: str, level: str, chars: np.ndarray, reused: np.ndarray, in_section: np.ndarray,
                sections: list[tuple[str, str]], kinds: dict[str, np.ndarray]) -> list[dict]:
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
                     "share": _round(share), "ci_low": _round(low), "ci_high": _round(high),
                     **_kind_shares(chars[inside], {k: v[inside] for k, v in kinds.items()}, generator)})
    return rows


SHARE_COLUMNS = ["doc_id", "level", "scope", "section_id", "role", "n_sentences", "n_chars", "n_reused_chars",
                 "share", "ci_low", "ci_high", *KIND_COLUMNS]


def _round(x: float) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 4)


def sources_by_document(reuse: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Which central text each local document draws on, and the lag between their dates: one row per
    local document and central text (in date order), whether or not it draws on it. Only passages
    whose source is identified are credited; a text that is one of several candidates for a
    passage counts it in `n_passages_candidate`."""
    docs = documents.set_index("doc_id")
    central = documents[documents["level"] == "central"].sort_values(["date_low", "doc_id"])
    local_docs = documents[documents["level"] != "central"]
    grid = pd.MultiIndex.from_product([local_docs["doc_id"], central["doc_id"]], names=["doc_id", "source_doc_id"])
    identified = reuse[reuse["source_identified"].astype(bool)] if len(reuse) else reuse
    per_source = identified.groupby(["doc_id", "source_doc_id"])["n_chars"].agg(["size", "sum", "max"]).reindex(grid, fill_value=0)
    per_doc = identified.groupby("doc_id")["n_chars"].sum()
    unidentified = reuse[~reuse["source_identified"].astype(bool)] if len(reuse) else reuse
    candidates = unidentified.assign(candidate=unidentified["source_doc_id"].str.split(SOURCE_SEP)).explode("candidate")
    n_candidate = candidates.groupby(["doc_id", "candidate"]).size()
    n_candidate = n_candidate.reindex(grid, fill_value=0).to_numpy() if len(n_candidate) else np.zeros(len(grid), int)
    doc_ids, source_ids = grid.get_level_values(0), grid.get_level_values(1)
    doc_low, doc_high = docs["date_low"].reindex(doc_ids).tolist(), docs["date_high"].reindex(doc_ids).tolist()
    source_low, source_high = docs["date_low"].reindex(source_ids).tolist(), docs["date_high"].reindex(source_ids).tolist()
    timing = [(time_order((sl, sh), (dl, dh)), *lag_days((sl, sh), (dl, dh)))
              for sl, sh, dl, dh in zip(source_low, source_high, doc_low, doc_high)]
    totals = per_doc.reindex(doc_ids, fill_value=0).tolist()
    chars = per_source["sum"].tolist()
    return pd.DataFrame({
        "doc_id": list(doc_ids), "level": local_docs.set_index("doc_id")["level"].reindex(doc_ids).tolist(),
        "doc_date_low": doc_low, "doc_date_high": doc_high, "source_doc_id": list(source_ids),
        "source_date_low": source_low, "source_date_high": source_high,
        "time_order": [t[0] for t in timing], "lag_days_min": [t[1] for t in timing],
        "lag_days_max": [t[2] for t in timing], "n_passages": per_source["size"].astype(int).tolist(),
        "n_chars": [int(c) for c in chars],
        "share_of_reused_chars": [round(c / t, 4) if t else None for c, t in zip(chars, totals)],
        "n_passages_candidate": [int(n) for n in n_candidate], "longest_passage": per_source["max"].astype(int).tolist(),
    }, columns=SOURCE_COLUMNS)


SOURCE_COLUMNS = ["doc_id", "level", "doc_date_low", "doc_date_high", "source_doc_id", "source_date_low",
                  "source_date_high", "time_order", "lag_days_min", "lag_days_max", "n_passages", "n_chars",
                  "share_of_reused_chars", "n_passages_candidate", "longest_passage"]


def tables(processed, corpus: dict[str, pd.DataFrame], mapper=map, background=()) -> dict[str, pd.DataFrame]:
    reuse = central_reuse(processed, corpus["sentences"], mapper, corpus.get("frame_hits"), background)
    texts = {p.doc.doc_id: p.text for p in processed}
    per_sentence = sentence_reuse(reuse, corpus["sentences"], corpus["sections"], corpus["documents"], texts)
    return {
        "central_reuse": reuse,
        "central_reuse_share": reproduction_share(per_sentence, corpus["sections"], mapper),
        "central_reuse_by_level": share_by_level(per_sentence),
        "central_sources": sources_by_document(reuse, corpus["documents"]),
    }
