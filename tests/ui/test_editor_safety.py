"""User text is shown as typed: never markup, never terminal escape sequences."""

from __future__ import annotations

from pathlib import Path

from editor_helpers import open_editor, wait_saved
from textual import events

from coprod_tui.core.case import new_case
from coprod_tui.core.template.registry import discover_templates
from coprod_tui.ui.dialogs.orphans import OrphansScreen
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.widgets.section_editor import SectionEditor

MARKUP_TITLE = "[@click=app.quit]Quit[/] [red]x[/red]"
ESCAPES = "A\x1b]0;PWNED\x07B \x1b[31mRED\x1b[0m C\x9b2J D\x1b[5;1HMOVED\x07\x08E"


def screen_lines(screen: CaseEditorScreen) -> str:
    """Every line every visible widget of the screen renders, as plain text."""
    out: list[str] = []
    for widget in screen.query("*"):
        if not widget.display or not widget.region.area:
            continue
        for y in range(widget.region.height):
            out.append("".join(segment.text for segment in widget.render_line(y)))
    return "\n".join(out)


def no_control_characters(text: str) -> bool:
    return not any(ord(ch) < 32 and ch not in "\n\t" or 0x7F <= ord(ch) <= 0x9F for ch in text)


async def test_markup_in_titles_and_text_is_shown_literally(editing):
    async with editing(
        MARKUP_TITLE,
        sections={"situation": "[bold]not bold[/bold] [@click=app.quit]click[/]"},
        fields={"setting": "[blink]Ward[/blink]"},
    ) as (app, pilot, screen, case):
        title = str(screen.query_one("#case-title").render())
        assert MARKUP_TITLE in title
        rendered = screen_lines(screen)
        assert "[bold]not bold[/bold] [@click=app.quit]click[/]" in rendered
        await pilot.click("#case-title")
        await pilot.pause()
        assert app.is_running  # the [@click=app.quit] in the title did nothing
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.query_one("#field-setting").value == "[blink]Ward[/blink]"


async def test_escape_sequences_never_reach_the_terminal(editing, store):
    async with editing(
        "Title " + ESCAPES,
        sections={"situation": ESCAPES, "emotions": "ok"},
        orphans={"old\x1b[2J": "Orphan " + ESCAPES},
    ) as (app, pilot, screen, case):
        rendered = screen_lines(screen)
        assert no_control_characters(rendered), repr(rendered)
        assert "RED" in rendered and "MOVED" in rendered
        assert "␛[31mRED" in rendered  # shown, visibly, in the editor
        assert "Title A" in str(screen.query_one("#case-title").render())
        # The stored text stays exactly as it was (nothing edited, nothing saved).
        screen.flush()
        assert store.load(case.id).text("situation") == ESCAPES
        await pilot.press("f5")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OrphansScreen)
        orphan_text = str(dialog.query_one("#orphan-text").render())
        assert "Orphan A" in orphan_text and no_control_characters(orphan_text)


async def test_editing_keeps_text_exact_until_changed(editing, store):
    tricky = "line one\x0cform feed\x85next line"
    async with editing(sections={"situation": tricky}) as (app, pilot, screen, case):
        await pilot.press("ctrl+pagedown", "ctrl+pageup")
        screen.flush()
        assert store.load(case.id).text("situation") == tricky
        await pilot.press(*"x")  # the cursor starts after the text
        await wait_saved(pilot, screen)
        stored = store.load(case.id).text("situation")
        assert stored == screen.editor.text
        assert stored.startswith("line one") and stored.endswith("next linex")


async def test_paste_strips_escape_sequences(editing):
    async with editing(sections={}) as (app, pilot, screen, case):
        editor = screen.editor
        editor.post_message(events.Paste("pasted \x1b[31mred\x1b[0m text\r\nnext\x07"))
        await pilot.pause()
        assert editor.text == "pasted red text\nnext"
        assert screen.session.text("situation") == "pasted red text\nnext"


async def test_markup_in_a_team_template_is_shown_literally(tmp_path: Path, store):
    from conftest import fixed_clock

    from coprod_tui.ui.launch import create_app

    user_dir = tmp_path / "team-templates"
    user_dir.mkdir()
    (user_dir / "markup.yaml").write_text(
        "id: markup-test\n"
        "version: 1\n"
        "title: Markup test\n"
        "language: en\n"
        "source: invented for a test\n"
        "perspectives:\n"
        "  - id: p\n"
        "    title: '[red]Perspective[/red]'\n"
        "sections:\n"
        "  - id: one\n"
        "    title: '[@click=app.quit]Section[/]'\n"
        "    perspective: p\n"
        "    questions:\n"
        "      - '[b]Question?[/b]'\n",
        encoding="utf-8",
    )
    templates = discover_templates(user_dir=user_dir, env={})
    case = store.create(new_case("Plain", templates.get("markup-test")))
    app = create_app(store, templates, clock=fixed_clock, handle_signals=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot, case.id)
        rendered = screen_lines(screen)
        assert "[@click=app.quit]Section[/]" in rendered
        assert "[red]Perspective[/red]" in rendered
        assert "[b]Question?[/b]" in rendered
        assert isinstance(app.focused, SectionEditor)
