"""The plain-text reader: decode the bytes, then recover flattened tables and paragraphs.

Its three concerns live in their own modules: `encoding` (which encoding the bytes are
in), `flattened` (tables a converter wrote one cell per line) and `wrapping` (prose
lines a layout hard-wrapped, shared with the PDF reader).
"""

from __future__ import annotations

from jixiao.document import RawParagraph, RawTable
from jixiao.ingest.encoding import decode
from jixiao.ingest.flattened import parse_flattened


def read_text(data: bytes) -> tuple[list[RawParagraph | RawTable], str]:
    """Raw blocks of a text file and the encoding it was decoded with."""
    text, encoding = decode(data)
    return parse_flattened(text), encoding
