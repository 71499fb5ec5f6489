"""Frames stage: central formulations, their attribution, and what the lexicon lacks.

Detection works on the normalised text with quotation marks removed (“两个确立”
and 两个确立 are the same formulation), never on jieba tokens. For every lexicon
row the canonical form is matched literally (``exact``), the `variants` and
`abbreviations` columns as regular expressions (``variant``, ``abbreviation``).
All candidate spans of all formulations compete: the longest wins, then exact
before variant before abbreviation, then the earlier start; a span that overlaps
an accepted one is dropped. So a formulation is never counted twice, and a short
formulation inside a longer one is not counted separately.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tifa.config import LEVELS
from tifa.inputs.load import LEXICON_COLUMNS, read_lexicon, split_patterns  # noqa: F401  (re-exported)
from tifa.text.normalise import code_points

QUOTES = "“”‘’\"「」『』"
NO_QUOTES = {ord(q): None for q in QUOTES}
QUOTE_CODES = code_points(QUOTES)
MATCH_RANK = {"exact": 0, "variant": 1, "abbreviation": 2, "tier_substitution": 3, "fragment": 4, "extension": 5}
LOCAL_TIERS = "省市区县"
# 国 inside these words is not the national tier, so it is never substituted.
NOT_THE_NATION = re.compile(r"中国|国家|全国|国际|国内|国务|国有|国企|外国|国民|爱国|国情|国门")

# Who a line is attributed to: (pattern, authority as named, tier of that authority).
AUTHORITIES = [
    (r"习近平总书记|总书记|习近平同志", "习近平总书记", "central"),
    (r"中央经济工作会议", "中央经济工作会议", "central"),
    (r"中央纪委", "中央纪委", "central"),
    (r"以习近平同志为核心的党中央|党中央|中共中央|中央(?![^，。；]{0,6}(?:经济工作会议))", "党中央", "central"),
    (r"国务院|李克强总理|总理", "国务院", "central"),
    (r"国家(?=和省部署|要求|关于|部署|有关|统一部署)", "国家", "central"),  # 按照国家要求; 国家和省部署的任务
    (r"十[一二三四]届全国人大(?:[一二三四五]次会议)?|全国人大(?:[一二三四五]次会议)?|全国人民代表大会", "全国人大", "central"),
    (r"党的二十大|二十大报告|党的十[一二三四五六七八九]届[一二三四五六七八九]中全会|党的二十届[一二三四五六七八九]中全会"
     r"|十[一二三四五六七八九]届[一二三四五六七八九]中全会|二十届[一二三四五六七八九]中全会|党的十[六七八九]大"
     r"|十[六七八九]大|二十大", "党代会/全会", "central"),
    (r"国家市场监管总局|市场监管总局|国家总局|总局", "市场监管总局", "central"),
    (r"全国市场监管工作(?:座谈)?会(?:议)?|全国(?=、全省市场监管工作会)", "全国市场监管工作会议", "central"),
    (r"国家药监局|国家知识产权局", "国家药监局/知识产权局", "central"),
    (r"省委|自治区党委", "省委", "provincial"),  # an autonomous region's Party committee is its provincial one
    (r"省政府|省人民政府|自治区(?:人民)?政府", "省政府", "provincial"),
    (r"省市场监管局|省局", "省市场监管局", "provincial"),
    (r"全省市场监管工作会(?:议)?|省市场监管工作会议|省药监工作会议|省知识产权工作会议|省委经济工作会议"
     r"|省第[一二三四五六七八九十]+次党代会|省党代会", "省级会议", "provincial"),
    (r"副省长|省长|省上领导|省领导", "省领导", "provincial"),
    (r"市委(?!全委会)|市委全委会", "市委", "municipal"),
    (r"市政府|市人民政府", "市政府", "municipal"),
    (r"市市场监管局|市局", "市市场监管局", "municipal"),
    (r"副市长|市长", "市政府领导", "municipal"),
    (r"区委|县委", "区县委", "district"),
    (r"区政府|县政府", "区县政府", "district"),
]
# Every alternative of every pattern above starts with a literal character (tests/test_frames.py checks it), so
# a lookahead on those characters lets the regex engine skip to candidate positions: same matches, ~4x faster.
AUTHORITY_FIRST_CHARS = "".join(sorted({alt[0] for pattern, _, _ in AUTHORITIES for alt in pattern.split("|")}))
AUTHORITY = re.compile(f"(?=[{re.escape(AUTHORITY_FIRST_CHARS)}])(?:"
                       + "|".join(f"(?P<a{i}>{p})" for i, (p, _, _) in enumerate(AUTHORITIES)) + ")")
# A speech act or directive whose subject is the authority before it (部署 only as a verb, not in 决策部署).
SPEECH_ACT = re.compile(r"(?:强调|指出|(?<!工作)(?<!有关)(?<!的)(?<!部署)(?<!决策)要求|提出|(?<!决策)(?<!工作)(?<!战略)部署|批示|指示|指引|印发|(?:制定)?出台|号召|明确|反馈|(?:并|发表)(?:重要)?讲话"
                        r"|赋予|擘画|描绘|确定(?=的)|[作做]出[^，。；]{0,20}?(?:批示|指示|部署|定位|决定))")
SPEECH_ACT_AFTER = 4  # a speech act this close after the authority makes it the actor (总局部署的, 总书记反复强调的)
# "按照/根据 X … 要求/部署" and "是 X 的要求" credit X although X is not a grammatical subject.
FOLLOWING = re.compile(r"^[^，。；！？]{0,24}?(?:要求|(?<!决策)部署|安排|指示|批示|意见|定位)"
                       r"|^[^，。；！？]{0,40}?(?:建议|意见|决定)》")  # 根据省委《关于制定…规划的建议》: a document it issued
SPEECH_NOUN = re.compile(r"^(?:(?!决策部署)[^，。；！？]){0,24}?(?:重要讲话|重要指示|重要批示|重要论述|贺信|讲话精神|指示精神|批示精神|的(?:基本|总体|具体|明确)?要求|部署要求|嘱托"
                         r"|(?:巡视|督察|督查|审计)[^，。；！？]{0,14}?(?:反馈|交办)|重要要求)")  # 中央巡视、审计等反馈问题: findings it sent
# A body named in full (not a tier chain such as 中省市) followed by its work requirement or deployment
# (落实省委工作要求, 省委“132”总体工作部署); 决策部署 and 战略部署 stay loyalty boilerplate.
NAMED_NOUN = re.compile(r"^(?:(?!决策部署|战略部署)[^，。；！？]){0,24}?(?:工作要求|部署)")
ACCORDING = re.compile(r"(?:按照|根据|遵照|依照)[^，。；！？]{0,24}$")
IS_THE = re.compile(r"是$")
IN_THE_NAME = (re.compile(r"以$"), re.compile(r"^名义"))
COORDINATOR = re.compile(r"^(?:[、，和与及]|以及)$")
CLAUSE_START = re.compile(r"(?:^|[，。；：！？])[×*＊]*$")
NAMED_CLAUSE_START = re.compile(r"(?:^|[，。；：！？])[\u4e00-\u9fff×*＊]{0,4}$")  # 张世珍副省长: a name before a title
PERSON_TITLE = re.compile(r"[省市区县]长$|总理$")
# The authority is the object of loyalty boilerplate or a future/ongoing event, not a speaker.
OBJECT_OF = re.compile(r"(?:贯彻落实|贯彻|落实|学习|看齐|维护|拥护|紧跟|迎接|召开|统一到|向|围绕|紧密团结在)[^，。；！？]{0,2}$")
LOYAL_TO = re.compile(r"(?:看齐|维护|拥护|紧跟|统一到|紧密团结在)[^，。；！？]{0,2}$")
NEVER_A_SPEAKER = re.compile(r"(?:迎接|召开|紧密团结在|看齐)[^，。；！？]{0,2}$")
# The conditional loyalty slogan (总书记有号令、党中央有部署、省委有要求，…见行动): no act is reported.
HAS_AN_ORDER = re.compile(r"有(?:号令|指示|部署|要求)")
OWN_BODY = re.compile(r"党组|我局|本局")
SINCE = re.compile(r"(?:胜利)?(?:召开)?以来")  # 党的十八大以来: a date, not an actor
OWN_GOVERNMENT = {"国务院", "省政府", "市政府", "区县政府"}  # a government's own name, at the document's tier
GOVERNMENT_ISSUER = re.compile(r"政府|国务院|[省市区县]长|总理")
OWN_PARTY_COMMITTEE = {"党中央", "省委", "市委", "区县委"}
PARTY_ISSUER = re.compile(r"中国共产党|中共")
CLAUSE_END = re.compile(r"[，。；！？]")
# An act followed by these is a noun or a modifier (指引的方向, 批示精神, 批示肯定, 部署要求看), not a verb introducing what was said.
NOMINAL_ACT = re.compile(r"的|精神|肯定|要求|看")
# ---------------------------------------------------------------------- lexicon
def tier_pattern(canonical: str) -> re.Pattern | None:
    """质量强国 -> 质量强[省市区县]: the national tier swapped for a local one (canonicals of 4+ characters)."""
    spots = [m.start() for m in re.finditer("国", canonical)
             if not any(n.start() <= m.start() < n.end() for n in NOT_THE_NATION.finditer(canonical))]
    if len(canonical) < 4 or not spots:
        return None
    pieces, last = [], 0
    for i in spots:
        pieces += [re.escape(canonical[last:i]), f"[{LOCAL_TIERS}]"]
        last = i + 1
    return re.compile("".join(pieces) + re.escape(canonical[last:]))


def fragment_pattern(canonical: str) -> re.Pattern | None:
    """Two or more consecutive parts of a 、-chained formula of three or more parts, but not all of them."""
    parts = canonical.split("、")
    if len(parts) < 3:
        return None
    runs = ["、".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1) if j - i < len(parts)]
    return re.compile("|".join(map(re.escape, sorted(runs, key=len, reverse=True))))


def compiled_patterns(lex: pd.DataFrame) -> list[tuple[str, str, re.Pattern]]:
    """(formulation_id, match type, pattern) for every form the lexicon names or implies."""
    out = []
    for row in lex.itertuples():
        canonical = strip_quotes(row.canonical)[0]
        out.append((row.formulation_id, "exact", re.compile(re.escape(canonical))))
        for column, match in (("variants", "variant"), ("abbreviations", "abbreviation")):
            out.extend((row.formulation_id, match, re.compile(p)) for p in split_patterns(getattr(row, column)))
        for match, pattern in (("tier_substitution", tier_pattern(canonical)), ("fragment", fragment_pattern(canonical))):
            if pattern is not None:
                out.append((row.formulation_id, match, pattern))
    return out


def exclusions(lex: pd.DataFrame) -> dict[str, list[re.Pattern]]:
    """Context guards: a hit inside a match of one of its row's `exclude` patterns is a false friend."""
    if "exclude" not in lex.columns:
        return {}
    return {row.formulation_id: [re.compile(p) for p in split_patterns(row.exclude)] for row in lex.itertuples()
            if row.exclude}


