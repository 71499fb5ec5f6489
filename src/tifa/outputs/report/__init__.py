"""Report: an offline site in reports/ (index, notebook pages, figures, tables, concordance,
document viewer, methods, data dictionary), LaTeX (booktabs) tables in reports/tables/ and an
Excel workbook of every processed table.

Every page is self-contained: fonts and images are inlined, links to figures and tables are
relative paths, and no page loads anything from the network. Pages are built from whichever
tables exist, and say so when one is absent (a corpus may lack hits, priorities or reuse).
"""

from __future__ import annotations

from pathlib import Path

from tifa.config import DATA_PROCESSED, outputs_beside
from tifa.outputs.report.common import WORKBOOK, p_text
from tifa.outputs.report.findings import findings
from tifa.outputs.report.latex import LONG, latex_tables, latex_wrapper, tex_specs
from tifa.outputs.report.site import write_site
from tifa.outputs.report.workbook import write_workbook
from tifa.pipeline import load_tables

__all__ = ["LONG", "findings", "latex_tables", "latex_wrapper", "p_text", "tex_specs", "write_report", "write_site", "write_workbook"]


def write_report(processed: Path = DATA_PROCESSED, out_dir: Path | None = None, cases: dict[str, Path] | None = None) -> Path:
    """The whole report of the build `processed`: LaTeX tables, the workbook (with one sheet per built case,
    `cases`: name -> that case's table, tifa.cases.CASE_SHEET), then every page of the site, into `out_dir`
    (default: the build's reports folder), linking the figures beside the build. Returns index.html."""
    import pandas as pd

    t = load_tables(processed)
    out_dir = out_dir or outputs_beside(processed, "reports")
    out_dir.mkdir(parents=True, exist_ok=True)
    tex = latex_tables(t, out_dir / "tables")
    case_tables = {name: (path, pd.read_csv(path, dtype={"doc_id": str}, keep_default_na=False, na_values=[""])) for name, path in sorted((cases or {}).items())}
    write_workbook(t, out_dir / WORKBOOK, case_tables)
    write_site(t, processed, outputs_beside(processed, "figures"), out_dir, tex)
    return out_dir / "index.html"
