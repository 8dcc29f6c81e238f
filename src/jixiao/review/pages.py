"""Page images for the review: the source page drawn beside the text, the evidence box
on it.

The store keeps the source file's *path* (its absolute path when it was extracted) and
its SHA-256, not its bytes: a real batch is gigabytes of PDFs that already live in an
archive, and copying them into the database would double the storage and slow every
backup and export for a picture the reviewer needs now and then. The path is checked
against the hash before a page is drawn (a moved or changed file draws nothing), and
`--sources DIR` finds files that moved, by their path relative to that folder or their
file name.

Pages are drawn by the ingest package's `render_page` (PDF pages and every frame of an
image source, at the scale evidence boxes use); `page_sizes` gives each page's size in
the same PDF points, so a box is placed on either kind the same way.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from jixiao.errors import InputError, JixiaoError

#: pixels per PDF point of the rendered pages (1.5: 72 pt → 108 px per inch)
SCALE = 1.5
PAGE_FORMATS = ("pdf", "image")


class PageUnavailable(JixiaoError):
    reason = "page_unavailable"


def page_sizes(path: Path, kind: str = "pdf") -> list[tuple[float, float]]:
    """(width, height) of every page in PDF points, to place boxes on the images. An
    image's frames are taken as printed at their resolution (as OCR boxes are)."""
    if kind == "image":
        return _image_sizes(path)
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf.get_page_size(i) for i in range(len(pdf))]
    finally:
        pdf.close()


def _image_sizes(path: Path) -> list[tuple[float, float]]:
    from PIL import Image, ImageSequence

    from jixiao.ingest.image import MAX_PIXELS, image_dpi

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(path) as image:
        sizes = []
        for frame in ImageSequence.Iterator(image):
            points = 72.0 / image_dpi(frame)
            sizes.append((frame.width * points, frame.height * points))
        return sizes


@lru_cache(maxsize=256)
def _sha256_of(path: str, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_source(
    source_file: str | None, path: str, sha256: str | None, sources: Path | None
) -> Path | None:
    """The source file of a document, if it is still where it was (or under `sources`)
    with the same content; None otherwise."""
    candidates: list[Path] = []
    if sources is not None:
        relative = Path(path)
        if not relative.is_absolute():
            candidates.append(sources / relative)
        candidates.append(sources / relative.name)
    if source_file:
        candidates.append(Path(source_file))
    for candidate in candidates:
        try:
            stat = candidate.stat()
        except OSError:
            continue
        if not sha256 or _sha256_of(str(candidate), stat.st_size, stat.st_mtime) == sha256:
            return candidate
    return None


@lru_cache(maxsize=64)
def cached_page(path: str, page: int, size: int, mtime: float, kind: str) -> bytes:
    """A rendered page, kept while the file is unchanged (a reviewer flips back and forth).

    `kind` (the stored format) is part of the cache key only: the renderer tells a PDF
    from an image by its bytes."""
    from jixiao.ingest.pages import render_page

    try:
        return render_page(Path(path), page, scale=SCALE)
    except InputError as exc:
        raise PageUnavailable(f"{Path(path).name}: {exc}") from exc
