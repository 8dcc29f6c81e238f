"""A 说明 item's figure against its own line in the document's tables (`table_text`).

The 情况说明 restates each 功能分类 line of the tables: "6.“社会保障和就业支出（类）行政事业
单位养老支出（款）机关事业单位职业年金缴费支出（项）”887.36万元" (预算), "5、…（项）。主要
用于：….年初预算为53.06万元，支出决算为60.03万元" (决算). The line is found in the tables by
its code or its names (`functions.py`), whatever the reading made of the figures, so the
comparison is always of one line: the item's figure must be one of the amounts the
tables print on that line (its 合计, 基本支出 or 项目支出 column, in any of the tables
that carry it). A figure the tables print cut short instead of rounded (78.21 for
782,164元) is the same figure. Flagged: a figure no amount of the line gives.
"""

from __future__ import annotations

import math
import re

from jixiao.models import Flag
from jixiao.verify.claims import Amount
from jixiao.verify.flags import make_flag, short
from jixiao.verify.functions import Line, class_of, references
from jixiao.verify.intervals import Interval, fmt
from jixiao.verify.view import View

#: how far after the names the 决算 figure of the item may stand
_PASSAGE = 300


def check_item_lines(view: View) -> list[Flag]:
    lines = view.function_lines
    if not lines.lines:
        return []
    values = {c.value.start: c.value for c in view.claims if c.value is not c.head}
    flags = []
    for offset, body in view.body_lines:
        for ref in references(body):
            class_code = class_of(ref, view.taxonomy)
            if class_code is None:
                continue
            figure = _figure(view, body, offset, ref.end, values)
            if figure is None:
                continue
            found = [x for x in lines.lines_for(class_code, ref.names, ref.codes) if x.amounts]
            if not found or any(_agrees(figure, x) for x in found):
                continue
            if _printed_with(view, figure, ref.names[-1]):
                continue  # a table the reading of lines missed prints it on that line
            flags.append(_flag(view, offset + ref.start, figure, found[0]))
    return flags


def _figure(
    view: View, body: str, offset: int, end: int, values: dict[int, Amount]
) -> Amount | None:
    """The item's figure: right after its names (预算), or its 支出决算 in the passage (决算)."""
    head = view.vocab.item_figure.match(body, end)  # ”科目43.83万元 / ”25.77万元
    if head is not None:
        decimals = len(head.group(2) or "")
        value = float(re.sub(r"[,，]", "", head.group(1)))
        return Amount(value, decimals, offset + head.start(1), offset + head.end(1))
    after = offset + end
    return next(
        (v for start, v in sorted(values.items()) if after <= start <= after + _PASSAGE),
        None,
    )


def _printed_with(view: View, figure: Amount, name: str) -> bool:
    """The figure printed (in 万元 or in 元) in a table row or line naming the item."""
    yuan = round(figure.value * 10_000)
    forms = {f"{figure.value:.{figure.decimals}f}", f"{yuan:,}", str(yuan)}
    pattern = re.compile("|".join(rf"(?<![\d.,]){re.escape(f)}(?![\d]|\.\d)" for f in forms))
    for line in view.text_lines:
        tabular = "\t" in line.text or not re.search(r"[。，]", line.text)
        if tabular and name in line.text and pattern.search(line.text):
            return True
    return False


def _agrees(figure: Amount, line: Line) -> bool:
    printed = Interval.printed(figure.value, figure.decimals)
    scale = 10**figure.decimals
    for value, decimals in line.amounts:
        if printed.meets(Interval.printed(value, decimals)):
            return True
        if abs(math.floor(value * scale + 1e-9) / scale - figure.value) < 1e-9:
            return True  # the table's figure cut short: the same figure
    return False


def _flag(view: View, at: int, figure: Amount, line: Line) -> Flag:
    shown = "、".join(fmt(v, min(d, 2)) for v, d in line.amounts[:3])
    name = line.name if line.code is None else f"{line.code} {line.name}"
    return make_flag(
        "table_text",
        f"{view.page_of(figure.start)}“{short(view.text[at : figure.end + 2], 60)}”写 "
        f"{figure.shown} 万元，而表中“{name}”一行为 {shown} 万元，前后不一致",
        f"the 说明 gives {figure.shown} for '{name}'; its line in the tables reads {shown}",
        expected=line.amount,
        actual=figure.value,
        location=[view.at_text(at, figure.end), view.at_text(line.start, line.start + 60)],
    )
