"""Grounding: each value's quote occurs in the source at its offsets and shows the value.

A value nobody can find in the document is a value nobody can review. Three failures,
from worst: the quote is nowhere in the text (error); the quote is in the text but
not at the stated offsets (warning: the evidence link is broken, the value may be
fine); the quote does not print the value, or the value does not match what is
printed (error: the extractor read the wrong number or unit).
"""

from __future__ import annotations

import re

from jixiao.models import Evidence, Fact, Flag, IndicatorRow
from jixiao.verify.flags import make_flag

_NUMBER = re.compile(r"\d[\d,，]*(?:\.\d+)?")
#: ways a printed number becomes the stored value: as is, 元→万元, 亿→万元, sign of a decrease
_SCALES = (1.0, 1e-4, 1e4, 1e-3, 1e-1)


def check_grounding(facts: list[Fact], indicators: list[IndicatorRow], text: str) -> list[Flag]:
    flags = [f for fact in facts if (f := _fact(fact, text)) is not None]
    for row in indicators:
        for field, evidence in [("row", row.evidence), *row.cells.items()]:
            if evidence is not None and (f := _located(evidence, text, [], [row.id], field)):
                flags.append(f)
    return flags


def _digits(s: str) -> str:
    return re.sub(r"[,，\s]", "", s)


def _located(
    evidence: Evidence, text: str, facts: list[str], rows: list[str], what: str
) -> Flag | None:
    quote = evidence.quote
    if text[evidence.start : evidence.end] == quote:
        return None
    short = quote if len(quote) <= 40 else quote[:40] + "…"
    if quote and quote in text:
        found = text.find(quote)
        return make_flag(
            "grounding",
            f"{what}的原文“{short}”在源文件中的位置有误（记为 {evidence.start}，实为 {found}）",
            f"{what}: quote found at offset {found}, not at {evidence.start}",
            facts=facts,
            indicators=rows,
            severity="warning",
        )
    return make_flag(
        "grounding",
        f"{what}的原文“{short}”在源文件中找不到",
        f"{what}: quote not found in the source text",
        facts=facts,
        indicators=rows,
    )


def _fact(fact: Fact, text: str) -> Flag | None:
    located = _located(fact.evidence, text, [fact.id], [], f"数值 {fact.text}")
    if located is not None and located.severity == "error":
        return located
    printed = _NUMBER.search(fact.text or "")
    if printed is None or fact.origin == "review":
        return located  # a reviewer's correction differs from the print on purpose
    if _digits(printed.group()) not in _digits(fact.evidence.quote):
        return make_flag(
            "grounding",
            f"原文“{fact.evidence.quote[:40]}”中没有数值 {fact.text}",
            f"the quote does not contain the value {fact.text}",
            facts=[fact.id],
            actual=fact.value,
        )
    number = float(_digits(printed.group()))
    if not any(_close(abs(fact.value), number * s) for s in _SCALES):
        return make_flag(
            "grounding",
            f"数值 {fact.value:g}{fact.unit} 与原文所印“{fact.text}”不符",
            f"stored value {fact.value:g} {fact.unit} does not match the printed {fact.text}",
            facts=[fact.id],
            expected=number,
            actual=fact.value,
        )
    return located


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))
