"""The report's own verdict: 评价结论, 存在问题 and 改进建议.

Reports put each under a heading (``（一）评价结论``, ``（二）存在的问题。无``), sometimes
with the text on the heading's line. The first occurrence is the department-level one in
a package (project reports follow it), so that is the one read. "无" means none.
"""

from __future__ import annotations

import re

from jixiao.document import Document, Paragraph
from jixiao.models import Narrative, Section
from jixiao.vocabulary import load_vocabulary

_CN = load_vocabulary().list_numerals
MARKER = (
    rf"(?:[（(][{_CN}\d]{{1,3}}[)）]|[{_CN}]{{1,3}}[、.．]|\d{{1,2}}[.．、]"
    rf"|第[{_CN}]{{1,3}}(?:部分|章|节))"
)
CONCLUSION = re.compile(rf"^\s*{MARKER}?\s*(?:综合|自评|评价|总体)*(?:评价)?结论(?:[。.：:]|\s*$)")
PROBLEMS = re.compile(
    rf"^\s*{MARKER}?\s*(?:主要|存在的?|发现的?)(?:主要)?问题(?:及原因)?(?:[。.：:]|\s*$)"
)
SUGGESTIONS = re.compile(
    rf"^\s*{MARKER}?\s*(?:改进|整改|下一步|相关|有关)(?:意见|建议|措施)(?:[。.：:]|\s*$)"
)
#: a heading of the same or a higher level ends a part
HEADING = re.compile(
    rf"^\s*(?:[（(][{_CN}]{{1,3}}[)）]|[{_CN}]{{1,3}}、|第[{_CN}]{{1,3}}(?:部分|章|节))"
)
NONE_WORDS = re.compile(r"^[\s。.；;]*(?:无|暂无|没有|无。|—|-)?[\s。.；;]*$")
ITEM_SPLIT = re.compile(
    rf"(?:(?<=^)|(?<=[。；;]))\s*(?=\d{{1,2}}[.．、]|[（(]\d{{1,2}}[)）]|[{_CN}]是)"
)
ITEM_START = re.compile(rf"^\s*(?:\d{{1,2}}[.．、]|[（(]\d{{1,2}}[)）]|[{_CN}]是)")
TABLE_MARK = "\x00table"
MAX_HEADING = 30


def read_narrative(doc: Document, sections: list[Section]) -> Narrative:
    """Conclusion, problems and suggestions from their headings' text."""
    # a table ends a part: it is written as an empty-text stand-in
    paragraphs: list[tuple[Paragraph | None, str]] = [
        (b, doc.para_text(b)) if isinstance(b, Paragraph) else (None, TABLE_MARK)
        for b in doc.blocks
    ]
    conclusion = _part(paragraphs, CONCLUSION)
    problems = _part(paragraphs, PROBLEMS)
    suggestions = _part(paragraphs, SUGGESTIONS)
    return Narrative(
        conclusion="\n".join(conclusion) or None,
        problems=_items(problems),
        suggestions=_items(suggestions),
    )


def _part(paragraphs: list[tuple[Paragraph | None, str]], heading: re.Pattern[str]) -> list[str]:
    """The text under the first matching heading, up to the next heading.

    Returns [] when there is no such heading, [""] when it says nothing (无).
    """
    for i, (_, text) in enumerate(paragraphs):
        m = heading.match(text)
        if not m or not _is_heading(text, m):
            continue
        body = [text[m.end() :].strip()]
        for _, following in paragraphs[i + 1 :]:
            if not _continues(following) or _other_heading(following, heading):
                break
            body.append(following.strip())
        body = [b for b in body if b]
        return body or [""]
    return []


def _continues(text: str) -> bool:
    """Body text: an item, a sentence, or a long line; not a table, title or heading."""
    if text == TABLE_MARK or HEADING.match(text):
        return False
    if ITEM_START.match(text):
        return True
    return len(text) > MAX_HEADING or text.rstrip().endswith(("。", "；", ";", "！"))


def _is_heading(text: str, m: re.Match[str]) -> bool:
    """A heading line, or a heading followed by its text (``（一）评价结论。本年度…``)."""
    return len(text) <= MAX_HEADING or text[m.end() - 1 : m.end()] in "。.：:"


def _other_heading(text: str, current: re.Pattern[str]) -> bool:
    for pattern in (CONCLUSION, PROBLEMS, SUGGESTIONS):
        if pattern is not current:
            m = pattern.match(text)
            if m and _is_heading(text, m):
                return True
    return False


def _items(body: list[str]) -> list[str]:
    """One item per paragraph or numbered part; 无 gives none."""
    items: list[str] = []
    for paragraph in body:
        if NONE_WORDS.match(paragraph):
            continue
        parts = [p.strip() for p in ITEM_SPLIT.split(paragraph) if p and p.strip()]
        items.extend(p for p in parts if not NONE_WORDS.match(p))
    return items
