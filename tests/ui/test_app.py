"""The app shell: every way out saves first; theme remembered; palette; launch.

A fake editor-like screen (anything with ``flush()``) stands in where the test
is about the app's duty rather than the editor's; the real editor is used to
show that typed text reaches the store on Ctrl+Q and on SIGTERM/SIGHUP.
"""

from __future__ import annotations

import argparse
import signal

import pytest
from editor_helpers import wait_until
from textual import events
from textual.command import CommandInput, CommandPalette
from textual.screen import Screen
from textual.widgets import Static

from coprod_tui.core.config import Config, load_config
from coprod_tui.core.demo import DEMO_CASE_ID
from coprod_tui.core.errors import CoprodError
from coprod_tui.ui.app import CoprodApp
from coprod_tui.ui.dialogs.new_case import NewCaseDialog
from coprod_tui.ui.launch import _store_for, create_app, seed_demo, template_notices
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import CaseListScreen


def record_notifications(app: CoprodApp) -> list[str]:
    """Every notification message the app shows from now on."""
    seen: list[str] = []
    original = app.notify

    def notify(message, *args, **kwargs):
        seen.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


class FakeEditor(Screen[None]):
    """Editor-shaped: holds 'unsaved text' until flushed."""

    def __init__(self, *, fail: bool = False) -> None:
        super().__init__()
        self.flushes = 0
        self.fail = fail

    def compose(self):
        yield Static("fake editor")

    def flush(self) -> None:
        self.flushes += 1
        if self.fail:
            raise OSError("disk full")


async def test_factory_builds_the_contracted_app(app_factory, store, templates):
    app = app_factory(config=Config(theme="nord"))
    assert isinstance(app, CoprodApp)
    assert app.store is store
    assert app.templates is templates
    assert app.config.theme == "nord"
    assert app.clock().year == 2024
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)
        assert app.theme == "nord"


# -- quitting saves ---------------------------------------------------------------------


async def test_ctrl_q_flushes_every_editor_then_exits(app_factory):
    app = app_factory()
    lower, upper = FakeEditor(), FakeEditor()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(lower)
        await app.push_screen(upper)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert lower.flushes >= 1 and upper.flushes >= 1
    assert app.return_code == 0


