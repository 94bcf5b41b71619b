"""The case editor: opening, typing, autosave, navigation, questions."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_SECTIONS
from editor_helpers import open_editor, status_state, status_text, wait_saved, wait_until
from notices import notices
from textual import events
from textual.command import CommandList

from coprod_tui.core.case import word_count
from coprod_tui.core.editing import SaveState
from coprod_tui.ui.screens.case_editor import CaseEditorScreen, OpenAt
from coprod_tui.ui.widgets.question_hints import QuestionHints, QuestionList
from coprod_tui.ui.widgets.section_editor import SectionEditor
from coprod_tui.ui.widgets.section_header import SectionHeader
from coprod_tui.ui.widgets.section_nav import SectionNav
from coprod_tui.ui.widgets.word_count import WordCount


async def test_opens_on_section_one_with_cursor_in_editor(editing):
    async with editing() as (app, pilot, screen, case):
        assert screen.current == 0
        assert isinstance(app.focused, SectionEditor)
        assert app.focused.section_id == "situation"
        assert app.focused.text.startswith("Tallbacka health centre")
        assert status_state(screen) is SaveState.SAVED
        assert screen.query_one(WordCount).words == word_count(SAMPLE_SECTIONS["situation"])
        assert status_text(screen) == "Saved"


async def test_typing_straight_away_continues_after_the_existing_text(editing):
    async with editing() as (app, pilot, screen, case):
        editor = screen.editor
        assert editor.cursor_location == editor.document.end
        await pilot.press(*" Then")
        assert screen.session.text("situation") == SAMPLE_SECTIONS["situation"] + " Then"


async def test_a_section_visited_first_has_the_cursor_after_its_text(editing):
    async with editing() as (app, pilot, screen, case):
        await pilot.press("ctrl+pagedown")
        editor = screen.editor
        assert editor.section_id == "lived-reality"
        assert editor.cursor_location == editor.document.end
        await pilot.press(*" Still")
        assert screen.session.text("lived-reality") == SAMPLE_SECTIONS["lived-reality"] + " Still"
        # An empty section: the end is the start.
        await pilot.press("ctrl+pagedown")
        assert screen.editor.cursor_location == (0, 0)


async def test_a_revisited_section_keeps_the_cursor_where_the_user_left_it(editing):
    async with editing() as (app, pilot, screen, case):
        screen.editor.move_cursor((0, 0))
        await pilot.press("right", "right")
        assert screen.editor.cursor_location == (0, 2)
        await pilot.press("ctrl+pagedown", "ctrl+pageup")
        assert screen.editor.section_id == "situation"
        assert screen.editor.cursor_location == (0, 2)
        await pilot.press("ctrl+pagedown", "left")
        end_row, end_column = screen.editor.document.end
        assert screen.editor.cursor_location == (end_row, end_column - 1)
        await pilot.press("ctrl+pageup", "ctrl+pagedown")
        assert screen.editor.section_id == "lived-reality"
        assert screen.editor.cursor_location == (end_row, end_column - 1)


async def test_only_the_shown_section_is_mounted_and_each_other_on_its_first_visit(editing, store):
    """Opening a case makes and styles one editor, not nine; every section's text is kept."""
    async with editing() as (app, pilot, screen, case):

        def mounted() -> list[str]:
            return [editor.section_id for editor in screen.query(SectionEditor)]

        assert mounted() == ["situation"]
        # Nor are the others' editors made (a TextArea wraps its text twice when made).
        assert [editor.section_id for editor in screen._made_editors()] == ["situation"]
        await pilot.press("alt+down", "alt+down", "alt+down")  # sections 2, 3, 4
        first_four = ["situation", "lived-reality", "emotions", "system-navigation"]
        assert mounted() == first_four
        await pilot.press("ctrl+pageup", "ctrl+pageup", "ctrl+pageup", "ctrl+pageup")  # 3, 2, 1, 9
        assert screen.editor.section_id == "reflections"
        # In section order among the others (the focus order), whatever the visiting order.
        assert mounted() == [*first_four, "reflections"]
        await pilot.press("N", "y")
        await wait_saved(pilot, screen)
        stored = store.load(case.id)
        assert stored.sections["lived-reality"] == SAMPLE_SECTIONS["lived-reality"]
        assert stored.sections["reflections"] == "Ny"


