"""Extract stage: section roles, priorities, targets and achievements.

Section roles (one per top-level outline node, plus the preamble before it):

* ``review``: the heading names a year before the document's year, 回顾 or 工作总结,
  or speaks of results (成效, 成绩, 取得, 迈上新台阶) as words: not 未取得, not
  取得新成效, not in a heading that looks forward (确保, 推动 …);
* ``requirements``: 工作要求, 保障措施, 组织保障;
* ``situation``: 形势, 指导思想, 总体要求, 总体思路;
* ``plan``: everything else. When the preamble announces the speaker's points
  on this year's work (就做好今年工作讲三点意见), situation headings become plan;
* ``back_matter``: a trailing site footer, signature or date (structure.back_matter_start).

Priorities are the leaves of the outline (depth >= 2) inside plan sections: the
smallest enumerated forward-looking tasks (role ``task``). Requirement-type items
(一要…六要 outside plan sections, items of 工作要求 sections) have role
``requirement``. A plan section without enumeration yields one priority per
paragraph, with a warning. Candidates that are not task-like (chapters, articles,
fragments, form titles) are listed in priority_rejections instead. Numbers inside
priorities are targets (not a ranking of regions); numbers inside review sections
are achievements.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

from tifa.text.normalise import count_mask_chars, is_han
from tifa.text.numbers import find_quantities
from tifa.rows import records
from tifa.text.structure import back_matter_start, paragraphs

REVIEW_HEADING = re.compile(r"回顾|工作总结|过去一年|过去五年")
# Result words, read as words: not negated (未取得), not a new goal (新成效), not in a forward-looking heading.
RESULT_WORDS = re.compile(r"(?<![未没无尚新])(?:成效|成绩|取得(?!新)|迈上新台阶)")
FORWARD_WORDS = re.compile(r"确保|力争|推动|推进|争取|努力|奋力|全力|着力|加快|开创")
REQUIREMENTS_HEADING = re.compile(r"工作要求|保障措施|组织保障|有关要求")
SITUATION_HEADING = re.compile(r"形势|指导思想|总体要求|总体思路")
SPEAKER_POINTS = re.compile(r"做好(?:今年|本年|\d{4}年)(?:的)?工作讲[一二三四五六七八九十几两]+(?:点|个方面)意见")
YEAR = re.compile(r"(\d{4})年")

UNITS_NOTE = re.compile(r"[（(]牵头单位[：:](?P<lead>[^；;，,）)]*(?:[，,、][^；;，,）)]*)*?)[；;，,]\s*责任单位[：:](?P<resp>[^）)]*)[）)]")
UNIT_SPLIT = re.compile(r"[、，,]|及(?=其他)")

# Priority titles must be task-like (table priority_rejections says what was left out and why).
MIN_TITLE_HAN = 4
CHAPTER_TITLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+[章节条]")
FORM_TITLE = re.compile(r"^附[件表]|[登记申请统计汇总一览报名信息分解]表(?:格)?$|表格$")
# A number right after a place name is that place's value in a ranking or list, not a target.
REGION_LABEL = re.compile(r"(?![全各本我该每])[\u4e00-\u9fff]{1,8}(?:省|市|县|区|州|盟|旗)")
RANKING = re.compile(r"排名|排在|排序|位列|位居|名列|列第|靠前|靠后|分别为")

CLAUSE_END = re.compile(r"[，；：。！？,;:]")
CHANGE_CUE = re.compile(r"(增长|增加|下降|减少|提高|提升|降低|上升|增幅|降幅|压缩|增|降)(了|达|为|至)?$")
# An honour cue; the honour's name follows it (获得 looks up to 60 characters ahead for 称号/荣誉/表彰/奖).
HONOUR_CUE = re.compile(r"获评|荣获|入选|被评为|被列为|被命名为|被[^，；。]{0,6}?列入|获批|授予|勇夺|夺得|摘得|被推荐为"
                        r"|获得(?=[^，；。]{0,60}?(?:称号|荣誉|表彰|奖))|获(?=“[^”]{1,10}”等次)|表彰")
# 第一 is a rank, 第一次/第一轮/第一线/第一、第二 are ordinals.
NOT_ORDINAL = r"(?![次轮线届批步时期阶号、])"
RANK_CUE = re.compile(rf"(?:全[国省])?第一(?:梯队|方阵)|率先|首家|首个|首批|零突破|第一{NOT_ORDINAL}|前列|唯一|居全[省国市]"
                      rf"|全[国省]第[一二三四五六七八九十\d]{NOT_ORDINAL}")
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
    """Role of a top-level section from the words of its heading.

    Result words count only as words: 取得 inside 未取得, 成效 inside 新成效 and a
    heading that looks forward (推动…取得新成效) do not make a review.
    """
    years = [int(y) for y in YEAR.findall(heading)]
    if any(y < doc_year for y in years) or REVIEW_HEADING.search(heading):
        return "review"
    if RESULT_WORDS.search(heading) and not FORWARD_WORDS.search(heading):
        return "review"
    if REQUIREMENTS_HEADING.search(heading):
        return "requirements"
    if SITUATION_HEADING.search(heading):
        return "situation"
    return "plan"


def section_roles(doc_id: str, text: str, outline: pd.DataFrame, doc_year: int) -> pd.DataFrame:
    """One row per top-level section, the preamble (front matter: title, byline, addressee) and,
    when there is one, the back matter (site footer, signature, date; see structure.back_matter_start)."""
    return pd.DataFrame(section_rows(doc_id, text, outline, doc_year), columns=SECTION_COLUMNS)


def section_rows(doc_id: str, text: str, outline: pd.DataFrame, doc_year: int) -> list[dict]:
    """`section_roles` as a list of rows."""
    top = [n for n in records(outline, ["node_id", "marker", "heading", "start", "end", "depth"]) if n["depth"] == 1]
    back = back_matter_start(text)
    first = min(int(n["start"]) for n in top) if top else back
    preamble = text[:first]
    speaker_points = bool(SPEAKER_POINTS.search(preamble))
    rows = [{"doc_id": doc_id, "section_id": "0", "marker": "", "heading": "(preamble)", "role": "preamble",
             "rule": "text before the first top-level marker", "start": 0, "end": first}]
    for node in top:
        heading = node["heading"] if isinstance(node["heading"], str) else ""
        role = classify_heading(heading, doc_year)
        rule = f"heading keywords -> {role}"
        if speaker_points and role == "situation":
            role, rule = "plan", "preamble announces points on this year's work (做好今年工作讲…意见)"
        rows.append({"doc_id": doc_id, "section_id": node["node_id"], "marker": node["marker"], "heading": heading,
                     "role": role, "rule": rule, "start": int(node["start"]), "end": int(node["end"])})
    if back < len(text.rstrip()):
        rows.append({"doc_id": doc_id, "section_id": "back", "marker": "", "heading": "(back matter)",
                     "role": "back_matter", "rule": "trailing site footer, signature or date",
                     "start": back, "end": len(text.rstrip())})
    return rows


# ------------------------------------------------------------------- priorities
@lru_cache(maxsize=8)
def _compiled_codebook(pairs: tuple[tuple[str, str], ...]) -> tuple[list[str], dict[str, list[int]], list[set[str]]]:
    """Domains, keyword -> domain indices, and each domain's keyword set: built once per codebook."""
    domains = [domain for domain, _ in pairs]
    keywords = [{k for k in cell.split(";") if k} for _, cell in pairs]
    index: dict[str, list[int]] = {}
    for i, words in enumerate(keywords):
        for word in words:
            index.setdefault(word, []).append(i)
    return domains, index, keywords


