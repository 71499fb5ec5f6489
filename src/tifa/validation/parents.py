"""Blind check of reuse-inferred parents in the legislation case (issue 22, item 5).

Citations are ground truth only where a regulation names its parents; reuse infers a parent wherever enough
wording is shared. A coder reads a seeded sample of inferred pairs, without being told whether the pair is
cited or how much it shares, and says whether the regulation draws on the earlier text. The sheet shows what
a reader needs for that: both titles, dates and tiers, the regulation's first article (where it names its
basis) and the longest passages the two share, each with its context.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tifa.errors import InputError
from tifa.stages.stats import wilson

PAIR_SEED = 22
PAIR_SAMPLE_SIZE = 50
SHOWN_PASSAGES = 3  # longest shared passages shown per pair
CONTEXT = 40  # characters either side of a shared passage
CODES = ("parent_cited", "parent_uncited", "shared_source", "no_relation")
PARENT_CODES = ("parent_cited", "parent_uncited")
SHEET_COLUMNS = ["pair_id", "doc_id", "doc_title", "doc_date", "doc_level", "source_doc_id", "source_title",
                 "source_date", "source_level", "doc_first_article", "shared_passages"]
CODED_COLUMNS = ["pair_id", "code", "notes"]


def _passages(reuse: pd.DataFrame, texts: dict[str, str], doc_id: str, source_id: str) -> str:
    """The longest passages shared by the two texts, each in the regulation with its context, numbered."""
    a = reuse[(reuse["doc_a"] == doc_id) & (reuse["doc_b"] == source_id)]
    b = reuse[(reuse["doc_b"] == doc_id) & (reuse["doc_a"] == source_id)]
    spans = [(int(r.start_a), int(r.end_a)) for r in a.itertuples()] + [(int(r.start_b), int(r.end_b)) for r in b.itertuples()]
    spans = sorted(set(spans), key=lambda s: (s[0] - s[1], s[0]))[:SHOWN_PASSAGES]
    text = texts.get(doc_id, "")
    return "\n".join(f"[{k}] …{text[max(0, s - CONTEXT):s]}【{text[s:e]}】{text[e:e + CONTEXT]}…"
                     for k, (s, e) in enumerate(sorted(spans), start=1))


def pair_sample(processed: Path, n: int = PAIR_SAMPLE_SIZE, seed: int = PAIR_SEED) -> pd.DataFrame:
    """A seeded random sample of the reuse-inferred (document, earlier higher-tier text) pairs of a built
    legislation case, as a coding sheet: no column says whether the pair is cited or how much it shares."""
    from tifa.pipeline import read_table

    pairs = read_table(processed / "citation_reuse.csv")
    inferred = pairs[pairs["inferred"].astype(str) == "True"].sort_values(["doc_id", "source_doc_id"]).reset_index(drop=True)
    if inferred.empty:
        raise InputError(processed / "citation_reuse.csv", "no reuse-inferred pair to sample")
    chosen = np.sort(np.random.default_rng(seed).choice(len(inferred), size=min(n, len(inferred)), replace=False))
    inferred = inferred.iloc[chosen]
    docs = read_table(processed / "documents.csv").set_index("doc_id")
    articles = read_table(processed / "articles.csv")
    first = articles[articles["article"] == 1].drop_duplicates("doc_id").set_index("doc_id")
    reuse = read_table(processed / "reuse.csv")
    needed = set(inferred["doc_id"])
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (processed / "normalized").glob("*.txt") if p.stem in needed}
    rows = []
    for k, r in enumerate(inferred.itertuples(), start=1):
        d, s = docs.loc[r.doc_id], docs.loc[r.source_doc_id]
        text = texts.get(r.doc_id, "")
        article = (text[int(first.loc[r.doc_id, "start"]):int(first.loc[r.doc_id, "end"])]
                   if r.doc_id in first.index else "")
        rows.append({"pair_id": f"p{k:03d}", "doc_id": r.doc_id, "doc_title": d["title"], "doc_date": d["date"],
                     "doc_level": d["level"], "source_doc_id": r.source_doc_id, "source_title": s["title"],
                     "source_date": s["date"], "source_level": s["level"], "doc_first_article": article,
                     "shared_passages": _passages(reuse, texts, r.doc_id, r.source_doc_id)})
    return pd.DataFrame(rows, columns=SHEET_COLUMNS)


def read_coded(path: Path, sheet: pd.DataFrame) -> pd.DataFrame:
    """A filled sheet (pair_id, code, notes), checked against the sample: every pair once, known codes."""
    try:
        coded = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(path, f"not a readable UTF-8 CSV: {exc}") from None
    missing = [c for c in CODED_COLUMNS if c not in coded.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}")
    bad = coded[~coded["code"].isin(CODES)]
    if len(bad):
        raise InputError(path, f"row {bad.index[0] + 2}: code {bad['code'].iloc[0]!r} is not one of {', '.join(CODES)}")
    if sorted(coded["pair_id"]) != sorted(sheet["pair_id"]):
        raise InputError(path, "its pair_ids are not those of the sample (each pair once)")
    return coded[CODED_COLUMNS]


def pair_validation(sheet: pd.DataFrame, coded: pd.DataFrame, pairs: pd.DataFrame, coder: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per pair, summary): each sampled pair with the coder's code beside whether the regulation cites the
    text; the share of inferred pairs the coder judges real parents, overall and among pairs the citations
    miss, with Wilson intervals."""
    cited = pairs.set_index(["doc_id", "source_doc_id"])["cited"].astype(str).eq("True")
    per_pair = sheet[["pair_id", "doc_id", "source_doc_id", "doc_level", "source_level"]].merge(coded, on="pair_id")
    per_pair["cited"] = [bool(cited.get((d, s), False)) for d, s in zip(per_pair["doc_id"], per_pair["source_doc_id"])]
    per_pair["coder_parent"] = per_pair["code"].isin(PARENT_CODES)
    per_pair["coder"] = coder
    rows = []
    for measure, subset in (("inferred pairs judged a parent", per_pair),
                            ("inferred pairs not cited, judged a parent", per_pair[~per_pair["cited"]]),
                            ("inferred pairs cited, judged a parent", per_pair[per_pair["cited"]])):
        k, n = int(subset["coder_parent"].sum()), len(subset)
        low, high = wilson(k, n)
        rows.append({"measure": measure, "k": k, "n": n, "value": round(k / n, 4) if n else float("nan"),
                     "ci_low": low, "ci_high": high, "coder": coder})
    return per_pair, pd.DataFrame(rows)


