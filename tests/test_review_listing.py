"""The overview, queue and API of a batch: paginated, filtered, sorted and counted in
the database from the per-document summary rows, which decisions keep up to date."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from jixiao.models import Flag, Record, Source
from jixiao.store import Store
from jixiao.store.listing import Filters, batch_counts, count_open, list_documents, open_flags
from review_support import TEXT, client, decide, slip_record

DEPARTMENTS = ("某县农业农村局", "某县教育局", "某市财政局")


@pytest.fixture
def batch(db_url: str) -> str:
    """12 documents: 9 with a sum slip over three departments and two years, two clean
    budgets, one failure."""
    store = Store(db_url)
    for i in range(9):
        record = slip_record(f"{i:x}", department=DEPARTMENTS[i % 3], year=2022 + i % 2)
        record.document_kind = "final_accounts"
        if i == 4:  # one uncertain reading
            record.facts[2].confidence = 0.6
            record.flags[0].severity = "warning"
        store.save_record(record, TEXT)
    for i in range(2):
        clean = Record(
            source=Source(path=f"budget-{i}.txt", sha256=f"c{i}" * 32, format="txt"),
            document_kind="budget",
            fiscal_year=2024,
        )
        clean.department.name = "某县教育局"
        store.save_record(clean, TEXT)
    store.save_failure(path="scan.pdf", sha256="f" * 64, backend="rules", reason="no_text_layer")
    store.close()
    return db_url


def _list(url: str, **filters) -> tuple[list[dict], int]:
    options = {
        k: filters.pop(k) for k in ("sort", "descending", "page", "per_page") if k in filters
    }
    with Store(url).listing() as conn:
        return list_documents(conn, Filters(**filters), **options)


def test_pages_cover_every_document_once_in_order(batch: str) -> None:
    seen = []
    for page in (1, 2, 3):
        rows, total = _list(batch, page=page, per_page=4)
        seen += [r["id"] for r in rows]
        assert total == 11  # OK documents; the failure is listed under state=failed
    assert seen == list(range(1, 12))


def test_filters_narrow_the_documents(batch: str) -> None:
    assert _list(batch, department="教育")[1] == 5
    assert _list(batch, year=2023)[1] == 4
    assert _list(batch, kind="budget")[1] == 2
    assert _list(batch, check="sum")[1] == 9
    assert _list(batch, check="sum", department="财政")[1] == 3
    assert _list(batch, severity="warning")[1] == 1
    assert _list(batch, max_confidence=0.7)[1] == 1
    assert _list(batch, state="no_flags")[1] == 2
    assert _list(batch, state="failed")[1] == 1
    assert _list(batch, department="100%_")[1] == 0  # LIKE wildcards are literal


def test_sorting_by_department_and_open_flags(batch: str) -> None:
    rows, _ = _list(batch, sort="department", per_page=20)
    names = [r["department"] for r in rows]
    assert names == sorted(names)
    rows, _ = _list(batch, sort="open", descending=True, per_page=20)
    assert [r["n_open"] for r in rows] == sorted((r["n_open"] for r in rows), reverse=True)


def test_counts_come_from_the_summary_and_follow_decisions(batch: str) -> None:
    with Store(batch).listing() as conn:
        before = batch_counts(conn, Filters())
    assert before["open_by_check"] == {"sum": 9}
    assert before["open_by_severity"] == {"error": 8, "warning": 1}
    assert (before["flags"], before["decided"]) == (9, 0)
    decide(client(batch), doc=1, action="accept")
    with Store(batch).listing() as conn:
        after = batch_counts(conn, Filters())
        reviewed = batch_counts(conn, Filters(reviewed_by="王审核"))
        assert count_open(conn, Filters(check="sum")) == 8
        assert list_documents(conn, Filters(state="reviewed"))[1] == 1
    assert (after["open"], after["decided"]) == (8, 1)
    assert reviewed["documents"] == 1


def test_summary_rows_are_written_with_the_record(batch: str) -> None:
    store = Store(batch)
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT n_facts, n_flags, n_open, document_kind FROM documents WHERE id = 1")
        ).one()
    assert tuple(row) == (3, 1, 1, "final_accounts")


def test_queue_order_and_paging(batch: str) -> None:
    with Store(batch).listing() as conn:
        first = open_flags(conn, Filters(), limit=3)
        rest = open_flags(conn, Filters(), after=(first[-1]["document_id"], first[-1]["row_id"]))
        uncertain = open_flags(conn, Filters(max_confidence=0.7))
    assert [f["document_id"] for f in first + rest] == list(range(1, 10))
    assert [f["document_id"] for f in uncertain] == [5]


def test_api_documents_is_paginated_and_filtered(batch: str) -> None:
    c = client(batch)
    page = c.get("/api/documents?check=sum&per_page=4&page=2&sort=id").json()
    assert (page["total"], page["pages"], page["page"]) == (9, 3, 2)
    assert [d["id"] for d in page["documents"]] == [5, 6, 7, 8]
    assert page["documents"][0]["open_by_check"] == {"sum": 1}
    assert page["counts"]["open_by_check"] == {"sum": 9}
    queue = c.get("/api/queue?department=教育&per_page=2").json()
    assert queue["total"] == 3 and len(queue["flags"]) == 2


def test_overview_page_shows_one_page_with_a_pager(batch: str) -> None:
    c = client(batch)
    page = c.get("/?per_page=5")
    assert len(re.findall(r'<a href="/doc/\d+">', page.text)) == 5
    assert "第 1 / 3 页，共 11 份" in page.text
    assert "全批已审 0 / 9 条标记" in page.text


def test_filtered_queue_walks_only_matching_flags(batch: str) -> None:
    c = client(batch)
    first = c.get("/queue?department=财政", follow_redirects=False)
    assert first.headers["location"].startswith("/doc/3/queue?department=")
    page = c.get(first.headers["location"])
    assert "财政" in page.text and 'name="department" value="某市财政局"' not in page.text
    decide_after = c.get("/queue?department=财政&after=3", follow_redirects=False)
    assert decide_after.headers["location"].startswith("/doc/6/queue")


def test_bulk_accept_of_a_filtered_set_asks_for_the_count_then_audits_each(batch: str) -> None:
    c = client(batch)
    overview = c.get("/?department=农业")
    csrf = overview.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    confirm = c.post("/bulk/accept", data={"csrf": csrf, "department": "农业"})
    assert "将以" in confirm.text and "3 条待审标记" in confirm.text
    assert Store(batch).decisions() == []
    # the set changed meanwhile (someone accepted one): the confirmation is refused
    decide(c, doc=1, action="accept", reviewer="李审核")
    stale = c.post(
        "/bulk/accept",
        data={
            "csrf": csrf,
            "department": "农业",
            "confirm": "1",
            "expected": "3",
            "reviewer": "王审核",
        },
    )
    assert stale.status_code == 409 and "现在是 2 条" in stale.text
    done = c.post(
        "/bulk/accept",
        data={
            "csrf": csrf,
            "department": "农业",
            "confirm": "1",
            "expected": "2",
            "reviewer": "王审核",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    decisions = Store(batch).decisions()
    assert [(d["document_id"], d["reviewer"]) for d in decisions] == [
        (1, "李审核"),
        (4, "王审核"),
        (7, "王审核"),
    ]
    with Store(batch).listing() as conn:
        assert count_open(conn, Filters(department="农业")) == 0
        assert count_open(conn, Filters()) == 6


def test_reviewers_page_sums_up_each_reviewer(batch: str) -> None:
    c = client(batch)
    decide(c, doc=1, action="accept", reviewer="王审核")
    decide(c, doc=2, action="source_wrong", reviewer="王审核")
    decide(c, doc=3, action="accept", reviewer="李审核")
    people = {p["reviewer"]: p for p in c.get("/api/reviewers").json()}
    assert people["王审核"]["decisions"] == 2 and people["王审核"]["documents"] == 2
    assert people["李审核"]["actions"] == {"accept": 1}
    assert "王审核" in c.get("/reviewers").text


def test_the_low_confidence_filter_agrees_with_the_flags_themselves(db_url: str) -> None:
    """Documents and flags matched by `max_confidence` (alone, and with a check or a
    severity) are exactly those an open flag resting on so uncertain a reading makes:
    a decided flag on an uncertain reading does not count, nor does an open flag of
    another check when the uncertain one is of this check."""
    store = Store(db_url)
    records = []
    for i in range(8):
        record = slip_record(f"{i:x}", department=DEPARTMENTS[i % 3])
        record.facts[1].confidence = (0.5, 0.65, 0.8, 1.0)[i % 4]
        record.flags.append(
            Flag(id="g9", check="share", severity="warning", facts=["f2"], message="占比不符")
        )
        if i % 3 == 0:
            record.flags[-1].status = "accepted"  # decided: no longer asks for review
        if i == 5:
            record.flags[0].facts = []  # the sum flag names no fact: no confidence
        records.append(record)
        store.save_record(record, TEXT)

    def expected(bound: float, check: str | None = None, severity: str | None = None) -> list:
        found = []
        for doc_id, record in enumerate(records, start=1):
            confidence = {f.id: f.confidence for f in record.facts}
            for flag in record.flags:
                named = [confidence[i] for i in flag.facts if i in confidence]
                if (
                    flag.status == "open"
                    and named
                    and min(named) <= bound
                    and check in (None, flag.check)
                    and severity in (None, flag.severity)
                ):
                    found.append((doc_id, flag.id))
        return found

    with store.listing() as conn:
        for bound in (0.4, 0.5, 0.7, 0.9, 1.0):
            for check, severity in ((None, None), ("sum", None), ("share", None), (None, "error")):
                filters = Filters(max_confidence=bound, check=check, severity=severity)
                want = expected(bound, check, severity)
                flags = open_flags(conn, filters, limit=100)
                assert [(f["document_id"], f["flag_id"]) for f in flags] == want, filters
                assert count_open(conn, filters) == len(want)
                documents, total = list_documents(conn, filters, per_page=100)
                assert [d["id"] for d in documents] == sorted({doc for doc, _ in want})
                assert total == len(documents)
        paged = [
            (f["document_id"], f["flag_id"])
            for offset in range(0, 20, 3)
            for f in open_flags(conn, Filters(max_confidence=0.9), limit=3, offset=offset)
        ]
        assert paged == expected(0.9) and len(paged) > 3
    store.close()
