"""Document-level checks: a template left unfilled and the department named differently.

Both are cheap text scans that reviewers ask for: an `XXX` placeholder or a blank
`填报人：` line means the template was published unfilled; a department name with an
administrative unit the department is not in (another county's 信访局 pasted in)
means text was copied from another report.
"""

from __future__ import annotations

import re

from jixiao.models import Department, Flag
from jixiao.verify.flags import make_flag

_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:X{2,}|x{3,}|×{2,}|＊{2,}|\*{3,})(?![A-Za-z])")
_BLANK_FIELD = re.compile(
    r"^\s*(部门名称|单位名称|预算单位|填报人|填报单位|联系电话|填报日期|项目名称|主管部门|实施单位)"
    r"\s*[:：]\s*(?:[（(]\s*(?:公章|盖章)\s*[）)])?\s*$",
    re.M,
)
_UNIT_MARKERS = "省市区县州旗盟"
_GENERIC = set("全本我该各此每")


#: every placeholder holds one of these (a plain scan for them is far cheaper than the
#: pattern, whose opening look-behind makes the regex engine try every position)
_PLACEHOLDER_CHARS = re.compile(r"[Xx×＊*]")


def check_unfilled(text: str) -> list[Flag]:
    placeholders = (
        [m for m in _PLACEHOLDER.finditer(text)] if _PLACEHOLDER_CHARS.search(text) else []
    )
    blanks = [m.group(1) for m in _BLANK_FIELD.finditer(text)]
    if not placeholders and not blanks:
        return []
    parts = []
    if placeholders:
        first = placeholders[0]
        snippet = text[max(0, first.start() - 12) : first.end() + 12].replace("\n", " ")
        parts.append(f"占位符 {first.group()} 共 {len(placeholders)} 处（如“…{snippet}…”）")
    if blanks:
        parts.append("空白栏目：" + "、".join(dict.fromkeys(blanks)))
    return [
        make_flag(
            "unfilled_template",
            "模板未填写完整：" + "；".join(parts),
            f"template left unfilled: {len(placeholders)} placeholder(s), blank fields "
            f"{', '.join(dict.fromkeys(blanks)) or 'none'}",
            severity="warning",
        )
    ]


def _core(name: str) -> str:
    cut = max(name.rfind(c) for c in _UNIT_MARKERS)
    return name[cut + 1 :] if cut >= 0 else ""


_UNIT = re.compile(rf"[^{_UNIT_MARKERS}]{{1,6}}?[{_UNIT_MARKERS}]")


def _name_cells(text: str, core: str) -> list[tuple[str, int]]:
    """Whole lines or table cells that are a department name ending in `core`.

    Prose mentions other bodies all the time (上级信访局, 四川省信访局); a cover line,
    a form field or a table header that *is* a name is where a wrong one is a slip.
    """
    found = []
    offset = 0
    for line in text.split("\n"):
        for cell in re.split(r"\t|[:：]", line):
            name = cell.strip().removesuffix("部门").removesuffix("（盖章）")
            if (
                name.endswith(core)
                and len(name) <= 30
                and re.fullmatch(r"[\u4e00-\u9fff（）]+", name)
            ):
                found.append((name, offset + max(0, line.find(name))))
        offset += len(line) + 1
    return found


def check_department_name(department: Department, text: str) -> list[Flag]:
    name = department.name or ""
    core = _core(name)
    if len(core) < 2:
        return []
    known = " ".join(
        x for x in (name, department.province, department.city, department.county) if x
    )
    others: dict[str, int] = {}
    for cell, pos in _name_cells(text, core):
        units = _UNIT.findall(cell.removesuffix(core).removeprefix("中共"))
        last = units[-1] if units else ""  # the unit the body belongs to; above it may be omitted
        if len(last) >= 2 and last[0] not in _GENERIC and last not in known:
            others.setdefault(cell, pos)
    return [
        make_flag(
            "department_name",
            f"部门名称不一致：“{other}”，而部门为“{name}”",
            f"a name line or cell reads '{other}' (offset {pos}) but the department is '{name}'",
            severity="warning",
        )
        for other, pos in others.items()
    ]
