"""Build: a pure function per document, then corpus-level joins and tables.

`process_document` touches no files and no global state, so a large corpus can
be mapped over it in parallel (e.g. with multiprocessing or dask) before the
corpus stages run. `build` writes every table to `out_dir`, deterministically.
"""

from __future__ import annotations

import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from tifa.config import DATA_PROCESSED, DATA_RAW
from tifa.load import Document, load_corpus
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


def corpus_tables(processed: list[ProcessedDocument], raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of `data/processed/`, keyed by file stem."""
    from tifa import extract, frames, reuse, stats  # imported here: later stages

    tables = {
        "documents": pd.DataFrame([document_row(p) for p in processed]),
        "cleaning": pd.DataFrame([r for p in processed for r in cleaning_rows(p)]),
        "outline": pd.concat([p.outline for p in processed], ignore_index=True),
        "sentences": pd.concat([p.sentences for p in processed], ignore_index=True),
    }
    tables.update(extract.tables(processed, raw_dir))
    tables.update(frames.tables(processed, raw_dir))
    tables.update(reuse.tables(processed))
    tables.update(stats.tables(tables, raw_dir))
    return tables


def build(raw_dir: Path = DATA_RAW, out_dir: Path = DATA_PROCESSED, encoding: str | None = None,
          progress: bool = True) -> dict[str, pd.DataFrame]:
    """Run the whole pipeline from `raw_dir` into `out_dir` and return the tables."""
    from tifa.schemas import validate

    documents = load_corpus(raw_dir, encoding)
    processed = [process_document(d) for d in tqdm(documents, desc="documents", disable=not progress)]
    tables = corpus_tables(processed, raw_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    normalized_dir = out_dir / "normalized"
    if normalized_dir.exists():
        shutil.rmtree(normalized_dir)
    normalized_dir.mkdir()
    for p in processed:
        (normalized_dir / f"{p.doc.doc_id}.txt").write_text(p.text, encoding="utf-8", newline="\n")
    for name, df in tables.items():
        validate(name, df)
        write_csv(df, out_dir / f"{name}.csv")
    return tables


def load_tables(out_dir: Path = DATA_PROCESSED) -> dict[str, pd.DataFrame]:
    """Read back every processed table (for notebooks, figures and reports)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            p.stem: pd.read_csv(p, encoding="utf-8", keep_default_na=False, na_values=[""])
            for p in sorted(out_dir.glob("*.csv"))
        }
