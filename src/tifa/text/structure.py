"""Structure stage: the enumerated outline and the sentence table of one document.

Outline markers, from the top of the hierarchy down (their `rank`):

====  ================  ==========================  =====================
rank  marker_type       example                     where it may stand
====  ================  ==========================  =====================
0.5   part              第二编                       paragraph or sentence start
1     chapter           第三章                       paragraph or sentence start
1     cn_dun            一、                         paragraph or sentence start
1.2   section           第二节                       paragraph or sentence start
1.5   article           第十条                       paragraph or sentence start
2     cn_paren          （一） (also (一) before       paragraph or sentence start,
                        normalisation)               or right after a heading
3     arabic            1.  1、                       as cn_paren
4     arabic_paren      （1）                         as cn_paren
5     inline_shi/yao    一是 … 二是 / 一要 … 二要      paragraph start, or after 。；：！？
5     dash              ——                          start of a paragraph
1     line_heading      “十四五”时期工作回顾           a line of its own (see below)
====  ================  ==========================  =====================

A node of rank 1-4 runs until the next node of the same or a higher rank. Rank-5
items never run past their paragraph and always sit below a node of rank 1-4:
一是 … 二是 lists are inline lists of the current node, never sections, and a
list before the first heading is ordinary text. An inline marker counts only in
sequence (二是 only after 一是 under the same parent), so 统一是 or a stray 二要
is not read as a list item.

Scraped pages often arrive as one line, so markers are also read inside a
paragraph: after a sentence end (。！？；：) when they continue the numbering of
their kind (二、 after 一、; 1. or 一、 may always open a list), and (rank 2-4,
ordinal 1 only) right after a heading that has no final punctuation
(一、总体要求（一）指导思想). Paragraphs are lines, plus, in run-on documents
(at most 3 lines, or lines of more than 1,500 characters on average), every
space left by normalisation between non-Latin characters: the full-width space
runs that indent paragraphs on government sites. In any document, a space
before an outline marker also starts a paragraph.

Reports often head their parts with an unnumbered line ("十四五"时期工作回顾,
2026年重点工作). Such a line is a top-level node (``line_heading``, marker '') when
it is a paragraph of its own, not the first, at most LINE_HEADING_MAX characters long, without
punctuation inside it, names a part of a report (回顾, 重点工作, 主要任务,
总体要求 …), and the document numbers none of its paragraphs at the top level
(一、, 第一章): where it does, the numbered headings are the outline.

Back matter, a trailing run of site footer (更多信息请关注…, 打印本页, 关闭窗口, a
相关报道 line, Wikisource licence notes), signature (issuing office) and date, ends the
outline: no node runs into it and no marker is read inside it. Bylines
("——2023年3月5日在…会议上") are never list items.

Sentences end after 。！？； or a half-width . right after a Han character (with any
closing quote or bracket that follows),
at the end of a paragraph, and wherever an outline node starts. Their offsets
index the normalised text, so no character can be lost between the two.
"""

from __future__ import annotations

import bisect
import re
import warnings
from dataclasses import dataclass

import pandas as pd

from tifa.text.normalise import count_mask_chars

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
_CN = "一二三四五六七八九十"
_CN_LONG = _CN + "百零〇"

PARAGRAPH_MARKERS = [
    (0.5, "part", re.compile(f"第([{_CN_LONG}]+)编")),  # 编 of a code (民法典) or a long law, above its chapters
    (1, "chapter", re.compile(f"第([{_CN_LONG}]+)章")),
    (1.2, "section", re.compile(f"第([{_CN_LONG}]+)节")),
    (1.5, "article", re.compile(f"第([{_CN_LONG}]+)条(?![款项])")),
    (1, "cn_dun", re.compile(f"([{_CN}]+)、")),
    (2, "cn_paren", re.compile(f"（([{_CN}]+)）")),
    (3, "arabic", re.compile(r"(\d{1,2})[.、](?![\d.])")),
    (4, "arabic_paren", re.compile(r"（(\d{1,2})）")),
    (5, "dash", re.compile(r"——()")),
]
AFTER_HEADING_KINDS = {"cn_paren", "arabic", "arabic_paren"}
AFTER_HEADING_GAP = 40  # a heading longer than this without punctuation is prose, not a heading
# A half-width full stop after a Han character, a closing mark or % is a sentence end, never a
# decimal point (scraped pages in half-width punctuation: 查处价格违法行为.二、…).
HAN_STOP = r"(?<=[\u4e00-\u9fff”’）」』》%％])\.(?!\.)"
INLINE_MARKER = re.compile(f"(?:^|(?<=[。；：！？])|(?<={HAN_STOP}))([{_CN}]+)([是要])")
SENTENCE_END = re.compile(rf"(?:[。！？；]|{HAN_STOP})[”’）」』》]*")
MARKER_SLOT = re.compile(rf"(?:[。！？；：]|{HAN_STOP})[”’）」』》]*")  # where an inline rank 1-4 marker may stand
HEADING_END = re.compile(rf"[。！？；]|{HAN_STOP}")
INLINE_RANK = 5
BYLINE = re.compile(r"\d{4}年\d{1,2}月|[〇一二三四五六七八九十]{4}年|在.{2,40}(?:会议|大会|论坛|座谈会)上|讲话|报告")

