"""The statement tables a document must carry, and what an empty one must say.

Required: a 部门决算 carries the nine national tables, a 部门预算 its nine (the forms
and their title variants are data: `statement_tables.yaml`). A table whose title appears
nowhere outside the 目录 (on a line of its own, or glued to the row before it in a PDF
without ruling lines) is missing. The check runs only on a document
that carries a few of them already: a 情况说明 published without its tables is another
kind of document, not one that lost eight tables.

Empty: a statement table with no figures must keep its form and say why beneath it ("本
部门无政府性基金预算财政拨款收入，故本表为空"; the 情况说明 states it too, but does not
replace the note). Three slips: an empty table with no note under it; a note saying "本表为空" under a table that holds figures (last year's note
left in); a note about another table's subject (a 政府性基金 note under the 国有资本经营
table). A list of units (序号 | 单位名称) is not a table of figures and is never empty.
Tables are read from the normalised text (a row is one line of TAB-joined cells), so a
stored record re-verified from its text gets the same checks.
"""

from __future__ import annotations

import re

from jixiao.models import Flag
from jixiao.statement_tables import compact, load_statement_forms
from jixiao.verify.flags import make_flag, short
from jixiao.verify.text import TextTable, is_toc_line
from jixiao.verify.view import View

_DIGIT = re.compile(r"\d")
_BLANK = re.compile(r"^[\s\-—－/／─]*$")
_AMOUNT = re.compile(r"^[-−]?\d[\d,，]*(?:\.\d+)?$")
_TITLE_CHARS = 60


# ---------------------------------------------------------------------------- required


def check_required_tables(view: View) -> list[Flag]:
    """Each statement table of the document's family whose title is nowhere in it."""
    minimum = view.vocab.required_min.get(view.kind)
    forms = [t for t in load_statement_forms().tables if t.family == view.kind]
    if minimum is None or not forms:
        return []
    present: dict[str, str] = {}
    for line in view.text_lines:
        if "\t" in line.text or is_toc_line(line.text):
            continue
        key = compact(line.text)
        for form in forms:
            if form.id not in present and any(t in key for t in form.titles):
                present[form.id] = form.name
    if len(present) < minimum:
        return []
    kind = "部门决算" if view.kind == "final_accounts" else "部门预算"
    example = next(iter(present.values()))
    return [
        make_flag(
            "required_tables",
            f"{kind}应公开的第 {form.number} 张表“{form.name}”在文中找不到（其余已有 "
            f"{len(present)} 张，如“{example}”），无数据时也应保留空表并加说明",
            f"the {view.kind} form requires table {form.number} '{form.name}', which the "
            f"document does not carry ({len(present)} of {len(forms)} are present)",
            severity="warning",
        )
        for form in sorted(forms, key=lambda f: f.number)
        if form.id not in present
    ]


# ---------------------------------------------------------------------------- empty


def _is_list(view: View, table: TextTable) -> bool:
    """A list of names (序号 | 单位名称 …), not a table of figures."""
    header = [c.strip() for c in table.rows[0] if c.strip()]
    return bool(header) and all(view.vocab.list_headers.match(c) for c in header)


def _value_cells(view: View, table: TextTable) -> list[str] | None:
    """The cells that would hold the figures; None when some cell shows content."""
    values: list[str] = []
    for row in table.rows[1:]:
        cells = [c.strip() for c in row[1:]]
        if all(view.vocab.column_numbers.match(c) for c in cells if c) and any(cells):
            continue  # the 栏次 1 2 3 … row under a 决算表 header
        for cell in cells:
            if _DIGIT.search(cell) or len(cell) >= 16:
                return None
            values.append(cell)
    return values


def is_empty(view: View, table: TextTable) -> bool:
    if len(table.rows) < 2 or max(len(r) for r in table.rows) < 2 or _is_list(view, table):
        return False
    # a statement table's header names money columns; other tables may well hold only words
    if not any(view.vocab.money_header.search(c) for r in table.rows[:3] for c in r):
        return False
    values = _value_cells(view, table)
    return values is not None and any(_BLANK.match(c) for c in values)


