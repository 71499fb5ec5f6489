"""Build: a pure function per document, then corpus-level joins and tables.

`process_document` touches no files and no global state, so a large corpus can
be mapped over it in parallel (e.g. with multiprocessing or dask) before the
corpus stages run. `build` writes every table to `out_dir`, deterministically.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from tifa.config import DATA_PROCESSED, DATA_RAW
from tifa.errors import InputError
from tifa.load import Document, Inputs, inputs
from tifa.normalise import count_mask_chars, mask_spans, normalise_with_report
from tifa.structure import paragraphs, structure


@dataclass
class ProcessedDocument:
    doc: Document
    text: str  # normalised
    cleaning: dict[str, int]
    outline: pd.DataFrame
    sentences: pd.DataFrame


def process_document(doc: Document) -> ProcessedDocument:
    """Normalise and structure one document: the per-document, parallelisable step."""
    text, cleaning = normalise_with_report(doc.text)
    outline, sentences = structure(doc.doc_id, text, source=str(doc.path))
    return ProcessedDocument(doc, text, cleaning, outline, sentences)


def document_row(p: ProcessedDocument) -> dict:
    nonspace = "".join(p.text.split())
    return {
        **{k: v for k, v in p.doc.meta.items()},
        "n_chars": len(nonspace),
        "n_han_chars": sum("\u4e00" <= c <= "\u9fff" for c in nonspace),
        "n_paragraphs": len(paragraphs(p.text)),
        "n_sentences": len(p.sentences),
        "n_outline_nodes": len(p.outline),
        "n_masked_chars": count_mask_chars(p.text),
        "n_masked_spans": len(mask_spans(p.text)),
        "n_masked_sentences": int(p.sentences["masked"].sum()),
    }


def cleaning_rows(p: ProcessedDocument) -> list[dict]:
    return [{"doc_id": p.doc.doc_id, "rule": rule, "n_changes": n} for rule, n in p.cleaning.items()]


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8, LF, no index, floats to 10 significant digits: byte-stable output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.10g")


def corpus_tables(processed: list[ProcessedDocument], inputs: Inputs) -> dict[str, pd.DataFrame]:
    """Every table of `data/processed/`, keyed by file stem."""
    from tifa import central, extract, frames, reuse, stats, validate, validate_framing  # imported here: later stages

    tables = {
        "documents": pd.DataFrame([document_row(p) for p in processed]),
        "cleaning": pd.DataFrame([r for p in processed for r in cleaning_rows(p)]),
        "outline": pd.concat([p.outline for p in processed], ignore_index=True),
        "sentences": pd.concat([p.sentences for p in processed], ignore_index=True),
    }
    tables.update(extract.tables(processed, inputs))
    tables.update(frames.tables(processed, inputs))
    tables.update(central.tables(processed, tables))
    tables.update(reuse.tables(processed))
    tables.update(stats.tables(tables, inputs))
    tables.update(validate.tables(tables, inputs.annotations, inputs.codebook["domain"].tolist()))
    tables.update(validate_framing.tables(tables, inputs.annotations, inputs.lexicon))
    return with_every_table(tables)


def with_every_table(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Add an empty, correctly headed table for each one a corpus cannot fill.

    A corpus without hand coding has no validation tables; writing them empty keeps the
    set of files the same for every corpus, so scripts reading them do not break.
    """
    from tifa.schemas import TABLES

    for name, t in TABLES.items():
        if t.where == "processed" and name not in tables:
            tables[name] = pd.DataFrame(columns=list(t.schema.columns))
    return tables


def is_previous_build(folder: Path) -> bool:
    """A folder holding only what `build` writes (tables, normalised texts), or nothing."""
    return all(p.suffix in BUILD_SUFFIXES or (p.is_dir() and p.name in BUILD_FOLDERS) for p in folder.iterdir())


BUILD_SUFFIXES = {".csv", ".parquet"}
BUILD_FOLDERS = {"normalized", "parquet"}


def check_out_dir(out_dir: Path, force: bool = False) -> None:
    """Refuse an output that is a file, or a folder holding something other than a previous build."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(out_dir, "--out is a file, not a folder")
    if out_dir.is_dir() and not force and not is_previous_build(out_dir):
        raise InputError(out_dir, "--out holds files that are not a previous build; choose another folder or pass --force")


def write_tables(tables: dict[str, pd.DataFrame], processed: list[ProcessedDocument], out_dir: Path) -> None:
    """Validate every table, write them into a temporary folder beside `out_dir`, then swap it in.

    A failed build therefore leaves the previous outputs untouched.
    """
    from tifa.schemas import validate

    for name, df in tables.items():
        validate(name, df)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    try:
        (staging / "normalized").mkdir()
        for p in processed:
            (staging / "normalized" / f"{p.doc.doc_id}.txt").write_text(p.text, encoding="utf-8", newline="\n")
        for name, df in tables.items():
            write_csv(df, staging / f"{name}.csv")
        staging.chmod(0o755)
        if out_dir.exists():
            retired = out_dir.with_name(f".{out_dir.name}.previous")
            shutil.rmtree(retired, ignore_errors=True)
            out_dir.rename(retired)
            staging.rename(out_dir)
            shutil.rmtree(retired)
        else:
            staging.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build(raw_dir: Path = DATA_RAW, out_dir: Path = DATA_PROCESSED, encoding: str | None = None,
          progress: bool = True, force: bool = False) -> dict[str, pd.DataFrame]:
    """Run the whole pipeline from `raw_dir` into `out_dir` and return the tables."""
    check_out_dir(out_dir, force)
    bundle = inputs(raw_dir, encoding)
    processed = [process_document(d) for d in tqdm(bundle.documents, desc="documents", disable=not progress)]
    tables = corpus_tables(processed, bundle)
    write_tables(tables, processed, out_dir)
    return tables


def load_tables(out_dir: Path = DATA_PROCESSED) -> dict[str, pd.DataFrame]:
    """Read back every processed table (for notebooks, figures and reports)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            p.stem: pd.read_csv(p, encoding="utf-8", keep_default_na=False, na_values=[""])
            for p in sorted(out_dir.glob("*.csv"))
        }
