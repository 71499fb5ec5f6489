"""Import stage: a scraped or exported collection (CSV, JSONL, XLSX) -> `documents/` + `metadata.csv`.

Collections arrive as tables, one row per document (a government site scraped into a
CSV per department: title, date, body, category, URL). `import_table` maps columns onto
the metadata format of `data/raw/metadata.csv`, writes each body to
`documents/<doc_id>.txt` with its SHA-256, and records where every row came from
(`source_file` = "<file> row <n>", plus the URL when one is mapped). Doc ids are stable:
the slug of an id column, else a hash of the row's title, date and text, so importing
the same file twice gives the same ids. Nothing is written unless every row is
accepted: an empty body or a document already present stops with `InputError`
naming the file and row.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tifa.config import DATA_RAW, GENRES, LEVELS
from tifa.errors import InputError
from tifa.inputs.ids import MAX_LENGTH, check_doc_id
from tifa.inputs.load import METADATA_COLUMNS, check_encoding, real_day

# The inputs every build needs besides the documents; a new collection starts with the project's own (the
# background collection of official texts tells formulaic from distinctive reuse; it is never a source).
SHARED_INPUTS = ("lexicon", "codebook", "glossary", "background")
DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"),  # 2023-04-27, 2023年4月27日, 2023/4/27
    re.compile(r"(\d{4})(\d{2})(\d{2})(?!\d)"),  # 20230427
    re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?!\d)"),  # 2023-04, 2023年4月
    re.compile(r"(?<![\d/.-])(\d{4})(?![\d/.-])"),  # 2023, 2023年 (not the year of 27/04/2023)
)
# 27/04/2023, 04/27/2023, 27.4.2023: day or month first, which cannot be told apart in general
DAY_FIRST = re.compile(r"(?<!\d)\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}(?!\d)")


@dataclass
class Mapping:
    """Which column holds what, and the values shared by every row."""

    text: str
    title: str | None = None
    date: str | None = None
    id: str | None = None
    url: str | None = None
    level: str | None = None
    level_column: str | None = None
    region: str | None = None
    region_column: str | None = None
    province: str = "unknown"
    province_column: str | None = None
    genre: str = "other"
    issuer: str = "unknown"
    issuer_column: str | None = None
    year: int | None = None
    prefix: str = ""

    def columns(self) -> dict[str, str]:
        named = {"--text": self.text, "--title": self.title, "--date": self.date, "--id": self.id, "--url": self.url,
                 "--level-column": self.level_column, "--region-column": self.region_column,
                 "--province-column": self.province_column, "--issuer-column": self.issuer_column}
        return {flag: column for flag, column in named.items() if column}


def read_table(path: Path, encoding: str = "utf-8-sig") -> tuple[pd.DataFrame, int]:
    """Rows as strings (missing cells empty), and the file row number of the first data row."""
    suffix = path.suffix.lower()
    check_encoding(encoding)
    if not path.exists():
        raise InputError(path, "file not found")
    try:
        if suffix == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding), 2
        if suffix in (".jsonl", ".ndjson"):
            table = pd.read_json(path, lines=True, dtype=False, encoding=encoding)
            return table.astype(object).where(table.notna(), "").astype(str), 1
        if suffix in (".xlsx", ".xlsm"):
            return read_xlsx(path), 2
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid {encoding} at byte {exc.start} (try --encoding gb18030)") from None
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(path, f"not a well-formed {suffix[1:].upper()} file: {str(exc).splitlines()[0]}") from None
    raise InputError(path, f"unknown format {suffix!r}: use .csv, .jsonl or .xlsx")


def read_xlsx(path: Path) -> pd.DataFrame:
    """The first sheet as strings. A formula cell is read by its cached value, the value Excel last
    computed; a formula saved without one (written by a script, never opened in Excel) would be read
    as an empty cell, so it is refused, naming the cell."""
    from openpyxl import load_workbook

    values = pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
    formulas = load_workbook(path, read_only=True, data_only=False).worksheets[0]
    cached = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    for row, row_cached in zip(formulas.iter_rows(), cached.iter_rows()):
        for cell, value in zip(row, row_cached):
            if cell.data_type == "f" and value.value is None:
                raise InputError(path, f"cell {cell.coordinate} holds the formula {str(cell.value)[:60]!r} without a "
                                       "computed value; open and save the file in Excel, or paste the values")
    return values


def slug(value: str) -> str:
    """ASCII slug of an id; ids with no ASCII letters or digits fall back to a short hash."""
    ascii_ = unicodedata.normalize("NFKC", value).encode("ascii", "ignore").decode().lower()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]
    if len(cleaned) > MAX_LENGTH - 30:  # room for a prefix; the hash keeps long ids apart
        cleaned = f"{cleaned[:MAX_LENGTH - 43].rstrip('-')}-{digest}"
    return cleaned or digest


def parse_date(value: str) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD from the first date-like part of a cell; None when it holds none.
    A date that does not exist (2023-02-30) or whose order is ambiguous (27/04/2023, 04/05/2023)
    raises ValueError saying so: read as a year, it would silently lose the day and the month."""
    ambiguous = DAY_FIRST.search(value)
    if ambiguous:
        raise ValueError(f"{ambiguous.group()!r} puts the year last, so day and month cannot be told apart; "
                         "write it as YYYY-MM-DD")
    for pattern in DATE_PATTERNS:
        m = pattern.search(value)
        if not m:
            continue
        parts = [int(g) for g in m.groups()]
        if len(parts) >= 2 and not 1 <= parts[1] <= 12 or len(parts) == 3 and not real_day(*parts):
            raise ValueError(f"{m.group()!r} is not a date that exists")
        return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])
    return None


