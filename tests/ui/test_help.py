"""F1 help is built from the real bindings, and explains the template."""

from __future__ import annotations

from textual.widgets import DataTable, Markdown, TabbedContent

from coprod_tui.core.template import Perspective, Section, Template
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import CaseListScreen
from coprod_tui.ui.screens.help import HelpScreen, about_markdown, key_rows


def help_rows(screen: HelpScreen) -> list[tuple[str, str, str]]:
    table = screen.query_one("#key-table", DataTable)
    return [
        tuple(str(cell) for cell in table.get_row_at(index)) for index in range(table.row_count)
    ]


def expected_rows(app, screen) -> set[tuple[str, str]]:
    """(key display, what it does) of every described, non-system active binding.

    What it does is the binding's tooltip when it has one (the full sentence),
    else its footer label.
    """
    return {
        (
            app.get_key_display(active.binding),
            (active.tooltip or active.binding.tooltip).rstrip(".") or active.binding.description,
        )
        for active in screen.active_bindings.values()
        if active.binding.description and not active.binding.system
    }


def shown_pairs(rows) -> set[tuple[str, str]]:
    return {(key, does) for keys, does, _where in rows for key in keys.split(" / ")}


async def test_help_lists_exactly_the_case_lists_live_bindings(app_factory, make_case):
    make_case()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        under = app.screen
        assert isinstance(under, CaseListScreen)
        expected = expected_rows(app, under)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app.screen)
        assert shown_pairs(rows) == expected
        descriptions = {does for _keys, does, _where in rows}
        for needed in (
            "Start a new case",
            "Open the selected case",
            "Filter by title or tag",
            "Rename the selected case",
            "Edit the tags of the selected case",
            "Make a copy of the selected case",
            "Move the selected case to the trash",
            "Deleted cases (the trash bin): restore one",
        ):
            assert needed in descriptions
        assert ("del / x", "Move the selected case to the trash") in {(k, d) for k, d, _w in rows}


async def test_help_over_the_editor_shows_the_editors_keys(app_factory, make_case):
    case = make_case()
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_case(case.id)
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, CaseEditorScreen)
        expected = expected_rows(app, editor)
        await pilot.press("f1")
        await pilot.pause()
        rows = help_rows(app.screen)
        assert shown_pairs(rows) == expected
        assert ("f2", "Show/hide guiding questions") in shown_pairs(rows)


async def test_help_has_an_about_the_template_page(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "about"
        about = app.screen.about
        assert "A working definition of “microsystem”" in about
        assert "the interdependent work of patients (and families)" in about
        assert "“Patient-person”" in about
        assert "So, reflections, plans, other" in about
        assert app.screen.query_one(Markdown).display


async def test_escape_and_f1_close_help(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)


async def test_dimmed_bindings_are_marked(app_factory):
    app = app_factory()  # empty store: no case to rename
    async with app.run_test(size=(80, 24)) as pilot:
        rows = key_rows(app, app.screen.active_bindings)
        rename = next(row for row in rows if row.description == "Rename")
        assert not rename.enabled
        new = next(row for row in rows if row.description == "New")
        assert new.enabled
        await pilot.pause()


def test_about_page_never_renders_markup_or_escapes():
    template = Template(
        id="t",
        version=1,
        title="[@click=app.quit]Team[/] \x1b]0;x\x07template",
        language="en",
        source="",
        sections=(Section(id="a", title="[red]A[/red]", perspective="p"),),
        perspectives=(Perspective(id="p", title="Patient", description="aim"),),
    )
    text = about_markdown(template)
    assert "[@click=app.quit]Team[/] template" in text
    assert "\x1b" not in text and "\x07" not in text
    assert "1. [red]A[/red] — *Patient*" in text


def test_about_page_borrows_the_model_from_the_shipped_template(templates):
    bare = Template(
        id="bare",
        version=1,
        title="Bare",
        language="en",
        source="",
        sections=(Section(id="a", title="A"),),
    )
    text = about_markdown(bare, templates.default())
    assert "microsystem" in text
    assert "The coproduction model" in text


async def test_about_page_markup_does_nothing_when_shown(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        from coprod_tui.ui.screens.help import HelpScreen as Help

        await app.push_screen(Help([], "# [@click=app.quit]x[/]\n\n[@click=app.quit]y[/]\n"))
        await pilot.press("a")
        await pilot.pause()
        await pilot.click(Markdown, offset=(3, 1))
        await pilot.click(Markdown, offset=(3, 3))
        await pilot.pause()
        assert app.is_running
