"""Template wording left in a published document.

The national forms are filled in by overwriting their placeholders and deleting their
instructions; what is left over shows the form was not finished. Five kinds, each one
flag (its count, first occurrence and places): placeholders (XX局, XXX, x,xxx), blank form
fields (填报人：), the forms' instruction sentences ("仍保留该表格式，并在本表下方作下述
说明", "（如持平作持平表述）", "（说明项目的总体情况…）"), alternatives never resolved
("增加（减少）", "下降（增长）"), reasons and figures left empty ("主要原因是。", "主要用于……",
"执行数为。"), and another level's wording in a document whose cover names its own
(市级预算主管部门 in a 区级部门预算).
The wording is data (`verification.yaml`, template).
"""

from __future__ import annotations

import re

from jixiao.models import Flag
from jixiao.verify.flags import make_flag, short
from jixiao.verify.text import paragraph_break, sentence_bounds
from jixiao.verify.view import View

#: places named in a flag's location
_PLACES = 3


def check_unfilled(view: View) -> list[Flag]:
    text, vocab = view.text, view.vocab
    found: list[tuple[str, str, list[re.Match[str]]]] = []
    if vocab.placeholder_chars.search(text):  # far cheaper than the placeholders pattern
        found.append(("占位符", "placeholders", list(vocab.placeholders.finditer(text))))
    found.append(("未填写的栏目", "blank form fields", list(vocab.blank_fields.finditer(text))))
    instructions = [m for w in vocab.instructions for m in re.finditer(re.escape(w), text)] + list(
        vocab.bracketed.finditer(text)
    )
    found.append(("填报说明文字", "instructions of the form", _first_per_place(instructions)))
    alternatives = [m for m in vocab.alternatives.finditer(text) if m.group(1) != m.group(2)]
    found.append(("未取舍的备选措辞", "unresolved alternatives", alternatives))
    found.append(("空着的原因或用途", "empty reasons", _empty_reasons(view)))
    found.append(("空着的数值", "figures left out", list(vocab.empty_figure.finditer(text))))
    found.append(("另一级次的模板措辞", "another level's wording", _other_level(view)))
    return [_flag(view, zh, en, matches) for zh, en, matches in found if matches]


def _other_level(view: View) -> list[re.Match[str]]:
    """Wording of another level ("市级预算主管部门") in a document whose cover says 区级部门预算:
    the 市级 form's 名词解释 copied without adapting it."""
    head = view.text[:300]
    cover = view.vocab.cover_level.search(head)
    if cover is None:
        return []
    own = cover.group("level")
    return [m for m in view.vocab.level_wording.finditer(view.text) if m.group("level") != own]


def _first_per_place(matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """Overlapping instruction matches counted once, in text order."""
    kept: list[re.Match[str]] = []
    for m in sorted(matches, key=lambda m: m.start()):
        if not kept or m.start() >= kept[-1].end():
            kept.append(m)
    return kept


def _empty_reasons(view: View) -> list[re.Match[str]]:
    """主要原因是 with nothing after it (a wrapped line carries the reason on: not empty)."""
    out = []
    for m in view.vocab.empty_reason.finditer(view.text):
        end = m.end()
        if end < len(view.text) and view.text[end] == "\n" and not paragraph_break(view.text, end):
            continue
        out.append(m)
    return out


def _around(view: View, match: re.Match[str]) -> tuple[int, int]:
    """A remnant's place: its sentence (a bare 市级 or XX says little on its own)."""
    left, right = sentence_bounds(view.text, match.start(), match.end())
    return max(left, match.start() - 40), min(max(right, match.end()), match.end() + 40)


def _flag(view: View, zh: str, en: str, matches: list[re.Match[str]]) -> Flag:
    first = matches[0]
    text = view.text
    left = max(text.rfind("\n", 0, first.start()) + 1, first.start() - 20)
    right = text.find("\n", first.end())
    right = min(len(text) if right < 0 else right, first.end() + 20)
    count = f"共 {len(matches)} 处，" if len(matches) > 1 else ""
    return make_flag(
        "unfilled_template",
        f"模板未填写完整：留有{zh}（{count}如{view.page_of(first.start())}"
        f"“{short(text[left:right], 50)}”）",
        f"template left unfilled: {len(matches)} {en}, first at offset {first.start()}",
        severity="warning",
        location=[view.at_text(*_around(view, m)) for m in matches[:_PLACES]],
    )
