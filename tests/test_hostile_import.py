"""Hostile collections for `tifa import` (issue 25): dates that would lose their day or do not exist,
XLSX formulas without a computed value, merged cells, ids that must pass the id rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tifa.cli import main
from tifa.errors import InputError
from tifa.inputs.ids import doc_id_problem
from tifa.inputs.importer import Mapping, import_table, parse_date, slug
from tifa.inputs.load import load_corpus

MAPPING = Mapping(text="内容", title="标题", date="时间", level="municipal", id="编号", prefix="hostile")
BODY = "一、加强食品安全监管。二、优化营商环境。"


def table(path: Path, rows: list[dict]) -> Path:
    frame = pd.DataFrame(rows)
    frame.to_excel(path, index=False) if path.suffix == ".xlsx" else frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("cell", ["27/04/2023", "04/27/2023", "27.4.2023", "发布时间：27-04-2023"])
def test_a_day_first_date_is_refused_not_read_as_the_year(cell):
    with pytest.raises(ValueError, match="day and month cannot be told apart"):
        parse_date(cell)


@pytest.mark.parametrize("cell", ["2023-02-30", "2023年2月29日", "2023/13/01", "20230431"])
def test_an_impossible_date_is_refused(cell):
    with pytest.raises(ValueError, match="not a date that exists"):
        parse_date(cell)


def test_a_bad_date_names_file_row_and_column(tmp_path):
    path = table(tmp_path / "pages.csv", [{"编号": "a1", "标题": "一", "时间": "2023-04-27", "内容": BODY},
                                          {"编号": "a2", "标题": "二", "时间": "27/04/2023", "内容": BODY + "三"}])
    with pytest.raises(InputError, match=r"row 3: date in column '时间': '27/04/2023' puts the year last") as caught:
        import_table(path, tmp_path / "raw", MAPPING)
    assert caught.value.where == str(path) and not (tmp_path / "raw").exists()


def test_an_xlsx_formula_without_a_cached_value_is_refused_naming_the_cell(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "标题", "时间", "内容"])
    sheet.append(["a1", '=CONCATENATE("关于","通知")', "2023-04-27", BODY])  # openpyxl saves no computed value
    path = tmp_path / "pages.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"cell B2 holds the formula '=CONCATENATE.*without a computed value") as caught:
        import_table(path, tmp_path / "raw", MAPPING)
    assert caught.value.where == str(path)


def test_an_empty_date_from_a_merged_cell_says_so_when_date_is_mapped(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "标题", "时间", "内容"])
    sheet.append(["a1", "一", "2023-04-27", BODY])
    sheet.append(["a2", "二", None, BODY + "三"])
    sheet.merge_cells("C2:C3")  # one date for two rows: the second row's cell is empty
    path = tmp_path / "pages.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"row 3: empty date cell in column '时间' \(a merged cell\?") as caught:
        import_table(path, tmp_path / "raw", MAPPING)
    assert "map --date" not in caught.value.problem


@pytest.mark.parametrize("key", ["x'><img src=x onerror=alert(1)>", "../../../secret", "渭南市市场监管局2023年第1号",
                                 "A" * 300, "=HYPERLINK(\"http://evil.example\")", "政策/文件\\通知"])
def test_imported_ids_always_pass_the_id_rule(key):
    assert doc_id_problem(slug(key)) is None
    assert doc_id_problem(f"{slug('Hebei 河北')}-{slug(key)}") is None


def test_long_ids_stay_apart(tmp_path):
    assert slug("a" * 300) != slug("a" * 299 + "b") and len(slug("a" * 300)) <= 70


def test_a_hostile_collection_imports_and_loads(tmp_path):
    rows = [{"编号": key, "标题": title, "时间": "2023-04-27", "内容": f"{title}\n{BODY}{n}"}
            for n, (key, title) in enumerate([("../../etc/passwd", "<script>alert(1)</script>"),
                                              ("x'><img src=x>", '=HYPERLINK("http://evil.example","看")')])]
    path = table(tmp_path / "pages.csv", rows)
    ids = import_table(path, tmp_path / "raw", MAPPING)
    assert ids == ["hostile-etc-passwd", "hostile-x-img-src-x"]
    assert sorted(d.doc_id for d in load_corpus(tmp_path / "raw")) == sorted(ids)


def test_the_cli_refuses_a_day_first_date_in_one_line(tmp_path, capsys):
    path = table(tmp_path / "pages.csv", [{"编号": "a1", "标题": "一", "时间": "27/04/2023", "内容": BODY}])
    assert main(["import", str(path), "--raw", str(tmp_path / "raw"), "--text", "内容", "--date", "时间",
                 "--level", "municipal"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: row 2: date") and len(err.strip().splitlines()) == 1
