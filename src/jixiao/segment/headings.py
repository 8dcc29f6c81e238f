"""Heading detection: which paragraphs (and table rows) open a section, and how deep.

Chinese government reports number their headings in a fixed hierarchy, which gives
each heading a rank (smaller = higher):

    第X部分 / 第X章 / 附件N      RANK_PART
    report title line            RANK_TITLE   ("2023年整体支出绩效报告", "名词解释")
    第X节                        RANK_JIE
    一、                         RANK_CN
    （一）                       RANK_CN_PAREN
    1. 1． 1、                   RANK_AR      (short lines only: long ones are list items)
    （1）                        RANK_AR_PAREN
    1）                          RANK_AR_HALF
    table title                  RANK_TABLE   (the line right before a table, or a title row)

Numbered prose ("1．代表处理人民群众给区委…的来信；") is told from numbered headings by
length and trailing punctuation. Everything here is one pass over the blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.document import Document, Paragraph, Table
from jixiao.segment.classify import _balanced_paren, governing_match, kind_matches
from jixiao.statement_tables import load_statement_forms
from jixiao.vocabulary import Vocabulary, alternation, load_vocabulary

RANK_PART = 0
RANK_TITLE = 10
RANK_JIE = 15
RANK_CN = 20
RANK_CN_PAREN = 30
RANK_AR = 40
RANK_AR_PAREN = 50
RANK_AR_HALF = 55
RANK_TABLE = 90

#: longest title kept for a heading whose paragraph runs on into body text
TITLE_MAX = 40
#: numbered lines longer than this are list items, not headings (arabic numbering)
SHORT_HEADING_MAX = 30
#: longest line that can be a standalone title
TITLE_LINE_MAX = 100


@dataclass(frozen=True)
class HeadingPatterns:
    """The line patterns of heading detection, built from the vocabulary's words."""

    markers: tuple[tuple[int, re.Pattern[str]], ...]
    annex: re.Pattern[str]
    annex_label: re.Pattern[str]
    figure_caption: re.Pattern[str]
    org_line: re.Pattern[str]
    not_project_paren: re.Pattern[str]
    figure_line: re.Pattern[str]


def heading_patterns(vocabulary: Vocabulary) -> HeadingPatterns:
    """How the words of `vocabulary.yaml` (headings) combine into the line patterns."""
    words = vocabulary.headings
    num = vocabulary.heading_numerals
    annex = rf"{re.escape(words.annex_prefix)}\s*{alternation(words.annex_words)}\s*"
    ordinal = rf"^{re.escape(words.ordinal_prefix)}\s*[{num}\d]+\s*"
    return HeadingPatterns(
        markers=(
            (RANK_PART, re.compile(ordinal + alternation(words.part_words))),
            (RANK_JIE, re.compile(ordinal + alternation(words.section_words))),
            (RANK_CN, re.compile(rf"^[{num}]{{1,3}}\s*[、．.](?!\d)")),
            (RANK_CN_PAREN, re.compile(rf"^[（(]\s*[{num}]{{1,3}}\s*[）)]")),
            (RANK_AR, re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d))")),
            (RANK_AR_PAREN, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),
            (RANK_AR_HALF, re.compile(r"^\d{1,2}\s*[）)]")),
        ),
        annex=re.compile(rf"^{annex}[{num}\d]+\s*(?:[：:、.．]\s*)?"),
        annex_label=re.compile(rf"^{annex}[{num}\d]*\s*[：:]?\s*"),
        figure_caption=re.compile(
            rf"^[（(]\s*{alternation(words.figure_words)}\s*\d+\s*[：:][^）)]*[）)]"
            r"(?:[（(][^）)]{0,8}[）)])*"
        ),
        org_line=re.compile(alternation(words.organisation_endings) + "$"),
        not_project_paren=re.compile(
            "^" + alternation(words.not_project_parentheticals, escape=False) + "$"
        ),
        figure_line=re.compile(rf"[\d.．%％\s{re.escape(words.figure_line_units)}]+"),
    )


_PATTERNS = heading_patterns(load_vocabulary())
_MARKERS = _PATTERNS.markers
_ANNEX = _PATTERNS.annex
_ANNEX_LABEL = _PATTERNS.annex_label
_FIGURE_CAPTION = _PATTERNS.figure_caption
_SENTENCE_END = tuple("。；;！!？?，,、")
_PROSE_PUNCT = re.compile(r"[。；;！!？?，,]")
_ANY_PUNCT = re.compile(r"[。；;！!？?，,：:]")
_ORG_LINE = _PATTERNS.org_line
_NOT_PROJECT_PAREN = _PATTERNS.not_project_paren


@dataclass
class Heading:
    """A detected heading: where its section starts, how deep it is and what it says."""

    start: int
    rank: int
    title: str
    #: the title text to read a project name from (no department line, no 附件 label)
    name_text: str = ""
    #: a leading line with no keyword right before a table ("保安费用"): a project candidate
    lead: str | None = None
    #: index of the table this heading titles, if any
    table_index: int | None = None

    def __post_init__(self) -> None:
        if not self.name_text:
            self.name_text = self.title


