"""Ingestion: any supported file → `Document` with normalised text and offsets.

The format is sniffed from the bytes, not guessed from the file name (`sniff`): a PDF
starts with ``%PDF``, a DOCX or XLSX is a ZIP holding its main part, an XLS or DOC an
OLE2 container, anything else must decode as text. Each reader is imported only when
such a file turns up; every ZIP-based file passes `zipsafe.check_archive` first.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jixiao.document import Document
from jixiao.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EmptyDocument,
    JixiaoError,
)
from jixiao.ingest.image import IMAGE_MAGIC
from jixiao.ingest.sniff import OLE_MAGIC, ZIP_MAGIC, format_of_name, sniff_format
from jixiao.ingest.zipsafe import check_archive

__all__ = ["SUPPORTED_SUFFIXES", "format_of_name", "load", "load_bytes", "sniff_format"]

#: the suffixes a folder is scanned for; the content, not the suffix, picks the reader
SUPPORTED_SUFFIXES = (
    *(".txt", ".text", ".pdf", ".docx", ".doc", ".wps", ".odt"),
    *(".xlsx", ".xlsm", ".xls", ".et", ".ods"),
    *(".html", ".htm", ".shtml"),
    *(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"),
)
DEFAULT_MAX_BYTES = 200 * 2**20
#: plain text is far denser than PDF or DOCX: 32 MB is ~10 million Chinese characters,
#: two hundred times the largest disclosure seen; past it a file is not one report. The
#: rules pipeline is linear (~1.3 s and up to ~60 MB of memory per MB of text), so a text
#: at the limit takes under a minute; 50 MB took ~70 s and 1.8 GB (benchmarks/RESULTS.md)
MAX_TEXT_BYTES = 32 * 2**20


def _is_binary_container(head: bytes) -> bool:
    return head.lstrip().startswith(b"%PDF") or head.startswith(
        (ZIP_MAGIC, OLE_MAGIC, *IMAGE_MAGIC)
    )


def load(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_text_bytes: int = MAX_TEXT_BYTES,
) -> Document:
    """Read one file into a `Document`; raises a `JixiaoError` subclass on bad input.

    Sizes are checked before the file is read, so an enormous input costs nothing.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise EmptyDocument("empty file: 0 bytes")
    with path.open("rb") as handle:
        head = handle.read(1024)
    limit, kind = (
        (max_bytes, "file") if _is_binary_container(head) else (max_text_bytes, "text file")
    )
    if size > limit:
        raise DocumentTooLarge(
            f"{kind} of {size / 2**20:.0f} MB is over the {limit / 2**20:.0f} MB limit; "
            "split it into one file per report"
        )
    data = path.read_bytes()
    return load_bytes(data, name=str(path))


def _read_blocks(fmt: str, data: bytes, notes: list[str]) -> tuple[list, int | None]:
    """Raw blocks and page count from the reader for `fmt`, imported only when needed."""
    if fmt == "pdf":
        from jixiao.ingest.pdf import read_pdf

        return read_pdf(data)
    if fmt == "docx":
        from jixiao.ingest.docx import read_docx

        check_archive(data, "DOCX")
        return read_docx(data), None
    if fmt in ("xlsx", "ods", "xls", "et"):
        from jixiao.ingest.spreadsheet import read_workbook

        if fmt in ("xlsx", "ods"):
            check_archive(data, fmt.upper())
        return read_workbook(data, fmt), None
    if fmt in ("doc", "wps", "odt"):
        from jixiao.ingest.docx import read_docx
        from jixiao.ingest.office import convert_to_docx

        if fmt == "odt":
            check_archive(data, "ODT")
        converted = convert_to_docx(data, fmt)
        check_archive(converted, "DOCX")
        notes.append(f"converted from .{fmt} by LibreOffice")
        return read_docx(converted), None
    if fmt == "image":
        from jixiao.ingest.image import read_image

        return read_image(data)
    if fmt == "html":
        from jixiao.ingest.html import read_html

        html_blocks, encoding = read_html(data)
        if encoding not in ("utf-8", "utf-8-sig"):
            notes.append(f"decoded as {encoding}")
        return html_blocks, None
    from jixiao.ingest.text import read_text

    blocks, encoding = read_text(data)
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(f"decoded as {encoding}")
    return blocks, None


def has_text(text: str) -> bool:
    """Whether any character would show: NULs and other control characters do not."""
    return any(ch.isprintable() and not ch.isspace() for ch in text)


def load_bytes(data: bytes, *, name: str = "") -> Document:
    fmt = sniff_format(data, name)
    sha = hashlib.sha256(data).hexdigest()
    notes: list[str] = []
    pages: int | None = None
    try:
        blocks, pages = _read_blocks(fmt, data, notes)
    except (JixiaoError, MemoryError):
        raise
    except Exception as exc:  # a reader's library failed on input it could not parse
        raise CorruptDocument(
            f"cannot read this {fmt.upper()} ({type(exc).__name__}: {exc}); "
            "re-export it from the program that made it"
        ) from exc
    from jixiao.ingest.build import build_document

    doc = build_document(
        blocks,
        path=name,
        sha256=sha,
        format=fmt,
        pages=pages,
        keep_source_map=fmt == "txt",
        notes=notes,
    )
    if not has_text(doc.text):
        raise EmptyDocument("no text found in the document")
    return doc
