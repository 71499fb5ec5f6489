"""The Excel workbook of every processed table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from tifa.outputs.spreadsheet import fixed_zip_times, inert_workbook


def write_workbook(t: dict[str, pd.DataFrame], path: Path, cases: dict[str, tuple[Path, pd.DataFrame]] | None = None) -> Path:
    """Every processed table as one sheet (the lexicon, codebook and glossaries the build used among them:
    they are tables of the build), a sheet `case_<name>` per built case (`cases`: name -> (file, its table of
    tifa.cases.CASE_SHEET)), and a README sheet from the data dictionary. Excel reads the Chinese correctly (it
    garbles UTF-8 CSV without a BOM). Fixed dates and zip timestamps make the file byte-identical across runs."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from tifa.cases import CASE_SHEET_SCHEMA
    from tifa.config import PROJECT_ROOT
    from tifa.schemas import TABLES, _dtype_name

    names = [n for n in TABLES if n in t] + sorted(n for n in t if n not in TABLES and not n.startswith("_"))
    sheets = {name: t[name] for name in names}
    rows = [("table", "column", "type", "meaning")]
    for name in names:
        spec = TABLES.get(name)
        rows.append((name, "", f"{len(t[name])} rows", spec.description if spec else ""))
        if spec:
            rows += [(name, c, _dtype_name(col), col.description) for c, col in spec.schema.columns.items()]
    for case, (file, df) in (cases or {}).items():
        sheet, spec = f"case_{case}", TABLES[CASE_SHEET_SCHEMA[case]]
        where = file.resolve().relative_to(PROJECT_ROOT.resolve()) if file.resolve().is_relative_to(PROJECT_ROOT.resolve()) else file.name
        rows.append((sheet, "", f"{len(df)} rows", f"Case {case}: {where} (every table of the case is in that folder). {spec.description}"))
        rows += [(sheet, c, _dtype_name(col), col.description) for c, col in spec.schema.columns.items()]
        sheets[sheet] = df
    readme = pd.DataFrame(rows[1:], columns=rows[0])
    limit = 1_048_575
    fixed = dt.datetime(2000, 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    for name, df in sheets.items():
        if len(df) > limit:  # Excel's row limit: the README says so before it is written
            sheets[name] = df.head(limit)
            readme.loc[readme["table"].eq(name) & readme["column"].eq(""), "type"] += f" (first {limit} in this sheet; see the CSV)"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        readme.to_excel(writer, sheet_name="README", index=False)
        for name, df in sheets.items():
            df = df.apply(lambda s: s.map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v) if s.dtype == object else s)
            df.to_excel(writer, sheet_name=name[:31], index=False)
            writer.sheets[name[:31]].freeze_panes = "A2"
        writer.sheets["README"].freeze_panes = "A2"
        inert_workbook(writer.book)  # a title like =HYPERLINK(...) stays text, never a live formula
        writer.book.properties.creator = "tifa"
        writer.book.properties.created = fixed
        writer.book.properties.modified = fixed
    fixed_zip_times(path)
    return path