def compiled_codebook(codebook) -> tuple[list[str], dict[str, list[int]], list[set[str]]]:
    """`_compiled_codebook` of a codebook table; an already compiled one is returned as it is (callers
    coding many texts compile once)."""
    if isinstance(codebook, tuple):
        return codebook
    return _compiled_codebook(tuple(zip(codebook["domain"], codebook["keywords"])))


@lru_cache(maxsize=4096)
def cached_tokens(tok, text: str) -> tuple[str, ...]:
    """jieba tokens, cached: achievements code several claims of one sentence against the same text,
    whose words the per-document stage has already counted."""
    return tuple(tok.tokens(text))


def code_domain(title: str, text: str, codebook, tok) -> tuple[str, int, str]:
    """Dominant domain of a priority from codebook keywords among jieba tokens.

    The domain whose keywords occur most often in the title wins: the title names
    the task. Title words come before body words, so the body only decides between
    domains the title cannot tell apart: then most hits (title tokens count twice),
    then most title words that are part of a keyword (市场主体 in 市场主体培育), then
    the earliest hit. No hit -> other. Returns (domain, hits, the matched keywords),
    hits = 2 x title hits + body hits. `codebook`: the table, or `compiled_codebook` of it.
    """
    domains, index, keywords = compiled_codebook(codebook)
    title_tokens, text_tokens = cached_tokens(tok, title), cached_tokens(tok, text)
    found: dict[int, list] = {}  # domain index -> [title hits, body hits, first hit, matched words]
    for where, tokens in ((0, title_tokens), (1, text_tokens)):
        for position, token in enumerate(tokens):
            for i in index.get(token, ()):
                entry = found.setdefault(i, [0, 0, (where, position), set()])
                entry[where] += 1
                entry[3].add(token)
    if not found:
        return "other", 0, ""

    def hits(i: int) -> tuple[int, int]:
        title_hits, body_hits, _, _ = found[i]
        return -title_hits, -(2 * title_hits + body_hits)

    top = min(hits(i) for i in found)
    tied = [i for i in found if hits(i) == top]
    title_words = {t for t in title_tokens if len(t) >= 2}

    def rank(i: int) -> tuple:  # among domains tied on hits; the partial-word count is the costly part
        partial = sum(1 for t in title_words if t not in keywords[i] and any(t in k for k in keywords[i]))
        return -partial, found[i][2]

    best = tied[0] if len(tied) == 1 else min(tied, key=rank)
    return domains[best], 2 * found[best][0] + found[best][1], ";".join(sorted(found[best][3]))


