"""Plots: one house style and one way to save a figure.

* the CJK font is Noto Sans CJK SC, shipped inside the `mplfonts` wheel (SIL Open
  Font License). The wheel ships it as OpenType/CFF, which PDF viewers' preflight
  checks flag when embedded as TrueType; `truetype_font` therefore converts the
  glyphs the figures need to TrueType (quadratic) outlines once, with fontTools,
  into a cache folder, and renames it "tifa CJK" (`FONT_FAMILY`). The figures ask
  for that family only, and `use_style` registers the file itself and checks that
  matplotlib resolves the family to it: an installed system font (Debian's
  fonts-noto-cjk is "Noto Sans CJK SC" too) can never stand in for it, so every
  machine draws and embeds the same glyphs;
* colours come from the Okabe-Ito palette (safe for colour-blind readers) and
  sequential maps are `cividis` (monotone in lightness, so it survives grayscale);
* every figure is exactly one journal column wide (89 or 183 mm), text is never
  below `MIN_FONT_PT` at that size, and heights stop at one page (`MAX_HEIGHT`);
* `save` writes <name>.pdf (TrueType fonts embedded), .svg (text as paths),
  .png (300 dpi) and <name>.csv (the data plotted), with every timestamp and
  random id removed, so that two builds are byte-identical.
"""

from __future__ import annotations

import contextlib

import functools
import hashlib
import os
import tempfile
from importlib.resources import files
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from tifa.config import LEVEL_GLOSS, LEVELS  # noqa: E402

FONT_FILE = files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
FONT_FAMILY = "tifa CJK"   # the converted font's own family name: no installed font has it
FONT_POSTSCRIPT = "tifaCJK-Regular"
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
SEQUENTIAL = "cividis"
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]
MM = 1 / 25.4
WIDTHS = {"single": 89 * MM, "double": 183 * MM}   # inches
SINGLE_COLUMN, DOUBLE_COLUMN = WIDTHS["single"], WIDTHS["double"]
MAX_HEIGHT = 240 * MM   # a journal page's text height
MIN_FONT_PT = 6
ROW_INCH = 0.13         # one labelled row at 6.5 pt with breathing space
DPI = 300

ROLE_COLOURS = {"preamble": "#BBBBBB", "review": OKABE_ITO[4], "situation": OKABE_ITO[1],
                "plan": OKABE_ITO[0], "requirements": OKABE_ITO[5], "back_matter": "#E5E5E5"}
LEVEL_COLOURS = {"central": OKABE_ITO[7], "provincial": OKABE_ITO[5], "municipal": OKABE_ITO[4],
                 "district": OKABE_ITO[2]}

