"""Vertical reuse in a legislation build: which tier a provincial or city regulation copies from, and when.

Reads the build's `reuse.csv` (passages shared by two documents, found by the project's indexed
seed-and-extend aligner, `tifa.stages.reuse`) and `documents.csv`. A passage counts as copied into
document X from source S when S is dated strictly before X; each passage of a pair is read in
that direction only. Sources fall into tiers relative to X:

* central         a central text
* own_province    a regulation of X's own province (provincial level)
* other_province  a provincial regulation of another province
* own_cities      a regulation of another city of X's own province
* other_cities    a city regulation of another province
(X's own city's earlier regulations are `own_city` in `reuse_lag`, and no tier of `reuse_by_tier`.)

`reuse_by_tier`: per document and tier, the characters of X covered by passages from that tier
(`chars`, `share` of X's length) and the same characters down-weighted as boilerplate: each
character counts 1/k, k the number of documents (any tier, any date) that share a passage over it,
so a clause found in forty regulations weighs 1/40 (`distinctive_chars`, `distinctive_share`).
`skip_level`: the central passages of a city regulation, and whether their wording is absent from
every earlier regulation of its own province (no shared passage over at least half of it).
`reuse_lag`: per copying pair, the days from the source's date to the copy's, and the characters copied.
`placebo`: a city regulation against the same-topic regulation (title without the place name)
of its own province and of the other province(s), both earlier: the other province's text should
be copied less. `citation_reuse`: explicit citations (`citations.csv`) as ground truth for
reuse-inferred parents (a higher-tier earlier source sharing at least PARENT_MIN_CHARS characters).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tifa.config import LEVELS
from tifa.stages.stats import wilson

TIERS = ("central", "own_province", "other_province", "own_cities", "other_cities")
LOCAL_LEVELS = ("provincial", "municipal", "district")
SKIP_UNCOVERED = 0.5  # a central passage is skip-level when at least this share of it is in no own-province text
PARENT_MIN_CHARS = 100  # reused characters that make an earlier higher-tier text a reuse-inferred parent


def tier(doc: dict, source: dict) -> str:
    if source["level"] == "central":
        return "central"
    same = source["province"] == doc["province"]
    if source["level"] == "provincial":
        return "own_province" if same else "other_province"
    if same:
        return "own_cities" if source["region"] != doc["region"] else "own_city"
    return "other_cities"


def directed(reuse: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Every passage twice, as (doc, start, end, source), kept where the source is dated before the doc."""
    cols = ["passage_id", "doc", "start", "end", "source"]
    a = reuse[["passage_id", "doc_a", "start_a", "end_a", "doc_b"]].set_axis(cols, axis=1)
    b = reuse[["passage_id", "doc_b", "start_b", "end_b", "doc_a"]].set_axis(cols, axis=1)
    both = pd.concat([a, b], ignore_index=True)
    date = documents.set_index("doc_id")["date"]
    return both.assign(doc_date=both["doc"].map(date), source_date=both["source"].map(date))


