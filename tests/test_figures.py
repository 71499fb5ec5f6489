"""Every catalogued figure fits a journal column: exact width, fonts embedded, no text under 6 pt, nothing clipped.

The PDF checks read the committed figures/ (the rebuild test in test_build.py makes sure they are
current) with poppler's pdfinfo/pdffonts, skipped with the reason when poppler is absent. The
clipping check redraws each figure in memory: the tight bounding box of everything drawn must
lie inside the fixed page.
"""

import re
import shutil
import subprocess
import zlib

import matplotlib.pyplot as plt
import pytest

from tifa.config import DATA_PROCESSED, FIGURES
from tifa.outputs.figures import CATALOGUE, draw_figure
from tifa.outputs.plots import MIN_FONT_PT, WIDTHS

POINTS_PER_MM = 72 / 25.4
NAMES = [spec.name for spec, _ in CATALOGUE]
poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None or shutil.which("pdffonts") is None,
                             reason="poppler-utils (pdfinfo, pdffonts) not installed: PDF size and font checks skipped")


def text_sizes(pdf: bytes) -> list[float]:
    """Font size of every text object in the PDF's content streams (Tf operand x text-matrix scale)."""
    sizes = []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(stream.group(1))
        except zlib.error:
            continue
        for block in re.finditer(rb"BT(.*?)ET", data, re.S):
            fonts = re.findall(rb"/\S+\s+([\d.]+)\s+Tf", block.group(1))
            matrix = re.findall(rb"([-\d.]+)\s+([-\d.]+)\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+Tm", block.group(1))
            scale = 1.0
            if matrix:
                a, b = map(float, matrix[-1])
                scale = (a * a + b * b) ** 0.5
            sizes += [float(f) * scale for f in fonts]
    return sizes


def spec(name):
    return next(s for s, _ in CATALOGUE if s.name == name)


@poppler
@pytest.mark.parametrize("name", NAMES)
def test_pdf_is_its_column_wide_with_fonts_embedded(name):
    path = FIGURES / f"{name}.pdf"
    assert path.exists(), f"{path} missing: run `make figures`"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    width = float(re.search(r"Page size:\s+([\d.]+) x", info.stdout).group(1)) / POINTS_PER_MM
    assert abs(width - WIDTHS[spec(name).width] * 25.4) < 0.1, f"{name}: {width:.1f} mm"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in fonts.stdout.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts.stdout   # column emb
    assert not info.stderr and not fonts.stderr, info.stderr + fonts.stderr  # poppler warns about nothing


@pytest.mark.parametrize("name", NAMES)
def test_no_text_below_the_minimum_size(name):
    sizes = text_sizes((FIGURES / f"{name}.pdf").read_bytes())
    assert sizes and min(sizes) >= MIN_FONT_PT - 0.01, f"{name}: {min(sizes):.2f} pt"


def test_the_size_scanner_reads_a_small_font():
    stream = zlib.compress(b"BT /F1 4.5 Tf 1 0 0 1 10 10 Tm (x) Tj ET")
    assert text_sizes(b"stream\n" + stream + b"\nendstream") == [4.5]


@pytest.fixture(scope="module")
def tables():
    from tifa.pipeline import load_tables

    return load_tables(DATA_PROCESSED)


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_drawn_outside_the_page(name, tables):
    fig, _ = draw_figure(name, tables)
    try:
        fig.canvas.draw()
        box = fig.get_tightbbox(fig.canvas.get_renderer())
        width, height = fig.get_size_inches()
        tolerance = 0.02  # inches
        assert box.x0 >= -tolerance and box.x1 <= width + tolerance, f"{name}: drawn {box.x0:.2f}–{box.x1:.2f} of {width:.2f} in"
        assert box.y0 >= -tolerance and box.y1 <= height + tolerance, f"{name}: drawn {box.y0:.2f}–{box.y1:.2f} of {height:.2f} in"
    finally:
        plt.close(fig)