def split_units(units: str) -> str:
    parts = [u.strip() for u in UNIT_SPLIT.split(units)]
    return ";".join(p for p in parts if p)


def responsible_units(item_text: str) -> tuple[str, str]:
    m = UNITS_NOTE.search(item_text)
    if not m:
        return "", ""
    return split_units(m["lead"]), split_units(m["resp"])


def rejection_reason(title: str, marker_type: str = "") -> str:
    """Why a candidate priority is not a task ('' if it is one)."""
    if marker_type in {"chapter", "section", "article"} or CHAPTER_TITLE.search(title):
        return "chapter or article of a regulation, not a task"
    if sum(map(is_han, title)) < MIN_TITLE_HAN:
        return f"title has fewer than {MIN_TITLE_HAN} Han characters (a fragment, not a task)"
    if FORM_TITLE.search(title):
        return "title of a form, table or attachment"
    return ""


def priority_spans(doc_id: str, text: str, outline: pd.DataFrame, sections: pd.DataFrame | list[dict],
                   source: str = "") -> list[dict]:
    """(node, start, end, role, reason) of every candidate priority.

    Tasks (role ``task``) are the outline leaves of plan sections. Requirement-type
    items (role ``requirement``) are the leaves of requirements sections, of a
    工作要求-type node inside a plan section, and 一要…六要 lists outside plan
    sections (how to work rather than what to do). `reason` says why a candidate
    is not a priority (see `rejection_reason`); '' for accepted ones.
    """
    spans = []
    nodes = records(outline, ["node_id", "parent_id", "marker", "marker_type", "heading", "start", "end", "depth"])
    has_children = {n["parent_id"] for n in nodes if isinstance(n["parent_id"], str)}
    requirement_nodes = [n["node_id"] for n in nodes if isinstance(n["heading"], str) and REQUIREMENTS_HEADING.search(n["heading"])]
    under_requirement = re.compile("^(?:" + "|".join(re.escape(n) + r"\." for n in requirement_nodes) + ")") \
        if requirement_nodes else None
    all_sections = records(sections, SECTION_COLUMNS)
    for sec in (r for r in all_sections if r["role"] in ("plan", "requirements", "situation")):
        leaves = [n for n in nodes if n["start"] >= sec["start"] and n["end"] <= sec["end"] and n["depth"] >= 2
                  and n["node_id"] not in has_children]
        for node in leaves:
            if sec["role"] == "requirements" or (under_requirement and under_requirement.match(node["node_id"])):
                role = "requirement"
            elif sec["role"] == "plan":
                role = "task"
            elif node["marker_type"] == "inline_yao":
                role = "requirement"
            else:
                continue
            title = node["heading"] if isinstance(node["heading"], str) else ""
            spans.append({"node_id": node["node_id"], "marker": node["marker"], "start": int(node["start"]),
                          "end": int(node["end"]), "title": title, "role": role,
                          "reason": rejection_reason(title, node["marker_type"])})
    plan = [r for r in all_sections if r["role"] == "plan"]
    if any(s["role"] == "task" for s in spans) or not plan:
        return spans
    warnings.warn(f"{source or doc_id}: plan sections have no enumerated items; priorities are paragraphs", stacklevel=2)
    paras = paragraphs(text)
    for sec in plan:
        sec_start, sec_end, sec_id, heading = sec["start"], sec["end"], sec["section_id"], sec["heading"]
        inside = [(max(a, sec_start), min(b, sec_end)) for a, b in paras if a < sec_end and b > sec_start]
        if sec_id != "0" and len(inside) == 1 and inside[0][0] == sec_start and isinstance(heading, str) \
                and heading and not rejection_reason(heading):
            # a one-line page whose top-level items are the tasks (一、加强…。…二、…): the section is the task
            spans.append({"node_id": sec_id, "marker": sec["marker"], "start": int(sec_start), "end": int(sec_end),
                          "title": heading, "role": "task", "reason": ""})
            continue
        for start, end in paras:
            if start >= sec_start and end <= sec_end and not (start == sec_start and sec_id != "0"):
                para = text[start:end]
                title = re.split(r"[。！？；]", para, maxsplit=1)[0]
                spans.append({"node_id": None if sec_id == "0" else sec_id, "marker": "",
                              "start": start, "end": end, "title": title, "role": "task",
                              "reason": rejection_reason(title)})
    return sorted(spans, key=lambda s: s["start"])


