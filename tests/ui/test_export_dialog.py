"""Export a case from the workbench: e on the list, F10 in the editor, the palette.

The file is the CLI's (0600, never through a link, a second yes before replacing);
a case holding identifying details is redacted unless the user unticks it.
Everyone here is fictional (Tallbacka health centre does not exist); the
personnummer is one of Skatteverket's published test numbers.
"""

from __future__ import annotations

import os
import stat

import docx
from editor_helpers import open_editor, wait_until
from notices import notices

from coprod_tui.ui.commands import palette_commands
from coprod_tui.ui.dialogs.confirm import ConfirmDialog
from coprod_tui.ui.dialogs.export import ExportDialog, default_path, file_stem
from coprod_tui.ui.screens.case_list import CaseListScreen

TEST_PNR = "20170101-2393"


def error_of(dialog: ExportDialog) -> str:
    return str(dialog.query_one("#export-error").render())


async def open_from_list(app, pilot) -> ExportDialog:
    await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
    await wait_until(pilot, lambda: app.screen.selected_summary() is not None)
    await pilot.press("e")
    await wait_until(
        pilot, lambda: isinstance(app.screen, ExportDialog) and app.screen.focused is not None
    )
    dialog = app.screen
    await wait_until(pilot, lambda: dialog.identifiers is not None)
    return dialog


def test_the_file_is_named_from_the_case_title_in_the_home_folder():
    assert file_stem("Sven, 81: the pill box / Sunday") == "Sven-81-the-pill-box-Sunday"
    assert file_stem("Åsa på vårdcentralen\x1b[31m") == "Åsa-på-vårdcentralen"
    assert file_stem("../../etc") == "etc" and file_stem("?!") == "case"
    assert default_path("Åsa", "docx") == os.path.join("~", "Åsa.docx")


async def test_e_on_the_list_writes_markdown_privately_and_says_where(
    app_factory, make_case, tmp_path
):
    make_case()
    target = tmp_path / "sven.md"
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_from_list(app, pilot)
        assert dialog.query_one("#export-path").value.startswith("~")
        assert dialog.query_one("#export-redact").value is False  # nothing to redact
        dialog.query_one("#export-path").value = str(target)
        dialog.query_one("#export-questions").value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        text = target.read_text(encoding="utf-8")
        assert text.startswith("# Sven, 81: the pill box and the Sunday visits")
        assert "Tallbacka health centre" in text and "Guiding questions" in text
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        [note] = [n for n in notices(app) if n.title == "Case exported"]
        assert str(target) in note.message


async def test_an_existing_file_is_replaced_only_after_a_second_yes(
    app_factory, make_case, tmp_path
):
    make_case()
    target = tmp_path / "sven.html"
    target.write_text("keep me", encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_from_list(app, pilot)
        dialog.query_one("#export-format").value = "html"
        dialog.query_one("#export-path").value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is dialog)
        await wait_until(pilot, lambda: "nothing written" in error_of(dialog))
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


async def test_never_through_a_link(app_factory, make_case, tmp_path):
    make_case()
    real = tmp_path / "real.md"
    real.write_text("theirs", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_from_list(app, pilot)
        dialog.query_one("#export-path").value = str(link)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "symbolic link" in error_of(dialog))
        assert real.read_text(encoding="utf-8") == "theirs" and app.screen is dialog
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))


async def test_a_case_with_identifiers_is_redacted_unless_the_user_unticks_it(
    app_factory, make_case, tmp_path
):
    make_case(sections={"situation": f"Sven, {TEST_PNR}, ringer 070-123 45 67."})
    target = tmp_path / "sven.docx"
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_from_list(app, pilot)
        assert dialog.identifiers == 2
        assert "2 identifying detail(s)" in str(dialog.query_one("#export-warning").render())
        assert dialog.query_one("#export-redact").value is True
        dialog.query_one("#export-format").value = "docx"
        await wait_until(pilot, lambda: dialog.query_one("#export-path").value.endswith(".docx"))
        dialog.query_one("#export-path").value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
    document = docx.Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    assert TEST_PNR not in text and "[personnummer]" in text and "[phone]" in text
    assert document.core_properties.author == ""


async def test_json_takes_no_options(app_factory, make_case, tmp_path):
    make_case()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_from_list(app, pilot)
        dialog.query_one("#export-format").value = "json"
        await wait_until(pilot, lambda: dialog.query_one("#export-path").value.endswith(".json"))
        assert dialog.query_one("#export-redact").disabled
        assert dialog.query_one("#export-questions").disabled


async def test_f10_in_the_editor_saves_first_and_the_palette_offers_it(
    app_factory, make_case, tmp_path
):
    case = make_case()
    target = tmp_path / "from-editor.md"
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        names = [command.name for command in palette_commands(app.screen)]
        assert "Export case…" in names
        editor = await open_editor(pilot, case.id)
        assert "Export case…" in [command.name for command in palette_commands(editor)]
        editor.editor.insert(" Written just now.")
        await pilot.press("f10")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ExportDialog) and app.screen.focused is not None
        )
        dialog = app.screen
        dialog.query_one("#export-path").value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is editor)
        assert "Written just now." in target.read_text(encoding="utf-8")