# -------------------------------------------------------------------- detection
def without_quotes(text: str) -> str:
    """The text the matcher sees: quotation marks removed (“两个确立” = 两个确立)."""
    return text.translate(NO_QUOTES)


def strip_quotes(text: str) -> tuple[str, list[int]]:
    """Text without quotation marks, and the original offset of every kept character."""
    kept = ~np.isin(code_points(text), QUOTE_CODES)
    return text.translate(NO_QUOTES), np.append(np.flatnonzero(kept), len(text)).tolist()


def excluded(bare: str, start: int, end: int, guards: list[re.Pattern]) -> bool:
    window_start = max(0, start - 12)
    for guard in guards:
        for m in guard.finditer(bare, window_start, min(len(bare), end + 12)):
            if m.start() <= start and end <= m.end():
                return True
    return False


def formula_like(canonical_pattern: str) -> bool:
    """Parallel (、-chained), numbered (四个最严) or slotted (稳字当头) formulas can be extended."""
    canonical = canonical_pattern.replace("\\", "")
    return "、" in canonical or bool(re.match(r"[一二两三四五六七八九十]", canonical)) or "字" in canonical


def extended(bare: str, end: int, surface: str) -> bool:
    """The formula goes on with a parallel slot of the same shape: 稳字当头、进字加力 (re-slotted or extended)."""
    last = surface.split("、")[-1]
    nxt = re.match(r"、([^、，。；！？\n]{2,8})", bare[end:])
    if not nxt or len(nxt.group(1)) != len(last):
        return False
    return any(a == b for a, b in zip(last, nxt.group(1)))