def row_province(record: dict, mapping: Mapping, level: str, region: str) -> str:
    """The province of a row: its --province-column cell, the given --province, or, for a provincial
    document, its region (a provincial document's region is its province); 'unknown' otherwise."""
    if mapping.province_column:
        return str(record[mapping.province_column]).strip() or "unknown"
    if mapping.province != "unknown":
        return mapping.province
    return region if level == "provincial" and region else "unknown"


def metadata_rows(path: Path, table: pd.DataFrame, first_row: int, mapping: Mapping) -> list[tuple[dict, str]]:
    """One metadata row and body per table row; stop on the first row that cannot be imported."""
    missing = [f"{flag} {column!r}" for flag, column in mapping.columns().items() if column not in table.columns]
    if missing:
        raise InputError(path, f"no column {', '.join(missing)} (columns: {', '.join(map(str, table.columns))})")
    if (mapping.level is None) == (mapping.level_column is None):
        raise InputError(path, "give either --level or --level-column")
    if mapping.genre not in GENRES:
        raise InputError(path, f"unknown genre {mapping.genre!r}; allowed: {', '.join(GENRES)}")
    rows, seen_ids, seen_text = [], {}, {}
    for k, record in enumerate(table.to_dict("records")):
        row_no = first_row + k
        where = f"row {row_no}"
        body = str(record[mapping.text])
        if not body.strip():
            raise InputError(path, f"{where}: empty body (column {mapping.text!r})")
        title = str(record[mapping.title]).strip() if mapping.title else body.strip().splitlines()[0][:60]
        raw_date = str(record[mapping.date]).strip() if mapping.date else ""
        try:
            date = parse_date(raw_date) if raw_date else (str(mapping.year) if mapping.year else None)
        except ValueError as exc:
            raise InputError(path, f"{where}: date in column {mapping.date!r}: {exc}") from None
        if date is None:
            problem = (f"date {raw_date!r} in column {mapping.date!r} is not a date" if raw_date
                       else f"empty date cell in column {mapping.date!r} (a merged cell? give every row its date)"
                       if mapping.date else "no date (map --date or give --year)")
            raise InputError(path, f"{where}: {problem}")
        level = mapping.level if mapping.level is not None else str(record[mapping.level_column]).strip()
        if level not in LEVELS:
            raise InputError(path, f"{where}: unknown level {level!r}; allowed: {', '.join(LEVELS)}")
        region = mapping.region if mapping.region is not None else (
            str(record[mapping.region_column]).strip() if mapping.region_column else "unknown")
        province = row_province(record, mapping, level, region)
        if mapping.id:
            key = str(record[mapping.id]).strip()
            if not key:
                raise InputError(path, f"{where}: empty id (column {mapping.id!r})")
            doc_id = slug(key)
        else:
            doc_id = hashlib.sha256("\x1f".join((title, date, body)).encode("utf-8")).hexdigest()[:12]
        doc_id = check_doc_id(f"{slug(mapping.prefix)}-{doc_id}" if mapping.prefix else doc_id, f"{path} ({where})")
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        if digest in seen_text:
            raise InputError(path, f"{where}: duplicate body (same text as row {seen_text[digest]})")
        if doc_id in seen_ids:
            raise InputError(path, f"{where}: duplicate doc_id {doc_id!r} (also row {seen_ids[doc_id]})")
        seen_ids[doc_id], seen_text[digest] = row_no, row_no
        url = str(record[mapping.url]).strip() if mapping.url else ""
        issuer = (str(record[mapping.issuer_column]).strip() if mapping.issuer_column else "") or mapping.issuer
        evidence = lambda column, value: f"import: column {column} = {value}" if column else f"import: given {value}"
        rows.append(({
            "doc_id": doc_id, "source_file": f"{path.name} row {row_no}" + (f"; {url}" if url else ""),
            "sha256": digest, "level": level, "province": province, "region": region,
            "region_evidence": evidence(mapping.region_column if mapping.region is None else None, region),
            "year": date[:4], "year_evidence": evidence(mapping.date, raw_date or date),
            "date": date, "date_evidence": evidence(mapping.date, raw_date or date), "genre": mapping.genre,
            "issuer": issuer, "issuer_evidence": evidence(mapping.issuer_column, issuer) if issuer != "unknown" else "",
            "title": title,
        }, body))
    return rows


