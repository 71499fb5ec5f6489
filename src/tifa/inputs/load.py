"""Load stage: read and validate every input once, and refuse anything doubtful.

`inputs(raw_dir)` is the only place that reads `data/raw/`: documents, metadata,
lexicon, codebook, glossary, user dictionary and hand annotations arrive in one
`Inputs` bundle, and the later stages receive data, not paths. Every check raises
`InputError` naming the file, because a silently dropped or mis-decoded input
would change every downstream share and count.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import warnings
from dataclasses import dataclass, field
from datetime import date as date_type
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from tifa.config import DATA_RAW, level_rank
from tifa.errors import InputError
from tifa.inputs.ids import check_doc_id
from tifa.text.tokens import Tokenizer, project_terms

METADATA_COLUMNS = (
    "doc_id", "source_file", "sha256", "level", "province", "region", "region_evidence", "year",
    "year_evidence", "date", "date_evidence", "genre", "issuer", "issuer_evidence", "title",
)
# A date is as precise as the text allows: a year, a month or a day.
DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def real_day(year: int, month: int, day: int) -> bool:
    """Whether the day exists (2023-02-30 does not)."""
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def check_encoding(encoding: str | None, where: str = "--encoding") -> str | None:
    """The codec's name if Python knows it; else InputError naming the option and the encoding."""
    if encoding is None:
        return None
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(where, f"unknown encoding {encoding!r}; Chinese text is usually utf-8 or gb18030 "
                                "(a superset of gbk and gb2312)") from None
    return encoding


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

    @property
    def date_low(self) -> str:
        """Earliest day the document can date from (YYYY-MM-DD; document_dates.csv or the metadata date)."""
        return self.meta.get("date_low") or metadata_interval(self.date)[0]

    @property
    def date_high(self) -> str:
        """Latest day the document can date from."""
        return self.meta.get("date_high") or metadata_interval(self.date)[1]


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
    repeated = table[id_column][table[id_column].duplicated()] if id_column in table.columns else ()
    if len(repeated):
        raise InputError(path, f"duplicate {id_column} {repeated.iloc[0]!r} (row {int(repeated.index[0]) + 2})")
    return table


@lru_cache(maxsize=4)
def read_codebook(raw_dir: Path = DATA_RAW) -> pd.DataFrame:
    """The policy-domain codebook (data/raw/codebook/domains.csv)."""
    path = raw_dir / "codebook" / "domains.csv"
    book = read_checked(path, "domains", "domain", "policy-domain codebook")
    if book.empty:
        raise InputError(path, "the codebook has no domains (only a header): every priority would be coded 'other'")
    return book


def read_checked(path: Path, schema: str, id_column: str, what: str) -> pd.DataFrame:
    """An input table read as strings and checked against the schema `schema` of tifa.schemas, the one
    the data dictionary documents: unknown or missing columns and bad values are named with the file."""
    from tifa.schemas import validate_input

    table = read_input_csv(path, (), id_column if id_column else "", what)
    validate_input(schema, table, path, id_column)
    return table


def read_metadata(path: Path) -> pd.DataFrame:
    """Read and validate `metadata.csv` (one row per document): the id rule and the date checks here,
    columns and controlled values by the `metadata` schema of tifa.schemas (the data dictionary's)."""
    from tifa.schemas import validate_input

    meta = read_input_csv(path, METADATA_COLUMNS, "doc_id", "metadata file")
    for i, row in enumerate(meta.to_dict("records"), start=2):
        if not row["doc_id"]:
            raise InputError(path, f"row {i} has an empty doc_id")
        check_doc_id(row["doc_id"], f"{path} (row {i})")
        where = f"{path} (doc_id {row['doc_id']!r})"
        if row["sha256"] and not SHA256.fullmatch(row["sha256"]):
            raise InputError(where, f"sha256 must be 64 hexadecimal digits, got {row['sha256']!r}")
        if not row["year"].isdigit():
            raise InputError(where, f"year must be a four-digit number, got {row['year']!r}")
        date = DATE.match(row["date"])
        if not date:
            raise InputError(where, f"date must be YYYY, YYYY-MM or YYYY-MM-DD, got {row['date']!r}")
        if date.group(1) != row["year"]:
            raise InputError(where, f"date {row['date']!r} does not fall in year {row['year']}")
        if date.group(3) and not real_day(*map(int, date.groups())):
            raise InputError(where, f"date {row['date']!r} does not exist")
    validate_input("metadata", meta, path, "doc_id")
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
    if not INVISIBLE.sub("", text):
        raise InputError(path, "empty file (no text after removing whitespace and zero-width characters)")
    if "\x00" in text:
        raise InputError(path, f"holds NUL characters (first at character {text.index(chr(0))}): a binary or UTF-16 "
                               "file? Save it as UTF-8 text")
    return text


INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")


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
    for stem, path in files.items():
        check_doc_id(stem, path)
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
        elif row["sha256"].lower() != actual:
            raise InputError(path, f"checksum changed: metadata.csv has {row['sha256']}, file is {actual}")
        documents.append(Document(row["doc_id"], path, decode(path, encoding), row))
    with_intervals(documents, read_document_dates(raw_dir / "document_dates.csv", meta))
    return sorted(documents, key=lambda d: (level_rank(d.level), d.date, d.doc_id))


# ------------------------------------------------------------ dates as intervals
DATE_INTERVAL_COLUMNS = ("doc_id", "date_low", "date_high", "evidence")


def metadata_interval(date: str) -> tuple[str, str]:
    """The first and last day a metadata date (YYYY, YYYY-MM or YYYY-MM-DD) can stand for, as YYYY-MM-DD."""
    from tifa.stages.central import date_range

    first, last = date_range(date)
    return first.isoformat(), last.isoformat()


def read_document_dates(path: Path, meta: pd.DataFrame) -> dict[str, tuple[str, str, str]]:
    """`document_dates.csv` (doc_id, date_low, date_high, evidence), checked against its schema and the
    metadata: low <= high, and an interval that overlaps the metadata date's span (a document dated
    2022 cannot be pinned to 2023; one dated 2022-01 may begin in late December). Without the file (a user's corpus) every interval comes from the
    metadata date; a document without a row gets its metadata interval, and a row of a doc_id not in
    metadata.csv is ignored, each with a warning naming the file."""
    from tifa.schemas import validate

    if not path.exists():
        return {}
    table = read_input_csv(path, DATE_INTERVAL_COLUMNS, "doc_id", "document dates file")
    try:
        table = validate("document_dates", table)
    except InputError as exc:
        raise InputError(path, exc.problem) from None
    known = dict(zip(meta["doc_id"], meta["date"]))
    unknown = sorted(set(table["doc_id"]) - set(known))
    if unknown:  # a document taken out of the corpus, or a misspelt id (its document then has no row: warned below)
        warnings.warn(f"{path}: rows for {len(unknown)} doc_id(s) not in metadata.csv ignored "
                      f"({', '.join(unknown[:3])}{' …' if len(unknown) > 3 else ''})", stacklevel=2)
    intervals = {}
    for row in table[table["doc_id"].isin(known)].itertuples(index=False):
        where = f"{path} (doc_id {row.doc_id!r})"
        if row.date_low > row.date_high:
            raise InputError(where, f"date_low {row.date_low} is after date_high {row.date_high}")
        span_low, span_high = metadata_interval(known[row.doc_id])
        if row.date_high < span_low or row.date_low > span_high:
            raise InputError(where, f"interval {row.date_low}..{row.date_high} lies outside the metadata date "
                                    f"{known[row.doc_id]!r} ({span_low}..{span_high})")
        intervals[row.doc_id] = (row.date_low, row.date_high, row.evidence)
    missing = sorted(set(known) - set(intervals))
    if missing:
        warnings.warn(f"{path}: no row for {len(missing)} document(s) ({', '.join(missing[:3])}"
                      f"{' …' if len(missing) > 3 else ''}): their interval is the metadata date's", stacklevel=2)
    return intervals


def with_intervals(documents: list[Document], intervals: dict[str, tuple[str, str, str]]) -> None:
    """Put date_low, date_high and date_interval_evidence into each document's metadata row."""
    for doc in documents:
        if doc.doc_id in intervals:
            low, high, evidence = intervals[doc.doc_id]
        else:
            low, high = metadata_interval(doc.meta["date"])
            evidence = f"metadata date {doc.meta['date']} (no row in document_dates.csv)"
        doc.meta.update(date_low=low, date_high=high, date_interval_evidence=evidence)


# ------------------------------------------------------------ background texts
@dataclass(frozen=True)
class BackgroundText:
    """An official text that measures how formulaic a passage is, never a source (data/raw/background/)."""

    text_id: str  # <file stem>:<row number from 1>
    title: str
    date_low: str  # YYYY-MM-DD, or "" when the text carries no date
    date_high: str
    text: str  # as received (cleaned by the central stage, as the central texts are)


