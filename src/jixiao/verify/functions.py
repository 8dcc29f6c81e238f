"""The document's own 功能分类 lines: what its tables call each code, and what they print.

A 说明 names its items by their 类/款/项 names ("卫生健康支出（类）计划生育事务（款）计划生育
服务（项）”20.00万元") or with codes ("一般公共服务支出（201）政府办公厅（室）及相关机构事务
（03）信访事务（08）"); the document's own tables print each line once more, with its code
(201 | 03 | 08, or 2010308) or as an indented name under its class. This module reads
those table lines from the text (code, name, the amount of its first column in 万元) and
the item references of the prose, so that `wording/codes.py` can hold a name to its code
and `arithmetic/items.py` a prose item figure to its table line. The national names of the
codes disclosures use most are data (`function_names.yaml`) for documents whose tables
print no code.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from jixiao.statement_tables import load_statement_forms
from jixiao.taxonomy import Taxonomy
from jixiao.verify.text import TextTable
from jixiao.verify.vocabulary import load_vocabulary

_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
_PART = re.compile(r"\d{2}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = re.compile(r"-?\d[\d,，]*(?:\.(\d+))?")
#: how far above a table its 单位 line may stand
_UNIT_WINDOW = 200


@cache
def _reference() -> re.Pattern[str]:
    """A prose item: 名称（类）名称（款）名称（项）, or 名称（201）名称（03）名称（08); each level's
    wording is `verification.yaml`'s `function_lines.level`."""
    level = load_vocabulary().function_level
    return re.compile(rf"{level}\s*{level}(?:\s*{level})?")


def _unit_factor_before(text: str, start: int, end: int) -> float:
    """The factor to 万元 of the last 单位 line in text[start:end] (1 when none)."""
    vocab = load_vocabulary()
    found = vocab.unit_line.findall(text, start, end)
    return vocab.units[found[-1]] if found else 1.0


