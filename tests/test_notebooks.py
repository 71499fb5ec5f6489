"""Every notebook runs top to bottom without an error or a warning, on parameters pointing at a fresh build."""

import pytest

from tifa.config import DATA_RAW
from tifa.outputs.notebooks import execute, sources


@pytest.mark.slow
@pytest.mark.parametrize("src", sources(), ids=lambda p: p.stem)
def test_notebook_executes(src, built, gwr2026_sample, tmp_path):
    params = {"processed_dir": str(built["_out"]), "figures_dir": str(tmp_path / "figures"), "raw_dir": str(DATA_RAW),
              "case_dir": str(gwr2026_sample)}
    html = execute(src, tmp_path, params)
    text = html.read_text(encoding="utf-8")
    assert "Traceback" not in text and "Warning" not in text
    assert "data:image/png;base64" in text
