"""A template's placeholder figures typed in as if they were the document's own.

A form filled in a hurry keeps the figure its template carried (or the one someone typed
to get past a required field): every figure of a passage is 1 — "本部门1个预算单位…编报绩效
目标的项目1个，涉及项目预算资金1.00万元", "共有车辆1辆，其中：部级领导干部用车1辆、主要领导
干部用车1辆…" — or every heading of a section is answered by a bare "1" (一、项目概述 / 1 /
二、立项依据 / 1 …). One such figure proves nothing (a small unit may have one car), so a
passage counts only with several of them, all the placeholder value, and one more sign
that they are not real: an amount of exactly that value (a project budget of 1.00万元), or
a "其中" list adding up to more than its own whole (eight categories of 1辆 under 共有车辆
1辆). Dates, item numbers and the form's thresholds (单价100万元（含）以上) are not figures
of the passage. Each finding is a warning: the reading that the figures are placeholders
is a judgement a reviewer confirms. The patterns are data (`verification.yaml`,
template.placeholder_figures).
"""

from __future__ import annotations

import re

from jixiao.models import Flag
from jixiao.verify.flags import make_flag, short
from jixiao.verify.text import Line, is_toc_line, opens_item
from jixiao.verify.view import View
from jixiao.verify.vocabulary import PlaceholderFigures

#: a heading answered by a placeholder is a short line without a sentence mark
_HEADING_CHARS = 30
#: how much of a passage a message quotes
_QUOTE_CHARS = 40


def check_placeholder_figures(view: View) -> list[Flag]:
    flags = [flag for start, end in view.passages if (flag := _passage(view, start, end))]
    return flags + _bare_answers(view)


def _number(match: re.Match[str]) -> float:
    return float(re.sub("[,，]", "", match.group("number")))


def _masked(spec: PlaceholderFigures, text: str) -> str:
    """The text with what is no reported figure (dates, item numbers, the form's
    thresholds) blanked, offsets kept."""
    return spec.not_figure.sub(lambda m: " " * len(m.group()), text)


def _overfull(spec: PlaceholderFigures, masked: str) -> tuple[int, int, str] | None:
    """The first "其中" list whose parts add up to more than its whole: (whole, parts, unit)."""
    for whole in spec.whole.finditer(masked):
        unit = whole.group("unit")
        listed = re.split("[；;。]", masked[whole.end() :], maxsplit=1)[0]
        parts = [int(n) for n in re.findall(rf"(?<![\d.])(\d+)\s*{re.escape(unit)}", listed)]
        if len(parts) > 1 and sum(parts) > int(whole.group("count")):
            return int(whole.group("count")), sum(parts), unit
    return None


def _passage(view: View, start: int, end: int) -> Flag | None:
    spec = view.vocab.placeholder_figures
    text = view.text[start:end]
    masked = _masked(spec, text)
    figures = list(spec.figure.finditer(masked))
    if len(figures) < spec.min_count or any(_number(m) != spec.value for m in figures):
        return None
    money = next((m for m in figures if m.group("money")), None)
    overfull = _overfull(spec, masked)
    if money is None and overfull is None:
        return None
    shown = f"{spec.value:g}"
    if overfull is not None:
        why = f"其中各项合计 {overfull[1]} {overfull[2]}，多于总数 {overfull[0]} {overfull[2]}"
    else:
        assert money is not None
        why = f"金额也写作“{text[money.start() : money.end()]}”"
    facts = [
        f.id
        for f in view.record.facts
        if f.evidence.cell is None and start <= f.evidence.start < end
    ]
    return make_flag(
        "unfilled_template",
        f"模板未填写完整：{view.page_of(start)}“{short(text, _QUOTE_CHARS)}”所列 "
        f"{len(figures)} 个数值都是 {shown}，{why}，像是模板的占位数值而非实际情况，请核对",
        f"template left unfilled: all {len(figures)} figures of the passage are {shown}"
        + (f", its parts add to {overfull[1]} against {overfull[0]}" if overfull else ""),
        facts=facts,
        severity="warning",
        location=[view.at_text(start, end)],
    )


def _contents_lines(view: View, all_lines: list[Line]) -> range:
    """The line numbers of the document's 目录 (its page numbers are no answers)."""
    head = next(
        (n for n, line in enumerate(all_lines) if view.vocab.contents_heading.match(line.text)),
        None,
    )
    if head is None:
        return range(0)
    return range(head, head + 1 + view.vocab.contents_lines)


def _heading(line: Line) -> bool:
    body = line.text.strip()
    return (
        bool(body)
        and "\t" not in line.text
        and "。" not in body
        and len(body) <= _HEADING_CHARS
        and opens_item(line.text)
        and not is_toc_line(body)
    )


def _bare_answers(view: View) -> list[Flag]:
    """Runs of headings each answered by the same bare placeholder line."""
    spec = view.vocab.placeholder_figures
    all_lines = view.text_lines
    contents = _contents_lines(view, all_lines)
    runs: list[list[tuple[Line, Line]]] = [[]]
    n = 0
    while n < len(all_lines):
        line = all_lines[n]
        answer = all_lines[n + 1] if n + 1 < len(all_lines) else None
        if (
            n not in contents
            and answer is not None
            and _heading(line)
            and spec.bare_answer.match(answer.text)
        ):
            runs[-1].append((line, answer))
            n += 2
            continue
        if runs[-1]:
            runs.append([])
        n += 1
    flags = []
    for run in runs:
        answers = {answer.text.strip() for _, answer in run}
        if len(run) < spec.min_count or len(answers) != 1:
            continue
        start, end = run[0][0].start, run[-1][1].end
        first, last = run[0][0].text.strip(), run[-1][0].text.strip()
        flags.append(
            make_flag(
                "unfilled_template",
                f"模板未填写完整：{view.page_of(start)}“{first}”至“{last}”{len(run)} 个标题下"
                f"都只填了“{answers.pop()}”，像是模板的占位内容而非实际说明，请核对",
                f"template left unfilled: {len(run)} headings each answered by a bare placeholder",
                severity="warning",
                location=[view.at_text(start, end)],
            )
        )
    return flags
