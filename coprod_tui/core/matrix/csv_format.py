"""The matrix as CSV: UTF-8, RFC 4180 quoting, formula-looking cells made inert.

Written with the standard library's ``csv`` module (``QUOTE_MINIMAL``, CRLF
line ends as RFC 4180 says; a cell holding a comma, a quote or a line break
is quoted, quotes doubled), so every spreadsheet and every CSV reader gets
the text back as written, line breaks inside a section included.

``excel=True`` puts the UTF-8 byte-order mark first: without it Excel reads
the file in the system's legacy code page and å ä ö come out as Ã¥ Ã¤ Ã¶.
Other readers (Python's ``csv`` with ``encoding="utf-8-sig"``, LibreOffice)
take the mark in their stride, but it is not plain UTF-8, so it is a choice.

**Formula injection.** A spreadsheet runs a cell that starts with ``=``,
``+``, ``-`` or ``@`` (and, in some, a tab or carriage return) as a formula:
a case note beginning "=HYPERLINK(...)" or "-2+3" would be computed, or worse,
call out. Such a cell is written with a leading ``'`` (the OWASP advice), which
spreadsheets show as text and readers see as the one added character.
"""

from __future__ import annotations

import csv
import io

from coprod_tui.core.matrix.model import Table

__all__ = ["BOM", "FORMULA_STARTS", "inert", "render_csv"]

#: The UTF-8 byte-order mark Excel needs to read the file as UTF-8.
BOM = "\ufeff"
#: First characters a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def render_csv(table: Table, *, excel: bool = False) -> bytes:
    """``table`` as CSV bytes (UTF-8; with the BOM first when ``excel``)."""
    out = io.StringIO()
    if excel:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([inert(cell) for cell in table.headers])
    writer.writerows([[inert(cell) for cell in row] for row in table.rows])
    return out.getvalue().encode("utf-8", errors="surrogatepass")
