"""The per-document stage gives the same tables whoever runs it: one process, a process pool, or Dask."""

import filecmp
import warnings

import pytest

from tifa.config import DATA_RAW
from tifa.load import inputs
from tifa.pipeline import PARALLEL_FROM, build, map_documents, workers_for


def _same(a, b) -> None:
    assert [p.doc.doc_id for p in a] == [p.doc.doc_id for p in b]
    for x, y in zip(a, b):
        assert x.text == y.text and x.cleaning == y.cleaning, x.doc.doc_id
        assert x.outline.equals(y.outline) and x.sentences.equals(y.sentences), x.doc.doc_id


@pytest.fixture(scope="module")
def many_documents():
    """The seeds repeated past the size at which a process pool is used."""
    docs = inputs(DATA_RAW).documents
    return [docs[k % len(docs)] for k in range(PARALLEL_FROM + 5)]


@pytest.mark.slow
def test_process_pool_matches_one_process(many_documents):
    with workers_for(len(many_documents), workers=2) as pool:
        in_pool = map_documents(many_documents, progress=False, mapper=pool)
    _same(in_pool, map_documents(many_documents, progress=False))


@pytest.mark.slow
def test_dask_local_cluster_build_is_byte_identical(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build(DATA_RAW, tmp_path / "one", progress=False)
        build(DATA_RAW, tmp_path / "dask", progress=False, workers=2, dask="local")
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    via_dask = sorted(p.relative_to(tmp_path / "dask") for p in (tmp_path / "dask").rglob("*") if p.is_file())
    assert one == via_dask
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "one", tmp_path / "dask", [str(p) for p in one], shallow=False)
    assert not mismatch and not errors, mismatch + errors
