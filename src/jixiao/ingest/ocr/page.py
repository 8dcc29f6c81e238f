"""One page image → text lines and tables, each piece with its box and confidence.

Steps, in the page's pixels:
1. **orientation**: text lines make the row profile of the ink ripple; a page turned a
   quarter makes the column profile ripple instead, and is turned back. Whether it is
   then upside down (or was turned the other quarter) the direction classifier decides
   by a vote over the widest detected lines;
2. **skew**: the median angle of the long ink runs (text lines dilated into bars, table
   rules), undone when over 0.1°;
3. **detection and recognition** (PP-OCR) on the upright page;
4. **tables** (`tables.find_tables`): recognised pieces whose centre falls in a table's
   grid go to its cells, the others make the text lines, in reading order.

Coordinates: lines and tables are ordered in the upright page's points; each piece's
evidence box is mapped back through the inverse rotation onto the page as the file
holds it (what a viewer renders), in PDF points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jixiao.document import BBox, TextBox
from jixiao.ingest.ocr import tables as grid_tables
from jixiao.ingest.ocr.engine import DET_DPI, engine, stage
from jixiao.ingest.unruled import OCR_JOIN_GAP, Word
from jixiao.ingest.unruled import find_tables as find_unruled

#: recognised pieces below this confidence are noise (specks, stamps), not text
MIN_SCORE = 0.3
#: a piece that is nothing but one of these is a zero the recogniser took for a mark
#: (alone, a small 0 reads as a full stop or a letter o; a lone full stop is never text)
_LONE_ZERO = {"。": "0", "o": "0", "O": "0", "○": "0", "〇": "0"}
#: digits split by a mark no printed figure has: a decimal point misread
_SPLIT_DIGITS = re.compile(r"\d[:：;；。,]\d(?!\d\d(?:\D|$))")
#: share of a detected box's height the characters fill (the detector pads its boxes)
INK_SHARE = 0.7
#: a skew smaller than this is left alone (interpolation blurs more than it fixes)
MIN_SKEW_DEGREES = 0.1


@dataclass
class OcrLine:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    boxes: list[TextBox]


@dataclass
class OcrCell:
    text: str
    colspan: int
    merged_from_above: bool
    boxes: list[TextBox]


@dataclass
class OcrTable:
    rows: list[list[OcrCell]]
    top: float
    x0: float
    x1: float
    #: (left, right) of each column's text, for a table found without ruling lines
    columns: list[tuple[float, float]] | None = None


@dataclass
class OcrPage:
    """A page's recognised content; coordinates of lines and tables in upright points."""

    lines: list[OcrLine] = field(default_factory=list)
    tables: list[OcrTable] = field(default_factory=list)
    height: float = 0.0
    rotated: int = 0
    skew: float = 0.0


