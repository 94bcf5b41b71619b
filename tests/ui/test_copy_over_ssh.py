"""F9 over SSH: what tmux or GNU screen lets through, and "Export section to file" (Ctrl+L).

The probe gets a fake environment and a fake ``tmux``; nothing here asks a
real tmux. Everyone is fictional (Tallbacka health centre does not exist).
"""

from __future__ import annotations

import os
import stat
import subprocess

import pytest
from editor_helpers import open_editor, wait_until
from notices import notices
from textual.widgets import Input

from coprod_tui.ui.clipboard import CopyProbe, CopyRoute, copy_notice
from coprod_tui.ui.commands import palette_commands
from coprod_tui.ui.dialogs.confirm import ConfirmDialog
from coprod_tui.ui.dialogs.export_section import (
    ExportSectionDialog,
    default_path,
    safe_name,
    section_bytes,
)
from coprod_tui.ui.screens.case_editor import CaseEditorScreen

TMUX = {"TMUX": "/tmp/tmux-1000/default,4242,0", "TERM": "tmux-256color"}


def tmux_says(value: str):
    """A fake runner: ``tmux show-options -gv set-clipboard`` prints ``value``."""
    asked: list[list[str]] = []

    def run(argv, timeout):
        asked.append(list(argv))
        assert timeout <= 2
        return value + "\n"

    run.asked = asked  # type: ignore[attr-defined]
    return run


def tmux_fails(error: Exception):
    def run(argv, timeout):
        raise error

    return run


# -- the probe ------------------------------------------------------------------------------


@pytest.mark.parametrize(("setting", "passes"), [("on", True), ("external", False), ("off", False)])
def test_inside_tmux_only_set_clipboard_on_passes_the_copy_on(setting, passes):
    run = tmux_says(setting)
    route = CopyProbe(environ=TMUX, run=run).route()
    assert run.asked == [["tmux", "show-options", "-gv", "set-clipboard"]]
    assert route.passes is passes and route.via == "tmux"
    if not passes:
        assert "set -g set-clipboard on" in route.advice and "~/.tmux.conf" in route.advice
        assert f"set-clipboard is {setting}" in route.advice


@pytest.mark.parametrize(
    "error",
    [FileNotFoundError("tmux"), subprocess.TimeoutExpired("tmux", 1.0), OSError("no server")],
)
def test_a_tmux_that_cannot_be_asked_still_gets_the_advice(error):
    route = CopyProbe(environ=TMUX, run=tmux_fails(error)).route()
    assert route.passes is None and "set -g set-clipboard on" in route.advice


def test_gnu_screen_and_plain_terminals():
    screen = CopyProbe(environ={"STY": "4242.pts-0.tallbacka", "TERM": "screen"}).route()
    assert screen.passes is False and "GNU screen" in screen.advice
    plain = CopyProbe(environ={"TERM": "xterm-256color"}, run=tmux_fails(AssertionError())).route()
    assert plain == CopyRoute(None)
    # SSH'd from inside a local tmux: TERM says so, but this side cannot ask it.
    remote = CopyProbe(environ={"TERM": "tmux-256color"}).route()
    assert remote.passes is None and "If nothing was copied" in remote.advice


def test_the_notice_names_the_export_key():
    route = CopyProbe(environ=TMUX, run=tmux_says("external")).route()
    text, warning = copy_notice(3, route, "Ctrl+L")
    assert warning and text.startswith("Section 3 was not copied: tmux is not passing the copy on")
    assert "Export section to file (Ctrl+L)" in text and "{" not in text
    text, warning = copy_notice(3, CopyRoute(True, "tmux"), "Ctrl+L")
    assert not warning and text.startswith("Section 3 copied to the clipboard through tmux")


# -- F9 in the editor --------------------------------------------------------------------------


async def press_f9_under(app_factory, make_case, monkeypatch, probe):
    monkeypatch.setattr(CaseEditorScreen, "copy_probe", probe)
    case = make_case()
    app = app_factory()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_editor(pilot, case.id)
        await pilot.press("f9")
        await wait_until(pilot, lambda: any("Section 1" in n.message for n in notices(app)))
        assert copied == [screen.editor.text]
        return [n for n in notices(app) if "Section 1" in n.message]


async def test_f9_in_a_default_tmux_says_how_to_let_the_copy_through(
    app_factory, make_case, monkeypatch
):
    [notice] = await press_f9_under(
        app_factory, make_case, monkeypatch, CopyProbe(environ=TMUX, run=tmux_says("external"))
    )
    assert notice.severity == "warning"
    assert "tmux is not passing the copy on" in notice.message
    assert "add 'set -g set-clipboard on' to ~/.tmux.conf" in notice.message
    assert "Export section to file (Ctrl+L)" in notice.message


