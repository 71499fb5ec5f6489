"""Structure stage: the enumerated outline and the sentence table of one document.

Outline markers, from the top of the hierarchy down (their `rank`):

====  ================  ==========================  =====================
rank  marker_type       example                     where it may stand
====  ================  ==========================  =====================
1     cn_dun            一、                         start of a paragraph
2     cn_paren          （一） (also (一) before       start of a paragraph
                        normalisation)
3     arabic            1.  1、                       start of a paragraph
4     arabic_paren      （1）                         start of a paragraph
5     inline_shi/yao    一是 … 二是 / 一要 … 二要      start of a paragraph, or after 。；：！？
5     dash              ——                          start of a paragraph
====  ================  ==========================  =====================

A node of rank 1-4 runs until the next node of the same or a higher rank. Rank-5
items never run past their paragraph. An inline marker counts only in sequence
(二是 only after 一是 under the same parent), so 统一是 or a stray 二要 is not
read as a list item.

Sentences end after 。！？； (with any closing quote or bracket that follows),
at the end of a paragraph, and wherever an outline node starts. Their offsets
index the normalised text, so no character can be lost between the two.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import pandas as pd

from tifa.normalise import count_mask_chars

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN = "一二三四五六七八九十"

PARAGRAPH_MARKERS = [
    (1, "cn_dun", re.compile(f"^([{_CN}]+)、")),
    (2, "cn_paren", re.compile(f"^（([{_CN}]+)）")),
    (3, "arabic", re.compile(r"^(\d{1,2})[.、](?!\d)")),
    (4, "arabic_paren", re.compile(r"^（(\d{1,2})）")),
    (5, "dash", re.compile(r"^——()")),
]
INLINE_MARKER = re.compile(f"(?:^|(?<=[。；：！？]))([{_CN}]+)([是要])")
SENTENCE_END = re.compile(r"[。！？；][”’）」』》]*")
HEADING_END = re.compile(r"[。！？；]")
INLINE_RANK = 5


def chinese_numeral(text: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23 (enough for list markers)."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


@dataclass
class Node:
    rank: int
    marker_type: str
    marker: str
    ordinal: int
    start: int
    para_end: int
    parent: "Node | None" = None
    end: int = -1
    node_id: str = ""
    heading: str = ""

    @property
    def depth(self) -> int:
        return 1 if self.parent is None else self.parent.depth + 1


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (line) of normalised text, without the LF."""
    spans, pos = [], 0
    for line in text.split("\n"):
        if line:
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _find_markers(text: str) -> list[Node]:
    """All outline markers in document order, parents linked, ends not yet set."""
    nodes: list[Node] = []
    stack: list[Node] = []
    last_inline: dict[int, Node] = {}  # id(parent or None) -> last inline child
    for p_start, p_end in paragraphs(text):
        para = text[p_start:p_end]
        stack = [n for n in stack if n.rank < INLINE_RANK]
        candidates = []
        for rank, kind, pattern in PARAGRAPH_MARKERS:
            m = pattern.match(para)
            if m:
                candidates.append((0, rank, kind, m.group(0), m.group(1)))
                break
        for m in INLINE_MARKER.finditer(para):
            kind = "inline_shi" if m.group(2) == "是" else "inline_yao"
            candidates.append((m.start(), INLINE_RANK, kind, m.group(0), m.group(1)))
        for offset, rank, kind, marker, numeral in sorted(candidates, key=lambda c: c[0]):
            ordinal = chinese_numeral(numeral) if numeral else 0
            while stack and stack[-1].rank >= rank:
                stack.pop()
            parent = stack[-1] if stack else None
            if kind.startswith("inline") or kind == "dash":
                previous = last_inline.get(id(parent))
                if kind == "dash":
                    ordinal = previous.ordinal + 1 if previous and previous.marker_type == "dash" else 1
                elif ordinal != 1 and not (
                    previous and previous.marker_type == kind and previous.ordinal == ordinal - 1
                ):
                    continue  # out of sequence: ordinary text, not a list item
            node = Node(rank, kind, marker, ordinal, p_start + offset, p_end, parent)
            if rank == INLINE_RANK:
                last_inline[id(parent)] = node
            nodes.append(node)
            stack.append(node)
    return nodes


def parse_outline(text: str) -> list[Node]:
    """The enumerated hierarchy of a normalised document, with ids, ends and headings."""
    nodes = _find_markers(text)
    for i, node in enumerate(nodes):
        end = len(text.rstrip("\n"))
        for later in nodes[i + 1:]:
            if later.rank <= node.rank:
                end = later.start
                break
        if node.rank == INLINE_RANK:
            end = min(end, node.para_end)
        if node.parent is not None:
            end = min(end, node.parent.end)
        node.end = end
        body = text[node.start + len(node.marker): min(end, node.para_end)]
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
    """The innermost outline node whose span contains `position`."""
    found = None
    for node in nodes:
        if node.start > position:
            break
        if node.start <= position < node.end:
            found = node
    return found


def section_path(node: Node | None) -> str:
    parts = []
    while node is not None:
        parts.append(node.marker)
        node = node.parent
    return " > ".join(reversed(parts))


def sentence_spans(text: str, cut_points: set[int]) -> list[tuple[int, int, int]]:
    """(para_id, start, end) of every sentence; whitespace-only pieces are skipped."""
    spans = []
    for para_id, (p_start, p_end) in enumerate(paragraphs(text), start=1):
        cuts = {p_start, p_end} | {c for c in cut_points if p_start < c < p_end}
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