def target_rows(doc_id: str, item_id: str, item_text: str) -> list[dict]:
    """Numbers of a priority as targets, except values of a ranking or list of regions
    (保定市95.7%、唐山市93.91%: results per city, not something to reach)."""
    rows = []
    for q in find_quantities(item_text):
        clause_start = max((m.end() for m in CLAUSE_END.finditer(item_text, 0, q.start)), default=0)
        before = item_text[clause_start:q.start]
        label = re.split(r"[、：:\s]", before)[-1]
        if REGION_LABEL.fullmatch(label) or (RANKING.search(before) and REGION_LABEL.search(label)):
            continue
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


def priority_tables(doc_id: str, text: str, outline: pd.DataFrame, sections: pd.DataFrame | list[dict], sentences: pd.DataFrame,
                    codebook: pd.DataFrame, tok, source: str = "") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Priorities, their targets, and the candidates rejected as not task-like (with the reason).

    Tasks are numbered <doc_id>-p01…, requirement-type items <doc_id>-r01…; item_seq
    counts within the role, in document order.
    """
    items, targets, rejected = priority_rows(doc_id, text, outline, sections, sentences, codebook, tok, source)
    return (pd.DataFrame(items, columns=PRIORITY_COLUMNS), pd.DataFrame(targets, columns=TARGET_COLUMNS),
            pd.DataFrame(rejected, columns=REJECTION_COLUMNS))


def priority_rows(doc_id: str, text: str, outline: pd.DataFrame, sections: pd.DataFrame | list[dict],
                  sentences: pd.DataFrame, codebook, tok, source: str = "") -> tuple[list[dict], list[dict], list[dict]]:
    """`priority_tables` as lists of rows."""
    items, targets, rejected = [], [], []
    seq = {"task": 0, "requirement": 0}
    codebook = compiled_codebook(codebook)
    sent_starts, sent_ends = sentences["start"].to_numpy(), sentences["end"].to_numpy()
    sent_ids, sent_paths = sentences["sent_id"].to_numpy(), sentences["section_path"].to_numpy()
    for span in priority_spans(doc_id, text, outline, sections, source):
        title = span["title"].rstrip("。；！？").strip()
        if span["reason"]:
            rejected.append({"doc_id": doc_id, "node_id": span["node_id"], "title": title, "reason": span["reason"]})
            continue
        role = span["role"]
        seq[role] += 1
        item_id = f"{doc_id}-{'p' if role == 'task' else 'r'}{seq[role]:02d}"
        item_text = "".join(text[span["start"]:span["end"]].split())
        body = item_text[len(span["marker"]):]
        lead, resp = responsible_units(body)
        domain, hits, matched = code_domain(title, UNITS_NOTE.sub("", body), codebook, tok)  # 党建科 is a unit, not a topic
        item_targets = target_rows(doc_id, item_id, body)
        targets.extend(item_targets)
        inside = (sent_starts >= span["start"]) & (sent_ends <= span["end"])
        ids = sent_ids[inside]
        items.append({
            "doc_id": doc_id, "item_id": item_id, "item_seq": seq[role], "role": role, "node_id": span["node_id"],
            "section_path": sent_paths[inside][0] if len(ids) else "",  # the item's first sentence
            "marker": span["marker"], "title": title,
            "domain": domain, "domain_hits": hits, "domain_keywords": matched,
            "lead_units": lead, "responsible_units": resp, "n_targets": len(item_targets),
            "n_chars": len(item_text), "first_sent_id": int(ids.min()) if len(ids) else None,
            "last_sent_id": int(ids.max()) if len(ids) else None,
            "start": span["start"], "end": span["end"], "text": body,
        })
    return items, targets, rejected


def priorities(doc_id: str, text: str, outline: pd.DataFrame, sections: pd.DataFrame, sentences: pd.DataFrame,
               codebook: pd.DataFrame, tok, source: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Priorities and targets of one document (see `priority_tables`)."""
    items, targets, _ = priority_tables(doc_id, text, outline, sections, sentences, codebook, tok, source)
    return items, targets


