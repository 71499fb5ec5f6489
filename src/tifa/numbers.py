"""Numbers in running Chinese text: values, units, scales, masks and qualifiers.

One regular expression finds a number (Arabic digits with optional thousands
commas and decimals, or a run of mask characters such as ××.××) followed by an
optional qualifier (余/多), an optional scale (万/亿/千) and a unit from
`UNITS`. Chinese-numeral counts (两个, 三年) are not read: they name
formulations far more often than they report results.

A masked value is never turned into a number: `value_num` stays empty and the
reason says why. Years, dates, ordinals (第3), hotline numbers (12315) and
numbers inside 《titles》 or “quotes” are not quantities and are skipped.
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
SCALES = {"千": 1e3, "万": 1e4, "亿": 1e8}
_M = re.escape(MASK_CHARS)
NUMBER = re.compile(
    rf"(?<![\d.,{_M}A-Za-z])"
    rf"(?P<value>\d+(?:,\d{{3}})*(?:\.\d+)?|[{_M}]+(?:\.[{_M}]+)?)"
    r"(?P<q1>余|多)?(?P<scale>[千万亿])?(?P<q2>余|多)?"
    rf"(?P<unit>{'|'.join(map(re.escape, UNITS))})?"
)
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
    if masked and not unit and after not in "，。；、）":
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


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order of position."""
    found = []
    for m in NUMBER.finditer(text):
        if _skip_reason(text, m):
            continue
        value = m["value"]
        masked = value[0] in MASK_CHARS
        unit = m["unit"] or ""
        scale = m["scale"] or ""
        if unit == "％":
            unit = "%"
        qualifier = (m["q1"] or "") + (m["q2"] or "")
        before = QUALIFIER_BEFORE.search(text[max(0, m.start() - 3):m.start()])
        if before:
            qualifier = before.group(1) + qualifier
        value_num, reason = None, ""
        if masked:
            reason = "masked in the source"
        else:
            try:
                value_num = float(value.replace(",", ""))
            except ValueError:
                reason = f"unreadable number {value!r}"
        found.append(Quantity(m.start(), m.end(), value, value_num, unit, scale, qualifier, masked, reason))
    return found
