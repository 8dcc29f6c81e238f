"""Page images: the source PDF's page drawn beside the text, found by the stored path and
checked against the stored hash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jixiao.extract.registry import get_backend
from jixiao.run.document import process_path
from jixiao.store import Store
from review_support import client

SEED_PDF = Path(__file__).resolve().parents[1] / "eval" / "fixtures" / "000-pdf" / "source.pdf"


@pytest.fixture
def pdf_store(db_url: str, tmp_path: Path) -> tuple[str, Path]:
    source = tmp_path / "in" / "report.pdf"
    source.parent.mkdir()
    shutil.copyfile(SEED_PDF, source)
    outcome = process_path(source, get_backend("rules"))
    Store(db_url).save_record(outcome.record, outcome.document.text)
    return db_url, source


def test_a_page_of_the_source_pdf_is_served_as_png(pdf_store) -> None:
    url, _ = pdf_store
    c = client(url)
    page = c.get("/doc/1/page/1.png")
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    assert page.content.startswith(b"\x89PNG") and len(page.content) > 10_000
    assert c.get("/doc/1/page/99.png").status_code == 404
    document = c.get("/doc/1").text
    assert 'id="page-view"' in document and 'data-available="1"' in document
    assert 'data-sizes="595.28,841.89;' in document
    assert 'data-page="1"' in document  # values know their page


def test_a_moved_file_is_found_under_sources_and_a_changed_one_is_not_drawn(
    pdf_store, tmp_path: Path
) -> None:
    url, source = pdf_store
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.move(source, archive / source.name)
    assert client(url).get("/doc/1/page/1.png").status_code == 404
    assert "找不到原始文件" in client(url).get("/doc/1").text
    assert client(url, sources=archive).get("/doc/1/page/1.png").status_code == 200
    (archive / source.name).write_bytes(SEED_PDF.read_bytes() + b"%changed")
    assert client(url, sources=archive).get("/doc/1/page/1.png").status_code == 404


def test_a_text_document_has_no_page_view(db_url: str) -> None:
    from review_support import filled

    assert 'id="page-view"' not in client(filled(db_url)).get("/doc/1").text