def priority_rejections(doc_id: str, text: str, outline: pd.DataFrame, sections: pd.DataFrame,
                        source: str = "") -> pd.DataFrame:
    """Candidate priorities that are not task-like, with the reason (table priority_rejections)."""
    rows = [{"doc_id": doc_id, "node_id": s["node_id"], "title": s["title"].rstrip("。；！？").strip(),
             "reason": s["reason"]} for s in priority_spans(doc_id, text, outline, sections, source) if s["reason"]]
    return pd.DataFrame(rows, columns=REJECTION_COLUMNS)


SECTION_COLUMNS = ["doc_id", "section_id", "marker", "heading", "role", "rule", "start", "end"]
PRIORITY_COLUMNS = ["doc_id", "item_id", "item_seq", "role", "node_id", "section_path", "marker", "title", "domain",
                    "domain_hits", "domain_keywords", "lead_units", "responsible_units", "n_targets", "n_chars",
                    "first_sent_id", "last_sent_id", "start", "end", "text"]
TARGET_COLUMNS = ["doc_id", "item_id", "target_seq", "text", "comparator", "value", "value_num", "unit", "scale",
                  "value_base", "period", "masked", "reason"]
REJECTION_COLUMNS = ["doc_id", "node_id", "title", "reason"]


# ----------------------------------------------------------------- achievements
FOLLOWING_NOUN = re.compile(r"^(?!持)[\u4e00-\u9fff]{1,10}?(?=申报|入选|开展|实施|进行|接受|接收|参加|颁发|发放|分别|分获|代表|获|被|和|及|与|的"
                            r"|[^\u4e00-\u9fff]|$)")  # (?!持): ×支持 is 支持, not a classifier
