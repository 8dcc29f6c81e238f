"""Reviewers deciding at the same moment: nothing is lost (PostgreSQL row locks, SQLite
serial writers), and a decision on the very same flag is refused, not overwritten."""

from __future__ import annotations

import threading

from jixiao.review.decisions import Decision, TargetConflict, decide
from jixiao.store import Store
from test_review_defects import _two_flag_url


def _at_once(*calls) -> list[object]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # collected for the assertion
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def _deciding(url: str, key: str, action: str, reviewer: str, version: int):
    """A call deciding on one flag through a store of its own (one reviewer's server)."""
    decision = Decision("flag", key, action, reviewer=reviewer, expected_version=version)
    return lambda: decide(Store(url), 1, decision)


def test_two_reviewers_deciding_different_flags_at_once_lose_nothing(db_url: str) -> None:
    url = _two_flag_url(db_url)
    keys = [f.key for f in Store(url).get_document(1).record.flags if f.check == "sum"]
    for n in range(5):
        version = 2 * n  # each round adds a decision and its undo to each flag
        results = _at_once(
            _deciding(url, keys[0], "accept", "王审核", version),
            _deciding(url, keys[1], "source_wrong", "李审核", version),
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        statuses = {f.key: f.status for f in Store(url).get_document(1).record.flags}
        assert (statuses[keys[0]], statuses[keys[1]]) == ("accepted", "source_wrong")
        _at_once(
            _deciding(url, keys[0], "undo", "王审核", version + 1),
            _deciding(url, keys[1], "undo", "李审核", version + 1),
        )
        statuses = {f.key: f.status for f in Store(url).get_document(1).record.flags}
        assert (statuses[keys[0]], statuses[keys[1]]) == ("open", "open")
    assert len(Store(url).decisions(1)) == 5 * 4


def test_two_reviewers_deciding_the_same_flag_at_once_one_wins_one_is_told(
    db_url: str,
) -> None:
    url = _two_flag_url(db_url)
    key = next(f.key for f in Store(url).get_document(1).record.flags if f.check == "sum")
    results = _at_once(
        lambda: decide(Store(url), 1, Decision("flag", key, "accept", "王", expected_version=0)),
        lambda: decide(
            Store(url), 1, Decision("flag", key, "source_wrong", "李", expected_version=0)
        ),
    )
    assert sum(isinstance(r, TargetConflict) for r in results) == 1
    (decision,) = Store(url).decisions(1)
    loser = next(r for r in results if isinstance(r, TargetConflict))
    assert [c["reviewer"] for c in loser.changes] == [decision["reviewer"]]
