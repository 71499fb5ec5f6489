"""Embed a subset of the shipped CJK font in HTML, so reports render Chinese on any machine.

A reader's browser may have no CJK font at all (a fresh Debian has none). Each
report therefore carries the glyphs it uses: fontTools cuts the Noto Sans CJK SC
file shipped by `mplfonts` down to the characters of the page and the subset is
inlined as a WOFF (zlib) data URL under the family name `TifaCJK` (also its name inside the font).
"""

from __future__ import annotations

import base64
import io
import re

from fontTools import subset
from fontTools.ttLib import TTFont

from tifa.outputs.plots import FONT_FILE

FAMILY = "TifaCJK"


def _rename(font: TTFont) -> None:
    """Name the subset TifaCJK inside the font too, so the browser reports it as TifaCJK and a reader (or a
    test) can tell it from an installed Noto Sans CJK SC; the OFL asks modified fonts to carry their own name."""
    names = {1: FAMILY, 4: FAMILY, 6: f"{FAMILY}-Regular", 16: FAMILY, 3: f"{FAMILY}-Regular-subset"}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]


def font_face(text: str) -> str:
    """A CSS @font-face rule with the glyphs needed for `text`."""
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    font = TTFont(str(FONT_FILE))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))) + " abcdefghijklmnopqrstuvwxyz0123456789")
    subsetter.subset(font)
    _rename(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    # Every text element, headings and code included (a monospace font with no CJK glyphs would draw
    # the full-width ＊ as a box); JupyterLab's own variables are pointed at the same stacks.
    sans = f"'{FAMILY}',sans-serif"
    mono = f"'DejaVu Sans Mono','Liberation Mono','{FAMILY}',monospace"
    return (f"@font-face{{font-family:'{FAMILY}';src:url(data:font/woff;base64,{data}) format('woff');}}\n"
            f":root{{--jp-ui-font-family:{sans};--jp-content-font-family:{sans};--jp-code-font-family:{mono};}}\n"
            f"body,h1,h2,h3,h4,h5,h6,td,th,p,li,div,span,a,button,input,select,label,summary,figcaption,caption,mark"
            f"{{font-family:{sans};}}\n"
            f"pre,code,kbd,samp,pre *,code *,.jp-CodeMirrorEditor,.cm-content,.cm-line{{font-family:{mono} !important;}}")


STYLE_ID = "tifa-cjk-font"


def embed(html_text: str) -> str:
    """Insert the @font-face rule before </head>, replacing an earlier one (so a page can be re-embedded
    after more text was added to it)."""
    html_text = re.sub(rf"<style id=.{STYLE_ID}.>.*?</style>", "", html_text, flags=re.S)
    style = f"<style id='{STYLE_ID}'>{font_face(html_text)}</style>"
    return html_text.replace("</head>", style + "</head>", 1)
