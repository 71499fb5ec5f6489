"""Frames stage: central formulations, their attribution, and what the lexicon lacks.

Detection works on the normalised text with quotation marks removed (“两个确立”
and 两个确立 are the same formulation), never on jieba tokens. For every lexicon
row the canonical form is matched literally (``exact``), the `variants` and
`abbreviations` columns as regular expressions (``variant``, ``abbreviation``).
All candidate spans of all formulations compete: the longest wins, then exact
before variant before abbreviation, then the earlier start; a span that overlaps
an accepted one is dropped. So a formulation is never counted twice, and a short
formulation inside a longer one is not counted separately.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tifa.config import DATA_RAW, LEVELS
from tifa.errors import InputError
from tifa.load import read_input_csv
from tifa.schemas import CATEGORIES, COINED_BY

LEXICON_COLUMNS = ["formulation_id", "canonical", "variants", "abbreviations", "english", "category", "coined_by",
                   "first_date", "source", "confidence", "notes"]
PATTERN_SEP = " ; "
QUOTES = "“”‘’\"「」『』"
MATCH_RANK = {"exact": 0, "variant": 1, "abbreviation": 2}

# Who a line is attributed to: (pattern, authority as named, tier of that authority).
AUTHORITIES = [
    (r"习近平总书记|总书记|习近平同志", "习近平总书记", "central"),
    (r"中央经济工作会议", "中央经济工作会议", "central"),
    (r"中央纪委", "中央纪委", "central"),
    (r"以习近平同志为核心的党中央|党中央|中共中央|中央", "党中央", "central"),
    (r"国务院", "国务院", "central"),
    (r"党的二十大|二十大报告|党的十九届六中全会|十九届六中全会|党的十九大", "党代会/全会", "central"),
    (r"国家市场监管总局|市场监管总局|国家总局|总局", "市场监管总局", "central"),
    (r"全国市场监管工作会议|全国市场监管工作会", "全国市场监管工作会议", "central"),
    (r"国家药监局|国家知识产权局", "国家药监局/知识产权局", "central"),
    (r"省委|省政府|省人民政府", "省委/省政府", "provincial"),
    (r"省市场监管局|省局", "省市场监管局", "provincial"),
    (r"全省市场监管工作会议|省市场监管工作会议|省药监工作会议|省知识产权工作会议|省委经济工作会议", "省级会议", "provincial"),
    (r"副省长|省长", "省政府领导", "provincial"),
    (r"市委|市政府|市人民政府|市委全委会", "市委/市政府", "municipal"),
    (r"市市场监管局|市局", "市市场监管局", "municipal"),
    (r"副市长|市长", "市政府领导", "municipal"),
    (r"区委|区政府|县委|县政府", "区县委/区县政府", "district"),
]
AUTHORITY = re.compile("|".join(f"(?P<a{i}>{p})" for i, (p, _, _) in enumerate(AUTHORITIES)))
CUE = re.compile(r"强调|指出|要求|部署|提出|批示|指示|重要讲话|重要论述|号召|明确")
CUE_WINDOW = 40  # characters between the authority and its cue verb


# ---------------------------------------------------------------------- lexicon
def _compile(path: Path, row_no: int, fid: str, column: str, pattern: str) -> re.Pattern:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise InputError(path, f"row {row_no} ({fid}): {column} pattern {pattern!r} is malformed: {exc}") from None
    if compiled.match(""):
        raise InputError(path, f"row {row_no} ({fid}): {column} pattern {pattern!r} matches the empty string")
    return compiled


def read_lexicon(path: Path) -> pd.DataFrame:
    """Read and check the formulation lexicon; stop naming the row on any problem."""
    lex = read_input_csv(path, tuple(LEXICON_COLUMNS), "formulation_id", "formulation lexicon")
    for i, row in enumerate(lex.itertuples(), start=2):  # row 1 is the header
        if not row.formulation_id or not row.canonical:
            raise InputError(path, f"row {i}: empty formulation_id or canonical")
        if row.category not in CATEGORIES:
            raise InputError(path, f"row {i} ({row.formulation_id}): category {row.category!r} not in {CATEGORIES}")
        if row.coined_by not in COINED_BY:
            raise InputError(path, f"row {i} ({row.formulation_id}): coined_by {row.coined_by!r} not in {COINED_BY}")
        for column in ("variants", "abbreviations"):
            for pattern in split_patterns(getattr(row, column)):
                _compile(path, i, row.formulation_id, column, pattern)
    return lex[LEXICON_COLUMNS]


def split_patterns(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(PATTERN_SEP) if p.strip()]


@lru_cache(maxsize=4)
def lexicon(raw_dir: Path = DATA_RAW) -> pd.DataFrame:
    return read_lexicon(raw_dir / "lexicon" / "formulations.csv")


def compiled_patterns(lex: pd.DataFrame) -> list[tuple[str, str, re.Pattern]]:
    out = []
    for row in lex.itertuples():
        out.append((row.formulation_id, "exact", re.compile(re.escape(strip_quotes(row.canonical)[0]))))
        for column, match in (("variants", "variant"), ("abbreviations", "abbreviation")):
            out.extend((row.formulation_id, match, re.compile(p)) for p in split_patterns(getattr(row, column)))
    return out


# -------------------------------------------------------------------- detection
def strip_quotes(text: str) -> tuple[str, list[int]]:
    """Text without quotation marks, and the original offset of every kept character."""
    kept, offsets = [], []
    for i, ch in enumerate(text):
        if ch not in QUOTES:
            kept.append(ch)
            offsets.append(i)
    offsets.append(len(text))
    return "".join(kept), offsets


def detect(text: str, patterns: list[tuple[str, str, re.Pattern]]) -> list[dict]:
    """Longest non-overlapping formulation matches in `text` (offsets into `text`)."""
    bare, offsets = strip_quotes(text)
    candidates = []
    for fid, match, pattern in patterns:
        for m in pattern.finditer(bare):
            if m.end() > m.start() and "\n" not in m.group():
                candidates.append((m.start(), m.end(), fid, match))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), MATCH_RANK[c[3]], c[0], c[2]))
    taken = [False] * (len(bare) + 1)
    hits = []
    for start, end, fid, match in candidates:
        if any(taken[start:end]):
            continue
        for i in range(start, end):
            taken[i] = True
        o_start, o_end = offsets[start], offsets[end - 1] + 1
        hits.append({"formulation_id": fid, "surface": bare[start:end], "start": o_start, "end": o_end, "match": match})
    return sorted(hits, key=lambda h: h["start"])


def sentence_of(sentences: pd.DataFrame, position: int) -> int:
    starts = sentences["start"].to_numpy()
    idx = int((starts <= position).sum()) - 1
    return int(sentences["sent_id"].iloc[max(idx, 0)])


# ------------------------------------------------------------------ attribution
def attributions(doc_id: str, sentences: pd.DataFrame, doc_level: str) -> pd.DataFrame:
    """Sentences naming a higher (or the same) authority with a cue verb after it."""
    rows = []
    for s in sentences.itertuples():
        for m in AUTHORITY.finditer(s.text):
            i = next(int(k[1:]) for k, v in m.groupdict().items() if v)
            _, name, level = AUTHORITIES[i]
            cue = CUE.search(s.text, m.end(), m.end() + CUE_WINDOW)
            if not cue or AUTHORITY.search(s.text, m.end(), cue.start()):
                continue  # no cue, or a nearer authority owns the cue
            rows.append({"doc_id": doc_id, "sent_id": s.sent_id, "authority": name, "authority_surface": m.group(),
                         "authority_level": level, "levels_up": LEVELS.index(doc_level) - LEVELS.index(level),
                         "cue": cue.group(), "start": s.start + m.start(), "text": s.text})
    return pd.DataFrame(rows, columns=ATTRIBUTION_COLUMNS)


ATTRIBUTION_COLUMNS = ["doc_id", "sent_id", "authority", "authority_surface", "authority_level", "levels_up", "cue",
                       "start", "text"]


def attribute(hit: dict, attr: pd.DataFrame) -> str:
    """The authority a hit is attributed to: the nearest attribution before it in its sentence."""
    same = attr[(attr["sent_id"] == hit["sent_id"]) & (attr["start"] <= hit["start"])]
    return same.iloc[-1]["authority"] if len(same) else ""


# -------------------------------------------------------------------- discovery
QUOTED = re.compile(r"“([^“”]{2,16})”")
NUMBERED = re.compile(
    r"(?<![一二两三四五六七八九十百千第])"
    r"(?:[两二三四五六七八九十]个[\u4e00-\u9fff]{2}"
    r"|[一二两三四五六七八九十双][\u4e00-\u9fff][一二两三四五六七八九十双][\u4e00-\u9fff]"
    r"|[三四五六七八九十]大[\u4e00-\u9fff]{2,4}(?:体系)?)"
)
NUMERAL_START = re.compile(r"^[一二两三四五六七八九十双]")


def candidates_in(doc_id: str, text: str) -> list[dict]:
    """Quoted phrases, plus numbered formulas written without quotes.

    Phrases containing mask characters are redacted names, not formulations,
    and are left out.
    """
    rows, quoted_spans = [], []
    for m in QUOTED.finditer(text):
        phrase = m.group(1)
        quoted_spans.append((m.start(), m.end()))
        if re.search(r"[\u4e00-\u9fff]", phrase) and not re.search(r"[。！？×*＊]", phrase):
            rows.append({"doc_id": doc_id, "candidate": phrase,
                         "kind": "numbered" if NUMERAL_START.match(phrase) else "quoted", "start": m.start(1)})
    for m in NUMBERED.finditer(text):
        if not any(a <= m.start() < b for a, b in quoted_spans):
            rows.append({"doc_id": doc_id, "candidate": m.group(), "kind": "numbered", "start": m.start()})
    return rows


def candidate_table(found: list[dict], docs: pd.DataFrame, patterns) -> pd.DataFrame:
    if not found:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    df = pd.DataFrame(found).merge(docs[["doc_id", "level"]], on="doc_id")
    df = df.drop_duplicates(["doc_id", "candidate", "start"])
    rows = []
    for phrase, g in df.groupby("candidate", sort=True):
        hits = detect(phrase, patterns)
        covered = sum(h["end"] - h["start"] for h in hits)
        n_occ = len(g)
        levels = sorted(set(g["level"]), key=LEVELS.index)
        in_lexicon = "full" if covered == len(phrase) else ("part" if covered else "no")
        rows.append({
            "candidate": phrase, "kind": "numbered" if (g["kind"] == "numbered").any() else "quoted",
            "n_docs": g["doc_id"].nunique(), "n_occurrences": n_occ, "doc_ids": ";".join(sorted(set(g["doc_id"]))),
            "levels": ";".join(levels), "in_lexicon": in_lexicon,
            "formulation_ids": ";".join(sorted({h["formulation_id"] for h in hits})),
            "local_coinage_candidate": in_lexicon == "no" and len(levels) == 1 and levels[0] != "central",
        })
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


CANDIDATE_COLUMNS = ["candidate", "kind", "n_docs", "n_occurrences", "doc_ids", "levels", "in_lexicon",
                     "formulation_ids", "local_coinage_candidate"]


# ------------------------------------------------------------------ corpus level
def tables(processed, raw_dir: Path = DATA_RAW) -> dict[str, pd.DataFrame]:
    lex = lexicon(raw_dir)
    patterns = compiled_patterns(lex)
    docs = pd.DataFrame([{**p.doc.meta, "n_chars": len("".join(p.text.split())), "length": len(p.text)}
                         for p in processed])
    hit_rows, attr_frames, found = [], [], []
    for p in processed:
        doc_id = p.doc.doc_id
        attr = attributions(doc_id, p.sentences, p.doc.meta["level"])
        attr_frames.append(attr)
        for hit in detect(p.text, patterns):
            hit["sent_id"] = sentence_of(p.sentences, hit["start"])
            hit["attributed_to"] = attribute(hit, attr)
            hit_rows.append({"doc_id": doc_id, **hit})
        found.extend(candidates_in(doc_id, p.text))
    hits = pd.DataFrame(hit_rows, columns=HIT_COLUMNS)
    attrs = pd.concat([a for a in attr_frames if len(a)], ignore_index=True) if any(len(a) for a in attr_frames) \
        else pd.DataFrame(columns=ATTRIBUTION_COLUMNS)
    return {
        "frame_hits": hits,
        "frame_by_doc": frame_by_doc(hits, docs, lex),
        "frame_by_level": frame_by_level(hits, docs, lex),
        "frame_by_year": frame_by_year(hits, docs, lex),
        "attributions": attrs.drop(columns="start"),
        "formulation_candidates": candidate_table(found, docs, patterns),
    }


HIT_COLUMNS = ["doc_id", "sent_id", "formulation_id", "surface", "start", "end", "match", "attributed_to"]


def frame_by_doc(hits: pd.DataFrame, docs: pd.DataFrame, lex: pd.DataFrame) -> pd.DataFrame:
    """Every document x formulation pair, including zero counts (so absence is explicit)."""
    rows = []
    for d in docs.itertuples():
        doc_hits = hits[hits["doc_id"] == d.doc_id]
        for f in lex.itertuples():
            h = doc_hits[doc_hits["formulation_id"] == f.formulation_id]
            n = len(h)
            rows.append({
                "doc_id": d.doc_id, "formulation_id": f.formulation_id, "level": d.level, "year": int(d.year),
                "count": n, "n_exact": int((h["match"] == "exact").sum()),
                "n_variant": int((h["match"] == "variant").sum()),
                "n_abbreviation": int((h["match"] == "abbreviation").sum()),
                "per_10k_chars": round(n / d.n_chars * 10_000, 4),
                "first_position": round(h["start"].min() / d.length, 4) if n else None,
                "n_attributed": int((h["attributed_to"] != "").sum()),
            })
    return pd.DataFrame(rows)


def frame_by_year(hits: pd.DataFrame, docs: pd.DataFrame, lex: pd.DataFrame) -> pd.DataFrame:
    """Formulation x document year: hits and documents, and whether the formulation occurs in that year only."""
    years = sorted(docs["year"].astype(int).unique())
    merged = hits.merge(docs[["doc_id", "year"]].astype({"year": int}), on="doc_id")
    counts = merged.groupby(["formulation_id", "year"]).agg(count=("doc_id", "size"), n_docs_with_hit=("doc_id", "nunique"))
    grid = pd.MultiIndex.from_product([lex["formulation_id"], years], names=["formulation_id", "year"])
    table = counts.reindex(grid, fill_value=0).reset_index()
    years_present = table[table["count"] > 0].groupby("formulation_id")["year"].nunique()
    table["only_this_year"] = (table["count"] > 0) & table["formulation_id"].map(years_present).eq(1)
    return table


def frame_by_level(hits: pd.DataFrame, docs: pd.DataFrame, lex: pd.DataFrame) -> pd.DataFrame:
    """For each formulation and tier: verbatim (any exact hit), adapted (only variants/abbreviations) or absent."""
    merged = hits.merge(docs[["doc_id", "level"]], on="doc_id")
    rows = []
    present_levels = [lv for lv in LEVELS if lv in set(docs["level"])]
    for f in lex.itertuples():
        for level in present_levels:
            h = merged[(merged["formulation_id"] == f.formulation_id) & (merged["level"] == level)]
            status = "absent" if h.empty else ("verbatim" if (h["match"] == "exact").any() else "adapted")
            rows.append({"formulation_id": f.formulation_id, "level": level,
                         "n_docs_at_level": int((docs["level"] == level).sum()),
                         "n_docs_with_hit": h["doc_id"].nunique(), "count": len(h), "status": status,
                         "surfaces": ";".join(sorted(set(h["surface"])))})
    return pd.DataFrame(rows)
