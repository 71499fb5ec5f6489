"""The Excel workbook of every processed table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from tifa.outputs.spreadsheet import fixed_zip_times, inert_workbook


def write_workbook(t: dict[str, pd.DataFrame], path: Path) -> Path:
    """Every processed table as one sheet (the lexicon, codebook and glossaries the build used among them:
    they are tables of the build), plus a README sheet from the data dictionary. Excel reads the Chinese correctly (it garbles UTF-8 CSV
    without a BOM). Fixed dates and zip timestamps make the file byte-identical across runs."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from tifa.schemas import TABLES, _dtype_name

    names = [n for n in TABLES if n in t] + sorted(n for n in t if n not in TABLES and not n.startswith("_"))
    rows = [("table", "column", "type", "meaning")]
    for name in names:
        spec = TABLES.get(name)
        rows.append((name, "", f"{len(t[name])} rows", spec.description if spec else ""))
        if spec:
            rows += [(name, c, _dtype_name(col), col.description) for c, col in spec.schema.columns.items()]
    readme = pd.DataFrame(rows[1:], columns=rows[0])
    limit = 1_048_575
    fixed = dt.datetime(2000, 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        readme.to_excel(writer, sheet_name="README", index=False)
        for name in names:
            df = t[name]
            if len(df) > limit:
                df = df.head(limit)
                readme.loc[readme["table"].eq(name) & readme["column"].eq(""), "type"] += f" (first {limit} in this sheet; see the CSV)"
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
