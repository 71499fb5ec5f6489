"""Hostile data in the outputs (issue 25): no workbook cell is a formula, CSV cells are data and their
`export --safe-csv` copies are neutralised, and a received processed folder cannot point outside itself."""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

from fixtures import hostile_corpus
from tifa.cli import main
from tifa.outputs.spreadsheet import neutralise
from tifa.pipeline import build, load_tables
from tifa.schemas import dictionary_markdown


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("hostile")
    expected = hostile_corpus.write(root / "raw")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build(root / "raw", root / "processed", progress=False)
    return expected | {"root": root, "processed": root / "processed"}


def test_the_hostile_corpus_builds_with_its_ids_and_payloads_as_data(hostile):
    docs = pd.read_csv(hostile["processed"] / "documents.csv", dtype=str, keep_default_na=False)
    assert sorted(docs["doc_id"]) == sorted(hostile["doc_ids"])
    assert hostile_corpus.HYPERLINK in set(docs["title"])  # exported as it is
    sentences = pd.read_csv(hostile["processed"] / "sentences.csv", dtype=str, keep_default_na=False)
    assert sentences["text"].str.startswith("=HYPERLINK（").any()


def test_no_workbook_cell_is_a_formula(hostile, tmp_path):
    from openpyxl import Workbook, load_workbook

    from tifa.outputs.report.workbook import write_workbook

    assert Workbook().active.cell(1, 1, hostile_corpus.HYPERLINK).data_type == "f"  # what openpyxl does on its own
    path = write_workbook(load_tables(hostile["processed"]), tmp_path / "tables.xlsx")
    book = load_workbook(path)
    formulas = [f"{s.title}!{c.coordinate}" for s in book.worksheets for row in s.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    titles = [c.value for c in book["documents"]["O"]]
    assert hostile_corpus.HYPERLINK in titles  # kept, as text
    starts = [c.value for s in book.worksheets for row in s.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert all(any(v.startswith(f[:6]) for v in starts) for f in hostile_corpus.FORMULAS)  # titles, issuers, sentences


@pytest.mark.parametrize("cell, safe", [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1+1 渭南", "'+1+1 渭南"),
                                        ("@SUM(1+1)", "'@SUM(1+1)"), ("-2+3+cmd", "'-2+3+cmd"), ("\tx", "'\tx"),
                                        ("-5.2", "-5.2"), ("+3", "+3"), ("渭南", "渭南"), ("", "")])
def test_neutralise_prefixes_formula_starts_and_leaves_numbers(cell, safe):
    assert neutralise(cell) == safe


def test_export_safe_csv_writes_neutralised_copies(hostile, tmp_path, capsys):
    out = tmp_path / "safe"
    assert main(["export", "--safe-csv", "--processed", str(hostile["processed"]), "--out", str(out)]) == 0
    originals = sorted(p.name for p in hostile["processed"].glob("*.csv"))
    assert sorted(p.name for p in out.glob("*.csv")) == originals
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert "'" + hostile_corpus.HYPERLINK in set(docs["title"])
    assert not any(v.startswith(("=", "+", "@")) for v in docs.to_numpy().ravel())
    sentences = pd.read_csv(out / "sentences.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    original = pd.read_csv(hostile["processed"] / "sentences.csv", dtype=str, keep_default_na=False)
    assert len(sentences) == len(original) and sentences["text"].str.startswith("'=HYPERLINK（").any()
    assert (hostile["processed"] / "documents.csv").read_bytes().count(b"'=HYPERLINK") == 0  # the tables unchanged


def test_export_refuses_to_overwrite_the_tables(hostile, capsys):
    assert main(["export", "--safe-csv", "--processed", str(hostile["processed"]), "--out", str(hostile["processed"])]) == 2
    assert "--out must differ from --processed" in capsys.readouterr().err


def test_the_data_dictionary_notes_formula_injection():
    text = dictionary_markdown()
    assert "**Formula injection.**" in text and "tifa export --safe-csv" in text


@pytest.mark.parametrize("bad_id, problem", [("../../../secret", "not allowed"), ("a" * 251, "has 251 characters")])
def test_a_received_folder_with_a_path_as_doc_id_is_refused_before_writing(hostile, tmp_path, capsys, bad_id, problem):
    received = tmp_path / "received"
    shutil.copytree(hostile["processed"], received)
    (tmp_path / "secret").write_text("private", encoding="utf-8")
    for table in ("documents", "sentences"):
        path = received / f"{table}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame["doc_id"] = frame["doc_id"].replace(hostile["doc_ids"][1], bad_id)
        frame.to_csv(path, index=False)
    out = tmp_path / "report"
    assert main(["report", "--processed", str(received), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {received / 'documents.csv'}: doc_id") and problem in err and "Traceback" not in err
    assert not out.exists()
    assert main(["figures", "--processed", str(received), "--out", str(tmp_path / "figs")]) == 2
    assert not (tmp_path / "figs").exists()
