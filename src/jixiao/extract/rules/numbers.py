"""Numbers as the reports print them: amounts with units, percentages, counts, operators.

Shared by the prose and table readers so both normalise alike: money goes to 万元
(元 ÷ 10⁴, 亿元 × 10⁴), percentages to ``%``, counts keep their unit (人, 人次, 批次 …).
The printed precision is kept as ``decimals`` *in the normalised unit*, because the
verifier compares sums with interval arithmetic: 416.54万元 has decimals 2, and
250,000.00元 = 25.0万元 has decimals 6 (two printed, shifted by four). A value the
reports print is never rounded or corrected here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

# full-width digits and number punctuation map one-to-one, so offsets survive
_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update(
    {
        "．": ".",
        "，": ",",
        "％": "%",
        "－": "-",
        "−": "-",
        "＋": "+",
        "＞": ">",
        "＜": "<",
        "＝": "=",
        "≧": "≥",
        "≦": "≤",
    }
)
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)

#: money units and their factor to 万元, and the decimal shift that factor implies
MONEY_UNITS: dict[str, tuple[float, int]] = {
    "亿元": (1e4, -4),
    "万元": (1.0, 0),
    "千元": (0.1, 1),
    "元": (1e-4, 4),
}
PERCENT_UNITS = ("个百分点", "百分点", "%", "‰")
#: count units, longest first so 人次 wins over 人
COUNT_UNITS = tuple(
    sorted(
        [
            "人次",
            "人",
            "批次",
            "次",
            "辆",
            "件",
            "个",
            "家",
            "户",
            "项",
            "天",
            "日",
            "小时",
            "分钟",
            "分",
            "台",
            "套",
            "份",
            "篇",
            "场",
            "平方米",
            "公里",
            "千米",
            "米",
            "吨",
            "亩",
            "所",
            "座",
            "张",
            "本",
            "册",
            "期",
            "条",
            "处",
            "名",
            "位",
            "年",
            "月",
            "周",
            "间",
            "栋",
            "株",
            "头",
            "只",
            "起",
            "宗",
            "例",
            "册",
            "部",
            "班",
            "届",
            "门",
            "类",
            "轮",
            "批",
        ],
        key=len,
        reverse=True,
    )
)
#: worded and symbolic comparison operators, longest first
OPERATOR_WORDS: dict[str, str] = {
    "大于或等于": "≥",
    "大于等于": "≥",
    "小于或等于": "≤",
    "小于等于": "≤",
    "不低于": "≥",
    "不少于": "≥",
    "不小于": "≥",
    "至少": "≥",
    "不超过": "≤",
    "不高于": "≤",
    "不多于": "≤",
    "不大于": "≤",
    "控制在": "≤",
    "大于": ">",
    "高于": ">",
    "超过": ">",
    "多于": ">",
    "小于": "<",
    "低于": "<",
    "少于": "<",
    ">=": "≥",
    "<=": "≤",
    "≥": "≥",
    "≤": "≤",
    ">": ">",
    "<": "<",
    "=": "=",
}
#: words after a number that turn it into a bound: 95%以上 → ≥ 95
SUFFIX_OPERATORS: dict[str, str] = {
    "以上": "≥",
    "以下": "≤",
    "以内": "≤",
    "及以上": "≥",
    "及以下": "≤",
}

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_OPS = "|".join(re.escape(w) for w in sorted(OPERATOR_WORDS, key=len, reverse=True))
_UNITS = "|".join(
    re.escape(u) for u in sorted([*MONEY_UNITS, *PERCENT_UNITS], key=len, reverse=True)
)
_COUNTS = "|".join(re.escape(u) for u in COUNT_UNITS)
_SUFFIX = "|".join(re.escape(w) for w in sorted(SUFFIX_OPERATORS, key=len, reverse=True))
QUANTITY = re.compile(
    rf"(?:(?P<op>{_OPS})\s*)?"
    rf"(?<![\d.])(?P<num>{_NUMBER})(?![\d])\s*"
    rf"(?P<unit>{_UNITS}|(?P<mult>万|亿)?(?:{_COUNTS})|万|亿)?"
    rf"(?P<suffix>{_SUFFIX})?"
)


@dataclass(frozen=True)
class Quantity:
    """A number as printed, normalised (money in 万元), with its position in the text."""

    value: float
    unit: str
    #: printed decimals in `unit` (negative after ×10⁴: 1.2亿元 → 12000万元, decimals −3)
    decimals: int
    operator: str | None
    #: the printed span, operator and unit included
    text: str
    start: int
    end: int
    #: the number and unit as printed, without a worded operator (for `Fact.text`)
    printed: str = ""
    raw_value: float = 0.0
    raw_unit: str = ""

    @property
    def is_money(self) -> bool:
        return self.unit == "万元"

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def to_halfwidth(text: str) -> str:
    """Full-width digits and number punctuation as ASCII, same length (offsets kept)."""
    return text.translate(_FULLWIDTH_TABLE)


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def _normalise(value: float, decimals: int, unit: str, mult: str | None) -> tuple[float, str, int]:
    """Value, unit and decimals in the normalised unit (万元 for money)."""
    if unit in MONEY_UNITS:
        factor, shift = MONEY_UNITS[unit]
        return round(value * factor, max(decimals + shift, 0) + 2), "万元", decimals + shift
    if unit == "万":  # a bare 万 after a number is an amount in 万元 in these reports
        return value, "万元", decimals
    if unit == "亿":
        return value * 1e4, "万元", decimals - 4
    if unit in ("个百分点", "百分点"):
        return value, "个百分点", decimals
    if unit == "%":
        return value, "%", decimals
    if mult:
        count_unit = unit[len(mult) :]
        shift = 4 if mult == "万" else 8
        return round(value * 10**shift, 6), count_unit, decimals - shift
    return value, unit, decimals


def _from_match(m: re.Match[str], original: str, offset: int = 0) -> Quantity:
    number = m.group("num").replace(",", "")
    raw_value = float(number)
    raw_unit = m.group("unit") or ""
    decimals = _decimals(number)
    value, unit, decimals = _normalise(raw_value, decimals, raw_unit, m.group("mult"))
    op_text = m.group("op")
    operator = OPERATOR_WORDS[op_text] if op_text else None
    if m.group("suffix"):
        operator = operator or SUFFIX_OPERATORS[m.group("suffix")]
    printed_end = m.end("unit") if m.group("unit") else m.end("num")
    return Quantity(
        value=value,
        unit=unit,
        decimals=decimals,
        operator=operator,
        text=original[m.start() : m.end()],
        start=offset + m.start(),
        end=offset + m.end(),
        printed=original[m.start("num") : printed_end],
        raw_value=raw_value,
        raw_unit=raw_unit,
    )


def find_quantities(text: str, offset: int = 0, *, wrapped: bool = False) -> list[Quantity]:
    """Every number in `text`, left to right; offsets are shifted by `offset`.

    Years and dates come back with unit 年/月/日 so a caller can skip them; numbers
    inside codes such as 2010308 or 201-03-08 are returned as printed (unit "").
    `wrapped`: `text` is prose whose line breaks a PDF made, so a number cut by one
    (``241.3⏎6万元``) is one number; its quote keeps the break, as printed.
    """
    if wrapped and "\n" in text:
        breaks = {m.start() for m in BREAK_IN_NUMBER.finditer(text)}
        if breaks:
            return _across_breaks(text, offset, breaks)
    half = to_halfwidth(text)
    return [_from_match(m, text, offset) for m in _quantity_matches(half) if m.group("num")]


#: a line break inside a number: between digits, or beside its decimal point
BREAK_IN_NUMBER = re.compile(r"(?<=[0-9０-９])\n(?=[0-9０-９.．])|(?<=[.．])\n(?=[0-9０-９])")


def _across_breaks(text: str, offset: int, breaks: set[int]) -> list[Quantity]:
    """The quantities of `text` read without the `breaks`, placed back where printed."""
    kept = [i for i in range(len(text)) if i not in breaks]
    flat = "".join(text[i] for i in kept)
    out = []
    for q in find_quantities(flat):
        start, end = kept[q.start], kept[q.end - 1] + 1
        out.append(replace(q, start=offset + start, end=offset + end, text=text[start:end]))
    return out


#: a quantity starts with an operator word, a sign or a digit
_QUANTITY_START = re.compile(
    "[" + re.escape("".join(sorted({w[0] for w in OPERATOR_WORDS} | set("-+0123456789")))) + "]"
)


def _quantity_matches(text: str) -> Iterator[re.Match[str]]:
    """`QUANTITY.finditer(text)`, trying the pattern only where a quantity can start.

    The pattern opens with an optional operator, so the regex engine cannot skip ahead
    and tries it at every character of prose; jumping between possible first characters
    finds the same matches two to three times faster.
    """
    pos = 0
    while (start := _QUANTITY_START.search(text, pos)) is not None:
        m = QUANTITY.match(text, start.start())
        if m is None:
            pos = start.start() + 1
            continue
        yield m
        pos = max(m.end(), start.start() + 1)


@lru_cache(maxsize=16384)
def parse_quantity(text: str) -> Quantity | None:
    """The one quantity a short text (a table cell, a target) states, or None.

    ``"≥95%"`` → (95, "%", op "≥"); ``"250,000.00元"`` → (25.0, "万元", decimals 6).
    The first number wins when a cell holds several (``"8万元（其中财政8万元）"``).
    Cached (a `Quantity` is frozen): table cells repeat (100, ≥95%, 是) across a batch.
    """
    found = find_quantities(text.strip())
    if not found:
        return None
    first = found[0]
    lead = text.strip()[: first.start]
    if first.operator is None:
        lead_op = _trailing_operator(lead)
        if lead_op:
            return Quantity(
                first.value,
                first.unit,
                first.decimals,
                lead_op,
                first.text,
                first.start,
                first.end,
                first.printed,
                first.raw_value,
                first.raw_unit,
            )
    return first


def _trailing_operator(lead: str) -> str | None:
    """An operator word right before a number that the pattern did not take (with 为/达)."""
    lead = lead.rstrip(" ：:为达到")
    for word in _OPERATORS_LONGEST_FIRST:
        if lead.endswith(word):
            return OPERATOR_WORDS[word]
    return None


_OPERATORS_LONGEST_FIRST = sorted(OPERATOR_WORDS, key=len, reverse=True)
