"""Each matrix format read back: CSV with the csv module, Markdown with a small pipe-table
reader, XLSX with openpyxl (a reference reader). Text is invented, Swedish and English.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile

import openpyxl
import pytest

from coprod_tui.core.matrix import Table
from coprod_tui.core.matrix.csv_format import BOM, inert, render_csv
from coprod_tui.core.matrix.markdown_format import escape_cell, render_markdown, unescape_cell
from coprod_tui.core.matrix.xlsx_format import (
    EXCEL_CELL_LIMIT,
    cell_text,
    render_xlsx,
    sheet_title,
)

HEADERS = ("id", "title", "tags", "1. Situation", "2. Känslor")
ROWS = [
    ["c1", "Åsa på vårdcentralen", "akut, remiss", 'Hon väntar, "länge".\nRad två.', "Oro"],
    ["c2", '=HYPERLINK("http://example.invalid")', "", "-2+3", "@SUM(A1)"],
    ["c3", "Pipe | and <b>tag</b>", "x", "back\\|slash", "+46 och\r\nCRLF"],
]
TABLE = Table(name="Cases", headers=HEADERS, rows=ROWS)


# --- CSV -------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_reads_back_with_the_csv_module_quotes_and_line_breaks_intact() -> None:
    data = render_csv(TABLE)
    assert not data.startswith(BOM.encode())
    rows = read_csv(data)
    assert tuple(rows[0]) == HEADERS
    assert rows[1] == ROWS[0]  # comma, quotes, line break and å ä ö survive
    assert rows[3][4] == "'+46 och\r\nCRLF"
    assert data.count(b"\r\n") >= 4  # RFC 4180 line ends


def test_csv_makes_formula_looking_cells_inert() -> None:
    rows = read_csv(render_csv(TABLE))
    assert rows[2][1] == '\'=HYPERLINK("http://example.invalid")'
    assert rows[2][3] == "'-2+3"
    assert rows[2][4] == "'@SUM(A1)"
    assert rows[1][1] == "Åsa på vårdcentralen"  # ordinary text is untouched
    assert inert("\tTAB") == "'\tTAB" and inert("") == "" and inert("a=b") == "a=b"


def test_excel_adds_the_bom_and_only_then() -> None:
    data = render_csv(TABLE, excel=True)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    text = data.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == list(HEADERS)
    assert "Åsa på vårdcentralen" in text


# --- Markdown --------------------------------------------------------------------------


def read_markdown_tables(data: bytes) -> dict[str, list[list[str]]]:
    """Pipe tables under '## name' headings, cells split on unescaped pipes and unescaped."""
    tables: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in data.decode("utf-8").splitlines():
        if line.startswith("## "):
            current = tables.setdefault(line[3:], [])
        elif line.startswith("|") and current is not None:
            inner = line.strip()[1:-1]
            cells = _split(inner)
            if all(set(cell.strip()) <= {"-"} and cell.strip() for cell in cells):
                continue  # the delimiter row
            current.append([unescape_cell(cell) for cell in cells])
    return tables


def _split(inner: str) -> list[str]:
    cells, cell, index = [], "", 0
    while index < len(inner):
        char = inner[index]
        if char == "\\" and index + 1 < len(inner):
            cell += inner[index : index + 2]
            index += 2
            continue
        if char == "|":
            cells.append(cell)
            cell = ""
        else:
            cell += char
        index += 1
    cells.append(cell)
    return cells


def test_markdown_is_a_pipe_table_that_reads_back() -> None:
    data = render_markdown([TABLE, Table("Insights", ("title", "links"), [])])
    text = data.decode("utf-8")
    assert text.startswith("# Framework matrix\n")
    tables = read_markdown_tables(data)
    assert list(tables) == ["Cases", "Insights"]
    rows = tables["Cases"]
    assert tuple(rows[0]) == HEADERS
    assert rows[1][3] == 'Hon väntar, "länge".\nRad två.'
    assert rows[2][1] == '=HYPERLINK("http://example.invalid")'
    assert rows[3][1] == "Pipe | and <b>tag</b>"
    assert rows[3][3] == "back\\|slash"
    assert rows[3][4] == "+46 och\nCRLF"
    assert tables["Insights"] == [["title", "links"]]
    # One line per row; no user tag reaches a viewer as HTML.
    assert "<b>" not in text and "&lt;b&gt;" in text
    assert all(line.count("<br>") == 0 or line.startswith("|") for line in text.splitlines())


def test_escape_cell_keeps_one_line() -> None:
    assert escape_cell("a\nb\r\nc") == "a<br>b<br>c"
    assert escape_cell("x | y") == "x \\| y"


# --- XLSX ------------------------------------------------------------------------------


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_one_sheet_per_table_frozen_header_wrapped_text_kept() -> None:
    insights = Table("Insights", ("title", "links"), [["Väntan föder oro", "c1:situation"]])
    workbook = load(render_xlsx([TABLE, insights], wide_from=[3]))
    assert workbook.sheetnames == ["Cases", "Insights"]
    sheet = workbook["Cases"]
    assert sheet.freeze_panes == "A2"
    values = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == HEADERS
    assert values[1] == ROWS[0]  # å ä ö and the line break intact
    assert sheet["D2"].alignment.wrap_text
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    assert workbook["Insights"]["A2"].value == "Väntan föder oro"


def test_xlsx_puts_no_copy_of_the_text_in_the_temporary_folder(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl stages sheets in $TMPDIR by default: case text outside the store, left by a kill."""
    import tempfile

    staging = tmp_path / "tmp"
    staging.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(staging))
    created: list[str] = []
    real_open = os.open

    def watching_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).startswith(str(staging)):
            created.append(str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", watching_open)
    workbook = load(render_xlsx([TABLE]))
    assert workbook["Cases"]["B2"].value == "Åsa på vårdcentralen"
    assert created == []


def test_xlsx_formula_looking_text_stays_text() -> None:
    sheet = load(render_xlsx([TABLE]))["Cases"]
    for ref, text in (("B3", ROWS[1][1]), ("D3", "-2+3"), ("E3", "@SUM(A1)")):
        assert sheet[ref].value == text
        assert sheet[ref].data_type == "s"
    raw = zipfile.ZipFile(io.BytesIO(render_xlsx([TABLE]))).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in raw and b"<f " not in raw


def test_xlsx_metadata_names_no_tool() -> None:
    archive = zipfile.ZipFile(io.BytesIO(render_xlsx([TABLE])))
    for name in ("docProps/app.xml", "docProps/core.xml"):
        part = archive.read(name).lower()
        for word in (b"openpyxl", b"microsoft", b"excel", b"coprod", b"creator", b"application"):
            assert word not in part, (name, word)
    assert all(b"openpyxl" not in archive.read(name).lower() for name in archive.namelist())
    chosen = zipfile.ZipFile(io.BytesIO(render_xlsx([TABLE], creator="Team Åby")))
    assert "Team Åby" in chosen.read("docProps/core.xml").decode("utf-8")


def test_xlsx_cells_excel_cannot_hold_are_made_to_fit() -> None:
    long = "ord " * 10_000
    data = render_xlsx([Table("Cases", ("text",), [[long], ["bell\x07 and nul\x00"]])])
    sheet = load(data)["Cases"]
    assert len(sheet["A2"].value) == EXCEL_CELL_LIMIT
    assert sheet["A2"].value.endswith("the case has the rest]")
    assert sheet["A3"].value == "bell\ufffd and nul\ufffd"
    assert cell_text("kort") == "kort"


def test_sheet_titles_follow_excels_rules() -> None:
    taken: set[str] = set()
    assert sheet_title("Cases", taken) == "Cases"
    assert sheet_title("cases", taken) == "cases (2)"
    assert sheet_title("a/b:c*d?[e]", taken) == "a_b_c_d__e_"
    assert len(sheet_title("x" * 40, taken)) == 31


@pytest.mark.parametrize("tables", [[], [Table("Cases", ("id",), [])]])
def test_empty_tables_still_make_readable_files(tables: list[Table]) -> None:
    if tables:
        assert load(render_xlsx(tables))["Cases"]["A1"].value == "id"
    assert render_markdown(tables).startswith(b"# Framework matrix")