# Unicode blocks converted to TrueType: Latin, punctuation, symbols, CJK punctuation, kana,
# the unified and compatibility ideographs, and full-width forms (GBK's repertoire and more).
TRUETYPE_RANGES = [(0x20, 0x17F), (0x370, 0x3FF), (0x2000, 0x27BF), (0x3000, 0x30FF), (0x3200, 0x32FF),
                   (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]
CONVERTER_VERSION = "2"   # bump when the conversion below changes (2: renamed "tifa CJK", Greek added)


def cache_dir() -> Path:
    """Where derived fonts live: $TIFA_CACHE, else matplotlib's cache folder."""
    return Path(os.environ.get("TIFA_CACHE") or Path(matplotlib.get_cachedir()) / "tifa")


def otf_to_ttf(source: Path, target: Path, ranges=TRUETYPE_RANGES) -> None:
    """Subset `source` (OpenType/CFF) to `ranges` and write it with TrueType outlines (cu2qu)."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = []   # matplotlib does no shaping: one glyph per character
    options.notdef_outline = True
    options.glyph_names = True
    options.hinting = True   # keep: stripping CFF hints costs ~40 s, and drawing drops them anyway
    options.drop_tables += ["DSIG", "VORG", "GSUB", "GPOS", "BASE", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for lo, hi in ranges for u in range(lo, hi + 1)])
    subsetter.subset(font)

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    outlines = {}
    for name in order:
        pen = TTGlyphPen(None)
        # max error 1 font unit (of 1000); CFF winds counter-clockwise, TrueType clockwise
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        outlines[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = outlines
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    font["maxp"].tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(font["maxp"], attr, 0)
    font["maxp"].maxZones = 1
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 1
    font["post"].formatType = 2.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    font["post"].glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    rename(font)
    font.recalcTimestamp = False   # keep head.modified from the source: byte-identical caches
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".ttf", delete=False) as tmp:
        font.save(tmp.name)
    os.replace(tmp.name, target)   # atomic: parallel processes never read a half-written font


def rename(font) -> None:
    """Give the converted font a family name of its own (FONT_FAMILY), so that no installed font can be
    taken for it, and a PostScript name that says it is not the original (as the OFL asks of modified fonts)."""
    names = {1: FONT_FAMILY, 2: "Regular", 3: f"{FONT_POSTSCRIPT};converted from {FONT_FILE.name}",
             4: f"{FONT_FAMILY} Regular", 6: FONT_POSTSCRIPT, 16: FONT_FAMILY, 17: "Regular"}
    table = font["name"]
    table.names = [r for r in table.names if r.nameID not in names]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)   # Windows, Unicode BMP, English (US)
        table.setName(text, name_id, 1, 0, 0)       # Macintosh, Roman, English


@functools.cache
def truetype_font() -> Path:
    """The cached TrueType version of FONT_FILE, converted on first use (about 30 s of CPU)."""
    source = Path(str(FONT_FILE))
    key = hashlib.sha256(f"{source.name}:{source.stat().st_size}:{CONVERTER_VERSION}:{TRUETYPE_RANGES}".encode()).hexdigest()[:12]
    target = cache_dir() / f"{source.stem}-{key}.ttf"
    if not target.exists():
        otf_to_ttf(source, target)
    return target


def use_style() -> None:
    """Register the project's font by its file, check that its family resolves to that file, and set the
    house style (idempotent)."""
    ttf = str(truetype_font())
    if ttf not in {f.fname for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(ttf)
    found = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    if Path(found) != Path(ttf):
        raise RuntimeError(f"font family {FONT_FAMILY!r} resolves to {found}, not to the project's font {ttf}")
    matplotlib.rcParams.update({
        "font.family": [FONT_FAMILY],
        "font.size": 7,
        "axes.titlesize": 7.5,
        "axes.labelsize": 7,
        "xtick.labelsize": 6.5,
        "ytick.labelsize": 6.5,
        "legend.fontsize": 6.5,
        "legend.title_fontsize": 6.5,
        "figure.titlesize": 8,
        "axes.linewidth": 0.6,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
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
        "savefig.bbox": None,   # never 'tight': the page must stay exactly one column wide
        "path.simplify": False,
        "hatch.linewidth": 0.5,
    })


def figure(width: str = "double", height: float = 3.0, **kwargs):
    """A new figure exactly one journal column wide ('single' 89 mm, 'double' 183 mm), at most a page high.

    The constrained layout engine fits labels inside the given size instead of growing the page.
    """
    use_style()
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(figsize=(WIDTHS[width], min(height, MAX_HEIGHT)), **kwargs)


def rows_height(n_rows: int, extra: float = 0.8, per_row: float = ROW_INCH, minimum: float = 1.6) -> float:
    """Figure height for `n_rows` labelled rows plus `extra` inches of axes and legend, capped at a page."""
    return min(MAX_HEIGHT, max(minimum, extra + per_row * n_rows))


def rows_that_fit(extra: float = 0.8, per_row: float = ROW_INCH) -> int:
    """How many labelled rows fit on one page above `extra` inches of axes and legend."""
    return int((MAX_HEIGHT - extra) / per_row)


def nothing_to_show(width: str, note: str):
    """A small figure that says why there is nothing to draw (instead of failing or drawing a blank frame)."""
    fig, ax = figure(width, 1.6)
    empty_panel(ax, note)
    return fig


def empty_panel(ax, note: str) -> None:
    """An axes with nothing to show says why, instead of failing or drawing a blank frame."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[:].set_visible(False)
    ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes, fontsize=7, color="#555555", wrap=True)


def level_label(level: str) -> str:
    return f"{LEVEL_GLOSS.get(level, '')} {level}".strip()


def level_handles(levels) -> list:
    """Legend entries for the level colours, top of the hierarchy first."""
    present = [lv for lv in LEVELS if lv in set(levels)]
    return [Patch(facecolor=LEVEL_COLOURS[lv], label=level_label(lv)) for lv in present]


def level_palette(levels) -> dict[str, str]:
    return {lv: LEVEL_COLOURS[lv] for lv in LEVELS if lv in set(levels)}


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


@contextlib.contextmanager
def seeded_global_rng(seed: int = 0):
    """seaborn jitters strip plots with numpy's global generator: seed it for the call, so reruns are byte-identical."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)
