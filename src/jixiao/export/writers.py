"""One writer per export format; each takes rows table by table and streams them out.

Every writer holds at most a bounded part of a table in memory, whatever the batch
size: text formats write each row as it comes, Parquet buffers one row group per table
(`ParquetWriter.row_group_rows`) and XLSX writes in its library's constant-memory
mode (each sheet's rows spooled to a temporary file), so memory stays flat from a thousand
documents to tens of thousands. Files are written under a temporary name and moved
into place when complete, so a crash never leaves a half-written table that looks
finished.

* jsonl: one JSON object per row, UTF-8, Chinese unescaped.
* csv: UTF-8 with a BOM (Excel otherwise reads Chinese as GBK), lists as JSON text.
* parquet: explicit pyarrow schema from `columns.py`, so types never depend on the data.
* xlsx: one workbook, one sheet per table (a table past Excel's 1,048,576 rows goes on
  in `facts_2`, `facts_3` …), header row frozen; written by `sheetxml` (streamed).
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Callable
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


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _bool_text(value: bool) -> str:
    return "true" if value else "false"


def _converters(
    columns: Columns, by_kind: dict[str, Callable[[Any], Any]]
) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, converter) of the columns whose kind needs one; the rest pass as is."""
    return [(i, by_kind[kind]) for i, (_, kind) in enumerate(columns) if kind in by_kind]


def _values(row: Row, names: list[str], converters: list[tuple[int, Callable]]) -> list[Any]:
    """A row's values in column order, converted where a column's kind asks for it."""
    values = list(map(row.get, names))
    for i, convert in converters:
        if values[i] is not None:
            values[i] = convert(values[i])
    return values


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


#: text formats: booleans as true/false, lists and objects as JSON (None stays empty)
_TEXT_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "bool": _bool_text,
    "list": _json_text,
    "json": _json_text,
}


class CsvWriter(_TextFileTables):
    suffix = "csv"

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir)
        self.writers: dict[str, Any] = {}
        self.layout: dict[str, tuple[list[str], list[tuple[int, Callable]]]] = {}

    def open_table(self, name: str, columns: Columns) -> None:
        self.columns[name] = columns
        f = _temporary(self._path(name)).open("w", encoding="utf-8-sig", newline="")
        self.files[name] = f
        self.writers[name] = csv.writer(f)
        self.writers[name].writerow([c for c, _ in columns])
        self.layout[name] = ([c for c, _ in columns], _converters(columns, _TEXT_CONVERTERS))

    def write(self, name: str, rows: list[Row]) -> None:
        names, converters = self.layout[name]
        self.writers[name].writerows([_values(row, names, converters) for row in rows])


def arrow_schema(columns: Columns) -> Any:
    import pyarrow as pa

    types = {
        "int": pa.int64(),
        "float": pa.float64(),
        "str": pa.string(),
        "bool": pa.bool_(),
        "list": pa.list_(pa.string()),
        "json": pa.string(),
    }
    return pa.schema([pa.field(name, types[kind], nullable=True) for name, kind in columns])


