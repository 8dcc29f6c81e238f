"""Shared builders for the review tests: a small store with one sum slip, a client on a
loopback host, and form helpers."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from jixiao.models import Evidence, Fact, Record, Source
from jixiao.review import create_app
from jixiao.store import Store
from jixiao.verify.reverify import reverify

TEXT = "本年支出合计416.18万元，其中：基本支出217.94万元，项目支出200.24万元。<script>alert(1)</script>"
BASE = "http://127.0.0.1:8765"


def fact(fid: str, concept: str, printed: str, text: str = TEXT, **extra) -> Fact:
    start = text.index(printed)
    return Fact(
        id=fid,
        concept=concept,
        value=float(printed.removesuffix("万元").removesuffix("%")),
        unit="%" if printed.endswith("%") else "万元",
        text=printed,
        year=2023,
        decimals=2,
        evidence=Evidence(quote=printed, start=start, end=start + len(printed)),
        **extra,
    )


def slip_record(sha: str = "a", *, department: str | None = None, year: int = 2023) -> Record:
    """A document whose parts do not add up (217.94 + 200.24 ≠ 416.18): one sum flag."""
    record = Record(
        source=Source(path=f"demo-{sha}.txt", sha256=sha * 64, format="txt"),
        fiscal_year=year,
        facts=[
            fact("f1", "fa.expenditure_total", "416.18万元"),
            fact("f2", "fa.expenditure.basic", "217.94万元"),
            fact("f3", "fa.expenditure.project", "200.24万元"),
        ],
    )
    for item in record.facts:
        item.year = year
    if department:
        record.department.name = department
    return reverify(record, TEXT)


def filled(url: str, n: int = 1) -> str:
    store = Store(url)
    for i in range(n):
        store.save_record(slip_record(chr(ord("a") + i)), TEXT)
    store.close()
    return url


def client(url: str, **options) -> TestClient:
    return TestClient(create_app(url, **options), base_url=BASE, raise_server_exceptions=False)


def form_fields(page_text: str, form_id: str = "decide") -> dict[str, str]:
    """The hidden and prefilled fields of a form on a page (what a browser would send)."""
    start = page_text.index(f'id="{form_id}"')
    end = page_text.index("</form>", start)
    fields: dict[str, str] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page_text[start:end]
    ):
        fields[name] = value.replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'")
    return fields


def decide(c: TestClient, doc: int = 1, **fields) -> object:
    """Post a decision from the document's queue page as a browser would."""
    page = c.get(f"/doc/{doc}/queue")
    data = form_fields(page.text)
    data.update({"reviewer": "王审核"})
    data.update(fields)
    return c.post(f"/doc/{doc}/decide", data=data, follow_redirects=False)
