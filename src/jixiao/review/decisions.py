"""Review decisions: what a reviewer's accept / correct / source-wrong / undo does.

Decisions are appended to the store (who, when, old, new, comment) and never edited;
each one is applied in the same transaction as its audit row (`Store.edit_document`),
so a refused or failing decision leaves no trace and two reviewers deciding at the same
moment both land. A correction changes the value in the stored record and re-runs the
verifier on that document, so flags that depended on the old value update. A flag is
addressed by a stable key (check + the facts it names), because re-verification
renumbers flags; the verifier carries a reviewer's verdict over to the same finding.

Versions are per target: a target's version is the number of decisions made on it. A
page sends the version it showed; if someone decided on *that* target since, the
decision is refused with their change (`TargetConflict`), while decisions on other
flags of the same document go through. `undo` takes back the reviewer's own latest
decision on a target, unless someone decided on it after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from jixiao.errors import ReviewConflict
from jixiao.models import Record
from jixiao.review.values import (
    COMMENT_MAX,
    NAME_MAX,
    InputRefused,
    clean_text,
    parse_correction,
)
from jixiao.store.editing import decisions_in_force as effective_decisions
from jixiao.store.listing import Filters, open_flags

Action = Literal["accept", "correct", "source_wrong", "undo"]
ACTIONS: tuple[str, ...] = ("accept", "correct", "source_wrong", "undo")
#: indicator fields a reviewer may correct
INDICATOR_FIELDS = ("target_value", "actual_value", "weight", "score")
#: flag status each verdict sets
VERDICTS = {"accept": "accepted", "source_wrong": "source_wrong"}


class DecisionError(InputRefused):
    """A decision that cannot be applied; the message says what to do."""

    reason = "bad_decision"


class TargetConflict(ReviewConflict):
    """Someone decided on this very target since the page was read: `changes` says who
    did what, so the page can show it and keep what the reviewer typed."""

    def __init__(self, message: str, changes: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.changes = changes


@dataclass
class Decision:
    target_kind: Literal["fact", "indicator", "flag"]
    target_id: str
    action: Action
    reviewer: str
    new_value: str | float | None = None
    comment: str | None = None
    #: the target's version the page showed (None: do not check)
    expected_version: int | None = None
    #: a correction made from a flag card: that flag's key and the version shown, so a
    #: correction of a finding someone has just decided is refused too
    flag_key: str | None = None
    flag_version: int | None = None


@dataclass(frozen=True)
class Applied:
    decision_id: int
    document_version: int
    target_version: int


def target_key(kind: str, target_id: str) -> str:
    return f"{kind}:{target_id}"


def _set_value(record: Record, kind: str, target_id: str, raw: Any) -> tuple[Any, float]:
    """Apply a correction; returns (old value, new value)."""
    if kind == "fact":
        for fact in record.facts:
            if fact.id == target_id:
                new = parse_correction(str(raw), fact.unit) if not isinstance(raw, float) else raw
                old = fact.value
                fact.value, fact.origin, fact.decimals = new, "review", _decimals_of(new)
                return old, new
        raise DecisionError(f"no fact {target_id}", "error_no_target", target=target_id)
    if kind == "indicator":
        row_id, _, field = target_id.partition(":")
        if field not in INDICATOR_FIELDS:
            raise DecisionError(
                f"indicator field {field!r} cannot be corrected", "error_only_values"
            )
        for row in record.indicators:
            if row.id == row_id:
                new = parse_correction(str(raw), row.unit) if not isinstance(raw, float) else raw
                old = getattr(row, field)
                setattr(row, field, new)
                return old, new
        raise DecisionError(f"no indicator row {row_id}", "error_no_target", target=row_id)
    raise DecisionError("only values can be corrected", "error_only_values")


def _decimals_of(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _set_status(record: Record, key: str, status: str) -> str:
    for flag in record.flags:
        if flag.key == key:
            old = flag.status
            flag.status = status  # type: ignore[assignment]
            return old
    raise DecisionError("this flag is no longer raised", "error_flag_gone")


def _conflict(history: list[dict], expected: int) -> TargetConflict:
    changes = history[expected:] if expected <= len(history) else history
    return TargetConflict(
        "someone else decided on this since you opened it; reload to see their change",
        changes,
    )


def decide(store: Any, doc_id: int, decision: Decision) -> Applied:
    """Check, apply and record one decision, in one transaction."""
    from jixiao.verify.reverify import reverify

    if decision.action not in ACTIONS:
        raise DecisionError(
            f"unknown action {decision.action!r}", "error_unknown_action", action=decision.action
        )
    reviewer = clean_text(decision.reviewer, field="reviewer name", limit=NAME_MAX)
    if not reviewer:
        raise DecisionError("enter your name before deciding", "error_reviewer_missing")
    comment = clean_text(decision.comment, field="comment", limit=COMMENT_MAX) or None
    kind, target = decision.target_kind, decision.target_id
    with store.edit_document(doc_id) as edit:
        history = edit.history(kind, target)
        if decision.expected_version is not None and len(history) != decision.expected_version:
            raise _conflict(history, decision.expected_version)
        if decision.flag_key and decision.flag_version is not None and kind != "flag":
            flag_history = edit.history("flag", decision.flag_key)
            if len(flag_history) != decision.flag_version:
                raise _conflict(flag_history, decision.flag_version)
        record: Record = edit.record
        if decision.action == "undo":
            old, new = _undo(record, edit.text, kind, target, history, reviewer, reverify)
        elif decision.action == "correct":
            old, new = _set_value(record, kind, target, decision.new_value)
            edit.record = reverify(record, edit.text)
        elif kind == "flag":
            old, new = _set_status(record, target, VERDICTS[decision.action]), decision.action
        else:
            # a verdict on a value (from the API): recorded; exports mark the value
            old, new = None, decision.action
        decision_id = edit.add_decision(
            target_kind=kind,
            target_id=target,
            action=decision.action,
            old_value=old,
            new_value=new,
            reviewer=reviewer,
            comment=comment,
        )
        version = edit.save()
    return Applied(decision_id, version, len(history) + 1)


def _undo(
    record: Record, text: str, kind: str, target: str, history: list[dict], reviewer: str, reverify
) -> tuple[Any, Any]:
    """Take back `reviewer`'s latest decision in force on the target."""
    in_force = effective_decisions(history).get((kind, target))
    if in_force is None:
        raise DecisionError("nothing of yours to undo here", "error_nothing_to_undo")
    if in_force["reviewer"] != reviewer:
        raise DecisionError(
            f"{in_force['reviewer']} changed this after you",
            "error_undo_other",
            reviewer=in_force["reviewer"],
        )
    if in_force["action"] == "correct":
        restored = in_force["old_value"]
        current, _ = _set_value(record, kind, target, float(restored))
        if kind == "fact":
            fact = next(f for f in record.facts if f.id == target)
            fact.origin = "llm" if record.run.backend == "llm" else "rules"
            fact.decimals = _decimals_of(fact.value)
        reverify(record, text)
        return current, restored
    if kind == "flag":
        previous = (
            in_force["old_value"] if in_force["old_value"] in ("open", "accepted") else "open"
        )
        return _set_status(record, target, previous), previous
    return in_force["action"], None


