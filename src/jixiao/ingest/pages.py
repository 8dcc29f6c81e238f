"""Page images for reviewers: a page of a PDF or image source rendered to PNG.

Evidence boxes (`Evidence.bbox`) are in PDF points, [x0, top, x1, bottom] from the
page's top-left corner, on the page as a viewer shows it. `render_page` renders at
`scale` pixels per point, so a box maps onto the PNG by multiplying each coordinate
by `scale` (scale 2.0 ≈ 144 dpi). An image source is taken as printed at its own
resolution (its dpi, else 150), so the same multiplication holds for it.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from jixiao.errors import CorruptDocument, UnsupportedFormat

#: a rendering larger than this many pixels is refused (a reviewer's page, not a poster)
MAX_RENDER_PIXELS = 40_000_000


def render_page(source: str | Path | bytes, page: int, scale: float = 2.0) -> bytes:
    """PNG bytes of 1-based `page` of a PDF or image file (a path or its bytes).

    Raises `UnsupportedFormat` for a source without pages (DOCX, XLSX, HTML, TXT) and
    `CorruptDocument` for a page number the source does not have.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if not 0.05 <= scale <= 10:
        raise ValueError(f"scale {scale} out of range (0.05-10)")
    if data[:1024].lstrip().startswith(b"%PDF"):
        return _render_pdf(data, page, scale)
    from jixiao.ingest.image import looks_like_image

    if looks_like_image(data[:16]):
        return _render_image(data, page, scale)
    raise UnsupportedFormat("only PDF and image sources have page images")


def _render_pdf(data: bytes, page: int, scale: float) -> bytes:
    import pypdfium2

    from jixiao.ingest.ocr.pdf_pages import _pdfium_lock

    with _pdfium_lock:
        document = pypdfium2.PdfDocument(data)
        try:
            if not 1 <= page <= len(document):
                raise CorruptDocument(f"page {page} is not in this PDF of {len(document)} pages")
            pdf_page = document[page - 1]
            width, height = pdf_page.get_size()
            if width * height * scale * scale > MAX_RENDER_PIXELS:
                scale = (MAX_RENDER_PIXELS / (width * height)) ** 0.5
            image = pdf_page.render(scale=scale).to_pil()
            pdf_page.close()
        finally:
            document.close()
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _render_image(data: bytes, page: int, scale: float) -> bytes:
    from PIL import Image, ImageSequence

    from jixiao.ingest.image import MAX_PIXELS, image_dpi

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    image = Image.open(BytesIO(data))
    frames = list(ImageSequence.Iterator(image))
    if not 1 <= page <= len(frames):
        raise CorruptDocument(f"page {page} is not in this image of {len(frames)} pages")
    frame = frames[page - 1].convert("L")
    factor = scale * 72.0 / image_dpi(frames[page - 1])
    size = (max(1, round(frame.width * factor)), max(1, round(frame.height * factor)))
    buffer = BytesIO()
    frame.resize(size, Image.Resampling.LANCZOS).save(buffer, "PNG")
    return buffer.getvalue()
