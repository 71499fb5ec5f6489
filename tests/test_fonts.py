"""The figures' CJK font is the project's file, whatever fonts the machine has installed.

Debian's fonts-noto-cjk installs "Noto Sans CJK SC" (OpenType/CFF in a .ttc); when the project's
converted font carried the same family name, matplotlib could pick the system's file instead, and
its PDFs embedded an OpenType font under a TrueType declaration. The converted font is now called
"tifa CJK" and registered by file. These tests draw the same text three ways in fresh processes:
as the machine is, with the original Noto Sans CJK SC added to matplotlib's list (what installing
fonts-noto-cjk does), and with every font outside matplotlib's own removed (a bare machine). All
three must give the same bytes and embed the project's font, with or without fonts-noto-cjk on CI.
"""

import json
import shutil
import subprocess
import sys

import pytest
from fontTools.ttLib import TTFont

from tifa.outputs.plots import FONT_FAMILY, FONT_FILE, FONT_POSTSCRIPT, truetype_font, use_style

DRAW = r"""
import hashlib, io, json, sys
from pathlib import Path
import matplotlib
from matplotlib import font_manager
case, out = sys.argv[1], Path(sys.argv[2])
if case == "system_noto":   # what fonts-noto-cjk installs: the same family name, another file
    from tifa.outputs.plots import FONT_FILE
    font_manager.fontManager.addfont(str(FONT_FILE))
elif case == "bare":        # no font but matplotlib's own
    own = str(Path(matplotlib.get_data_path()))
    font_manager.fontManager.ttflist = [f for f in font_manager.fontManager.ttflist if f.fname.startswith(own)]
font_manager.fontManager._findfont_cached.cache_clear()
from tifa.outputs.plots import FONT_FAMILY, figure, save
import pandas as pd
fig, ax = figure("single", 1.6)
ax.set_title("层级 level：四个最严 · 质量强国 χ² ≥ 0.05 †")
ax.set_xlabel("share of the document's characters (％)")
save(fig, "probe", pd.DataFrame({"x": [1]}), out)
used = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False)
print(json.dumps({"used": used, **{ext: hashlib.sha256((out / f"probe.{ext}").read_bytes()).hexdigest() for ext in ("pdf", "png", "svg")}}))
"""


def draw(case: str, out) -> dict:
    result = subprocess.run([sys.executable, "-c", DRAW, case, str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "missing from font" not in result.stderr, result.stderr   # every glyph drawn is in the project's font
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_converted_font_has_a_family_name_of_its_own():
    font = TTFont(str(truetype_font()))
    assert font["name"].getDebugName(1) == FONT_FAMILY and font["name"].getDebugName(6) == FONT_POSTSCRIPT
    assert "glyf" in font and "CFF " not in font   # TrueType outlines, as the PDF declares them
    assert TTFont(str(FONT_FILE))["name"].getDebugName(1) != FONT_FAMILY   # the source is another family


def test_the_family_resolves_to_the_file_and_the_text_to_the_family():
    from matplotlib import font_manager

    use_style()
    assert font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False) == str(truetype_font())
    import matplotlib

    assert matplotlib.rcParams["font.family"] == [FONT_FAMILY]


@pytest.mark.slow
def test_installed_or_missing_system_fonts_change_no_byte(tmp_path):
    runs = {case: draw(case, tmp_path / case) for case in ("as_installed", "system_noto", "bare")}
    for case, seen in runs.items():
        assert seen["used"] == str(truetype_font()), case
        assert {ext: seen[ext] for ext in ("pdf", "png", "svg")} == {ext: runs["bare"][ext] for ext in ("pdf", "png", "svg")}, case
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(tmp_path / "system_noto" / "probe.pdf")], capture_output=True, text=True, check=True)
        rows = [line.split() for line in fonts.stdout.splitlines()[2:] if line.strip()]
        assert rows and all(row[0].endswith(FONT_POSTSCRIPT) and "TrueType" in line and row[-5] == "yes"
                            for row, line in zip(rows, fonts.stdout.splitlines()[2:])), fonts.stdout
        assert "Mismatch" not in fonts.stderr and not fonts.stderr, fonts.stderr
