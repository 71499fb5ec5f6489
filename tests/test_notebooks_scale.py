"""Every notebook runs on a generated collection of 200 scraped one-line pages (issue 13 §4):
no error or warning, figures drawn beside the collection, the committed figures/ untouched,
and the prose speaks of these documents, not of the five seeds."""

from __future__ import annotations

import hashlib
import re
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from fixtures.scraped_corpus import rows
from tifa.config import FIGURES
from tifa.importer import Mapping, import_table
from tifa.notebooks import execute, resolve_parameters, sources

N_DOCS = 200


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> dict:
    """200 pages imported as a scraped CSV (python -m tifa import), then built."""
    from tifa.pipeline import build

    root = tmp_path_factory.mktemp("scraped")
    pages = rows(N_DOCS, seed=200)
    pd.DataFrame(pages).drop(columns=["template", "has_enumerators"]).to_csv(root / "scraped.csv", index=False)
    mapping = Mapping(text="内容", title="标题", date="时间", url="链接", level_column="级别", region="河北",
                      province="河北省 Hebei", prefix="hb")
    import_table(root / "scraped.csv", root / "raw", mapping)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = build(root / "raw", root / "processed", progress=False, workers=1)
    return {"root": root, "pages": pages, "tables": tables, "build_s": time.perf_counter() - started}


@pytest.mark.slow
def test_the_collection_has_outlines_and_task_like_priorities(collection):
    docs = collection["tables"]["documents"].merge(pd.DataFrame(collection["pages"]), left_on="title", right_on="标题")
    assert len(docs) == N_DOCS and (docs["n_paragraphs"] >= 1).all()
    enumerated = docs[docs["has_enumerators"]]
    assert (enumerated["n_outline_nodes"] > 0).all(), enumerated.loc[enumerated["n_outline_nodes"] == 0, "标题"].tolist()
    assert (docs.loc[docs["template"] == "summary", "n_outline_nodes"] == 0).all()  # 一是 without a heading
    titles = collection["tables"]["priorities"]["title"]
    assert len(titles) and titles.map(lambda t: sum("\u4e00" <= c <= "\u9fff" for c in t)).min() >= 4
    targets = collection["tables"]["targets"]
    assert not targets["text"].str.contains(r"(?:市|县|区)\d").any()  # no city of a ranking is a target


@pytest.mark.slow
def test_every_notebook_runs_on_the_collection_without_touching_figures(collection, tmp_path):
    before = fingerprint(FIGURES)
    processed = collection["root"] / "processed"
    params = resolve_parameters({"processed_dir": str(processed), "raw_dir": str(collection["root"] / "raw")})
    assert Path(params["figures_dir"]) == collection["root"] / "figures"  # beside the collection
    started = time.perf_counter()
    for src in sources():
        html = execute(src, tmp_path, params).read_text(encoding="utf-8")
        assert "Traceback" not in html and "Warning" not in html, src.name
        assert "data:image/png;base64" in html, src.name
        prose = re.sub(r"<[^>]+>", " ", html)
        assert not re.search(r"\bfive documents\b|五份文件", prose), src.name
    elapsed = time.perf_counter() - started
    assert fingerprint(FIGURES) == before
    assert any((collection["root"] / "figures").glob("*.png"))
    assert elapsed < 240, f"notebooks took {elapsed:.0f} s on {N_DOCS} documents"