class ParquetWriter(_FileTables):
    """One Parquet file per table, written a row group at a time.

    Each call's rows become an Arrow record batch at once (compact columns, not Python
    objects), and a table's batches are written out as one row group as soon as they
    hold `row_group_rows` rows, or once the export has moved `stale_rows` rows on since
    the table's last row group: a table never has more than one row group in memory,
    and the small tables' buffers stop growing within the first few hundred documents
    instead of after ten thousand (what made peak memory grow from 1,000 to 30,000
    documents). What still grows is the file's footer, the metadata of every row group
    (about 1 KB per column chunk, held by the writer until it closes the file): some
    6 MB at the benchmark's 10,000 documents, inherent to writing one file per table.
    """

    suffix = "parquet"
    #: rows per row group (and the most a table's buffer holds); larger groups mean a
    #: smaller footer but a larger buffer (65,536 peaked ~30 MiB higher at 10,000 docs)
    row_group_rows = 32_768
    #: a table's buffer is written out, however few rows it holds, once the writer has
    #: taken this many rows (all tables) since that table's last row group
    stale_rows = 65_536

    def __init__(self, out_dir: Path, row_group_rows: int | None = None) -> None:
        super().__init__(out_dir)
        self.row_group_rows = row_group_rows or self.row_group_rows
        self.writers: dict[str, Any] = {}
        self.schemas: dict[str, Any] = {}
        self.batches: dict[str, list[Any]] = {}
        self.buffered: dict[str, int] = {}
        #: rows taken so far (all tables), and that count at each table's last row group
        self.taken = 0
        self.flushed_at: dict[str, int] = {}
        #: the most rows any table held at once (for tests of the memory bound)
        self.peak_buffered = 0

    def open_table(self, name: str, columns: Columns) -> None:
        import pyarrow.parquet as pq

        self.columns[name] = columns
        self.schemas[name] = arrow_schema(columns)
        path = _temporary(self._path(name))
        self.writers[name] = pq.ParquetWriter(path, self.schemas[name], compression="zstd")
        self.batches[name], self.buffered[name] = [], 0
        self.flushed_at[name] = self.taken

    def write(self, name: str, rows: list[Row]) -> None:
        start = 0
        while start < len(rows):
            chunk = rows[start : start + self.row_group_rows - self.buffered[name]]
            self.batches[name].append(self._batch(name, chunk))
            self.buffered[name] += len(chunk)
            self.taken += len(chunk)
            self.peak_buffered = max(self.peak_buffered, self.buffered[name])
            start += len(chunk)
            if self.buffered[name] >= self.row_group_rows:
                self._flush(name)
        # A table of few rows per document (documents, projects, flags) would otherwise
        # fill its row group only after ~10,000 documents, so memory would keep growing
        # to that size; written out by the volume of the whole export instead, every
        # buffer reaches its largest size within the first few hundred documents.
        for table, buffered in self.buffered.items():
            if buffered and self.taken - self.flushed_at[table] >= self.stale_rows:
                self._flush(table)

    def _batch(self, name: str, rows: list[Row]) -> Any:
        import pyarrow as pa

        schema = self.schemas[name]
        arrays = [
            _arrow_array([row.get(column) for row in rows], kind, schema.field(column).type)
            for column, kind in self.columns[name]
        ]
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    def _flush(self, name: str) -> None:
        import pyarrow as pa

        if not self.buffered[name]:
            return
        table = pa.Table.from_batches(self.batches[name], schema=self.schemas[name])
        self.writers[name].write_table(table, row_group_size=self.row_group_rows)
        self.batches[name], self.buffered[name] = [], 0
        self.flushed_at[name] = self.taken

    def close(self) -> list[Path]:
        for name, writer in self.writers.items():
            self._flush(name)
            writer.close()
        return self._finish()

    def abort(self) -> None:
        for writer in self.writers.values():
            writer.close()
        super().abort()


