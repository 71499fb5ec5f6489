"""Extract stage: section roles, priorities, targets and achievements.

Section roles (one per top-level outline node, plus the preamble before it):

* ``review``: the heading names a year before the document's year, or speaks of
  results (成效, 成绩, 回顾, 取得, 迈上新台阶);
* ``requirements``: 工作要求, 保障措施, 组织保障;
* ``situation``: 形势, 指导思想, 总体要求, 总体思路;
* ``plan``: everything else. When the preamble announces the speaker's points
  on this year's work (就做好今年工作讲三点意见), situation headings become plan.

Priorities are the leaves of the outline (depth >= 2) inside plan sections: the
smallest enumerated forward-looking tasks. A plan section without enumeration
yields one priority per paragraph, with a warning. Numbers inside priorities are
targets; numbers inside review sections are achievements.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from tifa.config import DATA_RAW
from tifa.load import read_codebook
from tifa.normalise import count_mask_chars
from tifa.numbers import find_quantities
from tifa.structure import paragraphs
from tifa.tokens import tokenizer

REVIEW_HEADING = re.compile(r"成效|成绩|回顾|取得|迈上新台阶|工作总结")
REQUIREMENTS_HEADING = re.compile(r"工作要求|保障措施|组织保障|有关要求")
SITUATION_HEADING = re.compile(r"形势|指导思想|总体要求|总体思路")
SPEAKER_POINTS = re.compile(r"做好(?:今年|本年|\d{4}年)(?:的)?工作讲[一二三四五六七八九十几两]+(?:点|个方面)意见")
YEAR = re.compile(r"(\d{4})年")

UNITS_NOTE = re.compile(r"[（(]牵头单位[：:](?P<lead>[^；;，,）)]*(?:[，,、][^；;，,）)]*)*?)[；;，,]\s*责任单位[：:](?P<resp>[^）)]*)[）)]")
UNIT_SPLIT = re.compile(r"[、，,]|及(?=其他)")

CLAUSE_END = re.compile(r"[，；：。！？,;:]")
CHANGE_CUE = re.compile(r"(增长|增加|下降|减少|提高|提升|降低|上升|增幅|降幅|压缩|增|降)(了|达|为|至)?$")
HONOUR_CUE = re.compile(r"获评|荣获|入选|被评为|被列为|被命名为|获批|授予|获得.{0,20}(?:称号|荣誉|表彰|奖)|被推荐为|表彰")
RANK_CUE = re.compile(r"率先|首家|首个|首批|第一|前列|第一梯队|唯一|居全[省国市]|全国第[一二三四五六七八九十\d]|全省第[一二三四五六七八九十\d]")
INDICATOR_TRIM_LEFT = re.compile(r"^(其中|年内|全年|一年来|全系统|全市|全省|全局|我局|我市|我省|共|累计|先后|已|新|共计|总计|完成|实现)+")
INDICATOR_TRIM_RIGHT = re.compile(r"(达到|已达|达|为|共计|共|约|近|超过|超|累计|了|是|至|逾|分别)+$")

COMPARATOR_BEFORE = re.compile(r"不少于|至少|不低于|达到|超过|不超过|不高于|控制在|低于|少于|约|近")
COMPARATOR_AFTER = re.compile(r"^(?:及以上|以上|以内|以下|之内|左右)")
COMPARATOR_OF = {"不少于": ">=", "至少": ">=", "不低于": ">=", "达到": ">=", "超过": ">=", "及以上": ">=",
                 "以上": ">=", "不超过": "<=", "不高于": "<=", "控制在": "<=", "低于": "<=", "少于": "<=",
                 "以内": "<=", "以下": "<=", "之内": "<=", "约": "~", "近": "~", "左右": "~"}
PERIOD = re.compile(r"每月|每季度|每半年|每年|每周|每日|每天|全年|年内|年底前|年度|上半年|下半年")


# ----------------------------------------------------------------- section roles
def classify_heading(heading: str, doc_year: int) -> str:
    years = [int(y) for y in YEAR.findall(heading)]
    if any(y < doc_year for y in years) or REVIEW_HEADING.search(heading):
        return "review"
    if REQUIREMENTS_HEADING.search(heading):
        return "requirements"
    if SITUATION_HEADING.search(heading):
        return "situation"
    return "plan"


def section_roles(doc_id: str, text: str, outline: pd.DataFrame, doc_year: int) -> pd.DataFrame:
    """One row per top-level section (and the preamble), with its role."""
    top = outline[outline["depth"] == 1]
    first = int(top["start"].min()) if len(top) else len(text)
    preamble = text[:first]
    speaker_points = bool(SPEAKER_POINTS.search(preamble))
    rows = [{"doc_id": doc_id, "section_id": "0", "marker": "", "heading": "(preamble)", "role": "preamble",
             "rule": "text before the first top-level marker", "start": 0, "end": first}]
    if top.empty:
        rows[0].update(end=len(text))
    for node in top.itertuples():
        heading = node.heading if isinstance(node.heading, str) else ""
        role = classify_heading(heading, doc_year)
        rule = f"heading keywords -> {role}"
        if speaker_points and role == "situation":
            role, rule = "plan", "preamble announces points on this year's work (做好今年工作讲…意见)"
        rows.append({"doc_id": doc_id, "section_id": node.node_id, "marker": node.marker, "heading": heading,
                     "role": role, "rule": rule, "start": int(node.start), "end": int(node.end)})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------- priorities
def code_domain(title: str, text: str, raw_dir: Path = DATA_RAW) -> tuple[str, int, str]:
    """Dominant domain of a priority: most keyword hits among jieba tokens.

    Title tokens count twice (the title names the task). Ties go to the domain
    whose keyword appears first in the title, then in the text; no hit -> other.
    Returns (domain, hits, the matched keywords).
    """
    book = read_codebook(raw_dir)
    tok = tokenizer(raw_dir)
    title_tokens, text_tokens = tok.tokens(title), tok.tokens(text)
    best = ("other", 0, "", (2, 0))
    for row in book.itertuples():
        keywords = {k for k in row.keywords.split(";") if k}
        if not keywords:
            continue
        title_hits = [i for i, t in enumerate(title_tokens) if t in keywords]
        text_hits = [i for i, t in enumerate(text_tokens) if t in keywords]
        score = 2 * len(title_hits) + len(text_hits)
        if score == 0:
            continue
        first = (0, title_hits[0]) if title_hits else (1, text_hits[0])
        matched = sorted({title_tokens[i] for i in title_hits} | {text_tokens[i] for i in text_hits})
        if score > best[1] or (score == best[1] and first < best[3]):
            best = (row.domain, score, ";".join(matched), first)
    return best[0], best[1], best[2]


def split_units(units: str) -> str:
    parts = [u.strip() for u in UNIT_SPLIT.split(units)]
    return ";".join(p for p in parts if p)


def responsible_units(item_text: str) -> tuple[str, str]:
    m = UNITS_NOTE.search(item_text)
    if not m:
        return "", ""
    return split_units(m["lead"]), split_units(m["resp"])


def priority_spans(doc_id: str, text: str, outline: pd.DataFrame, sections: pd.DataFrame,
                   source: str = "") -> list[dict]:
    """(node, start, end) of every priority: outline leaves in plan sections."""
    plan = sections[sections["role"] == "plan"]
    spans = []
    has_children = set(outline["parent_id"].dropna())
    for sec in plan.itertuples():
        inside = outline[(outline["start"] >= sec.start) & (outline["end"] <= sec.end) & (outline["depth"] >= 2)]
        leaves = inside[~inside["node_id"].isin(has_children)]
        for node in leaves.itertuples():
            spans.append({"node_id": node.node_id, "marker": node.marker, "start": int(node.start),
                          "end": int(node.end), "title": node.heading if isinstance(node.heading, str) else ""})
    if spans or plan.empty:
        return spans
    warnings.warn(f"{source or doc_id}: plan sections have no enumerated items; priorities are paragraphs", stacklevel=2)
    for sec in plan.itertuples():
        for start, end in paragraphs(text):
            if start >= sec.start and end <= sec.end and not (start == sec.start and sec.section_id != "0"):
                para = text[start:end]
                title = re.split(r"[。！？；]", para, maxsplit=1)[0]
                spans.append({"node_id": None if sec.section_id == "0" else sec.section_id, "marker": "",
                              "start": start, "end": end, "title": title})
    return spans


def target_rows(doc_id: str, item_id: str, item_text: str) -> list[dict]:
    rows = []
    for q in find_quantities(item_text):
        clause_start = max((m.end() for m in CLAUSE_END.finditer(item_text, 0, q.start)), default=0)
        before = item_text[clause_start:q.start]
        after = item_text[q.end:q.end + 4]
        cues = list(COMPARATOR_BEFORE.finditer(before[-8:]))
        after_cue = COMPARATOR_AFTER.match(after)
        cue = after_cue.group() if after_cue else (cues[-1].group() if cues else "")
        comparator = COMPARATOR_OF.get(cue, "=")
        period = PERIOD.search(before)
        written_end = q.end + (len(after_cue.group()) if after_cue else 0)
        rows.append({
            "doc_id": doc_id, "item_id": item_id, "target_seq": len(rows) + 1,
            "text": item_text[max(clause_start, q.start - 12):written_end],
            "comparator": comparator, "value": q.value, "value_num": q.value_num, "unit": q.unit, "scale": q.scale,
            "value_base": q.value_base, "period": period.group() if period else "",
            "masked": q.masked, "reason": q.reason,
        })
    return rows


def priorities(doc_id: str, text: str, outline: pd.DataFrame, sections: pd.DataFrame, sentences: pd.DataFrame,
               raw_dir: Path = DATA_RAW, source: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    items, targets = [], []
    for seq, span in enumerate(priority_spans(doc_id, text, outline, sections, source), start=1):
        item_id = f"{doc_id}-p{seq:02d}"
        item_text = "".join(text[span["start"]:span["end"]].split())
        title = span["title"].rstrip("。；！？").strip()
        body = item_text[len(span["marker"]):]
        lead, resp = responsible_units(body)
        domain, hits, matched = code_domain(title, UNITS_NOTE.sub("", body), raw_dir)  # 党建科 is a unit, not a topic
        item_targets = target_rows(doc_id, item_id, body)
        targets.extend(item_targets)
        sents = sentences[(sentences["start"] >= span["start"]) & (sentences["end"] <= span["end"])]
        items.append({
            "doc_id": doc_id, "item_id": item_id, "item_seq": seq, "node_id": span["node_id"],
            "section_path": sents["section_path"].iloc[0] if len(sents) else "",  # the item's first sentence
            "marker": span["marker"], "title": title,
            "domain": domain, "domain_hits": hits, "domain_keywords": matched,
            "lead_units": lead, "responsible_units": resp, "n_targets": len(item_targets),
            "n_chars": len(item_text), "first_sent_id": int(sents["sent_id"].min()) if len(sents) else None,
            "last_sent_id": int(sents["sent_id"].max()) if len(sents) else None,
            "start": span["start"], "end": span["end"], "text": body,
        })
    return pd.DataFrame(items, columns=PRIORITY_COLUMNS), pd.DataFrame(targets, columns=TARGET_COLUMNS)


PRIORITY_COLUMNS = ["doc_id", "item_id", "item_seq", "node_id", "section_path", "marker", "title", "domain",
                    "domain_hits", "domain_keywords", "lead_units", "responsible_units", "n_targets", "n_chars",
                    "first_sent_id", "last_sent_id", "start", "end", "text"]
TARGET_COLUMNS = ["doc_id", "item_id", "target_seq", "text", "comparator", "value", "value_num", "unit", "scale",
                  "value_base", "period", "masked", "reason"]


# ----------------------------------------------------------------- achievements
FOLLOWING_NOUN = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?=申报|入选|开展|代表|获|被|[，；。、]|$)")


def _indicator(before: str, after: str) -> str:
    """What is counted: the words before the number, or the noun after it
    when the number comes first (全市8个品牌入选 -> 品牌)."""
    s = INDICATOR_TRIM_RIGHT.sub("", INDICATOR_TRIM_LEFT.sub("", before.strip("、 ")))
    s = s[-20:].lstrip("、“”\"）) ")
    noun = FOLLOWING_NOUN.match(after)
    if noun and noun.group() and (len(s) <= 2 or s.endswith(("全市", "全省", "指导", "对"))):
        return (s + noun.group()) if s and not s.endswith(("全市", "全省")) else noun.group()
    return s


def achievement_rows(doc_id: str, sentence: pd.Series, doc_year: int) -> list[dict]:
    text = sentence["text"]
    years = [int(y) for y in YEAR.findall(text) if int(y) < doc_year]
    year = years[0] if years else doc_year - 1
    base = {"doc_id": doc_id, "sent_id": int(sentence["sent_id"]), "year": year}
    rows: list[dict] = []
    previous_end = 0
    for q in find_quantities(text):
        clause_start = max((m.end() for m in CLAUSE_END.finditer(text, 0, q.start)), default=0)
        segment = text[max(clause_start, previous_end):q.start]
        segment_full = text[clause_start:q.start]
        kind = {"元": "money", "%": "percent"}.get(q.unit, "count")
        if CHANGE_CUE.search(segment_full.rstrip("了达为至约近超")) or q.unit in {"个百分点", "百分点"} or (
            rows and rows[-1]["kind"] == "change" and segment.strip() == "、"
        ):
            kind = "change"
        indicator = _indicator(segment, text[q.end:])
        if not indicator and rows:
            indicator = rows[-1]["indicator"]
        rows.append({**base, "achievement_id": f"{doc_id}-s{int(sentence['sent_id']):04d}-{len(rows) + 1}", "start": q.start, "indicator": indicator, "value": q.value,
                     "value_num": q.value_num, "unit": q.unit, "scale": q.scale, "value_base": q.value_base,
                     "qualifier": q.qualifier, "masked": q.masked, "kind": kind, "linked_to": "",
                     "reason": q.reason, "claim": text[clause_start:q.end]})
        previous_end = q.end
    link_changes(rows)
    for clause in _clauses(text):
        for cue, kind in ((HONOUR_CUE, "honour"), (RANK_CUE, "rank")):
            m = cue.search(clause[1])
            if m:
                rows.append({**base, "achievement_id": f"{doc_id}-s{int(sentence['sent_id']):04d}-{len(rows) + 1}",
                             "start": clause[0] + m.start(), "indicator": m.group(), "value": "", "value_num": None,
                             "unit": "", "scale": "", "value_base": None, "qualifier": "", "masked": count_mask_chars(clause[1]) > 0,
                             "kind": kind, "linked_to": "", "reason": "non-numeric claim", "claim": clause[1]})
                break
    return rows


def link_changes(rows: list[dict]) -> None:
    """Point each growth/decline row at the claim it modifies.

    A run of change rows after 分别 (同比分别增长a%、b%) maps one-to-one onto
    the same number of preceding claims; otherwise a change modifies the
    nearest preceding claim.
    """
    i = 0
    while i < len(rows):
        if rows[i]["kind"] != "change":
            i += 1
            continue
        j = i
        while j < len(rows) and rows[j]["kind"] == "change":
            j += 1
        run, claims = rows[i:j], [r for r in rows[:i] if r["kind"] != "change"]
        if "分别" in run[0]["claim"] and len(claims) >= len(run):
            pairs = zip(run, claims[-len(run):])
        else:
            pairs = ((r, claims[-1]) for r in run) if claims else ()
        for change, claim in pairs:
            change["linked_to"], change["indicator"] = claim["achievement_id"], claim["indicator"]
        i = j


def _clauses(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in re.finditer(r"[，；。！？]", text):
        out.append((start, text[start:m.end()]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


ACHIEVEMENT_COLUMNS = ["doc_id", "achievement_id", "sent_id", "section_id", "year", "kind", "domain", "indicator", "value",
                       "value_num", "unit", "scale", "value_base", "qualifier", "masked", "linked_to", "reason",
                       "claim", "text"]


def achievements(doc_id: str, sections: pd.DataFrame, sentences: pd.DataFrame, doc_year: int,
                 raw_dir: Path = DATA_RAW) -> pd.DataFrame:
    rows = []
    for sec in sections[sections["role"] == "review"].itertuples():
        inside = sentences[(sentences["start"] >= sec.start) & (sentences["end"] <= sec.end)]
        for _, sentence in inside.iterrows():
            for row in achievement_rows(doc_id, sentence, doc_year):
                row.update(section_id=sec.section_id, text=sentence["text"],
                           domain=code_domain(row["claim"], sentence["text"], raw_dir)[0])
                rows.append(row)
    rows.sort(key=lambda r: (r["sent_id"], r["start"]))
    for row in rows:
        row.pop("start")
    return pd.DataFrame(rows, columns=ACHIEVEMENT_COLUMNS)


# ------------------------------------------------------------------ corpus level
def tables(processed, raw_dir: Path = DATA_RAW) -> dict[str, pd.DataFrame]:
    """sections, priorities, targets and achievements for every document."""
    sections, items, targets, claims = [], [], [], []
    for p in processed:
        doc_id, year = p.doc.doc_id, int(p.doc.meta["year"])
        sec = section_roles(doc_id, p.text, p.outline, year)
        pri, tgt = priorities(doc_id, p.text, p.outline, sec, p.sentences, raw_dir, str(p.doc.path))
        sections.append(sec)
        items.append(pri)
        targets.append(tgt)
        claims.append(achievements(doc_id, sec, p.sentences, year, raw_dir))

    def concat(frames, columns):
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)

    return {
        "sections": concat(sections, ["doc_id", "section_id", "marker", "heading", "role", "rule", "start", "end"]),
        "priorities": concat(items, PRIORITY_COLUMNS),
        "targets": concat(targets, TARGET_COLUMNS),
        "achievements": concat(claims, ACHIEVEMENT_COLUMNS),
    }
