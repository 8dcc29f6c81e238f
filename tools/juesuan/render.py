"""Blocks → a PDF with ruled tables, a PDF whose tables have no ruling lines, or a DOCX.

The PDFs use reportlab's built-in CID font STSong-Light (no font file needed) on landscape
A4, as many published 决算 are; the DOCX uses python-docx with 宋体 for East Asian text
and the 'Table Grid' style. A header cell given as None is merged into its left neighbour;
a table's `spans` merge body cells across rows and columns (a 一级指标 cell spanning the
rows it heads).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as RLTable

from juesuan.blocks import Block, Heading, PageBreak, Para, Table

FONT = "STSong-Light"
DOCX_FONT = "宋体"


def _spans(row: Sequence[str | None]) -> list[tuple[int, int]]:
    """(first column, last column) of every horizontal merge in a header row."""
    spans = []
    start = None
    for i, cell in enumerate(row):
        if cell is None:
            if start is None:
                start = i - 1
        elif start is not None:
            spans.append((start, i - 1))
            start = None
    if start is not None:
        spans.append((start, len(row) - 1))
    return spans


# ---------------------------------------------------------------------------- PDF
def render_pdf(blocks: Sequence[Block], path: Path, *, ruled: bool, title: str) -> None:
    rl_config.invariant = 1  # the same bytes on every run: no timestamp, a fixed document id
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    styles = {
        0: ParagraphStyle(
            "cover", fontName=FONT, fontSize=22, leading=32, alignment=TA_CENTER, spaceAfter=18
        ),
        1: ParagraphStyle(
            "h1", fontName=FONT, fontSize=15, leading=22, alignment=TA_CENTER, spaceAfter=10
        ),
        2: ParagraphStyle(
            "h2", fontName=FONT, fontSize=12, leading=18, spaceBefore=6, spaceAfter=4
        ),
    }
    body = {
        "left": ParagraphStyle(
            "body",
            fontName=FONT,
            fontSize=11,
            leading=18,
            firstLineIndent=22,
            wordWrap="CJK",
            alignment=TA_LEFT,
        ),
        "center": ParagraphStyle(
            "center", fontName=FONT, fontSize=12, leading=18, alignment=TA_CENTER
        ),
        "right": ParagraphStyle(
            "right", fontName=FONT, fontSize=11, leading=18, alignment=TA_RIGHT
        ),
    }
    cell_style = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")
    title_style = ParagraphStyle(
        "ttitle", fontName=FONT, fontSize=14, leading=20, alignment=TA_CENTER, spaceAfter=4
    )
    small = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=12)
    story: list = []
    page_width = landscape(A4)[0] - 3 * cm
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 0:
                story.append(Spacer(1, 4 * cm if not story else 0.5 * cm))
            story.append(Paragraph(block.text, styles[block.level]))
        elif isinstance(block, Para):
            story.append(Paragraph(block.text, body[block.align]))
        elif isinstance(block, PageBreak):
            story.append(RLPageBreak())
        else:
            story += _pdf_table(block, page_width, ruled, cell_style, title_style, small)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=title,
        author="",
        subject="",
        creator="",
        producer="",
    )
    doc.build(story)


def _pdf_table(
    block: Table,
    width: float,
    ruled: bool,
    cell_style: ParagraphStyle,
    title_style: ParagraphStyle,
    small: ParagraphStyle,
) -> list:
    out: list = []
    if block.title:
        out.append(Paragraph(block.title, title_style))
    if block.left or block.unit:
        line = RLTable(
            [[Paragraph(block.left, small), Paragraph(block.unit, small)]],
            colWidths=[width * 0.7, width * 0.3],
        )
        line.setStyle(
            TableStyle([("ALIGN", (1, 0), (1, 0), "RIGHT"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        out.append(line)
    n = max(len(r) for r in [*block.header, *block.rows])
    weights = block.widths or [2.2 if i < block.text_columns else 1.0 for i in range(n)]
    if block.text_columns and len(weights) == n and not block.widths:
        # code columns are narrow, the name column wide
        weights = [0.7 if i < block.text_columns - 1 else w for i, w in enumerate(weights)]
        weights[block.text_columns - 1] = 3.0
    scale = width / sum(weights)
    col_widths = [w * scale for w in weights]
    data = []
    for row in block.header:
        data.append([Paragraph(c, cell_style) if c else "" for c in row])
    for row in block.rows:
        cells = []
        for i, c in enumerate(row):
            if c is None:  # covered by a merged cell
                cells.append("")
                continue
            cells.append(
                Paragraph(c, cell_style) if i < block.text_columns or not _numeric(c) else c
            )
        data.append(cells)
    table = RLTable(data, colWidths=col_widths, repeatRows=len(block.header))
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if block.text_columns < n:
        style.append(("ALIGN", (block.text_columns, len(block.header)), (-1, -1), "RIGHT"))
    if block.header:
        style.append(("ALIGN", (0, 0), (-1, len(block.header) - 1), "CENTER"))
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    else:
        style += [("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for r, row in enumerate(block.header):
        style += [("SPAN", (a, r), (b, r)) for a, b in _spans(row)]
    style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in block.spans]
    table.setStyle(TableStyle(style))
    out.append(table)
    out += [Paragraph(note, small) for note in block.notes]
    out.append(Spacer(1, 0.4 * cm))
    return out


def _numeric(text: str) -> bool:
    return bool(text) and all(ch in "0123456789,.-" for ch in text)


# ---------------------------------------------------------------------------- DOCX
def _font(run, size: float | None = None) -> None:
    run.font.name = DOCX_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    if size:
        run.font.size = Pt(size)


def render_docx(blocks: Sequence[Block], path: Path, *, title: str) -> None:
    doc = DocxDocument()
    doc.core_properties.title = title
    # fixed dates: the same bytes on every run
    doc.core_properties.created = doc.core_properties.modified = datetime(2025, 1, 1)
    doc.core_properties.last_modified_by = ""
    doc.core_properties.author = ""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    style = doc.styles["Normal"]
    style.font.name = DOCX_FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    for block in blocks:
        if isinstance(block, Heading):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if block.level < 2 else WD_ALIGN_PARAGRAPH.LEFT
            run = p.add_run(block.text)
            run.bold = True
            _font(run, {0: 22, 1: 15, 2: 12}[block.level])
        elif isinstance(block, Para):
            p = doc.add_paragraph()
            p.alignment = {
                "left": WD_ALIGN_PARAGRAPH.JUSTIFY,
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
            }[block.align]
            if block.align == "left":
                p.paragraph_format.first_line_indent = Pt(22)
            _font(p.add_run(block.text), 11)
        elif isinstance(block, PageBreak):
            doc.add_page_break()
        else:
            _docx_table(doc, block)
    doc.save(str(path))
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """Rewrite the DOCX's ZIP members with one fixed time, so a rerun writes the same bytes."""
    with zipfile.ZipFile(path) as old:
        members = [(info.filename, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in members:
            new.writestr(
                zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )


def _docx_table(doc, block: Table) -> None:
    if block.title:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(block.title)
        run.bold = True
        _font(run, 14)
    if block.left or block.unit:
        p = doc.add_paragraph()
        _font(p.add_run(f"{block.left}\t\t\t\t{block.unit}" if block.left else block.unit), 9)
    n = max(len(r) for r in [*block.header, *block.rows])
    table = doc.add_table(rows=len(block.header) + len(block.rows), cols=n)
    table.style = "Table Grid"
    for r, row in enumerate([*block.header, *block.rows]):
        header = r < len(block.header)
        for c in range(n):
            text = row[c] if c < len(row) else ""
            if text is None:
                continue
            cell = table.cell(r, c)
            para = cell.paragraphs[0]
            if header:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c >= block.text_columns and text:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(para.add_run(text), 8)
        if header:
            for a, b in _spans(row):
                table.cell(r, a).merge(table.cell(r, b))
    for r0, c0, r1, c1 in block.spans:  # covered cells hold nothing, so nothing is moved
        table.cell(r0, c0).merge(table.cell(r1, c1))
    for note in block.notes:
        _font(doc.add_paragraph().add_run(note), 9)
