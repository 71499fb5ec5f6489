"""Real multi-tier corpora where level has an answer, each built from an archive kept in
`data/cases/archives/` by the project's own import and build (`python -m tifa case NAME`)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tifa.errors import InputError

CASES = ("gwr2026", "legislation")
# What each case is made from and what it makes beyond its build's tables (read by the build graph, which
# must not import the case modules to know this): archive, the case's own tables, its figures.
# The build graph (`make report`) builds the cases of BUILT_BY_REPORT itself; the legislation case (about
# 8 minutes on two cores, docs/benchmark_cases.md) is built by `make cases`, and its notebook joins the report once it is built.
BUILT_BY_REPORT = ("gwr2026",)
CASE_OUTPUTS = {
    "gwr2026": ("gwr-2026.tar.xz", ("provinces",), ("province_ranking",)),
    "legislation": ("laws-shandong-henan.tar.xz",
                    ("articles", "citations", "reuse_by_tier", "skip_level", "reuse_lag", "placebo", "citation_reuse",
                     "citation_reuse_validation", "tier_model", "placebo_contrast", "parent_pair_validation",
                     "parent_pair_accuracy"), ("chain_timeline",)),
}
# The table of each case that the report's workbook carries as the case's sheet (one row per unit compared),
# and the schema (tifa.schemas) that describes its columns.
CASE_SHEET = {"gwr2026": "provinces", "legislation": "reuse_by_tier"}
CASE_SHEET_SCHEMA = {"gwr2026": "gwr2026_provinces", "legislation": "reuse_by_tier"}
MARKER = ".tifa-case"
# A case's notebook names the case's build as its one parameter (processed_dir = "…/cases/<name>/processed").
CASE_NOTEBOOK = re.compile(r'^processed_dir = "[^"]*/cases/(\w+)/processed"$', re.M)  # a case folder says it was made by `tifa case`, so a rebuild may replace what it made


def case_folder(out_dir: Path, made: tuple[str, ...]) -> None:
    """Make `out_dir` ready for a rebuild: a folder made by `tifa case` loses its raw folder and the case's own
    tables and figures (`made`, relative paths); any other existing folder is refused, so a user's files are
    never deleted. The build itself replaces only what its manifest lists (tifa.outputs.folder)."""
    marker = out_dir / MARKER
    if out_dir.exists() and any(out_dir.iterdir()) and not marker.is_file():
        raise InputError(out_dir, f"exists and was not made by `tifa case` (no {MARKER}); choose another --out")
    for name in ("raw", *made):
        target = out_dir / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text("made by python -m tifa case\n", encoding="utf-8")


def load_case(case_dir: Path, name: str, case_tables: tuple[str, ...]) -> dict:
    """A built case's tables: the build's, and the case's own (`case_tables`); a clear error when the case
    has not been built."""
    import pandas as pd

    from tifa.pipeline import load_tables

    processed = Path(case_dir) / "processed"
    missing = [t for t in case_tables if not (processed / f"{t}.csv").is_file()]
    if missing:
        raise InputError(processed, f"the case is not built (no {missing[0]}.csv): run `make cases` "
                                    f"(or `python -m tifa case {name}`)")
    tables = load_tables(processed)
    for table in case_tables:
        tables[table] = pd.read_csv(processed / f"{table}.csv", dtype={"doc_id": str}, keep_default_na=False, na_values=[""],
                                    low_memory=False)  # one dtype per column, from the whole file
    return tables
