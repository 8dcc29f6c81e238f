"""One review edit of one document, as one transaction: the document row locked, its
record read, decisions appended and the changed record written together.

Two reviewers deciding at the same moment queue on the row lock (`SELECT … FOR UPDATE`
on PostgreSQL; SQLite's write transactions are serial already), so each one applies
its decision to the record as the other left it and nothing is lost. Optimistic
versions are per target (a fact, an indicator field, a flag): the number of decisions
made on it, so a decision on one flag never conflicts with a decision on another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from jixiao.errors import StoreError
from jixiao.models import Record
from jixiao.store import tables
from jixiao.store.writing import document_values, json_safe, replace_children

TARGET_KINDS = ("fact", "indicator", "flag")
#: `undo` takes back the reviewer's own latest decision on a target
ACTIONS = ("accept", "correct", "source_wrong", "skip", "undo")


def decision_stacks(decisions: Iterable[dict[str, Any]]) -> dict[tuple[str, str], list[dict]]:
    """The decisions still standing per target (target kind, target id) of one document,
    oldest first.

    The one reading of a decision history, used by the review, the export and the carry
    over to a re-extraction: decisions count in the order they were made (by id); a
    `skip` changes nothing; an `undo` takes back the latest decision still standing. A
    target whose every decision was undone has an empty list.
    """
    stacks: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for decision in sorted(decisions, key=lambda d: d["id"]):
        if decision["action"] == "skip":
            continue
        target = (decision["target_kind"], str(decision["target_id"]))
        stack = stacks.setdefault(target, [])
        if decision["action"] == "undo":
            if stack:
                stack.pop()
        else:
            stack.append(decision)
    return stacks


def decisions_in_force(decisions: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict]:
    """The decision in force per target: the latest still standing (`decision_stacks`)."""
    return {target: stack[-1] for target, stack in decision_stacks(decisions).items() if stack}


@dataclass
class DocumentEdit:
    """The document being edited; `record` may be changed in place, then `save()`d."""

    conn: sa.Connection
    doc_id: int
    version: int
    record: Record
    text: str
    saved: bool = field(default=False)

    def history(self, target_kind: str, target_id: str) -> list[dict[str, Any]]:
        """Every decision made on one target, oldest first (its version is their count)."""
        r = tables.review_decisions
        query = (
            sa.select(r)
            .where(
                r.c.document_id == self.doc_id,
                r.c.target_kind == target_kind,
                r.c.target_id == target_id,
                r.c.action != "skip",
            )
            .order_by(r.c.id)
        )
        return [dict(row._mapping) for row in self.conn.execute(query)]

    def add_decision(
        self,
        *,
        target_kind: str,
        target_id: str,
        action: str,
        old_value: Any,
        new_value: Any,
        reviewer: str,
        comment: str | None,
    ) -> int:
        return insert_decision(
            self.conn,
            self.doc_id,
            target_kind,
            target_id,
            action,
            old_value,
            new_value,
            reviewer,
            comment,
        )

    def save(self) -> int:
        """Write the (changed) record, its rows and summary; returns the new version."""
        d = tables.documents
        values = {**document_values(self.record), "updated_at": datetime.now(UTC)}
        values.pop("path")
        self.conn.execute(
            sa.update(d).where(d.c.id == self.doc_id).values(**values, version=d.c.version + 1)
        )
        replace_children(self.conn, self.doc_id, self.record)
        self.version += 1
        self.saved = True
        return self.version


def insert_decision(
    conn: sa.Connection,
    doc_id: int,
    target_kind: str,
    target_id: str,
    action: str,
    old_value: Any,
    new_value: Any,
    reviewer: str,
    comment: str | None,
) -> int:
    """Append one decision inside the caller's transaction, checked (the store refuses what
    the UI never sends); returns its id (the one insert both a review edit and
    `Store.add_decision` use)."""
    if target_kind not in TARGET_KINDS:
        raise StoreError(f"unknown target kind {target_kind!r}: use one of {TARGET_KINDS}")
    if action not in ACTIONS:
        raise StoreError(f"unknown review action {action!r}: use one of {ACTIONS}")
    if not reviewer or not reviewer.strip():
        raise StoreError("a review decision needs the reviewer's name")
    values = {
        "document_id": doc_id,
        "target_kind": target_kind,
        "target_id": target_id,
        "action": action,
        "old_value": json_safe(old_value),
        "new_value": json_safe(new_value),
        "reviewer": reviewer.strip(),
        "comment": comment,
        "created_at": datetime.now(UTC),
    }
    key = conn.execute(sa.insert(tables.review_decisions).values(values)).inserted_primary_key
    assert key is not None, "an INSERT returns the key it created"
    return int(key[0])
