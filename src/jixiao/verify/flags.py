"""Building flags: the placeholder id, the scope prefix in messages, and each side's place.

A flag says in one Chinese sentence what is wrong and where, and its `location` holds one
entry per side of the finding (the figure and the one it disagrees with; the quote of a
wording slip). `finish` fills what a check left out: locations from the facts a flag
names, and the severity: a finding one of whose readings is uncertain is at most a
warning, and it says which reading.
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.models import Flag, IndicatorRow, Location
from jixiao.verify.facts import doubt
from jixiao.verify.view import View
from jixiao.verify.vocabulary import Vocabulary

PLACEHOLDER_ID = "g?"
#: a quote in a message is cut to this many characters (the location keeps it whole)
QUOTE_CHARS = 60


def scope_prefix(scope: str) -> str:
    """Messages about a project name it first, so a reviewer knows which table to open."""
    if scope == "department":
        return ""
    if scope.startswith(("item:", "econ:")):
        return f"【{scope.partition(':')[2]}】"
    return f"【{scope}】"


def scope_en(scope: str) -> str:
    """The English message's scope prefix: the project's name as printed."""
    return "" if scope == "department" else f"[{scope}] "


def short(quote: str, limit: int = QUOTE_CHARS) -> str:
    """A quote for a message: one line, cut with an ellipsis."""
    flat = " ".join(quote.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


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
    location: Iterable[Location] = (),
) -> Flag:
    return Flag(
        id=PLACEHOLDER_ID,
        check=check,
        severity=severity,
        facts=list(dict.fromkeys(facts)),
        indicators=list(dict.fromkeys(indicators)),
        expected=None if expected is None else round(expected, 6),
        actual=None if actual is None else round(actual, 6),
        tolerance=None if tolerance is None else round(tolerance, 6),
        message=message,
        message_en=message_en,
        location=list(location),
    )


def row_ocr_confidence(row: IndicatorRow) -> float | None:
    """The lowest OCR confidence of an indicator row's text (its row and its cells)."""
    scores = [
        ev.ocr_confidence
        for ev in (row.evidence, *row.cells.values())
        if ev is not None and ev.ocr_confidence is not None
    ]
    return min(scores) if scores else None


def row_doubt(row: IndicatorRow, vocab: Vocabulary) -> str | None:
    """Why an indicator row's reading is uncertain (a scanned row read with low
    confidence), in words a reviewer reads; None when it is not."""
    ocr = row_ocr_confidence(row)
    if ocr is None or ocr >= vocab.ocr_min:
        return None
    name = row.level3 or row.level2 or row.level1 or row.id
    return f"指标“{short(name, 20)}”为 OCR 识别（置信度 {ocr:.2f}）"


def _with_ocr(location: Location, view: View, rows: dict[str, IndicatorRow]) -> None:
    """Each side's OCR confidence, from the fact or the indicator row it names."""
    if location.ocr_confidence is not None:
        return
    if location.fact is not None and location.fact in view.facts_by_id:
        location.ocr_confidence = view.facts_by_id[location.fact].evidence.ocr_confidence
    elif location.indicator is not None and location.indicator in rows:
        location.ocr_confidence = row_ocr_confidence(rows[location.indicator])


def finish(flags: list[Flag], view: View) -> list[Flag]:
    """Locations for flags that name facts but no place, severity by certainty, and one
    flag per finding (`_deduplicated`)."""
    rows_by_id = {r.id: r for r in view.record.indicators}
    for flag in flags:
        named = [view.facts_by_id[i] for i in flag.facts if i in view.facts_by_id]
        rows = [rows_by_id[i] for i in flag.indicators if i in rows_by_id]
        if not flag.location:
            found: list[Location | None] = [view.at_fact(f) for f in named]
            found += [_row_location(view, i) for i in flag.indicators[:2]]
            flag.location = [loc for loc in found if loc is not None]
        for location in flag.location:
            _with_ocr(location, view, rows_by_id)
        _with_pages(flag)
        if flag.severity != "error":
            continue
        doubts = [d for f in named if (d := doubt(f, view.vocab)) is not None]
        doubts += [d for r in rows if (d := row_doubt(r, view.vocab)) is not None]
        if doubts:
            flag.severity = "warning"
            flag.message = flag.message.rstrip("。") + f"（{doubts[0]}，请核对）"
    return _deduplicated(flags)


