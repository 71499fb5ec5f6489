"""The build graph: every product of `make report` is a task that declares what it reads and what makes it.

`python -m tifa run report` (what `make report` calls) hands the tasks to doit, which runs them in
dependency order and skips a task whose inputs are unchanged:

* `build`: data/raw -> every table of the processed folder, the label tables (codebook, lexicon,
  glossary) among them (`tifa.pipeline.build`; the per-document stage is one task, it writes ~50
  tables at once);
* `figure:<name>`: the tables its catalogue row declares (`tifa.outputs.figures.CATALOGUE`, `reads`;
  the function is given only those) -> <figures>/<name>.pdf|svg|png|csv;
* `notebook:<NN_name>`: the notebook source, every table and the figures it shows -> <reports>/<NN_name>.html;
* `report`: tables, figures, notebook pages and docs/methods.md -> the site, LaTeX tables and workbook;
* `dictionary` and `graph` (for the project's own build only): the schemas -> docs/data_dictionary.md;
  this file -> docs/build_graph.png|svg.

A task is up to date when the content (MD5) of every file it reads is what it was at its last run,
and its parameters are the same: the files are the declared inputs and the source files of every
`tifa` module the task's code imports, found by reading their import statements (`code_files`), so
an edited function reruns what uses it. The state is a JSON file beside the processed folder
(`state_file`). Why doit: it is a small, pure-Python, long-maintained tool whose tasks are plain
dicts (file_dep, targets, uptodate), it compares file contents rather than timestamps, and it runs
inside this process, so a no-op run costs little more than Python's start-up; Snakemake or Dask
would bring a workflow language or a scheduler for a graph of about twenty tasks.
"""

from __future__ import annotations

import ast
import os
import sys
from functools import cache
from pathlib import Path

from tifa.config import DATA_PROCESSED, DATA_RAW, DOCS, NOTEBOOKS, PROJECT_ROOT, outputs_beside

PACKAGE = Path(__file__).resolve().parent
RAW_INPUTS = ("metadata.csv", "documents", "lexicon", "codebook", "glossary", "annotations")
GRAPH_FILE = DOCS / "build_graph"


# ------------------------------------------------------------------ what a task reads
def module_file(name: str) -> Path | None:
    """The source file of module `tifa.x.y`, or None when `name` is not a tifa module (e.g. a function)."""
    parts = name.split(".")[1:]
    for candidate in (PACKAGE.joinpath(*parts).with_suffix(".py") if parts else None,
                      PACKAGE.joinpath(*parts, "__init__.py")):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


@cache
def imported_modules(path: Path) -> frozenset[str]:
    """The tifa modules `path` imports anywhere (lazy imports inside functions included), with their packages."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name == "tifa" or name.startswith("tifa."):
                parts = name.split(".")
                found.update(".".join(parts[:k]) for k in range(1, len(parts) + 1))
    return frozenset(found)


@cache
def code_files(*sources: str | Path) -> tuple[str, ...]:
    """Source files of the given modules (`tifa.x`) or files, and of every tifa module they import, transitively."""
    seen: dict[str, Path] = {}
    todo = [module_file(s) if isinstance(s, str) else Path(s) for s in sources]
    while todo:
        path = todo.pop()
        if path is None or str(path) in seen:
            continue
        seen[str(path)] = path
        todo.extend(module_file(m) for m in imported_modules(path))
    return tuple(sorted(seen))


def raw_files(raw: Path) -> list[str]:
    """Every input file under the raw folder that the build reads."""
    files = []
    for name in RAW_INPUTS:
        path = raw / name
        files += [str(path)] if path.is_file() else [str(p) for p in sorted(path.rglob("*")) if p.is_file()]
    return files


def declarations(cache_file: Path) -> dict:
    """What the tasks are made of, as the code declares it: the tables the build writes (tifa.schemas), the
    figures with the tables each reads and its notebook (tifa.outputs.figures.CATALOGUE), and the font's
    parameters. Importing those modules costs seconds (matplotlib, scipy, pandera), so the answer is kept in
    `cache_file`, keyed by the content of their source files, and they are imported only when one changed."""
    import hashlib
    import json

    key = hashlib.md5(b"".join(Path(f).read_bytes() for f in code_files("tifa.schemas", "tifa.outputs.figures"))).hexdigest()
    try:
        cached = json.loads(cache_file.read_text(encoding="utf-8"))
        if cached["key"] == key:
            return cached
    except (OSError, ValueError, KeyError):
        pass
    from tifa.outputs.figures import CATALOGUE
    from tifa.outputs.plots import CONVERTER_VERSION, FONT_FILE, TRUETYPE_RANGES
    from tifa.schemas import TABLES

    found = {"key": key, "tables": [name for name, t in TABLES.items() if t.where == "processed"],
             "figures": [{"name": spec.name, "reads": list(spec.reads), "notebook": spec.notebook} for spec, _ in CATALOGUE],
             "font": {"font": str(FONT_FILE), "converter": CONVERTER_VERSION, "ranges": str(TRUETYPE_RANGES)}}
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps(found, indent=1), encoding="utf-8")
    return found


# ------------------------------------------------------------------ the tasks
def state_file(processed: Path) -> Path:
    """The graph's memory of its last runs: beside the processed folder, never inside it."""
    return processed.parent / f".{processed.name}.graph.json"


