"""The verifier: arithmetic, consistency and grounding checks over one extracted record.

`verify_record` is a pure function of a `Record` (facts, indicators, projects, fiscal
year) and the normalised document text. Each check family lives in its own module and
most are driven by the taxonomy's `relations`, so a new relation is one YAML edit.
Tolerances come from printed precision (`intervals.py`): a check never fires on
rounding alone and never stays silent on a real slip.

Flag conventions: `expected` is the figure the document states for the result (the
total, the share, the rate), `actual` the figure its operands give, `tolerance` the
half-widths of both intervals added. Ids are placeholders ("g?"); the pipeline numbers
them. Flags raised while extracting (completeness, extraction_error,
backend_disagreement) are not returned: `reverify.reverify` keeps those and replaces
only the verifier's, so re-verifying a stored record neither loses nor doubles them.
"""

from __future__ import annotations

from jixiao.models import Flag, Record
from jixiao.taxonomy import Taxonomy, load_taxonomy
from jixiao.verify.balances import check_balances
from jixiao.verify.codes import check_function_codes
from jixiao.verify.conflicted_sums import check_conflicted_sums
from jixiao.verify.cost_rows import check_cost_rows
from jixiao.verify.facts import FactIndex
from jixiao.verify.grounding import check_grounding
from jixiao.verify.mentions import check_mentions
from jixiao.verify.ranges import check_ranges, check_years
from jixiao.verify.ratios import check_ratios
from jixiao.verify.reasons import check_missing_reasons
from jixiao.verify.rubrics import check_rubric_weights
from jixiao.verify.scores import check_scores
from jixiao.verify.shares import check_shares
from jixiao.verify.sums import check_sums
from jixiao.verify.tables import check_duplicate_tables, check_empty_tables
from jixiao.verify.template import check_department_name, check_unfilled
from jixiao.verify.unit_rates import check_unit_rates
from jixiao.verify.yoy import check_yoy

__all__ = ["verify_record"]


def verify_record(record: Record, text: str, taxonomy: Taxonomy | None = None) -> list[Flag]:
    """The verifier's flags for a record, check family by check family."""
    index = FactIndex(record, taxonomy or load_taxonomy())
    flags = check_mentions(index)
    flags += check_sums(index)
    flags += check_balances(index)
    flags += check_conflicted_sums(index)
    flags += check_shares(index)
    flags += check_ratios(index)
    flags += check_yoy(index)
    flags += check_scores(index)
    flags += check_rubric_weights(record)
    flags += check_duplicate_tables(record)
    flags += check_unit_rates(index)
    flags += check_cost_rows(index)
    flags += check_ranges(index)
    flags += check_years(index, text)
    flags += check_grounding(record.facts, record.indicators, text)
    flags += check_function_codes(index.taxonomy, text)
    flags += check_unfilled(text)
    flags += check_department_name(record.department, text)
    flags += check_missing_reasons(record, text)
    flags += check_empty_tables(text)
    return _keep_resolutions(record.flags, flags)


def _keep_resolutions(previous: list[Flag], flags: list[Flag]) -> list[Flag]:
    """A reviewer's verdict (accepted / source_wrong) stays on the same finding when it is
    raised again (`Flag.key`: flag ids and messages change on every re-verification)."""
    verdicts = {f.key: f.status for f in previous if f.status != "open"}
    for flag in flags:
        flag.status = verdicts.get(flag.key, flag.status)
    return flags