async def test_f9_in_a_tmux_that_passes_it_on_just_says_copied(app_factory, make_case, monkeypatch):
    [notice] = await press_f9_under(
        app_factory, make_case, monkeypatch, CopyProbe(environ=TMUX, run=tmux_says("on"))
    )
    assert notice.severity == "information"
    assert notice.message.startswith("Section 1 copied to the clipboard through tmux")
    assert "tmux.conf" not in notice.message


async def test_f9_under_gnu_screen(app_factory, make_case, monkeypatch):
    [notice] = await press_f9_under(
        app_factory, make_case, monkeypatch, CopyProbe(environ={"STY": "1.pts-0.host"})
    )
    assert notice.severity == "warning" and "GNU screen does not pass the copy on" in notice.message


# -- Export section to file -----------------------------------------------------------------------


def test_the_default_path_is_a_safe_name_in_the_home_folder():
    assert default_path("Sven, 81: the pill box", "situation") == os.path.join(
        "~", "Sven-81-the-pill-box-situation.txt"
    )
    assert safe_name("../../.ssh/authorized_keys") == "ssh-authorized-keys"
    assert safe_name("Åsa på vårdcentralen\x1b[31m") == "Åsa-på-vårdcentralen-31m"
    assert safe_name("...") == "case" and safe_name("") == "case"
    assert len(safe_name("x" * 300)) == 60
    assert section_bytes("Hej") == b"Hej\n" and section_bytes("Hej\n") == b"Hej\n"


async def open_export(pilot, app, screen):
    await pilot.press("ctrl+l")
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, ExportSectionDialog) and app.screen.focused is not None,
    )
    return app.screen


async def test_ctrl_l_writes_the_section_privately_and_says_where(editing, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    async with editing(size=(80, 24)) as (app, pilot, screen, case):
        dialog = await open_export(pilot, app, screen)
        path_box = dialog.query_one("#section-path", Input)
        assert path_box.value == os.path.join(
            "~", "Sven-81-the-pill-box-and-the-Sunday-visits-situation.txt"
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        written = tmp_path / "Sven-81-the-pill-box-and-the-Sunday-visits-situation.txt"
        assert written.read_text(encoding="utf-8").rstrip("\n") == screen.editor.text.rstrip("\n")
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        [note] = [n for n in notices(app) if n.title == "Section exported"]
        assert str(written) in note.message and "only you can read it" in note.message


async def test_an_existing_file_is_replaced_only_after_yes(editing, tmp_path):
    target = tmp_path / "sven.txt"
    target.write_text("keep me", encoding="utf-8")
    async with editing() as (app, pilot, screen, case):
        dialog = await open_export(pilot, app, screen)
        dialog.query_one("#section-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_until(
            pilot, lambda: "nothing written" in str(dialog.query_one("#section-error").render())
        )
        assert app.screen is dialog and target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is screen)
        assert target.read_text(encoding="utf-8").startswith("Tallbacka health centre")
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


async def test_never_through_a_link_nor_into_a_folder(editing, tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not yours", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(elsewhere)
    async with editing() as (app, pilot, screen, case):
        dialog = await open_export(pilot, app, screen)
        error = dialog.query_one("#section-error")
        dialog.query_one("#section-path", Input).value = str(link)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "symbolic link" in str(error.render()))
        assert elsewhere.read_text(encoding="utf-8") == "not yours" and link.is_symlink()
        dialog.query_one("#section-path", Input).value = str(tmp_path)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "is a folder" in str(error.render()))
        dialog.query_one("#section-path", Input).value = str(tmp_path / "no" / "such" / "x.txt")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not exported: could not write" in str(error.render()))
        assert app.screen is dialog
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)


async def test_export_section_is_in_the_palette_with_its_key(editing, tmp_path):
    async with editing(size=(120, 40)) as (app, pilot, screen, case):
        await pilot.press("ctrl+pagedown")  # section 2: the default path follows it
        [command] = [c for c in palette_commands(screen) if c.name == "Export section to file"]
        assert command.help.endswith("(^l)")  # Textual shows Ctrl+L as ^l
        app.call_later(command.action)
        await wait_until(pilot, lambda: isinstance(app.screen, ExportSectionDialog))
        value = app.screen.query_one("#section-path", Input).value
        assert value.endswith(f"-{screen.template.sections[1].id}.txt")


async def test_an_empty_section_is_not_exported(editing):
    async with editing(sections={"situation": "Written.", "lived-reality": ""}) as (
        app,
        pilot,
        screen,
        case,
    ):
        await pilot.press("ctrl+pagedown", "ctrl+l")
        await wait_until(pilot, lambda: any("is empty" in n.message for n in notices(app)))
        assert app.screen is screen
        [note] = [n for n in notices(app) if "is empty" in n.message]
        assert note.message == "Section 2 is empty: nothing to export."
