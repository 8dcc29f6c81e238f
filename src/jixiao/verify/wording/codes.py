"""功能分类 codes and names: a line named otherwise than the document's tables name it.

201 is 一般公共服务支出, 208 社会保障和就业支出, 210 卫生健康支出 (the taxonomy's
`function_classes`); each 款 and 项 has its national name (`function_names.yaml`), and
the document's own tables print the lines it has, with their codes or under their class.
Three slips:

- a class name with another class's code ("卫生健康（208）"), or a 款/项 that belongs to
  one class only filed under another (住房公积金 under 210);
- a 说明 item whose 款 or 项 name is not what the document's tables print for that code
  or under that class ("卫生健康支出（类）卫生健康支出（款）计划生育事务（项）" where the
  tables have 210 07 计划生育事务 and 210 07 17 计划生育服务);
- a printed code whose name is another line's in the national list, where the tables do
  not name the code themselves ("（03）事业运行（08）": 2010308 is 信访事务).

Lines are read from the text, since the slip is in the document whichever facts were
extracted from it; the table side comes from `functions.py`.
"""

from __future__ import annotations

import re

from jixiao.models import Flag
from jixiao.taxonomy import Taxonomy
from jixiao.verify.flags import make_flag, short
from jixiao.verify.functions import (
    FunctionLines,
    Reference,
    class_of,
    class_specific_names,
    national_names,
    references,
    same_name,
)
from jixiao.verify.view import View

_PAREN_CODE = re.compile(r"[（(](\d{3})[）)]")
_CODE_NAME = re.compile(r"(?<!\d)(2\d{2})(\d{2})?(\d{2})?(?![\d.])\s*([\u4e00-\u9fff]{2,30})")


def check_function_codes(view: View) -> list[Flag]:
    taxonomy = view.taxonomy
    owners = class_specific_names()
    flags: list[Flag] = []
    for line in view.text_lines:
        flags.extend(_line(view, taxonomy, owners, line.text, line.start))
    lines = view.function_lines
    for offset, body in view.body_lines:
        for ref in references(body):
            flag = _reference(view, lines, ref, offset)
            if flag is not None:
                flags.append(flag)
    return flags


# ---------------------------------------------------------------- codes printed with names


def _class_name_before(taxonomy: Taxonomy, before: str) -> str | None:
    """The class whose name (with or without 支出) the text right before a code ends with."""
    for code, name in taxonomy.function_classes.items():
        stem = name.removesuffix("支出")
        if stem and (before.endswith(stem) or before.endswith(name)):
            return code
    return None


def _class_named(taxonomy: Taxonomy, name: str) -> str | None:
    """The class a name that follows a code starts with (201 一般公共服务支出)."""
    for code, full in taxonomy.function_classes.items():
        if name.startswith(full):
            return code
    return None


def _line(
    view: View, taxonomy: Taxonomy, owners: dict[str, str], line: str, offset: int
) -> list[Flag]:
    flags: list[Flag] = []
    codes = [(m, m.group(1)) for m in _PAREN_CODE.finditer(line)]
    class_code = next((c for _, c in codes if c in taxonomy.function_classes), None)
    for match, code in codes:
        named = _class_name_before(taxonomy, line[: match.start()])
        if named and code in taxonomy.function_classes and named != code:
            flags.append(_flag(view, line, offset, code, named, taxonomy.function_classes[named]))
    for match in _CODE_NAME.finditer(line):
        code, name = match.group(1), match.group(4)
        if code not in taxonomy.function_classes:
            continue
        named = _class_named(taxonomy, name)
        if match.group(2) is None and named and named != code:
            flags.append(_flag(view, line, offset, code, named, name))
        item = next((i for i in owners if name.startswith(i)), None)
        if match.group(3) and item and owners[item] != code:
            flags.append(_flag(view, line, offset, code, owners[item], item))
    if class_code and not flags:
        misplaced = [i for i, owner in owners.items() if i in line and owner != class_code]
        outer = [i for i in misplaced if not any(i != o and i in o for o in misplaced)]
        if outer:
            flags.append(_flag(view, line, offset, class_code, owners[outer[0]], outer[0]))
    return flags


