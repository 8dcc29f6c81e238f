"""One reading of a decision history: the review, the export and the carry over to a
re-extraction agree on which decision is in force after corrections, skips and undos."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.export import export_store
from jixiao.review.decisions import Decision, decide, in_force
from jixiao.store import Store
from jixiao.store.editing import decisions_in_force
from review_support import TEXT, filled, slip_record


def _decision(n: int, action: str, target: str = "f1", doc: int = 1) -> dict:
    return {"id": n, "document_id": doc, "target_kind": "fact", "target_id": target,
            "action": action, "reviewer": "王审核"}  # fmt: skip


@pytest.mark.parametrize(
    ("actions", "in_force_index"),
    [
        (["correct"], 0),
        (["correct", "skip"], 0),
        (["correct", "accept", "undo"], 0),
        (["correct", "undo"], None),
        (["correct", "undo", "undo"], None),  # an undo with nothing left does nothing
        (["undo", "accept"], 1),
        (["accept", "correct", "undo", "source_wrong", "skip"], 3),
    ],
)
def test_the_decision_in_force(actions: list[str], in_force_index: int | None) -> None:
    history = [_decision(n, a) for n, a in enumerate(actions)]
    expected = None if in_force_index is None else history[in_force_index]
    assert decisions_in_force(reversed(history)).get(("fact", "f1")) == expected


def _fact(store_url: str, out: Path, fact_id: str) -> dict:
    export_store(Store(store_url), "jsonl", out)
    lines = (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    return next(row for row in map(json.loads, lines) if row["fact_id"] == fact_id)


def test_review_export_and_carry_agree_after_corrections_and_undos(
    db_url: str, tmp_path: Path
) -> None:
    url = filled(db_url)
    store = Store(url)

    def correct(value: str) -> None:
        decide(store, 1, Decision("fact", "f3", "correct", "王审核", new_value=value))

    def undo() -> None:
        decide(store, 1, Decision("fact", "f3", "undo", "王审核"))

    def agree(value: float, action: str | None, step: str) -> None:
        now = in_force(store, 1).get("fact:f3")
        assert (now and now["action"]) == action, step
        assert store.get_document(1).record.facts[2].value == value, step
        row = _fact(url, tmp_path / step, "f3")
        assert (row["value"], row["review_action"]) == (value, action), step
        store.save_record(slip_record("a"), TEXT)  # `extract --force`: read again, kept
        assert store.get_document(1).record.facts[2].value == value, step
        assert store.review_not_carried[1] == [], step

    correct("198.24")
    correct("199.24")
    agree(199.24, "correct", "two corrections")
    undo()
    agree(198.24, "correct", "the second undone")
    undo()
    agree(200.24, None, "both undone")
    store.close()
