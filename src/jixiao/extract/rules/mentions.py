"""Concept wordings in a sentence, found by the taxonomy's labels and synonyms.

Matching is leftmost-longest over one alternation of every wording (longest first), the
功能分类 class names, and 类款项 lines ``一般公共服务（201）…（03）…（08）`` or
``…（类）…（款）…（项）``, which are matched before the plain wordings they contain.
A 类款项 line is the class's concept (`fa.function.<类>`) at the line's scope
(`item:<code>`), its name kept as the label; a line printed by names is coded by the
document's own function tables first, then by the national list (`items.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from jixiao.extract.rules.items import NAMED_ITEM_LINE, class_code, item_codes, name_key
from jixiao.taxonomy import Taxonomy

#: 类款项 line: 一般公共服务（201）政府办公厅（室）及相关机构事务（03）信访事务（08）
ITEM_LINE = re.compile(
    r"[\u4e00-\u9fff]{2,20}?支?出?[（(](?P<cls>2\d{2})[)）]"
    r"(?:[\u4e00-\u9fff（）()“”、]{2,40}?[（(](?P<kuan>\d{2})[)）])?"
    r"(?:[\u4e00-\u9fff（）()“”、]{2,40}?[（(](?P<xiang>\d{2})[)）])?"
)
#: what every match of ITEM_LINE holds (a class code in brackets) and of NAMED_ITEM_LINE
_ITEM_CODE = re.compile(r"[（(]2\d{2}[)）]")
_CLASS_MARK = re.compile(r"[（(]类[)）]")
#: 实有 before an 编制 wording means the staff actually in post
ACTUAL_STAFF = {
    "staff.authorized": "staff.actual",
    "staff.authorized_admin": "staff.actual_admin",
    "staff.authorized_institution": "staff.actual_institution",
    "staff.authorized_worker": "staff.actual_worker",
}
_LEXICONS: dict[int, tuple[Taxonomy, _Lexicon]] = {}
#: the other side of a 收/支 wording, and what may stand between the two: the first
#: side's figure and a 、 or ， (财政拨款收入总计956.51万元、支出总计956.51万元)
_OTHER_SIDE = {"收入": "支出", "支出": "收入"}
_BETWEEN_SIDES = re.compile(r"\s*[为是]?\s*[\d,，.]+\s*(?:亿元|万元|千元|元)\s*[、，,]\s*$")


@dataclass(frozen=True)
class Mention:
    """A concept wording found in the text (for a 类款项 line: its scope and name)."""

    concept: str
    start: int
    end: int
    #: item:<code> for a 款/项 line; None for the department
    scope: str | None = None
    label: str | None = None


#: codes of a named line from the document's own tables: (parent code, name key) → code
ItemNames = dict[tuple[str, str], str]


def item_mention(codes: list[str], start: int, end: int, label: str | None) -> Mention:
    """The mention of a 类/款/项 line: its class's concept, scoped to the line below 类."""
    code = "".join(codes)
    scope = f"item:{code}" if len(codes) > 1 else None
    return Mention(f"fa.function.{codes[0]}", start, end, scope, label if scope else None)


def _named_codes(
    match: re.Match[str], taxonomy: Taxonomy, names: ItemNames | None
) -> list[str] | None:
    """[类, 款, 项] codes of a line printed by names: the document's own table names
    first (they are what the text restates), else the national list."""
    cls = class_code(match.group("cls"), taxonomy.function_classes)
    if cls is not None and names:
        kuan = names.get((cls, name_key(match.group("kuan"))))
        if kuan is not None:
            xiang_name = match.group("xiang")
            if xiang_name is None:
                return [cls, kuan[3:]]
            xiang = names.get((kuan, name_key(xiang_name)))
            if xiang is not None:
                return [cls, kuan[3:], xiang[5:]]
    return item_codes(
        match.group("cls"), match.group("kuan"), match.group("xiang"), taxonomy.function_classes
    )


@dataclass(frozen=True)
class _Lexicon:
    pattern: re.Pattern[str]
    by_wording: dict[str, str]


def _lexicon(taxonomy: Taxonomy) -> _Lexicon:
    """One alternation of every wording, longest first, so the longest wording wins."""
    cached = _LEXICONS.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    lexicon = _build_lexicon(taxonomy)
    _LEXICONS[id(taxonomy)] = (taxonomy, lexicon)
    return lexicon


