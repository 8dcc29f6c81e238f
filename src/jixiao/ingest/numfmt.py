"""A spreadsheet number as the sheet shows it: Excel number formats applied to a value.

The verifier reads precision from what is printed (416.50 stands for [416.495, 416.505])
and the table rules read 元 from thousands separators (250,000.00), so a spreadsheet
cell must come out as displayed, not as the float it stores: 1234.5 under ``#,##0.00``
is "1,234.50", 0.125 under ``0.0%`` is "12.5%", 173.4271 under ``0.0000"万元"`` is
"173.4271万元". No library renders Excel formats (openpyxl and xlrd hand the format
string over), so the common subset is done here: sections (positive;negative;zero;
text), fixed decimals, thousands separators, percent, quoted and escaped literals,
General; dates with the y/m/d tokens. What is not understood falls back to General.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache

_BRACKET = re.compile(r"\[[^\]]*\]")
#: literal pieces of a format: "quoted", \x escaped, _x padding, *x fill
_LITERAL = re.compile(r'"([^"]*)"|\\(.)|_(.)|\*(.)')
_DATE_TOKENS = re.compile(r"(?i)yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s")


def general(value: float) -> str:
    """Excel's General: an integral value without decimals, else up to 11 significant
    digits, never an exponent for the magnitudes budgets print."""
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.11g}"
    if "e" in text:  # very small or large: print plainly, trimmed
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text


def format_value(value: object, fmt: str | None) -> str:
    """`value` (a cell's number, date, bool or text) as shown under format `fmt`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return _format_date(value, fmt)
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return format_number(float(value), fmt)
    return str(value)


def format_number(value: float, fmt: str | None) -> str:
    if not fmt or fmt.strip().lower() in ("general", "@"):
        return general(value)
    sections = _sections(fmt)
    if value < 0 and len(sections) >= 2:
        section, value, sign = sections[1], -value, ""
    elif value == 0 and len(sections) >= 3:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if value < 0 else ""
        value = abs(value)
    spec = _parse(section)
    if spec is None:
        # a section of text alone, e.g. the zero section "-" of accounting formats
        literal = "".join(q or e or "" for q, e, _p, _f in _LITERAL.findall(section))
        return literal or sign + general(value)
    prefix, decimals, thousands, percent, suffix = spec
    if percent:
        value *= 100
    number = f"{value:,.{decimals}f}" if thousands else f"{value:.{decimals}f}"
    if sign and float(number.replace(",", "")) == 0:
        sign = ""  # -0.001 shown with two decimals is 0.00, not -0.00
    return f"{prefix}{sign}{number}{'%' if percent else ''}{suffix}"


@lru_cache(maxsize=512)
def _sections(fmt: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


@lru_cache(maxsize=512)
def _parse(section: str) -> tuple[str, int, bool, bool, str] | None:
    """(prefix, decimals, thousands, percent, suffix) of one number section, or None."""
    section = _BRACKET.sub("", section)  # [Red], [$-804], [>=100]
    pieces: list[tuple[bool, str]] = []  # (is literal, text)
    pos = 0
    for m in _LITERAL.finditer(section):
        if m.start() > pos:
            pieces.append((False, section[pos : m.start()]))
        quoted, escaped, _pad, _fill = m.groups()
        if quoted is not None:
            pieces.append((True, quoted))
        elif escaped is not None:
            pieces.append((True, escaped))
        pos = m.end()
    if pos < len(section):
        pieces.append((False, section[pos:]))
    code = "".join(text for literal, text in pieces if not literal)
    digits = re.search(r"[0#?][0#?,]*(?:\.[0#?]*)?", code)
    if digits is None:
        return None
    percent = "%" in code
    body = digits.group(0)
    decimals = len(body.split(".", 1)[1]) if "." in body else 0
    thousands = "," in body.split(".", 1)[0].strip(",")
    # literal text before and after the digits, in order
    prefix: list[str] = []
    suffix: list[str] = []
    seen_digits = False
    for literal, text in pieces:
        if literal:
            (suffix if seen_digits else prefix).append(text)
            continue
        before, found, after = text.partition(body) if not seen_digits else ("", "", text)
        if found:
            prefix.append(_plain(before))
            suffix.append(_plain(after))
            seen_digits = True
        elif seen_digits:
            suffix.append(_plain(text))
        else:
            prefix.append(_plain(text))
    return "".join(prefix).strip(), decimals, thousands, percent, "".join(suffix).strip()


def _plain(code: str) -> str:
    """Format characters that print as themselves outside the digits ($ - + ( ) : space)."""
    return "".join(ch for ch in code if ch in "$-+()/: 元￥¥")


def _format_date(value: dt.date, fmt: str | None) -> str:
    if not fmt or not _DATE_TOKENS.search(_LITERAL.sub("", _BRACKET.sub("", fmt))):
        if isinstance(value, dt.datetime) and value.time() != dt.time(0):
            return value.isoformat(sep=" ")
        return value.strftime("%Y-%m-%d")
    out: list[str] = []
    section = _BRACKET.sub("", _sections(fmt)[0])
    pos = 0
    for m in _LITERAL.finditer(section):
        out.append(_date_code(section[pos : m.start()], value))
        out.append(m.group(1) if m.group(1) is not None else (m.group(2) or ""))
        pos = m.end()
    out.append(_date_code(section[pos:], value))
    return "".join(out)


def _date_code(code: str, value: dt.date) -> str:
    def token(m: re.Match[str]) -> str:
        t = m.group(0).lower()
        if t == "yyyy":
            return f"{value.year:04d}"
        if t == "yy":
            return f"{value.year % 100:02d}"
        if t in ("mm", "m"):
            return f"{value.month:02d}" if t == "mm" else str(value.month)
        if t in ("dd", "d"):
            return f"{value.day:02d}" if t == "dd" else str(value.day)
        return m.group(0)

    return _DATE_TOKENS.sub(token, code)
