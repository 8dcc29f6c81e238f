"""The verifier: checks over one extracted record's figures and over its wording.

`verify_record` is a pure function of a `Record` (facts, indicators, projects, fiscal
year, kind) and the normalised document text. Two families read one `View` of the
document, built once: `arithmetic/` (sums, balances, shares, rates, changes, scores —
mostly driven by the taxonomy's relations, so a new relation is one YAML edit) and
`wording/` (years, names, template remnants, reasons, required and empty tables — their
vocabulary is `verification.yaml`). Tolerances come from printed precision
(`intervals.py`): an arithmetic check never fires on rounding alone. A check compares
only one quantity (concept, scope, year, stage); a finding one of whose readings is
uncertain is at most a warning that says so (`flags.finish`), and every flag carries the
place of each of its sides.

Flag conventions: `expected` is the figure the document states for the result (the
total, the share, the rate), `actual` the figure its operands give, `tolerance` the
half-widths of both intervals added. Ids are placeholders ("g?"); the pipeline numbers
them. Flags raised while extracting (completeness, extraction_error,
backend_disagreement) are not returned: `reverify.reverify` keeps those and replaces
only the verifier's, so re-verifying a stored record neither loses nor doubles them.
"""

from __future__ import annotations

from jixiao.models import Flag, Record
from jixiao.taxonomy import Taxonomy
from jixiao.verify import arithmetic, wording
from jixiao.verify.flags import finish
from jixiao.verify.grounding import check_grounding
from jixiao.verify.view import View

__all__ = ["verify_record"]


def verify_record(
    record: Record,
    text: str,
    taxonomy: Taxonomy | None = None,
    page_starts: list[tuple[int, int]] | None = None,
) -> list[Flag]:
    """The verifier's flags for a record: both families, then grounding of every quote.

    `page_starts` (the loader's (offset, page) pairs) places wording findings on their
    page; without it the pages of the record's own evidence are used.
    """
    view = View(record, text, taxonomy, page_starts)
    flags = [flag for check in (*arithmetic.CHECKS, *wording.CHECKS) for flag in check(view)]
    flags += check_grounding(record.facts, record.indicators, text)
    return _keep_resolutions(record.flags, finish(flags, view))


def _keep_resolutions(previous: list[Flag], flags: list[Flag]) -> list[Flag]:
    """A reviewer's verdict (accepted / source_wrong) stays on the same finding when it is
    raised again (`Flag.key`: flag ids and messages change on every re-verification)."""
    verdicts = {f.key: f.status for f in previous if f.status != "open"}
    for flag in flags:
        flag.status = verdicts.get(flag.key, flag.status)
    return flags
