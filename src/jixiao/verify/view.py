"""One view of a document for every check: its readings, its text, and where things are.

Both families of checks read the same `View`, built once per document: the arithmetic
checks its reconciled facts (`FactIndex`), the wording checks its text, tables and
title lines; all of them the document's kind and year, and the page a text offset falls
on, so that every flag can say where each side of a finding is.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property

from jixiao.document_kinds import load_document_kinds
from jixiao.models import Fact, Location, Record
from jixiao.statement_tables import TableForm, compact, load_statement_forms
from jixiao.taxonomy import Taxonomy, load_taxonomy
from jixiao.verify.claims import Claim, document_claims, passages
from jixiao.verify.facts import FactIndex
from jixiao.verify.functions import FunctionLines, read_function_lines
from jixiao.verify.text import Line, TextTable, is_toc_line, lines, text_tables
from jixiao.verify.vocabulary import Vocabulary, load_vocabulary


@dataclass
class Pages:
    """The page a text offset falls on: the loader's page starts where the caller has them,
    else the pages of the record's own evidence (facts and indicator rows)."""

    starts: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def from_record(cls, record: Record) -> Pages:
        anchors = {
            (e.start, e.page)
            for e in [
                *(f.evidence for f in record.facts),
                *(r.evidence for r in record.indicators if r.evidence is not None),
            ]
            if e.page is not None
        }
        return cls(sorted(anchors))

    def at(self, offset: int) -> int | None:
        if not self.starts:
            return None
        i = bisect.bisect_right(self.starts, offset, key=lambda p: p[0]) - 1
        return self.starts[max(i, 0)][1]


_TITLE_CHARS = 60
#: how much a title may carry before its form's wording (2025年部门, 表1) and still be
#: that form's own title rather than another table's (一般公共预算财政拨款项目支出决算表
#: is not the 支出决算表)
_TITLE_LEAD = 8


