"""Table schemas: the one source of truth for validation and the data dictionary.

Every table the build writes is validated here first; a violation stops the
build naming the table, the column and the offending rows. `write_dictionary`
renders the same schemas as `docs/data_dictionary.md`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from tifa.config import GENRES, LEVELS, SECTION_ROLES
from tifa.errors import InputError

CATEGORIES = ("ideology_party", "macro_policy", "regulatory_doctrine", "regulatory_instrument", "campaign")
COINED_BY = ("central_party", "central_state", "samr", "provincial", "municipal", "district")
MATCH_TYPES = ("exact", "variant", "abbreviation")
ACHIEVEMENT_KINDS = ("count", "money", "percent", "change", "rank", "honour")
COMPARATORS = (">=", "<=", "=", "~")


def col(dtype, description: str, allowed=None, nullable: bool = False, unique: bool = False) -> pa.Column:
    checks = [pa.Check.isin(list(allowed))] if allowed is not None else []
    return pa.Column(dtype, checks=checks, nullable=nullable, unique=unique, description=description, coerce=True)


DOC_ID = col(str, "Document id (file stem in data/raw/documents/); joins every table.")
SENT_ID = col(int, "Sentence number within the document, from 1; (doc_id, sent_id) joins sentences.csv.")
NODE_ID = col(str, "Outline node id within the document, dotted sibling positions (e.g. 3.1.2); joins outline.csv. Empty outside any node.", nullable=True)
LEVEL = col(str, "Administrative tier of the issuer: " + ", ".join(LEVELS) + " (district = county tier).", LEVELS)


@dataclass(frozen=True)
class Table:
    name: str
    where: str  # "processed" or "raw/<path>"
    description: str
    made_by: str
    schema: pa.DataFrameSchema


def table(name, where, description, made_by, columns: dict) -> Table:
    return Table(name, where, description, made_by, pa.DataFrameSchema(columns, strict=True, ordered=True, name=name))


TABLES: dict[str, Table] = {}


def register(*tables: Table) -> None:
    for t in tables:
        TABLES[t.name] = t


register(
    table("metadata", "raw/metadata.csv", "One row per source document: provenance, attributes and the textual evidence for every inferred attribute.", "hand-written", {
        "doc_id": col(str, "Document id; the file is data/raw/documents/<doc_id>.txt.", unique=True),
        "source_file": col(str, "File name of the seed as received (shared/seeds/)."),
        "sha256": col(str, "SHA-256 of the raw file; the build stops if the file no longer matches.", nullable=True),
        "level": LEVEL,
        "province": col(str, "Province (Chinese and English), or 'unknown'."),
        "region": col(str, "Issuing region as inferred; 'inferred' or 'unknown' says how sure."),
        "region_evidence": col(str, "Textual evidence for the region (quoted from the document, ';'-separated)."),
        "year": col(int, "Year of the conference or plan."),
        "year_evidence": col(str, "Textual evidence for the year."),
        "genre": col(str, "Document genre: " + ", ".join(GENRES) + ".", GENRES),
        "issuer": col(str, "Issuing body or speaker, as far as the text shows."),
        "issuer_evidence": col(str, "Textual evidence for the issuer."),
        "title": col(str, "Title as written, or a descriptive title where the document has none."),
    }),
    table("documents", "processed", "One row per document: metadata plus size and masking counts of the normalised text.", "tifa build (pipeline.document_row)", {
        "doc_id": col(str, "Document id.", unique=True),
        "source_file": col(str, "As in metadata.csv."), "sha256": col(str, "As in metadata.csv.", nullable=True),
        "level": LEVEL, "province": col(str, "As in metadata.csv."), "region": col(str, "As in metadata.csv."),
        "region_evidence": col(str, "As in metadata.csv."), "year": col(int, "As in metadata.csv."),
        "year_evidence": col(str, "As in metadata.csv."), "genre": col(str, "As in metadata.csv.", GENRES),
        "issuer": col(str, "As in metadata.csv."), "issuer_evidence": col(str, "As in metadata.csv."),
        "title": col(str, "As in metadata.csv."),
        "n_chars": col(int, "Characters of the normalised text, whitespace excluded."),
        "n_han_chars": col(int, "Han characters (CJK Unified Ideographs)."),
        "n_paragraphs": col(int, "Non-empty lines of the normalised text."),
        "n_sentences": col(int, "Rows in sentences.csv."),
        "n_outline_nodes": col(int, "Rows in outline.csv."),
        "n_masked_chars": col(int, "Mask characters (* × ＊): redactions in the source."),
        "n_masked_spans": col(int, "Runs of mask characters (××.×× is one span)."),
        "n_masked_sentences": col(int, "Sentences containing at least one mask character."),
    }),
    table("cleaning", "processed", "What normalisation changed: replacements per rule and document (long format).", "tifa build (normalise.normalise_with_report)", {
        "doc_id": DOC_ID,
        "rule": col(str, "Normalisation rule (see docs/methods.md).", ("line_endings", "fullwidth_alnum", "comma", "semicolon", "colon", "paren_open", "paren_close", "question", "exclamation", "whitespace_chars_removed", "empty_lines_dropped")),
        "n_changes": col(int, "Replacements made (characters or lines)."),
    }),
    table("outline", "processed", "The enumerated hierarchy (一、 （一） 1. （1） 一是/一要 ——) of each document.", "tifa build (structure.parse_outline)", {
        "doc_id": DOC_ID,
        "node_id": col(str, "Node id: dotted positions among siblings (3.1.2 = 2nd child of 1st child of 3rd top-level node)."),
        "parent_id": col(str, "node_id of the parent; empty for top-level nodes.", nullable=True),
        "depth": col(int, "1 for top-level nodes."),
        "marker_type": col(str, "cn_dun 一、; cn_paren （一）; arabic 1.; arabic_paren （1）; inline_shi 一是; inline_yao 一要; dash ——.", ("cn_dun", "cn_paren", "arabic", "arabic_paren", "inline_shi", "inline_yao", "dash")),
        "marker": col(str, "The marker as written (normalised)."),
        "ordinal": col(int, "Number of the marker (三 -> 3); dashes are numbered in order."),
        "heading": col(str, "Text after the marker up to the first 。！？； or the end of the paragraph.", nullable=True),
        "start": col(int, "Start offset in data/processed/normalized/<doc_id>.txt (0-based, characters)."),
        "end": col(int, "End offset (exclusive)."),
    }),
    table("sentences", "processed", "Sentences of the normalised text; concatenated they give the text back (whitespace aside).", "tifa build (structure.sentence_table)", {
        "doc_id": DOC_ID, "sent_id": SENT_ID,
        "para_id": col(int, "Paragraph (non-empty line) number, from 1."),
        "node_id": NODE_ID,
        "section_path": col(str, "Markers from the top-level node down to the sentence's node, e.g. 三、 > （一） > 一要.", nullable=True),
        "start": col(int, "Start offset in the normalised text."), "end": col(int, "End offset (exclusive)."),
        "n_chars": col(int, "end - start."),
        "masked": col(bool, "True if the sentence contains a mask character (* × ＊)."),
        "n_masked_chars": col(int, "Mask characters in the sentence."),
        "text": col(str, "The sentence, exactly as in the normalised text."),
    }),
)


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate a table against its schema; stop naming table, column and rows."""
    if name not in TABLES:
        raise InputError(name, "no schema registered for this table (add it to tifa.schemas)")
    try:
        return TABLES[name].schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = [
            f"column {r.column!r}, check {r.check}, row {r.index}: {r.failure_case!r}"
            for r in cases.head(10).itertuples()
        ]
        raise InputError(f"table {name}", "schema violation:\n  " + "\n  ".join(lines)) from None