def _arrow_array(values: list[Any], kind: str, arrow_type: Any) -> Any:
    """One column as an Arrow array of its declared type."""
    import pyarrow as pa

    if kind == "json":
        values = [None if v is None else _json_text(v) for v in values]
    elif kind == "list":
        values = [None if v is None else [str(x) for x in v] for v in values]
    try:
        return pa.array(values, type=arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # e.g. 2.0 in an int column
        cast = {"int": int, "float": float, "str": str, "bool": bool}.get(kind, lambda v: v)
        return pa.array([None if v is None else cast(v) for v in values], type=arrow_type)


class XlsxWriter:
    """All tables in one workbook (`jixiao.xlsx`), one sheet each, streamed by XlsxWriter.

    XlsxWriter's `constant_memory` mode writes each sheet's rows to a temporary file of
    its own as they come (sheets may be written in turns, rows in order), so memory stays
    flat. A table longer than an Excel sheet goes on in a sheet of its own (`facts_2` …)
    with the header repeated, so no row is lost and no sheet is refused by Excel. Text is
    always written as text (`strings_to_formulas` and `strings_to_urls` off), so a quote
    starting with `=` is data, never a formula. Its per-cell work is Python, about six
    times the CSV export's time, so the export uses `StreamingXlsxWriter` below; this
    one is kept as the library-written reference the tests compare it with.
    """

    #: rows per sheet, header included (a class attribute so tests can lower it)
    row_limit = XLSX_ROW_LIMIT

    def __init__(self, out_dir: Path) -> None:
        import tempfile

        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        self._illegal = ILLEGAL_CHARACTERS_RE
        self.path = out_dir / "jixiao.xlsx"
        # the sheets' row files, removed whatever happens (the libraries leave them on abort)
        self._spool = tempfile.TemporaryDirectory(prefix="jixiao-xlsx-")
        self.book = self._open_book(self._spool.name)
        self.sheets: dict[str, Any] = {}
        self.columns: dict[str, Columns] = {}
        self.counts: dict[str, int] = {}
        self.parts: dict[str, int] = {}
        self.layout: dict[str, tuple[list[str], list[tuple[int, Callable]]]] = {}
        self.texts: dict[str, list[int]] = {}

    # -- what differs from one library to the other

    def _open_book(self, spool: str) -> Any:
        import xlsxwriter

        options = {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "tmpdir": spool,
        }
        return xlsxwriter.Workbook(str(_temporary(self.path)), options)

    def _add_sheet(self, title: str) -> Any:
        sheet = self.book.add_worksheet(title)
        sheet.freeze_panes(1, 0)
        return sheet

    def _put_rows(self, sheet: Any, first: int, rows: list[list[Any]]) -> None:
        for offset, values in enumerate(rows):
            sheet.write_row(first + offset, 0, values)

    def _save(self) -> None:
        self.book.close()

    # -- the workbook's layout, the same for both

    def open_table(self, name: str, columns: Columns) -> None:
        self.columns[name] = columns
        self.parts[name] = 0
        self.layout[name] = ([c for c, _ in columns], _converters(columns, _XLSX_CONVERTERS))
        self.texts[name] = [i for i, (_, kind) in enumerate(columns) if kind in _XLSX_TEXT]
        self._new_sheet(name)

    def _new_sheet(self, name: str) -> None:
        self.parts[name] += 1
        title = name if self.parts[name] == 1 else f"{name}_{self.parts[name]}"
        sheet = self._add_sheet(title)
        self._put_rows(sheet, 0, [[c for c, _ in self.columns[name]]])
        self.sheets[name], self.counts[name] = sheet, 1

    def write(self, name: str, rows: list[Row]) -> None:
        names, converters = self.layout[name]
        texts = self.texts[name]
        text, limit = self._text, XLSX_CELL_LIMIT
        cells = []
        for row in rows:
            values = _values(row, names, converters)
            # only text columns can hold text; most pass the cheap test and stay as they are
            for i in texts:
                value = values[i]
                if value.__class__ is str and (
                    not value or len(value) > limit or not value.isprintable()
                ):
                    values[i] = text(value)
            cells.append(values)
        start = 0
        while start < len(cells):
            if self.counts[name] >= self.row_limit:
                self._new_sheet(name)
            chunk = cells[start : start + self.row_limit - self.counts[name]]
            self._put_rows(self.sheets[name], self.counts[name], chunk)
            self.counts[name] += len(chunk)
            start += len(chunk)

    def _text(self, value: str) -> str | None:
        """Text Excel accepts: no control characters, at most 32,767 characters; an empty
        string is an empty cell."""
        return self._illegal.sub("", value)[:XLSX_CELL_LIMIT] or None

    def close(self) -> list[Path]:
        try:
            self._save()
        finally:
            self._spool.cleanup()
        os.replace(_temporary(self.path), self.path)
        return [self.path]

    def abort(self) -> None:
        self._spool.cleanup()
        _temporary(self.path).unlink(missing_ok=True)


class StreamingXlsxWriter(XlsxWriter):
    """The same workbook written by `sheetxml.StreamingBook`: the default XLSX writer.

    Each sheet's rows go as SpreadsheetML text to a spool file of its own (sheets in
    turns, as the export writes them), zipped together in 1 MiB chunks at the end, so
    memory stays flat however large the workbook. ~1.8× the CSV export's CPU time where
    XlsxWriter takes ~6×; no library both streamed and met the 2× target (the
    measurements and the candidates tried: `sheetxml`'s docstring, benchmarks/RESULTS.md).
    """

    def _open_book(self, spool: str) -> Any:
        from jixiao.export.sheetxml import StreamingBook

        return StreamingBook(spool)

    def _add_sheet(self, title: str) -> Any:
        return self.book.add_sheet(title)  # its header row is always frozen

    def _put_rows(self, sheet: Any, first: int, rows: list[list[Any]]) -> None:
        sheet.put_rows(first, rows)

    def _save(self) -> None:
        self.book.save(_temporary(self.path))

    def abort(self) -> None:
        self.book.abort()
        super().abort()


def _finite(value: Any) -> Any:
    """NaN and infinities as empty cells (Excel has no such numbers; openpyxl wrote them
    empty, XlsxWriter refuses them)."""
    return None if value.__class__ is float and not math.isfinite(value) else value


#: column kinds written as text cells (lists and objects once made JSON text)
_XLSX_TEXT = frozenset({"str", "list", "json"})

#: XLSX: lists and objects as JSON text (booleans, numbers and None are native cells)
_XLSX_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "list": _json_text,
    "json": _json_text,
    "float": _finite,
}


WRITERS: dict[str, type] = {
    "jsonl": JsonlWriter,
    "csv": CsvWriter,
    "parquet": ParquetWriter,
    "xlsx": StreamingXlsxWriter,
}


def make_writer(fmt: str, out_dir: Path) -> TableWriter:
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}: choose {', '.join(WRITERS)}")
    return WRITERS[fmt](out_dir)
