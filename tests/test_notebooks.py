"""Every notebook runs top to bottom without an error or a warning, on parameters pointing at a fresh build."""

import pytest

from tifa.outputs.notebooks import case_of, execute, sources


@pytest.mark.slow
@pytest.mark.parametrize("src", sources(), ids=lambda p: p.stem)
def test_notebook_executes(src, built, request, tmp_path):
    case = case_of(src)  # a real case's notebook runs on that case's sample build
    processed = request.getfixturevalue(f"{case}_sample") / "processed" if case else built["_out"]
    html = execute(src, processed, tmp_path)   # the build is the notebooks' one parameter
    text = html.read_text(encoding="utf-8")
    assert "Traceback" not in text and "Warning" not in text
    assert "data:image/png;base64" in text
