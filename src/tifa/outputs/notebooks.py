"""Run the notebooks in order and render them to HTML (nbclient + nbconvert).

Each notebook has one tracked form, `notebooks/NN_verb_object.py` (jupytext py:percent):
`make report` runs it, and JupyterLab opens it as a notebook through jupytext (`make lab`),
saving back only the kernelspec and cell tags (`jupytext.toml`), so opening or running a
notebook leaves `git status` clean. There is no tracked `.ipynb` twin. Each has a
cell tagged `parameters` (papermill convention) with one parameter, the build's
folder `processed_dir`; `execute` inserts an `injected-parameters` cell after it,
so the same notebook runs on another corpus: `python -m tifa notebooks --processed
other/processed` (its figures and pages are those beside that folder, never the
project's committed `figures/`). The notebooks of a real case (05, 06) read that case's
build, `data/cases/<case>/processed` (`case_of`).
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat
from bs4 import BeautifulSoup
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from tifa.config import DATA_PROCESSED, NOTEBOOKS, outputs_beside
from tifa.outputs.webfont import embed

# The kernel `make lab` registers for the project's .venv; every notebook names it.
KERNEL_NAME = "tifa"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python (tifa)", "language": "python"}
# The py:percent header naming that kernel, exactly as jupytext writes it with
# notebook_metadata_filter = "kernelspec,-all" (so JupyterLab opens the .py with the tifa kernel too).
PY_HEADER = ("# ---\n# jupyter:\n#   kernelspec:\n"
             + "".join(f"#     {k}: {KERNELSPEC[k]}\n" for k in sorted(KERNELSPEC)) + "# ---\n\n")


def sources(folder: Path = NOTEBOOKS) -> list[Path]:
    """Notebook sources in run order (their NN_ prefix)."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.py"))


def case_of(src: Path) -> str | None:
    """The real case a notebook reads (its parameters cell sets processed_dir = "…/cases/<name>/processed"),
    or None for a notebook of the corpus being reported. A case notebook reads its case's build."""
    from tifa.cases import CASE_NOTEBOOK

    match = CASE_NOTEBOOK.search(src.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def _normalise_py(path: Path) -> bool:
    """Give the py:percent source the kernelspec header (replacing any other YAML header)."""
    text = path.read_text(encoding="utf-8")
    body = re.sub(r"\A# ---\n(?:#.*\n)*?# ---\n\n?", "", text)
    if PY_HEADER + body == text:
        return False
    path.write_text(PY_HEADER + body, encoding="utf-8")
    return True


def sync(folder: Path = NOTEBOOKS) -> list[Path]:
    """Normalise every notebook source (the `tifa` kernelspec header). A local `.ipynb` copy (untracked:
    made with "Open With → Notebook" and a pairing of one's own) that is newer than its `.py` is written
    into the `.py` first, so an edit made there is not lost. Returns the sources rewritten."""
    written = []
    for src in sources(folder):
        ipynb = src.with_suffix(".ipynb")
        changed = False
        if ipynb.exists() and ipynb.stat().st_mtime > src.stat().st_mtime:
            nb = jupytext.read(ipynb)
            nb.metadata = {"kernelspec": dict(KERNELSPEC), "jupytext": {"notebook_metadata_filter": "kernelspec,-all",
                                                                       "cell_metadata_filter": "tags,-all"}}
            text = jupytext.writes(nb, fmt="py:percent")
            if text != src.read_text(encoding="utf-8"):
                src.write_text(text, encoding="utf-8")
                changed = True
        if _normalise_py(src) or changed:
            written.append(src)
    return written


def inject(nb: nbformat.NotebookNode, parameters: dict) -> nbformat.NotebookNode:
    if not parameters:
        return nb
    lines = ["# Injected parameters"] + [f"{k} = {v!r}" for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})
    index = next((i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), -1)
    nb.cells.insert(index + 1, cell)
    return nb


def title(nb: nbformat.NotebookNode) -> str:
    """The notebook's first Markdown heading, for the page <title>."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if match:
                return match.group(1).strip()
    return "Notebook"


def offline(page: str, page_title: str) -> str:
    """Drop every script the nbconvert template loads from a CDN (require.js, MathJax, mermaid):
    the notebooks use none of them, and offline each one is a failed request. Sets a real title."""
    soup = BeautifulSoup(page, "html.parser")
    for script in soup.find_all("script"):
        src, text = script.get("src", ""), script.string or ""
        if src.startswith(("http:", "https:", "//")) or "cdnjs" in text or "MathJax" in text:
            script.decompose()
    if soup.title is None:
        soup.head.append(soup.new_tag("title"))
    soup.title.string = page_title
    if soup.find("meta", attrs={"name": "viewport"}) is None:
        soup.head.insert(0, soup.new_tag("meta", attrs={"name": "viewport", "content": "width=device-width, initial-scale=1"}))
    return str(soup)


def execute(src: Path, processed: Path = DATA_PROCESSED, out_dir: Path | None = None, timeout: int = 600) -> Path:
    """Execute one notebook top to bottom on the build `processed` (its only parameter) and write
    <out_dir>/<name>.html (images embedded, offline); `out_dir` defaults to the build's reports folder."""
    nb = inject(jupytext.read(src), {"processed_dir": str(Path(processed).resolve())})
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(src.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error" or o.get("name") == "stderr"]
    if errors:
        first = errors[0]
        detail = first.get("ename", "") + ": " + first.get("evalue", "") if first.get("output_type") == "error" else first.get("text", "")
        raise RuntimeError(f"{src.name}: a cell wrote an error or a warning: {detail[:500]}")
    exporter = HTMLExporter(embed_images=True)
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    out_dir = out_dir or outputs_beside(processed, "reports")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{src.stem}.html"
    out.write_text(embed(offline(body, title(nb))), encoding="utf-8")
    return out


def execute_all(processed: Path = DATA_PROCESSED, out_dir: Path | None = None, folder: Path = NOTEBOOKS) -> list[Path]:
    """Every notebook of the build `processed` (the case notebooks read their own case's build: the graph
    runs them)."""
    from tqdm import tqdm

    return [execute(src, processed, out_dir) for src in tqdm(sources(folder), desc="notebooks") if case_of(src) is None]