def _build_lexicon(taxonomy: Taxonomy) -> _Lexicon:
    by_wording: dict[str, str] = {}
    for concept in taxonomy.concepts.values():
        for wording in concept.wordings:
            # a table row label 其中：财政拨款 would shadow 财政拨款收入 in a sentence
            by_wording.setdefault(re.sub(r"^其中[:：]", "", wording), concept.name)
    for code, name in taxonomy.function_classes.items():
        by_wording.setdefault(name, f"fa.function.{code}")
        stem = name.removesuffix("支出")
        if len(stem) >= 4:
            by_wording.setdefault(stem, f"fa.function.{code}")
    return _Lexicon(re.compile(_trie_pattern(list(by_wording))), by_wording)


def _trie_pattern(words: list[str]) -> str:
    """One pattern matching the longest of `words` at a position, as a prefix tree.

    Same matches as the alternation of the words longest first, but the regex engine
    follows one branch per character instead of trying every wording at every position.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a wording ends here
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # greedy: a longer wording through this node first, else the one ending here
    return f"(?:{body})?" if "" in node else body


#: a line break between two characters of a wording (政府性基金⏎拨款支出预算)
BREAK_IN_WORDING = re.compile(r"(?<=[\u4e00-\u9fff（）()“”])\n(?=[\u4e00-\u9fff（）()“”])")


def find_mentions(
    text: str,
    taxonomy: Taxonomy,
    offset: int = 0,
    names: ItemNames | None = None,
    *,
    wrapped: bool = False,
) -> list[Mention]:
    """Concept wordings in `text`, leftmost-longest, 类款项 lines first (`names`: the
    document's own 款/项 names, for lines printed without codes).

    `wrapped`: `text` is prose whose line breaks a PDF made, so a wording cut by one
    (``政府性基金⏎拨款支出预算``) is read whole; its span keeps the break, as printed.
    """
    if wrapped and "\n" in text:
        breaks = {m.start() for m in BREAK_IN_WORDING.finditer(text)}
        if breaks:
            kept = [i for i in range(len(text)) if i not in breaks]
            flat = "".join(text[i] for i in kept)
            return [
                replace(m, start=offset + kept[m.start], end=offset + kept[m.end - 1] + 1)
                for m in find_mentions(flat, taxonomy, 0, names)
            ]
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    # both line patterns open with a lazy run of characters, so the regex engine tries
    # them at every position; most sentences lack the bracket they need and skip them
    item_lines = ITEM_LINE.finditer(text) if _ITEM_CODE.search(text) else ()
    for m in item_lines:
        codes = [g for g in (m.group("cls"), m.group("kuan"), m.group("xiang")) if g]
        mentions.append(item_mention(codes, offset + m.start(), offset + m.end(), None))
        taken.append((m.start(), m.end()))
    named_lines = NAMED_ITEM_LINE.finditer(text) if _CLASS_MARK.search(text) else ()
    for m in named_lines:
        if any(s <= m.start() < e for s, e in taken):
            continue
        named = _named_codes(m, taxonomy, names)
        if named:
            label = m.group("xiang") or m.group("kuan")
            mentions.append(item_mention(named, offset + m.start(), offset + m.end(), label))
        # a line whose 款/项 is unknown is still one line: its 类 name is no class total
        taken.append((m.start(), m.end()))
    lexicon = _lexicon(taxonomy)
    for m in lexicon.pattern.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        concept = lexicon.by_wording[m.group(0)]
        if concept in ACTUAL_STAFF and "实有" in text[max(0, m.start() - 12) : m.start()]:
            concept = ACTUAL_STAFF[concept]
        mentions.append(Mention(concept, offset + m.start(), offset + m.end()))
    return _other_sides(text, offset, sorted(mentions, key=lambda x: x.start))


def _other_sides(text: str, offset: int, mentions: list[Mention]) -> list[Mention]:
    """A bare other side of a qualified 收/支 wording names the same total: in
    财政拨款收入总计956.51万元、支出总计956.51万元 the 支出总计 is the 财政拨款 one, not the
    department's 收支总计 its bare wording would be."""
    out = list(mentions)
    for i in range(1, len(out)):
        first, second = out[i - 1], out[i]
        if first.concept == second.concept or first.scope or second.scope:
            continue
        head = text[first.start - offset : first.end - offset]
        bare = text[second.start - offset : second.end - offset]
        side = next((w for w in _OTHER_SIDE if w in head), None)
        if side is None or not bare.startswith(_OTHER_SIDE[side]):
            continue
        # the first wording is the bare one qualified (财政拨款 + 收入总计), and nothing but
        # its figure stands between the two
        if len(head) <= len(bare) or not head.endswith(side + bare[len(_OTHER_SIDE[side]) :]):
            continue
        if not _BETWEEN_SIDES.match(text[first.end - offset : second.start - offset]):
            continue
        out[i] = replace(second, concept=first.concept)
    return out
