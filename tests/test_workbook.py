"""The spreadsheet for Excel users: one sheet per processed table plus a README sheet, Chinese intact."""

import hashlib

import openpyxl
import pandas as pd
import pytest

from tifa.config import DATA_PROCESSED
from tifa.pipeline import load_tables
from tifa.outputs.report import write_workbook


@pytest.fixture(scope="module")
def tables():
    return load_tables(DATA_PROCESSED)


def test_every_table_is_a_sheet_with_its_rows(tables, tmp_path):
    path = write_workbook(tables, tmp_path / "tables.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames[0] == "README"
    assert {name[:31] for name in tables} == set(book.sheetnames[1:])  # the label tables (lexicon, codebook, glossaries) among them
    for name in ("documents", "central_reuse", "frame_hits"):
        sheet = pd.read_excel(path, sheet_name=name[:31])
        assert len(sheet) == len(tables[name]) and list(sheet.columns) == list(tables[name].columns), name
    readme = pd.read_excel(path, sheet_name="README").fillna("")
    assert {"doc_id", "source_doc_id", "local_text"} <= set(readme.loc[readme["table"] == "central_reuse", "column"])
    passages = pd.read_excel(path, sheet_name="central_reuse")
    assert passages["local_text"].str.contains("[\u4e00-\u9fff]").all()  # Chinese read back intact


def test_workbook_is_byte_identical_across_runs(tables, tmp_path):
    first = write_workbook(tables, tmp_path / "a.xlsx").read_bytes()
    second = write_workbook(tables, tmp_path / "b.xlsx").read_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_workbook_carries_no_time_of_writing(tables, tmp_path):
    import zipfile

    with zipfile.ZipFile(write_workbook(tables, tmp_path / "c.xlsx")) as z:
        core = z.read("docProps/core.xml").decode()
        assert all(info.date_time == (2000, 1, 1, 0, 0, 0) for info in z.infolist())
    assert "<dcterms:modified" in core and "2000-01-01T00:00:00Z</dcterms:modified>" in core


def test_lexicon_and_codebook_are_sheets_with_every_row(tables, tmp_path):
    from tifa.config import DATA_RAW

    path = write_workbook(tables, tmp_path / "inputs.xlsx")
    for sheet, relative in (("lexicon", "lexicon/formulations.csv"), ("codebook", "codebook/domains.csv")):
        source = pd.read_csv(DATA_RAW / relative, dtype=str, keep_default_na=False)
        read = pd.read_excel(path, sheet_name=sheet, dtype=str).fillna("")
        assert list(read.columns) == list(source.columns) and len(read) == len(source), sheet
        assert read.iloc[:, 1].tolist() == source.iloc[:, 1].tolist()  # canonical forms / Chinese labels intact
    readme = pd.read_excel(path, sheet_name="README").fillna("")
    assert readme.loc[readme["table"] == "lexicon", "meaning"].str.contains("formulations.csv").any()


def test_each_built_case_is_a_sheet_described_in_the_readme(tables, gwr2026_sample, tmp_path):
    from tifa.cases import CASE_SHEET

    file = gwr2026_sample / "processed" / f"{CASE_SHEET['gwr2026']}.csv"
    case = pd.read_csv(file, dtype={"doc_id": str})
    path = write_workbook(tables, tmp_path / "cases.xlsx", {"gwr2026": (file, case)})
    sheet = pd.read_excel(path, sheet_name="case_gwr2026", dtype={"doc_id": str})
    assert list(sheet.columns) == list(case.columns) and sheet["doc_id"].tolist() == case["doc_id"].tolist()
    readme = pd.read_excel(path, sheet_name="README").fillna("")
    described = readme.loc[readme["table"] == "case_gwr2026"]
    assert set(described["column"]) - {""} == set(case.columns)  # every column has its meaning
    assert described.loc[described["column"] == "", "type"].item() == f"{len(case)} rows"