# ------------------------------------------------------------- adaptation types
# Differences of writing only, removed before typing: a year range in brackets (（2021—2035年）, a title
# without its period is the same title), enumeration commas and other punctuation, dashes and hyphens.
YEAR_RANGE = re.compile(r"[（(]\s*\d{4}\s*[-—–－~～至到]+\s*\d{4}\s*年?\s*[）)]")
WRITING_ONLY = re.compile(r"[\s、，,·•\-—–－~～《》〈〉（）()“”‘’\"「」『』：:；;。！？]")
# a local tier written where the centre writes 国 or 国家 (质量强省, 我省标准化发展纲要, 省之大要)
LOCAL_TIER_WORD = re.compile(r"(?:我|本|全|×)?[省市区县]")
ADAPTATION_TYPES = ("tier_substitution", "extension", "fragment", "abbreviation", "shortened", "expanded", "reordered",
                    "substituted")


def unescaped(pattern: str) -> str:
    """The canonical form from its literal pattern (re.escape undone)."""
    return re.sub(r"\\(.)", r"\1", pattern)


def normal_form(text: str) -> str:
    """A form with differences of writing removed: year ranges in brackets, punctuation, dashes, enumeration commas."""
    return WRITING_ONLY.sub("", YEAR_RANGE.sub("", text))


def is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def adaptation(surface: str, canonical: str, match: str) -> str:
    """How a hit adapts its formulation, typed on normal forms; empty when it is the canonical form.

    The detection routes tier_substitution, extension, fragment and abbreviation are types already; a
    variant is typed by comparing normal forms: tier_substitution (a local tier for 国/国家, allowing one
    other changed character: 省之大要), extension (a 、-chain re-slotted: 不敢违法、不能违法、不想违法),
    reordered (same characters, other order), shortened (characters left out), expanded (characters
    added), else substituted (a word replaced: 巡视巡察后半篇文章)."""
    if match == "exact":
        return ""
    if match != "variant":
        return match
    s, c = normal_form(surface), normal_form(canonical)
    if s == c:
        return ""
    local, central = LOCAL_TIER_WORD.sub("国", s), c.replace("国家", "国")
    if "国" in central and len(local) == len(central) and sum(a != b for a, b in zip(local, central)) <= 1:
        return "tier_substitution"
    parts_s, parts_c = surface.split("、"), canonical.split("、")
    if len(parts_c) >= 2 and len(parts_s) == len(parts_c) and s != c and all(
            a[:max(1, len(b) - 1)] == b[:max(1, len(b) - 1)] for a, b in zip(parts_s, parts_c)):
        return "extension"
    if sorted(s) == sorted(c):
        return "reordered"
    if is_subsequence(s, c):
        return "shortened"
    if is_subsequence(c, s):
        return "expanded"
    return "substituted"


