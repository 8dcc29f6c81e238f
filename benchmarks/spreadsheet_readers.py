"""Which spreadsheet reader: speed and fidelity (merged cells, displayed numbers).

For XLSX: openpyxl (full mode: the one that knows merged cells; read-only mode does
not) against python-calamine. For XLS: xlrd with formatting info against calamine.

Fidelity is measured on the 002-xlsx / 002-xls fixtures (the seed's tables as a budget
office types them: figures as numbers under number formats, merged label cells): the
share of the TXT's non-empty cell texts each reader reproduces exactly, and whether
it reports the fixture's merged regions. Speed on a generated sheet of `--rows` rows ×
10 columns (numbers under ``#,##0.00``, a merged label every 5 rows), CPU seconds per
read, median of `--rounds`.

    .venv/bin/python benchmarks/spreadsheet_readers.py            # 5,000 rows, 5 rounds
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FIXTURES, machine, print_table, write_json


def make_xlsx(rows: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["科目编码", "科目名称", *[f"列{k}" for k in range(8)]])
    for r in range(rows):
        sheet.append([f"2010{r:04d}", f"项目{r}", *[r * 10.5 + k for k in range(8)]])
        for k in range(8):
            sheet.cell(row=r + 2, column=3 + k).number_format = "#,##0.00"
    for r in range(2, rows + 2 - 5, 5):
        sheet.merge_cells(start_row=r, start_column=1, end_row=r + 4, end_column=1)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- readers
def calamine_cells(data: bytes) -> tuple[dict[tuple[int, int], str], list]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(BytesIO(data))
    cells: dict[tuple[int, int], str] = {}
    merges: list = []
    for index in range(len(book.sheet_names)):
        sheet = book.get_sheet_by_index(index)
        for r, row in enumerate(sheet.to_python(skip_empty_area=False)):
            for c, value in enumerate(row):
                if value != "":
                    text = (
                        str(int(value))
                        if isinstance(value, float) and value.is_integer()
                        else str(value)
                    )
                    cells[(index, r, c)] = text
        merges.extend(sheet.merged_cell_ranges or [])
    return cells, merges


def jixiao_cells(data: bytes, fmt: str) -> tuple[dict, list]:
    """openpyxl (XLSX) or xlrd (XLS) through jixiao's grid reader, number formats applied."""
    from jixiao.ingest.spreadsheet import _xls_grids, _xlsx_grids

    grids = _xlsx_grids(data) if fmt == "xlsx" else _xls_grids(data)
    cells = {(k, *pos): text for k, g in enumerate(grids) for pos, text in g.texts.items()}
    return cells, [m for g in grids for m in g.merges]


def openpyxl_read_only(data: bytes) -> tuple[dict, list]:
    import openpyxl

    book = openpyxl.load_workbook(BytesIO(data), data_only=True, read_only=True)
    cells = {}
    for k, sheet in enumerate(book.worksheets):
        for r, row in enumerate(sheet.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is not None:
                    cells[(k, r, c)] = str(value)
    book.close()
    return cells, []  # read-only mode does not know merged cells


READERS = {
    "xlsx": {
        "openpyxl (full, formats) — chosen": lambda d: jixiao_cells(d, "xlsx"),
        "openpyxl read-only": openpyxl_read_only,
        "python-calamine": calamine_cells,
    },
    "xls": {
        "xlrd (formatting_info) — chosen": lambda d: jixiao_cells(d, "xls"),
        "python-calamine": calamine_cells,
    },
}


def fidelity(fmt: str) -> list[dict]:
    """Share of the TXT's cell texts each reader gives exactly, and merges found."""
    from jixiao.ingest import load

    expected = {
        text
        for table in load(FIXTURES / "002" / "source.txt").tables
        for row in table.row_texts()
        for text in row
        if text.strip()
    }
    data = (FIXTURES / f"002-{fmt}" / f"source.{fmt}").read_bytes()
    _, reference_merges = jixiao_cells(data, fmt)
    out = []
    for name, read in READERS[fmt].items():
        cells, merges = read(data)
        texts = {t.replace(" ", "") for t in cells.values()}
        found = sum(1 for t in expected if t.replace(" ", "") in texts)
        numbers_lost = sorted(t for t in expected if t.replace(" ", "") not in texts)[:4]
        out.append(
            {
                "format": fmt,
                "reader": name,
                "cell_texts_exact": f"{found}/{len(expected)}",
                "merged_regions": f"{len(merges)}/{len(reference_merges)}",
                "examples_missed": ", ".join(numbers_lost),
            }
        )
    return out


def speed(fmt: str, data: bytes, rounds: int) -> list[dict]:
    out = []
    for name, read in READERS[fmt].items():
        times = []
        for _ in range(rounds):
            started = time.process_time()
            read(data)
            times.append(time.process_time() - started)
        out.append(
            {
                "format": fmt,
                "reader": name,
                "cpu_seconds_median": round(statistics.median(times), 3),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    xlsx = make_xlsx(args.rows)
    rows = speed("xlsx", xlsx, args.rounds)
    xls = _as_xls(xlsx)
    if xls is not None:
        rows += speed("xls", xls, args.rounds)
    fid = fidelity("xlsx") + fidelity("xls")
    print(f"## Speed: {args.rows} rows × 10 columns, CPU s per read (median of {args.rounds})\n")
    print_table(
        ["format", "reader", "CPU s"],
        [[r["format"], r["reader"], r["cpu_seconds_median"]] for r in rows],
    )
    print(
        "\n## Fidelity on 002-xlsx / 002-xls (cell texts as the TXT prints them; merged regions)\n"
    )
    print_table(
        ["format", "reader", "cell texts exact", "merged regions", "missed, e.g."],
        [
            [
                r["format"],
                r["reader"],
                r["cell_texts_exact"],
                r["merged_regions"],
                r["examples_missed"],
            ]
            for r in fid
        ],
    )
    write_json(
        "spreadsheet_readers",
        {"machine": machine(), "rows": args.rows, "speed": rows, "fidelity": fid},
    )


def _as_xls(xlsx: bytes) -> bytes | None:
    """The generated sheet as XLS, through LibreOffice (None when it is not installed)."""
    import shutil

    if shutil.which("soffice") is None:
        return None
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from make_format_renderings import soffice_convert

    return soffice_convert(xlsx, ".xlsx", "xls")


if __name__ == "__main__":
    main()