async def test_a_long_section_first_shown_shows_its_start_and_typing_goes_to_its_end(editing):
    # Issue 8 changes this: a long section opened scrolled to its end; now its
    # start is in view. The cursor stays after the text, so typing still adds to
    # the end, and the first key scrolls there.
    long_text = "\n\n".join(f"Paragraph {n} of a long and fictional visit." for n in range(40))
    async with editing(
        sections={"situation": long_text, "lived-reality": long_text}, size=(80, 24)
    ) as (app, pilot, screen, case):
        await pilot.pause()
        for _ in range(2):
            editor = screen.editor
            assert editor.cursor_location == editor.document.end
            assert editor.scroll_offset.y == 0
            await pilot.press("ctrl+pagedown")
            await pilot.pause()
        await pilot.press("ctrl+pageup", "ctrl+pageup", "!")
        await pilot.pause()
        editor = screen.editor
        _column, row = editor.cursor_screen_offset - editor.content_region.offset
        assert editor.scroll_offset.y > 0
        assert 0 <= row < editor.content_region.height
        assert screen.session.text("situation") == long_text + "!"


@pytest.mark.parametrize("keys", [("alt+down", "alt+up"), ("ctrl+down", "ctrl+up")])
async def test_sections_also_move_on_keys_terminals_leave_alone(editing, keys):
    async with editing(sections={}) as (app, pilot, screen, case):
        await pilot.press(keys[0], *"Two")
        assert screen.current == 1 and app.focused is screen.editor
        await pilot.press(keys[1], keys[1])
        assert screen.current == len(screen.template.sections) - 1  # wraps around
        await pilot.press(*"Last")
        assert screen.session.text("lived-reality") == "Two"
        assert screen.editor.text == "Last"


async def test_a_case_reopens_where_it_was_left(editing, private_cache):
    long_text = "\n".join(f"Line {n} of a fictional home visit." for n in range(60))
    async with editing(sections={"lived-reality": long_text}, size=(80, 24)) as (
        app,
        pilot,
        screen,
        case,
    ):
        await pilot.press("ctrl+pagedown")
        screen.editor.move_cursor((2, 4))
        await pilot.press("end")
        assert screen.editor.cursor_location == (2, len("Line 2 of a fictional home visit."))
        await pilot.press("escape")
        await pilot.pause()
        again = await open_editor(pilot, case.id)
        assert again.current == 1 and app.focused is again.editor
        assert again.editor.cursor_location == (2, len("Line 2 of a fictional home visit."))
        await pilot.press(*" Seen.")
        await pilot.press("escape")
        await pilot.pause()
    stored = (private_cache / "coprod" / "positions.json").read_text(encoding="utf-8")
    assert case.id in stored and "lived-reality" in stored
    assert "fictional" not in stored  # never a word of case text
    assert oct((private_cache / "coprod" / "positions.json").stat().st_mode & 0o777) == "0o600"


async def test_typing_is_autosaved_after_a_pause(editing, store):
    async with editing(sections={}) as (app, pilot, screen, case):
        await pilot.press(*"Ingrid calls")
        assert screen.session.text("situation") == "Ingrid calls"
        await wait_saved(pilot, screen)
        assert store.load(case.id).text("situation") == "Ingrid calls"
        assert status_text(screen) == "Saved 14:03:12"
        assert screen.query_one(WordCount).words == 2


async def test_ctrl_pagedown_and_pageup_move_between_sections(editing):
    async with editing() as (app, pilot, screen, case):
        await pilot.press("ctrl+pagedown")
        assert screen.current == 1
        assert app.focused.section_id == "lived-reality"
        header = str(screen.query_one(SectionHeader).render())
        assert header.startswith("2. Lived reality")
        assert "Patient-person" in header
        await pilot.press("ctrl+pagedown", "ctrl+pagedown")
        assert screen.current == 3
        await pilot.press("ctrl+pageup")
        assert screen.current == 2
        await pilot.press("ctrl+pageup", "ctrl+pageup", "ctrl+pageup")
        assert screen.current == 8  # wraps around to the last section
        screen.action_goto_section(5)
        await pilot.pause()
        assert screen.current == 4
        assert app.focused.section_id == "condition"


async def test_text_is_kept_in_memory_across_sections(editing):
    async with editing(sections={}) as (app, pilot, screen, case):
        await pilot.press(*"first")
        await pilot.press("ctrl+pagedown")
        await pilot.press(*"second")
        await pilot.press("ctrl+pageup")
        assert app.focused.text == "first"
        assert screen.session.text("situation") == "first"
        assert screen.session.text("lived-reality") == "second"