def detect(text: str, patterns: list[tuple[str, str, re.Pattern]],
           guards: dict[str, list[re.Pattern]] | None = None) -> list[dict]:
    """Longest non-overlapping formulation matches in `text` (offsets into `text`).

    A variant or abbreviation that contains the canonical form is `exact`; a hit
    followed by a parallel slot of its own shape is `extension`; hits inside a
    false friend named in the row's `exclude` patterns are dropped.
    """
    bare, offsets = strip_quotes(text)
    guards = guards or {}
    canonicals = {fid: p.pattern for fid, match, p in patterns if match == "exact"}
    candidates = []
    for fid, match, pattern in patterns:
        for m in pattern.finditer(bare):
            if m.end() > m.start() and "\n" not in m.group() and not excluded(bare, m.start(), m.end(), guards.get(fid, [])):
                if match != "exact" and (re.search(canonicals[fid], m.group())
                                         or normal_form(m.group()) == normal_form(unescaped(canonicals[fid]))):
                    match_type = "exact"
                elif formula_like(canonicals[fid]) and extended(bare, m.end(), m.group()):
                    match_type = "extension"
                else:
                    match_type = match
                candidates.append((m.start(), m.end(), fid, match_type))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), MATCH_RANK[c[3]], c[0], c[2]))
    taken = [False] * (len(bare) + 1)
    hits = []
    for start, end, fid, match in candidates:
        if any(taken[start:end]):
            continue
        for i in range(start, end):
            taken[i] = True
        o_start, o_end = offsets[start], offsets[end - 1] + 1
        surface = bare[start:end]
        hits.append({"formulation_id": fid, "surface": surface, "start": o_start, "end": o_end, "match": match,
                     "adaptation": adaptation(surface, unescaped(canonicals[fid]), match)})
    return sorted(hits, key=lambda h: h["start"])


PHRASE_SEPARATOR = "。\n"  # no lexicon pattern matches across it (matches holding a line break are dropped)


def detect_each(phrases: list[str], patterns) -> list[list[dict]]:
    """`detect` on each phrase, run once over all of them joined (one pass per pattern, not per phrase)."""
    joined = PHRASE_SEPARATOR.join(phrases)
    starts = np.cumsum([0] + [len(p) + len(PHRASE_SEPARATOR) for p in phrases[:-1]])
    found: list[list[dict]] = [[] for _ in phrases]
    for hit in detect(joined, patterns):
        k = int(np.searchsorted(starts, hit["start"], side="right")) - 1
        if hit["end"] <= starts[k] + len(phrases[k]):
            found[k].append({**hit, "start": hit["start"] - int(starts[k]), "end": hit["end"] - int(starts[k])})
    return found


# ------------------------------------------------------------------ attribution
# 中省市工作部署, 省市县有关要求: tiers abbreviated to one character each, as a chain before a directive noun.
TIER_CHAIN = re.compile(r"(?<![全本该各])[中省市区县]{2,4}(?=(?:工作|有关)?(?:部署|要求|安排))")
TIER_AUTHORITIES = {"中": ("中央", "central"), "省": ("省级", "provincial"), "市": ("市级", "municipal"),
                    "区": ("区县级", "district"), "县": ("区县级", "district")}


def authority_mentions(text: str) -> list[dict]:
    """Every authority named in `text`, in order; a tier chain (中省市) gives one mention per tier."""
    out = []
    for m in AUTHORITY.finditer(text):
        i = int(m.lastgroup[1:])  # the alternatives are top-level groups a0, a1, ...: the one that matched
        _, name, level = AUTHORITIES[i]
        out.append({"surface": m.group(), "authority": name, "level": level, "start": m.start(), "end": m.end()})
    taken = [(o["start"], o["end"]) for o in out]
    for m in TIER_CHAIN.finditer(text):
        if m.group()[0] == "中" and not m.group().startswith("中省"):
            continue  # 中市 is no chain
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        for k, ch in enumerate(m.group()):
            name, level = TIER_AUTHORITIES[ch]
            out.append({"surface": ch, "authority": name, "level": level, "start": m.start() + k, "end": m.start() + k + 1})
    return sorted(out, key=lambda o: o["start"])


