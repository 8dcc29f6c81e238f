"""Scanned PDF pages: rendered with pypdfium2, recognised in a small thread pool.

PDFium is not thread-safe, so rendering holds a lock; recognition (ONNX Runtime,
OpenCV) releases the GIL and runs in `page_threads` threads.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from jixiao.ingest.ocr.allowance import announce
from jixiao.ingest.ocr.cache import cached_ocr_page
from jixiao.ingest.ocr.engine import page_threads, stage
from jixiao.ingest.ocr.page import OcrPage

#: scans are rendered at this resolution for recognition (PP-OCR reads 8-pt print
#: reliably from ~150 dpi up; more only costs detection time)
OCR_DPI = 200.0
_pdfium_lock = threading.Lock()


def ocr_pdf_pages(data: bytes, indexes: Sequence[int], dpi: float = OCR_DPI) -> list[OcrPage]:
    """The recognised content of the 0-based pages `indexes` of the PDF `data`."""
    import pypdfium2

    announce(len(indexes))
    with _pdfium_lock:
        document = pypdfium2.PdfDocument(data)

    def one(index: int) -> OcrPage:
        with _pdfium_lock, stage("render"):
            page = document[index]
            bitmap = page.render(scale=dpi / 72.0, grayscale=True)
            grey = bitmap.to_numpy().copy()
            bitmap.close()
            page.close()
        if grey.ndim == 3:
            grey = grey[:, :, 0]
        return cached_ocr_page(grey, dpi, index + 1)

    try:
        if len(indexes) == 1 or page_threads() == 1:
            return [one(i) for i in indexes]
        with ThreadPoolExecutor(max_workers=page_threads()) as pool:
            return list(pool.map(one, indexes))
    finally:
        with _pdfium_lock:
            document.close()
