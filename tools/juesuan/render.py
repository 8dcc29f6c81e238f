"""Blocks → a PDF with ruled tables, a PDF whose tables have no ruling lines, a DOCX, or
the HTML page of a 政府信息公开 site.

The PDFs use reportlab's built-in CID font STSong-Light (no font file needed) on landscape
A4, as many published 决算 are (or portrait, where long tables run over pages); the DOCX uses python-docx with 宋体 for East Asian text
and the 'Table Grid' style. A header cell given as None is merged into its left neighbour;
a table's `spans` merge body cells across rows and columns (a 一级指标 cell spanning the
rows it heads).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import datetime
from html import escape
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
def render_pdf(
    blocks: Sequence[Block],
    path: Path,
    *,
    ruled: bool,
    title: str,
    portrait: bool = False,
    repeat_header: bool = True,
) -> None:
    """A PDF with a text layer, as Word and Excel exports are.

    `portrait` prints on A4 portrait, where long tables run over pages; a table split
    over pages repeats its header rows unless `repeat_header` is off (many exports do not).
    """
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
    pagesize = A4 if portrait else landscape(A4)
    page_width = pagesize[0] - 3 * cm
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
            story += _pdf_table(
                block, page_width, ruled, cell_style, title_style, small, repeat_header
            )
    doc = SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
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
    repeat_header: bool = True,
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
    table = RLTable(
        data, colWidths=col_widths, repeatRows=len(block.header) if repeat_header else 0
    )
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


# ---------------------------------------------------------------------------- HTML
def _cell(text: str | None, tag: str, span: int = 1) -> str:
    attr = f' colspan="{span}"' if span > 1 else ""
    return f"<{tag}{attr}>{escape(text or '')}</{tag}>"


def _html_table(block: Table) -> list[str]:
    out = []
    if block.title:
        out.append(f'<p style="text-align:center"><strong>{escape(block.title)}</strong></p>')
    if block.left or block.unit:
        out.append(
            f"<p><span>{escape(block.left)}</span>&nbsp;&nbsp;&nbsp;&nbsp;"
            f'<span style="float:right">{escape(block.unit)}</span></p>'
        )
    out.append(
        '<table border="1" cellspacing="0" cellpadding="2" style="border-collapse:collapse">'
    )
    rows = [*block.header, *block.rows]
    covered = {
        (r, c)
        for r0, c0, r1, c1 in block.spans
        for r in range(r0, r1 + 1)
        for c in range(c0, c1 + 1)
        if (r, c) != (r0, c0)
    }
    starts = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in block.spans}
    for r, row in enumerate(rows):
        header = r < len(block.header)
        cells = []
        c = 0
        while c < len(row):
            if (r, c) in covered:
                c += 1
                continue
            span = 1
            while c + span < len(row) and row[c + span] is None and (r, c + span) not in covered:
                span += 1
            rowspan, colspan = starts.get((r, c), (1, span))
            attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
                f' colspan="{colspan}"' if colspan > 1 else ""
            )
            tag = "th" if header else "td"
            cells.append(f"<{tag}{attrs}>{escape(row[c] or '')}</{tag}>")
            c += max(span, colspan)
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    out += [f"<p>{escape(note)}</p>" for note in block.notes]
    return out


def render_html(
    blocks: Sequence[Block],
    path: Path,
    *,
    title: str,
    site: str,
    meta: Sequence[tuple[str, str]] = (),
    traditional: bool = False,
    charset: str = "utf-8",
) -> None:
    """A 政府信息公开 article page: the site's navigation and metadata rows around the report.

    `traditional` gives the page a site's 繁體 switch would serve (every character
    converted with OpenCC's s2t); `charset` gb2312 writes GB18030 bytes under a GB2312
    declaration, as many government sites do.
    """
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            tag = {0: "h1", 1: "h2", 2: "h3"}[block.level]
            style = ' style="text-align:center"' if block.level < 2 else ""
            body.append(f"<{tag}{style}>{escape(block.text)}</{tag}>")
        elif isinstance(block, Para):
            align = {
                "left": "",
                "center": ' style="text-align:center"',
                "right": ' style="text-align:right"',
            }
            body.append(f"<p{align[block.align]}>{escape(block.text)}</p>")
        elif isinstance(block, Table):
            body += _html_table(block)
    nav = "".join(
        f'<li><a href="/col{i}/">{escape(name)}</a></li>'
        for i, name in enumerate(
            ["首页", "政务公开", "政府信息公开目录", "财政预决算", "互动交流"], 1
        )
    )
    rows = "".join(f"<tr><td>{escape(k)}：</td><td>{escape(v)}</td></tr>" for k, v in meta)
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            "<html>",
            "<head>",
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
            f"<title>{escape(title)}_{escape(site)}</title>",
            "</head>",
            "<body>",
            f'<div class="header"><div class="logo">{escape(site)}</div><ul class="nav">{nav}</ul></div>',
            '<div class="crumb"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
            '<a href="/zwgk/czyjs/">财政预决算</a></div>',
            '<div class="main">',
            f'<table class="meta">{rows}</table>' if rows else "",
            '<div class="article">',
            *body,
            "</div>",
            '<div class="tools"><a href="javascript:window.print()">【打印本页】</a> '
            '<a href="javascript:window.close()">【关闭窗口】</a></div>',
            "</div>",
            f'<div class="footer">主办：{escape(site)}　版权所有</div>',
            "</body>",
            "</html>",
            "",
        ]
    )
    if traditional:
        import opencc  # only the 繁體 page needs it

        page = opencc.OpenCC("s2t").convert(page)
    encoding = "gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset
    path.write_bytes(page.encode(encoding))
