"""Articles and explicit citations of a legislation build (`python -m tifa legislation`, which also writes
the vertical reuse tables of `tifa.stages.vertical`).

A built legislation corpus (`tifa import --layout legislation`, then `tifa build`) has its
第X编 / 第X章 / 第X节 / 第X条 / （一） in `outline.csv`. `article_table` turns the 条 nodes into
one row per article with its chapter and offsets in the normalised text.

`citation_table` reads every relation word followed by titles in 《》 —
根据 / 依照 / 依据 / 参照 / 按照《…》《…》, and 违反《…》…规定 — and resolves each title to a
document of the corpus: titles are compared without the 中华人民共和国 prefix (laws are
often cited without it), an alias defined in the citing text (…《中华人民共和国市场主体登记管理条例》
（以下简称《条例》）) is read as its full title, and among several versions of one title
the one in force on the citing document's date is taken: the latest dated on or before it.
A title with no version on or before that date, or none at all, is unresolved; `resolution` says why:
`later_version` when the law was first adopted by then (its header events, `raw/events.csv`) but the
corpus holds only later revisions (`later_version_doc_id` names the earliest), `after_citing_date` when
every version in the corpus was adopted later, `not_in_corpus` when the title is absent.
Self-references (依照本条例, 违反本法…规定) are kept with the citing document as the cited one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from tifa.errors import InputError
from tifa.inputs.legislation import TITLE

RELATIONS = ("根据", "依照", "依据", "参照", "按照", "违反")
_SEP = r"[、，,和及与或以]*"
CITATION = re.compile(rf"({'|'.join(RELATIONS)})\s*((?:{TITLE.pattern}{_SEP})+|本(?:条例|法|办法|规定|细则|决定))")
ALIAS = re.compile(rf"({TITLE.pattern})\s*[（(]以下简称\s*(《[^《》]+》|[^）)]{{1,12}})[）)]")
NATION = "中华人民共和国"


def key(title: str) -> str:
    """A title as compared: without 《》, spaces and the 中华人民共和国 prefix; 〈〉 and <> read as 《》."""
    bare = title.strip("《》").replace("〈", "《").replace("〉", "》").replace("<", "《").replace(">", "》")
    bare = re.sub(r"\s+", "", bare)
    return bare.removeprefix(NATION)


def article_table(outline: pd.DataFrame) -> pd.DataFrame:
    """One row per 第X条 node: its number, the chapter (and part) it stands in, and its offsets."""
    nodes = {(d, n): (kind, marker, heading, parent) for d, n, kind, marker, heading, parent in zip(
        outline["doc_id"], outline["node_id"], outline["marker_type"], outline["marker"], outline["heading"],
        outline["parent_id"])}
    rows = []
    for node in outline[outline["marker_type"] == "article"].itertuples():
        chapter = part = ""
        parent = node.parent_id
        while isinstance(parent, str) and parent:
            kind, marker, heading, up = nodes[(node.doc_id, parent)]
            if kind in ("chapter", "section") and not chapter or kind == "chapter":
                chapter = f"{marker} {heading}".strip() if kind == "chapter" else chapter
            if kind == "part":
                part = f"{marker} {heading}".strip()
            parent = up
        rows.append({"doc_id": node.doc_id, "article": int(node.ordinal), "marker": node.marker, "node_id": node.node_id,
                     "part": part, "chapter": chapter, "start": int(node.start), "end": int(node.end)})
    return pd.DataFrame(rows, columns=["doc_id", "article", "marker", "node_id", "part", "chapter", "start", "end"])


def versions(documents: pd.DataFrame, first_dates: dict[str, str] | None = None) -> dict[str, list[tuple]]:
    """Title key -> [(date, doc_id, level, first adoption)] of every document of that title, oldest first.
    The first adoption is the earliest date of the document's header events (`raw/events.csv`), else its date."""
    found: dict[str, list[tuple]] = {}
    for doc in documents.sort_values(["date", "doc_id"]).itertuples():
        first = (first_dates or {}).get(doc.doc_id, str(doc.date))
        found.setdefault(key(doc.title), []).append((str(doc.date), doc.doc_id, doc.level, first))
    return found


def in_force(candidates: list[tuple[str, str, str]], date: str) -> tuple[str, str, str] | None:
    """The latest version dated on or before `date` (dates compare as ISO strings)."""
    earlier = [c for c in candidates if c[0] <= date]
    return earlier[-1] if earlier else None


