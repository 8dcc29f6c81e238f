"""Browser tests of the review UI: Playwright driving Debian's Chromium (/usr/bin/chromium).

`.ci/run` installs Chromium with apt; Playwright's own browser download is never used.
The flows: correct a value from the queue and find it in the export; walk a seed's
queue in Chinese; undo; bulk-accept a filtered set; two reviewers in two browsers
resolving a conflict on PostgreSQL; typing never fires shortcuts; narrow and wide
layouts; the page image beside the text.
"""

from __future__ import annotations

import csv
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from jixiao.export import export_store
from jixiao.models import Evidence, Fact, Record, Source
from jixiao.review import create_app
from jixiao.store import Store
from jixiao.verify.reverify import reverify
from review_support import decide as post

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TEXT = (
    "2023年度本年支出合计416.18万元，其中：基本支出217.94万元，占52.37%；"
    "项目支出200.24万元，占47.63%。\n主要原因是项目减少。"
)


def _fact(fid: str, concept: str, printed: str) -> Fact:
    start = TEXT.index(printed)
    return Fact(
        id=fid,
        concept=concept,
        value=float(printed.removesuffix("万元")),
        unit="万元",
        text=printed,
        year=2023,
        decimals=2,
        evidence=Evidence(quote=printed, start=start, end=start + len(printed)),
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _serving(db_url: str) -> Iterator[str]:
    """The review app over `db_url` on a free loopback port, for the length of a test."""
    port = _free_port()
    config = uvicorn.Config(create_app(db_url), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=5)


@pytest.fixture
def server(tmp_path: Path):
    """A review server on loopback over a store with one sum slip (217.94 + 200.24 ≠ 416.18)."""
    record = Record(
        source=Source(path="demo.txt", sha256="b" * 64, format="txt"),
        fiscal_year=2023,
        facts=[
            _fact("f1", "fa.expenditure_total", "416.18万元"),
            _fact("f2", "fa.expenditure.basic", "217.94万元"),
            _fact("f3", "fa.expenditure.project", "200.24万元"),
        ],
    )
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    Store(url).save_record(reverify(record, TEXT), TEXT)
    with _serving(url) as base:
        yield base, url


@pytest.fixture
def page():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `apt-get install chromium` (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        yield page
        browser.close()


def test_selecting_a_value_highlights_its_evidence(server, page) -> None:
    base, _ = server
    page.goto(f"{base}/doc/1")
    page.click("#fact-f2")
    highlighted = page.get_attribute("#source", "data-highlighted")
    assert highlighted == "217.94万元"
    assert page.evaluate("CSS.highlights.get('evidence').size") == 1


def test_queue_correction_resolves_flag_and_reaches_export(server, page, tmp_path) -> None:
    base, url = server
    page.goto(f"{base}/doc/1/queue")
    assert "217.94" in page.inner_text("#flag-message")
    page.fill("#reviewer", "王审核")
    page.select_option("#correct-target", "fact:f3")
    page.keyboard.press("Escape")  # leave the form field, back to the queue's keys
    page.keyboard.press("e")  # keyboard: focus the new value
    page.keyboard.type("198.24")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits as a correction
    page.wait_for_selector("#queue-done")
    page.goto(f"{base}/doc/1")
    assert page.locator(".chip-sum").count() == 0
    assert "王审核" in page.inner_text("table.audit")

    written = export_store(Store(url), "csv", tmp_path / "out")
    facts_csv = next(p for p in written if p.name.startswith("facts"))
    with facts_csv.open(encoding="utf-8-sig") as handle:
        rows = {r["concept"]: r for r in csv.DictReader(handle)}
    assert float(rows["fa.expenditure.project"]["value"]) == 198.24


def test_document_page_screenshot(server, page, tmp_path) -> None:
    base, _ = server
    page.goto(f"{base}/doc/1")
    page.click("#fact-f1")
    shot = tmp_path / "document.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000


@pytest.fixture
def seed_server(tmp_path: Path):
    """A review server over the rules backend's record of seed 001 (the full package)."""
    from jixiao.extract.registry import get_backend
    from jixiao.run.document import process_path

    fixtures = Path(__file__).resolve().parents[1] / "eval" / "fixtures"
    outcome = process_path(fixtures / "001" / "source.txt", get_backend("rules"))
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    Store(url).save_record(outcome.record, outcome.document.text)
    with _serving(url) as base:
        yield base, url, len(outcome.record.flags)


def test_reviewer_clears_every_flag_of_seed_001_from_the_browser(seed_server, page) -> None:
    base, url, n_flags = seed_server
    assert n_flags > 0
    page.goto(f"{base}/")
    page.click("#documents a")
    page.click("#start-queue")
    page.fill("#reviewer", "李审核")
    page.keyboard.press("Escape")
    for _ in range(n_flags):
        if page.locator("#queue-done").count():
            break
        message = page.inner_text("#flag-message")
        # real slips are the source's fault; anything else is accepted as extracted
        with page.expect_navigation():
            page.keyboard.press("w" if "≠" in message else "a")
    assert page.locator("#queue-done").count() == 1
    (stored,) = Store(url).iter_documents(status="ok")
    assert all(flag.status != "open" for flag in stored.record.flags)
    assert len(Store(url).decisions(stored.id)) == n_flags


# --- team review (issue 15) -----------------------------------------------------------


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `apt-get install chromium` (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _chinese_page(browser, width: int = 1400, height: int = 900):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", extra_http_headers={}
    )
    return context.new_page()


def test_seed_001_queue_walked_in_chinese_with_undo(seed_server, browser) -> None:
    base, url, n_flags = seed_server
    page = _chinese_page(browser)
    page.goto(f"{base}/")
    assert page.inner_text("h1") == "文件列表"
    page.click("#documents a")
    page.click("#start-queue")
    assert page.inner_text("#btn-accept").startswith("接受")
    page.fill("#reviewer", "李审核")
    page.keyboard.press("Escape")
    first = page.inner_text("#flag-message")
    with page.expect_navigation():
        page.keyboard.press("a")
    assert page.inner_text("#flag-message") != first
    with page.expect_navigation():
        page.keyboard.press("u")  # undo: the first flag is open again and shown first
    assert page.inner_text("#flag-message") == first
    (stored,) = Store(url).iter_documents(status="ok")
    assert [d["action"] for d in Store(url).decisions(stored.id)] == ["accept", "undo"]
    for _ in range(n_flags):
        if page.locator("#queue-done").count():
            break
        message = page.inner_text("#flag-message")
        with page.expect_navigation():
            page.keyboard.press("w" if "≠" in message else "a")
    assert "没有待审标记" in page.inner_text("#queue-done")
    (stored,) = Store(url).iter_documents(status="ok")
    assert all(flag.status != "open" for flag in stored.record.flags)


def test_shortcuts_never_fire_while_typing_and_help_shows_them(server, browser) -> None:
    base, url = server
    page = _chinese_page(browser)
    page.goto(f"{base}/doc/1/queue")
    page.click("#reviewer")
    page.keyboard.type("张审核 was here")
    page.click("#comment")
    page.keyboard.type("as seen, use e and w")
    page.click("#new-value")
    page.keyboard.type("s")
    assert page.input_value("#reviewer") == "张审核 was here"
    assert page.input_value("#comment") == "as seen, use e and w"
    assert page.url.endswith("/doc/1/queue") and Store(url).decisions(1) == []
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    assert page.is_visible("#help") and "撤销" in page.inner_text("#help")
    page.keyboard.press("Escape")
    assert not page.is_visible("#help")


def test_narrow_screens_stack_the_columns_and_wide_ones_show_the_whole_audit(
    server, browser
) -> None:
    base, url = server
    narrow = _chinese_page(browser, width=400, height=800)
    narrow.goto(f"{base}/doc/1/queue")
    source, panel = (
        narrow.locator("#source").bounding_box(),
        narrow.locator(".panel").bounding_box(),
    )
    assert panel["y"] >= source["y"] + source["height"] - 1  # below, not beside
    assert panel["width"] > 300
    form = narrow.locator("#decide").bounding_box()
    assert form["height"] < 2000 and narrow.locator("#btn-accept").is_visible()
    # a wide page: the audit trail's every column is inside its panel

    post_client = __import__("review_support").client(url)
    post(
        post_client,
        action="correct",
        correct_target="fact:f3",
        new_value="198.24",
        comment="按表3更正，原文项目支出印为200.24万元" * 3,
    )
    wide = _chinese_page(browser, width=1280, height=800)
    wide.goto(f"{base}/doc/1")
    overflow = wide.evaluate(
        "() => { const t = document.querySelector('#audit');"
        " const p = t.closest('.panel'); return t.getBoundingClientRect().right -"
        " p.getBoundingClientRect().right; }"
    )
    assert overflow <= 1
    assert wide.locator("#audit td.comment").first.is_visible()


def _sum_store(url: str, n: int) -> None:
    store = Store(url)
    for i in range(n):
        record = Record(
            source=Source(path=f"demo-{i}.txt", sha256=f"{i:064x}", format="txt"),
            fiscal_year=2023,
            facts=[
                _fact("f1", "fa.expenditure_total", "416.18万元"),
                _fact("f2", "fa.expenditure.basic", "217.94万元"),
                _fact("f3", "fa.expenditure.project", "200.24万元"),
            ],
        )
        record.department.name = "某县教育局" if i % 2 else "某县农业农村局"
        store.save_record(reverify(record, TEXT), TEXT)
    store.close()


def test_bulk_accept_of_a_filtered_set_with_its_count_confirmed(db_url, browser) -> None:
    _sum_store(db_url, 6)
    with _serving(db_url) as base:
        page = _chinese_page(browser)
        page.goto(f"{base}/")
        page.fill("#f-department", "教育")
        with page.expect_navigation():
            page.click("#f-apply")
        assert "3 条" in page.inner_text("#bulk-accept-button")
        with page.expect_navigation():
            page.click("#bulk-accept-button")
        assert "3 条待审标记" in page.inner_text("#bulk-text")
        page.fill("#reviewer", "王审核")
        with page.expect_navigation():
            page.click("#bulk-confirm-button")
        assert "已接受 3 条" in page.inner_text("#bulk-done")
        assert "全批已审 3 / 3" in page.inner_text("#batch-progress")  # of the filtered set
        page.goto(f"{base}/")
        assert "全批已审 3 / 6" in page.inner_text("#batch-progress")
    decisions = Store(db_url).decisions()
    assert sorted(d["document_id"] for d in decisions) == [2, 4, 6]
    assert {d["reviewer"] for d in decisions} == {"王审核"}


def test_two_reviewers_resolve_a_conflict_on_postgresql(pg_url, browser) -> None:
    _sum_store(pg_url, 1)
    with _serving(pg_url) as base:
        a, b = _chinese_page(browser), _chinese_page(browser)
        for page, name in ((a, "王审核"), (b, "李审核")):
            page.goto(f"{base}/doc/1/queue")
            page.fill("#reviewer", name)
        with a.expect_navigation():
            a.click("#btn-accept")
        b.select_option("#correct-target", "fact:f3")
        b.fill("#new-value", "198.24")
        b.fill("#comment", "表3所列为198.24")
        with b.expect_navigation():
            b.click("#btn-correct")
        conflict = b.inner_text("#conflict")
        assert "王审核" in conflict and "接受" in conflict
        assert b.input_value("#new-value") == "198.24"
        assert b.input_value("#comment") == "表3所列为198.24"
        with b.expect_navigation():  # B read A's change and still corrects the value
            b.click("#btn-correct")
        assert b.locator("#conflict").count() == 0
    record = Store(pg_url).get_document(1).record
    assert record.facts[2].value == 198.24
    assert [(d["reviewer"], d["action"]) for d in Store(pg_url).decisions(1)] == [
        ("王审核", "accept"),
        ("李审核", "correct"),
    ]


def test_selecting_a_value_shows_its_page_with_the_box(tmp_path: Path, browser) -> None:
    from jixiao.extract.registry import get_backend
    from jixiao.run.document import process_path

    fixtures = Path(__file__).resolve().parents[1] / "eval" / "fixtures"
    outcome = process_path(fixtures / "000-pdf" / "source.pdf", get_backend("rules"))
    record = outcome.record
    target = next(f for f in record.facts if f.evidence.page)
    if target.evidence.bbox is None:  # until the PDF reader records boxes, give it one
        target.evidence.bbox = (72.0, 100.0, 200.0, 116.0)
    url = f"sqlite:///{tmp_path / 'pdf.db'}"
    Store(url).save_record(record, outcome.document.text)
    with _serving(url) as base:
        page = _chinese_page(browser)
        page.goto(f"{base}/doc/1")
        page.click(f"#fact-{target.id}")
        page.wait_for_function("document.getElementById('page-img').naturalWidth > 0")
        assert page.get_attribute("#page-img", "src").endswith(f"/page/{target.evidence.page}.png")
        box, img = (
            page.locator("#page-box").bounding_box(),
            page.locator("#page-img").bounding_box(),
        )
        assert page.is_visible("#page-box")
        x0, top, _, _ = target.evidence.bbox
        assert abs((box["x"] - img["x"]) / img["width"] - x0 / 595.28) < 0.01
        assert abs((box["y"] - img["y"]) / img["height"] - top / 841.89) < 0.01