# Words before a number that cannot be what it counts: a preposition or a coordinator (对××家小微企业,
# 省级成员单位和×个市州政府: the noun after the classifier is counted).
NOT_THE_COUNTED = re.compile(r"(?:对|向|为|给|来自|和|及|与|、)$")
# Units that are classifiers: the noun after them names what is counted (××个国家, ××家小微企业).
CLASSIFIERS = frozenset("个 家 户 名 项 件 张 所 处 条 份 批 类 场 人 宗 座 部 套 本 位 种 支 辆 株 只 块 台 笔 篇 期".split())


def _indicator(before: str, after: str, unit: str = "", follows_a_number: bool = False) -> str:
    """What is counted: the words before the number, or the noun after it when the number comes first
    (全市8个品牌入选 -> 品牌). A classifier's noun wins when the words before it cannot be the counted
    object: a preposition or coordinator (对××家小微企业 -> 小微企业), or the previous number's noun
    (××个总仓接收来自××个国家 -> 国家)."""
    s = INDICATOR_TRIM_RIGHT.sub("", INDICATOR_TRIM_LEFT.sub("", before.strip("、 ")))
    s = s[-20:].lstrip("、“”\"）) ")
    noun = FOLLOWING_NOUN.match(after)
    if noun and unit in CLASSIFIERS and (NOT_THE_COUNTED.search(before.strip()) or follows_a_number):
        return noun.group()
    if noun and noun.group() and (len(s) <= 2 or s.endswith(("全市", "全省", "指导", "对"))):
        return (s + noun.group()) if s and not s.endswith(("全市", "全省", "对")) else noun.group()
    return s


# A ceiling or a target is not a result: 进销差率不应超过××%, 力争…, 确保…达到.
NOT_A_RESULT = re.compile(r"力争|确保|争取|目标|不应|不得|不超过|不高于|计划")
# Situation sections describe the present and the tasks ahead; a sentence there is read for
# results only when it reports one, does not benchmark other regions, and then clause by
# clause without requirements (要, 将, 必须).
SITUATION_RESULT = re.compile(r"突破|累计|达到|建成|获批|走在.{0,8}前列|当前|近年来|取得|实现")
SITUATION_SKIP = re.compile(r"相比|兄弟省份")
SITUATION_FORWARD = re.compile(r"(?<![重主需首纲摘概])要(?![素点])|将|必须|应当")
# Where a list of honour names ends: 等荣誉 (not 三等奖), a verb that follows the name, punctuation.
HONOUR_LIST_END = re.compile(r"(?<![一二三四五六七八九十])等(?:[^“”、，]{0,4}(?:荣誉|称号|表彰|奖))|进行|予以|[，；。！？]")


def reports_results(sentence: str) -> bool:
    """Does a sentence of a situation section report results of its own (当前，我省市场主体总量突破×××万大关)?
    Not when it benchmarks other regions (与兄弟省份相比，广东省…)."""
    return bool(SITUATION_RESULT.search(sentence)) and not SITUATION_SKIP.search(sentence)


def _claim_year(text: str, position: int, doc_year: int) -> dict:
    """The year a claim refers to, and where it comes from: the nearest earlier year named
    before it in the sentence, else one named after it ('text'); else the document year
    minus one ('rule', a guess: an award cited as a past baseline may be older)."""
    years = [(m.start(), int(m.group(1))) for m in YEAR.finditer(text) if int(m.group(1)) < doc_year]
    before = [y for pos, y in years if pos < position]
    if before or years:
        return {"year": before[-1] if before else years[0][1], "year_source": "text"}
    return {"year": doc_year - 1, "year_source": "rule"}


def _split_outside_quotes(text: str, separators: str = "、和") -> list[str]:
    """Items of a list, split at separators that are not inside “quotes”."""
    items, depth, current = [], 0, ""
    for ch in text:
        depth += (ch == "“") - (ch == "”")
        if ch in separators and depth == 0:
            items.append(current)
            current = ""
        else:
            current += ch
    return [i.strip() for i in items + [current] if i.strip()]


