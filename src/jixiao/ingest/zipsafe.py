"""A guard for ZIP-based formats (DOCX, XLSX, ODS), run before any parser sees the archive.

A ZIP compresses repetitive XML a thousandfold: a 1 MB DOCX whose ``word/document.xml``
expands to 300 MB grew a python-docx process to ~10 GB. So the archive is checked
first, streaming, in bounded memory: the number of members, the bytes its members
really expand to (decompressed chunk by chunk and counted, whatever the directory
claims), and the number of XML elements in them (an element is at least a ``<``, so
the count needs no parser). A document over a limit is refused with a one-line reason.

The limits sit far above any real disclosure: the largest DOCX/XLSX report seen expands
to ~20 MB and ~400,000 elements.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from jixiao.errors import CorruptDocument, DocumentTooLarge

#: members of one archive (a workbook of a few hundred sheets stays far below)
MAX_MEMBERS = 5_000
#: bytes all members expand to together
MAX_EXPANDED_BYTES = 256 * 2**20
#: XML elements in all members together
MAX_ELEMENTS = 5_000_000
_CHUNK = 2**20


def check_archive(
    data: bytes,
    label: str,
    *,
    max_members: int = MAX_MEMBERS,
    max_expanded: int = MAX_EXPANDED_BYTES,
    max_elements: int = MAX_ELEMENTS,
) -> None:
    """Raise `DocumentTooLarge` if the archive expands past a limit, `CorruptDocument` if
    it cannot be read; `label` names the format in the message (DOCX, XLSX …)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptDocument(
            f"damaged {label} ({exc}): the file is truncated; re-save it in the program that made it"
        ) from exc
    with archive:
        members = archive.infolist()
        if len(members) > max_members:
            raise DocumentTooLarge(
                f"{label} holds {len(members)} files, over the {max_members} limit "
                "(a ZIP bomb or not one report)"
            )
        declared = sum(m.file_size for m in members)
        if declared > max_expanded:
            raise _too_large(label, declared, max_expanded)
        expanded = 0
        elements = 0
        for member in members:
            if member.is_dir():
                continue
            try:
                with archive.open(member) as stream:
                    tail = b""
                    while chunk := stream.read(_CHUNK):
                        expanded += len(chunk)
                        if expanded > max_expanded:
                            raise _too_large(label, expanded, max_expanded)
                        # '<' opens an element, '</', '<?' and '<!' do not; a pair cut by
                        # the chunk boundary is seen through the last byte carried over
                        joined = tail + chunk
                        elements += (
                            joined.count(b"<")
                            - joined.count(b"</")
                            - joined.count(b"<?")
                            - joined.count(b"<!")
                            - tail.count(b"<")
                        )
                        tail = chunk[-1:]
                        if elements > max_elements:
                            raise DocumentTooLarge(
                                f"{label} holds over {max_elements:,} XML elements "
                                "(a ZIP bomb or not one report)"
                            )
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                raise CorruptDocument(
                    f"damaged {label}: part {member.filename} cannot be unpacked "
                    f"({type(exc).__name__}); re-save it in the program that made it"
                ) from exc


def _too_large(label: str, size: int, limit: int) -> DocumentTooLarge:
    return DocumentTooLarge(
        f"{label} expands to over {size / 2**20:.0f} MB, past the {limit / 2**20:.0f} MB "
        "limit (a ZIP bomb or not one report)"
    )
