"""The department named the same on its cover, in its table titles and in its text.

A name line or cell (a cover line, a 编制部门：/预算单位： field, a table title) that names
the department's body ("…规划和自然资源局") under another administrative unit than the
department's own (上海市 for 上海市普陀区; another county's 信访局) is text copied from
another report or a template not adapted. Prose mentions other bodies all the time (上级
信访局, 四川省信访局); only lines and cells that *are* a name are read. Omitting the
upper levels (普陀区财政局 for 上海市普陀区财政局) is the usual short form, not a slip.
"""

from __future__ import annotations

import re

from jixiao.models import Flag
from jixiao.verify.flags import make_flag
from jixiao.verify.view import View

_NAME = re.compile(r"[\u4e00-\u9fff（）]+")
_MAX_NAME = 30


def _core(name: str, markers: str) -> str:
    """The body without its administrative units: 上海市普陀区财政局 → 财政局."""
    cut = max(name.rfind(c) for c in markers)
    return name[cut + 1 :] if cut >= 0 else ""


def _units(name: str, markers: str) -> list[str]:
    return re.findall(rf"[^{markers}]{{1,6}}?[{markers}]", name)


def _name_cells(view: View, core: str) -> list[tuple[str, int]]:
    """Whole lines or table cells (or form fields) that are a name ending in `core`."""
    found = []
    offset = 0
    for line in view.text.split("\n"):
        cleaned = view.vocab.name_unit_tail.sub("", line)
        for cell in re.split(r"\t|[:：]", cleaned):
            name = cell.strip().removesuffix("部门").removesuffix("（盖章）")
            if name.endswith(core) and len(name) <= _MAX_NAME and _NAME.fullmatch(name):
                found.append((name, offset + max(0, line.find(name))))
        offset += len(line) + 1
    return found


def check_department_name(view: View) -> list[Flag]:
    department = view.record.department
    markers = view.vocab.unit_markers
    name = department.name or ""
    core = _core(name, markers)
    own_units = _units(name.removeprefix("中共"), markers)
    if len(core) < 2 or not own_units:
        return []
    known = " ".join(
        x for x in (name, department.province, department.city, department.county) if x
    )
    others: dict[str, int] = {}
    for cell, pos in _name_cells(view, core):
        units = _units(cell.removesuffix(core).removeprefix("中共"), markers)
        if not units:
            continue
        last = units[-1]  # the unit the body belongs to; above it may be omitted
        if last[0] in view.vocab.generic_heads or len(last) < 2:
            continue
        if last not in known or (last != own_units[-1] and last in own_units[:-1]):
            others.setdefault(cell, pos)
    return [
        make_flag(
            "department_name",
            f"{view.page_of(pos)}部门名称写作“{other}”，与封面的“{name}”不一致",
            f"a name line or cell reads '{other}' (offset {pos}) but the department is '{name}'",
            severity="warning",
            location=[view.at_text(pos, pos + len(other))],
        )
        for other, pos in others.items()
    ]
