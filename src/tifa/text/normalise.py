"""Normalise stage: a documented, idempotent cleaning of decoded text.

Rules, applied in this order (each counted, so the notebook can show what changed):

1. line endings: CRLF and CR become LF;
   scrape marks (texts collected from Wikisource and similar sites):
   * ``page_furniture_lines``: everything from the first licence notice
     (本作品来自… / 本作品是中华人民共和国的… / "Public domain") to the end is page
     furniture — copyright templates, "false", ↑ footnote markers, community notes —
     and is removed; the count is of its non-empty lines;
   * ``page_break_joins``: a line holding only zero-width spaces (U+200B) marks a
     page break inside a paragraph; the text lines on either side are joined when the
     first does not end a sentence;
   * ``broken_heading_joins``: a short heading split before its last one or two
     characters (政府工作报 / 告) is joined;
   * ``site_front_matter_lines``: in the head of a scraped page (the short lines before
     the first paragraph of 40 or more characters or a salutation such as 各位代表：),
     lines that are the site's toolbar or breadcrumb (下载, 打印, 【字号：, 加大, 首页, >,
     您的位置：, 分享：), a 来源：/时间：/发表时间： line or a bare time stamp, and a photo
     caption (…本报记者 X 摄, …日报记者 X) are removed; the title, byline and speaker stay;
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

import numpy as np

from tifa.config import MASK_CHARS


def code_points(text: str) -> np.ndarray:
    """The code point of every character of `text` (uint32, one per character): the form the
    vectorised character tests of central reuse, reuse and formulation search work on."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


MASK_CODES = code_points(MASK_CHARS)

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
FURNITURE_START = re.compile(r"^(?:本作品(?:来自|是中华人民共和国|在中华人民共和国)|Public domain$)")
SENTENCE_END = tuple("。！？：；”…")
HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")
OPENING_BRACKETS = {"（", "(", "〔", "【", "［", "["}
CLEANING_RULES = ("line_endings", "page_furniture_lines", "site_front_matter_lines", "page_break_joins", "broken_heading_joins",
                  "fullwidth_alnum", "comma", "semicolon", "colon", "paren_open", "paren_close", "question",
                  "exclamation", "whitespace_chars_removed", "empty_lines_dropped")


def _bare(line: str) -> str:
    return re.sub(f"{_WS}+", "", line)


# A scraped page's head (see the module docstring): toolbar and breadcrumb words, source and time lines.
SITE_TOOLBAR = frozenset("下载 打印 全屏 收藏 分享 加大 还原 减小 大 中 小 】 > 首页 阅读量".split())
SITE_HEAD_LINE = re.compile(r"^(?:【字[号体][：:]|(?:您的|当前)位置[：:]|分享[：:]|阅读量[：:]|(?:发表|发布)?时间[：:]|来源[：:]|"
                            r"\d{4}[-年]\d{1,2}[-月]\d{1,2}日?(?:\d{1,2}[:时]\d{2}分?(?::?\d{2}秒?)?)?$|.{0,30}(?:本报|记者)[^。]{0,20}$)")
HEAD_ENDS = re.compile(r"^各位代表[：:！!]|^同志们[：:！!]")
HEAD_MAX_LINE = 40


def remove_site_front_matter(lines: list[str]) -> tuple[list[str], int]:
    """Drop a scraped page's toolbar, breadcrumb, source/time lines and photo captions from its head.

    Only lines before the first paragraph (HEAD_MAX_LINE characters or more, or a salutation) are
    looked at. A breadcrumb's section name is the line after a '>' (and a repeat of it right after);
    a label alone on its line (来源：) takes the next line, its value, with it."""
    kept, removed, dropped_before, crumb = [], 0, "", ""
    for i, line in enumerate(lines):
        bare = _bare(line)
        if len(bare) >= HEAD_MAX_LINE or HEAD_ENDS.match(bare):
            return kept + lines[i:], removed
        if not bare:
            kept.append(line)
            continue
        drop = (bare in SITE_TOOLBAR or bool(SITE_HEAD_LINE.match(bare)) or dropped_before == ">" or bare == crumb
                or dropped_before.endswith(("：", ":")) and not dropped_before.startswith(("【", "分享")))
        crumb = bare if dropped_before == ">" else crumb
        dropped_before = bare if drop else ""
        removed += drop
        if not drop:
            kept.append(line)
    return kept, removed


def remove_scrape_marks(text: str) -> tuple[str, dict[str, int]]:
    """Drop page furniture after the text and re-join lines a page layout broke.

    Only whole trailing blocks and line breaks are touched: every character of the
    document's own text before the furniture survives in order (tested).
    """
    lines = text.split("\n")
    counts = {"page_furniture_lines": 0, "site_front_matter_lines": 0, "page_break_joins": 0, "broken_heading_joins": 0}
    start = next((i for i, line in enumerate(lines) if FURNITURE_START.match(line.strip(" \t\u3000\u200b"))), None)
    if start is not None:
        counts["page_furniture_lines"] = sum(1 for line in lines[start:] if _bare(line))
        lines = lines[:start]
    lines, counts["site_front_matter_lines"] = remove_site_front_matter(lines)
    kept: list[str] = []  # non-empty lines, plus "" for blank ones
    join_next = False
    for line in lines:
        bare = _bare(line)
        if not line.strip(" \t\u3000\u00a0") or not bare:
            if "\u200b" in line and kept and any(kept) and not _bare(_last_text(kept)).endswith(SENTENCE_END):
                join_next = True
            kept.append("")
            continue
        previous = _last_text(kept)
        broken_marker = bool(previous) and _bare(previous) in OPENING_BRACKETS  # （ alone on a line: （\n三）
        if previous and (join_next or broken_marker):
            _replace_last_text(kept, previous.rstrip() + line.strip())
            counts["broken_heading_joins" if broken_marker else "page_break_joins"] += 1
        elif (previous and HAN_ONLY.fullmatch(bare) and len(bare) <= 2 and HAN_ONLY.fullmatch(_bare(previous))
              and 3 <= len(_bare(previous)) <= 12 and _only_blanks_since(kept, previous)):
            _replace_last_text(kept, previous.rstrip() + bare)
            counts["broken_heading_joins"] += 1
        else:
            kept.append(line)
        join_next = False
    return "\n".join(kept), counts


def _last_text(kept: list[str]) -> str:
    return next((line for line in reversed(kept) if line), "")


def _replace_last_text(kept: list[str], new: str) -> None:
    i = max(i for i, line in enumerate(kept) if line)
    kept[i] = new
    del kept[i + 1:]


def _only_blanks_since(kept: list[str], previous: str) -> bool:
    """The heading fragment directly follows `previous` (no paragraph between), and `previous` is
    itself the first line of the document or follows a blank line: a title, not a sentence tail."""
    i = max(i for i, line in enumerate(kept) if line)
    return i == 0 or kept[i - 1] == "" or not _bare("".join(kept[:i]))
MASK_RUN = re.compile(f"[{re.escape(MASK_CHARS)}]+(?:[.．][{re.escape(MASK_CHARS)}]+)?")


def normalise_with_report(text: str) -> tuple[str, dict[str, int]]:
    """Return the normalised text and how many replacements each rule made."""
    counts: dict[str, int] = {}
    for name, pattern, repl in RULES:
        if name == "fullwidth_alnum":
            text, marks = remove_scrape_marks(text)
            counts.update(marks)
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
