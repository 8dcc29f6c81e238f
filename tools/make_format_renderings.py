"""Render seeds into the other formats disclosures come in, to test the readers on them.

    .venv/bin/python tools/make_format_renderings.py            # every rendering below
    .venv/bin/python tools/make_format_renderings.py xlsx html  # some of them

Each rendering is written to ``eval/fixtures/<seed>-<format>/`` with a ``gold.json``
that shares its seed's gold (``same_as``):

* ``002-xlsx`` / ``002-xls``: the seed's paragraphs and tables, one table per sheet, as a
  budget office fills the form in Excel: figures are numbers under a number format
  (38.598 under ``0.000``, 100% under ``0%``, 173.4271万元 under ``0.0000"万元"``), a row
  shorter than the table spans its last cell, an empty label cell under a label is a
  vertical merge (the layout `make_renderings` gives DOCX and PDF). The XLS is the XLSX
  saved by LibreOffice.
* ``000-doc``: the DOCX rendering saved as Word 97 by LibreOffice.
* ``000-html``: a 政府信息公开 page in GBK with a ``<meta charset>``, navigation, a
  breadcrumb, a sidebar and a footer around the report, tables with rowspan/colspan.
* scans and an image: see `scan_renderings` (``000-scan150``, ``002-scan200``,
  ``002-scan90``, ``002-image``).

LibreOffice (``soffice``) is needed for the XLS and the DOC.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "eval" / "fixtures"
sys.path.insert(0, str(ROOT / "src"))

from jixiao.document import Document, Paragraph  # noqa: E402
from jixiao.ingest import load  # noqa: E402


def _layout_module():
    spec = importlib.util.spec_from_file_location(
        "make_renderings", Path(__file__).with_name("make_renderings.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


layout = _layout_module()


def write_gold(fixture: str, seed: str, **extra: object) -> None:
    path = FIXTURES / fixture / "gold.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"same_as": seed, **extra}, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------- XLSX / XLS
_NUMBER = re.compile(r"^(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%|万元|元)?$")


def number_cell(text: str) -> tuple[float, str] | None:
    """(value, number format) that displays exactly `text`, for a figure; None for text."""
    m = _NUMBER.match(text.strip())
    if m is None or (m.group(2).startswith("0") and len(m.group(2)) > 1 and "," not in m.group(2)):
        return None  # "001" is a code, not a number
    sign, whole, decimals, unit = m.groups()
    value = float(sign + whole.replace(",", "") + ("." + decimals if decimals else ""))
    body = ("#,##0" if "," in whole else "0") + ("." + "0" * len(decimals) if decimals else "")
    if unit == "%":
        return value / 100, body + "%"
    if unit:
        return value, f'{body}"{unit}"'
    return value, body


def write_xlsx(doc: Document) -> bytes:
    """Paragraphs before a table go above it on its sheet; one table per sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    pending: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            pending.append(doc.para_text(block))
            continue
        sheet = book.create_sheet(f"Sheet{len(book.worksheets) + 1}")
        row = 1
        for text in pending:
            sheet.cell(row=row, column=1, value=text)
            row += 2  # an empty row between a title and what follows
        pending = []
        _write_table(sheet, block.row_texts(), first_row=row)
    if pending:
        sheet = book.create_sheet(f"Sheet{len(book.worksheets) + 1}")
        for k, text in enumerate(pending):
            sheet.cell(row=1 + 2 * k, column=1, value=text)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_table(sheet, rows: list[list[str]], *, first_row: int) -> None:
    _, grid = layout.grid(rows)
    merged = layout.vertical_merges(rows, grid)
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            first, span = grid[r][k]
            cell = sheet.cell(row=first_row + r, column=1 + first)
            number = number_cell(text) if text else None
            if number is not None:
                cell.value, cell.number_format = number
            elif text:
                cell.value = text
            if (r, k) in merged:
                continue
            end = r
            while (end + 1, k) in merged:
                end += 1
            if span > 1 or end > r:
                sheet.merge_cells(
                    start_row=first_row + r,
                    start_column=1 + first,
                    end_row=first_row + end,
                    end_column=first + span,
                )


def soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    """`data` (a file ending in `suffix`) converted by LibreOffice to `target` (e.g. 'xls')."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit(
            "LibreOffice is needed: apt-get install libreoffice-calc-nogui libreoffice-writer-nogui"
        )
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"source{suffix}"
        source.write_bytes(data)
        filters = {"xls": "xls:MS Excel 97", "doc": "doc:MS Word 97"}
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                filters.get(target, target),
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(tmp) / f"source.{target}").read_bytes()


def render_spreadsheets(seed: str = "002") -> list[Path]:
    doc = load(FIXTURES / seed / "source.txt")
    xlsx = write_xlsx(doc)
    out = []
    for fmt, data in (("xlsx", xlsx), ("xls", soffice_convert(xlsx, ".xlsx", "xls"))):
        path = FIXTURES / f"{seed}-{fmt}" / f"source.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        write_gold(f"{seed}-{fmt}", seed)
        out.append(path)
    return out


def render_doc(seed: str = "000") -> list[Path]:
    import docx as python_docx

    # Word always ends a document with a paragraph; python-docx leaves the body ending
    # in a table, which LibreOffice's Word 97 export flattens into text
    document = python_docx.Document(FIXTURES / f"{seed}-docx" / "source.docx")
    document.add_paragraph("")
    buffer = BytesIO()
    document.save(buffer)
    docx = buffer.getvalue()
    path = FIXTURES / f"{seed}-doc" / "source.doc"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(soffice_convert(docx, ".docx", "doc"))
    write_gold(f"{seed}-doc", seed)
    return [path]


# ---------------------------------------------------------------------------- HTML
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
PAGE_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}_西区人民政府</title>
<link rel="stylesheet" href="/css/main.css" />
<script type="text/javascript">var _hmt = _hmt || []; function printPage() {{ window.print(); }}</script>
<style>.nav li {{ float: left; }} td {{ border: 1px solid #000; }}</style>
</head><body>
<div class="top"><div class="logo"><img src="/images/logo.png" alt="西区人民政府" /></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxq/">走进西区</a></li></ul>
<form class="search" action="/search"><input name="q" /><button>搜索</button></form></div>
<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; <a href="/zwgk/czyjs/">财政预决算</a></div>
<div class="left"><h3>信息公开目录</h3><ul><li><a href="/zwgk/zcwj/">政策文件</a></li><li><a href="/zwgk/czyjs/">财政预决算</a></li>
<li><a href="/zwgk/rsxx/">人事信息</a></li><li><a href="/zwgk/ghjh/">规划计划</a></li></ul></div>
<div class="right"><div class="article">
"""
PAGE_FOOT = """</div>
<div class="tools"><a href="javascript:printPage()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="pages"><a href="/zwgk/czyjs/1.html">上一篇：西区财政局2021年部门整体支出绩效自评报告</a><br/><a href="/zwgk/czyjs/3.html">下一篇：西区民政局2021年部门整体支出绩效自评报告</a></div>
</div></div>
<div class="footer"><p><a href="/about">关于我们</a> | <a href="/map">网站地图</a> | <a href="/contact">联系我们</a></p>
<p>主办：攀枝花市西区人民政府办公室　网站标识码：5104030001　蜀ICP备05000000号</p></div>
</body></html>
"""


def write_html(doc: Document) -> bytes:
    """The seed as a 政府信息公开 page: the report between the site's chrome, in GBK."""
    from html import escape

    body: list[str] = []
    title = ""
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = doc.para_text(block)
            if not title and len(text) > 8:
                title = text
                body.append(f'<h1 class="title">{escape(text)}</h1>')
            elif _HEADING.match(text):
                body.append(f"<h3>{escape(text)}</h3>")
            else:
                body.append(f'<p style="text-indent:2em">{escape(text)}</p>')
            continue
        body.append(_html_table(block.row_texts()))
    page = PAGE_HEAD.format(title=escape(title)) + "\n".join(body) + PAGE_FOOT
    return page.encode("gbk")