async def test_ctrl_q_refuses_once_when_saving_fails(app_factory):
    app = app_factory()
    editor = FakeEditor(fail=True)
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(editor)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        assert any("disk full" in message for message in seen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert editor.flushes >= 2
    assert not app.is_running


async def test_palette_quit_also_saves(app_factory):
    app = app_factory()
    editor = FakeEditor()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(editor)
        app.exit()
        await pilot.pause()
    assert editor.flushes >= 1


async def test_an_editor_that_left_the_stack_is_still_flushed_on_exit(app_factory):
    app = app_factory()
    editor = FakeEditor()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(editor)
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        before = editor.flushes
        app.exit()
        await pilot.pause()
    assert editor.flushes > before


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
async def test_exit_signals_flush_then_exit(app_factory, signum):
    app = app_factory()
    editor = FakeEditor()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(editor)
        app.handle_exit_signal(signum)
        await pilot.pause()
    assert editor.flushes >= 1
    assert app.return_code == 128 + signum


async def test_signal_handlers_are_installed_and_given_back(app_factory):
    app = app_factory(handle_signals=True)
    before = signal.getsignal(signal.SIGTERM)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.install_signal_handlers()  # headless apps skip it on mount; do it by hand
        assert set(app.installed_signals) == {signal.SIGHUP, signal.SIGTERM}
        app.remove_signal_handlers()
    assert signal.getsignal(signal.SIGTERM) == before


@pytest.fixture
def slow_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    """No autosave during the test, so only the exit path can have saved."""
    monkeypatch.setattr(CaseEditorScreen, "AUTOSAVE_DEBOUNCE", 600.0)
    monkeypatch.setattr(CaseEditorScreen, "AUTOSAVE_MAX_DELAY", 600.0)


async def test_typed_text_is_saved_on_ctrl_q(app_factory, make_case, store, slow_autosave):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_case(case.id)
        await pilot.pause()
        assert isinstance(app.screen, CaseEditorScreen)
        await pilot.press(*" Typed before quitting.")
        await pilot.pause()
        assert "Typed before quitting." not in store.load(case.id).text("situation")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert "Typed before quitting." in store.load(case.id).text("situation")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
async def test_typed_text_is_saved_on_signals(app_factory, make_case, store, signum, slow_autosave):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_case(case.id)
        await pilot.pause()
        await pilot.press(*" Then the line dropped")
        await pilot.pause()
        assert "Then the line dropped" not in store.load(case.id).text("situation")
        app.handle_exit_signal(signum)
        # Saved synchronously, before the app even gets to exit:
        assert "Then the line dropped" in store.load(case.id).text("situation")
        await pilot.pause()


async def test_open_case_from_an_editor_saves_the_first_one(app_factory, make_case, store):
    first = make_case("First")
    second = make_case("Second")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_case(first.id)
        await pilot.pause()
        await pilot.press(*" more")
        app.open_case(second.id)
        await pilot.pause()
        assert app.screen.case_id == second.id
        assert len(app.screen_stack) == 2
    assert " more" in store.load(first.id).text("situation")


# -- theme ------------------------------------------------------------------------------


async def test_theme_choice_is_remembered_in_config(app_factory, tmp_path):
    path = tmp_path / "config" / "config.yaml"
    app = app_factory(config=Config(path=path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "gruvbox"
        await pilot.pause()
    assert load_config(path).theme == "gruvbox"
    again = app_factory(config=load_config(path))
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "gruvbox"


async def test_a_broken_settings_file_is_never_written_over(app_factory, tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("theme: [oops\n", encoding="utf-8")
    app = app_factory(config=load_config(path))
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    assert path.read_text(encoding="utf-8") == "theme: [oops\n"
    assert any("Theme not remembered" in message for message in seen)


async def test_unknown_theme_in_config_is_a_notice_not_a_crash(app_factory):
    app = app_factory(config=Config(theme="no-such-theme"))
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert any("no-such-theme" in message for message in seen)


async def test_notices_are_shown_on_start(app_factory):
    app = app_factory(notices=["settings file x.yaml is not valid YAML; using defaults"])
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("not valid YAML" in message for message in seen)


# -- command palette --------------------------------------------------------------------


async def palette_prompts(pilot, query: str) -> list[str]:
    """The palette's prompts for ``query``, once its search for exactly that text has finished."""
    # The palette of the last query may still be closing, and a new one opens after a
    # frame or two: on a busy machine neither is done after one pause.
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette))
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    palette = pilot.app.screen
    # Pasted, not typed key by key: one search instead of one per letter (the typing itself
    # is Textual's Input; what is tested here is what the palette offers for the text).
    palette.query_one(CommandInput).post_message(events.Paste(query))
    option_list = palette.query_one("CommandList")
    group = CommandPalette._GATHER_COMMANDS_GROUP

    def searched() -> bool:
        gathering = any(
            worker.group == group and not worker.is_finished for worker in palette.workers
        )
        return (
            palette.query_one(CommandInput).value == query
            and palette.has_class("-ready")
            and not gathering
            and option_list.option_count > 0
        )

    await wait_until(pilot, searched)
    await pilot.pause()
    assert searched()
    return [str(option.prompt) for option in option_list.options]


async def test_palette_offers_the_apps_commands(app_factory, make_case):
    make_case("Sven, 81: the pill box")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        prompts = await palette_prompts(pilot, "new case")
        assert any("New case" in p for p in prompts)
        await pilot.press("escape")
        prompts = await palette_prompts(pilot, "pill")
        assert any("Open case: Sven, 81: the pill box" in p for p in prompts)
        await pilot.press("escape")
        for query in (
            "help",
            "trash",
            "theme",
            "quit",
            "rename",
            "tags",
            "duplicate",
            "delete",
            "copy case id",
        ):
            prompts = await palette_prompts(pilot, query)
            assert any(query in p.lower() for p in prompts), query
            await pilot.press("escape")


async def test_palette_new_case_opens_the_dialog(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await palette_prompts(pilot, "new case")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseDialog)


async def test_palette_open_case_opens_the_editor(app_factory, make_case):
    case = make_case("Sven, 81: the pill box")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await palette_prompts(pilot, "open case sven")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseEditorScreen)
        assert app.screen.case_id == case.id


async def test_palette_in_the_editor_goes_to_a_section_and_toggles_questions(
    app_factory, make_case
):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_case(case.id)
        await pilot.pause()
        editor = app.screen
        prompts = await palette_prompts(pilot, "go to section 7")
        assert any("Go to section 7" in p for p in prompts)
        await pilot.press("enter")
        await pilot.pause()
        assert editor.current == 6
        calls = []
        editor.action_toggle_questions = lambda: calls.append(True)
        prompts = await palette_prompts(pilot, "toggle questions")
        await pilot.press("enter")
        await pilot.pause()
        assert calls == [True]


async def test_palette_shows_markup_titles_literally(app_factory, make_case):
    make_case("[@click=app.quit]boom[/]")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        prompts = await palette_prompts(pilot, "boom")
        assert any("[@click=app.quit]boom[/]" in p for p in prompts)


# -- launch -----------------------------------------------------------------------------


def test_demo_store_is_seeded_and_removed(templates):
    args = argparse.Namespace(demo=True, store=None)
    with _store_for(args, lambda a: pytest.fail("no real store for --demo"), templates) as store:
        folder = store.path
        summaries = {summary.id: summary for summary in store.list_cases()}
        assert len(summaries) == 4  # the worked case and three more of the story
        assert len(summaries[DEMO_CASE_ID].filled) == 9
    assert not folder.exists()


def test_store_path_comes_from_the_cli(tmp_path, templates):
    args = argparse.Namespace(demo=False, store=tmp_path / "mine")
    with _store_for(args, lambda a: a.store, templates) as store:
        assert store.path.resolve() == (tmp_path / "mine").resolve()


def test_unusable_store_is_a_one_line_error(tmp_path, templates):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    args = argparse.Namespace(demo=False, store=blocker)
    with pytest.raises(CoprodError) as caught, _store_for(args, lambda a: a.store, templates):
        pass
    assert "\n" not in str(caught.value)


def test_seed_demo_returns_the_case_id(store, templates):
    assert seed_demo(store, templates) == DEMO_CASE_ID


def test_template_problems_become_one_notice(templates):
    assert template_notices(templates) == []

    class Broken:
        problems = ["a.yaml:1:1: bad", "b.yaml:2:2: worse"]

    [notice] = template_notices(Broken())  # type: ignore[arg-type]
    assert "a.yaml:1:1: bad" in notice and "1 more" in notice


def test_create_app_is_what_launch_uses(store, templates):
    app = create_app(store, templates, Config(), handle_signals=False)
    assert isinstance(app, CoprodApp)
