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
    "damaged.doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _noise(3000), CorruptDocument),
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


def test_scan_without_recognisable_text_says_so(tmp_path: Path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf())
    with pytest.raises(NoTextLayer, match="scanned PDF with no recognisable text"):
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


# ---------------------------------------------------------------------------- ZIP bombs
def _docx_with_body(write_body) -> bytes:
    """The 002 DOCX with word/document.xml streamed by `write_body(stream)`."""
    buffer = BytesIO()
    source = zipfile.ZipFile(FIXTURES / "002-docx" / "source.docx")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename == "word/document.xml":
                with out.open("word/document.xml", "w") as stream:
                    write_body(stream)
            else:
                out.writestr(item, source.read(item.filename))
    return buffer.getvalue()


def _repeat(piece: bytes, times: int):
    def write(stream) -> None:
        stream.write(b'<w:document xmlns:w="w"><w:body>')
        block = piece * 100_000
        for _ in range(times // 100_000):
            stream.write(block)
        stream.write(b"</w:body></w:document>")

    return write


@pytest.mark.slow  # writes and scans a 300 MB expansion
def test_docx_expanding_past_the_limit_is_refused_before_parsing(tmp_path: Path):
    """300 MB of text in a ~1 MB DOCX: refused by the bytes it expands to."""
    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx_with_body(_repeat(b"<w:t>" + b"x" * 3000 + b"</w:t>", 100_000)))
    assert path.stat().st_size < 2 * 2**20
    with pytest.raises(DocumentTooLarge, match=r"DOCX expands to over \d+ MB.*ZIP bomb"):
        load(path)


def test_docx_with_millions_of_elements_is_refused_before_parsing(tmp_path: Path):
    """36 MB of empty paragraphs: small in bytes, but six million elements to build."""
    path = tmp_path / "paragraphs.docx"
    path.write_bytes(_docx_with_body(_repeat(b"<w:p/>", 6_000_000)))
    with pytest.raises(DocumentTooLarge, match="XML elements"):
        load(path)


def test_archive_check_counts_elements_split_across_chunks():
    from jixiao.ingest.zipsafe import check_archive

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        # 2**20 bytes of '<a/>' pieces then one closing tag straddling the 1 MB chunk
        out.writestr("x.xml", b"<r>" + b"<a/>" * 262_143 + b"x</r><b/>")
    data = buffer.getvalue()
    check_archive(data, "XLSX", max_elements=262_145)  # r, the a's and b: 262,145
    with pytest.raises(DocumentTooLarge):
        check_archive(data, "XLSX", max_elements=262_144)


def test_real_docx_passes_the_archive_check():
    from jixiao.ingest.zipsafe import check_archive

    check_archive((FIXTURES / "000-docx" / "source.docx").read_bytes(), "DOCX")


# ---------------------------------------------------------------------------- NUL bytes
@pytest.mark.parametrize("data", [b"\x00" * 100_000, b"\x00 \r\n" * 1000, b"\x00\x00\x01" * 9])
def test_nul_bytes_are_an_empty_document_not_a_stored_one(data: bytes, tmp_path: Path):
    path = tmp_path / "nul.txt"
    path.write_bytes(data)
    with pytest.raises(EmptyDocument):
        load(path)
