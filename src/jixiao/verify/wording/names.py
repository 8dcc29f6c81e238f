"""The department named the same on its cover, in its table titles and in its text.

A name line or cell (a cover line, a 编制部门：/预算单位： field, a table title) that names
the department's body ("…规划和自然资源局") under another administrative unit than the
department's own (上海市 for 上海市普陀区; another county's 信访局) is text copied from
another report or a template not adapted. Prose mentions other bodies all the time (上级
信访局, 四川省信访局); only lines and cells that *are* a name are read. Omitting the
upper levels (普陀区财政局 for 上海市普陀区财政局) is the usual short form, not a slip.

A table's header field (编制单位：…, 单位名称：…, 部门：…) may also name another body of
the same place: a 支出决算总表 of 汉中市南郑区财政局 among a 水利局's tables is a table
copied from another department's report. The document's department is the name its
header fields and its cover agree on; a field naming another body, in a clear minority,
is the finding, unless it is the same name shortened or lengthened (南郑区水利局; …局
机关, …局本级) or a unit the document lists of its own (a table cell, its 机构设置).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

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


def check_header_names(view: View) -> list[Flag]:
    """A table's 编制单位 naming another body than the one the document's fields agree on."""
    fields = _header_fields(view)
    votes = Counter(f.name for f in fields)
    cover = (view.record.department.name or "").strip()
    if cover:
        votes[cover] += 1
    if len(fields) < 2:
        return []
    department, top = votes.most_common(1)[0]
    flags: list[Flag] = []
    seen: set[str] = set()
    for field in fields:
        name = field.name
        if name in seen or _same_body(name, department) or 2 * votes[name] >= top:
            continue
        seen.add(name)
        if _under_other_unit(view, name) or _listed(view, name):
            continue
        own = next((f for f in fields if f.name == department), None)
        flags.append(_header_flag(view, field, department, own))
    return flags


@dataclass(frozen=True)
class _Field:
    """A header field: its label (编制单位), the name it gives and where both stand."""

    label: str
    name: str
    start: int
    end: int


def _header_fields(view: View) -> list[_Field]:
    fields = []
    for line in view.text_lines:
        found = view.vocab.header_field.match(line.text)
        if found is None:
            continue
        name = view.vocab.name_aside.sub("", found.group("name"))
        if 2 <= len(name) <= _MAX_NAME and _NAME.fullmatch(name):
            start = line.start + found.start("field")
            fields.append(_Field(found.group("field"), name, start, line.start + found.end("name")))
    return fields


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _same_body(a: str, b: str) -> bool:
    """One name the other shortened (南郑区水利局) or lengthened (…水利局机关, …局本级)."""
    return _subsequence(a, b) or _subsequence(b, a)


def _under_other_unit(view: View, name: str) -> bool:
    """A name `check_department_name` already reads (the department's body under another
    administrative unit): one finding, not two."""
    core = _core(view.record.department.name or "", view.vocab.unit_markers)
    return len(core) >= 2 and name.endswith(core)


def _listed(view: View, name: str) -> bool:
    """A unit the document lists of its own: in a table's cell, or in its 机构设置."""
    for line in view.text_lines:
        if "\t" in line.text and any(
            len(cell) >= 4 and _NAME.fullmatch(cell) and _same_body(cell, name)
            for cell in (c.strip() for c in line.text.split("\t"))
        ):
            return True
    return any(
        name in view.text[s.start : s.end] for s in view.record.sections if s.kind == "profile"
    )


def _header_flag(view: View, field: _Field, department: str, own: _Field | None) -> Flag:
    title = _title_above(view, field.start)
    where = f"表“{title}”的" if title else ""
    locations = [view.at_text(field.start, field.end)]
    if own is not None:
        locations.append(view.at_text(own.start, own.end))
    return make_flag(
        "department_name",
        f"{view.page_of(field.start)}{where}{field.label}写作“{field.name}”，而封面、其他表和"
        f"正文为“{department}”",
        f"a table's {field.label} field names '{field.name}'"
        f"{f' (table {title})' if title else ''}, but the document is '{department}''s",
        severity="warning",
        location=locations,
    )


def _title_above(view: View, offset: int) -> str:
    """The line above a header field: the table's title (表3支出决算总表)."""
    end = offset - 1
    for _ in range(3):
        if end <= 0:
            return ""
        start = view.text.rfind("\n", 0, end) + 1
        line = view.text[start:end].strip()
        if line:
            return "" if "\t" in line or len(line) > 60 else line
        end = start - 1
    return ""
