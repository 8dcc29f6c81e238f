"""Page images: the source PDF's page drawn beside the text, found by the stored path and
checked against the stored hash."""

from __future__ import annotations

import hashlib
import re
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

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


def _image_store(db_url: str, path: Path, frames: int = 1) -> str:
    """A stored document read from the image at `path` (150 dpi, 300 × 150 px per frame,
    its figure boxed on the last frame), as the OCR path stores one."""
    from PIL import Image

    from jixiao.models import Record, Source
    from review_support import TEXT, fact

    pages = [Image.new("RGB", (300, 150), (255, 255, 255)) for _ in range(frames)]
    pages[0].save(path, dpi=(150, 150), save_all=frames > 1, append_images=pages[1:])
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    figure = fact("f1", "fa.expenditure_total", "416.18万元")
    figure.evidence.page, figure.evidence.bbox = frames, (10.0, 20.0, 60.0, 30.0)
    record = Record(
        source=Source(path=str(path), sha256=sha, format="image", pages=frames, ocr_pages=[1]),
        fiscal_year=2023,
        facts=[figure],
    )
    Store(db_url).save_record(record, TEXT)
    return db_url


def _sizes(document: str) -> list[tuple[float, ...]]:
    (sizes,) = re.findall(r'data-sizes="([^"]*)"', document)
    return [tuple(float(v) for v in page.split(",")) for page in sizes.split(";")]


@pytest.mark.parametrize("name", ["scan.png", "scan.jpg"])
def test_an_image_source_shows_its_page_with_sizes_for_the_boxes(
    db_url: str, tmp_path: Path, name: str
) -> None:
    url = _image_store(db_url, tmp_path / name)
    c = client(url)
    document = c.get("/doc/1").text
    assert 'data-available="1"' in document and 'data-count="1"' in document
    # 300 × 150 px at 150 dpi is 144 × 72 points, the unit of the evidence box (PNG keeps
    # its resolution in pixels per metre: 150.01 dpi)
    assert _sizes(document) == [pytest.approx((144.0, 72.0), abs=0.02)]
    assert 'data-bbox="10.0,20.0,60.0,30.0"' in document
    page = c.get("/doc/1/page/1.png")
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    assert Image.open(BytesIO(page.content)).size == (216, 108)  # points × the page scale
    assert c.get("/doc/1/page/2.png").status_code == 404


def test_every_frame_of_a_multi_page_image_is_a_page(db_url: str, tmp_path: Path) -> None:
    url = _image_store(db_url, tmp_path / "scan.tif", frames=2)
    c = client(url)
    document = c.get("/doc/1").text
    assert 'data-count="2"' in document
    assert _sizes(document) == [pytest.approx((144.0, 72.0), abs=0.02)] * 2
    assert c.get("/doc/1/page/2.png").status_code == 200
    assert c.get("/doc/1/page/3.png").status_code == 404
