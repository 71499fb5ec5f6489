"""Normalise stage: a documented, idempotent cleaning of decoded text.

Rules, applied in this order (each counted, so the notebook can show what changed):

1. line endings: CRLF and CR become LF;
2. full-width ASCII letters and digits (Ａ, ０) become half-width, and the
   full-width full stop ． becomes "." (it only appears in numbers and markers);
3. half-width punctuation used as Chinese punctuation becomes full-width:
   , ; : ( ) ? !  ->  ， ； ： （ ） ？ ！ — except a comma between digits that
   groups thousands (3,900) and a colon between digits (9:30);
4. whitespace: every line is stripped (spaces, tabs, NBSP, ideographic space),
   runs of inner whitespace become one space, empty lines are dropped, and
   paragraphs are joined by a single LF with a final LF.

Nothing else is touched: no Han character is added, removed or changed, and
mask characters (* × ＊) stay in place because masking is data.
"""

from __future__ import annotations

import re

from tifa.config import MASK_CHARS

_FULLWIDTH_ALNUM = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH_ALNUM["．"] = "."

RULES: list[tuple[str, re.Pattern, str]] = [
    ("line_endings", re.compile(r"\r\n?"), "\n"),
    ("fullwidth_alnum", re.compile("[" + "".join(_FULLWIDTH_ALNUM) + "]"), ""),  # mapped below
    ("comma", re.compile(r",(?!(?<=\d,)\d{3}(?!\d))"), "，"),
    ("semicolon", re.compile(r";"), "；"),
    ("colon", re.compile(r":(?!(?<=\d:)\d)"), "："),
    ("paren_open", re.compile(r"\("), "（"),
    ("paren_close", re.compile(r"\)"), "）"),
    ("question", re.compile(r"\?"), "？"),
    ("exclamation", re.compile(r"!"), "！"),
]

_WS = r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]"
MASK_RUN = re.compile(f"[{re.escape(MASK_CHARS)}]+(?:[.．][{re.escape(MASK_CHARS)}]+)?")


def normalise_with_report(text: str) -> tuple[str, dict[str, int]]:
    """Return the normalised text and how many replacements each rule made."""
    counts: dict[str, int] = {}
    for name, pattern, repl in RULES:
        if name == "fullwidth_alnum":
            text, n = pattern.subn(lambda m: _FULLWIDTH_ALNUM[m.group()], text)
        else:
            text, n = pattern.subn(repl, text)
        counts[name] = n
    lines = text.split("\n")
    stripped = [re.sub(f"{_WS}+", " ", re.sub(f"^{_WS}+|{_WS}+$", "", line)) for line in lines]
    counts["whitespace_chars_removed"] = sum(len(a) for a in lines) - sum(len(b) for b in stripped)
    paragraphs = [line for line in stripped if line]
    counts["empty_lines_dropped"] = len(lines) - len(paragraphs)
    return "\n".join(paragraphs) + "\n", counts


def normalise(text: str) -> str:
    """Normalised text (see module docstring). Idempotent: normalise(normalise(x)) == normalise(x)."""
    return normalise_with_report(text)[0]


def mask_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every masked run, e.g. ××.×× counts as one span."""
    return [m.span() for m in MASK_RUN.finditer(text)]


def count_mask_chars(text: str) -> int:
    return sum(text.count(c) for c in MASK_CHARS)


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"