class View:
    """What the checks read: the record, its reconciled facts, its text and its layout."""

    def __init__(
        self,
        record: Record,
        text: str,
        taxonomy: Taxonomy | None = None,
        page_starts: list[tuple[int, int]] | None = None,
    ) -> None:
        self.record = record
        self.text = text
        self.taxonomy = taxonomy or load_taxonomy()
        self.vocab: Vocabulary = load_vocabulary()
        self.index = FactIndex(record, self.taxonomy, text)
        self.pages = Pages(page_starts) if page_starts else Pages.from_record(record)

    @cached_property
    def year(self) -> int | None:
        """The year the document reports on: its cover title's ("上海市闵行区2025年区级部门
        预算"), else the reading's fiscal year. A year check held to a misread year would
        flag every title of the document."""
        kinds = load_document_kinds()
        for line in itertools.islice(lines(self.text), kinds.cover_blocks):
            rule = kinds.kind_of_title(line.text)
            if rule is not None and rule.report:
                found = re.search(r"(?<!\d)((?:19|20)\d{2})\s*年", line.text)
                if found:
                    return int(found.group(1))
        return self.record.fiscal_year

    @cached_property
    def kind(self) -> str:
        """The document's kind: the reading's, else the first its cover's title lines name
        (a stored record of an earlier schema has none)."""
        if self.record.document_kind != "unknown":
            return self.record.document_kind
        kinds = load_document_kinds()
        for line in itertools.islice(lines(self.text), kinds.cover_blocks):
            rule = kinds.kind_of_title(line.text)
            if rule is not None:
                return rule.kind
        return "unknown"

    @cached_property
    def tables(self) -> list[TextTable]:
        return text_tables(self.text)

    @cached_property
    def passages(self) -> list[tuple[int, int]]:
        """(start, end) of the prose passages: an item with its wrapped lines."""
        return list(passages(self.text))

    @cached_property
    def claims(self) -> list[Claim]:
        """The comparisons the 说明's passages make with their own figures (`claims.py`)."""
        return document_claims(self.text)

    @cached_property
    def function_lines(self) -> FunctionLines:
        """The 功能分类 lines of the document's own tables."""
        return read_function_lines(self.text, self.tables, self.taxonomy)

    def table_at(self, offset: int) -> TextTable | None:
        """The table (of the text) a text offset falls in."""
        starts = self._table_starts
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.tables[i].start <= offset <= self.tables[i].end:
            return self.tables[i]
        return None

    @cached_property
    def _table_starts(self) -> list[int]:
        return [t.start for t in self.tables]

    def table_title(self, table: TextTable) -> tuple[int, str]:
        """The title line above a table (offset, text), skipping its 编制单位 / 单位 lines."""
        end = table.start - 1
        for _ in range(4):
            if end <= 0:
                break
            start = self.text.rfind("\n", 0, end) + 1
            line = self.text[start:end].strip()
            if line and not self.vocab.table_meta.match(line) and "\t" not in line:
                return start, line[:_TITLE_CHARS]
            end = start - 1
        return table.start, "\u3000".join(c for c in table.rows[0] if c.strip())[:40]

    def form_at(self, offset: int) -> TableForm | None:
        """The national statement form of the table an offset falls in, by its title."""
        table = self.table_at(offset)
        if table is None:
            return None
        return load_statement_forms().form_for_title(self.table_title(table)[1])

    @cached_property
    def _titles(self) -> list[tuple[int, TableForm]]:
        """(offset, form) of every statement-table title outside the 目录, in text order."""
        forms = load_statement_forms()
        found = []
        for line in self.text_lines:
            if "\t" in line.text or is_toc_line(line.text) or len(line.text) > 120:
                continue
            form = forms.form_for_title(line.text[-60:])
            if form is not None:
                found.append((line.start, form))
        return found

    def known_title(self, title: str) -> bool:
        """Whether a table title is one of the national forms' own wordings (after at most
        a year, a department or a number), not a province's table of another name."""
        key = compact(title)
        return any(
            key.endswith(t) and len(key) - len(t) <= _TITLE_LEAD
            for form in load_statement_forms().tables
            for t in form.titles
        )

    def placed(self, fact: Fact) -> bool:
        """Whether a table cell's table is a statement form we know by its own title."""
        table = self.table_at(fact.evidence.start)
        return table is not None and self.known_title(self.table_title(table)[1])

    def form_of(self, fact: Fact) -> TableForm | None:
        """The statement form a fact was read from: its table's title, or, for a row a PDF
        without ruling lines gives as a plain line, the last form title above it."""
        if fact.evidence.cell is not None:
            return self.form_at(fact.evidence.start)
        start = self.text.rfind("\n", 0, fact.evidence.start) + 1
        end = self.text.find("\n", fact.evidence.start)
        row = self.text[start : end if end >= 0 else len(self.text)]
        if re.search(r"[。，；]", row):
            return None  # a sentence, not a table row
        above = [form for at, form in self._titles if at <= fact.evidence.start]
        return above[-1] if above else None

    @cached_property
    def facts_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.record.facts}

    @cached_property
    def text_lines(self) -> list[Line]:
        return list(lines(self.text))

    @cached_property
    def body_lines(self) -> list[tuple[int, str]]:
        """(offset, text) of every line that is not a table row or a 目录 entry."""
        return [
            (line.start, line.text)
            for line in lines(self.text)
            if "\t" not in line.text and line.text.strip() and not is_toc_line(line.text)
        ]

    # ------------------------------------------------------------------ locations

    def at_text(self, start: int, end: int, quote: str | None = None) -> Location:
        """A location in the text: its quote (verbatim unless given) and its page."""
        shown = self.text[start:end] if quote is None else quote
        return Location(page=self.pages.at(start), quote=shown, start=start, end=end)

    def at_fact(self, fact: Fact) -> Location:
        ev = fact.evidence
        page = ev.page if ev.page is not None else self.pages.at(ev.start)
        return Location(
            fact=fact.id,
            page=page,
            cell=ev.cell,
            quote=ev.quote,
            start=ev.start,
            end=ev.end,
            bbox=ev.bbox,
            ocr_confidence=ev.ocr_confidence,
        )

    def page_of(self, offset: int) -> str:
        """ "第 3 页" for an offset, or "" when pages are unknown (a text file)."""
        page = self.pages.at(offset)
        return f"第 {page} 页" if page is not None else ""

    def place(self, fact: Fact) -> str:
        """Where a reviewer finds a fact: 第 3 页表 2 第 5 行第 3 列, or 第 3 页正文."""
        ev = fact.evidence
        page = ev.page if ev.page is not None else self.pages.at(ev.start)
        where = f"第 {page} 页" if page is not None else ""
        if ev.cell is not None:
            return f"{where}表 {ev.cell.table + 1} 第 {ev.cell.row + 1} 行第 {ev.cell.col + 1} 列"
        return f"{where}正文" if where else "正文"
