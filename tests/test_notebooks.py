"""Every notebook runs top to bottom without an error or a warning, on parameters pointing at a fresh build."""

import pytest

from tifa.config import DATA_RAW
from tifa.outputs.notebooks import case_of, execute, sources


@pytest.mark.slow
@pytest.mark.parametrize("src", sources(), ids=lambda p: p.stem)
def test_notebook_executes(src, built, request, tmp_path):
    params = {"processed_dir": str(built["_out"]), "figures_dir": str(tmp_path / "figures"), "raw_dir": str(DATA_RAW)}
    case = case_of(src)
    if case is not None:  # a real case's notebook runs on that case's sample build
        params = {"case_dir": str(request.getfixturevalue(f"{case}_sample"))}
    html = execute(src, tmp_path, params)
    text = html.read_text(encoding="utf-8")
    assert "Traceback" not in text and "Warning" not in text
    assert "data:image/png;base64" in text
