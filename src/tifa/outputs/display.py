"""Tables in the notebooks as a reader sees them: pandas Styler with named columns, no index, numbers
rounded, a missing value shown as "–" with the reason under the table, Chinese terms with their English
gloss beside them, at most a screen of rows and a link to the full table on the report's tables page.

The notebooks call `show(...)` instead of leaving a bare DataFrame (or a Series with its `dtype:` line)
as a cell's value. Columns that a table does not have are skipped, so a notebook keeps working when
a table gains or loses a column.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

SCREEN_ROWS = 15          # rows a laptop screen shows without scrolling
HAN = re.compile(r"[\u3400-\u9fff]")
MISSING = "–"


def label(column: str) -> str:
    """A column name as a heading: 'n_docs' -> 'n docs', 'hits_per_10k' -> 'hits per 10k'."""
    return str(column).replace("_", " ")


def typical(df: pd.DataFrame, n: int = SCREEN_ROWS, by: str | None = None) -> pd.DataFrame:
    """n rows spread over the table (or over the groups of `by`, in turn) instead of its first n rows,
    in their original order: a sample that shows the usual case, not whatever the first document says."""
    if len(df) <= n:
        return df
    if by and by in df.columns:  # an equal share of each group, spread over the group
        groups = list(df.groupby(by, sort=False).indices.values())
        quota = -(-n // len(groups))
        keep = [g[i] for g in groups for i in np.unique(np.linspace(0, len(g) - 1, min(quota, len(g))).round().astype(int))]
        return df.iloc[sorted(keep)[:n]] if len(keep) <= n else df.iloc[sorted(keep)].groupby(by, sort=False).head(quota).head(n)
    picks = np.unique(np.linspace(0, len(df) - 1, n).round().astype(int))
    return df.iloc[picks]


class Table:
    """A formatted table: rendered as HTML in notebooks and the report, as plain text elsewhere."""

    def __init__(self, styler, plain: str, note: str, link: tuple[str, str] | None):
        self.styler, self.plain, self.note, self.link = styler, plain, note, link

    def _repr_html_(self) -> str:
        foot = html.escape(self.note)
        if self.link:
            href, text = self.link
            foot += f"{' · ' if foot else ''}full table: <a href=\"{html.escape(href)}\">{html.escape(text)}</a>"
        return (f"<div class=\"tifa-table\" style=\"overflow-x:auto;max-width:100%\">{self.styler.to_html()}</div>"
                + (f"<p class=\"tifa-note\" style=\"font-size:.85em;color:#555\">{foot}</p>" if foot else ""))

    def __repr__(self) -> str:
        return self.plain + (f"\n{self.note}" if self.note else "")


def _formatter(series: pd.Series, digits: int):
    if pd.api.types.is_bool_dtype(series):
        return lambda v: "yes" if v else "no"
    if pd.api.types.is_integer_dtype(series) and "year" in str(series.name).lower():
        return lambda v: str(v)  # 2023, not 2,023
    if pd.api.types.is_integer_dtype(series):
        return lambda v: f"{v:,}"
    if pd.api.types.is_float_dtype(series):
        whole = series.dropna().apply(float.is_integer).all() and series.dropna().abs().max() < 1e15
        return (lambda v: f"{v:,.0f}") if whole else (lambda v: f"{v:,.{digits}f}")
    return lambda v: str(v)


def show(data: pd.DataFrame | pd.Series, name: str | None = None, *, columns: list[str] | Mapping[str, str] | None = None,
         gloss: Mapping[str, Mapping[str, str]] | None = None, missing: str | Mapping[str, str] = "not available",
         digits: int = 2, rows: int = SCREEN_ROWS, sample: str = "head", by: str | None = None, note: str = "") -> Table:
    """Format `data` for reading.

    name: the processed table it comes from (the link to the full table, `tables.html#table-<name>`).
    columns: the columns to show, in order, or {column: heading}; absent columns are skipped.
    gloss: {column: {Chinese term: English}}, adds "<column> (English)" after the column.
    missing: why a value is absent ("–" in the cell), one reason or {column: reason}.
    sample: "head" (the rows as ordered by the caller) or "typical" (spread over the table, or over `by` groups).
    """
    df = data.to_frame(name=data.name or "n").reset_index() if isinstance(data, pd.Series) else data.copy()
    if isinstance(df.index, pd.MultiIndex) or df.index.name is not None:
        df = df.reset_index()
    if columns is not None:
        wanted = list(columns)
        df = df[[c for c in wanted if c in df.columns]]
    for column, mapping in (gloss or {}).items():
        if column in df.columns:
            df.insert(df.columns.get_loc(column) + 1, f"{column} (English)", df[column].map(lambda v, m=mapping: m.get(v, "")))
    total = len(df)
    shown = typical(df, rows, by) if sample == "typical" else df.head(rows)
    headings = {c: (columns[c] if isinstance(columns, Mapping) and c in columns else label(c)) for c in shown.columns}
    reasons = {c: (missing.get(c, "not available") if isinstance(missing, Mapping) else missing)
               for c in shown.columns if shown[c].isna().any()}
    shown = shown.reset_index(drop=True)
    uid = hashlib.sha256(f"{name}|{list(shown.columns)}|{len(shown)}|{total}".encode()).hexdigest()[:8]
    styler = (shown.style.set_uuid(uid).hide(axis="index")
              .format({c: _formatter(shown[c], digits) for c in shown.columns}, na_rep=MISSING, escape="html")
              .format_index(lambda c: headings.get(c, label(c)), axis=1, escape="html"))
    numeric = [c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])]
    longest = {c: int(shown[c].dropna().astype(str).str.len().max() if shown[c].notna().any() else 0) for c in shown.columns
               if shown[c].dtype == object or pd.api.types.is_string_dtype(shown[c])}
    chinese = [c for c in longest if longest[c] > 2 and shown[c].astype(str).str.contains(HAN).any()]
    wordy = [c for c in longest if c not in chinese and longest[c] > 16]
    styles = [{"selector": "th", "props": "text-align:left;vertical-align:bottom"},
              {"selector": "td", "props": "vertical-align:top;text-align:left"}]
    styler = styler.set_table_styles(styles)
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right", "white-space": "nowrap"})
    for c in chinese:  # a phone must not squeeze Chinese to a few characters a line: the table scrolls instead
        width = f"{min(11, longest[c])}em"
        styler = styler.set_properties(subset=[c], **{"width": width, "min-width": width, "max-width": "30em"})
    if wordy:  # long English or ids: wide enough to read, the table scrolls sideways on a phone
        styler = styler.set_properties(subset=wordy, **{"width": "9em", "min-width": "9em", "max-width": "30em"})
    notes = []
    if len(shown) < total:
        notes.append(f"{len(shown)} of {total:,} rows" + (" (a spread sample)" if sample == "typical" else ""))
    notes += [f"{MISSING} in {headings[c]}: {r}" for c, r in reasons.items()]
    if note:
        notes.append(note)
    plain = shown.rename(columns=headings).to_string(index=False, na_rep=MISSING)
    link = (f"tables.html#table-{name}", f"{name}.csv") if name else None
    return Table(styler, plain, "; ".join(notes), link)