def import_table(path: Path, raw_dir: Path, mapping: Mapping, encoding: str = "utf-8-sig",
                 template: Path | None = DATA_RAW) -> list[str]:
    """Add every row of `path` to the collection in `raw_dir`; return the new doc ids.

    A new `raw_dir` receives the lexicon, codebook and glossary of `template` so that it
    builds at once. Rows already in `raw_dir` (same doc_id or same text) are refused.
    """
    table, first_row = read_table(path, encoding)
    return write_rows(path, raw_dir, metadata_rows(path, table, first_row, mapping), template)


def write_rows(path: Path, raw_dir: Path, rows: list[tuple[dict, str]], template: Path | None = DATA_RAW) -> list[str]:
    """Write accepted (metadata row, body) pairs read from `path` into `raw_dir`; return the new doc ids."""
    meta_path = raw_dir / "metadata.csv"
    existing = pd.read_csv(meta_path, dtype=str, keep_default_na=False) if meta_path.exists() else \
        pd.DataFrame(columns=list(METADATA_COLUMNS))
    known_ids, known_sha = set(existing["doc_id"]), dict(zip(existing["sha256"], existing["doc_id"]))
    for meta, _ in rows:
        where = meta["source_file"].split(";")[0].removeprefix(path.name).strip()
        if meta["doc_id"] in known_ids or (raw_dir / "documents" / f"{meta['doc_id']}.txt").exists():
            raise InputError(path, f"{where}: doc_id {meta['doc_id']!r} is already in {raw_dir}")
        if meta["sha256"] in known_sha:
            raise InputError(path, f"{where}: same text as {known_sha[meta['sha256']]!r}, already in {raw_dir}")
    (raw_dir / "documents").mkdir(parents=True, exist_ok=True)
    for folder in SHARED_INPUTS if template is not None else ():
        if not (raw_dir / folder).exists() and (template / folder).exists():
            shutil.copytree(template / folder, raw_dir / folder)
    for meta, body in rows:
        target = raw_dir / "documents" / f"{meta['doc_id']}.txt"
        target.write_bytes(body.encode("utf-8"))  # bytes as hashed: sha256 in metadata.csv matches the file
    new = pd.DataFrame([meta for meta, _ in rows], columns=list(METADATA_COLUMNS))
    merged = pd.concat([existing, new], ignore_index=True)
    merged[[c for c in merged.columns if c in METADATA_COLUMNS] + [c for c in merged.columns if c not in METADATA_COLUMNS]] \
        .to_csv(meta_path, index=False, encoding="utf-8", lineterminator="\n")
    return list(new["doc_id"])
