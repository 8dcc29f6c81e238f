"""Page images for the review: the source page drawn beside the text, the evidence box
on it.

The store keeps the source file's *path* (its absolute path when it was extracted) and
its SHA-256, not its bytes: a real batch is gigabytes of PDFs that already live in an
archive, and copying them into the database would double the storage and slow every
backup and export for a picture the reviewer needs now and then. The path is checked
against the hash before a page is drawn (a moved or changed file draws nothing), and
`--sources DIR` finds files that moved, by their path relative to that folder or their
file name.

Rendering goes through `render_page` only, so switching to the ingest package's page
renderer is one import.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path

from jixiao.errors import JixiaoError

#: pixels per PDF point of the rendered pages (1.5: 72 pt → 108 px per inch)
SCALE = 1.5
PAGE_FORMATS = ("pdf", "image")


class PageUnavailable(JixiaoError):
    reason = "page_unavailable"


def render_page(path: Path, page: int, scale: float = SCALE) -> bytes:
    """Page `page` (1-based) of the PDF at `path` as PNG bytes."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise PageUnavailable(f"{path.name} cannot be opened as a PDF: {exc}") from exc
    try:
        if not 1 <= page <= len(pdf):
            raise PageUnavailable(f"{path.name} has no page {page} (it has {len(pdf)})")
        image = pdf[page - 1].render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        pdf.close()


def image_page(path: Path) -> bytes:
    """An image source (a scan) as PNG."""
    from PIL import Image

    with Image.open(path) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG")
        return out.getvalue()


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """(width, height) of every page in PDF points, to place boxes on the images."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf.get_page_size(i) for i in range(len(pdf))]
    finally:
        pdf.close()


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
    """A rendered page, kept while the file is unchanged (a reviewer flips back and forth)."""
    if kind == "image":
        return image_page(Path(path))
    return render_page(Path(path), page)
