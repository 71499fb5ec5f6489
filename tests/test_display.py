"""Notebook tables as a reader sees them (tifa.outputs.display.show)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from bs4 import BeautifulSoup

from tifa.outputs.display import MISSING, SCREEN_ROWS, show, typical


def frame(n: int = 40) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{k % 3}" for k in range(n)], "year": [2023] * n, "canonical": ["营商环境"] * n,
                         "hits_per_10k": np.linspace(0, 10, n), "n_chars": [12345] * n,
                         "p_value": [np.nan if k % 2 else 0.01234 for k in range(n)]})


def cells(table) -> tuple[list[str], list[list[str]], str]:
    soup = BeautifulSoup(table._repr_html_(), "html.parser")
    head = [th.get_text() for th in soup.select("thead th")]
    body = [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    return head, body, soup.get_text(" ")


def test_named_columns_no_index_rounded_and_missing_with_reason():
    t = show(frame(4), "framing_density", missing={"p_value": "not computed: model not identified"})
    head, body, text = cells(t)
    assert head == ["doc id", "year", "canonical", "hits per 10k", "n chars", "p value"]  # no index column
    assert body[0] == ["d0", "2023", "营商环境", "0.00", "12,345", "0.01"]
    assert body[1][-1] == MISSING and "NaN" not in text and "dtype" not in text
    assert f"{MISSING} in p value: not computed: model not identified" in text


def test_at_most_a_screen_of_rows_and_a_link_to_the_full_table():
    head, body, text = cells(show(frame(40), "framing_density"))
    assert len(body) == SCREEN_ROWS and f"{SCREEN_ROWS} of 40 rows" in text
    link = BeautifulSoup(show(frame(40), "framing_density")._repr_html_(), "html.parser").find("a")
    assert link["href"] == "tables.html#table-framing_density" and link.get_text() == "framing_density.csv"


def test_chinese_gets_its_gloss_and_absent_columns_are_skipped():
    head, body, _ = cells(show(frame(2), columns=["canonical", "no_such_column", "year"], gloss={"canonical": {"营商环境": "business environment"}}))
    assert head == ["canonical", "canonical (English)", "year"]
    assert body[0] == ["营商环境", "business environment", "2023"]


def test_a_series_is_a_table_not_a_dtype_dump():
    counts = pd.Series({"central": 3, "district": 1}, name="documents").rename_axis("level")
    head, body, text = cells(show(counts))
    assert head == ["level", "documents"] and body == [["central", "3"], ["district", "1"]]
    assert "dtype" not in repr(show(counts))


def test_typical_sample_spreads_over_groups_and_keeps_order():
    df = frame(30)
    picked = typical(df, 6, by="doc_id")
    assert len(picked) == 6 and picked["doc_id"].value_counts().to_dict() == {"d0": 2, "d1": 2, "d2": 2}
    assert list(picked.index) == sorted(picked.index) and picked.index.max() > 20  # not just the first rows


def test_values_are_escaped_and_the_html_is_deterministic():
    df = pd.DataFrame({"title": ["<script>alert(1)</script>"]})
    html = show(df, "x")._repr_html_()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert html == show(df, "x")._repr_html_()


def test_chinese_columns_keep_a_readable_width_on_a_phone():
    df = pd.DataFrame({"title": ["更加注重政策研究", "加强"], "gloss": ["pay more attention to policy research", "x"], "n": [3, 4]})
    html = show(df)._repr_html_()
    import re

    def rule(cell):  # the CSS rule a cell gets (Styler groups cells that share one)
        return re.search(rf"_{cell}[^{{]*\{{([^}}]*)\}}", html).group(1)

    assert "width: 8em;" in rule("row0_col0") and "min-width: 8em;" in rule("row0_col0")  # 8 characters a line, never 2
    assert "width: 9em;" in rule("row0_col1") and "text-align: right;" in rule("row0_col2")


def test_an_empty_text_column_is_shown_as_missing():
    df = pd.DataFrame({"title": ["加强"], "note": pd.Series([None], dtype="str")})
    _, body, text = cells(show(df, missing={"note": "no note"}))
    assert body == [["加强", MISSING]] and f"{MISSING} in note: no note" in text
