"""Lexicon candidates from the centre, and the literal checks that keep the lexicon honest.

A lexicon assembled from the local documents finds central formulations in them by
construction. `candidates` therefore starts from the central texts and proposes, in
four systematic ways, strings that the centre uses and the local documents repeat:

- ``numbered``: numbered formulas (两个确立, 四个意识, 三大攻坚战, 三新一高, 六稳六保);
- ``quoted``: phrases the centre puts in quotation marks (“十四五”, “放管服”);
- ``parallel``: 、-chains of short, equally long items (获得感、幸福感、安全感;
  全面学习、全面把握、全面落实) and pairs of four-character phrases that close a
  clause (踔厉奋发、勇毅前行);
- ``ngram``: closed character n-grams (4–10 Han characters) used in at least two
  central texts, relatively more frequent there than in the local documents, and
  present in at least one local document.

The reviewed decisions live in ``data/raw/lexicon/candidates.csv``; this module only
generates. `uses`, `central_sources` and `first_date_conflicts` search the canonical
form and the variants of each lexicon row, so that provenance
(``central_source``) and ``first_date`` can be checked against every dated text.

``python -m tifa.stages.lexicon`` writes ``data/raw/lexicon/candidates_generated.csv``.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tifa.stages.frames import without_quotes
from tifa.inputs.load import split_patterns
from tifa.text.tokens import literal_forms

HAN = "\u4e00-\u9fff"
KINDS = ("numbered", "quoted", "parallel", "ngram")
CANDIDATE_COLUMNS = ["candidate", "kind", "n_central_docs", "central_doc_ids", "n_central_occurrences",
                     "first_central_date", "n_local_docs", "local_doc_ids", "n_local_occurrences",
                     "log_ratio", "in_lexicon", "formulation_ids"]

NUMERAL = "一二两三四五六七八九十"
NUMBERED = re.compile(
    rf"(?<![{NUMERAL}百千第〇])"
    rf"(?:[两二三四五六七八九十]个[{HAN}]{{2}}"  # 两个确立, 四个意识
    rf"|[三四五六七八九十]大[{HAN}]{{2}}"  # 三大攻坚(战)
    rf"|[{NUMERAL}双][{HAN}][{NUMERAL}双][{HAN}](?![{HAN}]))"  # 三新一高, 六稳六保, 一带一路
)
QUOTED = re.compile(r"“([^“”\n]{2,20})”")
CHAIN = re.compile(rf"[{HAN}]+(?:、[{HAN}]+)+")
HAN_RUN = re.compile(rf"[{HAN}]+")
MASK = re.compile(r"[×*＊]")
MAX_ITEM = 6  # longer 、-items are clauses, not parts of a formula
NGRAM_MIN, NGRAM_MAX = 4, 10
MIN_LOG_RATIO = -3.0
MIN_LOCAL_DOCS = 2


# ------------------------------------------------------------------ generators
def numbered(text: str) -> list[str]:
    return [m.group() for m in NUMBERED.finditer(without_quotes(text))]


def quoted(text: str) -> list[str]:
    """Quoted phrases with Han characters and no sentence punctuation or mask."""
    return [q for q in QUOTED.findall(text)
            if re.search(f"[{HAN}]", q) and not re.search(r"[。！？；：，]", q) and not MASK.search(q)]


def parallel(text: str) -> list[str]:
    """、-chains of short, equally long items, the outer items cut to the inner length.

    A chain is found inside running text (使人民获得感、幸福感、安全感更加充实、更有保障),
    so only inner items have known boundaries. Each run of inner items of one length L
    becomes a candidate, with its two neighbours cut to L characters (获得感、幸福感、
    安全感; 更加充实、更有保障、更可持续). Two-item chains are kept only as pairs of
    four-character phrases whose second item closes the clause (踔厉奋发、勇毅前行，),
    the shape of paired slogans.
    """
    out = []
    for m in CHAIN.finditer(without_quotes(text)):
        items = m.group().split("、")
        if len(items) == 2:
            if len(items[0]) >= 4 and len(items[1]) == 4:
                out.append(f"{items[0][-4:]}、{items[1]}")
            continue
        i = 1
        while i < len(items) - 1:
            size, j = len(items[i]), i
            while j + 1 < len(items) - 1 and len(items[j + 1]) == size:
                j += 1
            if 2 <= size <= MAX_ITEM and len(items[i - 1]) >= size and len(items[j + 1]) >= size:
                out.append("、".join([items[i - 1][-size:], *items[i:j + 1], items[j + 1][:size]]))
            i = j + 1
    return out


def _ngram_counts(texts: dict[str, str], sizes: range) -> dict[str, Counter]:
    counts = {}
    for doc_id, text in texts.items():
        c: Counter = Counter()
        for run in HAN_RUN.findall(without_quotes(text)):
            for n in sizes:
                c.update(run[i:i + n] for i in range(len(run) - n + 1))
        counts[doc_id] = c
    return counts


def word_boundaries(text: str) -> set[int]:
    """Offsets where plain jieba (no project dictionary, no HMM) starts or ends a word."""
    bounds, pos = {0}, 0
    for word in _jieba().lcut(text, HMM=False):
        pos += len(word)
        bounds.add(pos)
    return bounds


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def ngrams(central_texts: dict[str, str], local_texts: dict[str, str]) -> dict[str, float]:
    """Closed, word-bounded n-grams used at least twice by the centre and present locally.

    Returns n-gram -> log2 ratio of its rate per character in the central texts to
    its rate in the local ones (0.5 added to both counts). Kept when:
    - it occurs at least twice in the central texts (in one or several);
    - it recurs locally: it occurs in at least MIN_LOCAL_DOCS local documents;
    - the ratio is at least MIN_LOG_RATIO. The bound is negative on purpose: a
      formulation the local texts adopt is relatively more frequent in them (they are
      shorter and about one field), so a positive ratio would drop 守正创新; the
      bound only removes the field's own vocabulary (市场监管, 食品安全);
    - it is closed: an n-gram that never occurs except inside one longer n-gram (same
      central and local counts) gives way to the longer one (获得感幸 to 获得感幸福感);
    - some central occurrence starts and ends at a jieba word boundary, which drops
      fragments such as 我们要坚 or 进社会公.
    """
    sizes = range(NGRAM_MIN, NGRAM_MAX + 2)  # one longer, to test closure at NGRAM_MAX
    central = _ngram_counts(central_texts, sizes)
    local = _ngram_counts(local_texts, sizes)
    central_total, local_total = Counter(), Counter()
    for c in central.values():
        central_total.update(c)
    for c in local.values():
        local_total.update(c)
    central_chars = sum(len(t) for t in central_texts.values()) or 1
    local_chars = sum(len(t) for t in local_texts.values()) or 1

    def key(g: str) -> tuple[int, int]:
        return central_total[g], local_total[g]

    shadows: dict[str, list[str]] = defaultdict(list)  # n-gram -> observed n-grams one character longer
    for s in set(central_total) | set(local_total):
        if len(s) > NGRAM_MIN:
            shadows[s[:-1]].append(s)
            shadows[s[1:]].append(s)
    found = {}
    local_docs = Counter(g for c in local.values() for g in c)
    for g, n_local in local_total.items():
        if len(g) > NGRAM_MAX or central_total[g] < 2 or local_docs[g] < MIN_LOCAL_DOCS:
            continue
        ratio = math.log2(((central_total[g] + 0.5) / central_chars) / ((n_local + 0.5) / local_chars))
        if ratio >= MIN_LOG_RATIO and not any(key(s) == key(g) for s in shadows[g]):
            found[g] = round(ratio, 3)
    bare = {d: without_quotes(t) for d, t in central_texts.items()}
    bounds = {d: word_boundaries(t) for d, t in bare.items()} if found else {}
    return {g: r for g, r in found.items()
            if any(m.start() in bounds[d] and m.end() in bounds[d]
                   for d, t in bare.items() for m in re.finditer(re.escape(g), t))}


# --------------------------------------------------------------- the candidates
def candidates(central_texts: dict[str, str], local_texts: dict[str, str], lexicon: pd.DataFrame | None = None,
               dates: dict[str, str] | None = None) -> pd.DataFrame:
    """Candidate formulations from the central texts, with where they occur.

    `central_texts` and `local_texts` map doc_id -> normalised text; `dates` maps
    doc_id -> YYYY[-MM[-DD]] (for ``first_central_date``); `lexicon` (the
    formulations table) fills ``in_lexicon`` (full / part / no) and
    ``formulation_ids``. One row per candidate string, sorted by string, so the
    output is deterministic.
    """
    kinds: dict[str, set[str]] = defaultdict(set)
    for text in central_texts.values():
        for kind, found in (("numbered", numbered(text)), ("quoted", quoted(text)), ("parallel", parallel(text))):
            for c in found:
                kinds[without_quotes(c)].add(kind)
    ratios = ngrams(central_texts, local_texts)
    for g in ratios:
        kinds[g].add("ngram")

    central_bare = {d: without_quotes(t) for d, t in sorted(central_texts.items())}
    local_bare = {d: without_quotes(t) for d, t in sorted(local_texts.items())}
    central_chars = sum(len(t) for t in central_bare.values()) or 1
    local_chars = sum(len(t) for t in local_bare.values()) or 1
    patterns = lexicon_patterns(lexicon) if lexicon is not None else []
    dates = dates or {}
    rows = []
    for cand in sorted(kinds):
        c_counts = {d: t.count(cand) for d, t in central_bare.items() if cand in t}
        l_counts = {d: t.count(cand) for d, t in local_bare.items() if cand in t}
        c_dates = sorted(dates[d] for d in c_counts if d in dates)
        ratio = ratios.get(cand)
        if ratio is None:
            ratio = round(math.log2(((sum(c_counts.values()) + 0.5) / central_chars)
                                    / ((sum(l_counts.values()) + 0.5) / local_chars)), 3)
        coverage, fids = lexicon_coverage(cand, patterns)
        rows.append({
            "candidate": cand,
            "kind": ";".join(k for k in KINDS if k in kinds[cand]),
            "n_central_docs": len(c_counts), "central_doc_ids": ";".join(c_counts),
            "n_central_occurrences": sum(c_counts.values()),
            "first_central_date": c_dates[0] if c_dates else "",
            "n_local_docs": len(l_counts), "local_doc_ids": ";".join(l_counts),
            "n_local_occurrences": sum(l_counts.values()),
            "log_ratio": ratio, "in_lexicon": coverage, "formulation_ids": ";".join(fids),
        })
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


# ------------------------------------------------------------ the central rule
# The central rows of the lexicon are what this rule selects from the central texts, and nothing else
# (docs/methods.md §5). It reads the central texts only, never a local document: quotation marks, numbering
# and parallel slots are how the centre itself marks a phrase as a fixed formula (提法).
RULE_MIN_CENTRAL_DOCS = 2  # quoted phrases and parallel chains: used by at least two central texts
RULE_COLUMNS = ["candidate", "kind", "n_central_docs", "central_doc_ids", "first_central_date"]


def central_rule(central_texts: dict[str, str], dates: dict[str, str] | None = None) -> pd.DataFrame:
    """The central formulations the rule selects from the central texts, one row per string, sorted.

    Selected: every numbered formula (两个确立, 四个全面), every phrase the centre puts in quotation
    marks in at least RULE_MIN_CENTRAL_DOCS central texts (“放管服”), and every parallel chain found in
    at least that many (获得感、幸福感、安全感). Numbered formulas and chains must start and end at a
    word boundary of plain jieba in some central occurrence, which drops cut-off fragments (两个毫不
    of 两个毫不动摇, 临的执政考验 of 面临的…). Free n-grams are not selected: recurrence alone does not
    mark a formula (不断提高, 人民群众 recur as often as 守正创新).
    """
    bare = {d: without_quotes(t) for d, t in sorted(central_texts.items())}
    kinds: dict[str, set[str]] = defaultdict(set)
    for text in central_texts.values():
        for kind, found in (("numbered", numbered(text)), ("quoted", quoted(text)), ("parallel", parallel(text))):
            for c in found:
                kinds[without_quotes(c)].add(kind)
    bounds: dict[str, set[int]] = {}

    def bounded(candidate: str) -> bool:
        for d, t in bare.items():
            for m in re.finditer(re.escape(candidate), t):
                if d not in bounds:
                    bounds[d] = word_boundaries(t)
                if m.start() in bounds[d] and m.end() in bounds[d]:
                    return True
        return False

    dates = dates or {}
    rows = []
    for cand in sorted(kinds):
        docs = [d for d, t in bare.items() if cand in t]
        k = kinds[cand]
        selected = ((("numbered" in k or ("parallel" in k and len(docs) >= RULE_MIN_CENTRAL_DOCS)) and bounded(cand))
                    or ("quoted" in k and len(docs) >= RULE_MIN_CENTRAL_DOCS))
        if selected:
            first = sorted(dates[d] for d in docs if d in dates)
            rows.append({"candidate": cand, "kind": ";".join(x for x in KINDS if x in k), "n_central_docs": len(docs),
                         "central_doc_ids": ";".join(docs), "first_central_date": first[0] if first else ""})
    return pd.DataFrame(rows, columns=RULE_COLUMNS)


def rule_holders(rule: pd.DataFrame, lex: pd.DataFrame) -> dict[str, list[str]]:
    """candidate -> the lexicon rows whose forms match it whole or inside it. A selected chain that
    bundles formulations the lexicon has (增强四个意识、坚定四个自信、做到两个维护) is counted by those rows,
    as the lexicon counts every bundle by its parts, not as a row of its own."""
    patterns = lexicon_patterns(lex)
    return {c: lexicon_coverage(c, patterns)[1] for c in rule["candidate"]}


def rule_row_id(candidate: str) -> str:
    """A stable ASCII id for a row the rule adds: cr_ and the first 8 hex digits of its SHA-1."""
    import hashlib

    return "cr_" + hashlib.sha1(candidate.encode("utf-8")).hexdigest()[:8]


SELECTIONS = ("central_rule", "curated")


REVIEWED = ("english", "category", "confidence", "notes")  # what a reviewer may write into a rule row


def apply_central_rule(lex: pd.DataFrame, rule: pd.DataFrame, issuers: dict[str, str],
                       reviewed: pd.DataFrame | None = None) -> pd.DataFrame:
    """The lexicon with its central rows chosen by `central_rule`: a row holding a selected string (whole,
    or as a part of it: `rule_holders`) is `central_rule`; a selected string no row holds becomes a new row (id `rule_row_id`, gloss and
    category left for review, coined_by from the issuer of the earliest central text that has it);
    every other row is `curated` (documented outside the rule: central coinages the five central texts do
    not mark as formulas, and local coinages). `reviewed` holds earlier rule rows: what a reviewer wrote
    into them (`REVIEWED`: gloss, category, confidence, notes) is kept; which rows exist is the rule's alone.
    Ordered by category, then id, as the file is."""
    from tifa.schemas import CATEGORIES

    holders = rule_holders(rule, lex)
    held = {fid for fids in holders.values() for fid in fids}
    out = lex.assign(selection=["central_rule" if f in held else "curated" for f in lex["formulation_id"]])
    new = []
    for r in rule.itertuples():
        if holders[r.candidate]:
            continue
        first_doc = min(r.central_doc_ids.split(";"), key=lambda d: (r.first_central_date, d))
        new.append({c: "" for c in out.columns} | {
            "formulation_id": rule_row_id(r.candidate), "canonical": r.candidate, "english": "",
            "category": "unreviewed",
            "coined_by": "central_state" if "国务院" in issuers.get(first_doc, "") else "central_party",
            "first_date": r.first_central_date, "source": f"selected by the central rule ({r.kind}) from {r.central_doc_ids}",
            "confidence": "low", "central_source": r.central_doc_ids, "selection": "central_rule",
            "notes": "Added by the central rule (issue 21); English rendering and category not yet reviewed; "
                     "first_date is its earliest central text in the corpus, an upper bound."})
    added = pd.DataFrame(new, columns=out.columns)
    if reviewed is not None and len(added):
        kept = reviewed.set_index("formulation_id")
        for column in REVIEWED:
            earlier = added["formulation_id"].map(kept[column]) if column in kept else None
            if earlier is not None:
                added[column] = earlier.where(earlier.notna() & earlier.ne(""), added[column])
    out = pd.concat([out, added], ignore_index=True)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return out.sort_values(["category", "formulation_id"], key=lambda s: s.map(order) if s.name == "category" else s,
                           kind="stable").reset_index(drop=True)


# ------------------------------------------------------------- lexicon helpers
def lexicon_patterns(lex: pd.DataFrame) -> list[tuple[str, re.Pattern]]:
    """(formulation_id, pattern) for the canonical form (literal), every variant and abbreviation."""
    out = []
    for row in lex.itertuples():
        out.append((row.formulation_id, re.compile(re.escape(without_quotes(row.canonical)))))
        for column in ("variants", "abbreviations"):
            out.extend((row.formulation_id, re.compile(p)) for p in split_patterns(getattr(row, column)))
    return out


def lexicon_coverage(candidate: str, patterns: list[tuple[str, re.Pattern]]) -> tuple[str, list[str]]:
    """'full' if one lexicon pattern matches the whole candidate, 'part' if some match inside it, else 'no'."""
    full, part = set(), set()
    for fid, pattern in patterns:
        for m in pattern.finditer(candidate):
            (full if m.start() == 0 and m.end() == len(candidate) else part).add(fid)
    if full:
        return "full", sorted(full)
    return ("part", sorted(part)) if part else ("no", [])


def literal_forms_of(row) -> list[str]:
    """Canonical form and the plain-text (regex-free) variants and abbreviations of a lexicon row."""
    forms = [without_quotes(row.canonical)]
    for column in ("variants", "abbreviations"):
        forms += [f for f in literal_forms(getattr(row, column)) if f not in forms]
    return forms


def row_patterns(row, literal: bool = False) -> list[re.Pattern]:
    """The row's search patterns: literal forms only, or canonical plus every variant/abbreviation regex."""
    if literal:
        return [re.compile(re.escape(f)) for f in literal_forms_of(row)]
    return [re.compile(re.escape(without_quotes(row.canonical)))] + [
        re.compile(p) for column in ("variants", "abbreviations") for p in split_patterns(getattr(row, column))]


