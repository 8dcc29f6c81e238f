"""Flatten a `Record` into the rows of the facts, indicators, flags and projects tables.

The record JSON stays the source of truth; these rows exist so SQL users can query
values without parsing JSON, and they are always rewritten from the record.
"""

from __future__ import annotations

from typing import Any

from jixiao.models import Evidence, Fact, Flag, IndicatorRow, Project, Record

Row = dict[str, Any]

EVIDENCE_COLUMNS = (
    "quote",
    "quote_start",
    "quote_end",
    "page",
    "cell_table",
    "cell_row",
    "cell_col",
    "bbox_x0",
    "bbox_top",
    "bbox_x1",
    "bbox_bottom",
    "ocr_confidence",
)


def evidence_columns(evidence: Evidence | None) -> Row:
    """The flattened evidence columns (all None when a value has no evidence)."""
    if evidence is None:
        return dict.fromkeys(EVIDENCE_COLUMNS)
    cell = evidence.cell
    box = evidence.bbox or (None, None, None, None)
    return {
        "quote": evidence.quote,
        "quote_start": evidence.start,
        "quote_end": evidence.end,
        "page": evidence.page,
        "cell_table": cell.table if cell else None,
        "cell_row": cell.row if cell else None,
        "cell_col": cell.col if cell else None,
        "bbox_x0": box[0],
        "bbox_top": box[1],
        "bbox_x1": box[2],
        "bbox_bottom": box[3],
        "ocr_confidence": evidence.ocr_confidence,
    }


def fact_row(fact: Fact) -> Row:
    unit = fact.unit_decision
    return {
        "fact_id": fact.id,
        "concept": fact.concept,
        "scope": fact.scope,
        "scope_label": fact.scope_label,
        "year": fact.year,
        "stage": fact.stage,
        "value": fact.value,
        "unit": fact.unit,
        "text": fact.text,
        **evidence_columns(fact.evidence),
        "section": fact.section,
        "origin": fact.origin,
        "confidence": fact.confidence,
        "share_of": fact.of,
        "decimals": fact.decimals,
        "unit_basis": unit.basis if unit else None,
        "unit_printed": unit.unit if unit else None,
        "unit_factor": unit.factor if unit else None,
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


def flag_row(flag: Flag, confidence: float | None = None) -> Row:
    """`confidence`: the lowest confidence of the facts the flag names (see `child_rows`)."""
    return {
        "flag_id": flag.id,
        "check_name": flag.check,
        "severity": flag.severity,
        "family": flag.family,
        "flag_key": flag.key,
        "confidence": confidence,
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


def flag_confidence(flag: Flag, confidence: dict[str, float]) -> float | None:
    """The lowest confidence among the facts a flag names: how sure the reading it rests
    on is (None when it names no fact)."""
    named = [confidence[i] for i in flag.facts if i in confidence]
    return min(named) if named else None


def child_rows(record: Record) -> dict[str, list[Row]]:
    """Rows per child table name, without `document_id` (the caller adds it)."""
    confidence = {f.id: f.confidence for f in record.facts}
    return {
        "facts": [fact_row(f) for f in record.facts],
        "indicators": [indicator_row(r) for r in record.indicators],
        "flags": [flag_row(f, flag_confidence(f, confidence)) for f in record.flags],
        "projects": [project_row(p) for p in record.projects],
    }
