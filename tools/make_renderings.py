"""Render a seed's parsed TXT as DOCX and PDF, so the three readers can be compared.

    .venv/bin/python tools/make_renderings.py 000 002

writes ``eval/fixtures/<id>-docx/source.docx`` and ``eval/fixtures/<id>-pdf/source.pdf``.
The renderings carry the same paragraphs and tables as the TXT, laid out the way real
disclosures are: a row shorter than the table spans its last cell to the right edge; an
empty cell under a label in the first two columns is a real vertical merge; the PDF has a
running header and a page-number footer on every page, lets long tables cross page
breaks, and sets one paragraph with the "2021 年" spacing a PDF layout produces.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jixiao.document import Document, Paragraph, Table  # noqa: E402
from jixiao.ingest import load  # noqa: E402

FONT = "宋体"
PDF_FONT = "STSong-Light"
#: only label columns get vertical merges; an empty value cell is just empty
MERGE_COLUMNS = 2
#: rows one PDF span may cover; a longer merge is restarted so the table can break pages
MAX_PDF_SPAN = 10


# ---------------------------------------------------------------------------- layout
def grid(rows: Sequence[Sequence[str]]) -> tuple[int, list[list[tuple[int, int]]]]:
    """Column count and, per row, each cell's (first grid column, span)."""
    n_cols = max(len(r) for r in rows)
    layout = []
    for row in rows:
        cells = [(c, 1) for c in range(len(row))]
        if cells and len(row) < n_cols:
            first, _ = cells[-1]
            cells[-1] = (first, n_cols - first)
        layout.append(cells)
    return n_cols, layout


def vertical_merges(
    rows: Sequence[Sequence[str]], layout: list[list[tuple[int, int]]]
) -> set[tuple[int, int]]:
    """(row, cell) positions that continue the cell above them."""
    merged: set[tuple[int, int]] = set()
    for r in range(1, len(rows)):
        above = {pos: k for k, pos in enumerate(layout[r - 1])}
        for k, pos in enumerate(layout[r]):
            if pos[0] >= MERGE_COLUMNS or rows[r][k] or pos not in above:
                continue
            k_above = above[pos]
            if rows[r - 1][k_above] or (r - 1, k_above) in merged:
                merged.add((r, k))
    return merged


# ---------------------------------------------------------------------------- DOCX
def write_docx(doc: Document) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    out = docx.Document()
    normal = out.styles["Normal"]
    normal.font.name = FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.add_paragraph(doc.para_text(block))
            continue
        rows = block.row_texts()
        n_cols, layout = grid(rows)
        merged = vertical_merges(rows, layout)
        table = out.add_table(rows=len(rows), cols=n_cols)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for k, text in enumerate(row):
                first, span = layout[r][k]
                cell = table.cell(r, first)
                if span > 1:
                    cell = cell.merge(table.cell(r, first + span - 1))
                cell.text = text
                if (r, k) in merged or (r + 1, k) in merged:
                    v_merge = OxmlElement("w:vMerge")
                    if (r, k) not in merged:
                        v_merge.set(qn("w:val"), "restart")
                    cell._tc.get_or_add_tcPr().append(v_merge)
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- PDF
def write_pdf(doc: Document, *, header: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph as PdfParagraph
    from reportlab.platypus import SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=10.5, leading=15, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=8, leading=10, wordWrap="CJK")
    width = A4[0] - 40 * mm

    def decorate(canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFont(PDF_FONT, 8)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, header)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {canvas.getPageNumber()} 页")
        canvas.restoreState()

    story: list = []
    spaced_once = False
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = doc.para_text(block)
            if not spaced_once and re.search(r"\d年", text):
                text = re.sub(r"(\d)(?=[年月日万元])", r"\1 ", text)  # "2021 年" layout gap
                spaced_once = True
            story.append(PdfParagraph(_escape(text), body))
            continue
        story.append(Spacer(1, 4))
        story.append(_pdf_table(block, width, cell_style, PdfTable, PdfParagraph, colors))
        story.append(Spacer(1, 4))
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        title=header,
        invariant=1,
    ).build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _pdf_table(block: Table, width: float, style, PdfTable, PdfParagraph, colors):
    rows = block.row_texts()
    n_cols, layout = grid(rows)
    merged = vertical_merges(rows, layout)
    data = [["" for _ in range(n_cols)] for _ in rows]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            first, span = layout[r][k]
            data[r][first] = PdfParagraph(_escape(text), style) if text else ""
            if span > 1:
                commands.append(("SPAN", (first, r), (first + span - 1, r)))
            # reportlab cannot break a page inside a span: every span stops before a row
            # that is a multiple of MAX_PDF_SPAN, the same rows in every column
            starts_span = (r, k) not in merged or r % MAX_PDF_SPAN == 0
            if not starts_span:
                continue
            end = r
            while (end + 1, k) in merged and (end + 1) % MAX_PDF_SPAN:
                end += 1
            if end > r:
                commands.append(("SPAN", (first, r), (first + span - 1, end)))
    return PdfTable(data, colWidths=[width / n_cols] * n_cols, style=commands)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------- main
def render(seed: str, root: Path = ROOT) -> tuple[Path, Path]:
    doc = load(root / "eval" / "fixtures" / seed / "source.txt")
    docx_path = root / "eval" / "fixtures" / f"{seed}-docx" / "source.docx"
    pdf_path = root / "eval" / "fixtures" / f"{seed}-pdf" / "source.pdf"
    docx_path.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    docx_path.write_bytes(write_docx(doc))
    pdf_path.write_bytes(write_pdf(doc, header="部门整体支出绩效自评报告（测试渲染）"))
    return docx_path, pdf_path


if __name__ == "__main__":
    for seed_id in sys.argv[1:] or ["000", "002"]:
        for path in render(seed_id):
            print(path.relative_to(ROOT), path.stat().st_size)
