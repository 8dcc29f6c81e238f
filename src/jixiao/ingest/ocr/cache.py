"""A page's OCR result kept on disk, keyed by the page image, when asked for.

OCR costs 6-8 CPU s a dense page; reading the same scan again (``--force`` after a
change of the extraction rules, the eval, a batch that holds copies of one file)
should not pay it twice. With ``JIXIAO_OCR_CACHE`` set to a folder, each recognised
page is stored there as JSON under the SHA-256 of its pixels, their shape and the
resolution, and of the reading code itself: the source of `jixiao.ingest.ocr`,
`jixiao.ingest.unruled` and the recogniser's version. A change to any of them reads
pages afresh instead of handing back what older code made of them. Unset, nothing is
written anywhere (the default: scans are usually read once).

JSON, not pickle: a cache folder may be shared, and loading it must not run code. An
entry that cannot be read (damaged, written by other code) is a miss. Writes go to a
temporary file renamed into place, so parallel workers never see half an entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from jixiao.document import TextBox
from jixiao.ingest.ocr.page import OcrCell, OcrLine, OcrPage, OcrTable, ocr_page

#: the environment variable naming the cache folder (unset: no cache)
CACHE_ENV = "JIXIAO_OCR_CACHE"
#: packages whose source decides what a page image reads as
_CODE_PACKAGES = ("ocr", "unruled")


def cache_folder() -> Path | None:
    folder = os.environ.get(CACHE_ENV, "").strip()
    return Path(folder).expanduser() / "ocr" if folder else None


def cached_ocr_page(grey: Any, dpi: float, page: int) -> OcrPage:
    """`ocr_page(grey, dpi, page)`, from the cache when it holds this image."""
    folder = cache_folder()
    if folder is None:
        return ocr_page(grey, dpi, page)
    key = page_key(grey, dpi)
    path = folder / key[:2] / f"{key}.json"
    try:
        return _from_json(json.loads(path.read_text(encoding="utf-8")), page)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not there, or not readable: recognise it
    result = ocr_page(grey, dpi, page)
    _write(path, _to_json(result))
    return result


def page_key(grey: Any, dpi: float) -> str:
    """SHA-256 of the reading code, the resolution, and the image's shape and pixels."""
    digest = hashlib.sha256(_code_version().encode())
    digest.update(f"{dpi:.3f}|{grey.shape}|{grey.dtype}".encode())
    digest.update(memoryview(grey.tobytes()))
    return digest.hexdigest()


@cache
def _code_version() -> str:
    """The reading code's fingerprint: its source files and the recogniser's version."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for package in _CODE_PACKAGES:
        for source in sorted((root / package).glob("*.py")):
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    digest.update((root.parent / "document.py").read_bytes())
    with contextlib.suppress(metadata.PackageNotFoundError):
        digest.update(metadata.version("rapidocr-onnxruntime").encode())
    return digest.hexdigest()


def _write(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        pass  # a full or read-only disk costs the next run time, not this one its result


# ---------------------------------------------------------------------------- JSON
def _box_json(box: TextBox) -> list[Any]:
    return [box.start, box.end, list(box.bbox), box.confidence]


def _box(data: list[Any], page: int) -> TextBox:
    start, end, bbox, confidence = data
    x0, top, x1, bottom = (float(v) for v in bbox)
    return TextBox(int(start), int(end), page, (x0, top, x1, bottom), confidence)


def _to_json(result: OcrPage) -> dict[str, Any]:
    return {
        "height": result.height,
        "rotated": result.rotated,
        "skew": result.skew,
        "lines": [
            [ln.text, ln.top, ln.bottom, ln.x0, ln.x1, [_box_json(b) for b in ln.boxes]]
            for ln in result.lines
        ],
        "tables": [
            {
                "top": t.top,
                "x0": t.x0,
                "x1": t.x1,
                "columns": t.columns,
                "rows": [
                    [
                        [c.text, c.colspan, c.merged_from_above, [_box_json(b) for b in c.boxes]]
                        for c in row
                    ]
                    for row in t.rows
                ],
            }
            for t in result.tables
        ],
    }


def _from_json(data: dict[str, Any], page: int) -> OcrPage:
    """The stored result, its boxes on page `page` (the same image may be another page
    of another file)."""
    lines = [
        OcrLine(text, top, bottom, x0, x1, [_box(b, page) for b in boxes])
        for text, top, bottom, x0, x1, boxes in data["lines"]
    ]
    tables = [
        OcrTable(
            [
                [
                    OcrCell(text, int(span), bool(merged), [_box(b, page) for b in boxes])
                    for text, span, merged, boxes in row
                ]
                for row in t["rows"]
            ],
            t["top"],
            t["x0"],
            t["x1"],
            columns=None if t["columns"] is None else [(a, b) for a, b in t["columns"]],
        )
        for t in data["tables"]
    ]
    return OcrPage(lines, tables, data["height"], data["rotated"], data["skew"])
