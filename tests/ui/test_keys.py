"""Keyboard-first: every binding has an id, a palette entry and a place in help;
the keymap rebinds keys; the footer fits at 80 columns; long views scroll
with PageUp/PageDown/Home/End without Tab first.

All people and places are fictional.
"""

from __future__ import annotations

from pathlib import Path

from editor_helpers import burst, open_editor, until_typed, wait_until
from test_app import record_notifications
from textual.actions import parse as parse_action
from textual.command import CommandPalette

from coprod_tui.core.config import Config
from coprod_tui.core.store import CaseStore, RevisionInfo
from coprod_tui.ui.bindings import binding_classes, keymap_table, known_bindings
from coprod_tui.ui.commands import CoprodCommands, palette_commands, screen_bindings
from coprod_tui.ui.dialogs.conflict import ConflictScreen
from coprod_tui.ui.dialogs.history import HistoryScreen
from coprod_tui.ui.dialogs.orphans import OrphansScreen
from coprod_tui.ui.keymap import check_keymap, own_bindings
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import CaseListScreen
from coprod_tui.ui.screens.help import HelpScreen
from coprod_tui.ui.screens.trash import TrashScreen
from coprod_tui.ui.widgets.key_footer import KeyFooter

LONG_TEXT = "\n\n".join(
    f"Paragraph {number}: Tallbacka health centre (fictional), a long note." for number in range(80)
)

# -- ids ---------------------------------------------------------------------------------


def test_every_binding_has_a_unique_id_naming_its_group():
    seen: dict[str, str] = {}
    for node_class in binding_classes():
        for binding in own_bindings(node_class):
            assert binding.id, f"{node_class.__name__}: {binding.key} has no id"
            group, dot, name = binding.id.partition(".")
            assert dot and group and name, binding.id
            where = f"{node_class.__name__}.{binding.key}"
            # One id, one binding (the dialog's scroll keys are shared on purpose).
            assert seen.setdefault(binding.id, where) == where or group == "dialog", binding.id


def test_readme_lists_every_binding_id():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for binding_id, _keys, _does in keymap_table():
        assert f"`{binding_id}`" in readme, binding_id


# -- keymap ------------------------------------------------------------------------------


def test_check_keymap_keeps_the_good_entries_and_reports_the_rest_in_one_line():
    usable, problem = check_keymap(
        [
            ("editor.save", "ctrl+w"),
            ("editor.questions", "f2, ctrl+g"),
            ("editor.nothing", "f6"),
            ("editor.history", "ctrl+nokey"),
        ],
        known_bindings(),
    )
    assert usable == {"editor.save": "ctrl+w", "editor.questions": "f2,ctrl+g"}
    assert problem is not None and "\n" not in problem
    assert "editor.nothing" in problem and "(and 1 more)" in problem


async def test_the_keymap_rebinds_a_key_everywhere_it_shows(app_factory, make_case, store):
    case = make_case(sections={"situation": "Start."})
    app = app_factory(config=Config(keymap=(("editor.save", "f12"), ("editor.nothing", "f6"))))
    seen = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any("editor.nothing" in message for message in seen)
        screen = await open_editor(pilot, case.id)
        await pilot.press(*" typed")
        await pilot.press("f12")
        await wait_until(pilot, lambda: "typed" in store.load(case.id).text("situation"))
        keys = {key.key for key in screen.query_one(KeyFooter).keys}
        assert "f12" in keys and "ctrl+s" not in keys
        save = next(c for c in palette_commands(screen) if c.binding_id == "editor.save")
        assert "f12" in save.help


# -- the palette -------------------------------------------------------------------------


async def _palette_titles(pilot, query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    palette = pilot.app.screen
    await pilot.press(*query)
    await wait_until(pilot, lambda: palette.query_one("CommandList").option_count > 0)
    titles = [
        str(option.prompt).split("\n")[0] for option in palette.query_one("CommandList").options
    ]
    await pilot.press("escape")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette))
    return titles


