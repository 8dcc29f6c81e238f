"""Loads `statement_tables.yaml`: the national statement tables (部门决算 / 部门预算 表).

The one place that knows that file's shape. Readers ask it which form a title names,
what a column header means, which stage a header's words name and how a unit is
declared; the forms themselves (titles across years and levels, layouts, columns, rows)
are data, so a new edition of a form is an edit of the YAML, not of code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jixiao.taxonomy import load_taxonomy
from jixiao.vocabulary import numbering_pattern

#: an ordinal or year in front of a table title: "5.", "表3", "附表2-1", "2025年", "（一）"
_TITLE_PREFIX = numbering_pattern("table_title_prefix")
_IGNORED = re.compile(r"[\s\"'“”‘’「」『』]")


def compact(text: str) -> str:
    """A label as matched against the forms: NFKC, no spaces, no quotes.

    NFKC maps full-width forms (（） → ()), and quotes come straight, curly or not at all
    (“三公”经费, "三公"经费, 三公经费), so the forms' wordings are compacted the same way
    before they are compared.
    """
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Column:
    """What a column of a form means: its header words and the measures of its cells."""

    words: tuple[str, ...]
    #: concept of a class/item/line row (scope item:<code> / econ:<code>)
    concept: str | None = None
    #: concept of the table's total row (scope department)
    total: str | None = None
    #: the headline column whose class rows are fa.function.<类> (department scope) and
    #: whose 款/项 rows are fa.function.<类> at item:<code> scope
    function: bool = False

    def matches(self, header: str) -> int:
        """The length of the longest of this column's words the header equals or ends
        with (0: none), so 一般公共预算财政拨款 beats 合计 and 公务用车购置费 beats 购置费."""
        key = compact(header)
        return max((len(w) for w in self.words if key == w or key.endswith(w)), default=0)


@dataclass(frozen=True)
class Side:
    """One side of a two-sided table (收入 | 支出): row labels that name a concept."""

    header: str
    rows: dict[str, str]
    #: the concept of a 功能分类 class row on this side (scope item:<code>)
    classes: str | None = None
    columns: tuple[Column, ...] = ()

    def row_concept(self, label: str) -> str | None:
        """The concept a row label names: exactly, or the longest row wording it ends with
        after its ordinal (一、财政拨款收入, 1.一般公共预算资金, 其中：事业收入)."""
        key = strip_ordinal(compact(label))
        if key in self.rows:
            return self.rows[key]
        ends = [w for w in self.rows if key.endswith(w)]
        return self.rows[max(ends, key=len)] if ends else None


@dataclass(frozen=True)
class TableForm:
    id: str
    family: str
    number: int
    name: str
    titles: tuple[str, ...]
    layout: str
    headers: tuple[str, ...] = ()
    codes: str | None = None
    columns: tuple[Column, ...] = ()
    sides: tuple[Side, ...] = ()
    total_rows: dict[str, str] = field(default_factory=dict)
    carryover_parts: tuple[str, ...] = ()
    #: one of the national tables a document of its family must carry (a province's
    #: extra table is read, never required)
    required: bool = True

    def column_for(self, header: str, columns: tuple[Column, ...] | None = None) -> Column | None:
        """The column a header cell names (the longest matching wording wins)."""
        best, best_len = None, 0
        for column in self.columns if columns is None else columns:
            n = column.matches(header)
            if n > best_len:
                best, best_len = column, n
        return best


@dataclass(frozen=True)
class StatementForms:
    tables: tuple[TableForm, ...]
    stages: tuple[tuple[str, str], ...]
    family_stage: dict[str, str]
    family_section_kind: dict[str, str]
    unit_factors: dict[str, float]
    declared_unit: re.Pattern[str]
    parenthesised_unit: re.Pattern[str]
    function_code: re.Pattern[str]
    economic_code: re.Pattern[str]
    code_headers: dict[str, tuple[str, ...]]
    split_headers: tuple[str, ...]
    code_separators: re.Pattern[str]
    name_headers: tuple[str, ...]
    economic_classes: dict[str, str]
    #: section words → the measure of the 类款项 lines listed under them
    item_section_measures: dict[str, str] = field(default_factory=dict)
    _titles: tuple[tuple[str, TableForm], ...] = ()

    def form_for_title(self, title: str) -> TableForm | None:
        """The form a title line names: the longest title wording it contains, after its
        year and ordinal ("5.2025年部门一般公共预算支出功能分类预算表" → 一般公共预算支出…)."""
        if "表" not in title:  # every form's title ends in 表: most lines are no title
            return None
        key = compact(title)
        key = _TITLE_PREFIX.sub("", key)
        for wording, form in self._titles:
            if wording in key:
                return form
        return None

    def stage_of(self, text: str) -> str | None:
        """The stage a header or clause names (上年执行数 → prior_final, 预算数 →
        budget_initial …), or None when it names none."""
        key = compact(text)
        for wording, stage in self.stages:
            if wording in key:
                return stage
        return None

    def by_id(self, form_id: str) -> TableForm:
        return next(t for t in self.tables if t.id == form_id)


def strip_ordinal(label: str) -> str:
    """A row label without its ordinal or 其中 lead: 一、财政拨款收入 → 财政拨款收入."""
    return numbering_pattern("row_label_prefix").sub("", label)


def _column(raw: dict[str, Any]) -> Column:
    return Column(
        words=tuple(compact(w) for w in raw["words"]),
        concept=raw.get("concept"),
        total=raw.get("total", raw.get("concept")),
        function=bool(raw.get("function", False)),
    )


def _table(raw: dict[str, Any]) -> TableForm:
    sides = tuple(
        Side(
            header=compact(s["header"]),
            rows={compact(k): v for k, v in (s.get("rows") or {}).items()},
            classes=s.get("classes"),
            columns=tuple(_column(c) for c in s.get("columns") or ()),
        )
        for s in raw.get("sides") or ()
    )
    return TableForm(
        id=raw["id"],
        family=raw["family"],
        number=int(raw["number"]),
        name=raw["name"],
        titles=tuple(compact(t) for t in raw["titles"]),
        layout=raw["layout"],
        headers=tuple(compact(h) for h in raw.get("headers") or ()),
        codes=raw.get("codes"),
        columns=tuple(_column(c) for c in raw.get("columns") or ()),
        sides=sides,
        total_rows={compact(k): v for k, v in (raw.get("total_rows") or {}).items()},
        carryover_parts=tuple(compact(p) for p in raw.get("carryover_parts") or ()),
        required=bool(raw.get("required", True)),
    )


def parse_statement_forms(data: dict[str, Any]) -> StatementForms:
    tables = tuple(_table(t) for t in data["tables"])
    stages = sorted(
        ((compact(w), stage) for stage, words in data["stages"].items() for w in words),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    titles = sorted(
        ((wording, form) for form in tables for wording in form.titles),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    codes = data["code_columns"]
    units = data["units"]
    return StatementForms(
        tables=tables,
        stages=tuple(stages),
        family_stage={k: v["default_stage"] for k, v in data["families"].items()},
        family_section_kind={k: v["section_kind"] for k, v in data["families"].items()},
        unit_factors={k: float(v) for k, v in units["factors"].items()},
        declared_unit=re.compile(units["declared"]),
        parenthesised_unit=re.compile(units["parenthesised"]),
        function_code=re.compile(codes["function"]["combined"]),
        economic_code=re.compile(codes["economic"]["combined"]),
        code_headers={
            kind: tuple(compact(w) for w in codes[kind]["header_words"])
            for kind in ("function", "economic")
        },
        split_headers=tuple(codes["split_headers"]),
        code_separators=re.compile(codes["separators"]),
        name_headers=tuple(compact(w) for w in codes["name_headers"]),
        economic_classes={str(k): v for k, v in (data.get("economic_classes") or {}).items()},
        item_section_measures=dict(data.get("item_section_measures") or {}),
        _titles=tuple(titles),
    )


def concepts_named(forms: StatementForms) -> set[str]:
    """Every concept the forms name (for the check that the taxonomy knows them all)."""
    names: set[str] = set()
    for table in forms.tables:
        columns = list(table.columns) + [c for s in table.sides for c in s.columns]
        names.update(c for col in columns for c in (col.concept, col.total) if c)
        names.update(table.total_rows.values())
        for side in table.sides:
            names.update(side.rows.values())
            if side.classes:
                names.add(side.classes)
    names.update(forms.item_section_measures.values())
    return names


def unknown_concepts(forms: StatementForms) -> list[str]:
    """Concepts the forms name that the taxonomy does not know."""
    taxonomy = load_taxonomy()
    return sorted(c for c in concepts_named(forms) if not taxonomy.is_known(c))


@cache
def load_statement_forms() -> StatementForms:
    """The forms shipped with the package (cached: read once per process)."""
    text = resources.files("jixiao").joinpath("statement_tables.yaml").read_text("utf-8")
    return parse_statement_forms(yaml.safe_load(text))
