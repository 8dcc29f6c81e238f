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
    """The tables the document's own 目录 lists and does not print; without a 目录, the
    statement tables of the document's family whose title is nowhere in it, when every
    table it prints has a title the forms know (a province's own title is no gap)."""
    listed = _contents(view)
    if listed is not None:
        return _unprinted(view, *listed)
    minimum = view.vocab.required_min.get(view.kind)
    forms = [t for t in load_statement_forms().tables if t.family == view.kind and t.required]
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
    if len(present) < minimum or _unknown_titles(view):
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


def _unknown_titles(view: View) -> bool:
    """Whether a table of figures the document prints has a title that is none of the
    forms' wordings (a form's title, after at most a year, a department or a number)."""
    for table in view.tables:
        if _is_list(view, table) or len(table.rows) < 2:
            continue
        at, title = view.table_title(table)
        if at != table.start and not view.known_title(title):
            return True
    return False


def _entry(view: View, line: str) -> str:
    """A 目录 entry's title as printed: its numbering, 《》, dot leaders and page cut off."""
    vocab = view.vocab
    return vocab.contents_tail.sub("", vocab.contents_prefix.sub("", line, count=1), count=1)


def _contents(view: View) -> tuple[list[tuple[int, str, str]], int] | None:
    """The tables a 目录 lists — (offset, line, title) each — and where its list ends;
    None when the document has no 目录 that lists a table."""
    lines = view.text_lines
    head = next(
        (n for n, line in enumerate(lines) if view.vocab.contents_heading.match(line.text)), None
    )
    if head is None:
        return None
    entries: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    end = lines[head].end
    for line in lines[head + 1 : head + 1 + view.vocab.contents_lines]:
        text = line.text.strip()
        if not text:
            continue
        title = compact(_entry(view, text))
        if "\t" in line.text or "。" in text or len(text) > _TITLE_CHARS or title in seen:
            break  # a table, a sentence, or the body printing the first entry again
        if view.vocab.table_meta.match(text):
            if entries and not is_toc_line(entries[-1][1]):
                entries.pop()  # the title of the table this 单位 line belongs to
            break
        seen.add(title)
        entries.append((line.start, text, title))
        end = line.end
    styles = [_numbering(view, e[1]) for e in entries]
    tables = [
        e
        for n, e in enumerate(entries)
        if e[2].endswith("表")
        and len(e[2]) >= 4
        # a part whose entries follow numbered otherwise (五、部门预算表 → 1. 2. …) is a
        # heading of the list, not a table
        and not (n + 1 < len(entries) and styles[n + 1] != styles[n])
    ]
    return (tables, end) if tables else None


def _numbering(view: View, line: str) -> str:
    """How a 目录 entry is numbered: 一、 / （一） / 1. / 表1 / none."""
    found = view.vocab.contents_prefix.match(line)
    prefix = found.group(0).strip() if found else ""
    if re.search(r"表\s*\d", prefix):
        return "table"
    if prefix[:1] in "（(":
        return "paren"
    if prefix[:1].isdigit():
        return "number"
    return "numeral" if prefix[:1] in "一二三四五六七八九十" else ""


def _unprinted(view: View, entries: list[tuple[int, str, str]], end: int) -> list[Flag]:
    body = [compact(line.text) for line in view.text_lines if line.start > end]
    body = [b for b in body if b]
    flags = []
    for offset, line, title in entries:
        if any(title in b for b in body):
            continue
        shown = short(_entry(view, line), 30)
        flags.append(
            make_flag(
                "required_tables",
                f"{view.page_of(offset)}目录列出的“{shown}”在正文中找不到"
                "，无数据时也应保留空表并加说明",
                f"the table of contents lists '{title}', which the document does not print",
                severity="warning",
                location=[view.at_text(offset, offset + len(line))],
            )
        )
    return flags


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
