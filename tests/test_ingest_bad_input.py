"""Unreadable input ends in one JixiaoError subclass with a one-line message, never a crash."""

from __future__ import annotations

import random
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from bad_pdfs import encrypted_pdf, scanned_pdf
from jixiao.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedPDF,
    InputError,
    NoTextLayer,
    UnsupportedFormat,
)
from jixiao.ingest import load

FIXTURES = Path(__file__).resolve().parents[1] / "eval" / "fixtures"


def _noise(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


def _truncated(path: Path) -> bytes:
    data = path.read_bytes()
    return data[: len(data) // 2]


def _docx_without_body() -> bytes:
    """A ZIP that claims to be a DOCX but whose document.xml is not XML."""
    buffer = BytesIO()
    source = zipfile.ZipFile(FIXTURES / "002-docx" / "source.docx")
    with zipfile.ZipFile(buffer, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            out.writestr(item, b"<w:document" if item.filename == "word/document.xml" else data)
    return buffer.getvalue()


CASES = {
    "encrypted.pdf": (encrypted_pdf, EncryptedPDF),
    "scanned.pdf": (scanned_pdf, NoTextLayer),
    "empty.txt": (lambda: b"", EmptyDocument),
    "blank.txt": (lambda: b"\r\n  \n\t\n", EmptyDocument),
    "truncated.docx": (lambda: _truncated(FIXTURES / "002-docx" / "source.docx"), CorruptDocument),
    "broken-xml.docx": (_docx_without_body, CorruptDocument),
    "truncated.pdf": (lambda: _truncated(FIXTURES / "002-pdf" / "source.pdf"), CorruptDocument),
    "random.pdf": (lambda: _noise(5000), CorruptDocument),
    "header-only.pdf": (lambda: b"%PDF-1.7\n" + _noise(5000), CorruptDocument),
    "random.txt": (lambda: _noise(5000), UnsupportedFormat),
    "legacy.doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _noise(3000), UnsupportedFormat),
    "archive.zip": (lambda: _zip_of_text(), UnsupportedFormat),
}


def _zip_of_text() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("report.txt", "部门决算")
    return buffer.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_raises_the_matching_input_error_with_one_line(name: str, tmp_path: Path):
    make, expected = CASES[name]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(InputError) as info:
        load(path)
    assert type(info.value) is expected
    message = str(info.value)
    assert message and "\n" not in message and len(message) < 300


def testscanned_pdf_message_says_ocr_is_needed(tmp_path: Path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf())
    with pytest.raises(NoTextLayer, match="scanned PDF: no text layer; OCR is not supported yet"):
        load(path)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_bytes("部门决算\n".encode() * 1000)
    with pytest.raises(DocumentTooLarge, match=r"text file of .* limit"):
        load(path, max_text_bytes=1000)
    pdf = tmp_path / "big.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 5000)
    with pytest.raises(DocumentTooLarge, match="limit"):
        load(pdf, max_bytes=1000, max_text_bytes=10**9)


@pytest.mark.parametrize("cut", [100, 1000, 5000, 20000])
def test_docx_cut_anywhere_is_a_corrupt_document(cut: int, tmp_path: Path):
    path = tmp_path / "cut.docx"
    path.write_bytes((FIXTURES / "000-docx" / "source.docx").read_bytes()[:cut])
    with pytest.raises(CorruptDocument):
        load(path)
