"""Embed a subset of the shipped CJK font in HTML, so reports render Chinese on any machine.

A reader's browser may have no CJK font at all (a fresh Debian has none). Each
report therefore carries the glyphs it uses: fontTools cuts the Noto Sans CJK SC
file shipped by `mplfonts` down to the characters of the page and the subset is
inlined as a WOFF (zlib) data URL under the family name `TifaCJK`.
"""

from __future__ import annotations

import base64
import io

from fontTools import subset
from fontTools.ttLib import TTFont

from tifa.plots import FONT_FILE

FAMILY = "TifaCJK"


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
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"@font-face{{font-family:'{FAMILY}';src:url(data:font/woff;base64,{data}) format('woff');}}\n"
            f"body,td,th,p,li,div,span,pre,code{{font-family:'{FAMILY}',sans-serif;}}")


def embed(html_text: str) -> str:
    """Insert the @font-face rule before </head>."""
    style = f"<style id='tifa-cjk-font'>{font_face(html_text)}</style>"
    return html_text.replace("</head>", style + "</head>", 1)