def excluded_spans(text: str, row) -> list[tuple[int, int]]:
    """Spans of `text` matched by the row's `exclude` patterns (false friends such as 食品药品安全)."""
    cell = getattr(row, "exclude", "") or ""
    return [m.span() for p in split_patterns(cell) for m in re.finditer(p, text)]


def uses(lex: pd.DataFrame, texts: dict[str, str], literal: bool = False) -> pd.DataFrame:
    """Occurrences of each row's forms per document, a hit inside an `exclude` match dropped.

    Columns formulation_id, doc_id, n, form (the first form found). With
    `literal=True` only the canonical form and the regex-free variants are
    searched. Used to trace rows to central texts and to test `first_date` against
    every dated document; unlike the frames detector it does not resolve overlaps
    between rows, so a form counts for its row even inside a longer formulation.
    """
    rows = []
    for row in lex.itertuples():
        patterns = row_patterns(row, literal)
        for doc_id, text in texts.items():
            bare = without_quotes(text)
            guards = excluded_spans(bare, row)
            n, first = 0, ""
            for pattern in patterns:
                for m in pattern.finditer(bare):
                    if m.end() == m.start() or "\n" in m.group() or any(
                            a <= m.start() and m.end() <= b for a, b in guards):
                        continue
                    n += 1
                    first = first or m.group()
            if n:
                rows.append({"formulation_id": row.formulation_id, "doc_id": doc_id, "n": n, "form": first})
    return pd.DataFrame(rows, columns=["formulation_id", "doc_id", "n", "form"])


