"""Numbers in running Chinese text: values, units, scales, masks and qualifiers.

One regular expression finds an Arabic number (digits with optional thousands
commas and decimals, or a run of mask characters such as ××.××) followed by an
optional qualifier (余/多), an optional scale (万/亿/千, and the compounds 万亿,
千万, 百万, 千亿, 百亿: 3.8万亿元 is 3.8e12 元) and a unit from `UNITS`.

A second one reads Chinese numerals (一…十, 两, 百/千 compounds such as 一千三百,
with the same scales: 两万多名 = 2 万, 多) when a unit or a scale follows. Because
counted formulas are far more common than counted results (“两个确立”, 八项规定,
十二次全会, 一批), a Chinese numeral is skipped inside quotation marks, before
the head of a numbered formula, as a meeting number, and when it is a bare 一
(an article, "a"). 两位数 ("two-digit", at least ten) is kept as a qualitative
value without a number.

A masked value is never turned into a number: `value_num` stays empty and the
reason says why. Years, dates, ordinals (第3), hotline numbers (12315) and
numbers inside 《titles》 are not quantities and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tifa.config import MASK_CHARS

# Longest first, so that 个百分点 wins over 个 and 批次 over 批.
UNITS = sorted(
    """个百分点 百分点 台件 批次 人次 家次 户次 件次 个月 公里 公斤 平方米 元 % ％ 起 件 家 户 个 处 条 份 期 篇 名 次 项 所
    台 吨 笔 批 类 场 人 宗 张 座 部 套 本 天 小时 倍 位 种 支 辆 斤 亩 株 只 块 千克 毫升 米 岁 周 届""".split(),
    key=lambda u: (-len(u), u),
)
SCALES = {"千": 1e3, "万": 1e4, "亿": 1e8, "百万": 1e6, "千万": 1e7, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12}
# Compounds first, so that 万亿 wins over 万.
SCALE_PATTERN = "万亿|千万|百万|千亿|百亿|[千万亿]"
_M = re.escape(MASK_CHARS)
NUMBER = re.compile(
    rf"(?<![\d.,{_M}A-Za-z])"
    rf"(?P<value>\d+(?:,\d{{3}})*(?:\.\d+)?|[{_M}]+(?:\.[{_M}]+)?)"
    rf"(?P<q1>余|多)?(?P<scale>{SCALE_PATTERN})?(?P<q2>余|多)?"
    rf"(?P<unit>{'|'.join(map(re.escape, UNITS))})?"
)
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_POWERS = {"十": 10, "百": 100, "千": 1000}
CN_NUMBER = re.compile(
    r"(?<![一二两三四五六七八九十百千零〇第几])"
    r"(?P<value>[一二两三四五六七八九十][一二两三四五六七八九十百千零〇]*)"
    rf"(?:(?P<digits>位数)|(?P<q1>余|多)?(?P<scale>{SCALE_PATTERN})?(?P<q2>余|多)?"
    rf"(?P<unit>{'|'.join(map(re.escape, UNITS))})?)"
)
# Heads of numbered formulas (八项规定, 四个最严, 两个确立, 七个坚持 …) and meeting numbers (十二次全会).
FORMULA_HEAD = re.compile(r"行动|工程|方面|规定|要求|原则|坚持|确立|维护|意识|自信|转变|最严|覆盖|责任|过硬|重点|率先|一|全会|会议|党代会|代表大会")
QUALIFIER_BEFORE = re.compile(r"(超过|超|近|约|逾|不到)$")
HOTLINES = {"12315", "12345", "12331", "12365", "12330", "110", "120"}


@dataclass
class Quantity:
    start: int
    end: int
    value: str          # as written, e.g. 3,900 or ××.××
    value_num: float | None
    unit: str
    scale: str
    qualifier: str      # 余 / 多 / 超 / 约 … as written
    masked: bool
    reason: str         # why value_num is empty, or ""

    @property
    def value_base(self) -> float | None:
        """Value in the base unit (万元 -> 元)."""
        if self.value_num is None:
            return None
        return self.value_num * SCALES.get(self.scale, 1.0)


def _inside(text: str, pos: int, open_: str, close: str) -> bool:
    left = text[:pos]
    return left.rfind(open_) > left.rfind(close)


def _skip_reason(text: str, m: re.Match) -> str | None:
    """Why a match is not a quantity (None when it is one)."""
    value, unit, scale = m["value"], m["unit"] or "", m["scale"] or ""
    after = text[m.end():m.end() + 1]
    before = text[max(0, m.start() - 1):m.start()]
    masked = value[0] in MASK_CHARS
    if not unit and not scale:
        return "no unit"
    if masked and not unit and after not in "，。；、）" and not text.startswith("大关", m.end()):
        return "mask without unit"
    if before == "第":
        return "ordinal"
    if value.replace(",", "") in HOTLINES:
        return "hotline"
    if not unit and scale and after in "年月日":
        return "date"
    if _inside(text, m.start(), "《", "》"):
        return "inside a title"
    return None


def chinese_value(numeral: str) -> float:
    """The value of a Chinese numeral without 万/亿 (those are scales): 五十四 -> 54, 一千三百 -> 1300."""
    total, digit = 0, 0
    for ch in numeral:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            total += (digit or 1) * CN_POWERS[ch]
            digit = 0
    return float(total + digit)


def _chinese_skip_reason(text: str, m: re.Match) -> str | None:
    """Why a Chinese numeral is not a quantity (None when it is one)."""
    if m["digits"]:
        return None
    value, unit, scale = m["value"], m["unit"] or "", m["scale"] or ""
    if not unit and not scale:
        return "no unit"
    if value == "一" and not scale:
        return "article 一 (a, one)"
    if not unit and scale and text[m.end():m.end() + 1] in "年月日":
        return "date"
    if _inside(text, m.start(), "“", "”") or _inside(text, m.start(), "《", "》"):
        return "inside a quotation or title (numbered formula)"
    if unit == "届" or text[max(0, m.start() - 1):m.start()] == "届" or FORMULA_HEAD.match(text, m.end()):
        return "numbered formula or meeting number"
    return None


def _quantity(text: str, m: re.Match, chinese: bool) -> Quantity:
    value = m["value"]
    masked = value[0] in MASK_CHARS
    digits = chinese and bool(m["digits"])  # 两位数: a qualifier ("two-digit"), not a count
    unit = "" if digits else (m["unit"] or "").replace("％", "%")
    scale = "" if digits else (m["scale"] or "")
    qualifier = value + m["digits"] if digits else (m["q1"] or "") + (m["q2"] or "")
    before = QUALIFIER_BEFORE.search(text[max(0, m.start() - 3):m.start()])
    if before:
        qualifier = before.group(1) + qualifier
    value_num, reason = None, ""
    if digits:
        value, reason = value + m["digits"], "qualitative: a figure of that many digits (两位数 = at least 10)"
    elif chinese:
        value_num = chinese_value(value)
    elif masked:
        reason = "masked in the source"
    else:
        try:
            value_num = float(value.replace(",", ""))
        except ValueError:
            reason = f"unreadable number {value!r}"
    return Quantity(m.start(), m.end(), value, value_num, unit, scale, qualifier, masked, reason)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text` (Arabic or Chinese numerals), in order of position."""
    found = [_quantity(text, m, False) for m in NUMBER.finditer(text) if not _skip_reason(text, m)]
    found += [_quantity(text, m, True) for m in CN_NUMBER.finditer(text) if not _chinese_skip_reason(text, m)]
    return sorted(found, key=lambda q: q.start)
