"""Shared fixtures: a private copy of data/raw, and one build of the seeds per test session."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from tifa.config import DATA_RAW
from tifa.inputs.load import load_corpus, sha256_of
from tifa.pipeline import build, process_document


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of data/raw to break in tests."""
    target = tmp_path / "raw"
    shutil.copytree(DATA_RAW, target)
    return target


def add_document(raw: Path, doc_id: str, data: bytes, level: str = "district", sha: bool = True) -> Path:
    """Drop a text file and its metadata row into a raw folder (the documented way to add a document)."""
    path = raw / "documents" / f"{doc_id}.txt"
    path.write_bytes(data)
    meta = pd.read_csv(raw / "metadata.csv", dtype=str, keep_default_na=False)
    row = {c: "x" for c in meta.columns}
    row.update(doc_id=doc_id, source_file=f"{doc_id}.txt", sha256=sha256_of(path) if sha else "", level=level,
               year="2023", date="2023", genre="work_plan")
    pd.concat([meta, pd.DataFrame([row])]).to_csv(raw / "metadata.csv", index=False)
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """Every table, built from data/raw into a temporary folder."""
    out = tmp_path_factory.mktemp("processed")
    tables = build(DATA_RAW, out, progress=False)
    tables["_out"] = out
    return tables


def built_case_sample(tmp_path_factory, name: str) -> Path:
    """A real case's sample, built from the archive kept in the project by `tifa case NAME --sample`'s code."""
    import importlib

    case = importlib.import_module(f"tifa.cases.{name}")
    out = tmp_path_factory.mktemp(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        case.build_case(out, sample=True, progress=False)
    return out


@pytest.fixture(scope="session")
def gwr2026_sample(tmp_path_factory):
    """The 2026 work-report case, six provinces."""
    return built_case_sample(tmp_path_factory, "gwr2026")


@pytest.fixture(scope="session")
def legislation_sample(tmp_path_factory):
    """The legislation case's sample (the 优化营商环境条例 chain and market-regulation statutes)."""
    return built_case_sample(tmp_path_factory, "legislation")


@pytest.fixture(scope="session")
def processed():
    """ProcessedDocument per seed, keyed by doc_id."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {d.doc_id: process_document(d) for d in load_corpus(DATA_RAW)}