# ---------------------------------------------------------------------------- line tests
def numbered_rank(text: str) -> tuple[int, int] | None:
    """(rank, marker length) when a line starts with a heading number, else None."""
    for rank, pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            return rank, m.end()
    return None


def short_title(text: str) -> str:
    """A heading's title: the line itself, cut at the first full stop when body text follows."""
    text = text.strip()
    m = re.search(r"[。；;]", text)
    if m and m.start() >= 2:
        text = text[: m.start()]
    if len(text) > TITLE_MAX:
        comma = re.search(r"[，,]", text)
        if comma and comma.start() >= 4:
            text = text[: comma.start()]
    return text[:TITLE_MAX].rstrip("：: ")


def is_numbered_heading(text: str, rank: int, marker_end: int) -> bool:
    """A numbered line that heads a section, not a numbered list item in prose."""
    body = text[marker_end:].strip()
    if not body:
        return False
    if rank in (RANK_PART, RANK_JIE):
        return True
    if text.endswith(_SENTENCE_END[1:]):  # ；， …: an item of a list
        return False
    if rank in (RANK_CN, RANK_CN_PAREN):
        return not text.endswith(("；", ";", "，", ",", "、"))
    # arabic numbering is used for both headings and list items: only short, unended lines
    # without a clause break ("3．全年开展宣传活动2次，完成预期目标" is an item)
    if _PROSE_PUNCT.search(body[:-1]):
        return False
    if len(text) <= SHORT_HEADING_MAX and not text.endswith(("。", "！", "？")):
        return True
    return len(text) <= SHORT_HEADING_MAX + 10 and text.endswith(("：", ":"))


def is_title_line(text: str) -> bool:
    """A standalone report/table title: short, unpunctuated, ending on a kind keyword."""
    text = text.strip()
    core = _ANNEX_LABEL.sub("", text, count=1) if _ANNEX_LABEL.match(text) else text
    if not 4 <= len(core) <= TITLE_LINE_MAX or _ANY_PUNCT.search(core):
        return False
    if numbered_rank(core) is not None:
        return False
    hit = governing_match(core)
    if hit is None:
        return False
    return not _strip_parentheticals(core[hit.end :]).strip()


def is_statement_title(text: str) -> bool:
    """The title line of a national statement table (2025年部门收入预算总表, 收入决算表),
    which is followed by its unit line rather than by the table itself."""
    return (
        len(text) <= TITLE_LINE_MAX
        and not _PROSE_PUNCT.search(text)
        and load_statement_forms().form_for_title(text) is not None
    )


def _table_within(blocks: list, i: int, n: int) -> int | None:
    """The index of the table among the `n` blocks after block i, if any."""
    for block in blocks[i + 1 : i + 1 + n]:
        if isinstance(block, Table):
            return block.index
    return None


