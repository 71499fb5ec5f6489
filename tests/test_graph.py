"""The build graph (tifa.graph): what each task declares, what a change reruns, and that an incremental
run gives the same files as a clean one."""

import csv
import filecmp
import shutil
import time
from pathlib import Path

import pytest

from tifa.config import DATA_RAW, NOTEBOOKS, outputs_beside
from tifa.errors import InputError
from tifa.graph import PACKAGE, code_files, describe, edges, imported_modules, run, selected, tasks
from tifa.outputs.figures import CATALOGUE, draw_figure


def by_name(processed):
    return {t["name"]: t for t in tasks(DATA_RAW, processed)}


def test_a_figure_is_named_after_its_function_and_reads_only_what_it_declares(tmp_path):
    assert [spec.name for spec, _ in CATALOGUE] == [draw.__name__ for _, draw in CATALOGUE]
    spec, _ = CATALOGUE[2]   # attention_by_domain: attention, documents, codebook
    with pytest.raises(InputError, match="figure attention_by_domain.*codebook"):
        draw_figure(spec.name, {"attention": None, "documents": None})


def test_imports_are_found_inside_functions_too(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("import os\ndef f():\n    from tifa.stages import stats\n    from tifa.outputs.plots import save\n")
    assert imported_modules(source) == {"tifa", "tifa.stages", "tifa.stages.stats", "tifa.outputs", "tifa.outputs.plots",
                                        "tifa.outputs.plots.save"}
    figures = code_files("tifa.outputs.figures")
    assert str(PACKAGE / "outputs" / "plots.py") in figures and str(PACKAGE / "stages" / "stats.py") in figures
    drawing = ("figures", "plots", "report", "notebooks", "webfont", "display")
    assert not any(f"/outputs/{d}" in f for f in code_files("tifa.pipeline") for d in drawing)  # the build does not depend on drawing


def test_every_task_declares_its_inputs(tmp_path):
    processed = tmp_path / "processed"
    named = by_name(processed)
    for spec, _ in CATALOGUE:
        task = named[f"figure:{spec.name}"]
        tables = sorted(Path(f).stem for f in task["file_dep"] if f.startswith(str(processed)))
        assert tables == sorted(spec.reads)
        assert task["targets"][0] == str(outputs_beside(processed, "figures") / f"{spec.name}.pdf")
    assert str(processed / "codebook.csv") in named["figure:attention_by_domain"]["file_dep"]
    assert str(DATA_RAW / "codebook" / "domains.csv") in named["build"]["file_dep"]
    # no figure reads data/raw: the label tables come from the build
    assert not [t for n, t in named.items() if n.startswith("figure:") and any(f.startswith(str(DATA_RAW)) for f in t["file_dep"])]
    notebook = named["notebook:02_priorities_and_achievements"]
    assert str(NOTEBOOKS / "02_priorities_and_achievements.py") in notebook["file_dep"]
    assert str(outputs_beside(processed, "figures") / "attention_by_domain.png") in notebook["file_dep"]
    assert str(outputs_beside(processed, "reports") / "02_priorities_and_achievements.html") in named["report"]["file_dep"]
    nodes, links = edges(list(named.values()), DATA_RAW)
    assert ("build", "figure:attention_by_domain") in links and ("data/raw/lexicon", "build") in links
    assert ("figure:masking_by_document", "notebook:01_corpus_and_cleaning") in links
    assert "figure:lead_units: priorities, documents, glossary" in describe(DATA_RAW, processed)


def test_targets_name_tasks_or_groups():
    names = ["build", "figure:a", "figure:b", "notebook:01_x", "report"]
    assert selected("figures", names) == ["figure:a", "figure:b"]
    assert selected("report", names) == names
    assert selected("figure:b", names) == ["figure:b"]
    with pytest.raises(KeyError):
        selected("figure:c", names)
    assert run("no-such-task", DATA_RAW, Path("/nonexistent/processed")) == 2


def files_under(*folders: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder.parent)): p for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


def set_english(raw: Path, formulation_id: str, english: str) -> None:
    path = raw / "lexicon" / "formulations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    changed = [r for r in rows if r["formulation_id"] == formulation_id]
    assert changed, formulation_id
    changed[0]["english"] = english
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.slow
def test_a_lexicon_change_reruns_only_what_reads_the_lexicon_and_equals_a_clean_build(tmp_path):
    raw = tmp_path / "a" / "raw"
    shutil.copytree(DATA_RAW, raw)
    processed = tmp_path / "a" / "processed"
    figures = outputs_beside(processed, "figures")
    assert run("figures", raw, processed) == 0
    assert run("figures", raw, processed) == 0   # nothing changed: nothing rewritten
    before = {name: p.stat().st_mtime_ns for name, p in files_under(processed, figures).items()}
    set_english(raw, "four_strictest", "the four strictest requirements (changed gloss)")
    started = time.perf_counter()
    assert run("figures", raw, processed) == 0
    print(f"rebuild after one lexicon row changed: {time.perf_counter() - started:.1f} s")
    after = files_under(processed, figures)
    rerun = {spec.name for spec, _ in CATALOGUE if "lexicon" in spec.reads}
    for spec, _ in CATALOGUE:
        png = f"figures/{spec.name}.png"
        assert (after[png].stat().st_mtime_ns != before[png]) == (spec.name in rerun), spec.name
    # the same inputs built from nothing give the same bytes
    clean_raw = tmp_path / "b" / "raw"
    shutil.copytree(raw, clean_raw)
    clean = tmp_path / "b" / "processed"
    assert run("figures", clean_raw, clean) == 0
    fresh = files_under(clean, outputs_beside(clean, "figures"))
    assert sorted(fresh) == sorted(after)
    differing = [name for name in after if not filecmp.cmp(after[name], fresh[name], shallow=False)]
    assert not differing


@pytest.mark.slow
def test_a_replaced_codebook_labels_every_figure_that_shows_domains(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DATA_RAW, raw)
    path = raw / "codebook" / "domains.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:   # new domain codes and labels, the same keywords
        row["domain"], row["label_en"], row["label_zh"] = "x_" + row["domain"], "X " + row["label_en"], "新" + row["label_zh"]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (raw / "annotations" / "priority_domains_handcoded.csv").unlink()   # coded with the old domains
    processed = tmp_path / "processed"
    assert run("build", raw, processed) == 0
    from tifa.pipeline import load_tables

    tables = load_tables(processed)
    labels = {f"{r['label_zh']} {r['label_en']}" for r in rows}
    showing = [spec.name for spec, _ in CATALOGUE if "codebook" in spec.reads]
    assert showing
    for name in showing:
        fig, data = draw_figure(name, tables)
        texts = {t.get_text() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()}
        assert texts & labels, name
        assert set(data["domain"]) <= {r["domain"] for r in rows}, name
