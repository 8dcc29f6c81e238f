"""Checks over the document's wording: years, names, template remnants, reasons, tables.

They read the view's text, its tables and title lines (and the facts where a sentence's
figures matter); their vocabulary is data in `verification.yaml`. The list below is the
family, run in this order; every check here is in `models.WORDING_CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.models import Flag
from jixiao.verify.view import View
from jixiao.verify.wording.codes import check_function_codes
from jixiao.verify.wording.duplicates import check_duplicate_tables
from jixiao.verify.wording.names import check_department_name, check_header_names
from jixiao.verify.wording.numbers import check_wording_numbers
from jixiao.verify.wording.placeholders import check_placeholder_figures
from jixiao.verify.wording.reasons import check_missing_reasons
from jixiao.verify.wording.tables import check_empty_tables, check_required_tables
from jixiao.verify.wording.template import check_unfilled
from jixiao.verify.wording.years import check_years

CHECKS: tuple[Callable[[View], list[Flag]], ...] = (
    check_duplicate_tables,
    check_years,
    check_function_codes,
    check_unfilled,
    check_placeholder_figures,
    check_department_name,
    check_header_names,
    check_missing_reasons,
    check_empty_tables,
    check_required_tables,
    check_wording_numbers,
)
