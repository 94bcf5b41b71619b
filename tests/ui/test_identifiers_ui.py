"""The identifier guard in the workbench: underlines, the count, the list (F11), redaction.

Identity numbers are Skatteverket's published test numbers (20170101-2393, 18920229-9815);
mobile numbers are from PTS's range for fiction (070-174 06 05 ...); other phones,
e-mail addresses and streets are invented.
"""

from __future__ import annotations

from editor_helpers import wait_saved, wait_until
from notices import notices
from textual.widgets import OptionList

from coprod_tui.ui.commands import palette_commands
from coprod_tui.ui.dialogs.confirm import ConfirmDialog
from coprod_tui.ui.dialogs.identifiers import IdentifiersDialog
from coprod_tui.ui.widgets.identifier_count import IdentifierCount
from coprod_tui.ui.widgets.section_editor import IDENTIFIER_STYLE, SectionEditor

SECTIONS = {
    "situation": "Sven (pnr 20170101-2393) ringde.\nHan väntade 12 minuter, Alvedon 500 mg.",
    "lived-reality": "Sonen nås på 070-174 06 05 och bor på Lingonstigen 4.",
}


def underlined(editor: SectionEditor, row: int) -> list[str]:
    """The text of each underlined span on a line, as the editor draws it."""
    line = editor.get_line(row)
    return [
        line.plain[span.start : span.end]
        for span in line.spans
        if span.style == IDENTIFIER_STYLE or getattr(span.style, "underline", False)
    ]


def count_text(screen) -> str | None:
    counter = screen.query_one(IdentifierCount)
    return str(counter.render()) if counter.display else None


async def open_list(pilot, app) -> IdentifiersDialog:
    await pilot.press("f11")
    await wait_until(pilot, lambda: isinstance(app.screen, IdentifiersDialog))
    return app.screen


async def test_hits_are_underlined_and_counted(editing):
    async with editing(sections=SECTIONS) as (_app, _pilot, screen, _case):
        editor = screen.editor
        assert underlined(editor, 0) == ["20170101-2393"]
        assert underlined(editor, 1) == []  # durations and dosages are left alone
        assert count_text(screen) == "3 identifying details (F11)"


async def test_a_clean_case_shows_no_count(editing):
    async with editing(sections={"situation": "Han väntade 12 minuter."}) as (_a, _p, screen, _c):
        assert count_text(screen) is None


async def test_typing_an_identifier_underlines_it_after_a_pause(editing):
    async with editing(sections={"situation": "Ring "}) as (_app, pilot, screen, _case):
        editor = screen.editor
        editor.focus()
        await pilot.press(*"08-123 456 78")
        await wait_until(pilot, lambda: underlined(editor, 0) == ["08-123 456 78"])
        await wait_until(pilot, lambda: count_text(screen) == "1 identifying detail (F11)")
        await pilot.press("ctrl+z")  # undo takes the number away, and the underline
        await wait_until(pilot, lambda: count_text(screen) is None)


async def test_the_list_names_section_kind_and_masked_text(editing):
    async with editing(sections=SECTIONS) as (app, pilot, _screen, _case):
        dialog = await open_list(pilot, app)
        options = dialog.query_one("#identifier-list", OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert rows[0].endswith("personnummer '2017…'")
        assert rows[0].startswith("1. ")
        assert rows[1].startswith("2. ") and rows[1].endswith("phone number '070-…'")
        assert rows[2].endswith("street address 'Ling…'")
        assert all("2393" not in row for row in rows)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, IdentifiersDialog))


async def test_enter_goes_to_the_hit_selected(editing):
    async with editing(sections=SECTIONS) as (app, pilot, screen, _case):
        await open_list(pilot, app)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.current == 1
        assert screen.editor.selected_text == "070-174 06 05"
        assert screen.focused is screen.editor


async def test_r_redacts_one_and_the_list_comes_back_shorter(editing, store):
    async with editing(sections=SECTIONS) as (app, pilot, screen, case):
        await open_list(pilot, app)
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, IdentifiersDialog) and len(app.screen.items) == 2,
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert count_text(screen) == "2 identifying details (F11)"
        await wait_saved(pilot, screen)
        assert (
            store.load(case.id)
            .sections["situation"]
            .startswith("Sven (pnr [personnummer]) ringde.")
        )


async def test_a_redacts_all_after_asking(editing, store):
    async with editing(sections=SECTIONS) as (app, pilot, screen, case):
        await open_list(pilot, app)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is screen)
        assert count_text(screen) is None
        assert any("Replaced 3 identifying details" in n.message for n in notices(app))
        await wait_saved(pilot, screen)
        stored = store.load(case.id)
        assert stored.sections["situation"].startswith("Sven (pnr [personnummer]) ringde.")
        assert stored.sections["lived-reality"] == ("Sonen nås på [phone] och bor på [address].")


async def test_declining_redact_all_changes_nothing(editing):
    async with editing(sections=SECTIONS) as (app, pilot, screen, _case):
        await open_list(pilot, app)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentifiersDialog))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert count_text(screen) == "3 identifying details (F11)"


async def test_the_palette_offers_the_check(editing):
    async with editing(sections=SECTIONS) as (_app, _pilot, screen, _case):
        names = [command.name for command in palette_commands(screen)]
        assert "Check for identifying details" in names


async def test_ctrl_g_opens_the_list_too_and_an_empty_case_says_so(editing):
    async with editing(sections={"situation": "Inget här."}) as (app, pilot, _screen, _case):
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentifiersDialog))
        assert app.screen.items == []
        explain = str(app.screen.query_one("#identifiers-explain").render())
        assert "No identifying details" in explain
        assert app.screen.check_action("redact", ()) is False


async def test_a_refusing_store_keeps_the_text_in_the_editor_until_redacted(
    app_factory, make_case, store
):
    from editor_helpers import open_editor

    from coprod_tui.core.privacy.guard import set_store_refuses

    case = make_case(sections={"situation": "Ring "})
    app = app_factory()  # registers the guard on the store
    set_store_refuses(store, True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot, case.id)
        screen.editor.focus()
        await pilot.press(*"070-174 06 05")
        await wait_until(
            pilot, lambda: any("refuses identifying details" in n.message for n in notices(app))
        )
        # The whole number is refused (what autosave kept while it was half typed is not one).
        assert "070-174 06 05" not in store.load(case.id).sections["situation"]
        assert screen.editor.text == "Ring 070-174 06 05"  # ... and not lost either
        await pilot.pause(0.5)  # retries (every 0.1 s here) do not repeat the notice
        assert sum("refuses identifying details" in n.message for n in notices(app)) == 1
        await open_list(pilot, app)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentifiersDialog))
        await pilot.press("escape")
        await wait_saved(pilot, screen)
        assert store.load(case.id).sections["situation"] == "Ring [phone]"
