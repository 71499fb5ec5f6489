"""The lock file and environment.yml agree; the notebooks have one tracked form each."""

import subprocess

import jupytext
import yaml

from tifa.config import NOTEBOOKS, PROJECT_ROOT
from tifa.environment import environment_yaml, pinned
from tifa.outputs.notebooks import PY_HEADER, sources


def test_environment_yml_pins_exactly_the_lock_file():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    pip_section = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert [p for p in pip_section if p != "-e ."] == pinned()
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert python.startswith("python=3.11")


def test_environment_yml_is_generated_from_the_lock():
    text = (PROJECT_ROOT / "environment.yml").read_text()
    python = next(line.split("=")[1] for line in text.splitlines() if "python=" in line)
    assert text == environment_yaml(python=python)


def test_every_lock_line_is_pinned():
    assert all("==" in line for line in pinned())
    names = {line.split("==")[0].lower() for line in pinned()}
    for needed in ("pandas", "jieba", "rjieba", "statsmodels", "matplotlib", "mplfonts", "pandera", "nbclient", "nbconvert", "jupytext",
                   "jinja2", "markupsafe"):
        assert needed in names


def test_notebooks_are_numbered_and_have_one_tracked_form():
    srcs = sources(NOTEBOOKS)
    stems = [p.stem for p in srcs]
    assert stems[:4] == ["01_corpus_and_cleaning", "02_priorities_and_achievements", "03_framing_diffusion", "04_central_sources"]
    assert "06_provincial_work_reports_2026" in stems
    numbers = [int(stem[:2]) for stem in stems]
    assert numbers == sorted(set(numbers)), "each notebook has a number of its own, in run order"
    tracked = subprocess.run(["git", "ls-files", "notebooks"], cwd=NOTEBOOKS.parent, capture_output=True, text=True).stdout.split()
    if tracked:  # in a git checkout: the .py is the only tracked form (no .ipynb twin to drift or gain metadata)
        assert not [f for f in tracked if f.endswith(".ipynb")], tracked
    for src in srcs:
        assert src.read_text(encoding="utf-8").startswith(PY_HEADER), f"run `make sync-notebooks` for {src.name}"
        py = jupytext.read(src)
        assert "parameters" in py.cells[1].metadata.get("tags", [])