# Run-on documents: paragraphs are recovered from the spaces left by normalisation.
RUN_ON_MAX_LINES = 3
RUN_ON_MEAN_LINE = 1500
_LATIN = re.compile(r"[A-Za-z0-9.,%+\-]")

# Unnumbered headings of report parts (see the module docstring).
LINE_HEADING_WORDS = re.compile(r"回顾|工作总结|重点工作|主要工作|主要任务|目标任务|工作安排|工作部署|工作要求|总体要求|指导思想")
LINE_HEADING_MAX = 30
LINE_HEADING_PUNCT = re.compile(r"[。，；：！？、,;:!?]")
TOP_NUMBERED = [pattern for rank, _, pattern in PARAGRAPH_MARKERS if rank <= 1]

# Back matter (searched in the second half of the text only).
FOOTER = re.compile(r"更多信息请关注|打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|分享到[：:]|扫一扫在手机|"
                    r"责任编辑[：:]|版权所有|ICP备|本作品(?:是|来自|在全世界)|Public domain|"
                    r"(?m:^相关(?:报道|链接|新闻|阅读|文章|文档)[：:]?[ \t]*$)")  # a related-links block on a line of its own
_ORGAN_END = "局厅委府室心院部会处科所"
_DATE = r"[\d〇零一二三四五六七八九十]{4}年[\d〇一二三四五六七八九十]{1,2}月[\d〇一二三四五六七八九十]{1,3}日"
BACK_PIECES = [
    re.compile(rf"(?:(?<=[\s。！？；{_ORGAN_END}])|^)[（(]?{_DATE}[）)]?\s*$"),
    re.compile(r"[（(](?:此件公开发布|此件不公开|此件依申请公开|联系人[^（）()]{0,40})[）)]\s*$"),
    re.compile(rf"(?:(?<=[\s。！？；])|^)[^\s。！？；，：、“”（）]{{2,30}}[{_ORGAN_END}]\s*$"),
]


