"""Type-ahead: keys typed in one burst land where they would have landed typed slowly.

A laggy SSH link, a paste of keys or a fast typist delivers keys faster than
the app handles them. Each test posts a whole burst to the app before it has
handled the first key (``burst``), then checks where every key went, in the
store where it matters. All cases and people are fictional.
"""

from __future__ import annotations

import pytest
from editor_helpers import burst, open_editor, until_typed, wait_saved, wait_until
from textual.widgets import Input

from coprod_tui.ui.dialogs.fields_form import FieldsFormScreen
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import CaseListScreen

SIZE = (80, 24)


async def leave_and_flush(pilot) -> None:
    """Back to the case list the slow way, so the editor saves what it has."""
    if isinstance(pilot.app.screen, CaseEditorScreen):
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CaseListScreen))


async def test_burst_n_title_enter_text_ctrl_pagedown_text_fills_two_sections(app_factory, store):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n", *"Ingrid, 84", "enter", *"Alpha.", "ctrl+pagedown", *"Beta.")
        await until_typed(pilot)
        screen = app.screen
        assert isinstance(screen, CaseEditorScreen)
        assert screen.current == 1
        await leave_and_flush(pilot)
        [summary] = store.list_cases()
        case = store.load(summary.id)
        assert case.title == "Ingrid, 84"
        assert case.text("situation") == "Alpha."
        assert case.text("lived-reality") == "Beta."


async def test_burst_across_several_sections_and_back(app_factory, store):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        keys = ["n", *"Karin", "enter", *"One", "ctrl+pagedown", *"Two", "ctrl+pagedown"]
        keys += [*"Three", "ctrl+pageup", "ctrl+pageup", *" more"]
        await burst(pilot, *keys)
        await until_typed(pilot)
        await leave_and_flush(pilot)
        case = store.load(store.list_cases()[0].id)
        assert case.text("situation") == "One more"
        assert case.text("lived-reality") == "Two"
        assert case.text("emotions") == "Three"


async def test_burst_tab_in_the_details_form_types_into_the_next_field(editing, store):
    async with editing(fields={}) as (app, pilot, screen, case):
        keys = ["f3", "tab", *"Ekudden", "tab", *"District nurse", "tab", *"2024-03-11"]
        await burst(pilot, *keys, "ctrl+s", *"After.")
        await until_typed(pilot)
        assert app.screen is screen
        await wait_saved(pilot, screen)
        stored = store.load(case.id)
        assert stored.fields == {
            "setting": "Ekudden",
            "role": "District nurse",
            "date": "2024-03-11",
        }
        assert stored.title == case.title  # Tab left the title untouched
        assert stored.text("situation").endswith("After.")


async def test_burst_shift_tab_goes_back_a_field(editing, store):
    async with editing(fields={}) as (app, pilot, screen, case):
        await burst(pilot, "f3", "tab", "tab", *"Nurse", "shift+tab", *"Ekudden")
        await until_typed(pilot)
        form = app.screen
        assert isinstance(form, FieldsFormScreen)
        assert form.query_one("#field-setting", Input).value == "Ekudden"
        assert form.query_one("#field-role", Input).value == "Nurse"


async def test_keys_after_escape_act_on_the_case_list_never_on_the_case_left(
    app_factory, make_case, store
):
    first = make_case("Sven, 81", sections={})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "enter", *"ab", "escape", "n", *"Margit", "enter", *"Gamma.")
        await until_typed(pilot)
        assert isinstance(app.screen, CaseEditorScreen)
        assert app.screen.case_id != first.id
        await leave_and_flush(pilot)
        assert store.load(first.id).text("situation") == "ab"
        [new] = [s for s in store.list_cases() if s.id != first.id]
        assert new.title == "Margit"
        assert store.load(new.id).text("situation") == "Gamma."


async def test_keys_after_escape_that_are_list_keys_act_on_the_list(app_factory, make_case, store):
    case = make_case("Sven, 81", sections={})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        # "t" after Escape opens the tags dialog; in the editor it would be text.
        await burst(pilot, "enter", *"ab", "escape", "t", *"frail", "enter")
        await until_typed(pilot)
        assert isinstance(app.screen, CaseListScreen)
        await wait_until(pilot, lambda: store.load(case.id).tags == ["frail"])
        assert store.load(case.id).text("situation") == "ab"


async def test_burst_through_rename_and_tags_dialogs(app_factory, make_case, store):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "r", *" and Karin", "enter", "t", *"family carer", "enter")
        await until_typed(pilot)
        assert isinstance(app.screen, CaseListScreen)
        stored = store.load(case.id)
        assert stored.title == "Sven, 81 and Karin"
        assert stored.tags == ["family carer"]