def honour_names(after_cue: str) -> list[str]:
    """One name per honour in what follows the cue: a list split on 、/和 outside quotes,
    or a run of quoted names (“A”“B”等荣誉), else the whole phrase."""
    span = HONOUR_LIST_END.split(after_cue, maxsplit=1)[0]
    items = _split_outside_quotes(span)
    if len(items) == 1:
        quoted = re.findall(r"“[^”]+”", span)
        if len(quoted) > 1 and "".join(quoted) == span.strip():
            items = quoted
    return items or [span]


def _rank_groups(clause: str) -> list[tuple[int, str]]:
    """Rank cues of a clause; cues not separated by 、/和/punctuation are one claim (居全省…第一)."""
    groups: list[list[int]] = []
    for m in RANK_CUE.finditer(clause):
        if groups and not re.search(r"[、和，；“”]", clause[groups[-1][1]:m.start()]):
            groups[-1][1] = m.end()
        else:
            groups.append([m.start(), m.end()])
    return [(a, clause[a:b]) for a, b in groups]


def achievement_rows(doc_id: str, sentence: pd.Series, doc_year: int, situation: bool = False) -> list[dict]:
    """Numeric claims, honours and ranks of one sentence of a review (or situation) section."""
    text = sentence["text"]
    sent_id = int(sentence["sent_id"])
    base = {"doc_id": doc_id, "sent_id": sent_id}
    clauses = _clauses(text)

    def clause_at(pos: int) -> tuple[int, str]:
        return [c for c in clauses if c[0] <= pos][-1]

    def excluded(pos: int) -> bool:
        clause = clause_at(pos)[1]
        return bool(NOT_A_RESULT.search(clause) or (situation and SITUATION_FORWARD.search(clause)))

    rows: list[dict] = []
    previous_end = 0
    for q in find_quantities(text):
        if excluded(q.start):
            continue
        clause_start = max((m.end() for m in CLAUSE_END.finditer(text, 0, q.start)), default=0)
        segment = text[max(clause_start, previous_end):q.start]
        segment_full = text[clause_start:q.start]
        kind = {"元": "money", "%": "percent"}.get(q.unit, "count")
        if CHANGE_CUE.search(segment_full.rstrip("了达为至约近超")) or q.unit in {"个百分点", "百分点"} or (
            rows and rows[-1]["kind"] == "change" and segment.strip() == "、"
        ):
            kind = "change"
        indicator = _indicator(segment, text[q.end:], q.unit, previous_end > clause_start)
        if not indicator and rows:
            indicator = rows[-1]["indicator"]
        rows.append({**base, "achievement_id": f"{doc_id}-s{sent_id:04d}-{len(rows) + 1}", "start": q.start,
                     **_claim_year(text, q.start, doc_year), "indicator": indicator, "value": q.value,
                     "value_num": q.value_num, "unit": q.unit, "scale": q.scale, "value_base": q.value_base,
                     "qualifier": q.qualifier, "masked": q.masked, "kind": kind, "linked_to": "",
                     "reason": q.reason, "claim": text[clause_start:q.end]})
        previous_end = q.end
    link_changes(rows)
    counted = [r["start"] for r in rows if r["kind"] == "count"]

    def add(kind: str, start: int, indicator: str, clause: str) -> None:
        rows.append({**base, "achievement_id": f"{doc_id}-s{sent_id:04d}-{len(rows) + 1}", "start": start,
                     **_claim_year(text, start, doc_year), "indicator": indicator, "value": "",
                     "value_num": None, "unit": "", "scale": "", "value_base": None, "qualifier": "",
                     "masked": count_mask_chars(clause) > 0, "kind": kind, "linked_to": "",
                     "reason": "non-numeric claim", "claim": clause})

    for offset, clause in clauses:
        if excluded(offset):
            continue
        ranks = _rank_groups(clause)
        for at, cue in ranks:
            add("rank", offset + at, cue, clause)
        m = HONOUR_CUE.search(clause)
        # 8个品牌入选…: a counted honour is one count claim, not also an honour
        if not m or any(offset <= c < offset + m.start() for c in counted):
            continue
        for name in honour_names(clause[m.end():]):
            if not RANK_CUE.search(name):  # 获批国家首个…试点 is a first, coded once as a rank
                add("honour", offset + max(clause.find(name, m.end()), m.start()), name, clause)
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


