"""The per-document stage gives the same tables whoever runs it: one process, a process pool, or Dask."""

import filecmp
import warnings

import pytest

from tifa.config import DATA_RAW
from tifa.inputs.load import inputs
from dataclasses import replace

from tifa.pipeline import PARALLEL_FROM, Analysis, build, map_documents, workers_for


def _same(a, b) -> None:
    assert [p.doc.doc_id for p in a] == [p.doc.doc_id for p in b]
    for x, y in zip(a, b):
        assert x.text == y.text and x.cleaning == y.cleaning, x.doc.doc_id
        assert x.outline.equals(y.outline) and x.sentences.equals(y.sentences), x.doc.doc_id
        assert (x.words is None) == (y.words is None) and x.warnings == y.warnings, x.doc.doc_id
        if x.words is not None:
            assert x.words[0] == y.words[0] and (x.words[1] == y.words[1]).all(), x.doc.doc_id
        assert (x.tables is None) == (y.tables is None), x.doc.doc_id
        for name in (x.tables or {}):
            if isinstance(x.tables[name], list):
                assert x.tables[name] == y.tables[name], (x.doc.doc_id, name)
            else:
                assert x.tables[name].equals(y.tables[name]), (x.doc.doc_id, name)


@pytest.fixture(scope="module")
def many_documents():
    """The seeds repeated past the size at which a process pool is used."""
    docs = inputs(DATA_RAW).documents
    return [docs[k % len(docs)] for k in range(PARALLEL_FROM + 5)]


@pytest.mark.slow
def test_process_pool_matches_one_process(many_documents):
    analysis = Analysis.of(inputs(DATA_RAW))
    with workers_for(len(many_documents), workers=2) as pool:
        in_pool = map_documents(many_documents, progress=False, mapper=pool, analysis=analysis)
    one = map_documents(many_documents, progress=False, analysis=analysis)
    assert all(p.tables is not None and p.words is not None for p in one)
    _same(in_pool, one)


def test_a_warning_raised_in_a_worker_reaches_the_caller():
    # a page with no enumerated outline warns in the per-document stage; workers used to swallow it
    seed = inputs(DATA_RAW).documents[0]
    flat = replace(seed, doc_id="flat", text="市场监管工作总结。今年我们做了很多工作。\n")
    with workers_for(PARALLEL_FROM, workers=2) as pool:
        assert pool is not None
        with pytest.warns(UserWarning, match="no enumerated outline found"):
            map_documents([flat, seed], progress=False, mapper=pool)


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


@pytest.mark.slow
def test_process_pool_build_in_small_batches_is_byte_identical(tmp_path, monkeypatch):
    # a synthetic corpus past PARALLEL_FROM (the generator of scripts/benchmark.py): built by a pool of
    # two workers in batches of 7 documents (tables joined on the workers, then across batches), and in
    # one process in one batch, the files must be the same bytes
    import importlib.util
    import sys

    from tifa import pipeline

    spec = importlib.util.spec_from_file_location("benchmark", DATA_RAW.parents[1] / "scripts" / "benchmark.py")
    benchmark = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "benchmark", benchmark)
    spec.loader.exec_module(benchmark)
    raw = tmp_path / "raw"
    benchmark.synthetic_corpus(raw, PARALLEL_FROM + 10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        monkeypatch.setattr(pipeline, "BATCH", 10_000)
        build(raw, tmp_path / "one", progress=False)
        monkeypatch.setattr(pipeline, "BATCH", 7)
        build(raw, tmp_path / "pool", progress=False, workers=2)
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "pool") for p in (tmp_path / "pool").rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "one", tmp_path / "pool", [str(p) for p in files], shallow=False)
    assert not mismatch and not errors, mismatch + errors