async def test_burst_after_a_dialog_closed_with_escape_goes_to_the_list(
    app_factory, make_case, store
):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n", *"Never", "escape", "r", "ctrl+u", *"Sven", "enter")
        await until_typed(pilot)
        assert [s.id for s in store.list_cases()] == [case.id]  # nothing created
        assert store.load(case.id).title == "Sven"


async def test_burst_through_a_confirmation(app_factory, make_case, store):
    cases = {make_case("Margit, 90").id, make_case("Sven, 81").id}
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        gone = app.screen.selected_case_id()
        [keep] = cases - {gone}
        await burst(pilot, "x", "y", "t", *"kept", "enter")
        await until_typed(pilot)
        assert [s.id for s in store.list_cases()] == [keep]
        assert [s.id for s in store.list_trash()] == [gone]
        assert store.load(keep).tags == ["kept"]


async def test_burst_through_a_declined_confirmation(app_factory, make_case, store):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "x", "n", "x", "escape", "t", *"still here", "enter")
        await until_typed(pilot)
        assert [s.id for s in store.list_cases()] == [case.id]
        assert store.load(case.id).tags == ["still here"]


async def test_burst_through_the_trash_restores_and_comes_back(app_factory, make_case, store):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "x", "y", "b", "enter", "escape", "t", *"back", "enter")
        await until_typed(pilot)
        assert [s.id for s in store.list_cases()] == [case.id]
        assert store.load(case.id).tags == ["back"]


async def test_enter_on_an_empty_title_keeps_the_keys_after_it_in_the_title(app_factory, store):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n", "enter", *"Late title", "enter", *"Text.")
        await until_typed(pilot)
        await leave_and_flush(pilot)
        [summary] = store.list_cases()
        assert summary.title == "Late title"
        assert store.load(summary.id).text("situation") == "Text."


async def test_burst_through_the_history_dialog_comes_back_to_the_editor(editing):
    async with editing(sections={}) as (app, pilot, screen, case):
        await burst(pilot, "f4", "escape", *"After history.")
        await until_typed(pilot)
        assert app.screen is screen
        assert screen.session.text("situation") == "After history."


async def test_burst_of_many_keys_keeps_every_key_in_order(editing):
    text = "Sven kept the pill box on the kitchen table, next to the radio. " * 4
    async with editing(sections={}) as (app, pilot, screen, case):
        await burst(pilot, *text.strip(), "enter", *"New line.")
        await until_typed(pilot)
        assert screen.editor.text == text.strip() + "\nNew line."


async def test_a_long_burst_of_text_lands_as_one_run_not_key_by_key(editing):
    text = "She asked who would ring her on Sundays now. " * 10
    async with editing(sections={}) as (app, pilot, screen, case):
        before = app.key_order.landings
        await burst(pilot, *text, "ctrl+pagedown", *text)
        await until_typed(pilot)
        assert screen.session.text("situation") == text
        assert screen.session.text("lived-reality") == text
        # First key, the run after it, Ctrl+PgDn, the run after that.
        assert app.key_order.landings - before <= 5


async def test_a_paste_waits_for_the_key_before_it(app_factory, store):
    from textual import events

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n", *"Paste", "enter")
        app.post_message(events.Paste("Pasted text."))
        await until_typed(pilot)
        await leave_and_flush(pilot)
        case = store.load(store.list_cases()[0].id)
        assert case.text("situation") == "Pasted text."


@pytest.mark.parametrize("keys", [("ctrl+pagedown",), ("f2",), ("escape",)])
async def test_key_order_is_idle_after_every_kind_of_key(editing, keys):
    async with editing() as (app, pilot, screen, case):
        await burst(pilot, *keys)
        await until_typed(pilot)
        assert app.key_order.idle


async def test_pilot_press_while_the_editor_is_slow_to_open_keeps_the_order(
    app_factory, store, monkeypatch
):
    """Pilot.press sends the next key once the process is idle: a slow disk is idle."""
    import asyncio

    mounted = CaseEditorScreen.on_mount

    async def slow_mount(self: CaseEditorScreen) -> None:
        await asyncio.sleep(0.3)  # a store on a slow network share
        await mounted(self)

    monkeypatch.setattr(CaseEditorScreen, "on_mount", slow_mount)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"Slow", "enter", *"Alpha.", "ctrl+pagedown", *"Beta.")
        await until_typed(pilot)
        await leave_and_flush(pilot)
        case = store.load(store.list_cases()[0].id)
        assert case.text("situation") == "Alpha."
        assert case.text("lived-reality") == "Beta."


async def test_open_editor_helper_still_works(app_factory, make_case):
    case = make_case()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot, case.id)
        await burst(pilot, *"xy")
        await until_typed(pilot)
        assert screen.editor.text.endswith("xy")
