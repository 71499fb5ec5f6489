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
from tifa.stages.central import HOLD_SHARE as CENTRAL_HOLD_SHARE
from tifa.stages.central import SOURCE_SEP as CENTRAL_SOURCE_SEP
from tifa.stages.reuse import MAX_GAP as REUSE_MAX_GAP
from tifa.stages.reuse import MIN_HAN as REUSE_MIN_HAN
from tifa.inputs.ids import RULE_TEXT as DOC_ID_RULE_TEXT
from tifa.text.normalise import CLEANING_RULES

CATEGORIES = ("ideology_party", "macro_policy", "regulatory_doctrine", "regulatory_instrument", "campaign", "unreviewed")
COINED_BY = ("central_party", "central_state", "samr", "provincial", "municipal", "district")
MATCH_TYPES = ("exact", "variant", "abbreviation", "tier_substitution", "extension", "fragment")
ADAPTATION_TYPES = ("tier_substitution", "extension", "fragment", "abbreviation", "shortened", "expanded", "reordered",
                    "substituted")  # tifa.stages.frames.ADAPTATION_TYPES (a test checks they agree)
ACHIEVEMENT_KINDS = ("count", "money", "percent", "change", "rank", "honour")
COMPARATORS = (">=", "<=", "=", "~")


def col(dtype, description: str, allowed=None, nullable: bool = False, unique: bool = False,
        required: bool = True) -> pa.Column:
    checks = [pa.Check.isin(list(allowed))] if allowed is not None else []
    return pa.Column(dtype, checks=checks, nullable=nullable, unique=unique, description=description, coerce=True,
                     required=required)


DOC_ID = col(str, "Document id (file stem in data/raw/documents/); joins every table.")
SENT_ID = col(int, "Sentence number within the document, from 1; (doc_id, sent_id) joins sentences.csv.")
NODE_ID = col(str, "Outline node id within the document, dotted sibling positions (e.g. 3.1.2); joins outline.csv. Empty outside any node.", nullable=True)
LEVEL = col(str, "Administrative tier of the issuer: " + ", ".join(LEVELS) + " (district = county tier).", LEVELS)
CODER_KINDS = ("person", "language-model coder (protocol only)")
CODER = col(str, "Who coded the comparison: person, or language-model coder (protocol only) = a language-model helper given only the written protocol (data/raw/annotations/coders.csv); ';' between kinds where codings are pooled.")