BACKGROUND_DAY = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
BACKGROUND_YEAR = re.compile(r"(\d{4})年")


def background_interval(year, head: str) -> tuple[str, str]:
    """A background text's dates: its `year` field (the whole year), else the first full date in its
    opening lines (a report's delivery or a resolution's adoption), else the first year there."""
    if year not in (None, ""):
        return f"{int(year):04d}-01-01", f"{int(year):04d}-12-31"
    day = BACKGROUND_DAY.search(head)
    if day:
        y, m, d = (int(g) for g in day.groups())
        try:
            stamp = date_type(y, m, d).isoformat()
            return stamp, stamp
        except ValueError:
            pass
    found = BACKGROUND_YEAR.search(head)
    return (f"{found.group(1)}-01-01", f"{found.group(1)}-12-31") if found else ("", "")


def read_background(folder: Path) -> list[BackgroundText]:
    """Every text of `folder/*.jsonl.xz` (rows with `title` and `content`), each file checked against the
    SHA-256 recorded in `folder/sources.csv`. No folder: no background."""
    import json
    import lzma

    if not folder.is_dir():
        return []
    sources = read_input_csv(folder / "sources.csv", ("file", "sha256_uncompressed"), "file", "background sources list")
    expected = dict(zip(sources["file"], sources["sha256_uncompressed"]))
    texts = []
    for path in sorted(folder.glob("*.jsonl.xz")):
        if path.name not in expected:
            raise InputError(path, f"not listed in {folder / 'sources.csv'} (add its SHA-256 after decompression)")
        try:
            data = lzma.decompress(path.read_bytes())
        except lzma.LZMAError as exc:
            raise InputError(path, f"not a valid xz file: {exc}") from None
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected[path.name].lower():
            raise InputError(path, f"checksum changed: sources.csv has {expected[path.name]}, the decompressed file is {actual}")
        stem = path.name.removesuffix(".jsonl.xz")
        for k, line in enumerate(data.decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                title, content = row["title"], row["content"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(path, f"line {k}: not a JSON object with title and content ({exc})") from None
            low, high = background_interval(row.get("year"), content[:300])
            texts.append(BackgroundText(f"{stem}:{k}", title, low, high, content))
    return texts


# ---------------------------------------------------------------- the lexicon
LEXICON_COLUMNS = ("formulation_id", "canonical", "variants", "abbreviations", "english", "category", "coined_by",
                   "first_date", "source", "confidence", "notes")
PATTERN_SEP = " ; "


def split_patterns(cell: str) -> list[str]:
    """The regular expressions of a ' ; '-separated lexicon cell."""
    return [p.strip() for p in cell.split(PATTERN_SEP) if p.strip()]


MIN_FORM = 2  # characters: the shortest formulation a lexicon row may find


def _compile(path: Path, row_no: int, fid: str, column: str, pattern: str, check_length: bool = True) -> re.Pattern:
    """A lexicon pattern, refused when malformed, when it can match nothing (the empty string, at any
    position: `(?=的)` matches nothing before every 的) or, for patterns that find hits, when it can
    match fewer than MIN_FORM characters."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise InputError(path, f"row {row_no} ({fid}): {column} pattern {pattern!r} is malformed: {exc}") from None
    shortest = shortest_match(compiled)
    if shortest == 0:
        raise InputError(path, f"row {row_no} ({fid}): {column} pattern {pattern!r} matches the empty string")
    if check_length and shortest is not None and shortest < MIN_FORM:
        raise InputError(path, f"row {row_no} ({fid}): {column} pattern {pattern!r} can match {shortest} character, "
                               f"fewer than {MIN_FORM}")
    return compiled


def shortest_match(compiled: re.Pattern) -> int | None:
    """The fewest characters the pattern can match, from its parse tree (None when it cannot tell:
    back-references and the like). Lookarounds match zero characters, so `(?=的)` gives 0."""
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse
    try:
        return _min_width(sre_parse.parse(compiled.pattern, compiled.flags))
    except (re.error, TypeError, ValueError, KeyError):
        return None


def _min_width(parsed) -> int:
    """Minimum width of a parsed pattern (`re._parser.SubPattern`)."""
    from re import _constants as c

    total = 0
    for op, arg in parsed:
        if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN, c.CATEGORY):
            total += 1
        elif op == c.SUBPATTERN:
            total += _min_width(arg[-1])
        elif op == c.BRANCH:
            total += min(_min_width(branch) for branch in arg[1])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, _, item = arg
            total += low * _min_width(item)
        elif op == getattr(c, "ATOMIC_GROUP", None):
            total += _min_width(arg)
        elif op == c.GROUPREF:
            raise ValueError("back-reference")
        # AT (anchors), ASSERT, ASSERT_NOT (lookarounds): zero width
    return total


def read_lexicon(path: Path) -> pd.DataFrame:
    """Read and check the formulation lexicon; stop naming the row on any problem."""
    lex = read_checked(path, "formulations", "formulation_id", "formulation lexicon")
    if lex.empty:
        raise InputError(path, "the lexicon has no formulations (only a header): nothing to count")
    for i, row in enumerate(lex.itertuples(), start=2):  # row 1 is the header
        if not row.formulation_id or not row.canonical:
            raise InputError(path, f"row {i}: empty formulation_id or canonical")
        if len(row.canonical) < MIN_FORM:
            raise InputError(path, f"row {i} ({row.formulation_id}): canonical {row.canonical!r} is shorter than "
                                   f"{MIN_FORM} characters (a single character such as 的 matches almost everywhere)")
        for column in ("variants", "abbreviations", *(("exclude",) if "exclude" in lex.columns else ())):
            for pattern in split_patterns(getattr(row, column)):
                _compile(path, i, row.formulation_id, column, pattern, check_length=column != "exclude")
    return lex


@lru_cache(maxsize=4)
def lexicon(raw_dir: Path = DATA_RAW) -> pd.DataFrame:
    """The lexicon of a raw folder, read once (for the raw-folder tokenizer of notebooks and tests)."""
    return read_lexicon(raw_dir / "lexicon" / "formulations.csv")


def read_glossary(path: Path) -> pd.DataFrame:
    """Unit glossary (data/raw/glossary/units.csv), checked against its schema: term, English gloss and
    `same_as`, the full name an abbreviation stands for (empty for a full name), which must itself be a term."""
    table = read_checked(path, "units", "term", "unit glossary")
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
               "attributions_provincial_a", "attributions_provincial_b", "attributions_provincial_b2", "attributions_provincial_c",
               "attributions_provincial_d", "attributions_provincial_f", "hit_credit_coded")


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
    if found:
        found["coders"] = read_coders(folder, found)
    return found


def read_coders(folder: Path, codings: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """`coders.csv`: who made each coding and each round of it (a person, or a language-model coder given
    only the protocol). Every validation figure names its coder from here, so a coding without a row stops."""
    path = folder / "coders.csv"
    if not path.exists():
        raise InputError(path, "not found: every blind coding needs a row saying who coded it "
                               "(annotation, round, coder_id, coder = person or language-model coder (protocol only), readme, evidence)")
    coders = read_annotation("coders", path)
    known = set(zip(coders["annotation"], coders["round"].astype(int)))
    for name, table in codings.items():
        rounds = sorted(set(table["round"].astype(int))) if "round" in table.columns else [1]
        missing = [r for r in rounds if (name, r) not in known]
        if missing:
            raise InputError(path, f"no coder recorded for {name} round {missing[0]}: add a row saying who coded it")
    return coders


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
    background: list[BackgroundText] = field(default_factory=list)
    terms: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["term", "english"]))

    @property
    def metadata(self) -> pd.DataFrame:
        return pd.DataFrame([d.meta for d in self.documents])

    @cached_property
    def tokenizer(self):
        """jieba with the project terms kept whole (built once, on first use)."""
        return Tokenizer(project_terms(self.userdict, self.lexicon, self.codebook))


def inputs(raw_dir: Path = DATA_RAW, encoding: str | None = None) -> Inputs:
    """Read and validate every input under `raw_dir`."""
    documents = load_corpus(raw_dir, check_encoding(encoding))
    return Inputs(
        raw_dir=raw_dir,
        documents=documents,
        lexicon=read_lexicon(raw_dir / "lexicon" / "formulations.csv"),
        codebook=read_codebook(raw_dir),
        glossary=read_glossary(raw_dir / "glossary" / "units.csv") if (raw_dir / "glossary" / "units.csv").exists()
        else pd.DataFrame(columns=list(GLOSSARY_COLUMNS)),
        userdict=read_userdict(raw_dir / "lexicon" / "userdict.txt"),
        annotations=read_annotations(raw_dir / "annotations", {d.doc_id for d in documents}),
        background=read_background(raw_dir / "background"),
        terms=read_checked(raw_dir / "glossary" / "terms.csv", "glossary_terms", "term", "glossary of common words")
        if (raw_dir / "glossary" / "terms.csv").exists() else pd.DataFrame(columns=["term", "english"]),
    )
