"""PDF ingestion speed: pages per second through `jixiao.ingest.load` (pdfplumber).

The PDF is generated with reportlab (no committed binary, nothing outside the repo):
each page has a heading, two paragraphs of report prose and a ruled 12-row budget table
in Chinese (reportlab's built-in STSong-Light CID font, so no font file is needed).
The in-repo fixture PDFs (eval/fixtures/*-pdf) are timed too, as real layouts.

    .venv/bin/python benchmarks/pdf_ingest.py                # 10- and 50-page PDFs
    .venv/bin/python benchmarks/pdf_ingest.py --pages 100 --rounds 1
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FIXTURES, machine, mib, print_table, run_cli, write_json

FONT = "STSong-Light"
PROSE = (
    "2023年度本部门认真贯彻落实预算绩效管理要求，本年收入合计{a}万元，其中一般公共预算"
    "财政拨款收入{b}万元；本年支出合计{c}万元，其中基本支出{d}万元，项目支出{e}万元。"
)


def make_pdf(pages: int) -> bytes:
    """A `pages`-page report: heading, prose and a ruled table on every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=14, leading=20)
    story: list = []
    for page in range(pages):
        a = 300 + page
        story.append(Paragraph(f"{page + 1}、第{page + 1}部分 收入支出决算情况说明", head))
        for k in range(2):
            story.append(
                Paragraph(PROSE.format(a=a, b=a - 5, c=a - 10, d=a - 60 - k, e=50 + k), body)
            )
        story.append(Spacer(1, 8))
        rows = [["项目", "预算数（万元）", "决算数（万元）", "完成率"]]
        rows += [
            [f"支出功能分类科目{r}", f"{100 + r}.00", f"{95 + r}.50", f"{90 + r % 10}%"]
            for r in range(12)
        ]
        table = Table(rows, colWidths=[150, 90, 90, 60])
        table.setStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9.5),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ]
        )
        story.append(table)
        story.append(PageBreak())
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def time_load(path: Path, rounds: int) -> dict:
    from jixiao.ingest import load

    best = float("inf")
    doc = None
    for _ in range(rounds):
        started = time.perf_counter()
        doc = load(path)
        best = min(best, time.perf_counter() - started)
    assert doc is not None
    pages = doc.pages or 0
    return {
        "file": path.name,
        "pages": pages,
        "tables": len(doc.tables),
        "chars": len(doc.text),
        "seconds": round(best, 3),
        "pages_per_s": round(pages / best, 2) if best else None,
    }


def time_cli(path: Path, db: Path) -> dict:
    run = run_cli(["extract", str(path), "--db", str(db), "--backend", "rules", "--quiet"])
    if run.returncode != 0:
        raise SystemExit(f"jixiao extract failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return {"seconds": round(run.seconds, 2), "peak_rss_mib": mib(run.peak_rss_main)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--rounds", type=int, default=2, help="best of N loads")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as tmp:
        root = Path(tmp)
        inputs = []
        for pages in args.pages:
            path = root / f"generated-{pages}p.pdf"
            path.write_bytes(make_pdf(pages))
            inputs.append(path)
        inputs += sorted(FIXTURES.glob("*-pdf/source.pdf"))
        for path in inputs:
            row = time_load(path, args.rounds)
            if path.parent.name.endswith("-pdf"):
                row["file"] = f"eval/fixtures/{path.parent.name}/source.pdf"
            row["cli"] = time_cli(path, root / f"{path.stem}-{len(rows)}.db")
            row["cli_pages_per_s"] = round(row["pages"] / row["cli"]["seconds"], 2)
            rows.append(row)
    print(f"\n## PDF ingestion (jixiao.ingest.load, best of {args.rounds}) and whole CLI run\n")
    table = print_table(
        ["file", "pages", "tables", "chars", "load s", "pages/s (load)", "CLI s", "pages/s (CLI)",
         "CLI peak RSS MiB"],
        [
            [r["file"], r["pages"], r["tables"], r["chars"], r["seconds"], r["pages_per_s"],
             r["cli"]["seconds"], r["cli_pages_per_s"], r["cli"]["peak_rss_mib"]]
            for r in rows
        ],
    )  # fmt: skip
    write_json("pdf_ingest", {"machine": machine(), "rows": rows, "table": table}, args.json)


if __name__ == "__main__":
    main()
