"""Section kinds (OUTPUT.md) from heading titles, and project names from titles and tables.

Classification is driven by the keyword tables below, kept as data so a new template
needs a pattern, not code. A title may name several kinds when a converter glued two
title lines together ("…评价指标体系（甲项目）…项目支出绩效自评报告（乙项目）"); the
match that ends last wins, because the last title governs the text that follows it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.document import Table

# ---------------------------------------------------------------------------- keyword data
#: kind -> regular expressions that, found in a heading title, name that kind.
#: Order matters only for ties (same end position): earlier kinds win.
KIND_PATTERNS: dict[str, tuple[str, ...]] = {
    "self_eval_table": (
        r"绩效目标自评",
        r"绩效自评表",
        r"自评表",
        r"目标完成情况表",
    ),
    "target_table": (
        r"绩效目标(?:申报|汇总|批复|审核)?表",
        r"绩效目标(?!自评)[^，。；、自]{0,6}表",
    ),
    "rubric": (
        r"评价指标体系",
        r"绩效指标体系及?评分",
        r"评分表",
        r"评分标准",
    ),
    "project_evaluation": (
        r"项目[^，。；]{0,8}绩效[^，。；]{0,6}报告",
        r"项目[^，。；]{0,4}(?:自评|评价)报告",
    ),
    "overall_evaluation": (
        r"整体[^，。；]{0,8}绩效[^，。；]{0,8}报告",
        r"整体绩效(?:自评|评价)?报告",
        r"部门绩效(?:自评|评价)?报告",
        r"整体支出绩效(?:自评|评价)(?:情况)?$",
    ),
    "final_accounts_tables": (r"(?:部门|单位)决算表$",),
    "budget_tables": (r"(?:部门|单位)预算表$", r"预算(?:总)?表$"),
    "budget_notes": (
        r"预算编制说明",
        r"其他相关情况说明",
        r"项目经费情况说明",
        r"(?:部门|单位)预算情况说明",
    ),
    "final_accounts": (
        r"决算情况说明",
        r"收入支出决算",
        r"决算总表",
        r"决算(?:明细)?表",
        r"收入决算",
        r"支出决算",
        r"[“\"]?三公[”\"]?经费",
        r"机关运行经费",
        r"政府采购支出情况",
        r"国有资产占有使用情况",
        r"财政拨款[^，。；]{0,12}决算",
    ),
    "glossary": (r"名词解释", r"术语解释"),
    "profile": (
        r"部门[（(]?单位[)）]?概况",
        r"单位概况",
        r"部门概况",
        r"部门基本情况",
        r"单位基本情况",
        r"部门职[责能]",
        r"主要职[责能]",
        r"基本职能",
        r"机构职能",
        r"机构设置",
        r"机构组成",
        r"人员概况",
        r"人员编制",
        r"人员构成",
    ),
}

#: kinds that describe a table: a heading naming one only counts when a table follows it
TABLE_KINDS: frozenset[str] = frozenset(
    {"target_table", "self_eval_table", "rubric", "budget_tables", "final_accounts_tables"}
)

#: table cells whose right-hand (or lower) neighbour names the project
PROJECT_LABELS: tuple[str, ...] = ("项目名称", "支出方向（子项）", "支出方向(子项)", "子项名称")

#: words that make a candidate project name generic (the department, not a project)
GENERIC_PROJECT = re.compile(
    r"^(?:部门|单位|本级|整体|预算|项目|支出|专项资金|专项|资金|年度|区级|市级|县级|省级|"
    r"部门预算|部门整体|整体支出|支出方向|绩效|目标|汇总|[（(]?参考格式[)）]?)*$"
)

#: one alternation per kind: a title is scanned once per kind, not once per pattern
_COMPILED: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile("|".join(f"(?:{p})" for p in pats))) for kind, pats in KIND_PATTERNS.items()
]
_YEAR_PREFIX = re.compile(r"^\s*(?:\d{4}|[〇一二三四五六七八九零]{4})\s*年度?")
_CODE_PREFIX = re.compile(r"^[0-9A-Za-z]{8,}\s*[-—－_]\s*")
_QUOTES = "《》“”\"'「」『』〈〉"
_PAREN_OPEN = "（("
_PAREN_CLOSE = "）)"
#: a column header to the right of 项目名称: the name is then in the row below
_COLUMN_HEADER = re.compile(r"^(?:预算|年度|金额|资金|实施|主管|项目金额|总金额|绩效)[^，。]{0,8}$")
#: "…某某项目支出绩效" right before a table keyword: the words before it name a project
_PROJECT_TAIL = re.compile(r"项目(?:支出)?(?:绩效)?(?:目标)?$")
_NOT_A_PROJECT = re.compile(r"^(?:\d{4}年度?|参考格式|[^）)]*(?:盖章|单位：|万元))$")


@dataclass(frozen=True)
class KindMatch:
    kind: str
    start: int
    end: int


def kind_matches(title: str) -> list[KindMatch]:
    """Every keyword hit in a title, in order of position."""
    hits = [
        KindMatch(kind, m.start(), m.end())
        for kind, pattern in _COMPILED
        for m in pattern.finditer(title)
    ]
    return sorted(hits, key=lambda h: (h.start, -h.end))


def governing_match(title: str) -> KindMatch | None:
    """The hit that governs a title: the one ending last (ties: the longer, then the first kind)."""
    best: KindMatch | None = None
    for hit in kind_matches(title):
        if best is None or hit.end > best.end or (hit.end == best.end and hit.start < best.start):
            best = hit
    return best


def classify_title(title: str) -> str | None:
    """The kind a heading title names, or None when it names none (the child inherits)."""
    hit = governing_match(title)
    return hit.kind if hit else None


# ---------------------------------------------------------------------------- project names
def _balanced_paren(text: str, i: int) -> tuple[str, int] | None:
    """The content of the parenthetical opening at text[i] (nesting allowed) and its end."""
    if i >= len(text) or text[i] not in _PAREN_OPEN:
        return None
    depth = 0
    for j in range(i, len(text)):
        if text[j] in _PAREN_OPEN:
            depth += 1
        elif text[j] in _PAREN_CLOSE:
            depth -= 1
            if depth == 0:
                return text[i + 1 : j], j + 1
    return None


def clean_project_name(name: str | None) -> str | None:
    """A project's bare name: no year, no code, no quotes, no report words; None if generic."""
    if not name:
        return None
    name = name.strip().strip(_QUOTES).strip()
    name = "".join(ch for ch in name if ch not in _QUOTES)
    name = _CODE_PREFIX.sub("", name)
    name = _YEAR_PREFIX.sub("", name).strip()
    name = re.sub(r"(?:项目)?(?:支出)?(?:绩效)?(?:目标)?(?:自评|评价)?(?:报告|表)?$", "", name)
    name = re.sub(r"项目$", "", name).strip(" ：:-—")
    if not name or GENERIC_PROJECT.match(name) or _NOT_A_PROJECT.match(name):
        return None
    if len(name) > 40:
        return None
    return name


