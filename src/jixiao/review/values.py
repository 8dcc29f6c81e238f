"""What a reviewer types, checked before anything is stored.

A corrected value must be a plain finite number in the unit the value is shown in:
full-width digits from a Chinese IME (１２３．４) are folded to ASCII, thousands
separators are accepted only where they group thousands (1,234.5), and a unit suffix
only when it is the value's own unit (12% for a percentage). Everything else — nan,
inf, 1e309, 1,2,3, digits of other scripts, 12% for a value in 万元 — is refused with
a reason, never guessed at. Names and comments must be text: no NUL or other control
characters, no undecodable bytes, and a bounded length.
"""

from __future__ import annotations

import math
import re
import unicodedata

from jixiao.errors import JixiaoError

#: longest comment and reviewer name a decision stores
COMMENT_MAX = 2000
NAME_MAX = 100
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
#: control characters other than tab and newline, and U+FFFD (what undecodable bytes
#: turn into when a form is read)
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")
_UNITS = ("万元", "元", "%", "％", "亿元", "千元")


class InputRefused(JixiaoError):
    """What a reviewer typed cannot be stored; the message says what to type instead."""

    reason = "bad_input"

    def __init__(self, message: str, key: str, **params: object) -> None:
        super().__init__(message)
        #: the message's key in the interface's catalogue, and its parameters
        self.key = key
        self.params = params


def parse_correction(raw: str | None, unit: str | None) -> float:
    """The number a reviewer typed for a value shown in `unit`."""
    text = unicodedata.normalize("NFKC", (raw or "")).strip().replace(" ", "")
    if not text:
        raise InputRefused(
            "a correction needs a new value: type the number as it should read", "value_missing"
        )
    for suffix in sorted(_UNITS, key=len, reverse=True):
        if text.endswith(suffix):
            if unicodedata.normalize("NFKC", suffix) != unicodedata.normalize("NFKC", unit or ""):
                raise InputRefused(
                    f"{raw!r}: type the number alone, in {unit or 'the value’s unit'}",
                    "value_unit",
                    raw=raw,
                    unit=unit or "",
                )
            text = text[: -len(suffix)]
            break
    if not _NUMBER.match(text) or not text.isascii():
        raise InputRefused(
            f"{raw!r} is not a number: type digits such as 416.54 or 1,234.50",
            "value_not_number",
            raw=raw,
        )
    value = float(text.replace(",", ""))
    if not math.isfinite(value) or len(text.replace(",", "").lstrip("+-").replace(".", "")) > 15:
        raise InputRefused(
            f"{raw!r} is too long a number to store exactly", "value_too_long", raw=raw
        )
    return value


def clean_text(raw: str | None, *, field: str, limit: int) -> str:
    """A name or comment as it will be stored (stripped), or `InputRefused`."""
    text = (raw or "").strip()
    if _BAD_CHARS.search(text):
        raise InputRefused(
            f"the {field} contains control characters or bytes that are not UTF-8 text: retype it",
            "text_bad_chars",
            field=field,
        )
    if len(text) > limit:
        raise InputRefused(
            f"the {field} is {len(text)} characters long; at most {limit} are kept: shorten it",
            "text_too_long",
            field=field,
            length=len(text),
            limit=limit,
        )
    return text
