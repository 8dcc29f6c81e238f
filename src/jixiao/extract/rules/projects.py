"""Projects named by table header cells (项目名称, 项目编码, 主管部门, 实施单位).

A table's own header cells are the strongest evidence of which project it belongs to,
stronger than the heading above it, so they are read first and merged across the
several tables (目标表, 评价指标体系, 自评表) that describe the same project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.document import Cell
from jixiao.extract.rules.table_cells import is_blank, label, project_name
from jixiao.models import Project
from jixiao.vocabulary import load_vocabulary

#: a budget-system project code: 51090322T000000344324 (digits, a letter, digits)
PROJECT_CODE = re.compile(r"(?<![0-9A-Za-z])(\d{6,}[A-Z]{1,2}\d{6,})(?![0-9A-Za-z])")

_LABELS = load_vocabulary().project_table_labels
NAME_LABELS = _LABELS.name
CODE_LABELS = _LABELS.code
MANAGER_LABELS = _LABELS.managing_department
UNIT_LABELS = _LABELS.implementing_unit


@dataclass
class ProjectCells:
    """What one row says about its project; fields stay None when the row is silent."""

    name: str | None = None
    code: str | None = None
    managing_department: str | None = None
    implementing_unit: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.name or self.code or self.managing_department or self.implementing_unit)


def split_code(text: str) -> tuple[str | None, str]:
    """'51090322T000000344322-接访工作经费' → (code, name); a name alone keeps code None."""
    match = PROJECT_CODE.search(text)
    if not match:
        return None, text
    rest = (text[: match.start()] + text[match.end() :]).strip(" -—_：:")
    return match.group(1), rest


def _field_of(cell_label: str) -> str | None:
    for field, labels in (
        ("name", NAME_LABELS),
        ("code", CODE_LABELS),
        ("managing_department", MANAGER_LABELS),
        ("implementing_unit", UNIT_LABELS),
    ):
        if cell_label in labels:
            return field
    return None


def _inline(text: str) -> tuple[str | None, str]:
    """'项目主管部门：石峰区信访局' → ('managing_department', '石峰区信访局')."""
    head, sep, value = text.partition("：")
    if not sep:
        head, sep, value = text.partition(":")
    if not sep:
        return None, ""
    return _field_of(label(head)), value.strip()


def read_project_cells(cells: list[Cell]) -> ProjectCells:
    """Label/value pairs in one row: ['项目名称', 'X', '主管部门', 'Y'] and 'label：value'."""
    found = ProjectCells()
    texts = [c.text.strip() for c in cells]
    for i, text in enumerate(texts):
        field = _field_of(label(text))
        value = ""
        if field is None:
            field, value = _inline(text)
        elif i + 1 < len(texts) and _field_of(label(texts[i + 1])) is None:
            value = texts[i + 1]
        if field is None or is_blank(value):
            continue
        _assign(found, field, value)
    return found


def _assign(found: ProjectCells, field: str, value: str) -> None:
    if field == "name":
        code, name = split_code(value)
        found.name = project_name(name) or None
        found.code = found.code or code
    elif field == "code":
        code, _ = split_code(value)
        found.code = code or value
    elif field == "managing_department":
        # 主管部门及代码 639001: a bare department code names no department
        if not re.fullmatch(r"[\d\s]+", value):
            found.managing_department = value
    elif len(value) > 2:  # a broken '实施' / '单位' cell is no unit name
        found.implementing_unit = value


class ProjectRegistry:
    """Projects in first-seen order, one per normalised name, details merged in."""

    def __init__(self) -> None:
        self._projects: dict[str, Project] = {}

    def add(self, name: str, details: ProjectCells | None = None) -> Project:
        key = project_name(name)
        project = self._projects.get(key)
        if project is None:
            project = Project(name=key)
            self._projects[key] = project
        if details is not None:
            project.code = project.code or details.code
            project.managing_department = project.managing_department or details.managing_department
            project.implementing_unit = project.implementing_unit or details.implementing_unit
        return project

    def all(self) -> list[Project]:
        return list(self._projects.values())
