"""No command writes case text outside the store unasked: the palette has no screenshot.

Textual's palette offers "Screenshot", which writes an SVG of the screen (the
case being written) to ~/Downloads with the umask's permissions. coprod takes
it out of the palette and refuses the ``app.screenshot`` action.
"""

from __future__ import annotations

from pathlib import Path

from editor_helpers import open_editor, wait_until
from notices import notices
from textual.command import CommandInput, CommandPalette


async def test_the_palette_offers_no_screenshot_but_still_quit_and_theme(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles
        assert {"Quit", "Theme"} <= set(titles)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press(*"screensh")
        group = CommandPalette._GATHER_COMMANDS_GROUP

        def searched() -> bool:
            """The palette's search for exactly the typed text has finished."""
            gathering = any(w.group == group and not w.is_finished for w in palette.workers)
            value = palette.query_one(CommandInput).value
            return value == "screensh" and palette.has_class("-ready") and not gathering

        await wait_until(pilot, searched)  # no fixed pause: done when the search is
        prompts = [str(o.prompt) for o in palette.query_one("CommandList").options]
        assert not any("Screenshot" in prompt for prompt in prompts)


async def test_the_screenshot_action_writes_nothing(
    app_factory, make_case, tmp_path: Path, monkeypatch
):
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    case = make_case()
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot, case.id)
        before = sorted(tmp_path.rglob("*.svg"))
        await app.run_action("app.screenshot")
        await wait_until(
            pilot, lambda: any("Screenshots are off" in n.message for n in notices(app))
        )
    assert sorted(tmp_path.rglob("*.svg")) == before
    assert list((home / "Downloads").iterdir()) == []