def central_sources(lex: pd.DataFrame, central_texts: dict[str, str]) -> pd.Series:
    """formulation_id -> ';'-joined doc_ids of the central texts where the row's canonical form or a variant occurs."""
    found = uses(lex, central_texts)
    order = {d: i for i, d in enumerate(central_texts)}
    by_row = found.groupby("formulation_id")["doc_id"].agg(lambda s: ";".join(sorted(s, key=order.get)))
    return lex["formulation_id"].map(by_row).fillna("")


def first_date_conflicts(lex: pd.DataFrame, texts: dict[str, str], dates: dict[str, str],
                         literal: bool = False) -> pd.DataFrame:
    """Documents that surely predate the `first_date` of a formulation they use.

    "Surely": the latest day the document's date can stand for is before the earliest
    day of `first_date` (a document dated 2022 does not conflict with 2022-10).
    """
    from tifa.stages.central import date_range

    first = lex.set_index("formulation_id")["first_date"]
    rows = []
    for use in uses(lex, texts, literal).itertuples():
        fd = first[use.formulation_id]
        if fd and date_range(dates[use.doc_id])[1] < date_range(fd)[0]:
            rows.append({"formulation_id": use.formulation_id, "first_date": fd, "doc_id": use.doc_id,
                         "doc_date": dates[use.doc_id], "form": use.form})
    return pd.DataFrame(rows, columns=["formulation_id", "first_date", "doc_id", "doc_date", "form"])