def coordinated(mentions: list[dict], text: str) -> list[list[dict]]:
    """Group mentions joined only by 、，和与及 (按照市委、市政府和省局要求 is one list of three)."""
    groups: list[list[dict]] = []
    for m in mentions:
        if groups and COORDINATOR.match(text[groups[-1][-1]["end"]:m["start"]] or "、"):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def own_body(mention: dict, text: str, doc_level: str, issuer: str) -> bool:
    """The speaker's own organisation: its Party group; or, at the document's own tier, the bureau
    when a bureau issues it, the government when a government or its leader does (国务院 in a
    government work report, 市政府 in a vice-mayor's speech), the Party committee when it does."""
    after = text[mention["end"]:mention["end"] + 2]
    if OWN_BODY.match(after):
        return True
    if mention["level"] != doc_level:
        return False
    name = mention["authority"]
    return ((name.endswith("市场监管局") and "局" in issuer)
            or (name in OWN_GOVERNMENT and bool(GOVERNMENT_ISSUER.search(issuer)))
            or (name in OWN_PARTY_COMMITTEE and bool(PARTY_ISSUER.search(issuer))))


def clause_subject(group: list[dict], text: str) -> bool:
    """The list opens a clause (after punctuation, a mask, or a person's name before a title)."""
    before = text[:group[0]["start"]]
    return bool(CLAUSE_START.search(before) or (PERSON_TITLE.search(group[0]["surface"]) and NAMED_CLAUSE_START.search(before)))


def clause_end(text: str, position: int) -> int:
    found = CLAUSE_END.search(text, position)
    return found.start() if found else len(text)


def speech_noun(group: list[dict], text: str, next_mention: int) -> re.Match | None:
    """The speech noun that names this list as its author (…重要讲话, …的要求), before the next mention."""
    return SPEECH_NOUN.match(text[group[-1]["end"]:next_mention])


def credit(group: list[dict], text: str, next_start: int, next_mention: int, noun: re.Match | None,
           owned: tuple[tuple[int, int], ...] = ()) -> tuple[str, str, int, int] | None:
    """(cue, construction, scope start, scope end) if the sentence credits this coordinated list with a
    speech act, else None.

    `next_start` is where the next clause-initial authority begins: a speech act beyond it
    belongs to that authority, not to this one. `noun` is the list's own `speech_noun`; `owned`
    are the clauses that later authorities' speech nouns take (省委团结带领…贯彻落实习近平总书记…
    重要指示精神: the 指示 is the General Secretary's, not the provincial committee's). The scope is
    the span of the sentence (offsets into `text`) that the credit covers (`credit_scope`).
    """
    start, end = group[0]["start"], group[-1]["end"]
    before, after = text[:start], text[end:next_start]
    if NEVER_A_SPEAKER.search(before) or SINCE.match(text, end) or HAS_AN_ORDER.match(text, end):
        return None
    following = FOLLOWING.match(text[end:next_mention])  # the requirement named before the next authority is its own
    if ACCORDING.search(before) and following:
        return following.group()[-2:], "according_to", start, end + following.end()
    if IS_THE.search(before) and following:
        return following.group()[-2:], "is_the_requirement_of", subject_of_is(text, start - 1), end + following.end()
    if IN_THE_NAME[0].search(before) and IN_THE_NAME[1].match(after):
        return "以…名义", "in_the_name_of", start, clause_end(text, end)
    act = SPEECH_ACT.search(after)
    if act and act.start() <= SPEECH_ACT_AFTER and not CLAUSE_END.search(after, 0, act.start()):
        return (act.group(), "subject_of", *act_scope(text, start, end, act, next_start))
    if not noun and all(len(m["surface"]) > 1 for m in group):
        noun = NAMED_NOUN.match(text[end:next_mention])
        if noun and noun.group().endswith("部署") and LOYAL_TO.search(before):
            noun = None  # 统一到党中央…的科学部署上来: an object of loyalty, like 决策部署 (落实省委部署 credits 省委)
    if noun:
        return noun.group()[-4:].lstrip("的"), "speech_noun", start, clause_end(text, end + noun.end())
    if OBJECT_OF.search(before):
        return None
    if act and clause_subject(group, text):
        at = end + act.start()
        if any(a <= at < b for a, b in owned):
            return None
        return (act.group(), "subject_of", *act_scope(text, start, end, act, next_start))
    return None


def clause_start(text: str, position: int) -> int:
    """Start of the clause holding `position` (just after the last clause break before it)."""
    breaks = [m.end() for m in CLAUSE_END.finditer(text, 0, position)]
    return breaks[-1] if breaks else 0


def subject_of_is(text: str, is_at: int) -> int:
    """Start of what 是 says is the requirement: its own clause, or the clause before when 是 opens one
    (推动高质量发展，是总书记…的要求: the requirement is 推动高质量发展)."""
    begin = clause_start(text, is_at)
    if not text[begin:is_at].strip() and begin > 0:
        begin = clause_start(text, begin - 1)
    return begin


def act_scope(text: str, start: int, end: int, act: re.Match, next_start: int) -> tuple[int, int]:
    """What a speech act covers: a nominal or relative act (党中央的重大要求, 总书记指引的方向, 省长批示精神) only
    its own clause; a verb of saying or directing (总书记强调，…; 省委要求…) everything it introduces, up to the
    next authority that opens a clause or the end of the sentence."""
    act_start, act_end = end + act.start(), end + act.end()
    if "的" in text[end:act_start] or NOMINAL_ACT.match(text, act_end):
        return start, clause_end(text, act_end)
    return act_end, next_start


