"""The exported tables and their columns, with one stable type per column.

Every format writes these columns in this order, so a researcher's script keeps
working whichever format they picked. Each row of a child table repeats the document
key (`KEY`), so a single table can be filtered by department or year without a join.
Types: int, float, str, bool, list (of strings), json (an object or list, written as
JSON text).
"""

from __future__ import annotations

Columns = tuple[tuple[str, str], ...]

#: the document key repeated on every row
KEY: Columns = (
    ("document_id", "int"),
    ("sha256", "str"),
    ("path", "str"),
    ("department", "str"),
    ("fiscal_year", "int"),
)

EVIDENCE: Columns = (
    ("quote", "str"),
    ("quote_start", "int"),
    ("quote_end", "int"),
    ("page", "int"),
    ("cell_table", "int"),
    ("cell_row", "int"),
    ("cell_col", "int"),
    # the quote's box on its page in PDF points, and the OCR confidence of scanned text
    ("bbox_x0", "float"),
    ("bbox_top", "float"),
    ("bbox_x1", "float"),
    ("bbox_bottom", "float"),
    ("ocr_confidence", "float"),
)

#: review state added to reviewable rows (facts, indicators)
REVIEW: Columns = (
    ("reviewed", "bool"),
    ("review_action", "str"),
    ("source_wrong", "bool"),
    ("reviewer", "str"),
    ("reviewed_at", "str"),
)

DOCUMENTS: Columns = (
    *KEY,
    ("backend", "str"),
    ("format", "str"),
    ("pages", "int"),
    ("status", "str"),
    ("error", "str"),
    ("document_kind", "str"),
    ("province", "str"),
    ("city", "str"),
    ("county", "str"),
    ("level", "str"),
    ("schema_version", "str"),
    ("model", "str"),
    ("prompt_version", "str"),
    ("tokens_in", "int"),
    ("tokens_out", "int"),
    ("seconds", "float"),
    #: 1-based pages read by OCR
    ("ocr_pages", "list"),
    ("n_facts", "int"),
    ("n_projects", "int"),
    ("n_indicators", "int"),
    ("n_flags", "int"),
    ("n_open_flags", "int"),
    ("conclusion", "str"),
    ("problems", "list"),
    ("suggestions", "list"),
    ("version", "int"),
    ("updated_at", "str"),
)

FACTS: Columns = (
    *KEY,
    ("fact_id", "str"),
    ("concept", "str"),
    ("scope", "str"),
    #: the printed name of a 功能分类 item or 经济分类 line (scope item:… / econ:…)
    ("scope_label", "str"),
    ("year", "int"),
    #: budget_initial, budget_adjusted, final, prior_final, prior_budget, target
    ("stage", "str"),
    ("value", "float"),
    ("unit", "str"),
    ("text", "str"),
    *EVIDENCE,
    ("section", "str"),
    ("origin", "str"),
    ("confidence", "float"),
    ("share_of", "str"),
    ("decimals", "int"),
    # how the unit was decided: basis (cell, table_header …), printed unit, factor to 万元
    ("unit_basis", "str"),
    ("unit_printed", "str"),
    ("unit_factor", "float"),
    ("original_value", "float"),
    *REVIEW,
)

PROJECTS: Columns = (
    *KEY,
    ("name", "str"),
    ("code", "str"),
    ("managing_department", "str"),
    ("implementing_unit", "str"),
)

INDICATORS: Columns = (
    *KEY,
    ("indicator_id", "str"),
    ("scope", "str"),
    ("table_kind", "str"),
    ("table_index", "int"),
    ("level1", "str"),
    ("level2", "str"),
    ("level3", "str"),
    ("operator", "str"),
    ("target_text", "str"),
    ("target_value", "float"),
    ("unit", "str"),
    ("actual_text", "str"),
    ("actual_value", "float"),
    ("weight", "float"),
    ("score", "float"),
    ("note", "str"),
    ("achieved", "bool"),
    *EVIDENCE,
    #: JSON object of the fields a correction replaced, with their extracted values
    ("original_value", "str"),
    *REVIEW,
)

FLAGS: Columns = (
    *KEY,
    ("flag_id", "str"),
    ("check_name", "str"),
    ("severity", "str"),
    #: arithmetic, wording or extraction
    ("family", "str"),
    ("facts", "list"),
    ("indicators", "list"),
    ("expected", "float"),
    ("actual", "float"),
    ("tolerance", "float"),
    ("message", "str"),
    ("message_en", "str"),
    #: where each side of the finding is: [{fact, indicator, page, cell, quote, start, end,
    #: bbox}, …]
    ("location", "json"),
    ("status", "str"),
)

DECISIONS: Columns = (
    ("decision_id", "int"),
    *KEY,
    ("target_kind", "str"),
    ("target_id", "str"),
    ("action", "str"),
    ("old_value", "str"),
    ("new_value", "str"),
    ("reviewer", "str"),
    ("comment", "str"),
    ("created_at", "str"),
)

#: table name → columns, in the order the tables are written
TABLES: dict[str, Columns] = {
    "documents": DOCUMENTS,
    "facts": FACTS,
    "projects": PROJECTS,
    "indicators": INDICATORS,
    "flags": FLAGS,
}
AUDIT_TABLES: dict[str, Columns] = {"decisions": DECISIONS}