# Government and Party sites, and central Party/state media: a `source` URL on one of
# these counts as an official citation (commercial mirrors and reposts do not).
OFFICIAL_DOMAINS = (
    "gov.cn", "12371.cn", "qstheory.cn", "xinhuanet.com", "news.cn", "people.com.cn", "people.cn",
    "cpcnews.cn", "china.org.cn", "chinadaily.com.cn", "gmw.cn", "ce.cn", "cctv.com", "cgtn.com",
    "wenming.cn", "cqn.com.cn", "ccn.com.cn", "cyol.com", "chinataiwan.cn", "taiwan.cn",
)
CENTRAL = ("central_party", "central_state", "samr")
URL = re.compile(r"https?://([^/\s|]+)")


def official_urls(source: str) -> list[str]:
    """URLs in a `source` cell whose host is, or is under, an official domain."""
    out = []
    for m in URL.finditer(source):
        host = m.group(1).lower().split(":")[0]
        if any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS):
            out.append(m.group())
    return out


# An official citation without a URL: a document number such as 国发〔2016〕33号,
# 安委办〔2016〕11号 or 国市监信发〔2022〕6号 (year in 〔〕, ［］ or [] brackets, then the
# serial number and 号), a decree number such as 国务院令第746号, the full title of a
# national law (《中华人民共和国消费者权益保护法》; laws carry no 〔〕 number), or the name
# of an official central publication that printed or released the text.
DOC_NUMBER = re.compile(r"[〔［\[](?:19|20)\d{2}[〕］\]]\s*第?\s*\d+\s*号")
DECREE_NUMBER = re.compile(r"令\s*第\s*\d+\s*号")
NATIONAL_LAW = re.compile(r"《中华人民共和国[^《》]{1,40}法》")
OFFICIAL_PUBLICATIONS = ("求是", "Qiushi", "人民日报", "People's Daily", "新华社", "Xinhua")
WHOLE_URL = re.compile(r"https?://[^\s|]+")


