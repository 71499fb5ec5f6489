"""Plots: one house style and one way to save a figure.

* the CJK font is Noto Sans CJK SC, shipped inside the `mplfonts` wheel (SIL Open
  Font License); only that file is registered, so every machine draws the same
  glyphs and no system font is needed;
* colours come from the Okabe-Ito palette (safe for colour-blind readers) and
  sequential maps are `cividis` (monotone in lightness, so it survives grayscale);
* `save` writes figures/<name>.pdf (TrueType fonts embedded), .svg (text as
  paths), .png (300 dpi) and <name>.csv (the data plotted), with every timestamp
  and random id removed, so that two builds are byte-identical.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

FONT_FILE = files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
FONT_FAMILY = "Noto Sans CJK SC"
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
SEQUENTIAL = "cividis"
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]
SINGLE_COLUMN = 3.5   # inches (89 mm)
DOUBLE_COLUMN = 7.2   # inches (183 mm)
DPI = 300

ROLE_COLOURS = {"preamble": "#BBBBBB", "review": OKABE_ITO[4], "situation": OKABE_ITO[1],
                "plan": OKABE_ITO[0], "requirements": OKABE_ITO[5]}
LEVEL_COLOURS = {"central": OKABE_ITO[7], "provincial": OKABE_ITO[5], "municipal": OKABE_ITO[4],
                 "district": OKABE_ITO[2]}


def use_style() -> None:
    """Register the shipped font and set the house style (idempotent)."""
    if FONT_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(FONT_FILE))
    matplotlib.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_FAMILY],
        "font.size": 8,
        "axes.titlesize": 9,
        "axes.labelsize": 8,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "legend.fontsize": 7,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "path",
        "svg.hashsalt": "tifa",
        "figure.dpi": 100,
        "savefig.dpi": DPI,
        "savefig.bbox": "tight",
        "path.simplify": False,
    })


def figure(width: str = "double", height: float = 3.0, **kwargs):
    """A new figure sized for a journal column ('single' 89 mm or 'double' 183 mm)."""
    use_style()
    w = SINGLE_COLUMN if width == "single" else DOUBLE_COLUMN
    return plt.subplots(figsize=(w, height), **kwargs)


def save(fig, name: str, data: pd.DataFrame, out_dir: Path) -> list[Path]:
    """Write <name>.pdf/.svg/.png and the plotted data <name>.csv; close the figure."""
    from tifa.pipeline import write_csv

    out_dir.mkdir(parents=True, exist_ok=True)
    metadata = {
        "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
        "svg": {"Date": None, "Creator": None},
        "png": {"Software": None},
    }
    paths = []
    for ext, meta in metadata.items():
        path = out_dir / f"{name}.{ext}"
        fig.savefig(path, format=ext, metadata=meta, dpi=DPI)
        paths.append(path)
    plt.close(fig)
    write_csv(data, out_dir / f"{name}.csv")
    return paths + [out_dir / f"{name}.csv"]


def bilingual(zh: str, en: str, sep: str = " ") -> str:
    """'食品安全 food safety': the Chinese term with its English gloss."""
    return f"{zh}{sep}{en}" if zh else en
