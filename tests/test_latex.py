"""The LaTeX tables of `python -m tifa report` (reports/tables/*.tex), as a paper would include them.

- Everywhere: every table has a caption and a label, headers in words (no snake_case
  variable names), p-values below 0.001 as "< 0.001" (never 0.000), formulations in
  Chinese with an English gloss, and a longtable when it is long.
- Where XeLaTeX is installed (`.ci/run` installs it as root with apt): each table is
  compiled on its own in the minimal wrapper of `report.latex_wrapper` (article, booktabs,
  longtable, xeCJK with the project's own CJK font file from mplfonts, 16 cm text width),
  and the test fails on an error, an "Overfull \\hbox" or a character missing from the fonts.
  Without xelatex or xeCJK that part is skipped and says why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tifa.outputs.plots import FONT_FILE
from tifa.outputs.report import LONG, latex_tables, latex_wrapper

XELATEX = shutil.which("xelatex")
KPSEWHICH = shutil.which("kpsewhich")
HAS_XECJK = bool(KPSEWHICH) and bool(subprocess.run([KPSEWHICH, "xeCJK.sty"], capture_output=True, text=True).stdout.strip())
INSTALL = "apt-get install texlive-xetex texlive-lang-chinese texlive-latex-extra"
needs_tex = [pytest.mark.skipif(XELATEX is None, reason=f"xelatex is not installed ({INSTALL}); LaTeX tables not compiled"),
             pytest.mark.skipif(XELATEX is not None and not HAS_XECJK,
                                reason=f"xeCJK.sty is not installed ({INSTALL}); LaTeX tables not compiled")]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def tables(built, tmp_path_factory) -> list[Path]:
    """The .tex tables of a fresh build, written where `write_report` writes them (here a temporary folder)."""
    t = {k: v for k, v in built.items() if not k.startswith("_")}
    paths = latex_tables(t, tmp_path_factory.mktemp("tables"))
    assert {p.stem for p in paths} >= {"corpus_overview", "formulation_diffusion"}
    return paths


def _header(tex: str) -> list[str]:
    """The first header row (the line before the first \\midrule)."""
    lines = tex.splitlines()
    row = lines[lines.index("\\midrule") - 1]
    return [c.strip() for c in row.removesuffix("\\\\").split("&")]


def test_tables_have_captions_labels_and_words(tables):
    for path in tables:
        tex = path.read_text(encoding="utf-8")
        assert "\\caption{" in tex and f"\\label{{tab:{path.stem}}}" in tex, path.name
        for name in _header(tex):
            assert name and not re.search(r"[a-z]\\_[a-z]", name), f"{path.name}: header {name!r} is a variable name"
        header = _header(tex)
        if "p-value" in header:
            col = header.index("p-value")
            body = tex.split("\\endlastfoot" if "\\endlastfoot" in tex else "\\midrule", 1)[1]
            cells = [line.split("&")[col].strip().removesuffix("\\\\").strip() for line in body.splitlines() if line.count("&") >= col]
            assert cells and all(c != "0.000" for c in cells), f"{path.name} prints a p-value as 0.000"
            assert all(c in ("", "< 0.001") or re.fullmatch(r"[01]\.\d{3}", c) for c in cells), cells
        if "\\begin{longtable}" not in tex:  # a float cannot break across pages: long tables must be longtables
            n_rows = tex.split("\\midrule", 1)[1].count("\\\\")
            assert n_rows <= LONG, f"{path.name} has {n_rows} rows and no longtable"


def test_formulations_are_chinese_with_a_gloss(tables):
    tex = next(p for p in tables if p.stem == "formulation_diffusion").read_text(encoding="utf-8")
    body = tex.split("\\endlastfoot", 1)[1] if "\\endlastfoot" in tex else tex.split("\\midrule", 1)[1]
    cells = [line.split("&")[0].strip() for line in body.splitlines() if "&" in line]
    assert cells
    for cell in cells:
        assert CJK.search(cell) and re.search(r"\([A-Za-z].*\)", cell), f"not Chinese with a gloss: {cell!r}"
        assert not re.search(r"\\_", cell), f"a snake_case id: {cell!r}"


def test_p_values_below_one_in_a_thousand():
    from tifa.outputs.report import p_text

    assert p_text(0.0004) == "< 0.001"
    assert p_text(0.0123) == "0.012"
    assert p_text(float("nan")) == ""


def _compile(tex_file: Path) -> tuple[int, str]:
    rc = 0
    for _ in range(2):  # twice, so that longtable settles its column widths
        run = subprocess.run([XELATEX, "-interaction=nonstopmode", "-halt-on-error", tex_file.name], cwd=tex_file.parent,
                             capture_output=True, text=True, timeout=180)
        rc = rc or run.returncode
    return rc, tex_file.with_suffix(".log").read_text(encoding="utf-8", errors="replace")


@pytest.mark.slow
@needs_tex[0]
@needs_tex[1]
def test_every_table_compiles_and_fits_16cm(tables, tmp_path):
    font = Path(str(FONT_FILE))
    assert font.exists(), font
    failures = []
    for path in tables:
        doc = tmp_path / f"check-{path.stem}.tex"
        doc.write_text(latex_wrapper([path], font), encoding="utf-8")
        rc, log = _compile(doc)
        problems = [line for line in log.splitlines()
                    if line.startswith(("!", "Overfull \\hbox", "Missing character"))]
        if rc or problems:
            failures.append(f"{path.name} (rc {rc}): " + "; ".join(problems[:5]))
        elif not doc.with_suffix(".pdf").exists():
            failures.append(f"{path.name}: no PDF")
    assert not failures, "\n".join(failures)
