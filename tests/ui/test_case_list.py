"""Pilot tests of the case list: greeting, create, filter, rename, tags,
duplicate, delete + restore, damaged cases, conflict copies, literal titles.

Uses the shared fixtures in ``conftest.py`` (a private store in a temporary
folder, the shipped templates, a fixed clock). All people are fictional.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import SAMPLE_SECTIONS
from editor_helpers import burst, wait_until
from textual.widgets import DataTable, Input, Select, Static

from coprod_tui.core.case import set_section_text
from coprod_tui.core.config import Config
from coprod_tui.core.template.registry import DEFAULT_TEMPLATE_ID, SWEDISH_TEMPLATE_ID
from coprod_tui.ui.dialogs.confirm import ConfirmDialog
from coprod_tui.ui.dialogs.new_case import NewCaseDialog
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import (
    CaseListScreen,
    CaseTable,
    column_widths,
    matches,
    progress_cell,
    relative_time,
    short_id,
)
from coprod_tui.ui.screens.trash import TrashScreen
from coprod_tui.ui.widgets.section_editor import SectionEditor


def table_lines(app) -> list[str]:
    """The case table as rendered, one string per screen line."""
    table = app.screen.query_one(CaseTable)
    return [table.render_line(y).text for y in range(table.size.height)]


def screen_text(app) -> str:
    return "\n".join(table_lines(app))


def retag(store, case_id: str, tags: list[str]) -> None:
    current = store.load(case_id)
    store.save(current.replace(tags=tags), base_revision=current.revision)


# -- formatting -------------------------------------------------------------------------


def test_progress_bar_has_one_cell_per_section():
    assert progress_cell(5, 9).plain == "█████░░░░ 5/9"
    assert progress_cell(0, 9).plain == "░░░░░░░░░ 0/9"
    assert progress_cell(12, 9).plain == "█████████ 9/9"
    assert progress_cell(10, 20).plain == "█████░░░░░ 10/20"


NOW = datetime(2024, 3, 12, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2024-03-12T13:59:30Z", "just now"),
        ("2024-03-12T13:15:00Z", "45 min ago"),
        ("2024-03-12T09:00:00Z", "5 h ago"),
        ("2024-03-11T09:00:00Z", "yesterday"),
        ("2024-03-08T09:00:00Z", "4 days ago"),
        ("2024-01-02T09:00:00Z", "2 Jan"),
        ("2023-11-30T09:00:00Z", "30 Nov 2023"),
        ("garbage", "?"),
    ],
)
def test_relative_time(stamp, expected):
    assert relative_time(stamp, NOW) == expected


def test_short_id_keeps_the_language_suffix():
    assert short_id("batalden-primary-care", 30) == "batalden-primary-care"
    assert short_id("batalden-primary-care-sv", 12) == "batalden…-sv"
    assert short_id("batalden-primary-care", 12) == "batalden-pr…"


def test_column_widths_fit_the_screen():
    for width in (80, 100, 120, 200):
        widths = column_widths(width)
        assert sum(widths) + 2 * len(widths) + 2 <= width
        assert widths[0] >= 16


# -- greeting ---------------------------------------------------------------------------


async def test_empty_store_greets_a_newcomer(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        greeting = screen.query_one("#greeting", Static)
        assert greeting.display
        assert not screen.query_one(CaseTable).display
        text = str(greeting.render())
        assert "Welcome to coprod" in text
        assert "write your first case" in text
        assert "coprod --demo" in text


# -- creating ---------------------------------------------------------------------------


async def test_n_then_title_then_enter_creates_and_opens_the_case(app_factory, store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseDialog)
        await pilot.press(*"Ingrid, 84: the night-time falls")
        await pilot.press("enter")
        await pilot.pause()
        [summary] = store.list_cases()
        assert summary.title == "Ingrid, 84: the night-time falls"
        assert summary.template_id == DEFAULT_TEMPLATE_ID
        assert isinstance(app.screen, CaseEditorScreen)
        assert app.screen.case_id == summary.id
        assert app.screen.current == 0
        assert app.screen.focused is not None


async def test_new_case_needs_a_title(app_factory, store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseDialog)
        assert "needs a title" in str(app.screen.query_one("#error", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)
        assert store.list_cases() == []


@pytest.mark.parametrize(
    ("config", "lang", "expected"),
    [
        (Config(default_template=SWEDISH_TEMPLATE_ID), None, SWEDISH_TEMPLATE_ID),
        (None, "sv_SE.UTF-8", SWEDISH_TEMPLATE_ID),
        (None, "en_GB.UTF-8", DEFAULT_TEMPLATE_ID),
    ],
    ids=["swedish-when-config-says-so", "swedish-for-a-swedish-locale", "english-by-default"],
)
async def test_new_case_preselects_the_template(app_factory, monkeypatch, config, lang, expected):
    if lang is not None:
        monkeypatch.setenv("LANG", lang)
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("LC_MESSAGES", raising=False)
    app = app_factory() if config is None else app_factory(config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#template", Select).value == expected


# -- listing ----------------------------------------------------------------------------


async def test_cases_are_listed_with_progress_and_tags(app_factory, make_case, store):
    case = make_case("Sven, 81: the pill box")
    store.save(set_section_text(case, "emotions", "Worried."), base_revision=case.revision)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Sven, 81: the pill box" in text
        assert "███░░░░░░ 3/9" in text
        assert "English" in text  # the template's short name (its language)


async def test_enter_opens_the_selected_case(app_factory, make_case):
    case = make_case()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseEditorScreen)
        assert app.screen.case_id == case.id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)


async def test_list_refreshes_after_the_editor_returns(app_factory, make_case, store):
    case = make_case("Before")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        store.save(
            set_section_text(store.load(case.id), "reflections", "So what."),
            base_revision=store.load(case.id).revision,
        )
        await pilot.press("escape")
        await pilot.pause()
        assert "3/9" in screen_text(app)


async def test_table_fits_80_columns(app_factory, make_case):
    make_case("A very long title about a home visit that goes on and on and on and on")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert "…" in screen_text(app)


# -- filter -----------------------------------------------------------------------------


def test_matches_every_word_in_title_or_tags():
    from coprod_tui.core.store import CaseSummary

    summary = CaseSummary(
        id="x",
        title="Sven: the pill box",
        template_id="t",
        tags=("Dementia", "home"),
        updated="",
        filled=(),
        revision=1,
    )
    assert matches(summary, "pill")
    assert matches(summary, "PILL dementia")
    assert not matches(summary, "pill falls")


async def test_slash_filters_as_you_type_and_escape_clears(app_factory, make_case, store):
    make_case("Sven, 81: the pill box")
    falls = make_case("Ingrid, 84: falls at night")
    retag(store, falls.id, ["dementia"])
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"pill")
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        assert table.row_count == 1
        assert "Sven" in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"dementia")
        await pilot.pause()
        assert table.row_count == 1
        assert "Ingrid" in screen_text(app)
        await pilot.press(*" nothing")
        await pilot.pause()
        assert table.row_count == 0
        assert app.screen.query_one("#no-match", Static).display
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 2
        assert not app.screen.query_one("#filter-bar").display
        assert app.focused is table


async def test_enter_in_filter_keeps_it_and_moves_to_the_table(app_factory, make_case):
    make_case("Sven, 81: the pill box")
    make_case("Ingrid, 84: falls at night")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"ingrid", "enter")
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        assert app.focused is table
        assert table.row_count == 1
        await pilot.press("escape")  # screen-level: clears the filter
        await pilot.pause()
        assert table.row_count == 2


# -- rename, tags, duplicate, delete ----------------------------------------------------


async def test_rename(app_factory, make_case, store):
    case = make_case("Old title")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        field = app.screen.query_one("#value", Input)
        assert field.value == "Old title"
        await pilot.press(*" - Sven, 81", "enter")
        await pilot.pause()
        assert store.load(case.id).title == "Old title - Sven, 81"
        assert "Old title - Sven, 81" in screen_text(app)


async def test_rename_escape_changes_nothing(app_factory, make_case, store):
    case = make_case("Old title")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "x", "escape")
        await pilot.pause()
        assert store.load(case.id).title == "Old title"
        assert store.load(case.id).revision == case.revision


async def test_edit_tags(app_factory, make_case, store):
    case = make_case()
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"dementia,  home care , dementia", "enter")
        await pilot.pause()
        assert store.load(case.id).tags == ["dementia", "home care"]
        assert "dementia, home care" in screen_text(app)
        # Editing again starts at the end of the existing tags (nothing selected).
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*", falls", "enter")
        await pilot.pause()
        assert store.load(case.id).tags == ["dementia", "home care", "falls"]


async def test_duplicate(app_factory, make_case, store):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        summaries = store.list_cases()
        assert len(summaries) == 2
        copy = next(s for s in summaries if s.id != case.id)
        assert copy.title == "Sven, 81 (copy)"
        assert store.load(copy.id).sections == store.load(case.id).sections
        assert app.screen.selected_case_id() == copy.id


async def test_delete_asks_then_moves_to_trash_and_restore_brings_it_back(
    app_factory, make_case, store
):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # changed my mind
        await pilot.pause()
        assert [s.id for s in store.list_cases()] == [case.id]

        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert store.list_cases() == []
        assert [s.id for s in store.list_trash()] == [case.id]
        assert app.screen.query_one("#greeting", Static).display

        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, TrashScreen)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert [s.id for s in store.list_cases()] == [case.id]
        assert app.screen.query_one("#empty", Static).display
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)
        assert app.screen.query_one(CaseTable).row_count == 1


async def test_row_actions_are_disabled_without_cases(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "t", "c", "delete")
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)


async def test_copy_id_uses_the_clipboard(app_factory, make_case):
    case = make_case()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == case.id


# -- type-ahead: keys typed right after a key that opens something ----------------------


async def burst_into_the_editor(pilot, *keys: str) -> CaseEditorScreen:
    """Press ``keys`` in one burst; return the editor they open, once it has focus."""
    app = pilot.app
    await burst(pilot, *keys)

    def in_the_editor() -> bool:
        # A SectionEditor focused first: ``screen.editor`` exists only once the case is built.
        screen, focused = app.screen, app.focused
        return (
            isinstance(screen, CaseEditorScreen)
            and isinstance(focused, SectionEditor)
            and focused is screen.editor
        )

    await wait_until(pilot, in_the_editor)
    await pilot.pause()
    return app.screen


async def test_letters_pressed_right_after_enter_go_into_the_editor(app_factory, make_case, store):
    case = make_case()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"cxr")
        await pilot.pause()
        assert isinstance(app.screen, CaseEditorScreen)
        assert len(app.screen_stack) == 2  # no dialog on top or below
        assert [s.id for s in store.list_cases()] == [case.id]  # no duplicate
        assert app.screen.session.text("situation") == SAMPLE_SECTIONS["situation"] + "cxr"


async def test_a_burst_after_enter_goes_into_the_editor_never_to_the_list(
    app_factory, make_case, store
):
    case = make_case()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await burst_into_the_editor(pilot, "enter", *"cxr", "space", *"by")
        assert app.screen.case_id == case.id
        assert len(app.screen_stack) == 2
        assert [s.id for s in store.list_cases()] == [case.id]
        assert app.screen.session.text("situation") == SAMPLE_SECTIONS["situation"] + "cxr by"


async def test_a_burst_of_down_and_enter_opens_the_case_moved_to(app_factory, make_case):
    make_case("First")
    make_case("Second")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        second = app.screen.visible_summaries()[1]
        await burst_into_the_editor(pilot, "down", "enter", *"Typed")
        assert app.screen.case_id == second.id
        assert app.screen.session.text("situation").endswith("Typed")


async def test_a_burst_of_n_title_enter_and_text_writes_the_new_case(app_factory, store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await burst_into_the_editor(
            pilot, "n", *"Ingrdi", "backspace", "backspace", *"id, 84", "enter", *"She fell."
        )
        [summary] = store.list_cases()
        assert summary.title == "Ingrid, 84"
        assert app.screen.case_id == summary.id
        assert app.screen.session.text("situation") == "She fell."


async def test_text_typed_right_after_enter_in_the_new_case_dialog_goes_to_the_editor(
    app_factory, store
):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"Ingrid")
        await burst_into_the_editor(pilot, "enter", *"cx text")
        [summary] = store.list_cases()
        assert summary.title == "Ingrid"
        assert app.screen.session.text("situation") == "cx text"


async def test_a_burst_after_slash_goes_into_the_filter(app_factory, make_case, store):
    make_case("Next visit: Sven")
    make_case("Margit")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "slash", *"next")
        await wait_until(pilot, lambda: app.screen.filter_text == "next")
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)
        assert [s.title for s in app.screen.visible_summaries()] == ["Next visit: Sven"]
        assert len(store.list_cases()) == 2


async def test_a_burst_after_r_goes_into_the_new_title(app_factory, make_case, store):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "r", *" and Karin", "enter")
        await wait_until(pilot, lambda: store.load(case.id).title != "Sven, 81")
        assert store.load(case.id).title == "Sven, 81 and Karin"
        assert len(store.list_cases()) == 1


# -- damaged cases and conflict copies --------------------------------------------------


async def test_damaged_case_is_shown_as_damaged_and_not_opened(app_factory, make_case, store):
    case = make_case("Sven, 81")
    (store.path / "cases" / f"{case.id}.json").write_text("{ not json", encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "damaged" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)


async def test_conflict_copy_is_clearly_marked(app_factory, make_case, store):
    case = make_case("Sven, 81")
    store.save(set_section_text(case, "emotions", "First window."), base_revision=case.revision)
    result = store.save(
        set_section_text(case, "emotions", "Second window."), base_revision=case.revision
    )
    assert result.conflicted
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lines = [line for line in table_lines(app) if "Sven" in line]
        assert len(lines) == 2
        assert sum("conflict copy" in line for line in lines) == 1


# -- user text is never markup ----------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["[red]x[/red]", "[@click=app.quit]x[/]", "[b]bold?[/b] [link=https://x]y[/link]"],
)
async def test_markup_in_titles_and_tags_is_shown_literally(app_factory, make_case, store, title):
    case = make_case(title)
    retag(store, case.id, ["[blink]t[/]"])
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert title in text
        assert "[blink]t[/]" in text
        await pilot.click(CaseTable, offset=(4, 1))
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None


async def test_control_characters_never_reach_the_screen(app_factory, make_case):
    make_case("Sven\x1b]0;owned\x07, 81\x1b[2J\x9b31m")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Sven, 81" in text
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text


async def test_big_lists_fill_in_batches_and_keep_the_selection(
    app_factory, make_case, monkeypatch
):
    import coprod_tui.ui.screens.case_list as case_list

    monkeypatch.setattr(case_list, "FIRST_ROWS", 2)
    monkeypatch.setattr(case_list, "MORE_ROWS", 3)
    for n in range(9):
        make_case(f"Case {n}")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        for _ in range(10):
            await pilot.pause()
        assert table.row_count == 9
        oldest = app.screen.summaries[-1].id
        table.move_cursor(row=8)
        app.screen.refresh_cases()
        for _ in range(10):
            await pilot.pause()
        assert table.row_count == 9
        assert app.screen.selected_case_id() == oldest


async def test_back_from_the_editor_without_a_change_keeps_the_table_as_it_is(
    app_factory, make_case
):
    """The list is read again on the way back, but the same cases in the same order only
    redraw what changed: at 10,000 cases a rebuild is every row made again."""
    for n in range(3):
        make_case(f"Fictional case {n}")
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.summaries is not None and screen._fill_complete())
        await pilot.press("down")
        chosen = screen.selected_case_id()
        built = screen._fill_generation
        reads = screen._read_generation
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        await app.screen.until_ready()
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen and screen._read_generation > reads)
        await pilot.pause()
        assert screen._fill_generation == built  # not rebuilt
        assert screen.selected_case_id() == chosen