def _has_figures(table: TextTable) -> bool:
    """A cell that is a non-zero amount (not a year in a header, not 0.00)."""
    return any(_AMOUNT.match(c.strip()) and re.search(r"[1-9]", c) for r in table.rows for c in r)


def _topic(view: View, text: str) -> str | None:
    found = [t for t in view.vocab.empty_topics if t in text]
    return found[0] if found else None


def _other_topic(view: View, note: str, title: str) -> bool:
    said, titled = _topic(view, note), _topic(view, title)
    return said is not None and titled is not None and said != titled


def _lines_below(view: View, table: TextTable, count: int = 3) -> list[tuple[int, str]]:
    """The lines right under a table, up to the next table or heading-like title."""
    found = []
    at = table.end + 1
    for _ in range(count):
        end = view.text.find("\n", at)
        end = len(view.text) if end < 0 else end
        line = view.text[at:end]
        if "\t" in line or at >= len(view.text):
            break
        if line.strip():
            found.append((at, line.strip()))
        at = end + 1
    return found


def _note_below(view: View, table: TextTable) -> tuple[int, str] | None:
    """The note right under a table that says the table is empty."""
    return next(
        (
            (at, line)
            for at, line in _lines_below(view, table)
            if view.vocab.says_empty.search(line)
        ),
        None,
    )


def _explained(view: View, table: TextTable, title: str) -> bool:
    """A note under the table says why it is empty (the form: "仍保留该表格式，并在本表下方
    作下述说明"); the 情况说明 saying so too does not replace it, and a note about another
    table's subject says nothing about this one."""
    note = view.vocab.empty_note
    below = _lines_below(view, table)
    return any(note.search(line) and not _other_topic(view, line, title) for _, line in below)


def check_empty_tables(view: View) -> list[Flag]:
    """Empty tables and their notes, in a document that has filled some table: where no
    table holds a figure, the whole form is unfilled (`unfilled_template` says so)."""
    if not any(_has_figures(t) for t in view.tables):
        return []
    flags: list[Flag] = []
    for table in view.tables:
        at, title = view.table_title(table)
        if view.vocab.says_empty.search(title):
            continue  # a fragment under the previous table's note, not a table of its own
        note = _note_below(view, table)
        if is_empty(view, table):
            if note is not None:
                flags += _wrong_topic(view, table, title, note)
            elif not _explained(view, table, title):
                flags.append(_unexplained(view, table, at, title))
        elif note is not None and _has_figures(table):
            flags.append(_filled_but_empty_note(view, at, title, note))
    return flags


def _unexplained(view: View, table: TextTable, at: int, title: str) -> Flag:
    return make_flag(
        "empty_table",
        f"{view.page_of(table.start)}“{title}”没有数字，表下和情况说明中都没有说明原因"
        f"（应注明如“本部门无…，故本表为空”）",
        f"the table '{title}' ({len(table.rows)} rows) has no figures and no note saying why",
        severity="warning",
        location=[view.at_text(at, at + len(title))],
    )


def _wrong_topic(view: View, table: TextTable, title: str, note: tuple[int, str]) -> list[Flag]:
    at, line = note
    said, titled = _topic(view, line), _topic(view, title)
    if said is None or titled is None or said == titled:
        return []
    return [
        make_flag(
            "empty_table",
            f"{view.page_of(at)}“{title}”下的空表说明写的是{said}（“{short(line, 40)}”），"
            f"与本表的{titled}不符，疑为照抄",
            f"the empty-table note under '{title}' is about {said}, not {titled}",
            severity="warning",
            location=[view.at_text(at, at + len(line)), view.at_text(table.start, table.end)],
        )
    ]


def _filled_but_empty_note(view: View, at: int, title: str, note: tuple[int, str]) -> Flag:
    where, line = note
    return make_flag(
        "empty_table",
        f"{view.page_of(where)}“{title}”列有数字，表下却注明“{short(line, 40)}”，说明与表不符",
        f"the table '{title}' holds figures but the note under it says it is empty",
        severity="warning",
        location=[view.at_text(where, where + len(line)), view.at_text(at, at + len(title))],
    )
