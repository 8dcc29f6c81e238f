"""Function-code checks: a 功能分类 code that does not match the name printed with it.

201 is 一般公共服务, 208 社会保障和就业, 210 卫生健康, 221 住房保障 (the taxonomy's
`function_classes`). Two slips are common in 决算 write-ups: a class name with another
class's code (`卫生健康（208）`), and a well-known 款/项 line filed under the wrong
class (住房公积金 under 210 卫生健康). Lines are read straight from the text, since the
slip is in the document whichever facts were extracted from it.
"""

from __future__ import annotations

import re

from jixiao.models import Flag
from jixiao.taxonomy import Taxonomy
from jixiao.verify.flags import make_flag
from jixiao.verify.view import View

#: 款/项 names that belong to one class only, for the "filed under the wrong class" slip
ITEM_CLASSES: dict[str, str] = {
    "住房公积金": "221",
    "提租补贴": "221",
    "购房补贴": "221",
    "住房改革支出": "221",
    "行政单位医疗": "210",
    "事业单位医疗": "210",
    "公务员医疗补助": "210",
    "行政事业单位医疗": "210",
    "机关事业单位基本养老保险缴费": "208",
    "机关事业单位职业年金缴费": "208",
    "行政事业单位养老支出": "208",
    "行政单位离退休": "208",
    "事业单位离退休": "208",
    "信访事务": "201",
}
_PAREN_CODE = re.compile(r"[（(](\d{3})[）)]")
_CODE_NAME = re.compile(r"(?<!\d)(2\d{2})(\d{2})?(\d{2})?(?![\d.])\s*([\u4e00-\u9fff]{2,30})")


def check_function_codes(view: View) -> list[Flag]:
    taxonomy, text = view.taxonomy, view.text
    flags: list[Flag] = []
    offset = 0
    for line in text.split("\n"):
        flags.extend(_line(taxonomy, line, offset))
        offset += len(line) + 1
    return flags


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


def _line(taxonomy: Taxonomy, line: str, offset: int) -> list[Flag]:
    flags: list[Flag] = []
    codes = [(m, m.group(1)) for m in _PAREN_CODE.finditer(line)]
    class_code = next((c for _, c in codes if c in taxonomy.function_classes), None)
    for match, code in codes:
        named = _class_name_before(taxonomy, line[: match.start()])
        if named and code in taxonomy.function_classes and named != code:
            flags.append(
                _flag(taxonomy, line, offset, code, named, taxonomy.function_classes[named])
            )
    for match in _CODE_NAME.finditer(line):
        code, name = match.group(1), match.group(4)
        if code not in taxonomy.function_classes:
            continue
        named = _class_named(taxonomy, name)
        if match.group(2) is None and named and named != code:
            flags.append(_flag(taxonomy, line, offset, code, named, name))
        item = next((i for i in ITEM_CLASSES if name.startswith(i)), None)
        if match.group(3) and item and ITEM_CLASSES[item] != code:
            flags.append(_flag(taxonomy, line, offset, code, ITEM_CLASSES[item], item))
    if class_code and not flags:
        misplaced = [i for i, owner in ITEM_CLASSES.items() if i in line and owner != class_code]
        outer = [i for i in misplaced if not any(i != o and i in o for o in misplaced)]
        if outer:
            flags.append(
                _flag(taxonomy, line, offset, class_code, ITEM_CLASSES[outer[0]], outer[0])
            )
    return flags


def _flag(taxonomy: Taxonomy, line: str, offset: int, code: str, owner: str, name: str) -> Flag:
    quote = line.strip()[:60]
    classes = taxonomy.function_classes
    return make_flag(
        "function_code",
        f"功能分类代码 {code}（{classes.get(code, '?')}）与名称“{name}”不符，"
        f"“{name}”应属 {owner}（{classes.get(owner, '?')}）：“{quote}”",
        f"function code {code} does not match '{name}', which belongs to {owner} (offset {offset})",
        expected=float(owner),
        actual=float(code),
    )