def target_versions(store: Any, doc_id: int) -> dict[str, int]:
    """`kind:id` → the target's version (how many decisions were made on it)."""
    counts: dict[str, int] = {}
    for d in store.decisions(doc_id):
        if d["action"] != "skip":
            key = target_key(d["target_kind"], d["target_id"])
            counts[key] = counts.get(key, 0) + 1
    return counts


def in_force(store: Any, doc_id: int) -> dict[str, dict]:
    """`kind:id` → the decision in force on it (undos taken into account)."""
    return {
        target_key(kind, target): d
        for (kind, target), d in effective_decisions(store.decisions(doc_id)).items()
    }


def bulk_accept(
    store: Any, filters: Filters, reviewer: str, *, expected: int, limit: int = 20_000
) -> int:
    """Accept every open flag matching `filters`: one audit row each, one transaction
    per document. `expected` is the count the reviewer confirmed; if the set changed
    since, nothing is accepted (`TargetConflict` with no changes)."""
    reviewer = clean_text(reviewer, field="reviewer name", limit=NAME_MAX)
    if not reviewer:
        raise DecisionError("enter your name before deciding", "error_reviewer_missing")
    with store.listing() as conn:
        matching = open_flags(conn, filters, limit=limit + 1)
    if len(matching) != expected:
        raise TargetConflict(f"{len(matching)} flags match now, not {expected}", [])
    by_document: dict[int, list[str]] = {}
    for flag in matching:
        by_document.setdefault(flag["document_id"], []).append(flag["flag_key"])
    accepted = 0
    for doc_id, keys in by_document.items():
        with store.edit_document(doc_id) as edit:
            by_key = {f.key: f for f in edit.record.flags}
            for key in keys:
                found = by_key.get(key)
                if found is None or found.status != "open":
                    continue  # decided meanwhile by someone else: theirs stands
                found.status = "accepted"
                edit.add_decision(
                    target_kind="flag",
                    target_id=key,
                    action="accept",
                    old_value="open",
                    new_value="accept",
                    reviewer=reviewer,
                    comment=None,
                )
                accepted += 1
            edit.save()
    return accepted
