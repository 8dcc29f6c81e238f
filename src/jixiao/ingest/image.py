"""Images (.png, .jpg, .tif, .bmp) of scanned pages: read by OCR, a frame a page.

A scan of a table or a 长图 (pages stacked into one tall image) is one page; a
multi-page TIFF gives one page per frame. Boxes are in points at the image's own
resolution (its dpi, else `DEFAULT_DPI`), the convention `pages.render_page` renders by.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from jixiao.document import RawParagraph, RawTable
from jixiao.errors import CorruptDocument, DocumentTooLarge, NoTextLayer

#: resolution assumed for an image that does not say (a typical scanner setting)
DEFAULT_DPI = 150.0
#: a page image larger than this (pixels) is not a scan of a page
MAX_PIXELS = 60_000_000
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")


def looks_like_image(head: bytes) -> bool:
    return head.startswith(IMAGE_MAGIC)


def image_dpi(image: Any) -> float:
    """The resolution an image declares (horizontal), or `DEFAULT_DPI`."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    return value if 50 <= value <= 1200 else DEFAULT_DPI


def frames(data: bytes) -> list[tuple[Any, float]]:
    """Each frame of the image as (greyscale array, dpi); raises an InputError."""
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(BytesIO(data))
        out = []
        for frame in ImageSequence.Iterator(image):
            dpi = image_dpi(frame)
            out.append((np.asarray(frame.convert("L")), dpi))
    except Image.DecompressionBombError as exc:
        raise DocumentTooLarge(
            f"image over {MAX_PIXELS // 1_000_000} million pixels: not a scan of a page"
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise CorruptDocument(
            f"damaged image ({type(exc).__name__}): re-save or rescan it"
        ) from exc
    return out


def read_image(data: bytes) -> tuple[list[RawParagraph | RawTable], int]:
    """Raw blocks of an image file and its page (frame) count."""
    from jixiao.ingest.ocr.allowance import announce
    from jixiao.ingest.ocr.cache import cached_ocr_page
    from jixiao.ingest.ocr.engine import stage
    from jixiao.ingest.pdf import assemble, ocr_page_parts

    with stage("render"):
        pages = frames(data)
    announce(len(pages))
    parts = [
        ocr_page_parts(cached_ocr_page(grey, dpi, n), n) for n, (grey, dpi) in enumerate(pages, 1)
    ]
    if not any(lines or tables for lines, tables, _ in parts):
        raise NoTextLayer(
            "image with no recognisable text: blank, or too faint or coarse to read; "
            "rescan at 200 dpi or more"
        )
    return assemble(parts), len(pages)
