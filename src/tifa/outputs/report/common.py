"""Helpers the report's parts share: document order, number formats, English glosses."""

from __future__ import annotations

import math

import pandas as pd

from tifa.config import LEVELS
from tifa.stages.stats import doc_order

WORKBOOK = "tifa_tables.xlsx"
CONTEXT = 20  # characters of context on each side of a concordance hit


def in_order(order: list[str], ids) -> list[str]:
    """The ids of `order` that occur in `ids`, in that order (the set is built once: linear in documents)."""
    have = set(ids)
    return [d for d in order if d in have]


def levels_present(docs: pd.DataFrame) -> list[str]:
    return [lv for lv in LEVELS if (docs["level"] == lv).any()]


def ordered_docs(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    docs = t["documents"]
    return docs.set_index("doc_id").loc[doc_order(docs)].reset_index()


def num(x, fmt: str = ".2f") -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, fmt)


def p_text(p) -> str:
    """A p-value as printed in tables: three decimals, '< 0.001' below that, empty when not computed."""
    if p is None or pd.isna(p):
        return ""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"



def glosses(t: dict[str, pd.DataFrame]) -> dict[str, str]:
    """formulation_id -> 'Chinese (English gloss)' from the build's lexicon."""
    lex = t["lexicon"]
    return {r.formulation_id: f"{r.canonical} ({r.english})" if isinstance(r.english, str) and r.english else r.canonical
            for r in lex.itertuples()}