def _strip_parentheticals(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        paren = _balanced_paren(text, i)
        if paren is not None:
            i = paren[1]
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def is_table_title(text: str) -> bool:
    """A line right before a table that names it (or the project it is about)."""
    text = text.strip()
    if len(text) < 3 or len(text) > 60 or _ANY_PUNCT.search(text):
        return False
    if len(text) < 4 and not kind_matches(text):
        return False
    closing = _balanced_paren(text, 0) if text[0] in "（(" else None
    if closing is not None and closing[1] == len(text):
        return False  # "（2023年度）", "（盖章）"
    return not _PATTERNS.figure_line.fullmatch(text)


def is_project_paren_line(text: str) -> bool:
    """A line that is one parenthetical naming a project: "（接访工作经费）"."""
    text = text.strip()
    paren = _balanced_paren(text, 0)
    if paren is None or paren[1] != len(text):
        return False
    inner = paren[0].strip()
    return 2 <= len(inner) <= 40 and not _NOT_PROJECT_PAREN.match(inner)


def _is_plain_short_line(text: str) -> bool:
    text = text.strip()
    return (
        0 < len(text) <= 30
        and not _ANY_PUNCT.search(text)
        and numbered_rank(text) is None
        and not _ANNEX.match(text)
        and not kind_matches(text)
    )


# ---------------------------------------------------------------------------- detection
def detect_headings(doc: Document) -> list[Heading]:
    """All headings in document order (paragraph headings and title rows of tables)."""
    blocks = doc.blocks
    headings: list[Heading] = []
    consumed: set[int] = set()  # paragraph blocks already used as part of a title
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            headings.extend(_table_headings(doc, block, headings, i))
            continue
        if i in consumed:
            continue
        heading = _paragraph_heading(doc, blocks, i, consumed)
        if heading is not None:
            headings.append(heading)
    headings.sort(key=lambda h: h.start)  # stable: equal starts keep detection order
    return headings


def _text(doc: Document, block: Paragraph) -> str:
    return doc.text[block.start : block.end]


def _paragraph_heading(doc: Document, blocks: list, i: int, consumed: set[int]) -> Heading | None:
    block: Paragraph = blocks[i]
    raw = _text(doc, block)
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    if not text:
        return None
    caption = _FIGURE_CAPTION.match(text)
    if caption and caption.end() < len(text):
        lead += caption.end()
        text = text[caption.end() :]
    start = block.start + lead
    next_is_table = i + 1 < len(blocks) and isinstance(blocks[i + 1], Table)
    table_index = blocks[i + 1].index if next_is_table else None

    numbered = numbered_rank(text)
    if numbered is not None:
        rank, marker_end = numbered
        if is_numbered_heading(text, rank, marker_end):
            return Heading(start, rank, short_title(text), table_index=table_index)
        return None
    annex = _ANNEX.match(text)
    if annex and len(text) <= TITLE_LINE_MAX and not _PROSE_PUNCT.search(text):
        rest = text[annex.end() :].strip()
        if not rest:
            return Heading(start, RANK_PART, text)
        if is_title_line(text):
            return Heading(start, RANK_PART, text, name_text=rest, table_index=table_index)
        return None
    if is_statement_title(text):
        return Heading(start, RANK_TITLE, text, table_index=_table_within(blocks, i, 2))
    if next_is_table and is_table_title(text):
        kind_named = bool(kind_matches(text))
        return Heading(
            start, RANK_TABLE, text, lead=None if kind_named else text, table_index=table_index
        )
    last = _title_run_end(doc, blocks, i, text)
    if last is not None:
        return _title_heading(doc, blocks, i, last, start, consumed)
    return None


#: longest line that can be one part of a title wrapped over several lines
TITLE_PART_MAX = 40


def _title_run_end(doc: Document, blocks: list, i: int, text: str) -> int | None:
    """The last block of a title starting at block i, which may be wrapped over up to
    three lines ("处非专项工作经费项目支出绩效自评" / "报告"); None if no title starts here."""
    best = i if is_title_line(text) else None
    joined = text
    k = i + 1
    while k < len(blocks) and k - i <= 2 and isinstance(blocks[k], Paragraph):
        part = _text(doc, blocks[k]).strip()
        if not part or len(part) > TITLE_PART_MAX or _ANY_PUNCT.search(part):
            break
        if numbered_rank(part) is not None or len(text) > TITLE_PART_MAX:
            break
        joined += part
        if is_title_line(joined):
            best = k
        k += 1
    return best


def _name_part(line: str) -> str:
    """What a title line contributes to the project name: nothing for a department line."""
    if _ANNEX_LABEL.fullmatch(line) or (_ORG_LINE.search(line) and not kind_matches(line)):
        return ""
    return _ANNEX_LABEL.sub("", line, count=1) if _ANNEX_LABEL.match(line) else line


def _title_heading(
    doc: Document, blocks: list, i: int, last: int, start: int, consumed: set[int]
) -> Heading:
    """A report title (blocks i..last), joined with the short lines around it that belong
    to it: a department line before it, a "（项目名）" line after it."""
    lines = [_text(doc, blocks[k]).strip() for k in range(i, last + 1)]
    consumed.update(range(i + 1, last + 1))
    j = i - 1
    while j >= 0 and i - j <= 2 and isinstance(blocks[j], Paragraph) and j not in consumed:
        prev = _text(doc, blocks[j]).strip()
        if not _is_plain_short_line(prev):
            break
        lines.insert(0, prev)
        start = blocks[j].start
        j -= 1
    k = last + 1
    if k < len(blocks) and isinstance(blocks[k], Paragraph):
        after = _text(doc, blocks[k]).strip()
        if is_project_paren_line(after):
            lines.append(after)
            consumed.add(k)
            k += 1
        elif after.startswith(("（", "(")) and len(after) <= 12:
            k += 1  # "（2023年度）" between a table's title and the table
    table_index = blocks[k].index if k < len(blocks) and isinstance(blocks[k], Table) else None
    return Heading(
        start,
        RANK_TITLE,
        "".join(lines),
        name_text="".join(_name_part(line) for line in lines),
        table_index=table_index,
    )


def _table_headings(doc: Document, table: Table, found: list[Heading], i: int) -> list[Heading]:
    """Title rows inside a table: "附件3", "2021年专项资金支出方向绩效目标表"."""
    out: list[Heading] = []
    seen_content = False
    titled_by_paragraph = (
        bool(found) and found[-1].table_index == table.index and (found[-1].rank == RANK_TABLE)
    )
    for row in table.rows:
        texts = [c.text.strip() for c in row]
        filled = [t for t in texts if t]
        if not filled:
            continue
        start = table.start if not seen_content else row[0].start
        text = filled[0]
        if len(filled) == 1 and len(text) <= TITLE_LINE_MAX:
            if _ANNEX.match(text) and len(text) <= 12:
                out.append(Heading(start, RANK_PART, text))
                continue
            if is_title_line(text):
                if not seen_content and titled_by_paragraph and not out:
                    prev = found[-1]
                    prev.title = f"{prev.title} {text}"
                    prev.name_text = f"{prev.name_text}{text}" if prev.lead is None else text
                else:
                    out.append(Heading(start, RANK_TABLE, text, table_index=table.index))
                seen_content = True
                continue
        seen_content = True
    return out
