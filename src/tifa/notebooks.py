"""Run the notebooks in order and render them to HTML (nbclient + nbconvert).

The notebooks are kept in git as jupytext `py:percent` sources
(`notebooks/NN_verb_object.py`) paired with output-free `.ipynb` files. Each has
a cell tagged `parameters` (papermill convention); `execute` inserts an
`injected-parameters` cell after it, so the same notebook can run on another
corpus: `python -m tifa notebooks --processed other/processed --figures other/figures`.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from tifa.config import NOTEBOOKS, REPORTS
from tifa.webfont import embed


def sources(folder: Path = NOTEBOOKS) -> list[Path]:
    """Notebook sources in run order (their NN_ prefix)."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.py"))


def sync(folder: Path = NOTEBOOKS) -> list[Path]:
    """Write the output-free .ipynb twin of every py:percent source."""
    written = []
    for src in sources(folder):
        nb = jupytext.read(src)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"cell-{i:02d}"  # stable ids: a re-sync changes nothing unless the source did
        target = src.with_suffix(".ipynb")
        jupytext.write(nb, target, fmt="ipynb")
        written.append(target)
    return written


def inject(nb: nbformat.NotebookNode, parameters: dict) -> nbformat.NotebookNode:
    if not parameters:
        return nb
    lines = ["# Injected parameters"] + [f"{k} = {v!r}" for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})
    index = next((i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), -1)
    nb.cells.insert(index + 1, cell)
    return nb


def execute(src: Path, out_dir: Path = REPORTS, parameters: dict | None = None, timeout: int = 600) -> Path:
    """Execute one notebook top to bottom and write <out_dir>/<name>.html (images embedded)."""
    nb = inject(jupytext.read(src), parameters or {})
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
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{src.stem}.html"
    out.write_text(embed(body), encoding="utf-8")
    return out


def execute_all(folder: Path = NOTEBOOKS, out_dir: Path = REPORTS, parameters: dict | None = None) -> list[Path]:
    from tqdm import tqdm

    return [execute(src, out_dir, parameters) for src in tqdm(sources(folder), desc="notebooks")]