def _html_table(rows: list[list[str]]) -> str:
    from html import escape

    _, grid = layout.grid(rows)
    merged = layout.vertical_merges(rows, grid)
    out = ['<table cellspacing="0" cellpadding="0" border="1" width="100%"><tbody>']
    for r, row in enumerate(rows):
        cells = []
        for k, text in enumerate(row):
            if (r, k) in merged:
                continue
            _, span = grid[r][k]
            down = 1
            while (r + down, k) in merged:
                down += 1
            attrs = (f' colspan="{span}"' if span > 1 else "") + (
                f' rowspan="{down}"' if down > 1 else ""
            )
            cells.append(f"<td{attrs}>{escape(text) or '&nbsp;'}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render_html(seed: str = "000") -> list[Path]:
    path = FIXTURES / f"{seed}-html" / "source.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(write_html(load(FIXTURES / seed / "source.txt")))
    write_gold(f"{seed}-html", seed)
    return [path]


# ---------------------------------------------------------------------------- scans
def scanned_pages(
    pdf: bytes,
    dpi: float,
    *,
    skew: float,
    seed: int,
    quarter_turn: bool = False,
    sheet_by_sheet: bool = True,
) -> list:
    """The PDF's pages as a scanner gives them: grey, a little askew, with sensor noise
    and specks; `quarter_turn` feeds the sheets sideways (the page image turned 90°).
    Fed sheet by sheet, each page lies askew its own way; otherwise all alike."""
    import numpy as np
    import pypdfium2
    from PIL import Image

    rng = np.random.default_rng(seed)
    images = []
    document = pypdfium2.PdfDocument(pdf)
    for index in range(len(document)):
        grey = document[index].render(scale=dpi / 72, grayscale=True).to_numpy()
        if grey.ndim == 3:
            grey = grey[:, :, 0]
        image = Image.fromarray(grey).rotate(
            skew * (1 if index % 2 == 0 or not sheet_by_sheet else -0.6),
            resample=Image.Resampling.BICUBIC,
            fillcolor=255,
        )
        pixels = np.asarray(image, dtype=np.float32)
        pixels = pixels * 0.9 + 12 + rng.normal(0, 5, pixels.shape)  # paper tone, noise
        specks = rng.random(pixels.shape) < 0.0004
        pixels[specks] = rng.uniform(0, 120, int(specks.sum()))
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        if quarter_turn:
            image = image.rotate(90, expand=True)
        images.append(image)
    document.close()
    return images


def pdf_pages(pdf: bytes, numbers: list[int]) -> bytes:
    """A PDF of some pages of another (1-based numbers), to scan a page or two of a
    long fixture (an unruled table of gen-plain-4) without OCR'ing all of it."""
    import pypdfium2

    source = pypdfium2.PdfDocument(pdf)
    out = pypdfium2.PdfDocument.new()
    out.import_pages(source, [n - 1 for n in numbers])
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def image_pdf(images: list, dpi: float) -> bytes:
    """Page images wrapped as an image-only PDF (no text layer), as JPEG like scanners do."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for image in images:
        width, height = image.width * 72 / dpi, image.height * 72 / dpi
        jpeg = BytesIO()
        image.save(jpeg, "JPEG", quality=55)
        jpeg.seek(0)
        pdf.setPageSize((width, height))
        pdf.drawImage(ImageReader(jpeg), 0, 0, width, height)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def long_image(images: list, dpi: float) -> bytes:
    """Pages stacked into one tall JPEG (the 长图 sites publish), margins cut off."""
    from PIL import Image

    margin = int(0.8 * dpi)  # the running header and the page number
    strips = [im.crop((0, margin, im.width, im.height - margin)) for im in images]
    tall = Image.new("L", (strips[0].width, sum(s.height for s in strips)), 255)
    top = 0
    for strip in strips:
        tall.paste(strip, (0, top))
        top += strip.height
    buffer = BytesIO()
    tall.save(buffer, "JPEG", dpi=(dpi, dpi), quality=55)
    return buffer.getvalue()


#: fixture → (seed, dpi, skew in degrees, quarter turn, container)
SCANS = {
    "000-scan150": ("000", 150, 0.7, False, "pdf"),
    "002-scan200": ("002", 200, -0.5, False, "pdf"),
    "002-scan90": ("002", 150, 0.4, True, "pdf"),
    "002-image": ("002", 150, 0.3, False, "jpg"),
}


def render_scans() -> list[Path]:
    out = []
    for n, (fixture, (seed, dpi, skew, turn, container)) in enumerate(SCANS.items()):
        pdf = (FIXTURES / f"{seed}-pdf" / "source.pdf").read_bytes()
        # a 长图 is one capture: every page in it lies at the same slant
        images = scanned_pages(
            pdf, dpi, skew=skew, seed=n, quarter_turn=turn, sheet_by_sheet=container == "pdf"
        )
        data = image_pdf(images, dpi) if container == "pdf" else long_image(images, dpi)
        path = FIXTURES / fixture / f"source.{container}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        write_gold(fixture, seed)
        out.append(path)
    return out


RENDERERS = {
    "xlsx": render_spreadsheets,
    "doc": render_doc,
    "html": render_html,
    "scans": render_scans,
}


if __name__ == "__main__":
    for name in sys.argv[1:] or list(RENDERERS):
        for written in RENDERERS[name]():
            print(written.relative_to(ROOT), written.stat().st_size)
