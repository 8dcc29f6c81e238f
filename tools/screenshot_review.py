"""Take the README's screenshot of the review UI: the queue in Chinese on the PDF
rendering of seed 000 (its 功能分类 sum flag, the evidence in the text, the page beside).

    .venv/bin/python tools/screenshot_review.py docs/review-queue.png

Needs Debian's Chromium (`apt-get install chromium fonts-wqy-zenhei`).
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from jixiao.extract.registry import get_backend
from jixiao.review import create_app
from jixiao.run.document import process_path
from jixiao.store import Store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'shot.db'}"
        # a path relative to the repository, so no machine path shows in the picture
        os.chdir(ROOT)
        outcome = process_path(Path("eval/fixtures/000-pdf/source.pdf"), get_backend("rules"))
        Store(url).save_record(outcome.record, outcome.document.text)
        server = uvicorn.Server(uvicorn.Config(create_app(url), port=8799, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 900}, locale="zh-CN")
            page.goto("http://127.0.0.1:8799/queue?check=sum")
            page.fill("#reviewer", "王审核")
            page.wait_for_function("document.getElementById('page-img').naturalWidth > 0")
            page.screenshot(path=str(out))
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/review-queue.png"))