def ocr_page(grey: Any, dpi: float, page: int) -> OcrPage:
    """Recognise one page (a greyscale uint8 image at `dpi`) numbered `page`."""
    import numpy as np

    with stage("layout"):
        binary = _binarise(grey)
        quarter = 1 if _turned_a_quarter(binary) else 0
        matrix = _rotation(grey.shape, quarter * 90.0)
        upright_shape = _rotated_shape(grey.shape, quarter)
        skew = _skew(_warp(binary, matrix, upright_shape, 0))
        if abs(skew) >= MIN_SKEW_DEGREES:
            matrix = _rotation_about_centre(upright_shape, skew) @ matrix
        upright = _warp(grey, matrix, upright_shape, 255)
    boxes, crops = _detect(upright, dpi)
    flipped = bool(boxes) and _upside_down(crops)
    if flipped:
        with stage("layout"):
            matrix = _rotation_about_centre(upright_shape, 180.0) @ matrix
            upright = _warp(grey, matrix, upright_shape, 255)
        boxes, crops = _detect(upright, dpi)
    result = OcrPage(
        height=upright_shape[0] * 72.0 / dpi,
        rotated=(quarter * 90 + (180 if flipped else 0)) % 360,
        skew=skew,
    )
    if not boxes:
        return result
    with stage("recognise"):
        recognised, _ = engine().text_rec(crops)
        recognised = _second_look(crops, list(recognised))
    inverse = np.linalg.inv(matrix)
    scale = 72.0 / dpi
    pieces = []
    for k, (quad, (text, score)) in enumerate(zip(boxes, recognised, strict=True)):
        text = text.strip()
        if not text or score < MIN_SCORE:
            continue
        text = _LONE_ZERO.get(text, text)
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        original = _map_quad(inverse, quad)
        pieces.append(
            {
                "k": k,
                "text": text,
                "score": float(score),
                "left": min(xs),
                "right": max(xs),
                "top": min(ys),
                "bottom": max(ys),
                "bbox": tuple(v * scale for v in original),
            }
        )
    with stage("tables"):
        upright_binary = _binarise(upright)
        found = grid_tables.find_tables(upright_binary, dpi)
        loose = []
        for piece in pieces:
            cx = (piece["left"] + piece["right"]) / 2
            cy = (piece["top"] + piece["bottom"]) / 2
            for table in found:
                rid = table.cell_at(cx, cy)
                if rid is not None:
                    height = piece["bottom"] - piece["top"]
                    table.pieces.setdefault(rid, []).append(
                        (cy, piece["left"], height, piece["text"], piece["k"])
                    )
                    break
            else:
                loose.append(piece)
        for table in found:
            pieces += _unseen_cells(
                table, upright, upright_binary, inverse, scale, start=len(boxes) + len(pieces)
            )
        by_k = {p["k"]: p for p in pieces}
        for table in found:
            rows = []
            for row in grid_tables.table_rows(table):
                cells = []
                for text, span, spans in row:
                    cell_boxes = [
                        TextBox(s, e, page, _bbox(by_k[k]["bbox"]), by_k[k]["score"])
                        for s, e, k in spans
                    ]
                    cells.append(OcrCell(text, abs(span), span < 0, cell_boxes))
                rows.append(cells)
            if rows:
                x0, top, x1, _ = table.bbox
                result.tables.append(OcrTable(rows, top * scale, x0 * scale, x1 * scale))
        loose = _unruled(loose, result, page, scale)
        result.lines = _lines(loose, page, scale)
    return result


def _unruled(pieces: list[dict], result: OcrPage, page: int, scale: float) -> list[dict]:
    """Tables without ruling lines among the pieces outside ruled tables, clustered as
    a text PDF's words are (`jixiao.ingest.unruled`); the pieces left over."""
    words = []
    for n, p in enumerate(pieces):
        # detected boxes are padded around the ink: cluster on the text's own height
        middle, half = (p["top"] + p["bottom"]) / 2, (p["bottom"] - p["top"]) * INK_SHARE / 2
        words.append(Word(p["left"], middle - half, p["right"], middle + half, p["text"], n))
    found = find_unruled(words, join_gap=OCR_JOIN_GAP)
    used: set[int] = set()
    for table in found:
        rows = []
        for row in table.rows:
            cells = []
            for cell in row:
                members = [(w.middle, w.x0, w.height, w.text, w.key) for w in cell.words]
                text, spans = grid_tables.ordered_text(members)
                boxes = [
                    TextBox(s, e, page, _bbox(pieces[k]["bbox"]), pieces[k]["score"])
                    for s, e, k in spans
                ]
                used.update(w.key for w in cell.words)
                cells.append(OcrCell(text, cell.colspan, cell.merged_from_above, boxes))
            rows.append(cells)
        result.tables.append(
            OcrTable(
                rows,
                table.top * scale,
                table.x0 * scale,
                table.x1 * scale,
                columns=[(a * scale, b * scale) for a, b in table.columns],
            )
        )
    result.tables.sort(key=lambda t: t.top)
    return [p for n, p in enumerate(pieces) if n not in used]


