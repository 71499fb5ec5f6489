"""Load stage: read metadata and raw documents, and refuse anything doubtful.

Every check raises `InputError` naming the file, because a silently dropped or
mis-decoded document would change every downstream share and count.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tifa.config import DATA_RAW, GENRES, LEVELS, level_rank
from tifa.errors import InputError

METADATA_COLUMNS = (
    "doc_id", "source_file", "sha256", "level", "province", "region", "region_evidence", "year",
    "year_evidence", "genre", "issuer", "issuer_evidence", "title",
)


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


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_input_csv(path: Path, required: tuple[str, ...], id_column: str, what: str) -> pd.DataFrame:
    """Read a hand-written input table as strings; stop on a missing file, missing columns or a repeated id."""
    if not path.exists():
        raise InputError(path, f"{what} not found")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
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

    Returns documents ordered provincial -> municipal -> district, then by year.
    """
    doc_dir = raw_dir / "documents"
    meta_path = raw_dir / "metadata.csv"
    meta = read_metadata(meta_path)
    if not doc_dir.is_dir():
        raise InputError(doc_dir, "documents folder not found")
    files = {p.stem: p for p in sorted(doc_dir.glob("*.txt"))}
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
    return sorted(documents, key=lambda d: (level_rank(d.level), d.year, d.doc_id))
