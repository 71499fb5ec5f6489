"""Every notebook runs on generated collections of scraped one-line pages (issue 13 §4): 200 pages
at three levels, and 60 pages at one level. No error or warning, figures drawn beside the
collection, the committed figures/ untouched, and the prose speaks of these documents, not of
the five seeds.
"""

from __future__ import annotations

import hashlib
import re
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from fixtures.scraped_corpus import rows
from tifa.config import FIGURES, outputs_beside
from tifa.inputs.importer import Mapping, import_table
from tifa.outputs.notebooks import case_of, execute, sources

pytestmark = pytest.mark.slow


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def make_collection(root: Path, n: int, seed: int, level: str | None = None) -> dict:
    """n pages imported from a scraped CSV (as `python -m tifa import` does), then built."""
    from tifa.pipeline import build

    pages = rows(n, seed=seed)
    pd.DataFrame(pages).drop(columns=["template", "has_enumerators"]).to_csv(root / "scraped.csv", index=False)
    mapping = Mapping(text="内容", title="标题", date="时间", url="链接", level=level, level_column=None if level else "级别",
                      region="河北", province="河北省 Hebei", prefix="hb")
    import_table(root / "scraped.csv", root / "raw", mapping)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = build(root / "raw", root / "processed", progress=False, workers=1)
    return {"root": root, "pages": pages, "tables": tables}


def run_notebooks(collection: dict, out: Path) -> dict:
    """Execute every notebook on the collection; keep each one's HTML or error, the time, and figures/ before/after."""
    before = fingerprint(FIGURES)
    processed = collection["root"] / "processed"
    params = {"processed_dir": str(processed), "figures_dir": str(outputs_beside(processed, "figures"))}
    results, started = {}, time.perf_counter()
    for src in sources():
        if case_of(src) is not None:  # a real case's notebook reads its case's build, not this corpus
            continue
        try:
            results[src.stem] = execute(src, processed, out).read_text(encoding="utf-8")
        except Exception as exc:  # noqa: BLE001  (RuntimeError for a warning, CellExecutionError for an error)
            results[src.stem] = exc
    return {"results": results, "seconds": time.perf_counter() - started, "params": params,
            "figures_before": before, "figures_after": fingerprint(FIGURES)}


@pytest.fixture(scope="module")
def three_levels(tmp_path_factory) -> dict:
    collection = make_collection(tmp_path_factory.mktemp("scraped200"), 200, seed=200)
    return collection | run_notebooks(collection, tmp_path_factory.mktemp("reports200"))


@pytest.fixture(scope="module")
def one_level(tmp_path_factory) -> dict:
    collection = make_collection(tmp_path_factory.mktemp("scraped60"), 60, seed=60, level="provincial")
    return collection | run_notebooks(collection, tmp_path_factory.mktemp("reports60"))


def check_ran(run: dict) -> None:
    failed = {name: str(r)[-600:] for name, r in run["results"].items() if isinstance(r, Exception)}
    assert not failed, failed
    for name, html in run["results"].items():
        assert "Traceback" not in html and "Warning" not in html, name
        assert "data:image/png;base64" in html, name


def test_the_collection_has_outlines_and_task_like_priorities(three_levels):
    docs = three_levels["tables"]["documents"].merge(pd.DataFrame(three_levels["pages"]), left_on="title", right_on="标题")
    assert len(docs) == 200 and (docs["n_paragraphs"] >= 1).all()
    enumerated = docs[docs["has_enumerators"]]
    assert (enumerated["n_outline_nodes"] > 0).all(), enumerated.loc[enumerated["n_outline_nodes"] == 0, "标题"].tolist()
    assert (docs.loc[docs["template"] == "summary", "n_outline_nodes"] == 0).all()  # 一是 without a heading
    titles = three_levels["tables"]["priorities"]["title"]
    assert len(titles) and titles.map(lambda t: sum("\u4e00" <= c <= "\u9fff" for c in t)).min() >= 4
    assert not three_levels["tables"]["targets"]["text"].str.contains(r"(?:市|县|区)\d").any()  # rankings are no targets


@pytest.mark.parametrize("corpus", ["three_levels", "one_level"])
def test_outputs_go_beside_the_collection_and_figures_stay_untouched(corpus, request):
    run = request.getfixturevalue(corpus)
    assert Path(run["params"]["figures_dir"]) == run["root"] / "figures"
    assert run["figures_after"] == run["figures_before"]
    assert any((run["root"] / "figures").glob("*.png"))


@pytest.mark.parametrize("corpus", ["three_levels", "one_level"])
def test_every_notebook_runs_without_an_error_or_a_warning(corpus, request):
    run = request.getfixturevalue(corpus)
    assert run["seconds"] < 240, f"notebooks took {run['seconds']:.0f} s"
    check_ran(run)


def test_the_prose_speaks_of_these_documents(three_levels):
    found = {}
    for name, html in three_levels["results"].items():
        if isinstance(html, str):
            prose = re.sub(r"<[^>]+>", " ", html)
            hits = re.findall(r"(?i)\bfive (?:documents|seeds)\b[^.。]{0,40}|五份文件", prose)  # the seeds may serve as examples
            if hits:
                found[name] = hits
    assert not found, found