def _flag(view: View, line: str, offset: int, code: str, owner: str, name: str) -> Flag:
    classes = view.taxonomy.function_classes
    at = offset + max(0, line.find(name))
    return make_flag(
        "function_code",
        f"{view.page_of(offset)}“{short(line.strip(), 50)}”中功能分类代码 {code}"
        f"（{classes.get(code, '?')}）与名称“{name}”不符，“{name}”应属 {owner}"
        f"（{classes.get(owner, '?')}）",
        f"function code {code} does not match '{name}', which belongs to {owner} (offset {offset})",
        expected=float(owner),
        actual=float(code),
        location=[view.at_text(offset, offset + len(line)), view.at_text(at, at + len(name))],
    )


# ---------------------------------------------------------------- a 说明's item references


def _national_under(parent: str, name: str) -> bool:
    """The national list has a line of this name one level under `parent`."""
    return any(
        len(c) == len(parent) + 2 and c.startswith(parent) and same_name(n, name)
        for c, n in national_names().items()
    )


def _national_knows(parent: str) -> bool:
    """The national list (partial on purpose) holds lines one level under `parent`, so a
    name it lacks there is known not to be a line of that place. Where it holds none, the
    name may be a real line the document's tables merely do not print (a table read only
    in part, a sample form): the finding is then a warning."""
    return any(len(c) == len(parent) + 2 and c.startswith(parent) for c in national_names())


def _expected(lines: FunctionLines, parent: str, name: str, code: str | None) -> set[str] | None:
    """What the document (else the national list) names the line `name` stands for: the
    names printed for its code, or the names of the lines under its parent. None when
    nothing is known of that place."""
    if code is not None:
        printed = lines.names_of(code)
        if printed:
            return printed
        national = national_names().get(code)
        return {national} if national else None
    if lines.children(parent):
        return lines.children(parent)
    return lines.under_class(parent[:3]) or None


def _reference(view: View, lines: FunctionLines, ref: Reference, offset: int) -> Flag | None:
    class_code = class_of(ref, view.taxonomy)
    if class_code is None:
        return None
    parent = class_code
    for level, name in enumerate(ref.names[1:], 1):
        code_part = ref.codes[level]
        code = parent + code_part if code_part is not None else None
        expected = _expected(lines, parent, name, code)
        if expected is None:
            return None
        if not any(same_name(name, e) for e in expected):
            if code is not None:
                return _name_flag(view, ref, offset, level, name, code, parent, expected)
            printed = lines.printed_code(view.text, parent, name)
            if printed is None and not _national_under(parent, name):
                known = _national_knows(parent)
                return _name_flag(view, ref, offset, level, name, code, parent, expected, known)
            code = printed
        if code is None:
            code = next(
                (
                    x.code
                    for x in lines.lines
                    if x.code and x.code.startswith(parent) and same_name(x.name, name)
                ),
                None,
            )
        parent = code or parent  # names-only tables: the next level is read under the class
    return None


def _name_flag(
    view: View,
    ref: Reference,
    offset: int,
    level: int,
    name: str,
    code: str | None,
    parent: str,
    expected: set[str],
    confident: bool = True,
) -> Flag:
    kind = "款" if level == 1 else "项"
    start, end = offset + ref.start, offset + ref.end
    quote = view.text[start:end]
    shown = "、".join(sorted(expected)[:4])
    where = (
        f"代码 {code} 在本文件表中（或国家科目中）为“{shown}”"
        if code
        else (f"表中 {parent} 下的{kind}为“{shown}”")
    )
    if confident:
        message = f"{view.page_of(start)}“{short(quote, 50)}”把{kind}写作“{name}”，而{where}，科目名称不符"
    else:
        message = (
            f"{view.page_of(start)}“{short(quote, 50)}”所说的{kind}“{name}”不在本文件表中"
            f"（{where}），请核对科目名称或表是否完整"
        )
    return make_flag(
        "function_code",
        message,
        f"the {kind} named '{name}' in '{short(quote, 50)}' is not what the document's tables "
        f"(or the national list) call it: {shown}",
        severity="error" if confident else "warning",
        location=[view.at_text(start, end)],
    )
