"""Turn stored documents (and review decisions) into the rows of the exported tables.

Decisions are appended in the store, never edited; the one that counts for a value is
the latest that is not a `skip`. A `correct` replaces the value in the export and keeps
the extracted one in `original_value`; `source_wrong` keeps the value and marks it;
`accept` marks it reviewed. The store's record itself is left as it is. A decision
whose old value no longer matches the stored one (the document was extracted again) is
not applied. Target ids follow the review UI: `f3` for a fact, `i2:actual_value` for
one field of an indicator row (`i2` alone means its actual value).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from jixiao.models import Fact, Flag, IndicatorRow, Record
from jixiao.store import StoredDocument
from jixiao.store.rows import evidence_columns
from jixiao.store.rows import fact_row as stored_fact_row
from jixiao.store.rows import flag_row as stored_flag_row
from jixiao.store.store import iso

Row = dict[str, Any]
#: document id → (target kind, target id) → the decision that counts
Effective = dict[int, dict[tuple[str, str], dict]]

#: indicator fields a correction may replace; a bare number corrects `actual_value`
INDICATOR_FIELDS = frozenset(
    {
        "level1",
        "level2",
        "level3",
        "operator",
        "target_text",
        "target_value",
        "unit",
        "actual_text",
        "actual_value",
        "weight",
        "score",
        "note",
        "achieved",
    }
)


def effective_decisions(decisions: Iterable[dict]) -> Effective:
    """The latest non-skip decision per reviewed target (decisions come in id order)."""
    latest: Effective = {}
    for decision in sorted(decisions, key=lambda d: d["id"]):
        if decision["action"] == "skip":
            continue
        target = (decision["target_kind"], str(decision["target_id"]))
        latest.setdefault(decision["document_id"], {})[target] = decision
    return latest


def key_columns(doc: StoredDocument) -> Row:
    record = doc.record
    return {
        "document_id": doc.id,
        "sha256": doc.sha256,
        "path": doc.path,
        "department": record.department.name if record else None,
        "fiscal_year": record.fiscal_year if record else None,
    }


def document_row(doc: StoredDocument) -> Row:
    record = doc.record
    row: Row = {
        **key_columns(doc),
        "backend": doc.backend,
        "format": doc.format,
        "pages": doc.pages,
        "status": doc.status,
        "error": doc.error,
        "version": doc.version,
        "updated_at": iso(doc.updated_at),
    }
    if record is None:
        return row
    return {
        **row,
        "province": record.department.province,
        "city": record.department.city,
        "county": record.department.county,
        "level": record.department.level,
        "schema_version": record.schema_version,
        "model": record.run.model,
        "prompt_version": record.run.prompt_version,
        "tokens_in": record.run.tokens_in,
        "tokens_out": record.run.tokens_out,
        "seconds": record.run.seconds,
        "n_facts": len(record.facts),
        "n_projects": len(record.projects),
        "n_indicators": len(record.indicators),
        "n_flags": len(record.flags),
        "n_open_flags": sum(f.status == "open" for f in record.flags),
        "conclusion": record.narrative.conclusion,
        "problems": list(record.narrative.problems),
        "suggestions": list(record.narrative.suggestions),
    }


def _review_columns(decision: dict | None) -> Row:
    if decision is None:
        return {"reviewed": False, "review_action": None, "source_wrong": False}
    return {
        "reviewed": True,
        "review_action": decision["action"],
        "source_wrong": decision["action"] == "source_wrong",
        "reviewer": decision["reviewer"],
        "reviewed_at": decision["created_at"],
    }


def _number(value: Any, field: str) -> float | None:
    """A corrected number given bare or as `{field: number}`; None when not a number."""
    if isinstance(value, dict):
        value = value.get(field)
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def is_stale(decision: dict, current: Row, default_field: str) -> bool:
    """True when the value a decision was made on is no longer the one stored.

    Ids are renumbered when a document is extracted again, so `f3` may now be another
    fact; a decision whose recorded old value matches neither the current value nor its
    own new value (the review UI may have saved the correction already) is not applied.
    """
    old, new = decision["old_value"], decision["new_value"]
    fields = list(old) if isinstance(old, dict) else [default_field]
    for field in fields:
        if field not in current:
            continue
        before = _number(old, field) if isinstance(old, dict) else _number(old, default_field)
        if before is None:
            continue
        now = _number(current[field], field)
        after = _number(new, field) if isinstance(new, dict) else _number(new, default_field)
        if not (_same(now, before) or _same(now, after)):
            return True
    return False


def fact_row(key: Row, fact: Fact, decision: dict | None) -> Row:
    if decision is not None and is_stale(decision, {"value": fact.value}, "value"):
        decision = None
    row: Row = {
        **key,
        **stored_fact_row(fact),
        "original_value": fact.value,
        **_review_columns(decision),
    }
    if decision is not None and decision["action"] == "correct":
        corrected = _number(decision["new_value"], "value")
        if corrected is not None:
            before = _number(decision["old_value"], "value")
            row["original_value"] = before if before is not None else fact.value
            row["value"] = corrected
    return row


def _indicator_changes(field: str | None, new_value: Any) -> dict[str, Any]:
    """Fields a correction replaces: `{field: value}` objects, or one number for `field`."""
    if isinstance(new_value, dict):
        return {k: v for k, v in new_value.items() if k in INDICATOR_FIELDS}
    corrected = _number(new_value, field or "actual_value")
    return {} if corrected is None else {field or "actual_value": corrected}


def indicator_row(key: Row, indicator: IndicatorRow, decisions: dict[str | None, dict]) -> Row:
    """`decisions`: field → its decision (None: a decision on the whole row)."""
    current = indicator.model_dump()
    live = {
        field: d
        for field, d in decisions.items()
        if not is_stale(d, current, field or "actual_value")
    }
    latest = max(live.values(), key=lambda d: d["id"]) if live else None
    row: Row = {
        **key,
        "indicator_id": indicator.id,
        "scope": indicator.scope,
        "table_kind": indicator.table,
        "table_index": indicator.table_index,
        **{name: getattr(indicator, name) for name in sorted(INDICATOR_FIELDS)},
        **evidence_columns(indicator.evidence),
        "original_value": None,
        **_review_columns(latest),
    }
    row["source_wrong"] = any(d["action"] == "source_wrong" for d in live.values())
    original: dict[str, Any] = {}
    for field, decision in sorted(live.items(), key=lambda item: item[1]["id"]):
        if decision["action"] != "correct":
            continue
        for name, value in _indicator_changes(field, decision["new_value"]).items():
            before = decision["old_value"]
            before = before.get(name) if isinstance(before, dict) else before
            original.setdefault(name, before if before is not None else row[name])
            row[name] = value
    if original:
        row["original_value"] = json.dumps(original, ensure_ascii=False)
    return row


def flag_row(key: Row, flag: Flag) -> Row:
    """A flag as stored: its review status lives in the record (the review UI sets it by
    flag key, because re-verification renumbers flags), so no decision is applied here."""
    return {**key, **stored_flag_row(flag)}


def _indicator_decisions(effective: dict[tuple[str, str], dict]) -> dict[str, dict]:
    """Row id → {field → decision}; the review UI names a field as `i3:actual_value`."""
    grouped: dict[str, dict[str | None, dict]] = {}
    for (kind, target_id), decision in effective.items():
        if kind == "indicator":
            row_id, _, field = target_id.partition(":")
            grouped.setdefault(row_id, {})[field or None] = decision
    return grouped


def record_rows(doc: StoredDocument, effective: Effective) -> dict[str, list[Row]]:
    """Rows of every table for one document (only `documents` for a failure)."""
    rows: dict[str, list[Row]] = {"documents": [document_row(doc)]}
    record: Record | None = doc.record
    if record is None:
        return rows
    key = key_columns(doc)
    mine = effective.get(doc.id, {})
    by_row = _indicator_decisions(mine)
    rows["facts"] = [fact_row(key, f, mine.get(("fact", f.id))) for f in record.facts]
    rows["projects"] = [
        {
            **key,
            **p.model_dump(include={"name", "code", "managing_department", "implementing_unit"}),
        }
        for p in record.projects
    ]
    rows["indicators"] = [indicator_row(key, r, by_row.get(r.id, {})) for r in record.indicators]
    rows["flags"] = [flag_row(key, f) for f in record.flags]
    return rows


def decision_row(decision: dict, key: Row | None) -> Row:
    def as_json(value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    return {
        "decision_id": decision["id"],
        **(key or {"document_id": decision["document_id"]}),
        "target_kind": decision["target_kind"],
        "target_id": decision["target_id"],
        "action": decision["action"],
        "old_value": as_json(decision["old_value"]),
        "new_value": as_json(decision["new_value"]),
        "reviewer": decision["reviewer"],
        "comment": decision["comment"],
        "created_at": decision["created_at"],
    }
