"""Review decisions: what a reviewer's accept / correct / source-wrong does to a record.

Decisions are appended to the store (who, when, old, new, comment) and never edited.
A correction changes the value in the stored record and re-runs the verifier on that
document, so flags that depended on the old value update. A flag is addressed by a
stable key (check + the facts it names), because re-verification renumbers flags; the
verifier carries a reviewer's verdict over to the same finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jixiao.errors import JixiaoError
from jixiao.models import Record

Action = Literal["accept", "correct", "source_wrong", "skip"]
ACTIONS: tuple[str, ...] = ("accept", "correct", "source_wrong", "skip")
#: indicator fields a reviewer may correct
INDICATOR_FIELDS = ("target_value", "actual_value", "weight", "score")


class DecisionError(JixiaoError):
    reason = "bad_decision"


@dataclass
class Decision:
    target_kind: Literal["fact", "indicator", "flag"]
    target_id: str
    action: Action
    new_value: float | None = None
    reviewer: str = ""
    comment: str | None = None


def _parse_value(raw: str | float | None) -> float:
    if raw is None or str(raw).strip() == "":
        raise DecisionError("a correction needs a new value: type the number as it should read")
    text = str(raw).strip().replace(",", "").replace("，", "")
    try:
        return float(text.rstrip("%万元"))
    except ValueError as exc:
        raise DecisionError(f"{raw!r} is not a number: type digits such as 416.54") from exc


def correct_value(
    record: Record, target_kind: str, target_id: str, new_value: float
) -> float | None:
    """Set the corrected value; return the old one."""
    if target_kind == "fact":
        for fact in record.facts:
            if fact.id == target_id:
                old = fact.value
                fact.value = new_value
                fact.origin = "review"
                fact.decimals = _decimals_of(new_value)
                return old
        raise DecisionError(f"no fact {target_id} in this document: reload the page")
    if target_kind == "indicator":
        row_id, _, field = target_id.partition(":")
        if field not in INDICATOR_FIELDS:
            raise DecisionError(f"indicator field {field!r} cannot be corrected here")
        for row in record.indicators:
            if row.id == row_id:
                old = getattr(row, field)
                setattr(row, field, new_value)
                return old
        raise DecisionError(f"no indicator row {row_id} in this document: reload the page")
    raise DecisionError("only facts and indicator values can be corrected; flags are accepted")


def _decimals_of(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def set_flag_status(record: Record, key: str, status: str) -> None:
    """Give the flag with this key the reviewer's verdict (re-verification carries it on)."""
    for flag in record.flags:
        if flag.key == key:
            flag.status = status  # type: ignore[assignment]
            return
    raise DecisionError("this flag is no longer raised (the document changed): reload the page")


def decide(store, doc_id: int, decision: Decision, *, expected_version: int | None) -> int:
    """Record a decision and apply it; return the document's new version.

    Raises `ReviewConflict` (from the store) when someone else changed the document
    since `expected_version` was read, so nobody silently overwrites another reviewer.
    """
    from jixiao.verify.reverify import reverify

    if decision.action not in ACTIONS:
        raise DecisionError(f"unknown action {decision.action!r}")
    if not decision.reviewer.strip():
        raise DecisionError("enter your name before deciding: every decision records who made it")
    stored = store.get_document(doc_id)
    record: Record = stored.record
    if expected_version is not None and stored.version != expected_version:
        from jixiao.errors import ReviewConflict

        raise ReviewConflict(
            "someone else changed this document since you opened it; reload to see their change"
        )
    version = stored.version
    old_value: float | str | None = None
    new_value: float | str | None = None
    if decision.action == "correct":
        new_value = _parse_value(decision.new_value)
        old_value = correct_value(record, decision.target_kind, decision.target_id, new_value)
        record = reverify(record, store.document_text(doc_id))
    elif decision.target_kind == "flag" and decision.action in ("accept", "source_wrong"):
        old_value, new_value = "open", decision.action
        status = "accepted" if decision.action == "accept" else "source_wrong"
        set_flag_status(record, decision.target_id, status)
    if decision.action != "skip":
        store.add_decision(
            doc_id,
            target_kind=decision.target_kind,
            target_id=decision.target_id,
            action=decision.action,
            old_value=old_value,
            new_value=new_value,
            reviewer=decision.reviewer.strip(),
            comment=decision.comment,
        )
        version = store.update_record(doc_id, record, expected_version=stored.version)
    return version