def attributions(doc_id: str, sentences: pd.DataFrame, doc_level: str, issuer: str = "") -> pd.DataFrame:
    """One row per authority a sentence credits with a speech act or directive.

    Reads both directions (是总书记…的要求), keeps every member of a coordinated
    list, and leaves out loyalty boilerplate (贯彻落实党中央决策部署), future events
    (迎接党的二十大) and the speaker's own body (局党组; at the document's tier, the issuing bureau, government
    or Party committee).
    """
    return pd.DataFrame(attribution_rows(doc_id, sentences, doc_level, issuer), columns=ATTRIBUTION_COLUMNS)


def attribution_rows(doc_id: str, sentences: pd.DataFrame, doc_level: str, issuer: str = "") -> list[dict]:
    """`attributions` as a list of rows."""
    rows = []
    columns = (sentences[c].tolist() for c in ("sent_id", "text", "start"))
    for sent_id, text, start in zip(*columns):
        mentions = [m for m in authority_mentions(text) if not own_body(m, text, doc_level, issuer)]
        seen = set()
        groups = coordinated(mentions, text)
        subjects = [g[0]["start"] for g in groups if clause_subject(g, text)]
        next_mentions = [g[0]["start"] for g in groups[1:]] + [len(text)]
        # an authority followed by its speech noun owns the rest of that clause (重要讲话重要指示精神)
        noun_of = [speech_noun(g, text, stop) for g, stop in zip(groups, next_mentions)]
        nouns = [(g[-1]["end"], clause_end(text, g[-1]["end"])) for g, noun in zip(groups, noun_of) if noun]
        for k, group in enumerate(groups):
            # a speech act after the next clause-initial authority belongs to that authority
            next_start = min([x for x in subjects if x > group[0]["start"]], default=len(text))
            owned = tuple(span for span in nouns if span[0] > group[-1]["end"])
            found = credit(group, text, next_start, next_mentions[k], noun_of[k], owned)
            if not found:
                continue
            cue, construction, scope_start, scope_end = found
            for m in group:
                if m["authority"] in seen:
                    continue
                seen.add(m["authority"])
                rows.append({"doc_id": doc_id, "sent_id": sent_id, "authority": m["authority"],
                             "authority_surface": m["surface"], "authority_level": m["level"],
                             "levels_up": LEVELS.index(doc_level) - LEVELS.index(m["level"]),
                             "cue": cue, "construction": construction, "start": start + m["start"], "text": text,
                             "scope_start": start + scope_start, "scope_end": start + scope_end})
    return rows


ATTRIBUTION_COLUMNS = ["doc_id", "sent_id", "authority", "authority_surface", "authority_level", "levels_up", "cue",
                       "construction", "start", "text", "scope_start", "scope_end"]


# -------------------------------------------------------------------- discovery
QUOTED = re.compile(r"“([^“”]{2,16})”")
NUMBERED = re.compile(
    r"(?<![一二两三四五六七八九十百千第])"
    r"(?:[两二三四五六七八九十]个[\u4e00-\u9fff]{2}"
    r"|[一二两三四五六七八九十双][\u4e00-\u9fff][一二两三四五六七八九十双][\u4e00-\u9fff]"
    r"|[三四五六七八九十]大[\u4e00-\u9fff]{2,4}(?:体系)?)"
)
NUMERAL_START = re.compile(r"^[一二两三四五六七八九十双]")


def candidates_in(doc_id: str, text: str) -> list[dict]:
    """Quoted phrases, plus numbered formulas written without quotes.

    Phrases containing mask characters are redacted names, not formulations,
    and are left out.
    """
    rows, quoted_spans = [], []
    for m in QUOTED.finditer(text):
        phrase = m.group(1)
        quoted_spans.append((m.start(), m.end()))
        if re.search(r"[\u4e00-\u9fff]", phrase) and not re.search(r"[。！？×*＊]", phrase):
            rows.append({"doc_id": doc_id, "candidate": phrase,
                         "kind": "numbered" if NUMERAL_START.match(phrase) else "quoted", "start": m.start(1)})
    for m in NUMBERED.finditer(text):
        if not any(a <= m.start() < b for a, b in quoted_spans):
            rows.append({"doc_id": doc_id, "candidate": m.group(), "kind": "numbered", "start": m.start()})
    return rows


CANDIDATE_ROW_COLUMNS = ["doc_id", "candidate", "kind", "start"]  # one row per occurrence (candidates_in)