def chinese_numeral(text: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23, 一百零二 -> 102 (enough for list and article markers)."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in "十百":
            total += (1 if digit is None else digit) * (10 if char == "十" else 100)
            digit = None
        else:
            digit = CN_DIGITS[char]
    return total + (digit or 0)


@dataclass
class Node:
    rank: float
    marker_type: str
    marker: str
    ordinal: int
    start: int
    para_end: int
    parent: "Node | None" = None
    end: int = -1
    node_id: str = ""
    heading: str = ""
    para_start: int = 0

    @property
    def depth(self) -> int:
        return 1 if self.parent is None else self.parent.depth + 1


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line:
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _starts_with_marker(text: str, pos: int) -> bool:
    return any(pattern.match(text, pos) for rank, _, pattern in PARAGRAPH_MARKERS if rank < INLINE_RANK)


def is_run_on(text: str) -> bool:
    """Scraped layout: few lines, or very long ones (paragraphs only survive as spaces)."""
    lines = _lines(text)
    return bool(lines) and (len(lines) <= RUN_ON_MAX_LINES
                            or sum(e - s for s, e in lines) / len(lines) > RUN_ON_MEAN_LINE)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of normalised text: its lines, split where a space marks a paragraph.

    A space before an outline marker always starts a paragraph; in run-on documents
    (see `is_run_on`) so does every space between two non-Latin characters, except
    the one right after a marker (第一章 总则).
    """
    run_on = is_run_on(text)
    spans = []
    for l_start, l_end in _lines(text):
        start = l_start
        for m in re.finditer(r" +", text[l_start:l_end]):
            gap_start, gap_end = l_start + m.start(), l_start + m.end()
            before, after = text[gap_start - 1], text[gap_end]
            piece = text[start:gap_start]
            only_marker = any(p.fullmatch(piece) for _, _, p in PARAGRAPH_MARKERS[:-1])
            if _starts_with_marker(text, gap_end) and not only_marker and not _LATIN.match(before):
                cut = True
            else:
                cut = run_on and not only_marker and not (_LATIN.match(before) and _LATIN.match(after))
            if cut:
                spans.append((start, gap_start))
                start = gap_end
        spans.append((start, l_end))
    return spans


def back_matter_start(text: str) -> int:
    """Offset where trailing back matter (site footer, signature, date) begins; the text length if none."""
    end = len(text.rstrip())
    half = len(text) // 2
    footer = FOOTER.search(text, half)
    cut = footer.start() if footer else end
    changed = True
    while changed:
        changed = False
        head = text[:cut].rstrip()
        for piece in BACK_PIECES:
            m = piece.search(head, max(0, len(head) - 80))
            if m and m.start() >= half and m.start() < len(head):
                cut, changed = m.start(), True
                break
    return len(text[:cut].rstrip()) if cut < end else end


def _line_headings(text: str, paras: list[tuple[int, int]], back: int) -> set[int]:
    """Starts of the paragraphs that are unnumbered headings (see the module docstring)."""
    if any(pattern.match(text, start) for start, _ in paras for pattern in TOP_NUMBERED):
        return set()
    return {start for k, (start, end) in enumerate(paras)
            if k > 0 and end <= back and 0 < end - start <= LINE_HEADING_MAX
            and not LINE_HEADING_PUNCT.search(text, start, end) and LINE_HEADING_WORDS.search(text, start, end)
            and not _starts_with_marker(text, start)}


def _candidates(text: str, p_start: int, p_end: int) -> list[tuple[int, float, str, str, str, str]]:
    """(offset, rank, kind, marker, numeral, where) of every possible marker in one paragraph."""
    para = text[p_start:p_end]
    found = []
    slots = [(0, "start")] + [(m.end(), "sentence") for m in MARKER_SLOT.finditer(para) if m.end() < len(para)]
    for offset, where in slots:
        for rank, kind, pattern in PARAGRAPH_MARKERS:
            if kind == "dash" and where != "start":
                continue
            m = pattern.match(para, offset)
            if m:
                found.append((offset, rank, kind, m.group(0), m.group(1), where))
                break
    taken = {c[0] for c in found}
    for rank, kind, pattern in PARAGRAPH_MARKERS:
        if kind in AFTER_HEADING_KINDS:
            for m in pattern.finditer(para):
                if m.start() not in taken and m.start() > 0 and not para[m.start() - 1].isdigit():
                    found.append((m.start(), rank, kind, m.group(0), m.group(1), "heading"))
    for m in INLINE_MARKER.finditer(para):
        kind = "inline_shi" if m.group(2) == "是" else "inline_yao"
        found.append((m.start(), INLINE_RANK, kind, m.group(0), m.group(1), "inline"))
    return sorted(found, key=lambda c: c[0])


def _find_markers(text: str) -> list[Node]:
    """All outline markers in document order, parents linked, ends not yet set."""
    nodes: list[Node] = []
    stack: list[Node] = []
    last_inline: dict[int, Node] = {}  # id(parent) -> last inline child
    last_of_kind: dict[str, Node] = {}  # marker_type -> last node of that type
    back = back_matter_start(text)
    paras = paragraphs(text)
    line_headings = _line_headings(text, paras, back)
    for p_start, p_end in paras:
        if p_start >= back:
            break
        stack = [n for n in stack if n.rank < INLINE_RANK]
        if p_start in line_headings:
            previous_kind = last_of_kind.get("line_heading")
            node = Node(1, "line_heading", "", previous_kind.ordinal + 1 if previous_kind else 1, p_start, p_end,
                        None, para_start=p_start)
            last_of_kind["line_heading"] = node
            nodes.append(node)
            stack = [node]
            continue
        for offset, rank, kind, marker, numeral, where in _candidates(text, p_start, min(p_end, back)):
            ordinal = chinese_numeral(numeral) if numeral else 0
            position = p_start + offset
            previous_kind = last_of_kind.get(kind)
            if where == "sentence" and rank < INLINE_RANK and ordinal != 1 and not (
                previous_kind and previous_kind.ordinal == ordinal - 1
            ):
                continue  # 。三、 without a 二、 before it: a reference, not a heading
            if where == "heading":
                last = nodes[-1] if nodes else None
                if not (ordinal == 1 and last and last.para_start == p_start and last.rank < rank
                        and position - last.start <= AFTER_HEADING_GAP
                        and not HEADING_END.search(text, last.start, position)):
                    continue
            open_stack = [n for n in stack if n.rank < rank]
            parent = open_stack[-1] if open_stack else None
            if rank == INLINE_RANK:
                if parent is None:
                    continue  # 一是/二是 or —— before any heading: prose, not a section
                previous = last_inline.get(id(parent))
                if kind == "dash":
                    if BYLINE.search(text, position, min(p_end, position + 60)):
                        continue  # ——2023年3月5日在…会议上: a byline
                    ordinal = previous.ordinal + 1 if previous and previous.marker_type == "dash" else 1
                elif ordinal != 1 and not (
                    previous and previous.marker_type == kind and previous.ordinal == ordinal - 1
                ):
                    continue  # out of sequence: ordinary text, not a list item
            stack = open_stack
            node = Node(rank, kind, marker, ordinal, position, p_end, parent, para_start=p_start)
            if rank == INLINE_RANK:
                last_inline[id(parent)] = node
            last_of_kind[kind] = node
            nodes.append(node)
            stack.append(node)
    return nodes


def parse_outline(text: str) -> list[Node]:
    """The enumerated hierarchy of a normalised document, with ids, ends and headings."""
    nodes = _find_markers(text)
    last = back_matter_start(text)
    for i, node in enumerate(nodes):
        end = last
        for later in nodes[i + 1:]:
            if later.rank <= node.rank:
                end = later.start
                break
        if node.rank == INLINE_RANK:
            end = min(end, node.para_end)
        if node.parent is not None:
            end = min(end, node.parent.end)
        node.end = end
        stop = min(end, node.para_end, nodes[i + 1].start if i + 1 < len(nodes) else end)
        body = text[node.start + len(node.marker): max(stop, node.start + len(node.marker))]
        cut = HEADING_END.search(body)
        node.heading = (body[: cut.start()] if cut else body).strip()
    counters: dict[str, int] = {}
    for node in nodes:
        prefix = node.parent.node_id + "." if node.parent else ""
        counters[prefix] = counters.get(prefix, 0) + 1
        node.node_id = f"{prefix}{counters[prefix]}"
    return nodes
def outline_table(doc_id: str, nodes: list[Node]) -> pd.DataFrame:
    rows = [
        {
            "doc_id": doc_id, "node_id": n.node_id, "parent_id": n.parent.node_id if n.parent else "",
            "depth": n.depth, "marker_type": n.marker_type, "marker": n.marker, "ordinal": n.ordinal,
            "heading": n.heading, "start": n.start, "end": n.end,
        }
        for n in nodes
    ]
    return pd.DataFrame(rows, columns=[
        "doc_id", "node_id", "parent_id", "depth", "marker_type", "marker", "ordinal", "heading", "start", "end",
    ])


def deepest_node(nodes: list[Node], position: int) -> Node | None:
    """The innermost outline node whose span contains `position`: the last node in document order that
    starts at or before it and ends after it (a binary search, then a walk back over its ancestors and
    closed siblings, so a statute of a thousand articles is not scanned once per sentence)."""
    for k in range(bisect.bisect_right(nodes, position, key=lambda n: n.start) - 1, -1, -1):
        if position < nodes[k].end:
            return nodes[k]
    return None


def section_path(node: Node | None) -> str:
    parts = []
    while node is not None:
        parts.append(node.marker or node.heading)  # an unnumbered heading stands for itself
        node = node.parent
    return " > ".join(reversed(parts))


def sentence_spans(text: str, cut_points: set[int]) -> list[tuple[int, int, int]]:
    """(para_id, start, end) of every sentence; whitespace-only pieces are skipped."""
    spans = []
    ordered_cuts = sorted(cut_points)  # each paragraph takes its own slice: linear in paragraphs + cuts
    for para_id, (p_start, p_end) in enumerate(paragraphs(text), start=1):
        inside = ordered_cuts[bisect.bisect_right(ordered_cuts, p_start): bisect.bisect_left(ordered_cuts, p_end)]
        cuts = {p_start, p_end} | set(inside)
        cuts |= {p_start + m.end() for m in SENTENCE_END.finditer(text[p_start:p_end])}
        ordered = sorted(c for c in cuts if p_start <= c <= p_end)
        for start, end in zip(ordered, ordered[1:]):
            piece = text[start:end]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            if piece.strip():
                spans.append((para_id, start + lead, end - trail))
    return spans


def sentence_table(doc_id: str, text: str, nodes: list[Node]) -> pd.DataFrame:
    rows = []
    for sent_id, (para_id, start, end) in enumerate(sentence_spans(text, {n.start for n in nodes}), start=1):
        node = deepest_node(nodes, start)
        sentence = text[start:end]
        n_masked = count_mask_chars(sentence)
        rows.append({
            "doc_id": doc_id, "sent_id": sent_id, "para_id": para_id,
            "node_id": node.node_id if node else "", "section_path": section_path(node),
            "start": start, "end": end, "n_chars": end - start, "masked": n_masked > 0,
            "n_masked_chars": n_masked, "text": sentence,
        })
    return pd.DataFrame(rows)


def structure(doc_id: str, text: str, source: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outline and sentence tables of one normalised document (a pure function)."""
    nodes = parse_outline(text)
    if not nodes:
        warnings.warn(f"{source or doc_id}: no enumerated outline found; sentences only, outline empty", stacklevel=2)
    return outline_table(doc_id, nodes), sentence_table(doc_id, text, nodes)
