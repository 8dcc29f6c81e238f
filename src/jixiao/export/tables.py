"""Turn a page of the store (documents, their rows, review decisions) into export rows.

Decisions are appended in the store, never edited; the one that counts for a value is
the latest that is not a `skip` (an `undo` takes back the one before it). A `correct`
replaces the value in the export and keeps the extracted one in `original_value`;
`source_wrong` keeps the value and marks it; `accept` marks it reviewed. The store's
record itself is left as it is. A decision whose old value no longer matches the stored
one (the document was extracted again) is not applied. Target ids follow the review
UI: `f3` for a fact, `i2:actual_value` for one field of an indicator row (`i2` alone
means its actual value).

Rows are built from the store's fact and indicator rows and from the small parts of
the record (`store.stream`), never from a parsed `Record`, so an export costs little
more than reading the tables.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from jixiao.models import family_of
from jixiao.store.editing import decisions_in_force
from jixiao.store.store import iso
from jixiao.store.stream import Page

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
    """The decision in force per reviewed target, per document (`decisions_in_force`,
    the store's one reading of a decision history, applied to each document's)."""
    by_document: dict[int, list[dict]] = {}
    for decision in decisions:
        by_document.setdefault(decision["document_id"], []).append(decision)
    return {doc: decisions_in_force(mine) for doc, mine in by_document.items()}


def key_columns(doc: Row) -> Row:
    """The document key every row repeats."""
    return {
        "document_id": doc["id"],
        "sha256": doc["sha256"],
        "path": doc["path"],
        "department": doc["department"],
        "fiscal_year": doc["fiscal_year"],
    }


def document_row(doc: Row, parts: dict[str, Any]) -> Row:
    row: Row = {
        **key_columns(doc),
        "backend": doc["backend"],
        "format": doc["format"],
        "pages": doc["pages"],
        "status": doc["status"],
        "error": doc["error"],
        "version": doc["version"],
        "updated_at": iso(doc["updated_at"]),
    }
    if doc["status"] != "ok" or not parts:
        return row
    department = parts.get("department") or {}
    run = parts.get("run") or {}
    narrative = parts.get("narrative") or {}
    source = parts.get("source") or {}
    return {
        **row,
        "document_kind": doc["document_kind"],
        "province": department.get("province"),
        "city": department.get("city"),
        "county": department.get("county"),
        "level": department.get("level"),
        "schema_version": parts.get("schema_version"),
        "model": run.get("model"),
        "prompt_version": run.get("prompt_version"),
        "tokens_in": run.get("tokens_in"),
        "tokens_out": run.get("tokens_out"),
        "seconds": run.get("seconds"),
        "ocr_pages": [str(p) for p in source.get("ocr_pages") or ()],
        "n_facts": doc["n_facts"],
        "n_projects": doc["n_projects"],
        "n_indicators": doc["n_indicators"],
        "n_flags": doc["n_flags"],
        "n_open_flags": doc["n_open"],
        "conclusion": narrative.get("conclusion"),
        "problems": list(narrative.get("problems") or ()),
        "suggestions": list(narrative.get("suggestions") or ()),
    }


def _review_columns(decision: dict | None) -> Row:
    if decision is None:
        return {"reviewed": False, "review_action": None, "source_wrong": False}
    return {
        "reviewed": True,
        "review_action": decision["action"],
        "source_wrong": decision["action"] == "source_wrong",
        "reviewer": decision["reviewer"],
        "reviewed_at": _when(decision["created_at"]),
    }


def _when(value: Any) -> str | None:
    """A decision's time as ISO 8601 (the store hands back datetimes)."""
    return value if value is None or isinstance(value, str) else iso(value)


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


def fact_row(key: Row, stored: Row, decision: dict | None) -> Row:
    """A stored fact row with its review state (and a correction applied)."""
    if decision is not None and is_stale(decision, {"value": stored["value"]}, "value"):
        decision = None
    row: Row = {**key, **stored, "original_value": stored["value"], **_review_columns(decision)}
    if decision is not None and decision["action"] == "correct":
        corrected = _number(decision["new_value"], "value")
        if corrected is not None:
            before = _number(decision["old_value"], "value")
            row["original_value"] = before if before is not None else stored["value"]
            row["value"] = corrected
    return row


