"""Flatten a `Record` into the rows of the facts, indicators, flags and projects tables.

The record JSON stays the source of truth; these rows exist so SQL users can query
values without parsing JSON, and they are always rewritten from the record.
"""

from __future__ import annotations

from typing import Any

from jixiao.models import Evidence, Fact, Flag, IndicatorRow, Project, Record

Row = dict[str, Any]


def evidence_columns(evidence: Evidence | None) -> Row:
    """The flattened evidence columns (all None when a value has no evidence)."""
    if evidence is None:
        return dict.fromkeys(
            ("quote", "quote_start", "quote_end", "page", "cell_table", "cell_row", "cell_col")
        )
    cell = evidence.cell
    return {
        "quote": evidence.quote,
        "quote_start": evidence.start,
        "quote_end": evidence.end,
        "page": evidence.page,
        "cell_table": cell.table if cell else None,
        "cell_row": cell.row if cell else None,
        "cell_col": cell.col if cell else None,
    }


def fact_row(fact: Fact) -> Row:
    return {
        "fact_id": fact.id,
        "concept": fact.concept,
        "scope": fact.scope,
        "year": fact.year,
        "value": fact.value,
        "unit": fact.unit,
        "text": fact.text,
        **evidence_columns(fact.evidence),
        "section": fact.section,
        "origin": fact.origin,
        "confidence": fact.confidence,
        "share_of": fact.of,
        "decimals": fact.decimals,
    }


def indicator_row(row: IndicatorRow) -> Row:
    return {
        "indicator_id": row.id,
        "scope": row.scope,
        "table_kind": row.table,
        "table_index": row.table_index,
        "level1": row.level1,
        "level2": row.level2,
        "level3": row.level3,
        "operator": row.operator,
        "target_text": row.target_text,
        "target_value": row.target_value,
        "unit": row.unit,
        "actual_text": row.actual_text,
        "actual_value": row.actual_value,
        "weight": row.weight,
        "score": row.score,
        "note": row.note,
        "achieved": row.achieved,
        **evidence_columns(row.evidence),
    }


def flag_row(flag: Flag) -> Row:
    return {
        "flag_id": flag.id,
        "check_name": flag.check,
        "severity": flag.severity,
        "facts": list(flag.facts),
        "indicators": list(flag.indicators),
        "expected": flag.expected,
        "actual": flag.actual,
        "tolerance": flag.tolerance,
        "message": flag.message,
        "message_en": flag.message_en,
        "status": flag.status,
    }


def project_row(project: Project) -> Row:
    return {
        "name": project.name,
        "code": project.code,
        "managing_department": project.managing_department,
        "implementing_unit": project.implementing_unit,
    }


def child_rows(record: Record) -> dict[str, list[Row]]:
    """Rows per child table name, without `document_id` (the caller adds it)."""
    return {
        "facts": [fact_row(f) for f in record.facts],
        "indicators": [indicator_row(r) for r in record.indicators],
        "flags": [flag_row(f) for f in record.flags],
        "projects": [project_row(p) for p in record.projects],
    }
