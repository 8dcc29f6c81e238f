"""Tables printed without ruling lines, found from where their words are printed.

One clustering for every source that has boxes but no lines: the words of a text-layer
PDF page outside its ruled tables (`jixiao.ingest.pdf`) and the recognised pieces of an
OCR'd page outside the tables its ruling lines make (`jixiao.ingest.ocr.page`). The
caller fills each cell's text from its own words (a PDF from the cell's characters, as
its ruled reader does), so a table gives the same rows whatever it was printed with.

1. `lines`: words → lines by their vertical middles (baseline clustering); in a line,
   words closer than `join_gap` × their height are one segment (a cell's text);
2. `regions`: runs of lines with no prose, contents line or blank between them, cut at
   form captions and at lines that do not fit the columns, checked for columns enough
   (and for being no numbered list or table of contents);
3. `columns`: texts overlapping across lines make a column, a text over two texts of
   one line spans them, a header left of its right-aligned figures joins them;
4. `cells`: lines → rows (wrapped cells, centred neighbours), cells with the spans and
   vertical merges the ruled printing of the table has.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.ingest.unruled.cells import Cell, Table, build_table
from jixiao.ingest.unruled.lines import Word, group_lines
from jixiao.ingest.unruled.regions import runs, tables_in

__all__ = ["OCR_JOIN_GAP", "PDF_JOIN_GAP", "Cell", "Table", "Word", "find_tables"]

#: PDF words (split at half a character's gap) closer than this share of their height
#: are one text; a table's columns are further apart than a character
PDF_JOIN_GAP = 0.9
#: OCR pieces: the detector already joins a line's characters, and pads its boxes
OCR_JOIN_GAP = 0.35


def find_tables(words: Sequence[Word], *, join_gap: float = PDF_JOIN_GAP) -> list[Table]:
    """Tables printed without ruling lines among `words` (one page's), top to bottom."""
    tables = []
    for run in runs(group_lines(words, join_gap)):
        for lines, columns in tables_in(run):
            table = build_table(lines, columns)
            if table is not None:
                tables.append(table)
    return tables