@cache
def _national() -> dict[str, dict[str, str]]:
    raw = resources.files("jixiao").joinpath("function_names.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw) or {}
    return {
        "names": {str(k): v for k, v in (data.get("names") or {}).items()},
        "class_specific": {k: str(v) for k, v in (data.get("class_specific") or {}).items()},
    }


def national_names() -> dict[str, str]:
    """Code → name of the national list (`function_names.yaml`)."""
    return _national()["names"]


def class_specific_names() -> dict[str, str]:
    """款/项 name → the one class it exists under."""
    return _national()["class_specific"]


@dataclass
class Line:
    """A 功能分类 line of a table: its code (None when the table prints names only)."""

    code: str | None
    name: str
    amount: float | None
    decimals: int
    start: int
    table: int
    class_code: str | None
    #: every amount of the row in 万元, with its printed decimals
    amounts: list[tuple[float, int]] = field(default_factory=list)


@dataclass
class FunctionLines:
    lines: list[Line] = field(default_factory=list)

    def names_of(self, code: str) -> set[str]:
        return {line.name for line in self.lines if line.code == code}

    def children(self, code: str) -> set[str]:
        """Names of the coded lines one level below `code`."""
        return {
            line.name
            for line in self.lines
            if line.code and len(line.code) == len(code) + 2 and line.code.startswith(code)
        }

    def under_class(self, class_code: str) -> set[str]:
        """Names of every line printed under a class, coded or not."""
        return {line.name for line in self.lines if line.class_code == class_code}

    def printed_code(self, text: str, parent: str, name: str) -> str | None:
        """The code the text prints right before `name` one level below `parent`, in any
        table or line ("201 06财政事务", "20106\t财政事务"), or None."""
        digits = r"\s?".join(re.findall(r"\d{2,3}", _spaced(parent)))
        # no look-behind: a PDF without ruling lines glues the code to the amount before
        pattern = rf"{digits}\s?(\d{{2}})[\s\t]*{re.escape(name)}"
        match = re.search(pattern, text)
        return parent + match.group(1) if match else None

    def has_class(self, class_code: str) -> bool:
        return any(line.class_code == class_code for line in self.lines)

    def coded(self) -> bool:
        return any(line.code for line in self.lines)

    def lines_for(self, class_code: str, names: list[str], codes: list[str | None]) -> list[Line]:
        """The table lines a prose reference names (names below the class, or codes):
        by code where the tables print codes, else by name after the 款's line."""
        if all(codes):
            code = "".join(c for c in codes if c)
            return [x for x in self.lines if x.code == code]
        parent = class_code
        for name in names[1:]:
            found = [
                x.code
                for x in self.lines
                if x.code
                and len(x.code) == len(parent) + 2
                and x.code.startswith(parent)
                and same_name(x.name, name)
            ]
            if not found:
                return self._uncoded(class_code, names[1:])
            parent = found[0]
        return [x for x in self.lines if x.code == parent]

    def _uncoded(self, class_code: str, names: list[str]) -> list[Line]:
        """In a names-only table: the line named like the item after its 款's line."""
        found = []
        for table in {x.table for x in self.lines if x.class_code == class_code}:
            rows = [x for x in self.lines if x.table == table and x.class_code == class_code]
            at = 0
            for name in names:
                at = next((i for i in range(at, len(rows)) if same_name(rows[i].name, name)), -1)
                if at < 0:
                    break
            if at >= 0:
                found.append(rows[at])
        return found


def same_name(a: str, b: str) -> bool:
    """Two printings of one line's name: 其它/其他, a trailing 支出, width and quotes aside."""

    def key(name: str) -> str:
        flat = unicodedata.normalize("NFKC", name).replace("其它", "其他")
        return re.sub(r"[\s“”\"'()]", "", flat).removesuffix("支出")

    return key(a) == key(b)


def _spaced(code: str) -> str:
    """201 / 201 06 / 201 06 01: a code's levels as printed apart."""
    return " ".join([code[:3], *(code[i : i + 2] for i in range(3, len(code), 2))])


def _unit_factor(text: str, table: TextTable) -> float:
    return _unit_factor_before(text, max(0, table.start - _UNIT_WINDOW), table.start)


def _amounts(cells: list[str], factor: float) -> list[tuple[float, int]]:
    """The row's amounts in 万元 with their decimals (a 元 table's gain four)."""
    found = []
    for cell in cells:
        match = _NUMBER.fullmatch(cell.strip())
        if match:
            value = float(re.sub(r"[,，]", "", match.group())) * factor
            decimals = len(match.group(1) or "") + round(-math.log10(factor))
            found.append((value, decimals))
    return found


def _code_and_name(row: list[str]) -> tuple[str | None, int]:
    """The code a row opens with (split 类|款|项 or combined) and the index of its name."""
    cells = [c.strip() for c in row]
    parts: list[str] = []
    for i, cell in enumerate(cells):
        if _CJK.search(cell):
            if not parts:
                return None, i
            code = "".join(parts)
            return (code if _CODE.fullmatch(code) else None), i
        if not cell:
            continue
        if (not parts and _CODE.fullmatch(cell)) or (parts and _PART.fullmatch(cell)):
            parts.append(cell)
        else:
            return None, -1
    return None, -1


#: a table row a PDF without ruling lines gives as plain text: code, name, then amounts
_PLAIN_HEAD = re.compile(
    r"\s*(2\d{2}(?:\s?\d{2}){0,2})\s*([\u4e00-\u9fff（）()、]{2,40}?)(?=\s*-?\d)"
)
_PLAIN_AMOUNT = re.compile(r"-?\d[\d,，]*(?:\.\d+)?")
#: a longer line is several rows glued together, not one row
_PLAIN_CHARS = 160


def _plain_lines(text: str, out: FunctionLines) -> None:
    """Coded lines of tables printed without cells (one row per line, no TAB)."""
    offset = 0
    for raw in text.split("\n"):
        match = None
        if "\t" not in raw and len(raw) <= _PLAIN_CHARS:
            match = _PLAIN_HEAD.match(raw)
        tokens = raw[match.end() :].split() if match else []
        if match and tokens and all(_PLAIN_AMOUNT.fullmatch(t) for t in tokens):
            factor = _unit_factor_before(text, max(0, offset - 2000), offset)
            amounts = _amounts(tokens, factor)
            code = re.sub(r"\s", "", match.group(1))
            amount, decimals = amounts[0] if amounts else (None, 0)
            out.lines.append(
                Line(code, match.group(2), amount, decimals, offset, -1, code[:3], amounts)
            )
        offset += len(raw) + 1


def read_function_lines(text: str, tables: list[TextTable], taxonomy: Taxonomy) -> FunctionLines:
    """Every 功能分类 line of the document's tables (classes known by code or name), and of
    tables a PDF gives as plain lines ("2080505机关事业单位基本养老保险缴费支出55.03 55.03")."""
    names_to_class = {name: code for code, name in taxonomy.function_classes.items()}
    forms = load_statement_forms()
    out = FunctionLines()
    for n, table in enumerate(tables):
        factor = _unit_factor(text, table)
        current: str | None = None
        offset = table.start
        header = "".join(c for row in table.rows[:3] for c in row)
        titled = forms.form_for_title(text[max(0, table.start - 120) : table.start])
        by_name = (titled is not None and titled.codes == "function") or "科目名称" in header
        for row in table.rows:
            code, at = _code_and_name(row)
            if at < 0:
                offset += len("\t".join(row)) + 1
                continue
            name = row[at].strip()
            amounts = _amounts(row[at + 1 :], factor)
            amount, decimals = amounts[0] if amounts else (None, 0)
            line_code = code if code is not None else names_to_class.get(name) if by_name else None
            if line_code is not None:
                current = line_code[:3]
                out.lines.append(
                    Line(line_code, name, amount, decimals, offset, n, current, amounts)
                )
            elif by_name and current is not None and not name.startswith(("合计", "总计")):
                out.lines.append(Line(None, name, amount, decimals, offset, n, current, amounts))
            offset += len("\t".join(row)) + 1
    _plain_lines(text, out)
    return out


@dataclass
class Reference:
    """A prose reference to a 功能分类 line: its names by level and the codes printed."""

    names: list[str]
    codes: list[str | None]
    start: int
    end: int

    @property
    def full_code(self) -> str | None:
        if not all(self.codes):
            return None
        return "".join(c for c in self.codes if c)


def references(text: str, start: int = 0, end: int | None = None) -> list[Reference]:
    found = []
    for match in _reference().finditer(text, start, len(text) if end is None else end):
        groups = [g for g in match.groups()]
        names = [groups[i].strip('“”"、') for i in range(0, len(groups), 2) if groups[i]]
        marks = [groups[i] for i in range(1, len(groups), 2) if groups[i]]
        if marks and all(m in "类款项" for m in marks):
            codes: list[str | None] = [None] * len(names)
        elif all(m.isdigit() for m in marks):
            codes = list(marks)
        else:
            continue
        found.append(Reference(names, codes, match.start(), match.end()))
    return found


def class_of(ref: Reference, taxonomy: Taxonomy) -> str | None:
    """The 类 code of a prose reference: printed, or named by its first name."""
    if ref.codes[0] is not None:
        return ref.codes[0] if ref.codes[0] in taxonomy.function_classes else None
    first = ref.names[0]
    found = [
        code
        for code, name in taxonomy.function_classes.items()
        if first.endswith(name) or first.endswith(name.removesuffix("支出"))
    ]
    return found[0] if found else None
