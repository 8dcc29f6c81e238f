"""Comparisons a 说明 passage makes with its own figures: the sentence is the reading.

The forms have the 情况说明 compare each figure with another in one passage: "年初预算为
158.69万元，支出决算为164.24万元，完成年初预算的103.48%。决算数大于预算数的主要原因…"
(部门决算), "2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数
减少57.14%。主要原因是：项目调整。" (部门预算). Both figures, the rate, the direction
word and the reason are the passage's own, so they are the same quantity by
construction, whatever the reading made of the rest of the document: the checks of
`arithmetic/rates.py` and `wording/numbers.py` hold the passage to its own words. The
cue words are data (`verification.yaml`, claims).

A passage is an item of the 说明: from a line that opens an item ("1、", "（二）") to the
next one, wrapped lines included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from jixiao.verify.text import lines, opens_item, sentence_bounds
from jixiao.verify.vocabulary import ClaimWords, load_vocabulary

#: a short line without a sentence mark: a heading, not part of a passage
_HEADING_CHARS = 20


@dataclass(frozen=True)
class Amount:
    value: float
    decimals: int
    start: int
    end: int

    @property
    def shown(self) -> str:
        return f"{self.value:.{self.decimals}f}"


@dataclass
class Claim:
    """One comparison of a passage: base and value, and what the passage says of them."""

    base: Amount
    value: Amount
    #: the item's own figure stated before the comparison (”科目43.83万元), if any
    head: Amount | None = None
    #: "completion" (完成预算的 X%) or "change" (增加 X%), the rate and its span
    rate_kind: str | None = None
    rate: float | None = None
    rate_decimals: int = 0
    rate_span: tuple[int, int] | None = None
    #: the direction word of a change clause (增加, 减少, 持平) and its span
    direction: str | None = None
    direction_span: tuple[int, int] | None = None
    #: 决算数大于预算数: the word and its span
    comparison: str | None = None
    comparison_span: tuple[int, int] | None = None
    #: a reason saying which way the item's funds went (…经费增加)
    reason: str | None = None
    reason_span: tuple[int, int] | None = None
    #: the passage
    start: int = 0
    end: int = 0


def passages(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every prose passage: an item with its wrapped lines."""
    start: int | None = None
    end = 0
    for line in lines(text):
        body = line.text.strip()
        is_row = "\t" in line.text
        heading = len(body) < _HEADING_CHARS and "。" not in body
        if is_row or not body or heading or opens_item(line.text):
            if start is not None:
                yield start, end
            start = None if (is_row or not body or heading) else line.start
        elif start is None:
            start = line.start
        end = line.end
        if is_row or heading:
            start = None
    if start is not None:
        yield start, end


def _amount(match: re.Match[str], name: str) -> Amount:
    printed = match.group(f"{name}_amount")
    factor = load_vocabulary().units[match.group(f"{name}_unit")]
    value = float(re.sub(r"[,，]", "", printed)) * factor
    decimals = len(match.group(f"{name}_dec") or "")
    if match.group(f"{name}_unit") == "元":
        decimals += 4
    return Amount(value, decimals, match.start(f"{name}_amount"), match.end(f"{name}_amount"))


def claims_in(text: str, start: int, end: int, words: ClaimWords) -> list[Claim]:
    """The comparisons of one passage, in order: each base with the value that follows it,
    or with the item's own figure before it when none follows (”58.28万元，上年:421.23万元)."""
    found: list[Claim] = []
    head: Amount | None = None
    base: Amount | None = None
    for match in words.cue.finditer(text, start, end):
        kind = next(k for k in ("base", "value", "head") if match.group(k) is not None)
        amount = _amount(match, kind)
        if kind == "head":
            head = head or amount
        elif kind == "base":
            if base is not None and head is not None:
                found.append(Claim(base, head, head, start=start, end=end))
            base = amount
        elif base is not None:
            found.append(Claim(base, amount, head, start=start, end=end))
            base = None
    if base is not None and head is not None and head.start < base.start:
        found.append(Claim(base, head, head, start=start, end=end))
    found.sort(key=lambda c: c.base.start)
    for n, claim in enumerate(found):
        limit = found[n + 1].base.start if n + 1 < len(found) else end
        at = max(claim.value.end, claim.base.end)
        _describe(text, claim, at, limit, words)
    return found


def _describe(text: str, claim: Claim, at: int, limit: int, words: ClaimWords) -> None:
    """The rate, direction, comparison and reason stated after a claim's value. A rate
    and a change word belong to the claim in the sentence of its value; the comparison
    (决算数大于预算数) and the reason may follow later in the passage."""
    sentence_end = min(limit, sentence_bounds(text, at)[1])
    completion = words.completion.search(text, at, sentence_end)
    change = words.change.search(text, at, sentence_end)
    rate = min(
        (m for m in (completion, change) if m is not None), key=lambda m: m.start(), default=None
    )
    if rate is not None:
        claim.rate_kind = "completion" if rate is completion else "change"
        claim.rate = float(rate.group("rate"))
        claim.rate_decimals = len(rate.group("rdec") or "")
        claim.rate_span = (rate.start(), rate.end())
    if change is not None and claim.rate_kind != "completion":
        claim.direction, claim.direction_span = change.group("word"), change.span()
    elif (same := words.same.search(text, at, sentence_end)) is not None:
        claim.direction, claim.direction_span = same.group(), same.span()
    if (comparison := words.comparison.search(text, at, limit)) is not None:
        claim.comparison = comparison.group("word") or comparison.group("same")
        claim.comparison_span = comparison.span()
    if (reason := words.reason.search(text, at, limit)) is not None:
        claim.reason, claim.reason_span = reason.group("word"), reason.span()


def document_claims(text: str) -> list[Claim]:
    words = load_vocabulary().claims
    return [c for start, end in passages(text) for c in claims_in(text, start, end, words)]
