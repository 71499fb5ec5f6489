"""Load stage: read and validate every input once, and refuse anything doubtful.

`inputs(raw_dir)` is the only place that reads `data/raw/`: documents, metadata,
lexicon, codebook, glossary, user dictionary and hand annotations arrive in one
`Inputs` bundle, and the later stages receive data, not paths. Every check raises
`InputError` naming the file, because a silently dropped or mis-decoded input
would change every downstream share and count.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from tifa.config import DATA_RAW, GENRES, LEVELS, level_rank
from tifa.errors import InputError
from tifa.text.tokens import Tokenizer, project_terms

METADATA_COLUMNS = (
    "doc_id", "source_file", "sha256", "level", "province", "region", "region_evidence", "year",
    "year_evidence", "date", "date_evidence", "genre", "issuer", "issuer_evidence", "title",
)
# A date is as precise as the text allows: a year, a month or a day.
DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")


@dataclass(frozen=True)
class Document:
    """One raw document with its metadata row (a plain dict of strings and ints)."""

    doc_id: str
    path: Path
    text: str
    meta: dict = field(hash=False, compare=False)

    @property
    def level(self) -> str:
        return self.meta["level"]

    @property
    def year(self) -> int:
        return int(self.meta["year"])

    @property
    def date(self) -> str:
        return self.meta["date"]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_input_csv(path: Path, required: tuple[str, ...], id_column: str, what: str) -> pd.DataFrame:
    """Read a hand-written input table as strings; stop on a missing file, missing columns or a repeated id."""
    if not path.exists():
        raise InputError(path, f"{what} not found")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"{what} is not valid UTF-8 at byte {exc.start} (save it as UTF-8, e.g. from GBK)") from None
    except pd.errors.ParserError as exc:
        raise InputError(path, f"{what} is not a well-formed CSV: {exc}".strip()) from None
    except pd.errors.EmptyDataError:
        raise InputError(path, f"{what} is empty") from None
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise InputError(path, f"missing column(s): {', '.join(missing)}")
    repeated = table[id_column][table[id_column].duplicated()]
    if len(repeated):
        raise InputError(path, f"duplicate {id_column} {repeated.iloc[0]!r} (row {int(repeated.index[0]) + 2})")
    return table


@lru_cache(maxsize=4)
def read_codebook(raw_dir: Path = DATA_RAW) -> pd.DataFrame:
    """The policy-domain codebook (data/raw/codebook/domains.csv)."""
    return read_input_csv(raw_dir / "codebook" / "domains.csv", ("domain", "keywords"), "domain", "policy-domain codebook")


def read_metadata(path: Path) -> pd.DataFrame:
    """Read and validate `metadata.csv` (one row per document)."""
    meta = read_input_csv(path, METADATA_COLUMNS, "doc_id", "metadata file")
    for _, row in meta.iterrows():
        where = f"{path} (doc_id {row['doc_id']!r})"
        if not row["doc_id"]:
            raise InputError(path, "a row has an empty doc_id")
        if row["level"] not in LEVELS:
            raise InputError(where, f"unknown level {row['level']!r}; allowed: {', '.join(LEVELS)}")
        if row["genre"] not in GENRES:
            raise InputError(where, f"unknown genre {row['genre']!r}; allowed: {', '.join(GENRES)}")
        if not row["year"].isdigit():
            raise InputError(where, f"year must be a four-digit number, got {row['year']!r}")
        date = DATE.match(row["date"])
        if not date:
            raise InputError(where, f"date must be YYYY, YYYY-MM or YYYY-MM-DD, got {row['date']!r}")
        if date.group(1) != row["year"]:
            raise InputError(where, f"date {row['date']!r} does not fall in year {row['year']}")
    meta["year"] = meta["year"].astype(int)
    return meta


def decode(path: Path, encoding: str | None = None) -> str:
    """Decode a raw file: UTF-8 (BOM allowed) unless an encoding is named explicitly.

    We never guess: a GB18030 file decoded as something else would corrupt Han
    characters without any error.
    """
    data = path.read_bytes()
    try:
        text = data.decode(encoding) if encoding else data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = "" if encoding else " (if it is GB18030/GBK, rerun with --encoding gb18030)"
        raise InputError(path, f"not valid {encoding or 'UTF-8'} at byte {exc.start}{hint}") from None
    if encoding and text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError(path, "empty file (no text after removing whitespace)")
    return text


def load_corpus(raw_dir: Path, encoding: str | None = None) -> list[Document]:
    """Pair `documents/*.txt` with `metadata.csv` rows, verify checksums, decode.

    Returns documents ordered central -> provincial -> municipal -> district, then by date.
    """
    doc_dir = raw_dir / "documents"
    meta_path = raw_dir / "metadata.csv"
    meta = read_metadata(meta_path)
    if not doc_dir.is_dir():
        raise InputError(doc_dir, "documents folder not found")
    files = {p.stem: p for p in sorted(doc_dir.glob("*.txt"))}
    if not files and meta.empty:
        raise InputError(doc_dir, "no documents: the folder has no .txt files and metadata.csv no rows "
                                  "(python -m tifa import brings a collection in)")
    no_row = sorted(set(files) - set(meta["doc_id"]))
    if no_row:
        raise InputError(files[no_row[0]], f"document has no row in {meta_path.name} (doc_id {no_row[0]!r})")
    no_file = sorted(set(meta["doc_id"]) - set(files))
    if no_file:
        raise InputError(meta_path, f"row for doc_id {no_file[0]!r} has no file documents/{no_file[0]}.txt")

    documents = []
    for row in meta.to_dict("records"):
        path = files[row["doc_id"]]
        actual = sha256_of(path)
        if not row["sha256"]:
            warnings.warn(f"{path}: no sha256 in metadata.csv; record {actual} to protect it", stacklevel=2)
        elif row["sha256"] != actual:
            raise InputError(path, f"checksum changed: metadata.csv has {row['sha256']}, file is {actual}")
        documents.append(Document(row["doc_id"], path, decode(path, encoding), row))
    return sorted(documents, key=lambda d: (level_rank(d.level), d.date, d.doc_id))


# ---------------------------------------------------------------- the lexicon
LEXICON_COLUMNS = ("formulation_id", "canonical", "variants", "abbreviations", "english", "category", "coined_by",
                   "first_date", "source", "confidence", "notes")
PATTERN_SEP = " ; "


def split_patterns(cell: str) -> list[str]:
    """The regular expressions of a ' ; '-separated lexicon cell."""
    return [p.strip() for p in cell.split(PATTERN_SEP) if p.strip()]


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
    from tifa.schemas import CATEGORIES, COINED_BY

    lex = read_input_csv(path, LEXICON_COLUMNS, "formulation_id", "formulation lexicon")
    for i, row in enumerate(lex.itertuples(), start=2):  # row 1 is the header
        if not row.formulation_id or not row.canonical:
            raise InputError(path, f"row {i}: empty formulation_id or canonical")
        if row.category not in CATEGORIES:
            raise InputError(path, f"row {i} ({row.formulation_id}): category {row.category!r} not in {CATEGORIES}")
        if row.coined_by not in COINED_BY:
            raise InputError(path, f"row {i} ({row.formulation_id}): coined_by {row.coined_by!r} not in {COINED_BY}")
        for column in ("variants", "abbreviations", *(("exclude",) if "exclude" in lex.columns else ())):
            for pattern in split_patterns(getattr(row, column)):
                _compile(path, i, row.formulation_id, column, pattern)
    return lex


@lru_cache(maxsize=4)
def lexicon(raw_dir: Path = DATA_RAW) -> pd.DataFrame:
    """The lexicon of a raw folder, read once (for the raw-folder tokenizer of notebooks and tests)."""
    return read_lexicon(raw_dir / "lexicon" / "formulations.csv")


def read_glossary(path: Path) -> pd.DataFrame:
    """Unit glossary (data/raw/glossary/units.csv): term, English gloss and `same_as`, the full name an
    abbreviation stands for (empty for a full name), which must itself be a term."""
    table = read_input_csv(path, ("term", "english"), "term", "unit glossary")
    if "same_as" not in table.columns:
        table["same_as"] = ""
    unknown = sorted(set(table["same_as"]) - set(table["term"]) - {""})
    if unknown:
        raise InputError(path, f"same_as names a unit that is not a term: {unknown[0]!r}")
    return table[list(GLOSSARY_COLUMNS)]


GLOSSARY_COLUMNS = ("term", "english", "same_as")


def read_userdict(path: Path) -> list[str]:
    """Terms of the jieba user dictionary (first field of each non-comment line)."""
    if not path.exists():
        return []
    return [line.split()[0] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=4)
def tokenizer(raw_dir: Path = DATA_RAW) -> Tokenizer:
    """The project tokenizer of a raw folder (for notebooks and tests; the build uses `Inputs.tokenizer`)."""
    return Tokenizer(project_terms(read_userdict(raw_dir / "lexicon" / "userdict.txt"), lexicon(raw_dir),
                                   read_codebook(raw_dir)))


def tokenize(text: str, raw_dir: Path = DATA_RAW) -> list[str]:
    """Words of `text` (punctuation dropped), project terms kept whole."""
    return tokenizer(raw_dir).tokens(text)


# ------------------------------------------------------------- hand annotations
ANNOTATIONS = ("priority_domains_handcoded", "achievements_handcoded", "formulation_counts_handcoded",
               "central_formulations_handcoded", "attributions_handcoded", "attributions_central",
               "attributions_provincial_a", "attributions_provincial_b")


def read_annotation(name: str, path: Path) -> pd.DataFrame:
    """A hand-coded table, checked against its schema (empty text cells as empty strings)."""
    from tifa.schemas import validate

    try:
        table = validate(name, pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"))
    except InputError as exc:
        raise InputError(path, exc.problem) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(path, f"not a well-formed UTF-8 CSV: {exc}") from None
    text_columns = table.select_dtypes(include=["object", "string"]).columns
    return table.fillna({c: "" for c in text_columns})


def read_annotations(folder: Path, doc_ids: set[str]) -> dict[str, pd.DataFrame]:
    """Every hand-coded table present, restricted to no document outside the corpus.

    A file that shares no doc_id with the corpus is refused: validating against it
    would silently score nothing.
    """
    found = {}
    for name in ANNOTATIONS:
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        table = read_annotation(name, path)
        if "doc_level" in table.columns:  # sentences of documents outside the corpus, with their own tier
            found[name] = table
            continue
        if len(table) and not set(table["doc_id"]) & doc_ids:
            raise InputError(path, "no doc_id in common with the corpus; remove the file or code these documents")
        found[name] = table[table["doc_id"].isin(doc_ids)].reset_index(drop=True)
    return found


# ------------------------------------------------------------------ the bundle
@dataclass
class Inputs:
    """Everything in `data/raw/`, read and validated once; stages take this, not paths."""

    raw_dir: Path
    documents: list[Document]
    lexicon: pd.DataFrame
    codebook: pd.DataFrame
    glossary: pd.DataFrame
    userdict: list[str]
    annotations: dict[str, pd.DataFrame]

    @property
    def metadata(self) -> pd.DataFrame:
        return pd.DataFrame([d.meta for d in self.documents])

    @cached_property
    def tokenizer(self):
        """jieba with the project terms kept whole (built once, on first use)."""
        return Tokenizer(project_terms(self.userdict, self.lexicon, self.codebook))


def inputs(raw_dir: Path = DATA_RAW, encoding: str | None = None) -> Inputs:
    """Read and validate every input under `raw_dir`."""
    documents = load_corpus(raw_dir, encoding)
    lexicon_path = raw_dir / "lexicon" / "formulations.csv"
    empty_lexicon = pd.DataFrame(columns=list(LEXICON_COLUMNS))
    return Inputs(
        raw_dir=raw_dir,
        documents=documents,
        lexicon=read_lexicon(lexicon_path) if lexicon_path.exists() else empty_lexicon,
        codebook=read_codebook(raw_dir),
        glossary=read_glossary(raw_dir / "glossary" / "units.csv") if (raw_dir / "glossary" / "units.csv").exists()
        else pd.DataFrame(columns=list(GLOSSARY_COLUMNS)),
        userdict=read_userdict(raw_dir / "lexicon" / "userdict.txt"),
        annotations=read_annotations(raw_dir / "annotations", {d.doc_id for d in documents}),
    )