def _unseen_cells(
    table: grid_tables.GridTable, upright: Any, binary: Any, inverse: Any, scale: float, start: int
) -> list[dict]:
    """Recognise cells that hold ink but no detected text: the detector misses a lone
    short character (一, 二 in a 序号 column), the recogniser reads it from the cell."""
    import numpy as np

    crops: list[Any] = []
    where: list[tuple[int, tuple[int, int, int, int]]] = []
    regions = {rid for row in table.region for rid in row}
    for rid in sorted(regions):
        if rid in table.pieces:
            continue
        r0, r1, c0, c1 = table.region_bounds(rid)
        x0, x1 = table.xs[c0] + 6, table.xs[c1 + 1] - 6
        y0, y1 = table.ys[r0] + 6, table.ys[r1 + 1] - 6
        if x1 - x0 < 6 or y1 - y0 < 6:
            continue
        ink = binary[y0:y1, x0:x1] > 0
        if ink.sum() < 25:
            continue
        rows = np.flatnonzero(ink.any(axis=1))
        cols = np.flatnonzero(ink.any(axis=0))
        # keep a character's full height around its ink (一 alone is a thin stroke)
        middle = y0 + (rows[0] + rows[-1]) // 2
        half = max((rows[-1] - rows[0]) // 2 + 4, min((y1 - y0) // 2, 24))
        top, bottom = max(middle - half, y0 - 2), min(middle + half, y1 + 2)
        pad = (bottom - top) // 2
        left, right = max(x0 + cols[0] - pad, x0 - 2), min(x0 + cols[-1] + pad, x1 + 2)
        crop = upright[max(top, 0) : bottom, max(left, 0) : right]
        if crop.size == 0:
            continue
        import cv2

        crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR))
        where.append((rid, (left, top, right, bottom)))
    if not crops:
        return []
    with stage("recognise"):
        recognised, _ = engine().text_rec(crops)
    found = []
    for n, ((rid, (left, top, right, bottom)), (text, score)) in enumerate(
        zip(where, recognised, strict=True)
    ):
        text = _LONE_ZERO.get(text.strip(), text.strip())
        if not text or score < MIN_SCORE:
            continue
        quad = [[left, top], [right, top], [right, bottom], [left, bottom]]
        original = _map_quad(inverse, quad)
        k = start + n
        table.pieces[rid] = [((top + bottom) / 2, left, bottom - top, text, k)]
        found.append(
            {"k": k, "text": text, "score": float(score), "left": left, "right": right,
             "top": top, "bottom": bottom, "bbox": tuple(v * scale for v in original)}
        )  # fmt: skip
    return found


def _second_look(crops: list, recognised: list) -> list:
    """Read again the pieces whose digits are split by a mark no figure has (4:4, 4。4,
    4;4 — at this size a decimal point and a colon differ by a pixel): from the crop
    enlarged and from it binarised. The surest plain reading replaces the first."""
    import cv2

    suspects = [k for k, (text, _) in enumerate(recognised) if _SPLIT_DIGITS.search(text)]
    if not suspects:
        return recognised
    again = []
    for k in suspects:
        crop = crops[k]
        grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
        _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        again.append(cv2.resize(crop, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC))
        again.append(cv2.cvtColor(binary, cv2.COLOR_GRAY2BGR))
    second, _ = engine().text_rec(again)
    for n, k in enumerate(suspects):
        readings = [
            r for r in second[2 * n : 2 * n + 2] if r[0].strip() and not _SPLIT_DIGITS.search(r[0])
        ]
        if readings:
            recognised[k] = max(readings, key=lambda r: r[1])
    return recognised


def _bbox(values: tuple) -> BBox:
    x0, top, x1, bottom = values
    return (float(x0), float(top), float(x1), float(bottom))


def _lines(pieces: list[dict], page: int, scale: float) -> list[OcrLine]:
    """Pieces outside tables grouped into lines (by their vertical centres), in order."""
    items = [
        ((p["top"] + p["bottom"]) / 2, p["left"], p["bottom"] - p["top"], p["text"], n)
        for n, p in enumerate(pieces)
    ]
    lines: list[OcrLine] = []
    for group in _group_lines(items):
        text = ""
        boxes: list[TextBox] = []
        previous_right: float | None = None
        for item in group:
            piece = pieces[item[4]]
            height = piece["bottom"] - piece["top"]
            if previous_right is not None and piece["left"] - previous_right > 2.0 * height:
                text += " "  # a wide gap inside a line (a form's label and its value)
            boxes.append(
                TextBox(
                    len(text),
                    len(text) + len(piece["text"]),
                    page,
                    _bbox(piece["bbox"]),
                    piece["score"],
                )
            )
            text += piece["text"]
            previous_right = piece["right"]
        members = [pieces[item[4]] for item in group]
        lines.append(
            OcrLine(
                text=text,
                top=min(m["top"] for m in members) * scale,
                bottom=max(m["bottom"] for m in members) * scale,
                x0=min(m["left"] for m in members) * scale,
                x1=max(m["right"] for m in members) * scale,
                boxes=boxes,
            )
        )
    lines.sort(key=lambda line: line.top)
    return lines


def _group_lines(items: list[tuple[float, float, float, str, int]]) -> list[list]:
    groups: list[list] = []
    for item in sorted(items):
        if groups:
            last = groups[-1]
            centre = sum(i[0] for i in last) / len(last)
            height = min(i[2] for i in last)
            if abs(item[0] - centre) < 0.4 * min(item[2], height):
                last.append(item)
                continue
        groups.append([item])
    for group in groups:
        group.sort(key=lambda i: i[1])
    return groups