def candidate_table(found, docs: pd.DataFrame, patterns) -> pd.DataFrame:
    """One row per candidate phrase, from its occurrences (`found`: rows or a frame of CANDIDATE_ROW_COLUMNS)."""
    if not len(found):
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    df = pd.DataFrame(found, columns=CANDIDATE_ROW_COLUMNS).merge(docs[["doc_id", "level"]], on="doc_id")
    df = df.drop_duplicates(["doc_id", "candidate", "start"])
    seen: dict[str, list] = {}  # phrase -> [numbered?, documents, occurrences, levels]
    for phrase, kind, doc_id, level in zip(*(df[c].tolist() for c in ("candidate", "kind", "doc_id", "level"))):
        entry = seen.setdefault(phrase, [False, set(), 0, set()])
        entry[0] |= kind == "numbered"
        entry[1].add(doc_id)
        entry[2] += 1
        entry[3].add(level)
    phrases = sorted(seen)
    rows = []
    for phrase, hits in zip(phrases, detect_each(phrases, patterns)):
        numbered, doc_ids, n_occ, levels = seen[phrase]
        covered = sum(h["end"] - h["start"] for h in hits)
        levels = sorted(levels, key=LEVELS.index)
        in_lexicon = "full" if covered == len(phrase) else ("part" if covered else "no")
        rows.append({
            "candidate": phrase, "kind": "numbered" if numbered else "quoted",
            "n_docs": len(doc_ids), "n_occurrences": n_occ, "doc_ids": ";".join(sorted(doc_ids)),
            "levels": ";".join(levels), "in_lexicon": in_lexicon,
            "formulation_ids": ";".join(sorted({h["formulation_id"] for h in hits})),
            "local_coinage_candidate": in_lexicon == "no" and len(levels) == 1 and levels[0] != "central",
        })
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


CANDIDATE_COLUMNS = ["candidate", "kind", "n_docs", "n_occurrences", "doc_ids", "levels", "in_lexicon",
                     "formulation_ids", "local_coinage_candidate"]


# ------------------------------------------------------------------ one document
def hit_credit(hit: dict, credits: list[dict]) -> dict:
    """Who a formulation hit is credited to: the authorities of its sentence whose credited scope
    (the object of their speech act or directive) holds the whole hit; `sentence_credit` keeps every
    authority the sentence credits, for comparison. A hit outside every scope (a meeting's own
    guiding clauses) is credited to nobody."""
    inside = [c for c in credits if c["scope_start"] <= hit["start"] and hit["end"] <= c["scope_end"]]
    return {"attributed_to": ";".join(dict.fromkeys(c["authority"] for c in inside)),
            "credit_scope_start": min((c["scope_start"] for c in inside), default=None),
            "credit_scope_end": max((c["scope_end"] for c in inside), default=None),
            "sentence_credit": ";".join(dict.fromkeys(c["authority"] for c in credits))}


def document_tables(doc, text: str, sentences: pd.DataFrame, patterns, guards) -> dict:
    """Rows of formulation hits (with sentence and attribution), speech acts and formulation candidates of
    one document: needs nothing beyond it, so the per-document stage runs it on every worker."""
    attr = attribution_rows(doc.doc_id, sentences, doc.meta["level"], doc.meta.get("issuer", ""))
    by_sentence: dict[int, list[dict]] = {}
    for row in attr:
        by_sentence.setdefault(row["sent_id"], []).append(row)
    starts, sent_ids = sentences["start"].to_numpy(), sentences["sent_id"].to_numpy()
    hits = []
    for hit in detect(text, patterns, guards):
        at = int((starts <= hit["start"]).sum()) - 1  # the last sentence starting at or before the hit
        hit["sent_id"] = int(sent_ids[max(at, 0)])
        hits.append({"doc_id": doc.doc_id, **hit, **hit_credit(hit, by_sentence.get(hit["sent_id"], []))})
    return {"frame_hits": hits, "attributions": attr, "candidates": candidates_in(doc.doc_id, text)}


# ------------------------------------------------------------------ corpus level
def selection_of(lex: pd.DataFrame) -> pd.Series:
    """formulation_id -> central_rule or curated (a lexicon without the column: every row central_rule)."""
    values = lex["selection"] if "selection" in lex.columns else pd.Series("central_rule", index=lex.index)
    return pd.Series(values.to_numpy(), index=lex["formulation_id"].to_numpy())


def central_rule_hits(hits: pd.DataFrame, lex: pd.DataFrame) -> pd.DataFrame:
    """The hits of central rows chosen by the central rule: what density and the level statistics count."""
    selection = selection_of(lex)
    return hits[hits["formulation_id"].map(selection).eq("central_rule")]


def tables(joined: dict, processed, inputs) -> dict[str, pd.DataFrame]:
    """Formulation tables of the corpus, from the documents' own hits, speech acts and candidates
    joined (`pipeline.collect`)."""
    lex = inputs.lexicon
    docs = pd.DataFrame([{**p.doc.meta, "n_chars": len("".join(p.text.split())), "length": len(p.text)}
                         for p in processed])
    hits = joined["frame_hits"] if len(joined["frame_hits"]) else pd.DataFrame(columns=HIT_COLUMNS)
    attrs = joined["attributions"] if len(joined["attributions"]) else pd.DataFrame(columns=ATTRIBUTION_COLUMNS)
    selection = selection_of(lex)
    with_selection = {name: table.assign(selection=table["formulation_id"].map(selection)) for name, table in (
        ("frame_by_doc", frame_by_doc(hits, docs, lex)), ("frame_by_level", frame_by_level(hits, docs, lex)),
        ("frame_by_year", frame_by_year(hits, docs, lex)))}
    return {
        "frame_hits": hits,
        **with_selection,
        "attributions": attrs.drop(columns=["start", "scope_start", "scope_end"]),
        "formulation_candidates": candidate_table(joined["candidates"], docs, compiled_patterns(lex)),
    }


