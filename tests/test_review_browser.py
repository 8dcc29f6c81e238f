"""Browser tests of the review UI: Playwright driving Debian's Chromium (/usr/bin/chromium).

`.ci/run` installs Chromium with apt; Playwright's own browser download is never used.
The main flow: extract a seed, open the queue, correct a value, see the flag resolve,
and find the correction in the export.
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
