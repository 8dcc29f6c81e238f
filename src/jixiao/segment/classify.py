"""Section kinds (OUTPUT.md) from heading titles, and project names from titles and tables.

Classification is driven by keyword tables kept as data (`vocabulary.yaml`), so a new
template needs a pattern, not code. A title may name several kinds when a converter glued two
title lines together ("…评价指标体系（甲项目）…项目支出绩效自评报告（乙项目）"); the
match that ends last wins, because the last title governs the text that follows it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.document import Table
from jixiao.vocabulary import alternation, load_vocabulary

# ---------------------------------------------------------------------------- keyword data
#: kind -> regular expressions that, found in a heading title, name that kind
#: (`vocabulary.yaml`, section_kinds). Order matters only for ties: earlier kinds win.
KIND_PATTERNS: dict[str, tuple[str, ...]] = load_vocabulary().section_kinds

#: kinds that describe a table: a heading naming one only counts when a table follows it
TABLE_KINDS: frozenset[str] = frozenset(
    {"target_table", "self_eval_table", "rubric", "budget_tables", "final_accounts_tables"}
)

_NAMES = load_vocabulary().project_names

#: table cells whose right-hand (or lower) neighbour names the project
PROJECT_LABELS: tuple[str, ...] = _NAMES.labels

#: words that make a candidate project name generic (the department, not a project)
GENERIC_PROJECT = re.compile(f"^{alternation(_NAMES.generic_words, escape=False)}*$")

#: one alternation per kind: a title is scanned once per kind, not once per pattern
_COMPILED: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile("|".join(f"(?:{p})" for p in pats))) for kind, pats in KIND_PATTERNS.items()
]
_YEAR = rf"\s*{load_vocabulary().year_word}"
_YEAR_PREFIX = re.compile(rf"^\s*(?:\d{{4}}|[{load_vocabulary().year_numerals}]{{4}}){_YEAR}")
_CODE_PREFIX = re.compile(r"^[0-9A-Za-z]{8,}\s*[-—－_]\s*")
_QUOTES = "《》“”\"'「」『』〈〉"
_PAREN_OPEN = "（("
_PAREN_CLOSE = "）)"
#: a column header to the right of 项目名称: the name is then in the row below
_COLUMN_HEADER = re.compile(f"^{alternation(_NAMES.column_header_starts)}[^，。]{{0,8}}$")
_PROJECT = re.escape(_NAMES.project_word)
#: what may follow 项目 before the kind words (支出, 绩效, 目标), each optional
_TAIL = "".join(f"{alternation((w,))}?" for w in _NAMES.project_tail)
#: "…某某项目支出绩效" right before a table keyword: the words before it name a project
_PROJECT_TAIL = re.compile(f"{_PROJECT}{_TAIL}$")
#: a title's closing words stripped from a name (…项目支出绩效目标自评报告)
_REPORT_SUFFIX = re.compile(
    f"(?:{_PROJECT})?{_TAIL}" + "".join(f"{alternation(g)}?" for g in _NAMES.report_ending) + "$"
)
_PROJECT_END = re.compile(f"{_PROJECT}$")
_NOT_A_PROJECT = re.compile(f"^{alternation(_NAMES.not_a_project, escape=False)}$")
#: the document's own title run into a table title ("某局2025年部门预算2025年度…"): not the name
_TITLE_RUN_ON = re.compile(
    rf"^.*?\d{{4}}{_YEAR}.*" + "".join(alternation(g) for g in _NAMES.document_title)
)


@dataclass(frozen=True)
class KindMatch:
    kind: str
    start: int
    end: int


def kind_matches(title: str) -> list[KindMatch]:
    """Every keyword hit in a title, in order of position."""
    hits = [
        KindMatch(kind, m.start(), m.end())
        for kind, pattern in _COMPILED
        for m in pattern.finditer(title)
    ]
    return sorted(hits, key=lambda h: (h.start, -h.end))


def governing_match(title: str) -> KindMatch | None:
    """The hit that governs a title: the one ending last (ties: the longer, then the first kind)."""
    best: KindMatch | None = None
    for hit in kind_matches(title):
        if best is None or hit.end > best.end or (hit.end == best.end and hit.start < best.start):
            best = hit
    return best


def classify_title(title: str) -> str | None:
    """The kind a heading title names, or None when it names none (the child inherits)."""
    hit = governing_match(title)
    return hit.kind if hit else None


# ---------------------------------------------------------------------------- project names
def _balanced_paren(text: str, i: int) -> tuple[str, int] | None:
    """The content of the parenthetical opening at text[i] (nesting allowed) and its end."""
    if i >= len(text) or text[i] not in _PAREN_OPEN:
        return None
    depth = 0
    for j in range(i, len(text)):
        if text[j] in _PAREN_OPEN:
            depth += 1
        elif text[j] in _PAREN_CLOSE:
            depth -= 1
            if depth == 0:
                return text[i + 1 : j], j + 1
    return None


def clean_project_name(name: str | None) -> str | None:
    """A project's bare name: no year, no code, no quotes, no report words; None if generic."""
    if not name:
        return None
    name = name.strip().strip(_QUOTES).strip()
    name = "".join(ch for ch in name if ch not in _QUOTES)
    name = _CODE_PREFIX.sub("", name)
    name = _YEAR_PREFIX.sub("", name).strip()
    name = _REPORT_SUFFIX.sub("", name)
    name = _PROJECT_END.sub("", name).strip(" ：:-—")
    name = _YEAR_PREFIX.sub("", _TITLE_RUN_ON.sub("", name)).strip()
    if not name or GENERIC_PROJECT.match(name) or _NOT_A_PROJECT.match(name):
        return None
    if len(name) > 40:
        return None
    return name