# ---------------------------------------------------------------------------- detection
def _detect(upright: Any, dpi: float) -> tuple[list, list]:
    """Text boxes (quads in upright pixels, reading order) and their crops: detection on
    the page reduced to `DET_DPI`, crops from the page at full resolution."""
    import cv2

    ocr = engine()
    colour = cv2.cvtColor(upright, cv2.COLOR_GRAY2BGR)
    factor = min(1.0, DET_DPI / dpi)
    with stage("detect"):
        small = colour
        if factor < 1.0:
            small = cv2.resize(colour, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        found, _ = ocr.text_det(small)
        if found is None or len(found) == 0:
            return [], []
        boxes = ocr.sorted_boxes(found / factor)
        crops = ocr.get_crop_img_list(colour, [b.astype("float32") for b in boxes])
    return [b.tolist() for b in boxes], crops


def _upside_down(crops: list) -> bool:
    """A vote of the direction classifier over the widest lines: most read as 180°."""
    widest = sorted(range(len(crops)), key=lambda k: -crops[k].shape[1])[:9]
    with stage("detect"):
        _, labels, _ = engine().text_cls([crops[k] for k in widest])
    flipped = sum(1 for label, score in labels if label == "180" and score > 0.8)
    upright = sum(1 for label, score in labels if label == "0" and score > 0.8)
    return flipped > upright


# ---------------------------------------------------------------------------- geometry
def _binarise(grey: Any) -> Any:
    import cv2

    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary


def _turned_a_quarter(binary: Any) -> bool:
    """Text lines run across the image: the row profile ripples more than the column one."""
    import cv2
    import numpy as np

    scale = 800.0 / max(binary.shape)
    small = cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    rows = small.mean(axis=1)
    cols = small.mean(axis=0)
    ripple_rows = float(np.abs(np.diff(rows)).mean()) if len(rows) > 1 else 0.0
    ripple_cols = float(np.abs(np.diff(cols)).mean()) if len(cols) > 1 else 0.0
    return ripple_cols > 1.3 * ripple_rows


def _skew(binary: Any) -> float:
    """The page's skew in degrees: the angle that makes the row profile of the ink
    sharpest (text lines and table rules then fall on whole rows), searched coarse to
    fine over ±3° on a reduced image."""
    import cv2
    import numpy as np

    scale = min(1.0, 900.0 / max(binary.shape))
    small = cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = ((w - 1) / 2.0, (h - 1) / 2.0)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float((np.diff(profile) ** 2).sum())

    best = 0.0
    for step, reach in ((0.25, 3.0), (0.05, 0.25), (0.01, 0.05)):
        candidates = np.arange(best - reach, best + reach + step / 2, step)
        best = float(max(candidates, key=sharpness))
    return round(best, 2)


def _rotated_shape(shape: tuple, quarter: int) -> tuple[int, int]:
    h, w = shape[:2]
    return (w, h) if quarter % 2 else (h, w)


def _rotation(shape: tuple, degrees: float) -> Any:
    """3×3 matrix turning an image of `shape` by a multiple of 90° onto a fresh canvas."""
    import numpy as np

    w = shape[1]
    if degrees % 360 == 0:
        return np.eye(3)
    # a quarter turn counter-clockwise: (x, y) → (y, w - 1 - x)
    return np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, w - 1.0], [0.0, 0.0, 1.0]])


def _rotation_about_centre(shape: tuple[int, int], degrees: float) -> Any:
    import cv2
    import numpy as np

    h, w = shape
    m = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), degrees, 1.0)
    return np.vstack([m, [0.0, 0.0, 1.0]])


def _warp(image: Any, matrix: Any, shape: tuple[int, int], fill: int) -> Any:
    import cv2

    h, w = shape
    return cv2.warpAffine(image, matrix[:2], (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def _map_quad(inverse: Any, quad: list) -> tuple[float, float, float, float]:
    """A quad in upright pixels as a box on the page as stored, in pixels."""
    xs, ys = [], []
    for x, y in quad:
        px = inverse[0, 0] * x + inverse[0, 1] * y + inverse[0, 2]
        py = inverse[1, 0] * x + inverse[1, 1] * y + inverse[1, 2]
        xs.append(px)
        ys.append(py)
    return min(xs), min(ys), max(xs), max(ys)
