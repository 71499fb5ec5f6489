"""Rows of a document: where each document's rows lie in a corpus table, and per-document work in batches.

The per-document stage writes every table document by document, so a document's
rows are consecutive. Looking them up by position (a slice) instead of grouping or
filtering the table once per document keeps corpus statistics linear in the corpus;
`map_batches` sends per-document statistics to the workers a batch at a time.
"""

from __future__ import annotations

import numpy as np


def row_ranges(keys) -> dict:
    """{key: (first row, row after the last)} for a column whose equal values are consecutive.

    Raises ValueError if a key comes back after another one: the table was reordered,
    and a slice would miss rows.
    """
    keys = np.asarray(keys, dtype=object)
    if not len(keys):
        return {}
    starts = np.flatnonzero(np.append(True, keys[1:] != keys[:-1]))
    ends = np.append(starts[1:], len(keys))
    ranges = {}
    for start, end in zip(starts.tolist(), ends.tolist()):
        if keys[start] in ranges:
            raise ValueError(f"rows of {keys[start]!r} are not consecutive")
        ranges[keys[start]] = (start, end)
    return ranges


def records(table, columns: list[str]) -> list[dict]:
    """A table's rows as dicts of plain Python values (a list of rows is returned as it is): the
    per-document steps read a few small tables row by row, where pandas' own row access costs more
    than the work."""
    if isinstance(table, list):
        return table
    return [dict(zip(columns, values)) for values in zip(*(table[c].tolist() for c in columns))]


STATISTICS_BATCH = 200  # documents per task when per-document statistics are mapped over workers


def _each(fn, batch: list) -> list:
    return [fn(*args) for args in batch]


def map_batches(fn, items: list[tuple], mapper=map, size: int = STATISTICS_BATCH) -> list:
    """[fn(*item) for item in items], computed by `mapper` in batches of `size` items, in order."""
    from functools import partial

    batches = [items[k:k + size] for k in range(0, len(items), size)]
    return [out for batch in mapper(partial(_each, fn), batches) for out in batch]
