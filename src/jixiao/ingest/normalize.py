"""Normalisation of one piece of text (a paragraph or a cell), keeping an index back.

`normalize_piece` returns the normalised string and, for each of its characters, the
index of the input character it came from, so offsets survive every rewrite:

* traditional characters (繁體: 財政撥款 → 财政拨款), one for one (`traditional`);
* Word artefacts a converter leaves in, such as ``[bookmark: _GoBack]`` and ``[image: 图片1]``;
* full-width digits, Latin letters and number punctuation (``２０２１``, ``９８．９０％``);
* a full-width comma used as a thousands separator (``250，000.00`` → ``250,000.00``);
* spaces a PDF layout puts between CJK characters and digits (``2021 年`` → ``2021年``);
* line breaks inside a table cell (``其中：财政拨\\n款`` → ``其中：财政拨款``).

Chinese prose punctuation (，。：；（）) is kept as it is: it is the document's own text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jixiao.ingest.traditional import to_simplified

ARTEFACT = re.compile(r"\[(?:bookmark|image|图片)[:：][^\]\n]*\]")
_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_FULLWIDTH.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
_FULLWIDTH.update(
    {
        "％": "%",
        "＋": "+",
        "－": "-",
        "＝": "=",
        "＜": "<",
        "＞": ">",
        "≦": "≤",
        "≧": "≥",
        "\u3000": " ",
        "\xa0": " ",
        "／": "/",
    }
)
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)
# a full-width point or comma inside a number: 98．90 / 250，000.00
FULLWIDTH_POINT = re.compile(r"(?<=\d)．(?=\d)")
THOUSANDS = re.compile(r"(?<=\d)，(?=\d{3}(?:[，,]\d{3})*(?:\.\d+|[^\d]|$))")
CJK = r"\u3400-\u9fff\uf900-\ufaff"
PUNCT = r"，。、；：！？（）《》“”‘’【】"
# spaces between CJK/punctuation and anything, or digits and CJK, are layout artefacts
LAYOUT_SPACE = re.compile(rf"(?<=[{CJK}{PUNCT}])[ \t]+(?=\S)|(?<=[\w%.])[ \t]+(?=[{CJK}{PUNCT}])")
CELL_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")
EDGE_SPACE = re.compile(r"^[ \t\r\n]+|[ \t\r\n]+$")


def _sub(
    pattern: re.Pattern[str],
    repl: str | Callable[[re.Match[str]], str],
    text: str,
    index: list[int] | None,
) -> tuple[str, list[int] | None]:
    """`re.sub` that also rewrites the index of each character's origin.

    An index of None stands for "every character where it was" and stays None when
    nothing matches, so a piece no rewrite touches never gets an index list.
    """
    out: list[str] = []
    out_index: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        if index is None:
            index = list(range(len(text)))
        out.append(text[last : m.start()])
        out_index.extend(index[last : m.start()])
        new = repl(m) if callable(repl) else repl
        old_index = index[m.start() : m.end()]
        if len(new) == len(old_index):
            out_index.extend(old_index)
        else:
            anchor = old_index[0] if old_index else (index[m.start() - 1] + 1 if m.start() else 0)
            out_index.extend([anchor] * len(new))
        out.append(new)
        last = m.end()
    if not out or index is None:
        return text, index
    out.append(text[last:])
    out_index.extend(index[last:])
    return "".join(out), out_index


def _join_cell_lines(m: re.Match[str]) -> str:
    before = m.string[m.start() - 1] if m.start() else ""
    after = m.string[m.end()] if m.end() < len(m.string) else ""
    ascii_both = before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
    return " " if ascii_both else ""


def normalize_piece(text: str, *, in_cell: bool = False) -> tuple[str, list[int]]:
    """Normalise a paragraph or a cell; return the text and each character's source index."""
    out, index = normalize_piece_index(text, in_cell=in_cell)
    return out, list(range(len(out))) if index is None else index


#: the rewrites below each need one of these characters (after the full-width table)
_TRIGGERS = (
    (ARTEFACT, "["),
    (FULLWIDTH_POINT, "．"),
    (THOUSANDS, "，"),
    (CELL_BREAK, "\n"),
    (LAYOUT_SPACE, " \t"),
)
_EDGE = " \t\r\n"
#: a piece holding none of these characters is already normal
_ANY_WORK = re.compile(
    "[" + re.escape("".join(_FULLWIDTH) + "".join(n for _, n in _TRIGGERS) + _EDGE) + "]"
)


def normalize_piece_index(text: str, *, in_cell: bool = False) -> tuple[str, list[int] | None]:
    """`normalize_piece`, with None for the index when every character stayed in place.

    Most cells and many lines need no rewrite at all; each rewrite runs only when the
    character it needs is there, and no index list is built for a piece left as it was,
    so building a document costs little more than copying its text.
    """
    text = to_simplified(text)  # one-to-one, so the index is unchanged
    if not _ANY_WORK.search(text):
        return text, None
    text = text.translate(_FULLWIDTH_TABLE)  # one-to-one, so the index is unchanged
    index: list[int] | None = None
    for pattern, needs in _TRIGGERS:
        if needs[0] not in text and (len(needs) == 1 or needs[1] not in text):
            continue
        if pattern is CELL_BREAK:
            repl: str | Callable[[re.Match[str]], str] = _join_cell_lines if in_cell else " "
        else:
            repl = "" if pattern in (ARTEFACT, LAYOUT_SPACE) else _REPLACEMENT[pattern]
        text, index = _sub(pattern, repl, text, index)
    if text and (text[0] in _EDGE or text[-1] in _EDGE):
        text, index = _sub(EDGE_SPACE, "", text, index)
    return text, index


_REPLACEMENT = {FULLWIDTH_POINT: ".", THOUSANDS: ","}
