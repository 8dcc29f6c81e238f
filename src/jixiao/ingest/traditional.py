"""Traditional Chinese (繁體) text read as simplified, one character for one character.

Some sites print their 部门预算/部门决算 through a 简/繁 switch, so the same forms arrive
as 部門決算, 財政撥款收入支出決算總表, 佔100%. Every reader, form title and label downstream
is written in simplified characters, so a traditional piece is converted at
normalisation, with OpenCC's conversion tables (phrase-level, so 乾燥 → 干燥 but 乾隆 stays).

Offsets survive because the conversion is kept one-to-one: a piece whose phrase-level
conversion changes its length falls back to OpenCC's single-character mapping, which
never does.

Only a piece holding a character that exists in traditional writing alone (項, 財, 決,
經 …: its simplified form converts back to it) is converted. Characters both scripts
write with their own meaning (乾, 覆, 著, 髮 …) never decide it, so simplified text —
every other document — is left exactly as printed.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

#: the CJK blocks a conversion table covers (unified ideographs, extension A, compatibility)
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@cache
def _converters() -> tuple[Any, Any]:
    """OpenCC's traditional → simplified and simplified → traditional converters (loaded once)."""
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@cache
def _tables() -> tuple[dict[int, str], re.Pattern[str]]:
    """The single-character mapping, and a pattern finding traditional-only characters."""
    t2s, s2t = _converters()
    chars = [chr(c) for start, end in _CJK_RANGES for c in range(start, end)]
    # one character a line: the phrase tables cannot join two of them
    simplified = t2s.convert("\n".join(chars)).split("\n")
    mapping = {ord(t): s for t, s in zip(chars, simplified, strict=True) if s != t and len(s) == 1}
    back = s2t.convert("\n".join(mapping.values())).split("\n")
    only = [chr(t) for t, b in zip(mapping, back, strict=True) if chr(t) == b]
    return mapping, re.compile("[" + "".join(only) + "]")


def has_traditional(text: str) -> bool:
    """Whether the text holds a character only traditional writing uses."""
    return _tables()[1].search(text) is not None


def to_simplified(text: str) -> str:
    """The text in simplified characters, of the same length (unchanged if not traditional)."""
    mapping, traditional = _tables()
    if traditional.search(text) is None:
        return text
    converted = _converters()[0].convert(text)
    if len(converted) == len(text):
        return converted
    return text.translate(mapping)
