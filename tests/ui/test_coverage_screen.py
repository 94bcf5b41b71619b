"""The coverage matrix: cases × sections, markers and word counts, totals, sort, tag, open.

All people and places are fictional.
"""

from __future__ import annotations

import pytest
from editor_helpers import wait_until
from textual.command import CommandPalette

from coprod_tui.core.store import CaseStore
from coprod_tui.ui.dialogs.prompt import TextPromptDialog
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.coverage import TOTAL_ROWS, CoverageScreen, CoverageTable

LONG = " ".join(["ord"] * 25)  # 25 words: written


@pytest.fixture(autouse=True)
def swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPROD_LANG", "sv")


@pytest.fixture
def cases(make_case, store: CaseStore):
    asa = make_case(
        "Åsa, 67: the night at the emergency ward",
        sections={"situation": LONG, "lived-reality": "Sex timmar på akuten."},
    )
    bertil = make_case("Bertil, 74: the missed referral", sections={"situation": "Kort."})
    store.change_tags(asa.id, ["akuten"])
    return asa, bertil


def rows_in_order(screen: CoverageScreen) -> list[str]:
    table = screen.query_one(CoverageTable)
    keys = [table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)]
    return [key for key in keys if key not in TOTAL_ROWS]


async def open_coverage(pilot) -> CoverageScreen:
    await pilot.pause()
    await pilot.press("m")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CoverageScreen))
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.coverage is not None)
    await pilot.pause()
    return screen


async def test_markers_word_counts_and_totals(app_factory, cases):
    asa, bertil = cases
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_coverage(pilot)
        # Swedish order: Bertil, then Åsa; columns: title, edited, sections 1..9.
        assert rows_in_order(screen) == [bertil.id, asa.id]
        assert screen.cell_at(0, 2) == "○ 1"  # Bertil's situation: short
        assert screen.cell_at(0, 3) == "·"  # Bertil's lived reality: empty
        assert screen.cell_at(1, 2) == "● 25"  # Åsa's situation: written
        assert screen.cell_at(1, 3) == "○ 4"
        assert screen.cell_at(2, 0) == "Written"
        assert screen.cell_at(2, 2) == "1/2"
        assert screen.cell_at(3, 2) == "26"
        legend = str(screen.query_one("#coverage-legend").render())
        assert "● written" in legend and "1 " in legend
        assert "2 cases" in str(screen.query_one("#coverage-note").render())


async def test_s_cycles_the_sort_and_r_reverses_it(app_factory, cases):
    asa, bertil = cases
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_coverage(pilot)
        await pilot.press("s")  # by last edited
        assert screen.sort_by == "updated"
        assert "last edited" in str(screen.query_one("#coverage-note").render())
        await pilot.press("s")  # section 1, fewest words first
        assert screen.sort_by == "situation"
        assert rows_in_order(screen) == [bertil.id, asa.id]
        await pilot.press("r")
        assert rows_in_order(screen) == [asa.id, bertil.id]
        assert "section 1 (reversed)" in str(screen.query_one("#coverage-note").render())
        # The totals stay at the bottom whatever the order.
        table = screen.query_one(CoverageTable)
        assert table.coordinate_to_cell_key((2, 0)).row_key.value == TOTAL_ROWS[0]


async def test_a_header_click_sorts_by_that_column(app_factory, cases):
    asa, bertil = cases
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_coverage(pilot)
        table = screen.query_one(CoverageTable)
        column = table.get_column_index("lived-reality")
        x = sum(c.get_render_width(table) for c in table.ordered_columns[:column]) + 1
        await pilot.click(CoverageTable, offset=(x, 0))
        await wait_until(pilot, lambda: screen.sort_by == "lived-reality")
        assert rows_in_order(screen) == [bertil.id, asa.id]
        await pilot.click(CoverageTable, offset=(x, 0))
        await wait_until(pilot, lambda: screen.reverse)
        assert rows_in_order(screen) == [asa.id, bertil.id]


async def test_a_tag_filters_the_cases(app_factory, cases):
    asa, _bertil = cases
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_coverage(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPromptDialog))
        await pilot.press(*"akuten", "enter")
        await wait_until(pilot, lambda: screen.coverage is not None and screen.tag == "akuten")
        await wait_until(pilot, lambda: rows_in_order(screen) == [asa.id])
        situation = screen.query_one(CoverageTable).get_column_index("situation")
        assert screen.cell_at(1, situation) == "1/1"


async def test_enter_on_a_cell_opens_that_case_at_that_section(app_factory, cases):
    asa, _bertil = cases
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_coverage(pilot)
        table = screen.query_one(CoverageTable)
        table.move_cursor(row=1, column=table.get_column_index("lived-reality"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        editor = app.screen
        await editor.until_ready()
        assert editor.case_id == asa.id
        assert editor.editor.section_id == "lived-reality"
        editor.editor.move_cursor(editor.editor.document.end)
        editor.editor.insert(" " + LONG)  # written at once: typing key by key adds seconds
        await pilot.pause()
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        # Read again on return: the section is written now.
        await wait_until(pilot, lambda: screen.cell_at(1, 3) == "● 29")


async def test_the_palette_entry_opens_it_and_says_how_many_cases_it_reads(app_factory, cases):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Coverage of sections")
        palette = app.screen
        await wait_until(pilot, lambda: palette.query_one("CommandList").option_count > 0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CoverageScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.coverage is not None)


async def test_while_building_it_says_reading_n_cases(app_factory, cases, monkeypatch):
    import threading

    from coprod_tui.core import coverage as coverage_module

    release = threading.Event()
    real = coverage_module.build_coverage

    def slow(*args, **kwargs):
        release.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(coverage_module, "build_coverage", slow)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, CoverageScreen))
        screen = app.screen
        assert "Reading 2 cases…" in str(screen.query_one("#coverage-note").render())
        release.set()
        await wait_until(pilot, lambda: screen.coverage is not None)


async def test_many_cases_go_in_by_chunks_and_the_totals_come_last(
    app_factory, make_case, monkeypatch
):
    from coprod_tui.ui.screens import coverage as coverage_screen

    monkeypatch.setattr(coverage_screen, "FILL_CHUNK", 3)
    for number in range(8):
        make_case(f"Fall {number}", sections={"situation": LONG})
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_coverage(pilot)
        await wait_until(pilot, lambda: screen.filled)
        table = screen.query_one(CoverageTable)
        assert table.row_count == 8 + 2
        assert screen.cell_at(8, table.get_column_index("situation")) == "8/8"
        await pilot.press("r")  # a new order while filling starts again, never doubles rows
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.filled)
        assert table.row_count == 8 + 2


async def test_every_key_is_in_the_palette_and_in_help(app_factory, cases):
    from test_help import expected_rows, help_rows, shown_pairs
    from test_keys import _assert_every_binding_is_a_command

    from coprod_tui.ui.screens.help import HelpScreen

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_coverage(pilot)
        titles = _assert_every_binding_is_a_command(screen)
        assert "Sort by the next column" in titles
        expected = expected_rows(app, screen)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = help_rows(app.screen)
        assert shown_pairs(rows) == expected
        assert ("⏎", "Open this case in the editor at this section") in shown_pairs(rows)