def _assert_every_binding_is_a_command(screen) -> list[str]:
    """Each binding of ``screen`` that applies now has its palette command; their titles."""
    commands = {c.binding_id: c for c in palette_commands(screen) if c.binding_id}
    titles = []
    for binding in screen_bindings(type(screen)):
        if binding.id in CoprodCommands.EVERYWHERE_IDS:
            assert binding.id in commands or binding.id in {"app.quit", "editor.help"}
            continue
        _namespace, name, parameters = parse_action(binding.action)
        if screen.check_action(name, parameters) is False:
            continue  # not on this screen now (F8 without a conflict): hidden like its key
        if binding.id not in commands:
            # Another key for the same action (Escape: Close / Cancel) has the entry.
            same = [b.id for b in screen_bindings(type(screen)) if b.action == binding.action]
            assert any(other in commands for other in same), (
                f"{type(screen).__name__}: {binding.id} not in the palette"
            )
            continue
        titles.append(commands[binding.id].name)
    return titles


async def test_every_binding_of_the_case_list_and_the_trash_is_in_the_palette(
    app_factory, make_case, store
):
    make_case("Sven, 81")
    store.trash(make_case("Britt, 74").id)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await wait_until(pilot, lambda: app.screen.selected_summary() is not None)
        titles = _assert_every_binding_is_a_command(app.screen)
        assert {"Rename case", "Edit tags", "Duplicate case", "Copy case id"} <= set(titles)
        assert "Duplicate case" in await _palette_titles(pilot, "Duplicate case")

        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, TrashScreen))
        await wait_until(pilot, lambda: bool(app.screen.trashed))
        titles = _assert_every_binding_is_a_command(app.screen)
        assert {"Restore case", "Delete for good", "Empty trash"} <= set(titles)
        assert "Restore case" in await _palette_titles(pilot, "Restore case")
        await pilot.press("escape")


async def test_every_binding_of_the_editor_is_in_the_palette(app_factory, make_case, store):
    """A test of its own (the case list's and trash's is another): they run side by side."""
    case = make_case("Sven, 81", orphans={"old-notes": "Notes from an old template."})
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        editor = await open_editor(pilot, case.id)
        titles = _assert_every_binding_is_a_command(editor)
        for needed in (
            "Toggle questions",
            "Case details: title and fields",
            "History: restore an earlier version",
            "Orphaned text: move into a section",
            "Copy this section to the clipboard",
            "Save now",
            "Next section",
            "Previous section",
        ):
            assert needed in titles
        for shown in ("History: restore an earlier version", "Toggle questions"):
            assert shown in await _palette_titles(pilot, shown), shown


async def test_a_palette_command_runs_like_its_key(app_factory, make_case):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot, case.id)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"History: restore")
        palette = app.screen
        await wait_until(pilot, lambda: palette.query_one("CommandList").option_count > 0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))


# -- help --------------------------------------------------------------------------------


async def test_help_groups_keys_by_binding_group(app_factory, make_case):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot, case.id)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        where = {row.description: row.where for row in app.screen.rows}
        assert where["Save"] == "Editor"
        assert where["Quit"] == "Everywhere"
        groups = {row.where for row in app.screen.rows}
        assert "Text" in groups  # the text area's own keys, by its group title


async def test_about_the_template_scrolls_without_tab(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("a")
        await pilot.pause()
        about = app.screen.query_one("#about-scroll")
        await wait_until(pilot, lambda: about.max_scroll_y > 0)
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: about.scroll_y > 0)
        await pilot.press("end")
        await wait_until(pilot, lambda: about.scroll_y == about.max_scroll_y)
        await pilot.press("home")
        await wait_until(pilot, lambda: about.scroll_y == 0)


# -- the footer at 80 columns ------------------------------------------------------------


def _footer_labels(screen, width: int) -> list[str]:
    """The footer keys shown whole within ``width`` columns."""
    footer = screen.query_one(KeyFooter)
    return [key.description for key, region in footer.key_regions() if region.right <= width]


