"""Report: an offline site in reports/ (index, notebook pages, figures, tables, concordance,
document viewer, methods, data dictionary), LaTeX (booktabs) tables in reports/tables/ and an
Excel workbook of every processed table.

Every page is self-contained: fonts and images are inlined, links to figures and tables are
relative paths, and no page loads anything from the network. Pages are built from whichever
tables exist, and say so when one is absent (a corpus may lack hits, priorities or reuse).
"""

from __future__ import annotations

from pathlib import Path

from tifa.config import DATA_PROCESSED, DATA_RAW, FIGURES, REPORTS
from tifa.outputs.report.common import WORKBOOK, p_text
from tifa.outputs.report.findings import findings
from tifa.outputs.report.latex import LONG, latex_tables, latex_wrapper, tex_specs
from tifa.outputs.report.site import write_site
from tifa.outputs.report.workbook import write_workbook
from tifa.pipeline import load_tables

__all__ = ["LONG", "findings", "latex_tables", "latex_wrapper", "p_text", "tex_specs", "write_report", "write_site", "write_workbook"]


def write_report(processed: Path = DATA_PROCESSED, figures_dir: Path = FIGURES, out_dir: Path = REPORTS,
                 raw_dir: Path = DATA_RAW) -> Path:
    """The whole report: LaTeX tables, the workbook, then every page of the site. Returns index.html."""
    t = load_tables(processed)
    out_dir.mkdir(parents=True, exist_ok=True)
    tex = latex_tables(t, out_dir / "tables", raw_dir)
    write_workbook(t, out_dir / WORKBOOK, raw_dir)
    write_site(t, processed, figures_dir, out_dir, raw_dir, tex)
    return out_dir / "index.html"