def _dtype_name(column: pa.Column) -> str:
    return {"str": "string", "int64": "integer", "float64": "number", "bool": "boolean (True/False)"}.get(str(column.dtype), str(column.dtype))


def dictionary_markdown() -> str:
    out = [
        "# Data dictionary",
        "",
        "Generated by `python -m tifa dictionary` from `src/tifa/schemas.py`, the same schemas that validate",
        "every table when the build writes it. All tables are UTF-8 CSV with a header row, LF line endings,",
        "empty cells for missing values and `;` between list items inside a cell.",
        "",
        "| table | file | made by | rows are |",
        "|---|---|---|---|",
    ]
    for t in TABLES.values():
        path = f"data/processed/{t.name}.csv" if t.where == "processed" else f"data/{t.where}"
        out.append(f"| [{t.name}](#{t.name}) | `{path}` | {t.made_by} | {t.description} |")
    for t in TABLES.values():
        out += ["", f"## {t.name}", "", t.description, "", "| column | type | allowed values | meaning |", "|---|---|---|---|"]
        for name, column in t.schema.columns.items():
            allowed = ""
            for check in column.checks:
                values = check.statistics.get("allowed_values")
                if values is not None:
                    allowed = ", ".join(f"`{v}`" for v in values)
            kind = _dtype_name(column) + (", may be empty" if column.nullable else "") + (", unique" if column.unique else "")
            out.append(f"| `{name}` | {kind} | {allowed} | {column.description} |")
    return "\n".join(out) + "\n"


def write_dictionary(path: Path) -> None:
    import tifa.extract, tifa.frames, tifa.reuse, tifa.stats  # noqa: F401  (they register their tables)

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dictionary_markdown(), encoding="utf-8")