# The actions: doit wants None or True (done) or False (failed) back; a bad input is one line, no traceback.
def _failed(where, problem) -> bool:
    print(f"error: {where}: {problem}", file=sys.stderr)
    return False


def run_build(raw: Path, processed: Path) -> bool:
    import warnings

    from tifa.cli import summarise_warnings
    from tifa.errors import InputError
    from tifa.pipeline import build

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            build(raw, processed, workers=os.cpu_count() or 1)
        except InputError as exc:
            return _failed(exc.where, exc.problem)
        finally:
            summarise_warnings(caught)
    return True


def run_figure(name: str, processed: Path, out: Path) -> bool:
    from tifa.errors import InputError
    from tifa.outputs.figures import make_from

    try:
        make_from(name, processed, out)
    except InputError as exc:
        return _failed(exc.where, exc.problem)
    return True


def run_notebook(src: Path, processed: Path, out: Path) -> bool:
    from nbclient.exceptions import CellExecutionError

    from tifa.outputs.notebooks import execute

    try:
        execute(src, processed, out)
    except CellExecutionError as exc:  # a cell raised: name the notebook and the error, no traceback
        return _failed(src, f"a cell raised {exc.ename}: {exc.evalue}")
    except RuntimeError as exc:  # a cell wrote a warning (tifa.outputs.notebooks.execute)
        return _failed(src.parent, exc)
    return True


def run_dictionary(path: Path) -> None:
    from tifa.schemas import write_dictionary

    write_dictionary(path)


def run_catalogue(figures: Path) -> None:
    from tifa.outputs.figures import write_catalogue

    write_catalogue(figures)


def run_graph() -> None:
    draw()