async def test_navigator_marker_flips_to_filled(editing):
    async with editing(sections={}) as (app, pilot, screen, case):
        nav = screen.query_one(SectionNav)
        assert not nav.is_filled("situation")
        line = str(nav.get_option("section-0").prompt)
        assert line.startswith("▸○  1 Situation")  # ▸ points at the section being edited
        await pilot.press("x")
        assert nav.is_filled("situation")
        assert str(nav.get_option("section-0").prompt).startswith("▸●  1 Situation")
        await pilot.press("ctrl+pagedown")
        assert str(nav.get_option("section-0").prompt).startswith(" ●  1 Situation")
        assert str(nav.get_option("section-1").prompt).startswith("▸○  2 ")
        await pilot.press("ctrl+pageup")
        await pilot.press("backspace")
        assert not nav.is_filled("situation")


async def test_navigator_enter_opens_a_section(editing):
    async with editing() as (app, pilot, screen, case):
        nav = screen.query_one(SectionNav)
        nav.focus()
        await pilot.press("down", "down", "enter")
        assert screen.current == 2
        assert isinstance(app.focused, SectionEditor)
        assert app.focused.section_id == "emotions"


async def test_tab_moves_between_panes(editing):
    async with editing() as (app, pilot, _screen, _case):
        await pilot.press("tab")
        assert isinstance(app.focused, QuestionList)
        await pilot.press("tab")
        assert isinstance(app.focused, SectionNav)
        await pilot.press("tab")
        assert isinstance(app.focused, SectionEditor)


async def test_f2_toggles_the_questions(editing):
    async with editing() as (app, pilot, screen, case):
        questions = screen.query_one(QuestionHints)
        assert questions.display and questions.region.width > 0
        await pilot.press("f2")
        await pilot.pause()
        assert not screen.questions_visible
        assert questions.region.width == 0
        await pilot.press("f2")
        await pilot.pause()
        assert screen.questions_visible
        assert questions.region.width > 0


async def test_question_taken_into_the_editor_with_enter(editing):
    async with editing(sections={"situation": "We met at the door."}) as (app, pilot, screen, case):
        question_list = screen.query_one(QuestionList)
        question_list.focus()
        await pilot.press("down", "enter")  # the second question
        editor = screen.editor
        assert app.focused is editor
        assert editor.text == "We met at the door.\n\nWhat is the context?\n"
        assert editor.cursor_location == (3, 0)
        await pilot.press(*"Busy")
        assert screen.session.text("situation").endswith("What is the context?\nBusy")


async def test_questions_follow_the_section(editing):
    async with editing() as (app, pilot, screen, case):
        await pilot.press("ctrl+pagedown", "ctrl+pagedown")
        hints = screen.query_one(QuestionHints)
        assert hints.questions[0] == "Feelings expressed by patient and patient family?"


async def test_narrow_80_folds_questions_and_f2_shows_them(editing):
    async with editing(size=(80, 24)) as (app, pilot, screen, case):
        nav = screen.query_one(SectionNav)
        assert not screen.questions_visible
        assert not nav.compact
        assert screen.editor.region.width >= 40
        await pilot.press("f2")
        await pilot.pause()
        assert screen.questions_visible
        assert isinstance(app.focused, QuestionList)
        await pilot.press("enter")
        assert "What is the setting?" in screen.editor.text
        await pilot.press("f2")
        assert not screen.questions_visible


async def test_narrow_60_has_a_compact_navigator(editing):
    async with editing(size=(60, 20)) as (app, pilot, screen, case):
        nav = screen.query_one(SectionNav)
        assert nav.compact
        assert nav.region.width <= 8
        assert str(nav.get_option("section-0").prompt) == "▸ 1 ●"
        assert not screen.questions_visible
        assert screen.editor.region.width >= 40


async def test_resizing_switches_layouts(editing):
    async with editing() as (app, pilot, screen, case):
        assert screen.questions_visible
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert not screen.questions_visible
        await pilot.resize_terminal(64, 24)
        await pilot.pause()
        assert screen.query_one(SectionNav).compact
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert screen.questions_visible
        assert not screen.query_one(SectionNav).compact