def _with_pages(flag: Flag) -> None:
    """A finding says where it is: the pages of its places lead a message that names none
    (an arithmetic slip names its figures, not where a reviewer finds them)."""
    if "页" in flag.message:
        return
    pages = sorted({loc.page for loc in flag.location if loc.page is not None})
    if pages:
        shown = "、".join(str(p) for p in pages[:3]) + ("等" if len(pages) > 3 else "")
        flag.message = f"第 {shown} 页：{flag.message}"


def _spans(flag: Flag) -> list[tuple[int, int]]:
    return [(loc.start, loc.end) for loc in flag.location if loc.start is not None and loc.end]


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x < w and v < y for x, y in a for v, w in b)


def _same_text(a: Flag, b: Flag) -> bool:
    """Two flags of one check on the same words at two places (a repeated passage)."""
    if a.check != b.check or not a.location or not b.location:
        return False
    if a.facts or b.facts or a.indicators or b.indicators:
        return False
    qa, qb = a.location[0].quote, b.location[0].quote
    return bool(qa) and qa == qb and a.location[0].start != b.location[0].start


def _deduplicated(flags: list[Flag]) -> list[Flag]:
    """One flag per finding: a flag of the same check whose every place overlaps the places
    of an earlier flag read from the text alone (a passage's rate checked from its words
    and again from its facts), and
    a range flag on a
    figure another flag already names (占比 101%: the share check says what it should be),
    are dropped."""
    kept: list[Flag] = []
    # a 说明 item told otherwise than its table line (read from the text, naming no fact)
    told = [f for f in flags if f.check in ("table_text", "cross_mention") and not f.facts]
    # a passage whose figures are a template's placeholders: their sums prove nothing more
    template = [f for f in flags if f.check == "unfilled_template"]
    for flag in flags:
        named = set(flag.facts)
        if flag.check in ("sum", "total") and any(
            _overlap(_spans(flag), _spans(other)) for other in told + template
        ):
            continue  # a part told otherwise than its table: that disagreement is the finding
        same = next((k for k in kept if _same_text(k, flag)), None)
        if same is not None:
            same.location += flag.location  # one passage printed twice: one finding
            continue
        if flag.check == "range" and any(
            named <= set(other.facts)
            for other in flags
            if other.check not in ("range", "grounding") and other.facts
        ):
            continue
        spans = _spans(flag)
        if spans and any(
            other.check == flag.check
            and not other.facts
            and all(any(a < d and c < b for c, d in _spans(other)) for a, b in spans)
            for other in kept
        ):
            continue
        prose = [
            (loc.start, loc.end)
            for loc in flag.location
            if loc.cell is None and loc.start is not None and loc.end
        ]
        if flag.facts and any(
            other.check == flag.check and not other.facts and _overlap(prose, _spans(other)[:1])
            for other in kept
        ):
            continue  # the text's figure against its table line, told once from the text
        kept.append(flag)
    return kept


def _row_location(view: View, row_id: str) -> Location | None:
    row = next((r for r in view.record.indicators if r.id == row_id), None)
    if row is None or row.evidence is None:
        return None
    ev = row.evidence
    return Location(
        indicator=row.id,
        page=ev.page if ev.page is not None else view.pages.at(ev.start),
        cell=ev.cell,
        quote=ev.quote,
        start=ev.start,
        end=ev.end,
        bbox=ev.bbox,
        ocr_confidence=row_ocr_confidence(row),
    )
