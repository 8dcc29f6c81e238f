"""Building flags: one place for the placeholder id and the scope prefix in messages."""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.models import Flag

PLACEHOLDER_ID = "g?"


def scope_prefix(scope: str) -> str:
    """Messages about a project name it first, so a reviewer knows which table to open."""
    return "" if scope == "department" else f"【{scope}】"


def scope_en(scope: str) -> str:
    """The English message's scope prefix: the project's name as printed."""
    return "" if scope == "department" else f"[{scope}] "


def make_flag(
    check: str,
    message: str,
    message_en: str,
    *,
    facts: Iterable[str] = (),
    indicators: Iterable[str] = (),
    expected: float | None = None,
    actual: float | None = None,
    tolerance: float | None = None,
    severity: str = "error",
) -> Flag:
    return Flag(
        id=PLACEHOLDER_ID,
        check=check,  # type: ignore[arg-type]
        severity=severity,  # type: ignore[arg-type]
        facts=list(dict.fromkeys(facts)),
        indicators=list(dict.fromkeys(indicators)),
        expected=None if expected is None else round(expected, 6),
        actual=None if actual is None else round(actual, 6),
        tolerance=None if tolerance is None else round(tolerance, 6),
        message=message,
        message_en=message_en,
    )