def _indicator_changes(field: str | None, new_value: Any) -> dict[str, Any]:
    """Fields a correction replaces: `{field: value}` objects, or one number for `field`."""
    if isinstance(new_value, dict):
        return {k: v for k, v in new_value.items() if k in INDICATOR_FIELDS}
    corrected = _number(new_value, field or "actual_value")
    return {} if corrected is None else {field or "actual_value": corrected}


def indicator_row(key: Row, stored: Row, decisions: dict[str | None, dict]) -> Row:
    """`decisions`: field → its decision (None: a decision on the whole row)."""
    live = {
        field: d
        for field, d in decisions.items()
        if not is_stale(d, stored, field or "actual_value")
    }
    latest = max(live.values(), key=lambda d: d["id"]) if live else None
    row: Row = {**key, **stored, "original_value": None, **_review_columns(latest)}
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


def flag_row(key: Row, flag: dict[str, Any]) -> Row:
    """A flag of the record as stored: its review status lives in the record (the review
    UI sets it by flag key, because re-verification renumbers flags), so no decision is
    applied here."""
    return {
        **key,
        "flag_id": flag.get("id"),
        "check_name": flag.get("check"),
        "severity": flag.get("severity"),
        "family": flag.get("family") or family_of(str(flag.get("check"))),
        "facts": list(flag.get("facts") or ()),
        "indicators": list(flag.get("indicators") or ()),
        "expected": flag.get("expected"),
        "actual": flag.get("actual"),
        "tolerance": flag.get("tolerance"),
        "message": flag.get("message"),
        "message_en": flag.get("message_en"),
        "location": flag.get("location") or None,
        "status": flag.get("status"),
    }


def project_row(key: Row, project: dict[str, Any]) -> Row:
    return {
        **key,
        "name": project.get("name"),
        "code": project.get("code"),
        "managing_department": project.get("managing_department"),
        "implementing_unit": project.get("implementing_unit"),
    }


def _indicator_decisions(effective: dict[tuple[str, str], dict]) -> dict[str, dict]:
    """Row id → {field → decision}; the review UI names a field as `i3:actual_value`."""
    grouped: dict[str, dict[str | None, dict]] = {}
    for (kind, target_id), decision in effective.items():
        if kind == "indicator":
            row_id, _, field = target_id.partition(":")
            grouped.setdefault(row_id, {})[field or None] = decision
    return grouped


def page_rows(page: Page, effective: Effective) -> dict[str, list[Row]]:
    """Rows of every table for one page of documents (only `documents` for a failure)."""
    keys = {doc["id"]: key_columns(doc) for doc in page.documents}
    rows: dict[str, list[Row]] = {
        "documents": [document_row(doc, page.parts.get(doc["id"], {})) for doc in page.documents],
        "facts": [],
        "projects": [],
        "indicators": [],
        "flags": [],
    }
    for doc in page.documents:
        parts = page.parts.get(doc["id"]) or {}
        key = keys[doc["id"]]
        rows["projects"] += [project_row(key, p) for p in parts.get("projects") or ()]
        rows["flags"] += [flag_row(key, f) for f in parts.get("flags") or ()]
    by_row = {doc_id: _indicator_decisions(mine) for doc_id, mine in effective.items()}
    for fact in page.facts:
        doc_id = fact.pop("document_id")
        decision = effective.get(doc_id, {}).get(("fact", fact["fact_id"]))
        rows["facts"].append(fact_row(keys[doc_id], fact, decision))
    for indicator in page.indicators:
        doc_id = indicator.pop("document_id")
        decisions = by_row.get(doc_id, {}).get(indicator["indicator_id"], {})
        rows["indicators"].append(indicator_row(keys[doc_id], indicator, decisions))
    return rows


def decision_row(decision: dict) -> Row:
    """An audit row: the decision with its document's key (from `iter_decisions`)."""

    def as_json(value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    return {
        "decision_id": decision["id"],
        "document_id": decision["document_id"],
        "sha256": decision["sha256"],
        "path": decision["path"],
        "department": decision["department_name"],
        "fiscal_year": decision["fiscal_year"],
        "target_kind": decision["target_kind"],
        "target_id": decision["target_id"],
        "action": decision["action"],
        "old_value": as_json(decision["old_value"]),
        "new_value": as_json(decision["new_value"]),
        "reviewer": decision["reviewer"],
        "comment": decision["comment"],
        "created_at": _when(decision["created_at"]),
    }