def project_from_title(title: str, kind: str | None = None) -> str | None:
    """The project a title names: a parenthetical after the governing keyword, or, for a
    项目支出绩效自评报告, the words before it ("2021年某某项目支出绩效自评报告")."""
    hit = governing_match(title)
    if hit is None:
        return None
    after = title[hit.end :].lstrip()
    paren = _balanced_paren(after, 0)
    if paren is not None:
        name = clean_project_name(paren[0])
        if name:
            return name
    names_project = _PROJECT_TAIL.search(title[: hit.start].rstrip()) is not None
    if hit.kind == "project_evaluation" or names_project:
        previous_end = max((h.end for h in kind_matches(title) if h.end <= hit.start), default=0)
        before = title[previous_end : hit.start]
        # a leading parenthetical ("（甲项目）…") belongs to the previous title
        while before.startswith(tuple(_PAREN_OPEN)):
            paren = _balanced_paren(before, 0)
            if paren is None:
                break
            before = before[paren[1] :]
        return clean_project_name(before)
    return None


def _cell_texts(row: Sequence[object]) -> list[str]:
    return [getattr(c, "text", "").strip() for c in row]


_TOTAL_ROW = re.compile(r"^(?:合\s*计|小\s*计|总\s*计|共\s*计)$")


def _single_value_below(table: Table, r: int, c: int) -> str | None:
    """The one name in the column under a 项目名称 header; None for a list of projects."""
    names: set[str] = set()
    for row in table.rows[r + 1 :]:
        texts = _cell_texts(row)
        if c < len(texts) and texts[c] and not _TOTAL_ROW.match(texts[c]):
            names.add(texts[c])
    return clean_project_name(names.pop()) if len(names) == 1 else None


def project_from_table(table: Table) -> str | None:
    """The project a table is about, read from its 项目名称 / 支出方向（子项） cell.

    The name is the next non-empty cell to the right or, when the label heads a column
    ("项目名称 | 预算数 | …"), the cell below it.
    """
    for r, row in enumerate(table.rows[:8]):
        texts = _cell_texts(row)
        for c, text in enumerate(texts):
            label = text.replace(" ", "")
            if not any(label.startswith(lab) for lab in PROJECT_LABELS):
                continue
            inline = label.split("：", 1)[1] if "：" in label else ""
            if inline:
                return clean_project_name(inline)
            right = next((t for t in texts[c + 1 :] if t), None)
            if right and not _COLUMN_HEADER.match(right):
                return clean_project_name(right)
            return _single_value_below(table, r, c)
    return None


# ---------------------------------------------------------------------------- table content
#: kind -> (all of, any of) header words that mark a table of that kind, tried in order
TABLE_SIGNATURES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("rubric", ("指标",), ("评分方法", "评分标准", "指标解释", "评价要点", "评分规则")),
    ("self_eval_table", ("指标",), ("实际完成", "完成值", "执行数", "执行率", "偏差原因")),
    ("target_table", ("指标值",), ("一级指标", "三级指标", "绩效指标")),
    ("final_accounts", (), ("决算数", "支出功能分类", "科目编码", "科目名称")),
)
#: how many rows of a table its signature is read from
SIGNATURE_ROWS = 12


def classify_table(table: Table) -> str | None:
    """The kind a table's header words show, for tables whose title names none."""
    head = "".join(c.text for row in table.rows[:SIGNATURE_ROWS] for c in row)
    for kind, required, any_of in TABLE_SIGNATURES:
        if all(w in head for w in required) and any(w in head for w in any_of):
            return kind
    return None