async def test_the_editor_footer_shows_the_main_keys_in_full_at_80_columns(app_factory, make_case):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await wait_until(pilot, lambda: "Open" in _footer_labels(app.screen, 80))
        labels = _footer_labels(app.screen, 80)
        for needed in ("Open", "New", "Filter", "All keys"):
            assert needed in labels
        editor = await open_editor(pilot, case.id)
        await wait_until(pilot, lambda: "Save" in _footer_labels(editor, 80))
        labels = _footer_labels(editor, 80)
        for needed in ("All keys", "Back", "Save", "Prev", "Next", "Questions"):
            assert needed in labels, labels
        assert not editor.query_one(KeyFooter).show_command_palette


# -- scrolling in dialogs ----------------------------------------------------------------


async def test_history_preview_scrolls_while_the_list_has_the_focus(app_factory, make_case):
    case = make_case("Sven, 81", sections={"situation": LONG_TEXT})
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, case.id)
        store_case = app.store.load(case.id)
        revisions = [RevisionInfo(1, "2024-03-12T14:00:00+00:00", "nurse", 900)]
        dialog = HistoryScreen(
            revisions, lambda _revision: store_case, editor.template, now=app.clock
        )
        await app.push_screen(dialog)
        await pilot.pause()
        preview = dialog.query_one("#revision-preview")
        assert app.focused is dialog.query_one("#revisions")
        await wait_until(pilot, lambda: preview.max_scroll_y > 0)
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: preview.scroll_y > 0)
        await pilot.press("end")
        await wait_until(pilot, lambda: preview.scroll_y == preview.max_scroll_y)
        await pilot.press("home")
        await wait_until(pilot, lambda: preview.scroll_y == 0)
        assert dialog.selected_revision == 1


async def test_orphan_preview_scrolls_without_tab(app_factory, make_case):
    case = make_case("Sven, 81", orphans={"old-notes": LONG_TEXT})
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot, case.id)
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, OrphansScreen))
        preview = app.screen.query_one("#orphan-preview")
        await wait_until(pilot, lambda: preview.max_scroll_y > 0)
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: preview.scroll_y > 0)
        await pilot.press("pageup")
        await wait_until(pilot, lambda: preview.scroll_y == 0)


async def test_conflict_view_scrolls_without_tab(app_factory, make_case, store):
    case = make_case("Sven, 81", sections={"situation": "Shared start."})
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, case.id)
        other = CaseStore.open(store.path)
        theirs = other.load(case.id)
        theirs.sections["situation"] = LONG_TEXT
        other.save(theirs, base_revision=theirs.revision)
        await pilot.press(*" Mine")
        await wait_until(pilot, lambda: editor.session.conflict is not None)
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        diff = app.screen.query_one("#conflict-diff")
        await wait_until(pilot, lambda: diff.max_scroll_y > 0)
        await pilot.press("end")
        await wait_until(pilot, lambda: diff.scroll_y == diff.max_scroll_y)
        await pilot.press("home")
        await wait_until(pilot, lambda: diff.scroll_y == 0)
        assert isinstance(app.screen, ConflictScreen)  # nothing was decided by scrolling


async def test_the_greeting_names_the_keys_as_bound(app_factory):
    app = app_factory(config=Config(keymap=(("case_list.new", "a"), ("app.help", "f12"))))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        greeting = app.screen.query_one("#greeting")
        await wait_until(pilot, lambda: "write your first case" in str(greeting.render()))
        text = str(greeting.render())
        assert "  a       write your first case" in text
        assert "  F12     help" in text
        assert "  Ctrl+Q  quit" in text


async def test_a_rebound_key_keeps_the_keys_typed_after_it(app_factory, store):
    app = app_factory(config=Config(keymap=(("case_list.new", "a"),)))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await burst(pilot, "a", *"Ingrid, 84", "enter", *"Alpha.")
        await until_typed(pilot)
        assert isinstance(app.screen, CaseEditorScreen)
        assert app.screen.session.case.title == "Ingrid, 84"
        assert app.screen.editor.text == "Alpha."


async def test_the_case_list_is_the_home_mode(app_factory, make_case):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.current_mode == "cases"
        assert isinstance(app.screen_stack[0], CaseListScreen)
        app.open_case(case.id)
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        assert app.current_mode == "cases"  # the editor opens in the case list's stack
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
