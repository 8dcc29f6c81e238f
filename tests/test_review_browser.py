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
from pathlib import Path

import pytest
import uvicorn

from jixiao.export import export_store
from jixiao.models import Evidence, Fact, Record, Source
from jixiao.pipeline import reverify
from jixiao.review import create_app
from jixiao.store import Store

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
    port = _free_port()
    config = uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", url
    instance.should_exit = True
    thread.join(timeout=5)


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
