"""Formula injection: cells that a spreadsheet program would run as a formula.

Text from scraped pages can begin with `=`, `+`, `-`, `@`, a tab or a carriage return, the characters
with which Excel, LibreOffice and Google Sheets start a formula (OWASP, "CSV Injection"). tifa keeps
data as it is:

* the CSV tables hold such cells unchanged, because they are data (`-5.2%` is a value, not an attack);
  the data dictionary says so, and which columns are text;
* the Excel workbook stores every text cell as text (`inert_workbook`), never as a formula;
* `python -m tifa export --safe-csv` writes neutralised copies of the CSV tables for opening in a
  spreadsheet: a text cell beginning with one of those characters gets a leading apostrophe, as OWASP
  recommends; numbers are left alone.
"""

from __future__ import annotations

import csv
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def neutralise(value: str) -> str:
    """`'=HYPERLINK(...)` for `=HYPERLINK(...)`; numbers such as -5.2 and every other cell unchanged."""
    return "'" + value if is_formula_like(value) and not is_number(value) else value


def inert_workbook(book) -> int:
    """Store every formula cell of an openpyxl workbook as text. openpyxl turns any string that starts
    with `=` into a formula when it is assigned; the tables hold no formulas, so each such cell is a
    string from the data. Returns how many cells were changed."""
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    changed += 1
    return changed


def safe_csv_copies(processed: Path, out: Path) -> list[Path]:
    """Neutralised copies of every CSV table of `processed` (top level) in `out`: same rows and columns,
    UTF-8 with a BOM so that Excel reads the Chinese, each formula-like text cell prefixed with '."""
    from tifa.errors import InputError

    tables = sorted(processed.glob("*.csv"))
    if not tables:
        raise InputError(processed, "no CSV tables here: give the folder a build wrote (--processed)")
    if out.resolve() == processed.resolve():
        raise InputError(out, "--out must differ from --processed: the safe copies never replace the tables")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in tables:
        with open(path, encoding="utf-8", newline="") as source:
            rows = [[neutralise(cell) for cell in row] for row in csv.reader(source)]
        target = out / path.name
        with open(target, "w", encoding="utf-8-sig", newline="") as sink:
            csv.writer(sink, lineterminator="\n").writerows(rows)
        written.append(target)
    return written


def fixed_zip_times(path: Path) -> Path:
    """Rewrite an .xlsx with fixed member times and a fixed `modified` stamp, so the file is byte-identical
    across runs (openpyxl stamps every zip member, and docProps/core.xml, with the time of saving)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for filename, data in members:
            if filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            z.writestr(zipfile.ZipInfo(filename, date_time=(2000, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)
    return path