async def test_undo_and_redo(editing):
    async with editing(sections={}) as (app, pilot, screen, case):
        await pilot.press(*"hello")
        await pilot.press("ctrl+z")
        assert screen.editor.text == ""
        assert screen.session.text("situation") == ""
        await pilot.press("ctrl+y")
        assert screen.session.text("situation") == "hello"


async def test_keys_typed_right_after_a_section_change_land_in_the_new_section(editing):
    async with editing(sections={}) as (app, pilot, screen, case):
        # One burst, as a fast typist (or a paste of keys over SSH) delivers it.
        for key, char in [("ctrl+pagedown", None), ("a", "a"), ("b", "b")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert screen.current == 1
        assert screen.session.text("lived-reality") == "ab"
        assert screen.session.text("situation") == ""


async def test_keys_typed_right_after_a_section_change_go_after_its_text(editing):
    async with editing() as (app, pilot, screen, case):
        for key, char in [("ctrl+pagedown", None), ("space", " "), ("a", "a"), ("b", "b")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert screen.session.text("lived-reality") == SAMPLE_SECTIONS["lived-reality"] + " ab"


async def test_the_mouse_works_too(editing):
    async with editing() as (app, pilot, screen, case):
        # Row 5 of the navigator: border, 1 Situation, heading, 2 Lived reality, heading, 3.
        await pilot.click(SectionNav, offset=(6, 5))
        await pilot.pause()
        assert screen.current == 2
        assert app.focused is screen.editor
        await pilot.click(QuestionList, offset=(4, 0))
        await pilot.pause()
        assert screen.editor.text.startswith("Feelings expressed by patient and patient family?")


async def test_palette_goes_to_a_section(editing):
    async with editing() as (app, pilot, screen, case):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to section 3")
        palette = app.screen
        await wait_until(pilot, lambda: palette.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.current == 2
        assert app.focused is screen.editor
        await pilot.press(*"Typed")
        assert screen.session.text("emotions") == "Typed"


async def test_a_case_that_cannot_be_opened_says_so_and_goes_back(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot, "00000000-0000-4000-8000-000000000000")
        await pilot.pause()
        assert app.screen is not screen
        assert any("Could not open this case" in n.message for n in notices(app))


async def test_ctrl_s_saves_at_once(editing, store, monkeypatch):
    monkeypatch.setattr(CaseEditorScreen, "AUTOSAVE_DEBOUNCE", 30.0)
    monkeypatch.setattr(CaseEditorScreen, "AUTOSAVE_MAX_DELAY", 60.0)
    async with editing(sections={}) as (app, pilot, screen, case):
        await pilot.press(*"Now")
        assert status_text(screen) == "Unsaved"
        await pilot.press("ctrl+s")
        await wait_saved(pilot, screen)
        assert store.load(case.id).text("situation") == "Now"


async def test_editing_keys_in_a_burst_apply_in_the_order_typed(editing):
    """Over a laggy link keys arrive together: Backspace and arrows must not lag behind."""
    async with editing(sections={}) as (app, pilot, screen, case):
        burst = [("a", "a"), ("b", "b"), ("backspace", None), ("c", "c")]
        burst += [("x", "x"), ("left", None), ("y", "y"), ("end", None), ("z", "z")]
        for key, char in burst:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert screen.session.text("situation") == "acyxz"


async def test_opening_at_a_hit_shows_that_section_with_the_hit_selected(app_factory, make_case):
    """A search result or a section review opens the case where the words are, selected."""
    text = "Two nurses, one remiss."
    case = make_case(sections={"situation": "Start.", "microsystem": text})
    start = text.index("remiss")
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = CaseEditorScreen(case.id, at=OpenAt("microsystem", (start, start + 6)))
        await app.push_screen(screen)
        await screen.until_ready()
        await pilot.pause()
        assert screen.editor.section_id == "microsystem"
        assert screen.editor.selected_text == "remiss"
        await pilot.press(*"referral")
        assert screen.session.text("microsystem") == "Two nurses, one referral."


async def test_opening_at_an_unknown_section_opens_section_one(app_factory, make_case):
    """A hit in a section this template no longer has opens section 1, not an error."""
    case = make_case(sections={"situation": "Start."})
    app = app_factory()
    async with app.run_test(size=(100, 30)):
        screen = CaseEditorScreen(case.id, at=OpenAt("no-such-section", (0, 3)))
        await app.push_screen(screen)
        await screen.until_ready()
        assert screen.editor.section_id == "situation"
