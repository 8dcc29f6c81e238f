"""Carry reviewers' work over when a reviewed document is extracted again (`--force`).

Re-extraction renumbers facts, rows and flags, so decisions are matched by what a value
*is*, not by its id: a fact by (concept, scope, year, stage, where its quote starts),
an indicator row by (scope, table, its three levels), a flag by its check and the
identities of what it names. A correction is carried when the new extraction reads the
same value the reviewer corrected (otherwise the reading changed, and the correction's
premise with it); the record is then re-verified and flag verdicts are carried to the
same findings. What could not be carried is returned, so the caller can say so.
"""

from __future__ import annotations

import math
from typing import Any

from jixiao.models import Fact, Flag, IndicatorRow, Record
from jixiao.store.editing import decision_stacks


def _fact_identity(fact: Fact) -> tuple:
    return (fact.concept, fact.scope, fact.year, fact.stage, fact.evidence.start)


def _row_identity(row: IndicatorRow) -> tuple:
    return (row.scope, row.table, row.table_index, row.level1, row.level2, row.level3)


def _flag_identity(flag: Flag, facts: dict[str, tuple], rows: dict[str, tuple]) -> tuple:
    named = sorted(str(facts.get(i, i)) for i in flag.facts)
    named += sorted(str(rows.get(i, i)) for i in flag.indicators)
    return (flag.check, tuple(named) or flag.key)


def _same(a: Any, b: Any) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def carry_review(
    previous: Record, new: Record, text: str, decisions: list[dict]
) -> tuple[Record, list[str]]:
    """`new` with the corrections and verdicts of `previous` applied; and what was not."""
    standing = decision_stacks(decisions)
    old_facts = {f.id: f for f in previous.facts}
    old_rows = {r.id: r for r in previous.indicators}
    new_facts = {_fact_identity(f): f for f in new.facts}
    new_rows = {_row_identity(r): r for r in new.indicators}
    lost: list[str] = []
    for (kind, target), stack in standing.items():
        corrections = [d for d in stack if d["action"] == "correct"]
        if not corrections:
            continue
        # the value as extracted is what the first standing correction changed; later
        # ones corrected a corrected value, and a verdict after them keeps it
        decision = {**corrections[-1], "old_value": corrections[0]["old_value"]}
        if kind == "fact" and target in old_facts:
            fact = new_facts.get(_fact_identity(old_facts[target]))
            if fact is not None and _same(fact.value, decision["old_value"]):
                corrected = old_facts[target]
                fact.value, fact.origin, fact.decimals = (
                    corrected.value,
                    "review",
                    corrected.decimals,
                )
                continue
        elif kind == "indicator":
            row_id, _, name = target.partition(":")
            old_row = old_rows.get(row_id)
            row = new_rows.get(_row_identity(old_row)) if old_row else None
            name = name or "actual_value"
            if row is not None and _same(getattr(row, name, None), decision["old_value"]):
                setattr(row, name, getattr(old_row, name))
                continue
        lost.append(f"{decision['action']} {kind} {target} by {decision['reviewer']}")
    new = _reverify(new, text)
    old_ids = {i: _fact_identity(f) for i, f in old_facts.items()}
    old_row_ids = {i: _row_identity(r) for i, r in old_rows.items()}
    verdicts = {
        _flag_identity(f, old_ids, old_row_ids): f.status
        for f in previous.flags
        if f.status != "open"
    }
    new_ids = {f.id: _fact_identity(f) for f in new.facts}
    new_row_ids = {r.id: _row_identity(r) for r in new.indicators}
    carried = set()
    for flag in new.flags:
        identity = _flag_identity(flag, new_ids, new_row_ids)
        if identity in verdicts:
            flag.status = verdicts[identity]
            carried.add(identity)
    for flag in previous.flags:
        identity = _flag_identity(flag, old_ids, old_row_ids)
        if flag.status != "open" and identity not in carried:
            lost.append(f"{flag.status} flag {flag.key}")
    return new, lost


def _reverify(record: Record, text: str) -> Record:
    """`verify.reverify`, imported when needed: opening a store does not load the verifier."""
    from jixiao.verify.reverify import reverify

    return reverify(record, text)