HIT_COLUMNS = ["doc_id", "sent_id", "formulation_id", "surface", "start", "end", "match", "adaptation", "attributed_to",
               "credit_scope_start", "credit_scope_end", "sentence_credit"]


def frame_by_doc(hits: pd.DataFrame, docs: pd.DataFrame, lex: pd.DataFrame) -> pd.DataFrame:
    """Every document x formulation pair, including zero counts (so absence is explicit).

    One groupby over the hits, then a reindex onto the full grid: time grows with
    hits + documents x formulations, not with their product times the hits.
    """
    keys = ["doc_id", "formulation_id"]
    h = hits.assign(attributed=hits["attributed_to"].fillna("").ne(""))
    by_match = h.groupby(keys + ["match"]).size().unstack("match") if len(h) else pd.DataFrame()  # NaN = 0 here
    grouped = h.groupby(keys).agg(count=("start", "size"), first_start=("start", "min"),
                                  n_attributed=("attributed", "sum"))
    grid = pd.MultiIndex.from_product([docs["doc_id"], lex["formulation_id"]], names=keys)
    table = grouped.reindex(grid).join(by_match.reindex(grid) if len(by_match) else pd.DataFrame(index=grid))
    table = table.reset_index().merge(docs[["doc_id", "level", "year", "n_chars", "length"]], on="doc_id", how="left")
    count = table["count"].fillna(0).astype(int)

    def n(match: str) -> pd.Series:
        return table[match].fillna(0).astype(int) if match in table else pd.Series(0, index=table.index)

    return pd.DataFrame({
        "doc_id": table["doc_id"], "formulation_id": table["formulation_id"], "level": table["level"],
        "year": table["year"].astype(int), "count": count,
        **{f"n_{m}": n(m) for m in ("exact", "variant", "abbreviation", "tier_substitution", "extension", "fragment")},
        "per_10k_chars": (count / table["n_chars"] * 10_000).round(4),
        "first_position": (table["first_start"] / table["length"]).round(4).where(count > 0),
        "n_attributed": table["n_attributed"].fillna(0).astype(int),
    })


def frame_by_year(hits: pd.DataFrame, docs: pd.DataFrame, lex: pd.DataFrame) -> pd.DataFrame:
    """Formulation x document year: hits and documents, and whether the formulation occurs in that year only."""
    years = sorted(docs["year"].astype(int).unique())
    merged = hits.merge(docs[["doc_id", "year"]].astype({"year": int}), on="doc_id")
    counts = merged.groupby(["formulation_id", "year"]).agg(count=("doc_id", "size"), n_docs_with_hit=("doc_id", "nunique"))
    grid = pd.MultiIndex.from_product([lex["formulation_id"], years], names=["formulation_id", "year"])
    table = counts.reindex(grid, fill_value=0).reset_index()
    years_present = table[table["count"] > 0].groupby("formulation_id")["year"].nunique()
    table["only_this_year"] = (table["count"] > 0) & table["formulation_id"].map(years_present).eq(1)
    return table


def frame_by_level(hits: pd.DataFrame, docs: pd.DataFrame, lex: pd.DataFrame) -> pd.DataFrame:
    """For each formulation and tier: verbatim (any hit that is the canonical form in normal form), adapted
    (only typed adaptations, `adaptation`) or absent.

    One groupby over the hits (linear in hits), then every formulation x level present."""
    merged = hits.merge(docs[["doc_id", "level"]], on="doc_id")
    present_levels = [lv for lv in LEVELS if lv in set(docs["level"])]
    docs_at_level = docs["level"].value_counts()
    groups = {key: g for key, g in merged.groupby(["formulation_id", "level"], sort=False)}
    empty = merged.iloc[0:0]
    rows = []
    for fid in lex["formulation_id"]:
        for level in present_levels:
            h = groups.get((fid, level), empty)
            typed = sorted(set(h["adaptation"]) - {""}, key=ADAPTATION_TYPES.index) if not h.empty else []
            status = "absent" if h.empty else ("verbatim" if h["adaptation"].eq("").any() else "adapted")
            adapted = typed
            rows.append({"formulation_id": fid, "level": level,
                         "n_docs_at_level": int(docs_at_level.get(level, 0)),
                         "n_docs_with_hit": h["doc_id"].nunique(), "count": len(h), "status": status,
                         "surfaces": ";".join(sorted(set(h["surface"]))), "adaptation_types": ";".join(adapted)})
    return pd.DataFrame(rows)
