"""Which reader a file needs, from its bytes (the name only breaks ties and words errors).

* ``%PDF`` → pdf;
* a ZIP: ``word/document.xml`` → docx, ``xl/workbook.xml`` → xlsx, an OpenDocument
  spreadsheet ``mimetype`` → ods, an OpenDocument text ``mimetype`` → odt;
* an OLE2 compound file (the pre-2007 Office container): a ``WordDocument`` stream →
  doc (wps when so named: WPS Office writes the same container), a ``Workbook``/``Book``
  stream → xls (et when so named), an ``EncryptedPackage`` → a password-protected DOCX
  or XLSX;
* PNG, JPEG, TIFF or BMP magic → image (read by OCR);
* ``<!doctype html``, ``<html>``, ``<head>`` or ``<meta>`` first → html;
* anything else must decode as text.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from jixiao.errors import CorruptDocument, EncryptedDocument, UnsupportedFormat

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_ODT_MIME = b"application/vnd.oasis.opendocument.text"

#: file suffix → the format a file of that name is, for a record of a file not read
SUFFIX_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".et": "et",
    ".ods": "ods",
    ".odt": "odt",
    ".doc": "doc",
    ".wps": "wps",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
}


def format_of_name(name: str) -> str:
    """The format a file name announces ('unknown' for none we read)."""
    lower = name.lower()
    for suffix, fmt in SUFFIX_FORMATS.items():
        if lower.endswith(suffix):
            return fmt
    return "unknown"


def sniff_format(data: bytes, name: str = "") -> str:
    """The reader `data` needs; raises an `InputError` for what none of them can read."""
    head = data[:1024]
    named = format_of_name(name)
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        return _zip_format(data, named)
    if head.startswith(OLE_MAGIC):
        return _ole_format(data, named)
    from jixiao.ingest.html import looks_like_html
    from jixiao.ingest.image import looks_like_image

    if looks_like_image(head):
        return "image"

    if looks_like_html(head):
        return "html"
    if named in ("docx", "xlsx", "ods", "odt"):
        raise CorruptDocument(
            f"damaged {named.upper()}: not a ZIP archive; re-save it in the program that made it"
        )
    if named == "pdf":
        raise CorruptDocument("damaged PDF: no %PDF header; the file is not a PDF or is truncated")
    if named in ("doc", "xls", "wps", "et"):
        raise CorruptDocument(
            f"damaged .{named} file: no Office file header; re-save it in the program that made it"
        )
    return "txt"


def _zip_format(data: bytes, named: str) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
            if mimetype == _ODS_MIME:
                return "ods"
            if mimetype == _ODT_MIME:
                return "odt"
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        if named in ("docx", "xlsx", "ods", "odt"):
            raise CorruptDocument(
                f"damaged {named.upper()} ({exc}): the file is truncated; re-save it in the "
                "program that made it"
            ) from exc
    if named in ("docx", "xlsx", "ods", "odt"):
        raise CorruptDocument(
            f"damaged {named.upper()}: the archive lacks its main part; re-save it in the "
            "program that made it"
        )
    raise UnsupportedFormat(
        "a ZIP archive that is not a DOCX, XLSX, ODS or ODT: unpack it and give the files inside"
    )


def _ole_format(data: bytes, named: str) -> str:
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except (OSError, ValueError, IndexError) as exc:  # olefile raises OSError on damage
        raise CorruptDocument(
            f"damaged Office file ({type(exc).__name__}): re-save it in the program that made it"
        ) from exc
    if "EncryptedPackage" in streams:
        raise EncryptedDocument(
            "password-protected Office file: it needs a password; save an unprotected copy"
        )
    if "WordDocument" in streams:
        return "wps" if named == "wps" else "doc"
    if "Workbook" in streams or "Book" in streams:
        return "et" if named == "et" else "xls"
    raise UnsupportedFormat(
        "an Office file that is neither a Word document nor a workbook (a presentation?): "
        "save the report as DOCX, XLSX or PDF"
    )