def merged(starts: np.ndarray, ends: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The union of each group's spans as disjoint (start, end) intervals, with their group: sorted by group
    and start."""
    if not len(starts):
        return starts, ends, groups
    order = np.lexsort((starts, groups))
    starts, ends, groups = starts[order], ends[order], groups[order]
    offset = int(ends.max()) + 1  # a group's running maximum never reaches the next group's
    reach = np.maximum.accumulate(ends + groups * offset) - groups * offset
    new = np.append(True, (groups[1:] != groups[:-1]) | (starts[1:] > reach[:-1]))
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(starts)) - 1
    return starts[first], reach[last], groups[first]


def covered_count(length: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many of the given intervals cover each character (a difference array)."""
    diff = np.zeros(length + 1, dtype=np.int32)
    np.add.at(diff, starts, 1)
    np.add.at(diff, ends, -1)
    return np.cumsum(diff)[:length]


def tables(documents: pd.DataFrame, reuse: pd.DataFrame, citations: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    docs = documents.set_index("doc_id").to_dict("index")
    spans = directed(reuse, documents)
    spans = spans.assign(earlier=(spans["source_date"] < spans["doc_date"]).to_numpy(bool))
    by_doc = {doc_id: part for doc_id, part in spans.groupby("doc", sort=False)}
    tier_rows, skip_rows, lag_rows = [], [], []
    pair_chars: dict[tuple[str, str], int] = {}
    for doc_id in sorted(d for d, m in docs.items() if m["level"] in LOCAL_LEVELS):
        doc = docs[doc_id]
        length = int(doc["n_chars"])
        mine = by_doc.get(doc_id, spans.iloc[0:0])
        start = np.clip(mine["start"].to_numpy(np.int64), 0, length)
        end = np.clip(mine["end"].to_numpy(np.int64), 0, length)
        source_names, source = np.unique(mine["source"].to_numpy(str), return_inverse=True)
        # k per character: documents sharing a passage over it (each partner once: its own spans' union)
        sharing = covered_count(length, *merged(start, end, source)[:2])
        early = mine["earlier"].to_numpy(bool)
        tiers = np.array([TIERS.index(t) if t in TIERS else len(TIERS) for t in
                          (tier(doc, docs[name]) for name in source_names)], dtype=np.int64)
        tier_of = tiers[source] if len(source) else np.zeros(0, np.int64)
        m_start, m_end, m_tier = merged(start[early], end[early], tier_of[early])
        covered_by_tier = {}
        for k, name in enumerate(TIERS):
            chosen = m_tier == k
            covered = covered_count(length, m_start[chosen], m_end[chosen]) > 0
            covered_by_tier[name] = covered
            weight = np.where(covered, 1.0 / np.maximum(sharing, 1), 0.0)
            n_sources = len(np.unique(source[early & (tier_of == k)]))
            tier_rows.append({"doc_id": doc_id, "level": doc["level"], "province": doc["province"], "region": doc["region"],
                              "date": doc["date"], "tier": name, "n_sources": int(n_sources),
                              "chars": int(covered.sum()), "share": round(float(covered.sum()) / length, 4) if length else 0.0,
                              "distinctive_chars": round(float(weight.sum()), 2),
                              "distinctive_share": round(float(weight.sum()) / length, 4) if length else 0.0})
        if doc["level"] in ("municipal", "district"):
            own = covered_by_tier["own_province"]
            central = np.flatnonzero(early & (tier_of == TIERS.index("central")))
            central = central[np.lexsort((source_names[source[central]], mine["start"].to_numpy()[central]))]
            for row in mine.iloc[central].itertuples():
                n = int(row.end - row.start)
                outside = int((~own[row.start:row.end]).sum())
                skip_rows.append({"doc_id": doc_id, "source_doc_id": row.source, "passage_id": row.passage_id,
                                  "start": int(row.start), "end": int(row.end), "n_chars": n, "chars_not_in_own_province": outside,
                                  "skip_level": outside >= SKIP_UNCOVERED * n})
        p_start, p_end, p_source = merged(start[early], end[early], source[early])
        chars_of = np.bincount(p_source, weights=p_end - p_start, minlength=len(source_names))
        for k in np.unique(source[early]).tolist():  # sorted by name, as np.unique sorted the names
            name = str(source_names[k])
            chars = int(chars_of[k])
            pair_chars[(doc_id, name)] = chars
            lag = (pd.Timestamp(doc["date"]) - pd.Timestamp(docs[name]["date"])).days
            lag_rows.append({"doc_id": doc_id, "level": doc["level"], "source_doc_id": name,
                             "source_level": docs[name]["level"], "tier": tier(doc, docs[name]), "doc_date": doc["date"],
                             "source_date": docs[name]["date"], "lag_days": int(lag), "chars": chars})
    out = {
        "reuse_by_tier": pd.DataFrame(tier_rows),
        "skip_level": pd.DataFrame(skip_rows, columns=["doc_id", "source_doc_id", "passage_id", "start", "end", "n_chars",
                                                       "chars_not_in_own_province", "skip_level"]),
        "reuse_lag": pd.DataFrame(lag_rows, columns=["doc_id", "level", "source_doc_id", "source_level", "tier", "doc_date",
                                                     "source_date", "lag_days", "chars"]),
        "placebo": placebo(docs, pair_chars),
    }
    if citations is not None:
        out["citation_reuse"], out["citation_reuse_validation"] = citation_reuse(docs, pair_chars, citations)
    return out


def topic(title: str, region: str, province: str) -> str:
    """A title without its place: 青岛市优化营商环境条例 -> 优化营商环境条例."""
    place = province.split(" ")[0]
    for prefix in (region, region.removeprefix(place), place):
        if prefix and title.startswith(prefix):
            return title[len(prefix):]
    return re.sub(r"^[\u4e00-\u9fff]{2,4}?[省市]", "", title)


def placebo(docs: dict, pair_chars: dict) -> pd.DataFrame:
    """City regulations against the same-topic provincial regulation of their own and of another province."""
    provincial = {}
    for doc_id, d in docs.items():
        if d["level"] == "provincial":
            provincial.setdefault(topic(d["title"], d["region"], d["province"]), []).append(doc_id)
    rows = []
    for doc_id, d in sorted(docs.items()):
        if d["level"] not in ("municipal", "district"):
            continue
        name = topic(d["title"], d["region"], d["province"])
        earlier = [p for p in provincial.get(name, []) if docs[p]["date"] < d["date"]]
        for p in earlier:
            rows.append({"doc_id": doc_id, "topic": name, "parent_doc_id": p,
                         "parent": "own_province" if docs[p]["province"] == d["province"] else "other_province",
                         "chars": pair_chars.get((doc_id, p), 0),
                         "share": round(pair_chars.get((doc_id, p), 0) / int(d["n_chars"]), 4)})
    return pd.DataFrame(rows, columns=["doc_id", "topic", "parent_doc_id", "parent", "chars", "share"])


def citation_reuse(docs: dict, pair_chars: dict, citations: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each (local document, earlier higher-tier text) pair that is cited or reuse-inferred, and recall/precision."""
    rank = {lv: k for k, lv in enumerate(LEVELS)}
    cited = citations[(citations["resolved"].astype(str) == "True") & (citations["cited_doc_id"] != citations["doc_id"])]
    cited_pairs = {(r.doc_id, r.cited_doc_id) for r in cited.itertuples()
                   if r.doc_id in docs and docs[r.doc_id]["level"] in LOCAL_LEVELS
                   and rank[docs[r.cited_doc_id]["level"]] < rank[docs[r.doc_id]["level"]]}
    inferred = {pair for pair, chars in pair_chars.items()
                if chars >= PARENT_MIN_CHARS and rank[docs[pair[1]]["level"]] < rank[docs[pair[0]]["level"]]}
    rows = [{"doc_id": d, "source_doc_id": s, "doc_level": docs[d]["level"], "source_level": docs[s]["level"],
             "cited": (d, s) in cited_pairs, "inferred": (d, s) in inferred, "chars": pair_chars.get((d, s), 0)}
            for d, s in sorted(cited_pairs | inferred)]
    pairs = pd.DataFrame(rows, columns=["doc_id", "source_doc_id", "doc_level", "source_level", "cited", "inferred", "chars"])
    both = int((pairs["cited"] & pairs["inferred"]).sum())
    summary = []
    for measure, k, n in (("recall", both, int(pairs["cited"].sum())), ("precision", both, int(pairs["inferred"].sum()))):
        low, high = wilson(k, n)
        summary.append({"measure": measure, "k": k, "n": n, "value": round(k / n, 4) if n else float("nan"),
                        "ci_low": low, "ci_high": high, "parent_min_chars": PARENT_MIN_CHARS})
    return pairs, pd.DataFrame(summary)