def citations_of(doc_id: str, date: str, text: str, articles: pd.DataFrame, known: dict, level: str = "") -> list[dict]:
    """Every titled citation of one document, resolved against the corpus (see the module docstring)."""
    aliases = {}
    for m in ALIAS.finditer(text):
        alias = m.group(2) if m.group(2).startswith("《") else f"《{m.group(2)}》"
        aliases[key(alias)] = key(m.group(1))
    spans = list(zip(articles["start"], articles["end"], articles["article"]))
    rows = []
    for m in CITATION.finditer(text):
        relation = m.group(1)
        if relation == "违反" and "规定" not in text[m.end(): m.end() + 40]:
            continue  # 违反《X》 counts only as 违反《X》…规定
        article = next((a for s, e, a in spans if s <= m.start() < e), None)
        if m.group(2).startswith("本"):  # 依照本条例…: the citing text itself
            rows.append({"doc_id": doc_id, "article": article, "relation": relation if relation != "违反" else "违反…规定",
                         "cited_title": m.group(2), "cited_doc_id": doc_id, "cited_level": level, "resolved": True,
                         "in_corpus": True, "resolution": "self", "later_version_doc_id": None, "start": m.start()})
            continue
        for title in TITLE.findall(m.group(2)):
            cited = aliases.get(key(title), key(title))
            candidates = known.get(cited, [])
            match = in_force(candidates, date)
            existed = [c for c in candidates if len(c) > 3 and c[3] <= date]  # adopted by then, only later revisions held
            resolution = ("in_force" if match else "later_version" if existed else
                          "after_citing_date" if candidates else "not_in_corpus")
            rows.append({"doc_id": doc_id, "article": article, "relation": relation if relation != "违反" else "违反…规定",
                         "cited_title": title, "cited_doc_id": match[1] if match else None,
                         "cited_level": match[2] if match else None, "resolved": match is not None,
                         "in_corpus": cited in known, "resolution": resolution,
                         "later_version_doc_id": existed[0][1] if existed and not match else None, "start": m.start()})
    return rows


def citation_table(documents: pd.DataFrame, articles: pd.DataFrame, normalized: Path,
                   first_dates: dict[str, str] | None = None) -> pd.DataFrame:
    """Citations of every document of a build (texts read from its `normalized/` folder)."""
    known = versions(documents, first_dates)
    by_doc = dict(tuple(articles.groupby("doc_id")))
    empty = articles.iloc[0:0]
    rows = []
    for doc in documents.sort_values("doc_id").itertuples():
        path = normalized / f"{doc.doc_id}.txt"
        if not path.is_file():
            raise InputError(path, "normalised text missing: rebuild with `python -m tifa build`")
        rows += citations_of(doc.doc_id, str(doc.date), path.read_text(encoding="utf-8"), by_doc.get(doc.doc_id, empty), known,
                             doc.level)
    table = pd.DataFrame(rows, columns=["doc_id", "article", "relation", "cited_title", "cited_doc_id", "cited_level",
                                        "resolved", "in_corpus", "resolution", "later_version_doc_id", "start"])
    table["article"] = table["article"].astype("Int64")
    return table


def write_legislation_tables(processed: Path, raw: Path | None = None) -> dict[str, pd.DataFrame]:
    """articles.csv, citations.csv and the vertical reuse tables beside a legislation build's own tables;
    with the raw folder, its events.csv dates each law's first adoption (see `citations_of`)."""
    from tifa.schemas import validate

    for name in ("documents.csv", "outline.csv", "reuse.csv"):
        if not (processed / name).is_file():
            raise InputError(processed / name, "not found: run `python -m tifa build --out` into this folder first")
    documents = pd.read_csv(processed / "documents.csv", dtype=str, keep_default_na=False)
    outline = pd.read_csv(processed / "outline.csv", dtype={"doc_id": str, "node_id": str, "parent_id": str},
                          keep_default_na=False)
    from tifa.stages import vertical

    articles = validate("articles", article_table(outline))
    first_dates = None
    if raw is not None:
        if not (raw / "events.csv").is_file():
            raise InputError(raw / "events.csv", "not found: import the corpus with --layout legislation")
        events = pd.read_csv(raw / "events.csv", dtype=str, keep_default_na=False)
        first_dates = events.groupby("doc_id")["date"].min().to_dict()
    citations = validate("citations", citation_table(documents, articles, processed / "normalized", first_dates))
    reuse = pd.read_csv(processed / "reuse.csv", dtype={"doc_a": str, "doc_b": str}, keep_default_na=False)
    out = {"articles": articles, "citations": citations}
    out.update({name: validate(name, table) for name, table in vertical.tables(documents, reuse, citations).items()})
    for name, table in out.items():
        table.to_csv(processed / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
    return out


def resolution_summary(citations: pd.DataFrame) -> tuple[int, int, float, list[str]]:
    """(citations of another text whose title is in the corpus, of them resolved, share, unresolved titles by frequency);
    self-references (本条例) are left out."""
    other = citations[citations["cited_doc_id"].astype(str) != citations["doc_id"].astype(str)]  # not 本条例
    in_corpus = other[other["in_corpus"].astype(str) == "True"]
    resolved = int((in_corpus["resolved"].astype(str) == "True").sum())
    unresolved = other[other["resolved"].astype(str) != "True"]["cited_title"].value_counts()
    return len(in_corpus), resolved, resolved / len(in_corpus) if len(in_corpus) else float("nan"), list(unresolved.index)