def official_citations(source: str) -> list[str]:
    """Document and decree numbers, national-law titles and official publications cited in a `source` cell.

    URLs are removed first, so that a number or a name inside a (commercial) URL does
    not count; only what the citation itself says does.
    """
    text = WHOLE_URL.sub(" ", source or "").replace("\u2019", "'")
    out = [m.group() for pattern in (DOC_NUMBER, DECREE_NUMBER, NATIONAL_LAW) for m in pattern.finditer(text)]
    out += [name for name in OFFICIAL_PUBLICATIONS if name.lower() in text.lower()]
    return out


def is_traced(central_source: str, source: str) -> bool:
    """Whether a row is traced: a central text of the corpus, an official URL or an official citation."""
    return bool(central_source) or bool(official_urls(source or "")) or bool(official_citations(source or ""))


def untraced_central_rows(lex: pd.DataFrame) -> pd.DataFrame:
    """Rows coded central whose provenance is traced neither to a central text nor to an official source.

    A row coded ``central_party``, ``central_state`` or ``samr`` is traced when at least
    one of these holds:

    1. ``central_source`` is not empty: the canonical form or a variant occurs in a
       central text of the corpus;
    2. ``source`` has a URL whose host is, or is under, one of `OFFICIAL_DOMAINS`
       (gov.cn, 12371.cn, qstheory.cn, xinhuanet.com, news.cn, people.com.cn, ...).
       A commercial mirror or repost of an official text does not count;
    3. ``source`` cites, outside any URL, an official document by its number
       (〔YYYY〕N号, e.g. 国发〔2016〕33号, 安委办〔2016〕11号), a decree by its number
       (令第N号, e.g. 国务院令第746号), a national law by its full title
       (《中华人民共和国…法》), or an official central publication that printed or
       released the text: 求是/Qiushi, 人民日报/People's Daily, 新华社/Xinhua.

    The rule checks that a checkable official citation is there, not that it is right;
    ``notes`` records what was verified and where.
    """
    central = lex[lex["coined_by"].isin(CENTRAL)]
    traced = [is_traced(c, s) for c, s in zip(central["central_source"].fillna(""), central["source"].fillna(""))]
    return central[[not t for t in traced]]