def project_from_title(title: str, kind: str | None = None) -> str | None:
    """The project a title names: a parenthetical after the governing keyword, or, for a
    项目支出绩效自评报告, the words before it ("2021年某某项目支出绩效自评报告")."""
    hit = governing_match(title)
    if hit is None:
        return None
    after = title[hit.end :].lstrip()
    paren = _balanced_paren(after, 0)
    if paren is not None:
        name = clean_project_name(paren[0])
        if name:
            return name
    names_project = _PROJECT_TAIL.search(title[: hit.start].rstrip()) is not None
    if hit.kind == "project_evaluation" or names_project:
        previous_end = max((h.end for h in kind_matches(title) if h.end <= hit.start), default=0)
        before = title[previous_end : hit.start]
        # a leading parenthetical ("（甲项目）…") belongs to the previous title
        while before.startswith(tuple(_PAREN_OPEN)):
            paren = _balanced_paren(before, 0)
            if paren is None:
                break
            before = before[paren[1] :]
        return clean_project_name(before)
    return None


def _cell_texts(row: Sequence[object]) -> list[str]:
    return [getattr(c, "text", "").strip() for c in row]


_TOTAL_ROW = re.compile(
    "^"
    + alternation(tuple(r"\s*".join(map(re.escape, w)) for w in _NAMES.total_rows), escape=False)
    + "$"
)


def _single_value_below(table: Table, r: int, c: int) -> str | None:
    """The one name in the column under a 项目名称 header; None for a list of projects."""
    names: set[str] = set()
    for row in table.rows[r + 1 :]:
        texts = _cell_texts(row)
        if c < len(texts) and texts[c] and not _TOTAL_ROW.match(texts[c]):
            names.add(texts[c])
    return clean_project_name(names.pop()) if len(names) == 1 else None


def project_from_table(table: Table) -> str | None:
    """The project a table is about, read from its 项目名称 / 支出方向（子项） cell.

    The name is the next non-empty cell to the right or, when the label heads a column
    ("项目名称 | 预算数 | …"), the cell below it.
    """
    for r, row in enumerate(table.rows[:8]):
        texts = _cell_texts(row)
        for c, text in enumerate(texts):
            label = text.replace(" ", "")
            if not any(label.startswith(lab) for lab in PROJECT_LABELS):
                continue
            inline = label.split("：", 1)[1] if "：" in label else ""
            if inline:
                return clean_project_name(inline)
            right = next((t for t in texts[c + 1 :] if t), None)
            if right and not _COLUMN_HEADER.match(right):
                return clean_project_name(right)
            return _single_value_below(table, r, c)
    return None


# ---------------------------------------------------------------------------- table content
#: kind -> (all of, any of) header words that mark a table of that kind, tried in order
TABLE_SIGNATURES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (sig.kind, sig.all_of, sig.any_of) for sig in load_vocabulary().table_signatures
)
#: how many rows of a table its signature is read from
SIGNATURE_ROWS = 12


def classify_table(table: Table) -> str | None:
    """The kind a table's header words show, for tables whose title names none."""
    head = "".join(c.text for row in table.rows[:SIGNATURE_ROWS] for c in row)
    for kind, required, any_of in TABLE_SIGNATURES:
        if all(w in head for w in required) and any(w in head for w in any_of):
            return kind
    return None