def DAY(description: str, nullable: bool = False) -> pa.Column:
    """A day as YYYY-MM-DD (a valid calendar date)."""
    checks = [pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$"),
              pa.Check(lambda s: pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna(),
                       element_wise=False, error="not a calendar date")]
    return pa.Column(str, checks=checks, nullable=nullable, description=description + " YYYY-MM-DD.", coerce=True)


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
        "doc_id": col(str, f"Document id; the file is data/raw/documents/<doc_id>.txt. Rule: {DOC_ID_RULE_TEXT}.", unique=True),
        "source_file": col(str, "File name of the seed as received (shared/seeds/)."),
        "sha256": col(str, "SHA-256 of the raw file; the build stops if the file no longer matches.", nullable=True),
        "level": LEVEL,
        "province": col(str, "Province (Chinese and English), or 'unknown'."),
        "region": col(str, "Issuing region as inferred; 'inferred' or 'unknown' says how sure."),
        "region_evidence": col(str, "Textual evidence for the region (quoted from the document, ';'-separated)."),
        "year": col(int, "Year of the conference or plan."),
        "year_evidence": col(str, "Textual evidence for the year."),
        "date": col(str, "Date of delivery or issue, as precise as the text allows: YYYY, YYYY-MM or YYYY-MM-DD."),
        "date_evidence": col(str, "Textual (or source-list) evidence for the date."),
        "genre": col(str, "Document genre: " + ", ".join(GENRES) + ".", GENRES),
        "issuer": col(str, "Issuing body or speaker, as far as the text shows."),
        "issuer_evidence": col(str, "Textual evidence for the issuer."),
        "title": col(str, "Title as written, or a descriptive title where the document has none."),
    }),
    table("document_dates", "raw/document_dates.csv", "Date interval of each document: the earliest and latest day it can date from, with the evidence (header dates, the conference it was given at, references such as 迎接党的二十大胜利召开 = before 2022-10-16). Optional: without it, intervals come from the metadata date.", "hand-written (researched from the texts)", {
        "doc_id": col(str, "Document id (metadata.csv).", unique=True),
        "date_low": DAY("Earliest possible day."),
        "date_high": DAY("Latest possible day (>= date_low)."),
        "evidence": col(str, "What fixes the two ends, quoted from the text or a cited source."),
    }),
    table("documents", "processed", "One row per document: metadata plus size and masking counts of the normalised text.", "tifa build (pipeline.document_row)", {
        "doc_id": col(str, "Document id.", unique=True),
        "source_file": col(str, "As in metadata.csv."), "sha256": col(str, "As in metadata.csv.", nullable=True),
        "level": LEVEL, "province": col(str, "As in metadata.csv."), "region": col(str, "As in metadata.csv."),
        "region_evidence": col(str, "As in metadata.csv."), "year": col(int, "As in metadata.csv."),
        "year_evidence": col(str, "As in metadata.csv."), "date": col(str, "As in metadata.csv (YYYY, YYYY-MM or YYYY-MM-DD)."),
        "date_evidence": col(str, "As in metadata.csv."), "genre": col(str, "As in metadata.csv.", GENRES),
        "issuer": col(str, "As in metadata.csv."), "issuer_evidence": col(str, "As in metadata.csv."),
        "title": col(str, "As in metadata.csv."),
        "date_low": DAY("Earliest day the document can date from (data/raw/document_dates.csv; without it, the first day of the metadata date)."),
        "date_high": DAY("Latest day the document can date from; a central text dated after it cannot be its source."),
        "date_interval_evidence": col(str, "Evidence for the interval (document_dates.csv `evidence`, or the metadata date it was derived from)."),
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
        "rule": col(str, "Normalisation rule (see tifa.text.normalise and docs/methods.md); page_furniture_lines counts removed non-empty lines of site furniture.", CLEANING_RULES),
        "n_changes": col(int, "Replacements made (characters or lines)."),
    }),
    table("outline", "processed", "The enumerated hierarchy (一、 （一） 1. （1） 一是/一要 ——) of each document.", "tifa build (structure.parse_outline)", {
        "doc_id": DOC_ID,
        "node_id": col(str, "Node id: dotted positions among siblings (3.1.2 = 2nd child of 1st child of 3rd top-level node)."),
        "parent_id": col(str, "node_id of the parent; empty for top-level nodes.", nullable=True),
        "depth": col(int, "1 for top-level nodes."),
        "marker_type": col(str, "part 第二编; chapter 第三章; cn_dun 一、; section 第二节; article 第十条; cn_paren （一）; arabic 1.; arabic_paren （1）; inline_shi 一是; inline_yao 一要; dash ——; line_heading an unnumbered part heading on a line of its own (“十四五”时期工作回顾; marker empty).", ("part", "chapter", "cn_dun", "section", "article", "cn_paren", "arabic", "arabic_paren", "inline_shi", "inline_yao", "dash", "line_heading")),
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
        "section_path": col(str, "Markers from the top-level node down to the sentence's node, e.g. 三、 > （一） > 一要 (an unnumbered heading by its text).", nullable=True),
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


def validate_input(name: str, df: pd.DataFrame, path: Path, id_column: str | None = None) -> pd.DataFrame:
    """Check a hand-written input table (read as strings) against its schema, before any processing:
    unknown and missing columns, then values, each refused naming `path` and the file row (header = row 1).
    The columns are put in the schema's order, so only their names matter, not their order."""
    columns = TABLES[name].schema.columns
    unknown = [c for c in df.columns if c not in columns]
    if unknown:
        raise InputError(path, f"unknown column(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(columns)}")
    missing = [c for c, column in columns.items() if column.required and c not in df.columns]
    if missing:
        raise InputError(path, f"missing column(s): {', '.join(missing)}")
    try:
        return TABLES[name].schema.validate(df[[c for c in columns if c in df.columns]], lazy=True)
    except pa.errors.SchemaErrors as exc:
        r = next(exc.failure_cases.itertuples())
        known = pd.notna(r.index) and id_column in df.columns and r.index in df.index
        row = (f"row {int(r.index) + 2}" + (f" ({df.loc[r.index, id_column]})" if known else "") + ": ") \
            if pd.notna(r.index) else ""
        allowed = next((c.statistics.get("allowed_values") for c in columns[r.column].checks), None) \
            if r.column in columns else None
        if allowed is not None and str(r.check).startswith("isin"):
            raise InputError(path, f"{row}unknown {r.column} {r.failure_case!r}; allowed: {', '.join(allowed)}") from None
        raise InputError(path, f"{row}column {r.column!r}: {r.failure_case!r} fails {r.check}") from None


def _dtype_name(column: pa.Column) -> str:
    """A storage-independent name: pandas reports string[python] or string[pyarrow] depending on what is installed."""
    name = str(column.dtype)
    if name.startswith("string") or name == "str":
        return "string"
    return {"int64": "integer", "float64": "number", "bool": "boolean (True/False)"}.get(name, name)


def dictionary_markdown() -> str:
    out = [
        "# Data dictionary",
        "",
        "Generated by `python -m tifa dictionary` from `src/tifa/schemas.py`, the same schemas that validate",
        "every table when the build writes it. All tables are UTF-8 CSV with a header row, LF line endings,",
        "empty cells for missing values and `;` between list items inside a cell.",
        "",
        "**Formula injection.** Text cells (titles, sentences, quoted passages, evidence) are copied from the",
        "documents as they are, so a cell may begin with `=`, `+`, `-`, `@` or a tab, which Excel, LibreOffice and",
        "Google Sheets read as the start of a formula when they open a CSV file (`=HYPERLINK(…)` becomes a live",
        "link). The CSV tables keep such cells unchanged, because they are data; do not open them in a",
        "spreadsheet program directly. `python -m tifa export --safe-csv --processed DIR --out DIR2` writes copies",
        "in which every such text cell starts with an apostrophe (`'=HYPERLINK(…)`, as OWASP recommends; numbers",
        "like `-5.2` are left alone), and the Excel workbook `reports/tifa_tables.xlsx` stores every cell as text,",
        "never as a formula.",
        "",
        "| table | file | made by | rows are |",
        "|---|---|---|---|",
    ]
    for t in TABLES.values():
        path = (f"data/processed/{t.name}.csv" if t.where == "processed" else t.where.removeprefix("kit:")
                if t.where.startswith("kit:") else f"data/{t.where}")
        out.append(f"| [{t.name}](#{t.name}) | `{path}` | {t.made_by} | {t.description} |")
    for t in TABLES.values():
        out += ["", f"## {t.name}", "", t.description, "", "| column | type | allowed values | meaning |", "|---|---|---|---|"]
        for name, column in t.schema.columns.items():
            allowed = ""
            for check in column.checks:
                values = check.statistics.get("allowed_values")
                if values is not None:
                    allowed = ", ".join(f"`{v}`" for v in values)
            kind = (_dtype_name(column) + (", may be empty" if column.nullable else "") + (", unique" if column.unique else "")
                    + ("" if column.required else ", optional column"))
            out.append(f"| `{name}` | {kind} | {allowed} | {column.description} |")
    return "\n".join(out) + "\n"


def write_dictionary(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dictionary_markdown(), encoding="utf-8")


# ---------------------------------------------------------------- case tables
register(
    table("gwr2026_provinces", "cases/gwr2026/processed/provinces.csv", "One row per 2026 provincial government work report: framing density, reproduction of central text and formulation uptake, each from the case's build (notebook 06).", "tifa case gwr2026 (cases.gwr2026.province_table)", {
        "doc_id": DOC_ID, "province": col(str, "Province, autonomous region or municipality, as the page names it."),
        "province_en": col(str, "English name."), "date": col(str, "Date of delivery (the report's byline; the page's date where it has none)."),
        "n_chars": col(int, "Characters of the normalised text."),
        "hits_per_10k": col(float, "Formulation hits per 10,000 characters (framing_density)."),
        "hits_ci_low": col(float, "95% bootstrap interval over sentences, lower."), "hits_ci_high": col(float, "Upper."),
        "reuse_share": col(float, "Share of characters in distinctive passages (held by one text of the corpus and background) reproduced from the case's central texts (central_reuse_share.share_distinctive, scope document).", nullable=True),
        "reuse_ci_low": col(float, "95% interval over sentences, lower.", nullable=True), "reuse_ci_high": col(float, "Upper.", nullable=True),
        "formulations_used": col(int, "Distinct lexicon formulations with at least one hit."),
    }),
)


register(
    table("tier_model", "cases/legislation/processed/tier_model.csv", "GEE of the share of a local regulation's characters reproduced (boilerplate down-weighted) from each source tier, by tier x level of the regulation, year centred, exchangeable within regions, robust errors (statsmodels).", "tifa case legislation (stages.vertical_models.tier_model)", {
        "term": col(str, "Model term: tier (vs central) and level (vs provincial), their interaction, year (centred), intercept."),
        "estimate": col(float, "Coefficient, percentage points of the regulation's characters."), "std_error": col(float, "Robust standard error."),
        "ci_low": col(float, "95% interval, lower."), "ci_high": col(float, "Upper."), "p_value": col(float, "Wald p-value."),
        "n_obs": col(int, "Regulation x tier rows."), "n_clusters": col(int, "Regions (clusters)."), "outcome": col(str, "Outcome column of reuse_by_tier."),
    }),
    table("placebo_contrast", "cases/legislation/processed/placebo_contrast.csv", "Share copied from the own province's same-topic regulation minus the other province's, with a cluster bootstrap interval (regions resampled).", "tifa case legislation (stages.vertical_models.placebo_contrast)", {
        "contrast": col(str, "What is compared."), "estimate": col(float, "Mean difference in share of characters."),
        "ci_low": col(float, "95% cluster-bootstrap interval, lower.", nullable=True), "ci_high": col(float, "Upper.", nullable=True),
        "n_docs": col(int, "Regulations with both parents."), "n_clusters": col(int, "Regions."),
    }),
)


# ------------------------------------------------------------------ raw inputs
register(
    table("formulations", "raw/lexicon/formulations.csv", "The formulation lexicon: central (and some local) official formulations with provenance.", "hand-written (see data/raw/lexicon/README.md)", {
        "formulation_id": col(str, "Stable id of the formulation; joins frame_hits, frame_by_doc, frame_by_level.", unique=True),
        "canonical": col(str, "Canonical Chinese form, matched literally (an `exact` hit)."),
        "variants": col(str, "Adapted or spelled-out forms: Python regular expressions separated by ' ; ' (`variant` hits).", nullable=True),
        "abbreviations": col(str, "Shorthand forms, regular expressions separated by ' ; ' (`abbreviation` hits).", nullable=True),
        "english": col(str, "Accepted English rendering; empty for rows the central rule added and nobody has rendered yet.", nullable=True),
        "category": col(str, "Kind of formulation.", CATEGORIES),
        "coined_by": col(str, "Who coined or first authoritatively used it.", COINED_BY),
        "first_date": col(str, "Date of first authoritative use (YYYY[-MM[-DD]]).", nullable=True),
        "source": col(str, "Checkable citation(s) for coined_by and first_date, ' | '-separated.", nullable=True),
        "confidence": col(str, "Confidence in the provenance.", ("high", "medium", "low"), nullable=True),
        "notes": col(str, "Notes.", nullable=True),
        "central_source": col(str, "doc_ids of the central texts of the corpus that hold the formulation, ';'-separated.", nullable=True, required=False),
        "exclude": col(str, "Context guards: regular expressions separated by ' ; '; a hit inside a match is a false friend and dropped.", nullable=True, required=False),
        "selection": col(str, "central_rule: a central row, chosen from the central texts by the written rule (tifa.stages.lexicon.central_rule, docs/methods.md §5), which never reads a local document; curated: documented outside the rule (central coinages the central texts of the corpus do not mark as formulas, and local coinages), detected and reported as a group of its own.", ("central_rule", "curated")),
    }),
    table("domains", "raw/codebook/domains.csv", "Policy-domain codebook for priorities, mapped to Comparative Agendas Project major topics.", "hand-written (see data/raw/codebook/README.md)", {
        "domain": col(str, "Domain code; joins priorities.domain and attention.domain.", unique=True),
        "label_zh": col(str, "Chinese label."), "label_en": col(str, "English label."),
        "description": col(str, "What the domain includes and excludes."),
        "keywords": col(str, "Keywords (';'-separated) counted among jieba tokens by the automatic coder.", nullable=True),
        "cap_major_topic": col(str, "Nearest CAP major topic number, empty where none fits.", nullable=True),
        "cap_label": col(str, "CAP major topic name.", nullable=True),
    }),
    table("glossary_terms", "raw/glossary/terms.csv", "English glosses of common words (the distinctive-vocabulary tokens), hand-written.", "hand-written", {
        "term": col(str, "Chinese word.", unique=True),
        "english": col(str, "English gloss."),
    }),
    table("units", "raw/glossary/units.csv", "Glossary of the units (offices) named in the documents.", "hand-written", {
        "term": col(str, "Unit name as written in the documents.", unique=True),
        "english": col(str, "English rendering."),
        "same_as": col(str, "The full name an abbreviation stands for (a term of this table); empty for a full name.", nullable=True, required=False),
    }),
    table("priority_domains_handcoded", "raw/annotations/priority_domains_handcoded.csv", "Independent blind coding (coder: coders.csv) of every priority item: title, domain, units.", "coded blind, coder in data/raw/annotations/coders.csv (see data/raw/annotations/README_priorities.md)", {
        "doc_id": DOC_ID, "item_seq": col(int, "Item number within the document, in document order; joins priorities.item_seq."),
        "marker": col(str, "Enumeration marker as written."), "title": col(str, "Short title as read by the coder."),
        "text_start": col(str, "First characters of the item."), "domain": col(str, "Domain code (codebook)."),
        "lead_units": col(str, "Lead units (004 only), ';'-separated.", nullable=True),
        "responsible_units": col(str, "Responsible units (004 only), ';'-separated.", nullable=True),
        "coder": col(str, "Coder id."), "notes": col(str, "Coder's notes.", nullable=True),
    }),
    table("achievements_handcoded", "raw/annotations/achievements_handcoded.csv", "Independent blind coding (coder: coders.csv) of the reported results in 002 and 003.", "coded blind, coder in data/raw/annotations/coders.csv (see data/raw/annotations/README_achievements.md)", {
        "doc_id": DOC_ID, "claim_seq": col(int, "Claim number within the document."),
        "indicator": col(str, "What is counted."), "value": col(str, "Value as written (masks kept).", nullable=True),
        "value_num": col(float, "Value as a number, empty if masked.", nullable=True), "unit": col(str, "Unit.", nullable=True),
        "scale": col(str, "万/亿/千 or empty.", nullable=True), "masked": col(str, "true/false."),
        "kind": col(str, "count, money, percent, change, rank, honour."), "year": col(str, "Year the result refers to.", nullable=True),
        "text_snippet": col(str, "Exact snippet of the source around the claim."), "coder": col(str, "Coder id."),
        "notes": col(str, "Coder's notes.", nullable=True),
        "round": col(int, "1: read while the extractor's rules were written (in-sample); 2: coded blind on other documents afterwards (held out).", (1, 2)),
    }),
)


# ------------------------------------------------------------------ label tables
# The build copies the label inputs into the processed folder, so that figures, notebooks and the report
# read one folder (the build) and label a corpus with the codebook, lexicon and glossary it was built with.
# Their columns are the raw inputs' schemas (one definition).
register(
    table("codebook", "processed", "The policy-domain codebook this build coded priorities with: data/raw/codebook/domains.csv with the columns of `domains`.",
          "tifa build (pipeline.label_tables)", dict(TABLES["domains"].schema.columns)),
    table("lexicon", "processed", "The formulation lexicon this build searched for: data/raw/lexicon/formulations.csv with the columns of `formulations`.",
          "tifa build (pipeline.label_tables)", dict(TABLES["formulations"].schema.columns)),
    table("glossary", "processed", "The unit glossary this build merged lead units with: a copy of data/raw/glossary/units.csv.",
          "tifa build (pipeline.label_tables)", {
              "term": col(str, "A unit's name as documents write it.", unique=True),
              "english": col(str, "English name of the unit."),
              "same_as": col(str, "The full name (a term) this abbreviation stands for; empty for a full name.", nullable=True),
          }),
    table("terms", "processed", "English glosses of common words this build's tables were glossed with: a copy of data/raw/glossary/terms.csv.",
          "tifa build (pipeline.label_tables)", dict(TABLES["glossary_terms"].schema.columns)),
)

# ------------------------------------------------------ extract: priorities etc.
ROLE = col(str, "Section role.", SECTION_ROLES)
register(
    table("sections", "processed", "Top-level sections (and the preamble) of each document with their role.", "tifa build (extract.section_roles)", {
        "doc_id": DOC_ID, "section_id": col(str, "node_id of the top-level node; '0' is the preamble."),
        "marker": col(str, "Marker (一、 …), empty for the preamble.", nullable=True),
        "heading": col(str, "Heading of the section.", nullable=True), "role": ROLE,
        "rule": col(str, "Which classification rule decided the role."),
        "start": col(int, "Start offset in the normalised text."), "end": col(int, "End offset (exclusive)."),
    }),
    table("priorities", "processed", "One row per priority: the smallest enumerated forward-looking task in a plan section.", "tifa build (extract.priorities)", {
        "doc_id": DOC_ID, "item_id": col(str, "Priority id <doc_id>-pNN for tasks, <doc_id>-rNN for requirements; joins targets.csv.", unique=True),
        "item_seq": col(int, "Item number within the document and role (document order)."),
        "role": col(str, "task: a leaf of a plan section; requirement: how to work (一要…六要 outside plan sections, items of 工作要求/保障措施 sections or nodes).", ("task", "requirement")),
        "node_id": NODE_ID, "section_path": col(str, "Markers from the section down to the item.", nullable=True),
        "marker": col(str, "The item's marker (1. 一要 一是 …).", nullable=True),
        "title": col(str, "Short title: the item's heading up to the first 。！？；."),
        "domain": col(str, "Dominant policy domain (codebook), by keyword hits among jieba tokens; 'other' if none."),
        "domain_hits": col(int, "Weighted keyword hits of the chosen domain (title tokens count twice)."),
        "domain_keywords": col(str, "Keywords that matched, ';'-separated.", nullable=True),
        "lead_units": col(str, "牵头单位, ';'-separated (documents that name them).", nullable=True),
        "responsible_units": col(str, "责任单位, ';'-separated.", nullable=True),
        "n_targets": col(int, "Rows of targets.csv for this item."), "n_chars": col(int, "Characters of the item (whitespace excluded)."),
        "first_sent_id": col(float, "First sentence of the item (joins sentences.sent_id).", nullable=True),
        "last_sent_id": col(float, "Last sentence of the item.", nullable=True),
        "start": col(int, "Start offset in the normalised text."), "end": col(int, "End offset (exclusive)."),
        "text": col(str, "Item text without its marker."),
    }),
    table("targets", "processed", "Quantitative targets inside priorities (numbers in plan sections).", "tifa build (extract.target_rows)", {
        "doc_id": DOC_ID, "item_id": col(str, "Priority (joins priorities.item_id)."),
        "target_seq": col(int, "Target number within the item."), "text": col(str, "The target as written (clause up to the number and any 以上/以内)."),
        "comparator": col(str, ">= (不少于, 至少, 以上 …), <= (不超过, 以内 …), ~ (约, 左右), = otherwise.", COMPARATORS),
        "value": col(str, "Value as written (masks kept)."), "value_num": col(float, "Value as a number; empty if masked.", nullable=True),
        "unit": col(str, "Unit without scale (元 for 万元).", nullable=True), "scale": col(str, "千/万/亿 or empty.", nullable=True),
        "value_base": col(float, "value_num times the scale (in the base unit).", nullable=True),
        "period": col(str, "Period named before the number (每月, 全年 …).", nullable=True),
        "masked": col(bool, "True when the value is redacted."), "reason": col(str, "Why value_num is empty.", nullable=True),
    }),
    table("achievements", "processed", "One row per reported result in review sections (and in situation sentences that report results): numeric claims, honours and ranks.", "tifa build (extract.achievements)", {
        "doc_id": DOC_ID, "achievement_id": col(str, "Claim id <doc_id>-s<sent_id>-<n>.", unique=True), "sent_id": SENT_ID,
        "section_id": col(str, "Review section (joins sections.section_id)."),
        "year": col(int, "Year the result refers to: the nearest earlier year named before the claim in its sentence (else after it), else the document year minus one."),
        "year_source": col(str, "text (the year is named in the sentence) or rule (document year minus one: a guess).", ("text", "rule")),
        "kind": col(str, "count, money (元), percent, change (growth or decline, linked to its indicator), rank (率先, 第一, 前列), honour (获评, 荣获, 入选 …).", ACHIEVEMENT_KINDS),
        "domain": col(str, "Policy domain of the claim (codebook keywords; the claim's clause counts twice, then its sentence)."),
        "indicator": col(str, "What is counted (words before the number, or the noun after it); for change rows the indicator they modify.", nullable=True),
        "value": col(str, "Value as written (masks kept); empty for honours and ranks.", nullable=True),
        "value_num": col(float, "Value as a number before scale; empty when masked or non-numeric.", nullable=True),
        "unit": col(str, "Unit without scale.", nullable=True), "scale": col(str, "千/万/亿 or empty.", nullable=True),
        "value_base": col(float, "value_num times the scale.", nullable=True),
        "qualifier": col(str, "Approximation as written: 余, 多, 超, 近, 约 …", nullable=True),
        "masked": col(bool, "True when the value (or the clause of an honour) is redacted: the claim is kept, the value is not invented."),
        "linked_to": col(str, "For change rows: achievement_id of the claim the change modifies.", nullable=True),
        "reason": col(str, "Why value_num is empty (masked in the source, non-numeric claim).", nullable=True),
        "claim": col(str, "The clause of the claim."), "text": col(str, "The whole sentence."),
    }),
)

# ------------------------------------------------------------------- frames
register(
    table("frame_hits", "processed", "Every formulation found in the documents (longest match, no double counting).", "tifa build (frames.detect)", {
        "doc_id": DOC_ID, "sent_id": SENT_ID, "formulation_id": col(str, "Lexicon id (joins formulations.csv)."),
        "surface": col(str, "Matched text (quotation marks removed)."),
        "start": col(int, "Start offset in the normalised text."), "end": col(int, "End offset (exclusive)."),
        "match": col(str, "How the hit was detected: exact (the canonical form, even inside a longer form, or a form equal to it up to punctuation, dashes, enumeration commas and bracketed year ranges), variant, abbreviation, tier_substitution (国 -> 省/市/区/县: 质量强国 -> 质量强市), extension (a parallel or numbered formula extended or re-slotted: 稳字当头、进字加力), fragment (two or more consecutive parts of a 、-chained formula, not all).", MATCH_TYPES),
        "adaptation": col(str, "How the hit adapts its formulation, typed on normal forms (punctuation, dashes, enumeration commas and bracketed year ranges removed): empty when it is the canonical form; tier_substitution (a local tier for 国/国家, at most one other character changed: 质量强省, 省之大要), extension (a 、-chain extended or re-slotted: 不敢违法、不能违法、不想违法), fragment, abbreviation, shortened (characters left out), expanded (characters added), reordered, substituted (a word replaced) (frames.adaptation).", ("", *ADAPTATION_TYPES), nullable=True),
        "attributed_to": col(str, "Authorities credited with this hit: those of its sentence (attributions.csv) whose credited scope, the object of their speech act or directive, holds the whole hit; ';'-separated; empty when the hit lies outside every scope (frames.hit_credit).", nullable=True),
        "credit_scope_start": col("Int64", "Start offset (normalised text) of the credited scope; with several authorities the earliest; empty when not credited.", nullable=True),
        "credit_scope_end": col("Int64", "End offset (exclusive) of the credited scope; with several authorities the latest; empty when not credited.", nullable=True),
        "sentence_credit": col(str, "Every authority the hit's sentence credits, in or out of the hit's scope (the sentence-level credit, for comparison), ';'-separated.", nullable=True),
    }),
    table("frame_by_doc", "processed", "Document x formulation: counts (zeros included), density and first position.", "tifa build (frames.frame_by_doc)", {
        "doc_id": DOC_ID, "formulation_id": col(str, "Lexicon id."), "level": LEVEL, "year": col(int, "Document year."),
        "count": col(int, "Hits."), "n_exact": col(int, "Exact hits."), "n_variant": col(int, "Variant hits."),
        "n_abbreviation": col(int, "Abbreviation hits."), "n_tier_substitution": col(int, "Tier-substitution hits (国 -> 省/市/区/县)."),
        "n_extension": col(int, "Extension hits."), "n_fragment": col(int, "Fragment hits."), "per_10k_chars": col(float, "Hits per 10,000 characters (whitespace excluded)."),
        "first_position": col(float, "Offset of the first hit divided by the text length (0 = start, 1 = end); empty if absent.", nullable=True),
        "n_attributed": col(int, "Hits credited to an authority (frame_hits.attributed_to not empty: inside the scope of its speech act or directive)."),
        "selection": col(str, "The formulation's group in the lexicon: central_rule (a central row chosen from the central texts by the written rule) or curated (documented outside the rule).", ("central_rule", "curated")),
    }),
    table("frame_by_level", "processed", "Formulation x level: verbatim (a hit that is the canonical form in normal form), adapted (only typed adaptations) or absent.", "tifa build (frames.frame_by_level)", {
        "formulation_id": col(str, "Lexicon id."), "level": LEVEL, "n_docs_at_level": col(int, "Documents at this level."),
        "n_docs_with_hit": col(int, "Documents at this level with at least one hit."), "count": col(int, "Hits at this level."),
        "status": col(str, "verbatim (a hit at this level whose adaptation is empty: the canonical form up to punctuation, dashes, enumeration commas and bracketed year ranges), adapted (only typed adaptations, frame_hits.adaptation) or absent.", ("verbatim", "adapted", "absent")),
        "surfaces": col(str, "Distinct surfaces seen, ';'-separated.", nullable=True),
        "adaptation_types": col(str, "Typed adaptations seen at this level (frame_hits.adaptation), ';'-separated.", nullable=True),
        "selection": col(str, "The formulation's group in the lexicon: central_rule (a central row chosen from the central texts by the written rule) or curated (documented outside the rule).", ("central_rule", "curated")),
    }),
    table("frame_by_year", "processed", "Formulation x document year: hits, documents with a hit, and whether the formulation occurs in that year only.", "tifa build (frames.frame_by_year)", {
        "formulation_id": col(str, "Lexicon id."), "year": col(int, "Document year."), "count": col(int, "Hits in that year's documents."),
        "n_docs_with_hit": col(int, "Documents of that year with at least one hit."),
        "only_this_year": col(bool, "True if the formulation occurs in this year's documents and in no other year's."),
        "selection": col(str, "The formulation's group in the lexicon: central_rule (a central row chosen from the central texts by the written rule) or curated (documented outside the rule).", ("central_rule", "curated")),
    }),
    table("attributions", "processed", "One row per authority a sentence credits with a speech act or directive (subject of 强调/指出/要求/部署…, 按照…要求, 是…的要求, speech nouns such as 重要指示精神); every member of a coordinated list; loyalty boilerplate, future events and the speaker's own body excluded.", "tifa build (frames.attributions)", {
        "doc_id": DOC_ID, "sent_id": SENT_ID, "authority": col(str, "Authority, normalised (e.g. 市场监管总局 for 总局/国家总局)."),
        "authority_surface": col(str, "Authority as written."), "authority_level": LEVEL,
        "levels_up": col(int, "Tiers between the document and the authority (0 = same tier, negative = lower tier)."),
        "cue": col(str, "Cue (强调, 指出, 要求, 部署, 提出, 批示, 指示, 重要讲话 …)."),
        "construction": col(str, "subject_of, according_to (按照 X 要求), is_the_requirement_of (是 X 的要求), speech_noun (X 重要指示精神), in_the_name_of (以 X 名义).", ("subject_of", "according_to", "is_the_requirement_of", "speech_noun", "in_the_name_of")),
        "text": col(str, "The sentence."),
    }),
    table("formulation_candidates", "processed", "Quoted phrases and numbered formulas: what the lexicon may lack, and candidate local coinages.", "tifa build (frames.candidate_table)", {
        "candidate": col(str, "Phrase (quoted, or a numbered formula such as 三新一高).", unique=True),
        "kind": col(str, "numbered (starts with a numeral or matches a numbered-formula pattern) or quoted.", ("numbered", "quoted")),
        "n_docs": col(int, "Documents containing it."), "n_occurrences": col(int, "Occurrences."),
        "doc_ids": col(str, "Documents, ';'-separated."), "levels": col(str, "Levels, ';'-separated."),
        "in_lexicon": col(str, "full (the lexicon covers the phrase), part, or no.", ("full", "part", "no")),
        "formulation_ids": col(str, "Lexicon ids found inside the phrase.", nullable=True),
        "local_coinage_candidate": col(bool, "Not in the lexicon and found at one sub-central level only."),
    }),
    table("reuse", "processed", f"Passages shared by two documents (at least {REUSE_MIN_HAN} Han characters on both sides, seed-and-extend, gaps <= {REUSE_MAX_GAP} merged).", "tifa build (reuse.reuse_pairs)", {
        "passage_id": col(str, "Passage id.", unique=True), "doc_a": DOC_ID, "start_a": col(int, "Start in doc_a's normalised text."),
        "end_a": col(int, "End in doc_a (exclusive)."), "doc_b": col(str, "Second document."), "start_b": col(int, "Start in doc_b."),
        "end_b": col(int, "End in doc_b (exclusive)."), "length_a": col(int, "Passage length in doc_a (line breaks excluded)."),
        "length_b": col(int, "Passage length in doc_b."), "n_matched_chars": col(int, "Characters in exactly shared segments."),
        "n_segments": col(int, "Exact segments merged into the passage."), "text_a": col(str, "Passage in doc_a."), "text_b": col(str, "Passage in doc_b."),
    }),
    table("similarity", "processed", "Document x document similarity (full matrix, long format).", "tifa build (reuse.similarity)", {
        "doc_a": DOC_ID, "doc_b": col(str, "Second document."), "tfidf_cosine": col(float, "Cosine of character 2-4-gram TF-IDF vectors."),
        "share_a_reused_in_b": col(float, "Share of doc_a's characters inside passages shared with doc_b."),
        "n_passages": col(int, "Shared passages."), "longest_passage": col(int, "Length of the longest shared passage."),
    }),
)

# --------------------------------------------------------------------- stats
CI = "95% interval, "
# columns every level test shares: the design, its power, and the result in words
LEVEL_TEST_RESULT = {
    "n_docs": col(int, "Documents in the test.", nullable=True),
    "design": col(str, "Documents per level, e.g. provincial:1; municipal:3; district:1.", nullable=True),
    "detectable_effect": col(float, "Power: smallest effect (in effect_unit) that the test detects at p <= 0.05 in 80% of corpora simulated with this design; empty if none in the simulated range (or no relabelling can reach p <= 0.05).", nullable=True),
    "effect_unit": col(str, "What detectable_effect measures.", nullable=True),
    "status": col(str, "ok, or skipped when the test cannot be computed on this corpus.", ("ok", "skipped")),
    "reason": col(str, "Why skipped.", nullable=True),
    "conclusion": col(str, "The result in words; a null result reads 'cannot tell levels apart with n = N'.", nullable=True),
}
register(
    table("attention", "processed", "Attention by domain: share of each local document's task items (role task; Wilson CI) and characters.", "tifa build (stats.attention)", {
        "doc_id": DOC_ID, "level": LEVEL, "domain": col(str, "Domain code."), "n_items": col(int, "Priority items in the domain."),
        "share_items": col(float, "n_items / items in the document.", nullable=True), "ci_low": col(float, CI + "Wilson, lower.", nullable=True),
        "ci_high": col(float, CI + "Wilson, upper.", nullable=True), "n_chars": col(int, "Characters of those items."),
        "share_chars": col(float, "Share of the document's priority characters.", nullable=True),
    }),
    table("attention_requirements", "processed", "Attention view of requirement-type items (role requirement: 一要…六要, 工作要求), kept apart from tasks; same columns as attention.", "tifa build (stats.attention)", {
        "doc_id": DOC_ID, "level": LEVEL, "domain": col(str, "Domain code."), "n_items": col(int, "Priority items in the domain."),
        "share_items": col(float, "n_items / items in the document.", nullable=True), "ci_low": col(float, CI + "Wilson, lower.", nullable=True),
        "ci_high": col(float, CI + "Wilson, upper.", nullable=True), "n_chars": col(int, "Characters of those items."),
        "share_chars": col(float, "Share of the document's priority characters.", nullable=True),
    }),
    table("diversity", "processed", "Attention diversity: normalised Shannon entropy of each local document's domain distribution, with a Bayesian 95% interval.", "tifa build (stats.diversity)", {
        "doc_id": DOC_ID, "level": LEVEL, "n_items": col(int, "Priority items."), "n_domains_used": col(int, "Domains with at least one item."),
        "k_norm": col(int, "min(K codebook domains, n_items): entropy is divided by log(k_norm), the most even spread n items allow."),
        "entropy_norm": col(float, "Plug-in H / log(k_norm), for description; empty with fewer than two items.", nullable=True),
        "posterior_median": col(float, "Point estimate: median of H / log(k_norm) (capped at 1) over domain shares drawn from Dirichlet(counts + 1/K).", nullable=True),
        "ci_low": col(float, CI + "2.5th percentile of the same posterior draws.", nullable=True),
        "ci_high": col(float, CI + "97.5th percentile of the same posterior draws.", nullable=True),
        "status": col(str, "ok, or skipped when the statistic cannot be computed.", ("ok", "skipped")),
        "reason": col(str, "Why skipped.", nullable=True),
    }),
    table("attention_level_test", "processed", "Does attention differ by level? Exact permutation across local documents with priorities (with its power), and the naive item-level test for contrast.", "tifa build (stats.attention_level_test)", {
        "test": col(str, "Test."), "unit": col(str, "Unit resampled."), "statistic_name": col(str, "Statistic."),
        "statistic": col(float, "Observed statistic.", nullable=True), "p_value": col(float, "p-value.", nullable=True),
        "n_assignments": col(float, "Distinct level assignments enumerated.", nullable=True),
        "min_attainable_p": col(float, "Smallest p the test can give.", nullable=True),
        "method": col(str, "exact (every assignment enumerated), monte_carlo (random permutations, when there are more than 5,000) or asymptotic.", ("exact", "monte_carlo", "asymptotic"), nullable=True),
        **LEVEL_TEST_RESULT,
        "note": col(str, "Caveat.", nullable=True),
    }),
    table("agreement", "processed", "Automatic vs blind-coded domains: Cohen's kappa with 95% CI (statsmodels).", "tifa build (validation.extraction.agreement)", {
        "n_items": col(int, "Items coded by both."), "n_unmatched": col(int, "Items found by only one side."),
        "n_agree": col(int, "Items with the same domain."), "percent_agreement": col(float, "n_agree / n_items."),
        "kappa": col(float, "Cohen's kappa."), "kappa_se": col(float, "Standard error."), "ci_low": col(float, CI + "lower."),
        "ci_high": col(float, CI + "upper."), "title_matches": col(int, "Items whose automatic title equals the hand title exactly."),
        "unit_items": col(int, "Items for which the hand coder recorded lead units (004)."),
        "lead_units_matches": col(int, "Of those, items whose lead-unit list equals the hand list exactly."),
        "responsible_units_matches": col(int, "Of those, items whose responsible-unit list equals the hand list exactly."),
        "coder": CODER,
    }),
    table("disagreements", "processed", "Priorities where the automatic and the blind-coded domain differ.", "tifa build (validation.extraction.agreement)", {
        "doc_id": DOC_ID, "item_seq": col(int, "Item number."), "item_id": col(str, "Priority id."), "title": col(str, "Automatic title."),
        "domain_auto": col(str, "Automatic domain."), "domain_hand": col(str, "Hand-coded domain."),
        "domain_keywords": col(str, "Keywords behind the automatic code.", nullable=True), "hand_notes": col(str, "Coder's note.", nullable=True),
        "coder": CODER,
    }),
    table("achievement_recall", "processed", "Each hand-coded claim (numeric, masked, honour, rank): matched one-to-one, in the same sentence, by an automatic row?", "tifa build (validation.extraction.achievement_recall)", {
        "doc_id": DOC_ID, "claim_seq": col(int, "Hand claim number."),
        "claim_type": col(str, "numeric (unmasked count, money, percent, change), masked (value redacted), honour or rank: validated separately.", ("numeric", "masked", "honour", "rank")),
        "kind_hand": col(str, "Coded kind (blind coding)."), "indicator": col(str, "Coded indicator (blind coding).", nullable=True),
        "value": col(str, "Value as written.", nullable=True), "unit": col(str, "Unit.", nullable=True),
        "masked": col(bool, "Masked in the source (hand flag)."),
        "sent_id": col(float, "Sentence holding the hand snippet (first, if it spans two); empty if the snippet was not located.", nullable=True),
        "found": col(bool, "Matched by one automatic row of the same sentence and claim type; numeric and masked claims also on value (masks as written) and unit."),
        "achievement_id": col(str, "The matching automatic row (each used at most once).", nullable=True), "kind_auto": col(str, "Automatic kind.", nullable=True),
        "indicator_auto": col(str, "The matching automatic row's indicator (what it says is counted).", nullable=True),
        "indicator_similarity": col(float, "Dice coefficient of the character bigrams of the hand and automatic indicators (Han characters only, the coder's bracketed notes dropped); empty if not found (validation.extraction.indicator_similarity).", nullable=True),
        "indicator_ok": col(object, "The automatic indicator names the hand-coded counted object: indicator_similarity >= 0.4 (validation.extraction.INDICATOR_DICE); empty if not found.", nullable=True),
        "masked_flag_ok": col(object, "Numeric and masked claims: automatic masked flag equals the hand flag (empty if not found or not numeric).", nullable=True),
        "text_snippet": col(str, "Hand snippet."), "hand_notes": col(str, "Coder's note.", nullable=True),
        "round": col(int, "Coding round: 1 in-sample, 2 held out (achievement_validation.sample).", (1, 2)),
        "coder": CODER,
    }),
    table("framing_density", "processed", "Framing density per document, counting the central rows chosen by the central rule only (formulations.selection = central_rule), and the ideological share (sentences with a hit of any row of category ideology_party: the category is reviewed, the rule's own rows have none yet), bootstrap 95% intervals over sentences.", "tifa build (stats.framing_density)", {
        "doc_id": DOC_ID, "level": LEVEL, "year": col(int, "Year."), "genre": col(str, "Genre.", GENRES),
        "n_sentences": col(int, "Sentences."), "n_chars": col(int, "Characters (sentence lengths summed)."), "n_hits": col(int, "Formulation hits."),
        "n_formulations": col(int, "Distinct formulations."), "hits_per_10k": col(float, "Hits per 10,000 characters."),
        "hits_ci_low": col(float, CI + "lower."), "hits_ci_high": col(float, CI + "upper."),
        "ideological_share": col(float, "Share of characters in sentences with a hit of a formulation of category ideology_party (any selection)."),
        "ideological_ci_low": col(float, CI + "lower."), "ideological_ci_high": col(float, CI + "upper."),
    }),
    table("density_level_test", "processed", "Exact permutation tests across local documents for framing density and ideological share by level, with their power.", "tifa build (stats.density_level_test)", {
        "outcome": col(str, "Outcome."), "test": col(str, "Test."), "unit": col(str, "Unit resampled."),
        "statistic_name": col(str, "Statistic."), "statistic": col(float, "Observed.", nullable=True),
        "p_value": col(float, "Permutation p.", nullable=True), "n_assignments": col(float, "Assignments enumerated (or sampled).", nullable=True),
        "min_attainable_p": col(float, "Smallest possible p.", nullable=True),
        "method": col(str, "exact or monte_carlo.", ("exact", "monte_carlo"), nullable=True),
        **LEVEL_TEST_RESULT,
    }),
    table("section_counts", "processed", "Hits of the central rows chosen by the central rule, and length, per section: the units of the count model.", "tifa build (stats.section_counts)", {
        "doc_id": DOC_ID, "section_id": col(str, "Section (joins sections)."), "role": ROLE, "level": LEVEL,
        "genre": col(str, "Genre.", GENRES), "year": col(int, "Year."), "n_chars": col(int, "Section length."), "n_hits": col(int, "Hits in the section."),
    }),
    table("model_estimates", "processed", "Poisson (quasi-likelihood scale) and negative-binomial GLMs of hits per section of local documents, log length offset.", "tifa build (stats.count_model)", {
        "model": col(str, "GLM family.", ("poisson", "negative_binomial")), "covariates": col(str, "Covariate set."), "term": col(str, "Term (level terms are against `reference`)."),
        "coef": col(float, "Log rate ratio.", nullable=True), "se": col(float, "Standard error (sections treated as independent).", nullable=True),
        "p_value": col(float, "p-value (too small: sections are nested in documents).", nullable=True),
        "ci_low": col(float, CI + "lower bound of the rate ratio.", nullable=True),
        "ci_high": col(float, CI + "upper bound of the rate ratio.", nullable=True), "rate_ratio": col(float, "exp(coef).", nullable=True),
        "n_sections": col(int, "Sections."), "n_docs": col(int, "Documents."),
        "reference": col(str, "Reference level: the level present with most documents.", nullable=True),
        "status": col(str, "ok, or skipped (not identified, one level, fit failed).", ("ok", "skipped")),
        "reason": col(str, "Why skipped.", nullable=True),
        "note": col(str, "Small-sample warning, printed with the table wherever it is shown.", nullable=True),
    }),
    table("keyness", "processed", "Distinctive jieba tokens per local level, against the other local levels and against the central texts: weighted log-odds with informative Dirichlet prior (z) and signed G2.", "tifa build (stats.keyness)", {
        "comparison": col(str, "other_levels: the level against all other local levels; central: the level against the central texts pooled.", ("other_levels", "central")),
        "level": col(str, "Local level whose tokens are ranked.", LEVELS, nullable=True), "token": col(str, "Token (project terms kept whole).", nullable=True),
        "english": col(str, "English gloss of the token from the lexicon, unit glossary or term list (data/raw/glossary); empty where none glosses it.", nullable=True),
        "count_level": col(float, "Count at the level.", nullable=True),
        "count_other": col(float, "Count in the comparison group (other local levels, or the central texts).", nullable=True), "log_odds_z": col(float, "z-score of the weighted log-odds (Monroe et al. 2008), prior = 1000 x the token shares of the two groups compared.", nullable=True),
        "g2_signed": col(float, "Log-likelihood G2, negative when under-represented.", nullable=True), "rank": col(float, "Rank by z within the comparison and level.", nullable=True),
        "status": col(str, "ok, or skipped (no comparison group: one local level, or no central text).", ("ok", "skipped")),
        "reason": col(str, "Why skipped.", nullable=True),
    }),
)

register(
    table("frame_validation", "processed", "Formulation counts per document: automatic detection vs blind count.", "tifa build (validation.extraction.frame_validation)", {
        "doc_id": DOC_ID, "formulation_id": col(str, "Lexicon id."), "count_auto": col(int, "Hits found by tifa."),
        "count_hand": col(int, "Occurrences counted by hand (data/raw/annotations/formulation_counts_handcoded.csv)."),
        "hand_notes": col(str, "Coder's note.", nullable=True), "difference": col(int, "count_auto - count_hand."),
        "coder": CODER,
    }),
    table("formulation_counts_handcoded", "raw/annotations/formulation_counts_handcoded.csv", "Blind counts of lexicon formulations per document (coder: coders.csv).", "coded blind, coder in data/raw/annotations/coders.csv (see data/raw/lexicon/README.md)", {
        "doc_id": DOC_ID, "formulation_id": col(str, "Lexicon id."), "count": col(int, "Occurrences."),
        "surfaces": col(str, "Surface forms seen, ';'-separated.", nullable=True), "coder": col(str, "Coder id."),
        "notes": col(str, "Notes.", nullable=True),
    }),
)

# ------------------------------------------------------------------ validation
RATE = "Wilson 95% interval, "
register(
    table("achievement_validation", "processed", "Strict one-to-one validation of achievements against the blind coding, per claim type: recall and precision with Wilson intervals.", "tifa build (validation.extraction.achievement_recall)", {
        "sample": col(str, "in-sample: hand coding read while the rules were written (round 1); held-out: coded blind on other documents afterwards, never used to change the rules (round 2).", ("in-sample", "held-out")),
        "claim_type": col(str, "numeric, masked, honour, rank, or all of them.", ("numeric", "masked", "honour", "rank", "all")),
        "n_hand": col(int, "Hand-coded claims of this type."),
        "n_auto": col(int, "Automatic rows of this type in the hand-coded documents."),
        "n_matched": col(int, "One-to-one matches (same sentence; same value and unit for numeric and masked claims)."),
        "recall": col(float, "n_matched / n_hand.", nullable=True),
        "recall_ci_low": col(float, RATE + "lower.", nullable=True), "recall_ci_high": col(float, RATE + "upper.", nullable=True),
        "precision": col(float, "n_matched / n_auto.", nullable=True),
        "precision_ci_low": col(float, RATE + "lower.", nullable=True), "precision_ci_high": col(float, RATE + "upper.", nullable=True),
        "n_indicator_right": col(int, "Matched claims whose automatic indicator names the hand-coded counted object (achievement_recall.indicator_ok)."),
        "indicator_accuracy": col(float, "n_indicator_right / n_matched: of the claims found, the share with the right indicator (one-to-one, beside value and unit). Honours and ranks are paired partly by their indicator, so theirs is not independent of the matching.", nullable=True),
        "indicator_ci_low": col(float, RATE + "lower.", nullable=True), "indicator_ci_high": col(float, RATE + "upper.", nullable=True),
        "coder": CODER,
    }),
    table("achievement_unconfirmed", "processed", "Automatic achievement rows of blind-coded documents that no hand claim confirms: the precision losses, to read.", "tifa build (validation.extraction.unconfirmed_claims)", {
        "doc_id": DOC_ID, "achievement_id": col(str, "Automatic row (joins achievements).", unique=True), "sent_id": SENT_ID,
        "claim_type": col(str, "numeric, masked, honour or rank.", ("numeric", "masked", "honour", "rank")),
        "kind": col(str, "Automatic kind.", ACHIEVEMENT_KINDS), "indicator": col(str, "Automatic indicator.", nullable=True),
        "value": col(str, "Value as written.", nullable=True), "unit": col(str, "Unit.", nullable=True), "claim": col(str, "The clause."),
        "coder": CODER,
    }),
    table("agreement_confusion", "processed", "Confusion matrix of priority domains, automatic x blind coding (long format, zeros included).", "tifa build (validation.extraction.confusion)", {
        "domain_auto": col(str, "Automatic domain."), "domain_hand": col(str, "Hand-coded domain."),
        "n_items": col(int, "Priorities coded domain_auto by tifa and domain_hand by the coder."),
        "coder": CODER,
    }),
)

# ------------------------------------------------------------------ central reuse
TIME_ORDERS = ("before", "undetermined", "impossible")
TIME_ORDER = ("before: the source's latest possible date precedes the document's earliest (documents.csv date_low/date_high); "
              "impossible: the source is dated after the document's latest possible date, so it cannot be the source; "
              "undetermined: the intervals overlap.")
# The distinctive and formulaic parts of a reuse share (central.KINDS), alike in the by-document and by-level tables.
REUSE_KIND_SHARES = {
    "n_distinctive_chars": col(int, "Of n_reused_chars, inside a distinctive passage (formulaic false: held by one text only)."),
    "share_distinctive": col(float, "n_distinctive_chars / n_chars.", nullable=True),
    "ci_low_distinctive": col(float, "2.5th percentile of the distinctive share (same resamples as share).", nullable=True),
    "ci_high_distinctive": col(float, "97.5th percentile.", nullable=True),
    "n_formulaic_chars": col(int, "Of n_reused_chars, inside a formulaic passage (held by two or more texts)."),
    "share_formulaic": col(float, "n_formulaic_chars / n_chars.", nullable=True),
    "ci_low_formulaic": col(float, "2.5th percentile of the formulaic share.", nullable=True),
    "ci_high_formulaic": col(float, "97.5th percentile.", nullable=True),
}

register(
    table("central_reuse", "processed", f"Passages of local documents that reproduce a central text (>= {REUSE_MIN_HAN} Han characters on the local side after removing punctuation and whitespace; verbatim or with small edits that cross no sentence end or title mark), with how formulaic each is and whether its source is identified. A passage that is only a formulation's name is a formulation hit (frame_hits), not a row here.", "tifa build (central.central_reuse)", {
        "passage_id": col(str, "Passage id (c0001 …), stable for a given corpus.", unique=True),
        "doc_id": DOC_ID, "sent_id": col(int, "Sentence holding the passage start; joins sentences.csv."),
        "start": col(int, "Start offset in data/processed/normalized/<doc_id>.txt."),
        "end": col(int, "End offset (exclusive)."),
        "local_text": col(str, "The passage as it stands in the local document (normalised text[start:end])."),
        "source_doc_id": col(str, f"Identified passage: the central document it comes from. Otherwise the candidates, '{CENTRAL_SOURCE_SEP}'-separated in date order: the corpus's central texts that hold the passage and could precede the document (or, when none could, those that hold it)."),
        "source_identified": col(bool, "True only when exactly one text dated no later than the document's date_high (or undated) holds the passage, and it is a central text of the corpus (a background text is never a source)."),
        "n_sources": col(int, f"Texts holding the passage: central texts of the corpus and background texts (data/raw/background), each counted once. A text holds it when one aligned passage in it covers at least {CENTRAL_HOLD_SHARE:.0%} of its characters."),
        "n_background": col(int, "Of n_sources, background texts."),
        "formulaic": col(bool, "n_sources >= 2: stock wording, whose source cannot be told from the wording."),
        "aligned_doc_id": col(str, "The central text whose wording source_text/source_start/source_end show (the source when identified)."),
        "source_start": col(int, "Start offset in data/processed/normalized/<aligned_doc_id>.txt."),
        "source_end": col(int, "End offset (exclusive)."),
        "source_text": col(str, "The passage as it stands in the aligned central text."),
        "n_chars": col(int, "Characters of the passage on the local side, punctuation and whitespace removed."),
        "n_han_chars": col(int, f"Han characters among them (>= {REUSE_MIN_HAN})."),
        "similarity": col(float, "difflib ratio of the two passages without punctuation (1 = verbatim)."),
        "time_order": col(str, "Of the source (identified) or the aligned text: " + TIME_ORDER, TIME_ORDERS),
        "time_flag": col(str, "Why the passage's source needs care (empty for an identified source that surely precedes).", nullable=True),
    }),
    table("central_reuse_share", "processed", "Share of each local document's (and each section's) characters reproduced from central texts, with a bootstrap interval over sentences; distinctive and formulaic reuse apart.", "tifa build (central.reproduction_share)", {
        "doc_id": DOC_ID, "level": LEVEL,
        "scope": col(str, "document or section.", ("document", "section")),
        "section_id": col(str, "Section (sections.csv) for scope = section.", nullable=True),
        "role": col(str, "Section role for scope = section.", nullable=True),
        "n_sentences": col(int, "Sentences in scope."),
        "n_chars": col(int, "Characters in scope, punctuation, whitespace and masks removed."),
        "n_reused_chars": col(int, "Of which inside a central_reuse passage."),
        "share": col(float, "n_reused_chars / n_chars.", nullable=True),
        "ci_low": col(float, "2.5th percentile of the share over 2,000 bootstrap resamples of sentences.", nullable=True),
        "ci_high": col(float, "97.5th percentile.", nullable=True),
        **REUSE_KIND_SHARES,
    }),
    table("central_reuse_by_level", "processed", "Share of each local level's characters reproduced from central texts, whole documents (role empty) and by section role, with a bootstrap interval; distinctive and formulaic reuse apart.", "tifa build (central.share_by_level)", {
        "level": LEVEL, "role": col(str, "Section role; empty for whole documents.", nullable=True),
        "n_docs": col(int, "Documents of the level with text in scope."),
        "n_sentences": col(int, "Sentences in scope."),
        "n_chars": col(int, "Characters in scope, punctuation, whitespace and masks removed."),
        "n_reused_chars": col(int, "Of which inside a central_reuse passage."),
        "share": col(float, "n_reused_chars / n_chars (pooled over the level's documents)."),
        "ci_low": col(float, "2.5th percentile of 2,000 bootstrap resamples (see interval).", nullable=True),
        "ci_high": col(float, "97.5th percentile.", nullable=True),
        "interval": col(str, "What was resampled: documents (several at the level) or sentences (one document).",
                        ("documents resampled", "sentences resampled (one document)")),
        **REUSE_KIND_SHARES,
    }),
    table("central_sources", "processed", "Local document x central text: identified passages drawn from it, and the lag between the two date intervals.", "tifa build (central.sources_by_document)", {
        "doc_id": DOC_ID, "level": LEVEL,
        "doc_date_low": col(str, "Document's earliest possible day (documents.csv date_low)."),
        "doc_date_high": col(str, "Its latest possible day."),
        "source_doc_id": col(str, "Central document."),
        "source_date_low": col(str, "The central text's earliest possible day."), "source_date_high": col(str, "Its latest."),
        "time_order": col(str, TIME_ORDER, TIME_ORDERS),
        "lag_days_min": col(int, "Smallest possible days from source to document (negative: the source may come after)."),
        "lag_days_max": col(int, "Largest possible days from source to document."),
        "n_passages": col(int, "Identified passages credited to this source (formulaic or unidentified passages are not)."),
        "n_chars": col(int, "Their characters (punctuation removed)."),
        "share_of_reused_chars": col(float, "n_chars / all characters of the document's identified passages.", nullable=True),
        "n_passages_candidate": col(int, "Unidentified passages that list this text among their candidates."),
        "longest_passage": col(int, "Longest identified passage credited, characters."),
    }),
)

# ------------------------------------------------------- blind hand coding of framing
ADAPTATIONS = ("exact", "variant", "abbreviation", "tier_substitution", "extension", "fragment")
ATTRIBUTION_CODING_COLUMNS = {
    "doc_id": DOC_ID, "sent_id": SENT_ID, "credits_someone": col(str, "true/false.", ("true", "false")),
    "authority": col(str, "Authority as written.", nullable=True),
    "authority_level": col(str, "Tier of the authority.", nullable=True),
    "cue": col(str, "Verb or construction.", nullable=True), "notes": col(str, "Coder's notes.", nullable=True),
    "text": col(str, "The sentence as shown to the coder (matched to sentences.csv by text, so re-segmentation cannot shift it)."),
}
EXTERNAL_CODING_COLUMNS = {  # the same coding of sentences of documents outside the corpus, which carry their own tier
    "doc_id": col(str, "Id of the source document (not in the corpus; see source_url)."),
    "doc_level": LEVEL, "issuer": col(str, "Issuer of the source document (the speaker, whose own body is never credited)."),
    "source_url": col(str, "Where the document was published, as recorded by the collection it was taken from."),
    "sent_id": col(int, "Sentence number within the source document, as segmented by tifa."),
    **{k: v for k, v in ATTRIBUTION_CODING_COLUMNS.items() if k not in ("doc_id", "sent_id", "text")},
    "text": col(str, "The sentence as shown to the coder; the rules are run on this text."),
}


register(
    table("central_formulations_handcoded", "raw/annotations/central_formulations_handcoded.csv", "Blind list of every central formulation type in some local documents, one row per surface form, with its adaptation type and the coding round.", "coded blind, coder in coders.csv (see data/raw/annotations/README_central_formulations_and_attributions.md)", {
        "doc_id": DOC_ID, "canonical": col(str, "The central form, as the centre writes it."),
        "surface": col(str, "The form as written in the document."), "count": col(int, "Occurrences of the surface."),
        "adaptation": col(str, "Adaptation type, or not_a_formulation for a false friend.", (*ADAPTATIONS, "not_a_formulation")),
        "in_central_texts": col(str, "yes/no: the canonical form occurs in one of the five central texts.", nullable=True),
        "example": col(str, "Context (<= 40 characters)."), "notes": col(str, "Coder's notes.", nullable=True),
        "round": col(int, "1: the lexicon was extended after reading this coding (in-sample); 2: coded after the lexicon was frozen, never used to change it (held out).", (1, 2)),
    }),
    table("hit_credit_coded", "raw/annotations/hit_credit_coded.csv", "Blind coding of hit-level credit: hit_credit_sample.csv filled by a coder who saw only hit_credit_protocol.md (who the coder is: the coder column and the README).", "coded blind (see data/raw/annotations/hit_credit_protocol.md)", {
        "hit_id": col(str, "doc_id:start-end of the hit."), "doc_id": DOC_ID, "sent_id": SENT_ID,
        "start": col(int, "Start offset of the hit in the normalised text."), "end": col(int, "End offset (exclusive)."),
        "surface": col(str, "The hit."), "hit_start_in_sentence": col(int, "Start of the hit in the sentence."),
        "hit_end_in_sentence": col(int, "End of the hit in the sentence (exclusive)."),
        "sentence": col(str, "The sentence."), "sentence_marked": col(str, "The sentence with the hit in 【】."),
        "credits_someone": col(str, "true/false: the sentence presents this formulation as said, required or deployed by a named authority.", ("true", "false")),
        "authority": col(str, "The authority or authorities as written, ';'-separated; empty when credits_someone is false.", nullable=True),
        "coder": col(str, "Who coded."), "notes": col(str, "Coder's notes.", nullable=True),
    }),
    table("attributions_handcoded", "raw/annotations/attributions_handcoded.csv", "Blind coding of which authorities each sentence credits with a speech act or directive (one row per credited authority; one empty row for a sentence crediting nobody).", "coded blind, coder in coders.csv (see data/raw/annotations/README_central_formulations_and_attributions.md)", ATTRIBUTION_CODING_COLUMNS),
    table("attributions_central", "raw/annotations/attributions_central.csv", "Blind coding of attributions, same columns as attributions_handcoded: every sentence of the central texts that mentions an authority-like word, by a second blind coder (read when the rules were last revised: in-sample).", "coded blind, coder in coders.csv (see data/raw/annotations/README_attributions_central.md)", ATTRIBUTION_CODING_COLUMNS),
    table("attributions_provincial_a", "raw/annotations/attributions_provincial_a.csv", "Blind coding of attributions in sentences of five 2026 provincial government work reports outside the corpus (Hebei, Shaanxi, Hubei, Zhejiang, Sichuan), by a third blind coder, with the tier and issuer the rules need and the source (read when the rules were last revised: in-sample).", "coded blind, coder in coders.csv (see data/raw/annotations/README_attributions_provincial_a.md)", EXTERNAL_CODING_COLUMNS),
    table("attributions_provincial_b", "raw/annotations/attributions_provincial_b.csv", "Blind coding of attributions in sentences of five other 2026 provincial government work reports outside the corpus (Shandong, Henan, Jiangxi, Liaoning, Yunnan), by a fourth blind coder; held out when the rules of 574b7ec were scored on it, in-sample since the revision of e5f50d5 read it.", "coded blind, coder in coders.csv (see data/raw/annotations/README_attributions_provincial_b.md)", EXTERNAL_CODING_COLUMNS),
    table("attributions_provincial_b2", "raw/annotations/attributions_provincial_b2.csv", "A second, independent blind coding of the sentences of attributions_provincial_b by another coder with the same protocol: the agreement between two coders of the same sentences (attribution_intercoder).", "coded blind, coder in coders.csv (see data/raw/annotations/README_attributions_provincial_b2.md)", EXTERNAL_CODING_COLUMNS),
    table("attributions_provincial_c", "raw/annotations/attributions_provincial_c.csv", "Blind coding of attributions in every authority sentence of five further 2026 provincial government work reports (Anhui, Chongqing, Fujian, Guangdong, Hunan), by a fifth blind coder; held out when the rules of 574b7ec were scored on it, in-sample since the revision of e5f50d5 read it.", "coded blind, coder in coders.csv (see data/raw/annotations/README_attributions_provincial_c.md)", EXTERNAL_CODING_COLUMNS),
    table("attributions_provincial_d", "raw/annotations/attributions_provincial_d.csv", "Blind coding of attributions in every authority sentence of five 2026 provincial government work reports drawn at random from those no earlier coding used (Beijing, Guangxi, Heilongjiang, Ningxia, Qinghai), made after the rules were frozen at e5f50d5; in-sample since the fix of b37da24 read it.", "coded blind, coder in coders.csv (see data/raw/annotations/README_attributions_provincial_d.md)", EXTERNAL_CODING_COLUMNS),
    table("attributions_provincial_f", "raw/annotations/attributions_provincial_f.csv", "Blind coding of attributions in every authority sentence of five further 2026 provincial government work reports (two autonomous regions and three provinces, drawn at random from those no earlier coding used), made after the rules were frozen at b37da24 and never read before it was scored: held out.", "coded blind, coder in coders.csv (see data/raw/annotations/README_attributions_provincial_f.md)", EXTERNAL_CODING_COLUMNS),
)

# ------------------------------------------------------- extract: rejected priorities
register(
    table("priority_rejections", "processed", "Candidate priorities (outline leaves, or paragraphs of plan sections without enumeration) left out because they are not task-like, with the reason.", "tifa build (extract.priority_rejections)", {
        "doc_id": DOC_ID, "node_id": NODE_ID,
        "title": col(str, "The candidate's title as it would have been.", nullable=True),
        "reason": col(str, "Why it is not a priority: a chapter or article of a regulation, a fragment shorter than a task, or the title of a form, table or attachment."),
    }),
)

CODINGS = ("local", "central", "provincial_a", "provincial_b", "provincial_b2", "provincial_c", "provincial_d", "provincial_f")
ATTRIBUTION_SAMPLE = col(str, "in-sample: a coding read when the rules were last revised (they fit it); held-out: coded after the last revision and never read before it (out-of-sample).", ("in-sample", "held-out"))
ATTRIBUTION_CODING = col(str, "Which blind coding: local (the local documents, attributions_handcoded), central (the central texts, attributions_central), provincial_a / _b / _b2 / _c / _d / _f (2026 provincial work reports outside the corpus, attributions_provincial_a / _b / _b2 / _c / _d / _f; b2 codes the sentences of b again, by another coder).", CODINGS)

register(
    table("attribution_validation", "processed", "Every blind-coded sentence: authorities credited by hand and by tifa (canonical names), strictly compared as sets.", "tifa build (validation.framing.attribution_by_sentence)", {
        "coding": ATTRIBUTION_CODING, "sample": ATTRIBUTION_SAMPLE, "doc_id": DOC_ID, "sent_id": SENT_ID, "hand_credits": col(bool, "The coder found at least one credited authority."),
        "authorities_hand": col(str, "Coder's authorities, canonical, ';'-separated.", nullable=True),
        "authorities_auto": col(str, "tifa's authorities, ';'-separated.", nullable=True),
        "n_hand": col(int, "Authorities credited by hand."), "n_auto": col(int, "By tifa."),
        "n_matched": col(int, "In both."), "correct": col(bool, "The two sets are equal."), "text": col(str, "The sentence."),
        "coder": CODER,
    }),
    table("attribution_accuracy", "processed", "Attribution accuracy against the blind codings: sentences that credit someone, look-alikes that credit nobody, and one-to-one authority recall/precision, with Wilson intervals.", "tifa build (validation.framing.attribution_summary)", {
        "coding": col(str, "As in attribution_validation, or all: the codings of one sample pooled.", (*CODINGS, "all")),
        "sample": ATTRIBUTION_SAMPLE,
        "measure": col(str, "What is scored."), "n": col(int, "Denominator."), "k": col(int, "Correct / matched."),
        "value": col(float, "k / n.", nullable=True), "ci_low": col(float, "Wilson 95% lower.", nullable=True),
        "ci_high": col(float, "Wilson 95% upper.", nullable=True),
        "coder": CODER,
    }),
    table("attribution_intercoder", "processed", "Agreement of two blind codings of the same sentences (validation.framing.INTERCODER_PAIRS): the share of sentences given identical authority sets, overall and among each coder's crediting sentences (Wilson 95% intervals), and Krippendorff's alpha on whether a sentence credits someone. The rules' accuracy against one coder is bounded by it.", "tifa build (validation.framing.intercoder)", {
        "coding_1": ATTRIBUTION_CODING, "coding_2": ATTRIBUTION_CODING,
        "measure": col(str, "What is compared: sentences coded alike (all), crediting sentences of <coding> coded alike (that coder's crediting sentences only), krippendorff_alpha_nominal: credits someone."),
        "n": col(int, "Sentences compared."), "k": col(float, "Sentences coded alike (empty for alpha).", nullable=True),
        "value": col(float, "k / n, or alpha.", nullable=True), "ci_low": col(float, "Wilson 95% lower.", nullable=True),
        "ci_high": col(float, "Wilson 95% upper.", nullable=True),
        "coder": col(str, "The two coders, from coders.csv (first / second)."),
    }),
    table("validation_unmatched", "processed", "Hand-coded sentences that match no sentence of the build, so no score uses them (the text changed, or is segmented differently); empty when every coded sentence is found.", "tifa build (validation.framing.attribution_by_sentence)", {
        "coding": ATTRIBUTION_CODING, "doc_id": DOC_ID, "text": col(str, "The coded sentence."),
        "reason": col(str, "Why it is unmatched.", ("document not in the corpus", "no sentence of the document has this text")),
    }),
    table("hit_credit_validation", "processed", "Each blindly coded formulation hit (data/raw/annotations/hit_credit_coded.csv) beside the rules' hit-level credit (frame_hits.attributed_to). Empty until the coded file exists.", "tifa build (validation.framing.hit_credit_by_hit)", {
        "hit_id": col(str, "doc_id:start-end of the hit in the normalised text."), "doc_id": DOC_ID, "sent_id": SENT_ID,
        "surface": col(str, "The hit as shown to the coder."),
        "found": col(bool, "The build still has this hit (false: lexicon or text changed since sampling; counts as wrong)."),
        "rules_credit": col(bool, "The rules credit the hit to someone (stratum of the sample)."),
        "coder_credits": col(bool, "The coder credits the hit to someone."),
        "authorities_coder": col(str, "Coder's authorities, canonical, ';'-separated.", nullable=True),
        "authorities_rules": col(str, "The rules' authorities, ';'-separated.", nullable=True),
        "n_coder": col(int, "Authorities credited by the coder."), "n_rules": col(int, "By the rules."),
        "n_matched": col(int, "In both."), "correct": col(bool, "The two sets are equal."),
        "coder": col(str, "Who coded (a language-model coder given only the protocol, or a person).", nullable=True),
    }),
    table("hit_credit_accuracy", "processed", "Hit-level credit accuracy against the blind coding, per stratum (hits the rules credit, hits they credit to nobody) and pooled, with one-to-one authority recall and precision; Wilson 95% intervals. Empty until the coded file exists.", "tifa build (validation.framing.hit_credit_accuracy)", {
        "measure": col(str, "What is scored."), "n": col(int, "Denominator."), "k": col(int, "Correct / matched."),
        "value": col(float, "k / n.", nullable=True), "ci_low": col(float, "Wilson 95% lower.", nullable=True),
        "ci_high": col(float, "Wilson 95% upper.", nullable=True),
        "coder": col(str, "Who coded, from the coded file.", nullable=True),
    }),
    table("lexicon_coverage", "processed", "Each central formulation type the blind coder listed in a document, and whether the lexicon detects it there (false friends: covered = not detected).", "tifa build (validation.framing.lexicon_coverage)", {
        "doc_id": DOC_ID, "held_out": col(bool, "From the held-out coding round (never used to change the lexicon): coverage on these rows is out-of-sample."),
        "canonical": col(str, "Coder's canonical form."), "surfaces": col(str, "Coder's surfaces, ';'-separated.", nullable=True),
        "adaptations": col(str, "Coder's adaptation types.", nullable=True),
        "adaptations_auto": col(str, "Match types (frame_hits.match) of the hits that cover it, ';'-separated.", nullable=True),
        "adaptation_agrees": col(bool, "Covered, and the coder's set of adaptation types equals tifa's."),
        "in_central_texts": col(str, "Coder's yes/no.", nullable=True),
        "false_friend": col(bool, "The coder marked it not_a_formulation."), "covered": col(bool, "Detected (or, for a false friend, correctly not detected)."),
        "formulation_ids": col(str, "Lexicon rows whose hits match it, ';'-separated.", nullable=True),
        "coder": CODER,
    }),
)

# ------------------------------------------------------------------ validation kit and coders
register(
    table("coders", "raw/annotations/coders.csv", "Who made each blind coding (and each round of it): the one place validation tables take their `coder` from.", "hand-written (from the annotation READMEs)", {
        "annotation": col(str, "Annotation table (data/raw/annotations/<annotation>.csv)."),
        "round": col(int, "Coding round (1 when the table has no round column)."),
        "coder_id": col(str, "The coder's id as the README gives it."),
        "coder": col(str, "person, or language-model coder (protocol only).", CODER_KINDS),
        "readme": col(str, "The README that records the coding (in data/raw/annotations/)."),
        "evidence": col(str, "What the README says about the coder."),
    }),
    table("coding_scores", "kit:<first sheet>_scores.csv", "Scores of filled coding sheets (python -m tifa score-coding): Krippendorff's alpha between coders, then accuracy and per-class recall and precision of the rules against each coder, with Wilson intervals.", "tifa score-coding (validation.kit.score_coding)", {
        "task": col(str, "Coding task.", ("attribution", "formulations", "achievements", "domains")),
        "files": col(str, "The filled sheet(s) scored (';'-separated for agreement)."),
        "coder_id": col(str, "Coder id(s) written on the sheet's protocol page."),
        "coder": CODER,
        "measure": col(str, "krippendorff_alpha_nominal (between coders), accuracy, recall (of the coder's class, the share the rules agree on) or precision (of the rules' class, the share the coder agrees on).", ("krippendorff_alpha_nominal", "accuracy", "recall", "precision")),
        "class": col(str, "The code scored (empty for alpha and accuracy).", nullable=True),
        "n": col(int, "Items: coded by two or more coders (alpha), or the denominator."),
        "k": col(int, "Items agreed (0 for alpha)."),
        "value": col(float, "alpha, or k / n.", nullable=True),
        "ci_low": col(float, RATE + "lower (empty for alpha).", nullable=True),
        "ci_high": col(float, RATE + "upper (empty for alpha).", nullable=True),
        "note": col(str, "Caveat.", nullable=True),
    }),
)

# ------------------------------------------------------ legislation case (tifa import --layout legislation; tifa legislation)
EVENTS = ("adopted", "approved", "revised", "published", "in_force", "dated")
LEGISLATION = "cases/legislation/processed"
register(
    table("events", "raw/events.csv", "Every dated line of a statute's header (before <!-- INFO END -->), one row per event; a line may hold several (…通过并经…批准的《…决定》修正).", "tifa import --layout legislation (legislation.header_events)", {
        "doc_id": DOC_ID, "event_no": col(int, "Event number within the header, in the order written."),
        "date": col(str, "Date of the event, YYYY-MM-DD."),
        "event": col(str, "adopted (通过), approved (批准), revised (修正/修订/修改), published (公布/发布), in_force (施行), dated (a date with none of these words).", EVENTS),
        "body": col(str, "Body named for the event (e.g. 山东省人民代表大会常务委员会, 国务院), empty when the line names none.", nullable=True),
        "level": col(str, "Tier of that body, empty when none is named.", LEVELS, nullable=True),
        "text": col(str, "The header line as written (wrapped lines joined)."),
    }),
    table("articles", LEGISLATION, "One row per article (第X条) of every statute, from the outline.", "tifa legislation (citations.article_table)", {
        "doc_id": DOC_ID, "article": col(int, "Article number (第十二条 -> 12)."), "marker": col(str, "Marker as written (第十二条)."),
        "node_id": NODE_ID, "part": col(str, "Part (第X编) the article stands in, with its heading; empty if none.", nullable=True),
        "chapter": col(str, "Chapter (第X章) the article stands in, with its heading; empty if none.", nullable=True),
        "start": col(int, "Offset of the article in the normalised text."), "end": col(int, "End offset (exclusive)."),
    }),
    table("citations", LEGISLATION, "Explicit citations: a relation word followed by titles in 《》, each resolved to the version in force on the citing document's date.", "tifa legislation (citations.citation_table)", {
        "doc_id": DOC_ID, "article": col("Int64", "Article of the citing text, empty before the first article.", nullable=True),
        "relation": col(str, "根据, 依照, 依据, 参照, 按照 or 违反…规定.", ("根据", "依照", "依据", "参照", "按照", "违反…规定")),
        "cited_title": col(str, "Title as written, with its 《》."),
        "cited_doc_id": col(str, "Version in force on the citing date (latest dated on or before it); empty if unresolved.", nullable=True),
        "cited_level": col(str, "Level of the cited version; empty if unresolved.", LEVELS, nullable=True),
        "resolved": col(bool, "A version in force on the citing date is in the corpus."),
        "in_corpus": col(bool, "Some version of the cited title (without 中华人民共和国, aliases read) is in the corpus, whatever its date."),
        "resolution": col(str, "in_force (a version dated on or before the citing date), self (本条例…), later_version (first adopted by then, but only later revisions are in the corpus), after_citing_date (every version in the corpus is later), not_in_corpus.", ("in_force", "self", "later_version", "after_citing_date", "not_in_corpus")),
        "later_version_doc_id": col(str, "For later_version: the earliest version the corpus holds.", nullable=True),
        "start": col(int, "Offset of the relation word in the normalised text."),
    }),
)

TIER = col(str, "Tier of the source relative to the copying document: central, own_province, other_province, own_cities (other cities of its province), other_cities (cities of another province); own_city (the document's own city, reuse_lag only).", ("central", "own_province", "other_province", "own_cities", "other_cities", "own_city"))
register(
    table("reuse_by_tier", LEGISLATION, "Per provincial or city regulation and source tier: characters covered by passages (reuse.csv) shared with earlier texts of that tier, raw and down-weighted as boilerplate.", "tifa legislation (vertical.tables)", {
        "doc_id": DOC_ID, "level": LEVEL, "province": col(str, "Province of the document."), "region": col(str, "Region of the document."),
        "date": col(str, "Date of the document."), "tier": TIER,
        "n_sources": col(int, "Earlier documents of the tier sharing at least one passage."),
        "chars": col(int, "Characters of the document covered by passages from the tier (union)."),
        "share": col(float, "chars / the document's length."),
        "distinctive_chars": col(float, "The same characters, each weighted 1/k, k = documents (any tier or date) sharing a passage over it."),
        "distinctive_share": col(float, "distinctive_chars / the document's length."),
    }),
    table("skip_level", LEGISLATION, "Passages a city regulation shares with an earlier central text, and whether their wording is absent from every earlier regulation of its own province.", "tifa legislation (vertical.tables)", {
        "doc_id": DOC_ID, "source_doc_id": col(str, "The central text."), "passage_id": col(str, "Passage id; joins reuse.csv."),
        "start": col(int, "Offset in the city regulation's normalised text."), "end": col(int, "End offset."),
        "n_chars": col(int, "Passage length in the city regulation."),
        "chars_not_in_own_province": col(int, "Characters of the passage shared with no earlier own-province regulation."),
        "skip_level": col(bool, "At least half of the passage is in no earlier own-province regulation."),
    }),
    table("reuse_lag", LEGISLATION, "Per copying pair (a provincial or city regulation and an earlier text it shares passages with): days between them and characters copied.", "tifa legislation (vertical.tables)", {
        "doc_id": DOC_ID, "level": LEVEL, "source_doc_id": col(str, "Earlier text."), "source_level": LEVEL, "tier": TIER,
        "doc_date": col(str, "Date of the copy."), "source_date": col(str, "Date of the source."),
        "lag_days": col(int, "Days from the source's date to the copy's (positive)."), "chars": col(int, "Characters of the copy covered by passages from the source."),
    }),
    table("placebo", LEGISLATION, "City regulations against earlier same-topic regulations (title without the place) of their own province and of the other province.", "tifa legislation (vertical.placebo)", {
        "doc_id": DOC_ID, "topic": col(str, "Title without the place name."), "parent_doc_id": col(str, "Same-topic provincial regulation."),
        "parent": col(str, "own_province or other_province.", ("own_province", "other_province")),
        "chars": col(int, "Characters of the city regulation shared with it."), "share": col(float, "chars / the city regulation's length."),
    }),
    table("citation_reuse", LEGISLATION, "Pairs of a provincial or city regulation and an earlier higher-tier text that it cites (resolved citation) or that reuse infers as its parent.", "tifa legislation (vertical.citation_reuse)", {
        "doc_id": DOC_ID, "source_doc_id": col(str, "Earlier higher-tier text."), "doc_level": LEVEL, "source_level": LEVEL,
        "cited": col(bool, "The document cites it (citations.csv, resolved)."),
        "inferred": col(bool, "It shares at least parent_min_chars characters with the document."),
        "chars": col(int, "Characters shared."),
    }),
    table("parent_pair_validation", LEGISLATION, "A seeded sample of reuse-inferred parent pairs (tifa.validation.parents.pair_sample) coded blind: does the regulation draw on the earlier text? The coder saw titles, dates, tiers, the first article and the longest shared passages, never whether the pair is cited or how much it shares.", "tifa case legislation (validation.parents.write_pair_validation), coding in data/raw/annotations/parent_pairs_coded.csv", {
        "pair_id": col(str, "Pair id in the coding sheet (data/raw/annotations/parent_pairs_sample.csv)."),
        "doc_id": DOC_ID, "source_doc_id": col(str, "The earlier, higher-tier text reuse infers as a parent."),
        "doc_level": LEVEL, "source_level": LEVEL,
        "code": col(str, "parent_cited (the regulation names it as its basis), parent_uncited (copies or adapts it without naming it), shared_source (both take the wording from a third text or common legal formula), no_relation.", ("parent_cited", "parent_uncited", "shared_source", "no_relation")),
        "notes": col(str, "Coder's note.", nullable=True),
        "cited": col(bool, "The regulation cites the text (citations.csv, resolved)."),
        "coder_parent": col(bool, "The coder judges it a parent (parent_cited or parent_uncited)."),
        "coder": CODER,
    }),
    table("parent_pair_accuracy", LEGISLATION, "Share of the sampled reuse-inferred pairs the blind coder judges real parents, overall and split by whether the regulation cites the text, with Wilson 95% intervals.", "tifa case legislation (validation.parents.pair_validation)", {
        "measure": col(str, "Which pairs are counted.", ("inferred pairs judged a parent", "inferred pairs not cited, judged a parent", "inferred pairs cited, judged a parent")),
        "k": col(int, "Pairs judged a parent."), "n": col(int, "Pairs."), "value": col(float, "k / n.", nullable=True),
        "ci_low": col(float, "Wilson 95% lower.", nullable=True), "ci_high": col(float, "Wilson 95% upper.", nullable=True),
        "coder": CODER,
    }),
    table("citation_reuse_validation", LEGISLATION, "Recall and precision of reuse-inferred parents against cited parents, Wilson 95% intervals.", "tifa legislation (vertical.citation_reuse)", {
        "measure": col(str, "recall (cited pairs also inferred) or precision (inferred pairs also cited).", ("recall", "precision")),
        "k": col(int, "Pairs both cited and inferred."), "n": col(int, "Cited pairs (recall) or inferred pairs (precision)."),
        "value": col(float, "k / n.", nullable=True), "ci_low": col(float, "Wilson 95% interval, low.", nullable=True),
        "ci_high": col(float, "Wilson 95% interval, high.", nullable=True),
        "parent_min_chars": col(int, "Shared characters that make a reuse-inferred parent."),
    }),
)