SHEET_FILE = "parent_pairs_sample.csv"  # in data/raw/annotations: the sample as the coder saw it
CODED_FILE = "parent_pairs_coded.csv"


def write_pair_validation(processed: Path, annotations: Path) -> dict[str, pd.DataFrame]:
    """parent_pair_validation.csv and parent_pair_accuracy.csv of a built legislation case, from the coded
    sample in `annotations` (scored on the pairs this build also infers; empty tables when none is coded)."""
    from tifa.inputs.load import read_coders
    from tifa.pipeline import read_table, write_csv
    from tifa.schemas import TABLES, validate

    sheet_path, coded_path = annotations / SHEET_FILE, annotations / CODED_FILE
    empty = {name: pd.DataFrame(columns=list(TABLES[name].schema.columns)) for name in ("parent_pair_validation", "parent_pair_accuracy")}
    out = empty
    if sheet_path.is_file() and coded_path.is_file():
        sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
        coded = read_coded(coded_path, sheet)
        coders = read_coders(annotations, {"parent_pairs_coded": coded})
        coder = ";".join(sorted(set(coders.loc[coders["annotation"] == "parent_pairs_coded", "coder"])))
        pairs = read_table(processed / "citation_reuse.csv")
        inferred = pairs[pairs["inferred"].astype(str) == "True"]
        here = set(zip(inferred["doc_id"], inferred["source_doc_id"]))
        sheet = sheet[[(d, s) in here for d, s in zip(sheet["doc_id"], sheet["source_doc_id"])]]
        if len(sheet):
            per_pair, summary = pair_validation(sheet, coded, pairs, coder)
            out = {"parent_pair_validation": per_pair, "parent_pair_accuracy": summary}
    for name, table in out.items():
        write_csv(validate(name, table), processed / f"{name}.csv")
    return out