def run_case(name: str) -> bool:
    import warnings
    from importlib import import_module

    from tifa.cli import summarise_warnings
    from tifa.errors import InputError

    case = import_module(f"tifa.cases.{name}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            case.build_case(case.CASE_DIR, workers=os.cpu_count() or 1, progress=False)
        except InputError as exc:
            return _failed(exc.where, exc.problem)
        finally:
            summarise_warnings(caught)
    return True


def case_tasks() -> tuple[list[dict], dict[str, Path]]:
    """One task per real case the report builds (tifa.cases.BUILT_BY_REPORT): its archive and code ->
    data/cases/<case>/{processed,figures}. Returns the tasks and, for each case built or to be built, its
    processed folder and the files its notebook reads."""
    from tifa.cases import BUILT_BY_REPORT, CASE_OUTPUTS
    from tifa.inputs.importer import SHARED_INPUTS

    out, folders = [], {}
    for name, (archive, own_tables, own_figures) in CASE_OUTPUTS.items():
        case_dir = (PROJECT_ROOT / "data" / "cases" / name).resolve()
        targets = [str(case_dir / "processed" / f"{t}.csv") for t in ("documents", *own_tables)]
        targets += [str(case_dir / "figures" / f"{f}.png") for f in own_figures]
        if name not in BUILT_BY_REPORT:  # built by `make cases`: its notebook reads it once it exists
            if all(Path(t).is_file() for t in targets):
                folders[name] = (case_dir / "processed", targets)
            continue
        folders[name] = (case_dir / "processed", targets)
        out.append({"name": f"case:{name}", "doc": f"data/cases/archives/{archive} -> data/cases/{name}/ (tifa case {name})",
                    "actions": [(run_case, (name,))],
                    "file_dep": [str(PROJECT_ROOT / "data" / "cases" / "archives" / archive)]
                    + [f for f in raw_files(DATA_RAW) if Path(f).relative_to(DATA_RAW.resolve()).parts[0] in SHARED_INPUTS]
                    + list(code_files(f"tifa.cases.{name}", "tifa.pipeline")), "targets": targets})
    return out, folders


def run_report(processed: Path, out: Path, cases: dict[str, Path]) -> bool:
    from tifa.outputs.report import write_report

    write_report(processed, out, cases)
    return True


def tasks(raw: Path = DATA_RAW, processed: Path = DATA_PROCESSED) -> list[dict]:
    """Every task of the graph as a doit task dict: name, actions, file_dep (what it reads), targets
    (what it writes), uptodate (its parameters). Paths are absolute, so the graph runs from anywhere."""
    from doit.tools import config_changed

    from tifa.cases import CASE_NOTEBOOK, CASE_SHEET

    raw, processed = Path(raw).resolve(), Path(processed).resolve()
    figures, reports = outputs_beside(processed, "figures"), outputs_beside(processed, "reports")
    declared = declarations(state_file(processed).with_suffix(".declarations.json"))
    tables = [str(processed / f"{t}.csv") for t in declared["tables"]]
    out = [{"name": "build", "doc": "data/raw -> every table (tifa.pipeline.build)",
            "actions": [(run_build, (raw, processed))],
            "file_dep": raw_files(raw) + list(code_files("tifa.pipeline")), "targets": tables,
            "uptodate": [config_changed({"raw": str(raw)})]}]
    figure_files = {}
    for spec in declared["figures"]:
        name = spec["name"]
        targets = [str(figures / f"{name}.{ext}") for ext in ("pdf", "svg", "png", "csv")]
        figure_files[name] = targets
        out.append({"name": f"figure:{name}", "doc": f"{', '.join(spec['reads'])} -> {name}.pdf|svg|png|csv",
                    "actions": [(run_figure, (name, processed, figures))],
                    "file_dep": [str(processed / f"{t}.csv") for t in spec["reads"]] + list(code_files("tifa.outputs.figures")),
                    "targets": targets, "uptodate": [config_changed(declared["font"])]})
    out.append({"name": "figure:catalogue", "doc": "the figure catalogue -> figures/README.md",
                "actions": [(run_catalogue, (figures,))],
                "file_dep": list(code_files("tifa.outputs.figures")), "targets": [str(figures / "README.md")]})
    own = processed == DATA_PROCESSED.resolve()
    cases, case_builds = case_tasks() if own else ([], {})
    out += cases
    pages = []
    for src in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py")):  # tifa.outputs.notebooks.sources, without importing jupytext
        case = CASE_NOTEBOOK.search(src.read_text(encoding="utf-8"))
        if case:  # a real case's notebook reads that case's build (the project's report only)
            if case.group(1) not in case_builds:
                continue
            source, reads = case_builds[case.group(1)]
        else:
            reads = tables + [f for spec in declared["figures"] if spec["notebook"] == src.stem
                              for f in figure_files[spec["name"]] if f.endswith(".png")]
            source = processed
        page = str(reports / f"{src.stem}.html")
        pages.append(page)
        out.append({"name": f"notebook:{src.stem}", "doc": f"tables and figures -> {src.stem}.html",
                    "actions": [(run_notebook, (src, source, reports))],
                    "file_dep": [str(src)] + reads + list(code_files(src, "tifa.outputs.notebooks")),
                    "targets": [page]})
    case_sheets = {name: folder / f"{CASE_SHEET[name]}.csv" for name, (folder, _) in case_builds.items()}
    out.append({"name": "report", "doc": "tables, figures, notebook pages, each case's table -> reports/index.html, tables/*.tex, workbook",
                "actions": [(run_report, (processed, reports, case_sheets))],
                "file_dep": tables + [f for files in figure_files.values() for f in files] + pages
                + [str(p) for p in case_sheets.values()]
                + [str(DOCS / "methods.md")] + list(code_files("tifa.outputs.report")),
                "targets": [str(reports / "index.html")]})
    if own:   # the project's own docs, not another corpus's
        out.append({"name": "dictionary", "doc": "table schemas -> docs/data_dictionary.md",
                    "actions": [(run_dictionary, (DOCS / "data_dictionary.md",))],
                    "file_dep": list(code_files("tifa.schemas")), "targets": [str(DOCS / "data_dictionary.md")]})
        out.append({"name": "graph", "doc": "the graph itself -> docs/build_graph.png|svg",
                    "actions": [(run_graph, ())], "file_dep": list(code_files("tifa.graph", "tifa.outputs.figures")),
                    "targets": [str(GRAPH_FILE.with_suffix(".png")), str(GRAPH_FILE.with_suffix(".svg"))]})
    return out


# Targets of `python -m tifa run <target>` beside the task names: groups of tasks.
ALIASES = {"figures": "figure:", "notebooks": "notebook:", "report": ""}


def selected(target: str, names: list[str]) -> list[str]:
    """The tasks `target` stands for (doit adds what they depend on)."""
    if target in ALIASES:
        return [n for n in names if n.startswith(ALIASES[target])]
    if target not in names:
        raise KeyError(target)
    return [target]


def doit_tasks(raw: Path, processed: Path) -> dict:
    """The tasks as the module-like dict doit's loader reads: a `task_<base>` function per task, or per group
    of subtasks (`figure:<name>` is subtask <name> of `figure`), and the configuration."""
    config = {"check_file_uptodate": "md5", "backend": "json", "dep_file": str(state_file(Path(processed).resolve())),
              "verbosity": 2}
    groups: dict[str, list[tuple[str, dict]]] = {}
    for task in tasks(raw, processed):
        base, _, sub = task["name"].partition(":")
        groups.setdefault(base, []).append((sub, {k: v for k, v in task.items() if k != "name"}))
    found: dict = {"DOIT_CONFIG": config}
    for base, members in groups.items():
        if members[0][0]:
            def generate(members=members):
                for sub, task in members:
                    yield {"name": sub, **task}
        else:
            def generate(task=members[0][1]):
                return task
        found[f"task_{base}"] = generate
    return found


def run(target: str = "report", raw: Path = DATA_RAW, processed: Path = DATA_PROCESSED) -> int:
    """Run the graph up to `target` (a task or an alias: report, figures, notebooks), skipping what is up to
    date. Returns 0 when every task ran or was up to date, 2 otherwise."""
    from doit.cmd_base import ModuleTaskLoader
    from doit.doit_cmd import DoitMain

    names = [t["name"] for t in tasks(raw, processed)]
    try:
        chosen = selected(target, names)
    except KeyError:
        print(f"error: {target}: no such task; tasks are {', '.join(names)} (or: {', '.join(ALIASES)})", file=sys.stderr)
        return 2
    state_file(Path(processed).resolve()).parent.mkdir(parents=True, exist_ok=True)
    code = DoitMain(ModuleTaskLoader(doit_tasks(raw, processed)), config_filenames=()).run(["run", *chosen])
    return 0 if code == 0 else 2


def describe(raw: Path = DATA_RAW, processed: Path = DATA_PROCESSED) -> str:
    """One line per task: its name, what it reads (project-relative) and what it makes."""
    lines = []
    for t in tasks(raw, processed):
        reads = [short(f) for f in t["file_dep"] if not f.startswith(str(PACKAGE))]
        n_code = sum(f.startswith(str(PACKAGE)) for f in t["file_dep"])
        lines.append(f"{t['name']}: {t['doc']}\n    reads {len(reads)} files and {n_code} source files of tifa: "
                     + ", ".join(reads[:6]) + (" …" if len(reads) > 6 else ""))
    return "\n".join(lines)


def short(path: str) -> str:
    try:
        return str(Path(path).relative_to(PROJECT_ROOT))
    except ValueError:
        return path


# ------------------------------------------------------------------ the picture
def edges(task_list: list[dict], raw: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """Nodes (raw input groups, then tasks) and edges (a task reads what another writes, or a raw input)."""
    writer = {target: t["name"] for t in task_list for target in t["targets"]}
    inputs = [f"data/raw/{name}" for name in RAW_INPUTS]
    found = set()
    for t in task_list:
        for dep in t["file_dep"]:
            if dep in writer and writer[dep] != t["name"]:
                found.add((writer[dep], t["name"]))
            elif dep.startswith(str(raw) + os.sep):
                found.add(("data/raw/" + Path(dep).relative_to(raw).parts[0], t["name"]))
    return inputs + [t["name"] for t in task_list], sorted(found)


def layers(nodes: list[str], links: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layer of each node: a node sits one column right of everything it reads (tasks that read
    only source code, as the dictionary, sit in the first column with the raw inputs)."""
    depth = dict.fromkeys(nodes, 0)
    for _ in nodes:
        for a, b in links:
            depth[b] = max(depth[b], depth[a] + 1)
    return depth


def draw(out: Path = GRAPH_FILE, raw: Path = DATA_RAW, processed: Path = DATA_PROCESSED) -> list[Path]:
    """Draw the graph with matplotlib (no graphviz binary needed): columns in dependency order, a box per
    task labelled with the tables it reads, lines for what flows from one task to the next."""
    import textwrap

    import matplotlib.pyplot as plt

    from tifa.outputs.figures import CATALOGUE
    from tifa.outputs.plots import DPI, figure

    from tifa.cases import BUILT_BY_REPORT, CASE_NOTEBOOK

    # the graph of a fresh clone: a case built by `make cases` adds its notebook only once it exists, so the
    # drawing leaves it out and is the same on every machine
    later = {f"notebook:{src.stem}" for src in NOTEBOOKS.glob("[0-9][0-9]_*.py")
             if (case := CASE_NOTEBOOK.search(src.read_text(encoding="utf-8"))) and case.group(1) not in BUILT_BY_REPORT}
    task_list = [t for t in tasks(raw, processed) if t["name"] not in later]
    nodes, links = edges(task_list, Path(raw).resolve())
    nodes = [n for n in nodes if not n.startswith("data/raw") or any(n == a for a, _ in links)]
    depth = layers(nodes, links)
    reads = {f"figure:{spec.name}": ", ".join(spec.reads) for spec, _ in CATALOGUE}
    labels = {n: n + ("\n" + "\n".join(textwrap.wrap(f"({reads[n]})", 30)) if n in reads else "") for n in nodes}
    columns: dict[int, list[str]] = {}
    for n in nodes:
        columns.setdefault(depth[n], []).append(n)
    widths = {c: max(len(line) for n in members for line in labels[n].split("\n")) for c, members in columns.items()}
    x, left = {}, 0.0
    for c in sorted(columns):   # columns as wide as their longest label, in characters, 6 apart
        x[c] = left + widths[c] / 2
        left += widths[c] + 6
    rows = max(len(members) for members in columns.values())
    fig, ax = figure("double", min(9.0, 0.8 + 0.34 * rows), layout="none")   # boxes placed by hand: no axes to fit
    ax.set_position([0.01, 0.01, 0.98, 0.98])
    boxes = {}
    for c, members in columns.items():
        for k, n in enumerate(members):
            y = (len(members) - 1) / 2 - k
            boxes[n] = ax.text(x[c], y * 1.0, labels[n], ha="center", va="center", fontsize=6, zorder=2,
                               bbox={"boxstyle": "round,pad=0.3", "linewidth": 0.5, "edgecolor": "#555555",
                                     "facecolor": "#E5E5E5" if n.startswith("data/raw") else "white"})
    fig.canvas.draw()   # sizes the boxes, so that lines can end at their edges
    for a, b in links:
        ax.annotate("", xy=boxes[b].get_position(), xytext=boxes[a].get_position(), zorder=3,
                    arrowprops={"arrowstyle": "-|>", "color": "#999999", "linewidth": 0.4, "mutation_scale": 5,
                                "patchA": boxes[a].get_bbox_patch(), "patchB": boxes[b].get_bbox_patch(),
                                "shrinkA": 1, "shrinkB": 1})
    ax.set_xlim(-2, left - 4)
    ax.set_ylim(-rows / 2, rows / 2)
    ax.axis("off")
    out.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        path = out.with_suffix(f".{ext}")
        fig.savefig(path, format=ext, metadata=meta, dpi=DPI)
        paths.append(path)
    plt.close(fig)
    return paths
