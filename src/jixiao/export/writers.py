"""One writer per export format; each takes rows table by table and streams them out.

Files are written under a temporary name and moved into place when complete, so a
crash never leaves a half-written table that looks finished.

* jsonl: one JSON object per row, UTF-8, Chinese unescaped.
* csv: UTF-8 with a BOM (Excel otherwise reads Chinese as GBK), lists as JSON text.
* parquet: explicit pyarrow schema from `columns.py`, so types never depend on the data.
* xlsx: one workbook, one sheet per table, header row frozen.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any, Protocol

from jixiao.errors import JixiaoError
from jixiao.export.columns import Columns

Row = dict[str, Any]

#: Excel's limit on the characters of one cell
XLSX_CELL_LIMIT = 32_767
#: Excel's limit on rows per sheet (header included)
XLSX_ROW_LIMIT = 1_048_576


class ExportError(JixiaoError):
    reason = "export"


class TableWriter(Protocol):
    def open_table(self, name: str, columns: Columns) -> None: ...
    def write(self, name: str, rows: list[Row]) -> None: ...
    def close(self) -> list[Path]: ...
    def abort(self) -> None: ...


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def _text_cell(value: Any) -> Any:
    """A value for text formats: lists as JSON, booleans as true/false, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


class _FileTables:
    """Shared bookkeeping for formats that write one file per table."""

    suffix = ""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.columns: dict[str, Columns] = {}
        self.paths: dict[str, Path] = {}

    def _path(self, name: str) -> Path:
        path = self.out_dir / f"{name}.{self.suffix}"
        self.paths[name] = path
        return path

    def _finish(self) -> list[Path]:
        for path in self.paths.values():
            os.replace(_temporary(path), path)
        return list(self.paths.values())

    def abort(self) -> None:
        for path in self.paths.values():
            _temporary(path).unlink(missing_ok=True)


class _TextFileTables(_FileTables):
    """A file-per-table format written as text: one open file per table until `close`."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir)
        self.files: dict[str, Any] = {}

    def close(self) -> list[Path]:
        for f in self.files.values():
            f.close()
        return self._finish()

    def abort(self) -> None:
        for f in self.files.values():
            f.close()
        super().abort()


class JsonlWriter(_TextFileTables):
    suffix = "jsonl"

    def open_table(self, name: str, columns: Columns) -> None:
        self.columns[name] = columns
        self.files[name] = _temporary(self._path(name)).open("w", encoding="utf-8")

    def write(self, name: str, rows: list[Row]) -> None:
        names = [c for c, _ in self.columns[name]]
        out = self.files[name]
        for row in rows:
            out.write(json.dumps({c: row.get(c) for c in names}, ensure_ascii=False) + "\n")


class CsvWriter(_TextFileTables):
    suffix = "csv"

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir)
        self.writers: dict[str, Any] = {}

    def open_table(self, name: str, columns: Columns) -> None:
        self.columns[name] = columns
        f = _temporary(self._path(name)).open("w", encoding="utf-8-sig", newline="")
        self.files[name] = f
        self.writers[name] = csv.writer(f)
        self.writers[name].writerow([c for c, _ in columns])

    def write(self, name: str, rows: list[Row]) -> None:
        names = [c for c, _ in self.columns[name]]
        self.writers[name].writerows([[_text_cell(row.get(c)) for c in names] for row in rows])


def arrow_schema(columns: Columns) -> Any:
    import pyarrow as pa

    types = {
        "int": pa.int64(),
        "float": pa.float64(),
        "str": pa.string(),
        "bool": pa.bool_(),
        "list": pa.list_(pa.string()),
    }
    return pa.schema([pa.field(name, types[kind], nullable=True) for name, kind in columns])


class ParquetWriter(_FileTables):
    suffix = "parquet"
    #: rows buffered per table before a row group is written
    batch = 50_000

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir)
        self.writers: dict[str, Any] = {}
        self.buffers: dict[str, list[Row]] = {}

    def open_table(self, name: str, columns: Columns) -> None:
        import pyarrow.parquet as pq

        self.columns[name] = columns
        path = _temporary(self._path(name))
        self.writers[name] = pq.ParquetWriter(path, arrow_schema(columns), compression="zstd")
        self.buffers[name] = []

    def write(self, name: str, rows: list[Row]) -> None:
        self.buffers[name].extend(rows)
        if len(self.buffers[name]) >= self.batch:
            self._flush(name)

    def _flush(self, name: str) -> None:
        import pyarrow as pa

        rows, self.buffers[name] = self.buffers[name], []
        schema = arrow_schema(self.columns[name])
        data = {c: [_arrow_value(row.get(c), k) for row in rows] for c, k in self.columns[name]}
        self.writers[name].write_table(pa.table(data, schema=schema))

    def close(self) -> list[Path]:
        for name, writer in self.writers.items():
            self._flush(name)
            writer.close()
        return self._finish()

    def abort(self) -> None:
        for writer in self.writers.values():
            writer.close()
        super().abort()


def _arrow_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "list":
        return [str(v) for v in value]
    return value


class XlsxWriter:
    """All tables in one workbook (`jixiao.xlsx`), one sheet each."""

    def __init__(self, out_dir: Path) -> None:
        from openpyxl import Workbook

        self.path = out_dir / "jixiao.xlsx"
        self.book = Workbook(write_only=True)
        self.sheets: dict[str, Any] = {}
        self.columns: dict[str, Columns] = {}
        self.counts: dict[str, int] = {}

    def open_table(self, name: str, columns: Columns) -> None:
        sheet = self.book.create_sheet(title=name)
        sheet.freeze_panes = "A2"
        sheet.append([c for c, _ in columns])
        self.sheets[name], self.columns[name], self.counts[name] = sheet, columns, 1

    def write(self, name: str, rows: list[Row]) -> None:
        self.counts[name] += len(rows)
        if self.counts[name] > XLSX_ROW_LIMIT:
            raise ExportError(
                f"the {name} table has more rows than an Excel sheet holds "
                f"({XLSX_ROW_LIMIT:,}); export it as csv or parquet instead"
            )
        names = [c for c, _ in self.columns[name]]
        sheet = self.sheets[name]
        for row in rows:
            sheet.append([_xlsx_cell(sheet, row.get(c)) for c in names])

    def close(self) -> list[Path]:
        temporary = _temporary(self.path)
        self.book.save(temporary)
        os.replace(temporary, self.path)
        return [self.path]

    def abort(self) -> None:
        _temporary(self.path).unlink(missing_ok=True)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """A cell value Excel accepts; text stays text even when it starts with `=`."""
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if len(value) > XLSX_CELL_LIMIT or ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT]
    if not value.startswith("="):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"  # a quoted "=…" is data, never a formula
    return cell


WRITERS: dict[str, type] = {
    "jsonl": JsonlWriter,
    "csv": CsvWriter,
    "parquet": ParquetWriter,
    "xlsx": XlsxWriter,
}


def make_writer(fmt: str, out_dir: Path) -> TableWriter:
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}: choose {', '.join(WRITERS)}")
    return WRITERS[fmt](out_dir)