ACHIEVEMENT_COLUMNS = ["doc_id", "achievement_id", "sent_id", "section_id", "year", "year_source", "kind", "domain", "indicator", "value",
                       "value_num", "unit", "scale", "value_base", "qualifier", "masked", "linked_to", "reason",
                       "claim", "text"]


def achievements(doc_id: str, sections: pd.DataFrame | list[dict], sentences: pd.DataFrame, doc_year: int,
                 codebook: pd.DataFrame, tok) -> pd.DataFrame:
    """Claims of review sections, and of situation sentences that report results (市场主体总量突破×××万户)."""
    return pd.DataFrame(achievement_list(doc_id, sections, sentences, doc_year, codebook, tok), columns=ACHIEVEMENT_COLUMNS)


def achievement_list(doc_id: str, sections: pd.DataFrame | list[dict], sentences: pd.DataFrame, doc_year: int,
                     codebook, tok) -> list[dict]:
    """`achievements` as a list of rows."""
    rows = []
    codebook = compiled_codebook(codebook)
    starts, ends = sentences["start"].to_numpy(), sentences["end"].to_numpy()
    sent_ids, texts = sentences["sent_id"].tolist(), sentences["text"].tolist()
    for sec in (s for s in records(sections, SECTION_COLUMNS) if s["role"] in ("review", "situation")):
        situation = sec["role"] == "situation"
        inside = np.flatnonzero((starts >= sec["start"]) & (ends <= sec["end"])).tolist()
        for sentence in ({"sent_id": sent_ids[k], "text": texts[k]} for k in inside):
            if situation and not reports_results(sentence["text"]):
                continue
            for row in achievement_rows(doc_id, sentence, doc_year, situation):
                row.update(section_id=sec["section_id"], text=sentence["text"],
                           domain=code_domain(row["claim"], sentence["text"], codebook, tok)[0])
                rows.append(row)
    rows.sort(key=lambda r: (r["sent_id"], r["start"]))
    for row in rows:
        row.pop("start")
    return rows


# ------------------------------------------------------------------ one document
def document_tables(doc, text: str, outline: pd.DataFrame, sentences: pd.DataFrame, codebook: pd.DataFrame,
                    tok) -> dict[str, list[dict]]:
    """Rows of sections, priorities, targets, rejections and achievements of one document (central texts:
    sections only), as lists of dicts with the keys of `TABLES`: `pipeline.join_tables` makes one frame
    of a batch's rows, cheaper than a frame per document and table.

    Needs nothing beyond the document, so the per-document stage runs it on every worker."""
    doc_id, year = doc.doc_id, int(doc.meta["year"])
    sections = section_rows(doc_id, text, outline, year)
    if doc.level == "central":
        return {"sections": sections, "priorities": [], "targets": [], "priority_rejections": [], "achievements": []}
    priorities, targets, rejections = priority_rows(doc_id, text, outline, sections, sentences, codebook, tok, str(doc.path))
    return {"sections": sections, "priorities": priorities, "targets": targets, "priority_rejections": rejections,
            "achievements": achievement_list(doc_id, sections, sentences, year, codebook, tok)}


# ------------------------------------------------------------------ corpus level
TABLES = {"sections": SECTION_COLUMNS, "priorities": PRIORITY_COLUMNS, "targets": TARGET_COLUMNS,
          "priority_rejections": REJECTION_COLUMNS, "achievements": ACHIEVEMENT_COLUMNS}


def tables(joined: dict) -> dict[str, pd.DataFrame]:
    """sections, priorities, targets and achievements for every document, from the documents' own
    tables joined (`pipeline.collect`), with the schema's columns even when no document has a row.

    Central reference texts get sections (for framing by section) but no
    priorities, targets or achievements: a government work report's programme is
    not a local document's plan, and mixing them would change every share.
    """
    return {name: joined[name] if len(joined[name]) else pd.DataFrame(columns=columns)
            for name, columns in TABLES.items()}
