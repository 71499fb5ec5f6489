"""Row ranges: a document's rows of a corpus table, found by position."""

import numpy as np
import pytest

from tifa.rows import row_ranges


def test_row_ranges_of_consecutive_keys():
    assert row_ranges(["a", "a", "b", "c", "c", "c"]) == {"a": (0, 2), "b": (2, 3), "c": (3, 6)}
    assert row_ranges(np.array([], dtype=object)) == {}


def test_row_ranges_refuse_a_reordered_table():
    # a slice of "a" would miss its last row: refuse rather than drop rows silently
    with pytest.raises(ValueError, match="'a'.*not consecutive"):
        row_ranges(["a", "b", "a"])


def test_every_corpus_table_keyed_by_document_has_consecutive_rows(built):
    for name in ("sentences", "sections", "outline", "priorities", "achievements", "frame_hits", "central_reuse",
                 "central_reuse_share"):
        table = built[name]
        ranges = row_ranges(table["doc_id"])
        assert sum(b - a for a, b in ranges.values()) == len(table), name