# ---------------------------------------------------------------------- command
def corpus_texts(raw_dir: Path | None = None):
    """(central texts, local texts, dates, lexicon) of a raw folder, normalised as in the build."""
    from tifa.config import DATA_RAW
    from tifa.inputs.load import inputs
    from tifa.pipeline import process_document

    bundle = inputs(raw_dir or DATA_RAW)
    central, local, dates = {}, {}, {}
    for doc in bundle.documents:
        text = process_document(doc).text
        (central if doc.level == "central" else local)[doc.doc_id] = text
        dates[doc.doc_id] = doc.date
    return central, local, dates, bundle.lexicon


def main(argv: list[str] | None = None) -> None:
    """`python -m tifa.stages.lexicon` writes the candidates; `... rule` applies the central rule to
    data/raw/lexicon/formulations.csv (central rows chosen from the central texts, docs/methods.md §5)."""
    import sys

    from tifa.config import DATA_RAW
    from tifa.inputs.load import inputs
    from tifa.pipeline import write_csv

    central, local, dates, lex = corpus_texts()
    if (argv if argv is not None else sys.argv[1:]) == ["rule"]:
        issuers = {d.doc_id: d.meta.get("issuer", "") for d in inputs(DATA_RAW).documents}
        made = lex["formulation_id"].str.fullmatch(r"cr_[0-9a-f]{8}")  # rows the rule added are made again
        rows = apply_central_rule(lex[~made].drop(columns="selection", errors="ignore"), central_rule(central, dates),
                                  issuers, reviewed=lex[made])
        rows["central_source"] = central_sources(rows, central)
        write_csv(rows, DATA_RAW / "lexicon" / "formulations.csv")
        return
    write_csv(candidates(central, local, lex, dates), DATA_RAW / "lexicon" / "candidates_generated.csv")


if __name__ == "__main__":
    main()
