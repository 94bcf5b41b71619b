"""The matrix as an XLSX workbook (openpyxl): one sheet per table, ready to read in Excel.

Each :class:`~.model.Table` becomes a sheet named after it: a bold header
row frozen in place (it stays on screen while scrolling), every cell wrapped
and aligned to the top (a section is a paragraph, not a line), column widths
from what the columns hold (ids and tags narrow, sections wide), and a filter
on the header row.

User text is never a formula: openpyxl takes a string starting with ``=`` for
one, so every cell is typed as a string after its value is set (Excel shows
"=SUM(A1)" as the text it is). A cell holds at most
:data:`EXCEL_CELL_LIMIT` characters (Excel refuses a longer one and
"repairs" the file): longer text is cut with a note saying so. The control
characters XML 1.0 cannot carry are replaced by U+FFFD.

**No tool in the metadata** (DESIGN.md, "Sharing"). openpyxl writes
``creator="openpyxl"`` into ``docProps/core.xml`` and "Microsoft Excel
Compatible / Openpyxl x.y" into ``docProps/app.xml``. The creator is set to
the caller's choice (empty by default: left out), and ``app.xml`` is written
with the application and its version cleared — by openpyxl's own
serialiser, swapped in as the archive is written (:class:`_PlainArchive`), so
no XML or zip is hand-made here.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from coprod_tui.core.matrix.model import Table

__all__ = ["EXCEL_CELL_LIMIT", "render_xlsx", "sheet_title"]

#: The most characters an Excel cell holds.
EXCEL_CELL_LIMIT = 32_767
#: What ends a cell cut to that limit.
CUT_NOTE = " … [cut: an Excel cell holds 32,767 characters; the case has the rest]"
#: Excel's rules for sheet names: at most 31 characters, none of these.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Column widths (in characters) a column's content is fitted between.
MIN_WIDTH, MAX_WIDTH, SECTION_WIDTH = 8, 40, 60
#: Rows looked at to fit a column's width (the rest are like them).
WIDTH_SAMPLE = 200


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, unlike any in ``taken`` (compared case-blind)."""
    base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or "Sheet"
    base = base[:31]
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def cell_text(text: str) -> str:
    """``text`` as an Excel cell can hold it (XML-safe, cut to the cell limit)."""
    text = _NOT_IN_XML.sub("\ufffd", text)
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE
    return text


def _width(header: str, values: list[str], wide: bool) -> float:
    """A column width fitting the header and the longest line of the sample."""
    if wide:
        return SECTION_WIDTH
    longest = max(
        [len(header), *(max((len(line) for line in v.split("\n")), default=0) for v in values)]
    )
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def render_xlsx(
    tables: Sequence[Table], *, creator: str = "", wide_from: Sequence[int] = ()
) -> bytes:
    """The tables as XLSX bytes: one sheet each, in order.

    ``creator`` goes into the workbook's properties (empty: none at all).
    ``wide_from[i]`` is the first column of table ``i`` holding long text
    (the sections), given the wide width; the default fits each column.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook(write_only=True)
    workbook.properties.creator = creator or None
    workbook.properties.lastModifiedBy = None
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    taken: set[str] = set()
    for index, table in enumerate(tables):
        sheet: Any = workbook.create_sheet(sheet_title(table.name, taken))
        sheet.freeze_panes = "A2"
        wide = wide_from[index] if index < len(wide_from) else len(table.headers)
        sample = table.rows[:WIDTH_SAMPLE]
        for column, header in enumerate(table.headers):
            values = [row[column] if column < len(row) else "" for row in sample]
            letter = get_column_letter(column + 1)
            sheet.column_dimensions[letter].width = _width(header, values, column >= wide)
        if table.headers:
            last = get_column_letter(len(table.headers))
            sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        _write_in_memory(sheet)  # after the sheet's settings: its writer writes them first
        sheet.append([_cell(sheet, header, wrap, bold) for header in table.headers])
        for row in table.rows:
            sheet.append([_cell(sheet, value, wrap) for value in row])
    out = io.BytesIO()
    archive = _PlainArchive(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()
    return out.getvalue()


def _cell(sheet: Any, value: str, alignment: Any, font: Any = None) -> Any:
    """A string cell (never a formula, whatever the text starts with), wrapped."""
    from openpyxl.cell import WriteOnlyCell

    made = WriteOnlyCell(sheet, value=cell_text(value))
    made.data_type = "s"
    made.alignment = alignment
    if font is not None:
        made.font = font
    return made


def _write_in_memory(sheet: Any) -> None:
    """Make a write-only sheet serialise into memory, not into a temporary file.

    openpyxl's sheet writer stages each sheet's XML -- every cell, so the
    case text -- in a file in ``$TMPDIR`` (``NamedTemporaryFile(delete=False)``)
    and removes it only after the save or at exit: a copy of the cases outside
    the store, left behind by a kill. The writer takes any file object as its
    ``out``; an in-memory one keeps the text in this process. The sheet picks
    this writer up instead of making its own (``_get_writer`` only makes one
    when none is set).
    """
    from openpyxl.worksheet._writer import WorksheetWriter

    class MemoryWriter(WorksheetWriter):  # type: ignore[misc]
        def cleanup(self) -> None:
            """Nothing to remove: the XML was never on disk."""

    writer = MemoryWriter(sheet, out=io.BytesIO())
    writer.write_top()
    sheet._writer = writer


class _PlainArchive(zipfile.ZipFile):
    """The workbook's zip, with ``docProps/app.xml`` naming no application.

    openpyxl's writer puts its own name and version there unconditionally;
    this writes the same properties, serialised by openpyxl, without them.
    """

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        from openpyxl.packaging.extended import ExtendedProperties
        from openpyxl.xml.constants import ARC_APP
        from openpyxl.xml.functions import tostring

        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        if name == ARC_APP:
            props = ExtendedProperties()
            props.Application = None
            props.AppVersion = None
            data = tostring(props.to_tree())
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """Take a sheet serialised in memory (see :func:`_write_in_memory`) as well as a file."""
        if isinstance(filename, io.BytesIO):
            self.writestr(arcname, filename.getvalue())
            return
        super().write(filename, arcname, *args, **kwargs)
